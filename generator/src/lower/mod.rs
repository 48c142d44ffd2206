//! Lowering: an `openapiv3` document into the [`crate::model`], resolving every `$ref`,
//! naming every type and operation, and reporting what cannot be represented.

mod cycles;
mod event_stream;
mod json_stream;
mod merge;
mod methods;
mod operation;
mod pagination;
mod responses;
mod schema;
mod security;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use crate::diagnostics::Diagnostics;
use crate::model::{
    Api, Auth, Docs, ErrorBody, Package, Server, TypeDef, TypeId, TypeKind, TypeSpace,
};
use crate::naming::Scope;
use crate::resolve::Resolver;
use crate::settings::Settings;

/// Lowers `doc` into the model. Problems are recorded in `diags`; when it holds errors
/// afterwards the model is incomplete and must not be emitted.
pub fn lower(doc: &OpenAPI, settings: &Settings, diags: &mut Diagnostics) -> Api {
    let extra = methods::extra_operations(doc, diags);
    let mut cx = Lowerer::new(doc, settings, diags, &extra);
    cx.declare_components();
    cx.lower_components();
    cycles::break_alias_cycles(&mut cx);
    let operations = operation::lower_operations(&mut cx);
    let auth = Auth {
        schemes: security::lower_schemes(&mut cx, settings),
        env_var: settings.auth.env_var.clone(),
        base_url_env: base_url_env(settings),
    };
    let servers = lower_servers(doc);
    if !servers
        .iter()
        .any(|s| crate::model::is_usable_base_url(&s.url))
    {
        let declared: Vec<&str> = servers.iter().map(|s| s.url.as_str()).collect();
        cx.diags.warning(
            "#/servers",
            format!(
                "no usable server URL (an `https://` one, or `http://` to loopback) among {declared:?}: \
                 the generated `Client::new` takes the base URL"
            ),
        );
    }
    Api {
        package: package(doc, settings),
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        summary: extension_text(&doc.info.extensions, "x-apigen-summary"),
        tags: lower_tags(doc, cx.diags),
        license: doc
            .info
            .license
            .as_ref()
            .map(|license| crate::model::License {
                name: license.name.clone(),
                identifier: extension_text(&license.extensions, "x-apigen-license-identifier"),
                url: license.url.clone(),
            }),
        servers,
        auth,
        error_body: ErrorBody {
            code_field: settings.errors.code_field.clone(),
            message_field: settings.errors.message_field.clone(),
        },
        operations,
        types: TypeSpace { types: cx.types },
    }
}

