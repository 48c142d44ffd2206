//! One request as generated code describes it, and the options a caller can add to any call.

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use super::encode::{
    PathStyle, encode_path_segment, json_text, path_json, path_segment, path_value, whole_segment,
};
use super::error::Error;
use super::idempotency;
use super::json_stream::Framing;
use super::multipart::Multipart;

/// Settings a caller can give a single call, on top of the client's.
///
/// ```text
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .max_retries(5)
///     .retry_non_idempotent()
///     .header("X-Request-Id", "abc-123")
///     .query("debug", "true");
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) retry_non_idempotent: bool,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) invalid: Option<String>,
}

impl RequestOptions {
    /// No overrides: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Limit on each attempt of this call, replacing the client's timeout (for a streamed
    /// call, such as one of server-sent events, on the wait for the response headers).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries allowed for this call, replacing the client's setting.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Allows retrying this call although its method (`POST`, `PATCH`) is not idempotent:
    /// say so when sending it twice does no harm, for example with an idempotency key.
    /// Without it such a call is retried only when its connection could not be made.
    pub fn retry_non_idempotent(mut self) -> Self {
        self.retry_non_idempotent = true;
        self
    }

    /// An extra header for this call, replacing a client default of the same name. An invalid name or value makes the call fail with
    /// `Error::InvalidRequest` before anything is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let parsed_name = HeaderName::from_bytes(name.as_bytes());
        let parsed_value = HeaderValue::from_str(value);
        match (parsed_name, parsed_value) {
            (Ok(name), Ok(value)) => self.headers.push((name, value)),
            (Err(_), _) => self.invalid = Some(format!("invalid header name {name:?}")),
            (_, Err(_)) => self.invalid = Some(format!("invalid value for header {name:?}")),
        }
        self
    }

    /// The idempotency key of this call, for an operation that takes one (its docs say so):
    /// without it the client makes a fresh random key for each call; either way it sends
    /// the same key on every attempt of the call. An operation that takes none gets it in
    /// an `Idempotency-Key` header, which does not make the call retried: add
    /// [`RequestOptions::retry_non_idempotent`] if the API honours the key there.
    pub fn idempotency_key(mut self, key: &str) -> Self {
        self.idempotency_key = Some(key.to_owned());
        self
    }

    /// An extra query parameter for this call.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The retries allowed for this call, if set.
    pub fn retries(&self) -> Option<u32> {
        self.max_retries
    }
}

/// A request as a generated operation describes it; generated code builds these.
///
/// Building one never fails on the spot: a parameter that cannot be sent (a path value
/// that would change the path, a value that does not serialize) is recorded as the
/// request's problem, the first one kept, and sending the request gives it as
/// `Error::InvalidRequest` before anything goes out. So the code that builds a request is
/// one straight line per parameter, with no early return to compile for each.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<(&'static str, Bytes)>,
    pub(crate) multipart: Option<Multipart>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) authenticated: bool,
    pub(crate) retry_non_idempotent: bool,
    /// The header the operation takes an idempotency key in, if any.
    pub(crate) idempotency_header: Option<&'static str>,
    /// The URL of a page named by a `Link` header, in place of the path and query.
    pub(crate) page_url: Option<reqwest::Url>,
    /// What a success must be when its body is read as it arrives, not whole.
    pub(crate) streamed: Option<StreamMedia>,
    pub(crate) options: RequestOptions,
    /// Why the request cannot be sent, if building it found a reason: the first one.
    problem: Option<String>,
}

/// What the success of a call whose body is read as it arrives must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StreamMedia {
    /// `text/event-stream`.
    Events,
    /// A sequence of JSON values told apart by this framing.
    Json(Framing),
}

impl StreamMedia {
    /// Whether a success of this `Content-Type` is such a stream; a success without one is
    /// taken to be.
    pub(crate) fn accepts(self, content_type: Option<&HeaderValue>) -> bool {
        let Some(value) = content_type else {
            return true;
        };
        let media_type = value.to_str().unwrap_or_default();
        match self {
            StreamMedia::Events => media_type
                .split(';')
                .next()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("text/event-stream")),
            StreamMedia::Json(framing) => Framing::of(media_type) == Some(framing),
        }
    }

    /// What such a stream is, for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            StreamMedia::Events => "a text/event-stream",
            StreamMedia::Json(Framing::Lines) => "a JSON Lines",
            StreamMedia::Json(Framing::Records) => "a JSON text sequence",
        }
    }
}

