//! Where the compile time of a generated crate goes: variants of our nexus crate, each made
//! by removing one generated feature from its source (parsed with `syn`, items dropped or
//! rewritten, printed with prettyplease), compiled beside the unchanged crate. Every
//! variant still compiles; what it no longer offers is said beside it. The copied runtime
//! (`src/runtime/`) is left as it is, except by `runtime-only`, which keeps nothing else.

use quote::ToTokens;
use std::collections::BTreeMap;
use syn::punctuated::Punctuated;

use super::compile::{self, Mode, Timings, Workspace};
use super::measure::{self, Summary};
use super::{Context, rust_lines};

/// The unchanged crate every variant is compared with.
const BASELINE: &str = "nexus-ours";

/// One variant: a transformation of each generated file (not the runtime's).
struct Variant {
    name: &'static str,
    /// What the variant leaves out.
    removes: &'static str,
    transform: fn(&mut syn::File, &str),
}

const VARIANTS: &[Variant] = &[
    Variant {
        name: "no-docs",
        removes: "every generated doc comment (and `#![deny(missing_docs)]`)",
        transform: strip_docs,
    },
    Variant {
        name: "no-cmp-derives",
        removes: "`PartialEq`, `Eq`, `Hash`, `PartialOrd`, `Ord` derives",
        transform: drop_comparison_derives,
    },
    Variant {
        name: "no-builder-derives",
        removes: "`Debug` and `Clone` derives of the request builders",
        transform: drop_builder_derives,
    },
    Variant {
        name: "no-into-future",
        removes: "`IntoFuture` of each request builder (`.send().await` instead)",
        transform: drop_into_future,
    },
    Variant {
        name: "no-error-enums",
        removes: "the error enums of each operation and their `FromApiError`",
        transform: drop_error_enums,
    },
    Variant {
        name: "shared-error-enums",
        removes: "error enums with the same variants as an earlier one (an alias to it instead)",
        transform: share_error_enums,
    },
    Variant {
        name: "dedup-identical-types",
        removes: "schema types identical to an earlier one but for their name and docs (an alias to it instead, its impls dropped)",
        transform: dedup_identical_types,
    },
    Variant {
        name: "no-paging",
        removes: "`pages()` and `into_stream()` of paged operations",
        transform: drop_paging,
    },
    Variant {
        name: "no-open-enum-extras",
        removes: "`Display` and `FromStr` of open enums (`From<&str>` stays: their `Deserialize` uses it)",
        transform: drop_open_enum_extras,
    },
    Variant {
        name: "no-constructors-setters",
        removes: "constructors (`new`) and setters of the schema types",
        transform: drop_constructors,
    },
    Variant {
        name: "combined",
        removes: "all of `shared-error-enums`, `dedup-identical-types`, `no-into-future`, `no-cmp-derives` and `no-builder-derives` at once",
        transform: combined,
    },
    Variant {
        name: "no-inline",
        removes: "`#[inline]` of the generated methods: every operation's code compiled in the crate, called or not",
        transform: drop_inline,
    },
    Variant {
        name: "runtime-only",
        removes: "everything but the copied runtime: its own cost",
        transform: |_, _| {},
    },
];

