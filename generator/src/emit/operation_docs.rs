//! The docs of each `Client` method: what it sends, what each argument is, what awaiting the
//! request gives (linked), its optional parameters by name (linked to their setters), and how
//! it pages, streams, retries and fails.
//!
//! ```text
//! /// Gets all deployments of a model
//! ///
//! /// `GET /v1/models/{model_id}/deployments`
//! ///
//! /// - `model_id`: the id of the model
//! ///
//! /// Awaiting the request gives a [`DeploymentsV1`](crate::types::DeploymentsV1).
//! /// Optional parameters, set on the request first: [`name`](…).
//! ```

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, sanitize, text_attrs};
use crate::model::{
    Operation, ParamLocation, Parameter, ResponseBody, Success, TypeRef, TypeSpace,
};

/// The whole doc comment of the `Client` method of `op`.
pub(crate) fn operation_docs(op: &Operation, space: &TypeSpace) -> TokenStream {
    let main = doc_attrs(&op.docs);
    let builder = op.builder_name();
    let mut paragraphs = vec![format!("`{} {}`", op.method.as_str(), op.path)];
    paragraphs.extend(arguments(op, space));
    paragraphs.push(awaiting(op, space, &builder));
    paragraphs.extend(super::operations::stream_docs(op));
    paragraphs.extend(super::paging::paging_docs(&op.paging));
    if let Some(header) = &op.idempotency_header {
        paragraphs.push(format!(
            "Idempotent: each call sends a fresh random `{header}` (or the key you give), \
             the same on every attempt, so the client retries it like an idempotent method."
        ));
    }
    if let Some(errors) = &op.errors {
        paragraphs.push(format!(
            "Error answers the spec declares decode into [`requests::{0}`](crate::requests::{0}) \
             with [`Error::typed`](crate::Error::typed).",
            errors.rust_name
        ));
    }
    let tail = text_attrs(&paragraphs.join("\n\n"));
    let separator = (!main.is_empty()).then(|| quote!(#[doc = ""]));
    quote! { #main #separator #tail }
}

/// The positional arguments, each with what it is.
fn arguments(op: &Operation, space: &TypeSpace) -> Option<String> {
    let mut lines: Vec<String> = op
        .parameters
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let deprecated = if p.docs.deprecated {
                " (deprecated)"
            } else {
                ""
            };
            format!(
                "- `{}`: {}{deprecated}",
                p.rust_name.trim_start_matches("r#"),
                parameter_summary(p, &op.path)
            )
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        lines.push(format!(
            "- `body`: the request body, {}",
            type_phrase(&body.ty, space)
        ));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// What a required parameter is: the first sentence of its description, or what it
/// identifies, read from the path (`{model_id}` after `models`: the id of the model).
fn parameter_summary(p: &Parameter, path: &str) -> String {
    let described = p.docs.description.as_deref().or(p.docs.summary.as_deref());
    if let Some(text) = described
        .map(|t| sanitize(t.trim()))
        .filter(|t| !t.is_empty())
    {
        return first_sentence(&text);
    }
    match p.location {
        ParamLocation::Path => path_parameter_meaning(&p.wire_name, path),
        ParamLocation::Query => format!("query parameter `{}`", p.wire_name),
        ParamLocation::Header => format!("header `{}`", p.wire_name),
        ParamLocation::Cookie => format!("cookie `{}`", p.wire_name),
    }
}

/// `model_id` in `/models/{model_id}`: "the id of the model"; `env_name` in
/// `/environments/{env_name}`: "the name of the environment".
fn path_parameter_meaning(wire: &str, path: &str) -> String {
    let placeholder = format!("{{{wire}}}");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let position = segments.iter().position(|s| s.contains(&placeholder));
    let resource = position
        .and_then(|i| segments[..i].iter().rev().find(|s| !s.contains('{')))
        .map(|s| crate::naming::singular(&heck::ToSnakeCase::to_snake_case(*s)))
        .map(|s| {
            s.split('_')
                .map(|w| if w == "api" { "API" } else { w })
                .collect::<Vec<_>>()
                .join(" ")
        });
    let Some(resource) = resource else {
        return format!("path parameter `{wire}`");
    };
    let snake = heck::ToSnakeCase::to_snake_case(wire);
    if snake == "id" || snake.ends_with("_id") {
        format!("the id of the {resource}")
    } else if snake == "name" || snake.ends_with("_name") {
        format!("the name of the {resource}")
    } else {
        format!("the `{wire}` of the {resource}")
    }
}

fn first_sentence(text: &str) -> String {
    let first = text.split("\n\n").next().unwrap_or(text);
    let line = first.replace('\n', " ");
    match line.find(". ") {
        Some(end) => line[..=end].trim().to_owned(),
        None => line.trim().to_owned(),
    }
}

/// What awaiting the request gives, and the optional parameters set on it first.
fn awaiting(op: &Operation, space: &TypeSpace, builder: &str) -> String {
    let mut text = format!(
        "Awaiting the returned [`requests::{builder}`](crate::requests::{builder}) sends it and \
         gives {}.",
        output_phrase(op, space)
    );
    let optional: Vec<String> = op
        .parameters
        .iter()
        .filter(|p| !p.required)
        .map(|p| setter_link(&p.rust_name, builder))
        .chain(
            op.body
                .as_ref()
                .filter(|b| !b.required)
                .map(|_| setter_link("body", builder)),
        )
        .collect();
    if !optional.is_empty() {
        text.push_str(&format!(
            " Optional parameters, set on the request before awaiting it: {}.",
            optional.join(", ")
        ));
    }
    text
}

fn setter_link(rust_name: &str, builder: &str) -> String {
    match rust_name.strip_prefix("r#") {
        // rustdoc cannot link to a raw identifier.
        Some(bare) => format!("`{bare}`"),
        None => format!("[`{rust_name}`](crate::requests::{builder}::{rust_name})"),
    }
}

fn output_phrase(op: &Operation, space: &TypeSpace) -> String {
    let response = match &op.success {
        Success::ByStatus(cases) => {
            return format!(
                "a [`requests::{0}`](crate::requests::{0}), one variant per success status",
                cases.rust_name
            );
        }
        Success::One(response) => response,
    };
    match &response.body {
        ResponseBody::Empty => "`()`: the answer has no body".to_owned(),
        ResponseBody::Json(ty) => type_phrase(ty, space),
        ResponseBody::Text => "the body as a `String`".to_owned(),
        ResponseBody::Binary => "the body as `bytes::Bytes`".to_owned(),
        ResponseBody::EventStream(ty) => format!(
            "an [`EventStream`](crate::EventStream) whose events carry {}",
            type_phrase(ty, space)
        ),
        ResponseBody::JsonStream { item, .. } => format!(
            "a [`JsonStream`](crate::JsonStream) whose values are each {}",
            type_phrase(item, space)
        ),
    }
}

/// A type in prose, linked where it is named: "a [`Model`](crate::types::Model)", "a `Vec`
/// of [`Model`](…)", "an `i64`".
fn type_phrase(ty: &TypeRef, space: &TypeSpace) -> String {
    match ty {
        TypeRef::Named(id) => {
            let name = &space.get(*id).rust_name;
            format!("{} [`{name}`](crate::types::{name})", article(name))
        }
        TypeRef::Array(item) => format!("a `Vec` of {}", bare_phrase(item, space)),
        TypeRef::Map(value) => format!("a map from names to {}", bare_phrase(value, space)),
        TypeRef::Nullable(inner) => format!("{}, or `None` for `null`", type_phrase(inner, space)),
        TypeRef::Primitive(p) => {
            let name = p.rust_name();
            format!("{} `{name}`", article(name))
        }
    }
}

/// A type in prose without its article, for "a `Vec` of …".
fn bare_phrase(ty: &TypeRef, space: &TypeSpace) -> String {
    match ty {
        TypeRef::Named(id) => {
            let name = &space.get(*id).rust_name;
            format!("[`{name}`](crate::types::{name})")
        }
        TypeRef::Primitive(p) => format!("`{}`", p.rust_name()),
        other => type_phrase(other, space),
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_say_what_they_identify() {
        let path = "/v1/models/{model_id}/environments/{env_name}/x/{api_key_prefix}";
        assert_eq!(
            path_parameter_meaning("model_id", path),
            "the id of the model"
        );
        assert_eq!(
            path_parameter_meaning("env_name", path),
            "the name of the environment"
        );
        assert_eq!(
            path_parameter_meaning("api_key_prefix", path),
            "the `api_key_prefix` of the x"
        );
        let listing = "/v1/library_listings/{user_defined_listing_id}";
        let meaning = path_parameter_meaning("user_defined_listing_id", listing);
        assert_eq!(meaning, "the id of the library listing");
        assert_eq!(path_parameter_meaning("id", "/{id}"), "path parameter `id`");
    }

    #[test]
    fn first_sentences() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("A line\nand more. Then"), "A line and more.");
        assert_eq!(first_sentence("No stop"), "No stop");
    }
}
