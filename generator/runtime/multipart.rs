//! Multipart bodies (`multipart/form-data`, and `multipart/mixed` or `multipart/related` with
//! the same parts under their own media type), kept as plain parts so that a retried request
//! is built again from them (a `reqwest` form can be sent only once).

use bytes::Bytes;
use serde::Serialize;

/// The parts of a multipart body, in order.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
    /// The media type when it is not `multipart/form-data` (`multipart/mixed`).
    media_type: Option<&'static str>,
    /// Why a part could not be added, if one could not: the first one; the request the form
    /// is the body of fails with it.
    pub(crate) problem: Option<String>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    File(Bytes),
}

impl Multipart {
    /// No parts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// No parts yet, of a body sent as `media_type` (`multipart/mixed`, `multipart/related`):
    /// each part still names its property in its `Content-Disposition`.
    pub fn with_media_type(media_type: &'static str) -> Self {
        Multipart {
            media_type: Some(media_type),
            ..Multipart::default()
        }
    }

    /// The `Content-Type` of the body when it is not `multipart/form-data`, with the form's
    /// boundary.
    pub(crate) fn content_type(&self, boundary: &str) -> Option<String> {
        self.media_type
            .map(|media_type| format!("{media_type}; boundary={boundary}"))
    }

    /// A text part.
    pub fn text(&mut self, name: &str, value: impl Into<String>) {
        self.parts.push((name.to_owned(), Part::Text(value.into())));
    }

    /// A file part; its file name is the part's name.
    pub fn file(&mut self, name: &str, bytes: impl Into<Bytes>) {
        self.parts.push((name.to_owned(), Part::File(bytes.into())));
    }

    /// Parts for any other value: a string as it is, a number or boolean in JSON spelling,
    /// an object as JSON text, an array as one part per item (all under `name`, as OpenAPI
    /// sends arrays in `multipart/form-data`); `null` adds no part. A value that does not
    /// serialize is the form's problem, which the request it is sent with fails with.
    pub fn value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => {
                items.into_iter().for_each(|item| self.scalar(name, item))
            }
            Ok(other) => self.scalar(name, other),
            Err(err) => {
                let problem = format!("form field `{name}` does not serialize: {err}");
                self.problem.get_or_insert(problem);
            }
        }
    }

    /// One part for a value that is not exploded further.
    fn scalar(&mut self, name: &str, value: serde_json::Value) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::String(text) => self.text(name, text),
            other => self.text(name, other.to_string()),
        }
    }

    /// The `reqwest` form for one attempt.
    pub(crate) fn to_form(&self) -> reqwest::multipart::Form {
        self.parts.iter().fold(
            reqwest::multipart::Form::new(),
            |form, (name, part)| match part {
                Part::Text(text) => form.text(name.clone(), text.clone()),
                Part::File(bytes) => {
                    let part =
                        reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.clone());
                    form.part(name.clone(), part)
                }
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_text_parts_arrays_a_part_per_item_and_null_none() {
        let mut form = Multipart::new();
        form.value("s", "x");
        form.value("n", &3);
        form.value("o", &serde_json::json!({"a": 1}));
        form.value("z", &Option::<u8>::None);
        form.value("a", &serde_json::json!(["x", 2, null, [3]]));
        form.file("f", vec![0u8, 1]);
        assert_eq!(form.problem, None);
        let names: Vec<&str> = form.parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["s", "n", "o", "a", "a", "a", "f"]);
        let texts: Vec<&str> = form.parts[3..6]
            .iter()
            .map(|(_, part)| match part {
                Part::Text(text) => text.as_str(),
                Part::File(_) => "file",
            })
            .collect();
        assert_eq!(texts, ["x", "2", "[3]"]);
        match &form.parts[2].1 {
            Part::Text(text) => assert_eq!(text, r#"{"a":1}"#),
            Part::File(_) => panic!("a text part"),
        }
    }

    #[test]
    fn a_value_that_does_not_serialize_is_the_forms_first_problem() {
        let mut form = Multipart::new();
        let not_a_map = std::collections::HashMap::from([((1, 2), 3)]);
        form.value("m", &not_a_map);
        form.value("later", &not_a_map);
        let problem = form.problem.expect("a problem");
        assert!(
            problem.starts_with("form field `m` does not serialize"),
            "{problem}"
        );
    }
}