impl Request {
    /// A request for `operation`, sent with `method`, whose path is filled in from
    /// `path_template` by the `path*` calls that follow.
    pub fn new(operation: &'static str, method: Method, path_template: &'static str) -> Self {
        Request {
            operation,
            method,
            path_template,
            path: String::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            multipart: None,
            cookies: Vec::new(),
            authenticated: false,
            retry_non_idempotent: false,
            idempotency_header: None,
            page_url: None,
            streamed: None,
            options: RequestOptions::default(),
            problem: None,
        }
    }

    /// A request sent with the method named `method` (`QUERY`, or one of OpenAPI 3.2's
    /// `additionalOperations`); a name that is not an HTTP token is the request's problem.
    pub fn with_method_name(
        operation: &'static str,
        method: &'static str,
        path_template: &'static str,
    ) -> Self {
        match Method::from_bytes(method.as_bytes()) {
            Ok(parsed) => Request::new(operation, parsed, path_template),
            Err(_) => {
                let mut request = Request::new(operation, Method::default(), path_template);
                request.fail(Error::InvalidRequest(format!(
                    "`{method}` is not an HTTP method"
                )));
                request
            }
        }
    }

    /// Records why the request cannot be sent, unless an earlier reason was recorded.
    fn fail(&mut self, error: Error) {
        if self.problem.is_none() {
            self.problem = Some(match error {
                Error::InvalidRequest(message) => message,
                other => other.to_string(),
            });
        }
    }

    /// The value of one step of building the request, or `None` with its error recorded.
    fn record<T>(&mut self, step: Result<T, Error>) -> Option<T> {
        step.map_err(|error| self.fail(error)).ok()
    }

    /// The request, or why it cannot be sent.
    pub(crate) fn checked(mut self) -> Result<Request, Error> {
        match self.problem.take() {
            None => Ok(self),
            Some(problem) => Err(Error::InvalidRequest(problem)),
        }
    }

    /// Adds literal text of the path template (`/v1/models/`).
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Adds a string path parameter that is a whole segment, percent-encoded; one that would
    /// change the path (empty, `.`, `..`) is the request's problem (see
    /// [`encode_path_segment`]).
    pub fn path_param(&mut self, name: &'static str, value: &str) {
        let segment = encode_path_segment(name, value);
        self.path_piece(segment);
    }

