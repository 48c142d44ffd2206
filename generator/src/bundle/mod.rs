//! Bundling: a spec split over several files becomes one self-contained document, so that
//! the rest of the pipeline never sees a `$ref` to another file.
//!
//! The pass runs on the root's JSON tree, after [`crate::load::parse`] and before
//! [`crate::normalize`]. It walks the document knowing what each position holds (a schema,
//! a parameter, a response, …; see `grammar.rs`), and resolves every `$ref` that names
//! another file, relative to the file the `$ref` is written in: `schemas/pet.yaml`,
//! `./common.yaml#/components/schemas/Error`, `../shared.json#/Pet`. Side files are read
//! through the caller's [`crate::ReadFile`] (the generator does no I/O) and parsed by the same
//! loader as the root (JSON or YAML). Inside a side file, `#/…` means that file, and its
//! `$ref`s are resolved the same way, recursively.
//!
//! The rule, by the position of the `$ref`:
//! - **Schema positions** (`schema`, `components/schemas/*`, `properties/*`, `items`,
//!   `allOf/*`, `oneOf/*`, `anyOf/*`, `not`, `additionalProperties`, `prefixItems/*`, …,
//!   and the values of `discriminator.mapping`): the target is hoisted into the root's
//!   `#/components/schemas` and the `$ref` rewritten to point there. Its name is the last
//!   segment of the fragment that is not an index (`#/components/schemas/Error` → `Error`,
//!   `#/definitions/Tag` → `Tag`), else the file's stem as spelled (`pet.yaml` → `pet`; the
//!   naming stage makes it `Pet`). One target (file and pointer) always gets one name, so a
//!   file referred to twice is one component and recursion (a schema referring to itself,
//!   two files referring to each other) goes through that named component. A name already
//!   taken (by the root's components or an earlier hoisted schema) gets the smallest free
//!   numeric suffix (`Error2`), with a warning naming the target. A root component that is
//!   nothing but a `$ref` to another file (`Pet: {$ref: schemas/pet.yaml}`) is replaced by
//!   its target, keeping the root's name for it.
//! - **Other positions** (parameters, request bodies, responses, headers, examples, links,
//!   callbacks, path items, security schemes): the target is inlined in place of the
//!   `$ref` object, with the `$ref`'s siblings (`summary`, `description`) laid over it. A
//!   target that refers back to itself while being inlined is reported as a cycle.
//! - **Into the root file** (a side file naming the root by its path): the `$ref` becomes
//!   the local `#/…` reference it stands for.
//! - **Positions where OpenAPI allows no `$ref`** (`properties: {$ref: props.yml}`,
//!   `description: {$ref: description.yml}`), as tools that bundle such specs read them: the
//!   `$ref` object is replaced by its target as a JSON Reference is, with a warning, and what
//!   the target holds is then walked in its own file.
//! - **OpenAPI 3.2's `$self`** is the base references resolve against: a `$ref` to the
//!   document by that URI is local, one to a document beside it a relative path.
//! - Literal data (`example`, `default`, `enum`, `x-…` extensions) is never looked into.
//!
//! Every problem is an error at the pointer of the object holding the `$ref`, prefixed by
//! its file when that is not the root (`common.yaml#/components/schemas/Error/properties/x`):
//! a file that cannot be read or parsed, a fragment not found in it, a remote `http(s)://`
//! reference, an absolute path. All of them are collected before the run stops. Later
//! stages locate problems in the bundled document (`#/components/schemas/pet/…`).
//!
//! Output is deterministic: the walk follows document order, hoisted schemas are appended to
//! `#/components/schemas` in the order they are first met, and names depend only on the
//! document.

mod reference;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value};

use crate::SpecFiles;
use crate::diagnostics::{Diagnostics, pointer};
use crate::grammar::{Kind, Slot};
use reference::Target;

/// Resolves every `$ref` of `tree` (the root document) that names another file; see the
/// module documentation. Without `files`, such a `$ref` is an error saying so.
pub fn bundle(tree: &mut Value, files: Option<&SpecFiles<'_>>, diags: &mut Diagnostics) {
    if let Some(uri) = tree.get("$self").and_then(Value::as_str).map(str::to_owned) {
        relative_to_self(tree, &uri);
    }
    if !refers_to_other_files(tree) {
        return;
    }
    let mut bundler = Bundler::new(files, diags);
    bundler.adopt_root_components(tree);
    bundler.walk_node(tree, Kind::Document, "", "#");
    bundler.drain();
    bundler.add_hoisted(tree);
}

