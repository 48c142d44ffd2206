//! The one error type of a generated client, and the details of an error answer from the API.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Everything that can go wrong when calling the API.
///
/// Match on the variant to tell a problem on this side (configuration, request), on the
/// way (transport, timeout), or an answer from the server (an error status, or a success
/// whose body does not match the spec). No variant ever contains the API key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be configured: a bad base URL, header value, or missing key.
    Config(String),
    /// The request could not be built from the arguments given (for example a path
    /// parameter that would change the path, or a body that does not serialize).
    InvalidRequest(String),
    /// Connecting, sending the request or reading the response failed.
    Transport(reqwest::Error),
    /// The request did not complete within its timeout.
    Timeout(reqwest::Error),
    /// The response headers of a streamed call (server-sent events) did not arrive within
    /// the call's timeout. A streamed call's timeout ends when the headers arrive, so that
    /// a long stream is not cut; other calls report [`Error::Timeout`] instead.
    HeadersTimeout(std::time::Duration),
    /// The server answered with a success status, but the body is not what the spec says.
    Decode {
        /// The status of the response.
        status: StatusCode,
        /// The response body as received.
        body: Bytes,
        /// What did not match.
        source: serde_json::Error,
    },
    /// The server answered with a status that is not a success.
    Api(Box<ApiError>),
    /// A hook of the caller's stopped the call before an attempt was sent (see `Hook`).
    Hook(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// The HTTP status of the response this error came from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            Error::Api(api) => Some(api.status),
            Error::Transport(err) | Error::Timeout(err) => err.status(),
            Error::Config(_)
            | Error::InvalidRequest(_)
            | Error::HeadersTimeout(_)
            | Error::Hook(_) => None,
        }
    }

    /// Whether the call ran out of time: [`Error::Timeout`] or [`Error::HeadersTimeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_) | Error::HeadersTimeout(_))
    }

    /// The error answer from the API, when the server answered with an error status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The error answer decoded into the type the spec declares for it: pass the
    /// operation's error enum (`requests::GetRepoError`). `None` when this is not an error
    /// answer, its status is not one the operation declares, or its body does not decode.
    ///
    /// ```ignore
    /// match client.get_repo("octocat", "hello").await {
    ///     Err(err) => match err.typed::<requests::GetRepoError>() {
    ///         Some(requests::GetRepoError::Status404(body)) => println!("{}", body.message),
    ///         _ => return Err(err),
    ///     },
    ///     Ok(repo) => println!("{repo:?}"),
    /// }
    /// ```
    pub fn typed<E: FromApiError>(&self) -> Option<E> {
        self.api_error().and_then(E::from_api_error)
    }

    /// Classifies an error from `reqwest` as a timeout or another transport failure.
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Self {
        if err.is_timeout() {
            Error::Timeout(err)
        } else {
            Error::Transport(err)
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(msg) => write!(f, "invalid client configuration: {msg}"),
            Error::InvalidRequest(msg) => write!(f, "invalid request: {msg}"),
            Error::Transport(err) => write!(f, "transport error: {err}"),
            Error::Timeout(err) => write!(f, "request timed out: {err}"),
            Error::HeadersTimeout(limit) => write!(
                f,
                "request timed out: no response headers within {} ms",
                limit.as_millis()
            ),
            Error::Decode { status, source, .. } => {
                write!(f, "could not decode the {status} response body: {source}")
            }
            Error::Api(api) => fmt::Display::fmt(api, f),
            Error::Hook(err) => write!(f, "a hook stopped the request: {err}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(err) | Error::Timeout(err) => Some(err),
            Error::Decode { source, .. } => Some(source),
            Error::Hook(err) => Some(err.as_ref()),
            Error::Config(_)
            | Error::InvalidRequest(_)
            | Error::HeadersTimeout(_)
            | Error::Api(_) => None,
        }
    }
}

