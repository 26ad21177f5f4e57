//! A small version of the bench's navigation fan-out document (`csdl-bench stress`) gets a
//! client whose size follows types + navigations + operations, and which compiles
//! clippy-clean together with its models.

use std::path::Path;
use std::process::Command;

use csdl_codegen::{ClientInfo, Generator, WriteMode};
use csdl_codegen_bench::stress;

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the bench crate lives in the workspace")
}

#[test]
fn a_navigation_fan_out_client_is_linear_and_compiles() {
    let root = workspace_root();
    let work = root.join("target/stress-check");
    let dir = work.join("fanout");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("stress.csdl.xml");
    // 80 types x 12 navigations, a containment chain 30 deep: far more URL paths than a
    // per-path client could emit.
    std::fs::write(&input, stress::navigation_fan_out(80, 12, 30)).unwrap();
    let runtime = root.join("runtime").display().to_string();
    let output = Generator::new(&input)
        .all(true)
        .crate_name("stress-models")
        .runtime(csdl_codegen::Dependency::path(runtime.clone()))
        .client(
            ClientInfo::new("https://stress.test")
                .crate_name("stress-client")
                .models(csdl_codegen::Dependency::path("../models")),
        )
        .generate()
        .unwrap();
    let builders = output
        .client
        .iter()
        .find(|f| f.path == "src/builders.rs")
        .unwrap();
    // Builders: an item and a collection builder per reachable type (80 + 8 derived),
    // nothing per path; plus the client type, the media builder and the two `$ref` builders.
    let structs = builders.contents.matches("\npub struct ").count();
    assert!(
        structs <= 2 * 88 + 4,
        "{structs} builder types for 88 entity types"
    );
    let methods = builders.contents.matches(" pub fn ").count();
    // Per type: navigations (12, plus the chain and cast extras), fixed verbs, 2 operations.
    assert!(methods < 88 * 40, "{methods} methods");
    let client_size: usize = output.client.iter().map(|f| f.contents.len()).sum();
    let models_size: usize = output.models.iter().map(|f| f.contents.len()).sum();
    // Linear: about as big as the models (this input is almost all navigations, each of
    // which has a method and, not containing its target, a `$ref` method, each documenting
    // its request and success status); a walk over paths would be orders of magnitude
    // bigger.
    assert!(
        client_size <= models_size * 2,
        "client {client_size} bytes, models {models_size}"
    );

    output
        .write(
            dir.join("models"),
            Some(&dir.join("client")),
            WriteMode::Force,
        )
        .unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"models\", \"client\"]\n",
    )
    .unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "clippy",
            "--quiet",
            "--workspace",
            "--message-format",
            "short",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&dir)
        // Shared with the whole-Graph check, so the dependencies are built once.
        .env("CARGO_TARGET_DIR", root.join("target/whole-graph/target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the stress client does not compile cleanly:\n{}",
        stderr.lines().take(40).collect::<Vec<_>>().join("\n")
    );
}