/// Rewrites each `$ref` that names the document by its OpenAPI 3.2 `$self` URI
/// (`https://example.com/api/openapi.yaml#/components/schemas/Pet`) into the local `#/…`
/// form, and each that names a document beside it (`https://example.com/api/pet.yaml`) into
/// a path relative to the root (`pet.yaml`), as `$self` is the base those resolve against.
/// Literal data (`example`, `default`, `enum`, `const`, extensions) is not looked into.
fn relative_to_self(value: &mut Value, self_uri: &str) {
    let base = self_uri.rsplit_once('/').map_or("", |(dir, _)| dir);
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Some(local) = child.as_str().and_then(|r| local_form(r, self_uri, base))
                    {
                        *child = Value::String(local);
                    }
                } else if !["example", "examples", "default", "enum", "const"]
                    .contains(&key.as_str())
                    && !key.starts_with("x-")
                {
                    relative_to_self(child, self_uri);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| relative_to_self(item, self_uri)),
        _ => {}
    }
}

/// `reference` relative to the document whose URI is `self_uri` (in the directory `base`).
fn local_form(reference: &str, self_uri: &str, base: &str) -> Option<String> {
    if let Some(rest) = reference.strip_prefix(self_uri) {
        return match rest {
            "" => Some("#".to_owned()),
            rest if rest.starts_with('#') => Some(rest.to_owned()),
            _ => None,
        };
    }
    let relative = reference.strip_prefix(base)?.strip_prefix('/')?;
    (!base.is_empty() && !relative.is_empty()).then(|| relative.to_owned())
}

/// True when some `$ref` in `value` does not start with `#`: most specs need no bundling.
fn refers_to_other_files(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, value)| {
            let external = key == "$ref" && value.as_str().is_some_and(|r| !r.starts_with('#'));
            external || refers_to_other_files(value)
        }),
        Value::Array(items) => items.iter().any(refers_to_other_files),
        _ => false,
    }
}

/// A schema named but not yet walked: its name in the root, where it came from, its value.
type Pending = (String, Target, Value);

struct Bundler<'a> {
    files: Option<&'a SpecFiles<'a>>,
    diags: &'a mut Diagnostics,
    /// Side files parsed so far, by path; `Err` says why one cannot be used.
    loaded: BTreeMap<String, Result<Value, String>>,
    /// Each hoisted schema's name in `#/components/schemas`, by where it came from.
    names: BTreeMap<Target, String>,
    /// The names in `#/components/schemas`, the root's own and hoisted ones.
    taken: BTreeSet<String>,
    pending: VecDeque<Pending>,
    /// Hoisted schemas, walked, in the order they were named.
    hoisted: Vec<(String, Value)>,
    /// Non-schema targets being inlined, outermost first: meeting one again is a cycle.
    inlining: Vec<Target>,
}

impl<'a> Bundler<'a> {
    fn new(files: Option<&'a SpecFiles<'a>>, diags: &'a mut Diagnostics) -> Self {
        Bundler {
            files,
            diags,
            loaded: BTreeMap::new(),
            names: BTreeMap::new(),
            taken: BTreeSet::new(),
            pending: VecDeque::new(),
            hoisted: Vec::new(),
            inlining: Vec::new(),
        }
    }

