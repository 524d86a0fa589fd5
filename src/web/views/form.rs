//! The questionnaire form: one page, every question a fieldset (or a
//! labelled text box), errors summarised at the top and shown at each question.

use axum::http::StatusCode;
use maud::{Markup, html};

use super::info::info_body;
use super::reach::{carried_fields, fresh_form_url, restart_link};
use super::{
    FORM_ID, fill, form_layout, isolated, language_buttons, language_link, layout, paragraphs, privacy_contact,
    safety_link, tab_name,
};
use crate::locale::{self, Locale};
use crate::questionnaire::protocol::{
    ACTION_FIELD, CHANGE_FIELD, CHECK_PAGE, KIOSK_FIELD, LANGUAGE_FIELD, PAGE_FIELD, START_PAGE, STAY, VERSION_FIELD,
};
use crate::questionnaire::{
    Answer, AnswerError, AnswerProblem, Choice, Condition, DONT_KNOW, FormInput, OTHER, OTHER_MAX_LENGTH, Question,
    QuestionKind, Questionnaire, Shown, Test,
};
use crate::questionnaire::{Aside, Resume, Screen};
use crate::web::reach;

/// The screen a form step shows (`questionnaire::next_step`), with its
/// status: 422 for a page shown again with problems on it.
pub fn screen(
    questionnaire: &Questionnaire,
    language: &str,
    input: &FormInput,
    screen: &Screen,
    target: FormTarget,
) -> (StatusCode, Markup) {
    match screen {
        Screen::Page { index, problems } => {
            let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            (status, form(questionnaire, language, input, problems, *index, target))
        }
        Screen::CheckAnswers => (StatusCode::OK, check_answers(questionnaire, language, input, target)),
        Screen::Aside { aside, from } => {
            (StatusCode::OK, aside_page(questionnaire, language, input, *aside, *from, target))
        }
    }
}

/// Where a form is sent: answered for real, or previewed by an admin, which
/// stores nothing and says so on every page. A preview is a staff page: its
/// forms carry the session's CSRF token, like every staff form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTarget<'a> {
    Respondent,
    Preview { csrf_token: &'a str },
}

impl FormTarget<'_> {
    fn action(self, questionnaire: &Questionnaire) -> String {
        match self {
            FormTarget::Respondent => format!("/s/{}", questionnaire.id),
            FormTarget::Preview { .. } => format!("/staff/admin/preview/{}", questionnaire.id),
        }
    }

    fn banner(self) -> Markup {
        html! {
            @if let FormTarget::Preview { .. } = self { (preview_banner()) }
        }
    }

    /// The preview's CSRF field; nothing for a respondent.
    fn csrf_field(self) -> Markup {
        html! {
            @if let FormTarget::Preview { csrf_token } = self {
                input type="hidden" name=(crate::web::staff::CSRF_FIELD) value=(csrf_token);
            }
        }
    }
}

/// What every page of a preview says above the form.
fn preview_banner() -> Markup {
    html! {
        // Staff read this in Swedish whatever the form's language.
        div.preview-banner role="note" lang="sv" dir="ltr" {
            strong { "Förhandsvisning. " }
            "Så här ser enkäten ut för den som svarar. Inget du fyller i sparas."
        }
    }
}

