//! Media types the generator reads as a sequence of items rather than one document:
//! server-sent events, JSON Lines and NDJSON, JSON text sequences. Normalizing (OpenAPI 3.2's
//! `itemSchema`) and lowering (the streamed methods) both ask here.

/// How the items of a sequential media type are told apart on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sequential {
    /// `text/event-stream`: server-sent events, each item an event.
    Events,
    /// One JSON value per line: `application/jsonl`, `application/x-ndjson` and their
    /// aliases.
    Lines,
    /// One JSON value per record (RFC 7464): `application/json-seq`, `application/*+json-seq`.
    Records,
}

/// The media type without parameters, lowercased: `Application/JSON; charset=utf-8` →
/// `application/json`.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether `media_type` is a sequential media type, and which.
pub(crate) fn sequential(media_type: &str) -> Option<Sequential> {
    let essence = essence(media_type);
    match essence.as_str() {
        "text/event-stream" => Some(Sequential::Events),
        "application/jsonl"
        | "application/x-ndjson"
        | "application/ndjson"
        | "application/x-jsonlines"
        | "application/jsonlines" => Some(Sequential::Lines),
        "application/json-seq" => Some(Sequential::Records),
        other if other.starts_with("application/") && other.ends_with("+json-seq") => {
            Some(Sequential::Records)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_media_types_are_told_by_their_essence() {
        assert_eq!(sequential("text/event-stream"), Some(Sequential::Events));
        assert_eq!(
            sequential("Application/X-NDJSON; charset=utf-8"),
            Some(Sequential::Lines)
        );
        assert_eq!(sequential("application/jsonl"), Some(Sequential::Lines));
        assert_eq!(
            sequential("application/json-seq"),
            Some(Sequential::Records)
        );
        assert_eq!(
            sequential("application/geo+json-seq"),
            Some(Sequential::Records)
        );
        assert_eq!(sequential("application/json"), None);
        assert_eq!(sequential("multipart/mixed"), None);
    }
}
