//! The intermediate model: plain data describing an API, independent of `openapiv3`.
//!
//! Lowering fills it from a document; emitting turns it into Rust. Every named thing keeps
//! its wire name (as the spec spells it) beside its Rust name, and every type lives in one
//! flat arena addressed by [`TypeId`], so two models can be compared name by name.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A whole API: the crate made for it, metadata, how the client authenticates and reads
/// errors, operations in a stable order, and the types they use. Everything the generated
/// crate exposes comes from here.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The generated crate.
    pub package: Package,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.summary` (OpenAPI 3.1).
    pub summary: Option<String>,
    /// `info.license`.
    pub license: Option<License>,
    /// `tags`, in document order: what the crate docs group operations under.
    pub tags: Vec<Tag>,
    /// `servers[*]`, in document order; the first usable URL is the default base URL
    /// ([`Api::base_url`]).
    pub servers: Vec<Server>,
    /// How the client sends its key.
    pub auth: Auth,
    /// Where the API's JSON error bodies hold their code and message.
    pub error_body: ErrorBody,
    /// Operations sorted by path, then method.
    pub operations: Vec<Operation>,
    /// Every type the operations refer to.
    pub types: TypeSpace,
}

/// A tag operations are grouped under (`tags[*]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// `name`, as operations name it.
    pub name: String,
    /// `summary` (OpenAPI 3.2): the tag's name for display.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `parent` (OpenAPI 3.2): the tag this one is nested under, which lowering checked
    /// names a declared tag with no cycle through it.
    pub parent: Option<String>,
    /// `kind` (OpenAPI 3.2): `nav` (or none) groups operations; others (`badge`,
    /// `audience`) do not.
    pub kind: Option<String>,
}

impl Tag {
    /// Whether operations are grouped under it: its kind is `nav`, or it has none.
    pub fn groups(&self) -> bool {
        self.kind.as_deref().is_none_or(|kind| kind == "nav")
    }
}

/// The licence the document states for the API (`info.license`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct License {
    /// `name`.
    pub name: String,
    /// `identifier`, an SPDX expression (OpenAPI 3.1).
    pub identifier: Option<String>,
    /// `url`.
    pub url: Option<String>,
}

impl Api {
    /// The URL a client sends requests to unless told otherwise: the first usable server
    /// URL ([`is_usable_base_url`]), without a trailing `/`; `""` when there is none.
    pub fn base_url(&self) -> &str {
        self.servers
            .iter()
            .map(|s| s.url.as_str())
            .find(|url| is_usable_base_url(url))
            .unwrap_or("")
            .trim_end_matches('/')
    }

    /// Whether a type or parameter is a typed date (`[types] dates = "jiff"`).
    pub fn uses_dates(&self) -> bool {
        let dated =
            |ty: &TypeRef| ty.mentions(&|p| matches!(p, Primitive::Timestamp | Primitive::Date));
        let in_types = self.types.types.values().any(|def| match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.ty)
                .chain(&s.additional)
                .any(dated),
            TypeKind::Union(u) => u.variants.iter().any(|v| dated(&v.ty)),
            TypeKind::Alias(ty) => dated(ty),
            TypeKind::Enum(_) => false,
        });
        in_types
            || self
                .operations
                .iter()
                .any(|op| op.parameters.iter().any(|p| dated(&p.ty)))
    }

    /// Whether some operation needs a credential.
    pub fn requires_auth(&self) -> bool {
        self.operations.iter().any(|op| !op.security.is_empty())
    }
}

/// A piece of a path template: literal text, or a `{name}` to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplatePiece<'a> {
    /// Text sent as written (`/files/`, `.json`).
    Literal(&'a str),
    /// A parameter's name.
    Param(&'a str),
}

/// A path template in pieces, wherever its names stand in their segments:
/// `/calls/{sid}.json` → `/calls/`, `{sid}`, `.json`. A `{` without its `}` is literal.
pub fn template_pieces(path: &str) -> Vec<TemplatePiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            pieces.push(TemplatePiece::Literal(&rest[..open]));
        }
        pieces.push(TemplatePiece::Param(&rest[open + 1..open + len]));
        rest = &rest[open + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(TemplatePiece::Literal(rest));
    }
    pieces
}

