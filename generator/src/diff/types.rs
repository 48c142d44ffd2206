//! Changes of the items of the `types` module: structs and their fields, enums and their
//! values, unions and their variants, aliases.

use std::collections::BTreeMap;

use super::operations::deprecation;
use super::{Changes, Level, code, optional};
use crate::summary::{self, Field, Type};

fn type_item(name: &str) -> String {
    code(&format!("types::{name}"))
}

pub(super) fn types(old: &BTreeMap<String, Type>, new: &BTreeMap<String, Type>, out: &mut Changes) {
    for (name, ty) in old {
        match new.get(name) {
            None => out.push(
                Level::Breaking,
                &type_item(name),
                &format!("schema {}", code(ty.wire())),
                format!("{} removed", ty.kind()),
            ),
            Some(now) => type_changed(name, ty, now, out),
        }
    }
    for (name, ty) in new.iter().filter(|(n, _)| !old.contains_key(*n)) {
        out.push(
            Level::Additive,
            &type_item(name),
            &format!("schema {}", code(ty.wire())),
            format!("{} added", ty.kind()),
        );
    }
}

fn type_changed(name: &str, old: &Type, new: &Type, out: &mut Changes) {
    let (item, wire) = (type_item(name), format!("schema {}", code(new.wire())));
    deprecation(old.deprecated(), new.deprecated(), &item, &wire, out);
    match (old, new) {
        (Type::Struct { .. }, Type::Struct { .. }) => {
            if let (Some(before), Some(after)) = (StructFacts::of(old), StructFacts::of(new)) {
                struct_changed(name, &wire, (&before, &after), out);
            }
        }
        (
            Type::Enum {
                non_exhaustive: was_open,
                open: was_unknown,
                values: old_values,
                ..
            },
            Type::Enum {
                non_exhaustive: open,
                open: unknown,
                values,
                ..
            },
        ) => {
            non_exhaustive((*was_open, *open), Item::Enum, &item, &wire, out);
            if was_unknown != unknown {
                let what = if *unknown {
                    "gains `Unknown(String)` for values it does not list: exhaustive `match`es must handle it"
                } else {
                    "loses `Unknown(String)`: a value it does not list fails to decode"
                };
                out.push(Level::Breaking, &item, &wire, what);
            }
            enum_values(name, *open, old_values, values, out);
        }
        (
            Type::Union {
                non_exhaustive: was_open,
                serde: old_serde,
                tag: old_tag,
                variants: old_variants,
                ..
            },
            Type::Union {
                non_exhaustive: open,
                serde,
                tag,
                variants,
                ..
            },
        ) => {
            non_exhaustive((*was_open, *open), Item::Enum, &item, &wire, out);
            serde_traits((old_serde.as_deref(), serde.as_deref()), &item, &wire, out);
            if old_tag != tag {
                out.push(
                    Level::Breaking,
                    &item,
                    &wire,
                    format!(
                        "told apart by {} instead of {}",
                        optional(tag.as_deref()),
                        optional(old_tag.as_deref())
                    ),
                );
            }
            union_variants(name, *open, old_variants, variants, out);
        }
        (Type::Alias { ty: old_ty, .. }, Type::Alias { ty, .. }) if old_ty != ty => {
            out.push(
                Level::Breaking,
                &item,
                &wire,
                format!("names {} instead of {}", code(ty), code(old_ty)),
            );
        }
        (Type::Alias { .. }, Type::Alias { .. }) => {}
        _ => out.push(
            Level::Breaking,
            &item,
            &wire,
            format!(
                "was {} {}, is {} {}",
                article(old.kind()),
                old.kind(),
                article(new.kind()),
                new.kind()
            ),
        ),
    }
}

fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// What `#[non_exhaustive]` is put on.
#[derive(Clone, Copy)]
pub(super) enum Item {
    Struct,
    Enum,
}

pub(super) fn non_exhaustive(
    (old, new): (bool, bool),
    kind: Item,
    item: &str,
    wire: &str,
    out: &mut Changes,
) {
    let broken = match kind {
        Item::Struct => "struct literals and patterns without `..` outside the crate",
        Item::Enum => "`match`es without a wildcard arm outside the crate",
    };
    match (old, new) {
        (false, true) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("made `#[non_exhaustive]`: {broken} stop compiling"),
        ),
        (true, false) => out.push(Level::Additive, item, wire, "no longer `#[non_exhaustive]`"),
        _ => {}
    }
}

