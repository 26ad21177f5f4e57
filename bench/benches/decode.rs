//! Decode speed of the generated models: a large synthetic `synchronizationSchema` payload
//! (see `csdl_codegen_bench::payload`) decoded into
//! `graph_synchronization_models::SynchronizationSchema` and re-encoded, against
//! `serde_json::Value` on the same bytes.
//!
//! `cargo bench -p csdl-codegen-bench --bench decode`
//!
//! Before timing anything, `main` checks that the typed round trip keeps everything: the
//! re-encoded typed value equals the input as a `Value` (unknown properties and annotations
//! included). It then runs an interleaved A/B comparison of the two decodes (typed, Value,
//! typed, Value, ... measured in thread CPU time), which gives the verdict: divan runs all
//! samples of one benchmark before the next, so on a shared machine a change of load between
//! the two skews its medians. The divan table follows.

use std::sync::OnceLock;

use graph_synchronization_models::SynchronizationSchema;
use serde_json::Value;

fn payload() -> &'static [u8] {
    static PAYLOAD: OnceLock<Vec<u8>> = OnceLock::new();
    PAYLOAD.get_or_init(csdl_codegen_bench::payload::large_payload)
}

fn main() {
    let bytes = payload();
    let value: Value = serde_json::from_slice(bytes).expect("payload is JSON");
    let typed: SynchronizationSchema = serde_json::from_slice(bytes).expect("payload decodes");
    let back: Value = serde_json::from_slice(&serde_json::to_vec(&typed).expect("encodes"))
        .expect("re-encoded payload is JSON");
    assert!(back == value, "the typed round trip lost or changed data");
    assert!(
        !typed.additional_properties.is_empty(),
        "unknown properties were not kept"
    );
    eprintln!(
        "payload: {} bytes; {}",
        bytes.len(),
        csdl_codegen_bench::payload::describe(&value)
    );
    interleaved_decode(bytes, 200);
    divan::main();
}

/// Decodes `bytes` as typed and as `Value` alternately `pairs` times; prints the medians of
/// thread CPU time and the verdict (typed at least as fast as `Value`) as a markdown table.
fn interleaved_decode(bytes: &[u8], pairs: usize) {
    use csdl_codegen_bench::run::thread_cpu_time;
    let ms = |d: std::time::Duration| format!("{:.3}", d.as_secs_f64() * 1e3);
    let mut typed = Vec::with_capacity(pairs);
    let mut value = Vec::with_capacity(pairs);
    for _ in 0..pairs {
        let start = thread_cpu_time();
        let t: SynchronizationSchema = serde_json::from_slice(divan::black_box(bytes)).unwrap();
        typed.push(thread_cpu_time() - start);
        drop(divan::black_box(t));
        let start = thread_cpu_time();
        let v: Value = serde_json::from_slice(divan::black_box(bytes)).unwrap();
        value.push(thread_cpu_time() - start);
        drop(divan::black_box(v));
    }
    typed.sort();
    value.sort();
    let (t, v) = (typed[pairs / 2], value[pairs / 2]);
    let ratio = t.as_secs_f64() / v.as_secs_f64();
    println!("| decode, interleaved A/B ({pairs} pairs, thread CPU time) | typed median (ms) | Value median (ms) | typed fastest (ms) | Value fastest (ms) | typed / Value | target | result |");
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| {} bytes | {} | {} | {} | {} | {ratio:.2} | typed <= Value | {} |",
        bytes.len(),
        ms(t),
        ms(v),
        ms(typed[0]),
        ms(value[0]),
        if ratio <= 1.0 { "PASS" } else { "FAIL" }
    );
    println!();
}

mod decode {
    use super::*;

    #[divan::bench(counter = divan::counter::BytesCount::new(payload().len()))]
    fn value() -> Value {
        serde_json::from_slice(divan::black_box(payload())).unwrap()
    }

    #[divan::bench(counter = divan::counter::BytesCount::new(payload().len()))]
    fn typed() -> SynchronizationSchema {
        serde_json::from_slice(divan::black_box(payload())).unwrap()
    }
}

mod encode {
    use super::*;

    #[divan::bench(counter = divan::counter::BytesCount::new(payload().len()))]
    fn value(bencher: divan::Bencher) {
        let v: Value = serde_json::from_slice(payload()).unwrap();
        bencher.bench_local(|| serde_json::to_vec(divan::black_box(&v)).unwrap());
    }

    #[divan::bench(counter = divan::counter::BytesCount::new(payload().len()))]
    fn typed(bencher: divan::Bencher) {
        let v: SynchronizationSchema = serde_json::from_slice(payload()).unwrap();
        bencher.bench_local(|| serde_json::to_vec(divan::black_box(&v)).unwrap());
    }
}

mod round_trip {
    use super::*;

    #[divan::bench(counter = divan::counter::BytesCount::new(payload().len()))]
    fn value() -> Vec<u8> {
        let v: Value = serde_json::from_slice(divan::black_box(payload())).unwrap();
        serde_json::to_vec(&v).unwrap()
    }

    #[divan::bench(counter = divan::counter::BytesCount::new(payload().len()))]
    fn typed() -> Vec<u8> {
        let v: SynchronizationSchema = serde_json::from_slice(divan::black_box(payload())).unwrap();
        serde_json::to_vec(&v).unwrap()
    }
}
