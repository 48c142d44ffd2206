//! Rustdoc attributes from the spec's summaries and descriptions.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Docs;

/// `#[doc]` lines for `docs`: the summary, a blank line, the description; then the
/// default value. Emits nothing for empty docs. Deprecation is an attribute of its own,
/// [`deprecated_attr`].
///
/// ```text
/// /// Cancels a promotion to an environment
/// ///
/// /// Cancels an ongoing promotion to an environment and returns the cancellation status.
/// ///
/// /// Default: `"production"`.
/// ```
pub(crate) fn doc_attrs(docs: &Docs) -> TokenStream {
    lines_to_attrs(&paragraphs(docs, None).join("\n\n"))
}

/// The prose paragraphs of `docs` (or `fallback` when it has none), then the default.
fn paragraphs(docs: &Docs, fallback: Option<&str>) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    paragraphs.extend(docs.summary.iter().map(|s| sanitize(s.trim())));
    paragraphs.extend(docs.description.iter().map(|s| sanitize(s.trim())));
    paragraphs.dedup();
    paragraphs.retain(|p| !p.is_empty());
    if paragraphs.is_empty() {
        paragraphs.extend(fallback.map(str::to_owned));
    }
    paragraphs.extend(docs.default.as_ref().and_then(default_line));
    paragraphs
}

/// `#[deprecated]` when the spec marks the item `deprecated: true`: users of the item get a
/// warning; the generated crate itself allows it.
pub(crate) fn deprecated_attr(deprecated: bool) -> TokenStream {
    if deprecated {
        quote!(#[deprecated = "deprecated in the API specification"])
    } else {
        TokenStream::new()
    }
}

/// `Default: `value`.` for a default short enough to read in one line; longer ones (whole
/// objects) are left to the spec.
fn default_line(value: &serde_json::Value) -> Option<String> {
    const MAX: usize = 120;
    let text = value.to_string();
    if text.len() > MAX {
        return None;
    }
    // Compact JSON has no raw newline; a backtick in it needs a double-backtick code span.
    let (fence, pad) = if text.contains('`') {
        ("``", " ")
    } else {
        ("`", "")
    };
    Some(format!("Default: {fence}{pad}{text}{pad}{fence}."))
}

/// `#[doc]` lines for text the generator writes (not escaped: it may hold links), one
/// attribute per line.
pub(crate) fn text_attrs(text: &str) -> TokenStream {
    lines_to_attrs(text.trim())
}

fn lines_to_attrs(text: &str) -> TokenStream {
    if text.is_empty() {
        return TokenStream::new();
    }
    let lines = text.lines().map(|line| {
        let line = line.trim_end();
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// Makes spec prose safe for rustdoc: code fences become ```` ```text ```` (rustdoc would
/// compile them as Rust), bare URLs become `<https://…>` links, and outside code spans
/// `[`, `]`, `<` and `>` are escaped so that they are not read as links or HTML.
pub(crate) fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            out.push_str(&line[..line.len() - trimmed.len()]);
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&sanitize_line(line));
        }
    }
    if in_fence {
        out.push_str("\n```");
    }
    out
}

/// Escapes one line of prose, leaving `code spans` as they are.
fn sanitize_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && line.matches('`').count() % 2 == 0 {
            out.push_str(part);
        } else {
            out.push_str(&escape_prose(part));
        }
    }
    out
}

fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_url(rest) {
        out.push_str(&escape_symbols(&rest[..start]));
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | '<' | '>' | ')' | ']'))
            .unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ';', ':']);
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &tail[url.len()..];
    }
    out.push_str(&escape_symbols(rest));
    out
}

fn find_url(text: &str) -> Option<usize> {
    [text.find("http://"), text.find("https://")]
        .into_iter()
        .flatten()
        .min()
}

fn escape_symbols(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            other => out.push(other),
        }
    }
    out
}

/// Docs with a fallback sentence when the spec gives no prose, for items `missing_docs`
/// checks.
pub(crate) fn doc_attrs_or(docs: &Docs, fallback: &str) -> TokenStream {
    lines_to_attrs(&paragraphs(docs, Some(fallback)).join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_and_description_become_paragraphs() {
        let docs = Docs {
            summary: Some("Short".into()),
            description: Some("Long\ntext".into()),
            deprecated: true,
            examples: Vec::new(),
            default: Some(serde_json::json!("a`b")),
        };
        let text = doc_attrs(&docs).to_string();
        assert_eq!(
            text,
            r#"# [doc = " Short"] # [doc = ""] # [doc = " Long"] # [doc = " text"] # [doc = ""] # [doc = " Default: `` \"a`b\" ``."]"#
        );
        assert_eq!(
            deprecated_attr(docs.deprecated).to_string(),
            r#"# [deprecated = "deprecated in the API specification"]"#
        );
        assert!(deprecated_attr(Docs::default().deprecated).is_empty());
    }

    #[test]
    fn long_defaults_are_left_out() {
        let long = serde_json::json!({ "key": "x".repeat(200) });
        assert_eq!(default_line(&long), None);
        assert_eq!(
            default_line(&serde_json::json!(20)).as_deref(),
            Some("Default: `20`.")
        );
    }

    #[test]
    fn prose_is_made_safe_for_rustdoc() {
        let cases = [
            (
                "see https://docs.x.co/a/b for more.",
                "see <https://docs.x.co/a/b> for more.",
            ),
            (
                "(e.g., 'https://github.com/login')",
                "(e.g., '<https://github.com/login>')",
            ),
            ("a [link] and <tag>", "a \\[link\\] and &lt;tag&gt;"),
            ("`Api-Key <key>` stays", "`Api-Key <key>` stays"),
            ("```\nlet x = [1];\n```", "```text\nlet x = [1];\n```"),
            ("```json\n{}\n```", "```text\n{}\n```"),
            ("```\nunclosed", "```text\nunclosed\n```"),
            ("odd ` backtick [x]", "odd ` backtick \\[x\\]"),
        ];
        for (raw, want) in cases {
            assert_eq!(sanitize(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn empty_docs_emit_nothing_unless_a_fallback_is_given() {
        assert!(doc_attrs(&Docs::default()).is_empty());
        assert_eq!(
            doc_attrs_or(&Docs::default(), "A thing.").to_string(),
            r#"# [doc = " A thing."]"#
        );
    }
}
