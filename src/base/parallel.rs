//! Work spread over the machine's cores, its results taken in the order of the items, so
//! that what is built from them does not depend on which core finished first.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError, mpsc};

/// Runs `work` on every item, on as many threads as there are cores, and gives each result
/// to `take` on the calling thread in the order of the items. Results that finish early
/// wait for those before them, so an item should be a small share of the whole. With one
/// core or one item, everything runs on the calling thread. A panic of `work` is raised
/// again on the calling thread. The items are moved to the threads that work on them, so
/// `work` may take what an item owns; pass references to keep the items.
pub fn in_order<T: Send, R: Send>(
    items: impl IntoIterator<Item = T>,
    work: impl Fn(T) -> R + Sync,
    take: impl FnMut(R),
) {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    in_order_on(cores, items, work, take);
}

/// [`in_order`] on at most `threads` threads: for work that waits on another machine, which
/// has its own cores.
pub fn in_order_on<T: Send, R: Send>(
    threads: usize,
    items: impl IntoIterator<Item = T>,
    work: impl Fn(T) -> R + Sync,
    mut take: impl FnMut(R),
) {
    let items: Vec<T> = items.into_iter().collect();
    let threads = threads.min(items.len());
    if threads <= 1 {
        items.into_iter().map(work).for_each(take);
        return;
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let (sender, results) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (queue, work) = (&queue, &work);
            scope.spawn(move || {
                loop {
                    // The queue is locked only to take an item, never while working on it.
                    let next = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
                    let Some((index, item)) = next else { break };
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

/// [`in_order`] for work that can fail: gives `take` each result up to the first error in
/// the order of the items, and returns that error.
pub fn try_in_order<T: Send, R: Send, E: Send>(
    items: impl IntoIterator<Item = T>,
    work: impl Fn(T) -> Result<R, E> + Sync,
    mut take: impl FnMut(R),
) -> Result<(), E> {
    let mut failed = None;
    in_order(items, work, |result| match (result, &failed) {
        (Ok(result), None) => take(result),
        (Err(error), None) => failed = Some(error),
        (_, Some(_)) => {}
    });
    failed.map_or(Ok(()), Err)
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

    #[test]
    fn items_can_be_moved_to_the_work() {
        let items: Vec<Vec<u32>> = (0..100).map(|i| vec![i; 3]).collect();
        let mut seen = Vec::new();
        in_order(items, |v| v.into_iter().sum::<u32>(), |r| seen.push(r));
        assert_eq!(seen, (0..100).map(|i| i * 3).collect::<Vec<_>>());
    }

    #[test]
    fn the_first_error_in_the_order_of_the_items_is_returned() {
        let items: Vec<u64> = (0..1_000).collect();
        let mut taken = Vec::new();
        let work = |&i: &u64| match i % 300 == 299 {
            true => Err(i),
            false => Ok(i),
        };
        let first = try_in_order(&items, work, |i| taken.push(i));
        assert_eq!(first, Err(299));
        assert_eq!(taken, (0..299).collect::<Vec<_>>());
        assert_eq!(
            try_in_order(&items[..10], |&i| Ok::<_, ()>(i), drop),
            Ok(())
        );
    }
}
