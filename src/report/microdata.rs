//! Whole responses as microdata: the rule that keeps a person from being
//! recognised in the response-level export, done as statistical offices do
//! it (sdcMicro: global recoding, then local suppression).
//!
//! Someone who knows a few things about a person (roughly when they
//! answered, in which language, their age group) must not find their row.
//! Those things are the *quasi-identifiers*: the period, the language, the
//! questionnaire version, and the answer to every background question, a
//! multi question's set of ticked options counting as one value. The file
//! is *k-anonymous* with k = the questionnaire's `min_report_n`: every
//! combination of these values that appears in it appears at least k
//! times. A blank (an empty cell) is a value of its own when combinations
//! are counted, so a blanked value and a skipped question look, and count,
//! the same.
//!
//! The rule is decided from the counts of the combinations alone, so an
//! export can count in a first pass and write in a second:
//!
//! 1. **Period.** The stored date is shown as the questionnaire's report
//!    period (`2026-11`). If more than 5 % of the rows are in combinations
//!    rarer than k, the period is coarsened (month → quarter → half-year →
//!    year) to the finest level where at most 5 % are; when no level gets
//!    there, to the level with the fewest such rows (the finer on a tie).
//!    The whole file has one level. Like the report period, a coarser
//!    period is shown only once it has ended: the rows of one still
//!    running (a quarter whose last month has not closed) are held back
//!    until it has, and count as rows needing a blank when the level is
//!    chosen. Otherwise two downloads a month apart would show which rows
//!    of the quarter are the new month's.
//! 2. **Local suppression.** Values are blanked one quasi-identifier at a
//!    time, least useful first: the background questions from the last to
//!    the first, then the channel (web or paper), the version, the language
//!    and the period. Each step
//!    blanks its value only in the rows whose combination is still rarer
//!    than k; the combinations are counted again after every step.
//! 3. **The last few.** After the steps, only the combination with every
//!    value blank can still be rarer than k. If it holds 1 to k − 1 rows,
//!    whole combinations are blanked into it, the smallest first (ties in
//!    the order of [`Key`]), until it holds at least k.
//! 4. **Too few.** A file of fewer than k rows in all has no rows.
//!
//! Values are only ever blanked or coarsened, never changed, and no row is
//! left out unless its coarser period is still running or the file would
//! have fewer than k rows: the tests check this on thousands of random
//! files.
//!
//! The same module lists the free texts apart from the responses
//! ([`texts_by_period`]), and caps an export at the last closed period
//! ([`closed_only`]).

use std::collections::{HashMap, HashSet};

use time::Date;
use time::macros::date;

use super::Filter;
use super::period::{Period, last_closed};
use super::summary::other_label;

/// A free-text answer as stored: its (coarse) date, question and text,
/// nothing else about the response, so it cannot be joined back to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredText {
    pub submitted_on: Date,
    pub question_id: String,
    pub text: String,
}
use crate::questionnaire::{QuestionKind, Questionnaire, ReportPeriod};

/// At most one row in this many may be left in rare combinations at a
/// period level for it to be fine enough (5 %).
const TOLERATED_ONE_IN: u64 = 20;

/// The quasi-identifiers of one response, as the file shows them. `None`
/// is an empty cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub period: Option<Period>,
    pub language: Option<String>,
    pub version: Option<String>,
    /// `web` or `paper`: a small channel singles people out as a small
    /// language does.
    pub channel: Option<String>,
    /// One value per background question, in form order: the option chosen
    /// in a single question, the options ticked in a multi question (one
    /// value, `Some("")` for none ticked).
    pub background: Vec<Option<String>>,
}

/// One quasi-identifier of a [`Key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quasi {
    Period,
    Language,
    Version,
    Channel,
    /// The background question with this index among the background
    /// questions.
    Background(usize),
}

impl Key {
    /// Every value blank, for a file with `background` background questions.
    fn blank_of(background: usize) -> Key {
        Key { period: None, language: None, version: None, channel: None, background: vec![None; background] }
    }

