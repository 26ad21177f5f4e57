//! Running the generation jobs side by side: they are independent (each reads its own input
//! and writes its own directories), and one job alone leaves a core idle during its serial
//! stages (reading, resolving, planning).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// `f` of every item on up to `threads` threads, the results in the items' order. Items are
/// started in the order of `order` (largest first keeps the last job from running alone).
pub fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    order: &[usize],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let value = f(&items[i]);
            *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.max(1) {
            scope.spawn(work);
        }
        work();
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every item is run (order names each index once)")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results come back in the items' order whatever order they were started in and
    /// however many threads ran them.
    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<usize> = (0..50).collect();
        let order: Vec<usize> = (0..50).rev().collect();
        for threads in [1, 2, 4] {
            let out = map_in_order(&items, threads, &order, |i| i * 10);
            assert_eq!(out, items.iter().map(|i| i * 10).collect::<Vec<_>>());
        }
    }
}