    /// Takes the root's schema names, and gives each target that a root component is only
    /// a `$ref` to (`Pet: {$ref: schemas/pet.yaml}`) that component's name.
    fn adopt_root_components(&mut self, tree: &Value) {
        let Some(schemas) = tree
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return;
        };
        self.taken = schemas.keys().cloned().collect();
        for (name, schema) in schemas {
            let Some(reference) = only_external_ref(schema) else {
                continue;
            };
            let at = pointer("#/components/schemas", name);
            let Some(target) = self.resolve(reference, "", &at) else {
                continue;
            };
            if target.path.is_empty() || self.names.contains_key(&target) {
                continue;
            }
            if let Some(value) = self.load_target(&target, reference, &at) {
                self.names.insert(target.clone(), name.clone());
                self.pending.push_back((name.clone(), target, value));
            }
        }
    }

    /// Walks the hoisted schemas, including those hoisted while walking them.
    fn drain(&mut self) {
        while let Some((name, target, mut value)) = self.pending.pop_front() {
            self.walk_node(&mut value, Kind::Schema, &target.path, &target.location());
            self.hoisted.push((name, value));
        }
    }

    /// Puts the hoisted schemas into `#/components/schemas`, replacing adopted components.
    fn add_hoisted(&mut self, tree: &mut Value) {
        if self.hoisted.is_empty() {
            return;
        }
        let Some(schemas) = schemas_mut(tree) else {
            let message = "the schemas of other files cannot be added: `components` or \
                           `components/schemas` is not an object";
            self.diags
                .error("#/components", message)
                .help("make `components` and `components/schemas` objects");
            return;
        };
        for (name, value) in std::mem::take(&mut self.hoisted) {
            schemas.insert(name, value);
        }
    }

    /// Walks what `slot` says `value` holds.
    fn walk(&mut self, value: &mut Value, slot: Slot, file: &str, at: &str) {
        match (slot, value) {
            (Slot::One(kind), value) => self.walk_node(value, kind, file, at),
            (Slot::Map(kind), Value::Object(map)) => {
                for (key, child) in map.iter_mut() {
                    self.walk_node(child, kind, file, &pointer(at, key));
                }
            }
            (Slot::List(kind), Value::Array(items)) => {
                for (index, child) in items.iter_mut().enumerate() {
                    self.walk_node(child, kind, file, &pointer(at, &index.to_string()));
                }
            }
            _ => {}
        }
    }

    /// Walks one object of `kind`, found at `at` in `file` (`""` for the root).
    fn walk_node(&mut self, value: &mut Value, kind: Kind, file: &str, at: &str) {
        match value {
            Value::String(_) if kind == Kind::MappingTarget => {
                self.rewrite_mapping(value, file, at);
            }
            // `items: [..]`, the tuple form of drafts before 2020-12.
            Value::Array(_) if kind == Kind::Schema => {
                self.walk(value, Slot::List(kind), file, at);
            }
            Value::Object(_) => self.walk_object(value, kind, file, at),
            _ => {}
        }
    }

    fn walk_object(&mut self, value: &mut Value, kind: Kind, file: &str, at: &str) {
        let reference = value.get("$ref").and_then(Value::as_str).map(str::to_owned);
        if let Some(reference) = reference {
            if kind != Kind::Schema {
                self.inline(value, &reference, kind, file, at);
                return;
            }
            if let Some(rewritten) = self.schema_ref(&reference, file, at) {
                set_ref(value, rewritten);
            }
        }
        let Value::Object(object) = value else {
            return;
        };
        for (key, child) in object.iter_mut() {
            let slot = kind.child(key);
            let here = pointer(at, key);
            if json_reference_position(key, slot) {
                if let Some(reference) = lone_ref(child) {
                    self.json_reference(child, &reference, slot, file, &here);
                    continue;
                }
            }
            if let Some(slot) = slot {
                self.walk(child, slot, file, &here);
            }
        }
    }

    /// Replaces `value`, a `$ref` object where OpenAPI allows none (`properties: {$ref:
    /// props.yml}`, `description: {$ref: description.yml}`), by its target, as a JSON Reference
    /// is resolved, with a warning; what the target holds is then walked in its own file.
    /// Left as written when the target is in the root document itself.
    fn json_reference(
        &mut self,
        value: &mut Value,
        reference: &str,
        slot: Option<Slot>,
        file: &str,
        at: &str,
    ) {
        if file.is_empty() && reference.starts_with('#') {
            return;
        }
        let Some(target) = self.resolve(reference, file, at) else {
            return;
        };
        if target.path.is_empty() || self.inlining.contains(&target) {
            return;
        }
        let Some(content) = self.load_target(&target, reference, at) else {
            return;
        };
        self.diags.warning(
            at,
            format!(
                "OpenAPI allows no `$ref` here: `$ref: {reference}` was resolved as a JSON \
                 Reference, and replaced by what `{}` holds",
                target.location()
            ),
        );
        *value = content;
        if let Some(slot) = slot {
            self.inlining.push(target.clone());
            self.walk(value, slot, &target.path, &target.location());
            self.inlining.pop();
        }
    }

    /// The `$ref` a schema reference becomes, or `None` to leave it as written.
    fn schema_ref(&mut self, reference: &str, file: &str, at: &str) -> Option<String> {
        if file.is_empty() && reference.starts_with('#') {
            return None;
        }
        let target = self.resolve(reference, file, at)?;
        if target.path.is_empty() {
            return Some(format!("#{}", target.fragment));
        }
        let name = self.hoist(target, reference, at)?;
        Some(pointer("#/components/schemas", &name))
    }

    /// The name of the hoisted schema at `target`, naming and queueing it the first time.
    fn hoist(&mut self, target: Target, reference: &str, at: &str) -> Option<String> {
        if let Some(name) = self.names.get(&target) {
            return Some(name.clone());
        }
        let value = self.load_target(&target, reference, at)?;
        let name = self.claim(&target);
        self.names.insert(target.clone(), name.clone());
        self.pending.push_back((name.clone(), target, value));
        Some(name)
    }

    /// A free name in `#/components/schemas` for `target`: its own, or with a suffix.
    fn claim(&mut self, target: &Target) -> String {
        let wanted = reference::schema_name(target);
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let name = (2u32..)
            .map(|n| format!("{wanted}{n}"))
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or_else(|| wanted.clone()); // unreachable: the range is unbounded
        self.taken.insert(name.clone());
        self.diags.warning(
            target.location(),
            format!(
                "this schema is named `{name}` in the bundled document: `{wanted}` is the name \
                 of another schema"
            ),
        );
        name
    }

    /// Replaces the `$ref` object `value` by its target, walked where it was written.
    fn inline(&mut self, value: &mut Value, reference: &str, kind: Kind, file: &str, at: &str) {
        if file.is_empty() && reference.starts_with('#') {
            return;
        }
        let Some(target) = self.resolve(reference, file, at) else {
            return;
        };
        if target.path.is_empty() {
            set_ref(value, format!("#{}", target.fragment));
            return;
        }
        if self.inlining.contains(&target) {
            let message = format!(
                "cannot resolve `$ref: {reference}`: the {} at `{}` refers back to itself",
                kind.describe(),
                target.location()
            );
            self.diags
                .error(at, message)
                .help("inline one object of the cycle instead of referring to it");
            return;
        }
        let Some(mut content) = self.load_target(&target, reference, at) else {
            return;
        };
        self.inlining.push(target.clone());
        self.walk_node(&mut content, kind, &target.path, &target.location());
        self.inlining.pop();
        lay_siblings_over(value, content);
    }

    /// A `discriminator.mapping` value that names a schema in another file (or, in a side
    /// file, one of that file's component schemas by name) points at the hoisted schema.
    fn rewrite_mapping(&mut self, value: &mut Value, file: &str, at: &str) {
        let Value::String(text) = value else {
            return;
        };
        let looks_like_reference = text.contains(['#', '/'])
            || [".yaml", ".yml", ".json"]
                .iter()
                .any(|ext| text.ends_with(ext));
        let reference = if looks_like_reference {
            text.clone()
        } else if self.has_component_schema(file, text) {
            pointer("#/components/schemas", text)
        } else {
            return;
        };
        if let Some(rewritten) = self.schema_ref(&reference, file, at) {
            *value = Value::String(rewritten);
        }
    }

    /// True when the side file `file` has `#/components/schemas/NAME`.
    fn has_component_schema(&self, file: &str, name: &str) -> bool {
        let Some(Ok(doc)) = self.loaded.get(file) else {
            return false;
        };
        let path = pointer("/components/schemas", name);
        !file.is_empty() && doc.pointer(&path).is_some()
    }

    /// The target of `reference`, written in `file`; an error at `at` if it has none.
    fn resolve(&mut self, reference: &str, file: &str, at: &str) -> Option<Target> {
        let root_name = self.files.map_or("", |files| files.root);
        match reference::resolve(reference, file, root_name) {
            Ok(target) => Some(target),
            Err(why) => {
                let diagnostic = self
                    .diags
                    .error(at, format!("cannot resolve `$ref: {reference}`: {why}"));
                if let Some(help) = reference_help(&why) {
                    diagnostic.help(help);
                }
                None
            }
        }
    }

    /// A copy of the value at `target` (in a side file); an error at `at` if there is none.
    fn load_target(&mut self, target: &Target, reference: &str, at: &str) -> Option<Value> {
        let found = self.document(&target.path).and_then(|doc| {
            reference::lookup(doc, &target.fragment)
                .map_err(|why| format!("`{}` has no `#{}` ({why})", target.path, target.fragment))
        });
        match found {
            Ok(value) => Some(value.clone()),
            Err(why) => {
                let diagnostic = self
                    .diags
                    .error(at, format!("cannot resolve `$ref: {reference}`: {why}"));
                if let Some(help) = reference_help(&why) {
                    diagnostic.help(help);
                }
                None
            }
        }
    }

    /// The parsed side file at `path`, read the first time it is asked for.
    fn document(&mut self, path: &str) -> Result<&Value, String> {
        if !self.loaded.contains_key(path) {
            let loaded = self.read(path);
            self.loaded.insert(path.to_owned(), loaded);
        }
        match self.loaded.get(path) {
            Some(Ok(doc)) => Ok(doc),
            Some(Err(why)) => Err(why.clone()),
            None => Err(format!("`{path}` was not loaded")), // unreachable: inserted above
        }
    }

    fn read(&self, path: &str) -> Result<Value, String> {
        let Some(files) = self.files else {
            return Err(
                "it names another file, but the spec was given as text alone, with \
                        no way to read other files (see `apigen::generate_with_files`)"
                    .to_owned(),
            );
        };
        let text = files
            .reader
            .read_file(path)
            .map_err(|err| format!("cannot read `{path}`: {err}"))?;
        crate::load::parse(&text).map_err(|err| {
            let err = crate::load::SyntaxError { help: None, ..err };
            format!("`{path}` is {err}")
        })
    }
}

