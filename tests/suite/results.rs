//! Staff see the Nexus results and export them: figures computed by hand
//! here are checked on the page, in both CSV files and in the xlsx, with
//! small groups suppressed, on both databases.

use std::io::Cursor;

use crate::common::{Backend, PASSWORD, TestApp};
use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use enkat::clock::Clock;
use enkat::questionnaire::{Answer, DatePrecision, ReportPeriod};
use enkat::report::period::Period;
use time::Date;
use time::macros::date;

on_both_databases!(
    four_answers_are_too_few_to_show,
    five_answers_are_shown_with_figures_computed_by_hand,
    free_texts_are_listed_with_their_period_once_enough_people_wrote_one,
    the_summary_csv_carries_the_same_figures,
    swedish_excel_gets_semicolons_decimal_commas_and_a_bom,
    the_xlsx_has_numbers_as_numbers,
    whole_responses_are_for_admins_only,
    filters_narrow_the_figures_and_stay_in_the_url,
    a_breakdown_hides_a_small_group_and_its_neighbour,
    scripts_export_with_a_token_and_every_export_is_audited,
    a_bad_filter_is_explained,
    the_page_answers_first_with_intervals_and_changes_since_the_month_before,
);

fn answer(question: &str, option: &str) -> Answer {
    Answer { question_id: question.into(), option_id: Some(option.into()), text: None }
}

/// One response: the answer to `overall`, practical support missed, age.
async fn respond(app: &TestApp, on: Date, language: &str, overall: &str, missed: &[&str], age: Option<&str>) {
    let questionnaire = app.catalog.get("nexus").unwrap();
    let mut answers = vec![answer("overall", overall)];
    for option in missed {
        let mut missed = answer("missing_support", option);
        if *option == "other" {
            missed.text = Some("=HYPERLINK(\"http://example.org\")".into());
        }
        answers.push(missed);
    }
    if let Some(age) = age {
        answers.push(answer("age", age));
    }
    app.store_response(questionnaire, language, on, &answers).await;
}

/// A response in `language` with one comment.
async fn respond_with_comment(app: &TestApp, on: Date, language: &str, comment: &str) {
    let questionnaire = app.catalog.get("nexus").unwrap();
    let answers = [
        answer("overall", "very_satisfied"),
        Answer { question_id: "comment".into(), option_id: None, text: Some(comment.into()) },
    ];
    app.store_response(questionnaire, language, on, &answers).await;
}

/// Five answers to `overall`, one of them "don't know": n = 4, below
/// min_report_n = 5.
async fn four_counted_answers(app: &TestApp) {
    respond(app, date!(2026 - 11 - 02), "sv", "very_satisfied", &["move", "household"], Some("age_18_29")).await;
    respond(app, date!(2026 - 11 - 02), "sv", "very_satisfied", &["move"], Some("age_30_44")).await;
    respond(app, date!(2026 - 11 - 09), "sv", "fairly_satisfied", &["move", "other"], Some("age_30_44")).await;
    respond(app, date!(2026 - 11 - 09), "sv", "fairly_dissatisfied", &["household"], Some("age_30_44")).await;
    respond(app, date!(2026 - 11 - 16), "sv", "dont_know", &[], Some("age_45_64")).await;
}

/// One more counted answer: n = 5.
///
/// overall: very_satisfied 2, fairly_satisfied 1, fairly_dissatisfied 2,
/// very_dissatisfied 0, don't know 1; n = 2+1+2+0 = 5;
/// shares 2/5 = 0.4, 1/5 = 0.2, 2/5 = 0.4, 0; share positive (2+1)/5 = 0.6;
/// mean (4·2 + 3·1 + 2·2 + 1·0)/5 = 15/5 = 3.00.
/// missing_support (multi): answered by 5 of 6; move 4 (0.8), household 2
/// (0.4), other 1 (0.2).
async fn five_counted_answers(app: &TestApp) {
    four_counted_answers(app).await;
    respond(app, date!(2026 - 11 - 16), "sv", "fairly_dissatisfied", &["move"], Some("age_30_44")).await;
}

