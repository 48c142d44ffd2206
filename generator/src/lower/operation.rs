//! Paths and operations: names, parameters, request bodies and success responses (answers told
//! apart by status are in [`super::responses`]).

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, Parameter as OaParameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    RequestBody as OaRequestBody, Response as OaResponse,
};

use super::Lowerer;
use super::schema::lower_schema;
use crate::diagnostics::pointer;
use crate::media::{Sequential, essence, sequential};
use crate::model::{
    BodyEncoding, Docs, Method, Operation, Paging, ParamLocation, Parameter, PathStyle, Primitive,
    QueryStyle, RequestBody, Response, ResponseBody, StatusCase, StatusCases, Style, Success,
    TypeRef,
};
use crate::naming::{Scope, builder_name, camel, derived_operation_name, snake, stream_method};
use crate::settings::OperationSettings;

/// Names a request builder uses for its own fields and methods; parameters get other names.
const BUILDER_RESERVED: &[&str] = &[
    "client",
    "options",
    "body",
    "send",
    "into_future",
    "request",
    "path",
    "into_request",
    "pages",
    "into_stream",
];

/// Lowers every operation, sorted by path then method, with unique Rust names.
pub(super) fn lower_operations(cx: &mut Lowerer<'_>) -> Vec<Operation> {
    let mut found = Vec::new();
    let mut paths: Vec<(&String, &ReferenceOr<PathItem>)> = cx.doc.paths.paths.iter().collect();
    paths.sort_by(|a, b| a.0.cmp(b.0));
    for (path, item) in paths {
        let at = pointer("#/paths", path);
        match item {
            ReferenceOr::Item(item) => {
                let extra = cx.extra_operations.iter().filter(|e| e.path_key == **path);
                found.extend(operations_of(path, item, &at, extra));
            }
            ReferenceOr::Reference { reference } => {
                cx.diags
                    .warning(
                        &at,
                        format!(
                            "path item `$ref: {reference}` is not supported: the operations of \
                             the path `{path}` are not generated"
                        ),
                    )
                    .help("write the path item here, or refer to a file that holds it");
            }
        }
    }
    let settings = &cx.settings.operations;
    for key in settings.keys() {
        if !found.iter().any(|f| settings_key(f) == *key) {
            cx.diags
                .error(
                    "#/paths",
                    format!(
                        "codegen.toml configures operation `{key}`, which the spec does not \
                         declare"
                    ),
                )
                .help(
                    "write the key as `METHOD /path` exactly as in the spec (`GET /models/{id}`), \
                     or remove it",
                );
        }
    }
    let (names, mut scope) = assign_names(cx, &found, settings);
    // An operation found impossible to generate is left out (its name stays claimed, so
    // that no other operation's name depends on it).
    let lowered: Vec<(Draft, Option<Response>)> = found
        .into_iter()
        .zip(names)
        .filter_map(|(op, name)| {
            cx.operation_skipped = false;
            let lowered = lower_operation(cx, &op, name);
            (!cx.operation_skipped).then_some(lowered)
        })
        .collect();
    let mut drafts = Vec::with_capacity(lowered.len());
    for (mut op, events) in lowered {
        let Some(events) = events else {
            drafts.push(op);
            continue;
        };
        let streaming = stream_sibling(cx, &mut op, events, &mut scope);
        drafts.push(op);
        drafts.push(streaming);
    }
    name_answers(drafts)
}

/// An operation lowered but for the names of its enums of answers by status, which must be
/// unique beside every request builder and so wait until every method is named.
#[derive(Clone)]
struct Draft {
    rust_name: String,
    success: DraftSuccess,
    /// The declared error answers, when at least one has a JSON body.
    errors: Option<Vec<StatusCase>>,
    sibling: Option<String>,
    paging: Paging,
    /// The rest of the operation as the document says it.
    spec: Spec,
}

/// A [`Success`] whose enum, if any, is not named yet.
#[derive(Clone)]
enum DraftSuccess {
    One(Response),
    ByStatus(Vec<StatusCase>),
}

/// What an operation takes from the document alone, shared by an operation and the method
/// that streams its events.
#[derive(Clone)]
struct Spec {
    operation_id: Option<String>,
    tags: Vec<String>,
    method: Method,
    path: String,
    fragment: Option<String>,
    fixed_query: Vec<(String, String)>,
    docs: Docs,
    parameters: Vec<Parameter>,
    body: Option<RequestBody>,
    retry_non_idempotent: bool,
    idempotency_header: Option<String>,
    security: Vec<String>,
    pointer: String,
}

