//! Disclosure control: which answers a figure may rest on.
//!
//! Staff can choose periods, a language, a channel and a version, and download figures
//! as often as they like. Suppressing each small figure on its own is not
//! enough: the difference of two shown figures (all languages minus
//! Swedish minus English, this year minus until last month) can be a
//! handful of people. So figures are added up from fixed blocks of answers
//! instead, *units*, decided by the answers alone and never by the query:
//!
//! 1. A *cell* is the responses of one stream (a version in a language, by
//!    one channel: web or paper) stored with a date in one closed reporting
//!    period.
//! 2. For each question (and for the response count), a cell with at least
//!    `min_report_n` answers is a unit of its own. The thinner cells of a
//!    stream are put together by calendar, once that longer period has
//!    closed: the months of a quarter, then the quarters of a half-year,
//!    then the halves of a year. What is still thin at the end of a year is
//!    put together across streams (the small languages of a year). What is
//!    thin even then is never shown.
//! 3. A figure for a query adds up the units that lie wholly inside it; a
//!    unit that lies partly outside is left out.
//!
//! So every figure is a sum of units, and so is the difference of any two
//! figures, or of any sum of them: no combination of queries can isolate
//! fewer than `min_report_n` answers. Periods never reopen, so a unit never
//! changes once formed. `docs/privacy.md` states the rule for people.

use std::collections::{BTreeMap, BTreeSet};

use super::period::Period;
use super::{Tally, VersionPlan};
use crate::questionnaire::{OTHER, Questionnaire};

/// The responses given to one version of the questionnaire in one language
/// by one channel (`web`, `paper`): the finest thing a filter can select.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stream {
    pub version: String,
    pub language: String,
    pub channel: String,
}

/// The responses of one stream stored with a date in one closed period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    pub stream: Stream,
    pub period: Period,
}

/// Cells whose answers to one question are only ever counted together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub cells: BTreeSet<Cell>,
    /// How many answers the unit holds (at least `min_report_n`).
    pub answers: u64,
    /// The period whose closing formed the unit: the cell's own, or the
    /// quarter, half-year or year its thin cells were put together in.
    pub formed_in: Period,
}

impl Unit {
    /// The first and last period the unit covers.
    pub fn periods(&self) -> (Period, Period) {
        let first = self.cells.iter().map(|cell| cell.period).min().expect("a unit has cells");
        let last = self.cells.iter().map(|cell| cell.period).max().expect("a unit has cells");
        (first, last)
    }

    /// The period(s) in words: "november 2026", "oktober 2026 – december 2026".
    pub fn label(&self) -> String {
        match self.periods() {
            (first, last) if first == last => first.label(),
            (first, last) => format!("{} – {}", first.label(), last.label()),
        }
    }
}

/// What a query selects: a range of closed periods, and optionally one
/// language, one version and one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub from: Period,
    pub to: Period,
    pub language: Option<String>,
    pub version: Option<String>,
    pub channel: Option<String>,
}

impl Scope {
    /// Whether the scope selects the cell.
    pub fn covers(&self, cell: &Cell) -> bool {
        self.from <= cell.period
            && cell.period <= self.to
            && self.language.as_ref().is_none_or(|language| *language == cell.stream.language)
            && self.version.as_ref().is_none_or(|version| *version == cell.stream.version)
            && self.channel.as_ref().is_none_or(|channel| *channel == cell.stream.channel)
    }

    /// Whether the scope selects every cell of the unit.
    pub fn contains(&self, unit: &Unit) -> bool {
        unit.cells.iter().all(|cell| self.covers(cell))
    }
}

/// Thin cells waiting to be put together, with how many answers they hold,
/// keyed by the longer period they wait for and their stream (`None`: put
/// together across streams).
type Waiting = BTreeMap<(Option<Period>, Option<Stream>), (BTreeSet<Cell>, u64)>;

