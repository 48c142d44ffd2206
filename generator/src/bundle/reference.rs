//! `$ref` strings: which file and which JSON pointer in it they name, file paths resolved
//! lexically, and the name a hoisted schema takes from its target.

use serde_json::Value;

/// What a `$ref` points at: a file (relative to the root spec's directory, `""` for the
/// root document itself) and a JSON pointer fragment in it (`""` for the whole file).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Target {
    /// `/`-separated, `.` and `..` resolved lexically (`schemas/pet.yaml`, `../shared.json`);
    /// `""` for the root document.
    pub path: String,
    /// The fragment without its `#`, as written (`/components/schemas/Error`), or `""`.
    pub fragment: String,
}

impl Target {
    /// The target as a location for diagnostics: `common.yaml#/components/schemas/Error`.
    pub fn location(&self) -> String {
        format!("{}#{}", self.path, self.fragment)
    }
}

/// Resolves `reference`, written in the file `from` (`""` for the root), against the
/// directory of `from`. A path naming the root's own file (`root_name`) gives the root.
///
/// ```text
/// "#/components/schemas/A" in "common.yaml"  → ("common.yaml", "/components/schemas/A")
/// "../shared.json#/Pet"    in "schemas/a.yaml" → ("shared.json", "/Pet")
/// "pet.yaml"               in ""               → ("pet.yaml", "")
/// ```
pub(super) fn resolve(reference: &str, from: &str, root_name: &str) -> Result<Target, String> {
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err(format!(
            "only JSON pointer fragments (`#/…`) are supported, not `#{fragment}`"
        ));
    }
    if path.is_empty() {
        return Ok(Target {
            path: from.to_owned(),
            fragment: fragment.to_owned(),
        });
    }
    check_relative(path)?;
    let joined = match from.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{}", percent_decode(path)),
        None => percent_decode(path),
    };
    let path = normalize_path(&joined);
    let path = if path == normalize_path(root_name) {
        String::new()
    } else {
        path
    };
    Ok(Target {
        path,
        fragment: fragment.to_owned(),
    })
}

/// Only relative file paths can be read: no URLs (the generator does no network I/O), no
/// other URI schemes, no absolute paths.
fn check_relative(path: &str) -> Result<(), String> {
    let scheme = path.split_once(':').map(|(scheme, _)| scheme).filter(|s| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    match scheme {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => Err(
            "remote references are not supported: the generator does no network I/O; \
             save the document beside the spec and refer to it by a relative path"
                .to_owned(),
        ),
        Some(s) => Err(format!(
            "`{s}:` references are not supported; refer to other files by a relative path"
        )),
        None if path.starts_with('/') || path.starts_with('\\') => Err(
            "absolute paths are not supported; refer to other files relative to the file \
             that refers to them"
                .to_owned(),
        ),
        None => Ok(()),
    }
}

/// `a/./b/../c.yaml` → `a/c.yaml`; a `..` above the start is kept (`../x.yaml`).
pub(super) fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// The value at JSON pointer `fragment` (`""` or `/a/b~1c/0`) in `doc`; `Err` names the
/// first segment not found.
pub(super) fn lookup<'v>(doc: &'v Value, fragment: &str) -> Result<&'v Value, String> {
    let mut value = doc;
    let segments = fragment.split('/').skip(1).map(unescape);
    for segment in segments {
        let next = match value {
            Value::Object(map) => map.get(&segment),
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        value = next.ok_or_else(|| format!("`{segment}` is missing"))?;
    }
    Ok(value)
}

/// The name a schema hoisted from `target` asks for: the last segment of its pointer that
/// is a name rather than an index (`/components/schemas/Error` → `Error`), else the file's
/// stem as spelled (`schemas/pet.yaml` → `pet`).
pub(super) fn schema_name(target: &Target) -> String {
    let from_pointer = target
        .fragment
        .rsplit('/')
        .map(unescape)
        .find(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()));
    from_pointer.unwrap_or_else(|| {
        let file = target.path.rsplit('/').next().unwrap_or_default();
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        match stem {
            "" => "schema".to_owned(),
            stem => stem.to_owned(),
        }
    })
}

