//! Loading: spec text (JSON or YAML) into a JSON tree, and the normalized tree into `openapiv3`.

use std::fmt;

use crate::diagnostics::Diagnostic;

/// The spec text could not be parsed; `line` and `column` are 1-based when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// `"JSON"` or `"YAML"`: which parser read the text.
    pub format: &'static str,
    /// 1-based line of the problem, when the parser knows it.
    pub line: Option<u64>,
    /// 1-based column of the problem, when the parser knows it.
    pub column: Option<u64>,
    /// The parser's message.
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(
                f,
                "invalid {} at line {line}, column {column}: {}",
                self.format, self.message
            ),
            _ => write!(f, "invalid {}: {}", self.format, self.message),
        }
    }
}

/// Parses `text` as JSON when it starts with `{`, as YAML otherwise.
///
/// JSON goes through `serde_json` (several times faster than any YAML parser on large
/// specs); YAML through `serde-saphyr`, with YAML 1.2 booleans (so `y` and `n` stay
/// strings) and budgets raised for multi-megabyte specs.
pub fn parse(text: &str) -> Result<serde_json::Value, SyntaxError> {
    if text.trim_start().starts_with('{') {
        parse_json(text)
    } else {
        parse_yaml(text)
    }
}

fn parse_json(text: &str) -> Result<serde_json::Value, SyntaxError> {
    serde_json::from_str(text).map_err(|err| SyntaxError {
        format: "JSON",
        line: Some(err.line() as u64),
        column: Some(err.column() as u64),
        message: strip_position(&err.to_string()),
    })
}

fn parse_yaml(text: &str) -> Result<serde_json::Value, SyntaxError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_nodes: 20_000_000,
            max_events: 40_000_000,
            max_depth: 512,
        },
    };
    let value: serde_json::Value =
        serde_saphyr::from_str_with_options(text, options).map_err(|err| {
            let location = err.location();
            SyntaxError {
                format: "YAML",
                line: location.map(|l| l.line()),
                column: location.map(|l| l.column()),
                message: strip_position(&first_line(&err.to_string())),
            }
        })?;
    if value.is_null() {
        return Err(SyntaxError {
            format: "YAML",
            line: None,
            column: None,
            message: "the document is empty".to_owned(),
        });
    }
    Ok(value)
}

/// Parsers append " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().to_owned()
}

/// Reads a normalized tree into the `openapiv3` model; a shape it rejects is reported at
/// its JSON pointer.
pub fn to_openapi(value: serde_json::Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let pointer = path_to_pointer(err.path());
        Diagnostic {
            pointer,
            severity: crate::diagnostics::Severity::Error,
            message: format!("not a valid OpenAPI document here: {}", err.inner()),
            help: None,
            location: None,
        }
    })
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => crate::diagnostics::pointer(&pointer, &index.to_string()),
            Segment::Map { key } => crate::diagnostics::pointer(&pointer, key),
            Segment::Enum { variant } => crate::diagnostics::pointer(&pointer, variant),
            Segment::Unknown => pointer,
        };
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_give_the_same_tree() {
        let json = parse(r#"{"openapi": "3.1.0", "n": 1, "list": ["y", "n"]}"#);
        let yaml = parse("openapi: 3.1.0\nn: 1\nlist: [y, n]\n");
        assert_eq!(json, yaml);
    }

    #[test]
    fn yaml_1_1_booleans_stay_strings() {
        let value = parse("required: [x, y, n, yes, on, off]\nflag: true\n").expect("valid YAML");
        assert_eq!(value["required"][1], "y");
        assert_eq!(value["required"][3], "yes");
        assert_eq!(value["flag"], true);
    }

    #[test]
    fn numbers_beyond_64_bits_load() {
        let value = parse("minimum: -9223372036854776000\n").expect("valid YAML");
        assert!(value["minimum"].is_number(), "{value}");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let json = parse("{\n  \"a\": [1,\n}").expect_err("bad JSON");
        assert_eq!((json.format, json.line), ("JSON", Some(3)));
        let yaml = parse("a: 1\nb: [1, 2\nc: 3\n").expect_err("bad YAML");
        assert_eq!(yaml.format, "YAML");
        assert!(yaml.line.is_some() && yaml.column.is_some(), "{yaml:?}");
    }

    #[test]
    fn an_empty_document_is_an_error() {
        assert!(parse("").is_err());
        assert!(parse("# only a comment\n").is_err());
    }
}
