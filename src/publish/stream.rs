//! Sending graphs while they are read: a thread reads a graph's triples (from the store,
//! for a large graph) and writes them as request bodies of at most a part's triples each,
//! or writes small graphs of the store together, a dataset in each body. The next body is
//! written while the push sends the one before, so that the store loads one while the next
//! is read. The thread counts what a store that rewrites literals keeps
//! ([`super::canon::Tally`]), so no graph is held.

use super::canon::{Kept, KeptOfEach};
use super::{BodyFormat, BodyWriter, GraphLoad, interrupted, serialize_dataset};
use crate::base::error::Error;
use crate::base::progress::{Progress, Share};
use bytes::Bytes;
use oxigraph::model::NamedNode;
use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc::SyncSender;

/// One request body of a graph's triples.
pub(super) struct Part {
    pub body: Bytes,
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
/// rewrites literals keeps of a graph of the store ([`super::Reading::finish`]).
pub(super) fn produce(
    load: &GraphLoad,
    how: &Parts,
    parts: SyncSender<Part>,
) -> std::result::Result<Option<Kept>, Stop> {
    // One thread keeps up with a store that loads one part while the next is made; more
    // took the core the store loads on (measured: slower, to Oxigraph and to Virtuoso).
    let mut reading = load.reading();
    let mut left = load.len();
    while left > 0 {
        let size = how.triples.min(left);
        let mut body = BodyWriter::new(how.format, Vec::new());
        for triple in reading.by_ref().take(size as usize) {
            if interrupted() {
                return Err(Stop::Interrupted);
            }
            body.write(&triple.map_err(Stop::Failed)?)
                .map_err(Stop::Failed)?;
        }
        let part = Part {
            body: Bytes::from(body.finish().map_err(Stop::Failed)?),
            share: Share::new(how.progress.clone(), size),
        };
        parts.send(part).map_err(|_| Stop::Abandoned)?;
        left -= size;
    }
    reading.finish().map_err(Stop::Failed)
}

/// Writes the graphs of each range of `bodies` into one request body of a dataset, and
/// hands the bodies to `parts`, in order; returns what a store that rewrites literals
/// keeps of each graph of the store ([`super::write_dataset`]).
pub(super) fn produce_dataset(
    graphs: &[(&NamedNode, &GraphLoad)],
    bodies: &[Range<usize>],
    format: BodyFormat,
    progress: &Arc<dyn Progress>,
    parts: SyncSender<Part>,
) -> std::result::Result<KeptOfEach, Stop> {
    let mut kept = Vec::with_capacity(graphs.len());
    for body in bodies {
        if interrupted() {
            return Err(Stop::Interrupted);
        }
        let graphs = &graphs[body.clone()];
        let (bytes, counted) = serialize_dataset(graphs, format).map_err(Stop::Failed)?;
        kept.extend(counted);
        let triples = graphs.iter().map(|(_, load)| load.len()).sum();
        let part = Part {
            body: bytes,
            share: Share::new(progress.clone(), triples),
        };
        parts.send(part).map_err(|_| Stop::Abandoned)?;
    }
    Ok(kept)
}
