//! Percent-encoding of values placed in a URL path.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::error::Error;

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is escaped, so a
/// value can never add a path segment (`/`), start a query (`?`) or a fragment (`#`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The text of a path parameter that is not a string: a number or boolean in its JSON
/// spelling, an enum or a string-shaped union as its string, anything else as JSON text.
pub fn path_text<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        Ok(other) => Ok(other.to_string()),
        Err(err) => Err(Error::InvalidRequest(format!(
            "path parameter `{name}` does not serialize: {err}"
        ))),
    }
}

/// Encodes one path parameter value as a single path segment.
///
/// Values that would change which resource the path names are refused: the empty string
/// (it collapses two segments into one) and `.` or `..` (URL parsers resolve them, escaped
/// or not, so `..` would climb to the parent resource).
///
/// ```text
/// encode_path_segment("model_id", "a/b c") == Ok("a%2Fb%20c")
/// encode_path_segment("model_id", "..")    == Err(Error::InvalidRequest(..))
/// ```
pub fn encode_path_segment(name: &'static str, value: &str) -> Result<String, Error> {
    if matches!(value, "" | "." | "..") {
        return Err(Error::InvalidRequest(format!(
            "path parameter `{name}` may not be {value:?}: it would change the request path"
        )));
    }
    Ok(utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

#[cfg(test)]
mod tests {
    use super::encode_path_segment;

    #[test]
    fn reserved_characters_are_escaped() {
        let cases = [
            ("plain", "plain"),
            ("a/b c", "a%2Fb%20c"),
            ("x?y#z", "x%3Fy%23z"),
            ("...", "..."),
            ("~user-1_a.b", "~user-1_a.b"),
            ("ü", "%C3%BC"),
            ("%2F", "%252F"),
        ];
        for (raw, want) in cases {
            let got = encode_path_segment("p", raw).expect("valid segment");
            assert_eq!(got, want, "{raw:?}");
        }
    }

    #[test]
    fn values_that_change_the_path_are_refused() {
        for raw in ["", ".", ".."] {
            let err = encode_path_segment("model_id", raw).expect_err(raw);
            assert!(err.to_string().contains("model_id"), "{err}");
        }
    }
}
