//! `lib.rs` (crate docs and module tree) and `client.rs` (the API's defaults and the
//! `Client` constructors and operation methods).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::text_attrs;
use super::operations::client_methods;
use crate::model::{Api, AuthKind, TypeKind};

/// The crate root: docs listing every operation, the module tree and the public names
/// (`Event` and `EventStream` only when an operation streams server-sent events).
pub(crate) fn lib_rs(api: &Api) -> TokenStream {
    let docs = crate_docs(api);
    let lines = docs.lines();
    let allow_deprecated = has_deprecations(api).then(|| {
        quote!(#![allow(deprecated, reason = "items the spec deprecates warn their users; the crate itself must still use them")])
    });
    let streams = api.operations.iter().any(|op| op.success.is_event_stream());
    let events = streams.then(|| {
        quote!(
            pub use runtime::{Event, EventStream};
        )
    });
    let paged = api.operations.iter().any(|op| op.paging.paged().is_some());
    let pages = paged.then(|| {
        quote!(
            pub use runtime::{Items, NextPage, Page, Pages};
        )
    });
    quote! {
        #( #![doc = #lines] )*
        #![forbid(unsafe_code)]
        #![deny(missing_docs)]
        #allow_deprecated

        #[allow(dead_code, unused_imports, reason = "the runtime carries features that a given API may not use")]
        mod runtime;
        mod client;
        pub mod requests;
        pub mod types;

        pub use runtime::{ApiError, ApiResponse, AttemptOutcome, AttemptRequest, Client, ClientBuilder, Error, FromApiError, Hook, HookFuture, MockResponse, MockTransport, RecordedRequest, RequestOptions, RetryPolicy, Transport, TransportFuture, install_crypto_provider};
        #events
        #pages
        #[doc(hidden)]
        pub use runtime::{ApiDefaults, AuthLocation, AuthScheme, FromSuccess, Request};
    }
}

/// Whether any operation, parameter, type or property is deprecated.
fn has_deprecations(api: &Api) -> bool {
    let ops = api
        .operations
        .iter()
        .any(|op| op.docs.deprecated || op.parameters.iter().any(|p| p.docs.deprecated));
    let types = api.types.types.values().any(|def| {
        def.docs.deprecated
            || matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.docs.deprecated))
    });
    ops || types
}

fn crate_docs(api: &Api) -> String {
    let mut text = format!(" {} (version {}).\n", api.title.trim(), api.version.trim());
    if let Some(description) = &api.description {
        text.push('\n');
        for line in super::docs::sanitize(description.trim()).lines() {
            text.push_str(&format!(" {}\n", line.trim_end()));
        }
    }
    let krate = api.package.name.replace('-', "_");
    text.push_str(&format!(
        "\n ```no_run\n # async fn run() -> Result<(), {krate}::Error> {{\n let client = {krate}::Client::new(\"my-api-key\");\n # Ok(())\n # }}\n ```\n"
    ));
    text.push_str(&runtime_guide(api, &krate));
    text.push_str("\n # Operations\n\n | Method | Path | Rust |\n | --- | --- | --- |\n");
    for op in &api.operations {
        text.push_str(&format!(
            " | `{}` | `{}` | {} |\n",
            op.method.as_str(),
            op.path,
            method_link(&op.rust_name, "Client")
        ));
    }
    text
}

/// The crate docs' section on paging, idempotency keys, hooks and the test double, each
/// paragraph only when the API has what it describes.
fn runtime_guide(api: &Api, krate: &str) -> String {
    let paged = api
        .operations
        .iter()
        .filter(|op| op.paging.paged().is_some())
        .count();
    let heading = if paged > 0 {
        "Paging, hooks and tests"
    } else {
        "Hooks and tests"
    };
    let mut text = format!("\n # {heading}\n\n");
    if paged > 0 {
        text.push_str(&format!(
            " Paged operations ({paged} here; their docs say how they page) have requests with\n \
             `pages()`, a [`Pages`] stream of each [`Page`] with its metadata and headers, and\n \
             `into_stream()`, an [`Items`] stream of every item of every page.\n\n"
        ));
    }
    let keyed = api
        .operations
        .iter()
        .filter(|op| op.idempotency_header.is_some())
        .count();
    if keyed > 0 {
        text.push_str(&format!(
            " Operations that take an idempotency key ({keyed} here) send one per call, the same\n \
             on every attempt, and are retried like idempotent methods.\n\n"
        ));
    }
    text.push_str(&format!(
        " A [`Hook`] runs your code before and after every attempt (a signature header, a\n \
         metrics counter); a [`Transport`] replaces the network, and [`MockTransport`] answers\n \
         from a script and records every request, to test code that uses this crate:\n\n \
         ```no_run\n \
         # async fn run() -> Result<(), {krate}::Error> {{\n \
         let mock = {krate}::MockTransport::new();\n \
         mock.push({krate}::MockResponse::json(200, serde_json::json!({{}})));\n \
         let client = {krate}::Client::builder()\n     \
         .api_key(\"test-key\")\n     \
         .transport(mock.clone())\n     \
         .build()?;\n \
         // … run the code under test with `client`, then look at what it sent:\n \
         for request in mock.requests() {{\n     \
         println!(\"{{}} {{}} {{:?}}\", request.method, request.path, request.query);\n \
         }}\n \
         # Ok(())\n \
         # }}\n \
         ```\n"
    ));
    text
}

