//! Loading: spec bytes into text, the text (JSON or YAML) into a JSON tree, and the check that
//! the tree is an OpenAPI 3.0 or 3.1 document.

use std::fmt;

/// The spec text could not be parsed; `line` and `column` are 1-based when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// `"JSON"` or `"YAML"`: which parser read the text; `"UTF-8"` for bytes that are not
    /// text.
    pub format: &'static str,
    /// 1-based line of the problem, when the parser knows it.
    pub line: Option<u64>,
    /// 1-based column of the problem, when the parser knows it.
    pub column: Option<u64>,
    /// Byte offset of the problem from the start of the file, for bytes that are not UTF-8.
    pub offset: Option<u64>,
    /// The parser's message.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl SyntaxError {
    fn new(format: &'static str, message: String) -> SyntaxError {
        SyntaxError {
            format,
            line: None,
            column: None,
            offset: None,
            message,
            help: None,
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}", self.format)?;
        match (self.line, self.column, self.offset) {
            (Some(line), Some(column), Some(offset)) => {
                write!(f, " at line {line}, column {column} (byte {offset})")?;
            }
            (Some(line), Some(column), None) => write!(f, " at line {line}, column {column}")?,
            (_, _, Some(offset)) => write!(f, " at byte {offset}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)?;
        match &self.help {
            Some(help) => write!(f, "; help: {help}"),
            None => Ok(()),
        }
    }
}

/// The spec's bytes as text: UTF-8, with a byte-order mark skipped. Anything else is an
/// error at the offset of the first byte that is not UTF-8, with its line and column.
pub fn decode(bytes: &[u8]) -> Result<&str, SyntaxError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let mut err = SyntaxError::new("UTF-8", "the spec is UTF-16 text".to_owned());
        err.offset = Some(0);
        err.help = Some("save the file as UTF-8".to_owned());
        return Err(err);
    }
    std::str::from_utf8(bytes).map_err(|utf8| {
        let valid = utf8.valid_up_to();
        // Invariant: the bytes before `valid_up_to` are valid UTF-8.
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let line = before.matches('\n').count() as u64 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
        let byte = bytes[valid];
        let mut err = SyntaxError::new(
            "UTF-8",
            format!("byte 0x{byte:02X} is not valid UTF-8; the spec must be UTF-8 text"),
        );
        (err.line, err.column, err.offset) = (Some(line), Some(column), Some(valid as u64));
        err.help = Some(
            "save the file as UTF-8 (a spec in another encoding, such as Latin-1, must be \
             converted first)"
                .to_owned(),
        );
        err
    })
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
    serde_json::from_str(text).map_err(|err| {
        let mut syntax = SyntaxError::new("JSON", strip_position(&err.to_string()));
        (syntax.line, syntax.column) = (Some(err.line() as u64), Some(err.column() as u64));
        syntax.help = Some(json_help(&err));
        syntax
    })
}

/// The most nodes a YAML spec may have, aliases expanded: ten times Stripe's spec (about
/// 175,000), and few enough that an alias bomb stops at about 200 MB.
const MAX_YAML_NODES: usize = 2_000_000;

/// A text without aliases has at most one node for every two bytes (a node takes at least a
/// character and a separator, a collection its brackets), so a spec may have that many
/// nodes, and at least this many: aliases that expand a text far beyond its size (an alias
/// bomb) stop early.
const MIN_YAML_NODES: usize = 200_000;

fn parse_yaml(text: &str) -> Result<serde_json::Value, SyntaxError> {
    let max_nodes = (text.len() / 2 + 1).clamp(MIN_YAML_NODES, MAX_YAML_NODES);
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_nodes: max_nodes,
            max_events: 2 * max_nodes,
            max_depth: 512,
        },
    };
    let value: serde_json::Value = serde_saphyr::from_str_with_options(text, options)
        .map_err(|err| yaml_error(&err, max_nodes))?;
    if value.is_null() {
        let mut err = SyntaxError::new("YAML", "the document is empty".to_owned());
        err.help = Some("an OpenAPI document starts with `openapi: 3.1.0`".to_owned());
        return Err(err);
    }
    Ok(value)
}

/// A YAML error: where, what, and what to do; a breached budget says which limit.
fn yaml_error(err: &serde_saphyr::Error, max_nodes: usize) -> SyntaxError {
    let text = first_line(&err.to_string());
    let (message, help) = if text.starts_with("recursion limit exceeded") {
        (
            "the YAML nests flow collections (`[…]`, `{…}`) more than 255 levels".to_owned(),
            "move inner schemas into `#/components/schemas` and refer to them by `$ref`",
        )
    } else if text.starts_with("budget breached: Depth") {
        (
            "the YAML nests more than 512 levels".to_owned(),
            "move inner schemas into `#/components/schemas` and refer to them by `$ref`",
        )
    } else if text.starts_with("budget breached") {
        (
            format!(
                "the YAML has more than {max_nodes} values once its aliases are expanded \
                 (the limit is half the size of the text in bytes, and at least {MIN_YAML_NODES}): \
                 aliases that repeat anchored values this often make an alias bomb"
            ),
            "write repeated parts once, under `components`, and refer to them by `$ref`",
        )
    } else {
        (
            strip_position(&text),
            "fix the YAML at that place (indentation, a `:` or a quote, a bracket left open)",
        )
    };
    let location = err.location();
    let mut syntax = SyntaxError::new("YAML", message);
    (syntax.line, syntax.column) = (location.map(|l| l.line()), location.map(|l| l.column()));
    syntax.help = Some(help.to_owned());
    syntax
}

