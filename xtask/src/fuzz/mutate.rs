//! Structured mutations of a spec's tree, and the text they are written out as.
//!
//! Each mutation picks a node by a random walk from the root (deep nodes as likely as shallow
//! ones, about) and changes it: keys dropped, renamed (to OpenAPI keywords, case variants or
//! noise) and duplicated; dangling `$ref`s and `$ref` cycles; nesting thousands of levels
//! deep; enums of up to 100,000 values; values of the wrong type (any JSON value, drawn by a
//! recursive proptest strategy) at any position; OpenAPI keywords set where they do not
//! belong. What JSON cannot hold (duplicate keys, non-string keys, anchors and aliases, YAML
//! alias bombs) is written into the text at a placeholder when the tree is rendered.

use proptest::prelude::{Rng, RngExt};
use proptest::strategy::{Just, Strategy};
use proptest::test_runner::TestRng;
use serde_json::{Map, Value, json};

/// One change to a tree.
#[derive(Debug, Clone)]
pub enum Mutation {
    DropKey,
    DuplicateKey(Value),
    RenameKey(String),
    DanglingRef(String),
    RefCycle(usize),
    SelfRef,
    Nest { depth: usize, shape: usize },
    HugeEnum(usize),
    NonStringKey(usize),
    AliasBomb { levels: u32, width: usize },
    WrongType(Value),
    SetKeyword(String, Value),
    CopySubtree,
}

impl Mutation {
    /// A short name for the log.
    pub fn name(&self) -> String {
        match self {
            Mutation::DropKey => "drop-key".into(),
            Mutation::DuplicateKey(_) => "duplicate-key".into(),
            Mutation::RenameKey(to) => format!("rename-key:{}", short(to)),
            Mutation::DanglingRef(_) => "dangling-ref".into(),
            Mutation::RefCycle(n) => format!("ref-cycle:{n}"),
            Mutation::SelfRef => "self-ref".into(),
            Mutation::Nest { depth, .. } => format!("nest:{depth}"),
            Mutation::HugeEnum(n) => format!("enum:{n}"),
            Mutation::NonStringKey(_) => "non-string-key".into(),
            Mutation::AliasBomb { levels, width } => format!("alias-bomb:{width}^{levels}"),
            Mutation::WrongType(_) => "wrong-type".into(),
            Mutation::SetKeyword(key, _) => format!("set:{}", short(key)),
            Mutation::CopySubtree => "copy-subtree".into(),
        }
    }
}

fn short(text: &str) -> String {
    text.chars().take(24).filter(|c| !c.is_control()).collect()
}

/// Keywords and keys of OpenAPI documents and JSON Schema, for renames and misplaced keys.
const KEYWORDS: &[&str] = &[
    "openapi",
    "swagger",
    "info",
    "title",
    "version",
    "paths",
    "components",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "webhooks",
    "callbacks",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "trace",
    "operationId",
    "requestBody",
    "content",
    "application/json",
    "text/event-stream",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "schema",
    "type",
    "format",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "discriminator",
    "mapping",
    "propertyName",
    "enum",
    "const",
    "nullable",
    "default",
    "example",
    "examples",
    "description",
    "$ref",
    "$defs",
    "in",
    "name",
    "style",
    "explode",
    "deprecated",
    "readOnly",
    "writeOnly",
    "servers",
    "url",
    "variables",
    "security",
    "prefixItems",
    "patternProperties",
    "minimum",
    "exclusiveMinimum",
    "200",
    "2XX",
    "default",
    "4XX",
    "x-apigen-const",
    "x-apigen-dropped-items",
];

