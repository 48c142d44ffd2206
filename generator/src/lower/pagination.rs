//! Paging: which operations page and how, from their optional query parameters together with
//! the shape (or `Link` header) of their success answer; `codegen.toml` names the scheme of
//! an operation the rule misses, or turns paging off for one it gets wrong.
//!
//! The rule, first match wins, for an answer whose items are found (the answer is a list,
//! or an object with one array field, or with several of which one is `data`, `items`,
//! `entries` or `results`):
//! - **link**: the answer declares a `Link` header and the operation has a paging parameter
//!   (`page`, `per_page`, `page_size`, `limit`, `cursor`, `after`, `since`);
//! - **cursor** or **page token**: a query parameter such as `cursor`, `after`,
//!   `starting_after`, `marker` (cursor) or `page_token`, `pageToken`, a string `page`
//!   (page token), and a string or integer field of the answer (or of an object in it) such
//!   as `next_cursor`, `next_page_token`, `next_page`, `next_marker`, `next`, or `cursor` and
//!   `last_id` beside a `has_more` flag; else `starting_after` or `after` with a `has_more`
//!   flag and items that have an `id` (the next cursor is the last item's);
//! - **offset**: an integer `offset` or `skip` parameter;
//! - **page number**: an integer `page` parameter.
//!
//! A `has_more` flag ends the pages when false, a total (`total_count`, `total`) an offset
//! paging when reached; an empty page ends them all but cursors and links.
//!
//! Queries over a time window (integer `start_…` and `end_…` parameters) whose answer gives
//! no cursor are not followed: without one, a window cut at its `limit` cannot be told from
//! a complete one, and restarting it at the last item's time repeats or loses the items that
//! share that time. They are recorded as [`Paging::Window`] so that their docs say so.

use super::Lowerer;
use crate::model::{
    FieldPath, FieldStep, NextToken, Pagination, Paging, PagingScheme, ParamLocation, Parameter,
    Primitive, Response, ResponseBody, Struct, TimeWindow, TokenPaging, TypeKind, TypeRef,
};
use crate::settings::{PagingSettings, SchemeName};

/// Query parameters that take a cursor (cursor paging) or a page token (page-token paging).
const CURSOR_PARAMS: &[&str] = &["cursor", "after", "starting_after", "marker", "page_cursor"];
const TOKEN_PARAMS: &[&str] = &[
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
];
/// Fields of an answer holding the next cursor or page token, most specific first.
const NEXT_FIELDS: &[&str] = &[
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "next_marker",
    "nextMarker",
    "next_page",
    "nextPage",
    "continuation_token",
    "continuationToken",
    "next",
];
/// Fields that hold the next cursor only beside a `has_more` flag.
const FLAGGED_NEXT_FIELDS: &[&str] = &["cursor", "last_id"];
const HAS_MORE_FIELDS: &[&str] = &[
    "has_more",
    "hasMore",
    "has_next",
    "hasNext",
    "has_next_page",
];
const TOTAL_FIELDS: &[&str] = &["total_count", "totalCount", "total"];
const ITEM_FIELDS: &[&str] = &["data", "items", "entries", "results"];
/// Parameters that show a list with a `Link` header is paged.
const LINK_PARAMS: &[&str] = &[
    "page",
    "per_page",
    "page_size",
    "limit",
    "cursor",
    "after",
    "since",
];

/// How an operation pages: by `setting` when `codegen.toml` has one (an error naming the
/// operation when its names do not fit the spec), else by the rule in the module doc.
pub(super) fn detect(
    cx: &mut Lowerer<'_>,
    params: &[Parameter],
    success: &Response,
    link_header: bool,
    setting: Option<(&str, &PagingSettings)>,
    at: &str,
) -> Paging {
    let Some((key, setting)) = setting else {
        let page = Page::of(cx, params, success, link_header);
        return match page.as_ref().and_then(|page| page.by_rule()) {
            Some(found) => Paging::Paged(found),
            None => window(params, success).map_or(Paging::None, Paging::Window),
        };
    };
    if setting.scheme == SchemeName::None {
        return Paging::None;
    }
    let found = Page::of(cx, params, success, link_header)
        .ok_or_else(|| "its success answer is not a JSON list or object".to_owned())
        .and_then(|page| page.configured(setting));
    match found {
        Ok(found) => Paging::Paged(found),
        Err(why) => {
            cx.diags
                .error(
                    at,
                    format!("codegen.toml pages operation `{key}`, but {why}"),
                )
                .help(format!(
                    "correct the paging of `[operations.\"{key}\"]` in codegen.toml to what \
                     the operation has, or remove it"
                ));
            Paging::None
        }
    }
}

