//! Folding the files of a run on every thread, with one accumulator per thread.
//!
//! A tally of a national plan holds every rule and period's distinct values, about 10 MB,
//! and rayon's `fold` starts a fresh accumulator for every piece it splits the work into,
//! keeping each until its neighbour is done to merge them. The more files, the deeper the
//! splits and the more accumulators alive at once: at 33,600 files peak memory rose by a
//! tally each time the run doubled. Here each thread takes the next file from a shared
//! counter into its own accumulator, so memory is one tally per thread however many files
//! there are, and a thread that finishes early takes more files rather than idling.
//!
//! Each thread's files come in increasing order (the counter only grows), which is the
//! order the tallies are fastest to count in; the result does not depend on it, since the
//! tallies define "first" by place, not by reading order.

use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Folds items `0..count` into accumulators made by `init`, one per thread of the current
/// pool, with `step`, and merges them with `merge`.
pub(crate) fn fold_per_thread<T, I, S, M>(count: usize, init: I, step: S, merge: M) -> T
where
    T: Send,
    I: Fn() -> T + Sync,
    S: Fn(&mut T, usize) + Sync,
    M: Fn(T, T) -> T + Sync,
{
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().clamp(1, count.max(1));
    (0..workers)
        .into_par_iter()
        .map(|_| {
            let mut acc = init();
            // (A worker that starts late, on a thread that was busy, finds the items taken
            // and returns an empty accumulator.)
            loop {
                let item = next.fetch_add(1, Ordering::Relaxed);
                if item >= count {
                    return acc;
                }
                step(&mut acc, item);
            }
        })
        .reduce_with(&merge)
        .unwrap_or_else(init)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
    use super::fold_per_thread;

    #[test]
    fn every_item_is_folded_once_on_any_number_of_threads() {
        for threads in [1, 2, 3, 8] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let folded = pool.install(|| {
                fold_per_thread(
                    1000,
                    Vec::new,
                    |seen: &mut Vec<usize>, item| seen.push(item),
                    |mut a, b| {
                        a.extend(b);
                        a
                    },
                )
            });
            let mut sorted = folded.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..1000).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn each_accumulator_sees_its_items_in_increasing_order() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let runs = pool.install(|| {
            fold_per_thread(
                500,
                || vec![Vec::new()],
                |runs: &mut Vec<Vec<usize>>, item| {
                    if let Some(run) = runs.last_mut() {
                        run.push(item);
                    }
                },
                |mut a, b| {
                    a.extend(b);
                    a
                },
            )
        });
        assert!(
            runs.len() <= 2,
            "one accumulator per thread: {}",
            runs.len()
        );
        for run in &runs {
            assert!(run.windows(2).all(|w| w[0] < w[1]), "{run:?}");
        }
        assert_eq!(runs.iter().map(Vec::len).sum::<usize>(), 500);
    }

    #[test]
    fn no_items_give_the_empty_accumulator() {
        let folded = fold_per_thread(0, || 7, |acc: &mut i32, _| *acc += 1, |a, b| a + b);
        assert_eq!(folded, 7);
    }
}
