//! An admin downloads whole responses (issue 14, part 6): only closed
//! periods, the period in place of the date, every combination of period,
//! language, version and background answers shared by at least
//! `min_report_n` responses, and free texts never on a response's row but
//! in a list of their own, per period, only where the period has enough
//! responses. On both databases, in the CSV, the workbook and the notes.

use std::collections::HashMap;
use std::io::Cursor;

use crate::common::{Backend, PASSWORD, TestApp, answer};
use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use enkat::clock::Clock;
use enkat::questionnaire::Answer;
use enkat::report::csv::{Dialect, ResponsesCsv};
use enkat::report::{Filter, ResponsesCounter};
use enkat::store::{NewResponse, QueuedResponse};
use futures_util::TryStreamExt;
use time::{Date, Duration};

on_both_databases!(
    the_responses_file_has_closed_periods_and_no_small_group,
    the_workbook_has_the_same_rows_the_texts_and_the_notes,
    texts_are_a_list_of_their_own_for_periods_with_enough_responses,
    the_notes_say_what_was_blanked,
    texts_are_never_joined_to_a_response_and_only_admins_get_them,
    both_passes_read_one_snapshot,
    the_first_pass_counted_by_the_database_decides_what_counting_one_by_one_decides,
);

/// Nexus's `min_report_n`.
const K: usize = 5;

/// The quasi-identifier columns of the Nexus export.
const QUASI: [&str; 7] = ["period", "language", "version", "contacts", "age", "gender", "children"];

/// Wednesday 20 January 2027 in Stockholm: December 2026 has closed
/// (its last week ended on 3 January), January has not.
fn clock() -> Clock {
    Clock::fixed("2027-01-20T12:00:00Z".parse().expect("an instant"), "Europe/Stockholm").expect("a zone")
}

/// The stored date (a Monday: Nexus stores the week) of the `week`th week
/// of the month `months_back` months before today's, by the app's clock.
fn monday(app: &TestApp, months_back: u8, week: i64) -> Date {
    let mut first = app.today().replace_day(1).unwrap();
    for _ in 0..months_back {
        first = (first - Duration::days(1)).replace_day(1).unwrap();
    }
    let offset = (7 - i64::from(first.weekday().number_days_from_monday())) % 7;
    first + Duration::days(offset + 7 * week)
}

/// `count` responses on `on` in `language`, each with these background
/// answers and, if given, a comment.
fn responses(
    on: Date,
    language: &'static str,
    background: &[(&str, &str)],
    comment: Option<&str>,
    count: usize,
) -> Vec<(Date, &'static str, Vec<Answer>)> {
    let mut answers = vec![answer("overall", Some("fairly_satisfied"), None)];
    answers.extend(background.iter().map(|(question, option)| answer(question, Some(option), None)));
    answers.extend(comment.map(|text| answer("comment", None, Some(text))));
    vec![(on, language, answers); count]
}

/// Texts written in each month, to find them again.
const NOVEMBER: &str = "Bra stöd i november";
const ARABIC: &str = "شكرًا على المساعدة";
const OTHER: &str = "=HYPERLINK(\"http://example.org\")";
const DECEMBER: &str = "Tack för december";
const OCTOBER: &str = "Oktober var svårt";
const JANUARY: &str = "Januari, nu";