/// A drawn value of any JSON shape, small but nested, with awkward leaves.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = proptest::prop_oneof![
        Just(Value::Null),
        proptest::prelude::any::<bool>().prop_map(Value::Bool),
        proptest::prelude::any::<i64>().prop_map(|n| json!(n)),
        proptest::prelude::any::<u64>().prop_map(|n| json!(n)),
        proptest::prelude::any::<f64>()
            .prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
                .map(Value::Number)),
        "[ -~]{0,12}".prop_map(Value::String),
        proptest::sample::select(KEYWORDS).prop_map(|k| Value::String(k.to_owned())),
        Just(json!("#/components/schemas/Missing")),
        Just(json!("")),
        Just(json!("\u{0}\u{FFFF}\u{10FFFF}é")),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        proptest::prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                proptest::prop_oneof![
                    proptest::sample::select(KEYWORDS).prop_map(str::to_owned),
                    "[a-zA-Z_/{}~]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The mutations, weighted.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    proptest::prop_oneof![
        6 => Just(Mutation::DropKey),
        3 => json_value().prop_map(Mutation::DuplicateKey),
        4 => proptest::prop_oneof![
            proptest::sample::select(KEYWORDS).prop_map(str::to_owned),
            "[ -~]{0,10}",
            Just(String::new()),
        ]
        .prop_map(Mutation::RenameKey),
        4 => proptest::prop_oneof![
            Just("#/components/schemas/Missing".to_owned()),
            Just("#/components/parameters/Missing".to_owned()),
            Just("#/components/schemas".to_owned()),
            Just("#".to_owned()),
            Just("#/paths/~1x/get".to_owned()),
            Just("#/components/schemas/Pet/properties/id".to_owned()),
            Just("missing.yaml#/X".to_owned()),
            Just("https://example.com/spec.yaml".to_owned()),
            Just("#anchor".to_owned()),
            "#/[ -~]{0,16}",
        ]
        .prop_map(Mutation::DanglingRef),
        3 => (1usize..5).prop_map(Mutation::RefCycle),
        2 => Just(Mutation::SelfRef),
        2 => (proptest::prop_oneof![Just(50usize), Just(300), Just(1_000), Just(5_000)], 0usize..5)
            .prop_map(|(depth, shape)| Mutation::Nest { depth, shape }),
        1 => proptest::prop_oneof![Just(1_000usize), Just(20_000), Just(100_000)]
            .prop_map(Mutation::HugeEnum),
        2 => (0usize..NON_STRING_KEYS.len()).prop_map(Mutation::NonStringKey),
        1 => (3u32..10, 2usize..10).prop_map(|(levels, width)| Mutation::AliasBomb { levels, width }),
        8 => json_value().prop_map(Mutation::WrongType),
        8 => (proptest::sample::select(KEYWORDS).prop_map(str::to_owned), json_value())
            .prop_map(|(k, v)| Mutation::SetKeyword(k, v)),
        3 => Just(Mutation::CopySubtree),
    ]
}

/// Keys only YAML can write, as flow-mapping entries.
const NON_STRING_KEYS: &[&str] = &[
    "1: one",
    "true: {type: string}",
    "null: 2",
    "~: a",
    "3.5: [1]",
    "-1: z",
    "0x1F: q",
    ".inf: v",
    "? [a, b] : c",
    "? {x: 1} : y",
    "2024-01-01: d",
];

/// Text to write in place of placeholders when the tree is rendered.
#[derive(Debug, Default)]
pub struct Output {
    /// Entries of a mapping, written where a placeholder key stands.
    entries: Vec<String>,
    /// Values, written where a placeholder string stands.
    values: Vec<String>,
    yaml_only: bool,
}

/// Placeholders are strings no mutation draws: a control character, `fuzz`, a number.
const MARK: char = '\u{1}';

impl Output {
    /// Whether something in the text can only be written as YAML.
    pub fn needs_yaml(&self) -> bool {
        self.yaml_only
    }

    fn entry_key(&mut self, text: String) -> String {
        self.entries.push(text);
        format!("{MARK}fuzz-entry{}", self.entries.len() - 1)
    }

    fn value(&mut self, text: String) -> Value {
        self.values.push(text);
        Value::String(format!("{MARK}fuzz-value{}", self.values.len() - 1))
    }

    /// The tree as JSON, or as flow YAML (JSON text after a `---` line, so that the YAML
    /// parser reads it), with the placeholders replaced.
    pub fn render(&self, tree: &Value, yaml: bool) -> Vec<u8> {
        let mut text = match yaml {
            true => format!("---\n{}", serde_json::to_string(tree).unwrap_or_default()),
            false => serde_json::to_string(tree).unwrap_or_default(),
        };
        for (i, entry) in self.entries.iter().enumerate() {
            for pattern in [
                format!("\"\\u0001fuzz-entry{i}\":null"),
                format!("\"\\u0001fuzz-entry{i}\": null"),
            ] {
                text = text.replace(&pattern, entry);
            }
        }
        for (i, value) in self.values.iter().enumerate() {
            text = text.replace(&format!("\"\\u0001fuzz-value{i}\""), value);
        }
        text.into_bytes()
    }
}

/// One step of a path from the root.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A random node: walk down from the root, stopping at each level with some chance.
fn pick_path(rng: &mut TestRng, tree: &Value) -> Vec<Step> {
    let mut path = Vec::new();
    let mut node = tree;
    loop {
        let stop = rng.random_range(0..100) < 12;
        let next = match node {
            Value::Object(map) if !map.is_empty() && !stop => map
                .iter()
                .nth(rng.random_range(0..map.len()))
                .map(|(key, child)| (Step::Key(key.clone()), child)),
            Value::Array(items) if !items.is_empty() && !stop => {
                let i = rng.random_range(0..items.len());
                Some((Step::Index(i), &items[i]))
            }
            _ => None,
        };
        let Some((step, child)) = next else {
            return path;
        };
        path.push(step);
        node = child;
    }
}

