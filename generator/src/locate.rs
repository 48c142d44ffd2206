//! Line and column of a JSON pointer in the spec text, so that a diagnostic says where to look
//! in the file as well as where in the document.
//!
//! The text is read once more, as a stream of YAML events with their positions (JSON is YAML
//! too), only when a run fails; the walk keeps the pointer of the current node and records the
//! position of each pointer asked for. A mapping entry is located at its key, a list item at
//! its first character. A pointer that names something normalization made (an `allOf` around
//! a `$ref` with siblings, say) is located at the nearest ancestor the text has. Pointers into
//! other files (`common.yaml#/…`) and into aliased content are left without a location.

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::granit_parser::{Event, Parser, Span};

use crate::diagnostics::{Diagnostic, Location, pointer};

/// Sets the location of every diagnostic whose pointer (or an ancestor of it, other than the
/// root) the text has.
pub fn annotate(diagnostics: &mut [Diagnostic], text: &str) {
    let mut wanted = BTreeSet::new();
    for diagnostic in diagnostics.iter() {
        wanted.extend(ancestors(&diagnostic.pointer));
    }
    if wanted.is_empty() {
        return;
    }
    let found = locate(text, &wanted);
    for diagnostic in diagnostics.iter_mut() {
        diagnostic.location = ancestors(&diagnostic.pointer)
            .into_iter()
            .find_map(|p| found.get(&p).copied());
    }
}

/// `#/a/b/c`, `#/a/b`, `#/a`: the pointer and its ancestors below the root, nearest first; none
/// for a pointer into another file.
fn ancestors(pointer: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current = pointer;
    while current.starts_with("#/") {
        found.push(current.to_owned());
        current = current.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
    found
}

/// The positions of the `wanted` pointers that the text has.
pub fn locate(text: &str, wanted: &BTreeSet<String>) -> BTreeMap<String, Location> {
    let mut walker = Walker {
        wanted,
        found: BTreeMap::new(),
        path: vec!["#".to_owned()],
        frames: Vec::new(),
    };
    for event in Parser::new_from_str(text) {
        // The text parsed before; if this reader disagrees, keep what was found so far.
        let Ok((event, span)) = event else { break };
        walker.event(&event, &span);
    }
    walker.found
}

/// Where the walk is inside a collection.
enum Frame {
    /// In a mapping: the key of the entry being read, once read.
    Map { key: Option<String> },
    /// In a sequence: the index of the next item.
    Seq { next: usize },
    /// Inside a key that is itself a collection, this many levels deep: skipped.
    SkipKey { depth: usize },
}

struct Walker<'w> {
    wanted: &'w BTreeSet<String>,
    found: BTreeMap<String, Location>,
    /// The pointer of each open collection, the root's first.
    path: Vec<String>,
    frames: Vec<Frame>,
}

