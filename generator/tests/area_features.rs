//! Per-area Cargo features (`Generator::area_features`, `plan::features`) on a fixture with
//! deep containment, types shared by areas and polymorphic bases whose derived types live
//! in other areas: the features say what each area enables, and the crates compile
//! clippy-clean with no feature, each area alone, pairs of areas and `full`.

use std::path::Path;
use std::process::Command;

use csdl_codegen::{ClientInfo, Dependency, Generator, Output, WriteMode};

mod support;
use support::{file, workspace_root};

const MODELS: &str = "fixture-areas";
const CLIENT: &str = "fixture-areas-client";

fn generate() -> Output {
    let root = workspace_root();
    Generator::new(root.join("tests/fixtures/areas/areas.csdl.xml"))
        .all(true)
        .area_features(true)
        .crate_name(MODELS)
        .runtime(Dependency::path(root.join("runtime").display().to_string()))
        .client(
            ClientInfo::new("https://example.com/api")
                .crate_name(CLIENT)
                .models(Dependency::path("../models")),
        )
        .generate()
        .expect("generates")
}

/// The `[features]` table of a manifest, as `name = [...]` lines by name.
fn features(manifest: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let table = manifest
        .split("[features]\n")
        .nth(1)
        .expect("the manifest has features");
    table
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = "))
        .map(|(name, list)| {
            let items = list
                .trim_matches(['[', ']'])
                .split(", ")
                .filter(|s| !s.is_empty())
                .map(|s| s.trim_matches('"').to_string())
                .collect();
            (name.to_string(), items)
        })
        .collect()
}

/// The text of the files whose path starts with `prefix` (a module split into numbered
/// files), in order.
fn files(output: &[csdl_codegen::OutputFile], prefix: &str) -> String {
    let mut parts: Vec<_> = output
        .iter()
        .filter(|f| f.path.starts_with(prefix))
        .collect();
    assert!(!parts.is_empty(), "{prefix}* was generated");
    parts.sort_by(|a, b| a.path.cmp(&b.path));
    parts.iter().map(|f| f.contents.as_str()).collect()
}

/// The features of the `cfg` attributes right above the first line at or after `from` that
/// starts with `item` (after indentation), sorted; empty when it has none.
fn cfg_of(text: &str, from: &str, item: &str) -> Vec<String> {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("{from} is generated"));
    let lines: Vec<&str> = text[start..].lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(item))
        .unwrap_or_else(|| panic!("{item} follows {from}"));
    let lines: Vec<&str> = text[..start]
        .lines()
        .chain(lines[..at].iter().copied())
        .collect();
    // Attributes and docs above the item, up to the end of the previous item.
    let mut out = Vec::new();
    for line in lines.iter().rev().map(|l| l.trim()) {
        if line.is_empty() || line.ends_with(['{', '}', ';', ',']) && !line.starts_with("feature") {
            break;
        }
        if line.starts_with("///") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("feature = \"") {
            rest = &rest[i + 11..];
            let end = rest.find('"').expect("closed");
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out.sort();
    out
}

/// The feature (home group) a generated struct is compiled with.
fn home_of<'a>(models: &'a str, item: &str) -> &'a str {
    let at = models
        .find(&format!("pub struct {item} {{"))
        .unwrap_or_else(|| panic!("{item} is generated"));
    let before = &models[..at];
    let cfg = before
        .rfind("#[cfg(feature = \"")
        .expect("types have a cfg")
        + 17;
    let end = before[cfg..].find('"').expect("closed");
    &before[cfg..cfg + end]
}

