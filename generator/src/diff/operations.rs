//! Changes of the methods of `Client`: added, removed, renamed or moved, and their
//! parameters, bodies, answers and paging.

use std::collections::{BTreeMap, BTreeSet};

use super::types::{Item, non_exhaustive};
use super::{Changes, Level, code};
use crate::summary::{self, Operation, Param, StatusEnum};

fn method_item(op: &Operation) -> String {
    code(&format!("Client::{}", op.method.trim_start_matches("r#")))
}

fn builder_item(op: &Operation) -> String {
    code(&format!(
        "requests::{}",
        crate::naming::builder_name(&op.method)
    ))
}

/// The items of the `requests` module an operation brings: its builder and enums of answers,
/// `` `requests::GetPet` and `requests::GetPetError` ``.
fn with_items(op: &Operation) -> String {
    let mut items = vec![builder_item(op)];
    let enums = op.success_enum.iter().chain(op.error_enum.iter());
    items.extend(enums.map(|e| code(&format!("requests::{}", e.name))));
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

pub(super) fn operations(
    old: &BTreeMap<String, Operation>,
    new: &BTreeMap<String, Operation>,
    out: &mut Changes,
) {
    // An operation whose method and path changed but whose Rust method did not has moved.
    let removed: Vec<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    let added: Vec<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
    let mut moved: BTreeMap<&String, &String> = BTreeMap::new();
    for from in &removed {
        let to = added
            .iter()
            .find(|to| new[**to].method == old[*from].method);
        if let Some(to) = to {
            moved.insert(from, to);
        }
    }
    let arrived: BTreeSet<&String> = moved.values().copied().collect();
    for (key, op) in old {
        match (new.get(key), moved.get(key)) {
            (Some(now), _) => operation(key, op, now, out),
            (None, Some(to)) => {
                out.push(
                    Level::Patch,
                    &method_item(op),
                    &format!("{} → {}", code(key), code(to)),
                    "sends its request to the new method and path",
                );
                operation(to, op, &new[*to], out);
            }
            (None, None) => out.push(
                Level::Breaking,
                &method_item(op),
                &code(key),
                format!("removed, with {}", with_items(op)),
            ),
        }
    }
    for (key, op) in new
        .iter()
        .filter(|(k, _)| !old.contains_key(*k) && !arrived.contains(k))
    {
        out.push(
            Level::Additive,
            &method_item(op),
            &code(key),
            format!("added, with {}", with_items(op)),
        );
    }
}

fn operation(key: &str, old: &Operation, new: &Operation, out: &mut Changes) {
    let (item, wire) = (method_item(new), code(key));
    if old.method != new.method {
        out.push(
            Level::Breaking,
            &method_item(old),
            &wire,
            format!(
                "renamed to {}, and {} to {}",
                method_item(new),
                builder_item(old),
                builder_item(new)
            ),
        );
    }
    deprecation(old.deprecated, new.deprecated, &item, &wire, out);
    params(old, new, &item, &wire, out);
    body(old.body.as_ref(), new.body.as_ref(), &item, &wire, out);
    arguments_order(old, new, &item, &wire, out);
    if old.returns != new.returns {
        out.push(
            Level::Breaking,
            &item,
            &wire,
            format!(
                "returns {} instead of {}",
                code(&new.returns),
                code(&old.returns)
            ),
        );
    }
    if let (Some(old_enum), Some(new_enum)) = (&old.success_enum, &new.success_enum) {
        status_cases(old_enum, new_enum, &wire, out);
    }
    error_enum(old.error_enum.as_ref(), new.error_enum.as_ref(), &wire, out);
    pages((old, new), &item, &wire, out);
    if old.idempotency_header != new.idempotency_header {
        let what = match &new.idempotency_header {
            Some(header) => format!(
                "sends an idempotency key in {} and is retried like an idempotent method",
                code(header)
            ),
            None => "no longer sends an idempotency key".to_owned(),
        };
        out.push(Level::Patch, &item, &wire, what);
    }
    if old.retry != new.retry {
        let what = if new.retry {
            "retried after the request was sent, although not idempotent"
        } else {
            "no longer retried after the request was sent"
        };
        out.push(Level::Patch, &item, &wire, what);
    }
}

pub(super) fn deprecation(old: bool, new: bool, item: &str, wire: &str, out: &mut Changes) {
    match (old, new) {
        (false, true) => out.push(
            Level::Additive,
            item,
            wire,
            "deprecated: its users get a warning",
        ),
        (true, false) => out.push(Level::Patch, item, wire, "no longer deprecated"),
        _ => {}
    }
}

fn param_wire(p: &Param) -> String {
    format!("{} {}", p.location, code(&p.wire))
}

/// `` `requests::ListPets::limit` ``: the setter of an optional parameter.
fn setter_item(op: &Operation, setter: &str) -> String {
    code(&format!(
        "requests::{}::{}",
        crate::naming::builder_name(&op.method),
        setter.trim_start_matches("r#")
    ))
}

fn params(old: &Operation, new: &Operation, item: &str, wire: &str, out: &mut Changes) {
    let key = |p: &Param| (p.location.clone(), p.wire.clone());
    let before: BTreeMap<_, &Param> = old.params.iter().map(|p| (key(p), p)).collect();
    let after: BTreeMap<_, &Param> = new.params.iter().map(|p| (key(p), p)).collect();
    for p in &new.params {
        let Some(was) = before.get(&key(p)) else {
            let (level, what) = if p.required {
                (Level::Breaking, "a new argument of the method".to_owned())
            } else {
                (
                    Level::Additive,
                    format!("a new setter, {}", setter_item(new, &p.rust)),
                )
            };
            out.push(
                level,
                item,
                wire,
                format!(
                    "parameter {} ({}) added: {what}",
                    code(&p.rust),
                    param_wire(p)
                ),
            );
            continue;
        };
        param((old, was), (new, p), item, wire, out);
    }
    for p in old.params.iter().filter(|p| !after.contains_key(&key(p))) {
        let what = if p.required {
            "the method takes one argument fewer".to_owned()
        } else {
            format!("{} is gone", setter_item(old, &p.rust))
        };
        out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "parameter {} ({}) removed: {what}",
                code(&p.rust),
                param_wire(p)
            ),
        );
    }
}

