//! HTML, written with maud: one layout, small components. Questionnaire and
//! respondent text is always escaped (never `PreEscaped`).

pub(crate) mod charts;
mod codes;
pub(crate) mod form;
mod info;
pub(crate) mod print;
mod published;
mod reach;
mod statement;
pub(crate) mod trend_charts;

use std::ops::Range;
use std::sync::Arc;

use maud::{DOCTYPE, Markup, html};

pub use codes::{code_braked, code_field, code_query, code_refused, start_page as code_start_page};
pub use form::{FormTarget, preview_result, screen, start_page};
use info::language_link;
pub use info::{privacy_page, safety_page};
pub use published::published_results;
pub use reach::{fresh_form_url, not_open, version_changed};
pub use statement::{ReportForm, statement_notice, statement_page, statement_thanks};

use crate::locale::{self, Direction, Locale};
use crate::questionnaire::protocol::{ASIDE_FIELD, PRIVACY_ASIDE, SAFETY_ASIDE, SWITCH_LANGUAGE_FIELD};
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

/// Who is responsible for the stored answers, for the privacy page.
fn privacy_contact() -> String {
    SAFETY
        .try_with(|safety| safety.privacy_contact.clone())
        .unwrap_or_else(|_| SafetySettings::default().privacy_contact)
}

/// The questionnaire's name in the tab title and the history: its title,
/// or with `neutral_title` a word that tells an onlooker nothing.
pub(crate) fn tab_name<'a>(questionnaire: &'a Questionnaire, language: &str) -> &'a str {
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
    frame(locale, title, survey, head, main, false)
}

/// The id of a page's questionnaire form, which the buttons outside it
/// (the footer's, the language choice) send.
const FORM_ID: &str = "questionnaire-form";

/// `layout` for a page with answers in its form: the footer's pages and the
/// other languages are buttons that send the form (`protocol::ASIDE_FIELD`,
/// `SWITCH_LANGUAGE_FIELD`), so that opening them loses no answer, and no
/// answer goes into an address or the history.
fn form_layout(locale: &Locale, title: &str, survey: &Questionnaire, main: Markup) -> Markup {
    frame(locale, title, Some(survey), html! {}, main, true)
}

fn frame(
    locale: &Locale,
    title: &str,
    survey: Option<&Questionnaire>,
    head: Markup,
    main: Markup,
    in_form: bool,
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
                            @if in_form {
                                li { (aside_button(locale, SAFETY_ASIDE, &locale.safety.title)) }
                                li { (aside_button(locale, PRIVACY_ASIDE, &locale.privacy.title)) }
                            } @else {
                                @if let Some(survey) = survey {
                                    li { a href=(safety_url(survey, &locale.code)) { (locale.safety.title) } }
                                }
                                li { a href={ "/integritet?lang=" (locale.code) } { (locale.privacy.title) } }
                            }
                            // Every page links to the accessibility statement (DOS-lagen).
                            li { a href={ "/tillganglighet?lang=" (locale.code) } { (locale.statement.link) } }
                        }
                    }
                }
            }
        }
    }
}

/// A footer button that sends the form to open a page of information.
/// `formnovalidate`: nothing is checked on the way there.
fn aside_button(locale: &Locale, aside: &str, label: &str) -> Markup {
    html! {
        button.as-link type="submit" form=(FORM_ID) formnovalidate name=(ASIDE_FIELD) value=(aside) lang=(locale.code) {
            (label)
        }
    }
}

/// The other languages of a form page, as buttons that send the form and
/// show the same step in that language.
fn language_buttons(locale: &Locale, questionnaire: &Questionnaire) -> Markup {
    html! {
        @if questionnaire.languages.len() > 1 {
            nav.languages aria-label=(locale.language_choice) {
                ul {
                    @for other in questionnaire.languages.iter().filter(|other| **other != locale.code) {
                        @let other = locale::get(other);
                        li {
                            button.as-link type="submit" form=(FORM_ID) formnovalidate name=(SWITCH_LANGUAGE_FIELD)
                                value=(other.code) lang=(other.code) dir=(other.direction.as_str()) { (other.name) }
                        }
                    }
                }
            }
        }
    }
}

