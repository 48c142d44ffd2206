//! OpenAPI 3.0/3.1 to Rust client generator.
//!
//! The pipeline, top to bottom, is [`generate`]:
//! [`load`] (text → JSON tree) → [`bundle`] (other files' `$ref`s → one document) →
//! [`normalize`] (3.1 shapes → 3.0 shapes) → [`shape::to_openapi`] (tree → `openapiv3`) →
//! [`lower`] (→ [`model`]) → emit (→ tokens) → format (→ text). The generator does no I/O:
//! callers pass text in and get files out; for a spec split over several files they pass a
//! [`ReadFile`] too ([`generate_with_files`]). [`profile`] runs the same stages and reports
//! each one as it ends, for benchmarks.

pub mod bundle;
pub mod diagnostics;
pub mod diff;
mod emit;
mod format;
mod grammar;
pub mod load;
pub mod locate;
pub mod lower;
mod media;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod profile;
pub mod resolve;
pub mod settings;
pub mod shape;
pub mod stability;
pub mod summary;

use std::fmt;

pub use diagnostics::{Diagnostic, Severity};
pub use emit::ManifestMode;
pub use settings::Settings;

/// What to generate and how to label it.
#[derive(Debug, Clone)]
pub struct Options {
    /// Settings from `codegen.toml`.
    pub settings: Settings,
    /// Where the spec came from, for the `@generated` header (e.g. `spec/openapi.yaml`).
    pub spec_label: String,
    /// The command that regenerates the output, for the header.
    pub command: String,
    /// Standalone crate or workspace member.
    pub manifest: ManifestMode,
    /// Hand-written example programs (file name, text), copied into `examples/`; they get
    /// `tokio` as a dev-dependency to run on.
    pub examples: Vec<File>,
}

/// A generated file: its path relative to the crate root, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path relative to the crate root, with `/` separators (`src/types.rs`).
    pub path: String,
    /// Contents, starting with the `@generated` header line.
    pub contents: String,
}

/// A successful run: the crate's files (with `api.json`, the [`summary`] of its API) and
/// what had to be left out.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The crate name used.
    pub crate_name: String,
    /// Every file of the crate, sorted by path.
    pub files: Vec<File>,
    /// Warnings: things in the spec that the output does not carry.
    pub warnings: Vec<Diagnostic>,
    /// The lowered model, for reports and comparisons.
    pub api: model::Api,
}

