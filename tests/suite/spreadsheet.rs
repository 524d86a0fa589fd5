//! The exports opened in a real spreadsheet: LibreOffice Calc, headless,
//! from Debian's packages (`libreoffice-calc-nogui`). Each file is
//! downloaded by following the results page's links as an admin, opened as
//! a person with Swedish settings would open it by double-click, and saved
//! as an OpenDocument sheet that calamine reads back: what a cell holds and
//! whether it is a number or a text, as Calc has it.
//!
//! Without `soffice` these tests say so on stderr and pass, unless
//! `ENKAT_TEST_SPREADSHEET=1` (`.ci/run` sets it), when they fail.

use std::collections::HashMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::common::{Backend, TestApp, answer};
use axum::http::StatusCode;
use calamine::{Data, Ods, Reader};
use enkat::clock::Clock;
use time::macros::date;

/// The comment with everything that can move a cell: a comma, a
/// semicolon, quotes and a line break.
const COMMENT: &str = "Bra stöd, men; \"för kort\" tid\nTack";

/// How LibreOffice opens a `.csv` by double-click with Swedish settings,
/// in the CSV filter's options (LibreOffice Help, "CSV Filter Options"):
/// 1 the field separators, tab, comma and semicolon (its dialog's defaults,
/// which is why `0,4979` split), 2 `"` as text delimiter, 3 UTF-8 (76),
/// 4 from line 1, 5 every column "Standard", 6 the language sv-SE (1053).
const SWEDISH_DOUBLE_CLICK: &str = "CSV:9/44/59,34,76,1,,1053";

/// One LibreOffice at a time: two would share the machine's two cores, and
/// each takes seconds to start.
static LIBREOFFICE: Mutex<()> = Mutex::new(());

/// Where `soffice` is, or `None` after saying on stderr that the tests are
/// skipped. Panics when it is missing and `ENKAT_TEST_SPREADSHEET=1`.
fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|dir| dir.join("soffice")).find(|path| path.is_file()));
    if found.is_none() {
        assert!(
            std::env::var_os("ENKAT_TEST_SPREADSHEET").is_none_or(|flag| flag != "1"),
            "ENKAT_TEST_SPREADSHEET=1 but `soffice` is not on PATH: \
             apt-get install --no-install-recommends libreoffice-calc-nogui"
        );
        // Straight to stderr: libtest would hide a passing test's eprintln!.
        let _ = writeln!(
            std::io::stderr(),
            "spreadsheet tests skipped: `soffice` (LibreOffice Calc) is not installed; \
             set ENKAT_TEST_SPREADSHEET=1 to require it"
        );
    }
    found
}

/// The files opened in Calc with `infilter` (`None`: Calc picks, as for
/// xlsx) and saved as OpenDocument: each file's sheets by name, each sheet
/// as rows of cells.
fn open_in_calc(soffice: &Path, files: &[(&str, &[u8])], infilter: Option<&str>) -> HashMap<String, Sheets> {
    let _one_at_a_time = LIBREOFFICE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let folder = tempfile::tempdir().unwrap();
    let mut command = Command::new(soffice);
    // A profile of its own, and a HOME it may write to.
    command
        .env("HOME", folder.path())
        .arg(format!("-env:UserInstallation=file://{}", folder.path().join("profile").display()))
        .args(["--headless", "--norestore", "--convert-to", "ods", "--outdir"])
        .arg(folder.path().join("out"));
    if let Some(infilter) = infilter {
        command.arg(format!("--infilter={infilter}"));
    }
    for (name, bytes) in files {
        let path = folder.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        command.arg(path);
    }
    let mut child = command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("soffice took more than a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "soffice failed: {}", String::from_utf8_lossy(&output.stderr));
    files
        .iter()
        .map(|(name, _)| {
            let stem = Path::new(name).file_stem().unwrap().to_str().unwrap();
            let converted = folder.path().join("out").join(format!("{stem}.ods"));
            let bytes = std::fs::read(&converted).unwrap_or_else(|error| {
                panic!("no {}: {error}; soffice said {}", converted.display(), String::from_utf8_lossy(&output.stderr))
            });
            let mut workbook: Ods<_> = Ods::new(Cursor::new(bytes)).expect("an OpenDocument sheet");
            let sheets = workbook
                .sheet_names()
                .into_iter()
                .map(|name| {
                    let range = workbook.worksheet_range(&name).expect("a sheet calamine reads");
                    (name, range.rows().map(<[Data]>::to_vec).collect())
                })
                .collect();
            ((*name).to_owned(), Sheets(sheets))
        })
        .collect()
}

/// A converted file's sheets, in order, by name.
struct Sheets(Vec<(String, Vec<Vec<Data>>)>);

impl Sheets {
    fn first(&self) -> &[Vec<Data>] {
        &self.0[0].1
    }

    #[track_caller]
    fn named(&self, name: &str) -> &[Vec<Data>] {
        &self.0.iter().find(|(sheet, _)| sheet == name).unwrap_or_else(|| panic!("a sheet {name}")).1
    }
}

fn text(cell: &str) -> Data {
    Data::String(cell.to_owned())
}

/// The row whose cells in the columns `question_id` and `option_id` (found
/// in `header`) are `question` and `option`.
#[track_caller]
fn row<'r>(rows: &'r [Vec<Data>], header: &[Data], question: &str, option: &str) -> &'r [Data] {
    let question_id = column(header, "question_id");
    let option_id = column(header, "option_id");
    rows.iter()
        .find(|row| row[question_id] == text(question) && row[option_id] == text(option))
        .unwrap_or_else(|| panic!("a row for {question}/{option}"))
}

