//! Rows that are not lines of a file (a capture's packets) placed among a view's log rows by
//! time. Only where each goes is kept: the log row it comes before. A position in the list
//! shown is either one of these rows or a log row of the view, found by binary search.

/// What is at a position of the list shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The view's log row at this position.
    Log(usize),
    /// The overlay's row at this index.
    Extra(usize),
}

/// Where each extra row goes among a view's log rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlay {
    /// Per extra row (in time order), the number of log rows before it.
    before: Vec<usize>,
    logs: usize,
}

impl Overlay {
    /// Places rows at `times` (in order) among log rows whose merge times come in view order;
    /// a log row at the same time as an extra row comes first.
    pub fn new(times: &[i64], log_times: impl Iterator<Item = i64>) -> Overlay {
        let mut before = Vec::with_capacity(times.len());
        let mut logs = 0;
        for t in log_times {
            while before.len() < times.len() && times[before.len()] < t {
                before.push(logs);
            }
            logs += 1;
        }
        before.resize(times.len(), logs);
        Overlay { before, logs }
    }

    pub fn len(&self) -> usize {
        self.logs + self.before.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What is at position `at` of the list shown.
    pub fn slot(&self, at: usize) -> Slot {
        let k = self.extras_before(at);
        match self.before.get(k) {
            Some(&b) if b + k == at => Slot::Extra(k),
            _ => Slot::Log(at - k),
        }
    }

    /// The number of extra rows placed before position `at` of the list shown.
    fn extras_before(&self, at: usize) -> usize {
        // Extra row k is at position before[k] + k, which grows with k.
        let (mut lo, mut hi) = (0, self.before.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.before[mid] + mid < at {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Where the view's log row `p` is in the list shown.
    pub fn position_of_log(&self, p: usize) -> usize {
        p + self.before.partition_point(|&b| b <= p)
    }

    /// The position a search of the log rows starts from, for a search from position `at` of
    /// the list shown: a log row's own position, or, from an extra row, the log row before it
    /// (forward; `None`: from the start) or the one after it (backward).
    pub fn log_from(&self, at: Option<usize>, forward: bool) -> Option<usize> {
        match self.slot(at?) {
            Slot::Log(p) => Some(p),
            Slot::Extra(k) if forward => self.before[k].checked_sub(1),
            Slot::Extra(k) => Some(self.before[k]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_rows_go_between_log_rows_by_time_and_positions_map_both_ways() {
        // Log rows at 10, 20, 20, 30; extra rows at 5, 20, 25, 40.
        let o = Overlay::new(&[5, 20, 25, 40], [10, 20, 20, 30].into_iter());
        assert_eq!(o.len(), 8);
        let slots: Vec<Slot> = (0..8).map(|at| o.slot(at)).collect();
        use Slot::{Extra, Log};
        assert_eq!(slots, [Extra(0), Log(0), Log(1), Log(2), Extra(1), Extra(2), Log(3), Extra(3)]);
        for (at, slot) in slots.iter().enumerate() {
            if let Log(p) = slot {
                assert_eq!(o.position_of_log(*p), at);
            }
        }
        assert_eq!(o.log_from(Some(4), true), Some(2));
        assert_eq!(o.log_from(Some(4), false), Some(3));
        assert_eq!(o.log_from(Some(0), true), None);
        assert_eq!(o.log_from(Some(6), true), Some(3));
        assert_eq!(o.log_from(None, true), None);
        let none = Overlay::new(&[], [1, 2].into_iter());
        assert_eq!((none.len(), none.slot(1)), (2, Log(1)));
        let alone = Overlay::new(&[1, 2], std::iter::empty());
        assert_eq!((alone.slot(0), alone.slot(1)), (Extra(0), Extra(1)));
    }
}
