//! The columns of the response-level export, shared by the CSV and XLSX
//! writers so both files always have the same columns.

use time::Date;

use crate::questionnaire::{Answer, OTHER, Question, QuestionKind, Questionnaire};

use super::ResponseRecord;
use super::summary::other_label;

/// One column: its header (the id scripts read), a label in the default
/// language, and where its cells come from.
pub(crate) struct Column<'q> {
    pub header: String,
    pub label: String,
    source: Source<'q>,
}

enum Source<'q> {
    Date,
    Language,
    Version,
    /// The option id chosen in a scale or single question, one of
    /// `options` (worked out once, not for every response).
    Chosen {
        question_id: &'q str,
        options: Vec<String>,
    },
    /// 1 when the option was chosen in a multi question, else 0.
    Ticked {
        question_id: &'q str,
        option_id: &'q str,
    },
    /// The text of "something else".
    OtherText(&'q str),
    /// The answer to a text question.
    Text(&'q str),
}

/// One cell of a response row, before a writer gives it its file's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    Text(String),
    Flag(bool),
    Date(Date),
    Empty,
}

/// The columns of `questionnaire`'s response export: `date`, `language`,
/// `version`, then each question's columns in form order. Free text gets
/// columns only with `include_text`.
pub(crate) fn columns(questionnaire: &Questionnaire, include_text: bool) -> Vec<Column<'_>> {
    let language = questionnaire.language(None);
    let [date, lang, version] = fixed_labels(language);
    let mut columns = vec![
        Column { header: "date".to_owned(), label: date.to_owned(), source: Source::Date },
        Column { header: "language".to_owned(), label: lang.to_owned(), source: Source::Language },
        Column { header: "version".to_owned(), label: version.to_owned(), source: Source::Version },
    ];
    for question in &questionnaire.questions {
        let id = question.id.as_str();
        let text = question.text.get(language);
        let other = || format!("{text} – {}", other_label(language));
        match &question.kind {
            QuestionKind::Scale(_) | QuestionKind::Single { .. } => {
                columns.push(Column {
                    header: id.to_owned(),
                    label: text.to_owned(),
                    source: Source::Chosen { question_id: id, options: known_options(question) },
                });
                if question.kind.has_other() && include_text {
                    columns.push(Column {
                        header: format!("{id}.{OTHER}"),
                        label: other(),
                        source: Source::OtherText(id),
                    });
                }
            }
            QuestionKind::Multi { options, other: has_other } => {
                for option in options {
                    columns.push(Column {
                        header: format!("{id}.{}", option.id),
                        label: format!("{text} – {}", option.text.get(language)),
                        source: Source::Ticked { question_id: id, option_id: &option.id },
                    });
                }
                if *has_other {
                    // Without free text, "something else" is still a choice
                    // worth counting: 1/0 like the other options.
                    let source = if include_text {
                        Source::OtherText(id)
                    } else {
                        Source::Ticked { question_id: id, option_id: OTHER }
                    };
                    columns.push(Column { header: format!("{id}.{OTHER}"), label: other(), source });
                }
            }
            QuestionKind::Text { .. } => {
                if include_text {
                    columns.push(Column { header: id.to_owned(), label: text.to_owned(), source: Source::Text(id) });
                }
            }
        }
    }
    columns
}

/// One response's cells, one per column. Answers to questions or options
/// the questionnaire no longer has fall in no column and are left out.
pub(crate) fn cells(columns: &[Column], response: &ResponseRecord) -> Vec<Cell> {
    let answers = |question_id| answers_to(response, question_id);
    let text = |text: Option<&String>| text.map_or(Cell::Empty, |text| Cell::Text(text.clone()));
    columns
        .iter()
        .map(|column| match &column.source {
            Source::Date => Cell::Date(response.submitted_on),
            Source::Language => Cell::Text(response.language.clone()),
            Source::Version => Cell::Text(response.version.clone()),
            Source::Chosen { question_id, options } => answers(question_id)
                .filter_map(|answer| answer.option_id.as_deref())
                .find(|option| options.iter().any(|known| known == option))
                .map_or(Cell::Empty, |option| Cell::Text(option.to_owned())),
            Source::Ticked { question_id, option_id } => {
                Cell::Flag(answers(question_id).any(|answer| answer.option_id.as_deref() == Some(*option_id)))
            }
            Source::OtherText(question_id) => text(
                answers(question_id)
                    .find(|answer| answer.option_id.as_deref() == Some(OTHER))
                    .and_then(|answer| answer.text.as_ref()),
            ),
            Source::Text(question_id) => text(
                answers(question_id).find(|answer| answer.option_id.is_none()).and_then(|answer| answer.text.as_ref()),
            ),
        })
        .collect()
}

/// The option ids a scale or single question can be answered with:
/// its options (a scale's "don't know" included) and "something else".
fn known_options(question: &Question) -> Vec<String> {
    let mut options: Vec<String> = question.kind.choices().into_iter().map(|choice| choice.id).collect();
    if question.kind.has_other() {
        options.push(OTHER.to_owned());
    }
    options
}

fn answers_to<'r>(response: &'r ResponseRecord, question_id: &'r str) -> impl Iterator<Item = &'r Answer> {
    response.answers.iter().filter(move |answer| answer.question_id == question_id)
}

/// The labels of `date`, `language` and `version` in the default language
/// (Swedish, the service's home language, when enkat does not speak it).
fn fixed_labels(language: &str) -> [&'static str; 3] {
    match language {
        "en" => ["Date (coarsened)", "Language", "Questionnaire version"],
        _ => ["Datum (avrundat)", "Språk", "Enkätens version"],
    }
}
