//! The one place a local `$ref` is looked up: `#/components/<section>/<name>` references,
//! followed through chains of references with cycle detection.
//!
//! Every stage after bundling that follows a reference (schemas, `allOf` merging, the data of
//! event streams, an operation's parameters, request bodies and responses) asks a
//! [`Resolver`]. It answers with the target and the target's JSON pointer, or a [`RefError`]
//! that says what is wrong and what to do about it. No other module parses a `$ref`.
//!
//! - [`LocalRef::parse`] reads a reference into the segments of its JSON pointer
//!   (percent-decoded, then `~1` → `/`, `~0` → `~`, per RFC 6901 and RFC 3986).
//! - [`Resolver::component`] takes one step: the component a reference names, as written
//!   there (perhaps another `$ref`).
//! - [`Resolver::follow`] and its typed wrappers ([`Resolver::schema`],
//!   [`Resolver::parameter`], …) take steps until they reach an object, and fail with
//!   [`RefError::Cycle`] when a reference comes back to one already on the way.
//! - [`Resolver::schema_alias_cycles`] finds the component schemas that are nothing but
//!   references to each other (`Alpha: {$ref: Beta}`, `Beta: {$ref: Alpha}`, or a schema
//!   that refers to itself): no type can be made of them, and lowering reports each cycle
//!   once. A cycle that passes through an object's property or an array's items is a
//!   recursive type, not an alias cycle; lowering boxes it.
//!
//! - [`hoist_local_targets`] runs on the tree before it is read: a schema that a schema
//!   position reaches by any other local pointer (`#/components/schemas/Archive/properties/
//!   state`, `#/paths/~1x/post/requestBody/…`, `#/$defs/Name`) is copied into
//!   `#/components/schemas` under a deterministic name, and the references rewritten (see
//!   [`hoist`]). So lowering only ever follows `#/components/<section>/<name>`; another local
//!   pointer in any other position is refused with [`RefError::NotAComponent`].

pub mod hoist;

use std::fmt;

pub use hoist::hoist_local_targets;

use indexmap::IndexMap;
use openapiv3::{
    Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema, SchemaKind,
};

use crate::diagnostics::pointer;

/// A section of `#/components` that references can point into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// `#/components/schemas`
    Schemas,
    /// `#/components/parameters`
    Parameters,
    /// `#/components/requestBodies`
    RequestBodies,
    /// `#/components/responses`
    Responses,
}

impl Section {
    /// The key under `components` (`requestBodies`).
    pub fn key(self) -> &'static str {
        match self {
            Section::Schemas => "schemas",
            Section::Parameters => "parameters",
            Section::RequestBodies => "requestBodies",
            Section::Responses => "responses",
        }
    }

    /// How messages name one object of the section.
    fn noun(self) -> &'static str {
        match self {
            Section::Schemas => "schema",
            Section::Parameters => "parameter",
            Section::RequestBodies => "request body",
            Section::Responses => "response",
        }
    }

    /// `#/components/schemas`.
    fn base(self) -> String {
        format!("#/components/{}", self.key())
    }
}

/// A reference to a place in this document, as the segments of its JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalRef {
    /// The pointer's segments, unescaped: `#/components/schemas/a~1b` → `["components",
    /// "schemas", "a/b"]`.
    pub segments: Vec<String>,
}

impl LocalRef {
    /// Parses `#/a/b`. A reference to another document (after bundling, only remote ones are
    /// left) or a fragment that is not a JSON pointer (`#anchor`) is an error.
    pub fn parse(reference: &str) -> Result<LocalRef, RefError> {
        let Some(fragment) = reference.strip_prefix('#') else {
            return Err(RefError::External {
                reference: reference.to_owned(),
            });
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(RefError::NotAPointer {
                reference: reference.to_owned(),
            });
        }
        let segments = fragment.split('/').skip(1).map(unescape).collect();
        Ok(LocalRef { segments })
    }

