//! The response-level export: its columns, shared by the CSV and XLSX
//! writers so both files always have the same columns, and the two passes
//! that make it k-anonymous (see [`super::microdata`]): a
//! [`ResponsesCounter`] counts the combinations of quasi-identifiers, its
//! [`ResponsesPlan`] then gives each response's row.

use crate::questionnaire::{Answer, OTHER, Question, QuestionKind, Questionnaire, ReportPeriod, Role};

use super::microdata::{Combinations, Key, Plan, Quasi, coarser_kind};
use super::period::Period;
use super::summary::other_label;
use super::{Filter, ResponseRecord};

/// One column: its header (the id scripts read), a label in the default
/// language, where its cells come from, and the quasi-identifier it shows,
/// if any.
pub(crate) struct Column<'q> {
    pub header: String,
    pub label: String,
    source: Source<'q>,
    quasi: Option<Quasi>,
}

enum Source<'q> {
    Period,
    Language,
    Version,
    Channel,
    /// The option id chosen in a scale or single question, one of
    /// `options` (worked out once, not for every response).
    Chosen {
        question_id: &'q str,
        options: Vec<Code>,
    },
    /// 1 when the option was chosen in a multi question, else 0.
    Ticked {
        question_id: &'q str,
        option_id: &'q str,
    },
}

/// An answer's code (the option id) and its label in the default language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Code {
    pub id: String,
    pub label: String,
}

impl Column<'_> {
    /// The codes a scale or single question's column holds, with their
    /// labels, in form order; none for the other columns.
    pub(crate) fn codes(&self) -> &[Code] {
        match &self.source {
            Source::Chosen { options, .. } => options,
            _ => &[],
        }
    }

    /// The label of `code` in this column, if it is an answer's code.
    pub(crate) fn label_of(&self, code: &str) -> Option<&str> {
        self.codes().iter().find(|known| known.id == code).map(|known| known.label.as_str())
    }
}

/// One cell of a response row, before a writer gives it its file's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    Text(String),
    Flag(bool),
    Empty,
}

/// The columns of a questionnaire's export and what it needs to find a
/// response's quasi-identifiers.
struct Layout<'q> {
    questionnaire: &'q Questionnaire,
    columns: Vec<Column<'q>>,
    /// How many background questions there are.
    background: usize,
}

impl<'q> Layout<'q> {
    /// `period`, `language`, `version`, `channel`, then each question's columns in form
    /// order. Free text never has a column: it could name the writer, and
    /// joined to the row it would tell everything else they answered.
    fn new(questionnaire: &'q Questionnaire) -> Layout<'q> {
        let language = questionnaire.language(None);
        let [period, lang, version, channel] = fixed_labels(language);
        let mut columns = vec![
            Column {
                header: "period".to_owned(),
                label: period.to_owned(),
                source: Source::Period,
                quasi: Some(Quasi::Period),
            },
            Column {
                header: "language".to_owned(),
                label: lang.to_owned(),
                source: Source::Language,
                quasi: Some(Quasi::Language),
            },
            Column {
                header: "version".to_owned(),
                label: version.to_owned(),
                source: Source::Version,
                quasi: Some(Quasi::Version),
            },
            Column {
                header: "channel".to_owned(),
                label: channel.to_owned(),
                source: Source::Channel,
                quasi: Some(Quasi::Channel),
            },
        ];
        let mut background = 0;
        for question in &questionnaire.questions {
            let id = question.id.as_str();
            let text = question.text.get(language);
            let quasi = is_background(question).then(|| {
                background += 1;
                Quasi::Background(background - 1)
            });
            match &question.kind {
                QuestionKind::Scale(_) | QuestionKind::Single { .. } => columns.push(Column {
                    header: id.to_owned(),
                    label: text.to_owned(),
                    source: Source::Chosen { question_id: id, options: known_options(question, language) },
                    quasi,
                }),
                QuestionKind::Multi { options, other } => {
                    for option in options {
                        columns.push(Column {
                            header: format!("{id}.{}", option.id),
                            label: format!("{text} – {}", option.text.get(language)),
                            source: Source::Ticked { question_id: id, option_id: &option.id },
                            quasi,
                        });
                    }
                    // "Something else" is a choice worth counting, 1/0 like
                    // the other options; its text is in the list of texts.
                    if *other {
                        columns.push(Column {
                            header: format!("{id}.{OTHER}"),
                            label: format!("{text} – {}", other_label(language)),
                            source: Source::Ticked { question_id: id, option_id: OTHER },
                            quasi,
                        });
                    }
                }
                QuestionKind::Text { .. } => {}
            }
        }
        Layout { questionnaire, columns, background }
    }

    /// The response's quasi-identifiers as the file would show them
    /// unprotected: its report period, language, version, channel and the values of
    /// its background questions' columns.
    fn key(&self, response: &ResponseRecord) -> Key {
        let mut key = Key {
            period: Some(Period::containing(self.questionnaire.report_period, response.submitted_on)),
            language: Some(response.language.clone()),
            version: Some(response.version.clone()),
            channel: Some(response.channel.as_str().to_owned()),
            background: vec![None; self.background],
        };
        for column in &self.columns {
            let Some(Quasi::Background(index)) = column.quasi else { continue };
            match (&column.source, answer_cell(column, response)) {
                (_, Cell::Text(option)) => key.background[index] = Some(option),
                // A multi question's ticked options, as one value.
                (Source::Ticked { option_id, .. }, Cell::Flag(ticked)) => {
                    let value = key.background[index].get_or_insert_with(String::new);
                    if ticked {
                        if !value.is_empty() {
                            value.push(' ');
                        }
                        value.push_str(option_id);
                    }
                }
                _ => {}
            }
        }
        key
    }

    /// The names of the background questions' columns, in form order: a
    /// single question's id, or `id.*` for a multi question's columns.
    fn background_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for question in self.questionnaire.questions.iter().filter(|question| is_background(question)) {
            match question.kind {
                QuestionKind::Multi { .. } => names.push(format!("{}.*", question.id)),
                _ => names.push(question.id.clone()),
            }
        }
        names
    }
}