/// The serde traits a struct or union lost or gained without the `all-serde` feature; each side
/// names the one trait the type has, or none when it has both.
fn serde_traits(
    (old, new): (Option<&str>, Option<&str>),
    item: &str,
    wire: &str,
    out: &mut Changes,
) {
    let carriers = [("Serialize", "answers"), ("Deserialize", "requests")];
    for (trait_name, only_carriers) in carriers {
        let has = |only: Option<&str>| only.is_none_or(|only| only == trait_name);
        match (has(old), has(new)) {
            (true, false) => out.push(
                Level::Breaking,
                item,
                wire,
                format!(
                    "no longer implements `{trait_name}` without the `{}` feature: only {only_carriers} carry it",
                    crate::stability::ALL_SERDE_FEATURE
                ),
            ),
            (false, true) => out.push(
                Level::Additive,
                item,
                wire,
                format!("now implements `{trait_name}`"),
            ),
            _ => {}
        }
    }
}

/// The facts of a struct the summary records.
struct StructFacts<'a> {
    non_exhaustive: bool,
    default: bool,
    new: bool,
    setters: bool,
    serde: Option<&'a str>,
    used: &'a str,
    fields: &'a [Field],
    additional: &'a Option<String>,
}

impl<'a> StructFacts<'a> {
    fn of(ty: &'a Type) -> Option<StructFacts<'a>> {
        let Type::Struct {
            non_exhaustive,
            default,
            new,
            setters,
            serde,
            used,
            fields,
            additional,
            ..
        } = ty
        else {
            return None;
        };
        Some(StructFacts {
            non_exhaustive: *non_exhaustive,
            default: *default,
            new: *new,
            setters: *setters,
            serde: serde.as_deref(),
            used,
            fields,
            additional,
        })
    }

    /// The wire names of the required fields: the arguments of `new`, in order.
    fn arguments(&self) -> Vec<&str> {
        let required = self.fields.iter().filter(|f| f.required);
        required.map(|f| f.wire.as_str()).collect()
    }
}

fn struct_changed(
    name: &str,
    wire: &str,
    (old, new): (&StructFacts<'_>, &StructFacts<'_>),
    out: &mut Changes,
) {
    let item = type_item(name);
    non_exhaustive(
        (old.non_exhaustive, new.non_exhaustive),
        Item::Struct,
        &item,
        wire,
        out,
    );
    serde_traits((old.serde, new.serde), &item, wire, out);
    let constructor = code(&format!("types::{name}::new"));
    let setters = |facts: &StructFacts<'_>| -> String {
        let names: Vec<String> = facts
            .fields
            .iter()
            .flat_map(setter_names)
            .map(|setter| code(&format!("types::{name}::{setter}")))
            .collect();
        format!("has its setters ({})", names.join(", "))
    };
    let gained_or_lost = [
        (old.default, new.default, "implements `Default`".to_owned()),
        (old.new, new.new, format!("has {constructor}")),
        (
            old.setters,
            new.setters,
            if new.setters {
                setters(new)
            } else {
                setters(old)
            },
        ),
    ];
    for (before, after, what) in gained_or_lost {
        match (before, after) {
            (true, false) => out.push(Level::Breaking, &item, wire, format!("no longer {what}")),
            (false, true) => out.push(Level::Additive, &item, wire, format!("now {what}")),
            _ => {}
        }
    }
    let kept_new = old.new && new.new;
    if kept_new && reordered(&old.arguments(), &new.arguments()) {
        out.push(
            Level::Breaking,
            &constructor,
            wire,
            "takes its arguments in another order (the required properties' order)",
        );
    }
    let shape = StructShape {
        name,
        non_exhaustive: new.non_exhaustive,
        in_requests: matches!(new.used, "request" | "both"),
        kept_new,
        setters: old.setters && new.setters,
    };
    struct_fields(&shape, old.fields, new.fields, out);
    additional_properties(&shape, old.additional, new.additional, out);
}

