//! Tidy checks over the repository's tracked files: nothing but documentation names a path
//! outside the repository root, so that a clone with nothing beside it builds and tests.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository root")
}

/// Every tracked file, relative to the root, `/`-separated.
fn tracked_files(root: &Path) -> Vec<String> {
    let output = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .expect("git ls-files runs in the repository");
    assert!(output.status.success(), "git ls-files failed");
    output
        .stdout
        .split(|byte| *byte == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect()
}

/// Documents copied in from elsewhere, whose text is data: what they say of paths is theirs.
fn is_copied_document(path: &str) -> bool {
    path.starts_with("tests/corpus/")
        || path.starts_with("spec/history/")
        || path.starts_with("spec/source/")
        || path == "spec/openapi.yaml"
}

/// The directory of specs that sits beside a working copy but not beside a clone (spelled in
/// two halves so that this file does not name it).
const BESIDE: &str = concat!("shared", "/specs");

/// A line holding this marker names paths of something else (a spec's side files, say).
const NOT_A_REPOSITORY_PATH: &str = "tidy: not a repository path";

/// How many directories below the root relative paths in the file at `path` start: Rust
/// code and manifests name files from their package's directory (`CARGO_MANIFEST_DIR`), so
/// the depth of the nearest directory with a `Cargo.toml`; other files, and the lines of Rust
/// that include files (`include_str!`, `#[path]`), from the file's own directory.
fn base_depth(root: &Path, path: &str) -> Depths {
    let file = path.matches('/').count();
    if !(path.ends_with(".rs") || path.ends_with(".toml")) {
        return Depths {
            file,
            package: file,
        };
    }
    let mut dir = Path::new(path).parent();
    while let Some(d) = dir {
        if root.join(d).join("Cargo.toml").is_file() {
            let package = d.components().count();
            return Depths { file, package };
        }
        dir = d.parent();
    }
    Depths { file, package: 0 }
}

/// Where relative paths in one file start: see [`base_depth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Depths {
    file: usize,
    package: usize,
}

impl Depths {
    fn of_line(self, line: &str) -> usize {
        let includes = ["include_str!", "include_bytes!", "#[path"];
        match includes.iter().any(|include| line.contains(include)) {
            true => self.file,
            false => self.package,
        }
    }
}

/// The places in `text` that name a path outside the root, for a file whose relative paths
/// start at `depths` below the root: a path whose `..` steps climb above the root, or a name
/// of the directory that sits beside a working copy.
fn outside_paths(path: &str, depths: Depths, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.contains(NOT_A_REPOSITORY_PATH) {
            continue;
        }
        let depth = depths.of_line(line);
        if line.contains(BESIDE) {
            found.push(format!("{path}:{}: names {BESIDE}", number + 1));
        }
        let bytes = line.as_bytes();
        let mut start = 0;
        while let Some(offset) = line[start..].find("../") {
            let at = start + offset;
            let mut end = at;
            let mut steps = 0;
            while line[end..].starts_with("../") {
                steps += 1;
                end += 3;
            }
            // A run of `../` that begins a path (not `a/../b`, not `.../`) climbs from the
            // file's own directory.
            let is_path_char = |b: u8| b.is_ascii_alphanumeric() || b"._/-".contains(&b);
            let mut begin = at;
            if begin > 0
                && bytes[begin - 1] == b'/'
                && (begin == 1 || !is_path_char(bytes[begin - 2]))
            {
                begin -= 1; // `"/../x"`, joined to a directory
            }
            let begins_path = begin == 0 || !is_path_char(bytes[begin - 1]);
            if begins_path && steps > depth {
                let shown = line[at..].split(['"', '\'', ' ', ')', '`']).next();
                found.push(format!(
                    "{path}:{}: `{}` climbs {steps} levels from a file {depth} below the root",
                    number + 1,
                    shown.unwrap_or_default()
                ));
            }
            start = end;
        }
    }
    found
}

#[test]
fn no_tracked_file_but_documentation_names_a_path_outside_the_repository() {
    let root = root();
    let mut found = Vec::new();
    for path in tracked_files(&root) {
        if path.ends_with(".md") || is_copied_document(&path) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&path)) else {
            continue; // not text
        };
        found.extend(outside_paths(&path, base_depth(&root, &path), &text));
    }
    assert!(
        found.is_empty(),
        "these files name paths outside the repository, which a clone does not have:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_check_finds_what_it_is_for() {
    let shared = format!("let dir = \"../{BESIDE}/corpus\";");
    let in_src = Depths {
        file: 2,
        package: 1,
    };
    assert_eq!(
        outside_paths("xtask/src/corpus.rs", in_src, &shared).len(),
        1
    );
    // tidy: not a repository path (the next line)
    let manifest_relative = concat!(
        "concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/..",
        "/../elsewhere/x.json\")"
    );
    assert_eq!(
        outside_paths("generator/src/a.rs", in_src, manifest_relative).len(),
        1
    );
    let inside = "concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../spec/openapi.yaml\")";
    assert!(outside_paths("generator/src/a.rs", in_src, inside).is_empty());
    let include = "include_str!(\"../../README.md\")";
    assert!(outside_paths("generator/src/a.rs", in_src, include).is_empty());
    let top = Depths {
        file: 0,
        package: 0,
    };
    assert_eq!(outside_paths("a.rs", top, "let p = \"../b.rs\";").len(), 1);
    let yaml = Depths {
        file: 2,
        package: 2,
    };
    assert!(outside_paths("x/y/a.yaml", yaml, "$ref: '../common.yaml#/x'").is_empty());
    assert!(outside_paths("x/a.rs", in_src, "a/../../../b").is_empty());
    let marked = format!(
        "(\"..{0}\", \"..{0}\"), // {NOT_A_REPOSITORY_PATH}",
        "/../x.yaml"
    );
    assert!(outside_paths("x/a.rs", in_src, &marked).is_empty());
    let root = root();
    let tidy = base_depth(&root, "tests/tests/tidy.rs");
    assert_eq!(
        tidy,
        Depths {
            file: 2,
            package: 1
        }
    );
    let side_file = base_depth(&root, "tests/fixtures/multi-file/paths/a.yaml");
    assert_eq!(
        side_file,
        Depths {
            file: 4,
            package: 4
        }
    );
}