#[track_caller]
fn column(header: &[Data], name: &str) -> usize {
    header.iter().position(|cell| *cell == text(name)).unwrap_or_else(|| panic!("a column {name} in {header:?}"))
}

#[track_caller]
fn assert_near(cell: &Data, expected: f64) {
    assert!(
        matches!(cell, Data::Float(value) if (value - expected).abs() < 1e-9),
        "{cell:?} is not the number {expected}"
    );
}

/// Every row as wide as the header: no cell split in two, none moved.
#[track_caller]
fn assert_columns(rows: &[Vec<Data>], width: usize, file: &str) {
    for (at, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), width, "{file}, row {}: {row:?}", at + 1);
    }
}

/// Tuesday 15 December 2026: November has closed.
fn after_november() -> Clock {
    Clock::fixed("2026-12-15T12:00:00Z".parse().unwrap(), "Europe/Stockholm").unwrap()
}

/// Six responses in November, aged 30–44, each with a comment:
/// overall very satisfied 2, fairly satisfied 2, fairly dissatisfied 1,
/// very dissatisfied 1; n = 6, shares 1/3, 1/3, 1/6, 1/6, share positive
/// 4/6 = 0.6667, mean (4·2 + 3·2 + 2·1 + 1·1)/6 = 17/6 = 2.83. Missing
/// support: move for the first three.
async fn six_responses(app: &TestApp) {
    let questionnaire = app.catalog.get("nexus").unwrap();
    let overall = ["very_satisfied", "very_satisfied", "fairly_satisfied", "fairly_satisfied", "fairly_dissatisfied"];
    let overall = overall.into_iter().chain(["very_dissatisfied"]);
    for (index, overall) in overall.enumerate() {
        let comment = if index == 0 { COMMENT.to_owned() } else { format!("Kommentar {index}") };
        let mut answers = vec![
            answer("overall", Some(overall), None),
            answer("age", Some("age_30_44"), None),
            answer("comment", None, Some(&comment)),
        ];
        if index < 3 {
            answers.push(answer("missing_support", Some("move"), None));
        }
        let on = [date!(2026 - 11 - 02), date!(2026 - 11 - 09), date!(2026 - 11 - 16)][index % 3];
        app.store_response(questionnaire, "sv", on, &answers).await;
    }
}

/// The export links of the results page, by what they say, for `file`.
async fn link(app: &TestApp, cookie: &str, file: &str, says: &str) -> String {
    let page = app.get_as(cookie, "/staff/q/nexus").await;
    let links = scraper::Selector::parse("section.exports a").unwrap();
    page.html()
        .select(&links)
        .find(|link| {
            link.text().collect::<String>() == says && link.attr("href").is_some_and(|href| href.contains(file))
        })
        .and_then(|link| link.attr("href"))
        .unwrap_or_else(|| panic!("a link to {file} saying {says:?}"))
        .to_owned()
}

