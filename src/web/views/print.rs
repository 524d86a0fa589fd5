//! The questionnaire on paper (issue 18): the whole form as one A4 document
//! to print, from the same model as the web form, for `/staff/q/{id}/print`
//! and `enkat print` alike. Every page and question in order, numbered; a
//! box drawn in CSS for each option; conditions written out in words, since
//! paper cannot hide a question; no form controls, no navigation.
//!
//! The stylesheet is inside the document, so a saved or written file prints
//! the same anywhere; the web route allows exactly it by its hash
//! (`content_security_policy`).

use std::sync::LazyLock;

use base64::Engine;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};

use super::{isolated, paragraphs, tab_name};
use crate::locale::{self, Locale};
use crate::questionnaire::{Condition, DONT_KNOW, Page, QuestionKind, Questionnaire, Test};

/// The print stylesheet: A4, questions kept whole, boxes and lines drawn
/// with borders, logical properties so an Arabic form mirrors.
pub const STYLE: &str = include_str!("../assets/print.css");

/// The Content-Security-Policy of a print document: nothing but its own
/// stylesheet (by hash) and no script, form or frame.
pub fn content_security_policy() -> &'static str {
    static POLICY: LazyLock<String> = LazyLock::new(|| {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
        )
    });
    &POLICY
}

/// One paper form for one one-time code: the code as printed, the address
/// with the code, and its QR code (drawn by the caller, as on the cards).
#[derive(Debug, Clone)]
pub struct PaperCode {
    /// `XXXXX-XXXXX`.
    pub code: String,
    /// The short address to type the code at.
    pub short_url: String,
    pub qr: Option<Markup>,
}

/// Lines to write on for a free-text question: about one per 250
/// characters allowed, from 3 to 8.
fn ruled_lines(max_length: usize) -> usize {
    (max_length / 250).clamp(3, 8)
}

/// The questionnaire in `language` as one printable document. `language`
/// must be one of the questionnaire's (the callers check).
pub fn document(questionnaire: &Questionnaire, language: &str) -> Markup {
    frame(questionnaire, language, sheet(questionnaire, language, None))
}

/// The document once per code, each copy on new pages, with its code, QR
/// code and the rule that a code is used once, on the web or on paper.
pub fn coded_documents(questionnaire: &Questionnaire, language: &str, codes: &[PaperCode]) -> Markup {
    let copies = html! {
        @for code in codes { (sheet(questionnaire, language, Some(code))) }
    };
    frame(questionnaire, language, copies)
}

fn frame(questionnaire: &Questionnaire, language: &str, body: Markup) -> Markup {
    let locale = locale::get(language);
    html! {
        (DOCTYPE)
        html lang=(language) dir=(locale.direction.as_str()) {
            head {
                meta charset="utf-8";
                meta name="robots" content="noindex, nofollow";
                meta name="referrer" content="no-referrer";
                title { (tab_name(questionnaire, language)) }
                // Our own constant, never questionnaire text.
                style { (PreEscaped(STYLE)) }
            }
            body.paper { main { (body) } }
        }
    }
}

/// One copy of the form.
fn sheet(questionnaire: &Questionnaire, language: &str, code: Option<&PaperCode>) -> Markup {
    let locale = locale::get(language);
    let texts = &locale.print;
    html! {
        article.paper-copy {
            @if let Some(code) = code {
                div.paper-code {
                    @if let Some(qr) = &code.qr { (qr) }
                    div.paper-code-text {
                        p.paper-code-label { (texts.code_label) }
                        // Latin letters and digits, read left to right on an Arabic form too.
                        p.paper-code-value dir="ltr" { (code.code) }
                        p.paper-code-once { (texts.code_once) }
                        p.paper-code-web { (texts.code_web) " " bdi dir="ltr" { (code.short_url) } }
                    }
                }
            }
            // A form left on a table must not say what it is for: with
            // `neutral_title`, the same neutral word as the tab and the cards.
            h1 { (tab_name(questionnaire, language)) }
            @if let Some(intro) = &questionnaire.intro {
                div.paper-intro { (paragraphs(locale, intro.get(language))) }
            }
            p.paper-how-to { (texts.how_to) }
            @for page in &questionnaire.pages {
                (page_section(questionnaire, page, language, locale))
            }
            @if let Some(thanks) = &questionnaire.thanks {
                div.paper-thanks { (paragraphs(locale, thanks.get(language))) }
            }
            @if let Some(help) = &questionnaire.help {
                div.paper-help { (paragraphs(locale, help.get(language))) }
            }
        }
    }
}