/// The operations, their enums of answers by status named `<Builder>Response` and
/// `<Builder>Error` (see [`super::responses::EnumNames`]), in order.
fn name_answers(drafts: Vec<Draft>) -> Vec<Operation> {
    let builders: Vec<String> = drafts.iter().map(|d| builder_name(&d.rust_name)).collect();
    let mut names = super::responses::EnumNames::new(&builders);
    drafts
        .into_iter()
        .map(|draft| {
            let builder = builder_name(&draft.rust_name);
            let success = match draft.success {
                DraftSuccess::One(response) => Success::One(response),
                DraftSuccess::ByStatus(cases) => Success::ByStatus(StatusCases {
                    rust_name: names.success(&builder),
                    cases,
                }),
            };
            // A streaming sibling shares the error enum of the operation it streams.
            let streams = draft.sibling.as_deref().filter(|_| success.is_stream());
            let errors = draft.errors.map(|cases| StatusCases {
                rust_name: names.errors(&draft.rust_name, &builder, streams),
                cases,
            });
            let spec = draft.spec;
            Operation {
                operation_id: spec.operation_id,
                tags: spec.tags,
                rust_name: draft.rust_name,
                method: spec.method,
                path: spec.path,
                fragment: spec.fragment,
                fixed_query: spec.fixed_query,
                docs: spec.docs,
                parameters: spec.parameters,
                body: spec.body,
                success,
                errors,
                paging: draft.paging,
                retry_non_idempotent: spec.retry_non_idempotent,
                idempotency_header: spec.idempotency_header,
                security: spec.security,
                sibling: draft.sibling,
                pointer: spec.pointer,
            }
        })
        .collect()
}

/// The method that streams the events of an operation whose success is offered both whole
/// and as `text/event-stream`: `<name>_stream`, or the same with a suffix when another
/// method has that name (claimed after every operation's own name, in operation order).
fn stream_sibling(
    cx: &mut Lowerer<'_>,
    op: &mut Draft,
    events: Response,
    scope: &mut Scope,
) -> Draft {
    let wanted = stream_method(&op.rust_name);
    let rust_name = scope.claim(&wanted);
    if rust_name != wanted {
        cx.diags.warning(
            &op.spec.pointer,
            format!(
                "the method streaming the events of `{}` is named `{rust_name}`: \
                 `{wanted}` is another operation's",
                op.rust_name
            ),
        );
    }
    op.sibling = Some(rust_name.clone());
    Draft {
        rust_name,
        success: DraftSuccess::One(events),
        paging: Paging::None,
        sibling: Some(op.rust_name.clone()),
        ..op.clone()
    }
}

/// One operation found in the document, before lowering.
struct Found<'d> {
    /// The path template without any query string or `#fragment` written into it.
    path: &'d str,
    /// The `#fragment` of the path key, if any.
    fragment: Option<&'d str>,
    /// Where the path item is (`#/paths/~1pets#byName`).
    item_at: String,
    /// `k=v` pairs written into the path after `?`.
    fixed_query: Vec<(String, String)>,
    method: Method,
    path_params: &'d [ReferenceOr<OaParameter>],
    op: &'d openapiv3::Operation,
    at: String,
}

/// The operations of a path item. A `#fragment` of the key (`/connectors/{id}#byName`, which
/// some specs use to tell overloads apart) is no part of the URL, and is left out.
fn operations_of<'d>(
    raw_path: &'d str,
    item: &'d PathItem,
    at: &str,
    extra: impl Iterator<Item = &'d super::methods::ExtraOperation>,
) -> Vec<Found<'d>> {
    let (without_fragment, fragment) = match raw_path.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (raw_path, None),
    };
    let (path, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let fixed_query: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    let methods = [
        (Method::Get, &item.get),
        (Method::Put, &item.put),
        (Method::Post, &item.post),
        (Method::Delete, &item.delete),
        (Method::Options, &item.options),
        (Method::Head, &item.head),
        (Method::Patch, &item.patch),
        (Method::Trace, &item.trace),
    ];
    let found = |method: Method, op: &'d openapiv3::Operation, op_at: String| Found {
        path,
        fragment,
        item_at: at.to_owned(),
        fixed_query: fixed_query.clone(),
        method,
        path_params: &item.parameters,
        op,
        at: op_at,
    };
    let fixed = methods.into_iter().filter_map(|(method, op)| {
        let op_at = pointer(at, &method.as_str().to_ascii_lowercase());
        op.as_ref().map(|op| found(method, op, op_at))
    });
    let mut all: Vec<Found<'d>> = fixed.collect();
    // `query` first, then the other methods by name: the order of a map means nothing.
    let mut extra: Vec<&super::methods::ExtraOperation> = extra.collect();
    extra.sort_by(|a, b| a.method.cmp(&b.method));
    all.extend(
        extra
            .into_iter()
            .map(|e| found(e.method.clone(), &e.op, e.at.clone())),
    );
    all
}

