//! Sending a graph while it is read: a thread reads the graph's triples (from the store,
//! for a large graph) and writes them as request bodies of at most a part's triples each,
//! the next part written while the push sends the one before, so that the store loads one
//! part while the next is read. The thread counts what a store that rewrites literals
//! keeps ([`Tally`]), so the graph is never held.

use super::canon::{Kept, Tally};
use super::{BodyFormat, BodyWriter, GraphLoad, interrupted};
use crate::base::error::Error;
use crate::base::progress::{Progress, Share};
use std::sync::Arc;
use std::sync::mpsc::SyncSender;

/// One request body of a graph's triples.
pub(super) struct Part {
    pub body: Arc<[u8]>,
    /// The triples it carries, as progress.
    pub share: Share,
}

/// Why the reading thread stopped before the end.
pub(super) enum Stop {
    /// Reading or writing the graph failed.
    Failed(Error),
    /// The push stopped taking parts (a request failed).
    Abandoned,
    /// [`super::interrupt`] was called.
    Interrupted,
}

/// How the parts of a graph are written.
pub(super) struct Parts {
    pub format: BodyFormat,
    /// The most triples in one part.
    pub triples: u64,
    pub progress: Arc<dyn Progress>,
}

/// Reads `load` and hands its parts to `parts`, in order; returns what a store that
/// rewrites literals keeps of it.
pub(super) fn produce(
    load: &GraphLoad,
    how: &Parts,
    parts: SyncSender<Part>,
) -> std::result::Result<Kept, Stop> {
    let total = load.len();
    let mut tally = Tally::default();
    // One thread keeps up with a store that loads one part while the next is made; more
    // took the core the store loads on (measured: slower, to Oxigraph and to Virtuoso).
    let mut triples = load.read_on_one_thread();
    let mut read: u64 = 0;
    loop {
        let size = how.triples.min(total - read);
        let mut body = BodyWriter::new(how.format, Vec::new());
        let mut in_part: u64 = 0;
        while in_part < size {
            if interrupted() {
                return Err(Stop::Interrupted);
            }
            let Some(triple) = triples.next().transpose().map_err(Stop::Failed)? else {
                return Err(Stop::Failed(load.changed(read + in_part)));
            };
            tally.add(&triple);
            body.write(&triple).map_err(Stop::Failed)?;
            in_part += 1;
        }
        let bytes = body.finish().map_err(Stop::Failed)?;
        let part = Part {
            body: Arc::from(bytes),
            share: Share::new(how.progress.clone(), size),
        };
        parts.send(part).map_err(|_| Stop::Abandoned)?;
        read += in_part;
        if read >= total {
            break;
        }
    }
    if triples.next().is_some() {
        return Err(Stop::Failed(load.changed(read + 1)));
    }
    tally.finish(|t| load.holds(t)).map_err(Stop::Failed)
}
