//! `/staff/q/{id}/jamfor`: two ranges of closed periods compared, and every
//! closed period over time, as charts with the numbers in tables beside
//! them. The figures are `report::trend`'s; this module parses the query
//! and draws.

use axum::extract::{Path, Query, State};
use maud::{Markup, html};
use serde::Deserialize;

use super::view::{change, interval, scope_label, share, too_few};
use super::{given, previous_scope};
use crate::questionnaire::Questionnaire;
use crate::report::period::{self, Period};
use crate::report::stats::Interval;
use crate::report::trend::{self, Comparison, Measure, Share, Trend};
use crate::report::{Disclosure, Figure, Scope};
use crate::staff::UnitRole;
use crate::store::StoredVersion;
use crate::web::AppState;
use crate::web::staff::{StaffPageError, StaffUser, staff_layout};
use crate::web::views::charts::percent;
use crate::web::views::trend_charts::{Pair, Shown, line_chart, paired_bars};

/// The query of the page: ranges A and B as period ids (`2026-11`), and a
/// language and version as on the results page. Empty fields mean the
/// default: B the latest closed period, A as many periods just before it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CompareQuery {
    pub a_from: Option<String>,
    pub a_to: Option<String>,
    pub b_from: Option<String>,
    pub b_to: Option<String>,
    pub lang: Option<String>,
    pub version: Option<String>,
}

impl CompareQuery {
    /// Ranges A and B, whole closed periods that do not overlap; `None`
    /// when no range A was asked for and no closed period lies before B.
    fn ranges(
        &self,
        questionnaire: &Questionnaire,
        disclosure: &Disclosure,
    ) -> Result<Option<(Scope, Scope)>, StaffPageError> {
        let language = super::ResultsQuery { lang: self.lang.clone(), ..Default::default() }.language(questionnaire)?;
        let version = given(&self.version).map(str::to_owned);
        let range = |letter: &str, from: &Option<String>, to: &Option<String>| {
            let (from, to) = (given(from), given(to));
            if from.is_none() && to.is_none() {
                return Ok(None);
            }
            // One end given: a range of that one period.
            disclosure
                .scope(from.or(to), to.or(from), language.clone(), version.clone(), None)
                .map(Some)
                .map_err(|error| StaffPageError::BadFilter(format!("Period {letter}: {error}")))
        };
        let b = range("B", &self.b_from, &self.b_to)?.unwrap_or_else(|| {
            let last = disclosure.last_closed();
            Scope { from: last, to: last, language: language.clone(), version: version.clone(), channel: None }
        });
        let a = match range("A", &self.a_from, &self.a_to)? {
            Some(a) => a,
            None => match previous_scope(&b, disclosure) {
                Some(a) => a,
                None => return Ok(None),
            },
        };
        trend::apart(&a, &b).map_err(|error| StaffPageError::BadFilter(error.to_string()))?;
        Ok(Some((a, b)))
    }

    fn language(&self) -> Option<String> {
        given(&self.lang).map(str::to_owned)
    }
}

/// The page: the form, the comparison of A and B, and the trend.
pub(super) async fn show_comparison(
    user: StaffUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<CompareQuery>,
) -> Result<Markup, StaffPageError> {
    let questionnaire = user.questionnaire(&state, &id, UnitRole::Viewer)?;
    let disclosure = state.store.disclosure(&questionnaire, state.clock.today()).await?;
    let ranges = query.ranges(&questionnaire, &disclosure)?;
    let comparison = ranges.as_ref().map(|(a, b)| trend::comparison(&disclosure, a, b));
    let trend = trend::trend(&disclosure, query.language(), given(&query.version).map(str::to_owned));
    let versions = state.store.versions(&id).await?;
    let running = disclosure.last_closed().next();
    let page = Page {
        closed: disclosure.periods(),
        running,
        running_closes_on: period::closes_on(running, questionnaire.date_precision),
        versions,
    };
    Ok(compare_page(&user, &questionnaire, &query, &page, comparison.as_ref(), &trend))
}

/// What the form offers besides the figures.
struct Page {
    closed: Vec<Period>,
    running: Period,
    running_closes_on: time::Date,
    versions: Vec<StoredVersion>,
}

fn compare_page(
    user: &StaffUser,
    questionnaire: &Questionnaire,
    query: &CompareQuery,
    page: &Page,
    comparison: Option<&Comparison>,
    trend: &Trend,
) -> Markup {
    let language = questionnaire.language(None);
    let title = questionnaire.title.get(language);
    let body = html! {
        p.breadcrumb {
            a href="/staff" { "Enkäter" } " › "
            a href={ "/staff/q/" (questionnaire.id) } { "Resultat" }
        }
        h1 { "Jämför perioder: " (title) }
        p.intro {
            "Jämför två urval av avslutade perioder, till exempel ett år med året före, eller tiden före och efter en förändring. "
            "Utan val jämförs den senaste avslutade perioden (B) med lika många perioder närmast före (A)."
        }
        p.running {
            "Svar från " (page.running.label()) " visas inte än: bara hela perioder som har avslutats visas. "
            "Den visas från " (period::long_date(page.running_closes_on)) "."
        }
        (compare_form(questionnaire, query, page, comparison))
        @if let Some(comparison) = comparison {
            (comparison_section(comparison))
        } @else {
            p.no-comparison { "Det finns ingen avslutad period före period B att jämföra med. Välj period A i formuläret." }
        }
        (trend_section(trend))
        p.hint {
            "Intervallet visar hur säker andelen är: med 95 % säkerhet ligger den verkliga andelen inom det. "
            "En förändring sägs bara när ett statistiskt test visar den (två andelar, 5 % nivå); annars står det "
            "”ingen säker förändring” eller, med för få svar, ”för få svar för att säga”."
        }
    };
    staff_layout(Some(user), &format!("Jämför perioder: {title}"), body)
}

