//! The crate root's documentation: a guide to the generated crate, with examples that
//! compile, written with this API's own operations and types, then the operations grouped
//! by resource.
//!
//! ```text
//! //! Baseten management API (version 1.0.0).
//! //! # Getting started   (a client, a first call)
//! //! # Calling an operation, # Request bodies, # Errors, # Retries, timeouts and options,
//! //! # Enums and unions, # Paging, hooks and tests, # Logging
//! //! # Operations
//! //! ## Models
//! //! | Method | What it does |
//! //! | [`list_models`](Client::list_models) | Gets all models |
//! ```
//!
//! An example needs an operation it can call with placeholder arguments; a section whose
//! kind of operation the API lacks keeps its prose and leaves the example out.

use std::collections::BTreeMap;

use crate::model::{
    Api, Operation, ParamLocation, Primitive, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace,
};

/// The whole text of the crate docs, one line per `//!` line.
pub(crate) fn crate_docs(api: &Api) -> String {
    let krate = api.package.name.replace('-', "_");
    let cx = Guide { api, krate: &krate };
    let mut text = cx.title();
    for section in [
        cx.getting_started(),
        cx.calling(),
        cx.bodies(),
        cx.errors(),
        cx.retries(),
        cx.open_types(),
        cx.paging_hooks_tests(),
        cx.logging(),
        cx.operations(),
    ] {
        text.push('\n');
        text.push_str(&section);
    }
    text.lines()
        .map(|line| format!(" {line}\n"))
        .collect::<String>()
        .replace(" \n", "\n")
}

struct Guide<'a> {
    api: &'a Api,
    krate: &'a str,
}

