//! Every Rust name the generator emits comes from here: casing on `heck`, one keyword
//! policy, and per-scope collision handling.
//!
//! Policy:
//! - Names are reduced to ASCII letters, digits and `_`; anything else separates words.
//! - A snake_case name that is a Rust keyword becomes a raw identifier (`type` → `r#type`),
//!   except `self`, `super`, `crate` and `Self`, which cannot be raw and get a `_` suffix.
//!   A CamelCase name that is a keyword (`Self`) gets the `_` suffix too.
//! - A name starting with a digit gets a prefix: `_` for snake_case (`1m` → `_1m`),
//!   `V` for CamelCase (`1m` → `V1m`).
//! - A name with no letters or digits left is `empty` / `Empty`.
//! - Within one scope (a struct's fields, an enum's variants, an operation's arguments,
//!   the `types` module), a name already taken gets the smallest free numeric suffix
//!   (`foo_bar`, `foo_bar_2`; `FooBar`, `FooBar2`), in the order names are claimed.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of Rust 2024.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A name made only of symbols (`+`, `-`, `>=`) is spelled out (`plus`, `minus`,
/// `gt eq`), so that such enum values get distinct, readable names.
fn spell_symbols(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.is_empty() || raw.chars().any(|c| c.is_ascii_alphanumeric()) {
        return std::borrow::Cow::Borrowed(raw);
    }
    let words: Vec<&str> = raw.chars().filter_map(symbol_word).collect();
    std::borrow::Cow::Owned(words.join(" "))
}

fn symbol_word(c: char) -> Option<&'static str> {
    let word = match c {
        '+' => "plus",
        '-' => "minus",
        '*' => "star",
        '/' => "slash",
        '\\' => "backslash",
        '.' => "dot",
        ',' => "comma",
        ':' => "colon",
        ';' => "semicolon",
        '=' => "eq",
        '<' => "lt",
        '>' => "gt",
        '!' => "bang",
        '?' => "question",
        '@' => "at",
        '#' => "hash",
        '$' => "dollar",
        '%' => "percent",
        '&' => "and",
        '|' => "pipe",
        '^' => "caret",
        '~' => "tilde",
        '_' => "underscore",
        ' ' => "space",
        _ => return None,
    };
    Some(word)
}

/// Replaces every character that cannot appear in an identifier by a word separator.
fn ascii_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A snake_case identifier for a field, parameter, function or module.
pub fn snake(raw: &str) -> String {
    let name = ascii_words(&spell_symbols(raw)).to_snake_case();
    let name = if name.is_empty() {
        "empty".to_owned()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    escape_keyword(name)
}

/// An UpperCamelCase identifier for a type or enum variant.
pub fn camel(raw: &str) -> String {
    let name = ascii_words(&spell_symbols(raw)).to_upper_camel_case();
    let name = if name.is_empty() {
        "Empty".to_owned()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    };
    escape_keyword(name)
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if is_keyword(&name) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A set of names already used in one scope.
///
/// ```
/// # use apigen::naming::Scope;
/// let mut scope = Scope::with_reserved(&["client"]);
/// assert_eq!(scope.claim("client"), "client_2");
/// assert_eq!(scope.claim("foo_bar"), "foo_bar");
/// assert_eq!(scope.claim("foo_bar"), "foo_bar_2");
/// ```
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// Also tells names apart by their UpperCamelCase spelling (method names, whose request
    /// builders are named in camel case: `foo_bar_2` and `foo_bar2` are both `FooBar2`).
    camel_too: bool,
}

impl Scope {
    /// A scope in which `reserved` names (generated locals, std names) are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
            camel_too: false,
        }
    }

    /// A scope of snake-case names that must stay distinct in camel case too.
    ///
    /// ```
    /// # use apigen::naming::Scope;
    /// let mut scope = Scope::distinct_in_camel_case(&[]);
    /// assert_eq!(scope.claim("foo_bar2"), "foo_bar2");
    /// assert_eq!(scope.claim("foo_bar_2"), "foo_bar_2_2");
    /// ```
    pub fn distinct_in_camel_case(reserved: &[&str]) -> Self {
        let mut scope = Scope::with_reserved(&[]);
        scope.camel_too = true;
        for name in reserved {
            scope.insert(name);
        }
        scope
    }

    /// Takes `name` if it is free, or the same name with the smallest free suffix.
    pub fn claim(&mut self, name: &str) -> String {
        if self.insert(name) {
            return name.to_owned();
        }
        let base = bare(name);
        let separator = if base.ends_with('_') {
            ""
        } else if name.contains('_') || name.starts_with(char::is_lowercase) {
            "_"
        } else {
            ""
        };
        (2u32..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.insert(candidate))
            .unwrap_or_else(|| base.to_owned()) // unreachable: the range is unbounded
    }

    /// Records `name` (and its camel spelling) unless taken; says whether it was free.
    fn insert(&mut self, name: &str) -> bool {
        let bare = bare(name);
        let camel_key = self.camel_too.then(|| format!("camel:{}", camel(bare)));
        let free = !self.taken.contains(bare)
            && camel_key
                .as_ref()
                .is_none_or(|key| !self.taken.contains(key));
        if free {
            self.taken.insert(bare.to_owned());
            self.taken.extend(camel_key);
        }
        free
    }
}