/// The document's tags, with OpenAPI 3.2's `summary`, `parent` and `kind` (kept by
/// normalization under `x-apigen-` keys). A parent that names no declared tag, or that leads
/// back to the tag, is dropped with a warning.
fn lower_tags(doc: &OpenAPI, diags: &mut Diagnostics) -> Vec<crate::model::Tag> {
    let mut tags: Vec<crate::model::Tag> = doc
        .tags
        .iter()
        .map(|tag| crate::model::Tag {
            name: tag.name.clone(),
            summary: extension_text(&tag.extensions, "x-apigen-summary"),
            description: tag.description.clone(),
            parent: extension_text(&tag.extensions, "x-apigen-parent"),
            kind: extension_text(&tag.extensions, "x-apigen-kind"),
        })
        .collect();
    for i in 0..tags.len() {
        let Some(parent) = tags[i].parent.clone() else {
            continue;
        };
        let at = crate::diagnostics::pointer(&format!("#/tags/{i}"), "parent");
        let problem = if !tags.iter().any(|t| t.name == parent) {
            Some(format!("tag `{parent}` is not declared"))
        } else if leads_back(&tags, i) {
            Some(format!(
                "the parents of tag `{}` lead back to it",
                tags[i].name
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            diags.warning(
                at,
                format!(
                    "{problem}: the crate docs do not nest tag `{}`",
                    tags[i].name
                ),
            );
            tags[i].parent = None;
        }
    }
    tags
}

/// Whether following the parents of `tags[start]` comes back to it.
fn leads_back(tags: &[crate::model::Tag], start: usize) -> bool {
    let mut current = start;
    for _ in 0..tags.len() {
        let parent = tags[current].parent.as_deref();
        let Some(next) = parent.and_then(|p| tags.iter().position(|t| t.name == p)) else {
            return false;
        };
        if next == start {
            return true;
        }
        current = next;
    }
    true
}

/// The text normalization kept under an `x-apigen-` extension key.
fn extension_text(
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
    key: &str,
) -> Option<String> {
    extensions.get(key)?.as_str().map(str::to_owned)
}

/// The variable `from_env` reads a base URL from: the settings', else the key's with its
/// ending replaced (`BASETEN_API_KEY` → `BASETEN_BASE_URL`).
fn base_url_env(settings: &Settings) -> Option<String> {
    if let Some(var) = &settings.auth.base_url_env {
        return Some(var.clone());
    }
    let key = settings.auth.env_var.as_deref()?;
    let prefix = ["_API_KEY", "_KEY", "_TOKEN"]
        .iter()
        .find_map(|ending| key.strip_suffix(ending))
        .unwrap_or(key);
    Some(format!("{prefix}_BASE_URL"))
}

/// The crate's name, version and description: from the settings, else from `info.title`.
fn package(doc: &OpenAPI, settings: &Settings) -> Package {
    let package = &settings.package;
    let name = package.name.clone().unwrap_or_else(|| {
        crate::naming::snake(&doc.info.title)
            .trim_start_matches("r#")
            .replace('_', "-")
    });
    Package {
        name,
        version: package
            .version
            .clone()
            .unwrap_or_else(|| "0.1.0".to_owned()),
        description: package
            .description
            .clone()
            .unwrap_or_else(|| format!("Rust client for {}", doc.info.title)),
    }
}

/// State shared by the lowering passes.
struct Lowerer<'a> {
    doc: &'a OpenAPI,
    settings: &'a Settings,
    diags: &'a mut Diagnostics,
    types: BTreeMap<TypeId, TypeDef>,
    type_names: Scope,
    /// `#/components/schemas/NAME` → the id declared for it.
    components: BTreeMap<String, TypeId>,
    /// How many inline schemas are being lowered inside each other right now.
    depth: usize,
    /// Looks up every `$ref` lowering follows.
    resolver: Resolver<'a>,
    /// Component schemas on a cycle of pure references: reported once, lowered as any JSON
    /// value so that nothing refers to a type that cannot exist.
    alias_cycles: BTreeSet<String>,
    /// Components whose parts an `allOf` merge is lowering right now (see [`merge`]).
    merging: Vec<String>,
    /// The operations of OpenAPI 3.2's `query` and `additionalOperations`.
    extra_operations: &'a [methods::ExtraOperation],
    /// Whether the operation being lowered was found impossible to generate (see
    /// [`Lowerer::skip_operation`]).
    operation_skipped: bool,
}

impl<'a> Lowerer<'a> {
    fn new(
        doc: &'a OpenAPI,
        settings: &'a Settings,
        diags: &'a mut Diagnostics,
        extra_operations: &'a [methods::ExtraOperation],
    ) -> Self {
        Lowerer {
            doc,
            settings,
            diags,
            types: BTreeMap::new(),
            type_names: Scope::default(),
            components: BTreeMap::new(),
            depth: 0,
            resolver: Resolver::new(doc),
            alias_cycles: BTreeSet::new(),
            merging: Vec::new(),
            extra_operations,
            operation_skipped: false,
        }
    }

    /// Reports, as a warning at `at`, why the operation being lowered cannot be generated;
    /// it is then left out, and the rest of the document still generates.
    fn skip_operation(&mut self, at: &str, why: &str) -> &mut crate::Diagnostic {
        self.operation_skipped = true;
        self.diags
            .warning(at, format!("{why}: the operation is not generated"))
    }

    /// Gives every component schema an id and a name first, so references resolve in any order.
    fn declare_components(&mut self) {
        let mut names: Vec<&String> = self.resolver.schema_names().collect();
        names.sort();
        for name in names {
            let pointer = crate::diagnostics::pointer("#/components/schemas", name);
            let id = self.declare(name, pointer);
            self.components.insert(name.clone(), id);
        }
        for cycle in self.resolver.schema_alias_cycles() {
            let err = cycle.error();
            let at = crate::diagnostics::pointer("#/components/schemas", &cycle.names[0]);
            self.diags.error(at, err.to_string()).help(err.help());
            self.alias_cycles.extend(cycle.names);
        }
    }

    fn lower_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for (name, id) in self.components.clone() {
            if self.alias_cycles.contains(&name) {
                continue; // reported; stays the placeholder, any JSON value
            }
            let schema = &components.schemas[&name];
            let pointer = self.types[&id].pointer.clone();
            let rust_name = self.types[&id].rust_name.clone();
            let (kind, docs) = schema::lower_component(self, schema, &pointer, &rust_name);
            let def = self.types.get_mut(&id).expect("declared above"); // invariant: declare() inserted it
            def.kind = kind;
            def.docs = docs;
        }
    }

    /// Reserves an id and a unique Rust name for a type whose shape is filled in later.
    fn declare(&mut self, wire_name: &str, pointer: String) -> TypeId {
        let id = TypeId(u32::try_from(self.types.len()).unwrap_or(u32::MAX));
        let rust_name = self.type_names.claim(&crate::naming::camel(wire_name));
        let placeholder = TypeDef {
            wire_name: wire_name.to_owned(),
            rust_name,
            docs: Docs::default(),
            kind: TypeKind::Alias(crate::model::TypeRef::Primitive(
                crate::model::Primitive::Json,
            )),
            pointer,
        };
        self.types.insert(id, placeholder);
        id
    }

    /// Adds a named type made for an inline schema.
    fn add_type(&mut self, name_hint: &str, pointer: &str, kind: TypeKind, docs: Docs) -> TypeId {
        let id = self.declare(name_hint, pointer.to_owned());
        let def = self.types.get_mut(&id).expect("declared above"); // invariant: declare() inserted it
        def.kind = kind;
        def.docs = docs;
        id
    }
}

