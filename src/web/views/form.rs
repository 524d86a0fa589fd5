//! The questionnaire form: one page, every question a fieldset (or a
//! labelled text box), errors summarised at the top and shown at each question.

use maud::{Markup, html};

use super::reach::{carried_fields, fresh_form_url, restart_link};
use super::{fill, isolated, language_link, layout, paragraphs, safety_link, tab_name};
use crate::locale::{self, Locale};
use crate::questionnaire::{
    AnswerError, AnswerProblem, Choice, FormInput, OTHER, OTHER_MAX_LENGTH, Question, QuestionKind, Questionnaire,
};
use crate::web::reach::{self, KIOSK_FIELD};
use crate::web::respond::LANGUAGE_FIELD;

/// The form, empty or filled in again with what the person gave (`input`)
/// and what must be fixed (`errors`).
pub fn form(questionnaire: &Questionnaire, language: &str, input: &FormInput, errors: &[AnswerError]) -> Markup {
    let locale = locale::get(language);
    let title = questionnaire.title.get(language);
    let tab_name = tab_name(questionnaire, language);
    let page_title =
        if errors.is_empty() { tab_name.to_owned() } else { format!("{} {tab_name}", locale.error_prefix) };
    // In kiosk mode the form can be started afresh: by a link, and by the
    // script after a while untouched (it reads `data-kiosk-restart`).
    let kiosk = reach::is_kiosk(questionnaire, input.value(KIOSK_FIELD));
    let fresh_url = kiosk.then(|| fresh_form_url(questionnaire, language));
    let body = html! {
        @if questionnaire.languages.len() > 1 {
            nav.languages aria-label=(locale.language_choice) {
                ul {
                    @for other in questionnaire.languages.iter().filter(|other| *other != language) {
                        @let href = format!("?lang={other}{}{}", if kiosk { "&kiosk=1" } else { "" }, super::code_query(input));
                        li { (language_link(locale::get(other), &href)) }
                    }
                }
            }
        }
        @if !errors.is_empty() {
            (error_summary(questionnaire, language, locale, errors))
        }
        h1 { (title) }
        @if let Some(intro) = &questionnaire.intro {
            div.intro { (paragraphs(locale, intro.get(language))) }
        }
        (safety_link(questionnaire, locale))
        @if let Some(fresh_url) = &fresh_url { (restart_link(locale, fresh_url)) }
        form method="post" action={ "/s/" (questionnaire.id) } autocomplete="off" data-kiosk-restart=[fresh_url.as_deref()] {
            input type="hidden" name=(LANGUAGE_FIELD) value=(language);
            (carried_fields(input, kiosk))
            (super::code_field(input))
            @for question in &questionnaire.questions {
                @if let Some(section) = &question.section {
                    h2.section { (section.get(language)) }
                }
                (question_block(question, language, locale, input, errors.iter().find(|e| e.question_id == question.id)))
            }
            button.submit type="submit" { (locale.submit) }
        }
    };
    layout(locale, &page_title, Some(questionnaire), body)
}