/// The method that streams the server-sent events of the operation whose method is
/// `method`: `create_completion` → `create_completion_stream`, `r#match` → `match_stream`.
/// Claim it in the scope of the operation names, where another operation may hold it.
pub fn stream_method(method: &str) -> String {
    snake(&format!("{}_stream", bare(method)))
}

/// A name without its `r#` prefix: `r#type` and `type` are the same name in a scope.
fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The parts of an operation name derived from its method and path, when the spec gives
/// no `operationId`.
///
/// The rule, with the version prefix (`v1`, `v2`, …) ignored:
/// - path ending in a parameter (`/models/{model_id}`): `get_`, `replace_` (PUT), `update_`
///   (PATCH), `delete_` or `create_` (POST), then the singular of the segment before it:
///   `get_model`;
/// - path ending in a plural segment (`/models`): `list_models` (GET), `create_model` (POST),
///   `replace_models`, `update_models`, `delete_models`;
/// - path ending in another segment, an action or a singleton (`/cancel_promotion`,
///   `/status`): the segment itself for POST (`cancel_promotion`), else `get_status`,
///   `replace_status`, `update_status`, `delete_status`.
///
/// When two operations get the same name, each is qualified with the singular names of
/// the resources above it, nearest first, until the names differ:
/// `GET /v1/teams/{team_id}/models` becomes `list_team_models` beside `list_models`, and
/// two `POST …/activate` actions become `activate_deployment` and `activate_environment`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedName {
    verb: Option<&'static str>,
    noun: String,
    /// Singular names of the parent resources, nearest first.
    parents: Vec<String>,
}

impl DerivedName {
    /// Derives the parts of a name for `method` (lowercase, e.g. `get`) on `path`.
    /// `collections` are the segments that some path of the API follows with a parameter
    /// (`model_apis` in `/model_apis/{name}`): they are plurals whatever their spelling.
    pub fn new(method: &str, path: &str, collections: &BTreeSet<String>) -> Self {
        let segments: Vec<&str> = path
            .split('/')
            .filter(|s| !s.is_empty() && !is_version(s))
            .collect();
        let plural = |word: &str| is_plural(word) || collections.contains(word);
        let (verb, noun, rest) = match segments.split_last() {
            None => (Some(method_verb(method)), "root".to_owned(), &[][..]),
            Some((last, rest)) if is_param(last) => {
                let (noun, rest) = match rest.split_last() {
                    Some((prev, rest)) if !is_param(prev) => (singular(prev, plural(prev)), rest),
                    _ => ("item".to_owned(), rest),
                };
                (Some(item_verb(method)), noun, rest)
            }
            Some((last, rest)) => {
                let (verb, noun) = static_verb_noun(method, last, plural(last));
                (verb, noun, rest)
            }
        };
        let parents = rest
            .iter()
            .rev()
            .filter(|s| !is_param(s))
            .map(|s| singular(s, plural(s)))
            .collect();
        DerivedName {
            verb,
            noun,
            parents,
        }
    }