#[test]
fn each_area_enables_the_types_it_reaches_and_no_other() {
    let output = generate();
    let models = features(file(&output.models, "Cargo.toml"));
    let client = features(file(&output.client, "Cargo.toml"));
    let areas = [
        "devices",
        "directory_objects",
        "drives",
        "groups",
        "me",
        "operation_imports",
        "users",
    ];
    for area in areas {
        assert_eq!(
            client[area],
            vec![format!("{MODELS}/{area}")],
            "the client's {area} enables the models' {area}"
        );
        assert!(models.contains_key(area), "models have {area}");
    }
    let entity_types = &files(&output.models, "src/contoso_org/entity_types");
    let complex_types = file(&output.models, "src/contoso_org/complex_types.rs");
    let enables = |area: &str, group: &str| models[area].iter().any(|g| g == group);
    // A type of one area, and a type every area that holds a user reaches.
    let (user, group) = (
        home_of(entity_types, "User"),
        home_of(entity_types, "Group"),
    );
    assert!(enables("users", user) && enables("me", user));
    assert!(!enables("users", group), "users does not compile groups");
    // Deep containment: attachments (and their derived types) come with users and me.
    let attachment = home_of(entity_types, "FileAttachment");
    assert!(enables("users", attachment) && !enables("groups", attachment));
    // A shared complex type is in a home both areas enable.
    let identity = home_of(complex_types, "Identity");
    assert!(enables("users", identity) && enables("drives", identity));
    // `full` enables every area and group; group features are hidden (`_`).
    for (name, _) in models.iter().filter(|(n, _)| n.starts_with('_')) {
        assert!(models["full"].contains(name), "full enables {name}");
    }
    // A navigation into another area is a field only with that area's types.
    assert!(
        entity_types.contains(&format!(
            "#[cfg(feature = \"{user}\")]\n    pub owner: Option<User>"
        )),
        "Group::owner is a field only with the users' home"
    );
    // A variant of `Any<Base>` from another home is compiled only with it.
    assert_eq!(
        cfg_of(entity_types, "pub enum AnyDirectoryObject", "Group("),
        [group]
    );
    // An operation bound to a base collection and returning the base (`delta`, inherited by
    // the devices' collection) does not bring the other areas' derived types.
    let device = home_of(entity_types, "Device");
    assert!(enables("devices", device));
    assert!(!enables("devices", user) && !enables("devices", group));
    // A link brings the base type only: users reach directory objects, not devices.
    assert!(!enables("users", device));
}

/// Which builders and methods each area compiles: links open builders of other areas (their
/// plain requests, not their operations), a contained navigation to a type an entity set
/// holds is such a link, a cast target nothing else reaches goes with its base's builder,
/// and what only a second link reaches is compiled with `full`.
#[test]
fn builders_follow_containment_and_one_hop_of_links() {
    let output = generate();
    let client = file(&output.client, "src/builders.rs");
    let cfg = |from: &str, item: &str| cfg_of(client, from, item);
    let struct_of = |name: &str| {
        cfg(
            &format!("pub struct {name} {{"),
            &format!("pub struct {name}"),
        )
    };
    let method =
        |builder: &str, m: &str| cfg(&format!("impl {builder} {{"), &format!("pub fn {m}("));
    // The members of a user's `memberOf` come with users, as directory objects.
    assert_eq!(
        method("UserRequestBuilder", "member_of"),
        Vec::<String>::new()
    );
    assert_eq!(
        struct_of("DirectoryObjectCollectionRequestBuilder"),
        ["directory_objects", "groups", "me", "users"]
    );
    // Its operations are the directory objects' own; casts go with the target's areas.
    assert_eq!(
        method("DirectoryObjectCollectionRequestBuilder", "delta"),
        ["directory_objects"]
    );
    assert_eq!(
        method("DirectoryObjectCollectionRequestBuilder", "as_group"),
        ["groups"]
    );
    assert_eq!(
        method("UserCollectionRequestBuilder", "delta"),
        Vec::<String>::new()
    );
    // A user's drive is held by `drives`: users read it, its items come with drives.
    assert_eq!(
        struct_of("DriveRequestBuilder"),
        ["drives", "groups", "me", "users"]
    );
    assert_eq!(method("DriveRequestBuilder", "items"), ["drives"]);
    assert_eq!(struct_of("DriveItemCollectionRequestBuilder"), ["drives"]);
    // A message's source is any entity: a note (only a cast reaches its builder) goes with
    // the entity's builder; its replies are a second link, compiled with `full` only.
    assert_eq!(struct_of("EntityRequestBuilder"), ["me", "users"]);
    assert_eq!(struct_of("NoteRequestBuilder"), ["me", "users"]);
    assert_eq!(method("NoteRequestBuilder", "replies"), ["full"]);
    assert_eq!(struct_of("ReplyCollectionRequestBuilder"), ["full"]);
    assert_eq!(
        method("ReplyCollectionRequestBuilder", "by_id"),
        Vec::<String>::new()
    );
}