/// The servers, with `{variables}` replaced by their defaults.
fn lower_servers(doc: &OpenAPI) -> Vec<Server> {
    doc.servers
        .iter()
        .map(|server| {
            let mut url = server.url.clone();
            for (name, variable) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
            Server {
                url,
                description: server.description.clone(),
            }
        })
        .collect()
}

/// Whether the success answer declared under `status` has a `Link` header (any case),
/// directly or through `$ref`s to `#/components/responses`. Diagnostics about the answer
/// are reported where it is lowered, not here.
fn pagination_link_header(
    cx: &Lowerer<'_>,
    responses: &openapiv3::Responses,
    status: &str,
) -> bool {
    let response = match status {
        "default" => responses.default.as_ref(),
        _ => responses
            .responses
            .iter()
            .find_map(|(code, r)| (code.to_string() == status).then_some(r)),
    };
    let response = response.and_then(|r| cx.resolver.response(r, "#").ok());
    response.is_some_and(|(r, _)| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
}

/// Reports a reference that leads nowhere at `at`, with what to do about it.
fn report_ref(diags: &mut Diagnostics, at: &str, err: &crate::resolve::RefError) {
    diags.error(at, err.to_string()).help(err.help());
}

/// Documentation from a schema's `title`, `description`, `deprecated` and `default`. A title that
/// only repeats the name (`title: Message` on property `message`) is left out.
fn schema_docs(data: &openapiv3::SchemaData, name: &str) -> Docs {
    let summary = data
        .title
        .as_ref()
        .filter(|title| !same_words(title, name))
        .cloned();
    Docs {
        summary,
        description: data.description.clone(),
        deprecated: data.deprecated,
        examples: schema_examples(data),
        default: data.default.clone(),
    }
}

/// The schema's examples: the 3.1 `examples` list (kept by normalization as
/// `x-apigen-examples`), else the 3.0 `example`.
fn schema_examples(data: &openapiv3::SchemaData) -> Vec<serde_json::Value> {
    match data.extensions.get("x-apigen-examples") {
        Some(serde_json::Value::Array(examples)) => examples.clone(),
        _ => data.example.iter().cloned().collect(),
    }
}

fn same_words(a: &str, b: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    squash(a) == squash(b)
}