/// The section: the baseline and every variant, checked and built, interleaved.
pub fn run(ctx: &Context) -> Result<String, String> {
    let ws = Workspace::open(ctx)?;
    let (spec, baseline) = match ctx.args.smoke {
        true => (
            ctx.root.join("tests/fixtures/seed-cancel-promotion.yaml"),
            "smoke-ours",
        ),
        false => (ctx.root.join(compile::NEXUS), BASELINE),
    };
    let generated = compile::generate_ours(ctx, &ws, &spec, None, baseline)?;
    let mut names = vec![baseline.to_owned()];
    let mut lines = BTreeMap::from([(baseline.to_owned(), rust_lines(&ws.crate_dir(baseline)))]);
    for variant in VARIANTS {
        let name = format!("{baseline}-{}", variant.name);
        let files = make_variant(variant, &generated.files, baseline, &name)?;
        ws.add_files(&name, &files)?;
        lines.insert(name.clone(), rust_lines(&ws.crate_dir(&name)));
        names.push(name);
    }
    if ctx.args.smoke {
        return Ok(render(
            ctx,
            baseline,
            &lines,
            &Timings::default(),
            &BTreeMap::new(),
        ));
    }
    compile::generate_progenitor(ctx, &ws, &spec, PROGENITOR, "positional")?;
    lines.insert(PROGENITOR.to_owned(), rust_lines(&ws.crate_dir(PROGENITOR)));
    names.push(PROGENITOR.to_owned());
    let (names, failed) = ws.compiling(&names);
    let timings = ws.interleave(&names, &[Mode::Check, Mode::Build], ctx.args.runs_or(3))?;
    // LLVM IR lines do not depend on the load: a steady measure of code generation.
    let mut ir = BTreeMap::new();
    let mut top = BTreeMap::new();
    for name in &names {
        let rows = llvm_lines(ctx, &ws, name)?;
        if let Some(total) = rows.iter().find(|r| r.name == "(TOTAL)") {
            ir.insert(name.clone(), total.lines);
        }
        top.insert(name.clone(), rows);
    }
    let mut text = render(ctx, baseline, &lines, &timings, &ir);
    for (name, error) in &failed {
        text.push_str(&format!(
            "\n`{name}` does not compile, and is left out: {error}\n"
        ));
    }
    text.push_str(&llvm_lines_table(&top, baseline));
    Ok(text)
}

/// Progenitor's crate of the same spec, for the LLVM IR comparison.
const PROGENITOR: &str = "nexus-progenitor";
/// The version of `cargo-llvm-lines` the bench installs.
const LLVM_LINES_VERSION: &str = "0.4.48";
/// Functions listed per crate.
const TOP: usize = 15;

/// `cargo-llvm-lines`, installed under `target/bench/tools/` if it is not there yet.
fn llvm_lines_tool(ctx: &Context) -> Result<std::path::PathBuf, String> {
    let root = ctx.root.join("target/bench/tools");
    let bin = root.join("bin/cargo-llvm-lines");
    if !bin.exists() {
        eprintln!(
            "    installing cargo-llvm-lines {LLVM_LINES_VERSION} into {}",
            root.display()
        );
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut install = std::process::Command::new(cargo);
        install
            .args([
                "install",
                "cargo-llvm-lines",
                "--locked",
                "--version",
                LLVM_LINES_VERSION,
                "--root",
            ])
            .arg(&root)
            .env_remove("CARGO_TARGET_DIR");
        super::measure::timed(&mut install)?;
    }
    Ok(bin)
}

/// One row of `cargo llvm-lines`: lines of LLVM IR, copies (monomorphizations), function.
#[derive(Debug, Clone, PartialEq)]
struct IrRow {
    lines: u64,
    copies: u64,
    name: String,
}

/// Parses `cargo llvm-lines` output: `  12345 (5.1%, 20.0%)  12 (0.3%, 1.0%)  name`, and the
/// `(TOTAL)` row without percentages.
fn parse_llvm_lines(text: &str) -> Vec<IrRow> {
    text.lines().filter_map(parse_ir_row).collect()
}

fn parse_ir_row(line: &str) -> Option<IrRow> {
    let (lines, rest) = leading_number(line)?;
    let (copies, rest) = leading_number(skip_percentages(rest))?;
    let name = skip_percentages(rest).trim();
    (!name.is_empty()).then(|| IrRow {
        lines,
        copies,
        name: name.to_owned(),
    })
}

fn leading_number(text: &str) -> Option<(u64, &str)> {
    let text = text.trim_start();
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    Some((text[..end].parse().ok()?, &text[end..]))
}

/// `text` after a leading `(5.1%, 20.0%)`, if it has one.
fn skip_percentages(text: &str) -> &str {
    let trimmed = text.trim_start();
    match trimmed.split_once(')') {
        Some((inside, rest)) if trimmed.starts_with('(') && inside.contains('%') => rest,
        _ => trimmed,
    }
}