fn page_section(questionnaire: &Questionnaire, page: &Page, language: &str, locale: &Locale) -> Markup {
    html! {
        section.paper-page {
            @if let Some(title) = &page.title { h2 { (title.get(language)) } }
            @if let Some(condition) = &page.condition {
                p.paper-condition { (condition_words(questionnaire, condition, language, locale, Scope::Page)) }
            }
            @for index in page.questions.clone() {
                (question_block(questionnaire, index, language, locale))
            }
        }
    }
}

/// The number a question has on paper: its place in the file, from 1.
fn number(questionnaire: &Questionnaire, id: &str) -> usize {
    questionnaire.questions.iter().position(|question| question.id == id).map_or(0, |index| index + 1)
}

fn question_block(questionnaire: &Questionnaire, index: usize, language: &str, locale: &Locale) -> Markup {
    let question = &questionnaire.questions[index];
    let texts = &locale.print;
    let multi = matches!(question.kind, QuestionKind::Multi { .. });
    html! {
        @if let Some(section) = &question.section { h2 { (section.get(language)) } }
        // The id, for whoever types the answers in later.
        div.paper-question data-question=(question.id) {
            h3 {
                span.paper-number { (index + 1) "." } " "
                span.question-text { (isolated(locale, question.text.get(language))) }
            }
            @if let Some(condition) = &question.condition {
                p.paper-condition { (condition_words(questionnaire, condition, language, locale, Scope::Question)) }
            }
            @if let Some(source) = &question.options_chosen_in {
                p.paper-condition {
                    (texts.chosen_in.replace("{n}", &number(questionnaire, source).to_string()))
                }
            }
            @if let Some(hint) = &question.hint { p.paper-hint { (isolated(locale, hint.get(language))) } }
            @match &question.kind {
                QuestionKind::Text { max_length } => {
                    p.paper-instruction { (texts.write_here) }
                    div.paper-lines {
                        @for _ in 0..ruled_lines(*max_length) { span.paper-line {} }
                    }
                }
                kind => {
                    p.paper-instruction { (if multi { &texts.tick_several } else { &texts.tick_one }) }
                    (options(kind, language, locale, multi))
                }
            }
        }
    }
}

/// The options, each with a box: a scale's steps in a row, its "don't know"
/// apart; an exclusive option after an "or" divider, with its rule; "other"
/// with a line to write on.
fn options(kind: &QuestionKind, language: &str, locale: &Locale, multi: bool) -> Markup {
    let choices = kind.choices();
    let scale = matches!(kind, QuestionKind::Scale(_));
    html! {
        ul.paper-options.paper-scale[scale] {
            @for choice in &choices {
                @if choice.exclusive && multi { li.paper-divider { (locale.or) } }
                @let dont_know = scale && choice.id == DONT_KNOW;
                li.paper-option.paper-exclusive[choice.exclusive].paper-dont-know[dont_know] {
                    span.paper-box aria-hidden="true" {}
                    " "
                    span.paper-option-text { (isolated(locale, choice.text.get(language))) }
                    @if choice.exclusive && multi {
                        " " span.paper-exclusive-note { "(" (locale.print.exclusive) ")" }
                    }
                }
            }
            @if kind.has_other() {
                li.paper-option.paper-other {
                    span.paper-box aria-hidden="true" {}
                    " "
                    span.paper-option-text { (locale.other_label) }
                    " "
                    span.paper-write aria-hidden="true" {}
                }
            }
        }
    }
}

/// Whether a condition is on a question (answer only if …) or on a page
/// (skip this part unless …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Question,
    Page,
}

