//! The results page for the people who answer (`publish_results`): the
//! latest closed period's number of responses, share positive per area and
//! the support lacked most, as staff see them, and what the unit does now.
//! In the respondent's layout, with its exit bar, and never a free text.

use maud::{Markup, html};

use super::info::language_link;
use super::{fill, isolated, layout, paragraphs, tab_name};
use crate::locale::{self, AreaNames, Locale};
use crate::questionnaire::{Area, OTHER, Questionnaire, Role};
use crate::report::period::Period;
use crate::report::{Figure, Overview};

/// The page of `period` in `language`; `note` is what staff wrote for it.
pub fn published_results(
    questionnaire: &Questionnaire,
    language: &str,
    period: Period,
    overview: &Overview,
    note: Option<&str>,
) -> Markup {
    let locale = locale::get(language);
    let texts = &locale.results;
    let min = questionnaire.min_report_n.to_string();
    let dates = format!(
        "{} \u{2013} {}",
        locale::long_date(locale, period.first_day()),
        locale::long_date(locale, period.last_day())
    );
    let others: Vec<&String> = questionnaire.languages.iter().filter(|other| *other != language).collect();
    let body = html! {
        @if !others.is_empty() {
            nav.languages aria-label=(locale.language_choice) {
                ul {
                    @for other in others {
                        @let other = locale::get(other);
                        li { (language_link(other, &format!("?lang={}", other.code))) }
                    }
                }
            }
        }
        h1 { (texts.title) }
        p.results-period { (fill(locale, &texts.period, "period", &dates)) }
        @match overview.responses {
            Figure::Shown(responses) => {
                p.results-responses { (fill(locale, &texts.responses, "n", &responses.to_string())) }
                (areas(locale, overview))
                (lacked(questionnaire, locale, overview))
            }
            Figure::Suppressed => p.results-too-few { (fill(locale, &texts.too_few, "min", &min)) },
        }
        @if let Some(note) = note {
            section.results-now aria-labelledby="now" {
                h2 #now { (texts.now_heading) }
                // Staff write it once, in the questionnaire's first language;
                // its direction follows its own script.
                div lang=(questionnaire.languages[0]) dir="auto" { (paragraphs(locale, note)) }
            }
        }
        p.hint { (fill(locale, &texts.protection, "min", &min)) }
        p { a href={ "/s/" (questionnaire.id) "?lang=" (language) } { (locale.back_to_survey) } }
    };
    let title = format!("{} – {}", texts.title, tab_name(questionnaire, language));
    layout(locale, &title, Some(questionnaire), body)
}

/// A share as a whole percent, written as the language writes it.
fn percent(locale: &Locale, share: f64) -> String {
    locale.results.percent.replace("{n}", &format!("{:.0}", share * 100.0))
}

fn area_name(names: &AreaNames, area: Area) -> &str {
    match area {
        Area::Tillganglighet => &names.tillganglighet,
        Area::Information => &names.information,
        Area::Bemotande => &names.bemotande,
        Area::Delaktighet => &names.delaktighet,
        Area::Forandring => &names.forandring,
        Area::Helhet => &names.helhet,
        Area::Trygghet => &names.trygghet,
    }
}

fn areas(locale: &Locale, overview: &Overview) -> Markup {
    let texts = &locale.results;
    html! {
        @if !overview.areas.is_empty() {
            table.figures.results-areas {
                caption { (texts.areas_caption) }
                thead { tr { th scope="col" { (texts.area_column) } th scope="col" { (texts.share_column) } } }
                tbody {
                    @for area in &overview.areas {
                        tr {
                            th scope="row" { (area_name(&texts.areas, area.area)) }
                            td {
                                @match area.share {
                                    Figure::Shown(share) => (isolated(locale, &percent(locale, share))),
                                    Figure::Suppressed => (texts.too_few_short),
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The supports people lacked most, named as the form named them in the
/// page's language.
fn lacked(questionnaire: &Questionnaire, locale: &Locale, overview: &Overview) -> Markup {
    let texts = &locale.results;
    // The overview ranks the first question on support people lacked.
    let choices = questionnaire
        .questions
        .iter()
        .find(|question| question.role == Some(Role::UnmetSupport))
        .map(|question| question.kind.choices())
        .unwrap_or_default();
    let label = |option_id: &str| -> String {
        match choices.iter().find(|choice| choice.id == option_id) {
            Some(choice) => choice.text.get(&locale.code).to_owned(),
            None if option_id == OTHER => texts.something_else.clone(),
            None => option_id.to_owned(),
        }
    };
    html! {
        @if !overview.lacked.is_empty() {
            section.results-lacked aria-labelledby="lacked" {
                h2 #lacked { (texts.lacked_heading) }
                p { (texts.lacked_lead) }
                ol {
                    @for lacked in &overview.lacked {
                        li { (label(&lacked.option_id)) ": " (isolated(locale, &percent(locale, lacked.share))) }
                    }
                }
            }
        }
    }
}
