//! Progress of long work (the triples a push has sent), told to whoever shows it: the
//! command line draws a bar, another program may log it or ignore it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Receives the progress of one piece of work, in units the work counts (triples).
pub trait Progress: Send + Sync {
    /// The work is `len` units long, and nothing of it is done yet.
    fn start(&self, len: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
    /// The work is over, done or not.
    fn finish(&self);
}

/// Progress that nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// The share of a [`Progress`] that one step carries (the triples in one request's body):
/// the step reports how far it got, and the progress advances only past what was already
/// reported, so that a step that starts again (a request sent once more) neither moves it
/// back nor counts twice.
#[derive(Clone)]
pub struct Share {
    progress: Arc<dyn Progress>,
    units: u64,
    reported: Arc<AtomicU64>,
}

impl Share {
    pub fn new(progress: Arc<dyn Progress>, units: u64) -> Self {
        Self {
            progress,
            units,
            reported: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The units this step carries.
    pub fn units(&self) -> u64 {
        self.units
    }

    /// The step has done `done` of its units.
    pub fn reach(&self, done: u64) {
        let done = done.min(self.units);
        let before = self.reported.fetch_max(done, Ordering::SeqCst);
        if done > before {
            self.progress.advance(done - before);
        }
    }

    /// The step is done.
    pub fn complete(&self) {
        self.reach(self.units);
    }
}

impl std::fmt::Debug for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Share")
            .field("units", &self.units)
            .field("reported", &self.reported.load(Ordering::SeqCst))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<u64>>);

    impl Progress for Recorder {
        fn start(&self, _: u64) {}
        fn advance(&self, n: u64) {
            self.0.lock().unwrap().push(n);
        }
        fn finish(&self) {}
    }

    #[test]
    fn a_step_started_again_neither_goes_back_nor_counts_twice() {
        let recorder = Arc::new(Recorder::default());
        let share = Share::new(recorder.clone(), 10);
        share.reach(4);
        share.reach(2); // sent again from the start
        share.reach(6);
        share.complete();
        share.reach(12);
        assert_eq!(*recorder.0.lock().unwrap(), [4, 2, 4]);
    }
}