/// The units of one measure (a question's answers, or responses), from how
/// many it has in each closed cell. `counts` must hold closed cells only,
/// of the questionnaire's reporting period; `last_closed` is the latest
/// closed period, which decides which longer periods have closed too.
///
/// `min_report_n` gives each stream's minimum: that of its version, since a
/// version's promise never changes (and a unit formed under it must not
/// either). Cells put together across streams need the largest of theirs.
pub fn units(counts: &BTreeMap<Cell, u64>, last_closed: Period, min_report_n: &dyn Fn(&Stream) -> u64) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut waiting: Waiting = BTreeMap::new();
    let year_of = |period: Period| Period::containing(crate::questionnaire::ReportPeriod::Year, period.first_day());
    for (cell, &count) in counts.iter().filter(|(_, count)| **count > 0) {
        if count >= min_report_n(&cell.stream) {
            units.push(Unit { cells: BTreeSet::from([cell.clone()]), answers: count, formed_in: cell.period });
            continue;
        }
        let key = match cell.period.parent() {
            Some(parent) => (Some(parent), Some(cell.stream.clone())),
            None => (Some(year_of(cell.period)), None),
        };
        let entry = waiting.entry(key).or_default();
        entry.0.insert(cell.clone());
        entry.1 += count;
    }
    // Longer and longer periods, as long as any cells still wait.
    while !waiting.is_empty() {
        let mut next: Waiting = BTreeMap::new();
        for ((period, stream), (cells, count)) in waiting {
            let Some(period) = period else { continue };
            // A longer period still open may get more cells: wait for it.
            if period.last_day() > last_closed.last_day() {
                continue;
            }
            let needed = cells.iter().map(|cell| min_report_n(&cell.stream)).max().unwrap_or(u64::MAX);
            if count >= needed {
                units.push(Unit { cells, answers: count, formed_in: period });
                continue;
            }
            let key = match (stream, period.parent()) {
                (Some(stream), Some(parent)) => (Some(parent), Some(stream)),
                // A year's thin cells of every stream, together.
                (Some(_), None) => (Some(period), None),
                // Thin across all streams for a whole year: never shown.
                (None, _) => continue,
            };
            let entry = next.entry(key).or_default();
            entry.0.extend(cells);
            entry.1 += count;
        }
        waiting = next;
    }
    units
}

/// The figures a scope may show: the counts of the units inside it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Released {
    /// The counts, unsplit, as `summarize` takes them.
    pub tally: Tally,
    /// For each measure ([`RESPONSES`], a question id, or a question id
    /// with [`OTHER_TEXTS`]), the units the tally adds up.
    pub units: BTreeMap<String, Vec<Unit>>,
}

/// The measure of how many responses there are.
pub const RESPONSES: &str = "";
/// Appended to a question id: the measure of its "something else" texts.
pub const OTHER_TEXTS: &str = "#other";

/// How many each cell holds of every measure: responses, each question's
/// respondents, and each question's "something else" texts.
fn measures(cells: &BTreeMap<Cell, Tally>) -> BTreeMap<String, BTreeMap<Cell, u64>> {
    let mut measures: BTreeMap<String, BTreeMap<Cell, u64>> = BTreeMap::new();
    for (cell, tally) in cells {
        for row in tally.responses.iter().filter(|row| row.group.is_none()) {
            *measures.entry(RESPONSES.to_owned()).or_default().entry(cell.clone()).or_default() += row.count;
        }
        for row in tally.respondents.iter().filter(|row| row.group.is_none()) {
            *measures.entry(row.question_id.clone()).or_default().entry(cell.clone()).or_default() += row.count;
        }
        for row in tally.answers.iter().filter(|row| row.group.is_none() && row.option_id.as_deref() == Some(OTHER)) {
            let measure = format!("{}{OTHER_TEXTS}", row.question_id);
            *measures.entry(measure).or_default().entry(cell.clone()).or_default() += row.count;
        }
    }
    measures
}

/// The units of every measure. Which of them a scope may count (versions
/// kept apart, [`VersionPlan`]) is decided per scope from whole units, so
/// the units themselves never depend on the query.
pub fn all_units(
    cells: &BTreeMap<Cell, Tally>,
    last_closed: Period,
    min_report_n: &dyn Fn(&Stream) -> u64,
) -> BTreeMap<String, Vec<Unit>> {
    measures(cells)
        .into_iter()
        .map(|(measure, counts)| (measure.clone(), units(&counts, last_closed, min_report_n)))
        .collect()
}