/// What decides whether a field added to a struct breaks anyone.
pub(super) struct StructShape<'a> {
    pub(super) name: &'a str,
    pub(super) non_exhaustive: bool,
    /// Callers build values of it: it is in a request, or contained in one.
    pub(super) in_requests: bool,
    /// `new` in both versions: a required field added is an argument added.
    pub(super) kept_new: bool,
    /// Setters in both versions.
    pub(super) setters: bool,
}

impl StructShape<'_> {
    fn direction(&self) -> &'static str {
        if self.in_requests {
            "a request type"
        } else {
            "a response type"
        }
    }

    /// The level and reason of a field added to this struct.
    pub(super) fn field_added(&self, required: bool) -> (Level, String) {
        let constructor = code(&format!("types::{}::new", self.name));
        match (self.non_exhaustive, required && self.kept_new) {
            (false, true) => (
                Level::Breaking,
                format!("struct literals must set it, and {constructor} takes it"),
            ),
            (false, false) if self.setters && !required => (
                Level::Breaking,
                "struct literals must set it, code using `new` or `Default` need not".to_owned(),
            ),
            (false, false) => (
                Level::Breaking,
                "struct literals of it must set the new field".to_owned(),
            ),
            (true, true) => (Level::Breaking, format!("{constructor} takes it")),
            (true, false) => (
                Level::Additive,
                "the struct is `#[non_exhaustive]`".to_owned(),
            ),
        }
    }
}

fn field_item(shape: &StructShape<'_>, field: &Field) -> String {
    code(&format!(
        "types::{}::{}",
        shape.name,
        field.rust.trim_start_matches("r#")
    ))
}

/// The setters a field has in a struct with setters: none when required or read-only, its
/// name, and `<name>_null` when it may be `null`.
fn setter_names(field: &Field) -> Vec<String> {
    if field.required || field.read_only {
        return Vec::new();
    }
    let bare = field.rust.trim_start_matches("r#");
    let mut names = vec![bare.to_owned()];
    if field.nullable {
        names.push(format!("{bare}_null"));
    }
    names
}

/// What happens to the methods that take a field, `new` and its setters, when it goes from
/// `old` to `new` (either absent) in a struct that keeps them: `; types::T::new takes it; a
/// new setter types::T::x`. Empty when nothing changes.
fn methods_change(shape: &StructShape<'_>, old: Option<&Field>, new: Option<&Field>) -> String {
    let mut text = String::new();
    let constructor = code(&format!("types::{}::new", shape.name));
    if shape.kept_new {
        let takes = |f: Option<&Field>| f.is_some_and(|f| f.required);
        match (takes(old), takes(new)) {
            (false, true) => text.push_str(&format!("; {constructor} takes it")),
            (true, false) => text.push_str(&format!("; {constructor} no longer takes it")),
            _ => {}
        }
    }
    if shape.setters {
        let names = |f: Option<&Field>| f.map(setter_names).unwrap_or_default();
        let (before, after) = (names(old), names(new));
        let setters = |from: &[String], without: &[String]| -> Vec<String> {
            from.iter()
                .filter(|n| !without.contains(n))
                .map(|n| code(&format!("types::{}::{n}", shape.name)))
                .collect()
        };
        match setters(&before, &after).as_slice() {
            [] => {}
            [one] => text.push_str(&format!("; {one} is gone")),
            many => text.push_str(&format!("; {} are gone", many.join(", "))),
        }
        match setters(&after, &before).as_slice() {
            [] => {}
            [one] => text.push_str(&format!("; a new setter, {one}")),
            many => text.push_str(&format!("; new setters, {}", many.join(", "))),
        }
    }
    text
}

fn struct_fields(shape: &StructShape<'_>, old: &[Field], new: &[Field], out: &mut Changes) {
    for field in new {
        let wire = format!("property {}", code(&field.wire));
        match old.iter().find(|f| f.wire == field.wire) {
            None => {
                let (level, why) = shape.field_added(field.required);
                // `new` taking a required field added is in `why` already.
                let methods = methods_change(shape, None, Some(field).filter(|f| !f.required));
                out.push(
                    level,
                    &field_item(shape, field),
                    &wire,
                    format!("field added, {}: {why}{methods}", code(&field.rust_type())),
                );
            }
            Some(was) => field_changed(shape, was, field, out),
        }
    }
    for field in old.iter().filter(|f| !new.iter().any(|n| n.wire == f.wire)) {
        out.push(
            Level::Breaking,
            &field_item(shape, field),
            &format!("property {}", code(&field.wire)),
            format!("field removed{}", methods_change(shape, Some(field), None)),
        );
    }
}