fn node_at<'t>(tree: &'t mut Value, path: &[Step]) -> &'t mut Value {
    let mut node = tree;
    for step in path {
        node = match (step, node) {
            (Step::Key(key), Value::Object(map)) => match map.get_mut(key) {
                Some(child) => child,
                None => unreachable_path(),
            },
            (Step::Index(i), Value::Array(items)) => &mut items[*i],
            _ => unreachable_path(),
        };
    }
    node
}

/// A path drawn from the tree always exists in it.
fn unreachable_path() -> ! {
    panic!("a drawn path left the tree")
}

/// The path of a random object of the tree (the root when there is none on the way).
fn pick_object(rng: &mut TestRng, tree: &Value) -> Vec<Step> {
    let mut path = pick_path(rng, tree);
    while !path.is_empty() && !lookup(tree, &path).is_object() {
        path.pop();
    }
    path
}

fn lookup<'t>(tree: &'t Value, path: &[Step]) -> &'t Value {
    path.iter().fold(tree, |node, step| match step {
        Step::Key(key) => &node[key.as_str()],
        Step::Index(i) => &node[*i],
    })
}

/// Applies `mutation` at a random place of `tree`.
pub fn apply(rng: &mut TestRng, tree: &mut Value, mutation: &Mutation, out: &mut Output) {
    if !tree.is_object() {
        *tree = json!({});
    }
    let at = pick_object(rng, tree);
    let snapshot = if matches!(mutation, Mutation::CopySubtree) {
        Some(lookup(tree, &pick_path(rng, tree)).clone())
    } else {
        None
    };
    let Value::Object(object) = node_at(tree, &at) else {
        return; // `pick_object` only gives objects
    };
    let key = random_key(rng, object);
    match mutation {
        Mutation::DropKey => {
            if let Some(key) = key {
                object.shift_remove(&key);
            }
        }
        Mutation::DuplicateKey(other) => {
            if let Some(key) = key {
                let entry = format!(
                    "{}: {}",
                    json!(key),
                    serde_json::to_string(other).unwrap_or_default()
                );
                object.insert(out.entry_key(entry), Value::Null);
            }
        }
        Mutation::RenameKey(to) => {
            if let Some(key) = key {
                if let Some(value) = object.shift_remove(&key) {
                    object.insert(to.clone(), value);
                }
            }
        }
        Mutation::DanglingRef(reference) => {
            object.insert("$ref".to_owned(), json!(reference));
        }
        Mutation::SelfRef => {
            object.insert("$ref".to_owned(), json!(pointer_of(&at)));
        }
        Mutation::RefCycle(length) => ref_cycle(tree, *length),
        Mutation::Nest { depth, shape } => {
            let key = key.unwrap_or_else(|| "schema".to_owned());
            let value = out.value(nested(*depth, *shape));
            object.insert(key, value);
        }
        Mutation::HugeEnum(count) => {
            let values: Vec<Value> = (0..*count).map(|i| enum_value(rng, i)).collect();
            object.insert("type".to_owned(), json!("string"));
            object.insert("enum".to_owned(), Value::Array(values));
        }
        Mutation::NonStringKey(which) => {
            out.yaml_only = true;
            object.insert(
                out.entry_key(NON_STRING_KEYS[*which].to_owned()),
                Value::Null,
            );
        }
        Mutation::AliasBomb { levels, width } => {
            out.yaml_only = true;
            let bomb = alias_bomb(out.values.len(), *levels, *width);
            let key = key.unwrap_or_else(|| "example".to_owned());
            let value = out.value(bomb);
            object.insert(key, value);
        }
        Mutation::WrongType(value) => {
            let key = key.unwrap_or_else(|| "type".to_owned());
            object.insert(key, value.clone());
        }
        Mutation::SetKeyword(key, value) => {
            object.insert(key.clone(), value.clone());
        }
        Mutation::CopySubtree => {
            let key = key.unwrap_or_else(|| "items".to_owned());
            object.insert(key, snapshot.unwrap_or(Value::Null));
        }
    }
}

fn random_key(rng: &mut TestRng, object: &Map<String, Value>) -> Option<String> {
    if object.is_empty() {
        return None;
    }
    object
        .keys()
        .nth(rng.random_range(0..object.len()))
        .cloned()
}

/// The JSON pointer of a path, as a `$ref` writes it.
fn pointer_of(path: &[Step]) -> String {
    path.iter().fold("#".to_owned(), |base, step| match step {
        Step::Key(key) => apigen::diagnostics::pointer(&base, key),
        Step::Index(i) => format!("{base}/{i}"),
    })
}

