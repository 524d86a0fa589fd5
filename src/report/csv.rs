//! CSV exports: the summary (one row per question and option), the
//! responses (one row per response) and the list of free texts. The columns are a contract that
//! scripts read; it is documented in `docs/export-formats.md`.

use std::fmt;
use std::io;
use std::str::FromStr;

use csv::{QuoteStyle, Terminator, WriterBuilder};

use super::microdata::ListedText;
use super::responses::{Cell, ResponsesPlan};
use super::summary::{Summary, SummaryRow, area_id, role_id, summary_rows};
use super::{ReportError, ResponseRecord};

/// The columns of the summary export, in order.
pub const SUMMARY_COLUMNS: [&str; 13] = [
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
    "suppressed",
];

/// How a CSV file is spelled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    /// RFC 4180: comma, decimal point, CRLF, UTF-8 without BOM. For scripts.
    #[default]
    Standard,
    /// What Excel with Swedish settings opens on a double-click: semicolon,
    /// decimal comma, CRLF, UTF-8 with a byte order mark (without it Excel
    /// reads the file as Windows-1252 and garbles å, ä, ö). Every field with
    /// a `,` is quoted too (see [`Dialect::field`]).
    ExcelSv,
}

/// A dialect name that is neither `standard` nor `excel-sv`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown CSV dialect `{0}`: use `standard` or `excel-sv`")]
pub struct UnknownDialect(pub String);

impl FromStr for Dialect {
    type Err = UnknownDialect;

    /// `standard` or `excel-sv`, as in `?dialect=excel-sv` and `--dialect`.
    fn from_str(name: &str) -> Result<Dialect, UnknownDialect> {
        match name {
            "standard" => Ok(Dialect::Standard),
            "excel-sv" => Ok(Dialect::ExcelSv),
            _ => Err(UnknownDialect(name.to_owned())),
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Standard => "standard",
            Dialect::ExcelSv => "excel-sv",
        })
    }
}

impl Dialect {
    /// A CSV writer in this dialect, the byte order mark already written.
    /// Its records must go through [`Dialect::record`].
    fn writer<W: io::Write>(self, mut out: W) -> Result<csv::Writer<W>, ReportError> {
        let mut builder = WriterBuilder::new();
        builder.terminator(Terminator::CRLF);
        match self {
            Dialect::Standard => builder.delimiter(b','),
            Dialect::ExcelSv => {
                out.write_all("\u{feff}".as_bytes())?;
                // The fields come quoted from `field`; the writer adds nothing.
                builder.delimiter(b';').quote_style(QuoteStyle::Never)
            }
        };
        Ok(builder.from_writer(out))
    }

    /// A record's fields as this dialect writes them.
    fn record<T: AsRef<str>>(self, fields: impl IntoIterator<Item = T>) -> impl Iterator<Item = String> {
        fields.into_iter().map(move |field| self.field(field.as_ref()))
    }

    /// One field. `standard` leaves it to the writer, which quotes a field
    /// with a comma, `"` or a line break (RFC 4180). `excel-sv` quotes every
    /// field with a `,` `;` `"` or line break itself: LibreOffice, opening a
    /// `.csv` by double-click, splits on commas as well as semicolons, so an
    /// unquoted `0,4979` became two cells, and a comment with a comma moved
    /// the rest of its row one column on. The writer's own rule (quote what
    /// holds the delimiter) would leave the comma bare.
    fn field(self, field: &str) -> String {
        match self {
            Dialect::ExcelSv if field.contains([',', ';', '"', '\n', '\r']) => {
                format!("\"{}\"", field.replace('"', "\"\""))
            }
            _ => field.to_owned(),
        }
    }

    /// A number with a fixed number of decimals, in this dialect's notation.
    fn decimal(self, value: f64, decimals: usize) -> String {
        let written = format!("{value:.decimals$}");
        match self {
            Dialect::Standard => written,
            Dialect::ExcelSv => written.replace('.', ","),
        }
    }
}

/// Writes the summary: one row per option of every scale, single and multi
/// question (a scale's "don't know" in a row of its own), in the columns of
/// [`SUMMARY_COLUMNS`]. A suppressed figure is an empty cell.
pub fn write_summary<W: io::Write>(summary: &Summary, dialect: Dialect, out: W) -> Result<(), ReportError> {
    let mut writer = dialect.writer(out)?;
    writer.write_record(dialect.record(SUMMARY_COLUMNS))?;
    for row in summary_rows(summary) {
        writer.write_record(dialect.record(summary_record(&row, dialect)))?;
    }
    writer.flush()?;
    Ok(())
}