/// What paging is found from: the operation's optional query parameters and its answer.
struct Page<'a> {
    cx: &'a Lowerer<'a>,
    params: Vec<&'a Parameter>,
    /// The answer's type.
    answer: &'a TypeRef,
    link_header: bool,
}

impl<'a> Page<'a> {
    fn of(
        cx: &'a Lowerer<'a>,
        params: &'a [Parameter],
        success: &'a Response,
        link_header: bool,
    ) -> Option<Page<'a>> {
        let ResponseBody::Json(answer) = &success.body else {
            return None;
        };
        let params = params
            .iter()
            .filter(|p| p.location == ParamLocation::Query && !p.required)
            .collect();
        Some(Page {
            cx,
            params,
            answer,
            link_header,
        })
    }

    fn param(&self, names: &[&str]) -> Option<&'a Parameter> {
        names
            .iter()
            .find_map(|name| self.params.iter().find(|p| p.wire_name == *name))
            .copied()
    }

    /// The pagination the rule finds.
    fn by_rule(&self) -> Option<Pagination> {
        let (items, item) = self.items(None)?;
        let has_more = self.field(HAS_MORE_FIELDS, is_bool);
        let total = self.field(TOTAL_FIELDS, is_integer);
        let scheme = self.scheme_by_rule(&item, has_more.is_some())?;
        Some(Pagination {
            scheme,
            items,
            item,
            has_more,
            total,
        })
    }

    fn scheme_by_rule(&self, item: &TypeRef, flagged: bool) -> Option<PagingScheme> {
        if self.link_header && self.param(LINK_PARAMS).is_some() {
            return Some(PagingScheme::Link);
        }
        if let Some(token) = self.token_by_rule(item, flagged) {
            return Some(token);
        }
        if let Some(param) = self.integer_param(&["offset", "skip"]) {
            return Some(PagingScheme::Offset {
                param: param.wire_name.clone(),
            });
        }
        let param = self.integer_param(&["page", "page_number", "pageNumber"])?;
        Some(page_number(param))
    }

    /// Cursor or page-token paging: a token parameter and where the next token is.
    fn token_by_rule(&self, item: &TypeRef, flagged: bool) -> Option<PagingScheme> {
        let string_page = self
            .param(&["page"])
            .filter(|p| strip(&p.ty) == &TypeRef::Primitive(Primitive::String));
        let param = self
            .param(CURSOR_PARAMS)
            .or_else(|| self.param(TOKEN_PARAMS))
            .or(string_page)?;
        let flagged_next = || {
            flagged
                .then(|| self.field(FLAGGED_NEXT_FIELDS, is_token))
                .flatten()
        };
        let next = self
            .field(NEXT_FIELDS, is_token)
            .or_else(flagged_next)
            .map(NextToken::Field)
            .or_else(|| {
                let by_id = ["starting_after", "after"].contains(&param.wire_name.as_str());
                (by_id && flagged)
                    .then(|| self.item_field(item, "id"))
                    .flatten()
                    .map(NextToken::LastItem)
            })?;
        Some(token_scheme(param, next))
    }

    fn integer_param(&self, names: &[&str]) -> Option<&'a Parameter> {
        self.param(names).filter(|p| is_integer(strip(&p.ty)))
    }

    /// The pagination `setting` names, each key left out found by the rule.
    fn configured(&self, setting: &PagingSettings) -> Result<Pagination, String> {
        let (items, item) =
            self.items(setting.items.as_deref())
                .ok_or_else(|| match &setting.items {
                    Some(items) => format!("its answer has no array field `{items}`"),
                    None => "no list of items is found in its answer (set `items`)".to_owned(),
                })?;
        let has_more = match &setting.has_more {
            Some(path) => Some(self.path(path, is_bool)?),
            None => self.field(HAS_MORE_FIELDS, is_bool),
        };
        let total = match &setting.total {
            Some(path) => Some(self.path(path, is_integer)?),
            None => self.field(TOTAL_FIELDS, is_integer),
        };
        let scheme = self.configured_scheme(setting, &item)?;
        Ok(Pagination {
            scheme,
            items,
            item,
            has_more,
            total,
        })
    }

    fn configured_scheme(
        &self,
        setting: &PagingSettings,
        item: &TypeRef,
    ) -> Result<PagingScheme, String> {
        let named = |defaults: &[&str]| -> Result<&'a Parameter, String> {
            match &setting.param {
                Some(name) => self
                    .param(&[name.as_str()])
                    .ok_or_else(|| format!("it has no optional query parameter `{name}`")),
                None => self.param(defaults).ok_or_else(|| {
                    "none of its query parameters is a known paging one (set `param`)".to_owned()
                }),
            }
        };
        match setting.scheme {
            // `none` never gets here: `detect` returns before.
            SchemeName::None | SchemeName::Link => Ok(PagingScheme::Link),
            SchemeName::Offset => Ok(PagingScheme::Offset {
                param: named(&["offset", "skip"])?.wire_name.clone(),
            }),
            SchemeName::PageNumber => Ok(page_number(named(&["page", "page_number"])?)),
            SchemeName::Cursor | SchemeName::PageToken => {
                let all: Vec<&str> = CURSOR_PARAMS.iter().chain(TOKEN_PARAMS).copied().collect();
                let param = named(&all)?;
                let next = self.configured_next(setting, item)?;
                let paging = TokenPaging {
                    param: param.wire_name.clone(),
                    next,
                };
                Ok(match setting.scheme {
                    SchemeName::Cursor => PagingScheme::Cursor(paging),
                    _ => PagingScheme::PageToken(paging),
                })
            }
        }
    }

    fn configured_next(
        &self,
        setting: &PagingSettings,
        item: &TypeRef,
    ) -> Result<NextToken, String> {
        if let Some(name) = &setting.next_item_field {
            return self
                .item_field(item, name)
                .map(NextToken::LastItem)
                .ok_or_else(|| format!("its items have no string field `{name}`"));
        }
        match &setting.next {
            Some(path) => Ok(NextToken::Field(self.path(path, is_token)?)),
            None => {
                let found = self.field(NEXT_FIELDS, is_token);
                let found = found.or_else(|| self.field(FLAGGED_NEXT_FIELDS, is_token));
                found
                    .map(NextToken::Field)
                    .ok_or_else(|| "no next cursor is found in its answer (set `next`)".to_owned())
            }
        }
    }

    /// The items: the answer itself when it is a list; else its array field `named`, or its
    /// one array field, or the one of several called `data`, `items`, `entries`, `results`.
    fn items(&self, named: Option<&str>) -> Option<(FieldPath, TypeRef)> {
        if let Some(item) = self.array_item(self.answer) {
            return named
                .is_none()
                .then(|| (FieldPath::body(self.answer), item));
        }
        let object = self.object(self.answer)?;
        let arrays: Vec<_> = object
            .fields
            .iter()
            .filter_map(|f| Some((f, self.array_item(strip(&f.ty))?)))
            .collect();
        let (field, item) = match named {
            Some(name) => arrays.into_iter().find(|(f, _)| f.wire_name == name)?,
            None if arrays.len() == 1 => arrays.into_iter().next()?,
            None => ITEM_FIELDS
                .iter()
                .find_map(|name| arrays.iter().find(|(f, _)| f.wire_name == *name).cloned())?,
        };
        let path = FieldPath {
            steps: vec![step(field)],
            leaf: strip(&field.ty).clone(),
        };
        Some((path, item))
    }

    /// The first of `names` that is a field of the answer, or of an object field of it,
    /// whose type passes `fits`.
    fn field(&self, names: &[&str], fits: fn(&TypeRef) -> bool) -> Option<FieldPath> {
        let object = self.object(self.answer)?;
        names.iter().find_map(|name| {
            let top = object.fields.iter().find(|f| f.wire_name == *name);
            let top = top.filter(|f| fits(strip(&f.ty))).map(|f| vec![f]);
            let nested = || {
                object.fields.iter().find_map(|outer| {
                    let inner = self.object(strip(&outer.ty))?;
                    let found = inner.fields.iter().find(|f| f.wire_name == *name);
                    found.filter(|f| fits(strip(&f.ty))).map(|f| vec![outer, f])
                })
            };
            top.or_else(nested).map(|fields| path_of(&fields))
        })
    }

    /// A dotted path of fields (`meta.next_cursor`) from the answer, whose end passes `fits`.
    fn path(&self, dotted: &str, fits: fn(&TypeRef) -> bool) -> Result<FieldPath, String> {
        let missing = || format!("its answer has no field `{dotted}` of a fitting type");
        let mut fields = Vec::new();
        let mut ty = self.answer;
        for name in dotted.split('.') {
            let object = self.object(ty).ok_or_else(missing)?;
            let field = object.fields.iter().find(|f| f.wire_name == name);
            let field = field.ok_or_else(missing)?;
            ty = strip(&field.ty);
            fields.push(field);
        }
        if !fits(ty) {
            return Err(missing());
        }
        Ok(path_of(&fields))
    }

    /// A string field `name` of the item type.
    fn item_field(&self, item: &TypeRef, name: &str) -> Option<FieldPath> {
        let object = self.object(item)?;
        let field = object.fields.iter().find(|f| f.wire_name == name)?;
        (strip(&field.ty) == &TypeRef::Primitive(Primitive::String)).then(|| path_of(&[field]))
    }

    /// The object type `ty` names, through aliases.
    fn object(&self, ty: &TypeRef) -> Option<&'a Struct> {
        match self.named(ty)? {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The item type of the list `ty` is, through aliases.
    fn array_item(&self, ty: &TypeRef) -> Option<TypeRef> {
        match ty {
            TypeRef::Array(item) => Some((**item).clone()),
            TypeRef::Named(_) => match self.named(ty)? {
                TypeKind::Alias(TypeRef::Array(item)) => Some((**item).clone()),
                _ => None,
            },
            _ => None,
        }
    }

    fn named(&self, ty: &TypeRef) -> Option<&'a TypeKind> {
        let mut ty = ty;
        for _ in 0..8 {
            let TypeRef::Named(id) = ty else {
                return None;
            };
            let kind = &self.cx.types.get(id)?.kind;
            match kind {
                TypeKind::Alias(inner @ TypeRef::Named(_)) => ty = inner,
                other => return Some(other),
            }
        }
        None
    }
}

