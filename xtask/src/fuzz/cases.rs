//! The inputs of the fuzz run: case `i` of seed `s` is always the same bytes, so that any case
//! can be run again, alone, by its number.
//!
//! A case is one of three kinds, drawn by proptest strategies from a generator seeded with
//! `(seed, index)`:
//! - **raw bytes**: arbitrary bytes, alone or after a line that sends them to the JSON or the
//!   YAML parser;
//! - **text mutations** of a seed spec's file as written (block YAML or JSON): lines dropped,
//!   repeated (duplicate keys) or swapped, indentation changed, bytes flipped or made invalid
//!   UTF-8, the text cut short;
//! - **tree mutations** of a seed spec's parsed tree (see [`super::mutate`]), written out as
//!   JSON or as flow YAML, which can hold what JSON cannot (non-string keys, duplicate keys,
//!   anchors and aliases).

use std::path::Path;

use proptest::prelude::{Rng, RngExt};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

use super::mutate;

/// Seed specs larger than this are left out: a case must run in well under a second.
const MAX_SEED_BYTES: u64 = 40 * 1024;

/// A spec the mutations start from.
#[derive(Debug)]
pub struct Seed {
    /// Its path relative to the workspace root.
    pub name: String,
    /// The file as written.
    pub text: String,
    /// The parsed tree, when it parses.
    pub tree: Option<Value>,
}

/// Where the seed specs are read from: the workspace, or `APIGEN_FUZZ_SEEDS` (a copy of the
/// workspace's `tests/`' parent), so that a long run keeps its seeds while the work tree
/// changes.
pub fn seeds_root() -> std::path::PathBuf {
    std::env::var_os("APIGEN_FUZZ_SEEDS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(crate::codegen::workspace_root)
}

/// The seed specs: the fixtures, the invalid fixtures and the small specs of the public
/// corpus, sorted by path so that case numbers mean the same inputs on every machine with
/// the same files.
pub fn load_seeds(root: &Path) -> Vec<Seed> {
    let dirs = [
        "tests/fixtures",
        "tests/fixtures/invalid",
        "tests/fixtures/multi-file",
        "tests/corpus",
    ];
    let mut seeds = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            let is_spec = path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "json" || e == "yml");
            let small = path.metadata().is_ok_and(|m| m.len() <= MAX_SEED_BYTES);
            if !is_spec || !small {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let relative = path.strip_prefix(root).unwrap_or(&path);
            seeds.push(Seed {
                name: relative.to_string_lossy().replace('\\', "/"),
                tree: apigen::load::parse(&text).ok(),
                text,
            });
        }
    }
    seeds.sort_by(|a, b| a.name.cmp(&b.name));
    seeds
}

/// One input, and how it was made (for the log and the saved file's name).
#[derive(Debug, Clone)]
pub struct Case {
    /// `raw`, `text` or `tree`, with the seed and the mutations.
    pub label: String,
    /// The bytes given to the generator.
    pub bytes: Vec<u8>,
}

/// The kind of a case.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Raw,
    Text,
    Tree,
}

/// Case `index` of run `seed`.
pub fn case(seeds: &[Seed], seed: u64, index: u64) -> Case {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&index.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let kind = draw(
        &mut runner,
        proptest::prop_oneof![
            1 => proptest::strategy::Just(Kind::Raw),
            3 => proptest::strategy::Just(Kind::Text),
            6 => proptest::strategy::Just(Kind::Tree),
        ],
    );
    let pick = runner.rng().random_range(0..seeds.len().max(1));
    match (kind, seeds.get(pick)) {
        (Kind::Raw, _) | (_, None) => raw_case(&mut runner),
        (Kind::Text, Some(seed)) => text_case(&mut runner, seed),
        (Kind::Tree, Some(seed)) => match &seed.tree {
            Some(tree) => tree_case(&mut runner, seed, tree.clone()),
            None => text_case(&mut runner, seed),
        },
    }
}

/// The current value of a strategy, drawn with the runner's generator.
pub fn draw<S: Strategy>(runner: &mut TestRunner, strategy: S) -> S::Value {
    match strategy.new_tree(runner) {
        Ok(tree) => tree.current(),
        // The strategies here never reject; a rejection would be a bug of this harness.
        Err(reason) => panic!("a fuzz strategy rejected: {reason}"),
    }
}

fn raw_case(runner: &mut TestRunner) -> Case {
    let bytes = draw(
        runner,
        proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
    );
    let prefix: &[u8] = match runner.rng().random_range(0..4) {
        0 => b"{",
        1 => b"openapi: 3.0.3\n",
        2 => b"openapi: 3.1.0\ninfo: {title: t, version: v}\npaths:\n  /x:\n    get:\n      ",
        _ => b"",
    };
    let mut all = prefix.to_vec();
    all.extend(bytes);
    Case {
        label: "raw".to_owned(),
        bytes: all,
    }
}

