//! The floor of generation time: read a CSDL file and parse it with roxmltree exactly as the
//! generator's reader does (bytes, byte-order mark stripped, UTF-8 check, same
//! `ParsingOptions`), and nothing else.
//!
//! Usage: `parse-floor FILE [--count]` (`--count` prints the number of nodes).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: parse-floor FILE [--count]");
        return ExitCode::from(2);
    };
    let count = args.next().is_some_and(|a| a == "--count");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {}: {e}", path.to_string_lossy());
            return ExitCode::from(1);
        }
    };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {}: {e}", path.to_string_lossy());
            return ExitCode::from(1);
        }
    };
    match roxmltree::Document::parse_with_options(text, csdl_codegen_bench::parsing_options()) {
        Ok(doc) => {
            if count {
                println!("{} nodes", doc.descendants().count());
            }
            std::hint::black_box(&doc);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", path.to_string_lossy());
            ExitCode::from(1)
        }
    }
}