/// `"POST /v1/models"`: how `codegen.toml` names an operation (with the path key's
/// `#fragment`, which tells overloads apart: `"GET /connectors/{id}#byName"`).
fn settings_key(found: &Found<'_>) -> String {
    let fragment = found.fragment.map(|f| format!("#{f}")).unwrap_or_default();
    format!("{} {}{fragment}", found.method.as_str(), found.path)
}

/// Rust names for the operations: the `codegen.toml` name, else `operationId` in snake
/// case, else a name derived from the operation alone (see
/// [`crate::naming::derived_operation_name`]). Two operations that still want one name are
/// a warning naming both and the setting that tells them apart; the later one takes a
/// suffix. The scope they were claimed in comes with them, for the methods added later.
fn assign_names(
    cx: &mut Lowerer<'_>,
    found: &[Found<'_>],
    settings: &BTreeMap<String, OperationSettings>,
) -> (Vec<String>, Scope) {
    let wanted: Vec<String> = found
        .iter()
        .map(|f| {
            let configured = settings
                .get(&settings_key(f))
                .and_then(|s| s.name.as_deref());
            match configured.or(f.op.operation_id.as_deref()) {
                Some(name) => snake(name),
                None => derived_operation_name(
                    &f.method.as_str().to_ascii_lowercase(),
                    f.path,
                    f.op.summary.as_deref(),
                ),
            }
        })
        .collect();
    let mut scope = Scope::distinct_in_camel_case(CLIENT_METHODS);
    // First occurrences claim their names before any repeat takes a suffix, so that a
    // suffixed `fetch_report_2` cannot take the place of a spec's own `fetchReport2`.
    let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
    let (first, repeats): (Vec<usize>, Vec<usize>) =
        (0..found.len()).partition(|&i| *first_of.entry(wanted[i].as_str()).or_insert(i) == i);
    let mut names: Vec<String> = vec![String::new(); found.len()];
    for i in first.into_iter().chain(repeats) {
        names[i] = scope.claim(&wanted[i]);
        if names[i] != wanted[i] {
            let other = first_of
                .get(wanted[i].as_str())
                .filter(|&&j| j != i)
                .map_or_else(
                    || "a method of `Client`".to_owned(),
                    |&j| format!("`{}`", settings_key(&found[j])),
                );
            cx.diags.warning(
                &found[i].at,
                format!(
                    "`{}` and {other} would both be named `{}`; this one is `{}`. Name it in \
                     codegen.toml: [operations.\"{}\"] name = \"…\"",
                    settings_key(&found[i]),
                    wanted[i],
                    names[i],
                    settings_key(&found[i]),
                ),
            );
        }
    }
    (names, scope)
}

/// Methods of every generated `Client` besides the operations.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "from_env",
    "base_url",
    "max_retries",
    "retry_policy",
];