impl Walker<'_> {
    fn event(&mut self, event: &Event<'_>, span: &Span) {
        match event {
            Event::Scalar(text, ..) => self.node(Some(text), false, span),
            Event::Alias(_) => self.node(None, false, span),
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(event, Event::MappingStart(..));
                self.node(None, true, span);
                self.open(is_map);
            }
            Event::MappingEnd | Event::SequenceEnd => self.close(),
            _ => {}
        }
    }

    /// A node starts: a key, or a value at the pointer its frame gives it.
    fn node(&mut self, scalar: Option<&str>, collection: bool, span: &Span) {
        let here = self.path.last().cloned().unwrap_or_default();
        match self.frames.last_mut() {
            None => self.record("#".to_owned(), span),
            Some(Frame::SkipKey { depth }) => *depth += usize::from(collection),
            Some(Frame::Map { key: key @ None }) => match scalar {
                Some(text) => {
                    *key = Some(text.to_owned());
                    self.record(pointer(&here, text), span);
                }
                None if collection => self.frames.push(Frame::SkipKey { depth: 0 }),
                None => *key = Some(String::new()),
            },
            Some(Frame::Map { key: Some(key) }) => {
                let at = pointer(&here, key);
                self.value_done_or_enter(at, collection);
            }
            Some(Frame::Seq { next }) => {
                let at = pointer(&here, &next.to_string());
                self.record(at.clone(), span);
                self.value_done_or_enter(at, collection);
            }
        }
    }

    /// After a scalar value, the frame moves on; a collection value is entered at `at`.
    fn value_done_or_enter(&mut self, at: String, collection: bool) {
        if collection {
            self.path.push(at);
        } else {
            self.advance();
        }
    }

    fn open(&mut self, is_map: bool) {
        if let Some(Frame::SkipKey { .. }) = self.frames.last() {
            return;
        }
        self.frames.push(match is_map {
            true => Frame::Map { key: None },
            false => Frame::Seq { next: 0 },
        });
    }

    fn close(&mut self) {
        if let Some(Frame::SkipKey { depth }) = self.frames.last_mut() {
            if *depth > 0 {
                *depth -= 1;
                return;
            }
            self.frames.pop();
            if let Some(Frame::Map { key }) = self.frames.last_mut() {
                *key = Some(String::new()); // a collection key: its value is not located
            }
            return;
        }
        self.frames.pop();
        if !self.frames.is_empty() {
            self.path.pop();
            self.advance();
        }
    }

    /// The value of the current entry or item is complete.
    fn advance(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Map { key }) => *key = None,
            Some(Frame::Seq { next }) => *next += 1,
            _ => {}
        }
    }

    fn record(&mut self, at: String, span: &Span) {
        if self.wanted.contains(&at) {
            let location = Location {
                line: span.start.line() as u64,
                column: span.start.col() as u64 + 1,
            };
            self.found.entry(at).or_insert(location);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(text: &str, pointers: &[&str]) -> Vec<Option<(u64, u64)>> {
        let wanted: BTreeSet<String> = pointers.iter().map(|p| (*p).to_owned()).collect();
        let found = locate(text, &wanted);
        pointers
            .iter()
            .map(|p| found.get(*p).map(|l| (l.line, l.column)))
            .collect()
    }

    #[test]
    fn block_yaml_entries_are_located_at_their_keys_and_items() {
        let text = "openapi: 3.0.3\npaths:\n  /a~b/c:\n    get:\n      parameters:\n        - name: x\n        - {name: y, in: query}\ncomponents: {}\n";
        let got = positions(
            text,
            &[
                "#/openapi",
                "#/paths/~1a~0b~1c/get",
                "#/paths/~1a~0b~1c/get/parameters/0/name",
                "#/paths/~1a~0b~1c/get/parameters/1",
                "#/paths/~1a~0b~1c/get/parameters/1/in",
                "#/components",
                "#/missing",
            ],
        );
        assert_eq!(
            got,
            [
                Some((1, 1)),
                Some((4, 5)),
                Some((6, 11)),
                Some((7, 11)),
                Some((7, 21)),
                Some((8, 1)),
                None
            ]
        );
    }

    #[test]
    fn json_is_located_too_and_collection_keys_are_skipped() {
        let text = "{\n  \"a\": [1, {\"b\": 2}],\n  \"c\": {\"d\": null}\n}";
        assert_eq!(
            positions(text, &["#/a/1/b", "#/c/d"]),
            [Some((2, 13)), Some((3, 9))]
        );
        let yaml = "? [x, y]\n: {inner: 1}\nafter: 2\n";
        assert_eq!(positions(yaml, &["#/after"]), [Some((3, 1))]);
    }

    #[test]
    fn diagnostics_fall_back_to_the_nearest_ancestor_in_the_text() {
        let text = "components:\n  schemas:\n    S:\n      $ref: x\n";
        let mut diagnostics = vec![
            Diagnostic {
                pointer: "#/components/schemas/S/allOf/0".to_owned(),
                severity: crate::Severity::Error,
                message: "m".to_owned(),
                help: None,
                location: None,
            },
            Diagnostic {
                pointer: "other.yaml#/components".to_owned(),
                severity: crate::Severity::Error,
                message: "m".to_owned(),
                help: None,
                location: None,
            },
        ];
        annotate(&mut diagnostics, text);
        assert_eq!(
            diagnostics[0].location,
            Some(Location { line: 3, column: 5 })
        );
        assert_eq!(diagnostics[1].location, None);
    }
}
