//! A figure in a report, which small-group protection may withhold.

/// One figure of a report (a count, a share, a mean): either shown, or
/// withheld because it was computed from too few answers. Withheld is never
/// zero: a reader must be able to tell "nobody" from "not shown".
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure<T> {
    /// The figure, safe to show.
    Shown(T),
    /// Withheld by small-group protection ("färre än 5 svar").
    Suppressed,
}

impl<T: Copy> Figure<T> {
    /// The figure when it may be shown.
    pub fn shown(self) -> Option<T> {
        match self {
            Figure::Shown(value) => Some(value),
            Figure::Suppressed => None,
        }
    }

    /// Whether the figure is withheld.
    pub fn is_suppressed(self) -> bool {
        matches!(self, Figure::Suppressed)
    }

    /// The shown figure transformed; a withheld one stays withheld.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Figure<U> {
        match self {
            Figure::Shown(value) => Figure::Shown(f(value)),
            Figure::Suppressed => Figure::Suppressed,
        }
    }
}

/// A count of answers, shown only when there are at least `min_report_n` of
/// them. Zero is always fewer than the minimum (which is at least 3).
pub(crate) fn protected_count(count: u64, min_report_n: u64) -> Figure<u64> {
    if count == 0 || count < min_report_n { Figure::Suppressed } else { Figure::Shown(count) }
}

/// Why a question's figures (or a group's) are withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppression {
    /// Computed from fewer answers than `min_report_n` (zero included).
    TooFewAnswers,
    /// Enough answers, but withheld so that a total minus the shown groups
    /// cannot reveal another group that has too few (complementary
    /// suppression, breakdowns only).
    ProtectsAnotherGroup,
}
