//! The paper entry page: every page of the questionnaire on one screen, each
//! a section with its title and its questions numbered as on paper, in
//! Swedish whatever language the form was in. Plain HTML that works without
//! JavaScript; `/assets/paper.js` adds the number keys.

use maud::{Markup, html};

use super::fields::PERIOD_FIELD;
use super::{Notice, Problems};
use crate::locale;
use crate::questionnaire::protocol::{CODE_FIELD, LANGUAGE_FIELD, SUBMISSION_FIELD};
use crate::questionnaire::{
    Access, AnswerError, AnswerProblem, Choice, FormInput, OTHER, OTHER_MAX_LENGTH, Question, QuestionKind,
    Questionnaire,
};
use crate::report::period::{Period, long_date};
use crate::web::staff::{StaffUser, csrf_field, staff_layout};
use crate::web::views::form::{first_input_id, input_id};

/// The texts are the questionnaire's Swedish ones, or its first language's.
fn sv(questionnaire: &Questionnaire) -> &str {
    questionnaire.language(Some("sv"))
}

/// The entry form, empty or with what was typed, and the notice above it.
pub fn entry_page(
    user: &StaffUser,
    questionnaire: &Questionnaire,
    input: &FormInput,
    notice: &Notice,
    periods: &[Period],
    today: time::Date,
) -> Markup {
    let language = sv(questionnaire);
    let title = questionnaire.title.get(language);
    let empty = Problems::default();
    let problems = match notice {
        Notice::Problems(problems) => problems,
        _ => &empty,
    };
    // After a stored form the next one starts at the first question.
    let focus_first = matches!(notice, Notice::Stored(_) | Notice::AlreadyStored);
    let first_question = questionnaire.questions.first().map(|question| question.id.as_str());
    let body = html! {
        p.breadcrumb {
            a href="/staff" { "Enkäter" } " / "
            a href={ "/staff/q/" (questionnaire.id) } { "Resultat" }
        }
        h1 { "Mata in papperssvar: " (title) }
        @match notice {
            Notice::Stored(count) => {
                p.paper-saved role="status" { "Formuläret är sparat (" (count) " inmatade i dag)." }
            }
            Notice::AlreadyStored => {
                p.paper-saved role="status" { "Formuläret var redan sparat: det sparades en gång." }
            }
            Notice::Problems(problems) => { (error_summary(questionnaire, problems)) }
            Notice::None => {}
        }
        p.hint {
            "Skriv in ett formulär i taget, som det är ifyllt. Lämna en fråga tom om den inte är besvarad. "
            "Formuläret kontrolleras som ett svar på webben; motsägelser visas här för dig att rätta efter formuläret. "
            "Inget om vem som skriver in svaret sparas med det."
        }
        p.hint { "Tabb flyttar till nästa fråga. Siffertangenterna 1–9 väljer alternativ i frågan som har fokus, mellanslag kryssar i." }
        form.paper-entry method="post" action={ "/staff/q/" (questionnaire.id) "/paper" } autocomplete="off" novalidate {
            (csrf_field(user))
            input type="hidden" name=(SUBMISSION_FIELD) value=(input.value(SUBMISSION_FIELD));
            section.paper-batch aria-labelledby="paper-batch-title" {
                h2 #paper-batch-title { "Formuläret" }
                div.field {
                    label for="paper-language" { "Formulärets språk" }
                    (field_error(problems, LANGUAGE_FIELD))
                    select #paper-language name=(LANGUAGE_FIELD) {
                        @for code in &questionnaire.languages {
                            option value=(code) selected[input.value(LANGUAGE_FIELD) == code] { (code) " – " (locale::get(code).name) }
                        }
                    }
                }
                div.field {
                    label for="paper-period" { "Datera svaret" }
                    p.hint #paper-period-hint { "Svaret sparas med dagens datum, eller i en period som ännu inte har avslutats, som du anger för en bunt formulär. Vem som skrev in det sparas inte." }
                    (field_error(problems, PERIOD_FIELD))
                    select #paper-period name=(PERIOD_FIELD) aria-describedby="paper-period-hint" {
                        option value="" selected[input.value(PERIOD_FIELD).is_empty()] { "I dag (sparas som " (long_date(today)) ")" }
                        @for period in periods {
                            @let id = period.to_string();
                            option value=(id) selected[input.value(PERIOD_FIELD) == id] { (period.label()) }
                        }
                    }
                }
                @if questionnaire.access == Access::Code {
                    div.field {
                        label for="paper-code" { "Koden på formuläret" }
                        p.hint #paper-code-hint { "Koden används när formuläret sparas, som när någon svarar på webben." }
                        (field_error(problems, CODE_FIELD))
                        input #paper-code type="text" name=(CODE_FIELD) value=(input.value(CODE_FIELD))
                            aria-describedby="paper-code-hint" autocapitalize="characters" spellcheck="false" size="14";
                    }
                }
            }
            @for (page_index, page) in questionnaire.pages.iter().enumerate() {
                @let heading = format!("paper-page-{page_index}");
                section.paper-page aria-labelledby=(heading) {
                    h2 id=(heading) {
                        @match &page.title { Some(page_title) => (page_title.get(language)), None => "Frågor" }
                    }
                    @for index in page.questions.clone() {
                        @let question = &questionnaire.questions[index];
                        @let error = problems.answers.iter().find(|error| error.question_id == question.id);
                        (question_block(questionnaire, question, input, error, focus_first && Some(question.id.as_str()) == first_question))
                    }
                }
            }
            div.buttons {
                button.submit type="submit" { "Spara formuläret" }
            }
        }
        script src="/assets/paper.js" defer {}
    };
    staff_layout(Some(user), &format!("Mata in papperssvar: {title}"), body)
}

