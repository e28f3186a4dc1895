//! One thread that cancels evaluations whose time is up, for every query of the process.
//!
//! A query with a time limit registers its cancellation token and deadline; the guard it
//! gets back takes the entry out again when the evaluation ends first. A server answering
//! thousands of queries a second so pays a map insertion per query, not a thread.

use oxigraph::sparql::CancellationToken;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The evaluations being watched, by deadline (and a number that makes equal deadlines
/// distinct).
struct Watchdog {
    watched: Mutex<BTreeMap<(Instant, u64), CancellationToken>>,
    changed: Condvar,
    next: AtomicU64,
}

static WATCHDOG: LazyLock<&'static Watchdog> = LazyLock::new(|| {
    let watchdog: &'static Watchdog = Box::leak(Box::new(Watchdog {
        watched: Mutex::new(BTreeMap::new()),
        changed: Condvar::new(),
        next: AtomicU64::new(0),
    }));
    std::thread::Builder::new()
        .name("tipkg-watchdog".into())
        .spawn(move || watchdog.run())
        .expect("the watchdog thread starts");
    watchdog
});

impl Watchdog {
    fn run(&self) {
        let mut watched = self.watched.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let now = Instant::now();
            match watched
                .first_key_value()
                .map(|(&(deadline, _), _)| deadline)
            {
                Some(deadline) if deadline <= now => {
                    if let Some((_, token)) = watched.pop_first() {
                        token.cancel();
                    }
                }
                Some(deadline) => {
                    watched = self
                        .changed
                        .wait_timeout(watched, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
                None => {
                    watched = self
                        .changed
                        .wait(watched)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            }
        }
    }
}

/// Cancels `token` once `limit` has passed, unless the guard is dropped first.
pub fn watch(token: CancellationToken, limit: Duration) -> Guard {
    let watchdog: &'static Watchdog = &WATCHDOG;
    // A limit too far to express as an instant is no limit.
    let Some(deadline) = Instant::now().checked_add(limit) else {
        return Guard { key: None };
    };
    let key = (deadline, watchdog.next.fetch_add(1, Ordering::Relaxed));
    let mut watched = watchdog
        .watched
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let first = watched.first_key_value().is_none_or(|(&k, _)| key < k);
    watched.insert(key, token);
    drop(watched);
    if first {
        watchdog.changed.notify_one();
    }
    Guard { key: Some(key) }
}

/// Stops watching an evaluation when dropped.
pub struct Guard {
    key: Option<(Instant, u64)>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            WATCHDOG
                .watched
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cancelled_after(token: &CancellationToken, wait: Duration) -> bool {
        let end = Instant::now() + wait;
        while Instant::now() < end {
            if token.is_cancelled() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        token.is_cancelled()
    }

    #[test]
    fn a_token_is_cancelled_at_its_deadline_and_not_after_its_guard_is_dropped() {
        let late = CancellationToken::new();
        let _late_guard = watch(late.clone(), Duration::from_millis(50));
        let kept = CancellationToken::new();
        drop(watch(kept.clone(), Duration::from_millis(20)));
        // An earlier deadline registered after a later one still wakes the watchdog.
        let early = CancellationToken::new();
        let _early_guard = watch(early.clone(), Duration::from_millis(10));
        assert!(cancelled_after(&early, Duration::from_secs(5)));
        assert!(cancelled_after(&late, Duration::from_secs(5)));
        assert!(!cancelled_after(&kept, Duration::from_millis(100)));
        let endless = CancellationToken::new();
        let _endless = watch(endless.clone(), Duration::MAX);
        assert!(!endless.is_cancelled());
    }
}