impl Guide<'_> {
    fn title(&self) -> String {
        let api = self.api;
        let mut text = format!("{} (version {}).\n", api.title.trim(), api.version.trim());
        if let Some(summary) = &api.summary {
            text.push('\n');
            text.push_str(super::docs::sanitize(summary.trim()).trim_end());
            text.push('\n');
        }
        if let Some(license) = &api.license {
            text.push('\n');
            text.push_str(&license_line(license));
        }
        if let Some(description) = &api.description {
            text.push('\n');
            text.push_str(super::docs::sanitize(description.trim()).trim_end());
            text.push('\n');
        }
        text
    }

    /// A doctest that compiles but does not run, in a function returning the crate's `Error`.
    fn example(&self, body: &str) -> String {
        let krate = self.krate;
        format!(
            "```no_run\n# async fn run() -> Result<(), {krate}::Error> {{\n{}\n# Ok(())\n# }}\n```\n",
            body.trim_end()
        )
    }

    /// How the guide's examples get a client: the shortest constructor this API has.
    fn client_line(&self) -> String {
        let krate = self.krate;
        let keyed = !self.api.auth.schemes.is_empty();
        match (
            &self.api.auth.env_var,
            self.api.base_url().is_empty(),
            keyed,
        ) {
            (Some(_), _, _) => format!("let client = {krate}::Client::from_env()?;"),
            (None, false, true) => format!("let client = {krate}::Client::new(\"my-api-key\")?;"),
            (None, false, false) => format!("let client = {krate}::Client::new()?;"),
            (None, true, true) => format!(
                "let client = {krate}::Client::new(\"https://api.example.com\", \"my-api-key\")?;"
            ),
            (None, true, false) => {
                format!("let client = {krate}::Client::new(\"https://api.example.com\")?;")
            }
        }
    }

    fn getting_started(&self) -> String {
        let krate = self.krate;
        let mut text = "# Getting started\n\n".to_owned();
        text.push_str(&self.construction_prose());
        let mut body = self.client_line();
        if let Some(call) = self.pick(|op| {
            op.parameters.iter().all(|p| !p.required)
                && op.body.is_none()
                && call_text(op).is_some()
        }) {
            body.push_str(&format!(
                "\nlet answer = client.{}.await?;\n# let _ = answer;",
                call_text(call).unwrap_or_default()
            ));
        }
        text.push('\n');
        text.push_str(&self.example(&body));
        let builder = format!(
            "let client = {krate}::Client::builder()\n{}    .timeout(std::time::Duration::from_secs(30))\n    .max_retries(4)\n    .build()?;\n# let _ = client;",
            self.builder_key_lines()
        );
        text.push_str("\nEvery setting of a client is on its builder:\n\n");
        text.push_str(&self.example(&builder));
        text.push_str(&self.auth_prose());
        text
    }

    fn builder_key_lines(&self) -> String {
        let mut lines = String::new();
        if !self.api.auth.schemes.is_empty() {
            lines.push_str("    .api_key(\"my-api-key\")\n");
        }
        if self.api.base_url().is_empty() {
            lines.push_str("    .base_url(\"https://api.example.com\")\n");
        }
        lines
    }

    fn construction_prose(&self) -> String {
        let api = self.api;
        let mut text = String::new();
        match api.base_url() {
            "" => text.push_str(
                "The spec declares no usable server URL, so `Client::new` takes the base URL. ",
            ),
            url => text.push_str(&format!(
                "`Client::new` makes a client for `{url}` with every setting at its default. "
            )),
        }
        if let Some(var) = &api.auth.env_var {
            text.push_str(&format!("`Client::from_env` reads the key from `{var}`"));
            if let Some(url_var) = &api.auth.base_url_env {
                text.push_str(&format!(
                    " and, when it is set, the base URL from `{url_var}`"
                ));
            }
            text.push_str(
                "; `ClientBuilder::from_env` does the same and leaves every other setting to \
                 change. ",
            );
        }
        text.push_str(
            "Clients are cheap to clone and share one connection pool. Nothing that builds a \
             client panics: a missing key, a bad URL or an HTTP client that cannot start is an \
             `Error::Config`.\n",
        );
        text
    }

    fn auth_prose(&self) -> String {
        let schemes = &self.api.auth.schemes;
        let Some(default) = self.api.auth.default_scheme() else {
            return String::new();
        };
        let mut text = format!(
            "\nThe key is sent with the `{}` scheme{}",
            default.wire_name,
            scheme_description(&default.kind)
        );
        let others: Vec<String> = schemes
            .iter()
            .filter(|s| s.wire_name != default.wire_name)
            .map(|s| format!("`{}`{}", s.wire_name, scheme_description(&s.kind)))
            .collect();
        if !others.is_empty() {
            text.push_str(&format!(
                "; `ClientBuilder::auth_scheme` picks another: {}",
                others.join(", ")
            ));
        }
        text.push_str(
            ". The key never shows in `Debug` or `Display` output, in errors or in tracing, and \
             the client refuses to send it over plain `http://` to a host other than loopback \
             unless `allow_insecure_http` says so. An API whose operations need a key cannot \
             build a client without one unless `without_auth` says so.\n",
        );
        text
    }

    fn calling(&self) -> String {
        let mut text = "# Calling an operation\n\n".to_owned();
        text.push_str(
            "`Client` has one method per operation (the list is at the end). Required path, \
             query and header parameters and a required body are its arguments; it returns the \
             operation's request builder (in [`requests`]), whose methods set the optional \
             parameters. Awaiting the request sends it and gives the decoded answer; \
             `send_with_response` gives the status and headers beside it.\n",
        );
        let with_setter = self.pick(|op| call_text(op).is_some() && optional_setter(op).is_some());
        if let Some(op) = with_setter {
            let call = call_text(op).unwrap_or_default();
            let setter = optional_setter(op).unwrap_or_default();
            let body = format!(
                "{}\nlet answer = client.{call}.{setter}.await?;\n# let _ = answer;\nlet response = client.{call}.send_with_response().await?;\nprintln!(\"{{}} {{:?}}\", response.status, response.headers.get(\"content-type\"));",
                self.client_line()
            );
            text.push('\n');
            text.push_str(&self.example(&body));
        }
        text
    }

    fn bodies(&self) -> String {
        let api = self.api;
        let built = api.request_types();
        if built.is_empty() {
            return String::new();
        }
        let mut text = "# Request bodies\n\n".to_owned();
        text.push_str(
            "A body type whose fields are all optional implements `Default`; one with required \
             fields has `new` taking them. Body types have a setter per optional field, so a \
             body says only what it sets; struct literals work too.\n",
        );
        if let Some((op, def, setter)) = self.body_example(&built) {
            let krate = self.krate;
            let call = body_call_text(op).unwrap_or_default();
            let body = format!(
                "{}\nlet body = {krate}::types::{}::default().{setter};\nlet answer = client.{call}.await?;\n# let _ = answer;",
                self.client_line(),
                def.rust_name
            );
            text.push('\n');
            text.push_str(&self.example(&body));
        }
        if has_nullable_optional(&api.types) {
            text.push_str(
                "\nA field that is optional and may be `null` is an `Option<Option<T>>`, so that \
                 absent, `null` and a value stay three cases: `None` leaves it out (in an \
                 update, the server keeps its value), `Some(None)` sends `null` (in an update, \
                 it is cleared) and `Some(Some(value))` sends the value. Its setters are \
                 `field(value)` and `field_null()`. Decoding keeps the same three cases.\n",
            );
        }
        text
    }

    fn body_example<'a>(
        &'a self,
        built: &std::collections::BTreeSet<TypeId>,
    ) -> Option<(&'a Operation, &'a TypeDef, String)> {
        let space = &self.api.types;
        self.api.operations.iter().find_map(|op| {
            let body = op.body.as_ref().filter(|b| b.required)?;
            let TypeRef::Named(id) = &body.ty else {
                return None;
            };
            let def = space.get(*id);
            let TypeKind::Struct(s) = &def.kind else {
                return None;
            };
            let defaultable = built.contains(id) && s.fields.iter().all(|f| !f.required);
            let setter = s.fields.iter().find_map(|f| {
                let ty = match &f.ty {
                    TypeRef::Nullable(inner) => inner,
                    other => other,
                };
                let value = placeholder(ty)?;
                Some(format!("{}({value})", f.rust_name))
            })?;
            (defaultable && !op.docs.deprecated && body_call_text(op).is_some())
                .then_some((op, def, setter))
        })
    }

    fn errors(&self) -> String {
        let krate = self.krate;
        let (code, message) = (
            &self.api.error_body.code_field,
            &self.api.error_body.message_field,
        );
        let mut text = "# Errors\n\n".to_owned();
        text.push_str(&format!(
            "Every call fails with one [`Error`]: `Config` (the client's settings), \
             `InvalidRequest` (a value that cannot be sent), `Transport` (the connection), \
             `Timeout` (an attempt ran over its limit; `HeadersTimeout` for an event stream), \
             `Decode` (an answer that does not decode, with the raw body), `Api` (an error \
             status, with its headers and raw body, and the API's `{code}` and `{message}` \
             when the body has them) and `Hook` (a hook stopped the call). Operations whose \
             spec declares error answers decode them into an enum of their own in \
             [`requests`] with [`Error::typed`].\n"
        ));
        if let Some(op) = self.pick(|op| call_text(op).is_some()) {
            let call = call_text(op).unwrap_or_default();
            let body = format!(
                "{}\nmatch client.{call}.await {{\n    Ok(answer) => println!(\"{{answer:?}}\"),\n    Err({krate}::Error::Api(err)) if err.status.as_u16() == 404 => {{\n        println!(\"not found: {{:?}}\", err.message);\n    }}\n    Err(err) => return Err(err),\n}}",
                self.client_line()
            );
            text.push('\n');
            text.push_str(&self.example(&body));
        }
        text
    }

    fn retries(&self) -> String {
        let krate = self.krate;
        let mut text = "# Retries, timeouts and per-call options\n\n".to_owned();
        text.push_str(
            "A failed attempt is retried up to `max_retries` times (2 by default): a connection \
             that could not be made, for any method; a retried status (408, 429, 500, 502, 503, \
             504), a timed-out attempt or a connection lost after sending, for idempotent \
             methods, and for a `POST` or `PATCH` only when it carries an idempotency key or \
             the call opts in. The client waits what the server asks (`Retry-After`, \
             `retry-after-ms`), else a random backoff. Timeouts apply to each attempt. \
             [`RequestOptions`] changes these for one call, and adds headers and query \
             parameters.\n",
        );
        if let Some(op) = self.pick(|op| call_text(op).is_some()) {
            let call = call_text(op).unwrap_or_default();
            let body = format!(
                "{}\nlet options = {krate}::RequestOptions::new()\n    .timeout(std::time::Duration::from_secs(5))\n    .max_retries(1)\n    .header(\"X-Request-Id\", \"job-42\");\nlet answer = client.{call}.options(options).await?;\n# let _ = answer;",
                self.client_line()
            );
            text.push('\n');
            text.push_str(&self.example(&body));
        }
        text
    }

    fn open_types(&self) -> String {
        let dates = match self.api.uses_dates() {
            true => {
                "\n\nA `date-time` value is a [`jiff::Timestamp`] (read with any offset, written \
                 in UTC) and a `date` a [`jiff::civil::Date`]."
            }
            false => "\n\nA `date-time` or `date` value is a `String` holding the text as sent.",
        };
        format!(
            "# Enums, unions and dates\n\n\
             Enums are open: a value the spec does not list decodes into `Unknown(String)`. A \
             union (`oneOf`, `anyOf`) whose answer matches none of its shapes, or names a tag \
             this crate does not know, decodes into `Unknown(serde_json::Value)`. Fields the \
             spec does not list are ignored. A `const` is a one-value enum that accepts only \
             its value. So an answer from a newer version of the API still decodes.{dates}\n\n\
             A type implements `serde::Serialize` when requests carry it and \
             `serde::Deserialize` when answers do; the `{feature}` feature gives every type \
             both (to store answers as JSON, or read request bodies from files).\n",
            feature = crate::stability::ALL_SERDE_FEATURE,
        )
    }

    /// Paging, idempotency keys, hooks and the test double, each paragraph only when the
    /// API has what it describes.
    fn paging_hooks_tests(&self) -> String {
        let api = self.api;
        let krate = self.krate;
        let paged = api
            .operations
            .iter()
            .filter(|op| op.paging.paged().is_some())
            .count();
        let mut text = match paged {
            0 => "# Hooks and tests\n\n".to_owned(),
            _ => format!(
                "# Paging, hooks and tests\n\n\
                 Paged operations ({paged} here; their docs say how they page) have requests \
                 with `pages()`, a [`Pages`] stream of each [`Page`] with its metadata and \
                 headers, and `into_stream()`, an [`Items`] stream of every item of every \
                 page.\n\n"
            ),
        };
        if let Some(op) = self.pick(|op| op.paging.paged().is_some() && call_text(op).is_some()) {
            let call = call_text(op).unwrap_or_default();
            let body = format!(
                "use futures_util::TryStreamExt;\n{}\nlet mut items = std::pin::pin!(client.{call}.into_stream());\nwhile let Some(item) = items.try_next().await? {{\n    println!(\"{{item:?}}\");\n}}",
                self.client_line()
            );
            text.push_str(&self.example(&body));
            text.push('\n');
        }
        let keyed = api
            .operations
            .iter()
            .filter(|op| op.idempotency_header.is_some())
            .count();
        if keyed > 0 {
            text.push_str(&format!(
                "Operations that take an idempotency key ({keyed} here) send one per call, the \
                 same on every attempt, and are retried like idempotent methods.\n\n"
            ));
        }
        text.push_str(
            "A [`Hook`] runs your code before and after every attempt (a signature header, a \
             metrics counter); a [`Transport`] replaces the network, and [`MockTransport`] \
             answers from a script and records every request, to test code that uses this \
             crate:\n\n",
        );
        let key = match api.auth.schemes.is_empty() {
            true => "",
            false => "    .api_key(\"test-key\")\n",
        };
        let base = match api.base_url().is_empty() {
            true => "    .base_url(\"https://api.example.com\")\n",
            false => "",
        };
        let body = format!(
            "let mock = {krate}::MockTransport::new();\nmock.push({krate}::MockResponse::json(200, serde_json::json!({{}})));\nlet client = {krate}::Client::builder()\n{key}{base}    .transport(mock.clone())\n    .build()?;\n// … run the code under test with `client`, then look at what it sent:\nfor request in mock.requests() {{\n    println!(\"{{}} {{}} {{:?}}\", request.method, request.path, request.query);\n}}"
        );
        text.push_str(&self.example(&body));
        text
    }

    fn logging(&self) -> String {
        "# Logging\n\n\
         Every call runs in a `tracing` span, `api_call`, with the operation, method and path \
         template, and, once known, the status, attempt and latency. One `INFO` event marks \
         each finished call and each retry; details are `DEBUG`. Spans and events never carry \
         header values, bodies or query strings. Any `tracing` subscriber shows them \
         (`RUST_LOG=info` with `tracing-subscriber`).\n"
            .to_owned()
    }

    fn operations(&self) -> String {
        let groups = groups(self.api);
        let mut text = "# Operations\n\nBy resource: the method, and what it does (its page \
                        gives the HTTP method and path).\n"
            .to_owned();
        for (heading, ops) in groups {
            text.push_str(&format!(
                "\n## {heading}\n\n| Method | What it does |\n| --- | --- |\n"
            ));
            for op in ops {
                let what = op
                    .docs
                    .summary
                    .as_deref()
                    .or(op.docs.description.as_deref())
                    .map(|s| {
                        super::docs::sanitize(s)
                            .lines()
                            .next()
                            .unwrap_or_default()
                            .replace('|', "\\|")
                    })
                    .unwrap_or_else(|| format!("`{} {}`", op.method.as_str(), op.path));
                text.push_str(&format!("| {} | {what} |\n", method_link(&op.rust_name)));
            }
        }
        text
    }

    /// The first operation that `fits` and is neither deprecated nor streaming.
    fn pick(&self, fits: impl Fn(&Operation) -> bool) -> Option<&Operation> {
        self.api
            .operations
            .iter()
            .find(|op| !op.docs.deprecated && !op.success.is_stream() && fits(op))
    }
}