    fn is_blank(&self, quasi: Quasi) -> bool {
        match quasi {
            Quasi::Period => self.period.is_none(),
            Quasi::Language => self.language.is_none(),
            Quasi::Version => self.version.is_none(),
            Quasi::Channel => self.channel.is_none(),
            Quasi::Background(index) => self.background.get(index).is_none_or(Option::is_none),
        }
    }

    fn blank(&mut self, quasi: Quasi) {
        match quasi {
            Quasi::Period => self.period = None,
            Quasi::Language => self.language = None,
            Quasi::Version => self.version = None,
            Quasi::Channel => self.channel = None,
            Quasi::Background(index) => {
                if let Some(value) = self.background.get_mut(index) {
                    *value = None;
                }
            }
        }
    }

    /// The key with its period coarsened `steps` times.
    fn coarsened(&self, steps: u8) -> Key {
        Key { period: self.period.map(|period| coarsen(period, steps)), ..self.clone() }
    }
}

/// `period`, coarsened `steps` times (a year stays a year).
fn coarsen(period: Period, steps: u8) -> Period {
    (0..steps).fold(period, |period, _| period.parent().unwrap_or(period))
}

/// The kind of period `steps` coarsenings above `kind`.
pub fn coarser_kind(kind: ReportPeriod, steps: u8) -> ReportPeriod {
    coarsen(Period::containing(kind, date!(2000 - 01 - 01)), steps).kind()
}

/// The quasi-identifiers in the order their values are blanked: the least
/// useful first.
fn blanking_order(background: usize) -> impl Iterator<Item = Quasi> {
    (0..background).rev().map(Quasi::Background).chain([Quasi::Channel, Quasi::Version, Quasi::Language, Quasi::Period])
}

/// How often each combination of quasi-identifiers occurs: the first pass
/// of an export. Small (one entry per combination), however many rows.
#[derive(Debug, Clone, Default)]
pub struct Combinations {
    background: usize,
    counts: HashMap<Key, u64>,
    rows: u64,
}

impl Combinations {
    /// No rows yet, for a questionnaire with `background` background
    /// questions.
    pub fn new(background: usize) -> Combinations {
        Combinations { background, ..Combinations::default() }
    }

    /// Counts one row.
    pub fn add(&mut self, key: Key) {
        self.add_many(key, 1);
    }

    /// Counts `n` rows with the same key.
    pub fn add_many(&mut self, key: Key, n: u64) {
        debug_assert_eq!(key.background.len(), self.background, "one value per background question");
        *self.counts.entry(key).or_default() += n;
        self.rows += n;
    }

    /// How many rows were counted.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The counts with every period coarsened `steps` times.
    fn coarsened(&self, steps: u8) -> HashMap<Key, u64> {
        let mut counts = HashMap::new();
        for (key, count) in &self.counts {
            *counts.entry(key.coarsened(steps)).or_default() += count;
        }
        counts
    }

    /// How many times the periods can be coarsened before they are years.
    fn coarsenings(&self) -> u8 {
        let Some(mut period) = self.counts.keys().find_map(|key| key.period) else { return 0 };
        let mut steps = 0;
        while let Some(parent) = period.parent() {
            period = parent;
            steps += 1;
        }
        steps
    }
}

/// How many values the rule blanked: per quasi-identifier, and the rows
/// that have at least one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blanked {
    pub period: u64,
    pub language: u64,
    pub version: u64,
    pub channel: u64,
    /// Per background question, in form order.
    pub background: Vec<u64>,
    /// Rows with at least one value blanked.
    pub rows: u64,
}

/// What the file shows of every combination: the rule of the module
/// documentation, applied to counted combinations.
#[derive(Debug, Clone)]
pub struct Plan {
    k: u64,
    /// How many times the period was coarsened (0: the report period).
    coarsened: u8,
    /// Each combination in the file, its period coarsened, to what the
    /// file shows.
    released: HashMap<Key, Key>,
    /// Rows in the file.
    rows: u64,
    /// Rows held back until the coarser period they are in has ended.
    withheld: u64,
    /// Rows left out because the file would have had fewer than k.
    too_few: u64,
    blanked: Blanked,
}