fn llvm_lines(ctx: &Context, ws: &Workspace, package: &str) -> Result<Vec<IrRow>, String> {
    let mut command = std::process::Command::new(llvm_lines_tool(ctx)?);
    command
        .args(["llvm-lines", "--lib", "-p", package])
        .current_dir(&ws.dir)
        .env("CARGO_TARGET_DIR", ws.dir.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS");
    super::measure::output(&mut command).map(|text| parse_llvm_lines(&text))
}

/// Total LLVM IR of ours and progenitor's crate, and the functions of each that make most.
fn llvm_lines_table(top: &BTreeMap<String, Vec<IrRow>>, baseline: &str) -> String {
    let empty = Vec::new();
    let ours = top.get(baseline).unwrap_or(&empty);
    let theirs = top.get(PROGENITOR).unwrap_or(&empty);
    let total = |rows: &[IrRow]| {
        rows.iter()
            .find(|r| r.name == "(TOTAL)")
            .map_or((0, 0), |r| (r.lines, r.copies))
    };
    let (ours_total, theirs_total) = (total(ours), total(theirs));
    let mut text = format!(
        "\nLLVM IR the dev build generates (`cargo llvm-lines --lib`, {LLVM_LINES_VERSION}), the \
         measure of code-generation work: ours {} lines in {} function copies, progenitor's {} \
         lines in {} copies ({}×; progenitor's runtime, `progenitor-client`, is a prebuilt \
         dependency and not counted, ours is in the crate). Ours, the {TOP} largest (copies \
         are monomorphizations of one generic function):\n\n\
         | lines | copies | function |\n| ---: | ---: | --- |\n",
        ours_total.0,
        ours_total.1,
        theirs_total.0,
        theirs_total.1,
        if theirs_total.0 > 0 {
            format!("{:.2}", ours_total.0 as f64 / theirs_total.0 as f64)
        } else {
            "n/a".to_owned()
        },
    );
    for row in ours.iter().filter(|r| r.name != "(TOTAL)").take(TOP) {
        text.push_str(&format!(
            "| {} | {} | `{}` |\n",
            row.lines,
            row.copies,
            row.name.replace('|', "\\|")
        ));
    }
    text.push_str(&format!("\nProgenitor's, the {TOP} largest:\n\n| lines | copies | function |\n| ---: | ---: | --- |\n"));
    for row in theirs.iter().filter(|r| r.name != "(TOTAL)").take(TOP) {
        text.push_str(&format!(
            "| {} | {} | `{}` |\n",
            row.lines,
            row.copies,
            row.name.replace('|', "\\|")
        ));
    }
    text
}

/// The files of a variant: the runtime and non-Rust files as they are (the package renamed),
/// every generated Rust file transformed.
fn make_variant(
    variant: &Variant,
    files: &[apigen::File],
    baseline: &str,
    name: &str,
) -> Result<Vec<apigen::File>, String> {
    let mut out = Vec::new();
    for file in files {
        let contents = match file.path.as_str() {
            "Cargo.toml" => file.contents.replace(
                &format!("name = \"{baseline}\""),
                &format!("name = \"{name}\""),
            ),
            path if path.starts_with("src/runtime/") || !path.ends_with(".rs") => {
                file.contents.clone()
            }
            path if variant.name == "runtime-only" => match path {
                "src/lib.rs" => runtime_only_lib(&file.contents)?,
                _ => continue,
            },
            path => {
                let mut syntax =
                    syn::parse_file(&file.contents).map_err(|err| format!("{path}: {err}"))?;
                (variant.transform)(&mut syntax, path);
                prettyplease::unparse(&syntax)
            }
        };
        out.push(apigen::File {
            path: file.path.clone(),
            contents,
        });
    }
    Ok(out)
}

/// `lib.rs` without the modules that are not the runtime.
fn runtime_only_lib(text: &str) -> Result<String, String> {
    let mut file = syn::parse_file(text).map_err(|err| format!("src/lib.rs: {err}"))?;
    file.items.retain(|item| match item {
        syn::Item::Mod(m) => m.ident == "runtime",
        _ => true,
    });
    strip_docs(&mut file, "src/lib.rs");
    Ok(prettyplease::unparse(&file))
}

fn is_doc(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("doc")
}

/// Removes doc attributes everywhere, and `missing_docs` from the crate's lint levels.
fn strip_docs(file: &mut syn::File, _: &str) {
    file.attrs.retain(|a| !is_doc(a));
    for attr in &mut file.attrs {
        if attr.path().is_ident("deny") || attr.path().is_ident("warn") {
            let lints =
                attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated);
            if let Ok(lints) = lints {
                let kept: Vec<&syn::Path> = lints
                    .iter()
                    .filter(|l| !l.is_ident("missing_docs"))
                    .collect();
                let level = syn::Ident::new(
                    if attr.path().is_ident("deny") {
                        "deny"
                    } else {
                        "warn"
                    },
                    proc_macro2::Span::call_site(),
                );
                *attr = match kept.is_empty() {
                    true => syn::parse_quote!(#![allow(missing_docs)]),
                    false => syn::parse_quote!(#![#level(#(#kept),*)]),
                };
            }
        }
    }
    for item in &mut file.items {
        strip_item_docs(item);
    }
}

fn strip_item_docs(item: &mut syn::Item) {
    let keep = |attrs: &mut Vec<syn::Attribute>| attrs.retain(|a| !is_doc(a));
    match item {
        syn::Item::Struct(s) => {
            keep(&mut s.attrs);
            s.fields.iter_mut().for_each(|f| keep(&mut f.attrs));
        }
        syn::Item::Enum(e) => {
            keep(&mut e.attrs);
            for variant in &mut e.variants {
                keep(&mut variant.attrs);
                variant.fields.iter_mut().for_each(|f| keep(&mut f.attrs));
            }
        }
        syn::Item::Impl(i) => {
            keep(&mut i.attrs);
            for item in &mut i.items {
                match item {
                    syn::ImplItem::Fn(f) => keep(&mut f.attrs),
                    syn::ImplItem::Const(c) => keep(&mut c.attrs),
                    syn::ImplItem::Type(t) => keep(&mut t.attrs),
                    _ => {}
                }
            }
        }
        syn::Item::Fn(f) => keep(&mut f.attrs),
        syn::Item::Mod(m) => {
            keep(&mut m.attrs);
            if let Some((_, items)) = &mut m.content {
                items.iter_mut().for_each(strip_item_docs);
            }
        }
        syn::Item::Const(c) => keep(&mut c.attrs),
        syn::Item::Static(s) => keep(&mut s.attrs),
        syn::Item::Type(t) => keep(&mut t.attrs),
        syn::Item::Use(u) => keep(&mut u.attrs),
        syn::Item::Trait(t) => keep(&mut t.attrs),
        _ => {}
    }
}

/// The attributes of an item that has them, for the derive editors.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Struct(s) => Some(&mut s.attrs),
        syn::Item::Enum(e) => Some(&mut e.attrs),
        _ => None,
    }
}