/// The counts a scope may show: for the response count and each question,
/// the cells of its units inside the scope, added up. `cells` is unsplit.
pub fn release(cells: &BTreeMap<Cell, Tally>, units: &BTreeMap<String, Vec<Unit>>, scope: &Scope) -> Released {
    let mut tally = Tally::default();
    let mut released: BTreeMap<String, Vec<Unit>> = BTreeMap::new();
    for (measure, measure_units) in units {
        let inside: Vec<Unit> = measure_units.iter().filter(|unit| scope.contains(unit)).cloned().collect();
        for cell in inside.iter().flat_map(|unit| &unit.cells) {
            let Some(counts) = cells.get(cell) else { continue };
            if measure == RESPONSES {
                tally.responses.extend(counts.responses.iter().filter(|row| row.group.is_none()).cloned());
            } else if !measure.ends_with(OTHER_TEXTS) {
                tally.answers.extend(
                    counts.answers.iter().filter(|row| row.group.is_none() && row.question_id == *measure).cloned(),
                );
                tally.respondents.extend(
                    counts.respondents.iter().filter(|row| row.group.is_none() && row.question_id == *measure).cloned(),
                );
            }
        }
        released.insert(measure.clone(), inside);
    }
    // "Something else" is counted as a question's answer, but its texts
    // are a measure of their own: its count is released with the question.
    Released { tally: tally.summed(), units: released }
}

/// The groups of a breakdown withheld within one unit, given how many
/// answers each group has there: every group with 1 to `min_report_n − 1`,
/// and then more, smallest first, until the withheld groups together hold at
/// least `min_report_n` answers in at least two groups that have any. An
/// empty group is never enough to hide another behind, since its emptiness
/// may be known from elsewhere. `None` as reason: the group is shown.
pub fn withhold_groups(counts: &BTreeMap<String, u64>, min_report_n: u64) -> BTreeMap<String, WithheldBecause> {
    let mut withheld: BTreeMap<String, WithheldBecause> = counts
        .iter()
        .filter(|(_, count)| (1..min_report_n).contains(*count))
        .map(|(group, _)| (group.clone(), WithheldBecause::TooFew))
        .collect();
    if withheld.is_empty() {
        return withheld;
    }
    loop {
        let total: u64 = withheld.keys().map(|group| counts[group]).sum();
        let non_empty = withheld.keys().filter(|group| counts[*group] > 0).count();
        if total >= min_report_n && non_empty >= 2 {
            return withheld;
        }
        let smallest = counts
            .iter()
            .filter(|(group, count)| **count > 0 && !withheld.contains_key(*group))
            .min_by_key(|(group, count)| (**count, (*group).clone()));
        match smallest {
            Some((group, _)) => {
                withheld.insert(group.clone(), WithheldBecause::ProtectsAnother);
            }
            // Nothing left to hide them behind: every group is withheld.
            None => {
                for group in counts.keys() {
                    withheld.entry(group.clone()).or_insert(WithheldBecause::ProtectsAnother);
                }
                return withheld;
            }
        }
    }
}

/// Why a group of a breakdown is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WithheldBecause {
    /// It has 1 to `min_report_n − 1` answers in some unit.
    TooFew,
    /// It is withheld with such a group, so that the total minus the shown
    /// groups cannot reveal it.
    ProtectsAnother,
}

/// One measure of a breakdown, released: the split counts of the groups
/// shown, and the groups withheld.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleasedGroups {
    /// Split counts of the shown groups only.
    pub tally: Tally,
    pub withheld: BTreeMap<String, WithheldBecause>,
}