/// `plan::features::explain` (the example `area_reach`) tells how an area reaches a type:
/// the chain of steps from the request that named the first type, and the builder path.
#[test]
fn explain_gives_the_chain_that_brought_a_type_into_an_area() {
    use csdl_codegen::plan::{client::ClientPlan, features::explain, Plan};
    let root = workspace_root();
    let selected = Generator::new(root.join("tests/fixtures/areas/areas.csdl.xml"))
        .all(true)
        .select()
        .expect("selects");
    let plan = Plan::new(&selected.model, &selected.selection);
    let cp = ClientPlan::new(&plan, None);
    let report = explain(&plan, &cp, "users", &["fileAttachment", "group"]).expect("an area");
    assert!(report.starts_with("area `users`: "), "{report}");
    let chain = report
        .split("type `fileAttachment`:\n")
        .nth(1)
        .expect("the type's chain");
    let lines: Vec<&str> = chain.lines().take(3).collect();
    assert_eq!(
        lines,
        [
            "  contoso.org.attachment [entity of builder AttachmentCollectionRequestBuilder (/me/mailFolders({id})/messages({id})/attachments)]",
            "  contoso.org.fileAttachment [derived type]",
            "  builder path: /users/{id}/mailFolders/{id}/messages/{id}/attachments",
        ],
        "{report}"
    );
    assert!(report.contains("type `group`: not reached"), "{report}");
    let unknown = explain(&plan, &cp, "usrs", &[]).expect_err("no such area");
    assert!(
        unknown.contains("the areas: devices, directory_objects"),
        "{unknown}"
    );
}

#[test]
fn without_the_setting_the_crates_have_no_features() {
    let root = workspace_root();
    let output = Generator::new(root.join("tests/fixtures/areas/areas.csdl.xml"))
        .all(true)
        .generate()
        .expect("generates");
    assert!(!file(&output.models, "Cargo.toml").contains("[features]"));
    assert!(!files(&output.models, "src/contoso_org/entity_types").contains("#[cfg("));
}

/// Runs clippy (`-D warnings`) over both crates with `features` of the client.
fn clippy(dir: &Path, target: &Path, features: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let list: Vec<String> = features.iter().map(|f| format!("{CLIENT}/{f}")).collect();
    let mut cmd = Command::new(cargo);
    cmd.args([
        "clippy",
        "--offline",
        "--quiet",
        "--message-format",
        "short",
    ])
    .args(["-p", MODELS, "-p", CLIENT]);
    if !list.is_empty() {
        cmd.args(["--features", &list.join(",")]);
    }
    let out = cmd
        .args(["--", "-D", "warnings"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo runs");
    if out.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        Err(format!(
            "features {features:?}:\n{}",
            stderr.lines().take(30).collect::<Vec<_>>().join("\n")
        ))
    }
}

#[test]
fn every_area_alone_pairs_and_full_compile_clippy_clean() {
    let root = workspace_root();
    let output = generate();
    let dir = tempfile::tempdir().expect("temp dir");
    output
        .write(
            dir.path().join("models"),
            Some(&dir.path().join("client")),
            WriteMode::Force,
        )
        .expect("writes");
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"models\", \"client\"]\n",
    )
    .expect("workspace manifest");
    // The workspace's lock file: the same dependency versions, already built in its target
    // directory, and no registry lookups.
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock")).expect("lock file");
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    let areas: Vec<String> = features(file(&output.client, "Cargo.toml"))
        .into_keys()
        .filter(|f| f != "full")
        .collect();
    assert_eq!(areas.len(), 7, "{areas:?}");
    let mut sets: Vec<Vec<&str>> = vec![Vec::new(), vec!["full"]];
    sets.extend(areas.iter().map(|a| vec![a.as_str()]));
    // Each area with the next one (a ring): every area is in two pairs.
    sets.extend(
        (0..areas.len()).map(|i| vec![areas[i].as_str(), areas[(i + 1) % areas.len()].as_str()]),
    );
    let failures: Vec<String> = sets
        .iter()
        .filter_map(|set| clippy(dir.path(), &target, set).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
