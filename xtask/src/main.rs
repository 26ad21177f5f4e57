//! Project automation: `cargo xtask codegen [--check]`, `cargo xtask update-specs`,
//! `cargo xtask package`.

use std::process::ExitCode;

/// See xtask/Cargo.toml: allocation was half of `codegen`'s time with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};

use csdl_codegen::{write, OutputFile, WriteMode};
use xtask::package;
use xtask::{api_diff, generate, jobs, parallel, workspace_root, Job};

fn codegen(check: bool) -> Result<(), String> {
    let root = workspace_root();
    let jobs = jobs(&root);
    // Two at a time: each job already formats its large files on several threads, and a
    // whole-Graph job holds its output in memory until it is compared or written.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    // The largest inputs first, so the small ones fill in beside them at the end.
    let size = |job: &Job| std::fs::metadata(root.join(&job.input)).map_or(0, |m| m.len());
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&jobs[i])));
    let outcomes = parallel::map_in_order(&jobs, threads, &order, |job| run_job(&root, job, check));
    let mut stale = Vec::new();
    for outcome in outcomes {
        let outcome = outcome?;
        for line in outcome.messages {
            eprintln!("{line}");
        }
        stale.extend(outcome.stale);
    }
    if stale.is_empty() {
        if check {
            eprintln!("generated code is up to date");
        }
        Ok(())
    } else {
        Err(format!(
            "generated code is stale; run `cargo xtask codegen`:\n  {}",
            stale.join("\n  ")
        ))
    }
}

/// What one job found (`--check`: the stale files) and has to say.
#[derive(Default)]
struct Outcome {
    stale: Vec<String>,
    messages: Vec<String>,
}

/// Generates one job and checks it (`check`) or writes it. A job whose output equals what
/// is on disk is not written again (nor its API compared): only the files of changed jobs
/// are parsed for the API diff.
fn run_job(root: &Path, job: &Job, check: bool) -> Result<Outcome, String> {
    let trees = generate(root, job).map_err(|e| e.to_string())?;
    let trees: Vec<(PathBuf, Vec<OutputFile>)> = trees
        .into_iter()
        .map(|(dir, files)| (root.join(dir), files))
        .collect();
    let mut outcome = Outcome::default();
    let differences: Vec<String> = trees
        .iter()
        .flat_map(|(out, files)| write::diff_tree(out, files))
        .collect();
    if check || differences.is_empty() {
        outcome.stale = differences;
        return Ok(outcome);
    }
    let before: Vec<_> = trees
        .iter()
        .map(|(out, _)| api_diff::surface_of_dir(out))
        .collect();
    // The models and client crates of a job are swapped in together.
    let targets: Vec<write::Target<'_>> = trees
        .iter()
        .map(|(dir, files)| write::Target { dir, files })
        .collect();
    write::write_trees(&targets, WriteMode::OwnOutputOnly).map_err(|e| e.to_string())?;
    for ((out, files), before) in trees.iter().zip(&before) {
        let after = api_diff::surface_of_files(
            files.iter().map(|f| (f.path.as_str(), f.contents.as_str())),
        );
        let (lines, bump) = api_diff::report(before, &after);
        let dir = out.strip_prefix(root).unwrap_or(out);
        outcome.messages.push(format!(
            "wrote {} ({} files): {bump}",
            dir.display(),
            files.len()
        ));
        for line in lines.iter().take(40) {
            outcome.messages.push(format!("  {line}"));
        }
        if lines.len() > 40 {
            outcome
                .messages
                .push(format!("  ... and {} more", lines.len() - 40));
        }
    }
    Ok(outcome)
}

fn update_specs() -> Result<(), String> {
    let root = workspace_root();
    let shared = root.join("../shared/specs");
    // The pinned inputs of the generation jobs, each from its full file.
    for job in jobs(&root) {
        let (Some(source), Some(roots)) = (job.source, &job.roots) else {
            continue;
        };
        let out = &job.input;
        let (types, ops) =
            csdl_codegen::extract::extract_file(&shared.join(source), &root.join(out), roots)
                .map_err(|e| e.to_string())?;
        eprintln!(
            "{}: {types} types, {ops} operations (from ../shared/specs/{source})",
            out.display()
        );
    }
    Ok(())
}

/// `cargo package` of every published crate in one run (Cargo resolves the not yet
/// published workspace dependencies locally); extra arguments are passed on
/// (`--no-verify`, `--allow-dirty`).
fn package(extra: &[String]) -> Result<(), String> {
    let crates = package::published_with_parts(&workspace_root())
        .map_err(|e| format!("cannot list the part crates: {e}"))?;
    let names: Vec<&str> = crates.iter().map(String::as_str).collect();
    // Stale unpacked copies from an earlier run would be verified instead (see the module).
    if let Some(home) = package::cargo_home() {
        let removed = package::forget_unpacked(&home, &names)
            .map_err(|e| format!("cannot clear {}/registry/src: {e}", home.display()))?;
        if !removed.is_empty() {
            eprintln!(
                "removed {} unpacked copies of our crates from an earlier run",
                removed.len()
            );
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.current_dir(workspace_root()).arg("package");
    for p in &names {
        cmd.args(["-p", p]);
    }
    cmd.args(extra);
    let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        eprintln!("packaged {} crates", names.len());
        Ok(())
    } else {
        Err(format!("cargo package failed ({status})"))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["update-specs"] => update_specs(),
        ["package", extra @ ..] => package(&extra.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        _ => Err("usage: cargo xtask codegen [--check] | cargo xtask update-specs | cargo xtask package [cargo package flags]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