/// "The API's licence: [Apache 2.0](https://…) (SPDX `Apache-2.0`)."
fn license_line(license: &crate::model::License) -> String {
    let name = super::docs::sanitize(license.name.trim());
    let name = match &license.url {
        Some(url) => format!("[{name}](<{}>)", url.trim()),
        None => name,
    };
    let spdx = license
        .identifier
        .as_ref()
        .map(|id| format!(" (SPDX `{}`)", id.trim().replace('`', "")))
        .unwrap_or_default();
    format!("The API's licence: {name}{spdx}.\n")
}

/// `` (`Authorization: Bearer <key>`) `` and the like.
fn scheme_description(kind: &crate::model::AuthKind) -> String {
    use crate::model::AuthKind;
    match kind {
        AuthKind::Header {
            name,
            prefix: Some(prefix),
        } => format!(" (`{name}: {prefix} <key>`)"),
        AuthKind::Header { name, prefix: None } => format!(" (`{name}: <key>`)"),
        AuthKind::Query { name } => format!(" (the query parameter `{name}`)"),
        AuthKind::Cookie { name } => format!(" (the cookie `{name}`)"),
        AuthKind::Basic => " (HTTP Basic, the key as `user:password`)".to_owned(),
    }
}

/// `list_models()` or `get_model("model_id")`: a call with placeholders for the required
/// arguments, when each has one and the operation needs no body.
fn call_text(op: &Operation) -> Option<String> {
    match op.body.as_ref().is_some_and(|b| b.required) {
        true => None,
        false => arguments_call(op),
    }
}

