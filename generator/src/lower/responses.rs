//! Answers told apart by status: the error answers an operation declares, and its success
//! answers when it declares several with different bodies.
//!
//! Errors: every declared status of 400 and above, every `4XX`/`5XX` range and `default`
//! (unless `default` is the success answer, for operations with no 2xx) becomes a
//! [`StatusCase`]. An operation gets an error enum only when at least one case declares a
//! JSON body: errors that carry nothing typed stay plain [`crate::model::Operation`] errors.
//!
//! Successes: when the declared 2xx answers (codes and the `2XX` range) do not all have the
//! same body (a `201` with a body beside a `204` without one), the call returns an enum
//! with a variant per status instead of one body type that some answers would not match.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Response as OaResponse, Responses, StatusCode};

use super::Lowerer;
use super::operation::{resolve_response, response_body};
use crate::diagnostics::pointer;
use crate::model::{ResponseBody, StatusCase, StatusMatch};
use crate::naming::Scope;

/// A declared answer before lowering: its status (also its key under `responses`), and
/// itself.
type Declared<'d> = (StatusMatch, &'d ReferenceOr<OaResponse>);

/// The operation's declared error answers, or `None` when none has a JSON body. Their
/// enum is named once every builder name is known (see [`EnumNames`]).
pub(super) fn lower_errors<'d>(
    cx: &mut Lowerer<'d>,
    responses: &'d Responses,
    default_is_success: bool,
    at: &str,
    hint: &str,
) -> Option<Vec<StatusCase>> {
    let mut declared = declared(responses, |code| code >= 400, |range| range >= 4);
    if !default_is_success {
        if let Some(response) = &responses.default {
            declared.push((StatusMatch::Default, response));
        }
    }
    let cases = lower_cases(cx, declared, at, hint, "Error");
    let cases: Vec<StatusCase> = cases
        .into_iter()
        .map(|case| match case.body {
            ResponseBody::Json(_) | ResponseBody::Empty => case,
            _ => StatusCase {
                body: ResponseBody::Empty,
                ..case
            },
        })
        .collect();
    let typed = cases
        .iter()
        .any(|c| matches!(c.body, ResponseBody::Json(_)));
    typed.then_some(cases)
}

/// The operation's success answers by status, or `None` when they all have the same body
/// (or there are fewer than two).
pub(super) fn lower_successes<'d>(
    cx: &mut Lowerer<'d>,
    responses: &'d Responses,
    at: &str,
    hint: &str,
) -> Option<Vec<StatusCase>> {
    let declared = success_answers(responses);
    if declared.len() < 2 {
        return None;
    }
    let cases = lower_cases(cx, declared, at, hint, "Response");
    let differ = cases.iter().any(|c| c.body != cases[0].body);
    differ.then_some(cases)
}

/// The declared 2xx answers, codes (ascending) before the `2XX` range.
pub(super) fn success_answers(responses: &Responses) -> Vec<Declared<'_>> {
    declared(
        responses,
        |code| (200..300).contains(&code),
        |range| range == 2,
    )
}

/// The responses whose code or range the predicates accept, sorted: exact codes first.
fn declared<'d>(
    responses: &'d Responses,
    code: impl Fn(u16) -> bool,
    range: impl Fn(u16) -> bool,
) -> Vec<Declared<'d>> {
    let mut declared: Vec<Declared<'d>> = responses
        .responses
        .iter()
        .filter_map(|(key, response)| {
            let status = match key {
                StatusCode::Code(c) if code(*c) => StatusMatch::Code(*c),
                StatusCode::Range(r) if range(*r) => StatusMatch::Range(*r),
                _ => return None,
            };
            Some((status, response))
        })
        .collect();
    declared.sort_by_key(|(status, _)| *status);
    declared
}

fn lower_cases<'d>(
    cx: &mut Lowerer<'d>,
    declared: Vec<Declared<'d>>,
    at: &str,
    hint: &str,
    suffix: &str,
) -> Vec<StatusCase> {
    declared
        .into_iter()
        .map(|(status, response)| {
            let rust_name = variant_name(status);
            let at = pointer(at, &status.to_string());
            let hint = format!("{hint}{rust_name}{suffix}");
            match resolve_response(cx, response, at) {
                Some((response, at)) => StatusCase {
                    status,
                    rust_name,
                    description: Some(response.description.clone())
                        .filter(|d| !d.trim().is_empty()),
                    body: response_body(cx, response, &at, &hint),
                },
                None => StatusCase {
                    status,
                    rust_name,
                    description: None,
                    body: ResponseBody::Empty,
                },
            }
        })
        .collect()
}

/// `Status404`, `Status4xx`, `Default`.
fn variant_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => format!("Status{code}"),
        StatusMatch::Range(range) => format!("Status{range}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}

/// Names of the enums of answers by status: `<Builder>Response` and `<Builder>Error`,
/// unique beside every request builder (`requests` holds them all): a builder already
/// called `GetRepoError` pushes the error enum of `get_repo` to `GetRepoError2`. Names are
/// claimed in operation order, each operation's success enum before its error enum.
pub(super) struct EnumNames {
    scope: Scope,
    /// Error enum names by the method they belong to, for the streaming siblings.
    errors_of: BTreeMap<String, String>,
}

impl EnumNames {
    /// Names beside these request builders.
    pub(super) fn new(builders: &[String]) -> Self {
        let reserved: Vec<&str> = builders.iter().map(String::as_str).collect();
        EnumNames {
            scope: Scope::with_reserved(&reserved),
            errors_of: BTreeMap::new(),
        }
    }

    /// The name of the success enum of the builder `builder`.
    pub(super) fn success(&mut self, builder: &str) -> String {
        self.scope.claim(&format!("{builder}Response"))
    }

    /// The name of the error enum of `method`, whose builder is `builder`; a method that
    /// streams the events of another (`streams`) shares that one's.
    pub(super) fn errors(&mut self, method: &str, builder: &str, streams: Option<&str>) -> String {
        let shared = streams.and_then(|original| self.errors_of.get(original).cloned());
        let name = shared.unwrap_or_else(|| self.scope.claim(&format!("{builder}Error")));
        self.errors_of.insert(method.to_owned(), name.clone());
        name
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
