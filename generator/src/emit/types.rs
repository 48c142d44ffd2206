//! The `types` module: one Rust item per named type of the model.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs::{deprecated_attr, doc_attrs_or, text_attrs};
use crate::model::{
    Access, Enum, Field, Primitive, Struct, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace, Union,
};
use crate::naming::Scope;
use crate::stability::{self, ALL_SERDE_FEATURE, SerdeWays, StructShape, Usage};

use std::collections::BTreeMap;

/// How a type is spelled from the module that uses it.
#[derive(Clone, Copy)]
pub(crate) enum TypePath<'a> {
    /// Inside the `types` module: `Foo`.
    Local,
    /// Elsewhere in the crate: `crate::types::Foo`.
    Qualified,
    /// From another crate, through the generated crate's name: `::baseten::types::Foo`.
    External(&'a Ident),
}

/// An identifier from a name the naming module produced (possibly `r#`-prefixed).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust spelling of a type reference; std paths are fully qualified so that a schema
/// called `String` or `Option` cannot shadow them.
pub(crate) fn type_tokens(ty: &TypeRef, space: &TypeSpace, path: TypePath<'_>) -> TokenStream {
    match ty {
        TypeRef::Primitive(p) => primitive_tokens(*p),
        TypeRef::Named(id) => {
            let name = ident(&space.get(*id).rust_name);
            match path {
                TypePath::Local => quote!(#name),
                TypePath::Qualified => quote!(crate::types::#name),
                TypePath::External(krate) => quote!(::#krate::types::#name),
            }
        }
        TypeRef::Array(item) => {
            let item = type_tokens(item, space, path);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, space, path);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, space, path);
            quote!(::std::option::Option<#inner>)
        }
    }
}

fn primitive_tokens(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(::std::string::String),
        Primitive::Bool => quote!(bool),
        Primitive::I8 => quote!(i8),
        Primitive::I16 => quote!(i16),
        Primitive::I32 => quote!(i32),
        Primitive::U8 => quote!(u8),
        Primitive::U16 => quote!(u16),
        Primitive::U32 => quote!(u32),
        Primitive::U64 => quote!(u64),
        Primitive::I64 => quote!(i64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::Json => quote!(::serde_json::Value),
        Primitive::Bytes => quote!(::std::vec::Vec<u8>),
        Primitive::Timestamp => quote!(::jiff::Timestamp),
        Primitive::Date => quote!(::jiff::civil::Date),
    }
}

/// The whole `types` module body, items sorted by Rust name; `usage` says which way each
/// type travels, which decides its shape ([`crate::stability`]).
pub(crate) fn types_module(space: &TypeSpace, usage: BTreeMap<TypeId, Usage>) -> super::Pieces<'_> {
    let mut defs: Vec<(&TypeId, &TypeDef)> = space.types.iter().collect();
    defs.sort_by(|a, b| a.1.rust_name.cmp(&b.1.rust_name));
    let ways = stability::serde_ways(space, &usage);
    let items = defs.into_iter().map(move |(id, def)| {
        let usage = usage.get(id).copied().unwrap_or(Usage::Unused);
        let ways = ways.get(id).copied().unwrap_or(SerdeWays::BOTH);
        type_item(*id, def, space, (usage, ways))
    });
    let head = quote! {
        #![doc = " Types of the API's schemas, one per named schema and per inline object or enum."]
    };
    Box::new(std::iter::once(head).chain(items))
}

fn type_item(
    id: TypeId,
    def: &TypeDef,
    space: &TypeSpace,
    (usage, ways): (Usage, SerdeWays),
) -> TokenStream {
    let fallback = format!("The `{}` schema.", def.wire_name);
    let docs = doc_attrs_or(&def.docs, &fallback);
    let deprecated = deprecated_attr(def.docs.deprecated);
    let docs = quote!(#docs #deprecated);
    let name = ident(&def.rust_name);
    let open = non_exhaustive_attr(stability::enum_non_exhaustive(&def.kind));
    match &def.kind {
        TypeKind::Struct(s) => {
            let shape = stability::struct_shape(usage, s);
            let item = struct_item(id, &name, docs, s, space, (&shape, ways));
            let methods = struct_methods(id, &name, s, space, &shape);
            quote!(#item #methods)
        }
        TypeKind::Enum(e) if e.open => enum_item(&name, docs, open, e),
        TypeKind::Enum(e) => closed_enum_item(&name, docs, e),
        TypeKind::Union(u) => union_item(id, &name, (docs, open, ways), u, space),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, space, TypePath::Local);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

/// The serde attributes of a struct or union, by the traits it has ([`SerdeWays`]).
trait SerdeTokens: Copy {
    /// The serde derives it always has.
    fn derives(self) -> TokenStream;
    /// `#[cfg_attr(feature = "all-serde", derive(…))]` for the one it has only with the feature.
    fn other_way_derive(self) -> TokenStream;
    /// `#[cfg(feature = "all-serde")]` on a hand-written `Serialize` it has only with the feature.
    fn serialize_cfg(self) -> TokenStream;
    /// The same for `Deserialize`.
    fn deserialize_cfg(self) -> TokenStream;
}

impl SerdeTokens for SerdeWays {
    fn derives(self) -> TokenStream {
        match (self.serialize, self.deserialize) {
            (true, false) => quote!(::serde::Serialize),
            (false, true) => quote!(::serde::Deserialize),
            _ => quote!(::serde::Serialize, ::serde::Deserialize),
        }
    }

    fn other_way_derive(self) -> TokenStream {
        let feature = ALL_SERDE_FEATURE;
        match (self.serialize, self.deserialize) {
            (true, false) => quote!(#[cfg_attr(feature = #feature, derive(::serde::Deserialize))]),
            (false, true) => quote!(#[cfg_attr(feature = #feature, derive(::serde::Serialize))]),
            _ => TokenStream::new(),
        }
    }

    fn serialize_cfg(self) -> TokenStream {
        let feature = ALL_SERDE_FEATURE;
        match self.serialize {
            true => TokenStream::new(),
            false => quote!(#[cfg(feature = #feature)]),
        }
    }

    fn deserialize_cfg(self) -> TokenStream {
        let feature = ALL_SERDE_FEATURE;
        match self.deserialize {
            true => TokenStream::new(),
            false => quote!(#[cfg(feature = #feature)]),
        }
    }
}

/// `#[non_exhaustive]`, when the shape decided on says so.
pub(crate) fn non_exhaustive_attr(non_exhaustive: bool) -> TokenStream {
    if non_exhaustive {
        quote!(#[non_exhaustive])
    } else {
        TokenStream::new()
    }
}

/// A struct with serde derives, in its [shape](stability::struct_shape): `#[non_exhaustive]` when
/// only the server sends it, `Default` when callers build it and every field is optional;
/// `Serialize` and `Deserialize` by the way it travels ([`SerdeWays`]).
///
/// ```text
/// #[non_exhaustive]
/// #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
/// pub struct CancelPromotionResponseV1 {
///     pub message: ::std::string::String,
///     pub status: CancelPromotionStatusV1,
/// }
/// ```
fn struct_item(
    id: TypeId,
    name: &Ident,
    docs: TokenStream,
    s: &Struct,
    space: &TypeSpace,
    (shape, serde): (&StructShape, SerdeWays),
) -> TokenStream {
    let mut scope = Scope::with_reserved(&[]);
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|field| {
            scope.claim(&field.rust_name);
            field_tokens(id, field, space)
        })
        .collect();
    let additional = s.additional.as_ref().map(|ty| {
        let field = ident(&scope.claim("additional_properties"));
        let ty = type_tokens(ty, space, TypePath::Local);
        quote! {
            /// Properties not listed in the schema, by name.
            #[serde(flatten)]
            pub #field: ::std::collections::BTreeMap<::std::string::String, #ty>,
        }
    });
    let default = shape.default.then(|| quote!(Default,));
    let open = non_exhaustive_attr(shape.non_exhaustive);
    let (derives, other_way) = (serde.derives(), serde.other_way_derive());
    quote! {
        #docs
        #open
        #[derive(Debug, Clone, #default PartialEq, #derives)]
        #other_way
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

/// The field that holds the properties a struct does not list, when it has one.
fn additional_field(s: &Struct) -> Option<Ident> {
    s.additional.as_ref()?;
    let mut scope = Scope::with_reserved(&[]);
    for field in &s.fields {
        scope.claim(&field.rust_name);
    }
    Some(ident(&scope.claim("additional_properties")))
}

/// For a type callers build: `new` taking the required fields (when there are any), and a
/// setter per optional field (two for a nullable one: the value, and `null`).
///
/// ```text
/// impl UpdateAutoscalingSettingsV1 {
///     pub fn min_replica(mut self, value: i64) -> Self { self.min_replica = Some(Some(value)); self }
///     pub fn min_replica_null(mut self) -> Self { self.min_replica = Some(None); self }
/// }
/// ```
fn struct_methods(
    owner: TypeId,
    name: &Ident,
    s: &Struct,
    space: &TypeSpace,
    shape: &StructShape,
) -> TokenStream {
    let mut scope = Scope::with_reserved(&["new"]);
    let constructor = shape.constructor.then(|| constructor(owner, s, space));
    let setters: Vec<TokenStream> = match shape.setters {
        true => s
            .fields
            .iter()
            .filter(|f| stability::has_setter(f))
            .map(|f| setters(owner, f, space, &mut scope))
            .collect(),
        false => Vec::new(),
    };
    if constructor.is_none() && setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

/// `pub fn new(name: impl Into<String>, kind: Kind) -> Self`: the required fields in
/// document order, every other field left out.
fn constructor(owner: TypeId, s: &Struct, space: &TypeSpace) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let arg = ident(&f.rust_name);
        let ty = argument_type(f, space);
        quote!(#arg: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        match f.required {
            true if !takes_into(&f.ty, space) && !reaches(&f.ty, owner, space) => quote!(#field),
            true => {
                let value = argument_value(f, owner, space, quote!(#field));
                quote!(#field: #value)
            }
            false => quote!(#field: ::std::option::Option::None),
        }
    });
    let additional = additional_field(s).map(|f| quote!(#f: ::std::default::Default::default(),));
    let list: Vec<String> = required
        .iter()
        .map(|f| format!("`{}`", f.rust_name.trim_start_matches("r#")))
        .collect();
    let doc = text_attrs(&format!(
        "A value with its required fields ({}), every optional one left out.",
        list.join(", ")
    ));
    // Clippy's limit is seven arguments.
    let many = (required.len() > 7).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required field of the schema")])
    });
    quote! {
        #doc
        #many
        #[inline]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits,)* #additional }
        }
    }
}

/// The setters of one optional field: `field(value)`, and `field_null()` when it may be
/// `null`.
fn setters(owner: TypeId, f: &Field, space: &TypeSpace, scope: &mut Scope) -> TokenStream {
    let field = ident(&f.rust_name);
    let bare = f.rust_name.trim_start_matches("r#");
    let setter = ident(&scope.claim(&f.rust_name));
    let deprecated = deprecated_attr(f.docs.deprecated);
    let nullable = matches!(f.ty, TypeRef::Nullable(_));
    let value_field = Field {
        ty: match &f.ty {
            TypeRef::Nullable(inner) => (**inner).clone(),
            other => other.clone(),
        },
        ..f.clone()
    };
    let ty = argument_type(&value_field, space);
    let value = argument_value(&value_field, owner, space, quote!(value));
    let (set, doc) = match nullable {
        true => (
            quote!(::std::option::Option::Some(::std::option::Option::Some(#value))),
            format!("Sends `{bare}` with this value."),
        ),
        false => (
            quote!(::std::option::Option::Some(#value)),
            format!("Sends `{bare}` with this value."),
        ),
    };
    let doc = text_attrs(&doc);
    let null = nullable.then(|| {
        let null_setter = ident(&scope.claim(&format!("{bare}_null")));
        let doc = text_attrs(&format!(
            "Sends `{bare}` as `null` (in an update, this clears it)."
        ));
        quote! {
            #doc
            #deprecated
            #[must_use]
            #[inline]
            pub fn #null_setter(mut self) -> Self {
                self.#field = ::std::option::Option::Some(::std::option::Option::None);
                self
            }
        }
    });
    quote! {
        #doc
        #deprecated
        #[must_use]
        #[inline]
        pub fn #setter(mut self, value: #ty) -> Self {
            self.#field = #set;
            self
        }
        #null
    }
}

/// How a constructor or setter takes a field's value: `impl Into<String>` for text, JSON
/// and open enums (which convert from `&str`), the field's own type otherwise (so that
/// number literals infer), without the `Box` a recursive field holds.
fn argument_type(f: &Field, space: &TypeSpace) -> TokenStream {
    let ty = type_tokens(&f.ty, space, TypePath::Local);
    if takes_into(&f.ty, space) {
        quote!(impl ::std::convert::Into<#ty>)
    } else {
        ty
    }
}

/// The field's value from an argument `arg` of [`argument_type`].
fn argument_value(f: &Field, owner: TypeId, space: &TypeSpace, arg: TokenStream) -> TokenStream {
    let value = match takes_into(&f.ty, space) {
        true => quote!(#arg.into()),
        false => arg,
    };
    if !reaches(&f.ty, owner, space) {
        return value;
    }
    match &f.ty {
        // `Option<Box<T>>` for a nullable `T`: see [`boxed`].
        TypeRef::Nullable(_) => quote!(#value.map(::std::boxed::Box::new)),
        _ => quote!(::std::boxed::Box::new(#value)),
    }
}

fn takes_into(ty: &TypeRef, space: &TypeSpace) -> bool {
    match ty {
        TypeRef::Primitive(Primitive::String | Primitive::Json) => true,
        TypeRef::Named(id) => matches!(&space.get(*id).kind, TypeKind::Enum(e) if e.open),
        _ => false,
    }
}

fn field_tokens(owner: TypeId, field: &Field, space: &TypeSpace) -> TokenStream {
    let fallback = format!("The `{}` property.", field.wire_name);
    let docs = doc_attrs_or(&field.docs, &fallback);
    let access = access_note(field.access);
    let deprecated = deprecated_attr(field.docs.deprecated);
    let docs = quote!(#docs #access #deprecated);
    let name = ident(&field.rust_name);
    let bare = field.rust_name.trim_start_matches("r#");
    let rename = (bare != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    let ty = if reaches(&field.ty, owner, space) {
        boxed(&field.ty, space)
    } else {
        type_tokens(&field.ty, space, TypePath::Local)
    };
    if field.required {
        return quote! { #docs #rename pub #name: #ty, };
    }
    if let TypeRef::Nullable(_) = &field.ty {
        // Optional and nullable: `None` is absent, `Some(None)` is `null`, `Some(Some(v))` a value.
        let cases = text_attrs(
            "Optional and nullable, so three cases: `None` leaves it out (in an update, the \
             value stays as it is), `Some(None)` is `null` (in an update, it is cleared), \
             `Some(Some(value))` is a value. Decoding keeps the same three cases.",
        );
        return quote! {
            #docs
            #[doc = ""]
            #cases
            #rename
            #[serde(
                default,
                skip_serializing_if = "::std::option::Option::is_none",
                deserialize_with = "crate::runtime::nullable::deserialize"
            )]
            pub #name: ::std::option::Option<#ty>,
        };
    }
    quote! {
        #docs
        #rename
        #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
        pub #name: ::std::option::Option<#ty>,
    }
}

/// A closing doc paragraph for a property that travels one way only.
fn access_note(access: Access) -> TokenStream {
    let note = match access {
        Access::ReadWrite => return TokenStream::new(),
        Access::ReadOnly => {
            " Read-only: the server sets it. Leave it `None` in requests; servers ignore it there."
        }
        Access::WriteOnly => " Write-only: sent in requests, never returned by the server.",
    };
    quote!(#[doc = ""] #[doc = #note])
}

/// `Box<T>`, or `Option<Box<T>>` for a nullable `T`: the `Option` stays outermost, so that
/// presence and `null` are read the same way with or without the box.
fn boxed(ty: &TypeRef, space: &TypeSpace) -> TokenStream {
    match ty {
        TypeRef::Nullable(inner) => {
            let inner = boxed(inner, space);
            quote!(::std::option::Option<#inner>)
        }
        other => {
            let other = type_tokens(other, space, TypePath::Local);
            quote!(::std::boxed::Box<#other>)
        }
    }
}

/// Whether a field of type `ty` contains `target` by value (not behind a `Vec` or map),
/// which would make `target` infinitely large without a `Box`.
pub(crate) fn reaches(ty: &TypeRef, target: TypeId, space: &TypeSpace) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    reaches_inner(ty, target, space, &mut seen)
}

fn reaches_inner(
    ty: &TypeRef,
    target: TypeId,
    space: &TypeSpace,
    seen: &mut std::collections::BTreeSet<TypeId>,
) -> bool {
    match ty {
        TypeRef::Primitive(_) | TypeRef::Array(_) | TypeRef::Map(_) => false,
        TypeRef::Nullable(inner) => reaches_inner(inner, target, space, seen),
        TypeRef::Named(id) if *id == target => true,
        TypeRef::Named(id) => {
            if !seen.insert(*id) {
                return false;
            }
            match &space.get(*id).kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .any(|f| reaches_inner(&f.ty, target, space, seen)),
                TypeKind::Alias(inner) => reaches_inner(inner, target, space, seen),
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .any(|v| reaches_inner(&v.ty, target, space, seen)),
                TypeKind::Enum(_) => false,
            }
        }
    }
}

/// An open string enum: the listed values plus `Unknown(String)` for any other value, so
/// that a value added to the API later decodes instead of failing.
///
/// ```text
/// pub enum CancelPromotionStatusV1 { Canceled, RampingDown, Unknown(::std::string::String) }
/// impl CancelPromotionStatusV1 { pub fn as_str(&self) -> &str { … } }
/// // plus Display, From<&str>, FromStr, Serialize, Deserialize
/// ```
fn enum_item(name: &Ident, docs: TokenStream, open: TokenStream, e: &Enum) -> TokenStream {
    let variants: Vec<Ident> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire_name.as_str()).collect();
    let variant_docs = wires.iter().map(|w| match *w {
        "" => text_attrs("The empty string."),
        w => text_attrs(&format!("`{w}`")),
    });
    let unknown = format_ident!("Unknown");
    quote! {
        #docs
        ///
        /// Values this version of the crate does not know decode into `Unknown`.
        #open
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value not listed in the API specification, kept as received.
            #unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::#unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    }
}

/// A `const`: a one-value enum that accepts only its value, so that it tells the variants
/// of a union apart.
///
/// ```text
/// #[derive(…, ::serde::Serialize, ::serde::Deserialize)]
/// pub enum ModelKind { #[serde(rename = "model")] Model }
/// ```
fn closed_enum_item(name: &Ident, docs: TokenStream, e: &Enum) -> TokenStream {
    let variants: Vec<Ident> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire_name.as_str()).collect();
    let variant_docs: Vec<TokenStream> = wires
        .iter()
        .map(|w| text_attrs(&format!("`{w}`")))
        .collect();
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum #name {
            #(
                #variant_docs
                #[serde(rename = #wires)]
                #variants,
            )*
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #( Self::#variants => #wires, )*
                }
            }
        }
    }
}

/// A union: one variant per shape plus `Unknown(serde_json::Value)`. A tagged union reads
/// its discriminator first; an untagged one tries each shape in order.
///
/// ```text
/// pub enum Source { LibraryListing(LibraryListingSourceV1), ModelArchive(ModelArchiveSourceV1), Unknown(::serde_json::Value) }
/// ```
fn union_item(
    owner: TypeId,
    name: &Ident,
    (docs, open, serde): (TokenStream, TokenStream, SerdeWays),
    u: &Union,
    space: &TypeSpace,
) -> TokenStream {
    let (serialize_cfg, deserialize_cfg) = (serde.serialize_cfg(), serde.deserialize_cfg());
    let variants: Vec<Ident> = u.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let types: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let ty = type_tokens(&v.ty, space, TypePath::Local);
            if reaches(&v.ty, owner, space) {
                quote!(::std::boxed::Box<#ty>)
            } else {
                ty
            }
        })
        .collect();
    let variant_docs = u.variants.iter().map(|v| match v.tag_values.as_slice() {
        [] => text_attrs("One of the shapes this value can take."),
        values => {
            let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            text_attrs(&format!(
                "Selected by `{}` = {}.",
                u.tag.as_deref().unwrap_or_default(),
                list.join(", ")
            ))
        }
    });
    let deserialize = match &u.tag {
        Some(tag) => tagged_deserialize(tag, u, &variants),
        None => untagged_deserialize(&variants, &types),
    };
    quote! {
        #docs
        ///
        /// Values that match none of the shapes decode into `Unknown`, keeping the raw JSON.
        #open
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant, reason = "variants mirror the API's shapes; boxing them would make matching awkward")]
        pub enum #name {
            #( #variant_docs #variants(#types), )*
            /// A value of a shape this version of the crate does not know, kept as received.
            Unknown(::serde_json::Value),
        }

        #serialize_cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variants(value) => ::serde::Serialize::serialize(value, serializer), )*
                    Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        #deserialize_cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #deserialize
            }
        }
    }
}

/// Reads the tag: a known value decodes its variant (an error there is an error); an
/// unknown value is the default variant (`defaultMapping`) when it decodes, else `Unknown`;
/// no tag at all tries the default variant, then every variant in order.
fn tagged_deserialize(tag: &str, u: &Union, variants: &[Ident]) -> TokenStream {
    let arms = u.variants.iter().zip(variants).filter(|(v, _)| !v.tag_values.is_empty()).map(|(v, ident)| {
        let values = &v.tag_values;
        quote! {
            ::std::option::Option::Some(#(#values)|*) => {
                ::serde_json::from_value(value).map(Self::#ident).map_err(::serde::de::Error::custom)
            }
        }
    });
    let fallback = untagged_attempts(variants);
    let default = u.default_variant.and_then(|i| variants.get(i)).map(|ident| {
        quote! {
            if let ::std::result::Result::Ok(inner) = ::serde::Deserialize::deserialize(&value) {
                return ::std::result::Result::Ok(Self::#ident(inner));
            }
        }
    });
    quote! {
        let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
        match tag.as_deref() {
            #(#arms)*
            ::std::option::Option::Some(_) => {
                #default
                ::std::result::Result::Ok(Self::Unknown(value))
            }
            ::std::option::Option::None => {
                #default
                #fallback
                ::std::result::Result::Ok(Self::Unknown(value))
            }
        }
    }
}

fn untagged_deserialize(variants: &[Ident], _types: &[TokenStream]) -> TokenStream {
    let attempts = untagged_attempts(variants);
    quote! {
        #attempts
        ::std::result::Result::Ok(Self::Unknown(value))
    }
}

/// `if let Ok(v) = Deserialize::deserialize(&value) { return Ok(Self::A(v)); }` per variant.
fn untagged_attempts(variants: &[Ident]) -> TokenStream {
    quote! {
        #(
            if let ::std::result::Result::Ok(inner) = ::serde::Deserialize::deserialize(&value) {
                return ::std::result::Result::Ok(Self::#variants(inner));
            }
        )*
    }
}