/// Component schemas (and parameters) `Cycle0` … `CycleN` each a `$ref` to the next, the last
/// to the first; a response refers into the cycle so that lowering reaches it.
fn ref_cycle(tree: &mut Value, length: usize) {
    let Some(root) = tree.as_object_mut() else {
        return;
    };
    let components = root.entry("components").or_insert_with(|| json!({}));
    if !components.is_object() {
        *components = json!({});
    }
    for section in ["schemas", "parameters"] {
        let entries = &mut components[section];
        if !entries.is_object() {
            *entries = json!({});
        }
        for i in 0..length {
            let next = (i + 1) % length;
            entries[format!("Cycle{i}")] =
                json!({"$ref": format!("#/components/{section}/Cycle{next}")});
        }
    }
    let paths = root.entry("paths").or_insert_with(|| json!({}));
    if paths.is_object() {
        paths["/fuzz-cycle"] = json!({"get": {
            "parameters": [{"$ref": "#/components/parameters/Cycle0"}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Cycle0"}}}}},
        }});
    }
}

/// The text of a schema nested `depth` levels deep, in one of five shapes. Written as text,
/// not built as a tree: this harness must not itself recurse thousands of levels deep.
fn nested(depth: usize, shape: usize) -> String {
    let (open, close) = match shape {
        0 => ("{\"type\": \"array\", \"items\": ", "}"),
        1 => ("{\"type\": \"object\", \"properties\": {\"p\": ", "}}"),
        2 => ("{\"allOf\": [", "]}"),
        3 => ("{\"oneOf\": [{\"type\": \"null\"}, ", "]}"),
        _ => ("[", "]"),
    };
    format!(
        "{}{{\"type\": \"string\"}}{}",
        open.repeat(depth),
        close.repeat(depth)
    )
}

/// Enum values: many distinct, some repeated, some awkward for naming.
fn enum_value(rng: &mut TestRng, i: usize) -> Value {
    match rng.next_u32() % 10 {
        0 => json!(""),
        1 => json!("type"),
        2 => json!(format!("{i}")),
        3 => json!(format!("Value {i} é")),
        4 => json!(null),
        5 => json!(i),
        _ => json!(format!("value_{i}")),
    }
}

/// `{l0: &b0 [x, …], l1: &b1 [*b0, *b0, …], …}`: `width` to the power `levels` leaves when
/// expanded, in a few hundred bytes of text.
fn alias_bomb(id: usize, levels: u32, width: usize) -> String {
    let mut entries = vec![format!(
        "\"l0\": &bomb{id}l0 [{}]",
        vec!["\"lol\""; width].join(", ")
    )];
    for level in 1..levels {
        let alias = format!("*bomb{id}l{}", level - 1);
        entries.push(format!(
            "\"l{level}\": &bomb{id}l{level} [{}]",
            vec![alias; width].join(", ")
        ));
    }
    format!("{{{}}}", entries.join(", "))
}

#[cfg(test)]
mod tests {
    use proptest::test_runner::RngAlgorithm;

    use super::*;

    fn rng() -> TestRng {
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32])
    }

    #[test]
    fn placeholders_become_yaml_only_text() {
        let mut tree = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}});
        let mut out = Output::default();
        apply(&mut rng(), &mut tree, &Mutation::NonStringKey(0), &mut out);
        apply(
            &mut rng(),
            &mut tree,
            &Mutation::AliasBomb {
                levels: 3,
                width: 2,
            },
            &mut out,
        );
        assert!(out.needs_yaml());
        let text = String::from_utf8(out.render(&tree, true)).expect("text");
        assert!(text.starts_with("---\n"), "{text}");
        assert!(text.contains("1: one") && text.contains("*bomb"), "{text}");
        assert!(!text.contains("fuzz-"), "a placeholder is left: {text}");
        let parsed = apigen::load::parse(&text).expect("flow YAML with a bomb parses");
        assert!(parsed.get("info").is_some());
    }

    #[test]
    fn nesting_is_written_as_text_of_the_depth_asked_for() {
        let text = nested(3, 0);
        assert_eq!(text.matches("\"items\"").count(), 3, "{text}");
        let value: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(value["items"]["items"]["items"]["type"], "string");
    }

    #[test]
    fn a_ref_cycle_is_reachable_from_an_operation() {
        let mut tree = json!({});
        ref_cycle(&mut tree, 2);
        assert_eq!(
            tree["components"]["schemas"]["Cycle1"]["$ref"],
            "#/components/schemas/Cycle0"
        );
        assert!(tree["paths"]["/fuzz-cycle"]["get"].is_object());
    }
}