/// Mid-January 2027: November and December 2026 have closed, and so have
/// the fourth quarter, the second half and the year 2026.
fn after_the_year() -> Clock {
    Clock::fixed("2027-01-15T12:00:00Z".parse().unwrap(), "Europe/Stockholm").unwrap()
}

async fn admin_app(backend: Backend) -> (TestApp, String) {
    let app = TestApp::with_clock(backend, "questionnaires", after_the_year()).await;
    let cookie = app.logged_in_admin().await;
    (app, cookie)
}

/// Tuesday 15 December 2026: November, the month of the fixture's
/// responses, has closed, so whole responses and texts can be exported.
fn after_november() -> Clock {
    Clock::fixed("2026-12-15T12:00:00Z".parse().expect("an instant"), "Europe/Stockholm").expect("a zone")
}

/// `admin_app` on the clock of `after_november`.
async fn admin_app_after_november(backend: Backend) -> (TestApp, String) {
    let app = TestApp::with_clock(backend, "questionnaires", after_november()).await;
    let cookie = app.logged_in_admin().await;
    (app, cookie)
}

#[track_caller]
fn row_of<'a>(rows: &'a [csv::StringRecord], question: &str, option: &str) -> &'a csv::StringRecord {
    rows.iter()
        .find(|row| &row[0] == question && &row[4] == option)
        .unwrap_or_else(|| panic!("a summary row for {question}/{option}"))
}

fn parse_csv(body: &str, delimiter: u8) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows = reader.records().map(Result::unwrap).collect();
    (header, rows)
}

async fn four_answers_are_too_few_to_show(backend: Backend) {
    let (app, cookie) = admin_app(backend).await;
    four_counted_answers(&app).await;

    let page = app.get_as(&cookie, "/staff/q/nexus").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("#result-overall .key-figures dd:nth-of-type(1)"), "färre än 5 svar", "n = 4 is suppressed");
    assert_eq!(page.text("#result-overall .key-figures dd:nth-of-type(2)"), "färre än 5 svar");
    assert!(page.texts("#result-overall svg").is_empty(), "no bar is drawn from four answers");
    assert!(!page.body.contains("50,0 %"), "2 of 4 must not show as a share");

    let summary = app.get_as(&cookie, "/staff/q/nexus/export/summary.csv").await;
    let (_, rows) = parse_csv(&summary.body, b',');
    let very = row_of(&rows, "overall", "very_satisfied");
    assert_eq!((&very[6], &very[7], &very[8], &very[12]), ("", "", "", "true"), "count, share and n are empty cells");
}

async fn five_answers_are_shown_with_figures_computed_by_hand(backend: Backend) {
    let (app, cookie) = admin_app(backend).await;
    five_counted_answers(&app).await;

    let page = app.get_as(&cookie, "/staff/q/nexus").await;
    assert_eq!(page.text(".response-count strong"), "6");
    assert_eq!(page.text("#result-overall .key-figures dd:nth-of-type(1)"), "5", "n leaves out don't know");
    assert_eq!(page.text("#result-overall .key-figures dd:nth-of-type(2)"), "60,0 %", "share positive (2+1)/5");
    assert_eq!(page.text("#result-overall .key-figures dd:nth-of-type(3)"), "3,00", "mean 15/5");
    assert_eq!(page.text("#result-overall .key-figures dd:nth-of-type(4)"), "1", "one don't know");
    assert_eq!(
        page.texts("#result-overall table tbody tr"),
        [
            "Mycket nöjd 2 40,0 %",
            "Ganska nöjd 1 20,0 %",
            "Ganska missnöjd 2 40,0 %",
            "Mycket missnöjd 0 0,0 %",
            "Vet inte / ej aktuellt 1"
        ]
    );
    assert_eq!(
        page.texts("#result-overall svg.stacked-bar title").first().map(String::as_str),
        Some("Fördelning av svaren på: Hur nöjd eller missnöjd är du sammantaget med stödet från Nexus?")
    );
    let missed = page.texts("#result-missing_support table tbody tr");
    // Each row: the option, its count, its share (then the bar's title).
    assert!(missed[0].starts_with("Hjälp att organisera flytten 4 80,0 %"), "the most missed first: {missed:?}");
    assert!(missed[1].starts_with("Hjälp att skaffa möbler, husgeråd och kläder 2 40,0 %"), "{missed:?}");
    assert!(missed[2].starts_with("Annat, nämligen 1 20,0 %"), "{missed:?}");
    assert!(!page.body.contains("=HYPERLINK"), "one person's \"other\" text is not listed: fewer than 5 wrote one");
    assert_eq!(page.text(".period-note .covered strong"), "november 2026 till och med december 2026");
    assert!(page.text(".period-note .running").contains("januari 2027 visas från 1 februari 2027"));
}