/// The operation, and the events of its success when they are offered beside another
/// media type (for a second method that streams them).
fn lower_operation<'d>(
    cx: &mut Lowerer<'d>,
    found: &Found<'d>,
    rust_name: String,
) -> (Draft, Option<Response>) {
    let op = found.op;
    let hint = camel(&rust_name);
    let parameters = lower_parameters(cx, found, &hint);
    let body = op
        .request_body
        .as_ref()
        .and_then(|body| lower_body(cx, body, &pointer(&found.at, "requestBody"), &hint));
    for name in op.callbacks.keys() {
        cx.diags.warning(
            pointer(&pointer(&found.at, "callbacks"), name),
            format!("callback `{name}` is not generated: the server calls it, the client does not"),
        );
    }
    let responses_at = pointer(&found.at, "responses");
    // Several success answers with different bodies are read by status, whole; such an
    // operation gets no streaming sibling.
    let (success, events) =
        match super::responses::lower_successes(cx, &op.responses, &responses_at, &hint) {
            Some(by_status) => (DraftSuccess::ByStatus(by_status), None),
            None => {
                let (one, events) = lower_success(cx, &op.responses, &responses_at, &hint);
                (DraftSuccess::One(one), events)
            }
        };
    // An operation with no 2xx answer reads `default` as its success, not as an error.
    let default_is_success = matches!(&success, DraftSuccess::One(one) if one.status == "default");
    let errors =
        super::responses::lower_errors(cx, &op.responses, default_is_success, &responses_at, &hint);
    let security = match &op.security {
        Some(requirements) => requirements,
        None => cx.doc.security.as_ref().map_or(&[][..], |s| s.as_slice()),
    };
    let mut security: Vec<String> = security.iter().flat_map(|r| r.keys().cloned()).collect();
    security.sort();
    security.dedup();
    let key = settings_key(found);
    let setting = cx.settings.operations.get(&key);
    let retry_non_idempotent = setting.is_some_and(|s| s.retry);
    let paging_setting = setting.and_then(|s| s.paging.as_ref());
    let paging = match &success {
        DraftSuccess::One(one) => {
            let link = super::pagination_link_header(cx, &op.responses, &one.status);
            let configured = paging_setting.map(|p| (key.as_str(), p));
            super::pagination::detect(cx, &parameters, one, link, configured, &found.at)
        }
        DraftSuccess::ByStatus(_) => Paging::None,
    };
    let idempotency_header = idempotency_header(cx, &found.method, &parameters);
    let spec = Spec {
        operation_id: op.operation_id.clone(),
        tags: op.tags.clone(),
        method: found.method.clone(),
        path: found.path.to_owned(),
        fragment: found.fragment.map(str::to_owned),
        fixed_query: found.fixed_query.clone(),
        docs: Docs {
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            examples: Vec::new(),
            default: None,
        },
        parameters,
        body,
        retry_non_idempotent,
        idempotency_header,
        security,
        pointer: found.at.clone(),
    };
    let draft = Draft {
        rust_name,
        success,
        errors,
        sibling: None,
        paging,
        spec,
    };
    (draft, events)
}

/// The header the operation takes an idempotency key in: a declared header parameter with
/// the settings' idempotency header name (any case), else that name when the settings say
/// every operation of this method takes it.
fn idempotency_header(
    cx: &Lowerer<'_>,
    method: &Method,
    parameters: &[Parameter],
) -> Option<String> {
    let settings = &cx.settings.idempotency;
    let name = settings.header_name();
    let declared = parameters
        .iter()
        .find(|p| p.location == ParamLocation::Header && p.wire_name.eq_ignore_ascii_case(name));
    if let Some(param) = declared {
        return Some(param.wire_name.clone());
    }
    let every = settings
        .methods
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method.as_str()));
    every.then(|| name.to_owned())
}

/// Path-level parameters overridden by operation-level ones of the same name and place;
/// path parameters first in template order, then the others in document order.
fn lower_parameters<'d>(cx: &mut Lowerer<'d>, found: &Found<'d>, hint: &str) -> Vec<Parameter> {
    let path_level = found.path_params.iter().enumerate().map(|(i, p)| {
        let at = pointer(&pointer(&found.item_at, "parameters"), &i.to_string());
        (p, at)
    });
    let op_level = found.op.parameters.iter().enumerate().map(|(i, p)| {
        (
            p,
            pointer(&pointer(&found.at, "parameters"), &i.to_string()),
        )
    });
    let mut merged: Vec<(&'d OaParameter, String)> = Vec::new();
    for (param, at) in path_level.chain(op_level) {
        let Some((param, at)) = resolve_parameter(cx, param, at) else {
            continue;
        };
        let key = (param.parameter_data_ref().name.clone(), location(param));
        merged.retain(|(p, _)| (p.parameter_data_ref().name.clone(), location(p)) != key);
        merged.push((param, at));
    }
    let template = template_params(found.path);
    check_path_params(cx, found, &template, &mut merged);
    merged.sort_by_key(|(p, _)| {
        let name = &p.parameter_data_ref().name;
        let order = template
            .iter()
            .position(|t| t == name)
            .unwrap_or(usize::MAX);
        (location(p) != ParamLocation::Path, order)
    });
    let mut scope = Scope::with_reserved(BUILDER_RESERVED);
    merged
        .into_iter()
        .filter_map(|(param, at)| lower_parameter(cx, param, &at, hint, &mut scope))
        .collect()
}

/// Reports a reference that leads nowhere; `None` then, else what it leads to.
fn resolved<'d, T>(
    cx: &mut Lowerer<'d>,
    found: Result<crate::resolve::Found<'d, T>, crate::resolve::RefError>,
    at: &str,
) -> Option<(&'d T, String)> {
    match found {
        Ok(found) => Some(found),
        Err(err) => {
            super::report_ref(cx.diags, at, &err);
            None
        }
    }
}

