//! The hand-written runtime (`runtime/src/` in this repository), embedded so that every
//! generated crate carries its own copy as `src/runtime/` and depends on nothing of ours.

/// Each runtime file by its path under `src/runtime/`; `lib.rs` becomes `mod.rs`.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../../runtime/src/lib.rs")),
    (
        "builder.rs",
        include_str!("../../../runtime/src/builder.rs"),
    ),
    ("client.rs", include_str!("../../../runtime/src/client.rs")),
    ("encode.rs", include_str!("../../../runtime/src/encode.rs")),
    ("error.rs", include_str!("../../../runtime/src/error.rs")),
    (
        "event_stream.rs",
        include_str!("../../../runtime/src/event_stream.rs"),
    ),
    (
        "multipart.rs",
        include_str!("../../../runtime/src/multipart.rs"),
    ),
    (
        "nullable.rs",
        include_str!("../../../runtime/src/nullable.rs"),
    ),
    (
        "paginate.rs",
        include_str!("../../../runtime/src/paginate.rs"),
    ),
    (
        "request.rs",
        include_str!("../../../runtime/src/request.rs"),
    ),
    (
        "response.rs",
        include_str!("../../../runtime/src/response.rs"),
    ),
    ("retry.rs", include_str!("../../../runtime/src/retry.rs")),
    (
        "retry_after.rs",
        include_str!("../../../runtime/src/retry_after.rs"),
    ),
    ("send.rs", include_str!("../../../runtime/src/send.rs")),
];