async fn free_texts_are_listed_with_their_period_once_enough_people_wrote_one(backend: Backend) {
    let (app, cookie) = admin_app(backend).await;
    five_counted_answers(&app).await;
    for _ in 0..4 {
        respond(&app, date!(2026 - 11 - 23), "sv", "very_satisfied", &["other"], None).await;
    }
    let page = app.get_as(&cookie, "/staff/q/nexus").await;
    let texts = page.texts("#support-unmet ~ ul.free-texts li");
    assert_eq!(texts.len(), 5, "the \"other\" texts are listed with the support people lacked: {texts:?}");
    assert!(texts.iter().all(|text| text == "november 2026 =HYPERLINK(\"http://example.org\")"), "{texts:?}");
    // Each text is isolated from the page's direction (`<bdi>`: dir auto),
    // so an Arabic text keeps its own order among Swedish words.
    assert_eq!(page.texts("#support-unmet ~ ul.free-texts li bdi").len(), 5);
    assert!(page.text("#free-texts ~ p").contains("minst 5"), "the page says when texts are shown");
}

async fn the_summary_csv_carries_the_same_figures(backend: Backend) {
    let (app, cookie) = admin_app(backend).await;
    five_counted_answers(&app).await;

    let response = app.get_as(&cookie, "/staff/q/nexus/export/summary.csv").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), "text/csv; charset=utf-8");
    assert!(response.header("content-disposition").starts_with("attachment; filename=\"nexus-"));
    let (header, rows) = parse_csv(&response.body, b',');
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        [
            "question_id",
            "question_text",
            "role",
            "area",
            "option_id",
            "option_label",
            "count",
            "share",
            "n",
            "dont_know",
            "share_positive",
            "mean",
            "suppressed"
        ]
    );
    let very = row_of(&rows, "overall", "very_satisfied");
    assert_eq!(&very[1], "Hur nöjd eller missnöjd är du sammantaget med stödet från Nexus?");
    assert_eq!((&very[2], &very[3], &very[5]), ("satisfaction", "helhet", "Mycket nöjd"));
    assert_eq!(
        (&very[6], &very[7], &very[8], &very[9], &very[10], &very[11], &very[12]),
        ("2", "0.4000", "5", "1", "0.6000", "3.00", "false")
    );
    let dont_know = row_of(&rows, "overall", "dont_know");
    assert_eq!((&dont_know[6], &dont_know[7]), ("1", ""), "don't know has a count but no share");
    let moved = row_of(&rows, "missing_support", "move");
    assert_eq!((&moved[2], &moved[6], &moved[7], &moved[8]), ("unmet_support", "4", "0.8000", "5"));
    assert_eq!((&moved[10], &moved[11]), ("", ""), "no share positive or mean outside satisfaction");
}