fn resolve_parameter<'d>(
    cx: &mut Lowerer<'d>,
    param: &'d ReferenceOr<OaParameter>,
    at: String,
) -> Option<(&'d OaParameter, String)> {
    let found = cx.resolver.parameter(param, &at);
    resolved(cx, found, &at)
}

fn style(param: &OaParameter) -> Style {
    match param {
        OaParameter::Query {
            style,
            parameter_data,
            ..
        } => Style::Query(query_style(style, parameter_data)),
        OaParameter::Path {
            style,
            parameter_data,
            ..
        } => {
            let explode = parameter_data.explode.unwrap_or(false);
            Style::Path(match style {
                openapiv3::PathStyle::Simple => PathStyle::Simple { explode },
                openapiv3::PathStyle::Label => PathStyle::Label { explode },
                openapiv3::PathStyle::Matrix => PathStyle::Matrix { explode },
            })
        }
        OaParameter::Header { .. } | OaParameter::Cookie { .. } => Style::Plain,
    }
}

fn query_style(style: &openapiv3::QueryStyle, data: &openapiv3::ParameterData) -> QueryStyle {
    match (style, data.explode.unwrap_or(true)) {
        (openapiv3::QueryStyle::Form, true) => QueryStyle::Form,
        (openapiv3::QueryStyle::Form, false) => QueryStyle::FormNoExplode,
        (openapiv3::QueryStyle::SpaceDelimited, _) => QueryStyle::SpaceDelimited,
        (openapiv3::QueryStyle::PipeDelimited, _) => QueryStyle::PipeDelimited,
        (openapiv3::QueryStyle::DeepObject, _) => QueryStyle::DeepObject,
    }
}

fn location(param: &OaParameter) -> ParamLocation {
    match param {
        OaParameter::Path { .. } => ParamLocation::Path,
        OaParameter::Query { .. } => ParamLocation::Query,
        OaParameter::Header { .. } => ParamLocation::Header,
        OaParameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// The names of a path template, in order, wherever they stand in their segments
/// (`/files/{name}.{ext}` → `name`, `ext`).
fn template_params(path: &str) -> Vec<String> {
    crate::model::template_pieces(path)
        .into_iter()
        .filter_map(|piece| match piece {
            crate::model::TemplatePiece::Param(name) => Some(name.to_owned()),
            crate::model::TemplatePiece::Literal(_) => None,
        })
        .collect()
}

/// Every name of the template must be a declared path parameter, or the request cannot be
/// built: the operation is skipped. A declared path parameter the template does not name
/// cannot be sent: it is left out.
fn check_path_params(
    cx: &mut Lowerer<'_>,
    found: &Found<'_>,
    template: &[String],
    merged: &mut Vec<(&OaParameter, String)>,
) {
    for name in template {
        let declared = merged.iter().any(|(p, _)| {
            location(p) == ParamLocation::Path && &p.parameter_data_ref().name == name
        });
        if !declared {
            cx.skip_operation(
                &found.at,
                &format!("the path names `{{{name}}}` but no path parameter `{name}` is declared"),
            )
            .help(format!(
                "declare `{{name: {name}, in: path, required: true, schema: {{type: string}}}}` \
                 under the operation's or the path's `parameters`"
            ));
        }
    }
    merged.retain(|(param, at)| {
        let name = &param.parameter_data_ref().name;
        let unsent = location(param) == ParamLocation::Path && !template.contains(name);
        if unsent {
            cx.diags
                .warning(
                    at,
                    format!(
                        "path parameter `{name}` does not appear in the path `{}`: it cannot be \
                         sent, and is not generated",
                        found.path
                    ),
                )
                .help(format!(
                    "add `{{{name}}}` to the path, or rename the parameter to one the path names"
                ));
        }
        !unsent
    });
}

fn lower_parameter(
    cx: &mut Lowerer<'_>,
    param: &OaParameter,
    at: &str,
    hint: &str,
    scope: &mut Scope,
) -> Option<Parameter> {
    let data = param.parameter_data_ref();
    let name_hint = format!("{hint}{}", camel(&data.name));
    let (ty, style) = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => (
            lower_schema(cx, schema, &pointer(at, "schema"), &name_hint),
            style(param),
        ),
        ParameterSchemaOrContent::Content(content) => {
            content_parameter(cx, param, content, &pointer(at, "content"), &name_hint)?
        }
    };
    let style = match data.extensions.get("x-apigen-querystring") {
        Some(_) => query_string_style(cx, style, at)?,
        None => style,
    };
    let location = location(param);
    Some(Parameter {
        wire_name: data.name.clone(),
        rust_name: scope.claim(&snake(&data.name)),
        location,
        style,
        required: data.required || location == ParamLocation::Path,
        ty,
        docs: Docs {
            summary: None,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            examples: parameter_examples(data),
            default: parameter_default(data),
        },
    })
}

/// A parameter described by `content` (one media type, which says how the value is written):
/// a JSON media type sends the value's JSON text; any other sends it as the parameter's style
/// would. The operation is skipped when `content` is empty.
fn content_parameter(
    cx: &mut Lowerer<'_>,
    param: &OaParameter,
    content: &indexmap::IndexMap<String, MediaType>,
    at: &str,
    hint: &str,
) -> Option<(TypeRef, Style)> {
    let json = json_content(content);
    let chosen = json.or_else(|| {
        content
            .iter()
            .min_by_key(|(name, _)| name.as_str())
            .map(|(name, media)| (name.as_str(), media))
    });
    let Some((media_type, media)) = chosen else {
        cx.skip_operation(at, "a parameter's `content` names no media type")
            .help("give `content` one media type, such as `application/json: {schema: {}}`");
        return None;
    };
    if content.len() > 1 {
        cx.diags.warning(
            at,
            format!("a parameter's `content` has several media types: `{media_type}` is sent"),
        );
    }
    let ty = media_schema(cx, media, &pointer(at, media_type), hint);
    let style = match json {
        Some(_) => Style::Json,
        None => style(param),
    };
    Some((ty, style))
}

/// OpenAPI 3.2's `in: querystring`: the value is the whole query string. In a form media type
/// (or any but JSON) its properties are the query's `name=value` pairs, as an exploded
/// `form` object is; the query string as JSON text is not supported (the operation is
/// skipped).
fn query_string_style(cx: &mut Lowerer<'_>, style: Style, at: &str) -> Option<Style> {
    if style == Style::Json {
        cx.skip_operation(at, "a whole query string of JSON text (`in: querystring` with a JSON media type) is not supported")
            .help("describe it as `application/x-www-form-urlencoded`, whose properties are the query's pairs");
        return None;
    }
    Some(Style::Query(QueryStyle::Form))
}

/// The `default` of a parameter's inline schema.
fn parameter_default(data: &openapiv3::ParameterData) -> Option<serde_json::Value> {
    match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
            schema.schema_data.default.clone()
        }
        _ => None,
    }
}