const EXCEL_SV: &str = "CSV för Excel/LibreOffice på svenska (semikolon, decimalkomma)";
const STANDARD: &str = "CSV för program och skript (komma, decimalpunkt)";
const XLSX: &str = "Excel (xlsx)";

/// The file behind the results page's link.
async fn download(app: &TestApp, cookie: &str, file: &str, says: &str) -> Vec<u8> {
    let href = link(app, cookie, file, says).await;
    let download = app.get_as(cookie, &href).await;
    assert_eq!(download.status, StatusCode::OK, "{href}");
    download.bytes
}

#[tokio::test]
async fn the_csv_files_open_in_swedish_calc_with_their_columns_numbers_and_texts() {
    let Some(soffice) = soffice() else { return };
    let app = TestApp::with_clock(Backend::Sqlite, "questionnaires", after_november()).await;
    six_responses(&app).await;
    let cookie = app.logged_in_admin().await;
    let standard = download(&app, &cookie, "summary.csv", STANDARD).await;
    let summary = download(&app, &cookie, "summary.csv", EXCEL_SV).await;
    let responses = download(&app, &cookie, "responses.csv", EXCEL_SV).await;
    let texts = download(&app, &cookie, "texts.csv", EXCEL_SV).await;
    let opened = open_in_calc(
        &soffice,
        &[("standard.csv", &standard), ("summary.csv", &summary), ("responses.csv", &responses), ("texts.csv", &texts)],
        Some(SWEDISH_DOUBLE_CLICK),
    );

    // The Swedish summary: 13 columns on every row, decimals as numbers.
    let sheet = opened["summary.csv"].first();
    let header = &sheet[0];
    assert_eq!(header[0], text("question_id"), "no byte order mark in the first cell");
    assert_columns(sheet, 13, "summary.csv (excel-sv)");
    let very = row(sheet, header, "overall", "very_satisfied");
    assert_eq!(
        very[column(header, "question_text")],
        text("Hur nöjd eller missnöjd är du sammantaget med stödet från Nexus?")
    );
    assert_eq!(very[column(header, "option_label")], text("Mycket nöjd"));
    assert_eq!(very[column(header, "area")], text("helhet"));
    assert_near(&very[column(header, "count")], 2.0);
    assert_near(&very[column(header, "share")], 0.3333);
    assert_near(&very[column(header, "n")], 6.0);
    assert_near(&very[column(header, "share_positive")], 0.6667);
    assert_near(&very[column(header, "mean")], 2.83);
    let other = row(sheet, header, "missing_support", "other");
    assert_eq!(other[column(header, "option_label")], text("Annat, nämligen"), "a label with a comma stays whole");

    // The standard summary keeps its columns too, but its decimal points
    // are not Swedish: the shares stay text, as the docs and the page say.
    let sheet = opened["standard.csv"].first();
    let header = &sheet[0];
    assert_columns(sheet, 13, "summary.csv (standard)");
    let very = row(sheet, header, "overall", "very_satisfied");
    assert_near(&very[column(header, "count")], 2.0);
    assert_eq!(very[column(header, "share")], text("0.3333"), "a decimal point is text in Swedish");
    assert_eq!(very[column(header, "share_positive")], text("0.6667"));

    // The responses: ids in the header, codes as text, choices as numbers.
    let sheet = opened["responses.csv"].first();
    let header = &sheet[0];
    assert_eq!(header[..4], [text("period"), text("language"), text("version"), text("channel")]);
    assert_columns(sheet, header.len(), "responses.csv (excel-sv)");
    assert_eq!(sheet.len(), 1 + 6);
    let moved: Vec<&Data> = sheet[1..].iter().map(|row| &row[column(header, "missing_support.move")]).collect();
    assert!(moved.iter().all(|cell| matches!(cell, Data::Float(value) if *value == 0.0 || *value == 1.0)), "{moved:?}");
    assert_eq!(moved.iter().filter(|cell| ***cell == Data::Float(1.0)).count(), 3);
    assert!(sheet[1..].iter().all(|row| row[column(header, "age")] == text("age_30_44")));
    assert!(sheet[1..].iter().all(|row| row[column(header, "language")] == text("sv")));
    assert!(sheet[1..].iter().all(|row| row[column(header, "period")] == text("2026-11")), "the period stays a text");

    // The texts: the comment whole, in its column, on its own row.
    let sheet = opened["texts.csv"].first();
    let header = &sheet[0];
    assert_eq!(header[..], [text("period"), text("question_id"), text("question_text"), text("text")]);
    assert_columns(sheet, 4, "texts.csv (excel-sv)");
    assert_eq!(sheet.len(), 1 + 6, "one row per text, the line break inside its cell");
    let comments: Vec<&Data> = sheet[1..].iter().map(|row| &row[3]).collect();
    assert_eq!(comments.iter().filter(|cell| ***cell == text(COMMENT)).count(), 1, "{comments:?}");
    assert!(sheet[1..].iter().all(|row| row[1] == text("comment") && row[0] == text("2026-11")));
}

