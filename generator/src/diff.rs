//! What changed in a generated crate's public API between two versions, from their
//! [summaries](crate::summary) (made from the two models), never from the text of the code.
//!
//! Every change names the Rust item and, beside it, what the spec calls it, and is classified
//! for semver: [`Level::Breaking`] when code written against the old crate may stop compiling
//! or stop working, [`Level::Additive`] when it only gains something, [`Level::Patch`] when
//! it changes behaviour or documentation that no caller's code names. The classification reads
//! the shapes the crate has (`#[non_exhaustive]`, which way a type travels): adding a field
//! to a `#[non_exhaustive]` response struct is additive, to a struct callers build with a
//! literal it is breaking. See `docs/decisions/0006-shapes-that-keep-changes-additive.md`.
//!
//! [`Report::bump`] turns a report into the version bump it needs, [`Bump::apply`] into the
//! next version (with Cargo's 0.x convention: breaking bumps the minor number).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::summary::{self, Field, Operation, Param, StatusEnum, Summary, Type};

/// How a change affects the crate's users, for semver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Code using the old crate may no longer compile or work as it did: a major version.
    Breaking,
    /// Something new that no existing code can collide with: a minor version.
    Additive,
    /// Behaviour or documentation that no caller's code names: a patch version.
    Patch,
}

impl Level {
    fn heading(self) -> &'static str {
        match self {
            Level::Breaking => "Breaking changes",
            Level::Additive => "Additions",
            Level::Patch => "Other changes",
        }
    }
}

/// One change of the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How it affects users.
    pub level: Level,
    /// The Rust item: `` `Client::list_models` ``, `` `types::ModelV1::name` ``.
    pub item: String,
    /// What the spec or the settings call it: `` `GET /v1/models` ``, `` property `name` ``.
    pub wire: String,
    /// What happened to it, with the reason for its level when that is not obvious.
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.item, self.wire, self.what)
    }
}

/// Every change between two versions, breaking first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, by level, then in the order of the API: client, operations, types.
    pub changes: Vec<Change>,
}

/// A version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// `x.y.Z`: only behaviour or documentation changed.
    Patch,
    /// `x.Y.0`: additions only.
    Minor,
    /// `X.0.0`: something breaks.
    Major,
}

impl Report {
    /// Whether nothing in the API changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes there are of this level.
    pub fn count(&self, level: Level) -> usize {
        self.changes.iter().filter(|c| c.level == level).count()
    }

    /// The bump this report needs; `output_changed` says whether the generated files differ
    /// at all (documentation alone is a patch).
    pub fn bump(&self, output_changed: bool) -> Bump {
        match self.changes.iter().map(|c| c.level).min() {
            Some(Level::Breaking) => Bump::Major,
            Some(Level::Additive) => Bump::Minor,
            Some(Level::Patch) => Bump::Patch,
            None if output_changed => Bump::Patch,
            None => Bump::None,
        }
    }

    /// One line: `3 breaking, 12 additive, 1 other`.
    pub fn counts(&self) -> String {
        format!(
            "{} breaking, {} additive, {} other",
            self.count(Level::Breaking),
            self.count(Level::Additive),
            self.count(Level::Patch)
        )
    }

    /// The report as Markdown sections (`### Breaking changes`, `### Additions`,
    /// `### Other changes`), one list item per change; empty sections are left out.
    pub fn to_markdown(&self) -> String {
        let mut text = String::new();
        for level in [Level::Breaking, Level::Additive, Level::Patch] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.level == level).collect();
            if changes.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!("### {}\n\n", level.heading()));
            for change in changes {
                text.push_str(&format!("- {change}\n"));
            }
        }
        text
    }
}

