//! Helpers for the tests of this workspace: a Prism mock server and a scripted HTTP server.

pub mod fixtures;
pub mod mock_server;
pub mod prism;
