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
#[doc(hidden)]
pub fn handle_json<T: DeserializeOwned>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    fields: (&str, &str),
) -> Result<ApiResponse<T>, Error> {
    classify(status, headers, body, fields).and_then(decode)
}
