//! Paging over an in-memory transport: each scheme asks for the next page as it should,
//! stops where it should, and yields errors; `Link` pages never leave the base URL's origin.

use apigen_runtime::{
    ApiDefaults, Client, ClientBuilder, Error, Items, MockResponse, MockTransport, NextPage, Page,
    PageParts, Pages, Paging, Request,
};
use futures_util::{Stream, StreamExt};
use reqwest::Method;
use serde_json::json;

static API: ApiDefaults = ApiDefaults {
    base_url: "https://api.example.test/v2",
    api_key_env: None,
    base_url_env: None,
    requires_auth: false,
    auth: &[],
    user_agent: "paginate-tests/1.0",
    error_code_field: "code",
    error_message_field: "message",
};

/// A page body as the test reader reads it.
fn read(body: &[u8]) -> Result<PageParts<i64>, serde_json::Error> {
    let value: serde_json::Value = serde_json::from_slice(body)?;
    let items: Vec<i64> = serde_json::from_value(value["items"].clone())?;
    Ok(PageParts {
        items,
        next: value["next"].as_str().map(str::to_owned),
        has_more: value["has_more"].as_bool(),
        total: value["total"].as_u64(),
    })
}

fn client(mock: &MockTransport) -> Client {
    ClientBuilder::new(&API)
        .transport(mock.clone())
        .build()
        .expect("client")
}

fn pages(mock: &MockTransport, paging: Paging, query: &[(&str, &str)]) -> Pages<i64> {
    let mut request = Request::new("list_things", Method::GET, "/things");
    request.path("/things");
    for (name, value) in query {
        request.query(name, value);
    }
    Pages::new(&client(mock), request, paging, read)
}

fn page(body: serde_json::Value) -> MockResponse {
    MockResponse::json(200, body)
}

fn run<S: Stream + Unpin>(stream: S) -> Vec<S::Item> {
    futures_executor::block_on(stream.collect())
}

fn items(stream: Items<i64>) -> Vec<i64> {
    run(stream).into_iter().map(|r| r.expect("item")).collect()
}

/// The query of each request the mock received, as `k=v&…`.
fn queries(mock: &MockTransport) -> Vec<String> {
    let requests = mock.requests();
    let query = |r: &apigen_runtime::RecordedRequest| {
        let pairs: Vec<String> = r.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        pairs.join("&")
    };
    requests.iter().map(query).collect()
}

#[test]
fn a_cursor_is_sent_back_until_an_answer_has_none() {
    let mock = MockTransport::new();
    mock.push(page(json!({"items": [1, 2], "next": "b"})))
        .push(page(json!({"items": [3], "next": "c"})))
        .push(page(json!({"items": [], "next": null})));
    let stream = pages(&mock, Paging::Token { param: "cursor" }, &[("limit", "2")]);
    assert_eq!(items(stream.into_items()), [1, 2, 3]);
    assert_eq!(
        queries(&mock),
        ["limit=2", "limit=2&cursor=b", "limit=2&cursor=c"]
    );
}

#[test]
fn has_more_false_ends_the_pages_whatever_the_cursor_says() {
    let mock = MockTransport::new();
    mock.push(page(json!({"items": [1], "next": "b", "has_more": true})))
        .push(page(json!({"items": [2], "next": "c", "has_more": false})));
    let stream = pages(&mock, Paging::Token { param: "cursor" }, &[]);
    let got: Vec<Page<i64>> = run(stream).into_iter().map(|r| r.expect("page")).collect();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].next, Some(NextPage::Cursor("b".into())));
    assert_eq!(got[0].has_more, Some(true));
    assert_eq!(got[1].next, None);
    assert_eq!(mock.remaining(), 0);
}

#[test]
fn a_cursor_pointing_back_at_its_own_page_ends_the_pages() {
    let mock = MockTransport::new();
    mock.push(page(json!({"items": [1], "next": "same"})))
        .push(page(json!({"items": [2], "next": "same"})));
    let stream = pages(&mock, Paging::Token { param: "cursor" }, &[]);
    assert_eq!(items(stream.into_items()), [1, 2]);
    assert_eq!(queries(&mock), ["", "cursor=same"]);
}

#[test]
fn an_offset_advances_by_the_items_received_until_an_empty_page_or_the_total() {
    let mock = MockTransport::new();
    // The server caps pages at 2 although 5 were asked for: the offset follows what came.
    mock.push(page(json!({"items": [1, 2]})))
        .push(page(json!({"items": [3, 4]})))
        .push(page(json!({"items": []})));
    let stream = pages(&mock, Paging::Offset { param: "offset" }, &[("limit", "5")]);
    assert_eq!(items(stream.into_items()), [1, 2, 3, 4]);
    assert_eq!(
        queries(&mock),
        ["limit=5", "limit=5&offset=2", "limit=5&offset=4"]
    );

    let mock = MockTransport::new();
    mock.push(page(json!({"items": [2, 3], "total": 5})))
        .push(page(json!({"items": [4, 5], "total": 5})));
    let stream = pages(
        &mock,
        Paging::Offset { param: "offset" },
        &[("offset", "1")],
    );
    let got: Vec<Page<i64>> = run(stream).into_iter().map(|r| r.expect("page")).collect();
    assert_eq!(got[0].next, Some(NextPage::Offset(3)));
    assert_eq!(got[0].total, Some(5));
    assert_eq!(queries(&mock), ["offset=1", "offset=3"]);
    assert_eq!(got[1].next, None, "3 + 2 items reach the total of 5");
}