    /// The section and name of a `#/components/<section>/<name>` reference.
    pub fn component(&self) -> Option<(&str, &str)> {
        match self.segments.as_slice() {
            [components, section, name] if components == "components" => Some((section, name)),
            _ => None,
        }
    }

    /// The reference as a JSON pointer fragment, escaped again (`#/components/schemas/a~1b`).
    pub fn pointer(&self) -> String {
        self.segments
            .iter()
            .fold("#".to_owned(), |base, segment| pointer(&base, segment))
    }
}

/// The last segment of a reference's pointer, unescaped (the name a variant of a union takes
/// from a reference that leads nowhere, which is reported elsewhere); the reference itself
/// when it is not local.
pub fn last_segment(reference: &str) -> String {
    LocalRef::parse(reference)
        .ok()
        .and_then(|local| local.segments.last().cloned())
        .unwrap_or_else(|| reference.to_owned())
}

/// One segment of a `$ref` fragment: percent-decoded (it is a URI fragment), then `~1` → `/`
/// and `~0` → `~`. A malformed escape, or bytes that are not UTF-8, stay as written.
fn unescape(segment: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .map_or_else(|_| segment.to_owned(), |d| d.into_owned());
    decoded.replace("~1", "/").replace("~0", "~")
}

/// Why a reference leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// Not a local reference: after bundling, only remote (`http(s)://`) ones can be left.
    External {
        /// The reference as written.
        reference: String,
    },
    /// A fragment that is not a JSON pointer (`#Pet`, a JSON Schema anchor).
    NotAPointer {
        /// The reference as written.
        reference: String,
    },
    /// A local pointer that is not `#/components/<section>/<name>`: in a schema position,
    /// one that leads to no schema (any other was hoisted into a component, see [`hoist`]).
    NotAComponent {
        /// The reference as written.
        reference: String,
        /// What the position holds.
        expected: Section,
    },
    /// A component of the wrong section (`#/components/parameters/X` where a schema goes).
    WrongSection {
        /// The reference as written.
        reference: String,
        /// What the position holds.
        expected: Section,
    },
    /// No component of that name.
    Missing {
        /// The reference as written.
        reference: String,
        /// The section looked in.
        section: Section,
        /// The name looked for.
        name: String,
        /// A component whose name differs only in case or separators.
        suggestion: Option<String>,
    },
    /// The references come back to one already followed: each component of `chain` is a
    /// `$ref` to the next, and the last to the first.
    Cycle {
        /// The section of the components.
        section: Section,
        /// The names on the cycle, in order, starting where it was entered.
        chain: Vec<String>,
    },
}

impl RefError {
    /// What to do about it, in one sentence.
    pub fn help(&self) -> String {
        match self {
            RefError::External { .. } => "the generator does no network I/O: save the document \
                beside the spec and refer to it by a relative path"
                .to_owned(),
            RefError::NotAPointer { .. } => {
                "refer to the target by its JSON pointer, such as `#/components/schemas/Pet`"
                    .to_owned()
            }
            RefError::NotAComponent {
                expected: Section::Schemas,
                ..
            } => "correct the pointer, or define the schema at `#/components/schemas/NAME` and \
                  refer to it there"
                .to_owned(),
            RefError::NotAComponent { expected, .. } | RefError::WrongSection { expected, .. } => {
                format!(
                    "move the {} into `{}` and refer to it there",
                    expected.noun(),
                    expected.base()
                )
            }
            RefError::Missing {
                section,
                suggestion: Some(suggestion),
                ..
            } => format!(
                "refer to `{}` instead, or define the missing {}",
                pointer(&section.base(), suggestion),
                section.noun()
            ),
            RefError::Missing { section, name, .. } => format!(
                "define `{name}` under `{}`, or correct the reference",
                section.base()
            ),
            RefError::Cycle { section, .. } => format!(
                "give one {} of the cycle its own definition instead of a `$ref`",
                section.noun()
            ),
        }
    }

