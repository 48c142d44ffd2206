//! The hand-written runtime (`runtime/` in this package), embedded so that every generated
//! crate carries its own copy as `src/runtime/` and depends on nothing of ours. The copy
//! leaves out the runtime's tests: each top-level item marked `#[cfg(test)]` or
//! `#[cfg(feature = "testing")]`, with the comments and attributes above it.

/// Each runtime file by its path under `src/runtime/`, less its tests; `lib.rs` becomes
/// `mod.rs`.
pub(crate) fn files() -> impl Iterator<Item = (&'static str, String)> {
    SOURCES
        .iter()
        .map(|(path, text)| (*path, without_tests(text)))
}

/// The first line of every copied file, after the `@generated` header.
pub(crate) fn note() -> String {
    format!(
        "The runtime of apigen {}, copied less its tests. Change it in apigen's `runtime/`, not here.",
        env!("CARGO_PKG_VERSION")
    )
}

/// The runtime's source files, tests included.
pub(crate) const SOURCES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../runtime/lib.rs")),
    ("builder.rs", include_str!("../../runtime/builder.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    ("encode.rs", include_str!("../../runtime/encode.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    (
        "event_stream.rs",
        include_str!("../../runtime/event_stream.rs"),
    ),
    ("future.rs", include_str!("../../runtime/future.rs")),
    ("hooks.rs", include_str!("../../runtime/hooks.rs")),
    (
        "json_stream.rs",
        include_str!("../../runtime/json_stream.rs"),
    ),
    (
        "idempotency.rs",
        include_str!("../../runtime/idempotency.rs"),
    ),
    ("mock.rs", include_str!("../../runtime/mock.rs")),
    ("multipart.rs", include_str!("../../runtime/multipart.rs")),
    ("nullable.rs", include_str!("../../runtime/nullable.rs")),
    ("paginate.rs", include_str!("../../runtime/paginate.rs")),
    ("request.rs", include_str!("../../runtime/request.rs")),
    ("response.rs", include_str!("../../runtime/response.rs")),
    ("retry.rs", include_str!("../../runtime/retry.rs")),
    (
        "retry_after.rs",
        include_str!("../../runtime/retry_after.rs"),
    ),
    ("send.rs", include_str!("../../runtime/send.rs")),
    ("transport.rs", include_str!("../../runtime/transport.rs")),
];

/// The attributes that mark an item as test code.
const TEST_MARKERS: &[&str] = &["#[cfg(test)]", "#[cfg(feature = \"testing\")]"];

/// `source` less its test items. The runtime is rustfmt-formatted, so a top-level item
/// starts at column 0 and, when it has a body, ends with a `}` alone at column 0.
pub(crate) fn without_tests(source: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        if !TEST_MARKERS.contains(&line.trim_end()) {
            kept.push(line);
            continue;
        }
        // The doc comments and attributes above the marker belong to the item.
        while kept.last().is_some_and(|l| is_attribute_or_doc(l)) {
            kept.pop();
        }
        // The attributes after it, then the item itself.
        while lines.next_if(|l| is_attribute_or_doc(l)).is_some() {}
        if let Some(first) = lines.next() {
            if !first.trim_end().ends_with(';') {
                for rest in lines.by_ref() {
                    if rest.trim_end() == "}" {
                        break;
                    }
                }
            }
        }
    }
    let mut text = String::with_capacity(source.len());
    for (i, line) in kept.iter().enumerate() {
        let blank_run =
            line.trim().is_empty() && kept.get(i + 1).is_none_or(|n| n.trim().is_empty());
        if !blank_run {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

fn is_attribute_or_doc(line: &str) -> bool {
    line.starts_with("#[") || line.starts_with("///")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_items_and_their_docs_are_left_out() {
        let source = "//! A module.\n\nuse x;\n\n/// Kept.\npub fn kept() {}\n\n/// Gone.\n#[cfg(feature = \"testing\")]\n#[doc(hidden)]\npub fn helper() {\n    body();\n}\n\n#[cfg(test)]\nmod tests {\n    fn inner() {\n    }\n}\n";
        assert_eq!(
            without_tests(source),
            "//! A module.\n\nuse x;\n\n/// Kept.\npub fn kept() {}\n"
        );
        let declared =
            "pub fn a() {}\n\n#[cfg(test)]\n#[path = \"x.rs\"]\nmod tests;\n\npub fn b() {}\n";
        assert_eq!(without_tests(declared), "pub fn a() {}\n\npub fn b() {}\n");
    }

    #[test]
    fn every_copy_is_free_of_tests_and_parses() {
        for (path, text) in files() {
            let marked = text.lines().any(|l| TEST_MARKERS.contains(&l.trim()));
            assert!(!marked, "{path} keeps a test item");
            assert!(!text.contains("mod tests"), "{path}");
            if let Err(err) = syn::parse_file(&text) {
                panic!("{path} does not parse once its tests are left out: {err}");
            }
        }
    }
}