impl Bump {
    /// The next version after `version` (`MAJOR.MINOR.PATCH`, pre-release and build suffixes
    /// dropped). Before 1.0.0 Cargo treats the first non-zero number as the major one, so
    /// `0.y.z` takes a breaking change as `0.(y+1).0` and anything else as `0.y.(z+1)`, and
    /// `0.0.z` takes every change as `0.0.(z+1)`.
    pub fn apply(self, version: &str) -> Result<String, String> {
        let core = version.split(['-', '+']).next().unwrap_or_default();
        let numbers: Vec<u64> = core
            .split('.')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map_err(|_| format!("`{version}` is not a MAJOR.MINOR.PATCH version"))?;
        let [major, minor, patch] = numbers[..] else {
            return Err(format!("`{version}` is not a MAJOR.MINOR.PATCH version"));
        };
        let next = match (self, major, minor) {
            (Bump::None, ..) => (major, minor, patch),
            (_, 0, 0) => (0, 0, patch + 1),
            (Bump::Major, 0, _) => (0, minor + 1, 0),
            (Bump::Minor | Bump::Patch, 0, _) => (0, minor, patch + 1),
            (Bump::Major, ..) => (major + 1, 0, 0),
            (Bump::Minor, ..) => (major, minor + 1, 0),
            (Bump::Patch, ..) => (major, minor, patch + 1),
        };
        Ok(format!("{}.{}.{}", next.0, next.1, next.2))
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Summary, new: &Summary) -> Report {
    let mut out = Changes::default();
    package(&old.package, &new.package, &mut out);
    client(&old.client, &new.client, &mut out);
    operations(&old.operations, &new.operations, &mut out);
    types(&old.types, &new.types, &mut out);
    let mut changes = out.list;
    // Stable: by level, the order found within a level.
    changes.sort_by_key(|c| c.level);
    Report { changes }
}

/// What changed from the crate generated from `old` to the one generated from `new`.
pub fn diff_models(old: &crate::model::Api, new: &crate::model::Api) -> Report {
    diff(&Summary::of(old), &Summary::of(new))
}

/// The changes found so far.
#[derive(Default)]
struct Changes {
    list: Vec<Change>,
}

impl Changes {
    fn push(&mut self, level: Level, item: &str, wire: &str, what: impl Into<String>) {
        self.list.push(Change {
            level,
            item: item.to_owned(),
            wire: wire.to_owned(),
            what: what.into(),
        });
    }
}

/// `` `text` ``.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn optional(value: Option<&str>) -> String {
    value.map_or_else(|| "none".to_owned(), code)
}

fn package(old: &summary::Package, new: &summary::Package, out: &mut Changes) {
    if old.name != new.name {
        out.push(
            Level::Breaking,
            "the crate",
            "`[package] name`",
            format!(
                "renamed {} → {}: every dependent's `Cargo.toml` and paths name it",
                code(&old.name),
                code(&new.name)
            ),
        );
    }
    if old.description != new.description {
        out.push(
            Level::Patch,
            "the crate",
            "`[package] description`",
            "description changed",
        );
    }
}

fn client(old: &summary::Client, new: &summary::Client, out: &mut Changes) {
    base_url(&old.base_url, &new.base_url, out);
    if old.servers != new.servers && old.base_url == new.base_url {
        out.push(
            Level::Patch,
            "the crate docs",
            "`servers`",
            "the server list changed; the default base URL did not",
        );
    }
    env_var(old.env_var.as_deref(), new.env_var.as_deref(), out);
    if old.default_scheme != new.default_scheme {
        out.push(
            Level::Breaking,
            "`Client::new`",
            "the default auth scheme",
            format!(
                "{} → {}: clients built without `auth_scheme` send the key another way",
                optional(old.default_scheme.as_deref()),
                optional(new.default_scheme.as_deref())
            ),
        );
    }
    schemes(&old.schemes, &new.schemes, out);
    let fields = [
        ("code", &old.error_code_field, &new.error_code_field),
        (
            "message",
            &old.error_message_field,
            &new.error_message_field,
        ),
    ];
    for (what, old_field, new_field) in fields {
        if old_field != new_field {
            out.push(
                Level::Breaking,
                &format!("`ApiError::{what}`"),
                &format!("`[errors] {what}_field`"),
                format!(
                    "read from {} instead of {}",
                    code(new_field),
                    code(old_field)
                ),
            );
        }
    }
}