impl Plan {
    /// The plan for the rows counted in `combinations`, with k = `k`, on a
    /// day when `last_closed` is the last report period that has closed
    /// (every counted row is in it or before it).
    pub fn new(combinations: &Combinations, k: u64, last_closed: Period) -> Plan {
        let k = k.max(1);
        let background = combinations.background;
        let all = combinations.rows;
        let ended = |key: &Key| key.period.is_none_or(|period| period.last_day() <= last_closed.last_day());

        // 1. The period level: the finest at which few rows are rare or in
        // a coarser period still running.
        let mut chosen: Option<(u8, u64)> = None;
        for steps in 0..=combinations.coarsenings() {
            let counts = combinations.coarsened(steps);
            let cost: u64 =
                counts.iter().filter(|(key, count)| **count < k || !ended(key)).map(|(_, count)| count).sum();
            if cost * TOLERATED_ONE_IN <= all {
                chosen = Some((steps, cost));
                break;
            }
            if chosen.is_none_or(|(_, fewest)| cost < fewest) {
                chosen = Some((steps, cost));
            }
        }
        let coarsened = chosen.map_or(0, |(steps, _)| steps);
        let (counted, running): (HashMap<Key, u64>, HashMap<Key, u64>) =
            combinations.coarsened(coarsened).into_iter().partition(|(key, _)| ended(key));
        let withheld = running.values().sum();
        let rows: u64 = counted.values().sum();
        let mut blanked = Blanked { background: vec![0; background], ..Blanked::default() };
        if rows < k {
            let released = HashMap::new();
            return Plan { k, coarsened, released, rows: 0, withheld, too_few: rows, blanked };
        }

        // 2. Local suppression, one quasi-identifier at a time.
        let mut released: HashMap<Key, Key> = counted.keys().map(|key| (key.clone(), key.clone())).collect();
        for quasi in blanking_order(background) {
            let rare: HashSet<Key> =
                sizes(&counted, &released).into_iter().filter(|(_, size)| *size < k).map(|(key, _)| key).collect();
            for shown in released.values_mut() {
                if rare.contains(shown) {
                    shown.blank(quasi);
                }
            }
        }

        // 3. The all-blank combination, if too small, takes in whole
        // combinations until it is not.
        let blank = Key::blank_of(background);
        loop {
            let sizes = sizes(&counted, &released);
            let held = sizes.get(&blank).copied().unwrap_or(0);
            if held == 0 || held >= k {
                break;
            }
            let smallest = sizes
                .into_iter()
                .filter(|(key, _)| *key != blank)
                .min_by(|(a, a_size), (b, b_size)| (a_size, a).cmp(&(b_size, b)))
                .map(|(key, _)| key);
            let Some(smallest) = smallest else { break };
            for shown in released.values_mut() {
                if *shown == smallest {
                    shown.clone_from(&blank);
                }
            }
        }

        for (key, shown) in &released {
            let count = counted[key];
            let mut any = false;
            for quasi in blanking_order(background) {
                if !key.is_blank(quasi) && shown.is_blank(quasi) {
                    any = true;
                    *match quasi {
                        Quasi::Period => &mut blanked.period,
                        Quasi::Language => &mut blanked.language,
                        Quasi::Version => &mut blanked.version,
                        Quasi::Channel => &mut blanked.channel,
                        Quasi::Background(index) => &mut blanked.background[index],
                    } += count;
                }
            }
            if any {
                blanked.rows += count;
            }
        }
        Plan { k, coarsened, released, rows, withheld, too_few: 0, blanked }
    }

    /// What the file shows of a row with these quasi-identifiers (its
    /// period as stored at the report period), or `None` when the row is
    /// not in the file: its coarser period is still running, there were
    /// fewer than k rows, or the row was not counted.
    pub fn release(&self, key: &Key) -> Option<Key> {
        self.released.get(&key.coarsened(self.coarsened)).cloned()
    }

    /// The k the file is anonymous for.
    pub fn k(&self) -> u64 {
        self.k
    }

    /// How many times the period was coarsened (0: the report period).
    pub fn coarsened(&self) -> u8 {
        self.coarsened
    }

