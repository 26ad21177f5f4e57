//! Generation benchmarks of csdl-codegen (see BENCHMARKS.md; `bash bench/run.sh` runs them).
//!
//! ```text
//! csdl-bench gen --input FILE --work DIR [--scales 1,2,4] [--runs N] [--generator BIN] [--floor BIN]
//!     Generation speed and peak memory: the release `csdl-codegen generate` (synchronization
//!     roots, and --all) against `parse-floor` on the same file, interleaved in one run, for
//!     the input and its 2x/4x copies. Prints markdown tables.
//! csdl-bench stages --input FILE --work DIR [--all]
//!     In-process time and heap high-water mark of each pipeline stage.
//! csdl-bench scale --input FILE --factor N --out FILE
//!     Writes an N-times input (schemas copied under renamed namespaces).
//! csdl-bench all-crate --input FILE --out DIR --runtime DIR [--crate-name NAME] [--with-client] [--split N]
//!     Generates the --all models crate as a standalone workspace with a path dependency on
//!     the runtime (default features off), for the compile-cost benchmark; with
//!     --with-client, a workspace of the models (DIR/models) and client (DIR/client) crates.
//! csdl-bench timings --html FILE CRATE...
//!     Prints each CRATE's unit time from a `cargo build --timings` report (`CRATE*`: the
//!     total of the units whose names start with CRATE; `CRATE/TARGET`: only that target of
//!     the crate: `CRATE/gallery_provisioning` for an example, `CRATE/` for the library).
//! csdl-bench payload --out FILE
//!     Writes the decode benchmark's synchronizationSchema payload.
//! csdl-bench stress --work DIR [--types 1000] [--fan-out 50] [--depth 40] [--runs 3]
//!     Times `generate --all --client-out` on the synthetic navigation fan-out document.
//! csdl-bench client --input FILE --work DIR [--runs 3]
//!     Times `generate --all --client-out` on a real document (wall, peak RSS, sizes).
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use csdl_codegen::{csdl, emit, model, plan, select, write, Root};
use csdl_codegen_bench::alloc::{self, CountingAlloc};
use csdl_codegen_bench::run::{measure, mib, ms, Sample, Stats};
use csdl_codegen_bench::{payload, scale, stress};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

type Res<T> = Result<T, String>;

/// `--name value` options and flags.
struct Args {
    values: BTreeMap<String, String>,
    flags: Vec<String>,
    rest: Vec<String>,
}

impl Args {
    fn parse(args: impl Iterator<Item = String>) -> Args {
        let mut values = BTreeMap::new();
        let mut flags = Vec::new();
        let mut rest = Vec::new();
        let mut it = args.peekable();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                match it.peek() {
                    Some(v) if !v.starts_with("--") => {
                        values.insert(name.to_owned(), it.next().unwrap_or_default());
                    }
                    _ => flags.push(name.to_owned()),
                }
            } else {
                rest.push(a);
            }
        }
        Args {
            values,
            flags,
            rest,
        }
    }
    fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
    fn req(&self, name: &str) -> Res<&str> {
        self.get(name).ok_or_else(|| format!("missing --{name}"))
    }
    fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
}

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    let command = argv.next().unwrap_or_default();
    let args = Args::parse(argv);
    let result = match command.as_str() {
        "gen" => cmd_gen(&args),
        "stages" => cmd_stages(&args),
        "scale" => cmd_scale(&args),
        "all-crate" => cmd_all_crate(&args),
        "timings" => cmd_timings(&args),
        "payload" => cmd_payload(&args),
        "stress" => cmd_stress(&args),
        "client" => cmd_client(&args),
        _ => Err("usage: csdl-bench gen|stages|scale|all-crate|timings|payload|stress|client ... (see the source header)".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn sibling_exe(name: &str) -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join(name)))
        .unwrap_or_else(|| PathBuf::from(name))
}