/// "Fråga 3": a question's number on paper, its place in the questionnaire.
fn number(questionnaire: &Questionnaire, id: &str) -> usize {
    questionnaire.question_index(id).map_or(0, |index| index + 1)
}

fn field_error(problems: &Problems, field: &str) -> Markup {
    html! {
        @if let Some(message) = problems.fields.get(field) {
            p.error-message id={ "error-" (field.trim_start_matches('_')) } { span.visually-hidden { "Fel: " } (message) }
        }
    }
}

fn error_summary(questionnaire: &Questionnaire, problems: &Problems) -> Markup {
    let field_ids = [(LANGUAGE_FIELD, "paper-language"), (PERIOD_FIELD, "paper-period"), (CODE_FIELD, "paper-code")];
    html! {
        div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
            h2 #error-summary-title { "Formuläret är inte sparat: rätta det här" }
            ul {
                @for (field, id) in field_ids {
                    @if let Some(message) = problems.fields.get(field) {
                        li { a href={ "#" (id) } { (message) } }
                    }
                }
                @for error in &problems.answers {
                    @if let Some(question) = questionnaire.question(&error.question_id) {
                        li {
                            a href={ "#" (first_input_id(question)) } {
                                "Fråga " (number(questionnaire, &question.id)) ": " (question.text.get(sv(questionnaire)))
                            }
                            br;
                            span.error-summary-message { (message(questionnaire, question, &error.problem)) }
                        }
                    }
                }
            }
        }
    }
}

/// What the staff member is asked to do about a problem, in Swedish.
fn message(questionnaire: &Questionnaire, question: &Question, problem: &AnswerProblem) -> String {
    let option_text = |id: &str| {
        question
            .kind
            .choices()
            .into_iter()
            .find(|choice| choice.id == id)
            .map_or_else(|| id.to_owned(), |choice| choice.text.get(sv(questionnaire)).to_owned())
    };
    match problem {
        // Never on paper (`Channel::enforces_required`); kept for completeness.
        AnswerProblem::Required => "Frågan måste besvaras.".to_owned(),
        AnswerProblem::UnknownOption => "Svaret är inte ett av frågans alternativ.".to_owned(),
        AnswerProblem::OneOnly => {
            "Mer än ett svar är ikryssat där bara ett får väljas: välj det som gäller enligt formuläret, eller lämna frågan tom om det inte går att avgöra.".to_owned()
        }
        AnswerProblem::Exclusive(option) => format!(
            "\u{201d}{}\u{201d} är ikryssat tillsammans med andra svar, men ska stå ensamt: välj det som gäller enligt formuläret, eller lämna frågan tom.",
            option_text(option)
        ),
        AnswerProblem::TooLong(max) => format!("Texten är för lång: högst {max} tecken."),
        AnswerProblem::OtherMissing => "\u{201d}Annat\u{201d} är ikryssat men texten saknas: skriv texten, eller ta bort krysset.".to_owned(),
        AnswerProblem::Skipped(earlier) => {
            let n = number(questionnaire, earlier);
            format!(
                "Enligt svaret på fråga {n} ska den här frågan hoppas över: lämna den tom eller ändra svaret på fråga {n}."
            )
        }
        AnswerProblem::NotChosenIn(earlier) => {
            let n = number(questionnaire, earlier);
            format!(
                "Svaret ska vara ett av dem som är ikryssade i fråga {n}: lämna frågan tom eller ändra svaret här eller på fråga {n}."
            )
        }
    }
}