    /// Adds a path parameter that is not a string and is a whole segment, in OpenAPI's
    /// default `simple` style: a number, boolean or enum as its text, an array as its items
    /// joined with `,`, an object as `key,value,…` ([`path_value`]), each value encoded as
    /// [`Request::path_param`] encodes a string; a segment that would change the path is the
    /// request's problem.
    pub fn path_param_text<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let segment = path_value(name, value, PathStyle::Simple { explode: false })
            .and_then(|segment| whole_segment(name, segment));
        self.path_piece(segment);
    }

    /// Adds a path parameter described by `content` as JSON: its JSON text, encoded.
    pub fn path_param_json<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.path_piece(path_json(name, value));
    }

    /// Adds a segment made of several pieces (`{name}.{ext}`, a `label` or `matrix` style),
    /// each already encoded; the first piece that failed, or a whole segment that would change
    /// the path, is the request's problem (see [`path_segment`]).
    pub fn path_segment(
        &mut self,
        template: &'static str,
        pieces: impl IntoIterator<Item = Result<String, Error>>,
    ) {
        let joined: Result<String, Error> = pieces.into_iter().collect();
        let segment = joined.and_then(|segment| path_segment(template, segment));
        self.path_piece(segment);
    }

    fn path_piece(&mut self, piece: Result<String, Error>) {
        if let Some(text) = self.record(piece) {
            self.path.push_str(&text);
        }
    }

    /// The operation's name, for logs and errors.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The path template, for logs.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// Adds a query parameter of any type, spelled as its `style` says:
    /// a scalar as its text; an array repeated (`k=a&k=b`, form with explode) or joined
    /// (`,` form without explode, ` ` space-delimited, `|` pipe-delimited); an object as
    /// `k[a]=1&k[b]=2` (deepObject), `a=1&b=2` (form with explode) or `k=a,1,b,2`. `null`
    /// adds nothing.
    pub fn query_value<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: QueryStyle) {
        if let Some(json) = self.record(to_json(name, value)) {
            self.query.extend(query_pairs(name, &json, style));
        }
    }

    /// Adds a query parameter described by `content` as JSON: its JSON text.
    pub fn query_json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if let Some(text) = self.record(json_text(name, value)) {
            self.query.push((name.to_owned(), text));
        }
    }

    /// Adds a cookie parameter (a scalar as its text, anything else as JSON).
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match self.record(to_json(name, value)) {
            None | Some(serde_json::Value::Null) => {}
            Some(json) => self.cookies.push((name.to_owned(), scalar_text(&json))),
        }
    }

    /// Adds a cookie parameter described by `content` as JSON: its JSON text.
    pub fn cookie_json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if let Some(text) = self.record(json_text(name, value)) {
            self.cookies.push((name.to_owned(), text));
        }
    }

    /// The `Cookie` header for the cookie parameters, if any.
    pub(crate) fn cookie_header(&self) -> Option<String> {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// Adds a header parameter: a scalar as its text, an array joined with `,` (the
    /// `simple` style), anything else as JSON.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let step = self.add_header(name, value);
        self.record(step);
    }

    /// Adds a header parameter described by `content` as JSON: its JSON text.
    pub fn header_json<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let step = json_text(name, value).and_then(|text| self.add_header(name, &text));
        self.record(step);
    }

    fn add_header<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let text = match to_json(name, value)? {
            serde_json::Value::Null => return Ok(()),
            serde_json::Value::Array(items) => {
                items.iter().map(scalar_text).collect::<Vec<_>>().join(",")
            }
            json => scalar_text(&json),
        };
        let name = HeaderName::from_static_checked(name)?;
        let value = HeaderValue::from_str(&text).map_err(|_| {
            Error::InvalidRequest(format!("header {name}: value not allowed in a header"))
        })?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Sends `body` as JSON.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) {
        self.json_body_as("application/json", body);
    }

    /// Sends `body` as JSON with another JSON media type (`application/merge-patch+json`).
    pub fn json_body_as<T: Serialize + ?Sized>(&mut self, media_type: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((media_type, Bytes::from(bytes))),
            Err(err) => self.fail(Error::InvalidRequest(format!(
                "the request body does not serialize: {err}"
            ))),
        }
    }

    /// Sends `body` as `application/x-www-form-urlencoded`; nested objects and arrays use
    /// brackets (`metadata[key]=value`, `items[0]=a`), as form-encoded APIs expect.
    pub fn form_body<T: Serialize>(&mut self, body: &T) {
        match serde_qs::to_string(body) {
            Ok(text) => {
                self.body = Some(("application/x-www-form-urlencoded", Bytes::from(text)));
            }
            Err(err) => self.fail(Error::InvalidRequest(format!(
                "the request body does not form-encode: {err}"
            ))),
        }
    }

    /// Sends `form` as `multipart/form-data`; a part that could not be added is the
    /// request's problem.
    pub fn multipart_body(&mut self, mut form: Multipart) {
        if let Some(problem) = form.problem.take() {
            self.fail(Error::InvalidRequest(problem));
        }
        self.multipart = Some(form);
    }

    /// Sends `body` as it is, with this media type (text or binary bodies).
    pub fn raw_body(&mut self, media_type: &'static str, body: impl Into<Bytes>) {
        self.body = Some((media_type, body.into()));
    }

    /// Attaches the client's credential when the request is sent.
    pub fn authenticated(&mut self) {
        self.authenticated = true;
    }

    /// Marks the operation as safe to retry although its method is not idempotent.
    pub fn retry_non_idempotent(&mut self) {
        self.retry_non_idempotent = true;
    }

    /// Marks the operation as taking an idempotency key in header `name`: each call sends
    /// one (the caller's, else a fresh random one) on every attempt, and is therefore
    /// retried like an idempotent method.
    pub fn idempotency_header(&mut self, name: &'static str) {
        self.idempotency_header = Some(name);
    }

    /// Adds this call's idempotency key to its headers, once for all its attempts, when the
    /// operation takes one and the caller gave none as the operation's header parameter or
    /// a per-call header: the key of [`RequestOptions::idempotency_key`], else a fresh
    /// random one. A key given with `idempotency_key` to an operation that takes none goes
    /// in `Idempotency-Key`.
    pub(crate) fn attach_idempotency_key(&mut self) -> Result<(), Error> {
        let name = match self.idempotency_header {
            Some(name) => HeaderName::from_static_checked(name)?,
            None if self.options.idempotency_key.is_some() => {
                HeaderName::from_static("idempotency-key")
            }
            None => return Ok(()),
        };
        let given = self.headers.contains_key(&name)
            || self.options.headers.iter().any(|(n, _)| *n == name);
        if given {
            return Ok(());
        }
        let key = match &self.options.idempotency_key {
            Some(key) => key.clone(),
            None => idempotency::new_key(),
        };
        let value = HeaderValue::from_str(&key).map_err(|_| {
            Error::InvalidRequest(format!("header {name}: value not allowed in a header"))
        })?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// Whether this call may be sent again after the server may have received it, on top
    /// of its method: the operation or the call opted in, or it carries an idempotency key.
    pub(crate) fn replay_safe(&self) -> bool {
        self.retry_non_idempotent
            || self.options.retry_non_idempotent
            || self.idempotency_header.is_some()
    }

    /// The value of query parameter `name` (the last one, if repeated).
    pub(crate) fn query_text(&self, name: &str) -> Option<&str> {
        let mut pairs = self.query.iter().chain(&self.options.query);
        pairs.rfind(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Sets query parameter `name` to `value`, replacing any value it had.
    pub(crate) fn set_query(&mut self, name: &str, value: &str) {
        self.query.retain(|(k, _)| k != name);
        self.options.query.retain(|(k, _)| k != name);
        self.query.push((name.to_owned(), value.to_owned()));
    }

    /// The URL of the page this request asks for, when a `Link` header named it.
    pub(crate) fn page_url(&self) -> Option<&reqwest::Url> {
        self.page_url.as_ref()
    }

    /// Reads the success as it arrives, as `media` (asked for with `Accept: accept`).
    pub(crate) fn stream(&mut self, media: StreamMedia, accept: HeaderValue) {
        self.headers.insert(reqwest::header::ACCEPT, accept);
        self.streamed = Some(media);
    }

    /// Asks for the page at `url` (path and query included) instead.
    pub(crate) fn set_page_url(&mut self, url: reqwest::Url) {
        self.page_url = Some(url);
    }

    /// Applies a caller's per-call options; an invalid one is the request's problem.
    pub fn options(&mut self, options: RequestOptions) {
        if let Some(problem) = &options.invalid {
            self.fail(Error::InvalidRequest(problem.clone()));
        }
        self.options = options;
    }
}

trait FromStaticChecked: Sized {
    fn from_static_checked(name: &'static str) -> Result<Self, Error>;
}

impl FromStaticChecked for HeaderName {
    fn from_static_checked(name: &'static str) -> Result<Self, Error> {
        HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::InvalidRequest(format!("invalid header name {name:?}")))
    }
}

/// How a query parameter is spelled: OpenAPI's `style` and `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`, `explode: true` (the default): `k=a&k=b`, `a=1&b=2`.
    Form,
    /// `form`, `explode: false`: `k=a,b`, `k=a,1,b,2`.
    FormNoExplode,
    /// `spaceDelimited`: `k=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: `k=a|b`.
    PipeDelimited,
    /// `deepObject`: `k[a]=1&k[b]=2`.
    DeepObject,
}

fn to_json<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|err| {
        Error::InvalidRequest(format!("parameter `{name}` does not serialize: {err}"))
    })
}

