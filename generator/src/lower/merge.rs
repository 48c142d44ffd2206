//! `allOf`: the parts of a schema merged into one object type.
//!
//! Object parts (inline, or `$ref`s to object components, or nested `allOf`s) contribute
//! their properties, `required` lists and `additionalProperties`. Parts that only annotate
//! (`description`, `nullable`) contribute nothing. When no part is an object, a single
//! remaining part is the type; several non-object parts cannot be merged and become any
//! JSON value, with a warning. A property defined differently by two parts is reported and
//! the first definition is used. While merged properties are lowered, the components merged
//! into them are not merged again (an `allOf` of one of them is a reference to it), so that a
//! component reached again through its own properties is not copied into itself without end.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ObjectType, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use crate::diagnostics::pointer;
use crate::resolve::{Resolver, Section};

/// The merge of an `allOf`'s parts.
#[derive(Default)]
pub(super) struct Merged {
    /// Properties with the pointer of the part that defined them.
    properties: IndexMap<String, (ReferenceOr<Box<Schema>>, String)>,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
    /// Whether some part is an object schema.
    saw_object: bool,
    /// Parts that are not objects, with their pointers.
    pub(super) others: Vec<(ReferenceOr<Schema>, String)>,
    /// Components already merged (guards against `$ref` cycles).
    visited: BTreeSet<String>,
}

impl Merged {
    /// The components whose parts were merged.
    pub(super) fn components(&self) -> impl Iterator<Item = &String> {
        self.visited.iter()
    }

    /// Whether the parts merged into an object.
    pub(super) fn is_object(&self) -> bool {
        self.saw_object
    }

    /// The merged object.
    pub(super) fn object(&self) -> ObjectType {
        ObjectType {
            properties: self
                .properties
                .iter()
                .map(|(k, (v, _))| (k.clone(), v.clone()))
                .collect(),
            required: self.required.clone(),
            additional_properties: self.additional.clone(),
            min_properties: None,
            max_properties: None,
        }
    }

    /// Adds one part.
    pub(super) fn add(&mut self, cx: &mut Lowerer<'_>, part: &ReferenceOr<Schema>, at: &str) {
        match part {
            ReferenceOr::Reference { reference } => self.add_reference(cx, part, reference, at),
            ReferenceOr::Item(schema) => self.add_schema(cx, schema, at),
        }
    }

    fn add_reference(
        &mut self,
        cx: &mut Lowerer<'_>,
        part: &ReferenceOr<Schema>,
        reference: &str,
        at: &str,
    ) {
        let resolver = cx.resolver;
        let target = resolver.component(reference, Section::Schemas, |c| &c.schemas);
        let merging = |name: &String| cx.merging.contains(name);
        match target {
            Ok((name, schema))
                if !merging(&name) && is_object_like(&resolver, schema, &mut BTreeSet::new()) =>
            {
                if self.visited.insert(name.clone()) {
                    let component_at = pointer("#/components/schemas", &name);
                    self.add(cx, schema, &component_at);
                }
            }
            // Not an object, or dangling (lowering the part reports it).
            _ => self.others.push((part.clone(), at.to_owned())),
        }
    }

    pub(super) fn add_schema(&mut self, cx: &mut Lowerer<'_>, schema: &Schema, at: &str) {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => self.add_object(cx, object, at),
            SchemaKind::AllOf { all_of } => {
                for (i, part) in all_of.iter().enumerate() {
                    self.add(cx, part, &pointer(&pointer(at, "allOf"), &i.to_string()));
                }
            }
            SchemaKind::Any(any) => {
                let combined =
                    !any.one_of.is_empty() || !any.any_of.is_empty() || any.not.is_some();
                let object_ish = !any.properties.is_empty()
                    || any.additional_properties.is_some()
                    || any.typ.as_deref() == Some("object");
                if object_ish && !combined {
                    let object = ObjectType {
                        properties: any.properties.clone(),
                        required: any.required.clone(),
                        additional_properties: any.additional_properties.clone(),
                        min_properties: None,
                        max_properties: None,
                    };
                    self.add_object(cx, &object, at);
                } else if combined || any.typ.is_some() || !any.enumeration.is_empty() {
                    // The schema without its `allOf` (merged below), so that lowering this
                    // part cannot come back here.
                    let mut own = schema.clone();
                    if let SchemaKind::Any(own_any) = &mut own.schema_kind {
                        own_any.all_of.clear();
                    }
                    self.others.push((ReferenceOr::Item(own), at.to_owned()));
                }
                for (i, part) in any.all_of.iter().enumerate() {
                    self.add(cx, part, &pointer(&pointer(at, "allOf"), &i.to_string()));
                }
            }
            _ => self
                .others
                .push((ReferenceOr::Item(schema.clone()), at.to_owned())),
        }
    }

    fn add_object(&mut self, cx: &mut Lowerer<'_>, object: &ObjectType, at: &str) {
        self.saw_object = true;
        for (name, schema) in &object.properties {
            let here = pointer(&pointer(at, "properties"), name);
            match self.properties.get(name) {
                None => {
                    self.properties.insert(name.clone(), (schema.clone(), here));
                }
                Some((first, _)) if same_schema(first, schema) => {}
                Some((_, first_at)) => {
                    cx.diags.warning(
                        here,
                        format!("property `{name}` is also defined, differently, at {first_at}; allOf keeps that first definition"),
                    );
                }
            }
        }
        for name in &object.required {
            if !self.required.contains(name) {
                self.required.push(name.clone());
            }
        }
        if object.additional_properties.is_some() {
            self.additional.clone_from(&object.additional_properties);
        }
    }
}

/// Two property schemas that differ only in annotations are the same property.
fn same_schema(a: &ReferenceOr<Box<Schema>>, b: &ReferenceOr<Box<Schema>>) -> bool {
    match (a, b) {
        (ReferenceOr::Item(a), ReferenceOr::Item(b)) => a.schema_kind == b.schema_kind,
        (a, b) => a == b,
    }
}

/// Whether a component schema is an object (possibly through `allOf` or a `$ref` chain);
/// `seen` holds the components already asked about, so that a cycle answers `false`.
fn is_object_like<'d>(
    resolver: &Resolver<'d>,
    schema: &'d ReferenceOr<Schema>,
    seen: &mut BTreeSet<String>,
) -> bool {
    match schema {
        ReferenceOr::Reference { reference } => {
            match resolver.component(reference, Section::Schemas, |c| &c.schemas) {
                Ok((name, target)) => seen.insert(name) && is_object_like(resolver, target, seen),
                Err(_) => false,
            }
        }
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) => true,
            SchemaKind::AllOf { all_of } => {
                all_of.iter().any(|p| is_object_like(resolver, p, seen))
            }
            SchemaKind::Any(any) => {
                any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && (!any.properties.is_empty()
                        || any.typ.as_deref() == Some("object")
                        || any.all_of.iter().any(|p| is_object_like(resolver, p, seen)))
            }
            _ => false,
        },
    }
}