/// The fixture, on the fixed clock (today 20 January 2027):
/// - October: 3 Swedish-speaking 30–44 women, one comment (too few in the
///   month for its texts to be listed);
/// - November: 30 Swedish-speaking 30–44 women (two comments, one
///   "something else" text); 3 who answered no background question; and
///   the planted small group: 2 Arabic-speaking men over 65, each with a
///   comment;
/// - December: 30 more Swedish-speaking 30–44 women, one comment;
/// - January, still open: 5 with a comment, never exported.
///
/// Worked out by the rule: by month 8 of 68 rows are rare (more than 5 %),
/// by quarter 5 (the 2 and the 3; half-year and year are no better), so the
/// period is the quarter, 2026-Q4. The 2 lose gender and age, then version
/// and language; the 3 lose version and language; together they are 5
/// rows with only the period. The 63 keep every value.
async fn app_with_fixture(backend: Backend) -> (TestApp, String) {
    let app = TestApp::with_clock(backend, "questionnaires", clock()).await;
    let woman = [("age", "age_30_44"), ("gender", "woman")];
    let man = [("age", "age_65_plus"), ("gender", "man")];
    let mut all = Vec::new();
    all.extend(responses(monday(&app, 3, 1), "sv", &woman, Some(OCTOBER), 1));
    all.extend(responses(monday(&app, 3, 2), "sv", &woman, None, 2));
    all.extend(responses(monday(&app, 2, 0), "sv", &woman, Some(NOVEMBER), 2));
    all.extend(responses(monday(&app, 2, 1), "sv", &woman, None, 28));
    all.extend(responses(monday(&app, 2, 2), "sv", &[], None, 3));
    all.extend(responses(monday(&app, 2, 3), "ar", &man, Some(ARABIC), 2));
    all.extend(responses(monday(&app, 1, 1), "sv", &woman, Some(DECEMBER), 1));
    all.extend(responses(monday(&app, 1, 2), "sv", &woman, None, 29));
    all.extend(responses(monday(&app, 0, 2), "sv", &woman, Some(JANUARY), 5));
    // One of November's women missed something and wrote what; six more
    // wrote a comment of their own.
    all[4].2.push(answer("missing_support", Some("other"), Some(OTHER)));
    for (n, (_, _, answers)) in all[5..11].iter_mut().enumerate() {
        answers.push(answer("comment", None, Some(&format!("Kommentar {n}"))));
    }

    let questionnaire = app.catalog.get("nexus").unwrap();
    let queued: Vec<QueuedResponse> = all
        .iter()
        .map(|(on, language, answers)| {
            let response = NewResponse {
                questionnaire,
                language,
                submitted_on: *on,
                answers,
                submission: None,
                channel: enkat::questionnaire::Channel::Web,
            };
            QueuedResponse::new(&response, None)
        })
        .collect();
    app.store.insert_responses(&queued).await.unwrap();
    let cookie = app.logged_in_admin().await;
    (app, cookie)
}

/// A table as column name → cells, one map per row.
fn table(header: &[String], rows: Vec<Vec<String>>) -> Vec<HashMap<String, String>> {
    rows.into_iter().map(|row| header.iter().cloned().zip(row).collect()).collect()
}

fn parse_csv(body: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|row| row.unwrap().iter().map(str::to_owned).collect()).collect();
    let rows = table(&header, rows);
    (header, rows)
}

/// How many rows share each combination of quasi-identifiers.
fn combinations(rows: &[HashMap<String, String>]) -> HashMap<Vec<String>, usize> {
    let mut sizes = HashMap::new();
    for row in rows {
        *sizes.entry(QUASI.iter().map(|column| row[*column].clone()).collect()).or_default() += 1;
    }
    sizes
}

/// What every responses file must hold to: every combination of
/// quasi-identifiers at least K times, no day, nothing from the open
/// month, the fixture's 68 rows, the small group out of sight.
#[track_caller]
fn assert_protected(rows: &[HashMap<String, String>]) {
    assert_eq!(rows.len(), 68, "every response of the closed months, none of January's");
    for (combination, size) in combinations(rows) {
        assert!(size >= K, "{combination:?} is shared by {size} rows, fewer than {K}");
    }
    for row in rows {
        let period = &row["period"];
        assert!(period.is_empty() || period == "2026-Q4", "a quarter, never a day or an open month: {period}");
        assert!(!(row["language"] == "ar" && row["age"] == "age_65_plus"), "the planted pair is not visible");
    }
    let arabic = rows.iter().filter(|row| row["language"] == "ar").count();
    assert!(arabic == 0 || arabic >= K, "{arabic} rows say ar");
    assert_eq!(rows.iter().filter(|row| row["age"] == "age_30_44" && row["period"] == "2026-Q4").count(), 63);
}

