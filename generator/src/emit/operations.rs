//! Operations: a method on `Client` per operation, and the request builder it returns.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{deprecated_attr, doc_attrs, text_attrs};
use super::types::{TypePath, ident, type_tokens};
use crate::model::{
    Api, BodyEncoding, Method, Operation, ParamLocation, Parameter, PathStyle, Primitive,
    QueryStyle, ResponseBody, Style, Success, TemplatePiece, TypeRef, TypeSpace, template_pieces,
};

/// An argument or optional setter of an operation: a parameter or the body.
struct Input {
    /// Field of the request builder.
    field: Ident,
    /// Type stored in the builder.
    ty: TokenStream,
    /// Required inputs are positional arguments of the `Client` method.
    required: bool,
    /// Taken as `impl Into<String>` rather than by value.
    string: bool,
    /// Sent as its JSON text (a parameter described by `content` as JSON).
    json: bool,
    docs: TokenStream,
    /// Marked `deprecated` in the spec: its setter gets `#[deprecated]`.
    deprecated: bool,
    /// How `send` puts it into the request.
    kind: InputKind,
    wire_name: String,
}

/// One property of a multipart body, and how it becomes a part.
struct FormPart {
    wire: String,
    field: Ident,
    required: bool,
    kind: PartKind,
}

enum PartKind {
    /// `format: binary`: a file part.
    File,
    /// An array of `format: binary`: a file part per item, all under the property's name.
    Files,
    Text,
    /// Anything else, through `Multipart::value` (an array is a part per item).
    Value,
}

/// The parts of a multipart body of object type `ty`.
fn form_parts(ty: &TypeRef, space: &TypeSpace) -> Vec<FormPart> {
    let TypeRef::Named(id) = ty else {
        return Vec::new();
    };
    let crate::model::TypeKind::Struct(s) = &space.get(*id).kind else {
        return Vec::new();
    };
    s.fields
        .iter()
        .map(|f| FormPart {
            wire: f.wire_name.clone(),
            field: ident(&f.rust_name),
            required: f.required,
            kind: match &f.ty {
                TypeRef::Primitive(Primitive::Bytes) => PartKind::File,
                TypeRef::Array(item) if **item == TypeRef::Primitive(Primitive::Bytes) => {
                    PartKind::Files
                }
                TypeRef::Primitive(Primitive::String) => PartKind::Text,
                _ => PartKind::Value,
            },
        })
        .collect()
}

enum InputKind {
    Path {
        style: PathStyle,
    },
    Query {
        style: QueryStyle,
    },
    Header,
    Cookie,
    Body {
        encoding: BodyEncoding,
        media_type: String,
        /// For a multipart body: its properties as parts.
        parts: Vec<FormPart>,
    },
}

fn inputs(op: &Operation, space: &TypeSpace) -> Vec<Input> {
    let mut inputs: Vec<Input> = op
        .parameters
        .iter()
        .map(|p| param_input(p, space))
        .collect();
    if let Some(body) = &op.body {
        inputs.push(Input {
            field: format_ident!("body"),
            ty: type_tokens(&body.ty, space, TypePath::Qualified),
            required: body.required,
            string: false,
            json: false,
            docs: doc_attrs(&body.docs),
            deprecated: false,
            kind: InputKind::Body {
                encoding: body.encoding,
                media_type: body.media_type.clone(),
                parts: form_parts(&body.ty, space),
            },
            wire_name: "body".to_owned(),
        });
    }
    inputs
}

fn param_input(p: &Parameter, space: &TypeSpace) -> Input {
    let ty = strip_nullable(&p.ty);
    let kind = match p.location {
        ParamLocation::Path => InputKind::Path {
            style: match p.style {
                Style::Path(style) => style,
                _ => PathStyle::Simple { explode: false },
            },
        },
        ParamLocation::Query => InputKind::Query {
            style: match p.style {
                Style::Query(style) => style,
                _ => QueryStyle::Form,
            },
        },
        ParamLocation::Header => InputKind::Header,
        ParamLocation::Cookie => InputKind::Cookie,
    };
    Input {
        field: ident(&p.rust_name),
        ty: type_tokens(ty, space, TypePath::Qualified),
        required: p.required,
        string: *ty == TypeRef::Primitive(Primitive::String),
        json: p.style == Style::Json,
        docs: doc_attrs(&p.docs),
        deprecated: p.docs.deprecated,
        kind,
        wire_name: p.wire_name.clone(),
    }
}

