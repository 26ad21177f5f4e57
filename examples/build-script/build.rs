//! Generates models and a client for synchronization jobs (and what they reach: schedules,
//! statuses, schemas, directories) from the pinned v1.0 metadata, into `$OUT_DIR/graph.rs`.

fn main() {
    let spec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../specs/graph-v1.0.sync.csdl.xml"
    );
    let result = csdl_codegen::Generator::new(spec)
        .roots(vec![csdl_codegen::Root::parse(
            "servicePrincipals/{id}/synchronization/jobs",
        )])
        .source_label("specs/graph-v1.0.sync.csdl.xml")
        .client(csdl_codegen::ClientInfo::new(
            "https://graph.microsoft.com/v1.0",
        ))
        .build_script("graph.rs");
    if let Err(e) = result {
        // Cargo shows this with the build script's output.
        panic!("code generation failed: {e}");
    }
}
