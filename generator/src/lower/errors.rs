//! Error answers: the `4XX`, `5XX`, exact error codes and `default` responses an operation
//! declares, lowered so that a client can decode an error body into the declared type.
//!
//! Every declared status of 400 and above, every `4XX`/`5XX` range and `default` (unless
//! `default` is the success response, for operations with no 2xx) becomes an
//! [`ErrorCase`]. An operation gets an [`ErrorResponses`] enum only when at least one case
//! declares a JSON body: an operation whose errors carry nothing typed keeps the plain
//! [`crate::model::Operation`] error handling.

use openapiv3::{ReferenceOr, Response as OaResponse, Responses, StatusCode};

use super::Lowerer;
use super::operation::{json_content, media_schema, resolve_response};
use crate::diagnostics::pointer;
use crate::model::{ErrorCase, ErrorResponses, Operation, StatusMatch};
use crate::naming::{Scope, camel};

/// The operation's declared error answers, or `None` when none has a JSON body. The enum
/// is named later, by [`name_error_enums`], once every builder name is known.
pub(super) fn lower_errors<'d>(
    cx: &mut Lowerer<'d>,
    responses: &'d Responses,
    success_status: &str,
    at: &str,
    hint: &str,
) -> Option<ErrorResponses> {
    let mut declared: Vec<(StatusMatch, String, &'d ReferenceOr<OaResponse>)> = responses
        .responses
        .iter()
        .filter_map(|(code, response)| {
            let status = match code {
                StatusCode::Code(code) if *code >= 400 => StatusMatch::Code(*code),
                StatusCode::Range(range) if *range >= 4 => StatusMatch::Range(*range),
                _ => return None,
            };
            Some((status, code.to_string(), response))
        })
        .collect();
    if success_status != "default" {
        if let Some(response) = &responses.default {
            declared.push((StatusMatch::Default, "default".to_owned(), response));
        }
    }
    declared.sort_by_key(|(status, _, _)| *status);
    let cases: Vec<ErrorCase> = declared
        .into_iter()
        .map(|(status, key, response)| lower_case(cx, status, response, &pointer(at, &key), hint))
        .collect();
    cases
        .iter()
        .any(|c| c.body.is_some())
        .then(|| ErrorResponses {
            rust_name: String::new(),
            cases,
        })
}

fn lower_case<'d>(
    cx: &mut Lowerer<'d>,
    status: StatusMatch,
    response: &'d ReferenceOr<OaResponse>,
    at: &str,
    hint: &str,
) -> ErrorCase {
    let rust_name = variant_name(status);
    let Some((response, at)) = resolve_response(cx, response, at.to_owned()) else {
        return ErrorCase {
            status,
            rust_name,
            description: None,
            body: None,
        };
    };
    let body = json_content(&response.content).map(|(media_type, media)| {
        let media_at = pointer(&pointer(&at, "content"), media_type);
        media_schema(cx, media, &media_at, &format!("{hint}{rust_name}Error"))
    });
    ErrorCase {
        status,
        rust_name,
        description: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
        body,
    }
}

/// `Status404`, `Status4xx`, `Default`.
fn variant_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => format!("Status{code}"),
        StatusMatch::Range(range) => format!("Status{range}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}

/// Names each operation's error enum `<Builder>Error`, unique beside every request builder
/// (`requests` holds both): a builder already called `GetRepoError` pushes the enum of
/// `get_repo` to `GetRepoError2`.
pub(super) fn name_error_enums(operations: &mut [Operation], builder_names: &[String]) {
    let reserved: Vec<&str> = builder_names.iter().map(String::as_str).collect();
    let mut scope = Scope::with_reserved(&reserved);
    for op in operations {
        let builder = camel(op.rust_name.trim_start_matches("r#"));
        if let Some(errors) = &mut op.errors {
            errors.rust_name = scope.claim(&format!("{builder}Error"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_named_after_their_status() {
        assert_eq!(variant_name(StatusMatch::Code(404)), "Status404");
        assert_eq!(variant_name(StatusMatch::Range(5)), "Status5xx");
        assert_eq!(variant_name(StatusMatch::Default), "Default");
    }

    #[test]
    fn exact_codes_sort_before_ranges_and_default() {
        let mut statuses = vec![
            StatusMatch::Default,
            StatusMatch::Range(4),
            StatusMatch::Code(500),
            StatusMatch::Code(404),
        ];
        statuses.sort();
        assert_eq!(
            statuses,
            [
                StatusMatch::Code(404),
                StatusMatch::Code(500),
                StatusMatch::Range(4),
                StatusMatch::Default
            ]
        );
    }
}
