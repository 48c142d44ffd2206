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

/// The JSON text of a parameter described by `content` as JSON (`{"a":1}`), to send where
/// the parameter travels.
pub fn json_text<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|err| {
        Error::InvalidRequest(format!("parameter `{name}` does not serialize: {err}"))
    })
}

/// A path parameter described by `content` as JSON: its JSON text, encoded as
/// [`encode_path_segment`] encodes a value.
pub fn path_json<T: serde::Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<String, Error> {
    encode_path_segment(name, &json_text(name, value)?)
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
    whole_segment(name, utf8_percent_encode(value, PATH_SEGMENT).to_string())
}

/// An encoded value that is a whole path segment, refused when it would change which
/// resource the path names: empty, `.` or `..` (encoding leaves those as they are).
pub(crate) fn whole_segment(name: &'static str, segment: String) -> Result<String, Error> {
    if matches!(segment.as_str(), "" | "." | "..") {
        return Err(Error::InvalidRequest(format!(
            "path parameter `{name}` may not be {segment:?}: it would change the request path"
        )));
    }
    Ok(segment)
}

/// How a path parameter is spelled: OpenAPI's `style` (`simple`, `label`, `matrix`) and
/// `explode`, for a value that is not the whole of its segment as a plain string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `a,b` for a list, `k,v` (or `k=v` exploded) for an object.
    Simple {
        /// `explode`.
        explode: bool,
    },
    /// `.a,b` (or `.a.b` exploded).
    Label {
        /// `explode`.
        explode: bool,
    },
    /// `;name=a,b` (or `;name=a;name=b` exploded; `;k=v` for an object).
    Matrix {
        /// `explode`.
        explode: bool,
    },
}

/// One path parameter's value as its style spells it, each value percent-encoded as in
/// [`encode_path_segment`] (the style's own `.`, `;`, `=` and `,` are not): a primitive is its
/// JSON spelling without quotes, a list its items, an object its entries (in the order
/// `serde_json` keeps them: by key, or as serialized with its `preserve_order` feature);
/// `null` is empty.
///
/// ```text
/// path_value("id", &"a b", PathStyle::Simple { explode: false })        == Ok("a%20b")
/// path_value("ids", &[1, 2], PathStyle::Label { explode: true })        == Ok(".1.2")
/// path_value("ids", &[1, 2], PathStyle::Matrix { explode: false })      == Ok(";ids=1,2")
/// ```
pub fn path_value<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: PathStyle,
) -> Result<String, Error> {
    let value = serde_json::to_value(value).map_err(|err| {
        Error::InvalidRequest(format!("path parameter `{name}` does not serialize: {err}"))
    })?;
    let encode = |text: &str| utf8_percent_encode(text, PATH_SEGMENT).to_string();
    let key = encode(name);
    let (explode, items) = match (&value, style) {
        (serde_json::Value::Array(items), _) => (
            explode_of(style),
            items.iter().map(|v| encode(&scalar_text(v))).collect(),
        ),
        (serde_json::Value::Object(map), _) => {
            let explode = explode_of(style);
            let entries = map
                .iter()
                .map(|(k, v)| (encode(k), encode(&scalar_text(v))));
            let items: Vec<String> = match explode {
                true => entries.map(|(k, v)| format!("{k}={v}")).collect(),
                false => entries.flat_map(|(k, v)| [k, v]).collect(),
            };
            // An exploded object in matrix style names its keys, not the parameter.
            if let (true, PathStyle::Matrix { .. }) = (explode, style) {
                return Ok(items.iter().map(|item| format!(";{item}")).collect());
            }
            (explode, items)
        }
        (scalar, _) => (false, vec![encode(&scalar_text(scalar))]),
    };
    Ok(match style {
        PathStyle::Simple { .. } => items.join(","),
        PathStyle::Label { .. } if explode => items.iter().map(|i| format!(".{i}")).collect(),
        PathStyle::Label { .. } => format!(".{}", items.join(",")),
        PathStyle::Matrix { .. } if explode => {
            items.iter().map(|i| format!(";{key}={i}")).collect()
        }
        PathStyle::Matrix { .. } => match items.join(",") {
            text if text.is_empty() => format!(";{key}"),
            text => format!(";{key}={text}"),
        },
    })
}

fn explode_of(style: PathStyle) -> bool {
    match style {
        PathStyle::Simple { explode }
        | PathStyle::Label { explode }
        | PathStyle::Matrix { explode } => explode,
    }
}

/// A value inside a list or object as text: a string as it is, `null` empty, anything else
/// in its JSON spelling.
fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A path segment made of several pieces (`{name}.{ext}`, `{Sid}.json`) once filled in:
/// refused when it would change which resource the path names (empty, `.` or `..`), as
/// [`encode_path_segment`] refuses a value that is the whole segment.
pub fn path_segment(template: &'static str, segment: String) -> Result<String, Error> {
    if matches!(segment.as_str(), "" | "." | "..") {
        return Err(Error::InvalidRequest(format!(
            "path segment `{template}` may not be {segment:?}: it would change the request path"
        )));
    }
    Ok(segment)
}

#[cfg(test)]
mod tests {
    use super::{PathStyle, encode_path_segment, path_segment, path_value};
    use serde_json::json;

    #[test]
    fn styles_spell_values_as_openapi_says() {
        let simple = PathStyle::Simple { explode: false };
        let simple_x = PathStyle::Simple { explode: true };
        let label = PathStyle::Label { explode: false };
        let label_x = PathStyle::Label { explode: true };
        let matrix = PathStyle::Matrix { explode: false };
        let matrix_x = PathStyle::Matrix { explode: true };
        let list = json!(["blue", "black", "brown"]);
        // Keys in order, so that the order `serde_json` keeps (by key, or as written with its
        // `preserve_order` feature) is one.
        let object = json!({"B": 150, "G": 200, "R": 100});
        let cases = [
            (json!("blue"), simple, "blue"),
            (list.clone(), simple, "blue,black,brown"),
            (object.clone(), simple, "B,150,G,200,R,100"),
            (object.clone(), simple_x, "B=150,G=200,R=100"),
            (json!("blue"), label, ".blue"),
            (list.clone(), label, ".blue,black,brown"),
            (list.clone(), label_x, ".blue.black.brown"),
            (object.clone(), label_x, ".B=150.G=200.R=100"),
            (json!("blue"), matrix, ";color=blue"),
            (json!(5), matrix_x, ";color=5"),
            (list.clone(), matrix, ";color=blue,black,brown"),
            (list, matrix_x, ";color=blue;color=black;color=brown"),
            (object.clone(), matrix, ";color=B,150,G,200,R,100"),
            (object, matrix_x, ";B=150;G=200;R=100"),
            (json!(null), matrix, ";color"),
            (json!("a/b;c"), label, ".a%2Fb%3Bc"),
        ];
        for (value, style, want) in cases {
            let got = path_value("color", &value, style).expect("serializes");
            assert_eq!(got, want, "{value} as {style:?}");
        }
    }

    #[test]
    fn segments_that_change_the_path_are_refused() {
        for bad in ["", ".", ".."] {
            let err = path_segment("{name}.{ext}", bad.to_owned()).expect_err(bad);
            assert!(err.to_string().contains("{name}.{ext}"), "{err}");
        }
        assert_eq!(
            path_segment("{a}.{b}", "x.y".to_owned()).ok().as_deref(),
            Some("x.y")
        );
    }

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