async fn swedish_excel_gets_semicolons_decimal_commas_and_a_bom(backend: Backend) {
    let (app, cookie) = admin_app_after_november(backend).await;
    five_counted_answers(&app).await;

    let response = app.get_as(&cookie, "/staff/q/nexus/export/summary.csv?dialect=excel-sv").await;
    let body = response.body.strip_prefix('\u{feff}').expect("a UTF-8 byte order mark first");
    assert!(body.contains("\r\n"), "CRLF line ends");
    let (_, rows) = parse_csv(body, b';');
    let very = row_of(&rows, "overall", "very_satisfied");
    assert_eq!((&very[7], &very[10], &very[11]), ("0,4000", "0,6000", "3,00"));

    let responses = app.get_as(&cookie, "/staff/q/nexus/export/responses.csv?dialect=excel-sv").await;
    let body = responses.body.strip_prefix('\u{feff}').expect("a BOM here too");
    let (header, rows) = parse_csv(body, b';');
    assert_eq!((&header[0], rows.len()), ("period", 6));
    let texts = app.get_as(&cookie, "/staff/q/nexus/export/texts.csv?dialect=excel-sv").await;
    let body = texts.body.strip_prefix('\u{feff}').expect("a BOM on the texts too");
    let (header, rows) = parse_csv(body, b';');
    assert_eq!(&header[3], "text");
    let texts: Vec<&str> = rows.iter().map(|row| &row[3]).collect();
    assert_eq!(texts, ["'=HYPERLINK(\"http://example.org\")"], "a formula is neutralised");
}

async fn the_xlsx_has_numbers_as_numbers(backend: Backend) {
    let (app, cookie) = admin_app_after_november(backend).await;
    five_counted_answers(&app).await;

    let response = app.get_as(&cookie, "/staff/q/nexus/export/summary.xlsx").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(response.bytes)).expect("a valid xlsx");
    let sheet = workbook.worksheet_range_at(0).expect("a first sheet").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    let text = |cells: &[Data]| cells.iter().map(ToString::to_string).collect::<Vec<_>>();
    // What a person reads first is Swedish; the ids of the CSV file are below.
    assert_eq!(
        text(&rows[0])[..8],
        ["Fråga (kod)", "Fråga", "Frågans roll", "Område", "Svar (kod)", "Svarsalternativ", "Antal", "Andel"]
    );
    assert_eq!(text(&rows[0])[10..12], ["Andel positiva", "Medelvärde"]);
    assert_eq!(text(&rows[1])[..2], ["question_id", "question_text"]);
    assert_eq!(rows[1][10], Data::String("share_positive".into()));
    let very = rows
        .iter()
        .find(|row| row[0] == Data::String("overall".into()) && row[4] == Data::String("very_satisfied".into()))
        .expect("a row for overall/very_satisfied");
    assert_eq!(
        text(&very[1..6]),
        [
            "Hur nöjd eller missnöjd är du sammantaget med stödet från Nexus?",
            "nöjdhet",
            "helhet",
            "very_satisfied",
            "Mycket nöjd"
        ]
    );
    assert_eq!(very[6], Data::Float(2.0), "count is a number");
    assert_eq!(very[7], Data::Float(0.4), "share is a number");
    assert_eq!(very[10], Data::Float(0.6));
    assert_eq!(very[11], Data::Float(3.0));

    let responses = app.get_as(&cookie, "/staff/q/nexus/export/responses.xlsx").await;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(responses.bytes)).expect("a valid xlsx");
    let sheet = workbook.worksheet_range("Svar").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(text).collect();
    assert_eq!(rows.len(), 2 + 6, "two header rows and one row per response");
    let column = |id: &str| rows[1].iter().position(|name| name == id).unwrap_or_else(|| panic!("a column {id}"));
    assert_eq!(rows[0][column("overall")], "Hur nöjd eller missnöjd är du sammantaget med stödet från Nexus?");
    assert_eq!(rows[0][column("age")], "Hur gammal är du?");
    let mut overall: Vec<&str> = rows[2..].iter().map(|row| row[column("overall")].as_str()).collect();
    overall.sort_unstable();
    assert_eq!(
        overall,
        ["Ganska missnöjd", "Ganska missnöjd", "Ganska nöjd", "Mycket nöjd", "Mycket nöjd", "Vet inte / ej aktuellt"],
        "answers as a person reads them, not their codes"
    );
    // Six ages in three groups are too few to show (k = 5): blanked, as in the CSV.
    assert!(rows[2..].iter().all(|row| row[column("age")].is_empty()));
    let moved = sheet.rows().skip(2).filter(|row| row[column("missing_support.move")] == Data::Float(1.0)).count();
    assert_eq!(moved, 4, "a choice is the number 1");

    // The codes behind the labels are on a sheet of their own.
    let codes = workbook.worksheet_range("Svarskoder").unwrap();
    let codes: Vec<Vec<String>> = codes.rows().map(text).collect();
    assert_eq!(codes[0], ["Kolumn", "Fråga", "Kod", "Svar"]);
    for (id, code, label) in [("age", "age_30_44", "30–44"), ("overall", "dont_know", "Vet inte / ej aktuellt")] {
        assert!(codes.iter().any(|row| row[0] == id && row[2] == code && row[3] == label), "{id} {code}: {codes:?}");
    }
}