/// What to do about a JSON syntax error.
fn json_help(err: &serde_json::Error) -> String {
    let text = err.to_string();
    if text.starts_with("recursion limit exceeded") {
        "the JSON nests more than 128 levels: move inner schemas into `#/components/schemas` \
         and refer to them by `$ref`"
            .to_owned()
    } else if err.is_eof() {
        "the text ends before the JSON does: close every `{` and `[`".to_owned()
    } else {
        "fix the JSON at that place (a missing comma, quote or bracket; keys are strings in \
         double quotes)"
            .to_owned()
    }
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

/// How to turn a Swagger 2.0 document into one the generator reads.
const CONVERTER_HELP: &str = "convert it to OpenAPI 3 first, for example with swagger2openapi \
    (`npx swagger2openapi swagger.yaml --outfile openapi.yaml`, \
    https://github.com/Mermade/oas-kit), then generate from the converted document";

/// Checks that the tree says it is OpenAPI 3.0 or 3.1 before anything else reads it. An
/// error means nothing else is worth reporting (a Swagger 2.0 document, another version, no
/// `openapi` field); 3.2 (with what lowering reads of its additions) and later minor versions
/// of 3 are read as 3.1, with a warning.
pub fn check_version(tree: &serde_json::Value, diags: &mut crate::diagnostics::Diagnostics) {
    let Some(root) = tree.as_object() else {
        return; // normalization reports a document that is not an object
    };
    let version = match (root.get("openapi"), root.get("swagger")) {
        (None, Some(swagger)) => {
            let shown = swagger
                .as_str()
                .map_or_else(|| swagger.to_string(), str::to_owned);
            diags
                .error(
                    "#/swagger",
                    format!(
                        "this is a Swagger {shown} (OpenAPI 2) document; the generator reads \
                         OpenAPI 3.0 and 3.1"
                    ),
                )
                .help(CONVERTER_HELP);
            return;
        }
        (None, None) => {
            diags
                .error("#", "no `openapi` field: this is not an OpenAPI document")
                .help("start the document with `openapi: 3.1.0` (or the 3.0 version it follows)");
            return;
        }
        (Some(version), _) => version,
    };
    let Some(text) = version.as_str() else {
        diags
            .error(
                "#/openapi",
                format!("`openapi` must be a version string, found `{version}`"),
            )
            .help("quote the version, such as `openapi: \"3.1.0\"`");
        return;
    };
    let mut parts = text.trim().split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().and_then(|p| p.parse::<u32>().ok());
    match (major, minor) {
        (Some(3), Some(0 | 1)) => {}
        (Some(3), Some(2)) => {
            diags.warning(
                "#/openapi",
                "OpenAPI 3.2 is read as 3.1 with these of its additions: `itemSchema` of \
                 sequential media, the `query` method, `additionalOperations`, `in: \
                 querystring`, `discriminator.defaultMapping`, `$self`, tag `summary`, \
                 `parent` and `kind`; anything else 3.2 adds is not generated",
            );
        }
        (Some(3), Some(minor)) => {
            diags.warning(
                "#/openapi",
                format!("OpenAPI 3.{minor} is read as 3.1: what 3.{minor} adds is not generated"),
            );
        }
        (Some(2), _) => {
            diags
                .error(
                    "#/openapi",
                    format!(
                        "OpenAPI {text} is OpenAPI 2 (Swagger); the generator reads 3.0 and 3.1"
                    ),
                )
                .help(CONVERTER_HELP);
        }
        _ => {
            diags
                .error(
                    "#/openapi",
                    format!("unknown OpenAPI version `{text}`: the generator reads 3.0 and 3.1"),
                )
                .help("set `openapi` to the version the document follows, such as `3.1.0`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_minor_versions_of_3_are_read_as_3_1_with_a_warning() {
        let warning_for = |version: &str| {
            let mut diags = crate::diagnostics::Diagnostics::default();
            check_version(&serde_json::json!({ "openapi": version }), &mut diags);
            assert!(!diags.has_errors(), "{version}");
            diags.iter().map(|d| d.message.clone()).collect::<Vec<_>>()
        };
        assert!(warning_for("3.0.3").is_empty());
        assert!(warning_for("3.1.1").is_empty());
        let three_two = warning_for("3.2.0");
        assert!(three_two[0].contains("the `query` method"), "{three_two:?}");
        let three_three = warning_for("3.3.0");
        assert!(
            three_three[0].contains("what 3.3 adds is not generated"),
            "{three_three:?}"
        );
    }

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
