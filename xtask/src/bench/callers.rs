//! Programs that call every operation of a generated crate, so that the compile time of
//! a crate is measured with what its callers compile too.
//!
//! Our request builders are `#[inline]`: an operation's code (building its request, the
//! future decoding its answer) is compiled in the crate that calls it, not in the SDK. A
//! crate-only build of the SDK therefore leaves out what a program pays for each operation
//! it calls. A caller of every operation is the worst case for us and shows the whole cost;
//! progenitor's operations are `async fn`s compiled in its own crate, so its callers add
//! little. Each caller is a library of one `async fn` per operation that calls it with its
//! arguments and awaits it.

use std::path::Path;

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};

use super::compile::Workspace;
use super::measure;

/// Whose generated crate a caller calls: how to find its operations and name its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    /// Ours: the methods of `impl crate::Client` in `src/client.rs` that take `&self`.
    Ours,
    /// progenitor's: the `async fn`s of `impl Client` in `src/lib.rs`.
    Progenitor,
}

/// Writes `<sdk>-caller` into the workspace: one `async fn` per operation of crate `sdk`.
/// Returns the caller's name and the number of operations it calls.
pub fn write(ws: &Workspace, sdk: &str, generator: Generator) -> Result<(String, usize), String> {
    let sdk_dir = ws.crate_dir(sdk);
    let source = match generator {
        Generator::Ours => "src/client.rs",
        Generator::Progenitor => "src/lib.rs",
    };
    let text = apigen_cli::read(&sdk_dir.join(source))?;
    let file = syn::parse_file(&text).map_err(|err| format!("{sdk}/{source}: {err}"))?;
    let krate = Ident::new(&sdk.replace('-', "_"), Span::call_site());
    let calls: Vec<TokenStream> = operations(&file, generator)
        .map(|method| call(method, generator, &krate))
        .collect();
    if calls.is_empty() {
        return Err(format!("{sdk}/{source}: no operations found"));
    }
    let lib = quote! {
        //! Calls every operation of the crate once.
        #![allow(unused, clippy::all)]
        #(#calls)*
    };
    let name = format!("{sdk}-caller");
    let dir = ws.crate_dir(&name);
    let lib_text = format!(
        "// Written by `cargo xtask bench`.\n{}",
        prettyplease::unparse(&syn::parse2(lib).map_err(|err| err.to_string())?)
    );
    measure::write_if_changed(&dir.join("src/lib.rs"), lib_text.as_bytes())?;
    let manifest = manifest(&name, sdk, &sdk_dir.join("Cargo.toml"))?;
    measure::write_if_changed(&dir.join("Cargo.toml"), manifest.as_bytes())?;
    ws.write_manifest()?;
    Ok((name, calls.len()))
}

/// The manifest of a caller: the SDK by path, and the SDK's own dependencies, which the
/// types in its signatures may name (`::chrono::DateTime`).
fn manifest(name: &str, sdk: &str, sdk_manifest: &Path) -> Result<String, String> {
    let text = apigen_cli::read(sdk_manifest)?;
    let dependencies: String = text
        .lines()
        .skip_while(|line| line.trim() != "[dependencies]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    Ok(format!(
        "# Written by `cargo xtask bench`.\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n\
         edition = \"2024\"\npublish = false\n\n[dependencies]\n{sdk} = {{ path = \"../{sdk}\" }}\n\
         {dependencies}"
    ))
}

/// The operations of the crate: public methods taking `&self` of its `Client`.
fn operations(file: &syn::File, generator: Generator) -> impl Iterator<Item = &syn::ImplItemFn> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => {
                Some(block)
            }
            _ => None,
        })
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some(method),
            _ => None,
        })
        .filter(move |method| {
            let public = matches!(method.vis, syn::Visibility::Public(_));
            let by_ref = matches!(
                method.sig.inputs.first(),
                Some(syn::FnArg::Receiver(receiver))
                    if matches!(receiver.kind, syn::ReceiverKind::Reference(..))
            );
            let operation = match generator {
                Generator::Ours => true,
                Generator::Progenitor => method.sig.asyncness.is_some(),
            };
            public && by_ref && operation
        })
}

fn is_client(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "Client"),
        _ => false,
    }
}