/// A parameter in both versions, with the operation it belongs to in each.
fn param(
    (old_op, old): (&Operation, &Param),
    (new_op, new): (&Operation, &Param),
    item: &str,
    wire: &str,
    out: &mut Changes,
) {
    let name = format!("parameter {} ({})", code(&new.rust), param_wire(new));
    match (old.required, new.required) {
        (false, true) => out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "{name} made required: an argument of the method instead of {}",
                setter_item(old_op, &old.rust)
            ),
        ),
        (true, false) => out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "{name} made optional: {} instead of an argument",
                setter_item(new_op, &new.rust)
            ),
        ),
        _ => {}
    }
    if old.ty != new.ty {
        out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "{name} takes {} instead of {}",
                code(&new.ty),
                code(&old.ty)
            ),
        );
    }
    match (old.rust != new.rust, old.required && new.required) {
        // A required parameter's name is only the argument's, which callers never write.
        (true, true) => out.push(
            Level::Patch,
            item,
            wire,
            format!("{name}: its argument was called {}", code(&old.rust)),
        ),
        (true, false) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("{name}: its setter was {}", setter_item(old_op, &old.rust)),
        ),
        (false, _) => {}
    }
    deprecation(
        old.deprecated,
        new.deprecated,
        item,
        &format!("{wire}, {name}"),
        out,
    );
}

/// The required inputs the method takes as arguments, in order, by parameter key.
fn argument_keys(op: &Operation) -> Vec<String> {
    let mut keys: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("{} {}", p.location, p.wire))
        .collect();
    if op.body.as_ref().is_some_and(|b| b.required) {
        keys.push("body".to_owned());
    }
    keys
}

fn arguments_order(old: &Operation, new: &Operation, item: &str, wire: &str, out: &mut Changes) {
    let (before, after) = (argument_keys(old), argument_keys(new));
    let both = |keys: &[String], other: &[String]| -> Vec<String> {
        keys.iter().filter(|k| other.contains(k)).cloned().collect()
    };
    if both(&before, &after) != both(&after, &before) {
        out.push(
            Level::Breaking,
            item,
            wire,
            "its arguments come in another order",
        );
    }
}

fn body(
    old: Option<&summary::Body>,
    new: Option<&summary::Body>,
    item: &str,
    wire: &str,
    out: &mut Changes,
) {
    match (old, new) {
        (None, Some(new)) if new.required => out.push(
            Level::Breaking,
            item,
            wire,
            format!("request body added ({}): a new argument", code(&new.ty)),
        ),
        (None, Some(new)) => out.push(
            Level::Additive,
            item,
            wire,
            format!(
                "optional request body added ({}): a new setter, `body`",
                code(&new.ty)
            ),
        ),
        (Some(old), None) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("request body removed (was {})", code(&old.ty)),
        ),
        (Some(old), Some(new)) => body_changed(old, new, item, wire, out),
        (None, None) => {}
    }
}

