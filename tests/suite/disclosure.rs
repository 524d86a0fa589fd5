//! The adversary: a curious member of staff who combines every query the
//! service allows. Responses are stored over a year in three languages and
//! two versions, with a small group planted (two Arabic-speaking men over
//! 65 in November); then every allowed summary is downloaded (every pair of
//! closed periods, every language, every version, or none), at two moments,
//! before and after new responses arrive, as admin, as staff and by token,
//! and every breakdown by age is read off the results page.
//!
//! What staff can see of who is counted is a count. So for each question
//! the test asks: whenever one allowed figure covers another (a wider
//! scope, a later moment, a sum of disjoint scopes), does the difference
//! rest on 0 or at least `min_report_n` answers? A difference of 1 to 4
//! would single out a few people's answers.

use std::collections::BTreeMap;

use crate::common::{Backend, PASSWORD, TestApp};
use axum::http::StatusCode;
use enkat::clock::Clock;
use enkat::questionnaire::{Answer, Channel, Questionnaire, ReportPeriod, parse};
use enkat::report::period::Period;
use enkat::store::NewResponse;
use time::Date;

on_both_databases!(
    no_allowed_combination_of_figures_singles_out_fewer_than_five_people,
    a_purge_never_leaves_a_figure_that_differs_from_an_earlier_one_by_a_few_answers,
    a_thin_paper_channel_is_protected_like_a_small_language,
);

const N: i64 = 5;
const LANGUAGES: [&str; 3] = ["sv", "en", "ar"];
const AGES: [&str; 4] = ["age_18_29", "age_30_44", "age_45_64", "no_answer"];
const SUPPORT: [&str; 4] = ["move", "belongings", "household", "authorities"];
const QUESTIONS: [&str; 4] = ["overall", "missing_support", "age", "gender"];

/// A deterministic generator: the same responses on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap() % n
    }
}

fn answer(question: &str, option: &str) -> Answer {
    Answer { question_id: question.into(), option_id: Some(option.into()), text: None }
}

fn at(instant: &str) -> Clock {
    Clock::fixed(instant.parse().unwrap(), "Europe/Stockholm").unwrap()
}

fn month(id: &str) -> Period {
    Period::parse(ReportPeriod::Month, id).unwrap()
}

/// One response, stored as the form would store it on `day`.
async fn store(app: &TestApp, questionnaire: &Questionnaire, day: Date, language: &str, answers: &[Answer]) {
    store_by(app, questionnaire, day, language, Channel::Web, answers).await;
}

/// One response that came in by `channel`.
async fn store_by(
    app: &TestApp,
    questionnaire: &Questionnaire,
    day: Date,
    language: &str,
    channel: Channel,
    answers: &[Answer],
) {
    let submitted_on = questionnaire.date_precision.coarsen(day);
    let response = NewResponse { questionnaire, language, submitted_on, answers, submission: None, channel };
    app.store.insert_response(&response).await.unwrap();
}

/// A year of responses: mostly Swedish, some English, few Arabic, to the
/// version served now and to an older one, some months busy and some thin.
async fn a_year_of_responses(app: &TestApp, old: &Questionnaire) {
    let served = app.catalog.get("nexus").unwrap().clone();
    let mut random = Lcg(14);
    let mut period = month("2026-01");
    for busy in [9, 2, 3, 12, 1, 0, 6, 2, 8, 4, 7, 10] {
        for _ in 0..busy {
            let language = LANGUAGES[[0, 0, 0, 0, 0, 0, 1, 1, 2, 0][random.below(10)]];
            let mut answers =
                vec![answer("overall", ["very_satisfied", "fairly_satisfied", "dont_know"][random.below(3)])];
            for support in SUPPORT {
                if random.below(3) == 0 {
                    answers.push(answer("missing_support", support));
                }
            }
            if random.below(4) > 0 {
                answers.push(answer("age", AGES[random.below(AGES.len())]));
            }
            answers.push(answer("gender", ["woman", "man"][random.below(2)]));
            let version = if random.below(3) == 0 { old } else { &served };
            let day = period.first_day() + time::Duration::days(i64::try_from(random.below(28)).unwrap());
            store(app, version, day, language, &answers).await;
        }
        period = period.next();
    }
    // The planted group: two Arabic-speaking men over 65, in November.
    for _ in 0..2 {
        let answers = [answer("overall", "very_dissatisfied"), answer("age", "age_65_plus"), answer("gender", "man")];
        store(app, &served, month("2026-11").first_day() + time::Duration::days(10), "ar", &answers).await;
    }
}