/// The mutations of a seed's text.
#[derive(Debug, Clone, Copy)]
enum TextEdit {
    DropLine,
    RepeatLine,
    SwapLines,
    Indent,
    FlipByte,
    InvalidUtf8,
    Truncate,
    InsertToken,
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    use proptest::strategy::Just;
    proptest::prop_oneof![
        Just(TextEdit::DropLine),
        Just(TextEdit::RepeatLine),
        Just(TextEdit::SwapLines),
        Just(TextEdit::Indent),
        Just(TextEdit::FlipByte),
        Just(TextEdit::InvalidUtf8),
        Just(TextEdit::Truncate),
        Just(TextEdit::InsertToken),
    ]
}

fn text_case(runner: &mut TestRunner, seed: &Seed) -> Case {
    let edits = draw(runner, proptest::collection::vec(text_edit(), 1..6));
    let mut bytes = seed.text.as_bytes().to_vec();
    for edit in &edits {
        apply_text_edit(runner.rng(), &mut bytes, *edit);
    }
    Case {
        label: format!("text {} {edits:?}", seed.name),
        bytes,
    }
}

/// Tokens that mean something to one of the parsers.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "- ",
    "&a ",
    "*a",
    "? ",
    "|",
    ">",
    "!!str ",
    "\t",
    "\"",
    "'",
    "#",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "$ref: '#/components/schemas/X'",
    "<<: *a",
    "\u{FEFF}",
    "\\u0000",
    "1e400",
    "-0",
    "~",
    "null",
    "\u{0}",
];

fn apply_text_edit(rng: &mut TestRng, bytes: &mut Vec<u8>, edit: TextEdit) {
    let lines = line_starts(bytes);
    let line = |rng: &mut TestRng| lines[rng.random_range(0..lines.len())];
    match edit {
        TextEdit::DropLine | TextEdit::RepeatLine => {
            let start = line(rng);
            let end = line_end(bytes, start);
            let text: Vec<u8> = bytes[start..end].to_vec();
            match edit {
                TextEdit::DropLine => {
                    bytes.drain(start..end);
                }
                _ => {
                    let at = line(rng);
                    bytes.splice(at..at, text);
                }
            }
        }
        TextEdit::SwapLines => {
            let (a, b) = (line(rng), line(rng));
            let (first, second) = (a.min(b), a.max(b));
            let first_end = line_end(bytes, first);
            if first_end <= second {
                let second_end = line_end(bytes, second);
                let one = bytes[first..first_end].to_vec();
                let two = bytes[second..second_end].to_vec();
                bytes.splice(second..second_end, one);
                bytes.splice(first..first_end, two);
            }
        }
        TextEdit::Indent => {
            let at = line(rng);
            let spaces = vec![b' '; rng.random_range(1..5)];
            bytes.splice(at..at, spaces);
        }
        TextEdit::FlipByte if !bytes.is_empty() => {
            let at = rng.random_range(0..bytes.len());
            bytes[at] ^= 1 << rng.random_range(0..8);
        }
        TextEdit::InvalidUtf8 => {
            let at = rng.random_range(0..=bytes.len());
            let bad: &[u8] = match rng.random_range(0..4) {
                0 => b"\xFF",
                1 => b"\xC3",
                2 => b"\xED\xA0\x80",
                _ => b"\xF4\x90\x80\x80",
            };
            bytes.splice(at..at, bad.iter().copied());
        }
        TextEdit::Truncate => {
            let at = rng.random_range(0..=bytes.len());
            bytes.truncate(at);
        }
        TextEdit::InsertToken | TextEdit::FlipByte => {
            let at = rng.random_range(0..=bytes.len());
            let token = TOKENS[rng.random_range(0..TOKENS.len())];
            bytes.splice(at..at, token.bytes());
        }
    }
}

/// Offsets at which lines start (always at least `0`).
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1)
            .filter(|i| *i < bytes.len()),
    );
    starts
}

/// The end of the line starting at `start`, its line feed included.
fn line_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| start + i + 1)
}

fn tree_case(runner: &mut TestRunner, seed: &Seed, mut tree: Value) -> Case {
    let count = runner.rng().random_range(1..5);
    let mut applied = Vec::new();
    let mut out = mutate::Output::default();
    for _ in 0..count {
        let mutation = draw(runner, mutate::mutation());
        applied.push(mutation.name());
        mutate::apply(runner.rng(), &mut tree, &mutation, &mut out);
    }
    let yaml = out.needs_yaml() || runner.rng().next_u32() % 2 == 0;
    let bytes = out.render(&tree, yaml);
    Case {
        label: format!(
            "tree {} {} {}",
            seed.name,
            if yaml { "yaml" } else { "json" },
            applied.join(",")
        ),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_is_the_same_every_time_it_is_drawn() {
        let seeds = load_seeds(&seeds_root());
        assert!(seeds.len() > 20, "{} seeds", seeds.len());
        for index in [0, 1, 17, 999] {
            let (a, b) = (case(&seeds, 7, index), case(&seeds, 7, index));
            assert_eq!((a.label, a.bytes), (b.label, b.bytes));
        }
        let kinds: std::collections::BTreeSet<String> = (0..200)
            .map(|i| case(&seeds, 7, i).label)
            .filter_map(|l| l.split(' ').next().map(str::to_owned))
            .collect();
        assert_eq!(kinds.len(), 3, "{kinds:?}");
    }
}
