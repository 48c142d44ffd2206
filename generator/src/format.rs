//! Formatting: token streams into text through `syn` and prettyplease, with the
//! `@generated` header on line 1 of every file.

use crate::emit::FileContents;

/// Text of one generated file, header first.
pub(crate) fn render(contents: FileContents, header: &str) -> Result<String, String> {
    match contents {
        FileContents::Rust(pieces) => {
            // prettyplease ends every top-level item at column 0, so the pieces' texts
            // joined are the text of the whole file formatted at once.
            let mut text = format!("// {header}\n\n");
            for piece in pieces {
                let file = syn::parse2::<syn::File>(piece)
                    .map_err(|err| format!("the generator produced invalid Rust: {err}"))?;
                text.push_str(&prettyplease::unparse(&file));
            }
            Ok(text)
        }
        FileContents::Runtime(text) => Ok(format!(
            "// {header}\n// {}\n\n{text}",
            crate::emit::runtime_note()
        )),
        FileContents::Text(text) => Ok(format!("# {header}\n\n{text}")),
    }
}
