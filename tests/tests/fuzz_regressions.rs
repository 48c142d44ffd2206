//! Inputs the fuzz harness (`cargo xtask fuzz`, see FUZZING.md) found, and the limits it
//! checks, run again: each must end in generated code or in an error that names its place,
//! without a panic. `fixtures/fuzz-regressions/` holds the inputs as found (any extension: a
//! finding need not be text); the limits are built here, at sizes the fixtures would not
//! be kept at.

use std::path::{Path, PathBuf};

use apigen::{Error, ManifestMode, Options, Settings};

fn options() -> Options {
    Options {
        settings: Settings::default(),
        spec_label: "fuzz-regression.yaml".to_owned(),
        command: "cargo xtask generate".to_owned(),
        manifest: ManifestMode::Standalone,
        examples: Vec::new(),
    }
}

/// Generates `bytes` and checks the outcome: code, or an error that says where.
fn check(name: &str, bytes: &[u8]) -> Result<(), Error> {
    let result = apigen::generate_bytes(bytes, None, &options());
    match &result {
        Ok(generated) => assert!(!generated.files.is_empty(), "{name}: no files"),
        Err(Error::Syntax(err)) => assert!(
            err.line.is_some() || err.offset.is_some() || err.message.contains("empty"),
            "{name}: a syntax error without a place: {err}"
        ),
        Err(Error::Invalid(diagnostics)) => {
            assert!(!diagnostics.is_empty(), "{name}: refused without a reason");
            for d in diagnostics {
                assert!(d.pointer.contains('#'), "{name}: no pointer: {d}");
            }
        }
        Err(Error::Internal(message)) => {
            panic!("{name}: generated code that does not parse: {message}")
        }
    }
    result.map(|_| ())
}

#[test]
fn every_input_found_by_fuzzing_ends_in_code_or_a_clear_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz-regressions");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/fuzz-regressions")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "md"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    for path in inputs {
        let bytes = std::fs::read(&path).expect("fixture reads");
        let _ = check(&path.display().to_string(), &bytes);
    }
}

/// A spec whose component `Deep` is a schema nested `depth` levels deep, as block YAML.
fn nested_schema(depth: usize, open: &[&str], leaf: &str) -> String {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Deep schemas, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Deep:\n",
    );
    let mut indent = "      ".to_owned();
    for _ in 0..depth {
        for line in open {
            text.push_str(&format!("{indent}{line}\n"));
        }
        indent.push_str(&" ".repeat(2 * open.len().min(2)));
    }
    text.push_str(&format!("{indent}{leaf}\n"));
    text
}

#[test]
fn schemas_nested_past_the_limit_degrade_at_their_place() {
    let shapes: [&[&str]; 3] = [
        &["type: array", "items:"],
        &["type: object", "properties:", "  p:"],
        &["allOf:", "  -"],
    ];
    for open in shapes {
        let text = nested_schema(250, open, "type: string");
        let result = apigen::generate_bytes(text.as_bytes(), None, &options());
        let diagnostics = match result {
            Ok(generated) => generated.warnings,
            Err(err) => panic!("{open:?}: the rest does not generate: {err}"),
        };
        let nesting = diagnostics
            .iter()
            .find(|d| d.message.contains("nest"))
            .unwrap_or_else(|| panic!("{open:?}: no word of the nesting: {diagnostics:?}"));
        assert!(
            nesting.pointer.starts_with("#/components/schemas/Deep/"),
            "{open:?}: {nesting}"
        );
        // What is deeper than the limit is one JSON value, not a refusal of the document.
        assert!(
            nesting.message.contains("any JSON value"),
            "{open:?}: {nesting}"
        );
    }
}

#[test]
fn yaml_deeper_than_the_parser_allows_is_a_syntax_error() {
    let text = nested_schema(600, &["items:"], "type: string");
    let Err(Error::Syntax(err)) = check("600 levels", text.as_bytes()) else {
        panic!("600 levels deep, not a syntax error");
    };
    assert!(err.message.contains("512 levels"), "{err}");
}

#[test]
fn an_alias_bomb_in_a_large_text_stops_at_the_size_of_the_text() {
    let values: Vec<String> = (0..30_000).map(|i| format!("v{i}")).collect();
    let mut levels = vec![format!("l0: &l0 [{}]", ["lol"; 9].join(", "))];
    for k in 1..9 {
        let alias = format!("*l{}", k - 1);
        levels.push(format!("l{k}: &l{k} [{}]", [alias.as_str(); 9].join(", ")));
    }
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: Bomb, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    \
         Big: {{type: string, enum: [{}]}}\n    Bomb:\n      example:\n{}",
        values.join(", "),
        levels
            .iter()
            .map(|l| format!("        {l}\n"))
            .collect::<String>()
    );
    let Err(Error::Syntax(err)) = check("bomb", text.as_bytes()) else {
        panic!("the alias bomb was expanded");
    };
    assert!(err.message.contains("alias bomb"), "{err}");
}

#[test]
fn components_merged_into_themselves_stop_at_the_second_level() {
    // They used to be merged into themselves 128 levels deep, copying themselves at each
    // level (until memory ran out, or they were refused for nesting too deeply).
    let names = [
        "schema-merged-into-its-own-additional-properties.yaml",
        "component-merged-into-its-own-properties.yaml",
        "component-merged-into-its-own-properties-2.yaml",
    ];
    for name in names {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/fuzz-regressions")
            .join(name);
        let bytes = std::fs::read(path).expect("fixture reads");
        let generated = apigen::generate_bytes(&bytes, None, &options())
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        // A copy of a component at each level would make hundreds of types.
        let types = generated.api.types.types.len();
        assert!(types < 100, "{name}: {types} types");
    }
}
