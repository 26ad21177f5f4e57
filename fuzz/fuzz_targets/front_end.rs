//! The generator's front end on arbitrary bytes: read (UTF-8 decoding is lossy, so every
//! input reaches the XML parser), resolve, select everything, plan names, emit both crates
//! in memory. Errors are fine; a panic, an error without a position, or emitted code that
//! does not parse is a bug.
#![no_main]

use csdl_codegen::{csdl, emit, model, plan, select};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = match csdl::parse_document(&text) {
        Ok(doc) => doc,
        Err(e) => {
            assert!(e.pos.is_some(), "read error without a position: {e}");
            return;
        }
    };
    let model = match model::resolve(&doc) {
        Ok(model) => model,
        Err(e) => {
            assert!(e.pos.is_some(), "resolve error without a position: {e}");
            return;
        }
    };
    let selection = select::select_all(&model);
    let plan = plan::Plan::new(&model, &selection);
    let info = emit::CrateInfo {
        crate_name: "fuzz-models".into(),
        version: "0.0.0".into(),
        source: "fuzz.csdl.xml".into(),
        command: "fuzz".into(),
        runtime: csdl_codegen::Dependency::version("0.1"),
        repository: None,
        license: None,
        readme: Default::default(),
        graph: false,
    };
    // Emitting never fails on a resolved model: a failure is generated code that does not
    // parse, which is a bug.
    let models = emit::models_crate(&plan, &info).unwrap_or_else(|e| panic!("{e}"));
    assert!(!models.is_empty());
    let client = csdl_codegen::ClientInfo::new("https://example.invalid/v1.0")
        .crate_name("fuzz-client")
        .models(csdl_codegen::Dependency::path("../models"));
    emit::client_crate(&plan, &info, &client).unwrap_or_else(|e| panic!("{e}"));
});
