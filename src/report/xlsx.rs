//! XLSX exports: the same columns as the CSV exports, for a person in a
//! spreadsheet: a header row in Swedish above the row of column ids,
//! answers as their labels (their codes on a sheet of their own), and
//! numbers stored as numbers so staff can calculate on them in Excel; the
//! responses workbook also holds the list of free texts and its notes.
//!
//! Texts are stored as string cells, which a spreadsheet never runs as a
//! formula, so they need no neutralising here (unlike in CSV).

use rust_xlsxwriter::{Color, Format, FormatAlign, RowNum, Workbook, Worksheet, XlsxError};

use super::csv::{SUMMARY_COLUMNS, TEXTS_COLUMNS};
use super::microdata::ListedText;
use super::responses::{BLANKED_HEADING, Cell, Column, Notes, ROWS_BLANKED, ResponsesPlan};
use super::summary::{Summary, area_id, summary_rows};
use super::{ReportError, ResponseRecord};
use crate::questionnaire::Role;

/// The summary's sheet.
pub const SUMMARY_SHEET: &str = "Sammanfattning";
/// The responses' sheet.
pub const RESPONSES_SHEET: &str = "Svar";
/// The answers' codes: each answer column's codes and their labels.
pub const CODES_SHEET: &str = "Svarskoder";
/// The free texts' sheet, in the responses workbook and alone.
pub const TEXTS_SHEET: &str = "Fritextsvar";
/// The sheet of notes on the responses workbook.
pub const NOTES_SHEET: &str = "Om filen";

/// The summary sheet's Swedish header, column by column above
/// [`SUMMARY_COLUMNS`].
pub const SUMMARY_HEADERS: [&str; 13] = [
    "Fråga (kod)",
    "Fråga",
    "Frågans roll",
    "Område",
    "Svar (kod)",
    "Svarsalternativ",
    "Antal",
    "Andel",
    "Antal svar (n, utom vet inte)",
    "Vet inte",
    "Andel positiva",
    "Medelvärde",
    "Dold: för få svar",
];

/// The columns of the sheet [`CODES_SHEET`].
pub const CODES_HEADERS: [&str; 4] = ["Kolumn", "Fråga", "Kod", "Svar"];

/// A question's role in Swedish, as the summary sheet shows it.
fn role_label(role: Role) -> &'static str {
    match role {
        Role::Satisfaction => "nöjdhet",
        Role::UnmetSupport => "stöd som saknades",
        Role::ReceivedSupport => "stöd som gavs",
        Role::Background => "bakgrund",
    }
}

