//! The pipeline's stages one by one, for benchmarks: [`generate_observed`] runs
//! [`generate_with_files`](crate::generate_with_files) and tells the caller as each stage
//! ends, so that it can read a clock or the process's memory there; [`generate_timed`]
//! returns the wall time of each stage.
//!
//! ```
//! let spec = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n";
//! let options = apigen::Options {
//!     settings: apigen::Settings::default(),
//!     spec_label: "pets.yaml".into(),
//!     command: "example".into(),
//!     manifest: apigen::ManifestMode::Standalone,
//!     examples: Vec::new(),
//! };
//! let (generated, timings) = apigen::profile::generate_timed(spec, None, &options).unwrap();
//! assert_eq!(timings.len(), apigen::profile::Stage::ALL.len());
//! # let _ = generated;
//! ```

use std::time::{Duration, Instant};

use crate::{Error, Generated, Options, SpecFiles};

/// A stage of the pipeline, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Spec text into a JSON tree ([`crate::load::parse`]).
    Load,
    /// Other files' `$ref`s into one document ([`crate::bundle`]).
    Bundle,
    /// OpenAPI 3.1 shapes into 3.0 shapes ([`crate::normalize`]).
    Normalize,
    /// The tree into an `openapiv3` document ([`crate::shape::to_openapi`]).
    Document,
    /// The document into the model ([`crate::lower`]).
    Lower,
    /// The model into token streams: whole files for the small ones (`lib.rs`,
    /// `client.rs`), and the plan of the large ones (`types.rs`, `requests.rs`), whose items
    /// are emitted one at a time as they are formatted.
    Emit,
    /// Token streams into text (`syn` and prettyplease), with the header; for the large
    /// files, the emitting of each item before it is formatted.
    Format,
}

impl Stage {
    /// Every stage, in the order they run.
    pub const ALL: [Stage; 7] = [
        Stage::Load,
        Stage::Bundle,
        Stage::Normalize,
        Stage::Document,
        Stage::Lower,
        Stage::Emit,
        Stage::Format,
    ];

    /// Its name in lower case (`load`, `bundle`, …).
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Bundle => "bundle",
            Stage::Normalize => "normalize",
            Stage::Document => "document",
            Stage::Lower => "lower",
            Stage::Emit => "emit",
            Stage::Format => "format",
        }
    }
}

/// Runs the pipeline as [`generate_with_files`](crate::generate_with_files) (or
/// [`generate`](crate::generate) when `files` is `None`) does, calling `observer` with each
/// stage as it ends. A run that fails stops calling it at the failing stage.
pub fn generate_observed(
    spec: &str,
    files: Option<&SpecFiles<'_>>,
    options: &Options,
    observer: &mut (dyn FnMut(Stage) + Send),
) -> Result<Generated, Error> {
    crate::run(spec, files, options, observer)
}

/// Runs the pipeline and returns, beside its result, the wall time of each stage in order.
pub fn generate_timed(
    spec: &str,
    files: Option<&SpecFiles<'_>>,
    options: &Options,
) -> Result<(Generated, Vec<(Stage, Duration)>), Error> {
    let mut timings = Vec::with_capacity(Stage::ALL.len());
    let mut last = Instant::now();
    let generated = generate_observed(spec, files, options, &mut |stage| {
        let now = Instant::now();
        timings.push((stage, now - last));
        last = now;
    })?;
    Ok((generated, timings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_is_reported_once_in_order() {
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '204': {description: ok}\n";
        let options = Options {
            settings: crate::Settings::default(),
            spec_label: "t.yaml".into(),
            command: "test".into(),
            manifest: crate::ManifestMode::Standalone,
            examples: Vec::new(),
        };
        let mut seen = Vec::new();
        let generated = generate_observed(spec, None, &options, &mut |s| seen.push(s));
        assert!(generated.is_ok());
        assert_eq!(seen, Stage::ALL);
        let plain = crate::generate(spec, &options).map(|g| g.files);
        assert_eq!(plain.ok(), generated.ok().map(|g| g.files));
    }

    #[test]
    fn a_failing_run_stops_at_its_stage() {
        let options = Options {
            settings: crate::Settings::default(),
            spec_label: "t.yaml".into(),
            command: "test".into(),
            manifest: crate::ManifestMode::Standalone,
            examples: Vec::new(),
        };
        let mut seen = Vec::new();
        let result = generate_observed("{ not json", None, &options, &mut |s| seen.push(s));
        assert!(matches!(result, Err(Error::Syntax(_))));
        assert!(seen.is_empty());
    }
}