async fn the_responses_file_has_closed_periods_and_no_small_group(backend: Backend) {
    let (app, cookie) = app_with_fixture(backend).await;
    let download = app.get_as(&cookie, "/staff/q/nexus/export/responses.csv").await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.header("content-type"), "text/csv; charset=utf-8");
    let (header, rows) = parse_csv(&download.body);
    assert_eq!(header[..3], ["period", "language", "version"]);
    assert!(!header.iter().any(|name| name == "date"), "no date column");
    assert_protected(&rows);
    let blank: Vec<&HashMap<String, String>> = rows.iter().filter(|row| row["language"].is_empty()).collect();
    assert_eq!(blank.len(), 5, "the 2 and the 3 share one combination");
    assert!(blank.iter().all(|row| row["period"] == "2026-Q4" && row["age"].is_empty() && row["gender"].is_empty()));

    // A filter in an open period covers nothing; one that ends in it ends
    // with the last closed period.
    let open = app.get_as(&cookie, &format!("/staff/q/nexus/export/responses.csv?from={}", monday(&app, 0, 0))).await;
    assert_eq!(parse_csv(&open.body).1.len(), 0, "January is still open");
    let swedish = app.get_as(&cookie, "/staff/q/nexus/export/responses.csv?lang=sv&dialect=excel-sv").await;
    let body = swedish.body.strip_prefix('\u{feff}').expect("a BOM");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(body.as_bytes());
    assert_eq!(reader.records().count(), 66, "the Swedish-speaking responses of the closed months");
}

async fn the_workbook_has_the_same_rows_the_texts_and_the_notes(backend: Backend) {
    let (app, cookie) = app_with_fixture(backend).await;
    let download = app.get_as(&cookie, "/staff/q/nexus/export/responses.xlsx").await;
    assert_eq!(download.status, StatusCode::OK);
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(download.bytes)).expect("a valid xlsx");
    assert_eq!(workbook.sheet_names(), ["Svar", "Svarskoder", "Fritextsvar", "Om filen"]);

    let sheet = workbook.worksheet_range("Svar").unwrap();
    let cells: Vec<Vec<String>> = sheet.rows().map(|row| row.iter().map(ToString::to_string).collect()).collect();
    assert_eq!(cells[0][..3], ["Period", "Språk", "Enkätens version"]);
    let header = cells[1].clone();
    assert_eq!(header[..3], ["period", "language", "version"]);
    // The sheet shows answers as labels; its codes sheet turns them back
    // into the codes of the CSV file, which the rule is checked on.
    let codes = workbook.worksheet_range("Svarskoder").unwrap();
    let code: HashMap<(String, String), String> =
        codes.rows().skip(1).map(|row| ((row[0].to_string(), row[3].to_string()), row[2].to_string())).collect();
    assert_eq!(code[&("age".to_owned(), "30–44".to_owned())], "age_30_44");
    let coded = cells[2..]
        .iter()
        .map(|row| {
            header
                .iter()
                .zip(row)
                .map(|(column, cell)| code.get(&(column.clone(), cell.clone())).unwrap_or(cell).clone())
                .collect()
        })
        .collect();
    let rows = table(&header, coded);
    assert!(cells[2..].iter().any(|row| row.contains(&"30–44".to_owned())), "ages as labels");
    assert_protected(&rows);
    assert!(!cells.iter().flatten().any(|cell| [NOVEMBER, ARABIC, OTHER].contains(&cell.as_str())), "no free text");

    let texts = workbook.worksheet_range("Fritextsvar").unwrap();
    let listed: Vec<String> = texts.rows().skip(2).map(|row| row[3].to_string()).collect();
    assert_eq!(sorted(listed), sorted(listed_texts()));

    let notes = workbook.worksheet_range("Om filen").unwrap();
    let text: String = notes.rows().flatten().map(|cell| format!("{cell}\n")).collect();
    assert!(text.contains("k = 5"), "{text}");
    assert!(text.contains("kvartal"), "the coarser period is explained: {text}");
    let blanked =
        |column: &str| notes.rows().find(|row| row[0] == Data::String(column.into())).map(|row| row[1].clone());
    assert_eq!(blanked("age"), Some(Data::Float(2.0)), "the 3 had no age to blank");
    assert_eq!(blanked("language"), Some(Data::Float(5.0)));
    assert_eq!(blanked("period"), Some(Data::Float(0.0)));
}

/// The texts the list must hold: those of November and December.
fn listed_texts() -> Vec<String> {
    let mut texts: Vec<String> = [NOVEMBER, NOVEMBER, ARABIC, ARABIC, OTHER, DECEMBER].map(str::to_owned).to_vec();
    texts.extend((0..6).map(|n| format!("Kommentar {n}")));
    texts
}

fn sorted<T: ToString>(texts: Vec<T>) -> Vec<String> {
    let mut texts: Vec<String> = texts.iter().map(ToString::to_string).collect();
    texts.sort();
    texts
}