fn compare_form(
    questionnaire: &Questionnaire,
    query: &CompareQuery,
    page: &Page,
    comparison: Option<&Comparison>,
) -> Markup {
    let first = page.closed.first().copied();
    let last = page.closed.last().copied();
    let chosen =
        |range: Option<&Scope>| (range.map(|scope| scope.from).or(first), range.map(|scope| scope.to).or(last));
    let a = chosen(comparison.map(|comparison| &comparison.a));
    let b = chosen(comparison.map(|comparison| &comparison.b));
    html! {
        form.compare-form method="get" action={ "/staff/q/" (questionnaire.id) "/jamfor" } {
            @for (letter, prefix, (from, to)) in [("A", "a", a), ("B", "b", b)] {
                fieldset {
                    legend { "Period " (letter) }
                    (period_select(&format!("{prefix}_from"), "Från och med", &page.closed, from))
                    (period_select(&format!("{prefix}_to"), "Till och med", &page.closed, to))
                }
            }
            fieldset {
                legend { "Urval" }
                (super::view::language_and_version(questionnaire, &query.lang, &query.version, &page.versions))
            }
            button.submit type="submit" { "Jämför" }
            " "
            a href={ "/staff/q/" (questionnaire.id) "/jamfor" } { "Rensa valen" }
        }
    }
}

fn period_select(name: &str, label: &str, closed: &[Period], chosen: Option<Period>) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            select id=(name) name=(name) {
                @for period in closed {
                    option value=(period) selected[Some(*period) == chosen] { (period.label()) }
                }
            }
        }
    }
}

/// What a group's lines measure, as a heading.
fn heading(measure: Measure, question: &str) -> String {
    match measure {
        Measure::AreaPositive => "Andel positiva svar per område".to_owned(),
        Measure::QuestionPositive => "Andel positiva svar per fråga".to_owned(),
        Measure::Lacking => format!("Andel som saknade stödet: \u{201d}{question}\u{201d}"),
    }
}

/// A stable id for a group's part of the page.
fn group_id(measure: Measure, question_id: &str) -> String {
    match measure {
        Measure::AreaPositive => "areas".to_owned(),
        Measure::QuestionPositive => "questions".to_owned(),
        Measure::Lacking => format!("lacking-{question_id}"),
    }
}

/// The first column's header: what a line is.
fn line_header(measure: Measure) -> &'static str {
    match measure {
        Measure::AreaPositive => "Område",
        Measure::QuestionPositive => "Fråga",
        Measure::Lacking => "Stöd",
    }
}

/// A share for a chart, or nothing to draw when it is withheld.
fn drawn(share: &Share, text: String) -> Option<Shown> {
    let (Figure::Shown(value), Some(Interval { low, high })) = (share.share, share.interval) else { return None };
    Some(Shown { share: value, low, high, text })
}

/// "80,0 % (49,0–94,3 %), n = 10".
fn in_words(share: &Share, m: u64) -> String {
    match (share.share, share.n()) {
        (Figure::Shown(value), Some(n)) => format!("{} ({}), n = {n}", percent(value), interval(share.interval)),
        _ => too_few(m),
    }
}

/// A table in a region that scrolls on its own on a narrow screen, named
/// like its caption.
fn scrolling(caption: &str, table: Markup) -> Markup {
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(caption) { (table) }
    }
}

