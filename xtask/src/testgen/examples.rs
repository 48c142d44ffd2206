//! `spec_examples.rs`: every `example`/`examples` value of the spec, decoded into the
//! generated type of its schema and encoded back.

use apigen::{File, Generated};

/// Not generated yet.
pub fn render(_sdk: &Generated, _spec: &serde_json::Value) -> Option<File> {
    None
}