/// Removes the derives for which `drop` holds; a derive left empty goes.
fn edit_derives(attrs: &mut Vec<syn::Attribute>, drop: impl Fn(&syn::Path) -> bool) {
    attrs.retain_mut(|attr| {
        if !attr.path().is_ident("derive") {
            return true;
        }
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            return true;
        };
        let kept: Vec<&syn::Path> = paths.iter().filter(|p| !drop(p)).collect();
        if kept.is_empty() {
            return false;
        }
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        true
    });
}

fn last_segment_is(path: &syn::Path, names: &[&str]) -> bool {
    path.segments
        .last()
        .is_some_and(|s| names.iter().any(|n| s.ident == n))
}

fn drop_comparison_derives(file: &mut syn::File, _: &str) {
    for item in &mut file.items {
        if let Some(attrs) = item_attrs(item) {
            edit_derives(attrs, |p| {
                last_segment_is(p, &["PartialEq", "Eq", "Hash", "PartialOrd", "Ord"])
            });
        }
    }
}

fn drop_inline(file: &mut syn::File, _: &str) {
    let not_inline = |attr: &syn::Attribute| !attr.path().is_ident("inline");
    for item in &mut file.items {
        if let syn::Item::Impl(block) = item {
            for member in &mut block.items {
                if let syn::ImplItem::Fn(method) = member {
                    method.attrs.retain(not_inline);
                    for statement in &mut method.block.stmts {
                        if let syn::Stmt::Item(syn::Item::Fn(inner)) = statement {
                            inner.attrs.retain(not_inline);
                        }
                    }
                }
            }
        }
    }
}

