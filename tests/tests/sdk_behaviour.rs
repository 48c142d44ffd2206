//! The Baseten SDK's generated types and helpers behave as documented: tagged and untagged
//! unions, absent/null/value fields, the Bearer default and the legacy Api-Key scheme, and
//! cursor and page-token paging against a scripted server.

use apigen_tests::mock_server::{MockResponse, MockServer};
use baseten::Client;
use baseten::types::{
    CreateModelRequestV1Source, DailyDedicatedUsageV1ComputeCost, UpdateDeploymentRequestV1,
};
use futures_util::TryStreamExt;
use serde_json::json;

#[test]
fn a_tagged_union_reads_its_discriminator_and_keeps_unknown_tags() {
    let known: CreateModelRequestV1Source = serde_json::from_value(
        json!({"kind": "model_archive", "name": "m", "deployment": {"config": {}}}),
    )
    .unwrap_or_else(|err| panic!("{err}"));
    assert!(
        matches!(known, CreateModelRequestV1Source::ModelArchive(_)),
        "{known:?}"
    );
    let raw = json!({"kind": "git_repository", "url": "https://y"});
    let unknown: CreateModelRequestV1Source =
        serde_json::from_value(raw.clone()).expect("an unknown tag decodes");
    assert_eq!(unknown, CreateModelRequestV1Source::Unknown(raw.clone()));
    assert_eq!(serde_json::to_value(&unknown).expect("encodes"), raw);
}

#[test]
fn an_untagged_union_tries_its_shapes_in_order() {
    let cases = [
        (json!(12.5), DailyDedicatedUsageV1ComputeCost::Number(12.5)),
        (
            json!("12.50"),
            DailyDedicatedUsageV1ComputeCost::String("12.50".to_owned()),
        ),
        (
            json!([1]),
            DailyDedicatedUsageV1ComputeCost::Unknown(json!([1])),
        ),
    ];
    for (raw, want) in cases {
        let got: DailyDedicatedUsageV1ComputeCost =
            serde_json::from_value(raw.clone()).expect("decodes");
        assert_eq!(got, want);
        assert_eq!(serde_json::to_value(&got).expect("encodes"), raw);
    }
}

#[test]
fn a_patch_body_keeps_absent_null_and_value_apart() {
    let cases = [
        (None, json!({})),
        (Some(None), json!({"name": null})),
        (Some(Some("blue".to_owned())), json!({"name": "blue"})),
    ];
    for (name, wire) in cases {
        let body = UpdateDeploymentRequestV1 { name };
        assert_eq!(serde_json::to_value(&body).expect("encodes"), wire);
        let back: UpdateDeploymentRequestV1 = serde_json::from_value(wire).expect("decodes");
        assert_eq!(back, body);
    }
}

#[test]
fn bodies_are_built_from_defaults_constructors_and_setters() {
    use baseten::types::{UpdateAutoscalingSettingsV1, UpdateDeploymentRequestV1};
    let one_setting = UpdateAutoscalingSettingsV1::default().min_replica(1);
    assert_eq!(
        serde_json::to_value(&one_setting).expect("encodes"),
        json!({"min_replica": 1})
    );
    let cleared = UpdateAutoscalingSettingsV1::default()
        .max_replica_null()
        .scale_down_delay(60);
    assert_eq!(
        serde_json::to_value(&cleared).expect("encodes"),
        json!({"max_replica": null, "scale_down_delay": 60})
    );
    // Struct literals keep working beside the setters.
    let literal = UpdateAutoscalingSettingsV1 {
        min_replica: Some(Some(1)),
        ..Default::default()
    };
    assert_eq!(literal, one_setting);
    let renamed = UpdateDeploymentRequestV1::default().name("blue");
    assert_eq!(renamed.name, Some(Some("blue".to_owned())));
}

fn page(items: serde_json::Value, has_more: bool, cursor: Option<&str>) -> MockResponse {
    let body = json!({"items": items, "pagination": {"has_more": has_more, "cursor": cursor}});
    MockResponse::json(200, &body.to_string())
}

#[tokio::test]
async fn into_stream_follows_the_cursor_across_pages() {
    let user = |id: &str| json!({"user_id": id, "email": null, "name": "n", "role": "ADMIN"});
    let server = MockServer::start(vec![
        page(json!([user("u1"), user("u2")]), true, Some("c2")),
        page(json!([user("u3")]), false, None),
    ])
    .await
    .expect("server");
    let client = Client::builder()
        .api_key("key")
        .base_url(server.base_url())
        .build()
        .expect("client");

    let users: Vec<_> = client
        .list_users()
        .limit(2)
        .into_stream()
        .try_collect()
        .await
        .expect("pages");

    let ids: Vec<&str> = users.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(ids, ["u1", "u2", "u3"]);
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        ["/v1/users?limit=2", "/v1/users?limit=2&cursor=c2"]
    );
}

#[tokio::test]
async fn pages_follow_an_integer_page_token_with_the_total_and_headers() {
    let file = |name: &str| {
        json!({"url": "https://x", "relative_file_name": name, "node_rank": 0,
               "size_bytes": 1, "last_modified": "2026-01-01T00:00:00Z"})
    };
    let files_page = |files: serde_json::Value, next: Option<i64>| {
        let body = json!({"presigned_urls": files, "next_page_token": next, "total_count": 3});
        MockResponse::json(200, &body.to_string()).with_header("x-request-id", "r")
    };
    let server = MockServer::start(vec![
        files_page(json!([file("a"), file("b")]), Some(2)),
        files_page(json!([file("c")]), None),
    ])
    .await
    .expect("server");
    let client = Client::builder()
        .api_key("key")
        .base_url(server.base_url())
        .build()
        .expect("client");

    let pages: Vec<_> = client
        .list_loop_checkpoint_files("ck1")
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .expect("pages");

    assert_eq!(pages.len(), 2);
    assert_eq!(
        pages[0].next,
        Some(baseten::NextPage::Cursor("2".to_owned()))
    );
    assert_eq!(pages[0].total, Some(3));
    assert_eq!(pages[0].headers["x-request-id"], "r");
    assert_eq!(pages[1].items[0].relative_file_name, "c");
    assert_eq!(pages[1].next, None);
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/v1/loops/checkpoints/ck1/files?page_size=2",
            "/v1/loops/checkpoints/ck1/files?page_size=2&page_token=2"
        ]
    );
}

#[tokio::test]
async fn bearer_is_the_default_and_the_legacy_api_key_scheme_can_be_chosen() {
    let server = MockServer::start(vec![page(json!([]), false, None)])
        .await
        .expect("server");
    for (scheme, want) in [
        (None, "Bearer key-1"),
        (Some("ApiKeyAuth"), "Api-Key key-1"),
    ] {
        let mut builder = Client::builder()
            .api_key("key-1")
            .base_url(server.base_url());
        if let Some(scheme) = scheme {
            builder = builder.auth_scheme(scheme);
        }
        let client = builder.build().expect("client");
        client.list_users().await.expect("empty page");
        let last = server.requests().pop().expect("a request");
        assert_eq!(last.header("authorization"), Some(want));
    }
}
