//! Diagnostics: what the generator reports about a spec, each with the JSON pointer it is about.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The spec cannot be turned into code; generation fails.
    Error,
    /// Generation goes on, but something in the spec was not carried into the output.
    Warning,
}

/// One finding about the spec, located by a JSON pointer (`#/paths/~1v1~1models/get`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Where in the document, as a JSON pointer fragment (`#/components/schemas/Foo`).
    pub pointer: String,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong or what was dropped, in one sentence.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub help: Option<String>,
    /// Where the pointer's value starts in the spec text, when known (see
    /// [`crate::locate`]).
    pub location: Option<Location>,
}

/// A place in the spec text: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
}

impl Diagnostic {
    /// Sets what to do about it.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {} (at {}", self.message, self.pointer)?;
        if let Some(Location { line, column }) = self.location {
            write!(f, ", line {line}, column {column}")?;
        }
        f.write_str(")")?;
        match &self.help {
            Some(help) => write!(f, "; help: {help}"),
            None => Ok(()),
        }
    }
}

/// Every diagnostic of one run, so that all problems are reported at once.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error: generation will fail, but the run goes on to find more. Say what
    /// to do about it with [`Diagnostic::help`] on the answer.
    pub fn error(
        &mut self,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Severity::Error, pointer.into(), message.into())
    }

    /// Records a warning: something in the spec is not carried into the output.
    pub fn warning(
        &mut self,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Severity::Warning, pointer.into(), message.into())
    }

    /// Records a diagnostic made elsewhere.
    pub fn add(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    fn push(&mut self, severity: Severity, pointer: String, message: String) -> &mut Diagnostic {
        self.items.push(Diagnostic {
            pointer,
            severity,
            message,
            help: None,
            location: None,
        });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    /// How many diagnostics were recorded so far.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Keeps the first `start` diagnostics, and of those after them the ones `keep` accepts.
    pub fn retain_from(&mut self, start: usize, mut keep: impl FnMut(&Diagnostic) -> bool) {
        let mut index = 0;
        self.items.retain(|d| {
            index += 1;
            index <= start || keep(d)
        });
    }

    /// True when at least one error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, sorted by pointer so that output is deterministic.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }

    /// The diagnostics recorded so far, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Builds JSON pointers one segment at a time, escaping `~` and `/` (RFC 6901).
///
/// ```
/// # use apigen::diagnostics::pointer;
/// assert_eq!(pointer("#/paths", "/v1/models"), "#/paths/~1v1~1models");
/// ```
pub fn pointer(base: &str, segment: &str) -> String {
    let escaped = segment.replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_per_rfc_6901() {
        let cases = [
            ("#", "paths", "#/paths"),
            ("#/paths", "/v1/{id}", "#/paths/~1v1~1{id}"),
            ("#/x", "a~b", "#/x/a~0b"),
            ("#/x", "~/", "#/x/~0~1"),
        ];
        for (base, seg, want) in cases {
            assert_eq!(pointer(base, seg), want, "{base} + {seg}");
        }
    }

    #[test]
    fn sorted_output_is_ordered_and_deduplicated() {
        let mut d = Diagnostics::default();
        d.warning("#/b", "w");
        d.error("#/a", "e");
        d.warning("#/b", "w");
        let items = d.into_sorted();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].pointer, "#/a");
        assert!(items[0].to_string().starts_with("error: e (at #/a)"));
    }
}