/// A background question whose answers are quasi-identifiers: one with
/// options (a text question would be free text, which is never exported).
pub fn is_background(question: &Question) -> bool {
    question.role == Some(Role::Background) && !matches!(question.kind, QuestionKind::Text { .. })
}

/// The first pass of the export: counts each combination of
/// quasi-identifiers, one response at a time.
pub struct ResponsesCounter<'q> {
    layout: Layout<'q>,
    combinations: Combinations,
}

impl<'q> ResponsesCounter<'q> {
    pub fn new(questionnaire: &'q Questionnaire) -> ResponsesCounter<'q> {
        let layout = Layout::new(questionnaire);
        let combinations = Combinations::new(layout.background);
        ResponsesCounter { layout, combinations }
    }

    /// Counts one response.
    pub fn add(&mut self, response: &ResponseRecord) {
        self.add_many(response, 1);
    }

    /// Counts `n` responses alike in everything the key is made of (their
    /// date, language, version, channel and background answers), as
    /// `Snapshot::background_combinations` gives them.
    pub fn add_many(&mut self, response: &ResponseRecord, n: u64) {
        self.combinations.add_many(self.layout.key(response), n);
    }

    /// What the file will show, decided from the counts, on a day when
    /// `last_closed` is the last report period that has closed.
    pub fn plan(self, last_closed: Period) -> ResponsesPlan<'q> {
        let plan = Plan::new(&self.combinations, self.layout.questionnaire.min_report_n, last_closed);
        ResponsesPlan { layout: self.layout, plan, last_closed }
    }
}

/// The second pass of the export: what each counted response's row shows.
pub struct ResponsesPlan<'q> {
    layout: Layout<'q>,
    plan: Plan,
    last_closed: Period,
}

