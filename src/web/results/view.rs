//! The results page: the filter, then the figures a person would rather look
//! at than read (bars), each with the numbers behind it in a table.

use maud::{Markup, html};

use super::ResultsQuery;
use crate::locale;
use crate::questionnaire::{Access, Area, Channel, Questionnaire, Role};
use crate::report::rate::PeriodRate;
use crate::report::stats::{Change, Interval};
use crate::report::{
    self, AnswerKind, Breakdown, CountAndShare, Figure, FreeText, OptionFigures, OptionKind, Overview, QuestionFigures,
    QuestionSummary, Split, Summary, SupportRanking, VersionPlan, area_id,
};
use crate::store::StoredVersion;
use crate::web::offered::rate_text;
use crate::web::staff::{StaffUser, staff_layout};
use crate::web::views::charts::{Segment, decimal, percent, share_bar, stacked_bar};

/// Everything the page shows, fetched and computed by the handler.
pub struct Results {
    pub summary: Summary,
    /// What the page answers first, compared with `previous`.
    pub overview: Overview,
    /// The response rate of the chosen periods (`docs/response-rate.md`).
    pub rate: PeriodRate,
    /// The periods just before the chosen ones, compared with them.
    pub previous: Option<report::Scope>,
    /// The response rate of `previous`.
    pub previous_rate: Option<PeriodRate>,
    pub breakdown: Option<Breakdown>,
    pub free_texts: Vec<FreeText>,
    pub versions: Vec<StoredVersion>,
    /// Versions whose answers to a question are not in its figures.
    pub kept_apart: VersionPlan,
    /// Every stored version, with what changed between them.
    pub history: Vec<crate::web::versions::VersionHistory>,
    /// The closed periods, the chosen ones, and the one still running.
    pub periods: super::Periods,
}