/// A server URL a client can use as it is: `https://`, or `http://` to a loopback host (the
/// client refuses to send a key over plain `http` elsewhere).
pub fn is_usable_base_url(url: &str) -> bool {
    if url.starts_with("https://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost") || host == "::1" || host.starts_with("127.")
}

/// The generated crate's manifest facts (`[package]` of `codegen.toml`, with defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Crate name: from the settings, else `info.title` in kebab case.
    pub name: String,
    /// Crate version: from the settings, else `0.1.0`.
    pub version: String,
    /// Crate description: from the settings, else `Rust client for <title>`.
    pub description: String,
}

/// How the client authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    /// The schemes it can send the key with (the spec's, and those `codegen.toml` adds),
    /// the default first (see [`Auth::default_scheme`]), then by wire name.
    pub schemes: Vec<SecurityScheme>,
    /// The environment variable `Client::from_env` reads the key from; without one there
    /// is no `from_env`.
    pub env_var: Option<String>,
    /// The environment variable `from_env` reads a base URL from.
    pub base_url_env: Option<String>,
}

impl Auth {
    /// The scheme `Client::new` uses: the settings' `default_scheme`, else the first the
    /// spec's top-level `security` names, else the first by name.
    pub fn default_scheme(&self) -> Option<&SecurityScheme> {
        self.schemes.first()
    }
}

/// The fields of the API's JSON error body that `ApiError` reads its code and message from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    /// Field holding the error code.
    pub code_field: String,
    /// Field holding the message.
    pub message_field: String,
}

/// One entry of `servers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL, variables already replaced by their defaults.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
}

/// A security scheme the client can authenticate with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`.
    pub wire_name: String,
    /// How the credential travels.
    pub kind: AuthKind,
    /// `description`.
    pub description: Option<String>,
}

/// How a credential is attached to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKind {
    /// A header: `name: <prefix> <credential>` (the prefix may be empty).
    Header {
        /// Header name as the spec spells it.
        name: String,
        /// Scheme word placed before the credential, e.g. `Bearer` or `Api-Key`.
        prefix: Option<String>,
    },
    /// A query parameter carrying the credential.
    Query {
        /// Parameter name.
        name: String,
    },
    /// A cookie carrying the credential.
    Cookie {
        /// Cookie name.
        name: String,
    },
    /// HTTP Basic: the credential is `user:password`.
    Basic,
}

/// Rust-facing documentation of a named thing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    /// A one-line summary (`summary`, or `title` for schemas).
    pub summary: Option<String>,
    /// Longer prose (`description`).
    pub description: Option<String>,
    /// Marked `deprecated: true` in the spec.
    pub deprecated: bool,
    /// `example` and `examples` values given for it, in document order.
    pub examples: Vec<serde_json::Value>,
    /// The schema's `default`: the value the server assumes when it is left out.
    pub default: Option<serde_json::Value>,
}

/// HTTP methods an operation can use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
    /// QUERY (OpenAPI 3.2's `query`): safe and idempotent, with a body.
    Query,
    /// Another method, from OpenAPI 3.2's `additionalOperations`, as sent (`LINK`): an
    /// HTTP token, checked by lowering.
    Other(String),
}

impl Api {
    /// The named types a caller builds: those a request body or a parameter holds, and
    /// everything they contain.
    pub fn request_types(&self) -> BTreeSet<TypeId> {
        let mut found = BTreeSet::new();
        let roots = self.operations.iter().flat_map(|op| {
            let body = op.body.as_ref().map(|b| &b.ty);
            body.into_iter().chain(op.parameters.iter().map(|p| &p.ty))
        });
        for ty in roots {
            self.types.collect_named(ty, &mut found);
        }
        found
    }
}