fn base_url(old: &str, new: &str, out: &mut Changes) {
    let (item, wire) = ("`Client::new`", "the first absolute `servers` URL");
    match (old.is_empty(), new.is_empty()) {
        _ if old == new => {}
        (true, false) => out.push(
            Level::Additive,
            item,
            wire,
            format!("a default base URL, {}", code(new)),
        ),
        (false, true) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("no default base URL any more (was {})", code(old)),
        ),
        _ => out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "default base URL {} → {}: clients built without `base_url` call another server",
                code(old),
                code(new)
            ),
        ),
    }
}

fn env_var(old: Option<&str>, new: Option<&str>, out: &mut Changes) {
    let (item, wire) = ("`Client::from_env`", "`[auth] env_var`");
    match (old, new) {
        (None, Some(new)) => out.push(
            Level::Additive,
            item,
            wire,
            format!("added: reads {}", code(new)),
        ),
        (Some(old), None) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("removed (it read {})", code(old)),
        ),
        (Some(old), Some(new)) if old != new => out.push(
            Level::Breaking,
            item,
            wire,
            format!("reads {} instead of {}", code(new), code(old)),
        ),
        _ => {}
    }
}

fn scheme_text(scheme: &summary::Scheme) -> String {
    let name = scheme.name.as_deref().unwrap_or_default();
    match (scheme.location.as_str(), &scheme.prefix) {
        ("header", Some(prefix)) => code(&format!("{name}: {prefix} <key>")),
        ("header", None) => code(&format!("{name}: <key>")),
        ("basic", _) => "HTTP Basic".to_owned(),
        (location, _) => format!("{location} {}", code(name)),
    }
}

fn schemes(
    old: &BTreeMap<String, summary::Scheme>,
    new: &BTreeMap<String, summary::Scheme>,
    out: &mut Changes,
) {
    let item = "`ClientBuilder::auth_scheme`";
    for (name, scheme) in new.iter().filter(|(n, _)| !old.contains_key(*n)) {
        out.push(
            Level::Additive,
            item,
            &format!("auth scheme {}", code(name)),
            format!("added: sends {}", scheme_text(scheme)),
        );
    }
    for (name, scheme) in old {
        let wire = format!("auth scheme {}", code(name));
        match new.get(name) {
            None => out.push(
                Level::Breaking,
                item,
                &wire,
                format!(
                    "removed (it sent {}): choosing it fails",
                    scheme_text(scheme)
                ),
            ),
            Some(now) if now != scheme => out.push(
                Level::Breaking,
                item,
                &wire,
                format!(
                    "sends {} instead of {}",
                    scheme_text(now),
                    scheme_text(scheme)
                ),
            ),
            Some(_) => {}
        }
    }
}

fn method_item(op: &Operation) -> String {
    code(&format!("Client::{}", op.method.trim_start_matches("r#")))
}

fn builder_item(op: &Operation) -> String {
    code(&format!(
        "requests::{}",
        crate::naming::builder_name(&op.method)
    ))
}

fn operations(
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
                format!("removed, with {}", builder_item(op)),
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
            format!("added, with {}", builder_item(op)),
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
                "renamed to {}, its request builder to {}",
                method_item(new),
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
    pages(
        old.pages.as_deref(),
        new.pages.as_deref(),
        &item,
        &wire,
        out,
    );
    if old.retry != new.retry {
        let what = if new.retry {
            "retried after the request was sent, although not idempotent"
        } else {
            "no longer retried after the request was sent"
        };
        out.push(Level::Patch, &item, &wire, what);
    }
}

