//! Hand-written examples of a client crate (`ClientInfo::example`, `example_requiring`):
//! copied into `examples/`, and an example that needs area features becomes an
//! `[[example]]` target with `required-features`, so a build without them skips it; a
//! feature the client does not have is an error, not an example no build ever compiles.

use csdl_codegen::{ClientInfo, Dependency, ErrorKind, Generator, Output};

mod support;
use support::{file, workspace_root};

const LIST: &str = "fn main() {}\n";

fn generate(area_features: bool, client: ClientInfo) -> csdl_codegen::Result<Output> {
    let root = workspace_root();
    Generator::new(root.join("tests/fixtures/areas/areas.csdl.xml"))
        .all(true)
        .area_features(area_features)
        .crate_name("fixture-areas")
        .runtime(Dependency::path(root.join("runtime").display().to_string()))
        .client(
            client
                .crate_name("fixture-areas-client")
                .models(Dependency::path("../models")),
        )
        .generate()
}

fn base() -> ClientInfo {
    ClientInfo::new("https://example.com/api")
}

#[test]
fn an_example_with_features_is_a_target_that_requires_them() {
    let output = generate(
        true,
        base().example("plain.rs", LIST).example_requiring(
            "list_groups.rs",
            LIST,
            ["groups", "directory_objects"],
        ),
    )
    .unwrap();
    assert_eq!(file(&output.client, "examples/plain.rs"), LIST);
    assert_eq!(file(&output.client, "examples/list_groups.rs"), LIST);
    let manifest: toml::Table = file(&output.client, "Cargo.toml").parse().unwrap();
    let targets = manifest["example"].as_array().unwrap();
    // Only the example that needs features gets a target; the other is found by Cargo.
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0]["name"].as_str(), Some("list_groups"));
    let required: Vec<&str> = targets[0]["required-features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(required, ["groups", "directory_objects"]);
    // Each required feature is one the manifest declares.
    let features = manifest["features"].as_table().unwrap();
    assert!(required.iter().all(|f| features.contains_key(*f)));
}

#[test]
fn examples_without_features_add_no_targets() {
    let output = generate(false, base().example("plain.rs", LIST)).unwrap();
    let manifest: toml::Table = file(&output.client, "Cargo.toml").parse().unwrap();
    assert!(!manifest.contains_key("example"));
}

#[test]
fn an_unknown_feature_is_an_error_with_a_suggestion() {
    let e = generate(
        true,
        base().example_requiring("list_groups.rs", LIST, ["grups"]),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.name.as_deref(), Some("grups"));
    assert!(
        e.message
            .contains("`list_groups.rs` requires the feature `grups`")
            && e.message.contains("did you mean `groups`?"),
        "{}",
        e.message
    );
}

#[test]
fn a_feature_without_area_features_is_an_error_that_says_where_features_come_from() {
    let e = generate(
        false,
        base().example_requiring("list_groups.rs", LIST, ["groups"]),
    )
    .unwrap_err();
    assert!(
        e.message.contains("has no features") && e.message.contains("Generator::area_features"),
        "{}",
        e.message
    );
}

#[test]
fn an_example_with_features_needs_a_plain_rs_file_name() {
    for bad in ["list_groups", "nested/list.rs", ".rs"] {
        let e = generate(true, base().example_requiring(bad, LIST, ["groups"])).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Config, "{bad}");
        assert!(
            e.message.contains("name its file `<name>.rs`"),
            "{bad}: {}",
            e.message
        );
    }
}