/// A string as it is; anything else in its JSON spelling.
fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn query_pairs(name: &str, value: &serde_json::Value, style: QueryStyle) -> Vec<(String, String)> {
    use serde_json::Value;
    let one = |text: String| vec![(name.to_owned(), text)];
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            let texts = items.iter().map(scalar_text);
            match style {
                QueryStyle::Form | QueryStyle::DeepObject => {
                    texts.map(|t| (name.to_owned(), t)).collect()
                }
                QueryStyle::FormNoExplode => one(texts.collect::<Vec<_>>().join(",")),
                QueryStyle::SpaceDelimited => one(texts.collect::<Vec<_>>().join(" ")),
                QueryStyle::PipeDelimited => one(texts.collect::<Vec<_>>().join("|")),
            }
        }
        Value::Object(map) => match style {
            QueryStyle::DeepObject => map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (format!("{name}[{k}]"), scalar_text(v)))
                .collect(),
            QueryStyle::Form => map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), scalar_text(v)))
                .collect(),
            _ => {
                let flat: Vec<String> = map
                    .iter()
                    .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
                    .collect();
                one(flat.join(","))
            }
        },
        scalar => one(scalar_text(scalar)),
    }
}

#[cfg(test)]
mod tests {
    use super::{Method, QueryStyle, Request, RequestOptions, query_pairs};
    use crate::error::Error;
    use serde_json::json;

