//! Optional and nullable fields: `Option<Option<T>>`, where the outer `Option` says whether
//! the field is present and the inner one whether it is `null`.
//!
//! - absent → `None` (and `None` is not serialized: the field is left alone);
//! - `null` → `Some(None)` (and `Some(None)` is serialized as `null`: the field is cleared);
//! - a value → `Some(Some(value))`.
//!
//! Fields use `#[serde(default, skip_serializing_if = "Option::is_none",
//! deserialize_with = "nullable::deserialize")]`; serializing needs nothing special.

use serde::{Deserialize, Deserializer};

/// Reads a present field: `null` as `Some(None)`, a value as `Some(Some(value))`.
/// (An absent field never reaches this function; `#[serde(default)]` makes it `None`.)
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "super::deserialize"
        )]
        name: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_stay_distinct_both_ways() {
        let cases = [
            ("{}", None),
            (r#"{"name":null}"#, Some(None)),
            (r#"{"name":"x"}"#, Some(Some("x".to_owned()))),
        ];
        for (json, name) in cases {
            let patch: Patch = serde_json::from_str(json).expect("decodes");
            assert_eq!(patch, Patch { name: name.clone() }, "{json}");
            assert_eq!(serde_json::to_string(&patch).expect("encodes"), json);
        }
    }
}