impl TypeSpace {
    /// Adds to `found` every named type `ty` refers to, directly or through others.
    pub fn collect_named(&self, ty: &TypeRef, found: &mut BTreeSet<TypeId>) {
        match ty {
            TypeRef::Primitive(_) => {}
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                self.collect_named(inner, found);
            }
            TypeRef::Named(id) => {
                if !found.insert(*id) {
                    return;
                }
                match &self.get(*id).kind {
                    TypeKind::Struct(s) => {
                        for ty in s.fields.iter().map(|f| &f.ty).chain(&s.additional) {
                            self.collect_named(ty, found);
                        }
                    }
                    TypeKind::Union(u) => {
                        for v in &u.variants {
                            self.collect_named(&v.ty, found);
                        }
                    }
                    TypeKind::Alias(inner) => self.collect_named(inner, found),
                    TypeKind::Enum(_) => {}
                }
            }
        }
    }
}

impl Operation {
    /// The name of its request builder in the `requests` module: the method's name in
    /// UpperCamelCase (`cancel_promotion` → `CancelPromotion`). Method names are kept
    /// distinct in this spelling too.
    pub fn builder_name(&self) -> String {
        crate::naming::builder_name(&self.rust_name)
    }

    /// Whether this is the streaming method made beside an operation that also answers
    /// whole (see [`Operation::sibling`]); it shares that operation's error enum.
    pub fn is_stream_sibling(&self) -> bool {
        self.sibling.is_some() && self.success.is_stream()
    }
}

impl Method {
    /// The method as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
            Method::Other(name) => name,
        }
    }
}

/// One operation: a method on a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, when the spec has one.
    pub operation_id: Option<String>,
    /// `tags`, in document order: the crate docs group operations by the first.
    pub tags: Vec<String>,
    /// The Rust method name on `Client`, unique across the API.
    pub rust_name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template as written in the spec, e.g. `/v1/models/{model_id}`, without any
    /// query string or `#fragment` the spec writes into it.
    pub path: String,
    /// The `#fragment` of the path key (`byName` in `/connectors/{id}#byName`), which some
    /// specs use to tell overloads of one path apart: no part of the URL, but of the
    /// operation's identity (`GET /connectors/{id}#byName` in `codegen.toml` and the API
    /// summary).
    pub fragment: Option<String>,
    /// Query parameters the spec writes into the path (`/responses/{id}?beta=true`): always sent.
    pub fixed_query: Vec<(String, String)>,
    /// Summary, description, deprecation.
    pub docs: Docs,
    /// Parameters: path parameters in template order first, then the others by name.
    pub parameters: Vec<Parameter>,
    /// The request body, if the operation takes one.
    pub body: Option<RequestBody>,
    /// What a successful call returns: one body, or an enum of the answers by status.
    pub success: Success,
    /// The error answers the spec declares, when at least one has a JSON body.
    pub errors: Option<StatusCases>,
    /// Whether and how the operation's answers page.
    pub paging: Paging,
    /// Whether a failed call may be retried although the method is not idempotent
    /// (from `codegen.toml`).
    pub retry_non_idempotent: bool,
    /// The header the operation takes an idempotency key in, as the spec spells it: a
    /// declared header parameter named `Idempotency-Key` (any case) or the name
    /// `codegen.toml` gives, or the header `codegen.toml` says every operation of its method
    /// takes. Each call then sends a key, the same on every attempt, and is retried like an
    /// idempotent method.
    pub idempotency_header: Option<String>,
    /// Security requirements in force (operation-level or inherited), as scheme wire names.
    /// Empty when the operation needs no credential.
    pub security: Vec<String>,
    /// When the spec's operation answers either whole or as a stream (`text/event-stream`,
    /// or a sequence of JSON values, beside another media type), it becomes two methods:
    /// `name`, which returns the response whole, and `name_stream`, whose success is a
    /// [`ResponseBody::EventStream`] or a [`ResponseBody::JsonStream`]. Each names the other
    /// here.
    pub sibling: Option<String>,
    /// JSON pointer of the operation, for messages.
    pub pointer: String,
}

/// Whether and how an operation's answers page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Paging {
    /// Not paged (or paging turned off in `codegen.toml`).
    #[default]
    None,
    /// Paged: the request builder gets `pages()` and `into_stream()`.
    Paged(Pagination),
    /// A query over a time window (start and end parameters) whose answer cannot be
    /// followed from window to window without losing or repeating items; the docs say why.
    Window(TimeWindow),
}