/// A scope as the query string of a summary download.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Scope {
    from: Period,
    to: Period,
    language: Option<&'static str>,
    version: Option<String>,
}

impl Scope {
    fn query(&self) -> String {
        let mut query = format!("from={}&to={}", self.from, self.to);
        if let Some(language) = self.language {
            query.push_str(&format!("&lang={language}"));
        }
        if let Some(version) = &self.version {
            query.push_str(&format!("&version={version}"));
        }
        query
    }

    /// Whether every response this scope selects, `wider` selects too.
    fn within(&self, wider: &Scope) -> bool {
        wider.from <= self.from
            && self.to <= wider.to
            && (wider.language.is_none() || wider.language == self.language)
            && (wider.version.is_none() || wider.version == self.version)
    }
}

/// How many answered each question, as the summary CSV shows it: `None`
/// where the figures are withheld.
fn answered(csv: &str) -> BTreeMap<String, Option<i64>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|column| column == name).unwrap();
    let (question, n, dont_know, suppressed) =
        (column("question_id"), column("n"), column("dont_know"), column("suppressed"));
    let mut answered = BTreeMap::new();
    for row in reader.records().map(Result::unwrap) {
        if !QUESTIONS.contains(&&row[question]) {
            continue;
        }
        let figure = if &row[suppressed] == "true" {
            None
        } else {
            let n: i64 = row[n].parse().unwrap_or(0);
            Some(n + row[dont_know].parse::<i64>().unwrap_or(0))
        };
        answered.insert(row[question].to_owned(), figure);
    }
    answered
}

#[track_caller]
fn assert_safe(difference: i64, what: &dyn Fn() -> String) {
    assert!(difference == 0 || difference >= N, "{} differ by {difference} answers", what());
}