fn summary_record(row: &SummaryRow, dialect: Dialect) -> [String; 13] {
    let question = row.question;
    let count = |count: Option<u64>| count.map(|count| count.to_string()).unwrap_or_default();
    let decimal =
        |value: Option<f64>, decimals| value.map(|value| dialect.decimal(value, decimals)).unwrap_or_default();
    [
        text_cell(&question.id),
        text_cell(&question.text),
        question.role.map(role_id).unwrap_or_default().to_owned(),
        question.area.map(area_id).unwrap_or_default().to_owned(),
        text_cell(&row.option.id),
        text_cell(&row.option.label),
        count(row.count),
        decimal(row.share, 4),
        count(row.n),
        count(row.dont_know),
        decimal(row.share_positive, 4),
        decimal(row.mean, 2),
        row.suppressed.to_string(),
    ]
}

/// Writes the responses export: the rows of the responses in `plan`'s
/// file, in the order given (see [`ResponsesCsv`]). For responses already
/// in memory; an export from the database streams with [`ResponsesCsv`].
pub fn write_responses<W: io::Write>(
    plan: &ResponsesPlan,
    responses: impl IntoIterator<Item = ResponseRecord>,
    dialect: Dialect,
    out: W,
) -> Result<(), ReportError> {
    let mut csv = ResponsesCsv::new(plan, dialect, out)?;
    for response in responses {
        csv.write(&response)?;
    }
    csv.finish()?;
    Ok(())
}

/// The responses CSV, written one response at a time: for a caller that
/// gets responses one by one from the database (a stream) and must never
/// hold them all. Columns: `period`, `language`, `version`, then each
/// question's columns (see `docs/export-formats.md`), as `plan` shows them.
/// The header goes out first, when it is made.
pub struct ResponsesCsv<'p, W: io::Write> {
    plan: &'p ResponsesPlan<'p>,
    dialect: Dialect,
    writer: csv::Writer<W>,
}

impl<'p, W: io::Write> ResponsesCsv<'p, W> {
    /// Starts the file: byte order mark (for `excel-sv`) and header row.
    pub fn new(plan: &'p ResponsesPlan<'p>, dialect: Dialect, out: W) -> Result<ResponsesCsv<'p, W>, ReportError> {
        let mut writer = dialect.writer(out)?;
        writer.write_record(dialect.record(plan.columns().iter().map(|column| text_cell(&column.header))))?;
        Ok(ResponsesCsv { plan, dialect, writer })
    }

    /// Writes one response's row; returns whether it is in the file (a
    /// response the plan did not count, or a file of fewer than k rows,
    /// has no row).
    pub fn write(&mut self, response: &ResponseRecord) -> Result<bool, ReportError> {
        let Some(cells) = self.plan.row(response) else { return Ok(false) };
        self.writer.write_record(self.dialect.record(cells.iter().map(|cell| match cell {
            Cell::Text(text) => text_cell(text),
            Cell::Flag(chosen) => if *chosen { "1" } else { "0" }.to_owned(),
            Cell::Empty => String::new(),
        })))?;
        Ok(true)
    }

    /// Hands every buffered byte to the output.
    pub fn flush(&mut self) -> Result<(), ReportError> {
        self.writer.flush()?;
        Ok(())
    }

    /// Ends the file and gives the output back.
    pub fn finish(self) -> Result<W, ReportError> {
        self.writer.into_inner().map_err(|error| ReportError::Io(error.into_error()))
    }
}

/// The columns of the list of free texts, in order.
pub const TEXTS_COLUMNS: [&str; 4] = ["period", "question_id", "question_text", "text"];

/// Writes the list of free texts (see [`texts_by_period`]), one row per
/// text in the order given, in the columns of [`TEXTS_COLUMNS`].
///
/// [`texts_by_period`]: super::microdata::texts_by_period
pub fn write_texts<W: io::Write>(texts: &[ListedText], dialect: Dialect, out: W) -> Result<(), ReportError> {
    let mut writer = dialect.writer(out)?;
    writer.write_record(dialect.record(TEXTS_COLUMNS))?;
    for text in texts {
        writer.write_record(dialect.record([
            text.period.to_string(),
            text_cell(&text.question_id),
            text_cell(&text.question_text),
            text_cell(&text.text),
        ]))?;
    }
    writer.flush()?;
    Ok(())
}