/// Ranges A and B side by side: per group a bar chart and a table with the
/// shares, their intervals and the change from A to B.
pub(super) fn comparison_section(comparison: &Comparison) -> Markup {
    let m = comparison.min_report_n;
    let (a, b) = (scope_label(&comparison.a), scope_label(&comparison.b));
    html! {
    section.comparison aria-labelledby="comparison" {
        h2 #comparison { "Period B jämfört med period A" }
        dl.compared-ranges {
            dt { "A" } dd.range-a { (a) ", antal svar: " (super::view::count(comparison.responses.0, m)) }
            dt { "B" } dd.range-b { (b) ", antal svar: " (super::view::count(comparison.responses.1, m)) }
        }
        @for group in &comparison.groups {
            @let heading = heading(group.measure, &group.question);
            @let caption = format!("{heading}: A ({a}) jämfört med B ({b}), med 95 % intervall");
            div.compare-group id={ "compare-" (group_id(group.measure, &group.question_id)) } {
                h3 { (heading) }
                @let pairs: Vec<Pair> = group.lines.iter().map(|line| Pair {
                    label: &line.label,
                    a: drawn(&line.a, format!("{}: {}", line.label, in_words(&line.a, m))),
                    b: drawn(&line.b, format!("{}: {}", line.label, in_words(&line.b, m))),
                }).collect();
                div.chart-and-table {
                    figure.chart {
                        (paired_bars(&format!("{heading}: A jämfört med B, stapeldiagram med 95 % intervall"), &a, &b, &pairs, &too_few(m)))
                    }
                    (scrolling(&caption, html! {
                        table.figures.compared {
                            caption { (caption) }
                            thead { tr {
                                th scope="col" { (line_header(group.measure)) }
                                th scope="col" class="num" { "Andel A" }
                                th scope="col" class="num" { "95 % intervall A" }
                                th scope="col" class="num" { "Andel B" }
                                th scope="col" class="num" { "95 % intervall B" }
                                th scope="col" { "Jämfört med A" }
                            } }
                            tbody {
                                @for line in &group.lines {
                                    tr {
                                        th scope="row" { (line.label) }
                                        td.num { (share(Some(line.a.share), m)) }
                                        td.num { (interval(line.a.interval)) }
                                        td.num { (share(Some(line.b.share), m)) }
                                        td.num { (interval(line.b.interval)) }
                                        td { (change(Some(line.change))) }
                                    }
                                }
                            }
                        }
                    }))
                }
            }
        }
    }
    }
}

/// Every closed period on its own: per line a chart over the periods and a
/// table with each period's share, interval and n.
pub(super) fn trend_section(trend: &Trend) -> Markup {
    let m = trend.min_report_n;
    let ids: Vec<String> = trend.periods.iter().map(ToString::to_string).collect();
    let span = match (trend.periods.first(), trend.periods.last()) {
        (Some(first), Some(last)) if first != last => format!("{} \u{2013} {}", first.label(), last.label()),
        (Some(first), _) => first.label(),
        _ => String::new(),
    };
    html! {
    section.trend aria-labelledby="trend" {
        h2 #trend { "Utveckling över tid" }
        p.hint {
            "Varje avslutad period för sig, " (span) ". En period med färre än " (m) " svar på en fråga visas inte, "
            "och linjen har ett uppehåll där: svaren räknas i stället ihop med andra perioder i jämförelsen ovan."
        }
        (scrolling("Antal svar per period", html! {
            table.figures.trend-responses {
                caption { "Antal svar per period" }
                thead { tr { th scope="col" { "Period" } th scope="col" class="num" { "Antal svar" } } }
                tbody {
                    @for (period, responses) in trend.periods.iter().zip(&trend.responses) {
                        tr { th scope="row" { (period.label()) } td.num { (super::view::count(*responses, m)) } }
                    }
                }
            }
        }))
        @for group in &trend.groups {
            @let heading = heading(group.measure, &group.question);
            div.trend-group id={ "trend-" (group_id(group.measure, &group.question_id)) } {
                h3 { (heading) }
                @for series in &group.series {
                    @let caption = format!("{}: {} per period, med 95 % intervall", series.label, measure_words(group.measure));
                    @let points: Vec<Option<Shown>> = trend.periods.iter().zip(&series.points)
                        .map(|(period, point)| drawn(point, format!("{}: {}", period.label(), in_words(point, m))))
                        .collect();
                    div.trend-line id={ "trend-" (group_id(group.measure, &group.question_id)) "-" (series.id) } {
                        h4 { (series.label) }
                        div.chart-and-table {
                            @if points.iter().any(Option::is_some) {
                                figure.chart {
                                    (line_chart(&format!("{}: {}, linjediagram över {}", series.label, measure_words(group.measure), span), &ids, &points))
                                }
                            } @else {
                                p.suppressed { "Inget diagram: färre än " (m) " svar i varje period, så att ingen kan pekas ut." }
                            }
                            (scrolling(&caption, html! {
                                table.figures.trend-table {
                                    caption { (caption) }
                                    thead { tr {
                                        th scope="col" { "Period" }
                                        th scope="col" class="num" { (share_header(group.measure)) }
                                        th scope="col" class="num" { "95 % intervall" }
                                        th scope="col" class="num" { "Antal (n)" }
                                    } }
                                    tbody {
                                        @for (period, point) in trend.periods.iter().zip(&series.points) {
                                            tr {
                                                th scope="row" { (period.label()) }
                                                td.num { (share(Some(point.share), m)) }
                                                td.num { (interval(point.interval)) }
                                                td.num { (point.n().map(|n| n.to_string()).unwrap_or_default()) }
                                            }
                                        }
                                    }
                                }
                            }))
                        }
                    }
                }
            }
        }
    }
    }
}

fn measure_words(measure: Measure) -> &'static str {
    match measure {
        Measure::AreaPositive | Measure::QuestionPositive => "andel positiva",
        Measure::Lacking => "andel som saknade stödet",
    }
}

fn share_header(measure: Measure) -> &'static str {
    match measure {
        Measure::AreaPositive | Measure::QuestionPositive => "Andel positiva",
        Measure::Lacking => "Andel som saknade stödet",
    }
}