/// The two header rows every table sheet starts with: the Swedish names a
/// person reads (bold), then the ids scripts and the CSV files use (grey
/// italics); both frozen.
fn header_rows<'a>(
    sheet: &mut Worksheet,
    columns: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), ReportError> {
    let label = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let id = Format::new().set_italic().set_font_color(Color::Gray);
    for (at, (swedish, name)) in (0..).zip(columns) {
        sheet.write_string_with_format(0, at, swedish, &label)?;
        sheet.write_string_with_format(1, at, name, &id)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    Ok(())
}

/// The summary as a workbook with one sheet, [`SUMMARY_SHEET`]: the columns
/// of the summary CSV under two header rows ([`SUMMARY_HEADERS`], then the
/// ids), roles in Swedish, shares as percentages, counts and means as
/// numbers, suppressed figures as empty cells.
pub fn summary_workbook(summary: &Summary) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SUMMARY_SHEET)?;
    let whole = Format::new().set_num_format("0");
    let percent = Format::new().set_num_format("0.0%");
    let mean = Format::new().set_num_format("0.00");

    header_rows(sheet, SUMMARY_HEADERS.into_iter().zip(SUMMARY_COLUMNS))?;
    for (column, width) in [(0, 14), (1, 50), (2, 16), (3, 14), (4, 14), (5, 35)] {
        sheet.set_column_width(column, width)?;
    }
    for column in 6..13 {
        sheet.set_column_width(column, 12)?;
    }

    for (index, row) in summary_rows(summary).enumerate() {
        let at = row_number(index + 2)?;
        let question = row.question;
        sheet.write_string(at, 0, &question.id)?;
        sheet.write_string(at, 1, &question.text)?;
        sheet.write_string(at, 2, question.role.map(role_label).unwrap_or_default())?;
        sheet.write_string(at, 3, question.area.map(area_id).unwrap_or_default())?;
        sheet.write_string(at, 4, &row.option.id)?;
        sheet.write_string(at, 5, &row.option.label)?;
        // Counts are far below 2^53, so they are exact as Excel's doubles.
        let counts = [(6, row.count), (8, row.n), (9, row.dont_know)];
        for (column, count) in counts {
            if let Some(count) = count {
                sheet.write_number_with_format(at, column, count as f64, &whole)?;
            }
        }
        for (column, value, format) in
            [(7, row.share, &percent), (10, row.share_positive, &percent), (11, row.mean, &mean)]
        {
            if let Some(value) = value {
                sheet.write_number_with_format(at, column, value, format)?;
            }
        }
        sheet.write_boolean(at, 12, row.suppressed)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// The responses as a workbook of four sheets. [`RESPONSES_SHEET`]: the
/// columns of the responses CSV as `plan` shows them, under two header
/// rows: each column's question in the default language (a multi
/// question's columns with their option), then the column ids; an answer
/// is its label in the default language, a choice in a multi question the
/// number 0 or 1. [`CODES_SHEET`]: each answer column's codes, as in the
/// CSV, with their labels. [`TEXTS_SHEET`]: the list of free texts, apart
/// from the rows. [`NOTES_SHEET`]: `notes`, what the file covers and how it
/// is protected.
pub fn responses_workbook(
    plan: &ResponsesPlan,
    responses: impl IntoIterator<Item = ResponseRecord>,
    texts: &[ListedText],
    notes: &Notes,
) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(RESPONSES_SHEET)?;
    let columns = plan.columns();
    header_rows(sheet, columns.iter().map(|column| (column.label.as_str(), column.header.as_str())))?;
    for at in (0..).take(columns.len()) {
        sheet.set_column_width(at, 18)?;
    }

    let mut index = 2;
    for response in responses {
        let Some(cells) = plan.row(&response) else { continue };
        let at = row_number(index)?;
        index += 1;
        for ((at_column, column), cell) in (0..).zip(columns).zip(cells) {
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(at, at_column, column.label_of(&text).unwrap_or(&text))?;
                }
                Cell::Flag(chosen) => {
                    sheet.write_number(at, at_column, u8::from(chosen))?;
                }
                Cell::Empty => {}
            }
        }
    }
    codes_sheet(workbook.add_worksheet(), columns)?;
    texts_sheet(workbook.add_worksheet(), texts)?;
    notes_sheet(workbook.add_worksheet(), notes)?;
    Ok(workbook.save_to_buffer()?)
}

/// Every scale and single question's column: one row per code it can
/// hold, with the question and the label the sheet [`RESPONSES_SHEET`]
/// shows for it, so the codes of the CSV file stay at hand.
fn codes_sheet(sheet: &mut Worksheet, columns: &[Column]) -> Result<(), ReportError> {
    sheet.set_name(CODES_SHEET)?;
    let header = Format::new().set_bold();
    for (column, name) in (0..).zip(CODES_HEADERS) {
        sheet.write_string_with_format(0, column, name, &header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (column, width) in [(0, 16), (1, 50), (2, 16), (3, 35)] {
        sheet.set_column_width(column, width)?;
    }
    let mut at = 1;
    for column in columns {
        for code in column.codes() {
            let row = row_number(at)?;
            sheet.write_string(row, 0, &column.header)?;
            sheet.write_string(row, 1, &column.label)?;
            sheet.write_string(row, 2, &code.id)?;
            sheet.write_string(row, 3, &code.label)?;
            at += 1;
        }
    }
    Ok(())
}

/// The list of free texts alone, as a workbook with the sheet
/// [`TEXTS_SHEET`].
pub fn texts_workbook(texts: &[ListedText]) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    texts_sheet(workbook.add_worksheet(), texts)?;
    Ok(workbook.save_to_buffer()?)
}

/// The texts sheet's Swedish header, above [`TEXTS_COLUMNS`].
pub const TEXTS_HEADERS: [&str; 4] = ["Period", "Fråga (kod)", "Fråga", "Text"];

/// The columns of the texts CSV under two header rows ([`TEXTS_HEADERS`],
/// then the ids), then one row per text in the order given.
fn texts_sheet(sheet: &mut Worksheet, texts: &[ListedText]) -> Result<(), ReportError> {
    sheet.set_name(TEXTS_SHEET)?;
    let wrapped = Format::new().set_text_wrap();
    header_rows(sheet, TEXTS_HEADERS.into_iter().zip(TEXTS_COLUMNS))?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 40)?;
    sheet.set_column_width(3, 80)?;
    for (index, text) in texts.iter().enumerate() {
        let at = row_number(index + 2)?;
        sheet.write_string(at, 0, text.period.to_string())?;
        sheet.write_string(at, 1, &text.question_id)?;
        sheet.write_string_with_format(at, 2, &text.question_text, &wrapped)?;
        sheet.write_string_with_format(at, 3, &text.text, &wrapped)?;
    }
    Ok(())
}