    /// How many rows the file has.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// How many rows are held back until the coarser period they are in
    /// has ended.
    pub fn withheld(&self) -> u64 {
        self.withheld
    }

    /// How many rows were left out because the file would have had fewer
    /// than k.
    pub fn too_few(&self) -> u64 {
        self.too_few
    }

    /// How many values were blanked.
    pub fn blanked(&self) -> &Blanked {
        &self.blanked
    }
}

/// How many rows each shown combination has.
fn sizes(counted: &HashMap<Key, u64>, released: &HashMap<Key, Key>) -> HashMap<Key, u64> {
    let mut sizes = HashMap::new();
    for (key, shown) in released {
        *sizes.entry(shown.clone()).or_default() += counted[key];
    }
    sizes
}

/// The filter of an export of whole responses or of texts: `filter`, with
/// its last day at most the last day of the last closed period on `today`;
/// and that period. A response in a period still open is never exported.
pub fn closed_only(filter: &Filter, questionnaire: &Questionnaire, today: Date) -> (Filter, Period) {
    let last = last_closed(questionnaire.report_period, questionnaire.date_precision, today);
    let to = filter.to.map_or(last.last_day(), |to| to.min(last.last_day()));
    (Filter { to: Some(to), ..filter.clone() }, last)
}

/// One free text in the list of texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedText {
    pub period: Period,
    pub question_id: String,
    /// The question in the default language; for a "something else" text,
    /// the question, a dash and "something else".
    pub question_text: String,
    pub text: String,
}

