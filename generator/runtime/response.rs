//! From a status, headers and body to a typed value or a typed error: pure functions, so
//! that every response a server could send can be tried without a network.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::{ApiError, Error};

/// A decoded success together with its status and headers (for example a request id).
///
/// Returned by the `send_with_response` method of every request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub value: T,
}

/// A response with a success status, before its body is decoded.
#[derive(Debug)]
pub(crate) struct Success {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// The fields of the API's error body that hold its code and message.
pub(crate) type ErrorFields<'a> = (&'a str, &'a str);

/// A success status gives the response; any other status an `Error::Api`.
pub(crate) fn classify(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    fields: ErrorFields<'_>,
) -> Result<Success, Error> {
    if status.is_success() {
        return Ok(Success {
            status,
            headers,
            body,
        });
    }
    Err(Error::Api(Box::new(ApiError::new(
        status, headers, body, fields,
    ))))
}

/// Decodes a success's JSON body as `T`; a body that does not match is `Error::Decode`
/// with the raw body.
pub(crate) fn decode<T: DeserializeOwned>(success: Success) -> Result<ApiResponse<T>, Error> {
    let Success {
        status,
        headers,
        body,
    } = success;
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(ApiResponse {
            status,
            headers,
            value,
        }),
        Err(source) => Err(Error::Decode {
            status,
            body,
            source,
        }),
    }
}

/// The success answers of an operation that declares several with different bodies, one
/// variant per declared status; the generator implements it for each such operation.
pub trait FromSuccess: Sized {
    /// Picks the variant `status` selects and decodes `body` for it. A success status the
    /// spec does not declare is read as the first declared one.
    fn from_success(status: StatusCode, body: &Bytes) -> Result<Self, serde_json::Error>;
}

/// Decodes a success by its status through [`FromSuccess`]; a body that does not match is
/// `Error::Decode` with the raw body.
pub(crate) fn decode_by_status<T: FromSuccess>(success: Success) -> Result<ApiResponse<T>, Error> {
    match T::from_success(success.status, &success.body) {
        Ok(value) => Ok(empty(success).with_value(value)),
        Err(source) => Err(Error::Decode {
            status: success.status,
            body: success.body,
            source,
        }),
    }
}

impl ApiResponse<()> {
    /// The same status and headers with a value.
    pub(crate) fn with_value<T>(self, value: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            value,
        }
    }
}

/// A success whose body is not read.
pub(crate) fn empty(success: Success) -> ApiResponse<()> {
    ApiResponse {
        status: success.status,
        headers: success.headers,
        value: (),
    }
}

/// What `Client::execute_json` makes of a complete response: [`classify`], then [`decode`].
/// Public (hidden) so that property tests can drive it with any response.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub fn handle_json<T: DeserializeOwned>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    fields: (&str, &str),
) -> Result<ApiResponse<T>, Error> {
    classify(status, headers, body, fields).and_then(decode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Answer {
        Created(serde_json::Value),
        NoContent,
    }

    impl FromSuccess for Answer {
        fn from_success(status: StatusCode, body: &Bytes) -> Result<Self, serde_json::Error> {
            match status.as_u16() {
                204 => Ok(Answer::NoContent),
                _ => serde_json::from_slice(body).map(Answer::Created),
            }
        }
    }

    fn success(status: u16, body: &'static str) -> Success {
        Success {
            status: StatusCode::from_u16(status).expect("valid status"),
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn the_status_picks_how_the_body_is_read() {
        let created = decode_by_status::<Answer>(success(201, r#"{"id":1}"#)).expect("201");
        assert_eq!(created.value, Answer::Created(serde_json::json!({"id": 1})));
        assert_eq!(created.status.as_u16(), 201);
        let empty = decode_by_status::<Answer>(success(204, "")).expect("204");
        assert_eq!(empty.value, Answer::NoContent);
        match decode_by_status::<Answer>(success(201, "")) {
            Err(Error::Decode { status, body, .. }) => {
                assert_eq!((status.as_u16(), body.len()), (201, 0));
            }
            other => panic!("an empty 201 decoded as {other:?}"),
        }
    }
}