/// One pointer segment, percent-decoded (URI fragment) then `~1` → `/`, `~0` → `~`.
fn unescape(segment: &str) -> String {
    percent_decode(segment)
        .replace("~1", "/")
        .replace("~0", "~")
}

/// `%20` → ` `; a malformed escape stays as written, and text that does not decode to UTF-8
/// stays whole.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_owned(), |decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn target(path: &str, fragment: &str) -> Target {
        Target {
            path: path.to_owned(),
            fragment: fragment.to_owned(),
        }
    }

    #[test]
    fn references_resolve_against_the_referring_file() {
        let cases = [
            ("#/a", "", target("", "/a")),
            ("#/a", "x/common.yaml", target("x/common.yaml", "/a")),
            ("pet.yaml", "", target("pet.yaml", "")),
            ("./pet.yaml#", "", target("pet.yaml", "")),
            (
                "../shared.json#/Pet",
                "schemas/a.yaml",
                target("shared.json", "/Pet"),
            ),
            ("../up.yaml", "", target("../up.yaml", "")),
            ("b/../c.yaml#/X", "a/f.yaml", target("a/c.yaml", "/X")),
            ("my%20pet.yaml", "", target("my pet.yaml", "")),
            (
                "../openapi.yaml#/components/schemas/A",
                "s/a.yaml",
                target("", "/components/schemas/A"),
            ),
        ];
        for (reference, from, want) in cases {
            assert_eq!(
                resolve(reference, from, "openapi.yaml"),
                Ok(want),
                "{reference}"
            );
        }
    }

    #[test]
    fn remote_absolute_and_other_scheme_references_are_refused() {
        let refused = [
            "https://example.com/a.yaml",
            "HTTP://x/y",
            "urn:x:y",
            "/etc/a.yaml",
            "a.yaml#anchor",
        ];
        for reference in refused {
            let err = resolve(reference, "", "").expect_err(reference);
            assert!(!err.is_empty());
        }
        let err = resolve("http://example.com/a.yaml#/A", "", "").expect_err("remote");
        assert!(err.contains("network"), "{err}");
    }

    #[test]
    fn paths_normalize_lexically() {
        let cases = [
            ("a/./b/../c.yaml", "a/c.yaml"),
            ("../../x.yaml", "../../x.yaml"), // tidy: not a repository path
            ("a/../../x.yaml", "../x.yaml"),
            ("a//b.yaml", "a/b.yaml"),
        ];
        for (path, want) in cases {
            assert_eq!(normalize_path(path), want, "{path}");
        }
    }

    #[test]
    fn pointers_look_up_escaped_and_indexed_segments() {
        let doc = json!({"a/b": {"c~d": [1, {"e f": 2}]}});
        assert_eq!(lookup(&doc, "/a~1b/c~0d/1/e%20f"), Ok(&json!(2)));
        assert_eq!(lookup(&doc, ""), Ok(&doc));
        assert!(lookup(&doc, "/a~1b/missing").is_err());
        assert!(lookup(&doc, "/a~1b/c~0d/7").is_err());
    }

    #[test]
    fn hoisted_names_come_from_the_pointer_or_the_file_stem() {
        let cases = [
            (target("common.yaml", "/components/schemas/Error"), "Error"),
            (target("defs.json", "/definitions/Tag"), "Tag"),
            (target("schemas/pet.yaml", ""), "pet"),
            (target("schemas/pet-store.v2.yaml", ""), "pet-store.v2"),
            (target("list.yaml", "/allOf/0"), "allOf"),
            (target("list.yaml", "/0"), "list"),
            (target("a.yaml", "/x~1y"), "x/y"),
        ];
        for (target, want) in cases {
            assert_eq!(schema_name(&target), want, "{target:?}");
        }
    }
}
