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

/// The request builder of a method, in the `requests` module: the method's name in
/// UpperCamelCase (`cancel_promotion` → `CancelPromotion`).
pub fn builder_name(method: &str) -> String {
    camel(bare(method))
}

/// A name without its `r#` prefix: `r#type` and `type` are the same name in a scope.
fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The name of an operation whose spec gives no `operationId`, from its method and path
/// (and, for a `POST`, the first word of its summary). It depends on that operation alone,
/// so adding or removing another operation never renames it.
///
/// The path is read as runs of literal segments separated by parameters, version segments
/// (`v1`, `v2`, `2010-04-01`) and a `#fragment` left out: `/v1/models/{model_id}/deployments/{id}/config`
/// is `[models] {} [deployments] {} [config]`. The last run is what the operation acts on, the
/// run before it the resource whose parameter comes between (its *parent*). Words other than
/// the last are singular (`models` → `model`), since they qualify the last.
///
/// | the path ends in | name | example |
/// | --- | --- | --- |
/// | a parameter | verb, parent, last run: `get`, `replace` (PUT), `update` (PATCH), `delete`, `create` (POST) | `GET /models/{m}/deployments/{d}`: `get_model_deployment` |
/// | a plural word | `list` (GET), `create` + singular (POST), `replace`, `update`, `delete` | `GET /teams/{t}/loops/runs`: `list_team_loop_runs` |
/// | another word, not POST | verb, parent, last run | `GET /models/{m}/deployments/{d}/config`: `get_deployment_config` |
/// | another word, POST: an action | the action, then what it acts on: the rest of the run with the parent; with no rest, the resource the last parameter names with its parent for a one-word action, nothing for a longer one (which names its object) | `POST /models/{m}/environments/{e}/promote`: `promote_model_environment`; `POST …/deployments/{d}/patches/sync`: `sync_deployment_patches`; `POST …/environments/{e}/cancel_promotion`: `cancel_promotion` |
///
/// A `POST` whose summary starts with a reading verb (`Gets`, `Lists`, `Queries`, `Fetches`,
/// `Retrieves`, `Counts`; `Searches`) reads: its verb is `query` (`search`), so that it never
/// takes the name of a `GET` of the same path: `POST …/logs` "Gets the logs" is
/// `query_deployment_logs` beside `list_deployment_logs`.
pub fn derived_operation_name(method: &str, path: &str, summary: Option<&str>) -> String {
    let shape = PathShape::new(path);
    let reader = (method == "post")
        .then(|| summary.and_then(reading_verb))
        .flatten();
    let words = match (shape.ends_in_parameter, shape.last.split_last()) {
        (_, None) => vec![item_verb(method).to_owned(), "root".to_owned()],
        (true, Some(_)) => {
            let verb = if reader.is_some() {
                "get"
            } else {
                item_verb(method)
            };
            let mut words = vec![verb.to_owned()];
            words.extend(shape.parent.iter().chain(&shape.last).map(|w| singular(w)));
            words
        }
        (false, Some((last, rest))) if method != "post" || is_plural(last) || reader.is_some() => {
            collection_words(method, reader, last, rest, &shape.parent)
        }
        (false, Some((action, rest))) => action_words(action, rest, &shape),
    };
    snake(&words.join("_"))
}

/// A path as [`derived_operation_name`] reads it.
struct PathShape {
    /// The last run of literal segments, in snake case.
    last: Vec<String>,
    /// The run before it: the parent resource.
    parent: Vec<String>,
    /// The run before the parent.
    grandparent: Vec<String>,
    ends_in_parameter: bool,
}