async fn whole_responses_are_for_admins_only(backend: Backend) {
    let app = TestApp::with_clock(backend, "questionnaires", after_november()).await;
    five_counted_answers(&app).await;
    app.add_staff("kim", PASSWORD, false).await;
    let staff = app.login("kim", PASSWORD).await;

    assert_eq!(app.get_as(&staff, "/staff/q/nexus/export/summary.csv").await.status, StatusCode::OK);
    let refused = app.get_as(&staff, "/staff/q/nexus/export/responses.csv").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("kräver att du är administratör för enheten"), "{}", refused.body);
    assert!(!app.get_as(&staff, "/staff/q/nexus").await.body.contains("responses.csv"), "no link a user cannot follow");

    let admin = app.logged_in_admin().await;
    let response = app.get_as(&admin, "/staff/q/nexus/export/responses.csv").await;
    let (header, rows) = parse_csv(&response.body, b',');
    assert_eq!(&header.iter().take(4).collect::<Vec<_>>(), &["period", "language", "version", "channel"]);
    assert_eq!(rows.len(), 6);
    let column = |name: &str| header.iter().position(|column| column == name).unwrap_or_else(|| panic!("{name}"));
    assert!(!header.iter().any(|name| name == "comment"), "free text is never in the responses");
    let moved: u32 = rows.iter().map(|row| row[column("missing_support.move")].parse::<u32>().unwrap()).sum();
    assert_eq!(moved, 4, "0/1 columns per option");
    // Six Swedish-speaking responses in three ages, none shared by five:
    // the ages go, and the six are alike.
    let periods: Vec<&str> = rows.iter().map(|row| &row[column("period")]).collect();
    assert!(periods.iter().all(|period| ["2026-11", ""].contains(period)), "{periods:?}");
    let ages: Vec<&str> = rows.iter().map(|row| &row[column("age")]).collect();
    assert!(ages.iter().all(|age| age.is_empty()), "{ages:?}");
}