/// A text cell that a spreadsheet will not run as a formula: a leading `'`
/// before `=`, `+`, `-`, `@`, tab or carriage return. Only for text; numbers
/// are written by this module and never start with one of these. The one
/// guard for every CSV enkat writes (also `codes::write_csv`).
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::report::fixture::{answer, questionnaire, questionnaire_with_min, response, ten_responses};
    use crate::report::summarize;

    fn summary_csv(dialect: Dialect) -> Vec<u8> {
        let mut out = Vec::new();
        write_summary(&summarize(&questionnaire(), &ten_responses()), dialect, &mut out).unwrap();
        out
    }

    /// The rows of a CSV file, each as column name → cell.
    fn read(bytes: &[u8], delimiter: u8) -> (Vec<String>, Vec<HashMap<String, String>>) {
        let mut reader = ::csv::ReaderBuilder::new().delimiter(delimiter).from_reader(bytes);
        let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        let rows = reader
            .records()
            .map(|record| headers.iter().cloned().zip(record.unwrap().iter().map(str::to_owned)).collect())
            .collect();
        (headers, rows)
    }

    fn row<'r>(rows: &'r [HashMap<String, String>], question: &str, option: &str) -> &'r HashMap<String, String> {
        rows.iter()
            .find(|row| row["question_id"] == question && row["option_id"] == option)
            .unwrap_or_else(|| panic!("a row for {question}/{option}"))
    }

    #[track_caller]
    fn assert_cells(row: &HashMap<String, String>, expected: &[(&str, &str)]) {
        for (column, value) in expected {
            assert_eq!(row[*column], *value, "column {column}");
        }
    }

    #[test]
    fn the_summary_has_the_documented_columns_and_one_row_per_option() {
        let bytes = summary_csv(Dialect::Standard);
        let (headers, rows) = read(&bytes, b',');
        assert_eq!(headers, SUMMARY_COLUMNS);
        // reach: n = 6, share 3/6, share_positive 5/6, mean 20/6
        assert_cells(
            row(&rows, "reach", "very_easy"),
            &[
                ("question_text", "Hur lätt var det att nå oss?"),
                ("role", "satisfaction"),
                ("area", "tillgänglighet"),
                ("option_label", "Mycket lätt"),
                ("count", "3"),
                ("share", "0.5000"),
                ("n", "6"),
                ("dont_know", "2"),
                ("share_positive", "0.8333"),
                ("mean", "3.33"),
                ("suppressed", "false"),
            ],
        );
        // "don't know" has its own row, without a share
        assert_cells(row(&rows, "reach", "dont_know"), &[("count", "2"), ("share", ""), ("share_positive", "0.8333")]);
        // multi: 5/8 of respondents; no share positive outside satisfaction
        assert_cells(
            row(&rows, "received", "move"),
            &[
                ("role", "received_support"),
                ("area", ""),
                ("share", "0.6250"),
                ("n", "8"),
                ("dont_know", ""),
                ("share_positive", ""),
                ("mean", ""),
            ],
        );
        assert_cells(
            row(&rows, "missing", "other"),
            &[("option_label", "Annat, nämligen"), ("count", "2"), ("share", "0.2857")],
        );
        assert_cells(row(&rows, "age", "older"), &[("role", "background"), ("count", "0"), ("share", "0.0000")]);
        assert!(rows.iter().all(|row| row["question_id"] != "comment"), "text questions get no rows");
        // 5+5+5+6 scale rows (incl. don't know) + 4 + 5 (helped) + 5 + 4 + 3
        assert_eq!(rows.len(), 5 + 5 + 5 + 6 + 4 + 5 + 5 + 4 + 3);
    }

    #[test]
    fn a_suppressed_question_keeps_its_rows_with_every_figure_empty() {
        let bytes = summary_csv(Dialect::Standard);
        let (_, rows) = read(&bytes, b',');
        for option in ["much_better", "neither", "much_worse", "dont_know"] {
            assert_cells(
                row(&rows, "improved", option),
                &[
                    ("count", ""),
                    ("share", ""),
                    ("n", ""),
                    ("dont_know", ""),
                    ("share_positive", ""),
                    ("mean", ""),
                    ("suppressed", "true"),
                ],
            );
        }
        assert_eq!(row(&rows, "improved", "much_better")["option_label"], "Mycket bättre");
    }

    #[test]
    fn standard_csv_is_rfc_4180_with_crlf_and_no_byte_order_mark() {
        let bytes = summary_csv(Dialect::Standard);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("question_id,question_text,role,"));
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "every line ends in CRLF");
        assert!(text.ends_with("\r\n"));
    }

    #[test]
    fn excel_sv_csv_has_a_byte_order_mark_semicolons_and_decimal_commas() {
        let bytes = summary_csv(Dialect::ExcelSv);
        let body = bytes.strip_prefix("\u{feff}".as_bytes()).expect("starts with the UTF-8 byte order mark");
        let text = std::str::from_utf8(body).unwrap();
        assert!(text.starts_with("question_id;question_text;role;area;"));
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "every line ends in CRLF");
        assert!(text.ends_with("\r\n"));
        let (headers, rows) = read(body, b';');
        assert_eq!(headers, SUMMARY_COLUMNS);
        assert_cells(
            row(&rows, "reach", "fairly_easy"),
            &[("count", "2"), ("share", "0,3333"), ("share_positive", "0,8333"), ("mean", "3,33")],
        );
        assert_eq!(row(&rows, "reach", "fairly_easy")["area"], "tillgänglighet", "UTF-8 survives");
    }

    /// The line of `question`/`option` in a summary file, as written.
    fn summary_line(text: &str, question: &str, option: &str, delimiter: char) -> String {
        let start = format!("{question}{delimiter}");
        text.split("\r\n")
            .find(|line| line.starts_with(&start) && line.contains(&format!("{delimiter}{option}{delimiter}")))
            .unwrap_or_else(|| panic!("a line for {question}/{option}"))
            .to_owned()
    }

    #[test]
    fn excel_sv_quotes_every_field_with_a_comma_so_libreoffice_keeps_its_columns() {
        let bytes = summary_csv(Dialect::ExcelSv);
        let text = std::str::from_utf8(&bytes["\u{feff}".len()..]).unwrap();
        assert!(text.starts_with("question_id;question_text;role;area;option_id;option_label;count;share;"));
        assert_eq!(
            summary_line(text, "reach", "very_easy", ';'),
            "reach;Hur lätt var det att nå oss?;satisfaction;tillgänglighet;very_easy;Mycket lätt;\
             3;\"0,5000\";6;2;\"0,8333\";\"3,33\";false"
        );
        assert_eq!(
            summary_line(text, "missing", "other", ';'),
            "missing;Vilket stöd saknade du?;unmet_support;;other;\"Annat, nämligen\";2;\"0,2857\";7;;;;false"
        );
    }

    #[test]
    fn excel_sv_quotes_a_text_with_a_comma_semicolon_quote_or_line_break_and_doubles_its_quotes() {
        let listed = |text: &str| ListedText {
            period: november(),
            question_id: "comment".to_owned(),
            question_text: "Något mer?".to_owned(),
            text: text.to_owned(),
        };
        let texts = [
            listed("Bra, men; \"kort\"\r\nsvar"),
            listed("bara ett komma, inget mer"),
            listed("semikolon; ensamt"),
            listed("ett \"citat\""),
            listed("två\nrader"),
            listed("inget alls"),
        ];
        let mut out = Vec::new();
        write_texts(&texts, Dialect::ExcelSv, &mut out).unwrap();
        let expected = "\u{feff}period;question_id;question_text;text\r\n\
             2026-11;comment;Något mer?;\"Bra, men; \"\"kort\"\"\r\nsvar\"\r\n\
             2026-11;comment;Något mer?;\"bara ett komma, inget mer\"\r\n\
             2026-11;comment;Något mer?;\"semikolon; ensamt\"\r\n\
             2026-11;comment;Något mer?;\"ett \"\"citat\"\"\"\r\n\
             2026-11;comment;Något mer?;\"två\nrader\"\r\n\
             2026-11;comment;Något mer?;inget alls\r\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn standard_csv_quotes_only_what_rfc_4180_needs() {
        let bytes = summary_csv(Dialect::Standard);
        let text = std::str::from_utf8(&bytes).unwrap();
        assert_eq!(
            summary_line(text, "reach", "very_easy", ','),
            "reach,Hur lätt var det att nå oss?,satisfaction,tillgänglighet,very_easy,Mycket lätt,\
             3,0.5000,6,2,0.8333,3.33,false"
        );
        assert_eq!(
            summary_line(text, "missing", "other", ','),
            "missing,Vilket stöd saknade du?,unmet_support,,other,\"Annat, nämligen\",2,0.2857,7,,,,false"
        );
        let mut out = Vec::new();
        let texts = [ListedText {
            period: november(),
            question_id: "comment".to_owned(),
            question_text: "Något mer?".to_owned(),
            text: "semikolon; \"citat\"".to_owned(),
        }];
        write_texts(&texts, Dialect::Standard, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "period,question_id,question_text,text\r\n2026-11,comment,Något mer?,\"semikolon; \"\"citat\"\"\"\r\n"
        );
    }

    #[test]
    fn dialects_are_named_as_in_the_url() {
        assert_eq!("excel-sv".parse(), Ok(Dialect::ExcelSv));
        assert_eq!("standard".parse(), Ok(Dialect::Standard));
        assert_eq!("excel".parse::<Dialect>(), Err(UnknownDialect("excel".to_owned())));
        assert_eq!(Dialect::ExcelSv.to_string(), "excel-sv");
    }

    /// November 2026, the fixture's responses' month, closed.
    fn november() -> crate::report::period::Period {
        crate::report::period::Period::containing(
            crate::questionnaire::ReportPeriod::Month,
            time::macros::date!(2026 - 11 - 23),
        )
    }

    /// The responses file of `responses`, anonymous for `k`.
    fn responses_csv_for(k: u64, responses: Vec<ResponseRecord>) -> (Vec<String>, Vec<HashMap<String, String>>) {
        let questionnaire = questionnaire_with_min(k);
        let plan = ResponsesPlan::from_records(&questionnaire, &responses, november());
        let mut out = Vec::new();
        write_responses(&plan, responses, Dialect::Standard, &mut out).unwrap();
        read(&out, b',')
    }

    /// With k = 1 no value needs blanking: the columns as they are.
    fn responses_csv(responses: Vec<ResponseRecord>) -> (Vec<String>, Vec<HashMap<String, String>>) {
        responses_csv_for(1, responses)
    }

    fn full_response() -> ResponseRecord {
        response(vec![
            answer("reach", Some("very_easy"), None),
            answer("respect", Some("dont_know"), None),
            answer("received", Some("move"), None),
            answer("received", Some("housing"), None),
            answer("missing", Some("school"), None),
            answer("missing", Some("other"), Some("=HYPERLINK(\"http://evil.example\",\"klicka\")")),
            answer("most_needed", Some("other"), Some("-ingen aning")),
            answer("comment", None, Some("@bra stöd\nmen för kort")),
            answer("age", Some("young"), None),
        ])
    }

    #[test]
    fn the_responses_have_a_column_per_question_and_per_multi_option() {
        let (headers, rows) = responses_csv(vec![full_response()]);
        assert_eq!(
            headers,
            [
                "period",
                "language",
                "version",
                "channel",
                "reach",
                "respect",
                "listened",
                "improved",
                "received.move",
                "received.housing",
                "received.school",
                "received.none",
                "helped",
                "missing.move",
                "missing.housing",
                "missing.school",
                "missing.none_missing",
                "missing.other",
                "most_needed",
                "age",
            ]
        );
        assert_cells(
            &rows[0],
            &[
                ("period", "2026-11"),
                ("language", "sv"),
                ("version", "v1"),
                ("reach", "very_easy"),
                ("respect", "dont_know"),
                ("listened", ""),
                ("received.move", "1"),
                ("received.housing", "1"),
                ("received.school", "0"),
                ("received.none", "0"),
                ("missing.school", "1"),
                // "something else" is 1 when chosen; its text is elsewhere
                ("missing.other", "1"),
                ("most_needed", "other"),
                ("age", "young"),
            ],
        );
    }

    #[test]
    fn free_text_is_never_in_the_responses() {
        let (headers, rows) = responses_csv(vec![full_response()]);
        assert!(!headers.iter().any(|header| header == "comment" || header == "most_needed.other"));
        let cells: Vec<&String> = rows[0].values().collect();
        assert!(
            !cells.iter().any(|cell| cell.contains("HYPERLINK") || cell.contains("aning") || cell.contains("stöd")),
            "{cells:?}"
        );
    }

    #[test]
    fn a_small_group_shows_empty_cells_and_no_day() {
        let with = |language: &str, age: &str| ResponseRecord {
            language: language.to_owned(),
            ..response(vec![answer("age", Some(age), None), answer("reach", Some("very_easy"), None)])
        };
        let mut responses = vec![with("sv", "young"); 5];
        responses.extend(vec![with("sv", "older"); 5]);
        responses.extend(vec![with("en", "older"); 2]);
        let (_, rows) = responses_csv_for(5, responses);
        assert_eq!(rows.len(), 12, "no row is lost");
        let shown = |row: &HashMap<String, String>| {
            (row["period"].clone(), row["language"].clone(), row["version"].clone(), row["age"].clone())
        };
        let young = ("2026-11".to_owned(), "sv".to_owned(), "v1".to_owned(), "young".to_owned());
        let blank = (String::new(), String::new(), String::new(), String::new());
        // The two English-speaking lose every value and, still two, take in
        // the smallest other combination (5 older; on the tie with the 5
        // young, the first in order).
        assert_eq!(rows.iter().filter(|row| shown(row) == young).count(), 5);
        assert_eq!(rows.iter().filter(|row| shown(row) == blank).count(), 7);
        assert!(rows.iter().all(|row| row["reach"] == "very_easy"), "other answers are kept");
    }

    #[test]
    fn fewer_than_k_responses_give_a_header_and_no_rows() {
        let (headers, rows) = responses_csv_for(5, vec![full_response(); 4]);
        assert_eq!(headers[0], "period");
        assert!(rows.is_empty());
    }

    #[test]
    fn the_texts_list_has_its_columns_and_never_a_formula() {
        let texts = vec![ListedText {
            period: november(),
            question_id: "comment".to_owned(),
            question_text: "Något mer?".to_owned(),
            text: "=HYPERLINK(\"http://evil.example\")".to_owned(),
        }];
        let mut out = Vec::new();
        write_texts(&texts, Dialect::Standard, &mut out).unwrap();
        let (headers, rows) = read(&out, b',');
        assert_eq!(headers, TEXTS_COLUMNS);
        assert_cells(
            &rows[0],
            &[
                ("period", "2026-11"),
                ("question_id", "comment"),
                ("question_text", "Något mer?"),
                ("text", "'=HYPERLINK(\"http://evil.example\")"),
            ],
        );
    }

    #[test]
    fn only_text_cells_are_neutralised() {
        // Each leading character a spreadsheet may run as a formula.
        for (cell, neutral) in [
            ("=1+1", "'=1+1"),
            ("+46 70", "'+46 70"),
            ("-", "'-"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
        ] {
            assert_eq!(text_cell(cell), neutral, "{cell:?}");
        }
        assert_eq!(text_cell("Bra, 1+1=2"), "Bra, 1+1=2");
        assert_eq!(Dialect::Standard.decimal(-0.5, 4), "-0.5000", "numbers are written as they are");
    }

    #[test]
    fn answers_the_questionnaire_no_longer_has_are_left_out() {
        let old = response(vec![
            answer("gone", Some("yes"), None),
            answer("reach", Some("removed_step"), None),
            answer("received", Some("removed_option"), None),
            answer("received", Some("school"), None),
        ]);
        let (headers, rows) = responses_csv(vec![old]);
        assert!(!headers.iter().any(|header| header.starts_with("gone") || header.contains("removed")));
        assert_cells(&rows[0], &[("reach", ""), ("received.school", "1"), ("received.move", "0")]);
    }

    #[test]
    fn the_nexus_responses_header_is_as_documented() {
        let source = include_str!("../../questionnaires/nexus.toml");
        let nexus = crate::questionnaire::parse(std::path::Path::new("nexus.toml"), source).unwrap();
        let mut out = Vec::new();
        let plan = ResponsesPlan::from_records(&nexus, &[], november());
        write_responses(&plan, Vec::new(), Dialect::Standard, &mut out).unwrap();
        let header = String::from_utf8(out).unwrap();
        // The example in docs/export-formats.md, section 6.
        assert!(header.starts_with(
            "period,language,version,channel,reach,information,respect,listened,influence,safe,improved,overall,\
             received_support.authorities,received_support.income_support,"
        ));
        assert!(header.contains(",received_support.none,received_helped,missing_support.authorities,"));
        assert!(header.ends_with(
            ",missing_support.none_missing,missing_support.other,most_needed,contacts,age,gender,children\r\n"
        ));
    }

    #[test]
    fn responses_are_written_in_the_order_given() {
        let first = response(vec![answer("age", Some("older"), None)]);
        let second = response(vec![answer("age", Some("young"), None)]);
        let (_, rows) = responses_csv(vec![first, second]);
        let ages: Vec<&str> = rows.iter().map(|row| row["age"].as_str()).collect();
        assert_eq!(ages, ["older", "young"]);
    }
}