async fn texts_are_a_list_of_their_own_for_periods_with_enough_responses(backend: Backend) {
    let (app, cookie) = app_with_fixture(backend).await;
    let download = app.get_as(&cookie, "/staff/q/nexus/export/texts.csv").await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.header("content-type"), "text/csv; charset=utf-8");
    assert!(download.header("content-disposition").ends_with("-texts.csv\""));
    let (header, rows) = parse_csv(&download.body);
    assert_eq!(header, ["period", "question_id", "question_text", "text"]);
    let listed: Vec<(&str, &str, &str)> =
        rows.iter().map(|row| (row["period"].as_str(), row["question_id"].as_str(), row["text"].as_str())).collect();
    let expected: Vec<(&str, &str, String)> = listed_texts()
        .into_iter()
        .map(|text| match text.as_str() {
            DECEMBER => ("2026-12", "comment", text),
            OTHER => ("2026-11", "missing_support", format!("'{text}")),
            _ => ("2026-11", "comment", text),
        })
        .collect();
    assert_eq!(
        sorted(listed.iter().map(|row| format!("{row:?}")).collect()),
        sorted(
            expected
                .iter()
                .map(|(period, question, text)| format!("{:?}", (period, question, text.as_str())))
                .collect()
        ),
        "October had 3 responses, too few; January is open; a formula is neutralised"
    );
    let periods: Vec<&str> = listed.iter().map(|row| row.0).collect();
    assert!(periods.is_sorted(), "grouped by period: {periods:?}");
    let other = rows.iter().find(|row| row["question_id"] == "missing_support").unwrap();
    assert!(other["question_text"].ends_with("– Annat, nämligen"), "{}", other["question_text"]);

    // Within a period the order is drawn anew: never by time.
    let orders: Vec<Vec<String>> = {
        let mut orders = vec![rows.iter().map(|row| row["text"].clone()).collect()];
        for _ in 0..3 {
            let (_, rows) = parse_csv(&app.get_as(&cookie, "/staff/q/nexus/export/texts.csv").await.body);
            orders.push(rows.iter().map(|row| row["text"].clone()).collect());
        }
        orders
    };
    assert!(orders.iter().any(|order| *order != orders[0]), "four downloads in one order: {orders:?}");
}

async fn the_notes_say_what_was_blanked(backend: Backend) {
    let (app, cookie) = app_with_fixture(backend).await;
    let notes = app.get_as(&cookie, "/staff/q/nexus/export/responses-notes.txt").await;
    assert_eq!(notes.status, StatusCode::OK);
    assert_eq!(notes.header("content-type"), "text/plain; charset=utf-8");
    let text = notes.body;
    assert!(text.contains("68 svar med lagrat datum till och med 2026-12-31"), "{text}");
    assert!(text.contains("december 2026"), "the last closed period: {text}");
    assert!(text.contains("k = 5"), "{text}");
    assert!(text.contains("kvartal") && text.contains("i stället för enkätens rapportperiod (månad)"), "{text}");
    for line in ["  age: 2\n", "  gender: 2\n", "  version: 5\n", "  language: 5\n", "  period: 0\n"] {
        assert!(text.contains(line), "{line:?} in {text}");
    }
    assert!(text.contains("rader med minst ett borttaget värde: 5"), "{text}");
}

async fn texts_are_never_joined_to_a_response_and_only_admins_get_them(backend: Backend) {
    let (app, cookie) = app_with_fixture(backend).await;
    let refused = app.get_as(&cookie, "/staff/q/nexus/export/responses.csv?text=1").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("/staff/q/nexus/export/texts.csv"), "says where the texts are: {}", refused.body);
    let refused = app.get_as(&cookie, "/staff/q/nexus/export/responses.xlsx?text=1").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);

    let responses = app.get_as(&cookie, "/staff/q/nexus/export/responses.csv").await.body;
    assert!(app.get_as(&cookie, "/staff/q/nexus/export/texts.csv").await.body.contains(NOVEMBER));
    for text in [NOVEMBER, ARABIC, "HYPERLINK", DECEMBER, OCTOBER, JANUARY] {
        assert!(!responses.contains(text), "{text} is not in the responses");
    }

    app.add_staff("kim", PASSWORD, false).await;
    let staff = app.login("kim", PASSWORD).await;
    for file in ["texts.csv", "responses-notes.txt", "responses.csv", "responses.xlsx"] {
        let page = app.get_as(&staff, &format!("/staff/q/nexus/export/{file}")).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{file}");
    }
    let page = app.get_as(&cookie, "/staff/q/nexus").await;
    let links = page.attributes(".exports a", "href");
    assert!(links.contains(&"/staff/q/nexus/export/texts.csv".to_owned()), "{links:?}");
    assert!(!links.iter().any(|link| link.contains("text=1")), "{links:?}");

    let audit = app.get_as(&cookie, "/staff/audit?action=export").await;
    let lines = audit.texts("table tbody tr");
    assert!(lines.iter().any(|line| line.contains("texts.csv")), "the texts download is audited: {lines:?}");
    assert!(!lines.iter().any(|line| line.contains(NOVEMBER)), "never the data");
}