impl Paging {
    /// The pagination, when the operation is paged.
    pub fn paged(&self) -> Option<&Pagination> {
        match self {
            Paging::Paged(pagination) => Some(pagination),
            Paging::None | Paging::Window(_) => None,
        }
    }
}

/// How a paged operation pages: where the next page's request comes from, and where the
/// items and the page's metadata are in the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// How the next page is asked for.
    pub scheme: PagingScheme,
    /// The answer's field holding the items; no steps when the answer is the list itself.
    pub items: FieldPath,
    /// Type of one item.
    pub item: TypeRef,
    /// The answer's boolean "more pages follow" field, if any (`has_more`).
    pub has_more: Option<FieldPath>,
    /// The answer's integer total of items, if any (`total_count`, `total`).
    pub total: Option<FieldPath>,
}

/// The ways of asking for the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingScheme {
    /// A cursor from the answer, sent back in a query parameter (`cursor`, `after`,
    /// `starting_after`, `marker`).
    Cursor(TokenPaging),
    /// A page token from the answer, sent back in a query parameter (`page_token`,
    /// `pageToken`, a string `page`).
    PageToken(TokenPaging),
    /// An integer offset query parameter, advanced by the number of items received.
    Offset {
        /// The parameter's wire name (`offset`, `skip`).
        param: String,
    },
    /// An integer page number query parameter, advanced by one.
    PageNumber {
        /// The parameter's wire name (`page`).
        param: String,
        /// The page the server sends when the parameter is left out: its default, else 1.
        first: u64,
    },
    /// The answer's `Link` header names the next page (`<URL>; rel="next"`).
    Link,
}

impl PagingScheme {
    /// The scheme's name in docs and reports, as `codegen.toml` spells it.
    pub fn name(&self) -> &'static str {
        match self {
            PagingScheme::Cursor(_) => "cursor",
            PagingScheme::PageToken(_) => "page-token",
            PagingScheme::Offset { .. } => "offset",
            PagingScheme::PageNumber { .. } => "page-number",
            PagingScheme::Link => "link",
        }
    }
}

/// A cursor or page token: the query parameter that takes it, and where the answer has
/// the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPaging {
    /// The query parameter's wire name.
    pub param: String,
    /// Where the next token is.
    pub next: NextToken,
}

/// Where an answer holds the next cursor or page token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextToken {
    /// In this field of the answer (a string or an integer).
    Field(FieldPath),
    /// In this field of the page's last item (Stripe's `starting_after` takes the last
    /// object's `id`).
    LastItem(FieldPath),
}

/// A field reached from a value through nested object fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// The fields, outermost first.
    pub steps: Vec<FieldStep>,
    /// The type at the end, without `Nullable`.
    pub leaf: TypeRef,
}

impl FieldPath {
    /// The path as the spec spells it: `pagination.cursor`.
    pub fn wire(&self) -> String {
        let names: Vec<&str> = self.steps.iter().map(|s| s.wire_name.as_str()).collect();
        names.join(".")
    }
}

/// One field of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// The field's wire name.
    pub wire_name: String,
    /// The field's Rust name.
    pub rust_name: String,
    /// How many `Option`s its Rust type wraps the value in: 0 (required), 1 (optional or
    /// nullable), 2 (optional and nullable).
    pub options: u8,
}

/// A query over a time window that is not followed from window to window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeWindow {
    /// The start parameter's wire name (`start_epoch_millis`).
    pub start: String,
    /// The end parameter's wire name (`end_epoch_millis`).
    pub end: String,
    /// The parameter capping the number of items, if any (`limit`); without one the
    /// answer covers the whole window.
    pub limit: Option<String>,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// How a parameter's value is spelled where it travels (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A query parameter's.
    Query(QueryStyle),
    /// A path parameter's.
    Path(PathStyle),
    /// A header's or a cookie's: the value as text.
    Plain,
    /// Described by `content` with a JSON media type: the value's JSON text, wherever it
    /// travels (`filter={"a":1}` in the query).
    Json,
}

