//! Test files generated from the SDK's model: they name every operation and every typed
//! example of the spec, so they are regenerated with the client and checked the same way.

mod contract;
mod examples;

use apigen::{File, Generated};

/// The generated test files, by path relative to `tests/tests/`.
pub fn files(sdk: &Generated, spec: &serde_json::Value) -> Vec<File> {
    [examples::render(sdk, spec), contract::render(sdk, spec)]
        .into_iter()
        .flatten()
        .collect()
}