/// The same for an operation that needs a body: the body is the variable `body`.
fn body_call_text(op: &Operation) -> Option<String> {
    op.body.as_ref().filter(|b| b.required)?;
    arguments_call(op)
}

fn arguments_call(op: &Operation) -> Option<String> {
    let mut args: Vec<String> = Vec::new();
    for p in op.parameters.iter().filter(|p| p.required) {
        if p.location == ParamLocation::Cookie {
            return None;
        }
        let ty = match &p.ty {
            TypeRef::Nullable(inner) => inner,
            other => other,
        };
        match ty {
            TypeRef::Primitive(Primitive::String) => {
                args.push(format!("\"{}\"", p.wire_name.replace(['"', '\\'], "")));
            }
            other => args.push(placeholder(other)?),
        }
    }
    if op.body.as_ref().is_some_and(|b| b.required) {
        args.push("body".to_owned());
    }
    if op.rust_name.starts_with("r#") {
        return None;
    }
    Some(format!("{}({})", op.rust_name, args.join(", ")))
}

/// A literal of a simple type, for an example: `"text"`, `1`, `true`.
fn placeholder(ty: &TypeRef) -> Option<String> {
    let value = match ty {
        TypeRef::Primitive(Primitive::String) => "\"text\"",
        TypeRef::Primitive(Primitive::Bool) => "true",
        TypeRef::Primitive(p) if p.is_integer() => "1",
        TypeRef::Primitive(Primitive::F32 | Primitive::F64) => "1.0",
        _ => return None,
    };
    Some(value.to_owned())
}

