//! The `csdl-codegen` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use csdl_codegen::{Generator, Root};

#[derive(Parser)]
#[command(
    name = "csdl-codegen",
    version,
    about = "Generate Rust crates from OData CSDL metadata"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a models crate.
    ///
    /// Examples:
    ///   csdl-codegen generate --input graph-v1.0.csdl.xml --out models
    ///   csdl-codegen generate --input graph-v1.0.csdl.xml --out models --root users/{id}
    ///   csdl-codegen generate --input graph-v1.0.csdl.xml --out all-models --all
    Generate {
        /// The CSDL (EDMX) file.
        #[arg(long)]
        input: PathBuf,
        /// The crate directory to create or replace.
        #[arg(long)]
        out: PathBuf,
        /// A root: qualified type name or path (`servicePrincipals/{id}/synchronization`).
        /// Default: the Graph synchronization roots.
        #[arg(long = "root")]
        roots: Vec<String>,
        /// Cargo package name of the generated crate.
        #[arg(long, default_value = "graph-models")]
        crate_name: String,
        /// Select every type and operation of the document.
        #[arg(long, conflicts_with = "roots")]
        all: bool,
        /// Override file (TOML) applied before selection.
        #[arg(long)]
        overrides: Option<PathBuf>,
    },
    /// Write the subset of a CSDL file that the roots reach, without prose.
    ///
    /// Example:
    ///   csdl-codegen extract --input graph-v1.0.csdl.xml --out specs/graph-v1.0.sync.csdl.xml
    Extract {
        /// The full CSDL (EDMX) file.
        #[arg(long)]
        input: PathBuf,
        /// The subset file to write.
        #[arg(long)]
        out: PathBuf,
        /// Roots, as for `generate` (default: the Graph synchronization roots).
        #[arg(long = "root")]
        roots: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> csdl_codegen::Result<()> {
    match cli.command {
        Command::Generate {
            input,
            out,
            roots,
            crate_name,
            all,
            overrides,
        } => {
            let mut generator = Generator::new(&input).crate_name(crate_name).all(all);
            if !roots.is_empty() {
                generator = generator.roots(roots.iter().map(|r| Root::parse(r)).collect());
            }
            if let Some(o) = overrides {
                generator = generator.overrides(o);
            }
            let output = generator.generate()?;
            for w in &output.warnings {
                eprintln!("warning: {w}");
            }
            output.write_models(&out)?;
            eprintln!(
                "generated {} types and {} operations into {}",
                output.counts.0,
                output.counts.1,
                out.display()
            );
            Ok(())
        }
        Command::Extract { input, out, roots } => {
            let roots = if roots.is_empty() {
                Root::synchronization()
            } else {
                roots.iter().map(|r| Root::parse(r)).collect()
            };
            let (types, ops) = csdl_codegen::extract::extract_file(&input, &out, &roots)?;
            eprintln!(
                "kept {types} types and {ops} operations in {}",
                out.display()
            );
            Ok(())
        }
    }
}