fn drop_builder_derives(file: &mut syn::File, path: &str) {
    if path != "src/requests.rs" {
        return;
    }
    for item in &mut file.items {
        if let syn::Item::Struct(s) = item {
            if s.generics.lifetimes().next().is_some() {
                edit_derives(&mut s.attrs, |p| last_segment_is(p, &["Debug", "Clone"]));
            }
        }
    }
}

/// The trait an impl implements, by its last path segment.
fn impl_of<'a>(item: &'a syn::Item, trait_name: &str) -> Option<&'a syn::ItemImpl> {
    match item {
        syn::Item::Impl(i)
            if i.trait_
                .as_ref()
                .is_some_and(|(p, _)| last_segment_is(p, &[trait_name])) =>
        {
            Some(i)
        }
        _ => None,
    }
}

fn drop_into_future(file: &mut syn::File, _: &str) {
    file.items
        .retain(|item| impl_of(item, "IntoFuture").is_none());
}

/// The names of the types that implement `FromApiError`.
fn error_enums(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| impl_of(item, "FromApiError"))
        .map(|i| i.self_ty.to_token_stream().to_string())
        .collect()
}

fn drop_error_enums(file: &mut syn::File, _: &str) {
    let names = error_enums(file);
    file.items.retain(|item| match item {
        syn::Item::Enum(e) => !names.contains(&e.ident.to_string()),
        // The aliases of a shared error enum go with it.
        syn::Item::Type(alias) => !names.contains(&alias.ty.to_token_stream().to_string()),
        other => impl_of(other, "FromApiError").is_none(),
    });
}

/// Each error enum whose variants (docs aside) equal an earlier one's becomes an alias of it.
fn share_error_enums(file: &mut syn::File, _: &str) {
    let names = error_enums(file);
    let mut first_of_shape: BTreeMap<String, syn::Ident> = BTreeMap::new();
    let mut aliased = Vec::new();
    for item in &mut file.items {
        let syn::Item::Enum(e) = item else { continue };
        if !names.contains(&e.ident.to_string()) {
            continue;
        }
        let key: String = e
            .variants
            .iter()
            .map(|v| format!("{} {};", v.ident, v.fields.to_token_stream()))
            .collect();
        match first_of_shape.get(&key) {
            Some(first) => {
                let ident = &e.ident;
                aliased.push(ident.to_string());
                let doc = format!("The same answers as [`{first}`].");
                *item = syn::parse_quote!(#[doc = #doc] pub type #ident = #first;);
            }
            None => {
                first_of_shape.insert(key, e.ident.clone());
            }
        }
    }
    file.items
        .retain(|item| match impl_of(item, "FromApiError") {
            Some(i) => !aliased.contains(&i.self_ty.to_token_stream().to_string()),
            None => true,
        });
}

/// The shape of a struct or enum, docs and name aside: what makes two of them the same type.
fn shape_of(item: &syn::Item) -> Option<(String, String)> {
    let plain = |attrs: &[syn::Attribute]| -> String {
        attrs
            .iter()
            .filter(|a| !is_doc(a))
            .map(|a| a.to_token_stream().to_string())
            .collect()
    };
    match item {
        syn::Item::Struct(s) if s.generics.params.is_empty() => {
            let fields: String = s
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{} {} {};",
                        plain(&f.attrs),
                        f.ident.to_token_stream(),
                        f.ty.to_token_stream()
                    )
                })
                .collect();
            Some((
                s.ident.to_string(),
                format!("struct {} {fields}", plain(&s.attrs)),
            ))
        }
        syn::Item::Enum(e) if e.generics.params.is_empty() => {
            let variants: String = e
                .variants
                .iter()
                .map(|v| {
                    format!(
                        "{} {} {};",
                        plain(&v.attrs),
                        v.ident,
                        v.fields.to_token_stream()
                    )
                })
                .collect();
            Some((
                e.ident.to_string(),
                format!("enum {} {variants}", plain(&e.attrs)),
            ))
        }
        _ => None,
    }
}

