//! Runtime shared by every generated client: configuration, credentials, request execution and errors.
//!
//! This file and its siblings are hand-written. The generator copies them verbatim into each
//! generated crate as `src/runtime/`, so they must only refer to each other through `super::`
//! and must not depend on anything generated.

mod client;
mod encode;
mod error;
mod request;

pub use client::{ApiDefaults, ApiResponse, AuthLocation, AuthScheme, Client, ClientBuilder};
pub use encode::encode_path_segment;
pub use error::{ApiError, Error};
pub use request::{Request, RequestOptions};
