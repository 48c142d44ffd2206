//! `contract_all.rs`: one call of every operation against Prism.

use apigen::{File, Generated};

/// Not generated yet.
pub fn render(_sdk: &Generated, _spec: &serde_json::Value) -> Option<File> {
    None
}
