//! Cursor pagination: recognizing list operations that page with a `cursor` parameter and
//! answer `{items: [...], pagination: {has_more, cursor}}`.

use super::Lowerer;
use crate::model::{
    Pagination, ParamLocation, Parameter, Primitive, Response, ResponseBody, Struct, TypeKind,
    TypeRef,
};

/// The pagination of an operation, when its shape is the cursor pattern:
/// - an optional query parameter `cursor`;
/// - a JSON response object with exactly one array field (the items) and a field whose
///   object type has a boolean `has_more` and a string `cursor`.
pub(super) fn detect(
    cx: &Lowerer<'_>,
    params: &[Parameter],
    success: &Response,
) -> Option<Pagination> {
    let cursor = params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.wire_name == "cursor" && !p.required)?;
    let ResponseBody::Json(TypeRef::Named(id)) = &success.body else {
        return None;
    };
    let page = as_struct(cx, *id)?;
    let mut arrays = page.fields.iter().filter_map(|f| match &f.ty {
        TypeRef::Array(item) if f.required => Some((f, item)),
        _ => None,
    });
    let (items, item) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    page.fields.iter().find_map(|meta| {
        let TypeRef::Named(meta_id) = &meta.ty else {
            return None;
        };
        let fields = &as_struct(cx, *meta_id)?.fields;
        let has_more = fields.iter().find(|f| {
            f.wire_name == "has_more" && f.required && f.ty == TypeRef::Primitive(Primitive::Bool)
        })?;
        let next = fields.iter().find(|f| f.wire_name == "cursor")?;
        let string = TypeRef::Primitive(Primitive::String);
        // An optional nullable field is `Option<Option<String>>`; the others one `Option`.
        let double = match (&next.ty, next.required) {
            (ty, false) if *ty == string => false,
            (TypeRef::Nullable(inner), required) if **inner == string => !required,
            _ => return None,
        };
        Some(Pagination {
            cursor_param: cursor.rust_name.clone(),
            items_field: items.rust_name.clone(),
            item: (**item).clone(),
            meta_field: meta.rust_name.clone(),
            has_more_field: has_more.rust_name.clone(),
            cursor_field: next.rust_name.clone(),
            cursor_double_option: double,
        })
    })
}

fn as_struct<'a>(cx: &'a Lowerer<'_>, id: crate::model::TypeId) -> Option<&'a Struct> {
    match &cx.types.get(&id)?.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}