impl<'q> ResponsesPlan<'q> {
    /// Both passes over responses already in memory (for the workbook).
    pub fn from_records(
        questionnaire: &'q Questionnaire,
        responses: &[ResponseRecord],
        last_closed: Period,
    ) -> ResponsesPlan<'q> {
        let mut counter = ResponsesCounter::new(questionnaire);
        for response in responses {
            counter.add(response);
        }
        counter.plan(last_closed)
    }

    pub(crate) fn columns(&self) -> &[Column<'q>] {
        &self.layout.columns
    }

    /// The response's cells, one per column, with the quasi-identifiers the
    /// plan blanked empty and the period coarsened as it says; `None` when
    /// the response is not in the file. Answers to questions or options the
    /// questionnaire no longer has fall in no column and are left out.
    pub(crate) fn row(&self, response: &ResponseRecord) -> Option<Vec<Cell>> {
        let shown = self.plan.release(&self.layout.key(response))?;
        let text = |value: &Option<String>| value.clone().map_or(Cell::Empty, Cell::Text);
        let cells = self
            .layout
            .columns
            .iter()
            .map(|column| match &column.source {
                Source::Period => shown.period.map_or(Cell::Empty, |period| Cell::Text(period.to_string())),
                Source::Language => text(&shown.language),
                Source::Version => text(&shown.version),
                Source::Channel => text(&shown.channel),
                _ => match column.quasi {
                    Some(Quasi::Background(index)) if shown.background[index].is_none() => Cell::Empty,
                    _ => answer_cell(column, response),
                },
            })
            .collect();
        Some(cells)
    }

    /// How many rows the file has.
    pub fn rows(&self) -> u64 {
        self.plan.rows()
    }

    /// The notes on the file: what it covers (`filter`, already capped at
    /// the end of the last closed period), the rule and what it blanked.
    pub fn notes(&self, filter: &Filter) -> Notes {
        let questionnaire = self.layout.questionnaire;
        let plan = &self.plan;
        let last_closed = self.last_closed;
        let k = plan.k();
        let to = filter.to.unwrap_or(last_closed.last_day());
        let from = filter.from.map(|from| format!("från {from} ")).unwrap_or_default();
        let mut paragraphs = vec![format!(
            "Enskilda svar till enkäten {} ({}): {} svar med lagrat datum {from}till och med {to}. \
             Bara avslutade perioder ingår, den senaste är {}: svar i en period som ännu pågår kommer med \
             när perioden är slut.",
            questionnaire.id,
            questionnaire.title.get(questionnaire.language(None)),
            plan.rows(),
            last_closed.label(),
        )];
        let channel = filter.channel.map(|channel| channel.label().to_lowercase());
        let selected: Vec<String> = [("språk", &filter.language), ("version", &filter.version), ("kanal", &channel)]
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().map(|value| format!("{name} {value}")))
            .collect();
        if !selected.is_empty() {
            paragraphs.push(format!("Urval: bara svar med {}.", selected.join(" och ")));
        }
        if plan.too_few() > 0 {
            paragraphs.push(format!(
                "Filen har inga rader: urvalet har {} svar, färre än {k}, och så få svar kan inte visas var för sig.",
                plan.too_few()
            ));
        }
        let background = self.layout.background_names();
        let quasi = if background.is_empty() {
            "period, språk och version".to_owned()
        } else {
            format!("period, språk, version och svaren på bakgrundsfrågorna ({})", background.join(", "))
        };
        paragraphs.push(format!(
            "Skydd mot att någon känns igen (k-anonymitet med k = {k}, enkätens min_report_n): varje kombination \
             av {quasi} förekommer minst {k} gånger i filen. En tom cell räknas som ett eget värde."
        ));
        let (word, example) = period_words(coarser_kind(questionnaire.report_period, plan.coarsened()));
        let mut period = format!("Kolumnen period visar svarets {word}, till exempel {example}");
        if plan.coarsened() > 0 {
            let (base, _) = period_words(questionnaire.report_period);
            period.push_str(&format!(
                ", i stället för enkätens rapportperiod ({base}): med {base} hade mer än vart tjugonde svar (5 %) \
                 fått tomma värden"
            ));
        }
        period.push('.');
        if plan.withheld() > 0 {
            period.push_str(&format!(
                " Ett {word} visas först när det är slut, som enkätens perioder: {} svar i ett {word} som ännu \
                 pågår kommer med då.",
                plan.withheld()
            ));
        }
        paragraphs.push(period);
        paragraphs.push(format!(
            "Tomma celler: frågan besvarades inte, eller värdet togs bort för att skydda en liten grupp. Värden tas \
             bort i den här ordningen, och bara i rader vars kombination fortfarande förekommer färre än {k} gånger: \
             bakgrundsfrågorna från den sista till den första, sedan kanal (webb eller papper), version, språk och \
             period. Förekommer \
             kombinationen där allt är tomt då färre än {k} gånger töms också hela den minsta av de andra \
             kombinationerna. Inget värde ändras."
        ));
        paragraphs.push(format!(
            "Fritextsvar finns inte i filen: en text kan visa vem som skrev, och kopplad till en rad skulle den visa \
             allt annat den personen svarade. De finns som en egen lista per period i slumpvis ordning (texts.csv, \
             bladet Fritextsvar), bara för perioder med minst {k} svar."
        ));
        paragraphs.push("Radernas ordning är slumpvis och säger inget om när någon svarade.".to_owned());

        let counts = plan.blanked();
        let mut blanked = vec![
            ("period".to_owned(), counts.period),
            ("language".to_owned(), counts.language),
            ("version".to_owned(), counts.version),
            ("channel".to_owned(), counts.channel),
        ];
        blanked.extend(background.into_iter().zip(counts.background.iter().copied()));
        Notes { paragraphs, blanked, rows_blanked: counts.rows }
    }
}

