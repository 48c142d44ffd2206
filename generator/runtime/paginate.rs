//! Paging: the pages of a paged operation (by cursor or page token, offset, page number or
//! `Link: <…>; rel="next"` header) as a stream of pages with their metadata, or of their items.
//!
//! The stream types are generic only over the item type: sending, deciding on the next page
//! and reading `Link` headers are plain functions, and generated code passes a plain
//! function that reads one page's body.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::{HeaderMap, LINK};
use reqwest::{StatusCode, Url};

use super::client::Client;
use super::error::Error;
use super::request::Request;
use super::response::ApiResponse;

/// How an operation pages; generated code passes one to [`Pages::new`].
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// The answer gives the next page's cursor or page token, sent back in this query
    /// parameter.
    Token {
        /// The query parameter's name.
        param: &'static str,
    },
    /// The next page starts where this one's items end: this query parameter plus the
    /// number of items received (`0` when it is not set).
    Offset {
        /// The query parameter's name.
        param: &'static str,
    },
    /// Pages are numbered: this query parameter plus one (`first` when it is not set).
    Number {
        /// The query parameter's name.
        param: &'static str,
        /// The number of the page the server sends when the parameter is left out.
        first: u64,
    },
    /// The answer's `Link` header names the next page (`<URL>; rel="next"`).
    Link,
}

/// What generated code reads out of the body of one page.
#[doc(hidden)]
#[derive(Debug)]
pub struct PageParts<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The next cursor or page token, when the answer has one.
    pub next: Option<String>,
    /// The answer's "more pages follow" flag, when it has one.
    pub has_more: Option<bool>,
    /// The answer's total number of items, when it has one.
    pub total: Option<u64>,
}

/// One page of a paged operation: its items, what the next request will ask for, and the
/// response's status and headers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page, in the order received.
    pub items: Vec<T>,
    /// What the request for the next page asks for; `None` on the last page.
    pub next: Option<NextPage>,
    /// The answer's "more pages follow" flag (`has_more`), when its shape has one.
    pub has_more: Option<bool>,
    /// The answer's total number of items (`total_count`, `total`), when its shape has one.
    pub total: Option<u64>,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The response headers (a request id, rate limits, `Link`).
    pub headers: HeaderMap,
}

/// What the request for the next page asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextPage {
    /// This cursor or page token.
    Cursor(String),
    /// The items from this offset.
    Offset(u64),
    /// The page of this number.
    Number(u64),
    /// The page at this URL, from the `Link` header.
    Link(String),
}

/// Reads one page's body; generated per operation, so that nothing here is generic over the
/// operation's response type.
type ReadPage<T> = fn(&[u8]) -> Result<PageParts<T>, serde_json::Error>;

type Fetch = Pin<Box<dyn Future<Output = Result<ApiResponse<Bytes>, Error>> + Send>>;

/// The pages of a paged operation, fetched one after the other as the stream is polled: a
/// `futures` `Stream` of `Result<Page<T>, Error>`. Each page is one call of the operation,
/// with its own retries, timeout and tracing span. The stream ends after the last page (no
/// next cursor or link, an empty page, `has_more: false`, or the total reached) or after the
/// first error. It holds a clone of the client, so it can outlive the request builder and
/// move to another task.
///
/// ```text
/// use futures_util::TryStreamExt;
/// let mut pages = client.list_users().limit(100).pages();
/// while let Some(page) = pages.try_next().await? {
///     println!("{} users, next: {:?}", page.items.len(), page.next);
/// }
/// ```
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<T> {
    client: Client,
    paging: Paging,
    read: ReadPage<T>,
    /// The request for the next page (or why it cannot be sent); `None` once done.
    next: Option<Result<Request, Error>>,
    /// The request being sent, beside the call sending it.
    sending: Option<(Request, Fetch)>,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("paging", &self.paging)
            .field("done", &(self.next.is_none() && self.sending.is_none()))
            .finish_non_exhaustive()
    }
}

// Nothing in `Pages` is pinned in place: the call in flight is boxed.
impl<T> Unpin for Pages<T> {}

impl<T> Pages<T> {
    /// The pages of `request`, read by `read`; generated code calls this.
    #[doc(hidden)]
    pub fn new(client: &Client, request: Request, paging: Paging, read: ReadPage<T>) -> Self {
        Pages {
            client: client.clone(),
            paging,
            read,
            next: Some(request.checked()),
            sending: None,
        }
    }