/// The impls of a type named `name`, with the type's name in them made `Self`: two types
/// whose impls differ only by their own name have the same impls.
fn impls_of(file: &syn::File, name: &str) -> String {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if i.self_ty.to_token_stream().to_string() == name => {
                let mut copy = i.to_token_stream().to_string();
                copy = copy.replace(&format!(" {name} "), " Self ");
                Some(copy)
            }
            _ => None,
        })
        .collect()
}

/// Each type of the types module identical to an earlier one (fields or variants, their
/// attributes and types, and its impls, names and docs aside) becomes an alias of it; its
/// own impls go. Repeated until nothing changes, since aliasing makes more types identical.
fn dedup_identical_types(file: &mut syn::File, path: &str) {
    if path != "src/types.rs" {
        return;
    }
    loop {
        let mut first_of_shape: BTreeMap<String, String> = BTreeMap::new();
        let mut renames: BTreeMap<String, String> = BTreeMap::new();
        for item in &file.items {
            let Some((name, shape)) = shape_of(item) else {
                continue;
            };
            let key = format!("{shape} {}", impls_of(file, &name));
            match first_of_shape.get(&key) {
                Some(first) => {
                    renames.insert(name, first.clone());
                }
                None => {
                    first_of_shape.insert(key, name);
                }
            }
        }
        if renames.is_empty() {
            return;
        }
        file.items.retain(|item| match item {
            syn::Item::Impl(i) => !renames.contains_key(&i.self_ty.to_token_stream().to_string()),
            _ => true,
        });
        for item in &mut file.items {
            if let Some((name, _)) = shape_of(item) {
                if let Some(first) = renames.get(&name) {
                    let (ident, target) = (
                        syn::Ident::new(&name, proc_macro2::Span::call_site()),
                        syn::Ident::new(first, proc_macro2::Span::call_site()),
                    );
                    let doc = format!("The same type as [`{first}`].");
                    *item = syn::parse_quote!(#[doc = #doc] pub type #ident = #target;);
                }
            }
        }
    }
}

fn combined(file: &mut syn::File, path: &str) {
    share_error_enums(file, path);
    dedup_identical_types(file, path);
    drop_into_future(file, path);
    drop_comparison_derives(file, path);
    drop_builder_derives(file, path);
}

fn drop_paging(file: &mut syn::File, _: &str) {
    for item in &mut file.items {
        if let syn::Item::Impl(imp) = item {
            imp.items.retain(|i| !matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "pages" || f.sig.ident == "into_stream"));
        }
    }
}

/// Types with an inherent `as_str`: the open enums.
fn open_enums(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i)
                if i.trait_.is_none()
                    && i.items
                        .iter()
                        .any(|f| matches!(f, syn::ImplItem::Fn(f) if f.sig.ident == "as_str")) =>
            {
                Some(i.self_ty.to_token_stream().to_string())
            }
            _ => None,
        })
        .collect()
}

fn drop_open_enum_extras(file: &mut syn::File, _: &str) {
    let open = open_enums(file);
    file.items.retain(|item| {
        let extra = ["Display", "FromStr"].iter().find_map(|t| impl_of(item, t));
        !extra.is_some_and(|i| open.contains(&i.self_ty.to_token_stream().to_string()))
    });
}

/// Inherent impls of the types module other than the open enums' `as_str`.
fn drop_constructors(file: &mut syn::File, path: &str) {
    if path != "src/types.rs" {
        return;
    }
    let open = open_enums(file);
    file.items.retain(|item| match item {
        syn::Item::Impl(i) if i.trait_.is_none() => {
            open.contains(&i.self_ty.to_token_stream().to_string())
        }
        _ => true,
    });
}

