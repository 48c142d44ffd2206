//! Schemas into types: primitives and containers become [`TypeRef`]s, objects and enums
//! become named [`TypeDef`](crate::model::TypeDef)s in the arena.

use openapiv3::{
    AdditionalProperties, ArrayType, Discriminator, IntegerFormat, NumberFormat, ObjectType,
    ReferenceOr, Schema, SchemaKind, StringFormat, StringType, Type, VariantOrUnknownOrEmpty,
};

use super::{Lowerer, schema_docs};
use crate::diagnostics::pointer;
use crate::model::{
    Access, Docs, Enum, Field, Primitive, Struct, TypeKind, TypeRef, Union, UnionVariant, Variant,
};
use crate::naming::{Scope, camel, snake};
use crate::resolve::{Resolver, Section};
use crate::settings::DateMapping;

/// What a schema lowers to before it is placed: a reference to an existing type, or the
/// shape of a new named type.
enum Shape {
    Ref(TypeRef),
    Def(TypeKind),
}

/// Lowers a component schema into the kind and docs of its (already declared) named type.
pub(super) fn lower_component(
    cx: &mut Lowerer<'_>,
    schema: &ReferenceOr<Schema>,
    at: &str,
    rust_name: &str,
) -> (TypeKind, Docs) {
    match schema {
        ReferenceOr::Reference { reference } => (
            TypeKind::Alias(resolve_ref(cx, reference, at)),
            Docs::default(),
        ),
        ReferenceOr::Item(schema) => {
            let docs = schema_docs(&schema.schema_data, rust_name);
            let kind = match shape(cx, schema, at, rust_name) {
                Shape::Def(kind) => kind,
                Shape::Ref(ty) => TypeKind::Alias(nullable(schema, ty)),
            };
            (kind, docs)
        }
    }
}

/// Lowers a schema in any position; an inline object or enum becomes a new named type
/// called `name_hint`.
pub(super) fn lower_schema(
    cx: &mut Lowerer<'_>,
    schema: &ReferenceOr<Schema>,
    at: &str,
    name_hint: &str,
) -> TypeRef {
    match schema {
        ReferenceOr::Reference { reference } => resolve_ref(cx, reference, at),
        ReferenceOr::Item(schema) => lower_nested(cx, schema, at, name_hint),
    }
}

/// How deeply inline schemas may nest; deeper is reported instead of overflowing the stack.
const MAX_DEPTH: usize = 128;

fn lower_nested(cx: &mut Lowerer<'_>, schema: &Schema, at: &str, name_hint: &str) -> TypeRef {
    if cx.depth >= MAX_DEPTH {
        cx.diags
            .warning(
                at,
                format!(
                    "schemas nest more than {MAX_DEPTH} levels deep here: the value is typed as \
                     any JSON value"
                ),
            )
            .help("move the inner schemas into `#/components/schemas` and refer to them by `$ref`");
        return TypeRef::Primitive(Primitive::Json);
    }
    cx.depth += 1;
    let ty = lower_inline(cx, schema, at, name_hint);
    cx.depth -= 1;
    ty
}

fn lower_inline(cx: &mut Lowerer<'_>, schema: &Schema, at: &str, name_hint: &str) -> TypeRef {
    let ty = match shape(cx, schema, at, name_hint) {
        Shape::Ref(ty) => ty,
        Shape::Def(kind) => {
            let docs = schema_docs(&schema.schema_data, name_hint);
            TypeRef::Named(cx.add_type(name_hint, at, kind, docs))
        }
    };
    nullable(schema, ty)
}

fn nullable(schema: &Schema, ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(_) => ty,
        _ if schema.schema_data.nullable => TypeRef::Nullable(Box::new(ty)),
        _ => ty,
    }
}

/// The type a `$ref` in a schema position names: its component's; anything else is reported
/// and typed as any JSON value.
fn resolve_ref(cx: &mut Lowerer<'_>, reference: &str, at: &str) -> TypeRef {
    let found = cx
        .resolver
        .component(reference, Section::Schemas, |c| &c.schemas);
    match found.map(|(name, _)| cx.components.get(&name).copied()) {
        Ok(Some(id)) => TypeRef::Named(id),
        // Unreachable: every component schema is declared before lowering.
        Ok(None) => TypeRef::Primitive(Primitive::Json),
        Err(err) => {
            super::report_ref(cx.diags, at, &err);
            TypeRef::Primitive(Primitive::Json)
        }
    }
}