    /// A stream of every item of every page instead.
    pub fn into_items(self) -> Items<T> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.sending.is_none() {
            match this.next.take() {
                None => return Poll::Ready(None),
                Some(Err(err)) => return Poll::Ready(Some(Err(err))),
                Some(Ok(request)) => {
                    let call = fetch(this.client.clone(), request.clone());
                    this.sending = Some((request, call));
                }
            }
        }
        let Some((_, call)) = this.sending.as_mut() else {
            return Poll::Ready(None);
        };
        let Poll::Ready(answer) = call.as_mut().poll(cx) else {
            return Poll::Pending;
        };
        let Some((request, _)) = this.sending.take() else {
            return Poll::Ready(None);
        };
        let response = match answer {
            Ok(response) => response,
            Err(err) => return Poll::Ready(Some(Err(err))),
        };
        let parts = match (this.read)(&response.value) {
            Ok(parts) => parts,
            Err(source) => {
                return Poll::Ready(Some(Err(Error::Decode {
                    status: response.status,
                    body: response.value,
                    source,
                })));
            }
        };
        let found = Found {
            count: parts.items.len(),
            next: parts.next,
            has_more: parts.has_more,
            total: parts.total,
        };
        let answer = (response.status, &response.headers);
        let next = advance(this.paging, request, &found, answer, &this.client);
        let next_page = match next {
            Ok(Some((page, request))) => {
                this.next = Some(Ok(request));
                Some(page)
            }
            Ok(None) => None,
            Err(err) => {
                this.next = Some(Err(err));
                None
            }
        };
        Poll::Ready(Some(Ok(Page {
            items: parts.items,
            next: next_page,
            has_more: found.has_more,
            total: found.total,
            status: response.status,
            headers: response.headers,
        })))
    }
}

/// Every item of every page of a paged operation, fetched as the stream is polled: a
/// `futures` `Stream` of `Result<T, Error>` that ends after the last item or the first
/// error. See [`Pages`] for when a page is the last.
///
/// ```text
/// use futures_util::TryStreamExt;
/// let mut users = client.list_users().limit(100).into_stream();
/// while let Some(user) = users.try_next().await? {
///     println!("{user:?}");
/// }
/// ```
#[must_use = "a stream does nothing until it is polled"]
#[derive(Debug)]
pub struct Items<T> {
    pages: Pages<T>,
    buffer: std::vec::IntoIter<T>,
}

// `Pages` is `Unpin`, and the buffered items are not pinned.
impl<T> Unpin for Items<T> {}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(page))) => this.buffer = page.items.into_iter(),
            }
        }
    }
}

/// Sends one page's request, owning what it needs.
fn fetch(client: Client, request: Request) -> Fetch {
    Box::pin(async move { client.execute_bytes(request).await })
}

/// What a page said about the next one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Found {
    count: usize,
    next: Option<String>,
    has_more: Option<bool>,
    total: Option<u64>,
}

/// The next page after the one `request` fetched, and the request for it; `None` after the
/// last page. A `Link` to another origin than the client's base URL is an error rather than
/// a request that would carry the credential elsewhere.
fn advance(
    paging: Paging,
    mut request: Request,
    found: &Found,
    (status, headers): (StatusCode, &HeaderMap),
    client: &Client,
) -> Result<Option<(NextPage, Request)>, Error> {
    if found.has_more == Some(false) {
        return Ok(None);
    }
    let next = match paging {
        Paging::Token { param } => {
            let Some(token) = found.next.clone().filter(|t| !t.is_empty()) else {
                return Ok(None);
            };
            // A cursor that points back at the page just read would loop forever.
            if request.query_text(param) == Some(token.as_str()) {
                return Ok(None);
            }
            request.set_query(param, &token);
            NextPage::Cursor(token)
        }
        Paging::Offset { param } => {
            let at = request
                .query_text(param)
                .and_then(|t| t.parse::<u64>().ok());
            let count = u64::try_from(found.count).unwrap_or(u64::MAX);
            let next = at.unwrap_or(0).saturating_add(count);
            if found.count == 0 || found.total.is_some_and(|total| next >= total) {
                return Ok(None);
            }
            request.set_query(param, &next.to_string());
            NextPage::Offset(next)
        }
        Paging::Number { param, first } => {
            let at = request
                .query_text(param)
                .and_then(|t| t.parse::<u64>().ok());
            if found.count == 0 {
                return Ok(None);
            }
            let next = at.unwrap_or(first).saturating_add(1);
            request.set_query(param, &next.to_string());
            NextPage::Number(next)
        }
        Paging::Link => {
            let Some(target) = next_link(headers) else {
                return Ok(None);
            };
            let url = link_url(client, &request, target, status)?;
            if request.page_url() == Some(&url) {
                return Ok(None);
            }
            let text = url.to_string();
            request.set_page_url(url);
            NextPage::Link(text)
        }
    };
    Ok(Some((next, request)))
}

