//! `lib.rs` (crate docs and module tree) and `client.rs` (the API's defaults and the
//! `Client` constructors and operation methods).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::text_attrs;
use crate::model::{Api, AuthKind, TypeKind};

/// The crate root: docs listing every operation, the module tree and the public names
/// (`Event`, `EventStream` and `ResumePolicy` only when an operation streams server-sent
/// events, `JsonStream` only when one streams JSON values).
pub(crate) fn lib_rs(api: &Api) -> TokenStream {
    let docs = super::guide::crate_docs(api);
    let lines = docs.lines();
    let allow_deprecated = has_deprecations(api).then(|| {
        quote!(#![allow(deprecated, reason = "items the spec deprecates warn their users; the crate itself must still use them")])
    });
    let streams = api.operations.iter().any(|op| op.success.is_event_stream());
    let events = streams.then(|| {
        quote!(
            pub use runtime::{Event, EventStream, ResumePolicy};
        )
    });
    let json_streams = api.operations.iter().any(|op| op.success.is_json_stream());
    let json_values = json_streams.then(|| {
        quote!(
            pub use runtime::JsonStream;
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

        pub use runtime::{ApiError, ApiResponse, AttemptOutcome, AttemptRequest, Client, ClientBuilder, Error, FromApiError, Hook, HookFuture, MockResponse, MockTransport, RecordedRequest, RequestOptions, ResponseFuture, RetryPolicy, SendFuture, Transport, TransportFuture, install_crypto_provider};
        #events
        #json_values
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
    let builder_from_env = builder_from_env(api);
    let groups = super::guide::groups(api).into_iter().map(|(heading, ops)| {
        let doc = text_attrs(&format!("# {heading}"));
        let methods = ops
            .iter()
            .map(|op| super::operations::client_method(op, &api.types));
        quote! {
            #doc
            impl crate::Client {
                #(#methods)*
            }
        }
    });
    quote! {
        //! Constructors of [`Client`] and one method per operation of the API.

        #defaults

        #builder_from_env

        /// # Constructors
        impl crate::Client {
            #constructors
        }

        #(#groups)*
    }
}

fn api_defaults(api: &Api) -> TokenStream {
    let base_url = api.base_url();
    let optional = |var: &Option<String>| match var {
        Some(var) => quote!(::std::option::Option::Some(#var)),
        None => quote!(::std::option::Option::None),
    };
    let env = optional(&api.auth.env_var);
    let base_url_env = optional(&api.auth.base_url_env);
    let requires_auth = api.requires_auth();
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
            base_url_env: #base_url_env,
            requires_auth: #requires_auth,
            auth: &[#(#schemes),*],
            user_agent: ::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION")),
            error_code_field: #code,
            error_message_field: #message,
        };
    }
}

fn constructors(api: &Api) -> TokenStream {
    let base_url = api.base_url();
    let keyed = !api.auth.schemes.is_empty();
    let auth = match api.auth.default_scheme() {
        Some(scheme) => format!(
            " It sends `api_key` with the `{}` scheme.",
            scheme.wire_name
        ),
        None => String::new(),
    };
    let fails = "Fails with `Error::Config` only when the HTTP client cannot be built (its TLS \
                 backend does not start)";
    let key_arg = keyed.then(|| quote!(api_key: impl ::std::convert::Into<::std::string::String>));
    let set_key = keyed.then(|| quote!(.api_key(api_key)));
    let new = match base_url.is_empty() {
        false => {
            let doc = text_attrs(&format!(
                "A client for `{base_url}` with every other setting at its default.{auth}\n\n{fails}."
            ));
            quote! {
                #doc
                pub fn new(#key_arg) -> ::std::result::Result<Self, crate::Error> {
                    crate::ClientBuilder::new(&API) #set_key .build()
                }
            }
        }
        true => {
            let doc = text_attrs(&format!(
                "A client for `base_url` (the spec declares no usable server URL) with every \
                 other setting at its default.{auth}\n\n{fails}, or the base URL is not an \
                 absolute `http(s)` URL."
            ));
            let args = [
                Some(quote!(base_url: impl ::std::convert::Into<::std::string::String>)),
                key_arg,
            ];
            let args = args.iter().flatten();
            quote! {
                #doc
                pub fn new(#(#args),*) -> ::std::result::Result<Self, crate::Error> {
                    crate::ClientBuilder::new(&API).base_url(base_url) #set_key .build()
                }
            }
        }
    };
    let from_env = api.auth.env_var.as_ref().map(|var| {
        let base = match &api.auth.base_url_env {
            Some(url_var) => format!(", and the base URL from `{url_var}` when it is set"),
            None => String::new(),
        };
        let doc = text_attrs(&format!(
            "A client with the key read from the `{var}` environment variable{base}: \
             `ClientBuilder::from_env().build()`.\n\nFails with `Error::Config` when `{var}` \
             is unset or empty."
        ));
        quote! {
            #doc
            pub fn from_env() -> ::std::result::Result<Self, crate::Error> {
                crate::ClientBuilder::from_env().build()
            }
        }
    });
    quote! {
        #new

        #from_env

        /// A builder to configure the key, base URL, timeouts, retries, hooks and transport.
        pub fn builder() -> crate::ClientBuilder {
            crate::ClientBuilder::new(&API)
        }
    }
}

/// `ClientBuilder::from_env`, when the settings name the key's environment variable.
fn builder_from_env(api: &Api) -> TokenStream {
    let Some(var) = &api.auth.env_var else {
        return TokenStream::new();
    };
    let base = match &api.auth.base_url_env {
        Some(url_var) => format!(" and the base URL from `{url_var}`"),
        None => String::new(),
    };
    let doc = text_attrs(&format!(
        "A builder with the key read from the `{var}` environment variable{base}, where they \
         are set; every other setting can still be changed before `build`."
    ));
    quote! {
        impl crate::ClientBuilder {
            #doc
            pub fn from_env() -> Self {
                crate::ClientBuilder::from_env_with(&API)
            }
        }
    }
}
