//! Files produced on the pool, large ones in pieces.
//!
//! A file in one piece is produced straight into its sink by the thread that takes it, so
//! its text is never whole in memory. A file in pieces ([`PendingFile::in_pieces`]) gives
//! the pool one job per piece: each piece is produced into memory on whichever thread takes
//! it, and the pieces are written into the file's sink in order, each as soon as the ones
//! before it are written. So the largest file no longer decides alone how long the pool
//! runs, and what waits in memory is a few pieces, not the file.

use std::sync::Mutex;

use super::{each_in_parallel_then, PendingFile, Produce, TextSink};
use crate::error::Result;

/// One job of the pool.
enum Job<'a> {
    /// File `file` in one piece.
    Whole { file: usize, produce: Produce<'a> },
    /// Piece `piece` of file `file`.
    Piece {
        file: usize,
        piece: usize,
        produce: Produce<'a>,
    },
}

/// A file in pieces being put together.
struct Assembly<S> {
    path: String,
    /// Pieces produced and not written yet, by number.
    done: Vec<Option<String>>,
    /// The first piece not written yet.
    next: usize,
    /// Open from the first piece written on.
    sink: Option<S>,
}

/// Produces every file of `files` on the pool (`each_in_parallel_then`, which also says
/// when `then` runs and which error is returned). `open` makes the sink of a file (by its
/// path), `close` finishes it (with the file's index in `files`) once its text is all in.
pub(super) fn produce_files<'a, S: TextSink + Send>(
    files: Vec<PendingFile<'a>>,
    open: impl Fn(&str) -> Result<S> + Sync,
    close: impl Fn(usize, S) -> Result<()> + Sync,
    then: impl FnOnce() + Send,
) -> Result<()> {
    let mut jobs = Vec::with_capacity(files.len());
    let mut assemblies = Vec::with_capacity(files.len());
    for (file, f) in files.into_iter().enumerate() {
        let PendingFile {
            path,
            produce,
            rest,
        } = f;
        if rest.is_empty() {
            jobs.push(Job::Whole { file, produce });
            assemblies.push(Mutex::new(Assembly {
                path,
                done: Vec::new(),
                next: 0,
                sink: None,
            }));
            continue;
        }
        let count = rest.len() + 1;
        for (piece, produce) in std::iter::once(produce).chain(rest).enumerate() {
            jobs.push(Job::Piece {
                file,
                piece,
                produce,
            });
        }
        assemblies.push(Mutex::new(Assembly {
            path,
            done: (0..count).map(|_| None).collect(),
            next: 0,
            sink: None,
        }));
    }
    let lock = |file: usize| assemblies[file].lock().unwrap_or_else(|e| e.into_inner());
    each_in_parallel_then(
        jobs,
        |job| match job {
            Job::Whole { file, produce } => {
                let path = std::mem::take(&mut lock(file).path);
                let mut sink = open(&path)?;
                produce(&mut sink)?;
                close(file, sink)
            }
            Job::Piece {
                file,
                piece,
                produce,
            } => {
                let mut text = String::new();
                produce(&mut text)?;
                let mut assembly = lock(file);
                assembly.done[piece] = Some(text);
                write_ready(&mut assembly, &open)?;
                if assembly.next == assembly.done.len() {
                    if let Some(sink) = assembly.sink.take() {
                        close(file, sink)?;
                    }
                }
                Ok(())
            }
        },
        then,
    )
}

/// Writes the pieces of `assembly` that are produced and follow the written ones.
fn write_ready<S: TextSink>(
    assembly: &mut Assembly<S>,
    open: &impl Fn(&str) -> Result<S>,
) -> Result<()> {
    while let Some(text) = assembly.done.get_mut(assembly.next).and_then(Option::take) {
        let sink = match &mut assembly.sink {
            Some(sink) => sink,
            None => assembly.sink.insert(open(&assembly.path)?),
        };
        sink.push(&text)?;
        assembly.next += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: String) -> Produce<'static> {
        Box::new(move |sink: &mut dyn TextSink| sink.push(&text))
    }

    /// Pieces produced on several threads come out in their order, beside whole files.
    #[test]
    fn pieces_are_written_in_order() {
        let files: Vec<PendingFile> = (0..20)
            .map(|i| {
                let rest = (1..i % 7).map(|p| piece(format!("<{i}.{p}>"))).collect();
                PendingFile::in_pieces(format!("f{i}"), piece(format!("<{i}.0>")), rest)
            })
            .collect();
        let out = PendingFile::all_into_output(files).expect("produced");
        for (i, file) in out.iter().enumerate() {
            let expected: String = (0..(i % 7).max(1)).map(|p| format!("<{i}.{p}>")).collect();
            assert_eq!(file.path, format!("f{i}"));
            assert_eq!(file.contents, expected);
        }
    }

    /// A piece that fails fails the run with its error.
    #[test]
    fn a_failing_piece_fails_the_file() {
        let failing: Produce = Box::new(|_: &mut dyn TextSink| {
            Err(crate::error::Error::new(
                crate::error::ErrorKind::Internal,
                "piece two",
            ))
        });
        let files = vec![PendingFile::in_pieces(
            "f",
            piece("one".into()),
            vec![failing, piece("three".into())],
        )];
        let err = PendingFile::all_into_output(files).expect_err("a piece failed");
        assert!(err.to_string().contains("piece two"), "{err}");
    }
}