/// A parameter's `example`, its `examples` values, else its schema's examples.
fn parameter_examples(data: &openapiv3::ParameterData) -> Vec<serde_json::Value> {
    let mut examples: Vec<serde_json::Value> = data.example.iter().cloned().collect();
    examples.extend(
        data.examples
            .values()
            .filter_map(|e| e.as_item()?.value.clone()),
    );
    if examples.is_empty() {
        if let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format {
            examples = super::schema_examples(&schema.schema_data);
        }
    }
    examples
}

fn lower_body<'d>(
    cx: &mut Lowerer<'d>,
    body: &'d ReferenceOr<OaRequestBody>,
    at: &str,
    hint: &str,
) -> Option<RequestBody> {
    let found = cx.resolver.request_body(body, at);
    let (body, at) = resolved(cx, found, at)?;
    let Some((media_type, encoding, content)) = body_content(&body.content) else {
        let mut types: Vec<&String> = body.content.keys().collect();
        types.sort();
        cx.skip_operation(
            &at,
            &format!("request bodies of media type {types:?} are not supported"),
        )
        .help(
            "offer the body as JSON, a form, multipart (form-data, mixed, related), text or bytes",
        );
        return None;
    };
    let content_at = pointer(&pointer(&at, "content"), media_type);
    let ty = match encoding {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
            media_schema(cx, content, &content_at, &format!("{hint}Body"))
        }
        BodyEncoding::Text => TypeRef::Primitive(Primitive::String),
        BodyEncoding::Binary => TypeRef::Primitive(Primitive::Bytes),
    };
    if encoding == BodyEncoding::Multipart && !is_struct(cx, &ty) {
        cx.skip_operation(
            &content_at,
            "a multipart body must be an object schema (its properties are the parts)",
        )
        .help("give the body a schema with `type: object` and one property per part");
        return None;
    }
    Some(RequestBody {
        media_type: media_type.to_owned(),
        encoding,
        ty,
        required: body.required,
        docs: Docs {
            summary: None,
            description: body.description.clone(),
            deprecated: false,
            examples: Vec::new(),
            default: None,
        },
    })
}