    /// `Alpha → Beta → Alpha` (with pointers) for a cycle.
    fn cycle_text(section: Section, chain: &[String]) -> String {
        let names: Vec<&str> = chain
            .iter()
            .chain(chain.first())
            .map(String::as_str)
            .collect();
        let pointers: Vec<String> = chain.iter().map(|n| pointer(&section.base(), n)).collect();
        format!("{} ({})", names.join(" → "), pointers.join(", "))
    }
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::External { reference } => write!(
                f,
                "cannot resolve `$ref: {reference}`: references to other documents are only \
                 read from local files"
            ),
            RefError::NotAPointer { reference } => write!(
                f,
                "cannot resolve `$ref: {reference}`: only JSON pointer fragments (`#/…`) are \
                 supported"
            ),
            RefError::NotAComponent {
                reference,
                expected: Section::Schemas,
            } => write!(
                f,
                "unresolvable `$ref: {reference}`: no schema is at that pointer in the document"
            ),
            RefError::NotAComponent {
                reference,
                expected,
            } => write!(
                f,
                "cannot resolve `$ref: {reference}`: only references to `{}/NAME` are \
                 supported in a {} position",
                expected.base(),
                expected.noun()
            ),
            RefError::WrongSection {
                reference,
                expected,
            } => write!(
                f,
                "cannot resolve `$ref: {reference}`: a {} is expected here, and it must be \
                 under `{}`",
                expected.noun(),
                expected.base()
            ),
            RefError::Missing {
                reference,
                section,
                name,
                suggestion,
            } => {
                write!(
                    f,
                    "unresolvable `$ref: {reference}`: no {} `{name}` in `{}`",
                    section.noun(),
                    section.base()
                )?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean `{s}`?"),
                    None => Ok(()),
                }
            }
            RefError::Cycle { section, chain } => write!(
                f,
                "the {} references form a cycle with nothing but references on it: {}",
                section.noun(),
                RefError::cycle_text(*section, chain)
            ),
        }
    }
}

/// The component schemas of one pure-alias cycle (see [`Resolver::schema_alias_cycles`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasCycle {
    /// The names on the cycle, starting with the smallest, in reference order.
    pub names: Vec<String>,
}

impl AliasCycle {
    /// The error the cycle is reported as.
    pub fn error(&self) -> RefError {
        RefError::Cycle {
            section: Section::Schemas,
            chain: self.names.clone(),
        }
    }
}

/// Looks references up in a document's components.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'d> {
    components: Option<&'d Components>,
}

/// Where a reference (or chain of references) led: the object, and its pointer.
pub type Found<'d, T> = (&'d T, String);

impl<'d> Resolver<'d> {
    /// A resolver for the components of `doc`.
    pub fn new(doc: &'d OpenAPI) -> Self {
        Resolver {
            components: doc.components.as_ref(),
        }
    }

    /// The name a `#/components/<section>/<name>` reference gives, checked against
    /// `expected`; the component need not exist.
    pub fn component_name(reference: &str, expected: Section) -> Result<String, RefError> {
        let local = LocalRef::parse(reference)?;
        match local.component() {
            Some((section, name)) if section == expected.key() => Ok(name.to_owned()),
            Some((section, _)) if section_of(section).is_some() => Err(RefError::WrongSection {
                reference: reference.to_owned(),
                expected,
            }),
            _ => Err(RefError::NotAComponent {
                reference: reference.to_owned(),
                expected,
            }),
        }
    }