/// The start of a questionnaire: its title, introduction, languages and the
/// way to using it safely, and a button that posts to the first page of
/// questions. No page with questions is ever the answer to a GET: Chromium
/// keeps such a page in its back/forward cache despite `no-store`, and Back
/// after "Lämna sidan" would bring the choices made on it back; an answer to
/// a form post is never kept there.
pub fn start_page(questionnaire: &Questionnaire, language: &str, input: &FormInput, target: FormTarget) -> Markup {
    let locale = locale::get(language);
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
        (target.banner())
        h1 { (questionnaire.title.get(language)) }
        (super::translation_note(questionnaire, language, locale))
        @if let Some(intro) = &questionnaire.intro {
            div.intro { (paragraphs(locale, intro.get(language))) }
        }
        (safety_link(questionnaire, locale))
        @if questionnaire.publish_results {
            p.results-link { a href={ "/s/" (questionnaire.id) "/resultat?lang=" (language) } { (locale.results.link) } }
        }
        @if let Some(fresh_url) = &fresh_url { (restart_link(locale, fresh_url)) }
        form.questionnaire method="post" action=(target.action(questionnaire)) autocomplete="off" data-kiosk-restart=[fresh_url.as_deref()] {
            input type="hidden" name=(LANGUAGE_FIELD) value=(language);
            input type="hidden" name=(PAGE_FIELD) value=(START_PAGE);
            input type="hidden" name=(VERSION_FIELD) value=(questionnaire.version.as_str());
            (carried_fields(input, kiosk))
            (super::code_field(input))
            (target.csrf_field())
            div.buttons {
                button.submit type="submit" name=(ACTION_FIELD) value="next" { (locale.start) }
            }
        }
    };
    layout(locale, tab_name(questionnaire, language), Some(questionnaire), body)
}

/// One page of the form, empty or filled in again with what the person gave
/// (`input`) and what must be fixed on it (`errors`). The answers on other
/// pages travel with it as hidden fields: nothing is kept on the server
/// before the final send.
pub fn form(
    questionnaire: &Questionnaire,
    language: &str,
    input: &FormInput,
    errors: &[AnswerError],
    page_index: usize,
    target: FormTarget,
) -> Markup {
    let locale = locale::get(language);
    let shown = questionnaire.shown(input);
    let page = &questionnaire.pages[page_index];
    let progress = (questionnaire.pages.len() > 1).then(|| {
        let n = shown.pages().take_while(|index| *index < page_index).count() + 1;
        let total = shown.pages().count().max(n);
        locale.page_progress.replace("{n}", &n.to_string()).replace("{total}", &total.to_string())
    });
    let title = questionnaire.title.get(language);
    let tab_name = tab_name(questionnaire, language);
    let mut page_title = tab_name.to_owned();
    if let Some(progress) = &progress {
        page_title = format!("{page_title} – {progress}");
    }
    if !errors.is_empty() {
        page_title = format!("{} {page_title}", locale.error_prefix);
    }
    // In kiosk mode the form can be started afresh: by a link, and by the
    // script after a while untouched (it reads `data-kiosk-restart`).
    let kiosk = reach::is_kiosk(questionnaire, input.value(KIOSK_FIELD));
    let fresh_url = kiosk.then(|| fresh_form_url(questionnaire, language));
    // Questions whose condition looks at a question on this same page are
    // sent whatever the answer so far: without JavaScript they must be there
    // to be answered; the script shows and hides them as the person answers.
    let on_page: Vec<usize> = page
        .questions
        .clone()
        .filter(|index| {
            shown.question(*index) || depends_on_page(questionnaire, &questionnaire.questions[*index], page_index)
        })
        .collect();
    // The button sends when no later page can follow; otherwise it continues.
    let sends = !questionnaire.check_answers && !later_page_possible(questionnaire, &shown, page_index);
    let body = html! {
        (target.banner())
        @if !errors.is_empty() {
            (error_summary(questionnaire, language, locale, errors))
        }
        (language_buttons(locale, questionnaire))
        h1 { (title) }
        @if let Some(progress) = &progress { p.progress { (progress) } }
        @if let Some(fresh_url) = &fresh_url { (restart_link(locale, fresh_url)) }
        @if let Some(page_title) = &page.title { h2.page-title { (page_title.get(language)) } }
        form.questionnaire #(FORM_ID) method="post" action=(target.action(questionnaire)) autocomplete="off" data-kiosk-restart=[fresh_url.as_deref()]
            data-question-shown=(locale.question_shown) data-question-hidden=(locale.question_hidden) {
            input type="hidden" name=(LANGUAGE_FIELD) value=(language);
            input type="hidden" name=(PAGE_FIELD) value=(page_index);
            input type="hidden" name=(VERSION_FIELD) value=(questionnaire.version.as_str());
            (carried_fields(input, kiosk))
            (super::code_field(input))
            (target.csrf_field())
            (carried_answers(questionnaire, input, &on_page))
            @for index in on_page.iter().copied() {
                @let question = &questionnaire.questions[index];
                @if let Some(section) = &question.section {
                    h2.section { (section.get(language)) }
                }
                (question_block(questionnaire, question, language, locale, input, errors.iter().find(|e| e.question_id == question.id)))
            }
            div #form-status .visually-hidden aria-live="polite" {}
            div.buttons {
                button.submit type="submit" name=(ACTION_FIELD) value="next" {
                    @if sends { (locale.submit) } @else { (locale.next_page) }
                }
                @if shown.previous_page(page_index).is_some() {
                    button.secondary type="submit" name=(ACTION_FIELD) value="back" { (locale.previous_page) }
                }
            }
        }
    };
    form_layout(locale, &page_title, questionnaire, body)
}

