//! XLSX exports: the same columns as the CSV exports, with numbers stored
//! as numbers so staff can calculate on them in Excel.
//!
//! Texts are stored as string cells, which a spreadsheet never runs as a
//! formula, so they need no neutralising here (unlike in CSV).

use rust_xlsxwriter::{ExcelDateTime, Format, RowNum, Workbook, Worksheet, XlsxError};
use time::Date;

use crate::questionnaire::Questionnaire;

use super::csv::SUMMARY_COLUMNS;
use super::responses::{Cell, cells, columns};
use super::summary::{Summary, area_id, role_id, summary_rows};
use super::{ReportError, ResponseRecord};

/// The summary's sheet.
pub const SUMMARY_SHEET: &str = "Sammanfattning";
/// The responses' sheet.
pub const RESPONSES_SHEET: &str = "Svar";

/// The summary as a workbook with one sheet, [`SUMMARY_SHEET`]: the columns
/// of the summary CSV, a bold frozen header row, shares as percentages,
/// counts and means as numbers, suppressed figures as empty cells.
pub fn summary_workbook(summary: &Summary) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SUMMARY_SHEET)?;
    let header = Format::new().set_bold();
    let whole = Format::new().set_num_format("0");
    let percent = Format::new().set_num_format("0.0%");
    let mean = Format::new().set_num_format("0.00");

    for (column, name) in (0..).zip(SUMMARY_COLUMNS) {
        sheet.write_string_with_format(0, column, name, &header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(1, 50)?;
    sheet.set_column_width(5, 35)?;

    for (index, row) in summary_rows(summary).enumerate() {
        let at = row_number(index + 1)?;
        let question = row.question;
        sheet.write_string(at, 0, &question.id)?;
        sheet.write_string(at, 1, &question.text)?;
        sheet.write_string(at, 2, question.role.map(role_id).unwrap_or_default())?;
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

/// The responses as a workbook with one sheet, [`RESPONSES_SHEET`]: the
/// columns of the responses CSV, with a second header row giving each
/// column's question in the default language; both header rows frozen.
/// Choices in multi questions are the numbers 0 and 1, dates are dates.
pub fn responses_workbook(
    questionnaire: &Questionnaire,
    responses: impl IntoIterator<Item = ResponseRecord>,
    include_text: bool,
) -> Result<Vec<u8>, ReportError> {
    let columns = columns(questionnaire, include_text);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(RESPONSES_SHEET)?;
    let header = Format::new().set_bold();
    let label = Format::new().set_italic().set_text_wrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");

    for (at, column) in (0..).zip(&columns) {
        sheet.write_string_with_format(0, at, &column.header, &header)?;
        sheet.write_string_with_format(1, at, &column.label, &label)?;
        sheet.set_column_width(at, 14)?;
    }
    sheet.set_freeze_panes(2, 0)?;

    for (index, response) in responses.into_iter().enumerate() {
        let at = row_number(index + 2)?;
        for (column, cell) in (0..).zip(cells(&columns, &response)) {
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(at, column, text)?;
                }
                Cell::Flag(chosen) => {
                    sheet.write_number(at, column, u8::from(chosen))?;
                }
                Cell::Date(day) => write_date(sheet, at, column, day, &date)?,
                Cell::Empty => {}
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// A sheet row number, or the error Excel's row limit gives.
fn row_number(index: usize) -> Result<RowNum, XlsxError> {
    RowNum::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

/// A date as an Excel date; one Excel cannot hold (before 1900) as text.
fn write_date(sheet: &mut Worksheet, row: RowNum, column: u16, day: Date, format: &Format) -> Result<(), XlsxError> {
    let excel = u16::try_from(day.year())
        .ok()
        .and_then(|year| ExcelDateTime::from_ymd(year, u8::from(day.month()), day.day()).ok());
    match excel {
        Some(excel) => sheet.write_date_with_format(row, column, excel, format)?,
        None => sheet.write_string(row, column, day.to_string())?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};

    use super::*;
    use crate::report::fixture::{answer, questionnaire, response, ten_responses};
    use crate::report::summarize;

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
        let headers: Vec<String> = range.rows().next().unwrap().iter().map(|cell| cell.to_string()).collect();
        assert_eq!(headers, SUMMARY_COLUMNS);

        // reach/very_easy: count 3, share 3/6, n 6, dont_know 2, share_positive 5/6, mean 20/6
        let reach = summary_row(&range, "reach", "very_easy");
        assert_eq!(reach[1], Data::String("Hur lätt var det att nå oss?".to_owned()));
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

    #[test]
    fn the_responses_sheet_has_ids_then_question_texts_then_one_row_per_response() {
        let responses = vec![response(vec![
            answer("reach", Some("very_easy"), None),
            answer("received", Some("move"), None),
            answer("missing", Some("other"), Some("=HYPERLINK(\"http://evil.example\")")),
        ])];
        let bytes = responses_workbook(&questionnaire(), responses, true).unwrap();
        let range = sheet(bytes, RESPONSES_SHEET);
        let rows: Vec<&[Data]> = range.rows().collect();
        let column = |name: &str| rows[0].iter().position(|cell| *cell == Data::String(name.to_owned())).unwrap();

        assert_eq!(
            rows[0][..4],
            [
                Data::String("date".to_owned()),
                Data::String("language".to_owned()),
                Data::String("version".to_owned()),
                Data::String("reach".to_owned()),
            ]
        );
        assert_eq!(rows[1][column("reach")], Data::String("Hur lätt var det att nå oss?".to_owned()));
        assert_eq!(
            rows[1][column("received.move")],
            Data::String("Vilket stöd fick du? – Hjälp med flytten".to_owned())
        );

        let first = rows[2];
        assert!(matches!(first[column("date")], Data::DateTime(_)), "a date, not text: {:?}", first[0]);
        assert_eq!(first[column("reach")], Data::String("very_easy".to_owned()));
        assert_eq!(first[column("received.move")], Data::Float(1.0));
        assert_eq!(first[column("received.school")], Data::Float(0.0));
        // A string cell is never a formula, so the text is kept as written.
        assert_eq!(first[column("missing.other")], Data::String("=HYPERLINK(\"http://evil.example\")".to_owned()));
        assert_eq!(first[column("listened")], Data::Empty);
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn the_responses_sheet_leaves_free_text_out_unless_asked() {
        let responses = vec![response(vec![answer("missing", Some("other"), Some("egen text"))])];
        let range = sheet(responses_workbook(&questionnaire(), responses, false).unwrap(), RESPONSES_SHEET);
        let rows: Vec<&[Data]> = range.rows().collect();
        let headers: Vec<String> = rows[0].iter().map(|cell| cell.to_string()).collect();
        assert!(!headers.iter().any(|header| header == "comment" || header == "most_needed.other"));
        let other = headers.iter().position(|header| header == "missing.other").unwrap();
        assert_eq!(rows[2][other], Data::Float(1.0));
    }
}