    /// One step: the component `reference` names in `section`, as written there (perhaps
    /// itself a `$ref`), with its name.
    pub fn component<T>(
        &self,
        reference: &str,
        section: Section,
        map: fn(&'d Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(String, &'d ReferenceOr<T>), RefError> {
        let name = Self::component_name(reference, section)?;
        let entries = self.components.map(map);
        match entries.and_then(|entries| entries.get(&name)) {
            Some(target) => Ok((name, target)),
            None => Err(RefError::Missing {
                reference: reference.to_owned(),
                section,
                suggestion: entries.and_then(|e| suggest(&name, e.keys())),
                name,
            }),
        }
    }

    /// Follows `item` (found at `at`) through references until an object, which it returns
    /// with its pointer. A reference that comes back to a component already followed is a
    /// [`RefError::Cycle`].
    pub fn follow<T>(
        &self,
        item: &'d ReferenceOr<T>,
        at: &str,
        section: Section,
        map: fn(&'d Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    ) -> Result<Found<'d, T>, RefError> {
        self.follow_from(item, at, section, map, Vec::new())
    }

    /// [`Resolver::follow`], with the names of the components already followed to `item`.
    fn follow_from<T>(
        &self,
        item: &'d ReferenceOr<T>,
        at: &str,
        section: Section,
        map: fn(&'d Components) -> &'d IndexMap<String, ReferenceOr<T>>,
        mut chain: Vec<String>,
    ) -> Result<Found<'d, T>, RefError> {
        let mut current = item;
        let mut current_at = at.to_owned();
        loop {
            let reference = match current {
                ReferenceOr::Item(item) => return Ok((item, current_at)),
                ReferenceOr::Reference { reference } => reference,
            };
            let (name, target) = self.component(reference, section, map)?;
            if let Some(start) = chain.iter().position(|seen| *seen == name) {
                return Err(RefError::Cycle {
                    section,
                    chain: rotate_to_smallest(chain.split_off(start)),
                });
            }
            current_at = pointer(&section.base(), &name);
            chain.push(name);
            current = target;
        }
    }

    /// The schema a `$ref` leads to through any chain of references, with its pointer.
    pub fn schema_ref(&self, reference: &str) -> Result<Found<'d, Schema>, RefError> {
        let (name, target) = self.component(reference, Section::Schemas, |c| &c.schemas)?;
        let at = pointer(&Section::Schemas.base(), &name);
        self.follow_from(target, &at, Section::Schemas, |c| &c.schemas, vec![name])
    }

    /// The schema `item` is, or leads to, with its pointer.
    pub fn schema(
        &self,
        item: &'d ReferenceOr<Schema>,
        at: &str,
    ) -> Result<Found<'d, Schema>, RefError> {
        self.follow(item, at, Section::Schemas, |c| &c.schemas)
    }

    /// The parameter `item` is, or leads to, with its pointer.
    pub fn parameter(
        &self,
        item: &'d ReferenceOr<Parameter>,
        at: &str,
    ) -> Result<Found<'d, Parameter>, RefError> {
        self.follow(item, at, Section::Parameters, |c| &c.parameters)
    }

    /// The request body `item` is, or leads to, with its pointer.
    pub fn request_body(
        &self,
        item: &'d ReferenceOr<RequestBody>,
        at: &str,
    ) -> Result<Found<'d, RequestBody>, RefError> {
        self.follow(item, at, Section::RequestBodies, |c| &c.request_bodies)
    }

    /// The response `item` is, or leads to, with its pointer.
    pub fn response(
        &self,
        item: &'d ReferenceOr<Response>,
        at: &str,
    ) -> Result<Found<'d, Response>, RefError> {
        self.follow(item, at, Section::Responses, |c| &c.responses)
    }

    /// The names of the component schemas, in document order.
    pub fn schema_names(&self) -> impl Iterator<Item = &'d String> {
        self.components.into_iter().flat_map(|c| c.schemas.keys())
    }

    /// Every cycle of component schemas that are nothing but a reference to the next one: a
    /// `$ref`, or an `allOf` of one `$ref` (what a `$ref` with sibling keywords becomes in
    /// normalization), with no other type information. Each cycle once, starting at its
    /// smallest name, sorted.
    pub fn schema_alias_cycles(&self) -> Vec<AliasCycle> {
        let Some(components) = self.components else {
            return Vec::new();
        };
        let next = |name: &str| -> Option<String> {
            let reference = alias_target(components.schemas.get(name)?)?;
            let target = Self::component_name(reference, Section::Schemas).ok()?;
            components.schemas.contains_key(&target).then_some(target)
        };
        let mut cycles = Vec::new();
        let mut done = std::collections::BTreeSet::new();
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        for start in names {
            let mut path: Vec<String> = Vec::new();
            let mut current = Some(start.clone());
            while let Some(name) = current {
                if done.contains(&name) {
                    break;
                }
                if let Some(at) = path.iter().position(|n| *n == name) {
                    cycles.push(AliasCycle {
                        names: rotate_to_smallest(path[at..].to_vec()),
                    });
                    break;
                }
                current = next(&name);
                path.push(name);
            }
            done.extend(path);
        }
        cycles.sort_by(|a, b| a.names.cmp(&b.names));
        cycles
    }
}

