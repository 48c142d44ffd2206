//! Which way each named type travels (in requests, in responses, both), and the shape
//! decisions that follow from it: which generated types are `#[non_exhaustive]`, and which get
//! `Default`, a constructor and setters. The emitter and the API summary ([`crate::summary`])
//! both read them here, so that the report of what changed judges the crate by the shapes it
//! has. The policy and its trade-offs are recorded in
//! `docs/decisions/0011-shapes-that-keep-changes-additive.md`.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    Access, Api, ResponseBody, Struct, Success, TypeId, TypeKind, TypeRef, TypeSpace,
};

/// Which way values of a type travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Usage {
    /// No operation refers to it (a component schema nothing uses).
    Unused,
    /// Only in what the client sends: parameters and request bodies.
    Request,
    /// Only in what the server answers: success and error bodies, events.
    Response,
    /// Both ways.
    Both,
}

impl Usage {
    /// Whether callers build values of it.
    pub fn in_requests(self) -> bool {
        matches!(self, Usage::Request | Usage::Both)
    }

    /// The word the API summary uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Usage::Unused => "unused",
            Usage::Request => "request",
            Usage::Response => "response",
            Usage::Both => "both",
        }
    }
}

/// The usage of every named type: what parameters and request bodies hold
/// ([`Api::request_types`]), what the answers hold, and everything those contain.
pub fn usage(api: &Api) -> BTreeMap<TypeId, Usage> {
    let sent = api.request_types();
    let mut received = BTreeSet::new();
    for ty in api.operations.iter().flat_map(received_types) {
        api.types.collect_named(ty, &mut received);
    }
    api.types
        .types
        .keys()
        .map(|id| {
            let usage = match (sent.contains(id), received.contains(id)) {
                (true, true) => Usage::Both,
                (true, false) => Usage::Request,
                (false, true) => Usage::Response,
                (false, false) => Usage::Unused,
            };
            (*id, usage)
        })
        .collect()
}

/// The types an operation's answers carry.
fn received_types(op: &crate::model::Operation) -> Vec<&TypeRef> {
    let mut bodies: Vec<&ResponseBody> = match &op.success {
        Success::One(response) => vec![&response.body],
        Success::ByStatus(cases) => cases.cases.iter().map(|c| &c.body).collect(),
    };
    bodies.extend(
        op.errors
            .iter()
            .flat_map(|e| e.cases.iter().map(|c| &c.body)),
    );
    bodies
        .into_iter()
        .filter_map(|body| match body {
            ResponseBody::Json(ty)
            | ResponseBody::EventStream(ty)
            | ResponseBody::JsonStream { item: ty, .. } => Some(ty),
            ResponseBody::Empty | ResponseBody::Text | ResponseBody::Binary => None,
        })
        .collect()
}

/// What a generated struct has besides its public fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StructShape {
    /// `#[non_exhaustive]`: code outside the crate can neither build it with a literal nor
    /// destructure it without `..`, and a field added to it breaks no literal.
    pub non_exhaustive: bool,
    /// `#[derive(Default)]`.
    pub default: bool,
    /// `new`, taking the required fields in document order.
    pub constructor: bool,
    /// A setter per optional field that is not read-only (two for a nullable one).
    pub setters: bool,
}

/// The shape of a struct of this usage.
///
/// A struct callers build (in a request, or both ways) stays exhaustive, so that struct
/// literals keep working, and gets `new` taking its required fields, or `Default` when it has
/// none (`docs/decisions/0009`), and a setter per optional field. A struct only the server
/// sends (or that nothing uses) is `#[non_exhaustive]` and gets none of these: a property the
/// API adds to it, required or not, then breaks no literal, no constructor's arguments and no
/// `Default`. Code builds one by decoding it (`serde_json::from_value`), as the server does.
pub fn struct_shape(usage: Usage, s: &Struct) -> StructShape {
    let built = usage.in_requests();
    let required = s.fields.iter().any(|f| f.required);
    StructShape {
        non_exhaustive: !built,
        default: built && !required,
        constructor: built && required,
        setters: built,
    }
}