/// The notes: a heading, the paragraphs one to a row, then a table of the
/// values blanked per column.
fn notes_sheet(sheet: &mut Worksheet, notes: &Notes) -> Result<(), ReportError> {
    sheet.set_name(NOTES_SHEET)?;
    let bold = Format::new().set_bold();
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.set_column_width(0, 100)?;
    sheet.set_column_width(1, 12)?;
    sheet.write_string_with_format(0, 0, NOTES_SHEET, &bold)?;
    let mut at = 2;
    for paragraph in &notes.paragraphs {
        sheet.write_string_with_format(row_number(at)?, 0, paragraph, &wrapped)?;
        at += 1;
    }
    at += 1;
    sheet.write_string_with_format(row_number(at)?, 0, BLANKED_HEADING, &bold)?;
    for (column, count) in notes
        .blanked
        .iter()
        .map(|(column, count)| (column.as_str(), *count))
        .chain([(ROWS_BLANKED, notes.rows_blanked)])
    {
        at += 1;
        sheet.write_string(row_number(at)?, 0, column)?;
        // Counts are far below 2^53, so they are exact as Excel's doubles.
        sheet.write_number(row_number(at)?, 1, count as f64)?;
    }
    Ok(())
}

/// A sheet row number, or the error Excel's row limit gives.
fn row_number(index: usize) -> Result<RowNum, XlsxError> {
    RowNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};

    use time::macros::date;

    use super::*;
    use crate::questionnaire::ReportPeriod;
    use crate::report::fixture::{answer, questionnaire, questionnaire_with_min, response, ten_responses};
    use crate::report::period::Period;
    use crate::report::{Filter, summarize};

    fn sheet(bytes: Vec<u8>, name: &str) -> Range<Data> {
        let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a readable workbook");
        workbook.worksheet_range(name).expect("the sheet exists")
    }

    /// The row whose first cells are `question` and, in column 4, `option`.
    fn summary_row<'r>(range: &'r Range<Data>, question: &str, option: &str) -> &'r [Data] {
        range
            .rows()
            .find(|row| row[0] == Data::String(question.to_owned()) && row[4] == Data::String(option.to_owned()))
            .unwrap_or_else(|| panic!("a row for {question}/{option}"))
    }

    #[test]
    fn the_summary_sheet_has_the_csv_columns_and_numbers_as_numbers() {
        let bytes = summary_workbook(&summarize(&questionnaire(), &ten_responses())).unwrap();
        let range = sheet(bytes, SUMMARY_SHEET);
        let header = |row: usize| -> Vec<String> { range[row].iter().map(|cell| cell.to_string()).collect() };
        assert_eq!(header(0), SUMMARY_HEADERS, "a person reads Swedish first");
        assert_eq!(header(1), SUMMARY_COLUMNS, "then the ids of the CSV file");
        assert_eq!(header(0)[10], "Andel positiva");

        // reach/very_easy: count 3, share 3/6, n 6, dont_know 2, share_positive 5/6, mean 20/6
        let reach = summary_row(&range, "reach", "very_easy");
        assert_eq!(reach[1], Data::String("Hur lätt var det att nå oss?".to_owned()));
        assert_eq!(reach[2], Data::String("nöjdhet".to_owned()), "the role in Swedish");
        assert_eq!(reach[5], Data::String("Mycket lätt".to_owned()));
        assert_eq!(reach[3], Data::String("tillgänglighet".to_owned()));
        assert_eq!(reach[6], Data::Float(3.0));
        assert_eq!(reach[7], Data::Float(0.5));
        assert_eq!((&reach[8], &reach[9]), (&Data::Float(6.0), &Data::Float(2.0)));
        assert!(matches!(reach[10], Data::Float(share) if (share - 5.0 / 6.0).abs() < 1e-9));
        assert!(matches!(reach[11], Data::Float(mean) if (mean - 20.0 / 6.0).abs() < 1e-9));
        assert_eq!(reach[12], Data::Bool(false));
        // the "don't know" row has no share
        assert_eq!(summary_row(&range, "reach", "dont_know")[7], Data::Empty);
    }

    #[test]
    fn suppressed_figures_are_empty_cells_in_the_summary_sheet() {
        let bytes = summary_workbook(&summarize(&questionnaire(), &ten_responses())).unwrap();
        let range = sheet(bytes, SUMMARY_SHEET);
        let improved = summary_row(&range, "improved", "much_better");
        assert_eq!(improved[5], Data::String("Mycket bättre".to_owned()));
        assert!(improved[6..12].iter().all(|cell| *cell == Data::Empty), "{improved:?}");
        assert_eq!(improved[12], Data::Bool(true));
    }

    /// The responses workbook of `responses`, anonymous for `k`, with the
    /// list of `texts`.
    fn workbook_for(k: u64, responses: Vec<ResponseRecord>, texts: &[ListedText]) -> Vec<u8> {
        let questionnaire = questionnaire_with_min(k);
        let last = Period::containing(ReportPeriod::Month, date!(2026 - 11 - 01));
        let plan = ResponsesPlan::from_records(&questionnaire, &responses, last);
        let notes = plan.notes(&Filter { to: Some(last.last_day()), ..Filter::default() });
        responses_workbook(&plan, responses, texts, &notes).unwrap()
    }

    #[test]
    fn the_responses_sheet_has_question_texts_then_ids_then_answers_as_labels() {
        let responses = vec![response(vec![
            answer("reach", Some("very_easy"), None),
            answer("received", Some("move"), None),
            answer("missing", Some("other"), Some("=HYPERLINK(\"http://evil.example\")")),
        ])];
        let range = sheet(workbook_for(1, responses, &[]), RESPONSES_SHEET);
        let rows: Vec<&[Data]> = range.rows().collect();
        let column = |name: &str| rows[1].iter().position(|cell| *cell == Data::String(name.to_owned())).unwrap();

        assert_eq!(
            rows[1][..5],
            [
                Data::String("period".to_owned()),
                Data::String("language".to_owned()),
                Data::String("version".to_owned()),
                Data::String("channel".to_owned()),
                Data::String("reach".to_owned()),
            ]
        );
        assert_eq!(rows[0][column("period")], Data::String("Period".to_owned()));
        assert_eq!(rows[0][column("version")], Data::String("Enkätens version".to_owned()));
        assert_eq!(rows[0][column("reach")], Data::String("Hur lätt var det att nå oss?".to_owned()));
        assert_eq!(
            rows[0][column("received.move")],
            Data::String("Vilket stöd fick du? – Hjälp med flytten".to_owned())
        );

        let first = rows[2];
        assert_eq!(first[column("period")], Data::String("2026-11".to_owned()), "the period, never a day");
        assert_eq!(first[column("reach")], Data::String("Mycket lätt".to_owned()), "the answer as a person reads it");
        assert_eq!(first[column("received.move")], Data::Float(1.0));
        assert_eq!(first[column("received.school")], Data::Float(0.0));
        assert_eq!(first[column("missing.other")], Data::Float(1.0), "chosen; its text is not here");
        assert_eq!(first[column("listened")], Data::Empty);
        assert_eq!(rows.len(), 3);
        let headers: Vec<String> = rows[1].iter().map(|cell| cell.to_string()).collect();
        assert!(!headers.iter().any(|header| header == "comment" || header == "most_needed.other"));
    }

    #[test]
    fn the_codes_sheet_gives_every_answer_columns_codes_and_labels() {
        let responses =
            vec![response(vec![answer("reach", Some("dont_know"), None), answer("age", Some("older"), None)])];
        let bytes = workbook_for(1, responses, &[]);
        let answers = sheet(bytes.clone(), RESPONSES_SHEET);
        let codes = sheet(bytes, CODES_SHEET);
        let rows: Vec<Vec<String>> = codes.rows().map(|row| row.iter().map(ToString::to_string).collect()).collect();
        assert_eq!(rows[0], CODES_HEADERS);
        let code = |column: &str, code: &str| {
            rows.iter()
                .find(|row| row[0] == column && row[2] == code)
                .unwrap_or_else(|| panic!("a row for {column}/{code}"))[3]
                .clone()
        };
        assert_eq!(code("reach", "very_easy"), "Mycket lätt");
        assert_eq!(code("reach", "dont_know"), "Vet inte");
        assert_eq!(code("most_needed", "other"), "Annat, nämligen");
        assert!(rows.iter().all(|row| !row[0].contains('.')), "multi columns are 0/1, with no codes to list");
        // Each label on the responses sheet is found under its column's code.
        let ids: Vec<String> = answers.rows().nth(1).unwrap().iter().map(ToString::to_string).collect();
        let first: Vec<String> = answers.rows().nth(2).unwrap().iter().map(ToString::to_string).collect();
        let at = |name: &str| ids.iter().position(|id| id == name).unwrap();
        assert_eq!(first[at("reach")], code("reach", "dont_know"));
        assert_eq!(first[at("age")], code("age", "older"));
    }

    #[test]
    fn free_texts_are_a_sheet_of_their_own() {
        let responses = vec![response(vec![answer("missing", Some("other"), Some("=HYPERLINK(\"x\")"))])];
        let texts = [ListedText {
            period: Period::containing(ReportPeriod::Month, date!(2026 - 11 - 23)),
            question_id: "missing".to_owned(),
            question_text: "Vilket stöd saknade du? – Annat, nämligen".to_owned(),
            text: "=HYPERLINK(\"x\")".to_owned(),
        }];
        let bytes = workbook_for(1, responses, &texts);
        let responses = sheet(bytes.clone(), RESPONSES_SHEET);
        assert!(!responses.rows().flatten().any(|cell| cell.to_string().contains("HYPERLINK")));
        let texts = sheet(bytes, TEXTS_SHEET);
        let rows: Vec<&[Data]> = texts.rows().collect();
        let header = |row: usize| -> Vec<String> { rows[row].iter().map(|cell| cell.to_string()).collect() };
        assert_eq!(
            (header(0), header(1)),
            (TEXTS_HEADERS.map(str::to_owned).to_vec(), TEXTS_COLUMNS.map(str::to_owned).to_vec())
        );
        // A string cell is never a formula, so the text is kept as written.
        assert_eq!(rows[2][3], Data::String("=HYPERLINK(\"x\")".to_owned()));
        assert_eq!(rows[2][0], Data::String("2026-11".to_owned()));
    }

    #[test]
    fn the_notes_sheet_gives_the_rule_and_what_was_blanked() {
        let with = |language: &str, age: &str| ResponseRecord {
            language: language.to_owned(),
            ..response(vec![answer("age", Some(age), None)])
        };
        let mut responses = vec![with("sv", "young"); 5];
        responses.extend(vec![with("sv", "older"); 5]);
        responses.extend(vec![with("en", "older"); 2]);
        let notes = sheet(workbook_for(5, responses, &[]), NOTES_SHEET);
        let cells: Vec<String> = notes.rows().flatten().map(|cell| cell.to_string()).collect();
        let text = cells.join("\n");
        assert!(text.contains("k = 5"), "{text}");
        assert!(text.contains("12 svar med lagrat datum till och med 2026-11-30"), "{text}");
        assert!(text.contains("november 2026"), "{text}");
        // The 2 English-speaking lost all four values; the 5 older Swedish
        // speakers were blanked whole to join them.
        let row =
            |name: &str| notes.rows().find(|row| row[0] == Data::String(name.to_owned())).map(|row| row[1].clone());
        for column in ["period", "language", "version", "age"] {
            assert_eq!(row(column), Some(Data::Float(7.0)), "{column}");
        }
        assert_eq!(row(ROWS_BLANKED), Some(Data::Float(7.0)));
    }
}
