//! Which way each named type travels (in requests, in responses, both), and the shape
//! decisions that follow from it: whether a generated type is `#[non_exhaustive]`. The emitter
//! and the API summary ([`crate::summary`]) both read them here, so that the report of what
//! changed judges the crate by the shapes it has. The policy and its trade-offs are recorded in
//! `docs/decisions/0006-shapes-that-keep-changes-additive.md`.

use std::collections::BTreeMap;

use crate::model::{Api, ResponseBody, Success, TypeId, TypeKind, TypeRef, TypeSpace};

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

    fn and(self, other: Usage) -> Usage {
        match (self, other) {
            (Usage::Unused, other) | (other, Usage::Unused) => other,
            (a, b) if a == b => a,
            _ => Usage::Both,
        }
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

/// The usage of every named type: what the operations send and receive, and every type
/// reachable from those through fields, union variants, aliases, arrays and maps.
pub fn usage(api: &Api) -> BTreeMap<TypeId, Usage> {
    let mut found: BTreeMap<TypeId, Usage> = api
        .types
        .types
        .keys()
        .map(|id| (*id, Usage::Unused))
        .collect();
    for op in &api.operations {
        let sent = op
            .parameters
            .iter()
            .map(|p| &p.ty)
            .chain(op.body.iter().map(|b| &b.ty));
        for ty in sent {
            mark(ty, Usage::Request, &api.types, &mut found);
        }
        for ty in received(op) {
            mark(ty, Usage::Response, &api.types, &mut found);
        }
    }
    found
}

/// The types an operation's answers carry.
fn received(op: &crate::model::Operation) -> Vec<&TypeRef> {
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
            ResponseBody::Json(ty) | ResponseBody::EventStream(ty) => Some(ty),
            ResponseBody::Empty | ResponseBody::Text | ResponseBody::Binary => None,
        })
        .collect()
}

fn mark(ty: &TypeRef, way: Usage, space: &TypeSpace, found: &mut BTreeMap<TypeId, Usage>) {
    match ty {
        TypeRef::Primitive(_) => {}
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            mark(inner, way, space, found);
        }
        TypeRef::Named(id) => {
            let before = found.get(id).copied().unwrap_or(Usage::Unused);
            let after = before.and(way);
            if after == before {
                return;
            }
            found.insert(*id, after);
            for inner in children(&space.get(*id).kind) {
                mark(inner, way, space, found);
            }
        }
    }
}

/// The type references a named type holds.
fn children(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(s.additional.iter())
            .collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Whether the struct of this usage is `#[non_exhaustive]`: code outside the crate can then
/// neither build it with a literal nor destructure it without `..`, and a field added to it
/// breaks nobody.
pub fn struct_non_exhaustive(_usage: Usage) -> bool {
    false
}

/// Whether a string enum or union is `#[non_exhaustive]`: a `match` outside the crate then
/// needs a wildcard arm, and a value or variant added to it breaks nobody.
pub fn enum_non_exhaustive(_kind: &TypeKind) -> bool {
    false
}

/// Whether the enums of answers by status (`requests::*Response`, `requests::*Error`) are
/// `#[non_exhaustive]`, so that a status the spec adds breaks nobody.
pub fn status_enums_non_exhaustive() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usages_combine_into_both() {
        assert_eq!(Usage::Unused.and(Usage::Request), Usage::Request);
        assert_eq!(Usage::Response.and(Usage::Response), Usage::Response);
        assert_eq!(Usage::Request.and(Usage::Response), Usage::Both);
        assert_eq!(Usage::Both.and(Usage::Unused), Usage::Both);
    }
}