impl PathShape {
    fn new(path: &str) -> Self {
        let path = path.split(['#', '?']).next().unwrap_or_default();
        let segments: Vec<&str> = path
            .split('/')
            .filter(|s| !s.is_empty() && !is_version(s))
            .collect();
        // Runs of literals; parameters side by side (`/{a}/{b}`) separate only once.
        let mut runs: Vec<Vec<String>> = Vec::new();
        let mut run = Vec::new();
        for segment in &segments {
            if !is_param(segment) {
                run.push(segment.to_snake_case());
            } else if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        let ends_in_parameter = segments.last().is_some_and(|s| is_param(s));
        let mut take = || runs.pop().unwrap_or_default();
        let (last, parent, grandparent) = (take(), take(), take());
        PathShape {
            last,
            parent,
            grandparent,
            ends_in_parameter,
        }
    }
}

/// `list_team_loop_runs`, `create_team_model`, `get_deployment_config`, `query_job_logs`.
fn collection_words(
    method: &str,
    reader: Option<&'static str>,
    last: &str,
    rest: &[String],
    parent: &[String],
) -> Vec<String> {
    let verb = match (reader, method) {
        (Some(verb), _) => verb,
        (None, "get") if is_plural(last) => "list",
        (None, "post") => "create",
        (None, other) => item_verb(other),
    };
    // `POST /training_jobs/search` "Searches training jobs": the verb says it already, and
    // the word before is the last.
    let (last, rest) = match (reader == Some(verb) && last == verb, rest.split_last()) {
        (true, Some((before, rest))) => (before.as_str(), rest),
        _ => (last, rest),
    };
    let mut words = vec![verb.to_owned()];
    words.extend(parent.iter().chain(rest).map(|w| singular(w)));
    words.push(match verb {
        "create" => singular(last),
        _ => last.to_owned(),
    });
    words
}

/// `activate_model_deployment`, `sign_deployment_ssh`, `cancel_promotion`.
fn action_words(action: &str, rest: &[String], shape: &PathShape) -> Vec<String> {
    let mut words = vec![action.to_owned()];
    match rest.split_last() {
        // The action names what it acts on: `patches/sync` syncs the patches.
        Some((object, qualifiers)) => {
            words.extend(shape.parent.iter().chain(qualifiers).map(|w| singular(w)));
            words.push(object.clone());
        }
        // A one-word action acts on the resource the last parameter names, which its own
        // parent qualifies; a longer one (`cancel_promotion`) names its object itself.
        None if !action.contains('_') => {
            let subject = shape.grandparent.iter().chain(&shape.parent);
            words.extend(subject.map(|w| singular(w)));
        }
        None => {}
    }
    words
}

/// The verb of a `POST` whose summary says it only reads: `Gets …` → `query`.
fn reading_verb(summary: &str) -> Option<&'static str> {
    let first = summary.split_whitespace().next()?.to_ascii_lowercase();
    match first.as_str() {
        "get" | "gets" | "list" | "lists" | "query" | "queries" | "fetch" | "fetches"
        | "retrieve" | "retrieves" | "count" | "counts" => Some("query"),
        "search" | "searches" => Some("search"),
        _ => None,
    }
}

/// A version segment: `v1`, `V2`, `v1.2`, `2010-04-01`.
pub(crate) fn is_version(segment: &str) -> bool {
    let digits = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
}

/// A segment holding a parameter: `{id}`, or one within other text (`{name}.json`).
fn is_param(segment: &str) -> bool {
    segment.contains('{') && segment.contains('}')
}

fn item_verb(method: &str) -> &'static str {
    match method {
        "get" => "get",
        "put" => "replace",
        "post" => "create",
        "delete" => "delete",
        "patch" => "update",
        "head" => "head",
        "options" => "options",
        "query" => "query",
        _ => "trace",
    }
}

/// Whether a snake-case word's last part is an English plural: `models`, `api_keys`,
/// `model_apis`; not `status`, `class`, `analysis`.
fn is_plural(word: &str) -> bool {
    let last = word.rsplit('_').next().unwrap_or(word);
    if last.ends_with("apis") || last.ends_with("uris") {
        return true;
    }
    last.len() > 1
        && last.ends_with('s')
        && !last.ends_with("ss")
        && !last.ends_with("us")
        && !last.ends_with("is")
}