/// The last step when `check_answers` is set: every shown question with its
/// answer and a button to change it, and the button that sends.
pub fn check_answers(questionnaire: &Questionnaire, language: &str, input: &FormInput, target: FormTarget) -> Markup {
    let locale = locale::get(language);
    let shown = questionnaire.shown(input);
    let kiosk = reach::is_kiosk(questionnaire, input.value(KIOSK_FIELD));
    let page_title = format!("{} – {}", tab_name(questionnaire, language), locale.check_title);
    let body = html! {
        (target.banner())
        (language_buttons(locale, questionnaire))
        h1 { (questionnaire.title.get(language)) }
        h2.page-title { (locale.check_title) }
        p { (locale.check_lead) }
        form.questionnaire #(FORM_ID) method="post" action=(target.action(questionnaire)) autocomplete="off" {
            input type="hidden" name=(LANGUAGE_FIELD) value=(language);
            input type="hidden" name=(PAGE_FIELD) value=(CHECK_PAGE);
            input type="hidden" name=(VERSION_FIELD) value=(questionnaire.version.as_str());
            (carried_fields(input, kiosk))
            (super::code_field(input))
            (target.csrf_field())
            (carried_answers(questionnaire, input, &[]))
            dl.check-answers {
                @for (_, question) in questionnaire.questions.iter().enumerate().filter(|(index, _)| shown.question(*index)) {
                    div.check-answer {
                        dt { (question.text.get(language)) }
                        dd {
                            @match answer_texts(question, language, locale, input).as_slice() {
                                [] => { span.not-answered { (locale.not_answered) } }
                                texts => { @for text in texts { p { (text) } } }
                            }
                        }
                        dd.change {
                            // The fragment takes the person straight to the question on its page.
                            button.link-button type="submit" name=(CHANGE_FIELD) value=(question.id)
                                formaction={ (target.action(questionnaire)) "#question-" (question.id) } {
                                (locale.change) span.visually-hidden { ": " (question.text.get(language)) }
                            }
                        }
                    }
                }
            }
            div.buttons {
                button.submit type="submit" name=(ACTION_FIELD) value="next" { (locale.submit) }
                button.secondary type="submit" name=(ACTION_FIELD) value="back" { (locale.previous_page) }
            }
        }
    };
    form_layout(locale, &page_title, questionnaire, body)
}