/// OpenAPI's `style` and `explode` for a path parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `simple` (the default): `a,b`.
    Simple {
        /// `explode` (for objects: `k=v`).
        explode: bool,
    },
    /// `label`: `.a,b`, exploded `.a.b`.
    Label {
        /// `explode`.
        explode: bool,
    },
    /// `matrix`: `;name=a,b`, exploded `;name=a;name=b`.
    Matrix {
        /// `explode`.
        explode: bool,
    },
}

/// OpenAPI's `style` and `explode` for a query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form` with `explode: true` (the default).
    Form,
    /// `form` with `explode: false`.
    FormNoExplode,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Name as the spec spells it (and as sent on the wire).
    pub wire_name: String,
    /// Rust name, unique among the operation's parameters and generated locals.
    pub rust_name: String,
    /// Where it travels.
    pub location: ParamLocation,
    /// How its value is spelled.
    pub style: Style,
    /// Whether a caller must supply it.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Its documentation.
    pub docs: Docs,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (`application/json` or any `+json` type).
    Json,
    /// `application/x-www-form-urlencoded`, nested values in brackets.
    Form,
    /// Text sent as it is (`text/*`).
    Text,
    /// Bytes sent as they are (`application/octet-stream` and other binary types).
    Binary,
    /// `multipart/form-data`, `multipart/mixed`, `multipart/related` (any `multipart/*`): one
    /// part per property of an object body; `format: binary` properties are file parts.
    Multipart,
}

/// The body of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The media type sent in `Content-Type`.
    pub media_type: String,
    /// How the body is encoded.
    pub encoding: BodyEncoding,
    /// The body's type.
    pub ty: TypeRef,
    /// Whether the body must be sent.
    pub required: bool,
    /// Its documentation.
    pub docs: Docs,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// Every success status is read the same way: as the body of the lowest declared 2xx
    /// answer, else of `2XX`, else of `default`.
    One(Response),
    /// The success answers declare different bodies (a `201` with one beside a `204`
    /// without): the call returns an enum with a variant per status.
    ByStatus(StatusCases),
}

impl Success {
    /// The one response every success status is read as, unless they are told apart.
    pub fn one(&self) -> Option<&Response> {
        match self {
            Success::One(response) => Some(response),
            Success::ByStatus(_) => None,
        }
    }

    /// Whether the call returns a stream of server-sent events.
    pub fn is_event_stream(&self) -> bool {
        self.one()
            .is_some_and(|r| matches!(r.body, ResponseBody::EventStream(_)))
    }

    /// Whether the call returns a sequence of JSON values as they arrive.
    pub fn is_json_stream(&self) -> bool {
        self.one()
            .is_some_and(|r| matches!(r.body, ResponseBody::JsonStream { .. }))
    }

    /// Whether the call returns a stream, of server-sent events or of JSON values.
    pub fn is_stream(&self) -> bool {
        self.is_event_stream() || self.is_json_stream()
    }
}

/// What a successful response carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code it is declared under (`200`, `201`, `2XX`, `default`).
    pub status: String,
    /// `description`.
    pub description: Option<String>,
    /// The decoded body.
    pub body: ResponseBody,
}

/// Answers of one operation told apart by status, as a Rust enum in the `requests` module
/// with a variant per declared status: its error answers, or its success answers when
/// they declare different bodies.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusCases {
    /// The enum's name in the `requests` module, unique beside the request builders.
    pub rust_name: String,
    /// Declared statuses: exact codes first (ascending), then ranges, then `default`.
    pub cases: Vec<StatusCase>,
}

/// One declared answer.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusCase {
    /// Which statuses it covers.
    pub status: StatusMatch,
    /// The Rust variant name (`Status404`, `Status4xx`, `Default`).
    pub rust_name: String,
    /// `description`.
    pub description: Option<String>,
    /// Its body. Error answers are `Json` or, when they declare no JSON body, `Empty`.
    pub body: ResponseBody,
}

/// The statuses a declared response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A range: `4` for `4XX`.
    Range(u16),
    /// `default`: every status not declared otherwise.
    Default,
}

