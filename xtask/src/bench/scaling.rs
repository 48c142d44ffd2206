//! Scaling: synthetic specs of 1, 2, 4 and 8 times the Baseten spec (its paths and schemas
//! repeated under new names, references rewritten to the copies), generated and checked.
//! Time at 8× should be at most 8.5 times the time at 1×.

use serde_json::Value;

use super::compile::{self, Mode, Timings, Workspace};
use super::generation::{self, Probe};
use super::measure::{self, Summary};
use super::{Context, rust_lines};

const FACTORS: &[usize] = &[1, 2, 4, 8];
const SCHEMAS: &str = "#/components/schemas/";

/// The spec repeated `factor` times: copy `k` (from 2) has every path under `/copyK`, every
/// `operationId` suffixed `_copyK`, every schema `NameCopyK`, and every reference to a schema
/// inside the copy (a `$ref`, a discriminator's mapping) pointing at the copy's schema.
pub fn repeat(spec: &Value, factor: usize) -> Value {
    let mut out = spec.clone();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for k in 2..=factor {
        let suffix = format!("Copy{k}");
        if let Some(Value::Object(target)) = out.pointer_mut("/components/schemas") {
            for (name, schema) in &schemas {
                let mut copy = schema.clone();
                rename_refs(&mut copy, &suffix);
                target.insert(format!("{name}{suffix}"), copy);
            }
        }
        if let Some(Value::Object(target)) = out.get_mut("paths") {
            for (path, item) in &paths {
                let mut copy = item.clone();
                rename_refs(&mut copy, &suffix);
                suffix_operation_ids(&mut copy, &format!("_copy{k}"));
                target.insert(format!("/copy{k}{path}"), copy);
            }
        }
    }
    out
}

/// Every string that is a schema reference (`#/components/schemas/Name`, with or without a
/// pointer after the name) now names `Name{suffix}`.
fn rename_refs(value: &mut Value, suffix: &str) {
    match value {
        Value::String(text) => {
            if let Some(rest) = text.strip_prefix(SCHEMAS) {
                let (name, tail) = rest.split_once('/').map_or((rest, ""), |(n, t)| (n, t));
                let slash = if tail.is_empty() { "" } else { "/" };
                *text = format!("{SCHEMAS}{name}{suffix}{slash}{tail}");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, suffix)),
        Value::Object(map) => map.values_mut().for_each(|v| rename_refs(v, suffix)),
        _ => {}
    }
}

fn suffix_operation_ids(item: &mut Value, suffix: &str) {
    let Value::Object(methods) = item else { return };
    for operation in methods.values_mut() {
        if let Some(Value::String(id)) = operation.get_mut("operationId") {
            id.push_str(suffix);
        }
    }
}

/// The section.
pub fn run(ctx: &Context) -> Result<String, String> {
    let (source, settings) = match ctx.args.smoke {
        true => (
            "tests/fixtures/seed-cancel-promotion.yaml",
            "tests/fixtures/seed-cancel-promotion.codegen.toml",
        ),
        false => ("spec/openapi.yaml", "spec/codegen.toml"),
    };
    let text = apigen_cli::read(&ctx.root.join(source))?;
    let spec = apigen::load::parse(&text).map_err(|err| format!("{source}: {err}"))?;
    let settings = ctx.root.join(settings);
    let dir = ctx.dir("scaling");
    let factors: &[usize] = if ctx.args.smoke {
        &FACTORS[..2]
    } else {
        FACTORS
    };
    let mut files = Vec::new();
    for &factor in factors {
        let path = dir.join(format!("baseten-x{factor}.json"));
        let json =
            serde_json::to_string_pretty(&repeat(&spec, factor)).map_err(|e| e.to_string())?;
        measure::write_if_changed(&path, json.as_bytes())?;
        files.push((factor, path));
    }
    let bin = generation::probe_binary(ctx)?;
    let runs = ctx.args.runs_or(5);
    let mut probes: Vec<Vec<Probe>> = vec![Vec::new(); files.len()];
    for _ in 0..runs {
        for ((factor, path), probes) in files.iter().zip(&mut probes) {
            let out = dir.join(format!("out-x{factor}"));
            probes.push(generation::probe_generate(
                &bin,
                path,
                Some(&settings),
                &out,
            )?);
        }
    }
    let ws = Workspace::open(ctx)?;
    let mut names = Vec::new();
    let mut lines = Vec::new();
    for (factor, path) in &files {
        let name = format!("scaling-x{factor}");
        compile::generate_ours(ctx, &ws, path, Some(&settings), &name)?;
        lines.push(rust_lines(&ws.crate_dir(&name)));
        names.push(name);
    }
    let timings = match ctx.args.smoke {
        true => Timings::default(),
        false => ws.interleave(&names, &[Mode::Check], ctx.args.runs_or(2))?,
    };
    Ok(render(
        ctx, factors, &files, &probes, &names, &lines, &timings,
    ))
}

