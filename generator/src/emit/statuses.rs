//! Enums of answers told apart by status, in the `requests` module: an operation's error
//! answers (implementing `FromApiError`) and its success answers when they declare
//! different bodies (implementing `FromSuccess`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::text_attrs;
use super::types::{TypePath, ident, type_tokens};
use crate::model::{Operation, ResponseBody, StatusCase, StatusCases, StatusMatch, TypeSpace};

/// The error enums of the operations, emitted in order: an operation whose declared error
/// answers are the same as an earlier one's (the same variants holding the same types, read
/// the same way) gets an alias of that enum instead of an enum of its own, so that a crate
/// where most operations declare the same errors compiles one enum and one `FromApiError`.
///
/// ```text
/// pub enum DiskViewError { Status4xx(crate::types::Error), Status5xx(crate::types::Error) }
/// impl crate::FromApiError for DiskViewError { … }
/// pub type DiskDeleteError = DiskViewError;
/// ```
#[derive(Default)]
pub(crate) struct ErrorEnums {
    /// The name of the first enum of each shape, by the text of its variants and reading.
    first: std::collections::HashMap<String, String>,
}

impl ErrorEnums {
    /// The error enum of `op`, or an alias of an earlier enum of the same shape.
    pub(crate) fn emit(
        &mut self,
        op: &Operation,
        errors: &StatusCases,
        space: &TypeSpace,
    ) -> TokenStream {
        let shape = ErrorShape::of(errors, space);
        let key = shape.key();
        match self.first.get(&key) {
            Some(first) => error_alias(op, errors, first),
            None => {
                self.first.insert(key, errors.rust_name.clone());
                shape.emit(op, errors)
            }
        }
    }
}

/// `pub type #name = #first;`, documented as the operation's error enum.
fn error_alias(op: &Operation, errors: &StatusCases, first: &str) -> TokenStream {
    let name = ident(&errors.rust_name);
    let target = ident(first);
    let doc = text_attrs(&format!(
        "The error answers {} declares, one variant per status; get one from an error with [`Error::typed`](crate::Error::typed). They are the same as [`{first}`]'s, so this is that enum.",
        super::client::method_link(&op.rust_name, "crate::Client"),
    ));
    quote! {
        #doc
        pub type #name = #target;
    }
}

/// The pieces of an operation's error enum that make its shape: its variants, and how an
/// `ApiError` picks one: exact codes, then ranges, then `default`.
///
/// ```text
/// pub enum GetRepoError { Status404(crate::types::BasicError), Status5xx, Default(crate::types::Error) }
/// impl crate::FromApiError for GetRepoError {
///     fn from_api_error(error: &crate::ApiError) -> Option<Self> {
///         match error.status.as_u16() { 404 => error.json().ok().map(Self::Status404), 500..=599 => Some(Self::Status5xx), _ => … }
///     }
/// }
/// ```
struct ErrorShape {
    variants: Vec<TokenStream>,
    overlap: TokenStream,
    body: TokenStream,
}