#[test]
fn a_page_number_counts_up_from_the_first_until_an_empty_page() {
    let mock = MockTransport::new();
    mock.push(page(json!({"items": [1]})))
        .push(page(json!({"items": [2]})))
        .push(page(json!({"items": []})));
    let stream = pages(
        &mock,
        Paging::Number {
            param: "page",
            first: 1,
        },
        &[],
    );
    assert_eq!(items(stream.into_items()), [1, 2]);
    assert_eq!(queries(&mock), ["", "page=2", "page=3"]);

    let mock = MockTransport::new();
    mock.push(page(json!({"items": [7], "has_more": false})));
    let stream = pages(
        &mock,
        Paging::Number {
            param: "page",
            first: 0,
        },
        &[("page", "4")],
    );
    assert_eq!(items(stream.into_items()), [7]);
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn a_link_header_is_followed_with_its_own_query_until_there_is_no_next() {
    let mock = MockTransport::new();
    let next = "<https://api.example.test/v2/things?page=2&per_page=1>; rel=\"next\", \
                <https://api.example.test/v2/things?page=3&per_page=1>; rel=\"last\"";
    mock.push(page(json!({"items": [1]})).header("link", next))
        .push(
            page(json!({"items": [2]}))
                .header("link", "</v2/things?page=3&per_page=1>; rel=\"next\""),
        )
        .push(page(json!({"items": [3]})).header(
            "link",
            "<https://api.example.test/v2/things?page=1>; rel=\"first\"",
        ));
    let stream = pages(&mock, Paging::Link, &[("per_page", "1")]);
    let got: Vec<Page<i64>> = run(stream).into_iter().map(|r| r.expect("page")).collect();
    assert_eq!(got.len(), 3);
    assert_eq!(
        got[0].next,
        Some(NextPage::Link(
            "https://api.example.test/v2/things?page=2&per_page=1".into()
        ))
    );
    assert!(got[0].headers.contains_key("link"));
    assert_eq!(
        queries(&mock),
        ["per_page=1", "page=2&per_page=1", "page=3&per_page=1"]
    );
    let paths: Vec<String> = mock.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/v2/things"; 3]);
}

#[test]
fn a_link_to_another_origin_is_an_error_not_a_request() {
    let mock = MockTransport::new();
    let elsewhere = "<https://evil.example.test/v2/things?page=2>; rel=\"next\"";
    mock.push(page(json!({"items": [1]})).header("link", elsewhere));
    let stream = pages(&mock, Paging::Link, &[]);
    let got = run(stream.into_items());
    assert!(matches!(got[0], Ok(1)));
    let err = got[1].as_ref().expect_err("an error after the first page");
    assert!(err.to_string().contains("evil.example.test"), "{err}");
    assert_eq!(got.len(), 2);
    assert_eq!(
        mock.requests().len(),
        1,
        "nothing was sent to the other origin"
    );
}

#[test]
fn an_error_answer_or_a_body_that_does_not_read_ends_the_stream_after_it() {
    let mock = MockTransport::new();
    mock.push(page(json!({"items": [1], "next": "b"})))
        .push(MockResponse::json(
            404,
            json!({"code": "NOT_FOUND", "message": "gone"}),
        ));
    let stream = pages(&mock, Paging::Token { param: "cursor" }, &[]);
    let got = run(stream.into_items());
    assert_eq!(got.len(), 2);
    assert!(matches!(&got[1], Err(Error::Api(api)) if api.status == 404));

    let mock = MockTransport::new();
    mock.push(page(json!({"items": "not a list"})));
    let got = run(pages(&mock, Paging::Token { param: "cursor" }, &[]));
    assert!(matches!(&got[..], [Err(Error::Decode { .. })]), "{got:?}");
}

#[test]
fn a_request_that_cannot_be_built_is_the_only_item() {
    let mock = MockTransport::new();
    let mut failed = Request::new("list_things", Method::GET, "/things/{id}");
    failed.path("/things/");
    failed.path_param("id", "..");
    failed.query_value("after", &"x", apigen_runtime::QueryStyle::Form);
    let stream: Pages<i64> = Pages::new(&client(&mock), failed, Paging::Link, read);
    let got = run(stream);
    assert!(
        matches!(&got[..], [Err(Error::InvalidRequest(why))] if why.contains("`id` may not be \"..\"")),
        "{got:?}"
    );
    assert!(mock.requests().is_empty());
}
