//! HTML, written with maud: one layout, small components. Questionnaire and
//! respondent text is always escaped (never `PreEscaped`).

pub(crate) mod charts;
mod codes;
mod form;
mod info;
mod reach;
mod statement;

use std::ops::Range;
use std::sync::Arc;

use maud::{DOCTYPE, Markup, html};

pub use codes::{code_braked, code_field, code_query, code_refused, start_page as code_start_page};
pub use form::{FormTarget, preview_result, screen, start_page};
use info::language_link;
pub use info::{privacy_page, safety_page};
pub use reach::{fresh_form_url, not_open, version_changed};
pub use statement::{ReportForm, statement_notice, statement_page, statement_thanks};

use crate::locale::{self, Direction, Locale};
use crate::questionnaire::{Questionnaire, Text};
use crate::web::SafetySettings;

tokio::task_local! {
    /// The safety settings of the request being served. Error pages are
    /// rendered where no `AppState` reaches (`IntoResponse`), and they need
    /// the configured exit site as much as the form does.
    static SAFETY: Arc<SafetySettings>;
}

/// Renders every page made while `serving` a request with these settings' exit site.
pub async fn with_exit_url<F: Future>(safety: Arc<SafetySettings>, serving: F) -> F::Output {
    SAFETY.scope(safety, serving).await
}

/// The neutral site to leave for in a hurry: nothing about violence or
/// support shows in the address bar or on the screen.
fn exit_url() -> String {
    SAFETY.try_with(|safety| safety.exit_url.clone()).unwrap_or_else(|_| SafetySettings::default().exit_url)
}

/// The questionnaire's name in the tab title and the history: its title,
/// or with `neutral_title` a word that tells an onlooker nothing.
fn tab_name<'a>(questionnaire: &'a Questionnaire, language: &str) -> &'a str {
    if questionnaire.neutral_title { &locale::get(language).neutral_title } else { questionnaire.title.get(language) }
}

/// The address of a questionnaire's "Using this safely" page.
fn safety_url(questionnaire: &Questionnaire, language: &str) -> String {
    format!("/s/{}/sakert?lang={language}", questionnaire.id)
}

/// The page frame: language, title, stylesheet, the exit links first of
/// all, and a footer with the safety page of `survey`, the privacy page and
/// the accessibility statement.
fn layout(locale: &Locale, title: &str, survey: Option<&Questionnaire>, main: Markup) -> Markup {
    layout_with_head(locale, title, survey, html! {}, main)
}

/// `layout`, with more in `<head>` (a kiosk's refresh).
fn layout_with_head(
    locale: &Locale,
    title: &str,
    survey: Option<&Questionnaire>,
    head: Markup,
    main: Markup,
) -> Markup {
    let exit_url = exit_url();
    html! {
        (DOCTYPE)
        html lang=(locale.code) dir=(locale.direction.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                meta name="referrer" content="no-referrer";
                title { (title) }
                link rel="stylesheet" href="/assets/enkat.css";
                script src="/assets/enkat.js" defer {}
                (head)
            }
            body {
                // The script reads the words it announces for Shift from here.
                div.exit-bar data-shift-two-more=(locale.shift_two_more) data-shift-one-more=(locale.shift_one_more)
                    data-leaving=(locale.leaving) {
                    a.exit-button href=(exit_url) rel="nofollow noreferrer" { (locale.leave_page) }
                    a.exit-link.visually-hidden-focusable href=(exit_url) rel="nofollow noreferrer" {
                        (locale.leave_page_quickly)
                    }
                    a.skip-link.visually-hidden-focusable href="#main" { (locale.skip_to_content) }
                }
                div #exit-status .visually-hidden role="status" {}
                main #main tabindex="-1" { (main) }
                footer.site-footer {
                    nav aria-label=(locale.footer_label) {
                        ul {
                            @if let Some(survey) = survey {
                                li { a href=(safety_url(survey, &locale.code)) { (locale.safety.title) } }
                            }
                            li { a href={ "/integritet?lang=" (locale.code) } { (locale.privacy.title) } }
                            // Every page links to the accessibility statement (DOS-lagen).
                            li { a href={ "/tillganglighet?lang=" (locale.code) } { (locale.statement.link) } }
                        }
                    }
                }
            }
        }
    }
}

/// Paragraphs from a questionnaire text: a blank line starts a new paragraph.
/// Numbers are isolated as in `isolated`.
fn paragraphs(locale: &Locale, text: &str) -> Markup {
    html! {
        @for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p {
                @for (n, line) in paragraph.lines().enumerate() {
                    @if n > 0 { br; }
                    (isolated(locale, line))
                }
            }
        }
    }
}

/// Characters that join the parts of one number or code: `020-50 50 50`,
/// `18–29`, `K7Q4M-ZX9AB`, `2.5`.
const NUMBER_JOINERS: [char; 6] = [' ', '-', '\u{2013}', '/', '.', ':'];