fn is_struct(cx: &Lowerer<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => matches!(cx.types[id].kind, crate::model::TypeKind::Struct(_)),
        _ => false,
    }
}

/// The body to send: JSON first, then a form, multipart (form-data first), text, and any
/// other type as bytes.
fn body_content(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&str, BodyEncoding, &MediaType)> {
    if let Some((name, media)) = json_content(content) {
        return Some((name, BodyEncoding::Json, media));
    }
    // Among media types of one kind, the first by name: the order of `content` means nothing.
    let pick = |wanted: &dyn Fn(&str) -> bool| {
        content
            .iter()
            .filter(|(name, _)| wanted(&essence(name)))
            .min_by_key(|(name, _)| name.as_str())
    };
    let (name, media, encoding) =
        if let Some((n, m)) = pick(&|e| e == "application/x-www-form-urlencoded") {
            (n, m, BodyEncoding::Form)
        } else if let Some((n, m)) = pick(&|e| e == "multipart/form-data") {
            (n, m, BodyEncoding::Multipart)
        } else if let Some((n, m)) = pick(&|e| e.starts_with("multipart/")) {
            (n, m, BodyEncoding::Multipart)
        } else if let Some((n, m)) = pick(&|e| e.starts_with("text/")) {
            (n, m, BodyEncoding::Text)
        } else if let Some((n, m)) = pick(&|e| !e.starts_with("multipart/")) {
            (n, m, BodyEncoding::Binary)
        } else {
            return None;
        };
    Some((name.as_str(), encoding, media))
}

/// The JSON entry of a `content` map: `application/json` first, then other
/// `application/json…` types (with parameters, `json-patch+json`), then any `+json` type,
/// then `*/*`; among equals, the first by name (the order of `content` means nothing).
pub(super) fn json_content(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&str, &MediaType)> {
    let rank = |name: &str| {
        let essence = essence(name);
        if sequential(name).is_some() {
            // `application/json-seq` and `application/jsonl` are sequences, not one document.
            None
        } else if name.starts_with("application/json") {
            Some(u8::from(essence != "application/json"))
        } else if essence == "application/json" || essence.ends_with("+json") {
            Some(2)
        } else if essence == "*/*" {
            Some(3)
        } else {
            None
        }
    };
    content
        .iter()
        .filter_map(|(name, media)| Some(((rank(name)?, name.as_str()), media)))
        .min_by_key(|(key, _)| *key)
        .map(|((_, name), media)| (name, media))
}

pub(super) fn media_schema(
    cx: &mut Lowerer<'_>,
    media: &MediaType,
    at: &str,
    hint: &str,
) -> TypeRef {
    match &media.schema {
        Some(schema) => lower_schema(cx, schema, &pointer(at, "schema"), hint),
        None => TypeRef::Primitive(Primitive::Json),
    }
}

/// The success response: the lowest declared 2xx code, else `2XX`, else `default`
/// ([`super::responses::success_answers`] orders them). When it
/// offers `text/event-stream` beside other media types, the events come second.
fn lower_success<'d>(
    cx: &mut Lowerer<'d>,
    responses: &'d openapiv3::Responses,
    at: &str,
    hint: &str,
) -> (Response, Option<Response>) {
    let chosen = super::responses::success_answers(responses)
        .first()
        .map(|(status, response)| (status.to_string(), *response))
        .or_else(|| {
            responses
                .default
                .as_ref()
                .map(|r| ("default".to_owned(), r))
        });
    let Some((status, response)) = chosen else {
        return (empty_response("default".to_owned()), None);
    };
    let at = pointer(at, &status);
    let Some((response, at)) = resolve_response(cx, response, at) else {
        return (empty_response(status), None);
    };
    let content_at = pointer(&at, "content");
    let (streamed, others) = split_streams(cx, &response.content, &content_at);
    let streamed = streamed.map(|(media_type, media, kind)| {
        let at = pointer(&content_at, media_type);
        stream_body(cx, media_type, media, kind, &at, hint)
    });
    let response_of = |body| Response {
        status: status.clone(),
        description: Some(response.description.clone()),
        body,
    };
    match streamed {
        Some(streamed) if others.is_empty() => (response_of(streamed), None),
        streamed => {
            let whole = whole_body(cx, &others, &content_at, &format!("{hint}Response"));
            (response_of(whole), streamed.map(response_of))
        }
    }
}

