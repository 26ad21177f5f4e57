//! `recursion`: mutually recursive single-valued complex types (member -> team -> member),
//! a self-recursive complex type, recursion through collections, and an entity whose
//! single-valued navigation property points to its own type.

use crate::common::{assert_round_trip, json, write};
use fixture_recursion as fx;

#[test]
fn mutual_recursion_three_levels_deep() {
    let text = r#"{
      "name": "Ada",
      "team": {
        "title": "Compilers",
        "lead": {
          "name": "Grace",
          "team": {
            "title": "Languages",
            "lead": { "name": "Barbara", "team": { "title": "Distributed" } }
          }
        }
      }
    }"#;
    let m: fx::Member = assert_round_trip(text);
    let team: &fx::Team = m.team.as_deref().expect("team");
    let lead: &fx::Member = team.lead.as_deref().expect("lead");
    assert_eq!(lead.name.as_deref(), Some("Grace"));
    let inner = lead
        .team
        .as_deref()
        .and_then(|t| t.lead.as_deref())
        .expect("inner lead");
    assert_eq!(inner.name.as_deref(), Some("Barbara"));
    assert_eq!(
        inner.team.as_deref().and_then(|t| t.title.as_deref()),
        Some("Distributed")
    );
    assert_eq!(inner.team.as_deref().and_then(|t| t.lead.as_ref()), None);
}

#[test]
fn self_recursion_builds_and_round_trips_a_long_chain() {
    // Built in code (Box per link), 60 links: deeper than any realistic payload.
    let mut chain: Option<Box<fx::ChainLink>> = None;
    for position in (0..60).rev() {
        chain = Some(Box::new(fx::ChainLink {
            position: Some(position),
            next: chain,
            ..Default::default()
        }));
    }
    let head = *chain.expect("head");
    let written = write(&head);
    assert_eq!(written["position"], 0);
    assert_eq!(written["next"]["next"]["next"]["position"], 3);
    let back: fx::ChainLink = serde_json::from_value(written).expect("read back");
    assert_eq!(back, head);
    let mut length = 0;
    let mut link = Some(&back);
    while let Some(l) = link {
        assert_eq!(l.position, Some(length));
        length += 1;
        link = l.next.as_deref();
    }
    assert_eq!(length, 60);
}

#[test]
fn recursion_through_collections() {
    let text = r#"{
      "name": "root",
      "subfolders": [
        { "name": "a", "subfolders": [ { "name": "a1", "subfolders": [ { "name": "a1x", "subfolders": [] } ] } ] },
        { "name": "b", "members": [ { "name": "Lin", "team": { "title": "B-team" } } ] }
      ]
    }"#;
    let root: fx::Folder = assert_round_trip(text);
    let subs = root.subfolders.as_deref().expect("subfolders");
    // Vec<Folder> directly, no Box needed.
    let a1x: &fx::Folder = &subs[0].subfolders.as_deref().expect("a")[0]
        .subfolders
        .as_deref()
        .expect("a1")[0];
    assert_eq!(a1x.name.as_deref(), Some("a1x"));
    assert_eq!(a1x.subfolders.as_deref(), Some(&[][..]));
    let lin = &subs[1].members.as_deref().expect("members")[0];
    assert_eq!(
        lin.team.as_deref().and_then(|t| t.title.as_deref()),
        Some("B-team")
    );
}

#[test]
fn expanded_self_referencing_navigation_properties() {
    let text = r#"{
      "id": "e1",
      "manager": {
        "id": "e2",
        "manager": { "id": "e3", "home": { "name": "hq" } }
      },
      "reports": [
        { "id": "e4", "reports": [ { "id": "e5" } ] }
      ]
    }"#;
    let e: fx::Employee = assert_round_trip(text);
    let top = e
        .manager
        .as_deref()
        .and_then(|m| m.manager.as_deref())
        .expect("manager's manager");
    assert_eq!(top.id.as_deref(), Some("e3"));
    assert_eq!(
        top.home.as_ref().and_then(|h| h.name.as_deref()),
        Some("hq")
    );
    let reports = e.reports.as_deref().expect("reports");
    assert_eq!(
        reports[0].reports.as_deref().map(|r| r[0].id.clone()),
        Some(Some("e5".to_string()))
    );
    let manual = fx::Employee {
        id: Some("x".into()),
        manager: Some(Box::new(fx::Employee {
            id: Some("y".into()),
            ..Default::default()
        })),
        ..Default::default()
    };
    assert_eq!(
        write(&manual),
        json(r#"{ "id": "x", "manager": { "id": "y" } }"#)
    );
}