fn body_changed(
    old: &summary::Body,
    new: &summary::Body,
    item: &str,
    wire: &str,
    out: &mut Changes,
) {
    if old.ty != new.ty {
        out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "request body is {} instead of {}",
                code(&new.ty),
                code(&old.ty)
            ),
        );
    }
    match (old.required, new.required) {
        (false, true) => out.push(
            Level::Breaking,
            item,
            wire,
            "request body made required: an argument instead of the `body` setter",
        ),
        (true, false) => out.push(
            Level::Breaking,
            item,
            wire,
            "request body made optional: the `body` setter instead of an argument",
        ),
        _ => {}
    }
    if old.media != new.media {
        out.push(
            Level::Patch,
            item,
            wire,
            format!(
                "request body sent as {} instead of {}",
                code(&new.media),
                code(&old.media)
            ),
        );
    }
}

fn error_enum(old: Option<&StatusEnum>, new: Option<&StatusEnum>, wire: &str, out: &mut Changes) {
    match (old, new) {
        (None, Some(new)) => out.push(
            Level::Additive,
            &code(&format!("requests::{}", new.name)),
            wire,
            "added: `Error::typed` decodes the declared error answers into it",
        ),
        (Some(old), None) => out.push(
            Level::Breaking,
            &code(&format!("requests::{}", old.name)),
            wire,
            "removed: no error answer with a JSON body is declared any more",
        ),
        (Some(old), Some(new)) if old.name != new.name => out.push(
            Level::Breaking,
            &code(&format!("requests::{}", old.name)),
            wire,
            format!("renamed to {}", code(&format!("requests::{}", new.name))),
        ),
        (Some(old), Some(new)) => status_cases(old, new, wire, out),
        (None, None) => {}
    }
}

/// The variants of an enum of answers by status, by status.
fn status_cases(old: &StatusEnum, new: &StatusEnum, wire: &str, out: &mut Changes) {
    let item = |case: &summary::Case| code(&format!("requests::{}::{}", new.name, case.rust));
    let case_wire = |case: &summary::Case| format!("{wire}, status `{}`", case.status);
    non_exhaustive(
        (old.non_exhaustive, new.non_exhaustive),
        Item::Enum,
        &code(&format!("requests::{}", new.name)),
        wire,
        out,
    );
    for case in &new.cases {
        match old.cases.iter().find(|c| c.status == case.status) {
            None if new.non_exhaustive => out.push(
                Level::Additive,
                &item(case),
                &case_wire(case),
                "variant added (the enum is `#[non_exhaustive]`)",
            ),
            None => out.push(
                Level::Breaking,
                &item(case),
                &case_wire(case),
                "variant added: exhaustive `match`es must handle it",
            ),
            Some(was) if was.ty != case.ty || was.rust != case.rust => out.push(
                Level::Breaking,
                &item(case),
                &case_wire(case),
                format!(
                    "was {}({})",
                    code(&was.rust),
                    was.ty.as_deref().unwrap_or("no body")
                ),
            ),
            Some(_) => {}
        }
    }
    for case in old
        .cases
        .iter()
        .filter(|c| !new.cases.iter().any(|n| n.status == c.status))
    {
        out.push(
            Level::Breaking,
            &code(&format!("requests::{}::{}", old.name, case.rust)),
            &case_wire(case),
            "variant removed",
        );
    }
}

/// `pages()` and `into_stream()` of a paged operation's request builder.
fn pages(op: (&Operation, &Operation), item: &str, wire: &str, out: &mut Changes) {
    let methods = |op: &Operation| {
        let builder = crate::naming::builder_name(&op.method);
        format!(
            "{} and {}",
            code(&format!("requests::{builder}::pages")),
            code(&format!("requests::{builder}::into_stream"))
        )
    };
    match (op.0.pages.as_deref(), op.1.pages.as_deref()) {
        (None, Some(new)) => out.push(
            Level::Additive,
            item,
            wire,
            format!("pages: {} yield every {}", methods(op.1), code(new)),
        ),
        (Some(_), None) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("no longer pages: {} are gone", methods(op.0)),
        ),
        (Some(old), Some(new)) if old != new => out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "{} yield {} instead of {}",
                methods(op.1),
                code(new),
                code(old)
            ),
        ),
        _ => {}
    }
}