fn field_changed(shape: &StructShape<'_>, old: &Field, new: &Field, out: &mut Changes) {
    let (item, wire) = (
        field_item(shape, new),
        format!("property {}", code(&new.wire)),
    );
    if old.rust != new.rust {
        out.push(
            Level::Breaking,
            &item,
            &wire,
            format!("renamed from {}", code(&old.rust)),
        );
    }
    deprecation(old.deprecated, new.deprecated, &item, &wire, out);
    let methods = methods_change(shape, Some(old), Some(new));
    let (was, now) = (old.rust_type(), new.rust_type());
    if was == now {
        // Only read-only-ness moves a setter without changing the type.
        if !methods.is_empty() {
            let (level, what) = if new.read_only {
                (Level::Breaking, "read-only now")
            } else {
                (Level::Additive, "no longer read-only")
            };
            out.push(level, &item, &wire, format!("{what}{methods}"));
        }
        return;
    }
    let what = if old.ty != new.ty {
        format!("type {} → {}", code(&was), code(&now))
    } else if old.required != new.required {
        presence_change(shape, new.required, &was, &now)
    } else if new.nullable {
        format!("may be `null` now: {} → {}", code(&was), code(&now))
    } else {
        format!("may no longer be `null`: {} → {}", code(&was), code(&now))
    };
    out.push(Level::Breaking, &item, &wire, format!("{what}{methods}"));
}

/// A field made required or optional: its Rust type changes either way; on the wire only
/// one direction of one way of travel breaks.
fn presence_change(shape: &StructShape<'_>, required: bool, was: &str, now: &str) -> String {
    let types = format!("{} → {}", code(was), code(now));
    match (required, shape.in_requests) {
        (true, true) => format!(
            "made required in {}: {types}, callers must set it",
            shape.direction()
        ),
        (true, false) => format!(
            "made required in {}: {types}; old builds still decode it, but code reading the `Option` must change",
            shape.direction()
        ),
        (false, true) => format!(
            "made optional in {}: {types}; old builds still send it, but code setting it must wrap it",
            shape.direction()
        ),
        (false, false) => format!(
            "made optional in {}: {types}, the server may leave it out",
            shape.direction()
        ),
    }
}

fn additional_properties(
    shape: &StructShape<'_>,
    old: &Option<String>,
    new: &Option<String>,
    out: &mut Changes,
) {
    let item = code(&format!("types::{}::additional_properties", shape.name));
    let wire = "`additionalProperties`";
    match (old, new) {
        (None, Some(ty)) => {
            let (level, why) = shape.field_added(false);
            out.push(
                level,
                &item,
                wire,
                format!(
                    "field added, {}: {why}",
                    code(&format!("BTreeMap<String, {ty}>"))
                ),
            );
        }
        (Some(_), None) => out.push(Level::Breaking, &item, wire, "field removed"),
        (Some(was), Some(now)) if was != now => out.push(
            Level::Breaking,
            &item,
            wire,
            format!("values are {} instead of {}", code(now), code(was)),
        ),
        _ => {}
    }
}