/// Why a run failed.
#[derive(Debug, Clone)]
pub enum Error {
    /// The text is not JSON or YAML.
    Syntax(load::SyntaxError),
    /// The document cannot be generated from; every problem found is listed.
    Invalid(Vec<Diagnostic>),
    /// A bug in the generator: it produced code that does not parse.
    Internal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax(err) => write!(f, "{err}"),
            Error::Invalid(diags) => {
                let errors = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                write!(f, "the spec cannot be generated from ({errors} error(s)):")?;
                diags.iter().try_for_each(|d| write!(f, "\n  {d}"))
            }
            Error::Internal(msg) => write!(f, "internal generator error: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

/// The Rust spelling of a model type as code outside the generated crate names it, through
/// the crate's name: `::baseten::types::Foo`, `::std::vec::Vec<…>`. For tools that generate
/// tests or examples against a generated crate.
pub fn external_type_tokens(
    ty: &model::TypeRef,
    space: &model::TypeSpace,
    krate: &str,
) -> proc_macro2::TokenStream {
    let krate = proc_macro2::Ident::new(&krate.replace('-', "_"), proc_macro2::Span::call_site());
    emit::external_type_tokens(ty, space, &krate)
}

/// Reads the other files of a spec split over several files, for [`generate_with_files`].
///
/// `path` is relative to the root spec's directory, `/`-separated, with `.` and `..`
/// resolved lexically (`schemas/pet.yaml`, `../shared/common.yaml`): the generator has
/// already resolved each `$ref` against the file it is written in. The answer is the file's
/// text, or why it cannot be read (reported with the `$ref` that needs it). Any
/// `Fn(&str) -> Result<String, String> + Sync` is a `ReadFile` (`Sync`: the generator runs on a
/// thread of its own, with a stack deep enough for any spec the parsers accept):
///
/// ```
/// let dir = std::path::PathBuf::from("spec");
/// let read = move |path: &str| {
///     std::fs::read_to_string(dir.join(path)).map_err(|err| err.to_string())
/// };
/// let files = apigen::SpecFiles { root: "openapi.yaml", reader: &read };
/// # let _ = files;
/// ```
pub trait ReadFile: Sync {
    /// The text of the file at `path`, relative to the root spec's directory.
    fn read_file(&self, path: &str) -> Result<String, String>;
}

impl<F> ReadFile for F
where
    F: Fn(&str) -> Result<String, String> + Sync,
{
    fn read_file(&self, path: &str) -> Result<String, String> {
        self(path)
    }
}

/// Where the root spec sits among its files, and how to read the others.
#[derive(Clone, Copy)]
pub struct SpecFiles<'a> {
    /// The root spec's file name in its directory (`openapi.yaml`), so that a `$ref` from
    /// another file back to it (`../openapi.yaml#/components/schemas/Error`) means the root
    /// document itself; `""` if unknown.
    pub root: &'a str,
    /// Reads the other files, by paths relative to the root spec's directory.
    pub reader: &'a dyn ReadFile,
}

impl fmt::Debug for SpecFiles<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpecFiles")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

/// Generates a client crate from spec text (JSON or YAML, OpenAPI 3.0 or 3.1) that is one
/// self-contained document: a `$ref` to another file is an error. See
/// [`generate_with_files`] for a spec split over several files.
pub fn generate(spec: &str, options: &Options) -> Result<Generated, Error> {
    run(spec, None, options, &mut |_| {})
}

/// Generates a client crate from a spec whose `$ref`s may name other files (`schemas/pet.yaml`,
/// `common.yaml#/components/schemas/Error`), read through `files`; see [`bundle`] for how
/// they become one document.
pub fn generate_with_files(
    spec: &str,
    files: &SpecFiles<'_>,
    options: &Options,
) -> Result<Generated, Error> {
    run(spec, Some(files), options, &mut |_| {})
}

/// [`generate_with_files`] (or [`generate`], without `files`) for the spec's bytes as read
/// from a file: bytes that are not UTF-8 are an error at their byte offset.
pub fn generate_bytes(
    spec: &[u8],
    files: Option<&SpecFiles<'_>>,
    options: &Options,
) -> Result<Generated, Error> {
    let text = load::decode(spec).map_err(Error::Syntax)?;
    run(text, files, options, &mut |_| {})
}

/// The stack the pipeline runs on. The parsers and the passes over the tree recurse once per
/// level of nesting, up to the parsers' limits (512 levels of YAML); in a debug build a level
/// of YAML takes about 10 KB of stack, so the 2 MiB of a test or async worker thread would
/// not do. The stack is reserved, not used: only what the spec needs is touched.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs the pipeline on a thread of its own with a stack of [`STACK_BYTES`], whatever the
/// caller's thread has; a panic is passed on to the caller. `observer` hears of each stage
/// as it ends ([`profile`]).
fn run(
    spec: &str,
    files: Option<&SpecFiles<'_>>,
    options: &Options,
    observer: &mut Observer<'_>,
) -> Result<Generated, Error> {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("apigen".to_owned())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || run_here(spec, files, options, observer))
            .map_err(|err| {
                Error::Internal(format!("cannot start the generator's thread: {err}"))
            })?;
        thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// What hears of each stage of a run as it ends.
pub(crate) type Observer<'a> = dyn FnMut(profile::Stage) + Send + 'a;

fn run_here(
    spec: &str,
    files: Option<&SpecFiles<'_>>,
    options: &Options,
    observer: &mut Observer<'_>,
) -> Result<Generated, Error> {
    let mut diags = diagnostics::Diagnostics::default();
    let result = run_stages(spec, files, options, &mut diags, observer);
    result.map_err(|err| match err {
        Error::Invalid(mut all) => {
            locate::annotate(&mut all, spec);
            Error::Invalid(all)
        }
        other => other,
    })
}

/// The pipeline; any diagnostic found is in `diags`, and in the error when the run fails.
fn run_stages(
    spec: &str,
    files: Option<&SpecFiles<'_>>,
    options: &Options,
    diags: &mut diagnostics::Diagnostics,
    observer: &mut Observer<'_>,
) -> Result<Generated, Error> {
    use profile::Stage;
    let mut tree = load::parse(spec).map_err(Error::Syntax)?;
    load::check_version(&tree, diags);
    if diags.has_errors() {
        return Err(Error::Invalid(std::mem::take(diags).into_sorted()));
    }
    observer(Stage::Load);
    bundle::bundle(&mut tree, files, diags);
    // The stages after bundling report a reference bundling could not follow again, at the
    // same place: bundling's error says more, and is the one kept.
    let bundle_errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.pointer.clone())
        .collect();
    resolve::hoist_local_targets(&mut tree, diags);
    let bundled = diags.len();
    observer(Stage::Bundle);
    normalize::normalize(&mut tree, diags);
    observer(Stage::Normalize);
    let Some((doc, set_aside)) = shape::to_openapi(tree, diags) else {
        return Err(Error::Invalid(std::mem::take(diags).into_sorted()));
    };
    observer(Stage::Document);
    let api = lower::lower(&doc, &options.settings, diags);
    // The model holds everything later stages read; the document goes before the token
    // streams, the largest values of a run, are made.
    drop(doc);
    // A reference to a component set aside for its shape was reported with the component.
    diags.retain_from(bundled, |d| {
        let again = bundle_errors.contains(&d.pointer);
        let set_aside = set_aside
            .components
            .iter()
            .any(|at| d.message.contains(&format!("`$ref: {at}`")));
        !again && !set_aside
    });
    if diags.has_errors() {
        return Err(Error::Invalid(std::mem::take(diags).into_sorted()));
    }
    observer(Stage::Lower);
    let files = render_files(&api, options, observer)?;
    Ok(Generated {
        crate_name: api.package.name.clone(),
        files,
        warnings: std::mem::take(diags).into_sorted(),
        api,
    })
}

/// Emits and formats every file of the crate, the examples copied in, sorted by path.
fn render_files(
    api: &model::Api,
    options: &Options,
    observer: &mut Observer<'_>,
) -> Result<Vec<File>, Error> {
    let header = format!(
        "@generated by `{}` from {}. Do not edit: change the spec or `codegen.toml` and regenerate.",
        options.command, options.spec_label
    );
    let mut files = Vec::new();
    let has_examples = !options.examples.is_empty();
    let emitted = emit::emit(api, options.manifest, has_examples);
    observer(profile::Stage::Emit);
    for (path, contents) in emitted {
        let contents = format::render(contents, &header).map_err(Error::Internal)?;
        files.push(File { path, contents });
    }
    files.push(File {
        path: summary::FILE_NAME.to_owned(),
        contents: summary::Summary::of(api).to_json(&header),
    });
    observer(profile::Stage::Format);
    for example in &options.examples {
        files.push(File {
            path: format!("examples/{}", example.path),
            contents: format!("// {header}\n\n{}", example.contents),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