fn file_len(path: &Path) -> Res<u64> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn write_scaled(input: &Path, factor: usize, out: &Path) -> Res<()> {
    let text = std::fs::read_to_string(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let scaled = scale::scale_csdl(&text, factor)?;
    std::fs::write(out, scaled).map_err(|e| format!("{}: {e}", out.display()))
}

fn cmd_scale(args: &Args) -> Res<()> {
    let factor: usize = args
        .req("factor")?
        .parse()
        .map_err(|e| format!("--factor: {e}"))?;
    write_scaled(
        Path::new(args.req("input")?),
        factor,
        Path::new(args.req("out")?),
    )
}

/// One program under test.
struct Case {
    name: &'static str,
    cmd: Vec<String>,
    runs: usize,
    samples: Vec<Sample>,
}

fn cmd_gen(args: &Args) -> Res<()> {
    let input = PathBuf::from(args.req("input")?);
    let work = PathBuf::from(args.req("work")?);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let generator = args
        .get("generator")
        .map(PathBuf::from)
        .unwrap_or_else(|| sibling_exe("csdl-codegen"));
    let floor = args
        .get("floor")
        .map(PathBuf::from)
        .unwrap_or_else(|| sibling_exe("parse-floor"));
    let scales: Vec<usize> = args
        .get("scales")
        .unwrap_or("1,2,4")
        .split(',')
        .map(|s| s.trim().parse().map_err(|e| format!("--scales: {e}")))
        .collect::<Res<_>>()?;
    let runs: usize = args
        .get("runs")
        .unwrap_or("15")
        .parse()
        .map_err(|e| format!("--runs: {e}"))?;
    let input_len = file_len(&input)?;

    println!("### Generation speed and peak memory\n");
    println!(
        "Input `{}` ({} bytes). Wall time from spawn to exit of each process, median of N interleaved runs after one warm-up run each; peak RSS from `wait4`.\n",
        input.display(),
        input_len
    );
    println!("| input | size (MB) | program | N | median (ms) | min (ms) | max (ms) | CPU median (ms) | peak RSS (MiB) | vs floor |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut verdicts = Vec::new();
    for &factor in &scales {
        let file = if factor == 1 {
            input.clone()
        } else {
            let p = work.join(format!("input-{factor}x.csdl.xml"));
            write_scaled(&input, factor, &p)?;
            p
        };
        let size = file_len(&file)?;
        let f = file.display().to_string();
        let out_sync = work
            .join(format!("out-sync-{factor}x"))
            .display()
            .to_string();
        let out_all = work
            .join(format!("out-all-{factor}x"))
            .display()
            .to_string();
        let g = generator.display().to_string();
        let generate = |out: &str, all: bool| {
            let mut v = vec![
                g.clone(),
                "generate".into(),
                "--input".into(),
                f.clone(),
                "--out".into(),
                out.to_owned(),
            ];
            if all {
                v.push("--all".into());
            }
            v
        };
        // Fewer runs of the slow --all case on big inputs keeps the whole run short.
        let all_runs = (runs / 2 / factor).max(3);
        let mut cases = vec![
            Case {
                name: "parse-floor (roxmltree only)",
                cmd: vec![floor.display().to_string(), f.clone()],
                runs,
                samples: Vec::new(),
            },
            Case {
                name: "generate, synchronization roots",
                cmd: generate(&out_sync, false),
                runs,
                samples: Vec::new(),
            },
            Case {
                name: "generate --all",
                cmd: generate(&out_all, true),
                runs: all_runs,
                samples: Vec::new(),
            },
        ];
        let run_once = |c: &Case| -> Res<Sample> {
            let mut cmd = Command::new(&c.cmd[0]);
            cmd.args(&c.cmd[1..]);
            measure(&mut cmd).map_err(|e| e.to_string())
        };
        for c in &cases {
            run_once(c)?; // warm-up: page cache, output directory exists
        }
        let max_runs = cases.iter().map(|c| c.runs).max().unwrap_or(0);
        for r in 0..max_runs {
            for c in cases.iter_mut() {
                if r < c.runs {
                    let s = run_once(c)?;
                    c.samples.push(s);
                }
            }
        }
        let floor_median = Stats::of(&cases[0].samples).median;
        for c in &cases {
            let s = Stats::of(&c.samples);
            let ratio = s.median.as_secs_f64() / floor_median.as_secs_f64();
            println!(
                "| {factor}x | {:.1} | {} | {} | {} | {} | {} | {} | {} | {:.2}x |",
                size as f64 / 1e6,
                c.name,
                s.n,
                ms(s.median),
                ms(s.min),
                ms(s.max),
                ms(s.cpu_median),
                mib(s.max_rss),
                ratio
            );
        }
        if factor == 1 {
            let sync = Stats::of(&cases[1].samples);
            let all = Stats::of(&cases[2].samples);
            let sync_ratio = sync.median.as_secs_f64() / floor_median.as_secs_f64();
            verdicts.push(format!(
                "| synchronization roots, v1.0 | {} ms = {:.2}x floor ({} ms) | <= 2x floor | {} |",
                ms(sync.median),
                sync_ratio,
                ms(floor_median),
                pass(sync_ratio <= 2.0)
            ));
            verdicts.push(format!(
                "| --all, v1.0 | {} ms (median) | < 2000 ms | {} |",
                ms(all.median),
                pass(all.median < Duration::from_secs(2))
            ));
            let rss_ratio = all.max_rss as f64 / size as f64;
            verdicts.push(format!(
                "| peak RSS of --all, v1.0 | {} MiB = {:.1}x input ({:.1} MB) | <= 10x input | {} |",
                mib(all.max_rss),
                rss_ratio,
                size as f64 / 1e6,
                pass(rss_ratio <= 10.0)
            ));
        }
    }
    if !verdicts.is_empty() {
        println!("\n| target | figure | target | result |\n|---|---|---|---|");
        for v in verdicts {
            println!("{v}");
        }
    }
    println!();
    Ok(())
}

fn pass(ok: bool) -> &'static str {
    if ok {
        "PASS"
    } else {
        "FAIL"
    }
}

/// One stage of one iteration: time, heap high-water mark during it, live heap after it,
/// allocations made.
#[derive(Clone, Copy)]
struct StageSample {
    time: Duration,
    peak: usize,
    live: usize,
    allocs: usize,
}

/// Times `f`, with the heap high-water mark reached while it ran.
fn stage<T>(
    rows: &mut Vec<(&'static str, StageSample)>,
    name: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    alloc::reset_peak();
    let allocs = alloc::count();
    let start = Instant::now();
    let v = f();
    let time = start.elapsed();
    rows.push((
        name,
        StageSample {
            time,
            peak: alloc::peak(),
            live: alloc::current(),
            allocs: alloc::count() - allocs,
        },
    ));
    v
}

/// Output facts of one pipeline run.
struct PipelineOut {
    types: usize,
    operations: usize,
    files: Vec<(String, usize, usize)>,
}

/// The generator's pipeline (as `Generator::generate` + `Output::write_models` run it, without
/// overrides), stage by stage, then the values dropped one by one (the CLI drops them all on
/// return).
fn pipeline(
    input: &Path,
    out: &Path,
    all: bool,
    rows: &mut Vec<(&'static str, StageSample)>,
) -> Res<PipelineOut> {
    let e = |e: csdl_codegen::Error| e.to_string();
    let document = stage(rows, "read + parse (csdl::read_file)", || {
        csdl::read_file(input)
    })
    .map_err(e)?;
    let model = stage(rows, "resolve (model::resolve)", || {
        model::resolve(&document)
    })
    .map_err(e)?;
    let selection = stage(rows, "select", || {
        if all {
            Ok(select::select_all(&model))
        } else {
            select::select(&model, &Root::synchronization())
        }
    })
    .map_err(e)?;
    let plan = stage(rows, "plan (plan::Plan::new)", || {
        plan::Plan::new(&model, &selection)
    });
    let info = emit::CrateInfo {
        crate_name: "graph-models".into(),
        version: "0.1.0".into(),
        source: input.display().to_string(),
        command: "csdl-bench stages".into(),
        runtime: csdl_codegen::Dependency::version("0.1.0"),
        repository: None,
        license: None,
        readme: Default::default(),
        graph: true,
    };
    let files = stage(rows, "emit + format (emit::models_crate)", || {
        emit::models_crate(&plan, &info)
    })
    .map_err(e)?;
    stage(rows, "write (write::write_tree)", || {
        write::write_tree(out, &files)
    })
    .map_err(e)?;
    let result = PipelineOut {
        types: selection.types.len(),
        operations: selection.operations.len(),
        files: files
            .iter()
            .map(|f| (f.path.clone(), f.contents.len(), f.contents.lines().count()))
            .collect(),
    };
    stage(rows, "drop output files", || drop(files));
    stage(rows, "drop plan", || drop(plan));
    drop(selection);
    stage(rows, "drop model", || drop(model));
    stage(rows, "drop document", || drop(document));
    Ok(result)
}

fn cmd_stages(args: &Args) -> Res<()> {
    let input = PathBuf::from(args.req("input")?);
    let work = PathBuf::from(args.req("work")?);
    let all = args.flag("all");
    let iterations: usize = args
        .get("iterations")
        .unwrap_or(if all { "3" } else { "10" })
        .parse()
        .map_err(|e| format!("--iterations: {e}"))?;
    let input_len = file_len(&input)?;
    let out = work.join(if all { "stages-all" } else { "stages-sync" });
    let mut runs: Vec<Vec<(&'static str, StageSample)>> = Vec::new();
    let mut totals = Vec::new();
    let mut facts = None;
    // One warm-up iteration, not counted.
    for i in 0..=iterations {
        let mut rows = Vec::new();
        let start = Instant::now();
        let f = pipeline(&input, &out, all, &mut rows)?;
        if i > 0 {
            totals.push(start.elapsed());
            runs.push(rows);
        }
        facts = Some(f);
    }
    let facts = facts.ok_or("no iteration ran")?;
    let out_bytes: usize = facts.files.iter().map(|f| f.1).sum();
    let out_lines: usize = facts.files.iter().map(|f| f.2).sum();
    println!(
        "### Pipeline stages, {} (in process, median of {iterations}; {} bytes in; {} types, {} operations; {} files, {} lines, {} bytes out)\n",
        if all { "--all" } else { "synchronization roots" },
        input_len,
        facts.types,
        facts.operations,
        facts.files.len(),
        out_lines,
        out_bytes
    );
    println!("| stage | time (ms) | heap high-water during stage (MiB) | live heap after (MiB) | allocations |");
    println!("|---|---|---|---|---|");
    let median_of = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    for (k, (name, _)) in runs[0].iter().enumerate() {
        let t = median_of(runs.iter().map(|r| r[k].1.time).collect());
        let last = runs[runs.len() - 1][k].1;
        println!(
            "| {name} | {} | {} | {} | {} |",
            ms(t),
            mib(last.peak as u64),
            mib(last.live as u64),
            last.allocs
        );
    }
    println!("| total | {} | | | |\n", ms(median_of(totals)));
    let mut biggest: Vec<_> = facts
        .files
        .iter()
        .map(|f| (f.1, f.2, f.0.as_str()))
        .collect();
    biggest.sort_by(|a, b| b.cmp(a));
    println!(
        "Largest generated files: {}\n",
        biggest
            .iter()
            .take(4)
            .map(|(n, l, p)| format!("`{p}` {:.1} MB / {l} lines", *n as f64 / 1e6))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

fn cmd_all_crate(args: &Args) -> Res<()> {
    let input = PathBuf::from(args.req("input")?);
    let out = PathBuf::from(args.req("out")?);
    let runtime =
        std::fs::canonicalize(args.req("runtime")?).map_err(|e| format!("--runtime: {e}"))?;
    let name = args.get("crate-name").unwrap_or("graph-v1-all-models");
    let with_client = args.flag("with-client");
    let mut generator = csdl_codegen::Generator::new(&input)
        .all(true)
        .crate_name(name)
        .command("csdl-bench all-crate")
        .runtime(csdl_codegen::Dependency::path(
            runtime.display().to_string(),
        ));
    if let Some(n) = args.get("split") {
        let n = n
            .parse::<std::num::NonZeroUsize>()
            .map_err(|e| format!("--split: {e}"))?;
        generator = generator.split_models(n);
    }
    if with_client {
        generator = generator.client(
            csdl_codegen::ClientInfo::new("https://graph.microsoft.com/v1.0")
                .crate_name(format!("{name}-client"))
                .models(csdl_codegen::Dependency::path("../models")),
        );
    }
    let output = generator.generate().map_err(|e| e.to_string())?;
    let count = |files: &[csdl_codegen::OutputFile]| {
        (
            files.len(),
            files
                .iter()
                .map(|f| f.contents.lines().count())
                .sum::<usize>(),
            files.iter().map(|f| f.contents.len()).sum::<usize>(),
        )
    };
    let (files, lines, bytes) = if with_client {
        // A workspace of the two crates (`out/models`, `out/client`), standalone wherever
        // it is put.
        let (m, c) = (count(&output.models), count(&output.client));
        write::write_tree(&out.join("models"), &output.models).map_err(|e| e.to_string())?;
        write::write_tree(&out.join("client"), &output.client).map_err(|e| e.to_string())?;
        std::fs::write(
            out.join("Cargo.toml"),
            "[workspace]\nresolver = \"2\"\nmembers = [\"models\", \"client\"]\n",
        )
        .map_err(|e| e.to_string())?;
        (m.0 + c.0, m.1 + c.1, m.2 + c.2)
    } else {
        let mut files = output.models;
        // A standalone workspace, so it builds wherever it is put (even under another
        // workspace).
        for f in &mut files {
            if f.path == "Cargo.toml" {
                f.contents.push_str("\n[workspace]\n");
            }
        }
        write::write_tree(&out, &files).map_err(|e| e.to_string())?;
        count(&files)
    };
    eprintln!(
        "wrote {} ({} types, {files} files, {lines} lines, {bytes} bytes)",
        out.display(),
        output.counts.0,
    );
    Ok(())
}

/// Each crate's unit duration (seconds) in a `cargo --timings` HTML report. The report embeds
/// `const UNIT_DATA = [{"i":..,"name":"crate","version":..,"mode":..,"target":..,"start":..,"duration":..,...}]`.
fn cmd_timings(args: &Args) -> Res<()> {
    let html_path = args.req("html")?;
    let html = std::fs::read_to_string(html_path).map_err(|e| format!("{html_path}: {e}"))?;
    let start = html
        .find("UNIT_DATA = ")
        .ok_or("no UNIT_DATA in the timings report")?
        + "UNIT_DATA = ".len();
    let end = html[start..].find(";\n").ok_or("unterminated UNIT_DATA")? + start;
    let units: serde_json::Value =
        serde_json::from_str(&html[start..end]).map_err(|e| format!("UNIT_DATA: {e}"))?;
    let units = units.as_array().ok_or("UNIT_DATA is not an array")?;
    for name in &args.rest {
        // `crate*`: the total of every unit whose name starts with `crate` (a split models
        // crate and its parts).
        if let Some(prefix) = name.strip_suffix('*') {
            let total: f64 = units
                .iter()
                .filter(|u| u["name"].as_str().is_some_and(|n| n.starts_with(prefix)))
                .filter_map(|u| u["duration"].as_f64())
                .sum();
            println!("{name} {total:.2} -");
            continue;
        }
        // `crate/target`: one target of the crate (an example, a test), as the report names
        // it: ` gallery_provisioning "example"` (cargo 1.95) or ` example "send_mail"`
        // (older cargo); the library's is empty. Build scripts are ` build-script` and
        // ` build-script (run)` (`build script` in older reports).
        let (name, target) = match name.split_once('/') {
            Some((name, target)) => (name, Some(target)),
            None => (name.as_str(), None),
        };
        let wanted = |t: &str| match target {
            Some("") => t.trim().is_empty(),
            Some(target) => t
                .split_whitespace()
                .take(2)
                .any(|word| word.trim_matches('"') == target),
            None => !t.contains("build-script") && !t.contains("build script"),
        };
        let mut found = false;
        for u in units {
            if u["name"].as_str() == Some(name) && u["target"].as_str().is_none_or(wanted) {
                let d = u["duration"].as_f64().unwrap_or(f64::NAN);
                let rmeta = u["rmeta_time"].as_f64();
                match rmeta {
                    Some(r) => println!("{name} {d:.2} {r:.2}"),
                    None => println!("{name} {d:.2} -"),
                }
                found = true;
            }
        }
        if !found {
            println!("{name} - -");
        }
    }
    Ok(())
}

fn cmd_payload(args: &Args) -> Res<()> {
    let out = args.req("out")?;
    let bytes = payload::large_payload();
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    std::fs::write(out, &bytes).map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "wrote {out}: {} bytes; {}",
        bytes.len(),
        payload::describe(&value)
    );
    Ok(())
}

/// `csdl-bench stress --work DIR [--types N] [--fan-out N] [--depth N] [--runs N]`: writes the
/// synthetic navigation fan-out document and measures the client generation on it.
fn cmd_stress(args: &Args) -> Res<()> {
    let work = PathBuf::from(args.req("work")?);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let (types, fan_out, depth) = (
        number(args, "types", 1000)?,
        number(args, "fan-out", 50)?,
        number(args, "depth", 40)?,
    );
    let input = work.join("stress.csdl.xml");
    std::fs::write(&input, stress::navigation_fan_out(types, fan_out, depth))
        .map_err(|e| format!("{}: {e}", input.display()))?;
    let what = format!(
        "`csdl-bench stress`: {types} entity types, {fan_out} navigations each, a containment chain {depth} deep, derived types every tenth type"
    );
    measure_client(
        args,
        &input,
        &work,
        &what,
        Targets {
            wall_ms: 5000,
            rss: RssTarget::Bytes(1 << 30),
        },
    )
}

/// `csdl-bench client --input FILE --work DIR [--runs N]`: measures `generate --all
/// --client-out` on a real document (the planned client's targets for Graph v1.0).
fn cmd_client(args: &Args) -> Res<()> {
    let input = PathBuf::from(args.req("input")?);
    let work = PathBuf::from(args.req("work")?);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let what = format!("`{}`", input.display());
    measure_client(
        args,
        &input,
        &work,
        &what,
        Targets {
            wall_ms: 3000,
            rss: RssTarget::InputTimes(20),
        },
    )
}

fn number(args: &Args, name: &str, default: usize) -> Res<usize> {
    args.get(name).map_or(Ok(default), |v| {
        v.parse().map_err(|e| format!("--{name}: {e}"))
    })
}

enum RssTarget {
    Bytes(u64),
    InputTimes(u64),
}

struct Targets {
    wall_ms: u64,
    rss: RssTarget,
}

/// Runs `csdl-codegen generate --all --client-out` on `input` (median of `--runs`, after a
/// warm-up) and prints wall time, peak RSS and the sizes of both crates against `targets`.
fn measure_client(args: &Args, input: &Path, work: &Path, what: &str, targets: Targets) -> Res<()> {
    let runs = number(args, "runs", 3)?;
    let generator = args
        .get("generator")
        .map(PathBuf::from)
        .unwrap_or_else(|| sibling_exe("csdl-codegen"));
    let (models, client) = (work.join("client-models"), work.join("client-client"));
    let run = || {
        let mut cmd = Command::new(&generator);
        cmd.arg("generate")
            .arg("--all")
            .arg("--input")
            .arg(input)
            .arg("--out")
            .arg(&models)
            .arg("--client-out")
            .arg(&client)
            // Required for non-Graph inputs (the fan-out stress document); Graph's default.
            .args(["--base-url", "https://graph.microsoft.com/v1.0"]);
        measure(&mut cmd).map_err(|e| e.to_string())
    };
    run()?;
    let samples = (0..runs.max(1))
        .map(|_| run())
        .collect::<Res<Vec<Sample>>>()?;
    let s = Stats::of(&samples);
    fn size(dir: &Path) -> u64 {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| match e.metadata() {
                Ok(m) if m.is_dir() => size(&e.path()),
                Ok(m) => m.len(),
                Err(_) => 0,
            })
            .sum()
    }
    let size = |dir: &Path| size(&dir.join("src"));
    let input_len = file_len(input)?;
    println!("### Models and client (`generate --all --client-out`)\n");
    println!(
        "{what} ({:.1} MB of CSDL); median of {} runs after a warm-up; peak RSS from `wait4`.\n",
        input_len as f64 / 1e6,
        s.n
    );
    println!("| figure | value | target | result |\n|---|---|---|---|");
    println!(
        "| wall time | {} ms | < {} ms | {} |",
        ms(s.median),
        targets.wall_ms,
        pass(s.median < Duration::from_millis(targets.wall_ms))
    );
    let (limit, label) = match targets.rss {
        RssTarget::Bytes(b) => (b, format!("< {} MiB", b >> 20)),
        RssTarget::InputTimes(k) => (k * input_len, format!("< {k}x input")),
    };
    println!(
        "| peak RSS | {} MiB = {:.1}x input | {label} | {} |",
        mib(s.max_rss),
        s.max_rss as f64 / input_len as f64,
        pass(s.max_rss < limit)
    );
    println!(
        "| client source | {} KiB (models {} KiB) | <= models | {} |",
        size(&client) / 1024,
        size(&models) / 1024,
        pass(size(&client) <= size(&models))
    );
    println!();
    Ok(())
}