async fn filters_narrow_the_figures_and_stay_in_the_url(backend: Backend) {
    let (app, cookie) = admin_app(backend).await;
    five_counted_answers(&app).await;

    for _ in 0..5 {
        respond(&app, date!(2026 - 12 - 07), "en", "very_satisfied", &[], None).await;
    }

    let page = app.get_as(&cookie, "/staff/q/nexus?from=2026-11&to=2026-11&lang=sv").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".response-count strong"), "6", "the six Swedish responses of November");
    assert_eq!(page.attributes("#from option[selected]", "value"), ["2026-11"], "the filter is kept in the form");
    assert_eq!(page.attributes("#lang option[selected]", "value"), ["sv"]);
    let links = page.attributes(".exports a", "href");
    assert!(
        links.iter().all(|link| link.contains("from=2026-11") && link.contains("lang=sv")),
        "exports keep the filter: {links:?}"
    );
    let all = app.get_as(&cookie, "/staff/q/nexus").await;
    assert_eq!(all.text(".response-count strong"), "11");
    let (_, rows) = parse_csv(
        &app.get_as(&cookie, "/staff/q/nexus/export/summary.csv?from=2026-11&to=2026-11&lang=en").await.body,
        b',',
    );
    assert_eq!(&row_of(&rows, "overall", "very_satisfied")[12], "true", "no English response in November");
    let (_, rows) =
        parse_csv(&app.get_as(&cookie, "/staff/q/nexus/export/summary.csv?from=2026-12&lang=en").await.body, b',');
    assert_eq!(&row_of(&rows, "overall", "very_satisfied")[6], "5", "five in English in December");
}

async fn a_breakdown_hides_a_small_group_and_its_neighbour(backend: Backend) {
    let (app, cookie) = admin_app(backend).await;
    five_counted_answers(&app).await;
    // age_30_44 gets 5 more counted answers; age_18_29 has 3, age_45_64 has 1 (don't know only).
    for _ in 0..5 {
        respond(&app, date!(2026 - 11 - 23), "sv", "very_satisfied", &[], Some("age_30_44")).await;
    }
    for _ in 0..2 {
        respond(&app, date!(2026 - 11 - 23), "sv", "fairly_satisfied", &[], Some("age_18_29")).await;
    }
    // One person skipped the age question: the summary minus the groups
    // must not reveal their answer, so they are a (suppressed) group too.
    respond(&app, date!(2026 - 11 - 23), "sv", "very_dissatisfied", &[], None).await;
    let page = app.get_as(&cookie, "/staff/q/nexus?by=age&target=overall").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts("table.breakdown tbody tr");
    assert!(rows.iter().any(|row| row.starts_with("30–44 9 ")), "the large group is shown: {rows:?}");
    assert!(rows.iter().any(|row| row.starts_with("18–29 färre än 5 svar")), "{rows:?}");
    assert!(
        !rows.iter().any(|row| row.starts_with("65 eller äldre 0")),
        "an empty group is not shown as zero: {rows:?}"
    );
    assert!(rows.iter().any(|row| row.starts_with("Inget svar färre än 5 svar")), "{rows:?}");
}

async fn scripts_export_with_a_token_and_every_export_is_audited(backend: Backend) {
    let (app, cookie) = admin_app(backend).await;
    five_counted_answers(&app).await;
    let token = app.add_token("admin", "statistik").await;

    let export = app.get_with_token(&token, "/staff/q/nexus/export/summary.csv?lang=sv").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.body.starts_with("question_id,"));
    assert_eq!(
        app.get_with_token(&token, "/staff/q/nexus").await.status,
        StatusCode::SEE_OTHER,
        "the HTML page does not take a token"
    );
    assert_eq!(
        app.get_with_token("not-a-token", "/staff/q/nexus/export/summary.csv").await.status,
        StatusCode::UNAUTHORIZED
    );

    let audit = app.get_as(&cookie, "/staff/audit?action=export").await;
    let lines = audit.texts("table tbody tr");
    assert_eq!(lines.len(), 1, "one export, one line: {lines:?}");
    assert!(lines[0].contains("admin") && lines[0].contains("summary.csv") && lines[0].contains("lang=sv"));
    assert!(!lines[0].contains("very_satisfied"), "never the exported data");
}