/// The free texts as a list of their own, never joined to a response: per
/// report period, the oldest first, only for periods with at least
/// `min_report_n` responses (`responses_per_date`: the responses of the
/// same selection, per stored date). Within a period the texts keep the
/// order given, which the store makes random. Texts to questions the
/// questionnaire no longer has are left out, as in the responses.
pub fn texts_by_period(
    questionnaire: &Questionnaire,
    texts: Vec<StoredText>,
    responses_per_date: &[(Date, u64)],
) -> Vec<ListedText> {
    let kind = questionnaire.report_period;
    let mut per_period: HashMap<Period, u64> = HashMap::new();
    for (date, count) in responses_per_date {
        *per_period.entry(Period::containing(kind, *date)).or_default() += count;
    }
    let language = questionnaire.language(None);
    let mut listed: Vec<ListedText> = texts
        .into_iter()
        .filter_map(|text| {
            let period = Period::containing(kind, text.submitted_on);
            if per_period.get(&period).copied().unwrap_or(0) < questionnaire.min_report_n {
                return None;
            }
            let question = questionnaire.question(&text.question_id)?;
            let question_text = match question.kind {
                QuestionKind::Text { .. } => question.text.get(language).to_owned(),
                _ => format!("{} – {}", question.text.get(language), other_label(language)),
            };
            Some(ListedText { period, question_id: text.question_id, question_text, text: text.text })
        })
        .collect();
    // Stable: the random order within a period stays.
    listed.sort_by_key(|text| text.period);
    listed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::questionnaire;

    fn month(year: i32, month: u8) -> Period {
        let month = time::Month::try_from(month).unwrap();
        Period::containing(ReportPeriod::Month, Date::from_calendar_date(year, month, 1).unwrap())
    }

    fn key(period: Period, language: &str, background: &[Option<&str>]) -> Key {
        Key {
            period: Some(period),
            language: Some(language.to_owned()),
            version: Some("v1".to_owned()),
            channel: Some("web".to_owned()),
            background: background.iter().map(|value| value.map(str::to_owned)).collect(),
        }
    }

    /// The rows of `keys` as the file shows them, long after every period
    /// in them has ended.
    fn released(keys: &[Key], k: u64) -> (Plan, Vec<Option<Key>>) {
        released_after(keys, k, month(2100, 1))
    }

    /// The rows of `keys` as the file shows them when `last_closed` is the
    /// last report period that has closed.
    fn released_after(keys: &[Key], k: u64, last_closed: Period) -> (Plan, Vec<Option<Key>>) {
        let background = keys.first().map_or(0, |key| key.background.len());
        let mut combinations = Combinations::new(background);
        for key in keys {
            combinations.add(key.clone());
        }
        let plan = Plan::new(&combinations, k, last_closed);
        let shown = keys.iter().map(|key| plan.release(key)).collect();
        (plan, shown)
    }

    fn count_of(rows: &[Option<Key>], wanted: &Key) -> usize {
        rows.iter().filter(|row| row.as_ref() == Some(wanted)).count()
    }

    #[test]
    fn a_common_combination_is_shown_as_it_is() {
        let november = month(2026, 11);
        let keys = vec![key(november, "sv", &[Some("age_30_44")]); 6];
        let (plan, shown) = released(&keys, 5);
        assert!(shown.iter().all(|row| row.as_ref() == Some(&keys[0])));
        assert_eq!(plan.coarsened(), 0);
        assert_eq!(plan.blanked(), &Blanked { background: vec![0], ..Blanked::default() });
    }

    #[test]
    fn a_small_group_loses_its_rarest_values_first() {
        // 20 Swedish-speaking 30–44 in November, and two Arabic-speaking
        // 65+: the age goes first, then (still two) the version, then the
        // language, then the period; two all-blank rows then take in the
        // smallest other combination.
        let november = month(2026, 11);
        let mut keys = vec![key(november, "sv", &[Some("age_30_44")]); 20];
        keys.extend(vec![key(november, "ar", &[Some("age_65_plus")]); 2]);
        let (plan, shown) = released(&keys, 5);
        let blank = Key::blank_of(1);
        assert_eq!(count_of(&shown, &blank), 22, "all 22 share one combination: {shown:?}");
        assert_eq!(plan.blanked().rows, 22);
        assert_eq!(plan.coarsened(), 0, "one period: nothing to gain from a coarser one");

        // With 3 Swedish-speaking who skipped the age question besides, the
        // two lose their age, version and language and so meet the three,
        // who lost the same: 5 rows that keep their period.
        let mut keys = vec![key(november, "sv", &[Some("age_30_44")]); 20];
        keys.extend(vec![key(november, "sv", &[None]); 3]);
        keys.extend(vec![key(november, "ar", &[Some("age_65_plus")]); 2]);
        let (plan, shown) = released(&keys, 5);
        let november_only = Key { period: Some(november), ..Key::blank_of(1) };
        assert_eq!(count_of(&shown, &november_only), 5, "{shown:?}");
        assert_eq!(count_of(&shown, &keys[0]), 20, "the large group is untouched");
        let blanked = plan.blanked();
        assert_eq!((blanked.background[0], blanked.version, blanked.language, blanked.period), (2, 5, 5, 0));
        assert_eq!(blanked.rows, 5);
    }

    #[test]
    fn blanking_stops_as_soon_as_a_combination_is_large_enough() {
        let november = month(2026, 11);
        let mut keys = vec![key(november, "sv", &[Some("young"), Some("yes")]); 5];
        keys.extend(vec![key(november, "sv", &[Some("young"), Some("no")]); 3]);
        keys.extend(vec![key(november, "sv", &[Some("young"), None]); 2]);
        let (plan, shown) = released(&keys, 5);
        // The last background question goes first: the 3 + 2 become
        // (young, blank), 5 rows, and keep everything else.
        let young = key(november, "sv", &[Some("young"), None]);
        assert_eq!(count_of(&shown, &young), 5, "{shown:?}");
        assert_eq!(count_of(&shown, &keys[0]), 5);
        assert_eq!(plan.blanked().background, [0, 3], "3 values blanked; the 2 skipped were blank already");
        assert_eq!(plan.blanked().rows, 3);
        assert_eq!((plan.blanked().language, plan.blanked().period), (0, 0));
    }

    #[test]
    fn the_period_is_coarsened_when_months_leave_too_many_rare_rows() {
        // 4 responses a month for 3 months: every month rare, the quarter 12.
        let mut keys = Vec::new();
        for m in 10..=12 {
            keys.extend(vec![key(month(2026, m), "sv", &[]); 4]);
        }
        let (plan, shown) = released(&keys, 5);
        assert_eq!(plan.coarsened(), 1);
        let quarter = Key { period: month(2026, 10).parent(), ..keys[0].clone() };
        assert_eq!(count_of(&shown, &quarter), 12, "{shown:?}");
        assert_eq!(plan.blanked().rows, 0);
        assert_eq!(coarser_kind(ReportPeriod::Month, plan.coarsened()), ReportPeriod::Quarter);
    }

    #[test]
    fn the_period_stays_fine_when_at_most_one_row_in_twenty_is_rare() {
        // 19 + 19 in two months and 2 in a third: 2 of 40 rows are rare (5 %).
        let mut keys = vec![key(month(2026, 10), "sv", &[]); 19];
        keys.extend(vec![key(month(2026, 11), "sv", &[]); 19]);
        keys.extend(vec![key(month(2026, 12), "sv", &[]); 2]);
        let (plan, _) = released(&keys, 5);
        assert_eq!(plan.coarsened(), 0, "5 % is tolerated");
        keys.push(key(month(2026, 12), "sv", &[]));
        let (plan, _) = released(&keys, 5);
        assert_eq!(plan.coarsened(), 1, "3 of 41 is more than 5 %");
    }

    #[test]
    fn a_coarser_period_still_running_is_held_back_until_it_ends() {
        // 4 a month from October to February, on a day when February has
        // closed: by month every row is rare; by quarter the 12 of 2026-Q4
        // are fine and the 8 of 2027-Q1, which ends in March, are held back
        // (so the quarter costs 8 of 20); half-year and year cost as much.
        let mut keys = Vec::new();
        for (year, m) in [(2026, 10), (2026, 11), (2026, 12), (2027, 1), (2027, 2)] {
            keys.extend(vec![key(month(year, m), "sv", &[]); 4]);
        }
        let (plan, shown) = released_after(&keys, 5, month(2027, 2));
        assert_eq!(plan.coarsened(), 1);
        let q4 = Key { period: month(2026, 10).parent(), ..keys[0].clone() };
        assert_eq!(count_of(&shown, &q4), 12);
        assert_eq!(shown.iter().filter(|row| row.is_none()).count(), 8, "January and February wait for March");
        assert_eq!((plan.rows(), plan.withheld(), plan.too_few()), (12, 8, 0));

        // Once March has closed, the quarter is there too.
        keys.extend(vec![key(month(2027, 3), "sv", &[]); 4]);
        let (plan, shown) = released_after(&keys, 5, month(2027, 3));
        assert!(shown.iter().all(Option::is_some));
        assert_eq!((plan.rows(), plan.withheld()), (24, 0));
    }

    #[test]
    fn with_no_level_good_enough_the_period_goes_where_fewest_rows_are_rare() {
        // Every response has its own background answer: coarsening helps
        // nothing, so the period stays as fine as it is.
        let keys: Vec<Key> = (0..10).map(|n| key(month(2026, 1 + n % 12), "sv", &[Some(&n.to_string())])).collect();
        let (plan, shown) = released(&keys, 5);
        assert_eq!(plan.coarsened(), 0, "ties go to the finer level");
        assert!(shown.iter().all(Option::is_some), "no row is lost");
    }

    #[test]
    fn fewer_than_k_rows_make_an_empty_file() {
        let keys = vec![key(month(2026, 11), "sv", &[]); 4];
        let (plan, shown) = released(&keys, 5);
        assert!(shown.iter().all(Option::is_none));
        assert_eq!((plan.rows(), plan.too_few()), (0, 4));
        let (plan, shown) = released(&[], 5);
        assert!(shown.is_empty());
        assert_eq!((plan.rows(), plan.too_few()), (0, 0));
    }

    #[test]
    fn a_row_that_was_not_counted_is_not_in_the_file() {
        let keys = vec![key(month(2026, 11), "sv", &[]); 5];
        let (plan, _) = released(&keys, 5);
        assert_eq!(plan.release(&key(month(2026, 11), "en", &[])), None);
    }

    /// SplitMix64: random but repeatable datasets for the property test.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, bound: u64) -> u64 {
            self.next() % bound.max(1)
        }

        /// A value from `values`, or blank one time in `blank_one_in`.
        fn value(&mut self, values: &[&str], blank_one_in: u64) -> Option<String> {
            if self.below(blank_one_in) == 0 {
                None
            } else {
                Some(values[self.below(values.len() as u64) as usize].to_owned())
            }
        }
    }

    /// A last closed period at or after every row's: the export only
    /// counts rows of closed periods.
    fn random_last_closed(random: &mut Random, keys: &[Key]) -> Period {
        let last =
            keys.iter().filter_map(|key| key.period).map(Period::last_day).max().unwrap_or(date!(2025 - 01 - 31));
        Period::containing(ReportPeriod::Month, last + time::Duration::days(31 * random.below(8) as i64))
    }

    fn random_keys(random: &mut Random) -> Vec<Key> {
        let rows = random.below(80);
        let background = random.below(4) as usize;
        // Skewed alphabets: a few common values and some rare ones.
        let kinds = [ReportPeriod::Month, ReportPeriod::Quarter, ReportPeriod::HalfYear, ReportPeriod::Year];
        let kind = kinds[random.below(4) as usize];
        let months = 1 + random.below(30);
        (0..rows)
            .map(|_| {
                let day = date!(2025 - 01 - 15) + time::Duration::days(31 * random.below(months) as i64);
                Key {
                    period: Some(Period::containing(kind, day)),
                    language: random.value(&["sv", "sv", "sv", "en", "ar"], 1000),
                    version: random.value(&["a", "a", "a", "a", "b"], 1000),
                    channel: random.value(&["web", "web", "web", "web", "paper"], 1000),
                    background: (0..background)
                        .map(|_| random.value(&["x", "x", "y", "z", "w", "", "x y"], 6))
                        .collect(),
                }
            })
            .collect()
    }

    #[test]
    fn random_files_are_k_anonymous_lose_no_row_and_change_no_value() {
        let mut random = Random(14);
        for case in 0..2000 {
            let keys = random_keys(&mut random);
            let k = 1 + random.below(6);
            let last_closed = random_last_closed(&mut random, &keys);
            let (plan, shown) = released_after(&keys, k, last_closed);
            let rows = keys.len() as u64;

            let ended = |key: &Key| {
                let period = coarsen(key.period.unwrap(), plan.coarsened());
                period.last_day() <= last_closed.last_day()
            };
            let in_ended: Vec<&Key> = keys.iter().filter(|key| ended(key)).collect();
            assert_eq!(plan.withheld(), rows - in_ended.len() as u64, "case {case}");
            if (in_ended.len() as u64) < k {
                assert!(shown.iter().all(Option::is_none), "case {case}: fewer than k rows, no file");
                continue;
            }
            for (original, row) in keys.iter().zip(&shown) {
                assert_eq!(row.is_some(), ended(original), "case {case}: only a running period's rows wait");
            }
            assert_eq!(plan.rows(), in_ended.len() as u64);
            let (keys, shown): (Vec<&Key>, Vec<&Option<Key>>) =
                keys.iter().zip(&shown).filter(|(_, row)| row.is_some()).unzip();

            let mut sizes: HashMap<&Key, u64> = HashMap::new();
            for row in shown.iter().copied().flatten() {
                *sizes.entry(row).or_default() += 1;
            }
            for (combination, size) in &sizes {
                assert!(*size >= k, "case {case}: {combination:?} appears {size} < {k} times");
            }

            let mut blanked_rows = 0;
            for (original, row) in keys.iter().zip(shown.iter().copied().flatten()) {
                let same_or_blank =
                    |was: &Option<String>, now: &Option<String>| now.is_none() || now.as_ref() == was.as_ref();
                assert!(same_or_blank(&original.language, &row.language), "case {case}: language changed");
                assert!(same_or_blank(&original.version, &row.version), "case {case}: version changed");
                assert!(same_or_blank(&original.channel, &row.channel), "case {case}: channel changed");
                assert_eq!(original.background.len(), row.background.len());
                for (was, now) in original.background.iter().zip(&row.background) {
                    assert!(same_or_blank(was, now), "case {case}: background changed: {was:?} → {now:?}");
                }
                if let Some(period) = row.period {
                    let was = original.period.unwrap();
                    assert_eq!(period, coarsen(was, plan.coarsened()), "case {case}: the period is coarsened only");
                    assert!(period.first_day() <= was.first_day() && was.last_day() <= period.last_day());
                }
                let blanked = |was: bool, now: bool| !was && now;
                if blanked(original.language.is_none(), row.language.is_none())
                    || blanked(original.version.is_none(), row.version.is_none())
                    || blanked(original.channel.is_none(), row.channel.is_none())
                    || blanked(original.period.is_none(), row.period.is_none())
                    || original.background.iter().zip(&row.background).any(|(a, b)| blanked(a.is_none(), b.is_none()))
                {
                    blanked_rows += 1;
                }
            }
            assert_eq!(plan.blanked().rows, blanked_rows, "case {case}: the notes count what was blanked");
        }
    }

    #[test]
    fn the_plan_does_not_depend_on_the_order_rows_come_in() {
        let mut random = Random(48);
        for case in 0..300 {
            let keys = random_keys(&mut random);
            let k = 1 + random.below(6);
            let last_closed = random_last_closed(&mut random, &keys);
            let (_, forward) = released_after(&keys, k, last_closed);
            let reversed: Vec<Key> = keys.iter().rev().cloned().collect();
            let (_, backward) = released_after(&reversed, k, last_closed);
            let backward: Vec<Option<Key>> = backward.into_iter().rev().collect();
            assert_eq!(forward, backward, "case {case}");
        }
    }

    #[test]
    fn an_export_ends_with_the_last_closed_period() {
        let questionnaire = questionnaire(); // week precision, monthly reports
        let today = date!(2026 - 12 - 15);
        let (filter, last) = closed_only(&Filter::default(), &questionnaire, today);
        assert_eq!(last.to_string(), "2026-11");
        assert_eq!(filter.to, Some(date!(2026 - 11 - 30)));
        let asked = Filter { from: Some(date!(2026 - 01 - 01)), to: Some(date!(2026 - 12 - 31)), ..Filter::default() };
        let (filter, _) = closed_only(&asked, &questionnaire, today);
        assert_eq!((filter.from, filter.to), (Some(date!(2026 - 01 - 01)), Some(date!(2026 - 11 - 30))));
        let earlier = Filter { to: Some(date!(2026 - 06 - 30)), ..Filter::default() };
        assert_eq!(closed_only(&earlier, &questionnaire, today).0.to, Some(date!(2026 - 06 - 30)));
    }

    fn text(on: Date, question: &str, text: &str) -> StoredText {
        StoredText { submitted_on: on, question_id: question.to_owned(), text: text.to_owned() }
    }

    #[test]
    fn texts_are_listed_per_period_only_where_the_period_has_k_responses() {
        let texts = vec![
            text(date!(2026 - 11 - 16), "comment", "sent"),
            text(date!(2026 - 10 - 05), "comment", "för få"),
            text(date!(2026 - 11 - 02), "missing", "juridik"),
            text(date!(2026 - 11 - 09), "gone", "en fråga som inte finns"),
            text(date!(2026 - 09 - 28), "comment", "tidig"),
        ];
        let responses = [
            (date!(2026 - 09 - 28), 5),
            (date!(2026 - 10 - 05), 4),
            (date!(2026 - 11 - 02), 3),
            (date!(2026 - 11 - 16), 2),
        ];
        let listed = texts_by_period(&questionnaire(), texts, &responses);
        let rows: Vec<(String, &str, &str, &str)> = listed
            .iter()
            .map(|t| (t.period.to_string(), t.question_id.as_str(), t.question_text.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("2026-09".to_owned(), "comment", "Något mer?", "tidig"),
                ("2026-11".to_owned(), "comment", "Något mer?", "sent"),
                ("2026-11".to_owned(), "missing", "Vilket stöd saknade du? – Annat, nämligen", "juridik"),
            ],
            "October's 4 responses are too few; within November the order given stays"
        );
    }
}