/// What a person reading the responses file needs to know about it: what
/// it covers, the rule that protects the people in it, and how many values
/// the rule blanked. In Swedish, like the staff pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notes {
    pub paragraphs: Vec<String>,
    /// Per quasi-identifier column (a multi question's columns as `id.*`),
    /// how many values were blanked.
    pub blanked: Vec<(String, u64)>,
    /// How many rows have at least one value blanked.
    pub rows_blanked: u64,
}

/// The heading of the table of blanked values.
pub(crate) const BLANKED_HEADING: &str = "Borttagna värden per kolumn";
/// The label of the count of rows with a blanked value.
pub(crate) const ROWS_BLANKED: &str = "rader med minst ett borttaget värde";

impl Notes {
    /// The notes as plain text, for `responses-notes.txt`.
    pub fn to_text(&self) -> String {
        let mut text = String::from("Om filen\n\n");
        for paragraph in &self.paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
        }
        text.push_str(BLANKED_HEADING);
        text.push_str(":\n");
        for (column, count) in &self.blanked {
            text.push_str(&format!("  {column}: {count}\n"));
        }
        text.push_str(&format!("  {ROWS_BLANKED}: {}\n", self.rows_blanked));
        text
    }
}

/// A kind of period in words, with an example id.
fn period_words(kind: ReportPeriod) -> (&'static str, &'static str) {
    match kind {
        ReportPeriod::Month => ("månad", "2026-11"),
        ReportPeriod::Quarter => ("kvartal", "2026-Q4"),
        ReportPeriod::HalfYear => ("halvår", "2026-H2"),
        ReportPeriod::Year => ("år", "2026"),
    }
}

/// The cell of an answer column, from the response's answers.
fn answer_cell(column: &Column, response: &ResponseRecord) -> Cell {
    let answers = |question_id| answers_to(response, question_id);
    match &column.source {
        Source::Chosen { question_id, options } => answers(question_id)
            .filter_map(|answer| answer.option_id.as_deref())
            .find(|option| options.iter().any(|known| known.id == *option))
            .map_or(Cell::Empty, |option| Cell::Text(option.to_owned())),
        Source::Ticked { question_id, option_id } => {
            Cell::Flag(answers(question_id).any(|answer| answer.option_id.as_deref() == Some(*option_id)))
        }
        Source::Period | Source::Language | Source::Version | Source::Channel => Cell::Empty,
    }
}

fn answers_to<'r>(response: &'r ResponseRecord, question_id: &'r str) -> impl Iterator<Item = &'r Answer> {
    response.answers.iter().filter(move |answer| answer.question_id == question_id)
}

/// The option ids a scale or single question can be answered with, with
/// their labels in `language`: its options (a scale's "don't know"
/// included) and "something else".
fn known_options(question: &Question, language: &str) -> Vec<Code> {
    let mut options: Vec<Code> = question
        .kind
        .choices()
        .into_iter()
        .map(|choice| Code { label: choice.text.get(language).to_owned(), id: choice.id })
        .collect();
    if question.kind.has_other() {
        options.push(Code { id: OTHER.to_owned(), label: other_label(language) });
    }
    options
}

