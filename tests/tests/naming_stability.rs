//! Operation names stay: a derived name depends on its operation alone, so it survives the
//! real history of the Baseten spec and the addition of any other operation.

use std::collections::BTreeMap;
use std::path::Path;

use apigen::Settings;
use apigen::diagnostics::{Diagnostic, Diagnostics};
use apigen::model::Api;

/// The model of a one-file spec and its warnings (lowering only: no code is emitted).
fn model(text: &str, settings: &Settings) -> (Api, Vec<Diagnostic>) {
    let mut tree = apigen::load::parse(text).unwrap_or_else(|err| panic!("{err}"));
    let mut diags = Diagnostics::default();
    apigen::bundle::bundle(&mut tree, None, &mut diags);
    apigen::normalize::normalize(&mut tree, &mut diags);
    let (doc, _) = apigen::shape::to_openapi(tree, &mut diags)
        .unwrap_or_else(|| panic!("{:?}", diags.iter().collect::<Vec<_>>()));
    let api = apigen::lower::lower(&doc, settings, &mut diags);
    (api, diags.into_sorted())
}

/// `"METHOD /path"` → the method's Rust name and what the naming rule reads besides method
/// and path (the operationId, and a POST's summary).
fn names(api: &Api) -> BTreeMap<String, (String, String)> {
    api.operations
        .iter()
        .filter(|op| !op.is_stream_sibling())
        .map(|op| {
            let key = format!("{} {}", op.method.as_str(), op.path);
            let summary = match op.method {
                apigen::model::Method::Post => op.docs.summary.clone().unwrap_or_default(),
                _ => String::new(),
            };
            let inputs = format!("{:?} {summary}", op.operation_id);
            (key, (op.rust_name.clone(), inputs))
        })
        .collect()
}

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn every_operation_keeps_its_name_across_the_real_history() {
    let versions = [
        "spec/history/v0-100ops-apikey.yaml",
        "spec/history/v1-150ops-apikey.yaml",
        "spec/history/v2-183ops-bearer.yaml",
        "spec/openapi.yaml",
    ];
    // The rule alone: no settings, so no name is configured.
    let models: Vec<_> = versions
        .iter()
        .map(|v| names(&model(&read(v), &Settings::default()).0))
        .collect();
    let mut kept = 0;
    let mut renamed = Vec::new();
    for (pair, steps) in models.windows(2).zip(versions.windows(2)) {
        let (old, new) = (&pair[0], &pair[1]);
        for (key, (old_name, old_inputs)) in old {
            let Some((new_name, new_inputs)) = new.get(key) else {
                continue;
            };
            if old_name == new_name {
                kept += 1;
            } else if old_inputs == new_inputs {
                renamed.push(format!(
                    "{} → {}: {key}: {old_name} → {new_name}",
                    steps[0], steps[1]
                ));
            }
        }
    }
    assert!(kept > 300, "{kept} operations compared");
    assert!(
        renamed.is_empty(),
        "renamed with the same inputs:\n{}",
        renamed.join("\n")
    );
}

/// A deterministic generator of pseudo-random numbers (xorshift), so a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const BASE: &str = r#"{
  "openapi": "3.1.0",
  "info": {"title": "Names", "version": "1"},
  "paths": {
    "/v1/models": {"get": {"responses": {"200": {"description": "ok"}}},
                   "post": {"responses": {"200": {"description": "ok"}}}},
    "/v1/models/{model_id}": {"get": {"responses": {"200": {"description": "ok"}}}},
    "/v1/models/{model_id}/deployments/{deployment_id}/activate":
      {"post": {"responses": {"200": {"description": "ok"}}}},
    "/v1/models/{model_id}/environments/{env_name}/cancel_promotion":
      {"post": {"responses": {"200": {"description": "ok"}}}},
    "/v1/teams/{team_id}/models": {"get": {"responses": {"200": {"description": "ok"}}}},
    "/v1/loops/sessions/{session_id}": {"get": {"responses": {"200": {"description": "ok"}}}},
    "/v1/deployments/{deployment_id}/logs":
      {"get": {"responses": {"200": {"description": "ok"}}},
       "post": {"summary": "Gets the logs", "responses": {"200": {"description": "ok"}}}},
    "/v1/reports": {"get": {"operationId": "fetchReports", "responses": {"200": {"description": "ok"}}}}
  }
}"#;

/// A random path of one to five segments from words the base spec uses and others.
fn random_path(rng: &mut Rng) -> String {
    let words = [
        "models",
        "deployments",
        "environments",
        "teams",
        "loops",
        "sessions",
        "logs",
        "activate",
        "promote",
        "cancel_promotion",
        "reports",
        "config",
        "v1",
        "v2",
        "status",
    ];
    let params = ["{model_id}", "{deployment_id}", "{env_name}", "{id}"];
    let length = 1 + rng.next() % 5;
    let mut path = String::new();
    for _ in 0..length {
        path.push('/');
        path.push_str(match rng.next() % 3 {
            0 => rng.pick(&params),
            _ => rng.pick(&words),
        });
    }
    path
}

#[test]
fn adding_operations_renames_no_operation_but_those_a_warning_names() {
    let settings = Settings::default();
    let base: serde_json::Value = serde_json::from_str(BASE).expect("the base spec");
    let (api, _) = model(BASE, &settings);
    let before = names(&api);
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for case in 0..200 {
        let mut spec = base.clone();
        let mut added = Vec::new();
        for _ in 0..1 + rng.next() % 4 {
            let path = random_path(&mut rng);
            let method = rng.pick(&["get", "post", "put", "patch", "delete"]);
            let summary = rng.pick(&["Gets a thing", "Creates a thing", "Searches things", ""]);
            let parameters: Vec<serde_json::Value> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|name| serde_json::json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
                .collect();
            let item = spec["paths"]
                .as_object_mut()
                .expect("paths")
                .entry(path.clone())
                .or_insert_with(|| serde_json::json!({}));
            if item.get(method).is_some() {
                continue;
            }
            item[method] = serde_json::json!({
                "summary": summary,
                "parameters": parameters,
                "responses": {"200": {"description": "ok"}}
            });
            added.push(format!("{} {path}", method.to_uppercase()));
        }
        let (api, warnings) = model(&spec.to_string(), &settings);
        let after = names(&api);
        for (key, (name, _)) in &before {
            let warned = warnings
                .iter()
                .any(|w| w.message.contains(&format!("`{key}`")));
            assert!(
                after.get(key).is_some_and(|(new, _)| new == name) || warned,
                "case {case}: adding {added:?} renamed {key} from {name} to {:?} without a warning",
                after.get(key).map(|(n, _)| n)
            );
        }
    }
}
