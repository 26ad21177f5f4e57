//! The planned client on the shapes that broke the per-path emitter
//! (`tests/fixtures/client_shapes.csdl.xml`): colliding builder names, same-named actions on
//! two types, function overloads, navigations and actions reachable only through a cast, a
//! nine-part key, optional parameters. Each request is built (not sent) and its method, URL
//! and body are checked.

use fixture_client_shapes_client::models::litware_storage as ls;
use fixture_client_shapes_client::parameters::{DriveShareParameters, ItemShareParameters};
use fixture_client_shapes_client::runtime::{self, Method, Request, StaticTokenCredential};
use fixture_client_shapes_client::{
    DriveCollectionRequestBuilder, DriveCollectionRequestBuilder2, FolderRequestBuilder,
    ServiceClient,
};
use serde_json::{json, Value};

fn client() -> ServiceClient {
    ServiceClient::new(StaticTokenCredential::new("t0k3n")).expect("client")
}

/// (method, URL, JSON body or `Null`) of a request as it would be sent.
fn sent<T>(request: Request<T>) -> (Method, String, Value) {
    let built = request.build().expect("the request builds");
    let body = built
        .body
        .map(|b| serde_json::from_slice(&b).expect("a JSON body"))
        .unwrap_or(Value::Null);
    (built.method, built.url.to_string(), body)
}

const BASE: &str = "https://storage.litware.test/v1";

#[test]
fn colliding_builder_names_are_both_usable() {
    let c = client();
    // `drives` is drive's collection builder; the item builder of `driveCollection` wanted
    // the same name and got the numbered one.
    let drives: DriveCollectionRequestBuilder = c.drives();
    let collection: DriveCollectionRequestBuilder2 = c.drive_collections().by_id("dc1");
    let (m, url, _) = sent(drives.list());
    assert_eq!((m, url), (Method::GET, format!("{BASE}/drives")));
    let (m, url, _) = sent(collection.get());
    assert_eq!(
        (m, url),
        (Method::GET, format!("{BASE}/driveCollections/dc1"))
    );
    // And the navigation from one to the other returns drive's collection builder.
    let (m, url, _) = sent(collection.drives().by_id("d1").get());
    assert_eq!(
        (m, url),
        (
            Method::GET,
            format!("{BASE}/driveCollections/dc1/drives/d1")
        )
    );
}

#[test]
fn same_named_actions_send_their_own_parameters() {
    let c = client();
    let drive = c.drives().by_id("d1");
    let (m, url, body) = sent(drive.share(&DriveShareParameters {
        recipients: Some(vec!["a@litware.test".into()]),
        message: Some("hi".into()),
        ..Default::default()
    }));
    assert_eq!(m, Method::POST);
    assert_eq!(url, format!("{BASE}/drives/d1/Litware.Storage.share"));
    assert_eq!(
        body,
        json!({"recipients": ["a@litware.test"], "message": "hi"})
    );

    let expires: runtime::edm::DateTimeOffset = "2030-01-02T03:04:05Z".parse().unwrap();
    let (m, url, body) = sent(drive.items().by_id("i1").share(&ItemShareParameters {
        link: Some("view".into()),
        expires: Some(expires),
        ..Default::default()
    }));
    assert_eq!(m, Method::POST);
    assert_eq!(
        url,
        format!("{BASE}/drives/d1/items/i1/Litware.Storage.share")
    );
    assert_eq!(
        body,
        json!({"link": "view", "expires": "2030-01-02T03:04:05Z"})
    );

    // Parameter structs read JSON too (request bodies kept in files), explicit nulls included.
    let read: ItemShareParameters =
        serde_json::from_value(json!({"link": "edit", "expires": null})).unwrap();
    assert_eq!(read.link.as_deref(), Some("edit"));
    assert_eq!(read.expires, None);
}

#[test]
fn function_overloads_and_optional_parameters() {
    let c = client();
    let drive = c.drives().by_id("d1");
    let (m, url, body) = sent(drive.usage());
    assert_eq!(
        (m, url, body),
        (
            Method::GET,
            format!("{BASE}/drives/d1/Litware.Storage.usage()"),
            Value::Null
        )
    );

    // Optional parameters left out are not in the URL.
    let (_, url, _) = sent(drive.usage_2(&ls::Tier::Cool, None, None));
    assert_eq!(
        url,
        format!("{BASE}/drives/d1/Litware.Storage.usage(tier=Litware.Storage.tier'cool')")
    );
    // Given, they are: a structured value as JSON (percent-encoded), a date bare.
    let range = ls::Range {
        from: Some(1),
        to: Some(9),
        ..Default::default()
    };
    let since: runtime::edm::Date = "2024-02-29".parse().unwrap();
    let (_, url, _) = sent(drive.usage_2(&ls::Tier::Hot, Some(&range), Some(&since)));
    assert_eq!(
        url,
        format!(
            "{BASE}/drives/d1/Litware.Storage.usage(tier=Litware.Storage.tier'hot',range=%7B%22from%22:1,%22to%22:9%7D,since=2024-02-29)"
        )
    );

    // An unbound function import with an optional (nullable) parameter.
    let (m, url, _) = sent(c.search("O'Neil", None));
    assert_eq!(
        (m, url),
        (Method::GET, format!("{BASE}/search(query='O%27%27Neil')"))
    );
    let (_, url, _) = sent(c.search("x", Some(5)));
    assert_eq!(url, format!("{BASE}/search(query='x',top=5)"));

    // A single optional action parameter: left out, the body is an empty object.
    let (m, url, body) = sent(drive.archive(None));
    assert_eq!(
        (m, url),
        (
            Method::POST,
            format!("{BASE}/drives/d1/Litware.Storage.archive")
        )
    );
    assert_eq!(body, json!({}));
    let (_, _, body) = sent(drive.archive(Some("old")));
    assert_eq!(body, json!({"reason": "old"}));
}