fn shape(cx: &mut Lowerer<'_>, schema: &Schema, at: &str, hint: &str) -> Shape {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            string_shape(string, is_const(schema), cx.settings.types.dates)
        }
        SchemaKind::Type(Type::Integer(int)) => {
            Shape::Ref(TypeRef::Primitive(integer(&int.format)))
        }
        SchemaKind::Type(Type::Number(num)) => Shape::Ref(TypeRef::Primitive(number(&num.format))),
        SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Primitive(Primitive::Bool)),
        SchemaKind::Type(Type::Object(object)) => object_shape(cx, object, at, hint),
        SchemaKind::Type(Type::Array(array)) => array_shape(cx, array, at, hint),
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => Shape::Ref(lower_schema(
            cx,
            &all_of[0],
            &pointer(&pointer(at, "allOf"), "0"),
            hint,
        )),
        SchemaKind::AllOf { .. } => all_of_shape(cx, schema, at, hint),
        SchemaKind::Any(any) if !any.all_of.is_empty() => all_of_shape(cx, schema, at, hint),
        SchemaKind::OneOf { one_of } => {
            union_shape(cx, schema, one_of, &pointer(at, "oneOf"), hint)
        }
        SchemaKind::AnyOf { any_of } => {
            union_shape(cx, schema, any_of, &pointer(at, "anyOf"), hint)
        }
        SchemaKind::Not { .. } => {
            cx.diags.warning(
                at,
                "`not` is not enforced: the value is typed as any JSON value",
            );
            Shape::Ref(TypeRef::Primitive(Primitive::Json))
        }
        SchemaKind::Any(any)
            if !any.properties.is_empty() || any.typ.as_deref() == Some("object") =>
        {
            let object = ObjectType {
                properties: any.properties.clone(),
                required: any.required.clone(),
                additional_properties: any.additional_properties.clone(),
                min_properties: any.min_properties,
                max_properties: any.max_properties,
            };
            object_shape(cx, &object, at, hint)
        }
        SchemaKind::Any(any)
            if any.one_of.is_empty() && any.any_of.is_empty() && any.all_of.is_empty() =>
        {
            Shape::Ref(TypeRef::Primitive(Primitive::Json))
        }
        SchemaKind::Any(any)
            if any.all_of.is_empty() && any.typ.is_none() && any.one_of.is_empty() =>
        {
            union_shape(cx, schema, &any.any_of, &pointer(at, "anyOf"), hint)
        }
        SchemaKind::Any(any)
            if any.all_of.is_empty() && any.typ.is_none() && any.any_of.is_empty() =>
        {
            union_shape(cx, schema, &any.one_of, &pointer(at, "oneOf"), hint)
        }
        SchemaKind::Any(any) if any.properties.is_empty() && any.one_of.is_empty() => {
            union_shape(cx, schema, &any.any_of, &pointer(at, "anyOf"), hint)
        }
        SchemaKind::Any(any) if any.properties.is_empty() && any.any_of.is_empty() => {
            union_shape(cx, schema, &any.one_of, &pointer(at, "oneOf"), hint)
        }
        SchemaKind::Any(_) => unsupported(cx, at, "a schema combining `oneOf` and `anyOf`"),
    }
}

/// `allOf` (possibly beside the schema's own properties) merged into one type; see
/// [`super::merge`].
fn all_of_shape(cx: &mut Lowerer<'_>, schema: &Schema, at: &str, hint: &str) -> Shape {
    let mut merged = super::merge::Merged::default();
    merged.add_schema(cx, schema, at);
    if merged.is_object() {
        if !merged.others.is_empty() {
            let parts: Vec<&str> = merged.others.iter().map(|(_, at)| at.as_str()).collect();
            cx.diags.warning(
                at,
                format!(
                    "allOf parts that are not objects are not merged: {}",
                    parts.join(", ")
                ),
            );
        }
        // While the merged properties are lowered, the components merged into them are not
        // merged again: a property whose `allOf` names one of them would copy it into
        // itself, level after level.
        let before = cx.merging.len();
        cx.merging.extend(merged.components().cloned());
        let shape = object_shape(cx, &merged.object(), at, hint);
        cx.merging.truncate(before);
        return shape;
    }
    match merged.others.as_slice() {
        [] => Shape::Ref(TypeRef::Primitive(Primitive::Json)),
        [(part, part_at)] => {
            let (part, part_at) = (part.clone(), part_at.clone());
            Shape::Ref(lower_schema(cx, &part, &part_at, hint))
        }
        _ => {
            cx.diags.warning(at, "allOf of several schemas that are not objects cannot be merged: the value is typed as any JSON value");
            Shape::Ref(TypeRef::Primitive(Primitive::Json))
        }
    }
}

