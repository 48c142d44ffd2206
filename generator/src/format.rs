//! Formatting: token streams into text through `syn` and prettyplease, with the
//! `@generated` header on line 1 of every file.

use crate::emit::FileContents;

/// Text of one generated file, header first.
pub(crate) fn render(contents: FileContents, header: &str) -> Result<String, String> {
    match contents {
        FileContents::Rust(tokens) => {
            let file = syn::parse2::<syn::File>(tokens)
                .map_err(|err| format!("the generator produced invalid Rust: {err}"))?;
            Ok(format!("// {header}\n\n{}", prettyplease::unparse(&file)))
        }
        FileContents::Runtime(text) => Ok(format!(
            "// {header}\n// {}\n\n{text}",
            crate::emit::runtime_note()
        )),
        FileContents::Text(text) => Ok(format!("# {header}\n\n{text}")),
    }
}