/// Paragraphs from a questionnaire text: a blank line starts a new paragraph.
/// Numbers are isolated and phone numbers linked as in `with_phone_links`.
fn paragraphs(locale: &Locale, text: &str) -> Markup {
    html! {
        @for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p {
                @for (n, line) in paragraph.lines().enumerate() {
                    @if n > 0 { br; }
                    (with_phone_links(locale, line))
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
/// For text inside a label or a link; running text takes `with_phone_links`.
fn isolated(locale: &Locale, text: &str) -> Markup {
    marked(locale, text, false)
}

/// `isolated`, and each phone number (`phone_number`) a `tel:` link, kept
/// left to right, so that a person in a hurry can call it with one tap.
fn with_phone_links(locale: &Locale, text: &str) -> Markup {
    marked(locale, text, true)
}

fn marked(locale: &Locale, text: &str, phone_links: bool) -> Markup {
    let rtl = locale.direction == Direction::Rtl;
    let mut pieces = Vec::new();
    let mut at = 0;
    for run in number_runs(text) {
        let number = &text[run.clone()];
        let phone = phone_links.then(|| phone_number(number)).flatten();
        if phone.is_none() && !rtl {
            continue;
        }
        pieces.push(Piece::Text(&text[at..run.start]));
        pieces.push(match phone {
            Some(digits) => Piece::Phone(number, digits),
            None => Piece::Number(number),
        });
        at = run.end;
    }
    pieces.push(Piece::Text(&text[at..]));
    html! {
        @for piece in pieces {
            @match piece {
                Piece::Text(text) => (text),
                Piece::Number(number) => bdi dir="ltr" { (number) },
                // `dir` on the link isolates it as `<bdi>` does.
                Piece::Phone(number, digits) => a.phone href={ "tel:" (digits) } dir="ltr" { (number) },
            }
        }
    }
}

enum Piece<'a> {
    Text(&'a str),
    Number(&'a str),
    Phone(&'a str, String),
}

/// The digits to dial when `number` (a run from `number_runs`) is a Swedish
/// phone number: an emergency or health number (112, 113 13, 114 14, 1177,
/// 116 006, 116 111), or a number from 0 with 7 to 10 digits written with
/// spaces and hyphens only, as `020-50 50 50`. Years, dates (`2026-12-01`),
/// ages (`18–29`) and codes are not.
fn phone_number(number: &str) -> Option<String> {
    const SERVICE_NUMBERS: [&str; 6] = ["112", "11313", "11414", "1177", "116006", "116111"];
    if !number.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-') {
        return None;
    }
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let national = digits.starts_with('0') && (7..=10).contains(&digits.len());
    (national || SERVICE_NUMBERS.contains(&digits.as_str())).then_some(digits)
}

/// `template` with `{name}` replaced by `value`, and its numbers isolated as
/// in `isolated`. On a right-to-left page `value` is a `<bdi>` of its own,
/// so a date or a name in another script keeps its order in the sentence.
fn fill(locale: &Locale, template: &str, name: &str, value: &str) -> Markup {
    let placeholder = format!("{{{name}}}");
    let Some((before, after)) = template.split_once(&placeholder) else {
        return with_phone_links(locale, template);
    };
    if locale.direction == Direction::Ltr {
        return html! { (with_phone_links(locale, before)) (value) (with_phone_links(locale, after)) };
    }
    html! { (with_phone_links(locale, before)) bdi { (value) } (with_phone_links(locale, after)) }
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

/// Under the title of a start page in a translation no translator has
/// checked: the person knows the words may be off, and nothing claims more.
fn translation_note(questionnaire: &Questionnaire, language: &str, locale: &Locale) -> Markup {
    html! {
        @if questionnaire.unreviewed_translation(language) {
            p.translation-note { (isolated(locale, &locale.unreviewed_translation)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{number_runs, phone_number, with_phone_links};
    use crate::locale;

    #[test]
    fn phone_numbers_are_told_from_years_dates_ages_and_codes() {
        let cases = [
            ("112", Some("112")),
            ("020-50 50 50", Some("020505050")),
            ("018-727 00 00", Some("0187270000")),
            ("113 13", Some("11313")),
            ("1177", Some("1177")),
            ("08-123 45", Some("0812345")),
            ("2026", None),
            ("2026-12-01", None),
            ("18–29", None),
            ("65", None),
            ("0-17", None),
            ("K7Q4M-ZX9AB", None),
            ("020-50 50 50 50 50", None),
        ];
        for (number, dialled) in cases {
            assert_eq!(phone_number(number).as_deref(), dialled, "{number}");
        }
    }

    #[test]
    fn a_phone_number_is_a_left_to_right_link_in_every_language() {
        let sv =
            with_phone_links(locale::get("sv"), "Kvinnofridslinjen, 020-50 50 50, är öppen. Ring 112.").into_string();
        assert_eq!(
            sv,
            "Kvinnofridslinjen, <a class=\"phone\" href=\"tel:020505050\" dir=\"ltr\">020-50 50 50</a>, är öppen. \
             Ring <a class=\"phone\" href=\"tel:112\" dir=\"ltr\">112</a>."
        );
        let ar = with_phone_links(locale::get("ar"), "خط المساعدة: 020-50 50 50، من 18–29").into_string();
        assert_eq!(
            ar,
            "خط المساعدة: <a class=\"phone\" href=\"tel:020505050\" dir=\"ltr\">020-50 50 50</a>، من <bdi dir=\"ltr\">18–29</bdi>"
        );
    }

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