/// What to do about a reference to another file that cannot be followed, by why it cannot.
fn reference_help(why: &str) -> Option<&'static str> {
    if why.starts_with("remote references") {
        None // the reason says it
    } else if why.contains("cannot read") {
        Some("check the file's path, relative to the file that refers to it")
    } else if why.contains("` has no `#") {
        Some("check the pointer after `#` against the keys of that file")
    } else if why.contains(" is invalid ") {
        Some("fix the syntax of that file")
    } else {
        Some("refer to other files by a relative path and a JSON pointer (`common.yaml#/Pet`)")
    }
}

/// Whether a `$ref` object under `key` is read as a JSON Reference: where the grammar holds
/// no one object a `$ref` can stand for (a map or list of them, or a plain value such as
/// `description`), except literal data (`example`, `default`, `enum`, `const`, extensions).
fn json_reference_position(key: &str, slot: Option<Slot>) -> bool {
    let literal = key.starts_with("x-")
        || ["example", "examples", "default", "enum", "const", "$ref"].contains(&key);
    !literal && !matches!(slot, Some(Slot::One(_)))
}

/// The reference of an object that is nothing but a `$ref` string.
fn lone_ref(value: &Value) -> Option<String> {
    let object = value.as_object().filter(|o| o.len() == 1)?;
    object.get("$ref")?.as_str().map(str::to_owned)
}