/// The URL a `Link` target names, relative to the page's own URL, when it has the origin
/// of the client's base URL: the request for it carries the credential. Otherwise the
/// answer (of `status`) is not what paging expects: an `Error::Decode` saying why.
fn link_url(
    client: &Client,
    request: &Request,
    target: &str,
    status: StatusCode,
) -> Result<Url, Error> {
    let base = &client.inner.base_url;
    let invalid = |why: String| Error::Decode {
        status,
        body: Bytes::new(),
        source: serde::de::Error::custom(why),
    };
    let here = match request.page_url() {
        Some(url) => url.clone(),
        None => Url::parse(&format!("{base}{}", request.path))
            .map_err(|err| invalid(format!("the page's URL does not parse: {err}")))?,
    };
    let url = here.join(target).map_err(|err| {
        invalid(format!(
            "the next page's link {target:?} does not parse: {err}"
        ))
    })?;
    let base = Url::parse(base).map_err(|err| invalid(format!("base URL: {err}")))?;
    if url.origin() != base.origin() {
        return Err(invalid(format!(
            "the next page's link leads to {}, not to the base URL's origin {}; not followed",
            url.origin().ascii_serialization(),
            base.origin().ascii_serialization()
        )));
    }
    Ok(url)
}

/// The target of the `rel="next"` link among the response's `Link` headers (RFC 8288):
/// `<https://api.example.com/items?page=2>; rel="next", <…>; rel="last"`.
fn next_link(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(next_in)
}

/// The `rel="next"` target of one `Link` header value.
fn next_in(value: &str) -> Option<&str> {
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>')?;
        let target = &after[..close];
        let tail = &after[close + 1..];
        // The parameters run to the next link, which starts with `,` then `<`.
        let end = tail
            .match_indices(',')
            .find(|(at, _)| tail[at + 1..].trim_start().starts_with('<'))
            .map_or(tail.len(), |(at, _)| at);
        if tail[..end].split(';').any(is_rel_next) {
            return Some(target.trim());
        }
        rest = &tail[end..];
    }
    None
}

/// Whether a link parameter is `rel="next"` (or a `rel` list holding `next`).
fn is_rel_next(param: &str) -> bool {
    let Some((name, value)) = param.split_once('=') else {
        return false;
    };
    name.trim().eq_ignore_ascii_case("rel")
        && value
            .trim()
            .trim_matches('"')
            .split_ascii_whitespace()
            .any(|rel| rel.eq_ignore_ascii_case("next"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_next_link_is_found_among_others_and_in_any_case() {
        let github = "<https://api.github.com/repositories/1/issues?page=2>; rel=\"next\", \
                      <https://api.github.com/repositories/1/issues?page=5>; rel=\"last\"";
        assert_eq!(
            next_in(github),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        let first_is_prev =
            "<https://x.test/a?page=1>; rel=\"prev\", <https://x.test/a?page=3>; REL=\"Next\"";
        assert_eq!(next_in(first_is_prev), Some("https://x.test/a?page=3"));
        let comma_in_url = "<https://x.test/a?ids=1,2&page=2>; rel=\"next\"";
        assert_eq!(
            next_in(comma_in_url),
            Some("https://x.test/a?ids=1,2&page=2")
        );
        let list = "<https://x.test/b>; rel=\"last next\"";
        assert_eq!(next_in(list), Some("https://x.test/b"));
        for none in [
            "",
            "<https://x.test/a>; rel=\"prev\"",
            "<https://x.test/a>",
            "garbage",
            "<unterminated; rel=\"next\"",
            "<https://x.test/a>; rel=\"nextish\"",
        ] {
            assert_eq!(next_in(none), None, "{none}");
        }
        let mut headers = HeaderMap::new();
        headers.append(
            LINK,
            HeaderValue::from_static("<https://x.test/p1>; rel=\"prev\""),
        );
        headers.append(
            LINK,
            HeaderValue::from_static("<https://x.test/p3>; rel=\"next\""),
        );
        assert_eq!(next_link(&headers), Some("https://x.test/p3"));
    }
}
