//! Helpers for the tests of this workspace: a Prism mock server, a scripted HTTP server, a
//! hand-described API for the runtime crate, and a capturing `tracing` subscriber.

pub mod fixtures;
pub mod mock_server;
pub mod prism;
pub mod runtime_api;
pub mod trace_capture;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