fn render(
    ctx: &Context,
    baseline: &str,
    lines: &BTreeMap<String, usize>,
    timings: &Timings,
    ir: &BTreeMap<String, u64>,
) -> String {
    let runs = ctx.args.runs_or(3);
    let mut text = format!(
        "Variants of our nexus crate (`{}`), each without one generated feature, compiled as in \
         the table above ({runs} runs each, interleaved with the unchanged crate). \"Saves\" is \
         the unchanged crate's median minus the variant's, in seconds and as a share of the \
         unchanged crate's; CPU time (user + system), which the load disturbs less than wall \
         time. `runtime-only` is the copied runtime alone: the floor no generated shape can \
         remove.\n\n\
         The LLVM IR column (`cargo llvm-lines`, lines of IR the dev build generates) does not \
         depend on the load at all: the steady measure of what a variant saves in code \
         generation, which is most of the difference between build and check.\n\n\
         | variant | removes | lines | check CPU | saves | build CPU | saves | LLVM IR | saves | check wall | build wall |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        compile::NEXUS
    );
    let base_check = timings.cpu(baseline, Mode::Check);
    let base_build = timings.cpu(baseline, Mode::Build);
    let cell = |s: Option<Summary>| s.map_or("n/a".to_owned(), |s| s.show(1));
    let base_ir = ir.get(baseline).copied();
    let ir_cells = |name: &str| -> (String, String) {
        match (ir.get(name).copied(), base_ir) {
            (Some(v), Some(b)) if b > 0 => (
                v.to_string(),
                format!(
                    "{} ({:.0}%)",
                    b as i64 - v as i64,
                    100.0 * (b as f64 - v as f64) / b as f64
                ),
            ),
            (Some(v), _) => (v.to_string(), String::new()),
            _ => ("n/a".to_owned(), "n/a".to_owned()),
        }
    };
    text.push_str(&format!(
        "| unchanged | | {} | {} | | {} | | {} | | {} | {} |\n",
        lines.get(baseline).copied().unwrap_or(0),
        cell(base_check),
        cell(base_build),
        ir_cells(baseline).0,
        cell(timings.wall(baseline, Mode::Check)),
        cell(timings.wall(baseline, Mode::Build)),
    ));
    let (p_ir, p_saves) = ir_cells(PROGENITOR);
    text.push_str(&format!(
        "| progenitor's (`{PROGENITOR}`) | | {} | {} | {} | {} | {} | {p_ir} | {p_saves} | {} | {} |\n",
        lines.get(PROGENITOR).copied().unwrap_or(0),
        cell(timings.cpu(PROGENITOR, Mode::Check)),
        saving(base_check, timings.cpu(PROGENITOR, Mode::Check)),
        cell(timings.cpu(PROGENITOR, Mode::Build)),
        saving(base_build, timings.cpu(PROGENITOR, Mode::Build)),
        cell(timings.wall(PROGENITOR, Mode::Check)),
        cell(timings.wall(PROGENITOR, Mode::Build)),
    ));
    for variant in VARIANTS {
        let name = format!("{baseline}-{}", variant.name);
        let check = timings.cpu(&name, Mode::Check);
        let build = timings.cpu(&name, Mode::Build);
        let (v_ir, v_saves) = ir_cells(&name);
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {v_ir} | {v_saves} | {} | {} |\n",
            variant.name,
            variant.removes,
            lines.get(&name).copied().unwrap_or(0),
            cell(check),
            saving(base_check, check),
            cell(build),
            saving(base_build, build),
            cell(timings.wall(&name, Mode::Check)),
            cell(timings.wall(&name, Mode::Build)),
        ));
    }
    let combined = format!("{baseline}-combined");
    text.push_str(&format!(
        "\n`combined` ÷ progenitor's, CPU: check {}, build {} (target ≤ 0.70×); the unchanged \
         crate ÷ progenitor's: check {}, build {}.\n",
        measure::ratio(
            timings.cpu(&combined, Mode::Check),
            timings.cpu(PROGENITOR, Mode::Check)
        ),
        measure::ratio(
            timings.cpu(&combined, Mode::Build),
            timings.cpu(PROGENITOR, Mode::Build)
        ),
        measure::ratio(base_check, timings.cpu(PROGENITOR, Mode::Check)),
        measure::ratio(base_build, timings.cpu(PROGENITOR, Mode::Build)),
    ));
    text
}

