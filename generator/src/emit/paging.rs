//! Paging: `pages()` and `into_stream()` on the request builder of a paged operation, and
//! what the docs of a paged or time-windowed operation say about it.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{TypePath, ident, type_tokens};
use crate::model::{
    FieldPath, NextToken, Pagination, Paging, PagingScheme, Primitive, TimeWindow, TypeRef,
    TypeSpace,
};

/// `pages()` and `into_stream()` for a paged operation whose answer is `answer`. The page
/// reader is a plain function: the runtime's streams are generic over the item type only.
///
/// ```text
/// pub fn pages(self) -> crate::Pages<crate::types::UserV1> {
///     fn read(body: &[u8]) -> Result<crate::runtime::PageParts<crate::types::UserV1>, serde_json::Error> {
///         let page: crate::types::UsersResponseV1 = ::serde_json::from_slice(body)?;
///         let has_more = Some(page.pagination.has_more);
///         let next = page.pagination.cursor.as_ref().cloned();
///         let items = page.items;
///         Ok(crate::runtime::PageParts { items, next, has_more, total: None })
///     }
///     let client = self.client;
///     crate::runtime::Pages::new(client, self.into_request(), crate::runtime::Paging::Token { param: "cursor" }, read)
/// }
/// pub fn into_stream(self) -> crate::Items<crate::types::UserV1> { self.pages().into_items() }
/// ```
pub(crate) fn pages_methods(p: &Pagination, answer: &TypeRef, space: &TypeSpace) -> TokenStream {
    let item = type_tokens(&p.item, space, TypePath::Qualified);
    let answer = type_tokens(answer, space, TypePath::Qualified);
    let read = read_body(p);
    let paging = runtime_paging(&p.scheme);
    let how = how_it_pages(p);
    let pages_doc = format!(
        " Sends this request and the ones after it, {how}, as a stream of pages: each \
         [`Page`](crate::Page) holds its items, what the next request asks for, the \
         metadata of the answer and its headers. It ends after the last page or the first \
         error."
    );
    let stream_doc = format!(
        " Sends this request and the ones after it, {how}, as a stream of the items of \
         every page; it ends after the last item or the first error. See [`Self::pages`] for \
         the pages themselves."
    );
    quote! {
        #[doc = #pages_doc]
        #[inline]
        pub fn pages(self) -> crate::Pages<#item> {
            #[inline]
            fn read(body: &[u8]) -> ::std::result::Result<crate::runtime::PageParts<#item>, ::serde_json::Error> {
                let page: #answer = ::serde_json::from_slice(body)?;
                #read
            }
            let client = self.client;
            crate::runtime::Pages::new(client, self.into_request(), #paging, read)
        }

        #[doc = #stream_doc]
        #[inline]
        pub fn into_stream(self) -> crate::Items<#item> {
            self.pages().into_items()
        }
    }
}