/// A schema the generator cannot type precisely: any JSON value, with a warning.
fn unsupported(cx: &mut Lowerer<'_>, at: &str, what: &str) -> Shape {
    cx.diags
        .warning(
            at,
            format!("unsupported schema construct: {what}: the value is typed as any JSON value"),
        )
        .help("combine the alternatives in one `oneOf` (or one `anyOf`)");
    Shape::Ref(TypeRef::Primitive(Primitive::Json))
}

/// The Rust integer for a `format`: `int32` and the sized formats (`int8`…`uint64`) map to
/// their types; `int64`, none, or any other format to `i64`.
fn integer(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Primitive {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Primitive::I32,
        VariantOrUnknownOrEmpty::Unknown(name) => match name.as_str() {
            "int8" => Primitive::I8,
            "int16" => Primitive::I16,
            "int32" => Primitive::I32,
            "uint8" => Primitive::U8,
            "uint16" => Primitive::U16,
            "uint32" => Primitive::U32,
            "uint64" => Primitive::U64,
            _ => Primitive::I64,
        },
        _ => Primitive::I64,
    }
}

fn number(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> Primitive {
    match format {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Primitive::F32,
        _ => Primitive::F64,
    }
}

/// Whether normalization turned a `const` into this one-value `enum`.
fn is_const(schema: &Schema) -> bool {
    schema.schema_data.extensions.contains_key("x-apigen-const")
}

/// A string with `enum` values becomes an open enum (a `const`, a closed one); `null`
/// among the values only makes the type nullable.
fn string_shape(string: &StringType, constant: bool, dates: DateMapping) -> Shape {
    let values: Vec<&String> = string.enumeration.iter().flatten().collect();
    if values.is_empty() {
        let typed = match (&string.format, dates) {
            (VariantOrUnknownOrEmpty::Item(StringFormat::Binary), _) => Some(Primitive::Bytes),
            (VariantOrUnknownOrEmpty::Item(StringFormat::DateTime), DateMapping::Jiff) => {
                Some(Primitive::Timestamp)
            }
            (VariantOrUnknownOrEmpty::Item(StringFormat::Date), DateMapping::Jiff) => {
                Some(Primitive::Date)
            }
            _ => None,
        };
        if let Some(primitive) = typed {
            return Shape::Ref(TypeRef::Primitive(primitive));
        }
    }
    if values.is_empty() {
        return Shape::Ref(TypeRef::Primitive(Primitive::String));
    }
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut seen = std::collections::BTreeSet::new();
    let variants = values
        .into_iter()
        .filter(|value| seen.insert(value.as_str()))
        .map(|value| Variant {
            wire_name: value.clone(),
            rust_name: scope.claim(&camel(value)),
        })
        .collect();
    Shape::Def(TypeKind::Enum(Enum {
        variants,
        open: !constant,
    }))
}

fn array_shape(cx: &mut Lowerer<'_>, array: &ArrayType, at: &str, hint: &str) -> Shape {
    let item = match &array.items {
        Some(items) => lower_boxed(cx, items, &pointer(at, "items"), &format!("{hint}Item")),
        None => TypeRef::Primitive(Primitive::Json),
    };
    Shape::Ref(TypeRef::Array(Box::new(item)))
}

pub(super) fn lower_boxed(
    cx: &mut Lowerer<'_>,
    schema: &ReferenceOr<Box<Schema>>,
    at: &str,
    hint: &str,
) -> TypeRef {
    match schema {
        ReferenceOr::Reference { reference } => resolve_ref(cx, reference, at),
        ReferenceOr::Item(schema) => lower_nested(cx, schema, at, hint),
    }
}

fn object_shape(cx: &mut Lowerer<'_>, object: &ObjectType, at: &str, hint: &str) -> Shape {
    let additional = additional_type(cx, object.additional_properties.as_ref(), at, hint);
    if object.properties.is_empty() {
        return match additional {
            Additional::Typed(ty) => Shape::Ref(TypeRef::Map(Box::new(ty))),
            Additional::Any => {
                Shape::Ref(TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::Json))))
            }
            Additional::Closed => Shape::Def(TypeKind::Struct(Struct {
                fields: Vec::new(),
                additional: None,
            })),
        };
    }
    let mut scope = Scope::default();
    let properties = pointer(at, "properties");
    let fields = object
        .properties
        .iter()
        .map(|(wire, schema)| {
            let field_at = pointer(&properties, wire);
            let ty = lower_boxed(cx, schema, &field_at, &format!("{hint}{}", camel(wire)));
            let (docs, access) = match schema {
                ReferenceOr::Item(schema) => (
                    schema_docs(&schema.schema_data, wire),
                    access(&schema.schema_data),
                ),
                ReferenceOr::Reference { .. } => (Docs::default(), Access::ReadWrite),
            };
            Field {
                wire_name: wire.clone(),
                rust_name: scope.claim(&snake(wire)),
                ty,
                required: object.required.contains(wire) && access == Access::ReadWrite,
                access,
                docs,
            }
        })
        .collect();
    let additional = match additional {
        Additional::Typed(ty) => Some(ty),
        Additional::Any | Additional::Closed => None,
    };
    Shape::Def(TypeKind::Struct(Struct { fields, additional }))
}