/// Where the numbers and Latin codes in `text` are: runs of ASCII letters
/// and digits that hold a digit, joined by one of `NUMBER_JOINERS`.
fn number_runs(text: &str) -> Vec<Range<usize>> {
    let token_end = |start: usize| start + text[start..].bytes().take_while(u8::is_ascii_alphanumeric).count();
    let has_digit = |token: &str| token.bytes().any(|byte| byte.is_ascii_digit());
    let mut runs = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let end = token_end(at);
        if end == at {
            // Not a letter or digit of a code: one character on.
            at += text[at..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        if !has_digit(&text[at..end]) {
            at = end;
            continue;
        }
        let mut run_end = end;
        while let Some(joiner) = text[run_end..].chars().next().filter(|c| NUMBER_JOINERS.contains(c)) {
            let next = run_end + joiner.len_utf8();
            let next_end = token_end(next);
            if next_end == next || !has_digit(&text[next..next_end]) {
                break;
            }
            run_end = next_end;
        }
        runs.push(at..run_end);
        at = run_end;
    }
    runs
}

/// `text`, with its numbers and Latin codes in `<bdi dir="ltr">` on a
/// right-to-left page: there the bidirectional algorithm would otherwise
/// turn `020-50 50 50` into `50 50 020-50` and `18–29` into `29–18`. On a
/// left-to-right page numbers need no help, and the text stays as it is.
fn isolated(locale: &Locale, text: &str) -> Markup {
    if locale.direction == Direction::Ltr {
        return html! { (text) };
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    for run in number_runs(text) {
        pieces.push((false, &text[at..run.start]));
        pieces.push((true, &text[run.clone()]));
        at = run.end;
    }
    pieces.push((false, &text[at..]));
    html! {
        @for (number, piece) in pieces {
            @if number { bdi dir="ltr" { (piece) } } @else { (piece) }
        }
    }
}

/// `template` with `{name}` replaced by `value`, and its numbers isolated as
/// in `isolated`. On a right-to-left page `value` is a `<bdi>` of its own,
/// so a date or a name in another script keeps its order in the sentence.
fn fill(locale: &Locale, template: &str, name: &str, value: &str) -> Markup {
    let placeholder = format!("{{{name}}}");
    let Some((before, after)) = template.split_once(&placeholder) else {
        return isolated(locale, template);
    };
    if locale.direction == Direction::Ltr {
        return html! { (before) (value) (after) };
    }
    html! { (isolated(locale, before)) bdi { (value) } (isolated(locale, after)) }
}

/// A page that only says something, in Swedish and English, for requests
/// that reached no questionnaire (so there is no language to follow).
pub fn message_page(texts: impl Fn(&'static Locale) -> (&'static str, &'static str)) -> Markup {
    let home = locale::get("sv");
    let (title, _) = texts(home);
    let body = html! {
        @for locale in locale::LOCALES.iter() {
            @let (heading, text) = texts(locale);
            div lang=(locale.code) dir=(locale.direction.as_str()) {
                @if locale.code == home.code { h1 { (heading) } } @else { h2 { (heading) } }
                p { (text) }
            }
        }
    };
    layout(home, title, None, body)
}

/// The thank-you page: no answers and no reference number, nothing that
/// would show someone else what was answered. In `kiosk` mode it returns to
/// an empty form by itself.
pub fn thanks(questionnaire: &Questionnaire, language: &str, kiosk: bool) -> Markup {
    let locale = locale::get(language);
    let thanks = questionnaire.thanks.as_ref().map_or(locale.thanks_default.as_str(), |text: &Text| text.get(language));
    let body = html! {
        h1 { (locale.thanks_title) }
        (paragraphs(locale, thanks))
        @if let Some(help) = &questionnaire.help {
            div.help { (paragraphs(locale, help.get(language))) }
        }
    };
    let title = format!("{} – {}", locale.thanks_title, tab_name(questionnaire, language));
    if kiosk {
        let (head, restart) = reach::thanks_restart(locale, &fresh_form_url(questionnaire, language));
        return layout_with_head(locale, &title, Some(questionnaire), head, html! { (body) (restart) });
    }
    layout(locale, &title, Some(questionnaire), body)
}

/// The intro's link to "Using this safely", before any question is answered.
fn safety_link(questionnaire: &Questionnaire, locale: &Locale) -> Markup {
    html! {
        p.safety-link { a href=(safety_url(questionnaire, &locale.code)) { (locale.safety.title) } }
    }
}

#[cfg(test)]
mod tests {
    use super::number_runs;

    #[test]
    fn numbers_and_codes_are_found_whole_and_words_are_left_alone() {
        let cases = [
            ("اتصل بالرقم 112.", vec!["112"]),
            ("خط Kvinnofridslinjen على الرقم 020-50 50 50، مفتوح", vec!["020-50 50 50"]),
            ("18–29", vec!["18–29"]),
            ("65 أو أكثر", vec!["65"]),
            ("مثلًا K7Q4M-ZX9AB. يمكنك", vec!["K7Q4M-ZX9AB"]),
            ("من 2 إلى 9 والحروف من A إلى Z ما عدا I وL", vec!["2", "9"]),
            ("عنوان IP الخاص بجهازك", vec![]),
            ("Nexus: 018-727 00 00, och", vec!["018-727 00 00"]),
            ("", vec![]),
        ];
        for (text, expected) in cases {
            let found: Vec<&str> = number_runs(text).into_iter().map(|run| &text[run]).collect();
            assert_eq!(found, expected, "{text}");
        }
    }
}