/// A page of information opened from the form (`Screen::Aside`): its text
/// inside a form that carries every answer, with a button back to the step
/// it was opened from at its top and its foot. Like every form step it is a
/// POST answer that is never stored, so it leaves no answer behind.
fn aside_page(
    questionnaire: &Questionnaire,
    language: &str,
    input: &FormInput,
    aside: Aside,
    from: Resume,
    target: FormTarget,
) -> Markup {
    let locale = locale::get(language);
    let kiosk = reach::is_kiosk(questionnaire, input.value(KIOSK_FIELD));
    let (page, contact) = match aside {
        Aside::Safety => (&locale.safety, String::new()),
        Aside::Privacy => (&locale.privacy, privacy_contact()),
    };
    let page_field = match from {
        Resume::Page(index) => index.to_string(),
        Resume::Check => CHECK_PAGE.to_owned(),
    };
    let back = html! {
        div.buttons {
            button.secondary type="submit" name=(ACTION_FIELD) value=(STAY) { (locale.back_to_survey) }
        }
    };
    let body = html! {
        (target.banner())
        form.questionnaire.aside #(FORM_ID) method="post" action=(target.action(questionnaire)) autocomplete="off" {
            input type="hidden" name=(LANGUAGE_FIELD) value=(language);
            input type="hidden" name=(PAGE_FIELD) value=(page_field);
            input type="hidden" name=(VERSION_FIELD) value=(questionnaire.version.as_str());
            (carried_fields(input, kiosk))
            (super::code_field(input))
            (target.csrf_field())
            (carried_answers(questionnaire, input, &[]))
            (back)
            (info_body(locale, page, &contact))
            (back)
        }
    };
    let title = format!("{} – {}", page.title, tab_name(questionnaire, language));
    form_layout(locale, &title, questionnaire, body)
}

/// What the person answered to a question, in words, one line per choice.
fn answer_texts(question: &Question, language: &str, locale: &Locale, input: &FormInput) -> Vec<String> {
    if let QuestionKind::Text { .. } = question.kind {
        let text = input.value(&question.id).trim();
        return if text.is_empty() { Vec::new() } else { vec![text.to_owned()] };
    }
    let mut texts: Vec<String> = question
        .kind
        .choices()
        .into_iter()
        .filter(|choice| input.is_chosen(&question.id, &choice.id))
        .map(|choice| choice.text.get(language).to_owned())
        .collect();
    let other = input.value(&FormInput::other_field(&question.id)).trim();
    if question.kind.has_other() && (!other.is_empty() || input.is_chosen(&question.id, OTHER)) {
        texts.push(format!("{} {other}", locale.other_label));
    }
    texts
}

/// Whether `question`, on page `page_index`, has a condition on a question of that same page.
fn depends_on_page(questionnaire: &Questionnaire, question: &Question, page_index: usize) -> bool {
    question
        .condition
        .as_ref()
        .is_some_and(|condition| questionnaire.page_of_question(&condition.question) == Some(page_index))
}

/// Whether a page after `page_index` may still be shown: it is shown now, or
/// its condition looks at this page, where the answers may still change.
fn later_page_possible(questionnaire: &Questionnaire, shown: &Shown, page_index: usize) -> bool {
    questionnaire.pages.iter().enumerate().skip(page_index + 1).any(|(index, page)| {
        let looks_here = |id: &str| questionnaire.page_of_question(id).is_some_and(|target| target >= page_index);
        shown.page(index)
            || page.condition.as_ref().is_some_and(|condition| looks_here(&condition.question))
            // A page of questions whose options follow an answer on this page.
            || questionnaire.questions[page.questions.clone()]
                .iter()
                .any(|question| question.options_chosen_in.as_deref().is_some_and(looks_here))
    })
}

/// Every answer to a question not on this page (`on_page`), as hidden
/// fields, so that it travels with the form to the next step.
fn carried_answers(questionnaire: &Questionnaire, input: &FormInput, on_page: &[usize]) -> Markup {
    html! {
        @for (_, question) in questionnaire.questions.iter().enumerate().filter(|(index, _)| !on_page.contains(index)) {
            @for value in input.values(&question.id) {
                input type="hidden" name=(question.id) value=(value);
            }
            @let other = FormInput::other_field(&question.id);
            @for value in input.values(&other) {
                input type="hidden" name=(other) value=(value);
            }
        }
    }
}