/// `limit(1)`: an optional parameter with a simple type, set; a number or flag first, since
/// a text parameter is often the cursor of a paged list.
fn optional_setter(op: &Operation) -> Option<String> {
    let simple = |p: &&crate::model::Parameter| {
        !p.required && !p.rust_name.starts_with("r#") && !p.docs.deprecated
    };
    let value = |p: &crate::model::Parameter| {
        let ty = match &p.ty {
            TypeRef::Nullable(inner) => inner,
            other => other,
        };
        placeholder(ty)
    };
    let mut candidates: Vec<(&crate::model::Parameter, String)> = op
        .parameters
        .iter()
        .filter(simple)
        .filter_map(|p| value(p).map(|v| (p, v)))
        .collect();
    candidates.sort_by_key(|(_, v)| v.starts_with('"'));
    let (p, value) = candidates.into_iter().next()?;
    Some(format!("{}({value})", p.rust_name))
}

fn has_nullable_optional(space: &TypeSpace) -> bool {
    space.types.values().any(|def| {
        matches!(&def.kind, TypeKind::Struct(s)
            if s.fields.iter().any(|f| !f.required && matches!(f.ty, TypeRef::Nullable(_))))
    })
}

/// The operations by resource ([`resource_of`]), each group under its heading, in the order
/// of the headings.
pub(crate) fn groups(api: &Api) -> BTreeMap<String, Vec<&Operation>> {
    let mut groups: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        groups.entry(group_of(api, op)).or_default().push(op);
    }
    groups
}