fn enum_values(
    name: &str,
    non_exhaustive: bool,
    old: &[summary::Value],
    new: &[summary::Value],
    out: &mut Changes,
) {
    let item = |v: &summary::Value| code(&format!("types::{name}::{}", v.rust));
    let wire = |v: &summary::Value| format!("value {}", code(&format!("{:?}", v.wire)));
    for value in new {
        match old.iter().find(|v| v.wire == value.wire) {
            None if non_exhaustive => out.push(
                Level::Additive,
                &item(value),
                &wire(value),
                "variant added (the enum is `#[non_exhaustive]`); the old crate decoded it as `Unknown`",
            ),
            None => out.push(
                Level::Breaking,
                &item(value),
                &wire(value),
                "variant added: exhaustive `match`es must handle it",
            ),
            Some(was) if was.rust != value.rust => out.push(
                Level::Breaking,
                &item(value),
                &wire(value),
                format!("variant renamed from {}", code(&was.rust)),
            ),
            Some(_) => {}
        }
    }
    for value in old.iter().filter(|v| !new.iter().any(|n| n.wire == v.wire)) {
        out.push(
            Level::Breaking,
            &item(value),
            &wire(value),
            "variant removed",
        );
    }
    let before: Vec<&str> = old.iter().map(|v| v.wire.as_str()).collect();
    let after: Vec<&str> = new.iter().map(|v| v.wire.as_str()).collect();
    if reordered(&before, &after) {
        out.push(
            Level::Patch,
            &code(&format!("types::{name}")),
            "the order of its values",
            "values listed in another order: the derived `Ord` orders them so",
        );
    }
}

/// Whether the items both lists hold come in another order in one of them.
fn reordered(old: &[&str], new: &[&str]) -> bool {
    let common = |from: &[&str], other: &[&str]| -> Vec<String> {
        from.iter()
            .filter(|item| other.contains(item))
            .map(|item| (*item).to_owned())
            .collect()
    };
    common(old, new) != common(new, old)
}

fn union_variants(
    name: &str,
    non_exhaustive: bool,
    old: &[summary::Variant],
    new: &[summary::Variant],
    out: &mut Changes,
) {
    let item = |v: &summary::Variant| code(&format!("types::{name}::{}", v.rust));
    let wire = |v: &summary::Variant| match v.tags.as_slice() {
        [] => format!("a shape {}", code(&v.ty)),
        tags => format!(
            "tag {}",
            tags.iter().map(|t| code(t)).collect::<Vec<_>>().join(", ")
        ),
    };
    for variant in new {
        match old.iter().find(|v| v.rust == variant.rust) {
            None if non_exhaustive => out.push(
                Level::Additive,
                &item(variant),
                &wire(variant),
                format!(
                    "variant added, holding {} (the enum is `#[non_exhaustive]`)",
                    code(&variant.ty)
                ),
            ),
            None => out.push(
                Level::Breaking,
                &item(variant),
                &wire(variant),
                format!(
                    "variant added, holding {}: exhaustive `match`es must handle it",
                    code(&variant.ty)
                ),
            ),
            Some(was) => union_variant_changed(&item(variant), was, variant, out),
        }
    }
    for variant in old.iter().filter(|v| !new.iter().any(|n| n.rust == v.rust)) {
        out.push(
            Level::Breaking,
            &item(variant),
            &wire(variant),
            "variant removed",
        );
    }
    let before: Vec<&str> = old.iter().map(|v| v.rust.as_str()).collect();
    let after: Vec<&str> = new.iter().map(|v| v.rust.as_str()).collect();
    if reordered(&before, &after) {
        out.push(
            Level::Patch,
            &code(&format!("types::{name}")),
            "the order of its shapes",
            "variants listed in another order: a value matching several shapes may decode into another",
        );
    }
}

fn union_variant_changed(
    item: &str,
    old: &summary::Variant,
    new: &summary::Variant,
    out: &mut Changes,
) {
    let wire = "its shape";
    if old.ty != new.ty {
        out.push(
            Level::Breaking,
            item,
            wire,
            format!("holds {} instead of {}", code(&new.ty), code(&old.ty)),
        );
    }
    let lost: Vec<String> = old
        .tags
        .iter()
        .filter(|t| !new.tags.contains(t))
        .map(|t| code(t))
        .collect();
    let gained: Vec<String> = new
        .tags
        .iter()
        .filter(|t| !old.tags.contains(t))
        .map(|t| code(t))
        .collect();
    if !lost.is_empty() {
        out.push(
            Level::Breaking,
            item,
            "its discriminator values",
            format!(
                "no longer selected by {}: such values decode into `Unknown`",
                lost.join(", ")
            ),
        );
    }
    if !gained.is_empty() {
        out.push(
            Level::Additive,
            item,
            "its discriminator values",
            format!("also selected by {}", gained.join(", ")),
        );
    }
}
