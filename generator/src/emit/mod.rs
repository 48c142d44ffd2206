//! Emitting: the model into the files of a crate, as token streams and text.
//!
//! Each generated Rust file is built by one function here from the pieces its submodules
//! compute; [`crate::format`] turns the tokens into text.

mod client;
mod docs;
mod guide;
mod manifest;
mod operation_docs;
mod operations;
mod paging;
mod runtime;
mod statuses;
mod types;

pub use manifest::ManifestMode;
pub(crate) use runtime::note as runtime_note;
pub(crate) use types::reaches;

/// See [`crate::external_type_tokens`].
pub(crate) fn external_type_tokens(
    ty: &crate::model::TypeRef,
    space: &crate::model::TypeSpace,
    krate: &proc_macro2::Ident,
) -> TokenStream {
    types::type_tokens(ty, space, types::TypePath::External(krate))
}

use proc_macro2::TokenStream;

use crate::model::Api;

/// The pieces of a Rust file, emitted one at a time as they are formatted.
pub(crate) type Pieces<'a> = Box<dyn Iterator<Item = TokenStream> + 'a>;

/// A file of the generated crate, before formatting.
pub(crate) enum FileContents<'a> {
    /// Rust source in pieces, each emitted, formatted with prettyplease and dropped before
    /// the next, the texts joined, so that no more than one piece is held as tokens or as a
    /// syntax tree at a time: the first piece carries the file's inner attributes, the
    /// others are whole items (a type and its impls, an operation's builder and enums).
    Rust(Pieces<'a>),
    /// The hand-written runtime, copied less its tests, under a line saying so.
    Runtime(String),
    /// Any other text (manifest, rustfmt settings).
    Text(String),
}

/// Every file of the generated crate, by path relative to the crate root: all from `api`,
/// packaged as `mode` says, with a dev-dependency for the examples if it has any.
pub(crate) fn emit(
    api: &Api,
    mode: ManifestMode,
    has_examples: bool,
) -> Vec<(String, FileContents<'_>)> {
    let mut files = vec![
        (
            "Cargo.toml".to_owned(),
            FileContents::Text(manifest::manifest(api, mode, has_examples)),
        ),
        (
            "rustfmt.toml".to_owned(),
            FileContents::Text(manifest::rustfmt_settings()),
        ),
        (
            "src/lib.rs".to_owned(),
            FileContents::Rust(Box::new(std::iter::once(client::lib_rs(api)))),
        ),
        (
            "src/client.rs".to_owned(),
            FileContents::Rust(Box::new(std::iter::once(client::client_rs(api)))),
        ),
        (
            "src/requests.rs".to_owned(),
            FileContents::Rust(operations::requests_module(api)),
        ),
        (
            "src/types.rs".to_owned(),
            FileContents::Rust(types::types_module(
                &api.types,
                crate::stability::usage(api),
            )),
        ),
    ];
    files.extend(
        runtime::files()
            .map(|(path, text)| (format!("src/runtime/{path}"), FileContents::Runtime(text))),
    );
    files
}