/// The heading an operation is grouped under: its first tag that groups (a `nav` tag, or one
/// without a `kind`), after the tags it is nested in (`Pets › Toys`); else the first path
/// segment after any version segment (`/v1/models/{id}` → "Models").
fn group_of(api: &Api, op: &Operation) -> String {
    let declared = |name: &str| api.tags.iter().find(|t| t.name == name);
    let tag = op
        .tags
        .iter()
        .find(|name| declared(name).is_none_or(crate::model::Tag::groups));
    let Some(tag) = tag else {
        return heading(&resource_of(op));
    };
    let mut path = Vec::new();
    let mut current = Some(tag.as_str());
    // Lowering dropped any parent that leads back to its tag; the bound is a guard.
    while let Some(name) = current.filter(|_| path.len() <= api.tags.len()) {
        let found = declared(name);
        let shown = found.and_then(|t| t.summary.as_deref()).map_or_else(
            || heading(name),
            |summary| super::docs::sanitize(summary.trim()),
        );
        path.push(shown);
        current = found.and_then(|t| t.parent.as_deref());
    }
    path.reverse();
    path.join(" › ")
}

/// The first path segment after any version segment (`/v1/models/{id}` → `models`).
fn resource_of(op: &Operation) -> String {
    op.path
        .split('/')
        .find(|s| !s.is_empty() && !s.contains('{') && !crate::naming::is_version(s))
        .unwrap_or("/")
        .to_owned()
}

/// `training_projects` → "Training projects", `api_keys` → "API keys".
fn heading(resource: &str) -> String {
    let words: Vec<String> = resource
        .split(['_', '-', ' ', '/'])
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, word)| match word.to_ascii_lowercase().as_str() {
            "apis" => "APIs".to_owned(),
            "api" | "llm" | "id" | "url" | "ssh" | "gpu" => word.to_ascii_uppercase(),
            lower if i == 0 => {
                let mut chars = lower.chars();
                chars
                    .next()
                    .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
            }
            lower => lower.to_owned(),
        })
        .collect();
    match words.is_empty() {
        true => "Other".to_owned(),
        false => super::docs::sanitize(&words.join(" ")),
    }
}

fn method_link(rust_name: &str) -> String {
    match rust_name.strip_prefix("r#") {
        Some(bare) => format!("`{bare}`"),
        None => format!("[`{rust_name}`](Client::{rust_name})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_read_as_words() {
        assert_eq!(heading("training_projects"), "Training projects");
        assert_eq!(heading("api_keys"), "API keys");
        assert_eq!(heading("model_apis"), "Model APIs");
        assert_eq!(heading("llm_models"), "LLM models");
        assert_eq!(heading("pets"), "Pets");
        assert_eq!(heading("/"), "Other");
    }
}