impl ErrorShape {
    fn of(errors: &StatusCases, space: &TypeSpace) -> ErrorShape {
        let variants = variants(errors, space, NO_ERROR_BODY).collect();
        let overlap = allow_overlap(errors);
        let read = |case: &StatusCase| {
            let variant = ident(&case.rust_name);
            match case.body {
                ResponseBody::Json(_) => quote!(error.json().ok().map(Self::#variant)),
                _ => quote!(::std::option::Option::Some(Self::#variant)),
            }
        };
        let body = match errors.cases.as_slice() {
            // `default` alone: every error status reads the same way.
            [only] if only.status == StatusMatch::Default => read(only),
            cases => {
                let arms = cases.iter().map(|case| {
                    let (pattern, read) = (pattern(case.status), read(case));
                    quote!(#pattern => #read,)
                });
                let rest = (!cases.iter().any(|c| c.status == StatusMatch::Default))
                    .then(|| quote!(_ => ::std::option::Option::None,));
                quote!(match error.status.as_u16() { #(#arms)* #rest })
            }
        };
        ErrorShape {
            variants,
            overlap,
            body,
        }
    }

    /// What two enums of the same shape share: everything but their name and docs.
    fn key(&self) -> String {
        let variants = &self.variants;
        let (overlap, body) = (&self.overlap, &self.body);
        quote!(#(#variants)* #overlap #body).to_string()
    }

    fn emit(self, op: &Operation, errors: &StatusCases) -> TokenStream {
        let name = ident(&errors.rust_name);
        let open =
            super::types::non_exhaustive_attr(crate::stability::status_enums_non_exhaustive());
        let doc = text_attrs(&format!(
            "The error answers {} declares, one variant per status; get one from an error with [`Error::typed`](crate::Error::typed).",
            super::client::method_link(&op.rust_name, "crate::Client"),
        ));
        let ErrorShape {
            variants,
            overlap,
            body,
        } = self;
        quote! {
            #doc
            #open
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
            }

            impl crate::FromApiError for #name {
                #overlap
                #[inline]
                fn from_api_error(error: &crate::ApiError) -> ::std::option::Option<Self> {
                    #body
                }
            }
        }
    }
}

/// The enum a call returns when its success answers declare different bodies, and how a
/// success status picks its variant; a status the spec does not declare reads as the first.
///
/// ```text
/// pub enum AddCollaboratorResponse { Status201(crate::types::Invitation), Status204 }
/// impl crate::runtime::FromSuccess for AddCollaboratorResponse {
///     fn from_success(status: StatusCode, body: &Bytes) -> Result<Self, serde_json::Error> {
///         match status.as_u16() { 201 => serde_json::from_slice(body).map(Self::Status201), 204 => Ok(Self::Status204), _ => … }
///     }
/// }
/// ```
pub(crate) fn success_enum(
    op: &Operation,
    successes: &StatusCases,
    space: &TypeSpace,
) -> TokenStream {
    let name = ident(&successes.rust_name);
    let open = super::types::non_exhaustive_attr(crate::stability::status_enums_non_exhaustive());
    let doc = text_attrs(&format!(
        "What {} returns: its success answers declare different bodies, one variant per status.",
        super::client::method_link(&op.rust_name, "crate::Client"),
    ));
    let variants = variants(successes, space, NO_SUCCESS_BODY);
    let overlap = allow_overlap(successes);
    let arms = successes.cases.iter().map(|case| {
        let pattern = pattern(case.status);
        let read = read_success(case);
        quote!(#pattern => #read,)
    });
    // Invariant: success enums have two cases or more (see `lower::responses`).
    let fallback = read_success(&successes.cases[0]);
    quote! {
        #doc
        #open
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl crate::runtime::FromSuccess for #name {
            #overlap
            #[inline]
            fn from_success(
                status: ::reqwest::StatusCode,
                body: &::bytes::Bytes,
            ) -> ::std::result::Result<Self, ::serde_json::Error> {
                match status.as_u16() {
                    #(#arms)*
                    _ => #fallback,
                }
            }
        }
    }
}

/// What an error variant without a body says.
const NO_ERROR_BODY: &str =
    "No JSON body is declared; the raw body is in [`ApiError::body`](crate::ApiError::body).";

/// What a success variant without a body says.
const NO_SUCCESS_BODY: &str = "No body is declared.";

fn variants<'a>(
    cases: &'a StatusCases,
    space: &'a TypeSpace,
    empty_note: &'a str,
) -> impl Iterator<Item = TokenStream> + 'a {
    cases.cases.iter().map(move |case| {
        let variant = ident(&case.rust_name);
        let doc = text_attrs(&case_doc(case, empty_note));
        match &case.body {
            ResponseBody::Empty => quote!(#doc #variant,),
            ResponseBody::Json(ty) => {
                let ty = type_tokens(ty, space, TypePath::Qualified);
                quote!(#doc #variant(#ty),)
            }
            // Answers told apart by status are read whole: a stream is read as text.
            ResponseBody::Text | ResponseBody::EventStream(_) | ResponseBody::JsonStream { .. } => {
                quote!(#doc #variant(::std::string::String),)
            }
            ResponseBody::Binary => quote!(#doc #variant(::bytes::Bytes),),
        }
    })
}

/// How a success body becomes the case's variant.
fn read_success(case: &StatusCase) -> TokenStream {
    let variant = ident(&case.rust_name);
    match case.body {
        ResponseBody::Empty => quote!(::std::result::Result::Ok(Self::#variant)),
        ResponseBody::Json(_) => quote!(::serde_json::from_slice(body).map(Self::#variant)),
        ResponseBody::Text | ResponseBody::EventStream(_) | ResponseBody::JsonStream { .. } => {
            quote!(::std::result::Result::Ok(Self::#variant(
                ::std::string::String::from_utf8_lossy(body).into_owned()
            )))
        }
        ResponseBody::Binary => {
            quote!(::std::result::Result::Ok(Self::#variant(::std::clone::Clone::clone(body))))
        }
    }
}

/// An exact code inside a declared range matches first by design; clippy's
/// `match_overlapping_arm` would flag the range.
fn allow_overlap(cases: &StatusCases) -> TokenStream {
    let has = |wanted: fn(&StatusMatch) -> bool| cases.cases.iter().any(|c| wanted(&c.status));
    let overlaps =
        has(|s| matches!(s, StatusMatch::Code(_))) && has(|s| matches!(s, StatusMatch::Range(_)));
    if overlaps {
        quote!(#[allow(clippy::match_overlapping_arm, reason = "exact codes come before the range that holds them")])
    } else {
        TokenStream::new()
    }
}

/// `404`, `400..=499`, `_`.
fn pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(range) => {
            let low = Literal::u16_unsuffixed(range * 100);
            let high = Literal::u16_unsuffixed(range * 100 + 99);
            quote!(#low..=#high)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// `` `404`: Not found. `` (with the declared description), and `empty_note` for an answer
/// without a body.
fn case_doc(case: &StatusCase, empty_note: &str) -> String {
    let mut text = format!("`{}`", case.status);
    if let Some(description) = &case.description {
        text.push_str(": ");
        text.push_str(&super::docs::sanitize(description.trim()));
    }
    if case.body == ResponseBody::Empty {
        text.push_str("\n\n");
        text.push_str(empty_note);
    }
    text
}