/// An SKR quality area as a heading: "Tillgänglighet".
pub(super) fn area_label(area: Area) -> String {
    let id = area_id(area);
    let mut chars = id.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "färre än 5 svar": what a withheld figure says.
pub(super) fn too_few(min_report_n: u64) -> String {
    format!("färre än {min_report_n} svar")
}

pub(super) fn count(figure: Figure<u64>, min_report_n: u64) -> String {
    figure.shown().map_or_else(|| too_few(min_report_n), |count| count.to_string())
}

pub(super) fn share(figure: Option<Figure<f64>>, min_report_n: u64) -> String {
    match figure {
        None => String::new(),
        Some(Figure::Shown(value)) => percent(value),
        Some(Figure::Suppressed) => too_few(min_report_n),
    }
}

pub fn results_page(
    user: &StaffUser,
    questionnaire: &Questionnaire,
    query: &ResultsQuery,
    results: &Results,
) -> Markup {
    let summary = &results.summary;
    let m = summary.min_report_n;
    let title = questionnaire.title.get(&summary.language);
    let body = html! {
        p.breadcrumb { a href="/staff" { "Enkäter" } }
        h1 { "Resultat: " (title) }
        (overview_section(&questionnaire.id, results, m))
        p.compare-link { a href={ "/staff/q/" (questionnaire.id) "/jamfor" } { "Jämför perioder och se utvecklingen över tid" } }
        (period_note(&results.periods, m))
        (filter_form(questionnaire, query, &results.versions, &results.periods))
        (export_links(user, questionnaire, query))
        (super::report::report_link(questionnaire, query))
        p.print-links {
            "Enkäten som papperformulär att skriva ut: "
            @for (n, language) in questionnaire.languages.iter().enumerate() {
                @if n > 0 { ", " }
                a href={ "/staff/q/" (questionnaire.id) "/print?lang=" (language) } { (locale::get(language).name) }
            }
        }
        @if questionnaire.access == Access::Code
            && user.grants.check(&questionnaire.unit, crate::staff::UnitRole::Coordinator).is_ok()
        {
            p.codes-link { a href={ "/staff/q/" (questionnaire.id) "/codes" } { "Engångskoder: skapa, skriv ut och återkalla" } }
        }
        (version_history(results))
        (versions_kept_apart(questionnaire, results))
        (areas_section(summary))
        (satisfaction_section(summary))
        (practical_support(summary, &results.free_texts))
        @if let Some(breakdown) = &results.breakdown {
            (breakdown_section(breakdown, query))
        }
        (other_questions_section(summary))
        (free_texts_section(summary, &results.free_texts))
    };
    staff_layout(Some(user), &format!("Resultat: {title}"), body)
}

/// "oktober 2026" or "oktober 2026 – december 2026".
pub(super) fn scope_label(scope: &report::Scope) -> String {
    if scope.from == scope.to {
        scope.from.label()
    } else {
        format!("{} \u{2013} {}", scope.from.label(), scope.to.label())
    }
}

/// An interval as "39–78 %".
pub(super) fn interval(interval: Option<Interval>) -> String {
    interval.map_or_else(String::new, |interval| {
        format!("{}\u{2013}{}", percent(interval.low).trim_end_matches(" %"), percent(interval.high))
    })
}

/// A change in words, marked for its direction.
pub(super) fn change(change: Option<Change>) -> Markup {
    html! {
        @if let Some(change) = change {
            @let class = match change { Change::Rose => "change rose", Change::Fell => "change fell", _ => "change none" };
            span class=(class) { (change.words()) }
        }
    }
}

/// The top of the page: how many answered, the share positive per area and
/// the support people lacked most, each with its interval and its change
/// since the periods before (`docs/statistics.md`).
pub(super) fn overview_section(questionnaire_id: &str, results: &Results, m: u64) -> Markup {
    let overview: &Overview = &results.overview;
    let compared = results.previous.as_ref().map(scope_label);
    html! {
    section.overview aria-labelledby="overview" {
        h2 #overview { "Sammanfattning: " (scope_label(&results.periods.scope)) }
        p.response-count {
            "Antal svar: " strong { (count(overview.responses, m)) }
            @if let (Some(compared), Some(previous)) = (&compared, overview.previous_responses) {
                " (" (compared) ": " (count(previous, m)) ")"
            }
        }
        p.response-rate {
            "Svarsfrekvens: " strong { (rate_text(&results.rate)) }
            @if let (Some(compared), Some(previous)) = (&compared, &results.previous_rate) {
                " (" (compared) ": " (rate_text(previous)) ")"
            }
            span.rate-link.no-print { " " a href={ "/staff/q/" (questionnaire_id) "/erbjudna" } { "Så räknas svarsfrekvensen" } }
        }
        @if let Some(question) = &overview.lacked_question {
            h3 { "Det praktiska stöd som saknades mest" }
            @if overview.lacked.is_empty() {
                p { "”" (question) "”: inga siffror visas, " (too_few(m)) "." }
            } @else {
                div.table-scroll role="region" tabindex="0" aria-label=("Det praktiska stöd som saknades mest") {
                    table.figures.overview-lacked {
                        caption { "”" (question) "”: de tre vanligaste svaren, av dem som svarade på frågan" }
                        thead { tr {
                            th scope="col" { "Stöd som saknades" }
                            th scope="col" class="num" { "Antal" }
                            th scope="col" class="num" { "Andel" }
                            th scope="col" class="num" { "95 % intervall" }
                            @if let Some(compared) = &compared { th scope="col" { "Jämfört med " (compared) } }
                        } }
                        tbody {
                            @for lacked in &overview.lacked {
                                tr {
                                    th scope="row" { (lacked.label) }
                                    td.num { (lacked.count) }
                                    td.num { (percent(lacked.share)) }
                                    td.num { (interval(lacked.interval)) }
                                    @if compared.is_some() { td { (change(lacked.change)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !overview.areas.is_empty() {
            div.table-scroll role="region" tabindex="0" aria-label=("Andel positiva svar per område") {
                table.figures.overview-areas {
                    caption { "Andel positiva svar per område, med 95 % konfidensintervall" }
                    thead { tr {
                        th scope="col" { "Område" }
                        th scope="col" class="num" { "Andel positiva" }
                        th scope="col" class="num" { "95 % intervall" }
                        @if let Some(compared) = &compared { th scope="col" { "Jämfört med " (compared) } }
                    } }
                    tbody {
                        @for area in &overview.areas {
                            tr {
                                th scope="row" { (area_label(area.area)) }
                                td.num { (share(Some(area.share), m)) }
                                td.num { (interval(area.interval)) }
                                @if compared.is_some() { td { (change(area.change)) } }
                            }
                        }
                    }
                }
            }
        }
        p.hint {
            "Intervallet visar hur säker andelen är: med 95 % säkerhet ligger den verkliga andelen inom det. "
            "En förändring sägs bara när ett statistiskt test visar den; annars står det ”ingen säker förändring” eller, med för få svar, ”för få svar för att säga”."
        }
    }
    }
}

/// The versions the questionnaire has had, folded away, once it has changed.
fn version_history(results: &Results) -> Markup {
    html! {
    @if results.history.len() > 1 {
        details.version-history {
            summary { "Enkäten har ändrats: " (results.history.len()) " versioner" }
            (crate::web::versions::versions_table(&results.history))
        }
    }
    }
}

/// Which questions' answers from older versions are left out of the figures, and why.
fn versions_kept_apart(questionnaire: &Questionnaire, results: &Results) -> Markup {
    let summary = &results.summary;
    html! {
    @if !results.kept_apart.is_uniform() {
        section.versions-apart aria-labelledby="versions-apart" {
            h2 #versions-apart { "Svar från äldre versioner räknas separat" }
            p { "Några frågor har ändrats så att svaren inte kan räknas ihop (andra svarsalternativ, en annan typ av fråga eller andra positiva svar). Siffrorna nedan gäller bara versionerna där frågan ställdes som nu. Välj en version i filtret för att se dess svar." }
            ul {
                @for (question, versions) in results.kept_apart.apart() {
                    li {
                        @let text = questionnaire.question(question).map_or(question.as_str(), |q| q.text.get(&summary.language));
                        "”" (text) "”: svaren från version "
                        @for (n, version) in versions.iter().enumerate() {
                            @if n > 0 { ", " }
                            code { (version) }
                        }
                        " räknas inte med."
                    }
                }
            }
        }
    }
    }
}

/// Share of positive answers per SKR quality area.
pub(super) fn areas_section(summary: &Summary) -> Markup {
    let m = summary.min_report_n;
    html! {
    @if !summary.areas.is_empty() {
        section aria-labelledby="areas" {
            h2 #areas { "Kvalitetsområden" }
            p.hint { "Andel positiva svar: de två mest positiva svarsstegen, av alla svar utom \u{201d}vet inte\u{201d}." }
            div.table-scroll role="region" tabindex="0" aria-label=("Kvalitetsområden") {
                table.figures {
                    thead { tr { th scope="col" { "Område" } th scope="col" { "Andel positiva" } th scope="col" { "Antal svar (n)" } } }
                    tbody {
                        @for line in &summary.areas {
                            tr {
                                th scope="row" { (area_label(line.area)) }
                                td.num {
                                    (share(Some(line.share_positive), m))
                                    @if let Figure::Shown(value) = line.share_positive {
                                        (share_bar(&format!("{}: {} positiva", area_label(line.area), percent(value)), value))
                                    }
                                }
                                td.num { (count(line.n, m)) }
                            }
                        }
                    }
                }
            }
        }
    }
    }
}

/// Each satisfaction question's answers, step by step.
pub(super) fn satisfaction_section(summary: &Summary) -> Markup {
    let m = summary.min_report_n;
    let satisfaction: Vec<&QuestionSummary> =
        summary.questions.iter().filter(|question| question.role == Some(Role::Satisfaction)).collect();
    html! {
    @if !satisfaction.is_empty() {
        section aria-labelledby="satisfaction" {
            h2 #satisfaction { "Nöjdhet, fråga för fråga" }
            @for question in &satisfaction {
                (satisfaction_question(question, m))
            }
        }
    }
    }
}

/// The background and other choice questions.
pub(super) fn other_questions_section(summary: &Summary) -> Markup {
    let m = summary.min_report_n;
    let others: Vec<&QuestionSummary> = summary
        .questions
        .iter()
        .filter(|question| matches!(question.role, None | Some(Role::Background)) && question.kind != AnswerKind::Text)
        .collect();
    html! {
    @if !others.is_empty() {
        section aria-labelledby="other-questions" {
            h2 #other-questions { "Övriga frågor" }
            @for question in &others {
                (choice_question(question, m))
            }
        }
    }
    }
}

/// Which periods the figures cover, and why the latest answers are not
/// among them, in plain Swedish.
pub(super) fn period_note(periods: &super::Periods, m: u64) -> Markup {
    let scope = &periods.scope;
    let covered = if scope.from == scope.to {
        scope.from.label()
    } else {
        format!("{} till och med {}", scope.from.label(), scope.to.label())
    };
    html! {
        div.period-note {
            p.covered { "Siffrorna gäller svar från " strong { (covered) } "." }
            p.running {
                "Svar från " (periods.running.label()) " visas inte än: resultat visas bara för hela perioder som har avslutats, så att ingen kan se när ett enskilt svar kom in genom att jämföra siffror från olika dagar. "
                (periods.running.label()) " visas från " (report::period::long_date(periods.running_closes_on)) "."
            }
            p.hint {
                "Svar från en period eller ett språk med färre än " (m) " svar på en fråga räknas ihop med andra sådana svar (kvartalet, halvåret eller året) och visas när den längre perioden har avslutats."
            }
        }
    }
}

fn filter_form(
    questionnaire: &Questionnaire,
    query: &ResultsQuery,
    versions: &[StoredVersion],
    periods: &super::Periods,
) -> Markup {
    let selected = |field: &Option<String>, option: &str| field.as_deref() == Some(option);
    let backgrounds: Vec<_> =
        questionnaire.questions.iter().filter(|question| question.role == Some(Role::Background)).collect();
    let targets: Vec<_> = questionnaire
        .questions
        .iter()
        .filter(|question| matches!(question.role, Some(Role::Satisfaction | Role::UnmetSupport)))
        .collect();
    let language = questionnaire.language(None);
    html! {
        form.results-filter method="get" action={ "/staff/q/" (questionnaire.id) } {
            fieldset {
                legend { "Urval" }
                div.field {
                    label for="from" { "Från och med" }
                    select #from name="from" {
                        @for period in &periods.closed {
                            option value=(period) selected[*period == periods.scope.from] { (period.label()) }
                        }
                    }
                }
                div.field {
                    label for="to" { "Till och med" }
                    select #to name="to" {
                        @for period in periods.closed.iter().rev() {
                            option value=(period) selected[*period == periods.scope.to] { (period.label()) }
                        }
                    }
                }
                (language_and_version(questionnaire, &query.lang, &query.version, versions))
                div.field {
                    label for="channel" { "Kanal" }
                    select #channel name="channel" {
                        option value="" { "Webb och papper" }
                        @for channel in Channel::ALL {
                            option value=(channel.as_str()) selected[selected(&query.channel, channel.as_str())] { (channel.label()) }
                        }
                    }
                }
            }
            fieldset {
                legend { "Dela upp" }
                div.field {
                    label for="by" { "Dela upp efter" }
                    select #by name="by" {
                        option value="" { "Ingen uppdelning" }
                        option value="language" selected[selected(&query.by, "language")] { "Språk" }
                        option value="channel" selected[selected(&query.by, "channel")] { "Kanal (webb eller papper)" }
                        @for question in &backgrounds {
                            option value=(question.id) selected[selected(&query.by, &question.id)] { (question.text.get(language)) }
                        }
                    }
                }
                div.field {
                    label for="target" { "Fråga att dela upp" }
                    select #target name="target" {
                        @for question in &targets {
                            option value=(question.id) selected[selected(&query.target, &question.id)] { (question.text.get(language)) }
                        }
                    }
                }
            }
            button.submit type="submit" { "Visa" }
            " "
            a href={ "/staff/q/" (questionnaire.id) } { "Rensa urvalet" }
        }
    }
}

/// The language and version fields of a filter (the results page's and
/// the comparison's).
pub(super) fn language_and_version(
    questionnaire: &Questionnaire,
    lang: &Option<String>,
    version: &Option<String>,
    versions: &[StoredVersion],
) -> Markup {
    let selected = |field: &Option<String>, option: &str| field.as_deref().map(str::trim) == Some(option);
    html! {
        div.field {
            label for="lang" { "Språk" }
            select #lang name="lang" {
                option value="" { "Alla språk" }
                @for code in &questionnaire.languages {
                    // The code too: staff may not read the language's own script.
                    option value=(code) selected[selected(lang, code)] { (code) " – " (locale::get(code).name) }
                }
            }
        }
        div.field {
            label for="version" { "Version av enkäten" }
            select #version name="version" {
                option value="" { "Alla versioner" }
                @for stored in versions {
                    option value=(stored.version) selected[selected(version, &stored.version)] {
                        (stored.version) " (från " (stored.first_seen) ")"
                    }
                }
            }
        }
    }
}

/// The link to a CSV file in the `excel-sv` dialect.
const EXCEL_SV: &str = "CSV för Excel/LibreOffice på svenska (semikolon, decimalkomma)";
/// The link to a CSV file in the `standard` dialect.
const STANDARD: &str = "CSV för program och skript (komma, decimalpunkt)";

fn export_links(user: &StaffUser, questionnaire: &Questionnaire, query: &ResultsQuery) -> Markup {
    let base = format!("/staff/q/{}/export", questionnaire.id);
    let filter = ResultsQuery { by: None, target: None, ..query.clone() }.to_query_string();
    let with = |file: &str, extra: &str| {
        let parts: Vec<&str> = [filter.as_str(), extra].into_iter().filter(|part| !part.is_empty()).collect();
        if parts.is_empty() { format!("{base}/{file}") } else { format!("{base}/{file}?{}", parts.join("&")) }
    };
    html! {
        section.exports aria-labelledby="exports" {
            h2 #exports { "Ladda ner" }
            p.hint { "Med samma urval som sidan. Siffror från färre än " (questionnaire.min_report_n) " svar är borttagna." }
            p.hint {
                "Till Excel eller LibreOffice med svenska inställningar: xlsx eller CSV på svenska. CSV för program "
                "och skript har decimalpunkt, och ett svenskt kalkylblad läser då decimalerna som text."
            }
            ul {
                li { "Sammanfattning: "
                    a href=(with("summary.xlsx", "")) { "Excel (xlsx)" } ", "
                    a href=(with("summary.csv", "dialect=excel-sv")) { (EXCEL_SV) } ", "
                    a href=(with("summary.csv", "")) { (STANDARD) }
                }
                @if user.grants.role_in(&questionnaire.unit) == Some(crate::staff::UnitRole::Admin) {
                    li { "Enskilda svar från avslutade perioder, små grupper skyddade (bara administratörer): "
                        a href=(with("responses.xlsx", "")) { "Excel (xlsx)" } ", "
                        a href=(with("responses.csv", "dialect=excel-sv")) { (EXCEL_SV) } ", "
                        a href=(with("responses.csv", "")) { (STANDARD) } ", "
                        a href=(with("responses-notes.txt", "")) { "om filen" }
                    }
                    li { "Fritextsvar per period, i slumpvis ordning (bara administratörer): "
                        a href=(with("texts.csv", "dialect=excel-sv")) { (EXCEL_SV) } ", "
                        a href=(with("texts.csv", "")) { (STANDARD) }
                    }
                }
            }
        }
    }
}

/// The steps of a scale (without "don't know") as bar segments.
fn steps(figures: &QuestionFigures) -> Vec<Segment<'_>> {
    figures
        .options
        .iter()
        .filter(|option| matches!(option.kind, OptionKind::Step { .. }))
        .map(|option| Segment { label: &option.label, share: option.share.and_then(Figure::shown).unwrap_or(0.0) })
        .collect()
}

fn satisfaction_question(question: &QuestionSummary, m: u64) -> Markup {
    let figures = &question.figures;
    html! {
        div.result-question id={ "result-" (question.id) } {
            h3 { (question.text) }
            @if let Some(area) = question.area { p.area { "Område: " (area_label(area)) } }
            @if figures.suppressed.is_some() {
                p.suppressed { "Färre än " (m) " svar: siffrorna visas inte, så att ingen kan pekas ut." }
            } @else {
                (stacked_bar(&format!("Fördelning av svaren på: {}", question.text), &steps(figures)))
            }
            (options_table(question, m))
            dl.key-figures {
                dt { "Antal svar (n)" } dd { (count(figures.n, m)) }
                dt { "Andel positiva" } dd { (share(figures.share_positive, m)) }
                dt { "Medelvärde (högst = mest positivt)" } dd {
                    @match figures.mean {
                        Some(Figure::Shown(mean)) => (decimal(mean)),
                        Some(Figure::Suppressed) => (too_few(m)),
                        None => "",
                    }
                }
                @if let Some(dont_know) = figures.dont_know {
                    dt { "Vet inte / ej aktuellt" } dd { (count(dont_know, m)) }
                }
            }
        }
    }
}

fn options_table(question: &QuestionSummary, m: u64) -> Markup {
    let share_header = if question.kind == AnswerKind::Multi { "Andel av dem som svarat" } else { "Andel" };
    html! {
        div.table-scroll role="region" tabindex="0" aria-label=(question.text) {
            table.figures {
                caption.visually-hidden { (question.text) }
                thead { tr { th scope="col" { "Svar" } th scope="col" { "Antal" } th scope="col" { (share_header) } } }
                tbody {
                    @for option in &question.figures.options {
                        (option_row(option, m))
                    }
                }
            }
        }
    }
}

fn option_row(option: &OptionFigures, m: u64) -> Markup {
    html! {
        tr {
            th scope="row" { (option.label) }
            td.num { (count(option.count, m)) }
            td.num { (share(option.share, m)) }
        }
    }
}

fn choice_question(question: &QuestionSummary, m: u64) -> Markup {
    html! {
        div.result-question id={ "result-" (question.id) } {
            h3 { (question.text) }
            @if question.figures.suppressed.is_some() {
                p.suppressed { "Färre än " (m) " svar: siffrorna visas inte, så att ingen kan pekas ut." }
            }
            (options_table(question, m))
            p { "Antal som svarat: " (count(question.figures.respondents, m)) }
        }
    }
}

/// Unmet and received practical support: what people lacked, most missed
/// first, and received beside missed for each kind of support.
pub(super) fn practical_support(summary: &Summary, free_texts: &[FreeText]) -> Markup {
    let m = summary.min_report_n;
    let support = report::practical_support(summary);
    let sections = [
        ("unmet", "Praktiskt stöd som saknades", &support.unmet),
        ("received", "Praktiskt stöd som gavs", &support.received),
    ];
    html! {
        @for (id, heading, rankings) in sections {
            @if !rankings.is_empty() {
                section aria-labelledby={ "support-" (id) } {
                    h2 id={ "support-" (id) } { (heading) }
                    @for ranking in rankings {
                        (support_ranking(ranking, m))
                        @let written: Vec<&FreeText> = free_texts.iter().filter(|text| text.question_id == ranking.question_id).collect();
                        @if !written.is_empty() {
                            h4 { "Vad som skrevs under \u{201d}Annat\u{201d}" }
                            ul.free-texts {
                                @for text in written {
                                    li { span.date { (text.period) } " " bdi { (text.text) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(comparison) = &support.comparison {
            section aria-labelledby="support-comparison" {
                h2 #support-comparison { "Fick och saknade, stöd för stöd" }
                div.table-scroll role="region" tabindex="0" aria-label=("Fick och saknade, stöd för stöd") {
                    table.figures.comparison {
                        thead { tr {
                            th scope="col" { "Stöd" }
                            th scope="col" { "Fick" }
                            th scope="col" { "Saknade" }
                        } }
                        tbody {
                            @for pair in &comparison.rows {
                                tr {
                                    th scope="row" { (pair.label) }
                                    td.num { (count_and_share(pair.received, m)) }
                                    td.num { (count_and_share(pair.missed, m)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn count_and_share(figures: CountAndShare, m: u64) -> Markup {
    html! {
        (count(figures.count, m))
        @if let Figure::Shown(value) = figures.share {
            " (" (percent(value)) ")"
            (share_bar(&percent(value), value))
        }
    }
}

fn support_ranking(ranking: &SupportRanking, m: u64) -> Markup {
    html! {
        div.result-question id={ "result-" (ranking.question_id) } {
            h3 { (ranking.text) }
            @if ranking.suppressed.is_some() {
                p.suppressed { "Färre än " (m) " svar: siffrorna visas inte, så att ingen kan pekas ut." }
            }
            div.table-scroll role="region" tabindex="0" aria-label=(ranking.text) {
                table.figures.ranking {
                    caption.visually-hidden { (ranking.text) ", flest först" }
                    thead { tr { th scope="col" { "Stöd" } th scope="col" { "Antal" } th scope="col" { "Andel av dem som svarat" } } }
                    tbody {
                        @for line in ranking.ranked.iter().chain(&ranking.exclusive) {
                            tr {
                                th scope="row" { (line.label) }
                                td.num { (count(line.count, m)) }
                                td.num {
                                    (share(Some(line.share), m))
                                    @if let Figure::Shown(value) = line.share {
                                        (share_bar(&format!("{}: {}", line.label, percent(value)), value))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p { "Antal som svarat på frågan: " (count(ranking.respondents, m)) }
        }
    }
}

fn breakdown_section(breakdown: &Breakdown, query: &ResultsQuery) -> Markup {
    let m = breakdown.min_report_n;
    let split_name = match &breakdown.split {
        Split::Language => "språk".to_owned(),
        Split::Channel => "kanal (webb eller papper)".to_owned(),
        Split::Question(id) => format!("svaren på \u{201d}{id}\u{201d}"),
    };
    let target = query.target.as_deref().and_then(|id| breakdown.target(id)).or_else(|| breakdown.targets.first());
    html! {
        section aria-labelledby="breakdown" {
            h2 #breakdown { "Uppdelat efter " (split_name) }
            @if let Some(target) = target {
                h3 { (target.text) }
                div.table-scroll role="region" tabindex="0" aria-label=(target.text) {
                    table.figures.breakdown {
                        caption.visually-hidden { (target.text) ", uppdelat efter " (split_name) }
                        thead {
                            tr {
                                th scope="col" { "Grupp" }
                                th scope="col" { "Antal svar (n)" }
                                @if target.role == Some(Role::Satisfaction) {
                                    th scope="col" { "Andel positiva" }
                                    th scope="col" { "Medelvärde" }
                                } @else {
                                    @for option in target.rows.first().map(|row| row.figures.options.as_slice()).unwrap_or_default() {
                                        th scope="col" { (option.label) }
                                    }
                                }
                            }
                        }
                        tbody {
                            @for row in &target.rows {
                                (breakdown_row(&row.group.label, &row.figures, target.role, m))
                            }
                            @if let Some(total) = &target.total {
                                (breakdown_row("Alla", total, target.role, m))
                            }
                        }
                    }
                }
            } @else {
                p { "Det finns ingen fråga att dela upp." }
            }
        }
    }
}

fn breakdown_row(label: &str, figures: &QuestionFigures, role: Option<Role>, m: u64) -> Markup {
    html! {
        tr {
            th scope="row" { (label) }
            td.num { (count(figures.n, m)) }
            @if role == Some(Role::Satisfaction) {
                td.num {
                    (share(figures.share_positive, m))
                    @if let Some(Figure::Shown(value)) = figures.share_positive {
                        (share_bar(&format!("{label}: {} positiva", percent(value)), value))
                    }
                }
                td.num { @match figures.mean { Some(Figure::Shown(mean)) => (decimal(mean)), Some(Figure::Suppressed) => (too_few(m)), None => "" } }
            } @else {
                @for option in &figures.options {
                    td.num { (count(option.count, m)) " (" (share(option.share, m)) ")" }
                }
            }
        }
    }
}

/// Free texts, for staff only: grouped by question, each with its period
/// (never a day), in the order of the texts themselves.
pub(super) fn free_texts_section(summary: &Summary, texts: &[FreeText]) -> Markup {
    html! {
        section aria-labelledby="free-texts" {
            h2 #free-texts { "Fritextsvar" }
            p.hint { "Fritextsvar visas med perioden de skrevs i, bara där minst " (summary.min_report_n) " personer skrev ett svar på samma fråga, och i bokstavsordning, så att ett svar inte kan kopplas till en viss person eller till personens andra svar." }
            @if texts.is_empty() {
                p { "Inga fritextsvar i urvalet." }
            }
            @for question in &summary.questions {
                @let answers: Vec<&FreeText> = texts.iter().filter(|text| text.question_id == question.id).collect();
                @if !answers.is_empty() {
                    h3 { (question.text) }
                    ul.free-texts {
                        @for answer in answers {
                            li { span.date { (answer.period) } " " bdi { (answer.text) } }
                        }
                    }
                }
            }
        }
    }
}