fn render(
    ctx: &Context,
    factors: &[usize],
    files: &[(usize, std::path::PathBuf)],
    probes: &[Vec<Probe>],
    names: &[String],
    lines: &[usize],
    timings: &Timings,
) -> String {
    let mut text = format!(
        "The Baseten spec (with `spec/codegen.toml`) repeated 1, 2, 4 and 8 times \
         (`target/bench/scaling/baseten-xN.json`): generation as in the table above ({} runs, \
         total of the stages, milliseconds), and crate-only `cargo check` as in the compile \
         table ({} runs, seconds of CPU, and wall). Ratios are to 1×; target: 8× ≤ 8.5 × 1×.\n\n\
         | copies | spec size | generated lines | generation | ÷ 1× | check CPU | ÷ 1× | check wall | ÷ 1× |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        ctx.args.runs_or(5),
        ctx.args.runs_or(2)
    );
    let gen_of = |i: usize| {
        Summary::of(
            &probes[i]
                .iter()
                .map(|p| p.total() * 1e3)
                .collect::<Vec<_>>(),
        )
    };
    let cell = |s: Option<Summary>, digits: usize| s.map_or("n/a".to_owned(), |s| s.show(digits));
    for (i, factor) in factors.iter().enumerate() {
        let size = std::fs::metadata(&files[i].1).map_or(0, |m| m.len());
        let check = timings.cpu(&names[i], Mode::Check);
        let wall = timings.wall(&names[i], Mode::Check);
        text.push_str(&format!(
            "| {factor}× | {:.1} MB | {} | {} | {} | {} | {} | {} | {} |\n",
            size as f64 / 1e6,
            lines[i],
            cell(gen_of(i), 0),
            measure::ratio(gen_of(i), gen_of(0)),
            cell(check, 1),
            measure::ratio(check, timings.cpu(&names[0], Mode::Check)),
            cell(wall, 1),
            measure::ratio(wall, timings.wall(&names[0], Mode::Check)),
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_rename_schemas_paths_operations_and_references() {
        let spec = serde_json::json!({
            "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {"content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/B/properties/x"}}},
                "B": {"discriminator": {"mapping": {"a": "#/components/schemas/A"}}}
            }}
        });
        let out = repeat(&spec, 2);
        assert_eq!(
            out.pointer("/paths/~1copy2~1a/get/operationId"),
            Some(&serde_json::json!("getA_copy2"))
        );
        assert_eq!(
            out.pointer(
                "/paths/~1copy2~1a/get/responses/200/content/application~1json/schema/$ref"
            ),
            Some(&serde_json::json!("#/components/schemas/ACopy2"))
        );
        assert_eq!(
            out.pointer("/components/schemas/ACopy2/properties/b/$ref"),
            Some(&serde_json::json!(
                "#/components/schemas/BCopy2/properties/x"
            ))
        );
        assert_eq!(
            out.pointer("/components/schemas/BCopy2/discriminator/mapping/a"),
            Some(&serde_json::json!("#/components/schemas/ACopy2"))
        );
        assert_eq!(
            out.pointer("/paths/~1a/get/operationId"),
            Some(&serde_json::json!("getA"))
        );
        assert_eq!(repeat(&spec, 1), spec);
    }
}
