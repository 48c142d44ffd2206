//! Rustdoc attributes from the spec's summaries and descriptions.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Docs;

/// `#[doc]` lines for `docs`: the summary, a blank line, the description; then a
/// deprecation note. Emits nothing for empty docs.
///
/// ```text
/// /// Cancels a promotion to an environment
/// ///
/// /// Cancels an ongoing promotion to an environment and returns the cancellation status.
/// ```
pub(crate) fn doc_attrs(docs: &Docs) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    paragraphs.extend(docs.summary.iter().map(|s| s.trim().to_owned()));
    paragraphs.extend(docs.description.iter().map(|s| s.trim().to_owned()));
    paragraphs.dedup();
    paragraphs.retain(|p| !p.is_empty());
    if docs.deprecated {
        paragraphs.push("**Deprecated** in the API specification.".to_owned());
    }
    lines_to_attrs(&paragraphs.join("\n\n"))
}

/// `#[doc]` lines for free text, one attribute per line.
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

/// Docs with a fallback sentence when the spec gives none, for items `missing_docs` checks.
pub(crate) fn doc_attrs_or(docs: &Docs, fallback: &str) -> TokenStream {
    let attrs = doc_attrs(docs);
    if attrs.is_empty() {
        text_attrs(fallback)
    } else {
        attrs
    }
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
        };
        let text = doc_attrs(&docs).to_string();
        assert_eq!(
            text,
            r#"# [doc = " Short"] # [doc = ""] # [doc = " Long"] # [doc = " text"] # [doc = ""] # [doc = " **Deprecated** in the API specification."]"#
        );
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