/// The reference a schema is nothing but: `{$ref}`, or `{allOf: [{$ref}]}` with nothing
/// else that gives it a type.
fn alias_target(schema: &ReferenceOr<Schema>) -> Option<&str> {
    let schema = match schema {
        ReferenceOr::Reference { reference } => return Some(reference),
        ReferenceOr::Item(schema) => schema,
    };
    let parts = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any)
            if any.typ.is_none()
                && any.properties.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
                && any.enumeration.is_empty()
                && any.items.is_none()
                && any.additional_properties.is_none() =>
        {
            &any.all_of
        }
        _ => return None,
    };
    match parts.as_slice() {
        [ReferenceOr::Reference { reference }] => Some(reference),
        _ => None,
    }
}

fn rotate_to_smallest(mut names: Vec<String>) -> Vec<String> {
    let smallest = names
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.cmp(b.1))
        .map_or(0, |(i, _)| i);
    names.rotate_left(smallest);
    names
}

fn section_of(key: &str) -> Option<Section> {
    [
        Section::Schemas,
        Section::Parameters,
        Section::RequestBodies,
        Section::Responses,
    ]
    .into_iter()
    .find(|s| s.key() == key)
    .or_else(|| {
        // The sections no stage follows references into, so that a reference to one is
        // still a wrong section rather than not a component.
        [
            "headers",
            "examples",
            "securitySchemes",
            "links",
            "callbacks",
            "pathItems",
        ]
        .contains(&key)
        .then_some(Section::Schemas)
    })
}