fn token_scheme(param: &Parameter, next: NextToken) -> PagingScheme {
    let paging = TokenPaging {
        param: param.wire_name.clone(),
        next,
    };
    let name = param.wire_name.to_ascii_lowercase();
    if name.contains("token") || name == "page" {
        PagingScheme::PageToken(paging)
    } else {
        PagingScheme::Cursor(paging)
    }
}

fn page_number(param: &Parameter) -> PagingScheme {
    let first = param
        .docs
        .default
        .as_ref()
        .and_then(serde_json::Value::as_u64);
    PagingScheme::PageNumber {
        param: param.wire_name.clone(),
        first: first.unwrap_or(1),
    }
}

/// A time-window query: integer `start_…` and `end_…` query parameters (or `…_start` and
/// `…_end`) and an answer that is JSON.
fn window(params: &[Parameter], success: &Response) -> Option<TimeWindow> {
    if !matches!(success.body, ResponseBody::Json(_)) {
        return None;
    }
    let integer: Vec<&Parameter> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Query && is_integer(strip(&p.ty)))
        .collect();
    let stem = |name: &str, prefix: &str, suffix: &str| -> Option<String> {
        let stem = name
            .strip_prefix(prefix)
            .or_else(|| name.strip_suffix(suffix))?;
        Some(stem.to_owned())
    };
    let (start, end) = integer.iter().find_map(|start| {
        let wanted = stem(&start.wire_name, "start_", "_start")?;
        let end = integer
            .iter()
            .find(|end| stem(&end.wire_name, "end_", "_end").as_ref() == Some(&wanted))?;
        Some((start.wire_name.clone(), end.wire_name.clone()))
    })?;
    let limit = params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.wire_name == "limit")
        .map(|p| p.wire_name.clone());
    Some(TimeWindow { start, end, limit })
}

fn step(field: &crate::model::Field) -> FieldStep {
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    FieldStep {
        wire_name: field.wire_name.clone(),
        rust_name: field.rust_name.clone(),
        options: u8::from(!field.required) + u8::from(nullable),
    }
}

fn path_of(fields: &[&crate::model::Field]) -> FieldPath {
    let leaf = fields
        .last()
        .map_or(TypeRef::Primitive(Primitive::Json), |f| {
            strip(&f.ty).clone()
        });
    FieldPath {
        steps: fields.iter().map(|f| step(f)).collect(),
        leaf,
    }
}

impl FieldPath {
    /// The answer itself.
    fn body(answer: &TypeRef) -> FieldPath {
        FieldPath {
            steps: Vec::new(),
            leaf: answer.clone(),
        }
    }
}

fn strip(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) => strip(inner),
        other => other,
    }
}

fn is_bool(ty: &TypeRef) -> bool {
    *ty == TypeRef::Primitive(Primitive::Bool)
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Primitive(p) if p.is_integer())
}

fn is_token(ty: &TypeRef) -> bool {
    *ty == TypeRef::Primitive(Primitive::String) || is_integer(ty)
}