    fn problem(request: Request) -> Option<String> {
        match request.checked() {
            Ok(_) => None,
            Err(Error::InvalidRequest(why)) => Some(why),
            Err(other) => panic!("not an invalid request: {other:?}"),
        }
    }

    #[test]
    fn building_goes_on_past_a_problem_and_the_first_one_is_kept() {
        let mut request = Request::new("get_thing", Method::GET, "/things/{id}/{n}.json");
        request.path("/things/");
        request.path_param("id", "a b/c");
        request.path("/");
        request.path_segment("{n}.json", [Ok("7".into()), Ok(".json".into())]);
        request.path("/");
        request.path_param_text("ids", &[1, 2]);
        request.path("/");
        request.path_param_text("tags", &["a b", "c,d"]);
        request.path("/");
        request.path_param_text("n", &7);
        request.query_value("tags", &["x", "y"], QueryStyle::FormNoExplode);
        request.header_json("x-filter", &json!({"a": 1}));
        assert_eq!(request.path, "/things/a%20b%2Fc/7.json/1,2/a%20b,c%2Cd/7");
        assert_eq!(request.query, [("tags".to_owned(), "x,y".to_owned())]);
        assert_eq!(request.headers["x-filter"], r#"{"a":1}"#);
        assert_eq!(problem(request), None);

        let mut request = Request::new("get_thing", Method::GET, "/things/{id}");
        request.path("/things/");
        request.path_param("id", "..");
        request.header("not a header name", "x");
        request.options(RequestOptions::new().header("bad name", "x"));
        request.query("after", "z");
        assert_eq!(request.query.len(), 1, "building went on");
        let why = problem(request).expect("a problem");
        assert!(
            why.starts_with("path parameter `id` may not be \"..\""),
            "{why}"
        );
    }

    #[test]
    fn a_method_named_in_the_spec_is_sent_as_named_or_is_the_problem() {
        let query = Request::with_method_name("search", "QUERY", "/search");
        assert_eq!(query.method.as_str(), "QUERY");
        assert_eq!(problem(query), None);
        let bad = Request::with_method_name("search", "NOT A TOKEN", "/search");
        assert_eq!(
            problem(bad).as_deref(),
            Some("`NOT A TOKEN` is not an HTTP method")
        );
    }

    #[test]
    fn query_styles_spell_values_as_openapi_says() {
        let pairs = |value, style| -> Vec<String> {
            query_pairs("k", &value, style)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect()
        };
        assert_eq!(pairs(json!("a b"), QueryStyle::Form), ["k=a b"]);
        assert_eq!(pairs(json!(3), QueryStyle::Form), ["k=3"]);
        assert_eq!(pairs(json!(null), QueryStyle::Form), Vec::<String>::new());
        assert_eq!(pairs(json!(["a", "b"]), QueryStyle::Form), ["k=a", "k=b"]);
        assert_eq!(
            pairs(json!(["a", "b"]), QueryStyle::FormNoExplode),
            ["k=a,b"]
        );
        assert_eq!(
            pairs(json!(["a", "b"]), QueryStyle::SpaceDelimited),
            ["k=a b"]
        );
        assert_eq!(
            pairs(json!(["a", "b"]), QueryStyle::PipeDelimited),
            ["k=a|b"]
        );
        assert_eq!(
            pairs(json!({"x": 1, "y": "z"}), QueryStyle::DeepObject),
            ["k[x]=1", "k[y]=z"]
        );
        assert_eq!(pairs(json!({"x": 1}), QueryStyle::Form), ["x=1"]);
        assert_eq!(pairs(json!({"x": 1}), QueryStyle::FormNoExplode), ["k=x,1"]);
    }
}