/// A rustdoc link to a `Client` method; rustdoc cannot link to a raw identifier
/// (`r#match`), so those are shown as code only.
pub(crate) fn method_link(rust_name: &str, client_path: &str) -> String {
    match rust_name.strip_prefix("r#") {
        Some(bare) => format!("`Client::{bare}`"),
        None => format!("[`Client::{rust_name}`]({client_path}::{rust_name})"),
    }
}

/// `client.rs`: the spec's defaults and the `impl Client` block.
pub(crate) fn client_rs(api: &Api) -> TokenStream {
    let defaults = api_defaults(api);
    let constructors = constructors(api);
    let methods = client_methods(api);
    quote! {
        //! Constructors of [`Client`] and one method per operation of the API.

        #defaults

        impl crate::Client {
            #constructors
            #methods
        }
    }
}

fn api_defaults(api: &Api) -> TokenStream {
    let base_url = api.base_url();
    let env = match &api.auth.env_var {
        Some(var) => quote!(::std::option::Option::Some(#var)),
        None => quote!(::std::option::Option::None),
    };
    let schemes = api.auth.schemes.iter().map(|scheme| {
        let name = &scheme.wire_name;
        let (location, prefix) = match &scheme.kind {
            AuthKind::Header { name, prefix } => (
                quote!(crate::runtime::AuthLocation::Header(#name)),
                prefix.clone(),
            ),
            AuthKind::Query { name } => (quote!(crate::runtime::AuthLocation::Query(#name)), None),
            AuthKind::Cookie { name } => {
                (quote!(crate::runtime::AuthLocation::Cookie(#name)), None)
            }
            AuthKind::Basic => (quote!(crate::runtime::AuthLocation::Basic), None),
        };
        let prefix = match prefix {
            Some(p) => quote!(::std::option::Option::Some(#p)),
            None => quote!(::std::option::Option::None),
        };
        quote!(crate::runtime::AuthScheme { name: #name, location: #location, prefix: #prefix })
    });
    let (code, message) = (&api.error_body.code_field, &api.error_body.message_field);
    quote! {
        /// What the spec and `codegen.toml` say about the API.
        static API: crate::runtime::ApiDefaults = crate::runtime::ApiDefaults {
            base_url: #base_url,
            api_key_env: #env,
            auth: &[#(#schemes),*],
            user_agent: ::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION")),
            error_code_field: #code,
            error_message_field: #message,
        };
    }
}

fn constructors(api: &Api) -> TokenStream {
    let base_url = api.base_url();
    let target = if base_url.is_empty() {
        "the base URL set with `Client::builder`".to_owned()
    } else {
        format!("`{base_url}`")
    };
    let auth = match api.auth.default_scheme() {
        Some(scheme) => format!("It sends `api_key` with the `{}` scheme.", scheme.wire_name),
        None => "The API declares no security scheme, so `api_key` is not sent.".to_owned(),
    };
    let new_doc = text_attrs(&format!(
        "A client for {target}, with every setting at its default. {auth}\n\n# Panics\n\nOnly when the TLS backend cannot be initialized, as `reqwest::Client::new`."
    ));
    let from_env = api.auth.env_var.as_ref().map(|var| {
        let doc = text_attrs(&format!(
            "A client with the key read from the `{var}` environment variable.\n\nFails with `Error::Config` when it is unset or empty."
        ));
        quote! {
            #doc
            pub fn from_env() -> ::std::result::Result<Self, crate::Error> {
                crate::Client::from_env_with(&API)
            }
        }
    });
    quote! {
        #new_doc
        pub fn new(api_key: impl ::std::convert::Into<::std::string::String>) -> Self {
            crate::Client::with_defaults(&API, api_key.into())
        }

        #from_env

        /// A builder to configure the key, base URL, timeouts, retries and HTTP client.
        pub fn builder() -> crate::ClientBuilder {
            crate::ClientBuilder::new(&API)
        }
    }
}