/// The labels of `period`, `language` and `version` in the default language
/// (Swedish, the service's home language, when enkat does not speak it).
fn fixed_labels(language: &str) -> [&'static str; 4] {
    match language {
        "en" => ["Period", "Language", "Questionnaire version", "Channel (web or paper)"],
        _ => ["Period", "Språk", "Enkätens version", "Kanal (webb eller papper)"],
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::report::fixture::{answer, questionnaire, response};

    /// A questionnaire whose background question is a multi question.
    const FAMILY: &str = r#"
id = "f"
languages = ["sv"]
min_report_n = 3
title = { sv = "F" }

[[question]]
id = "family"
type = "multi"
role = "background"
other = true
text = { sv = "Vilka bor med dig?" }
options = [
  { id = "children", sv = "Barn" },
  { id = "parents", sv = "Föräldrar" },
  { id = "alone", sv = "Ingen", exclusive = true },
]
"#;

    #[test]
    fn a_multi_background_question_is_one_value_blanked_in_all_its_columns() {
        let questionnaire = crate::questionnaire::parse(std::path::Path::new("f.toml"), FAMILY).unwrap();
        let ticked =
            |options: &[&str]| response(options.iter().map(|option| answer("family", Some(option), None)).collect());
        let mut responses = vec![ticked(&["children", "parents"]); 3];
        responses.extend(vec![ticked(&["children"]); 3]);
        responses.push(ticked(&["parents", "other"]));
        let last = Period::containing(ReportPeriod::Month, date!(2026 - 11 - 23));
        let plan = ResponsesPlan::from_records(&questionnaire, &responses, last);
        let headers: Vec<&str> = plan.columns().iter().map(|column| column.header.as_str()).collect();
        assert_eq!(
            headers,
            [
                "period",
                "language",
                "version",
                "channel",
                "family.children",
                "family.parents",
                "family.alone",
                "family.other"
            ]
        );
        let rows: Vec<Vec<Cell>> = responses.iter().map(|response| plan.row(response).unwrap()).collect();
        // The one with parents and something else is alone: it loses its
        // set, channel, version, language and period, and is still alone; so
        // the smallest other combination (of two of three, the first in
        // order: children alone) is blanked whole to join it.
        assert_eq!(rows[0][4..], [Cell::Flag(true), Cell::Flag(true), Cell::Flag(false), Cell::Flag(false)]);
        for row in &rows[3..] {
            assert!(row.iter().all(|cell| *cell == Cell::Empty), "every column blank: {row:?}");
        }
        let notes = plan.notes(&Filter::default());
        assert_eq!(notes.blanked.last(), Some(&("family.*".to_owned(), 4)));
    }

    fn in_month(day: time::Date) -> ResponseRecord {
        ResponseRecord { submitted_on: day, ..response(vec![answer("age", Some("young"), None)]) }
    }

    #[test]
    fn the_notes_tell_of_rows_held_back_and_of_a_file_too_small() {
        let questionnaire = questionnaire();
        let month = |day| Period::containing(ReportPeriod::Month, day);
        // 4 a month, October to January, January the last closed month: by
        // quarter, 2026-Q4 is shown and January waits for 2027-Q1 to end.
        let responses: Vec<ResponseRecord> =
            [date!(2026 - 10 - 05), date!(2026 - 11 - 02), date!(2026 - 12 - 07), date!(2027 - 01 - 04)]
                .into_iter()
                .flat_map(|day| vec![in_month(day); 4])
                .collect();
        let last = month(date!(2027 - 01 - 04));
        let plan = ResponsesPlan::from_records(&questionnaire, &responses, last);
        assert_eq!(plan.rows(), 12);
        let text = plan.notes(&Filter { to: Some(last.last_day()), ..Filter::default() }).to_text();
        assert!(text.contains("svarets kvartal, till exempel 2026-Q4, i stället för enkätens rapportperiod (månad)"));
        assert!(text.contains("4 svar i ett kvartal som ännu pågår kommer med då"), "{text}");
        assert!(text.contains("till och med 2027-01-31"), "{text}");
        assert!(text.contains("bakgrundsfrågorna (age)"), "{text}");

        let plan = ResponsesPlan::from_records(&questionnaire, &responses[..3], last);
        let text = plan.notes(&Filter::default()).to_text();
        assert!(text.contains("Filen har inga rader: urvalet har 3 svar, färre än 5"), "{text}");
    }
}