impl fmt::Display for StatusMatch {
    /// The key the spec declares it under: `404`, `4XX`, `default`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusMatch::Code(code) => write!(f, "{code}"),
            StatusMatch::Range(range) => write!(f, "{range}XX"),
            StatusMatch::Default => f.write_str("default"),
        }
    }
}

/// How a response body is decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No content: the call returns `()`.
    Empty,
    /// A JSON document of this type.
    Json(TypeRef),
    /// Text (`text/*`), returned as a `String`.
    Text,
    /// Any other media type, returned as bytes.
    Binary,
    /// `text/event-stream`: a stream of server-sent events, each one's `data` of this type
    /// (JSON, or the text as it is when the type is a string).
    EventStream(TypeRef),
    /// A sequence of JSON values (JSON Lines, NDJSON, JSON text sequences), read as they
    /// arrive, each of type `item`.
    JsonStream {
        /// The media type asked for and expected, as the spec writes it
        /// (`application/x-ndjson`); it says how the values are told apart.
        media_type: String,
        /// The type of each value.
        item: TypeRef,
    },
}

/// A reference to a type: a builtin, a container, or a named type in the arena.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A primitive with a fixed Rust spelling.
    Primitive(Primitive),
    /// A named type in [`TypeSpace`].
    Named(TypeId),
    /// A JSON array.
    Array(Box<TypeRef>),
    /// A JSON object used as a map from string keys.
    Map(Box<TypeRef>),
    /// A value that may also be JSON `null`.
    Nullable(Box<TypeRef>),
}

impl Primitive {
    /// Its Rust type as documentation and the API summary write it: `String`, `i64`,
    /// `serde_json::Value`, `jiff::Timestamp`.
    pub fn rust_name(self) -> &'static str {
        match self {
            Primitive::String => "String",
            Primitive::Bool => "bool",
            Primitive::I8 => "i8",
            Primitive::I16 => "i16",
            Primitive::I32 => "i32",
            Primitive::U8 => "u8",
            Primitive::U16 => "u16",
            Primitive::U32 => "u32",
            Primitive::U64 => "u64",
            Primitive::I64 => "i64",
            Primitive::F32 => "f32",
            Primitive::F64 => "f64",
            Primitive::Json => "serde_json::Value",
            Primitive::Bytes => "Vec<u8>",
            Primitive::Timestamp => "jiff::Timestamp",
            Primitive::Date => "jiff::civil::Date",
        }
    }

    /// Whether it is one of the integer types.
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            Primitive::I8
                | Primitive::I16
                | Primitive::I32
                | Primitive::I64
                | Primitive::U8
                | Primitive::U16
                | Primitive::U32
                | Primitive::U64
        )
    }
}

impl TypeRef {
    /// Whether this type is, or directly holds (through arrays, maps and `null`), a
    /// primitive `wanted` accepts; named types are not looked into.
    pub fn mentions(&self, wanted: &dyn Fn(Primitive) -> bool) -> bool {
        match self {
            TypeRef::Primitive(p) => wanted(*p),
            TypeRef::Named(_) => false,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                inner.mentions(wanted)
            }
        }
    }
}

/// Primitive types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Primitive {
    /// `string`
    String,
    /// `boolean`
    Bool,
    /// `integer` with format `int8`
    I8,
    /// `integer` with format `int16`
    I16,
    /// `integer` with format `int32`
    I32,
    /// `integer` with format `uint8`
    U8,
    /// `integer` with format `uint16`
    U16,
    /// `integer` with format `uint32`
    U32,
    /// `integer` with format `uint64`
    U64,
    /// `integer` (default width) or format `int64`
    I64,
    /// `number` with format `float`
    F32,
    /// `number` (default) or format `double`
    F64,
    /// Any JSON value: a schema with no constraints the generator can type.
    Json,
    /// Raw bytes: a binary body, or a `format: binary` string (a file in a multipart body).
    Bytes,
    /// A `format: date-time` string as an instant (`jiff::Timestamp`), when the settings map
    /// dates to `jiff`.
    Timestamp,
    /// A `format: date` string as a calendar date (`jiff::civil::Date`), likewise.
    Date,
}