/// The export counts in one pass and writes in a second: a purge or a new
/// response in between must not change what the second pass reads, or a
/// combination could end up rarer than was counted.
async fn both_passes_read_one_snapshot(backend: Backend) {
    let (app, _) = app_with_fixture(backend).await;
    let filter = Filter::default();
    let mut snapshot = app.store.snapshot().await.unwrap();
    let first: Vec<_> = snapshot.stream_response_records("nexus", &filter).try_collect().await.unwrap();
    assert_eq!(first.len(), 73);

    // While the export runs: October and November purged, one more stored.
    let purged = app.store.delete_responses_before(monday(&app, 1, 0)).await.unwrap();
    assert_eq!(purged, 38);
    let questionnaire = app.catalog.get("nexus").unwrap();
    let answers = [answer("overall", Some("very_satisfied"), None)];
    let on = monday(&app, 1, 3);
    app.store_response(questionnaire, "sv", on, &answers).await;

    let second: Vec<_> = snapshot.stream_response_records("nexus", &filter).try_collect().await.unwrap();
    assert_eq!(second, first, "the second pass reads what the first did");
    let texts = snapshot.listed_texts(questionnaire, &filter).await.unwrap();
    assert!(texts.iter().any(|text| text.text == NOVEMBER), "texts from the same snapshot");
    drop(snapshot);
    assert_eq!(
        app.store.response_records("nexus", &filter).await.unwrap().len(),
        73 - 38 + 1,
        "outside it, the change"
    );
}

/// The first pass of the responses export counts responses grouped by the
/// database (`Snapshot::background_combinations`): over a year of
/// realistic responses, its plan writes byte for byte the file that
/// counting the responses one by one writes, on both databases.
async fn the_first_pass_counted_by_the_database_decides_what_counting_one_by_one_decides(backend: Backend) {
    let app = TestApp::with_clock(backend, "questionnaires", clock()).await;
    let questionnaire = app.catalog.get("nexus").unwrap();
    let mut random = enkat::cli::seed::Random::new(14);
    let today = app.today();
    let year: Vec<QueuedResponse> =
        (0..900).map(|_| enkat::cli::seed::synthetic_response(questionnaire, today, &mut random)).collect();
    app.store.insert_responses(&year).await.unwrap();
    let (filter, last_closed) = enkat::report::microdata::closed_only(&Filter::default(), questionnaire, today);

    let mut snapshot = app.store.snapshot().await.unwrap();
    let records: Vec<_> = snapshot.stream_response_records("nexus", &filter).try_collect().await.unwrap();
    let mut one_by_one = ResponsesCounter::new(questionnaire);
    for record in &records {
        one_by_one.add(record);
    }
    let mut grouped = ResponsesCounter::new(questionnaire);
    let combinations: Vec<_> = snapshot.background_combinations(questionnaire, &filter).try_collect().await.unwrap();
    assert!(combinations.len() < records.len(), "responses alike are one row");
    for (record, n) in &combinations {
        grouped.add_many(record, *n);
    }
    assert_eq!(combinations.iter().map(|(_, n)| n).sum::<u64>(), records.len() as u64, "every response counted");

    let file = |plan: enkat::report::ResponsesPlan<'_>| {
        let mut csv = ResponsesCsv::new(&plan, Dialect::Standard, Vec::new()).unwrap();
        for record in &records {
            csv.write(record).unwrap();
        }
        (plan.rows(), csv.finish().unwrap())
    };
    let (rows, expected) = file(one_by_one.plan(last_closed));
    assert!(rows > 500, "most of a year of responses is in the file: {rows}");
    assert_eq!(file(grouped.plan(last_closed)), (rows, expected), "the same file");
}