async fn a_bad_filter_is_explained(backend: Backend) {
    let (app, cookie) = admin_app(backend).await;
    let page = app.get_as(&cookie, "/staff/q/nexus?from=2026-11-23").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("till exempel 2026-11"), "the page says how to write a period: {}", page.body);
    let page = app.get_as(&cookie, "/staff/q/nexus?to=2027-01").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "the running month is never shown");
    assert!(page.body.contains("Januari 2027 har inte avslutats än"), "{}", page.body);
    assert!(page.body.contains("visas från 2027-02-01"), "{}", page.body);
    let page = app.get_as(&cookie, "/staff/q/nexus?channel=fax").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "a channel there is not");
    assert!(page.body.contains("välj webb eller papper"), "{}", page.body);
    let page = app.get_as(&cookie, "/staff/q/nexus?by=comment").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let page = app.get_as(&cookie, "/staff/q/no-such").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

/// `enkat export` writes the same files on the command line, and the
/// audit log records it.
#[tokio::test]
async fn enkat_export_writes_the_summary_and_the_responses_to_files() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", folder.path().join("enkat.db").display());
    let app = TestApp::on_database(&url).await;
    // `enkat export` runs on the machine's clock: the responses are given a
    // month that closed two months before today, whatever day that is.
    let month = Period::containing(ReportPeriod::Month, app.today()).previous().previous();
    for (day, language, overall, missed, age) in [
        (0, "sv", "very_satisfied", &["move", "household"][..], "age_18_29"),
        (0, "sv", "very_satisfied", &["move"], "age_30_44"),
        (7, "sv", "fairly_satisfied", &["move", "other"], "age_30_44"),
        (7, "sv", "fairly_dissatisfied", &["household"], "age_30_44"),
        (14, "sv", "dont_know", &[], "age_45_64"),
        (14, "sv", "fairly_dissatisfied", &["move"], "age_30_44"),
    ] {
        let on = month.first_day() + time::Duration::days(day);
        respond(&app, on, language, overall, missed, Some(age)).await;
    }
    let export = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_enkat"))
            .arg("export")
            .args(args)
            .env("DATABASE_URL", &url)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("enkat runs")
    };

    let summary = folder.path().join("summary.csv");
    let run = export(&["nexus", "--dialect", "excel-sv", "-o", summary.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let body = std::fs::read_to_string(&summary).unwrap();
    let (_, rows) = parse_csv(body.strip_prefix('\u{feff}').expect("a BOM"), b';');
    assert_eq!(&row_of(&rows, "overall", "very_satisfied")[10], "0,6000", "the same figures as on the page");

    // Whole responses come from closed periods only, by the machine's
    // clock: five Arabic-speaking in the month before last, always closed.
    let last_month = (app.today().replace_day(1).unwrap() - time::Duration::days(1)).replace_day(1).unwrap();
    let first = (last_month - time::Duration::days(1)).replace_day(1).unwrap();
    for _ in 0..5 {
        let on = DatePrecision::Week.coarsen(first + time::Duration::days(7));
        respond_with_comment(&app, on, "ar", "شكرًا").await;
    }
    let responses = folder.path().join("responses.xlsx");
    let run = export(&[
        "nexus",
        "--what",
        "responses",
        "--format",
        "xlsx",
        "--lang",
        "ar",
        "--from",
        &Period::containing(ReportPeriod::Month, first).to_string(),
        "-o",
        responses.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let mut workbook: Xlsx<_> = calamine::open_workbook(&responses).expect("a valid xlsx");
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.rows().count(), 2 + 5, "two header rows and the five Arabic-speaking responses");
    let period = Data::String(Period::containing(ReportPeriod::Month, first).to_string());
    assert!(sheet.rows().skip(2).all(|row| row[0] == period), "the month, five alike: shown");

    let texts = folder.path().join("texts.csv");
    let run = export(&["nexus", "--what", "texts", "--lang", "ar", "-o", texts.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let (header, rows) = parse_csv(&std::fs::read_to_string(&texts).unwrap(), b',');
    assert_eq!(header.iter().collect::<Vec<_>>(), ["period", "question_id", "question_text", "text"]);
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|row| &row[3] == "شكرًا"));

    let joined =
        export(&["nexus", "--what", "responses", "--text", "-o", folder.path().join("y.csv").to_str().unwrap()]);
    assert!(!joined.status.success(), "texts are never joined to the responses");
    assert!(String::from_utf8_lossy(&joined.stderr).contains("--what texts"));

    let refused = export(&["nexus", "--from", "9/11", "-o", folder.path().join("x.csv").to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("till exempel 2026-11"));
    let running = Period::containing(ReportPeriod::Month, app.today()).to_string();
    let refused = export(&["nexus", "--to", &running, "-o", folder.path().join("x.csv").to_str().unwrap()]);
    assert!(!refused.status.success(), "the running month is never exported");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("har inte avslutats"));
    assert!(!folder.path().join("x.csv").exists(), "a refused export writes nothing");

    let audit = app.store.audit_events(Some("export"), 10).await.unwrap();
    assert_eq!(audit.len(), 3, "every export written is in the audit log");
}

/// November 2026: 40 responses, 30 satisfied overall, 30 lacking help with
/// the move; December: 40, 20 satisfied, 10 lacking the move and 12 a
/// contact with the school.
async fn two_months_of_responses(app: &TestApp) {
    for n in 0..40 {
        let overall = if n < 30 { "very_satisfied" } else { "very_dissatisfied" };
        let missed: &[&str] = if n < 30 { &["move"] } else { &["housing"] };
        respond(app, date!(2026 - 11 - 10), "sv", overall, missed, None).await;
    }
    for n in 0..40 {
        let overall = if n < 20 { "fairly_satisfied" } else { "fairly_dissatisfied" };
        let missed: &[&str] = if n < 10 {
            &["move"]
        } else if n < 22 {
            &["school"]
        } else {
            &["housing"]
        };
        respond(app, date!(2026 - 12 - 10), "sv", overall, missed, None).await;
    }
}

async fn the_page_answers_first_with_intervals_and_changes_since_the_month_before(backend: Backend) {
    let (app, cookie) = admin_app(backend).await;
    two_months_of_responses(&app).await;

    let page = app.get_as(&cookie, "/staff/q/nexus?from=2026-12&to=2026-12").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("#overview"), "Sammanfattning: december 2026");
    assert_eq!(page.text(".overview .response-count"), "Antal svar: 40 (november 2026: 40)");
    let first_section = page.body.find("class=\"overview\"").unwrap();
    assert!(first_section < page.body.find("results-filter").unwrap(), "the summary comes before the filters");

    // Helhet: 20 of 40, 50 % (Wilson 35–65 %); 30 of 40 in November:
    // z = (0.25 − 0.025) / 0.1083 = 2.08 > 1.96, so it fell.
    let rows = page.texts(".overview-areas tbody tr");
    assert!(rows.iter().any(|row| row == "Helhet 50,0 % 35,2–64,8 % minskat"), "{rows:?}");
    // The most lacked: housing 18, school 12, move 10 of 40. Housing was
    // lacked by 10 of 40 in November: 0.2 apart, z = 1.64: no clear change.
    // Move: 30 then 10 of 40, z = 4.25: fell. School, 0 in November: the
    // expected counts are 6, so the test applies: z = 3.44, rose.
    assert_eq!(
        page.texts(".overview-lacked tbody tr"),
        [
            "Kontakt med bostadsförmedling eller hyresvärd 18 45,0 % 30,7–60,2 % ingen säker förändring",
            "Kontakt med förskola eller skola 12 30,0 % 18,1–45,4 % ökat",
            "Hjälp att organisera flytten 10 25,0 % 14,2–40,2 % minskat",
        ]
    );

    // Both months together: nothing before them to compare with.
    let all = app.get_as(&cookie, "/staff/q/nexus").await;
    assert_eq!(all.text(".overview .response-count"), "Antal svar: 80");
    assert!(!all.body.contains("Jämfört med"), "no comparison column without earlier months");
}