/// A parameter that may be `null` is sent as absent instead: `None` is already "not set".
fn strip_nullable(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) => strip_nullable(inner),
        other => other,
    }
}

fn output_type(op: &Operation, space: &TypeSpace) -> TokenStream {
    let response = match &op.success {
        Success::ByStatus(successes) => {
            let name = ident(&successes.rust_name);
            return quote!(crate::requests::#name);
        }
        Success::One(response) => response,
    };
    match &response.body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => type_tokens(ty, space, TypePath::Qualified),
        ResponseBody::Text => quote!(::std::string::String),
        ResponseBody::Binary => quote!(::bytes::Bytes),
        ResponseBody::EventStream(ty) => {
            let data = type_tokens(ty, space, TypePath::Qualified);
            quote!(crate::EventStream<#data>)
        }
        ResponseBody::JsonStream { item, .. } => {
            let item = type_tokens(item, space, TypePath::Qualified);
            quote!(crate::JsonStream<#item>)
        }
    }
}

fn builder_name(op: &Operation) -> Ident {
    ident(&op.builder_name())
}

/// The `Client` method of one operation.
///
/// ```text
/// pub fn cancel_promotion(&self, model_id: impl Into<String>, env_name: impl Into<String>)
///     -> requests::CancelPromotion<'_> { … }
/// ```
pub(crate) fn client_method(op: &Operation, space: &TypeSpace) -> TokenStream {
    let inputs = inputs(op, space);
    let required: Vec<&Input> = inputs.iter().filter(|i| i.required).collect();
    let args = required.iter().map(|i| {
        let (field, ty) = (&i.field, &i.ty);
        if i.string {
            quote!(#field: impl ::std::convert::Into<::std::string::String>)
        } else {
            quote!(#field: #ty)
        }
    });
    let values = required.iter().map(|i| {
        let field = &i.field;
        if i.string {
            quote!(#field.into())
        } else {
            quote!(#field)
        }
    });
    let docs = super::operation_docs::operation_docs(op, space);
    let deprecated = deprecated_attr(op.docs.deprecated);
    let name = ident(&op.rust_name);
    let builder = builder_name(op);
    quote! {
        #docs
        #deprecated
        #[inline]
        pub fn #name(&self, #(#args),*) -> crate::requests::#builder<'_> {
            crate::requests::#builder::new(self, #(#values),*)
        }
    }
}

/// What a method that streams returns, and how it relates to its sibling.
///
/// ```text
/// Sends `Accept: text/event-stream` and returns the server-sent events as they arrive: …
/// The same operation as [`Client::chat`], which returns the response whole.
/// ```
pub(crate) fn stream_docs(op: &Operation) -> Option<String> {
    let streamed = op.success.one().and_then(|r| stream_phrase(&r.body));
    let sibling = op
        .sibling
        .as_deref()
        .map(|name| super::client::method_link(name, "crate::Client"));
    let mut text = String::new();
    if let Some(phrase) = &streamed {
        text.push_str(phrase);
        text.push_str(
            " The timeout and retries cover the wait for the response headers, not the stream.",
        );
    }
    match (streamed.is_some(), sibling) {
        (true, Some(sibling)) => text.push_str(&format!(
            " The same operation as {sibling}, which returns the response whole; if the API \
             chooses to stream from the request (such as `stream: true` in its body), ask for \
             it there too."
        )),
        (false, Some(sibling)) => text.push_str(&format!(
            "The API can also answer as a stream: {sibling} sends the same request and \
             returns the answer as it arrives."
        )),
        (_, None) => {}
    }
    (!text.is_empty()).then_some(text)
}

/// What a streamed body is, for the docs of its method; `None` for a body read whole.
fn stream_phrase(body: &ResponseBody) -> Option<String> {
    match body {
        ResponseBody::EventStream(_) => Some(
            "Sends `Accept: text/event-stream` and returns the server-sent events as they \
             arrive, a `Stream` of `Result<Event<T>, Error>` that ends after `data: [DONE]` or \
             at the end of the body. Where the API sends event ids and resumes from \
             `Last-Event-ID`, [`EventStream::resuming`](crate::EventStream::resuming) makes \
             the stream reconnect when its connection breaks."
                .to_owned(),
        ),
        ResponseBody::JsonStream { media_type, .. } => Some(format!(
            "Sends `Accept: {media_type}` and returns the JSON values of the answer as they \
             arrive, a `Stream` of `Result<T, Error>` that ends at the end of the body; a \
             value that does not decode is an `Err(Error::Decode)` with its text, and the \
             stream goes on."
        )),
        _ => None,
    }
}

fn input_summary(input: &Input) -> String {
    match input.kind {
        InputKind::Path { .. } => format!("path parameter `{}`", input.wire_name),
        InputKind::Query { .. } => format!("query parameter `{}`", input.wire_name),
        InputKind::Header => format!("header `{}`", input.wire_name),
        InputKind::Cookie => format!("cookie `{}`", input.wire_name),
        InputKind::Body { .. } => "the request body".to_owned(),
    }
}

/// The `requests` module: one builder per operation.
pub(crate) fn requests_module(api: &Api) -> super::Pieces<'_> {
    let mut error_enums = super::statuses::ErrorEnums::default();
    let builders = api.operations.iter().map(move |op| {
        let builder = request_builder(op, &api.types);
        let successes = match &op.success {
            Success::ByStatus(successes) => {
                Some(super::statuses::success_enum(op, successes, &api.types))
            }
            Success::One(_) => None,
        };
        let errors = op
            .errors
            .as_ref()
            .filter(|_| !op.is_stream_sibling())
            .map(|errors| error_enums.emit(op, errors, &api.types));
        quote!(#builder #successes #errors)
    });
    let head = quote! {
        #![doc = " Request builders returned by the methods of [`Client`](crate::Client)."]
        #![doc = ""]
        #![doc = " Set optional parameters with their methods, then `.await` the builder to send it."]
    };
    Box::new(std::iter::once(head).chain(builders))
}

/// One request builder.
///
/// ```text
/// pub struct CancelPromotion<'a> { client: &'a crate::Client, model_id: String, env_name: String, options: RequestOptions }
/// impl<'a> CancelPromotion<'a> { pub fn options(..) -> Self; pub fn send(self) -> SendFuture<'a, T>; pub fn send_with_response(self) -> ResponseFuture<'a, T> }
/// impl<'a> IntoFuture for CancelPromotion<'a> { type IntoFuture = SendFuture<'a, T>; .. }
/// ```
fn request_builder(op: &Operation, space: &TypeSpace) -> TokenStream {
    let name = builder_name(op);
    let inputs = inputs(op, space);
    let fields = inputs.iter().map(|i| {
        let (field, ty) = (&i.field, &i.ty);
        if i.required {
            quote!(#field: #ty,)
        } else {
            quote!(#field: ::std::option::Option<#ty>,)
        }
    });
    let required: Vec<&Input> = inputs.iter().filter(|i| i.required).collect();
    let new_args = required.iter().map(|i| {
        let (field, ty) = (&i.field, &i.ty);
        quote!(#field: #ty)
    });
    let new_required = required.iter().map(|i| &i.field);
    let new_optional = inputs.iter().filter(|i| !i.required).map(|i| &i.field);
    let setters = inputs.iter().filter(|i| !i.required).map(setter);
    let output = output_type(op, space);
    let send_body = send_body(op, &inputs);
    let execute = execute(&op.success);
    let answer = op.success.one().map(|response| &response.body);
    let stream = match (op.paging.paged(), answer) {
        (Some(p), Some(ResponseBody::Json(answer))) => {
            Some(super::paging::pages_methods(p, answer, space))
        }
        _ => None,
    };
    let method_doc = format!(
        "Request builder for {}: `{} {}`.",
        super::client::method_link(&op.rust_name, "crate::Client"),
        op.method.as_str(),
        op.path
    );
    let doc = text_attrs(&method_doc);
    let (send_doc, with_response_doc) = send_docs(&op.success);
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #name<'a> {
            client: &'a crate::Client,
            #(#fields)*
            options: crate::RequestOptions,
        }

        impl<'a> #name<'a> {
            #[inline]
            pub(crate) fn new(client: &'a crate::Client, #(#new_args),*) -> Self {
                Self { client, #(#new_required,)* #(#new_optional: ::std::option::Option::None,)* options: crate::RequestOptions::new() }
            }

            #(#setters)*

            /// Options for this call only: timeout, retries, extra headers and query parameters.
            #[inline]
            pub fn options(mut self, options: crate::RequestOptions) -> Self {
                self.options = options;
                self
            }

            #[doc = #send_doc]
            #[inline]
            pub fn send(self) -> crate::SendFuture<'a, #output> {
                self.send_with_response().value()
            }

            #stream

            #[doc = #with_response_doc]
            #[inline]
            pub fn send_with_response(self) -> crate::ResponseFuture<'a, #output> {
                let client = self.client;
                #execute
            }

            /// The request as the runtime sends it.
            #[inline]
            fn into_request(self) -> crate::runtime::Request {
                #send_body
            }
        }

        impl<'a> ::std::future::IntoFuture for #name<'a> {
            type Output = ::std::result::Result<#output, crate::Error>;
            type IntoFuture = crate::SendFuture<'a, #output>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}

/// The doc lines of `send` and `send_with_response`.
fn send_docs(success: &Success) -> (&'static str, &'static str) {
    if success.is_event_stream() {
        (
            " Sends the request and returns the events of the response as they arrive.",
            " Sends the request; the events come with the response's status and headers.",
        )
    } else if success.is_json_stream() {
        (
            " Sends the request and returns the JSON values of the response as they arrive.",
            " Sends the request; the values come with the response's status and headers.",
        )
    } else {
        (
            " Sends the request and decodes the response.",
            " Sends the request; the decoded response comes with its status and headers.",
        )
    }
}

fn setter(input: &Input) -> TokenStream {
    let (field, ty, docs) = (&input.field, &input.ty, &input.docs);
    let fallback =
        (docs.is_empty()).then(|| text_attrs(&format!("Sets {}.", input_summary(input))));
    let deprecated = deprecated_attr(input.deprecated);
    let docs = quote!(#docs #fallback #deprecated);
    if input.string {
        return quote! {
            #docs
            #[inline]
            pub fn #field(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.#field = ::std::option::Option::Some(value.into());
                self
            }
        };
    }
    quote! {
        #docs
        #[inline]
        pub fn #field(mut self, value: #ty) -> Self {
            self.#field = ::std::option::Option::Some(value);
            self
        }
    }
}

/// The body of `into_request`: fill in the path, add parameters, body, credentials and
/// what the runtime must know of the operation. One straight line per step: a value that
/// cannot be sent is recorded by the runtime's `Request` and refused when it is sent, so
/// nothing here returns early.
fn send_body(op: &Operation, inputs: &[Input]) -> TokenStream {
    let pieces = path_pieces(op, inputs);
    let new = new_request(op);
    let puts = inputs
        .iter()
        .filter(|i| !matches!(i.kind, InputKind::Path { .. }))
        .map(put_input);
    let auth = (!op.security.is_empty()).then(|| quote!(request.authenticated();));
    let retry = op
        .retry_non_idempotent
        .then(|| quote!(request.retry_non_idempotent();));
    let idempotency = op
        .idempotency_header
        .as_ref()
        .map(|header| quote!(request.idempotency_header(#header);));
    let fixed_query = op
        .fixed_query
        .iter()
        .map(|(k, v)| quote!(request.query(#k, #v);));
    quote! {
        let mut request = #new;
        #(#pieces)*
        #(#fixed_query)*
        #(#puts)*
        #auth
        #retry
        #idempotency
        request.options(self.options);
        request
    }
}

/// The new request with its method: a `reqwest` constant (`::reqwest::Method::GET`), or for
/// `QUERY` and the methods of `additionalOperations`, made from its name (an HTTP token,
/// which lowering checked, so that the runtime's refusal is never seen).
fn new_request(op: &Operation) -> TokenStream {
    let operation = op.rust_name.trim_start_matches("r#");
    let template = &op.path;
    match &op.method {
        Method::Query | Method::Other(_) => {
            let name = op.method.as_str();
            quote!(crate::runtime::Request::with_method_name(#operation, #name, #template))
        }
        method => {
            let constant = format_ident!("{}", method.as_str());
            quote!(crate::runtime::Request::new(#operation, ::reqwest::Method::#constant, #template))
        }
    }
}

/// The runtime call that sends the request and reads the answer as the operation returns
/// it (`client.execute_json(self.into_request())`, …), each generic only over the decoded
/// type.
fn execute(success: &Success) -> TokenStream {
    let response = match success {
        Success::ByStatus(_) => return quote!(client.execute_by_status(self.into_request())),
        Success::One(response) => response,
    };
    match &response.body {
        ResponseBody::Empty => quote!(client.execute_empty(self.into_request())),
        ResponseBody::Json(_) => quote!(client.execute_json(self.into_request())),
        ResponseBody::Text => quote!(client.execute_text(self.into_request())),
        ResponseBody::Binary => quote!(client.execute_bytes(self.into_request())),
        ResponseBody::EventStream(TypeRef::Primitive(Primitive::String)) => {
            quote!(client.execute_text_events(self.into_request()))
        }
        ResponseBody::EventStream(_) => quote!(client.execute_events(self.into_request())),
        ResponseBody::JsonStream { media_type, .. } => {
            quote!(client.execute_json_stream(self.into_request(), #media_type))
        }
    }
}

/// The steps filling in the path, literal and encoded, in template order:
/// `request.path("/v1/models/"); request.path_param("model_id", &self.model_id); request.path("/cancel");`.
/// A segment that is more than one plain value (`{sid}.json`, `{name}.{ext}`, a `label` or
/// `matrix` style) is assembled from its pieces and checked whole:
/// `request.path_segment("{sid}.json", [crate::runtime::path_value("sid", &self.sid, …), Ok(".json".into())]);`.
fn path_pieces(op: &Operation, inputs: &[Input]) -> Vec<TokenStream> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    for (i, segment) in op.path.split('/').enumerate() {
        if i > 0 {
            literal.push('/');
        }
        let Some(filled) = segment_value(segment, inputs) else {
            literal.push_str(segment);
            continue;
        };
        if !literal.is_empty() {
            pieces.push(quote!(request.path(#literal);));
            literal.clear();
        }
        pieces.push(filled);
    }
    if !literal.is_empty() {
        pieces.push(quote!(request.path(#literal);));
    }
    pieces
}

/// The path parameter a template piece names, if it is one of the operation's.
fn path_input<'a>(piece: TemplatePiece<'_>, inputs: &'a [Input]) -> Option<&'a Input> {
    let TemplatePiece::Param(name) = piece else {
        return None;
    };
    inputs
        .iter()
        .find(|i| matches!(i.kind, InputKind::Path { .. }) && i.wire_name == name)
}

/// The code filling in one segment of the path, when it names a parameter.
fn segment_value(segment: &str, inputs: &[Input]) -> Option<TokenStream> {
    let pieces = template_pieces(segment);
    if !pieces.iter().any(|p| path_input(*p, inputs).is_some()) {
        return None;
    }
    if let [piece] = pieces.as_slice() {
        let input = path_input(*piece, inputs)?;
        if let InputKind::Path {
            style: PathStyle::Simple { explode: false },
        } = input.kind
        {
            return Some(whole_segment(input));
        }
    }
    let parts = pieces.iter().map(|piece| match path_input(*piece, inputs) {
        Some(input) => styled_value(input),
        None => {
            let text = match piece {
                TemplatePiece::Literal(text) => text.to_string(),
                TemplatePiece::Param(name) => format!("{{{name}}}"),
            };
            quote!(::std::result::Result::Ok(::std::string::String::from(#text)))
        }
    });
    Some(quote!(request.path_segment(#segment, [#(#parts),*]);))
}

/// A plain value that is the whole segment: encoded, and refused if it would change the path.
fn whole_segment(input: &Input) -> TokenStream {
    let (field, wire) = (&input.field, &input.wire_name);
    if input.json {
        quote!(request.path_param_json(#wire, &self.#field);)
    } else if input.string {
        quote!(request.path_param(#wire, &self.#field);)
    } else {
        quote!(request.path_param_text(#wire, &self.#field);)
    }
}

/// A value spelled as its style says (`.a`, `;name=a`), encoded.
fn styled_value(input: &Input) -> TokenStream {
    let (field, wire) = (&input.field, &input.wire_name);
    if input.json {
        return quote!(crate::runtime::path_json(#wire, &self.#field));
    }
    let style = match input.kind {
        InputKind::Path {
            style: PathStyle::Simple { explode },
        } => quote!(Simple { explode: #explode }),
        InputKind::Path {
            style: PathStyle::Label { explode },
        } => quote!(Label { explode: #explode }),
        InputKind::Path {
            style: PathStyle::Matrix { explode },
        } => quote!(Matrix { explode: #explode }),
        _ => quote!(Simple { explode: false }),
    };
    quote!(crate::runtime::path_value(#wire, &self.#field, crate::runtime::PathStyle::#style))
}

/// How `send` attaches the body, by its encoding.
fn body_put(encoding: BodyEncoding, media_type: &str, value: &TokenStream) -> TokenStream {
    match encoding {
        BodyEncoding::Json if media_type == "application/json" => {
            quote!(request.json_body(#value);)
        }
        BodyEncoding::Json => quote!(request.json_body_as(#media_type, #value);),
        BodyEncoding::Form => quote!(request.form_body(#value);),
        BodyEncoding::Multipart => TokenStream::new(),
        BodyEncoding::Text | BodyEncoding::Binary => {
            quote!(request.raw_body(#media_type, ::std::clone::Clone::clone(#value));)
        }
    }
}

/// A multipart body: one part per property (per item of an array), files as file parts.
///
/// ```text
/// let mut form = crate::runtime::Multipart::new();
/// form.file("file", Clone::clone(&body.file));
/// if let Some(value) = &body.purpose { form.text("purpose", Clone::clone(value)); }
/// request.multipart_body(form);
/// ```
fn multipart_put(parts: &[FormPart], media_type: &str, body: &TokenStream) -> TokenStream {
    let form = match media_type == "multipart/form-data" {
        true => quote!(crate::runtime::Multipart::new()),
        false => quote!(crate::runtime::Multipart::with_media_type(#media_type)),
    };
    let adds = parts.iter().map(|part| {
        let (wire, field) = (&part.wire, &part.field);
        let add = |value: TokenStream| match part.kind {
            PartKind::File => quote!(form.file(#wire, ::std::clone::Clone::clone(#value));),
            PartKind::Files => quote! {
                for file in #value {
                    form.file(#wire, ::std::clone::Clone::clone(file));
                }
            },
            PartKind::Text => quote!(form.text(#wire, ::std::clone::Clone::clone(#value));),
            PartKind::Value => quote!(form.value(#wire, #value);),
        };
        if part.required {
            add(quote!(&body.#field))
        } else {
            let put = add(quote!(value));
            quote! { if let ::std::option::Option::Some(value) = &body.#field { #put } }
        }
    });
    quote! {
        let body = #body;
        let mut form = #form;
        #(#adds)*
        request.multipart_body(form);
    }
}

fn query_style(style: QueryStyle) -> TokenStream {
    let variant = match style {
        QueryStyle::Form => quote!(Form),
        QueryStyle::FormNoExplode => quote!(FormNoExplode),
        QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
        QueryStyle::PipeDelimited => quote!(PipeDelimited),
        QueryStyle::DeepObject => quote!(DeepObject),
    };
    quote!(crate::runtime::QueryStyle::#variant)
}

fn put_input(input: &Input) -> TokenStream {
    let (field, wire) = (&input.field, &input.wire_name);
    let value = if input.required {
        quote!(&self.#field)
    } else {
        quote!(value)
    };
    let put = match input.kind {
        InputKind::Query { .. } if input.json => quote!(request.query_json(#wire, #value);),
        InputKind::Query { style } => {
            let style = query_style(style);
            quote!(request.query_value(#wire, #value, #style);)
        }
        InputKind::Header if input.json => quote!(request.header_json(#wire, #value);),
        InputKind::Header => quote!(request.header(#wire, #value);),
        InputKind::Cookie if input.json => quote!(request.cookie_json(#wire, #value);),
        InputKind::Cookie => quote!(request.cookie(#wire, #value);),
        InputKind::Body {
            encoding: BodyEncoding::Multipart,
            ref parts,
            ref media_type,
        } => multipart_put(parts, media_type, &value),
        InputKind::Body {
            encoding,
            ref media_type,
            ..
        } => body_put(encoding, media_type, &value),
        InputKind::Path { .. } => TokenStream::new(),
    };
    if input.required {
        put
    } else {
        quote! { if let ::std::option::Option::Some(value) = &self.#field { #put } }
    }
}