/// `readOnly` and `writeOnly`; a schema marked both is treated as neither.
fn access(data: &openapiv3::SchemaData) -> Access {
    match (data.read_only, data.write_only) {
        (true, false) => Access::ReadOnly,
        (false, true) => Access::WriteOnly,
        _ => Access::ReadWrite,
    }
}

enum Additional {
    /// Absent or `true`: extra properties of any type are allowed (and ignored).
    Any,
    /// `false`: no extra properties.
    Closed,
    /// A schema: extra properties of this type.
    Typed(TypeRef),
}

fn additional_type(
    cx: &mut Lowerer<'_>,
    additional: Option<&AdditionalProperties>,
    at: &str,
    hint: &str,
) -> Additional {
    match additional {
        None | Some(AdditionalProperties::Any(true)) => Additional::Any,
        Some(AdditionalProperties::Any(false)) => Additional::Closed,
        Some(AdditionalProperties::Schema(schema)) => {
            let at = pointer(at, "additionalProperties");
            Additional::Typed(lower_schema(cx, schema, &at, &format!("{hint}Value")))
        }
    }
}

/// `oneOf`/`anyOf` into a union. With a `discriminator` it is tagged: each variant is
/// selected by the values that the mapping, the variant's `const` tag property, or (as
/// OpenAPI's implicit mapping) its component name give it.
fn union_shape(
    cx: &mut Lowerer<'_>,
    schema: &Schema,
    branches: &[ReferenceOr<Schema>],
    at: &str,
    hint: &str,
) -> Shape {
    let discriminator = schema.schema_data.discriminator.as_ref();
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut variants = Vec::new();
    let mut claimed = std::collections::BTreeSet::new();
    for (i, branch) in branches.iter().enumerate() {
        let mut tag_values = discriminator.map_or_else(Vec::new, |d| tag_values(cx, d, branch));
        let before = tag_values.len();
        tag_values.retain(|value| claimed.insert(value.clone()));
        if tag_values.len() < before {
            cx.diags.warning(
                pointer(at, &i.to_string()),
                "a discriminator value also selects an earlier variant; the earlier one keeps it",
            );
        }
        let name = variant_name(cx, branch, &tag_values);
        let branch_at = pointer(at, &i.to_string());
        let ty = lower_schema(cx, branch, &branch_at, &format!("{hint}{name}"));
        variants.push(UnionVariant {
            rust_name: scope.claim(&name),
            ty,
            tag_values,
        });
    }
    let default_variant = discriminator.and_then(|d| {
        let at = pointer(&pointer(&parent_of(at), "discriminator"), "defaultMapping");
        default_variant(cx, d, branches, &mut variants, &mut scope, &at, hint)
    });
    if let Some(d) = discriminator {
        report_untagged_variants(cx, &variants, default_variant, &d.property_name, at);
    }
    Shape::Def(TypeKind::Union(Union {
        tag: discriminator.map(|d| d.property_name.clone()),
        variants,
        default_variant,
    }))
}