/// A breakdown's counts for one measure (a question id, or [`RESPONSES`]
/// for the group sizes): within each unit inside the scope, the groups are
/// withheld by [`withhold_groups`]; a group withheld in any unit is withheld
/// for the scope, and the others are added up over every unit. `split` has
/// the cells' counts split into groups.
pub fn release_groups(
    split: &BTreeMap<Cell, Tally>,
    measure: &str,
    units: &[Unit],
    scope: &Scope,
    groups: &[String],
    min_report_n: &dyn Fn(&Stream) -> u64,
) -> ReleasedGroups {
    let inside: Vec<&Unit> = units.iter().filter(|unit| scope.contains(unit)).collect();
    let mut withheld: BTreeMap<String, WithheldBecause> = BTreeMap::new();
    let of_measure = |tally: &Tally| -> Vec<(String, u64)> {
        if measure == RESPONSES {
            tally.responses.iter().filter_map(|row| row.group.clone().map(|group| (group, row.count))).collect()
        } else {
            tally
                .respondents
                .iter()
                .filter(|row| row.question_id == measure)
                .filter_map(|row| row.group.clone().map(|group| (group, row.count)))
                .collect()
        }
    };
    for unit in &inside {
        let mut counts: BTreeMap<String, u64> = groups.iter().map(|group| (group.clone(), 0)).collect();
        for cell in &unit.cells {
            for (group, count) in split.get(cell).map(of_measure).unwrap_or_default() {
                *counts.entry(group).or_default() += count;
            }
        }
        let needed = unit.cells.iter().map(|cell| min_report_n(&cell.stream)).max().unwrap_or(u64::MAX);
        for (group, because) in withhold_groups(&counts, needed) {
            let entry = withheld.entry(group).or_insert(because);
            *entry = (*entry).min(because);
        }
    }
    let mut tally = Tally::default();
    for cell in inside.iter().flat_map(|unit| &unit.cells) {
        let Some(counts) = split.get(cell) else { continue };
        let shown = |group: &Option<String>| group.as_ref().is_some_and(|group| !withheld.contains_key(group));
        if measure == RESPONSES {
            tally.responses.extend(counts.responses.iter().filter(|row| shown(&row.group)).cloned());
        } else {
            tally
                .answers
                .extend(counts.answers.iter().filter(|row| row.question_id == measure && shown(&row.group)).cloned());
            tally.respondents.extend(
                counts.respondents.iter().filter(|row| row.question_id == measure && shown(&row.group)).cloned(),
            );
        }
    }
    ReleasedGroups { tally: tally.summed(), withheld }
}

/// The store's counts of one stream on one stored date.
pub type CellRow = (Stream, time::Date, Tally);

/// Cells of a questionnaire's counts, keyed by stream and period, from rows
/// of (stream, stored date, tally).
pub fn cells_of(questionnaire: &Questionnaire, rows: impl IntoIterator<Item = CellRow>) -> BTreeMap<Cell, Tally> {
    let mut cells: BTreeMap<Cell, Tally> = BTreeMap::new();
    for (stream, date, tally) in rows {
        let cell = Cell { stream, period: Period::containing(questionnaire.report_period, date) };
        let entry = cells.entry(cell).or_default();
        entry.responses.extend(tally.responses);
        entry.answers.extend(tally.answers);
        entry.respondents.extend(tally.respondents);
    }
    cells.into_iter().map(|(cell, tally)| (cell, tally.summed())).collect()
}

/// What a questionnaire's stored answers let staff see on one day: the
/// closed periods, the units of every measure, and from them the summary,
/// breakdowns and free texts of any scope. Built once per request from the
/// store's counts; everything after is pure.
#[derive(Debug, Clone)]
pub struct Disclosure<'q> {
    questionnaire: &'q Questionnaire,
    last_closed: Period,
    cells: BTreeMap<Cell, Tally>,
    units: BTreeMap<String, Vec<Unit>>,
    plan: VersionPlan,
    minimum: BTreeMap<String, u64>,
}

/// A scope staff asked for that cannot be given, in words they can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error(transparent)]
    BadPeriod(#[from] super::period::BadPeriod),
    #[error(
        "{} har inte avslutats än. Resultat visas bara för hela perioder som har avslutats; den visas från {}.",
        capitalised(.period),
        .opens
    )]
    NotClosed { period: String, opens: time::Date },
    #[error("Från-perioden ligger efter till-perioden.")]
    FromAfterTo,
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A free text released for staff: the question, the text, and the
/// period(s) of its unit, never a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeText {
    pub question_id: String,
    pub period: String,
    pub text: String,
}