/// `pub async fn call_<op><generics>(client: &<'a> sdk::Client, <args>) { let _ = client.<op>(<args>).await; }`
fn call(method: &syn::ImplItemFn, generator: Generator, krate: &Ident) -> TokenStream {
    let sig = &method.sig;
    let name = &sig.ident;
    let wrapper = format_ident!("call_{}", name);
    let generics = &sig.generics;
    let lifetime = match sig.inputs.first() {
        Some(syn::FnArg::Receiver(syn::Receiver {
            kind: syn::ReceiverKind::Reference(_, lifetime, _),
            ..
        })) => lifetime.clone(),
        _ => None,
    };
    let mut params = Vec::new();
    let mut args = Vec::new();
    for input in sig.inputs.iter().skip(1) {
        if let syn::FnArg::Typed(typed) = input {
            let pat = &typed.pat;
            let ty = qualify(typed.ty.to_token_stream(), generator, krate);
            params.push(quote!(#pat: #ty));
            args.push(pat.to_token_stream());
        }
    }
    quote! {
        pub async fn #wrapper #generics (client: & #lifetime #krate::Client, #(#params),*) {
            let _ = client.#name(#(#args),*).await;
        }
    }
}

/// A type of the SDK's signature as the caller names it: `crate::types::X` (ours) or
/// `types::X` (progenitor's) becomes `sdk::types::X`.
fn qualify(tokens: TokenStream, generator: Generator, krate: &Ident) -> TokenStream {
    let mut out = Vec::new();
    let mut after_colons = false;
    for tree in tokens {
        let next_after_colons = matches!(&tree, TokenTree::Punct(p) if p.as_char() == ':');
        match tree {
            TokenTree::Group(group) => {
                let inner = qualify(group.stream(), generator, krate);
                let mut rebuilt = Group::new(group.delimiter(), inner);
                rebuilt.set_span(group.span());
                out.push(TokenTree::Group(rebuilt));
            }
            TokenTree::Ident(ident) if generator == Generator::Ours && ident == "crate" => {
                out.push(TokenTree::Ident(krate.clone()));
            }
            TokenTree::Ident(ident)
                if generator == Generator::Progenitor && ident == "types" && !after_colons =>
            {
                out.extend(quote!(#krate::));
                out.push(TokenTree::Ident(ident));
            }
            other => out.push(other),
        }
        after_colons = next_after_colons;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Token text without spaces, which `>>` and `> >` differ by.
    fn text(tokens: TokenStream) -> String {
        tokens.to_string().replace(' ', "")
    }

    fn calls(source: &str, generator: Generator) -> Vec<String> {
        let file = syn::parse_file(source).expect("parses");
        let krate = Ident::new("sdk", Span::call_site());
        operations(&file, generator)
            .map(|method| text(call(method, generator, &krate)))
            .collect()
    }

    #[test]
    fn our_operations_are_called_with_their_arguments_and_awaited() {
        let source = r#"
            impl crate::Client {
                pub fn new(key: &str) -> Self {}
                pub fn get_pet(&self, pet_id: impl Into<String>, kind: crate::types::Kind) -> crate::requests::GetPet<'_> {}
            }
        "#;
        assert_eq!(
            calls(source, Generator::Ours),
            [text(quote! {
                pub async fn call_get_pet(client: &sdk::Client, pet_id: impl Into<String>, kind: sdk::types::Kind) {
                    let _ = client.get_pet(pet_id, kind).await;
                }
            })]
        );
    }

    #[test]
    fn progenitors_async_operations_are_called_and_its_types_qualified() {
        let source = r#"
            impl Client {
                pub fn baseurl(&self) -> &String {}
                pub async fn disk_view<'a>(&'a self, name: &'a types::Name, at: Option<&'a ::chrono::DateTime<::chrono::Utc>>) -> Result<(), ()> {}
                pub fn disk_list_stream<'a>(&'a self) -> impl Stream {}
            }
        "#;
        assert_eq!(
            calls(source, Generator::Progenitor),
            [text(quote! {
                pub async fn call_disk_view<'a>(client: &'a sdk::Client, name: &'a sdk::types::Name, at: Option<&'a ::chrono::DateTime<::chrono::Utc>>) {
                    let _ = client.disk_view(name, at).await;
                }
            })]
        );
    }
}