fn error_summary(questionnaire: &Questionnaire, language: &str, locale: &Locale, errors: &[AnswerError]) -> Markup {
    html! {
        div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
            h2 #error-summary-title { (locale.error_summary_title) }
            ul {
                @for error in errors {
                    @if let Some(question) = questionnaire.question(&error.question_id) {
                        // The question as the link, the message on its own line (as
                        // GOV.UK does): no "Question?: message" to read aloud.
                        li {
                            a href={ "#" (first_input_id(question)) } { (question.text.get(language)) }
                            br;
                            span.error-summary-message { (isolated(locale, &message(question, language, locale, &error.problem))) }
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
        // Specific and kind: what to do, and the way out a "don't know" gives.
        AnswerProblem::Required => match &question.kind {
            QuestionKind::Text { .. } => locale.error_write.to_owned(),
            kind => match kind.choices().into_iter().find(|choice| choice.id == DONT_KNOW) {
                Some(dont_know) => locale.error_choose_or_dont_know.replace("{option}", dont_know.text.get(language)),
                None => locale.error_choose.to_owned(),
            },
        },
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
        // Only a paper form typed in by staff is refused for these (the web
        // form drops what was not shown); said as an unknown option if ever.
        AnswerProblem::Skipped(_) | AnswerProblem::NotChosenIn(_) => locale.error_unknown_option.to_owned(),
    }
}

/// The options `ids` of `choices` in words, quoted, the last after "or":
/// ”Hjälp att flytta”, ”Hjälp att hämta saker” eller ”Annat”.
pub(crate) fn quoted_options(choices: &[Choice], ids: &[String], language: &str, locale: &Locale) -> String {
    let texts: Vec<String> = ids
        .iter()
        .map(|id| {
            let text = choices
                .iter()
                .find(|choice| choice.id == *id)
                .map_or(locale.other_label.as_str(), |choice| choice.text.get(language));
            locale.quoted.replace("{text}", text.trim_end_matches(':'))
        })
        .collect();
    match texts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {} {last}", rest.join(", "), locale.or),
        _ => texts.concat(),
    }
}

pub(crate) fn input_id(question: &str, option: &str) -> String {
    format!("q-{question}-{option}")
}

/// Where the error summary's link for a question takes the focus.
pub(crate) fn first_input_id(question: &Question) -> String {
    match question.kind.choices().first() {
        Some(choice) => input_id(&question.id, &choice.id),
        None => format!("q-{}", question.id),
    }
}

/// One question. One whose condition looks at a question of the same page
/// is always sent, visible: without JavaScript it must be there to answer,
/// with its note; the script hides it while the condition is false.
fn question_block(
    questionnaire: &Questionnaire,
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
        @match marked(questionnaire, question) {
            Some(Mark::Required) => { " " span.required { (locale.required) } }
            Some(Mark::Optional) => { " " span.optional { (locale.optional) } }
            None => {}
        }
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
    let condition = question.condition.as_ref().filter(|_| {
        questionnaire.page_of_question(&question.id).is_some_and(|page| depends_on_page(questionnaire, question, page))
    });
    let (any_of, none_of, answered) = match condition.map(|condition| &condition.test) {
        Some(Test::AnyOf(options)) => (Some(options.join(" ")), None, None),
        Some(Test::NoneOf(options)) => (None, Some(options.join(" ")), None),
        Some(Test::Answered(wanted)) => (None, None, Some(wanted.to_string())),
        None => (None, None, None),
    };
    html! {
        div.question.has-error[error.is_some()] id={ "question-" (question.id) } data-required=[question.required.then_some("true")]
            data-show-if-question=[condition.map(|condition| &condition.question)]
            data-show-if-any-of=[any_of] data-show-if-none-of=[none_of] data-show-if-answered=[answered]
            data-question-text=[condition.map(|_| question.text.get(language))] {
            @if let Some(condition) = condition {
                p.condition-note { (condition_note(questionnaire, condition, language, locale)) }
            }
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
                            @for choice in questionnaire.offered_choices(question, input) {
                                // GOV.UK's divider before "none of these": a word, not only a line.
                                @if choice.exclusive && multi { p.choice-divider { (locale.or) } }
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

/// Which questions carry a mark in words: the fewer of the required and the
/// optional ones, so that the mark says something (required ones on a tie;
/// none when every question is alike, as in a form where any may be skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Required,
    Optional,
}

fn marked(questionnaire: &Questionnaire, question: &Question) -> Option<Mark> {
    let required = questionnaire.questions.iter().filter(|question| question.required).count();
    let optional = questionnaire.questions.len() - required;
    match question.required {
        true if required <= optional => Some(Mark::Required),
        false if optional < required => Some(Mark::Optional),
        _ => None,
    }
}

/// For those without JavaScript: when to answer a question whose condition
/// looks at a question on the same page.
fn condition_note(questionnaire: &Questionnaire, condition: &Condition, language: &str, locale: &Locale) -> String {
    let Some(earlier) = questionnaire.question(&condition.question) else { return String::new() };
    let choices = earlier.kind.choices();
    let options = |ids: &[String]| quoted_options(&choices, ids, language, locale);
    let template = match &condition.test {
        Test::AnyOf(ids) => locale.shown_if_any_of.replace("{options}", &options(ids)),
        Test::NoneOf(ids) => locale.shown_if_none_of.replace("{options}", &options(ids)),
        Test::Answered(true) => locale.shown_if_answered.to_owned(),
        Test::Answered(false) => locale.shown_if_unanswered.to_owned(),
    };
    template.replace("{question}", earlier.text.get(language))
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

/// The end of a preview: every answer checked, and what would have been
/// stored, in the form's language. Nothing was stored.
pub fn preview_result(questionnaire: &Questionnaire, language: &str, answers: &[Answer]) -> Markup {
    let locale = locale::get(language);
    let body = html! {
        (preview_banner())
        h1 { (questionnaire.title.get(language)) }
        div lang="sv" dir="ltr" {
            h2.page-title { "Svaren är giltiga" }
            p { "Så här skulle svaren ha sparats. Inget har sparats." }
            dl.check-answers {
                @for question in questionnaire.questions.iter().filter(|q| answers.iter().any(|a| a.question_id == q.id)) {
                    div.check-answer {
                        dt lang=(language) dir=(locale.direction.as_str()) { (question.text.get(language)) }
                        dd lang=(language) dir=(locale.direction.as_str()) {
                            @for answer in answers.iter().filter(|answer| answer.question_id == question.id) {
                                p { (answer_text(question, language, locale, answer)) }
                            }
                        }
                    }
                }
            }
            p { a href={ "/staff/admin/preview/" (questionnaire.id) "?lang=" (language) } { "Förhandsvisa igen" } }
            p { a href="/staff/admin/questionnaires" { "Till enkätfilerna" } }
        }
    };
    layout(locale, &format!("Förhandsvisning – {}", tab_name(questionnaire, language)), Some(questionnaire), body)
}

/// One stored answer in words.
fn answer_text(question: &Question, language: &str, locale: &Locale, answer: &Answer) -> String {
    match (&answer.option_id, &answer.text) {
        (Some(option), Some(text)) if option == OTHER => format!("{} {text}", locale.other_label),
        (Some(option), _) => question
            .kind
            .choices()
            .into_iter()
            .find(|choice| choice.id == *option)
            .map_or_else(|| option.clone(), |choice| choice.text.get(language).to_owned()),
        (None, Some(text)) => text.clone(),
        (None, None) => String::new(),
    }
}