    /// The least qualification the name needs: a one-word action (`stop`, `sync`) says
    /// nothing on its own, so it is always qualified with its resource (`stop_job`).
    pub fn min_depth(&self) -> usize {
        usize::from(self.verb.is_none() && !self.noun.contains('_') && !self.parents.is_empty())
    }

    /// The name qualified with up to `depth` parent resources, in snake case.
    pub fn render(&self, depth: usize) -> String {
        let depth = depth.min(self.parents.len());
        let parents = self.parents[..depth].iter().rev().map(String::as_str);
        let mut words: Vec<&str> = Vec::new();
        match self.verb {
            // `list_team_models`: the parents qualify the noun.
            Some(verb) => {
                words.push(verb);
                words.extend(parents);
                words.push(&self.noun);
            }
            // `activate_deployment`: the action comes first, then what it acts on.
            None => {
                words.push(&self.noun);
                words.extend(parents);
            }
        }
        snake(&words.join("_"))
    }

    /// How many parent resources the name can be qualified with.
    pub fn max_depth(&self) -> usize {
        self.parents.len()
    }
}

fn is_version(segment: &str) -> bool {
    segment.len() > 1
        && segment.starts_with(['v', 'V'])
        && segment[1..].chars().all(|c| c.is_ascii_digit())
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

fn method_verb(method: &str) -> &'static str {
    match method {
        "get" => "get",
        "put" => "replace",
        "post" => "post",
        "delete" => "delete",
        "patch" => "update",
        "head" => "head",
        "options" => "options",
        _ => "trace",
    }
}

fn item_verb(method: &str) -> &'static str {
    match method {
        "post" => "create",
        other => method_verb(other),
    }
}

fn static_verb_noun(method: &str, segment: &str, plural: bool) -> (Option<&'static str>, String) {
    let word = segment.to_snake_case();
    match method {
        "get" if plural => (Some("list"), word),
        "post" if plural => (Some("create"), singular(&word, plural)),
        "post" => (None, word),
        other => (Some(method_verb(other)), word),
    }
}

fn is_plural(word: &str) -> bool {
    word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is")
}

