//! Cursor pagination: a stream of items that fetches page after page, following the cursor.

use std::future::Future;

use futures_util::stream::{self, Stream, TryStreamExt};

use super::error::Error;

/// One fetched page: its items and the cursor of the next page, if there is one.
pub type Page<T> = (Vec<T>, Option<String>);

/// Streams the items of every page, starting with `first` (a request builder) and asking
/// `fetch` for each page with the cursor of the one before it (`None` for the first).
///
/// The stream ends after a page without a next cursor, or whose next cursor is the one it
/// was fetched with (which would otherwise loop forever). An error ends it after yielding
/// the error.
pub fn paginate<'a, B, T, F, Fut>(
    first: B,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'a
where
    B: Clone + Send + 'a,
    T: Send + 'a,
    F: FnMut(B, Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
{
    let start = Some((first, None::<String>, fetch));
    stream::try_unfold(start, |state| async move {
        let Some((builder, cursor, mut fetch)) = state else {
            return Ok(None);
        };
        let (items, next) = fetch(builder.clone(), cursor.clone()).await?;
        let next = next.filter(|next| Some(next) != cursor.as_ref());
        let state = next.map(|next| (builder, Some(next), fetch));
        Ok(Some((stream::iter(items.into_iter().map(Ok)), state)))
    })
    .try_flatten()
}