/// An answer with an error status: the status, headers and raw body, plus the API's
/// error code and message when the body has the API's error shape.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers (for example a request id, or `Retry-After`).
    pub headers: HeaderMap,
    /// The response body as received.
    pub body: Bytes,
    /// The machine-readable error code, e.g. `VALIDATION_ERROR`, when the body carries one.
    pub code: Option<String>,
    /// The human-readable message, when the body carries one.
    pub message: Option<String>,
}

impl ApiError {
    /// Reads an error answer, looking for `code_field` and `message_field` in a JSON body.
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        fields: (&str, &str),
    ) -> Self {
        let (code, message) = parse_error_body(&body, fields);
        ApiError {
            status,
            headers,
            body,
            code,
            message,
        }
    }
}

impl ApiError {
    /// The body decoded as JSON into `T`: any type, for bodies the spec does not declare.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// An operation's declared error answers, one variant per declared status; the generator
/// implements it for each operation that declares an error body. See [`Error::typed`].
pub trait FromApiError: Sized {
    /// Picks the variant the status selects and decodes the body into its type. `None`
    /// when no declared status matches or the body does not decode.
    fn from_api_error(error: &ApiError) -> Option<Self>;
}

/// Picks the code and message out of a JSON object body; anything else gives `None`s.
fn parse_error_body(
    body: &[u8],
    (code_field, message_field): (&str, &str),
) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None);
    };
    let text = |field: &str| match map.get(field) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    };
    (text(code_field), text(message_field))
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, ": {code}: {message}"),
            (Some(text), None) | (None, Some(text)) => write!(f, ": {text}"),
            (None, None) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, body: &'static str) -> ApiError {
        let status = StatusCode::from_u16(status).expect("valid status");
        ApiError::new(
            status,
            HeaderMap::new(),
            Bytes::from_static(body.as_bytes()),
            ("code", "message"),
        )
    }

    #[test]
    fn display_shows_status_code_and_message() {
        let cases = [
            (
                400,
                r#"{"code":"VALIDATION_ERROR","message":"Environment production has no in progress promotion."}"#,
                "HTTP 400 Bad Request: VALIDATION_ERROR: Environment production has no in progress promotion.",
            ),
            (
                404,
                r#"{"message":"not found"}"#,
                "HTTP 404 Not Found: not found",
            ),
            (502, "<html>Bad gateway</html>", "HTTP 502 Bad Gateway"),
            (500, "", "HTTP 500 Internal Server Error"),
            (409, r#"{"code":7,"message":null}"#, "HTTP 409 Conflict: 7"),
            (400, r#"["code","message"]"#, "HTTP 400 Bad Request"),
        ];
        for (status, body, want) in cases {
            let err = Error::Api(Box::new(api_error(status, body)));
            assert_eq!(err.to_string(), want, "{body}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        }
    }

    #[derive(Debug, PartialEq)]
    enum Declared {
        NotFound(serde_json::Value),
        Server,
    }

    impl FromApiError for Declared {
        fn from_api_error(error: &ApiError) -> Option<Self> {
            match error.status.as_u16() {
                404 => error.json().ok().map(Declared::NotFound),
                500..=599 => Some(Declared::Server),
                _ => None,
            }
        }
    }

    #[test]
    fn typed_decodes_declared_error_answers_only() {
        let not_found = Error::Api(Box::new(api_error(404, r#"{"message":"gone"}"#)));
        assert_eq!(
            not_found.typed::<Declared>(),
            Some(Declared::NotFound(serde_json::json!({"message": "gone"})))
        );
        let undecodable = Error::Api(Box::new(api_error(404, "<html>")));
        assert_eq!(undecodable.typed::<Declared>(), None);
        let server = Error::Api(Box::new(api_error(503, "")));
        assert_eq!(server.typed::<Declared>(), Some(Declared::Server));
        let other = Error::Api(Box::new(api_error(401, "{}")));
        assert_eq!(other.typed::<Declared>(), None);
        let config = Error::Config("no key".into());
        assert_eq!(config.typed::<Declared>(), None);
    }

    #[test]
    fn the_raw_body_is_kept() {
        let err = api_error(400, "not json");
        assert_eq!(&err.body[..], b"not json");
        assert_eq!(err.code, None);
    }
}