/// A naive English singular of a word known to be `plural`: `entities` → `entity`,
/// `classes` → `class`, `patches` → `patch`, `models` → `model`, `apis` → `api`.
fn singular(word: &str, plural: bool) -> String {
    let word = word.to_snake_case();
    if !plural {
        return word;
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["sses", "ches", "shes", "xes", "zes"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            return format!("{stem}{}", &suffix[..suffix.len() - 2]);
        }
    }
    word.strip_suffix('s').unwrap_or(&word).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names() {
        let cases = [
            ("model_id", "model_id"),
            ("fooBar", "foo_bar"),
            ("FooBar", "foo_bar"),
            ("X-Request-Id", "x_request_id"),
            ("created[gte]", "created_gte"),
            ("type", "r#type"),
            ("match", "r#match"),
            ("async", "r#async"),
            ("gen", "r#gen"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("1m", "_1m"),
            ("", "empty"),
            ("+++", "plus_plus_plus"),
            ("\u{1F600}", "empty"),
            ("vs_code", "vs_code"),
            ("cancel_promotion", "cancel_promotion"),
            ("déjà vu", "d_j_vu"),
        ];
        for (raw, want) in cases {
            assert_eq!(snake(raw), want, "snake({raw:?})");
        }
    }

    #[test]
    fn camel_case_names() {
        let cases = [
            ("CancelPromotionStatusV1", "CancelPromotionStatusV1"),
            ("RAMPING_DOWN", "RampingDown"),
            ("CANCELED", "Canceled"),
            ("asc", "Asc"),
            ("vs_code", "VsCode"),
            ("1m", "V1m"),
            ("", "Empty"),
            ("-", "Minus"),
            ("+", "Plus"),
            (">=", "GtEq"),
            ("_", "Underscore"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("String", "String"),
            ("application/json", "ApplicationJson"),
        ];
        for (raw, want) in cases {
            assert_eq!(camel(raw), want, "camel({raw:?})");
        }
    }

    #[test]
    fn every_generated_name_is_a_valid_identifier() {
        let inputs = [
            "type", "Self", "self", "1", "", "a-b", "r#x", "__", "_", "gen", "ü",
        ];
        for raw in inputs {
            for name in [snake(raw), camel(raw)] {
                let parsed = syn::parse_str::<syn::Ident>(&name);
                assert!(parsed.is_ok(), "{raw:?} gave invalid identifier {name:?}");
            }
        }
    }

    #[test]
    fn collisions_after_sanitizing_get_suffixes_in_claim_order() {
        let mut scope = Scope::default();
        let names: Vec<String> = ["fooBar", "foo_bar", "foo-bar"]
            .iter()
            .map(|raw| scope.claim(&snake(raw)))
            .collect();
        assert_eq!(names, ["foo_bar", "foo_bar_2", "foo_bar_3"]);

        let mut types = Scope::default();
        assert_eq!(types.claim("FooBar"), "FooBar");
        assert_eq!(types.claim("FooBar"), "FooBar2");
    }

    #[test]
    fn operation_names_from_method_and_path() {
        let cases = [
            (
                "post",
                "/v1/models/{model_id}/environments/{env_name}/cancel_promotion",
                "cancel_promotion",
            ),
            ("get", "/v1/models", "list_models"),
            ("post", "/v1/models", "create_model"),
            ("get", "/v1/models/{model_id}", "get_model"),
            ("patch", "/v1/models/{model_id}", "update_model"),
            ("put", "/v1/models/{model_id}", "replace_model"),
            ("delete", "/v1/models/{model_id}", "delete_model"),
            ("get", "/v1/models/{model_id}/status", "get_status"),
            ("get", "/v1/secrets/{a}/{b}", "get_item"),
            ("get", "/v1/policies", "list_policies"),
            ("post", "/v1/policies", "create_policy"),
            ("get", "/", "get_root"),
            ("get", "/v2/api-keys", "list_api_keys"),
            (
                "post",
                "/v1/models/{m}/deployments/{d}/patches",
                "create_patch",
            ),
            ("get", "/v1/model_apis", "list_model_apis"),
            ("get", "/v1/model_apis/{name}", "get_model_api"),
            ("post", "/v1/jobs/{job_id}/stop", "stop_job"),
            ("post", "/v1/training_jobs/search", "search_training_job"),
            ("post", "/v1/boxes", "create_box"),
        ];
        let collections = BTreeSet::from(["model_apis".to_owned()]);
        for (method, path, want) in cases {
            let name = DerivedName::new(method, path, &collections);
            assert_eq!(name.render(name.min_depth()), want, "{method} {path}");
        }
    }

    #[test]
    fn qualified_operation_names_add_parents_nearest_first() {
        let none = BTreeSet::new();
        let name = DerivedName::new(
            "get",
            "/v1/teams/{team_id}/models/{model_id}/deployments",
            &none,
        );
        assert_eq!(name.max_depth(), 2);
        assert_eq!(name.render(1), "list_model_deployments");
        assert_eq!(name.render(2), "list_team_model_deployments");
        assert_eq!(name.render(9), "list_team_model_deployments");
        let action = DerivedName::new("post", "/v1/models/{m}/deployments/{d}/activate", &none);
        assert_eq!(action.render(0), "activate");
        assert_eq!(action.min_depth(), 1);
        assert_eq!(action.render(1), "activate_deployment");
        assert_eq!(action.render(2), "activate_model_deployment");
    }

    #[test]
    fn stream_method_names() {
        let cases = [
            ("create_completion", "create_completion_stream"),
            ("r#match", "match_stream"),
            ("self_", "self_stream"),
            ("_1m", "_1m_stream"),
        ];
        for (method, want) in cases {
            assert_eq!(stream_method(method), want, "stream_method({method:?})");
        }
        let mut scope = Scope::with_reserved(&["chat", "chat_stream"]);
        assert_eq!(scope.claim(&stream_method("chat")), "chat_stream_2");
    }

    #[test]
    fn raw_and_plain_spellings_collide() {
        let mut scope = Scope::with_reserved(&["type"]);
        assert_eq!(scope.claim("r#type"), "type_2");
        let mut scope = Scope::default();
        assert_eq!(scope.claim("self_"), "self_");
        assert_eq!(scope.claim("self_"), "self_2");
    }
}
