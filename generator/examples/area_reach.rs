//! Prints why an area of the per-area features reaches what it reaches (`plan::features`):
//!
//! ```sh
//! cargo run -p csdl-codegen --example area_reach -- specs/graph-v1.0.csdl.xml me [Type ...]
//! cargo run -p csdl-codegen --example area_reach -- specs/graph-v1.0.csdl.xml --all
//! ```
//!
//! Every type of the metadata is selected (as for the whole-Graph SDKs). The report lists
//! the area's builders by how they came in, its largest branches of types (how many types
//! each step brought, with the chain from the request that named the first of them), and
//! the chain of each type named after the area; `--all` lists every area's builders and
//! types.

use csdl_codegen::plan::client::ClientPlan;
use csdl_codegen::plan::features::{explain, summary};
use csdl_codegen::plan::Plan;
use csdl_codegen::Generator;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, area, focus @ ..] = args.as_slice() else {
        eprintln!("usage: area_reach <metadata.csdl.xml> <area> [type ...]");
        std::process::exit(2);
    };
    let selected = match Generator::new(input).all(true).select() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let plan = Plan::new(&selected.model, &selected.selection);
    let cp = ClientPlan::new(&plan, None);
    if area == "--all" {
        print!("{}", summary(&plan, &cp));
        return;
    }
    let focus: Vec<&str> = focus.iter().map(String::as_str).collect();
    match explain(&plan, &cp, area, &focus) {
        Ok(report) => print!("{report}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