#[tokio::test]
async fn the_workbooks_open_in_calc_with_swedish_headers_labels_and_numbers() {
    let Some(soffice) = soffice() else { return };
    let app = TestApp::with_clock(Backend::Sqlite, "questionnaires", after_november()).await;
    six_responses(&app).await;
    let cookie = app.logged_in_admin().await;
    let summary = download(&app, &cookie, "summary.xlsx", XLSX).await;
    let responses = download(&app, &cookie, "responses.xlsx", XLSX).await;
    let opened = open_in_calc(&soffice, &[("summary.xlsx", &summary), ("responses.xlsx", &responses)], None);

    let sheet = opened["summary.xlsx"].named("Sammanfattning");
    assert_eq!(sheet[0][..3], [text("Fråga (kod)"), text("Fråga"), text("Frågans roll")]);
    assert_eq!((&sheet[0][10], &sheet[1][10]), (&text("Andel positiva"), &text("share_positive")));
    let ids = &sheet[1];
    let very = row(&sheet[2..], ids, "overall", "very_satisfied");
    assert_eq!(very[column(ids, "role")], text("nöjdhet"));
    assert_eq!(very[column(ids, "option_label")], text("Mycket nöjd"));
    assert_near(&very[column(ids, "count")], 2.0);
    assert_near(&very[column(ids, "share")], 2.0 / 6.0);
    assert_near(&very[column(ids, "share_positive")], 4.0 / 6.0);
    assert_near(&very[column(ids, "mean")], 17.0 / 6.0);

    let workbook = &opened["responses.xlsx"];
    let names: Vec<&str> = workbook.0.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Svar", "Svarskoder", "Fritextsvar", "Om filen"]);
    let sheet = workbook.named("Svar");
    let ids = &sheet[1];
    assert_eq!(
        sheet[0][column(ids, "overall")],
        text("Hur nöjd eller missnöjd är du sammantaget med stödet från Nexus?")
    );
    assert_eq!(sheet[0][column(ids, "age")], text("Hur gammal är du?"));
    assert_eq!(sheet.len(), 2 + 6);
    let mut overall: Vec<String> = sheet[2..].iter().map(|row| row[column(ids, "overall")].to_string()).collect();
    overall.sort();
    assert_eq!(
        overall,
        ["Ganska missnöjd", "Ganska nöjd", "Ganska nöjd", "Mycket missnöjd", "Mycket nöjd", "Mycket nöjd"],
        "answers as labels"
    );
    assert!(sheet[2..].iter().all(|row| row[column(ids, "age")] == text("30–44")));
    let moved = sheet[2..].iter().filter(|row| row[column(ids, "missing_support.move")] == Data::Float(1.0)).count();
    assert_eq!(moved, 3, "a choice is a number");
    let codes = workbook.named("Svarskoder");
    assert!(
        codes.iter().any(|row| row[..] == [text("age"), text("Hur gammal är du?"), text("age_30_44"), text("30–44")])
    );
    let texts = workbook.named("Fritextsvar");
    assert_eq!(texts.iter().skip(2).filter(|row| row[3] == text(COMMENT)).count(), 1);
}