/// A known name that differs from `name` only in case or separators.
fn suggest<'n>(name: &str, known: impl Iterator<Item = &'n String>) -> Option<String> {
    let target = crate::naming::camel(name);
    known
        .filter(|candidate| crate::naming::camel(candidate) == target)
        .map(String::clone)
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with these component schemas (YAML flow text), and its resolver's answers.
    fn doc(schemas: &str) -> OpenAPI {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\n\
             components:\n  schemas: {schemas}\n  parameters:\n    \
             Limit: {{name: limit, in: query, schema: {{type: integer}}}}\n    \
             Alias: {{$ref: '#/components/parameters/Limit'}}\n    \
             Loop: {{$ref: '#/components/parameters/Loop2'}}\n    \
             Loop2: {{$ref: '#/components/parameters/Loop'}}\n"
        );
        let tree = crate::load::parse(&text).expect("test YAML parses");
        let mut diags = crate::diagnostics::Diagnostics::default();
        crate::shape::to_openapi(tree, &mut diags)
            .expect("test document is valid")
            .0
    }

    #[test]
    fn references_parse_into_unescaped_segments() {
        let local = LocalRef::parse("#/components/schemas/a~1b~0c%20d").expect("local");
        assert_eq!(local.segments, ["components", "schemas", "a/b~c d"]);
        assert_eq!(local.component(), Some(("schemas", "a/b~c d")));
        assert_eq!(local.pointer(), "#/components/schemas/a~1b~0c d");
        let deep = LocalRef::parse("#/paths/~1x/post/requestBody").expect("local");
        assert_eq!(deep.component(), None);
        assert_eq!(deep.segments[1], "/x");
        assert!(matches!(
            LocalRef::parse("https://example.com/a.yaml"),
            Err(RefError::External { .. })
        ));
        assert!(matches!(
            LocalRef::parse("#Pet"),
            Err(RefError::NotAPointer { .. })
        ));
    }

    #[test]
    fn chains_of_references_are_followed_to_the_object() {
        let doc = doc(
            "{A: {$ref: '#/components/schemas/B'}, B: {$ref: '#/components/schemas/C'}, \
                       C: {type: string}}",
        );
        let resolver = Resolver::new(&doc);
        let (schema, at) = resolver
            .schema_ref("#/components/schemas/A")
            .expect("resolves");
        assert_eq!(at, "#/components/schemas/C");
        assert!(matches!(
            schema.schema_kind,
            SchemaKind::Type(openapiv3::Type::String(_))
        ));
        let alias = ReferenceOr::Reference {
            reference: "#/components/parameters/Alias".to_owned(),
        };
        let (param, at) = resolver.parameter(&alias, "#/paths").expect("resolves");
        assert_eq!(param.parameter_data_ref().name, "limit");
        assert_eq!(at, "#/components/parameters/Limit");
    }

    #[test]
    fn a_chain_that_comes_back_is_a_cycle_naming_each_member() {
        let doc = doc(
            "{A: {$ref: '#/components/schemas/B'}, B: {$ref: '#/components/schemas/A'}, \
                       Self: {$ref: '#/components/schemas/Self'}, \
                       Into: {$ref: '#/components/schemas/A'}}",
        );
        let resolver = Resolver::new(&doc);
        let err = resolver
            .schema_ref("#/components/schemas/Into")
            .expect_err("cycle");
        assert_eq!(
            err,
            RefError::Cycle {
                section: Section::Schemas,
                chain: vec!["A".into(), "B".into()]
            }
        );
        assert_eq!(
            err.to_string(),
            "the schema references form a cycle with nothing but references on it: \
             A → B → A (#/components/schemas/A, #/components/schemas/B)"
        );
        let loop_ref = ReferenceOr::Reference {
            reference: "#/components/parameters/Loop".to_owned(),
        };
        let err = resolver.parameter(&loop_ref, "#/x").expect_err("cycle");
        assert!(err.to_string().contains("Loop → Loop2 → Loop"), "{err}");
        let names: Vec<Vec<String>> = resolver
            .schema_alias_cycles()
            .into_iter()
            .map(|c| c.names)
            .collect();
        assert_eq!(names, [vec!["A", "B"], vec!["Self"]]);
    }

    #[test]
    fn an_all_of_of_one_reference_is_an_alias_but_a_property_is_not() {
        let doc = doc(
            "{A: {allOf: [{$ref: '#/components/schemas/B'}], description: d}, \
                       B: {$ref: '#/components/schemas/A'}, \
                       Node: {type: object, properties: {next: {$ref: '#/components/schemas/Node'}}}, \
                       List: {type: array, items: {$ref: '#/components/schemas/List'}}}",
        );
        let cycles = Resolver::new(&doc).schema_alias_cycles();
        assert_eq!(cycles.len(), 1, "{cycles:?}");
        assert_eq!(cycles[0].names, ["A", "B"]);
    }

    #[test]
    fn missing_and_misplaced_references_say_what_to_do() {
        let doc = doc("{Pet: {type: object}}");
        let resolver = Resolver::new(&doc);
        let cases = [
            (
                "#/components/schemas/pet",
                "no schema `pet` in `#/components/schemas`; did you mean `Pet`?",
                "refer to `#/components/schemas/Pet` instead",
            ),
            (
                "#/components/schemas/Owner",
                "no schema `Owner`",
                "define `Owner` under `#/components/schemas`",
            ),
            (
                "#/components/parameters/Limit",
                "a schema is expected here",
                "move the schema into `#/components/schemas`",
            ),
            (
                "#/components/schemas/Pet/properties/id",
                "no schema is at that pointer",
                "correct the pointer",
            ),
            ("http://example.com/x.yaml", "other documents", "network"),
        ];
        for (reference, message, help) in cases {
            let err = resolver.schema_ref(reference).expect_err(reference);
            assert!(err.to_string().contains(message), "{reference}: {err}");
            assert!(err.help().contains(help), "{reference}: {}", err.help());
        }
    }
}