/// One question: every option printed on paper, whatever the earlier
/// answers (conditions are checked on send, not hidden here).
fn question_block(
    questionnaire: &Questionnaire,
    question: &Question,
    input: &FormInput,
    error: Option<&AnswerError>,
    autofocus: bool,
) -> Markup {
    let language = sv(questionnaire);
    let n = number(questionnaire, &question.id);
    let error_id = format!("error-{}", question.id);
    let multi = matches!(question.kind, QuestionKind::Multi { .. });
    let hint_id = format!("hint-{}", question.id);
    let described_by = match (multi, error.is_some()) {
        (true, true) => Some(format!("{hint_id} {error_id}")),
        (true, false) => Some(hint_id.clone()),
        (false, true) => Some(error_id.clone()),
        (false, false) => None,
    };
    let error_message = html! {
        @if let Some(error) = error {
            p.error-message id=(error_id) {
                span.visually-hidden { "Fel: " }
                (message(questionnaire, question, &error.problem))
            }
        }
    };
    let text = html! { span.question-number { (n) ". " } span.question-text { (question.text.get(language)) } };
    html! {
        div.question.paper-question.has-error[error.is_some()] id={ "question-" (question.id) } {
            @match &question.kind {
                QuestionKind::Text { max_length } => {
                    label.question-label for={ "q-" (question.id) } { (text) }
                    (error_message)
                    textarea id={ "q-" (question.id) } name=(question.id) rows="3" maxlength=(max_length)
                        aria-describedby=[described_by.as_deref()] aria-invalid=[error.map(|_| "true")] autofocus[autofocus] {
                        (input.value(&question.id))
                    }
                }
                kind => {
                    fieldset.paper-choices aria-describedby=[described_by.as_deref()] data-number-keys="true" {
                        legend { (text) }
                        @if multi { p.hint id=(hint_id) { "Flera svar kan vara ikryssade." } }
                        (error_message)
                        div.choices {
                            @for (position, choice) in kind.choices().iter().enumerate() {
                                (choice_input(question, language, input, choice, multi, position, autofocus && position == 0))
                            }
                            @if kind.has_other() {
                                (other_input(question, input, multi, kind.choices().len()))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn choice_input(
    question: &Question,
    language: &str,
    input: &FormInput,
    choice: &Choice,
    multi: bool,
    position: usize,
    autofocus: bool,
) -> Markup {
    let id = input_id(&question.id, &choice.id);
    html! {
        div.choice.exclusive[choice.exclusive] {
            input type=(if multi { "checkbox" } else { "radio" }) id=(id) name=(question.id) value=(choice.id)
                checked[input.is_chosen(&question.id, &choice.id)] autofocus[autofocus];
            label for=(id) {
                @if position < 9 { span.key-hint aria-hidden="true" { (position + 1) } " " }
                (choice.text.get(language))
            }
        }
    }
}

fn other_input(question: &Question, input: &FormInput, multi: bool, position: usize) -> Markup {
    let id = input_id(&question.id, OTHER);
    let text_name = FormInput::other_field(&question.id);
    let text_id = format!("{id}-text");
    html! {
        div.choice {
            input type=(if multi { "checkbox" } else { "radio" }) id=(id) name=(question.id) value=(OTHER)
                checked[input.is_chosen(&question.id, OTHER)];
            label for=(id) {
                @if position < 9 { span.key-hint aria-hidden="true" { (position + 1) } " " }
                "Annat:"
            }
        }
        div.other-text {
            label for=(text_id) { "Annat, text" }
            input type="text" id=(text_id) name=(text_name) maxlength=(OTHER_MAX_LENGTH) value=(input.value(&text_name));
        }
    }
}
