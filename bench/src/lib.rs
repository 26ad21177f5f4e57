//! Benchmarks of `csdl-codegen` and of the crates it generates. `bash bench/run.sh` runs them
//! all; BENCHMARKS.md (top level) records results.
//!
//! * [`scale`]: 2x/4x inputs made from a real CSDL file (schemas copied under renamed
//!   namespaces), for how generation time grows with input size.
//! * [`run`]: running a program and measuring wall time, CPU time and peak RSS.
//! * [`alloc`]: a counting allocator for in-process heap figures per pipeline stage.
//! * [`payload`]: the large synthetic `synchronizationSchema` payload of the decode bench.
//! * [`stress`]: a synthetic navigation-heavy CSDL document for the client's size and speed.
//!
//! Binaries: `parse-floor` (the baseline: read the file and parse it with roxmltree, nothing
//! else) and `csdl-bench` (the generation, memory and stage measurements).

pub mod alloc;
pub mod payload;
pub mod run;
pub mod scale;
pub mod stress;

/// roxmltree options identical to the generator's reader (`generator/src/csdl/reader.rs`).
pub fn parsing_options<'input>() -> roxmltree::ParsingOptions<'input> {
    roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 20_000_000,
        ..roxmltree::ParsingOptions::default()
    }
}