fn error_summary(questionnaire: &Questionnaire, language: &str, locale: &Locale, errors: &[AnswerError]) -> Markup {
    html! {
        div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
            h2 #error-summary-title { (locale.error_summary_title) }
            ul {
                @for error in errors {
                    @if let Some(question) = questionnaire.question(&error.question_id) {
                        li {
                            a href={ "#" (first_input_id(question)) } {
                                (question.text.get(language)) ": " (isolated(locale, &message(question, language, locale, &error.problem)))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The sentence that tells the person how to fix their answer.
fn message(question: &Question, language: &str, locale: &Locale, problem: &AnswerProblem) -> String {
    match problem {
        AnswerProblem::Required => locale.error_required.to_owned(),
        AnswerProblem::UnknownOption => locale.error_unknown_option.to_owned(),
        AnswerProblem::OneOnly => locale.error_one_only.to_owned(),
        AnswerProblem::Exclusive(option) => {
            let text = question
                .kind
                .choices()
                .into_iter()
                .find(|choice| choice.id == *option)
                .map(|choice| choice.text.get(language).to_owned())
                .unwrap_or_else(|| option.clone());
            locale.error_exclusive.replace("{option}", &text)
        }
        AnswerProblem::TooLong(max) => locale.error_too_long.replace("{max}", &max.to_string()),
        AnswerProblem::OtherMissing => locale.error_other_missing.to_owned(),
    }
}

fn input_id(question: &str, option: &str) -> String {
    format!("q-{question}-{option}")
}

/// Where the error summary's link for a question takes the focus.
fn first_input_id(question: &Question) -> String {
    match question.kind.choices().first() {
        Some(choice) => input_id(&question.id, &choice.id),
        None => format!("q-{}", question.id),
    }
}

fn question_block(
    question: &Question,
    language: &str,
    locale: &Locale,
    input: &FormInput,
    error: Option<&AnswerError>,
) -> Markup {
    let hint_id = format!("hint-{}", question.id);
    let error_id = format!("error-{}", question.id);
    let mut described_by: Vec<&str> = Vec::new();
    let multi = matches!(question.kind, QuestionKind::Multi { .. });
    if question.hint.is_some() || multi {
        described_by.push(&hint_id);
    }
    if error.is_some() {
        described_by.push(&error_id);
    }
    let described_by = (!described_by.is_empty()).then(|| described_by.join(" "));
    let question_text = html! {
        span.question-text { (question.text.get(language)) }
        @if question.required { " " span.required { (locale.required) } }
    };
    let hint = html! {
        @if question.hint.is_some() || multi {
            p.hint id=(hint_id) {
                @if let Some(hint) = &question.hint { (hint.get(language)) @if multi { " " } }
                @if multi { (locale.choose_any) }
            }
        }
    };
    let error_message = html! {
        @if let Some(error) = error {
            p.error-message id=(error_id) {
                span.visually-hidden { (locale.error_prefix) " " }
                (isolated(locale, &message(question, language, locale, &error.problem)))
            }
        }
    };
    html! {
        div.question.has-error[error.is_some()] id={ "question-" (question.id) } {
            @match &question.kind {
                QuestionKind::Text { max_length } => {
                    label.question-label for={ "q-" (question.id) } { (question_text) }
                    (hint)
                    (error_message)
                    textarea id={ "q-" (question.id) } name=(question.id) rows="6" maxlength=(max_length)
                        aria-describedby=[described_by.as_deref()] aria-invalid=[error.map(|_| "true")] {
                        (input.value(&question.id))
                    }
                    p.limit { (fill(locale, &locale.max_characters, "max", &max_length.to_string())) }
                }
                kind => {
                    fieldset aria-describedby=[described_by.as_deref()] {
                        legend { (question_text) }
                        (hint)
                        (error_message)
                        div.choices {
                            @for choice in kind.choices() {
                                (choice_input(question, language, locale, input, &choice, multi))
                            }
                            @if kind.has_other() {
                                (other_input(question, language, locale, input, multi))
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
    locale: &Locale,
    input: &FormInput,
    choice: &Choice,
    multi: bool,
) -> Markup {
    let id = input_id(&question.id, &choice.id);
    html! {
        div.choice.exclusive[choice.exclusive] {
            input type=(if multi { "checkbox" } else { "radio" }) id=(id) name=(question.id) value=(choice.id)
                checked[input.is_chosen(&question.id, &choice.id)];
            label for=(id) { (isolated(locale, choice.text.get(language))) }
        }
    }
}

fn other_input(question: &Question, language: &str, locale: &Locale, input: &FormInput, multi: bool) -> Markup {
    let id = input_id(&question.id, OTHER);
    let text_name = FormInput::other_field(&question.id);
    let text_id = format!("{id}-text");
    html! {
        div.choice {
            input type=(if multi { "checkbox" } else { "radio" }) id=(id) name=(question.id) value=(OTHER)
                checked[input.is_chosen(&question.id, OTHER)];
            label for=(id) { (locale.other_label) }
        }
        div.other-text {
            label.visually-hidden for=(text_id) { (question.text.get(language)) " – " (locale.other_label) }
            input type="text" id=(text_id) name=(text_name) maxlength=(OTHER_MAX_LENGTH) value=(input.value(&text_name));
        }
    }
}
