//! How sure a share is, and whether a share has changed: the 95 % Wilson
//! score interval, and a two-proportion test with Yates's continuity
//! correction. The rules, and why these, are in `docs/statistics.md`; a
//! result page says a share rose or fell only when [`compare`] says so.

/// The normal quantile of a two-sided 95 % interval or test.
const Z_95: f64 = 1.959_963_984_540_054;

/// The least expected count in each cell of the 2×2 table for the test's
/// normal approximation to hold (the usual rule of thumb).
const LEAST_EXPECTED: f64 = 5.0;

/// A 95 % interval for a share, both ends between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// The 95 % Wilson score interval for `positive` of `n`: unlike the
/// textbook p ± 1.96·√(p(1−p)/n), it stays within 0–1 and does not shrink
/// to nothing when every answer (or none) is positive. `None` for no
/// answers, or more positives than answers.
pub fn wilson(positive: u64, n: u64) -> Option<Interval> {
    if n == 0 || positive > n {
        return None;
    }
    let n = n as f64;
    let share = positive as f64 / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (share + z2 / (2.0 * n)) / denominator;
    let half_width = Z_95 * (share * (1.0 - share) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(Interval { low: (centre - half_width).max(0.0), high: (centre + half_width).min(1.0) })
}

/// What a comparison of two shares may say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The later share is higher, and the test says so.
    Rose,
    /// The later share is lower, and the test says so.
    Fell,
    /// Enough answers to test, and no difference the test can tell from
    /// chance.
    NoClearChange,
    /// Too few answers in one period or the other to say anything.
    TooFewToSay,
}

impl Change {
    /// The words on a results page or in a report.
    pub fn words(self) -> &'static str {
        match self {
            Change::Rose => "ökat",
            Change::Fell => "minskat",
            Change::NoClearChange => "ingen säker förändring",
            Change::TooFewToSay => "för få svar för att säga",
        }
    }
}

/// Whether a share changed from `before` (positive, n) to `after`: a
/// two-sided two-proportion z-test at the 5 % level with Yates's continuity
/// correction,
/// z = (|p₁ − p₂| − ½(1/n₁ + 1/n₂)) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)),
/// p̄ the pooled share, and a change only when z > 1.96. Too few to say when
/// any cell of the 2×2 table expects fewer than 5 answers.
pub fn compare(before: (u64, u64), after: (u64, u64)) -> Change {
    let ((x1, n1), (x2, n2)) = (before, after);
    if n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2 {
        return Change::TooFewToSay;
    }
    let (x1, n1, x2, n2) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
    let pooled = (x1 + x2) / (n1 + n2);
    let expected = [n1 * pooled, n1 * (1.0 - pooled), n2 * pooled, n2 * (1.0 - pooled)];
    if expected.iter().any(|&cell| cell < LEAST_EXPECTED) {
        return Change::TooFewToSay;
    }
    let (p1, p2) = (x1 / n1, x2 / n2);
    let inverse_sum = 1.0 / n1 + 1.0 / n2;
    let corrected = ((p1 - p2).abs() - 0.5 * inverse_sum).max(0.0);
    let z = corrected / (pooled * (1.0 - pooled) * inverse_sum).sqrt();
    if z <= Z_95 {
        Change::NoClearChange
    } else if p2 > p1 {
        Change::Rose
    } else {
        Change::Fell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 0.00005
    }

    #[test]
    fn wilson_intervals_match_hand_computed_ones() {
        // 12 of 20: p = 0.6, z² = 3.8415; centre (0.6 + 0.09604) / 1.19207
        // = 0.58389, half-width 1.96·√(0.012 + 0.0024009) / 1.19207 = 0.19731.
        let twelve = wilson(12, 20).unwrap();
        assert!(close(twelve.low, 0.3866) && close(twelve.high, 0.7812), "{twelve:?}");
        // 0 of 10: from 0 to z²/(n + z²) = 3.8415 / 13.8415 = 0.2775.
        let none = wilson(0, 10).unwrap();
        assert!(close(none.low, 0.0) && close(none.high, 0.2775), "{none:?}");
        // 10 of 10: the mirror image.
        let all = wilson(10, 10).unwrap();
        assert!(close(all.low, 0.7225) && close(all.high, 1.0), "{all:?}");
        // 250 of 500: 0.5 ± 1.96·√(0.0005 + 0.0000038) / 1.00768 = 0.04367.
        let half = wilson(250, 500).unwrap();
        assert!(close(half.low, 0.4563) && close(half.high, 0.5437), "{half:?}");
    }

    #[test]
    fn no_interval_without_answers_or_with_more_positives_than_answers() {
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson(6, 5), None);
    }

    #[test]
    fn a_change_is_called_a_change_only_when_the_test_says_so() {
        // 30/50 then 15/50: pooled 0.45, se √(0.45·0.55·0.04) = 0.09950,
        // z = (0.3 − 0.02) / 0.09950 = 2.814 > 1.96: fell.
        assert_eq!(compare((30, 50), (15, 50)), Change::Fell);
        assert_eq!(compare((15, 50), (30, 50)), Change::Rose);
        // 12/20 then 10/20: z = (0.1 − 0.05) / 0.15732 = 0.318: no clear change.
        assert_eq!(compare((12, 20), (10, 20)), Change::NoClearChange);
        // 60/100 then 46/100: pooled 0.53, z = (0.14 − 0.01) / 0.07059 = 1.842,
        // under 1.96, though without the correction it would be 1.98.
        assert_eq!(compare((60, 100), (46, 100)), Change::NoClearChange);
        // 60/100 then 45/100: z = (0.15 − 0.01) / 0.07062 = 1.982: fell.
        assert_eq!(compare((60, 100), (45, 100)), Change::Fell);
    }

    #[test]
    fn too_few_answers_to_say_anything() {
        // Pooled 0.6 of 5: 5 · 0.4 = 2 expected "no" answers in each period.
        assert_eq!(compare((2, 5), (4, 5)), Change::TooFewToSay);
        // Everyone positive in both: no expected negatives at all.
        assert_eq!(compare((40, 40), (50, 50)), Change::TooFewToSay);
        assert_eq!(compare((0, 0), (10, 20)), Change::TooFewToSay);
        assert_eq!(compare((12, 20), (0, 0)), Change::TooFewToSay);
    }
}