impl<'q> Disclosure<'q> {
    /// `rows` are the store's counts per stream and stored date up to the
    /// last closed period's last day (`Store::cell_tallies` unsplit);
    /// `older` the stored versions other than the one served now.
    pub fn new(
        questionnaire: &'q Questionnaire,
        today: time::Date,
        rows: Vec<CellRow>,
        older: &[(String, Questionnaire)],
        purged_before: Option<time::Date>,
    ) -> Disclosure<'q> {
        let last_closed = Disclosure::last_closed_on(questionnaire, today);
        let cells: BTreeMap<Cell, Tally> =
            cells_of(questionnaire, rows).into_iter().filter(|(cell, _)| cell.period <= last_closed).collect();
        let mut minimum: BTreeMap<String, u64> =
            older.iter().map(|(version, older)| (version.clone(), older.min_report_n)).collect();
        minimum.insert(questionnaire.version.as_str().to_owned(), questionnaire.min_report_n);
        // A version the store cannot read back gets today's minimum, or a
        // stricter one if any version had it.
        let strictest = minimum.values().copied().max().unwrap_or(questionnaire.min_report_n);
        let minimum_of = |stream: &Stream| minimum.get(&stream.version).copied().unwrap_or(strictest);
        let mut units = all_units(&cells, last_closed, &minimum_of);
        // A unit formed in a period that began before the purge mark may
        // have lost answers to retention: it would count fewer than it did,
        // so it is never shown again.
        if let Some(mark) = purged_before {
            for measure_units in units.values_mut() {
                measure_units.retain(|unit| unit.formed_in.first_day() >= mark);
            }
        }
        let plan = VersionPlan::new(questionnaire, older);
        Disclosure { questionnaire, last_closed, cells, units, plan, minimum }
    }

    /// The latest period closed on `today` for the questionnaire.
    pub fn last_closed_on(questionnaire: &Questionnaire, today: time::Date) -> Period {
        super::period::last_closed(questionnaire.report_period, questionnaire.date_precision, today)
    }

    pub fn last_closed(&self) -> Period {
        self.last_closed
    }

    /// The versions whose answers to a question are kept apart from today's.
    pub fn plan(&self) -> &VersionPlan {
        &self.plan
    }

    fn minimum_of(&self, stream: &Stream) -> u64 {
        let strictest = self.minimum.values().copied().max().unwrap_or(self.questionnaire.min_report_n);
        self.minimum.get(&stream.version).copied().unwrap_or(strictest)
    }

    /// Every closed period from the first with any response to the last
    /// closed, oldest first: what the period filter offers.
    pub fn periods(&self) -> Vec<Period> {
        let first = self.cells.keys().map(|cell| cell.period).min().unwrap_or(self.last_closed);
        std::iter::successors(Some(first), |period| Some(period.next()))
            .take_while(|period| *period <= self.last_closed)
            .collect()
    }

    /// The scope of a query: period ids as the period filter sends them
    /// (each optional: from the first to the last closed period), and a
    /// language, version and channel. A period still running is refused,
    /// saying when it will be shown.
    pub fn scope(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        language: Option<String>,
        version: Option<String>,
        channel: Option<String>,
    ) -> Result<Scope, ScopeError> {
        let kind = self.questionnaire.report_period;
        let parse = |text: Option<&str>| text.map(|text| Period::parse(kind, text)).transpose();
        let (from, to) = (parse(from)?, parse(to)?);
        for period in [from, to].into_iter().flatten() {
            if period > self.last_closed {
                let opens = super::period::closes_on(period, self.questionnaire.date_precision);
                return Err(ScopeError::NotClosed { period: period.label(), opens });
            }
        }
        let periods = self.periods();
        let from = from.unwrap_or(periods[0]);
        let to = to.unwrap_or(self.last_closed);
        if from > to {
            return Err(ScopeError::FromAfterTo);
        }
        Ok(Scope { from, to, language, version, channel })
    }

    /// The units of a measure a scope may count: those inside it, and
    /// without a version filter, only those whose versions count for the
    /// question ([`VersionPlan`]).
    fn units_in<'a>(&'a self, measure: &'a str, scope: &'a Scope) -> impl Iterator<Item = &'a Unit> + 'a {
        let question = measure.trim_end_matches(OTHER_TEXTS);
        self.units.get(measure).into_iter().flatten().filter(move |unit| {
            scope.contains(unit)
                && (measure == RESPONSES
                    || scope.version.is_some()
                    || unit.cells.iter().all(|cell| self.plan.counts(question, &cell.stream.version)))
        })
    }

    fn restricted(&self, scope: &Scope) -> BTreeMap<String, Vec<Unit>> {
        self.units.keys().map(|measure| (measure.clone(), self.units_in(measure, scope).cloned().collect())).collect()
    }

    /// The released counts of a scope, unsplit.
    pub fn released(&self, scope: &Scope) -> Released {
        release(&self.cells, &self.restricted(scope), scope)
    }

    /// The summary of a scope.
    pub fn summary(&self, scope: &Scope) -> super::Summary {
        super::summarize(self.questionnaire, &self.released(scope).tally)
    }

    /// The breakdown of a scope by `split`; `rows` are the store's counts
    /// split the same way (`Store::cell_tallies` with the split).
    pub fn breakdown(&self, scope: &Scope, split: &super::Split, rows: Vec<CellRow>) -> super::Breakdown {
        let split_cells = cells_of(self.questionnaire, rows);
        let mut groups: BTreeSet<String> = BTreeSet::new();
        for tally in split_cells.values() {
            groups.extend(tally.responses.iter().filter_map(|row| row.group.clone()));
        }
        let groups: Vec<String> = groups.into_iter().collect();
        let minimum = |stream: &Stream| self.minimum_of(stream);
        let release_measure = |measure: &str| {
            let units: Vec<Unit> = self.units_in(measure, scope).cloned().collect();
            release_groups(&split_cells, measure, &units, scope, &groups, &minimum)
        };
        let sizes = release_measure(RESPONSES);
        let targets: BTreeMap<String, ReleasedGroups> = self
            .questionnaire
            .questions
            .iter()
            .filter(|question| {
                matches!(
                    question.role,
                    Some(crate::questionnaire::Role::Satisfaction | crate::questionnaire::Role::UnmetSupport)
                )
            })
            .map(|question| (question.id.clone(), release_measure(&question.id)))
            .collect();
        let total = self.released(scope).tally;
        super::breakdown::break_down_released(self.questionnaire, split, &sizes, &targets, &total)
    }

    /// The free texts a scope may list: those in the units of their
    /// question's texts (a text question's answers, or a question's
    /// "something else" texts) inside the scope, each with its unit's
    /// period(s). `texts` are every text up to the last closed period, each
    /// with its cell (version, language, stored date), question and option.
    pub fn free_texts(
        &self,
        scope: &Scope,
        texts: impl IntoIterator<Item = (Stream, time::Date, String, Option<String>, String)>,
    ) -> Vec<FreeText> {
        let mut released: Vec<FreeText> = texts
            .into_iter()
            .filter_map(|(stream, day, question_id, option_id, text)| {
                let cell = Cell { stream, period: Period::containing(self.questionnaire.report_period, day) };
                let measure = match option_id.as_deref() {
                    Some(OTHER) => format!("{question_id}{OTHER_TEXTS}"),
                    _ => question_id.clone(),
                };
                let unit = self.units_in(&measure, scope).find(|unit| unit.cells.contains(&cell))?;
                Some(FreeText { question_id, period: unit.label(), text })
            })
            .collect();
        // By question and text: the order tells nothing of who wrote when.
        released.sort_by(|a, b| (&a.question_id, &a.text).cmp(&(&b.question_id, &b.text)));
        released
    }

    /// How many responses a scope may show: its figure's count of
    /// responses, without adding up the rest of its tally.
    pub fn responses_in(&self, scope: &Scope) -> u64 {
        self.units_in(RESPONSES, scope).map(|unit| unit.answers).sum()
    }

    /// How many responses all closed periods may show (for lists of
    /// questionnaires): the responses of every unit.
    pub fn released_responses(&self) -> u64 {
        self.units.get(RESPONSES).into_iter().flatten().map(|unit| unit.answers).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::ReportPeriod;

    fn month(id: &str) -> Period {
        Period::parse(ReportPeriod::Month, id).unwrap()
    }

    fn stream(language: &str) -> Stream {
        Stream { version: "v1".into(), language: language.into(), channel: "web".into() }
    }

    fn cell(language: &str, period: &str) -> Cell {
        Cell { stream: stream(language), period: month(period) }
    }

    fn five(_: &Stream) -> u64 {
        5
    }

    fn labels(units: &[Unit]) -> Vec<String> {
        let mut labels: Vec<String> = units
            .iter()
            .map(|unit| {
                let cells: Vec<String> =
                    unit.cells.iter().map(|cell| format!("{} {}", cell.stream.language, cell.period)).collect();
                format!("{} = {}", cells.join(" + "), unit.answers)
            })
            .collect();
        labels.sort();
        labels
    }

    #[test]
    fn a_full_month_is_a_unit_and_thin_months_wait_for_their_quarter() {
        let counts = BTreeMap::from([
            (cell("sv", "2026-01"), 7),
            (cell("sv", "2026-02"), 2),
            (cell("sv", "2026-03"), 3),
            (cell("sv", "2026-04"), 1),
        ]);
        // March closed: the first quarter has closed, the second has not.
        assert_eq!(
            labels(&units(&counts, month("2026-05"), &five)),
            ["sv 2026-01 = 7", "sv 2026-02 + sv 2026-03 = 5"],
            "April waits for the rest of its quarter"
        );
    }

    #[test]
    fn what_is_thin_for_a_whole_year_is_put_together_across_languages() {
        let counts = BTreeMap::from([
            (cell("sv", "2026-03"), 9),
            (cell("ar", "2026-03"), 2),
            (cell("ar", "2026-08"), 1),
            (cell("en", "2026-11"), 2),
            (cell("en", "2027-01"), 4),
        ]);
        assert_eq!(labels(&units(&counts, month("2026-11"), &five)), ["sv 2026-03 = 9"], "the year has not closed");
        assert_eq!(
            labels(&units(&counts, month("2026-12"), &five)),
            ["ar 2026-03 + ar 2026-08 + en 2026-11 = 5", "sv 2026-03 = 9"]
        );
    }

    #[test]
    fn answers_thin_even_for_a_year_across_languages_are_never_shown() {
        let counts = BTreeMap::from([(cell("sv", "2026-03"), 2), (cell("ar", "2026-03"), 2)]);
        assert!(units(&counts, month("2030-12"), &five).is_empty());
    }

    #[test]
    fn a_version_with_a_higher_minimum_keeps_it() {
        let strict = Stream { version: "v2".into(), language: "sv".into(), channel: "web".into() };
        let counts = BTreeMap::from([
            (Cell { stream: strict.clone(), period: month("2026-01") }, 7),
            (cell("sv", "2026-01"), 7),
        ]);
        let minimum = |stream: &Stream| if stream.version == "v2" { 8 } else { 5 };
        assert_eq!(labels(&units(&counts, month("2026-01"), &minimum)), ["sv 2026-01 = 7"]);
    }

    #[test]
    fn withheld_groups_hold_enough_answers_in_at_least_two_groups_that_have_any() {
        let counts = |pairs: &[(&str, u64)]| -> BTreeMap<String, u64> {
            pairs.iter().map(|(group, count)| ((*group).to_owned(), *count)).collect()
        };
        let withheld =
            |pairs: &[(&str, u64)]| -> Vec<String> { withhold_groups(&counts(pairs), 5).into_keys().collect() };
        assert!(withheld(&[("man", 6), ("woman", 9), ("no_answer", 0)]).is_empty());
        // One small group and an empty one: the empty one hides nothing.
        assert_eq!(withheld(&[("man", 3), ("woman", 9), ("no_answer", 0)]), ["man", "woman"]);
        assert_eq!(withheld(&[("man", 3), ("woman", 9), ("other", 6)]), ["man", "other"]);
        // Two small groups with five together are enough.
        assert_eq!(withheld(&[("man", 3), ("woman", 9), ("other", 2)]), ["man", "other"]);
        // Two small groups with fewer than five: one more.
        assert_eq!(withheld(&[("man", 1), ("woman", 9), ("other", 2), ("x", 7)]), ["man", "other", "x"]);
        // Nothing to hide behind: everything.
        assert_eq!(withheld(&[("man", 3), ("no_answer", 0)]), ["man", "no_answer"]);
    }

    /// A small deterministic generator, so the property below sees the same
    /// cases on every run.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// The adversary: a staff member who can ask for every scope (every
    /// pair of periods, every language, version and channel, or none) now and at
    /// every later moment. For every two of those answers, the responses in
    /// one and not in the other must number 0 or at least `n`.
    #[test]
    fn no_two_scopes_at_any_two_moments_differ_by_fewer_than_n_responses() {
        const N: u64 = 5;
        let languages = ["sv", "en", "ar"];
        let versions = ["v1", "v2"];
        let channels = ["web", "paper"];
        let mut random = Lcg(2026);
        for case in 0..40 {
            // Each response: a stream and a month in 2026 or 2027.
            let months: Vec<Period> =
                std::iter::successors(Some(month("2026-01")), |p| Some(p.next())).take(24).collect();
            let responses: Vec<Cell> = (0..random.below(120) + 1)
                .map(|_| {
                    // Swedish mostly, the other languages rarely: thin cells.
                    let language = languages[match random.below(10) {
                        0..=6 => 0,
                        7 | 8 => 1,
                        _ => 2,
                    }];
                    let version = versions[usize::try_from(random.below(2)).unwrap()];
                    let period = months[usize::try_from(random.below(24)).unwrap()];
                    // Paper now and then: a thin channel, like a small language.
                    let channel = channels[usize::from(random.below(5) == 0)];
                    let stream = Stream { version: version.into(), language: language.into(), channel: channel.into() };
                    Cell { stream, period }
                })
                .collect();
            let mut released_sets: Vec<(String, BTreeSet<usize>)> = Vec::new();
            for moment in [month("2026-06"), month("2026-12"), month("2027-03"), month("2027-12")] {
                let mut counts: BTreeMap<Cell, u64> = BTreeMap::new();
                for cell in responses.iter().filter(|cell| cell.period <= moment) {
                    *counts.entry(cell.clone()).or_default() += 1;
                }
                let units = units(&counts, moment, &|_| N);
                let closed: Vec<Period> = months.iter().copied().filter(|p| *p <= moment).collect();
                for (i, &from) in closed.iter().enumerate() {
                    for &to in &closed[i..] {
                        for language in std::iter::once(None).chain(languages.iter().map(|l| Some(l.to_string()))) {
                            for version in std::iter::once(None).chain(versions.iter().map(|v| Some(v.to_string()))) {
                                for channel in std::iter::once(None).chain(channels.iter().map(|c| Some(c.to_string())))
                                {
                                    let scope = Scope {
                                        from,
                                        to,
                                        language: language.clone(),
                                        version: version.clone(),
                                        channel,
                                    };
                                    let cells: BTreeSet<&Cell> = units
                                        .iter()
                                        .filter(|unit| scope.contains(unit))
                                        .flat_map(|unit| &unit.cells)
                                        .collect();
                                    let set: BTreeSet<usize> = (0..responses.len())
                                        .filter(|&r| responses[r].period <= moment && cells.contains(&responses[r]))
                                        .collect();
                                    released_sets.push((format!("{moment} {scope:?}"), set));
                                }
                            }
                        }
                    }
                }
            }
            released_sets.sort_by(|a, b| a.1.cmp(&b.1));
            released_sets.dedup_by(|a, b| a.1 == b.1);
            for (a, set_a) in &released_sets {
                for (b, set_b) in &released_sets {
                    let only_in_a = set_a.difference(set_b).count() as u64;
                    assert!(
                        only_in_a == 0 || only_in_a >= N,
                        "case {case}: {a} has {only_in_a} responses that {b} has not"
                    );
                }
            }
        }
    }

    #[test]
    fn a_scope_covers_a_unit_only_whole() {
        let cells = BTreeSet::from([cell("sv", "2026-02"), cell("sv", "2026-03")]);
        let unit = Unit { cells, answers: 5, formed_in: month("2026-03").parent().unwrap() };
        let scope = |from: &str, to: &str, language: Option<&str>| Scope {
            from: month(from),
            to: month(to),
            language: language.map(str::to_owned),
            version: None,
            channel: None,
        };
        assert!(scope("2026-01", "2026-03", None).contains(&unit));
        assert!(scope("2026-02", "2026-03", Some("sv")).contains(&unit));
        assert!(!scope("2026-03", "2026-12", None).contains(&unit));
        assert!(!scope("2026-01", "2026-12", Some("ar")).contains(&unit));
        assert_eq!(unit.label(), "februari 2026 – mars 2026");
    }
}
