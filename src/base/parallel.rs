//! Work spread over the machine's cores, its results taken in the order of the items, so
//! that what is built from them does not depend on which core finished first.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Runs `work` on every item, on as many threads as there are cores, and gives each result
/// to `take` on the calling thread in the order of the items. Results that finish early
/// wait for those before them, so an item should be a small share of the whole. With one
/// core or one item, everything runs on the calling thread. A panic of `work` is raised
/// again on the calling thread.
pub fn in_order<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut take: impl FnMut(R),
) {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        items.iter().map(work).for_each(take);
        return;
    }
    let next = AtomicUsize::new(0);
    let (sender, results) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    if sender.send((index, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut early = BTreeMap::new();
        let mut expected = 0;
        for (index, result) in results {
            if index != expected {
                early.insert(index, result);
                continue;
            }
            take(result);
            expected += 1;
            while let Some(result) = early.remove(&expected) {
                take(result);
                expected += 1;
            }
        }
        // A worker that panicked left its item out: the scope raises its panic here.
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_items() {
        let items: Vec<u64> = (0..2_000).collect();
        let mut seen = Vec::new();
        // Later items finish first: the order must not follow the threads.
        in_order(
            &items,
            |&i| {
                if i % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_micros(50));
                }
                i * 2
            },
            |r| seen.push(r),
        );
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_of_the_work_reaches_the_caller() {
        let items = [1, 2, 3, 4];
        let outcome = std::panic::catch_unwind(|| {
            in_order(&items, |&i| assert!(i != 3, "item three"), |()| {});
        });
        assert!(outcome.is_err());
    }
}