/// The body of the page reader: metadata first (borrowing the page), then the items.
fn read_body(p: &Pagination) -> TokenStream {
    let none = quote!(::std::option::Option::None);
    let has_more =
        p.has_more
            .as_ref()
            .map_or(none.clone(), |path| match access(quote!(page), path) {
                Access::Plain(value) => quote!(::std::option::Option::Some(#value)),
                Access::Optional(value) => quote!(#value.copied()),
            });
    let total = p.total.as_ref().map_or(none.clone(), |path| {
        let convert =
            quote!(::std::convert::TryFrom::try_from(::std::primitive::i128::from(*value)).ok());
        match access(quote!(page), path) {
            Access::Plain(value) => quote!({ let value = &#value; #convert }),
            Access::Optional(value) => quote!(#value.and_then(|value| #convert)),
        }
    });
    let items = items_value(&p.items);
    let next = match &p.scheme {
        PagingScheme::Cursor(token) | PagingScheme::PageToken(token) => Some(&token.next),
        _ => None,
    };
    let items_then_next = match next {
        Some(NextToken::Field(path)) => {
            let next = token_text(access(quote!(page), path), path);
            quote! { let next = #next; let items = #items; }
        }
        Some(NextToken::LastItem(path)) => {
            let next = token_text(
                access_from(Access::Optional(quote!(items.last())), path),
                path,
            );
            quote! { let items = #items; let next = #next; }
        }
        None => quote! { let next = #none; let items = #items; },
    };
    quote! {
        let has_more: ::std::option::Option<bool> = #has_more;
        let total: ::std::option::Option<u64> = #total;
        #items_then_next
        ::std::result::Result::Ok(crate::runtime::PageParts { items, next, has_more, total })
    }
}

/// The items, moved out of the page.
fn items_value(path: &FieldPath) -> TokenStream {
    let Some(step) = path.steps.first() else {
        return quote!(page);
    };
    let field = ident(&step.rust_name);
    match step.options {
        0 => quote!(page.#field),
        1 => quote!(page.#field.unwrap_or_default()),
        _ => quote!(page.#field.flatten().unwrap_or_default()),
    }
}

/// An expression reaching a field: a place (`page.meta.total`) while every field on the
/// way is required, else an `Option<&T>`.
enum Access {
    Plain(TokenStream),
    Optional(TokenStream),
}

fn access(root: TokenStream, path: &FieldPath) -> Access {
    access_from(Access::Plain(root), path)
}

fn access_from(start: Access, path: &FieldPath) -> Access {
    let as_ref = quote!(::std::option::Option::as_ref);
    path.steps.iter().fold(start, |reached, step| {
        let field = ident(&step.rust_name);
        match (reached, step.options) {
            (Access::Plain(value), 0) => Access::Plain(quote!(#value.#field)),
            (Access::Plain(value), 1) => Access::Optional(quote!(#value.#field.as_ref())),
            (Access::Plain(value), _) => {
                Access::Optional(quote!(#value.#field.as_ref().and_then(#as_ref)))
            }
            (Access::Optional(value), 0) => Access::Optional(quote!(#value.map(|v| &v.#field))),
            (Access::Optional(value), 1) => {
                Access::Optional(quote!(#value.and_then(|v| v.#field.as_ref())))
            }
            (Access::Optional(value), _) => {
                Access::Optional(quote!(#value.and_then(|v| v.#field.as_ref()).and_then(#as_ref)))
            }
        }
    })
}

/// A cursor or token as text: a string as it is, an integer in decimal.
fn token_text(reached: Access, path: &FieldPath) -> TokenStream {
    let string = path.leaf == TypeRef::Primitive(Primitive::String);
    match (reached, string) {
        (Access::Plain(value), true) => quote!(::std::option::Option::Some(#value.clone())),
        (Access::Plain(value), false) => quote!(::std::option::Option::Some(#value.to_string())),
        (Access::Optional(value), true) => quote!(#value.cloned()),
        (Access::Optional(value), false) => quote!(#value.map(|v| v.to_string())),
    }
}

fn runtime_paging(scheme: &PagingScheme) -> TokenStream {
    match scheme {
        PagingScheme::Cursor(token) | PagingScheme::PageToken(token) => {
            let param = &token.param;
            quote!(crate::runtime::Paging::Token { param: #param })
        }
        PagingScheme::Offset { param } => quote!(crate::runtime::Paging::Offset { param: #param }),
        PagingScheme::PageNumber { param, first } => {
            quote!(crate::runtime::Paging::Number { param: #param, first: #first })
        }
        PagingScheme::Link => quote!(crate::runtime::Paging::Link),
    }
}

/// How the next page is asked for, in words: "following `pagination.cursor` into `cursor`".
fn how_it_pages(p: &Pagination) -> String {
    match &p.scheme {
        PagingScheme::Cursor(token) | PagingScheme::PageToken(token) => {
            let from = match &token.next {
                NextToken::Field(path) => format!("`{}`", path.wire()),
                NextToken::LastItem(path) => format!("the last item's `{}`", path.wire()),
            };
            format!("passing {from} of each answer as `{}`", token.param)
        }
        PagingScheme::Offset { param } => {
            format!("advancing `{param}` by the number of items received")
        }
        PagingScheme::PageNumber { param, .. } => format!("advancing `{param}` by one"),
        PagingScheme::Link => {
            "following the `Link: <…>; rel=\"next\"` header of each answer".to_owned()
        }
    }
}

/// The paragraph an operation's docs get about its paging, if it pages or is a time window.
pub(crate) fn paging_docs(paging: &Paging) -> Option<String> {
    match paging {
        Paging::None => None,
        Paging::Paged(p) => Some(format!(
            "Paged ({}): `.pages()` and `.into_stream()` on the returned request follow the \
             pages, {}.",
            p.scheme.name(),
            how_it_pages(p)
        )),
        Paging::Window(window) => Some(window_docs(window)),
    }
}

fn window_docs(window: &TimeWindow) -> String {
    let (start, end) = (&window.start, &window.end);
    match &window.limit {
        Some(limit) => format!(
            "A time-window query: the answer holds at most `{limit}` items between `{start}` \
             and `{end}`, and the client does not page through the window. The answer carries \
             no cursor and no flag saying more items follow, so a window cut at `{limit}` \
             cannot be told from a complete one, and asking again from the last item's time \
             would repeat or lose the items that share that time. To read further, call \
             again with a `{start}` (or `{end}`) of your choice and drop the items you have."
        ),
        None => format!(
            "A time-window query: one answer covers the whole window between `{start}` and \
             `{end}`, so there is no next page to follow."
        ),
    }
}