/// `#/a/oneOf` → `#/a`.
fn parent_of(at: &str) -> String {
    at.rsplit_once('/')
        .map_or(at, |(parent, _)| parent)
        .to_owned()
}

/// The variant OpenAPI 3.2's `discriminator.defaultMapping` names (kept by normalization as
/// `x-apigen-defaultMapping`): a branch it names by reference or component name, else a new
/// variant for the schema it refers to.
fn default_variant(
    cx: &mut Lowerer<'_>,
    d: &Discriminator,
    branches: &[ReferenceOr<Schema>],
    variants: &mut Vec<UnionVariant>,
    scope: &mut Scope,
    at: &str,
    hint: &str,
) -> Option<usize> {
    let target = d.extensions.get("x-apigen-defaultMapping")?.as_str()?;
    let reference = match target.starts_with('#') {
        true => target.to_owned(),
        false => pointer("#/components/schemas", target),
    };
    let named = branches.iter().position(|branch| match branch {
        ReferenceOr::Reference { reference: r } => *r == reference,
        ReferenceOr::Item(_) => false,
    });
    if named.is_some() {
        return named;
    }
    let schema = ReferenceOr::Reference {
        reference: reference.clone(),
    };
    let name = variant_name(cx, &schema, &[]);
    let ty = lower_schema(cx, &schema, at, &format!("{hint}{name}"));
    variants.push(UnionVariant {
        rust_name: scope.claim(&name),
        ty,
        tag_values: Vec::new(),
    });
    Some(variants.len() - 1)
}

/// Warns of each variant no tag value selects (but the default one, which any selects).
fn report_untagged_variants(
    cx: &mut Lowerer<'_>,
    variants: &[UnionVariant],
    default: Option<usize>,
    tag: &str,
    at: &str,
) {
    for (i, variant) in variants
        .iter()
        .enumerate()
        .filter(|(i, v)| v.tag_values.is_empty() && Some(*i) != default)
    {
        cx.diags.warning(
            pointer(at, &i.to_string()),
            format!(
                "no value of discriminator `{tag}` selects variant `{}`; it is only chosen when the tag is absent",
                variant.rust_name
            ),
        );
    }
}

/// The discriminator values that select `branch`.
fn tag_values(cx: &Lowerer<'_>, d: &Discriminator, branch: &ReferenceOr<Schema>) -> Vec<String> {
    let (reference, inline) = match branch {
        ReferenceOr::Reference { reference } => (Some(reference.as_str()), None),
        ReferenceOr::Item(schema) => (None, Some(schema)),
    };
    let component = reference.and_then(|r| Resolver::component_name(r, Section::Schemas).ok());
    let mapped: Vec<String> = d
        .mapping
        .iter()
        .filter(|(_, target)| {
            Some(target.as_str()) == reference || component.as_deref() == Some(target.as_str())
        })
        .map(|(value, _)| value.clone())
        .collect();
    if !mapped.is_empty() {
        return mapped;
    }
    let schema = inline.or_else(|| Some(cx.resolver.schema_ref(reference?).ok()?.0));
    if let Some(values) = schema.and_then(|s| const_tag(s, &d.property_name)) {
        return values;
    }
    component.map(|c| vec![c]).unwrap_or_default()
}

/// The values of a string `enum`/`const` property `tag` of an object schema.
fn const_tag(schema: &Schema, tag: &str) -> Option<Vec<String>> {
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &object.properties,
        SchemaKind::Any(any) => &any.properties,
        _ => return None,
    };
    let property = properties.get(tag)?.as_item()?;
    match &property.schema_kind {
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            Some(string.enumeration.iter().flatten().cloned().collect())
        }
        _ => None,
    }
}

/// A variant's name: its first tag value, else its component's name, else its shape.
fn variant_name(cx: &Lowerer<'_>, branch: &ReferenceOr<Schema>, tag_values: &[String]) -> String {
    if let Some(value) = tag_values.first() {
        return camel(value);
    }
    match branch {
        ReferenceOr::Reference { reference } => {
            let name = Resolver::component_name(reference, Section::Schemas)
                .unwrap_or_else(|_| crate::resolve::last_segment(reference));
            cx.components
                .get(&name)
                .map_or_else(|| camel(&name), |id| cx.types[id].rust_name.clone())
        }
        ReferenceOr::Item(schema) => camel(shape_word(schema)),
    }
}

fn shape_word(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        _ => "Variant",
    }
}
