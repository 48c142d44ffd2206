//! Cursor pagination follows cursors, stops, and yields errors.

use std::sync::{Arc, Mutex};

use apigen_runtime::{Error, Page, paginate};
use futures_util::{Stream, StreamExt};

fn run<S: Stream + Unpin>(stream: S) -> Vec<S::Item> {
    futures_executor::block_on(stream.collect())
}

#[test]
fn follows_cursors_until_the_last_page() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let stream = paginate((), move |(), cursor: Option<String>| {
        log.lock().expect("lock").push(cursor.clone());
        async move {
            Ok(match cursor.as_deref() {
                None => (vec![1, 2], Some("b".to_owned())),
                Some("b") => (vec![3], Some("c".to_owned())),
                _ => (vec![], None),
            })
        }
    });
    let items: Vec<i32> = run(Box::pin(stream))
        .into_iter()
        .map(|r| r.expect("ok"))
        .collect();
    assert_eq!(items, [1, 2, 3]);
    let cursors = seen.lock().expect("lock").clone();
    assert_eq!(cursors, [None, Some("b".to_owned()), Some("c".to_owned())]);
}

#[test]
fn a_repeated_cursor_ends_the_stream() {
    let stream = paginate((), |(), _cursor| async {
        Ok((vec![1], Some("same".to_owned())))
    });
    let items = run(Box::pin(stream));
    assert_eq!(items.len(), 2);
}

#[test]
fn an_error_is_yielded_and_ends_the_stream() {
    let stream = paginate((), |(), _cursor| async {
        Err::<Page<i32>, _>(Error::InvalidRequest("boom".to_owned()))
    });
    let items = run(Box::pin(stream));
    assert_eq!(items.len(), 1);
    assert!(items[0].is_err());
}