/// Whether an optional field of a struct with setters gets one: read-only fields are the
/// server's to set.
pub fn has_setter(field: &crate::model::Field) -> bool {
    !field.required && field.access != Access::ReadOnly
}

/// The crate feature that gives every struct and union both `Serialize` and `Deserialize`.
pub const ALL_SERDE_FEATURE: &str = "all-serde";

/// Which serde traits a struct or union implements: the ones the way it travels needs
/// (`Serialize` to be sent, `Deserialize` to be received), and the other one only with the
/// [`ALL_SERDE_FEATURE`] feature. A type nothing refers to gets both. `Deserialize` is the
/// most expensive impl a type has to compile, and a request-only type never needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerdeWays {
    /// `Serialize` without the feature.
    pub serialize: bool,
    /// `Deserialize` without the feature.
    pub deserialize: bool,
}

impl SerdeWays {
    /// Both traits, as a type nothing refers to gets.
    pub const BOTH: SerdeWays = SerdeWays {
        serialize: true,
        deserialize: true,
    };

    fn of(usage: Usage) -> SerdeWays {
        SerdeWays {
            serialize: !matches!(usage, Usage::Response),
            deserialize: !matches!(usage, Usage::Request),
        }
    }
}

/// The serde traits of every type: the ways it travels, and the ways of every type that
/// holds it (a response-only struct inside a type nothing refers to, which gets both, needs
/// `Serialize` too).
pub fn serde_ways(
    space: &TypeSpace,
    usage: &BTreeMap<TypeId, Usage>,
) -> BTreeMap<TypeId, SerdeWays> {
    let (mut serialized, mut deserialized) = (BTreeSet::new(), BTreeSet::new());
    for id in space.types.keys() {
        let ways = SerdeWays::of(usage.get(id).copied().unwrap_or(Usage::Unused));
        let named = TypeRef::Named(*id);
        if ways.serialize {
            space.collect_named(&named, &mut serialized);
        }
        if ways.deserialize {
            space.collect_named(&named, &mut deserialized);
        }
    }
    space
        .types
        .keys()
        .map(|id| {
            let ways = SerdeWays {
                serialize: serialized.contains(id),
                deserialize: deserialized.contains(id),
            };
            (*id, ways)
        })
        .collect()
}

/// Whether a string enum or union is `#[non_exhaustive]`: a `match` outside the crate then
/// needs a wildcard arm, and a value or variant added to it breaks nobody. Open enums and
/// unions are (they already take values they do not list, into `Unknown`); a `const`, a
/// closed one-value enum, is not: its value is what it is.
pub fn enum_non_exhaustive(kind: &TypeKind) -> bool {
    match kind {
        TypeKind::Enum(e) => e.open,
        TypeKind::Union(_) => true,
        TypeKind::Struct(_) | TypeKind::Alias(_) => false,
    }
}

/// Whether the enums of answers by status (`requests::*Response`, `requests::*Error`) are
/// `#[non_exhaustive]`, so that a status the spec adds breaks nobody: they are.
pub fn status_enums_non_exhaustive() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Docs, Field, Primitive};

    fn fields(required: &[bool]) -> Struct {
        Struct {
            fields: required
                .iter()
                .enumerate()
                .map(|(i, required)| Field {
                    wire_name: format!("f{i}"),
                    rust_name: format!("f{i}"),
                    ty: TypeRef::Primitive(Primitive::String),
                    required: *required,
                    access: Access::ReadWrite,
                    docs: Docs::default(),
                })
                .collect(),
            additional: None,
        }
    }

    #[test]
    fn structs_callers_build_get_setters_and_the_others_are_non_exhaustive() {
        let sent = struct_shape(Usage::Both, &fields(&[true, false]));
        assert_eq!(
            sent,
            StructShape {
                non_exhaustive: false,
                default: false,
                constructor: true,
                setters: true
            }
        );
        assert!(struct_shape(Usage::Request, &fields(&[false])).default);
        for usage in [Usage::Response, Usage::Unused] {
            let read = struct_shape(usage, &fields(&[true, false]));
            assert!(read.non_exhaustive && !read.constructor && !read.default && !read.setters);
            assert!(!struct_shape(usage, &fields(&[false])).default);
        }
    }
}
