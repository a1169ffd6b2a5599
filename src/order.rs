//! One sort for the whole crate.
//!
//! Every call of the standard library's `sort_by` or `sort_by_key` with its own closure compiles
//! its own copy of the sort (driftsort with its small-sort and merge: 3 to 10 KB of WebAssembly
//! each). Forty call sites cost the analysis worker 300 KB before wasm-opt, a fifth of its code.
//! These functions sort a list of positions with one comparator type (`&mut dyn FnMut`), so the
//! standard sort is compiled once, then move the items into that order. Like `sort_by`, they are
//! stable: equal items keep their order, so reports do not depend on how a list was built.
//!
//! Use them everywhere in the core outside tests (`tests/tidy.rs` checks); `sort_unstable` on
//! plain numbers (one copy per number type) stays where lists are long.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stably.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &mut |a: &usize, b: &usize| compare(&items[*a], &items[*b]));
    permute(items, order);
}

/// Sorts `items` by the key `key` gives each, stably.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their own order, stably.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The one instance of the standard sort.
fn sort_positions(order: &mut [usize], compare: &mut dyn FnMut(&usize, &usize) -> Ordering) {
    order.sort_by(compare);
}

/// Moves `items` so that position k holds what was at `order[k]`, following each cycle of the
/// permutation with swaps (no copy of the items, no `Clone` needed).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        // A position whose item is in place points at itself; so does one already visited.
        while order[at] != start && order[at] != at {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_sort_and_keeps_equal_items_in_order() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        sort_by_key(&mut items, |i| i.0);
        assert_eq!(items, [(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]);
        let mut words = vec!["pear", "apple", "fig"];
        sort(&mut words);
        assert_eq!(words, ["apple", "fig", "pear"]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    // proptest is a native-only dev-dependency (the wasm tests run in node).
    #[cfg(not(target_arch = "wasm32"))]
    mod property {
        use super::super::sort_by_key;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_list_sorts_as_the_standard_stable_sort_does(list in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
                let mut ours = list.clone();
                let mut theirs = list;
                sort_by_key(&mut ours, |p| p.0);
                theirs.sort_by_key(|p| p.0);
                prop_assert_eq!(ours, theirs);
            }
        }
    }
}