/// The `$ref` of a schema that is nothing but a `$ref` to another file.
fn only_external_ref(schema: &Value) -> Option<&str> {
    let object = schema.as_object().filter(|o| o.len() == 1)?;
    object.get("$ref")?.as_str().filter(|r| !r.starts_with('#'))
}

/// `#/components/schemas` of the root, created if absent; `None` if something in the way
/// is not an object.
fn schemas_mut(tree: &mut Value) -> Option<&mut Map<String, Value>> {
    let components = tree
        .as_object_mut()?
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    components
        .as_object_mut()?
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

fn set_ref(value: &mut Value, reference: String) {
    if let Some(object) = value.as_object_mut() {
        object.insert("$ref".to_owned(), Value::String(reference));
    }
}

/// Replaces the `$ref` object `value` by `content`, with the `$ref`'s siblings laid over
/// it (OpenAPI 3.1: `summary` and `description` beside a `$ref` override the target's).
fn lay_siblings_over(value: &mut Value, content: Value) {
    let siblings = std::mem::replace(value, content);
    let (Value::Object(siblings), Value::Object(target)) = (siblings, value) else {
        return;
    };
    for (key, sibling) in siblings {
        if key != "$ref" {
            target.insert(key, sibling);
        }
    }
}

#[cfg(test)]
mod tests;