/// A condition in words, from the model: the earlier question by its number
/// and the options it names, quoted, the last two joined by "or".
fn condition_words(
    questionnaire: &Questionnaire,
    condition: &Condition,
    language: &str,
    locale: &Locale,
    scope: Scope,
) -> String {
    let texts = &locale.print;
    let choices = questionnaire.question(&condition.question).map(|earlier| earlier.kind.choices()).unwrap_or_default();
    let options = |ids: &[String]| super::form::quoted_options(&choices, ids, language, locale);
    let template = match (scope, &condition.test) {
        (Scope::Question, Test::AnyOf(ids)) => texts.answer_if_any_of.replace("{options}", &options(ids)),
        (Scope::Question, Test::NoneOf(ids)) => texts.answer_if_none_of.replace("{options}", &options(ids)),
        (Scope::Question, Test::Answered(true)) => texts.answer_if_answered.clone(),
        (Scope::Question, Test::Answered(false)) => texts.answer_if_unanswered.clone(),
        (Scope::Page, Test::AnyOf(ids)) => texts.skip_unless_any_of.replace("{options}", &options(ids)),
        (Scope::Page, Test::NoneOf(ids)) => texts.skip_unless_none_of.replace("{options}", &options(ids)),
        (Scope::Page, Test::Answered(true)) => texts.skip_unless_answered.clone(),
        (Scope::Page, Test::Answered(false)) => texts.skip_unless_unanswered.clone(),
    };
    template.replace("{n}", &number(questionnaire, &condition.question).to_string())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::questionnaire::parse;

    const SOURCE: &str = r#"
id = "t"
languages = ["sv", "en"]
title = { sv = "Stöd efter våld", en = "Support after violence" }
neutral_title = false

[[page]]
title = { sv = "Stöd", en = "Support" }

[[page.question]]
id = "got"
type = "multi"
text = { sv = "Vad fick du?", en = "What did you get?" }
options = [ { id = "a", sv = "A", en = "A" }, { id = "none", sv = "Inget", en = "Nothing", exclusive = true } ]

[[page]]
title = { sv = "Mer", en = "More" }
show_if = { question = "got", answered = true }

[[page.question]]
id = "note"
type = "text"
max_length = 500
show_if = { question = "got", any_of = ["a", "none"] }
text = { sv = "Berätta", en = "Tell us" }
"#;

    fn questionnaire() -> Questionnaire {
        parse(Path::new("t.toml"), SOURCE).expect("a valid questionnaire")
    }

    #[test]
    fn the_stylesheet_is_in_the_document_exactly_as_its_hash_in_the_policy_says() {
        let html = document(&questionnaire(), "sv").into_string();
        // A browser hashes the element's text as it stands: escaped or
        // changed, the stylesheet would be refused and the boxes not drawn.
        assert!(html.contains(&format!("<style>{STYLE}</style>")));
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
        assert!(content_security_policy().contains(&format!("style-src 'sha256-{hash}'")));
        assert!(!content_security_policy().contains("script-src"), "no script at all: default-src 'none'");
    }

    #[test]
    fn conditions_name_the_earlier_question_by_number_and_its_options_in_the_language() {
        let questionnaire = questionnaire();
        let locale = locale::get("en");
        let note = &questionnaire.questions[1];
        let words = condition_words(&questionnaire, note.condition.as_ref().unwrap(), "en", locale, Scope::Question);
        assert_eq!(words, "Answer only if you ticked any of these in question 1: “A” or “Nothing”.");
        let page = questionnaire.pages[1].condition.as_ref().unwrap();
        let words = condition_words(&questionnaire, page, "sv", locale::get("sv"), Scope::Page);
        assert_eq!(words, "Hoppa över den här delen om du inte svarade på fråga 1.");
    }

    #[test]
    fn the_title_is_the_questionnaires_own_without_neutral_title_and_lines_follow_the_length() {
        let html = document(&questionnaire(), "en").into_string();
        assert!(html.contains("<h1>Support after violence</h1>"), "{html}");
        assert_eq!(html.matches("class=\"paper-line\"").count(), 3, "500 characters: the fewest lines, 3");
        assert_eq!((ruled_lines(2000), ruled_lines(10_000)), (8, 8));
    }
}