/// Index of a type in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

/// The arena of named types, addressed by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeSpace {
    /// Every named type; ids are assigned in a deterministic traversal order.
    pub types: BTreeMap<TypeId, TypeDef>,
}

impl TypeSpace {
    /// The type with this id. Ids are only made by lowering, which inserts each one it makes.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        // Invariant: every TypeId handed out by lowering has an entry in `types`.
        &self.types[&id]
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The name the spec gives it: the component key, or the place it stands for inline schemas.
    pub wire_name: String,
    /// The Rust type name, unique in the `types` module.
    pub rust_name: String,
    /// Documentation.
    pub docs: Docs,
    /// What it is.
    pub kind: TypeKind,
    /// JSON pointer of its schema.
    pub pointer: String,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum; values outside the list decode into an `Unknown` variant.
    Enum(Enum),
    /// A named alias for another type (a component that is an array, a primitive, …).
    Alias(TypeRef),
    /// One of several shapes (`oneOf`/`anyOf`); values that match none decode into an
    /// `Unknown` variant holding the raw JSON.
    Union(Union),
}

/// A union of shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The discriminator property, when the union is tagged.
    pub tag: Option<String>,
    /// The shapes, in document order.
    pub variants: Vec<UnionVariant>,
    /// The variant a tagged union reads when the tag is absent or no variant's value
    /// (OpenAPI 3.2's `discriminator.defaultMapping`): an index into `variants`.
    pub default_variant: Option<usize>,
}

/// One shape of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name, unique in the union.
    pub rust_name: String,
    /// The variant's type.
    pub ty: TypeRef,
    /// For a tagged union: the discriminator values that select this variant.
    pub tag_values: Vec<String>,
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Properties in document order.
    pub fields: Vec<Field>,
    /// `additionalProperties` with a type, kept in a flattened map.
    pub additional: Option<TypeRef>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Property name on the wire.
    pub wire_name: String,
    /// Rust field name, unique in the struct.
    pub rust_name: String,
    /// Its type (wrapped in [`TypeRef::Nullable`] when `null` is allowed).
    pub ty: TypeRef,
    /// Present in both directions: listed in `required`, and neither read-only nor
    /// write-only (those are required in one direction only, so the field is optional).
    pub required: bool,
    /// Whether the property travels both ways, or only from or to the server.
    pub access: Access,
    /// Documentation.
    pub docs: Docs,
}

/// Which way a property travels (`readOnly`, `writeOnly`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    /// Sent and received.
    #[default]
    ReadWrite,
    /// `readOnly`: set by the server, not to be sent in requests.
    ReadOnly,
    /// `writeOnly`: sent in requests, never returned by the server.
    WriteOnly,
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The listed values.
    pub variants: Vec<Variant>,
    /// Open enums decode unlisted values into `Unknown(String)`; a `const` is closed, so
    /// that a union can tell its variants apart by it.
    pub open: bool,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The value on the wire.
    pub wire_name: String,
    /// The Rust variant name, unique in the enum.
    pub rust_name: String,
}

#[cfg(test)]
mod tests {
    use super::TemplatePiece::{Literal, Param};
    use super::template_pieces;

    #[test]
    fn names_stand_anywhere_in_a_segment() {
        let cases: [(&str, &[super::TemplatePiece<'_>]); 5] = [
            ("/v1/models/{id}", &[Literal("/v1/models/"), Param("id")]),
            (
                "/Calls/{Sid}.json",
                &[Literal("/Calls/"), Param("Sid"), Literal(".json")],
            ),
            (
                "/files/{name}.{ext}",
                &[
                    Literal("/files/"),
                    Param("name"),
                    Literal("."),
                    Param("ext"),
                ],
            ),
            (
                "/flat{m}/{s}",
                &[Literal("/flat"), Param("m"), Literal("/"), Param("s")],
            ),
            ("/broken{", &[Literal("/broken{")]),
        ];
        for (path, want) in cases {
            assert_eq!(template_pieces(path), want, "{path}");
        }
    }
}
