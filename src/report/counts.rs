//! The store's counted rows, indexed for lookup by question and option.

use std::collections::HashMap;

use super::Tally;

/// The counts of one set of responses (all, one group, or the sum of groups).
#[derive(Debug, Default)]
pub(crate) struct Counts<'a> {
    pub responses: u64,
    answers: HashMap<(&'a str, Option<&'a str>), u64>,
    respondents: HashMap<&'a str, u64>,
}

impl<'a> Counts<'a> {
    /// The rows of `tally` whose group is `group` (`None`: not split).
    pub fn of_group(tally: &'a Tally, group: Option<&str>) -> Counts<'a> {
        Counts::collect(tally, |row_group| row_group == group)
    }

    /// Every row of `tally`, whatever its group, added up.
    pub fn of_all_groups(tally: &'a Tally) -> Counts<'a> {
        Counts::collect(tally, |_| true)
    }

    fn collect(tally: &'a Tally, keep: impl Fn(Option<&str>) -> bool) -> Counts<'a> {
        let mut counts = Counts::default();
        // Rows are added, not overwritten, so a store that sends one key in
        // several rows still gives the right total.
        for row in tally.responses.iter().filter(|row| keep(row.group.as_deref())) {
            counts.responses += row.count;
        }
        for row in tally.answers.iter().filter(|row| keep(row.group.as_deref())) {
            *counts.answers.entry((row.question_id.as_str(), row.option_id.as_deref())).or_default() += row.count;
        }
        for row in tally.respondents.iter().filter(|row| keep(row.group.as_deref())) {
            *counts.respondents.entry(row.question_id.as_str()).or_default() += row.count;
        }
        counts
    }

    /// How many responses chose `option` in `question`.
    pub fn answers(&self, question: &str, option: &str) -> u64 {
        self.answers.get(&(question, Some(option))).copied().unwrap_or(0)
    }

    /// How many responses answered `question` at all.
    pub fn respondents(&self, question: &str) -> u64 {
        self.respondents.get(question).copied().unwrap_or(0)
    }
}
