//! Cycles among type aliases: Rust refuses `type A = B; type B = A;`, and also
//! `type List = Vec<List>`, so no alias may reach itself through other aliases.
//!
//! Cycles of pure references are found earlier, by the resolver, and reported as errors. What
//! is left here are cycles that only type aliases make, after lowering: an alias whose array
//! items or map values lead back to it (`List: {type: array, items: {$ref: List}}`). Such a
//! cycle is broken where it passes through the container, whose inner value becomes any JSON
//! value, with a warning. A cycle through a struct, enum or union is a recursive type, which
//! the emitter boxes; it is not touched.

use std::collections::{BTreeMap, BTreeSet};

use super::Lowerer;
use crate::model::{Primitive, TypeId, TypeKind, TypeRef};

/// Breaks every cycle of aliases (see the module documentation).
pub(super) fn break_alias_cycles(cx: &mut Lowerer<'_>) {
    // Every break removes an edge, so this ends.
    while let Some(cycle) = find_cycle(&alias_edges(cx)) {
        let next_of = |i: usize| cycle[(i + 1) % cycle.len()];
        let cut = (0..cycle.len()).find(|&i| through_container(cx, cycle[i], next_of(i)));
        let names: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|id| cx.types[id].wire_name.clone())
            .collect();
        match cut {
            Some(i) => cut_edge(cx, cycle[i], next_of(i), &names),
            None => report_pure_cycle(cx, &cycle, &names),
        }
    }
}

/// Alias → the aliases its type mentions, anywhere inside it.
fn alias_edges(cx: &Lowerer<'_>) -> BTreeMap<TypeId, BTreeSet<TypeId>> {
    let is_alias = |id: &TypeId| matches!(cx.types[id].kind, TypeKind::Alias(_));
    cx.types
        .iter()
        .filter_map(|(id, def)| match &def.kind {
            TypeKind::Alias(ty) => {
                let mut named = BTreeSet::new();
                mentioned(ty, &mut named);
                named.retain(is_alias);
                Some((*id, named))
            }
            _ => None,
        })
        .collect()
}

fn mentioned(ty: &TypeRef, into: &mut BTreeSet<TypeId>) {
    match ty {
        TypeRef::Primitive(_) => {}
        TypeRef::Named(id) => {
            into.insert(*id);
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            mentioned(inner, into);
        }
    }
}

/// A cycle of the graph, in edge order, starting at its smallest id. An iterative
/// depth-first search, so that a chain of thousands of aliases needs no deep stack.
fn find_cycle(edges: &BTreeMap<TypeId, BTreeSet<TypeId>>) -> Option<Vec<TypeId>> {
    let mut done = BTreeSet::new();
    for start in edges.keys() {
        if done.contains(start) {
            continue;
        }
        // The way from `start`: each node with the children still to visit.
        let mut path: Vec<(TypeId, Vec<TypeId>)> = Vec::new();
        let children = |id: &TypeId| -> Vec<TypeId> {
            edges
                .get(id)
                .map(|c| c.iter().rev().copied().collect())
                .unwrap_or_default()
        };
        done.insert(*start);
        path.push((*start, children(start)));
        while let Some((_, pending)) = path.last_mut() {
            let Some(next) = pending.pop() else {
                path.pop();
                continue;
            };
            if let Some(at) = path.iter().position(|(n, _)| *n == next) {
                let mut cycle: Vec<TypeId> = path[at..].iter().map(|(n, _)| *n).collect();
                let smallest = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
                cycle.rotate_left(smallest);
                return Some(cycle);
            }
            if done.insert(next) {
                path.push((next, children(&next)));
            }
        }
    }
    None
}

/// Whether `from`'s type mentions `to` inside an array or a map.
fn through_container(cx: &Lowerer<'_>, from: TypeId, to: TypeId) -> bool {
    fn inside(ty: &TypeRef, to: TypeId, in_container: bool) -> bool {
        match ty {
            TypeRef::Primitive(_) => false,
            TypeRef::Named(id) => *id == to && in_container,
            TypeRef::Array(inner) | TypeRef::Map(inner) => inside(inner, to, true),
            TypeRef::Nullable(inner) => inside(inner, to, in_container),
        }
    }
    match &cx.types[&from].kind {
        TypeKind::Alias(ty) => inside(ty, to, false),
        _ => false,
    }
}

/// Makes the values of `from`'s containers that are `to` any JSON value, with a warning.
fn cut_edge(cx: &mut Lowerer<'_>, from: TypeId, to: TypeId, names: &[String]) {
    fn replace(ty: &mut TypeRef, to: TypeId, in_container: bool) {
        match ty {
            TypeRef::Named(id) if *id == to && in_container => {
                *ty = TypeRef::Primitive(Primitive::Json);
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) => replace(inner, to, true),
            TypeRef::Nullable(inner) => replace(inner, to, in_container),
            TypeRef::Primitive(_) | TypeRef::Named(_) => {}
        }
    }
    let def = cx.types.get_mut(&from).expect("an id of the arena"); // invariant: from alias_edges
    if let TypeKind::Alias(ty) = &mut def.kind {
        replace(ty, to, false);
    }
    let pointer = def.pointer.clone();
    let message = format!(
        "`{}` is an array or map of itself through type aliases only ({}), which Rust cannot \
         name: its items are typed as any JSON value",
        names[0],
        names.join(" → ")
    );
    cx.diags.warning(pointer, message);
}

/// A cycle with no container on it: each alias is nothing but the next. Reported, and each
/// member becomes any JSON value.
fn report_pure_cycle(cx: &mut Lowerer<'_>, cycle: &[TypeId], names: &[String]) {
    let pointers: Vec<String> = cycle
        .iter()
        .map(|id| cx.types[id].pointer.clone())
        .collect();
    let message = format!(
        "these schemas are each nothing but the next, so none of them has a type: {} ({})",
        names.join(" → "),
        pointers.join(", ")
    );
    cx.diags
        .error(&pointers[0], message)
        .help("give one schema of the cycle its own definition instead of a `$ref`");
    for id in cycle {
        if let Some(def) = cx.types.get_mut(id) {
            def.kind = TypeKind::Alias(TypeRef::Primitive(Primitive::Json));
        }
    }
}
