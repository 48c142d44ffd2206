//! What changed in a generated crate's public API between two versions, from their
//! [summaries](crate::summary) (made from the two models), never from the text of the code.
//!
//! Every change names the Rust item and, beside it, what the spec calls it, and is classified
//! for semver: [`Level::Breaking`] when code written against the old crate may stop compiling
//! or stop working, [`Level::Additive`] when it only gains something, [`Level::Patch`] when
//! it changes behaviour or documentation that no caller's code names. The classification reads
//! the shapes the crate has (`#[non_exhaustive]`, which way a type travels): adding a field
//! to a `#[non_exhaustive]` response struct is additive, to a struct callers build with a
//! literal it is breaking. See `docs/decisions/0011-shapes-that-keep-changes-additive.md`.
//!
//! [`Report::bump`] turns a report into the version bump it needs, [`Bump::apply`] into the
//! next version (with Cargo's 0.x convention: breaking bumps the minor number).

use std::fmt;

use crate::summary::Summary;

mod client;
mod operations;
mod types;

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
    client::package(&old.package, &new.package, &mut out);
    client::client(&old.client, &new.client, &mut out);
    operations::operations(&old.operations, &new.operations, &mut out);
    types::types(&old.types, &new.types, &mut out);
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
pub(super) struct Changes {
    pub(super) list: Vec<Change>,
}

impl Changes {
    pub(super) fn push(&mut self, level: Level, item: &str, wire: &str, what: impl Into<String>) {
        self.list.push(Change {
            level,
            item: item.to_owned(),
            wire: wire.to_owned(),
            what: what.into(),
        });
    }
}

/// `` `text` ``.
pub(super) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

pub(super) fn optional(value: Option<&str>) -> String {
    value.map_or_else(|| "none".to_owned(), code)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::operations::operations;
    use super::types::StructShape;
    use super::*;
    use crate::summary::Operation;

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
        let shape = |non_exhaustive, in_requests: bool| StructShape {
            name: "T",
            non_exhaustive,
            in_requests,
            kept_new: in_requests,
            setters: in_requests,
        };
        // A literal breaks; `new` takes a required field; a read-only struct takes anything.
        assert_eq!(shape(false, false).field_added(false).0, Level::Breaking);
        assert_eq!(shape(false, true).field_added(false).0, Level::Breaking);
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
            idempotency_header: None,
        };
        let ops = |method: &str| BTreeMap::from([("GET /a".to_owned(), op(method))]);
        let mut out = Changes::default();
        operations(&ops("get_a"), &ops("fetch_a"), &mut out);
        assert_eq!(out.list.len(), 1);
        assert_eq!(out.list[0].level, Level::Breaking);
        assert_eq!(
            out.list[0].to_string(),
            "`Client::get_a` (`GET /a`): renamed to `Client::fetch_a`, and `requests::GetA` to `requests::FetchA`"
        );
    }
}
