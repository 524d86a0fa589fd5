//! The respondent's pages of a coded questionnaire: the start page that asks
//! for the code from the card, and the calm page for a code that cannot be
//! used. Both in the respondent's language.

use maud::{Markup, html};

use super::{isolated, language_link, layout, paragraphs, safety_link, tab_name};
use crate::codes::CodeError;
use crate::codes::CodeProblem;
use crate::locale::{self, CodeTexts};
use crate::questionnaire::protocol::{ADMITTED_FIELD, CODE_FIELD, CODE_PARAMETER};
use crate::questionnaire::{FormInput, Questionnaire};

fn problem_text(texts: &CodeTexts, problem: CodeProblem) -> &str {
    match problem {
        CodeProblem::Missing => &texts.missing,
        CodeProblem::Malformed(CodeError::UnknownSymbol) => &texts.unknown_symbol,
        CodeProblem::Malformed(CodeError::WrongLength) => &texts.wrong_length,
        CodeProblem::Malformed(CodeError::Mistyped) => &texts.mistyped,
        CodeProblem::UsedOrUnknown => &texts.used_text,
        CodeProblem::Busy => &texts.busy_text,
    }
}

/// The start page: the survey's title and intro, and a field for the code.
/// After a malformed code, the reason above the field and what was typed in it.
pub fn start_page(
    questionnaire: &Questionnaire,
    language: &str,
    kiosk: bool,
    problem: Option<CodeProblem>,
    typed: &str,
) -> Markup {
    let locale = locale::get(language);
    let texts = &locale.codes;
    let title = questionnaire.title.get(language);
    let tab_name = tab_name(questionnaire, language);
    let page_title =
        if problem.is_some() { format!("{} {tab_name}", locale.error_prefix) } else { tab_name.to_owned() };
    let body = html! {
        @if questionnaire.languages.len() > 1 {
            nav.languages aria-label=(locale.language_choice) {
                ul {
                    @for other in questionnaire.languages.iter().filter(|other| *other != language) {
                        li { (language_link(locale::get(other), &format!("?lang={other}"))) }
                    }
                }
            }
        }
        h1 { (title) }
        (super::translation_note(questionnaire, language, locale))
        @if let Some(intro) = &questionnaire.intro {
            div.intro { (paragraphs(locale, intro.get(language))) }
        }
        (safety_link(questionnaire, locale))
        p { (texts.intro) }
        form.code-form method="get" action={ "/s/" (questionnaire.id) } autocomplete="off" {
            input type="hidden" name="lang" value=(language);
            // A tablet in kiosk mode stays in it from the code to the form.
            @if kiosk { input type="hidden" name="kiosk" value="1"; }
            div.question.has-error[problem.is_some()] {
                label.question-label for="code" { (texts.label) }
                p.hint #code-hint { (isolated(locale, &texts.hint)) }
                @if let Some(problem) = problem {
                    p.error-message #code-error role="alert" {
                        span.visually-hidden { (locale.error_prefix) " " }
                        (isolated(locale, problem_text(texts, problem)))
                    }
                }
                // A code is Latin letters and digits, typed and read left to right
                // on a right-to-left page too.
                input.code-input #code type="text" dir="ltr" name=(CODE_PARAMETER) value=(typed) maxlength="20"
                    autocomplete="off" autocapitalize="characters" spellcheck="false" inputmode="text"
                    aria-describedby={ "code-hint" @if problem.is_some() { " code-error" } }
                    aria-invalid=[problem.map(|_| "true")];
            }
            button.submit type="submit" { (texts.continue_button) }
        }
    };
    layout(locale, &page_title, Some(questionnaire), body)
}

/// The page for a well-formed code that is used, revoked or unknown: calm,
/// and the same words for each, since nothing stored tells them apart.
pub fn code_refused(questionnaire: &Questionnaire, language: &str, kiosk: bool) -> Markup {
    let locale = locale::get(language);
    let texts = &locale.codes;
    let body = html! {
        h1 { (texts.used_title) }
        p.code-refused { (texts.used_text) }
        p { (texts.used_advice) }
        p { a href={ "/s/" (questionnaire.id) "?lang=" (language) @if kiosk { "&kiosk=1" } } { (texts.try_another) } }
    };
    layout(locale, &format!("{} – {}", texts.used_title, tab_name(questionnaire, language)), Some(questionnaire), body)
}

/// The page for a code attempt held back by the brake on wrong codes: the
/// same words, and the same bytes, whether the code was right or wrong.
pub fn code_braked(questionnaire: &Questionnaire, language: &str) -> Markup {
    let locale = locale::get(language);
    let texts = &locale.codes;
    let body = html! {
        h1 { (texts.busy_title) }
        p.code-braked { (texts.busy_text) }
        p { (texts.busy_advice) }
    };
    layout(locale, &format!("{} – {}", texts.busy_title, tab_name(questionnaire, language)), Some(questionnaire), body)
}

/// The hidden fields with the code and, once it was found live on the start
/// page, its "admitted" mark, in the form of a coded questionnaire (empty
/// for an open one, whose form carries no code).
pub fn code_field(input: &FormInput) -> Markup {
    let code = input.value(CODE_FIELD);
    let admitted = input.value(ADMITTED_FIELD);
    html! {
        @if !code.is_empty() { input type="hidden" name=(CODE_FIELD) value=(code); }
        @if !code.is_empty() && !admitted.is_empty() { input type="hidden" name=(ADMITTED_FIELD) value=(admitted); }
    }
}

/// What a language link on a coded form adds so the code goes along
/// (`&kod=XXXXX-XXXXX`), or nothing. The script takes it out of the address
/// bar again, as it does for the card's link.
pub fn code_query(input: &FormInput) -> String {
    let code = input.value(CODE_FIELD);
    if code.is_empty() { String::new() } else { format!("&{CODE_PARAMETER}={code}") }
}