/// `2.1 s (15%)`: how much less the variant took than the unchanged crate.
fn saving(base: Option<Summary>, variant: Option<Summary>) -> String {
    match (base, variant) {
        (Some(b), Some(v)) if b.median > 0.0 => {
            let saved = b.median - v.median;
            format!("{saved:.1} s ({:.0}%)", 100.0 * saved / b.median)
        }
        _ => "n/a".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transformed(f: fn(&mut syn::File, &str), path: &str, text: &str) -> String {
        let mut file = syn::parse_file(text).expect("parses");
        f(&mut file, path);
        file.to_token_stream().to_string()
    }

    #[test]
    fn llvm_lines_rows_parse() {
        let text = "  Lines            Copies         Function name\n  -----            ------         -------------\n  \
                    1000               50                (TOTAL)\n   400 (40.0%, 40.0%)  10 (20.0%, 20.0%)  \
                    core::ptr::drop_in_place<T>\n";
        let rows = parse_llvm_lines(text);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(
            rows[0],
            IrRow {
                lines: 1000,
                copies: 50,
                name: "(TOTAL)".into()
            }
        );
        assert_eq!(
            rows[1],
            IrRow {
                lines: 400,
                copies: 10,
                name: "core::ptr::drop_in_place<T>".into()
            }
        );
    }

    #[test]
    fn identical_error_enums_become_aliases_of_the_first() {
        let text = "
            /// A
            pub enum AError { /// x
                Status404(crate::types::E) }
            impl crate::FromApiError for AError { }
            /// B
            pub enum BError { /// y
                Status404(crate::types::E) }
            impl crate::FromApiError for BError { }
            pub enum CError { Status500(crate::types::E) }
            impl crate::FromApiError for CError { }";
        let out = transformed(share_error_enums, "src/requests.rs", text);
        assert!(out.contains("pub type BError = AError ;"), "{out}");
        assert!(out.contains("The same answers as [`AError`]."), "{out}");
        assert!(!out.contains("for BError"), "{out}");
        assert!(out.contains("pub enum CError"), "{out}");
    }

    #[test]
    fn identical_types_become_aliases_and_lose_their_impls() {
        let text = "
            /// A
            #[derive(Debug)]
            pub struct A { /// x
                pub x: i64 }
            impl A { pub fn new(x: i64) -> Self { Self { x } } }
            /// B
            #[derive(Debug)]
            pub struct B { /// y
                pub x: i64 }
            impl B { pub fn new(x: i64) -> Self { Self { x } } }
            #[derive(Debug)]
            pub struct C { pub x: i64, pub y: i64 }";
        let out = transformed(dedup_identical_types, "src/types.rs", text);
        assert!(out.contains("pub type B = A ;"), "{out}");
        assert!(out.contains("The same type as [`A`]."), "{out}");
        assert!(!out.contains("impl B"), "{out}");
        assert!(out.contains("impl A"), "{out}");
        assert!(out.contains("pub struct C"), "{out}");
    }

    #[test]
    fn derives_and_docs_are_removed() {
        let text = "#![deny(missing_docs, unsafe_code)]
            /// Doc
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub struct S { /// f
                pub f: i64 }";
        let docs = transformed(strip_docs, "src/types.rs", text);
        assert!(!docs.contains("doc"), "{docs}");
        assert!(docs.contains("deny (unsafe_code)"), "{docs}");
        let cmp = transformed(drop_comparison_derives, "src/types.rs", text);
        assert!(cmp.contains("derive (Debug , Clone)"), "{cmp}");
    }

    #[test]
    fn every_variant_of_a_small_crate_parses_and_renames_its_package() {
        let root = crate::codegen::workspace_root();
        let spec = root.join("tests/fixtures/seed-cancel-promotion.yaml");
        let text = apigen_cli::read(&spec).expect("seed spec");
        let mut settings = apigen::Settings::default();
        settings.package.name = Some("seed".into());
        let options = apigen::Options {
            settings,
            spec_label: "seed".into(),
            command: "test".into(),
            manifest: apigen::ManifestMode::WorkspaceMember,
            examples: Vec::new(),
        };
        let generated = apigen::generate(&text, &options).expect("generates");
        for variant in VARIANTS {
            let files = make_variant(variant, &generated.files, "seed", "seed-v").expect("variant");
            let manifest = files
                .iter()
                .find(|f| f.path == "Cargo.toml")
                .expect("manifest");
            assert!(
                manifest.contents.contains("name = \"seed-v\""),
                "{}",
                variant.name
            );
            for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
                assert!(
                    syn::parse_file(&file.contents).is_ok(),
                    "{} {}",
                    variant.name,
                    file.path
                );
            }
        }
    }
}