#[test]
fn casts_reach_what_derived_types_add() {
    let c = client();
    let items = c.drives().by_id("d1").items();
    // A collection cast lists only folders, typed as folders.
    let folders = items.as_folder();
    let list: Request<runtime::Page<ls::Folder>> = folders.list();
    let (m, url, _) = sent(list);
    assert_eq!(
        (m, url),
        (
            Method::GET,
            format!("{BASE}/drives/d1/items/Litware.Storage.folder")
        )
    );
    // An item cast reaches the navigation and the action only a folder has.
    let folder: FolderRequestBuilder = items.by_id("f1").as_folder();
    let (m, url, _) = sent(folder.children().list());
    assert_eq!(
        (m, url),
        (
            Method::GET,
            format!("{BASE}/drives/d1/items/f1/Litware.Storage.folder/children")
        )
    );
    let (m, url, body) = sent(folder.compress(9));
    assert_eq!(
        (m, url),
        (
            Method::POST,
            format!("{BASE}/drives/d1/items/f1/Litware.Storage.folder/Litware.Storage.compress")
        )
    );
    assert_eq!(body, json!({"level": 9}));
    // A folder keeps the operations of `item` (its base).
    let (_, url, _) = sent(folder.share(&ItemShareParameters::default()));
    assert_eq!(
        url,
        format!("{BASE}/drives/d1/items/f1/Litware.Storage.folder/Litware.Storage.share")
    );
    // Through the collection cast, then a key.
    let (_, url, _) = sent(folders.by_id("f2").get());
    assert_eq!(
        url,
        format!("{BASE}/drives/d1/items/Litware.Storage.folder/f2")
    );
}

#[test]
fn a_nine_part_key_takes_typed_arguments() {
    let c = client();
    let sensor: runtime::edm::Guid = "6f9619ff-8b86-d011-b42d-00c04fc964ff".parse().unwrap();
    let day: runtime::edm::Date = "2024-01-31".parse().unwrap();
    let reading = c.readings().by_key(
        "O'Hare",
        2,
        -1,
        9_007_199_254_740_993,
        7,
        true,
        sensor,
        &day,
        &ls::Tier::Archive,
    );
    let (m, url, _) = sent(reading.get());
    assert_eq!(m, Method::GET);
    assert_eq!(
        url,
        format!(
            "{BASE}/readings(site='O%27%27Hare',building=2,floor=-1,room=9007199254740993,rack=7,slot=true,sensor=6f9619ff-8b86-d011-b42d-00c04fc964ff,day=2024-01-31,tier=Litware.Storage.tier'archive')"
        )
    );
}

#[test]
fn a_function_argument_that_cannot_be_written_is_an_error_not_an_empty_literal() {
    /// A value whose serialization fails.
    struct Unwritable;
    impl serde::Serialize for Unwritable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no JSON form"))
        }
    }
    let c = client();
    let path = runtime::ODataPath::root().function(
        "f",
        [
            ("a", Some(runtime::ODataLiteral::of(&1_i32))),
            ("b", Some(runtime::ODataLiteral::json(&Unwritable))),
        ],
    );
    let request: Request<i64> = Request::with_path(c.client(), Method::GET, path, Request::value);
    let err = request.build().unwrap_err();
    assert!(err.to_string().contains("no JSON form"), "{err}");
}

/// Parameter structs read like models: a documented body in another case keeps every
/// member, a value that does not fit its parameter's type is kept verbatim, members the
/// action does not declare are kept, and all of it is sent back.
#[test]
fn parameters_are_lenient_and_lossless() {
    let documented = json!({"Recipients": ["a@litware.test"], "MESSAGE": "hi", "notify": true});
    let p: DriveShareParameters = serde_json::from_value(documented).unwrap();
    assert_eq!(
        p.recipients.as_deref(),
        Some(&["a@litware.test".to_string()][..])
    );
    assert_eq!(p.message.as_deref(), Some("hi"));
    assert_eq!(p.additional_properties["notify"], json!(true));
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"notify": true, "recipients": ["a@litware.test"], "message": "hi"})
    );

    let mistyped = json!({"link": "view", "expires": "next tuesday"});
    let p: ItemShareParameters = serde_json::from_value(mistyped.clone()).unwrap();
    assert_eq!(p.expires, None);
    assert_eq!(p.additional_properties["expires"], json!("next tuesday"));
    assert_eq!(serde_json::to_value(&p).unwrap(), mistyped);
    let (_, _, body) = sent(client().drives().by_id("d1").items().by_id("i1").share(&p));
    assert_eq!(body, mistyped);
}