async fn no_allowed_combination_of_figures_singles_out_fewer_than_five_people(backend: Backend) {
    // Mid-December: November has closed (its last week ended on 6 December).
    let december = TestApp::with_clock(backend, "questionnaires", at("2026-12-20T12:00:00Z")).await;
    let served = december.catalog.get("nexus").unwrap().clone();
    let old_source = served.source.replace("Hur nöjd eller missnöjd är du sammantaget", "Hur nöjd är du sammantaget");
    let old = parse(std::path::Path::new("nexus.toml"), &old_source).unwrap();
    december.store.register_version(&old, month("2026-01").first_day()).await.unwrap();
    a_year_of_responses(&december, &old).await;
    let versions = [served.version.as_str().to_owned(), old.version.as_str().to_owned()];

    // Mid-January: December, the fourth quarter, the second half and 2026 have closed.
    let january = december.later(26).await;
    let mut figures: Vec<(String, Scope, BTreeMap<String, Option<i64>>)> = Vec::new();
    for (moment, app, last) in [("december", &december, month("2026-11")), ("january", &january, month("2026-12"))] {
        app.add_staff(&format!("admin-{moment}"), PASSWORD, true).await;
        let admin = app.login(&format!("admin-{moment}"), PASSWORD).await;
        let closed: Vec<Period> =
            std::iter::successors(Some(month("2026-01")), |p| Some(p.next())).take_while(|p| *p <= last).collect();
        for (i, &from) in closed.iter().enumerate() {
            for &to in &closed[i..] {
                for language in std::iter::once(None).chain(LANGUAGES.map(Some)) {
                    for version in std::iter::once(None).chain(versions.iter().cloned().map(Some)) {
                        let scope = Scope { from, to, language, version };
                        let download =
                            app.get_as(&admin, &format!("/staff/q/nexus/export/summary.csv?{}", scope.query())).await;
                        assert_eq!(download.status, StatusCode::OK, "{scope:?}");
                        figures.push((moment.to_owned(), scope, answered(&download.body)));
                    }
                }
            }
        }
        // The running month is never shown.
        let running = last.next();
        let refused = app.get_as(&admin, &format!("/staff/q/nexus/export/summary.csv?to={running}")).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{running} is still running");
    }

    // New responses in the running month change nothing staff can see.
    january.add_staff("kim", PASSWORD, false).await;
    let staff = january.login("kim", PASSWORD).await;
    let all = || january.get_as(&staff, "/staff/q/nexus/export/summary.csv");
    let before = all().await.body;
    for _ in 0..3 {
        let answers = [answer("overall", "very_satisfied"), answer("age", "age_65_plus")];
        store(&january, &served, january.today(), "ar", &answers).await;
    }
    assert_eq!(all().await.body, before, "a response in the running month changes no figure");
    // Every account, and a script with a token, gets the same figures.
    let token = january.add_token("kim", "statistik").await;
    assert_eq!(january.get_with_token(&token, "/staff/q/nexus/export/summary.csv").await.body, before);

    let mut checked = 0;
    for question in QUESTIONS {
        let value = |figures: &BTreeMap<String, Option<i64>>| figures.get(question).copied().flatten();
        // A wider scope minus a narrower one, at the same or a later moment.
        for (moment_a, a, figures_a) in &figures {
            let Some(narrow) = value(figures_a) else { continue };
            for (moment_b, b, figures_b) in &figures {
                let later_or_same = moment_a == moment_b || moment_b == "january";
                if !later_or_same || !a.within(b) {
                    continue;
                }
                let Some(wide) = value(figures_b) else { continue };
                assert!(wide >= narrow, "{question}: {b:?} at {moment_b} counts fewer than {a:?} at {moment_a}");
                assert_safe(wide - narrow, &|| format!("{question}: {b:?} at {moment_b} and {a:?} at {moment_a}"));
                checked += 1;
            }
        }
        // A scope minus any of its parts by language, or by period.
        let lookup: BTreeMap<(&str, &Scope), Option<i64>> =
            figures.iter().map(|(moment, scope, figures)| ((moment.as_str(), scope), value(figures))).collect();
        for (moment, whole, figures_whole) in &figures {
            let Some(total) = value(figures_whole) else { continue };
            let mut partitions: Vec<Vec<Scope>> = Vec::new();
            if whole.language.is_none() {
                partitions.push(LANGUAGES.iter().map(|&l| Scope { language: Some(l), ..whole.clone() }).collect());
            }
            let mut split = whole.from;
            while split < whole.to {
                partitions
                    .push(vec![Scope { to: split, ..whole.clone() }, Scope { from: split.next(), ..whole.clone() }]);
                split = split.next();
            }
            for parts in partitions {
                let values: Vec<Option<i64>> =
                    parts.iter().map(|part| lookup.get(&(moment.as_str(), part)).copied().flatten()).collect();
                // Every subset of the parts whose figures are shown.
                for subset in 1..(1_u32 << parts.len()) {
                    let chosen: Vec<usize> = (0..parts.len()).filter(|i| subset & (1 << i) != 0).collect();
                    let Some(sum) = chosen.iter().map(|&i| values[i]).sum::<Option<i64>>() else { continue };
                    assert_safe(total - sum, &|| {
                        format!("{question} at {moment}: {whole:?} minus {chosen:?} of {parts:?}")
                    });
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "the adversary tried {checked} combinations");

    // The planted group never shows: no figure for Arabic in November.
    let planted = figures.iter().find(|(moment, scope, _)| {
        moment == "january"
            && scope.from == month("2026-11")
            && scope.to == month("2026-11")
            && scope.language == Some("ar")
            && scope.version.is_none()
    });
    let (_, _, planted) = planted.expect("the Arabic November summary was downloaded");
    assert_eq!(planted.get("overall").copied().flatten(), None, "two people's answers are not shown");

    // Breakdowns by age on the page: the total minus the groups shown, and
    // each group between nested scopes, rests on 0 or at least 5 answers.
    let admin = january.login("admin-january", PASSWORD).await;
    let mut groups: Vec<(Scope, BTreeMap<String, i64>, Option<i64>)> = Vec::new();
    let closed: Vec<Period> = std::iter::successors(Some(month("2026-01")), |p| Some(p.next()))
        .take_while(|p| *p <= month("2026-12"))
        .collect();
    for (i, &from) in closed.iter().enumerate() {
        for &to in &closed[i..] {
            let scope = Scope { from, to, language: None, version: None };
            let page = january
                .get_as(&admin, &format!("/staff/q/nexus?{}&by=age&target=missing_support", scope.query()))
                .await;
            assert_eq!(page.status, StatusCode::OK);
            let mut shown = BTreeMap::new();
            let mut total = None;
            let labels = page.texts("table.breakdown tbody tr th");
            let counts = page.texts("table.breakdown tbody tr td:first-of-type");
            assert_eq!(labels.len(), counts.len());
            for (label, count) in labels.into_iter().zip(counts) {
                let n = count.parse::<i64>().ok();
                if label == "Alla" {
                    total = n;
                } else if let Some(n) = n {
                    shown.insert(label, n);
                }
            }
            if let Some(total) = total {
                assert_safe(total - shown.values().sum::<i64>(), &|| format!("the withheld age groups of {scope:?}"));
            }
            groups.push((scope, shown, total));
        }
    }
    for (a, shown_a, _) in &groups {
        for (b, shown_b, _) in &groups {
            if !a.within(b) {
                continue;
            }
            for (group, narrow) in shown_a {
                if let Some(wide) = shown_b.get(group) {
                    assert_safe(wide - narrow, &|| format!("age group {group}: {b:?} and {a:?}"));
                }
            }
        }
    }
}

/// Retention deletes the responses before a day, mid-period or not. A
/// figure over the periods that are left must not differ from one
/// downloaded before the purge by the few answers deleted from a period
/// partly kept: periods that began before the purge are no longer shown.
async fn a_purge_never_leaves_a_figure_that_differs_from_an_earlier_one_by_a_few_answers(backend: Backend) {
    let app = TestApp::with_clock(backend, "questionnaires", at("2027-03-15T12:00:00Z")).await;
    let served = app.catalog.get("nexus").unwrap().clone();
    // Thin months put together by quarter and year; March full.
    for (period, count) in
        [("2026-01", 3), ("2026-02", 3), ("2026-03", 6), ("2026-04", 2), ("2026-05", 2), ("2026-07", 1)]
    {
        for day in 0..count {
            let on = month(period).first_day() + time::Duration::days(9 + day);
            store(&app, &served, on, "sv", &[answer("overall", "fairly_satisfied")]).await;
        }
    }
    let admin = app.logged_in_admin().await;
    async fn overall(app: &TestApp, cookie: String, from: Period, to: Period) -> Option<i64> {
        let uri = format!("/staff/q/nexus/export/summary.csv?from={from}&to={to}");
        answered(&app.get_as(&cookie, &uri).await.body).get("overall").copied().flatten()
    }
    let closed: Vec<Period> = std::iter::successors(Some(month("2026-02")), |p| Some(p.next())).take(11).collect();
    let mut before = Vec::new();
    for (i, &from) in closed.iter().enumerate() {
        for &to in &closed[i..] {
            before.push(((from, to), overall(&app, admin.clone(), from, to).await));
        }
    }
    assert_eq!(overall(&app, admin.clone(), month("2026-01"), month("2026-12")).await, Some(17));

    // Retention deletes January, and February stays.
    app.store.delete_responses_before(month("2026-02").first_day()).await.unwrap();
    for ((from, to), earlier) in before {
        let now = overall(&app, admin.clone(), from, to).await;
        if let (Some(earlier), Some(now)) = (earlier, now) {
            assert_safe(earlier - now, &|| format!("{from}–{to} before and after the purge"));
        }
    }
    assert_eq!(
        overall(&app, admin.clone(), month("2026-02"), month("2026-12")).await,
        Some(6),
        "only March, a unit of its own formed after the purge mark"
    );
}

/// Paper forms typed in by staff are a channel of their own, and a thin
/// one: a few a month beside the web's many. Every pair of closed periods
/// is downloaded for each channel and for both; any two figures where one
/// covers the other, and the whole minus either channel, differ by 0 or at
/// least 5 answers; and the breakdown by channel never shows a paper group
/// the total minus the web group would give away.
async fn a_thin_paper_channel_is_protected_like_a_small_language(backend: Backend) {
    let app = TestApp::with_clock(backend, "questionnaires", at("2027-01-20T12:00:00Z")).await;
    let served = app.catalog.get("nexus").unwrap().clone();
    let mut random = Lcg(18);
    let mut period = month("2026-01");
    for (web, paper) in
        [(9, 1), (6, 2), (7, 0), (12, 3), (5, 1), (8, 4), (6, 0), (9, 2), (7, 1), (10, 4), (6, 2), (8, 1)]
    {
        for at in 0..web + paper {
            let channel = if at < paper { Channel::Paper } else { Channel::Web };
            let answers = [
                answer("overall", ["very_satisfied", "fairly_satisfied", "very_dissatisfied"][random.below(3)]),
                answer("gender", ["woman", "man"][random.below(2)]),
            ];
            let day = period.first_day() + time::Duration::days(i64::try_from(random.below(28)).unwrap());
            store_by(&app, &served, day, "sv", channel, &answers).await;
        }
        period = period.next();
    }
    app.add_staff("admin", PASSWORD, true).await;
    let admin = app.login("admin", PASSWORD).await;
    let closed: Vec<Period> = std::iter::successors(Some(month("2026-01")), |p| Some(p.next()))
        .take_while(|p| *p <= month("2026-12"))
        .collect();
    // (from, to, channel) → answers to "overall", None where withheld.
    let mut figures: BTreeMap<(Period, Period, Option<&str>), Option<i64>> = BTreeMap::new();
    for (i, &from) in closed.iter().enumerate() {
        for &to in &closed[i..] {
            for channel in [None, Some("web"), Some("paper")] {
                let mut query = format!("from={from}&to={to}");
                if let Some(channel) = channel {
                    query.push_str(&format!("&channel={channel}"));
                }
                let download = app.get_as(&admin, &format!("/staff/q/nexus/export/summary.csv?{query}")).await;
                assert_eq!(download.status, StatusCode::OK, "{query}");
                figures.insert((from, to, channel), answered(&download.body).get("overall").copied().flatten());
            }
        }
    }
    let mut checked = 0;
    for (&(from_a, to_a, channel_a), narrow) in &figures {
        let Some(narrow) = narrow else { continue };
        for (&(from_b, to_b, channel_b), wide) in &figures {
            let within = from_b <= from_a && to_a <= to_b && (channel_b.is_none() || channel_b == channel_a);
            let Some(wide) = wide else { continue };
            if within {
                assert_safe(wide - narrow, &|| {
                    format!("{from_b}–{to_b} {channel_b:?} and {from_a}–{to_a} {channel_a:?}")
                });
                checked += 1;
            }
        }
        // The whole minus one channel is the other channel.
        if channel_a.is_none() {
            for channel in ["web", "paper"] {
                if let Some(Some(part)) = figures.get(&(from_a, to_a, Some(channel))) {
                    assert_safe(narrow - part, &|| format!("{from_a}–{to_a} minus {channel}"));
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1_000, "the adversary tried {checked} combinations");
    // A month's paper forms alone (1 to 4) are never a figure of their own.
    for month_id in ["2026-01", "2026-04", "2026-10"] {
        let m = month(month_id);
        assert_eq!(figures[&(m, m, Some("paper"))], None, "the paper forms of {month_id}");
    }
    // The year's paper forms together are enough to show.
    assert!(figures[&(closed[0], closed[11], Some("paper"))].is_some(), "a year of paper forms is shown");

    // Breakdown by channel on the results page: a withheld paper group
    // cannot be had as the total minus the web group.
    for (i, &from) in closed.iter().enumerate() {
        for &to in &closed[i..] {
            let page =
                app.get_as(&admin, &format!("/staff/q/nexus?from={from}&to={to}&by=channel&target=overall")).await;
            assert_eq!(page.status, StatusCode::OK);
            let labels = page.texts("table.breakdown tbody tr th");
            let counts: Vec<Option<i64>> =
                page.texts("table.breakdown tbody tr td:first-of-type").iter().map(|n| n.parse().ok()).collect();
            let shown: BTreeMap<String, Option<i64>> = labels.into_iter().zip(counts).collect();
            if let Some(Some(total)) = shown.get("Alla") {
                let groups: i64 =
                    ["Webb", "Papper"].iter().filter_map(|label| shown.get(*label).copied().flatten()).sum();
                assert_safe(total - groups, &|| format!("the withheld channel of {from}–{to}"));
            }
        }
    }
}
