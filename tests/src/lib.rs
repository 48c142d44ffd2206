//! Helpers for the tests of this workspace: a Prism mock server and a scripted HTTP server.

pub mod fixtures;
pub mod mock_server;
pub mod prism;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