fn deprecation(old: bool, new: bool, item: &str, wire: &str, out: &mut Changes) {
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

fn params(old: &Operation, new: &Operation, item: &str, wire: &str, out: &mut Changes) {
    let key = |p: &Param| (p.location.clone(), p.wire.clone());
    let before: BTreeMap<_, &Param> = old.params.iter().map(|p| (key(p), p)).collect();
    let after: BTreeMap<_, &Param> = new.params.iter().map(|p| (key(p), p)).collect();
    let builder = builder_item(new);
    for p in &new.params {
        let Some(was) = before.get(&key(p)) else {
            let (level, what) = if p.required {
                (Level::Breaking, "a new argument of the method".to_owned())
            } else {
                (Level::Additive, format!("a new setter of {builder}"))
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
        param(was, p, item, wire, out);
    }
    for p in old.params.iter().filter(|p| !after.contains_key(&key(p))) {
        let what = if p.required { "argument" } else { "setter" };
        out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "parameter {} ({}) removed: its {what} is gone",
                code(&p.rust),
                param_wire(p)
            ),
        );
    }
}

fn param(old: &Param, new: &Param, item: &str, wire: &str, out: &mut Changes) {
    let name = format!("parameter {} ({})", code(&new.rust), param_wire(new));
    match (old.required, new.required) {
        (false, true) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("{name} made required: a new argument instead of a setter"),
        ),
        (true, false) => out.push(
            Level::Breaking,
            item,
            wire,
            format!("{name} made optional: a setter instead of an argument"),
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
    if old.rust != new.rust {
        // A required parameter's name is only the argument's, which callers never write.
        let level = if old.required && new.required {
            Level::Patch
        } else {
            Level::Breaking
        };
        out.push(
            level,
            item,
            wire,
            format!("{name} was called {}", code(&old.rust)),
        );
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
                "optional request body added ({}): the `body` setter",
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
        old.non_exhaustive,
        new.non_exhaustive,
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

fn pages(old: Option<&str>, new: Option<&str>, item: &str, wire: &str, out: &mut Changes) {
    let stream = item.trim_matches('`');
    match (old, new) {
        (None, Some(new)) => out.push(
            Level::Additive,
            item,
            wire,
            format!(
                "pages: `{stream}(…).into_stream()` yields every {}",
                code(new)
            ),
        ),
        (Some(_), None) => out.push(
            Level::Breaking,
            item,
            wire,
            "no longer pages: `into_stream` is gone",
        ),
        (Some(old), Some(new)) if old != new => out.push(
            Level::Breaking,
            item,
            wire,
            format!(
                "`into_stream` yields {} instead of {}",
                code(new),
                code(old)
            ),
        ),
        _ => {}
    }
}

fn type_item(name: &str) -> String {
    code(&format!("types::{name}"))
}

fn types(old: &BTreeMap<String, Type>, new: &BTreeMap<String, Type>, out: &mut Changes) {
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
        (
            Type::Struct {
                non_exhaustive: was_open,
                fields: old_fields,
                additional: old_additional,
                ..
            },
            Type::Struct {
                non_exhaustive: open,
                fields,
                additional,
                used,
                ..
            },
        ) => {
            non_exhaustive(*was_open, *open, &item, &wire, out);
            let shape = StructShape {
                name,
                non_exhaustive: *open,
                in_requests: matches!(used.as_str(), "request" | "both"),
            };
            struct_fields(&shape, old_fields, fields, out);
            additional_properties(&shape, old_additional, additional, out);
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
            non_exhaustive(*was_open, *open, &item, &wire, out);
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
                tag: old_tag,
                variants: old_variants,
                ..
            },
            Type::Union {
                non_exhaustive: open,
                tag,
                variants,
                ..
            },
        ) => {
            non_exhaustive(*was_open, *open, &item, &wire, out);
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

fn non_exhaustive(old: bool, new: bool, item: &str, wire: &str, out: &mut Changes) {
    match (old, new) {
        (false, true) => out.push(
            Level::Breaking,
            item,
            wire,
            "made `#[non_exhaustive]`: literals, exhaustive `match`es and patterns without `..` outside the crate stop compiling",
        ),
        (true, false) => out.push(
            Level::Additive,
            item,
            wire,
            "no longer `#[non_exhaustive]`",
        ),
        _ => {}
    }
}

/// What decides whether a field added to a struct breaks anyone.
struct StructShape<'a> {
    name: &'a str,
    non_exhaustive: bool,
    /// Callers build values of it: it is in a request, or contained in one.
    in_requests: bool,
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
    fn field_added(&self, required: bool) -> (Level, String) {
        match (self.non_exhaustive, self.in_requests && required) {
            (false, _) => (
                Level::Breaking,
                "struct literals of it must set the new field".to_owned(),
            ),
            (true, true) => (
                Level::Breaking,
                format!("required in {}: callers must set it", self.direction()),
            ),
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

fn struct_fields(shape: &StructShape<'_>, old: &[Field], new: &[Field], out: &mut Changes) {
    for field in new {
        let wire = format!("property {}", code(&field.wire));
        match old.iter().find(|f| f.wire == field.wire) {
            None => {
                let (level, why) = shape.field_added(field.required);
                out.push(
                    level,
                    &field_item(shape, field),
                    &wire,
                    format!("field added, {}: {why}", code(&field.rust_type())),
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
            "field removed",
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
    let (was, now) = (old.rust_type(), new.rust_type());
    if was == now {
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
    out.push(Level::Breaking, &item, &wire, what);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_by_semver_and_cargo_convention_before_1_0() {
        let cases = [
            (Bump::Major, "1.4.2", "2.0.0"),
            (Bump::Minor, "1.4.2", "1.5.0"),
            (Bump::Patch, "1.4.2", "1.4.3"),
            (Bump::Major, "0.4.2", "0.5.0"),
            (Bump::Minor, "0.4.2", "0.4.3"),
            (Bump::Patch, "0.4.2", "0.4.3"),
            (Bump::Major, "0.0.3", "0.0.4"),
            (Bump::None, "0.4.2", "0.4.2"),
            (Bump::Minor, "1.0.0-beta.1", "1.1.0"),
        ];
        for (bump, from, to) in cases {
            assert_eq!(bump.apply(from).as_deref(), Ok(to), "{bump} of {from}");
        }
        assert!(Bump::Patch.apply("1.2").is_err());
        assert!(Bump::Patch.apply("one.two.three").is_err());
    }

    fn change(level: Level) -> Change {
        Change {
            level,
            item: "`x`".to_owned(),
            wire: "`y`".to_owned(),
            what: "z".to_owned(),
        }
    }

    #[test]
    fn the_most_severe_change_decides_the_bump() {
        let report = |levels: &[Level]| Report {
            changes: levels.iter().map(|l| change(*l)).collect(),
        };
        assert_eq!(report(&[]).bump(false), Bump::None);
        assert_eq!(report(&[]).bump(true), Bump::Patch);
        assert_eq!(report(&[Level::Patch]).bump(false), Bump::Patch);
        assert_eq!(
            report(&[Level::Patch, Level::Additive]).bump(true),
            Bump::Minor
        );
        assert_eq!(
            report(&[Level::Additive, Level::Breaking]).bump(true),
            Bump::Major
        );
    }

    #[test]
    fn a_field_added_breaks_literals_and_requests_only() {
        let shape = |non_exhaustive, in_requests| StructShape {
            name: "T",
            non_exhaustive,
            in_requests,
        };
        assert_eq!(shape(false, false).field_added(false).0, Level::Breaking);
        assert_eq!(shape(true, false).field_added(true).0, Level::Additive);
        assert_eq!(shape(true, true).field_added(false).0, Level::Additive);
        assert_eq!(shape(true, true).field_added(true).0, Level::Breaking);
    }

    #[test]
    fn an_operation_keyed_by_method_and_path_with_another_name_is_renamed() {
        let op = |method: &str| Operation {
            method: method.to_owned(),
            deprecated: false,
            params: Vec::new(),
            body: None,
            returns: "()".to_owned(),
            success_enum: None,
            error_enum: None,
            pages: None,
            retry: false,
        };
        let ops = |method: &str| BTreeMap::from([("GET /a".to_owned(), op(method))]);
        let mut out = Changes::default();
        operations(&ops("get_a"), &ops("fetch_a"), &mut out);
        assert_eq!(out.list.len(), 1);
        assert_eq!(out.list[0].level, Level::Breaking);
        assert_eq!(
            out.list[0].to_string(),
            "`Client::get_a` (`GET /a`): renamed to `Client::fetch_a`, its request builder to `requests::FetchA`"
        );
    }
}