/// A naive English singular of a snake-case word's last part: `entities` → `entity`,
/// `classes` → `class`, `patches` → `patch`, `api_keys` → `api_key`; other words as they are.
pub(crate) fn singular(word: &str) -> String {
    if !is_plural(word) {
        return word.to_owned();
    }
    let (head, last) = match word.rsplit_once('_') {
        Some((head, last)) => (format!("{head}_"), last),
        None => (String::new(), word),
    };
    if let Some(stem) = last.strip_suffix("ies") {
        return format!("{head}{stem}y");
    }
    for suffix in ["sses", "ches", "shes", "xes", "zes"] {
        if let Some(stem) = last.strip_suffix(suffix) {
            return format!("{head}{stem}{}", &suffix[..suffix.len() - 2]);
        }
    }
    format!("{head}{}", last.strip_suffix('s').unwrap_or(last))
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
                "/v1/models/{m}/environments/{e}/cancel_promotion",
                None,
                "cancel_promotion",
            ),
            (
                "post",
                "/v1/models/{m}/environments/{e}/force_cancel_promotion",
                None,
                "force_cancel_promotion",
            ),
            (
                "post",
                "/v1/models/{m}/environments/{e}/promote",
                None,
                "promote_model_environment",
            ),
            (
                "post",
                "/v1/chains/{c}/environments/{e}/promote",
                None,
                "promote_chain_environment",
            ),
            ("get", "/v1/models", None, "list_models"),
            ("post", "/v1/models", None, "create_model"),
            ("get", "/v1/models/{model_id}", None, "get_model"),
            ("patch", "/v1/models/{model_id}", None, "update_model"),
            ("put", "/v1/models/{model_id}", None, "replace_model"),
            ("delete", "/v1/models/{model_id}", None, "delete_model"),
            (
                "get",
                "/v1/models/{m}/deployments/{d}",
                None,
                "get_model_deployment",
            ),
            (
                "get",
                "/v1/models/{m}/deployments/{d}/config",
                None,
                "get_deployment_config",
            ),
            (
                "get",
                "/v1/models/{m}/deployments/development",
                None,
                "get_model_deployment_development",
            ),
            (
                "get",
                "/v1/models/{model_id}/status",
                None,
                "get_model_status",
            ),
            ("get", "/v1/secrets/{a}/{b}", None, "get_secret"),
            ("get", "/v1/policies", None, "list_policies"),
            ("post", "/v1/policies", None, "create_policy"),
            ("get", "/", None, "get_root"),
            ("get", "/v2/api-keys", None, "list_api_keys"),
            (
                "post",
                "/v1/models/{m}/deployments/{d}/patches",
                None,
                "create_deployment_patch",
            ),
            (
                "post",
                "/v1/models/{m}/deployments/{d}/patches/sync",
                None,
                "sync_deployment_patches",
            ),
            (
                "post",
                "/v1/models/{m}/deployments/{d}/ssh/sign",
                None,
                "sign_deployment_ssh",
            ),
            ("get", "/v1/model_apis", None, "list_model_apis"),
            ("get", "/v1/model_apis/{name}", None, "get_model_api"),
            ("get", "/v1/model_apis/usage", None, "get_model_api_usage"),
            ("get", "/v1/loops/sessions/{s}", None, "get_loop_session"),
            (
                "get",
                "/v1/teams/{t}/loops/runs",
                None,
                "list_team_loop_runs",
            ),
            ("get", "/v1/loops/runs", None, "list_loop_runs"),
            (
                "get",
                "/v1/gateway/groups/{g}/api_keys/{p}",
                None,
                "get_gateway_group_api_key",
            ),
            (
                "post",
                "/v1/training_projects/{p}/jobs/{j}/stop",
                None,
                "stop_training_project_job",
            ),
            (
                "post",
                "/v1/training_jobs/search",
                Some("Searches training jobs"),
                "search_training_jobs",
            ),
            ("post", "/v1/boxes", None, "create_box"),
            (
                "post",
                "/v1/prepare_model_upload",
                None,
                "prepare_model_upload",
            ),
            (
                "post",
                "/v1/models/{m}/deployments/{d}/logs",
                Some("Gets the logs"),
                "query_deployment_logs",
            ),
            (
                "get",
                "/v1/models/{m}/deployments/{d}/logs",
                Some("Gets the logs"),
                "list_deployment_logs",
            ),
            (
                "post",
                "/v1/loops/deployments/{d}/metrics",
                Some("Gets metrics"),
                "query_loop_deployment_metrics",
            ),
            ("post", "/v1/things/{id}", Some("Gets a thing"), "get_thing"),
            (
                "get",
                "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json",
                None,
                "get_account_call",
            ),
            (
                "get",
                "/v1/connectors/{connector_id}#id",
                None,
                "get_connector",
            ),
            ("get", "/v1/classes", None, "list_classes"),
            ("get", "/v1/status", None, "get_status"),
        ];
        for (method, path, summary, want) in cases {
            assert_eq!(
                derived_operation_name(method, path, summary),
                want,
                "{method} {path}"
            );
        }
    }

    #[test]
    fn singulars_and_plurals() {
        let cases = [
            ("models", "model"),
            ("entities", "entity"),
            ("classes", "class"),
            ("patches", "patch"),
            ("api_keys", "api_key"),
            ("model_apis", "model_api"),
            ("status", "status"),
            ("analysis", "analysis"),
            ("s", "s"),
        ];
        for (word, want) in cases {
            assert_eq!(singular(word), want, "{word}");
        }
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
