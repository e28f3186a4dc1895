//! Sending a graph while it is read: a thread reads the graph's triples (from the store,
//! for a large graph, helped by a thread per core where the store waits for them) and
//! writes them as request bodies of at most a part's triples each,
//! while the push sends the bodies already written. Where the store takes a chunked body
//! the part is streamed as it is written, through a bounded [`pipe`]; else each part is
//! made whole and sent with its length, the next part written while this one is sent. The
//! thread counts what a store that rewrites literals keeps ([`Tally`]), so the graph is
//! never held.

use super::canon::{Kept, Tally};
use super::{BodyFormat, BodyWriter, GraphLoad, interrupted};
use crate::base::error::Error;
use crate::base::progress::{Progress, Share};
use crate::net::http::{PipeReader, pipe};
use std::sync::Arc;
use std::sync::mpsc::SyncSender;

/// One request body of a graph's triples.
pub(super) struct Part {
    pub body: Body,
    /// The triples it carries, as progress.
    pub share: Share,
}

pub(super) enum Body {
    Whole(Arc<[u8]>),
    Streamed(PipeReader),
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
    /// Whether a part is streamed as it is written (chunked encoding).
    pub streamed: bool,
    pub progress: Arc<dyn Progress>,
}

/// Reads `load` and hands its parts to `parts`, in order; returns what a store that
/// rewrites literals keeps of it. A part that is streamed is handed over before it is
/// written; if the thread stops before a part's end, that body fails rather than ends.
pub(super) fn produce(
    load: &GraphLoad,
    how: &Parts,
    parts: SyncSender<Part>,
) -> std::result::Result<Kept, Stop> {
    let total = load.len();
    let mut tally = Tally::default();
    // A store that reads a streamed body as it comes and loads it after its end waits for
    // the triples: they are read by a thread per core. Where each part is made whole while
    // the store loads the one before, one thread keeps up with the store, and more took
    // the core the store loads on (measured: slower).
    let mut triples = match how.streamed {
        true => load.read(),
        false => load.read_on_one_thread(),
    };
    let mut read: u64 = 0;
    loop {
        let size = how.triples.min(total - read);
        let share = Share::new(how.progress.clone(), size);
        let mut in_part: u64 = 0;
        let mut next = |tally: &mut Tally| -> std::result::Result<_, Stop> {
            if interrupted() {
                return Err(Stop::Interrupted);
            }
            match triples.next().transpose().map_err(Stop::Failed)? {
                Some(triple) => {
                    tally.add(&triple);
                    Ok(Some(triple))
                }
                None => Ok(None),
            }
        };
        if how.streamed {
            let (writer, reader) = pipe();
            let part = Part {
                body: Body::Streamed(reader),
                share: share.clone(),
            };
            parts.send(part).map_err(|_| Stop::Abandoned)?;
            let mut body = BodyWriter::new(how.format, writer);
            while in_part < size
                && let Some(triple) = next(&mut tally)?
            {
                body.write(&triple).map_err(abandoned)?;
                in_part += 1;
                if in_part.is_multiple_of(PROGRESS_TRIPLES) {
                    share.reach(in_part);
                }
            }
            let writer = body.finish().map_err(abandoned)?;
            if in_part < size {
                return Err(changed(load, read + in_part));
            }
            writer.finish().map_err(|_| Stop::Abandoned)?;
        } else {
            let mut body = BodyWriter::new(how.format, Vec::new());
            while in_part < size
                && let Some(triple) = next(&mut tally)?
            {
                body.write(&triple).map_err(Stop::Failed)?;
                in_part += 1;
            }
            if in_part < size {
                return Err(changed(load, read + in_part));
            }
            let bytes = body.finish().map_err(Stop::Failed)?;
            let part = Part {
                body: Body::Whole(Arc::from(bytes)),
                share,
            };
            parts.send(part).map_err(|_| Stop::Abandoned)?;
        }
        read += in_part;
        if read >= total {
            break;
        }
    }
    if triples.next().is_some() {
        return Err(changed(load, read + 1));
    }
    tally.finish(|t| load.holds(t)).map_err(Stop::Failed)
}

/// How often a streamed part moves the progress, in triples.
const PROGRESS_TRIPLES: u64 = 10_000;

/// A write into a pipe fails when the request has ended: the push stopped taking the part.
fn abandoned(_: Error) -> Stop {
    Stop::Abandoned
}

/// The graph did not hold the number of triples it was counted with.
fn changed(load: &GraphLoad, read: u64) -> Stop {
    Stop::Failed(Error::Usage(format!(
        "the graph for {} changed while it was read: it was counted with {} triples, {read} were read",
        load.target,
        load.len()
    )))
}