/// The body of a success read as it arrives: server-sent events, or JSON values.
fn stream_body(
    cx: &mut Lowerer<'_>,
    media_type: &str,
    media: &MediaType,
    kind: Sequential,
    at: &str,
    hint: &str,
) -> ResponseBody {
    match kind {
        Sequential::Events => {
            ResponseBody::EventStream(super::event_stream::data_type(cx, media, at, hint))
        }
        Sequential::Lines | Sequential::Records => ResponseBody::JsonStream {
            media_type: media_type.to_owned(),
            item: super::json_stream::item_type(cx, media, at, hint),
        },
    }
}

/// How a response told apart by status is read: whole (see [`whole_body`]); an answer that
/// is only a stream (of events or of JSON values) is read as text.
pub(super) fn response_body(
    cx: &mut Lowerer<'_>,
    response: &OaResponse,
    at: &str,
    hint: &str,
) -> ResponseBody {
    let content_at = pointer(at, "content");
    let (streamed, others) = split_streams(cx, &response.content, &content_at);
    match streamed {
        Some(_) if others.is_empty() => ResponseBody::Text,
        _ => whole_body(cx, &others, &content_at, hint),
    }
}

fn empty_response(status: String) -> Response {
    Response {
        status,
        description: None,
        body: ResponseBody::Empty,
    }
}

/// A sequential entry of a response's content: its media type, its object, its kind.
type Streamed<'c> = (&'c str, &'c MediaType, Sequential);

/// The entry of a response's content that streams, and the entries that are not
/// sequential. `text/event-stream` streams first, then the first sequence of JSON values by
/// name; other sequential entries are not generated, with a warning.
fn split_streams<'c>(
    cx: &mut Lowerer<'_>,
    content: &'c indexmap::IndexMap<String, MediaType>,
    content_at: &str,
) -> (Option<Streamed<'c>>, indexmap::IndexMap<String, MediaType>) {
    let mut streams: Vec<Streamed<'_>> = content
        .iter()
        .filter_map(|(name, media)| Some((name.as_str(), media, sequential(name)?)))
        .collect();
    streams.sort_by_key(|(name, _, kind)| (*kind != Sequential::Events, *name));
    let mut streams = streams.into_iter();
    let chosen = streams.next();
    if let Some((chosen_name, _, _)) = chosen {
        for (name, _, _) in streams {
            cx.diags.warning(
                pointer(content_at, name),
                format!(
                    "the answer also streams as `{name}`; only `{chosen_name}` is generated,                      the call asks for that one"
                ),
            );
        }
    }
    let others = content
        .iter()
        .filter(|(name, _)| sequential(name).is_none())
        .map(|(name, media)| (name.clone(), media.clone()))
        .collect();
    (chosen, others)
}

/// A body read whole: none, JSON, text (`text/*`), else bytes.
fn whole_body(
    cx: &mut Lowerer<'_>,
    content: &indexmap::IndexMap<String, MediaType>,
    content_at: &str,
    hint: &str,
) -> ResponseBody {
    if content.is_empty() {
        ResponseBody::Empty
    } else if let Some((media_type, media)) = json_content(content) {
        let media_at = pointer(content_at, media_type);
        ResponseBody::Json(media_schema(cx, media, &media_at, hint))
    } else if content
        .keys()
        .any(|name| essence(name).starts_with("text/"))
    {
        ResponseBody::Text
    } else {
        ResponseBody::Binary
    }
}

pub(super) fn resolve_response<'d>(
    cx: &mut Lowerer<'d>,
    response: &'d ReferenceOr<OaResponse>,
    at: String,
) -> Option<(&'d OaResponse, String)> {
    let found = cx.resolver.response(response, &at);
    resolved(cx, found, &at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(names: &[&str]) -> indexmap::IndexMap<String, MediaType> {
        names
            .iter()
            .map(|name| ((*name).to_owned(), MediaType::default()))
            .collect()
    }

    #[test]
    fn json_sequences_are_not_one_json_document() {
        let sequences = content(&["application/json-seq", "application/jsonl"]);
        assert!(json_content(&sequences).is_none());
        let (name, encoding, _) = body_content(&sequences).expect("a body of bytes");
        assert_eq!(
            (name, encoding),
            ("application/json-seq", BodyEncoding::Binary)
        );
        let both = content(&["application/jsonl", "application/json"]);
        assert_eq!(
            json_content(&both).map(|(n, _)| n),
            Some("application/json")
        );
    }
}
