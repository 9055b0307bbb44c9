//! Excel workbooks (.xlsx), read with calamine.
//!
//! Every worksheet whose first row names plancheck's columns is a table, read by the table code
//! of `csv`, so a workbook accepts exactly the headers and rows a CSV file does; other sheets (a
//! cover page, a list of units) are passed over. A workbook has no text to point into, so each
//! figure carries the name of its cell (`填报表!D3`) and an empty span.
//!
//! A cell is read as the submitter sees it, not as Excel stores it: a number shown as a
//! percentage (stored as 0.923) is `92.3%`, a number is the shortest decimal that round-trips
//! through its `f64` (Excel may store 90.96 as 90.959999999999994), and a merged cell's value
//! counts in every cell it covers (a 填报单位 merged down a column).

use super::csv::{names_a_column, Place, Table, TableCell};
use super::error::ShapeProblem;
use super::{Format, LoadError, LoadedFile};
use crate::files::Limits;
use crate::source::DataFileId;
use calamine::{Data, Reader, SheetType, StyleRange, Xlsx, XlsxError};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;

pub(super) fn load(file: DataFileId, bytes: &[u8], limits: &Limits, loaded: &mut LoadedFile) {
    // calamine panics on some malformed workbooks (an arithmetic overflow on a sheet's
    // `<dimension ref>`, found by fuzzing): such a file is broken input, never a crash.
    crate::panic::quiet_hook();
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut read = LoadedFile::default();
        load_workbook(file, bytes, limits, &mut read);
        read
    }));
    match read {
        Ok(read) => {
            loaded.submissions.extend(read.submissions);
            loaded.errors.extend(read.errors);
        }
        Err(_) => {
            // The panic's own words name calamine's source, which helps nobody who filled in
            // the workbook.
            let _ = crate::panic::last_panic();
            loaded.errors.push(LoadError::syntax(
                Format::Xlsx,
                "工作簿已损坏，无法读取".to_owned(),
                0..0,
            ));
        }
    }
}

fn load_workbook(file: DataFileId, bytes: &[u8], limits: &Limits, loaded: &mut LoadedFile) {
    // calamine inflates shared strings and styles when it opens a workbook: a zip bomb must
    // be refused from the sizes its parts declare, before that. The declared sizes bind: the
    // zip reader fails a part that inflates to more than it declared.
    if let Some(size) = declared_size(bytes) {
        if size > limits.unpacked_bytes {
            return loaded.errors.push(LoadError::UnpackedTooLarge {
                path: String::new(),
                size: crate::files::bytes(size),
                limit: crate::files::bytes(limits.unpacked_bytes),
            });
        }
    }
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(err) => return loaded.errors.push(workbook_error(&err)),
    };
    let names: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .collect();
    let mut first_header = None;
    let too_many = || LoadError::TooManyCells {
        path: String::new(),
        limit: limits.cells,
    };
    // One budget for the whole workbook: many sheets of a few cells add up.
    let mut budget = limits.cells;
    for name in &names {
        match Sheet::read(&mut workbook, name, &mut budget) {
            Ok(sheet) => match sheet.load(file, limits.cells, loaded) {
                Ok(Some(header)) => {
                    first_header.get_or_insert(header);
                }
                Ok(None) => {}
                Err(TooManyCells) => {
                    *loaded = LoadedFile::failed(too_many());
                    return;
                }
            },
            Err(SheetError::TooManyCells) => {
                *loaded = LoadedFile::failed(too_many());
                return;
            }
            Err(SheetError::Xlsx(err)) => {
                let error = LoadError::in_cell(sheet_ref(name).into_owned(), workbook_error(&err));
                loaded.errors.push(error);
            }
        }
    }
    if loaded.submissions.is_empty() && loaded.errors.is_empty() {
        loaded.errors.push(match first_header {
            Some(header) => header.shape(ShapeProblem::NoSubmissions),
            None => LoadError::shape(ShapeProblem::XlsxNoTable, 0..0),
        });
    }
}

/// The bytes the workbook's parts declare unpacked, if it is a readable zip archive at all
/// (if not, calamine says what is wrong with it).
fn declared_size(bytes: &[u8]) -> Option<u64> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total = 0u64;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).ok()?;
        total = total.saturating_add(part.size());
    }
    Some(total)
}

/// A workbook with more cells than the limit, or whose table would be.
struct TooManyCells;

enum SheetError {
    Xlsx(XlsxError),
    TooManyCells,
}

impl From<XlsxError> for SheetError {
    fn from(err: XlsxError) -> Self {
        SheetError::Xlsx(err)
    }
}

fn workbook_error(err: &XlsxError) -> LoadError {
    let message = match err {
        XlsxError::Zip(_) => "不是 Excel 工作簿（.xlsx），或文件已损坏".to_owned(),
        XlsxError::Password => "工作簿有密码保护，无法读取".to_owned(),
        other => format!("工作簿已损坏：{other}"),
    };
    LoadError::syntax(Format::Xlsx, message, 0..0)
}

/// One worksheet's cells, kept sparse: a hostile workbook's one cell at XFD1048576 must not
/// become a table of seventeen billion empty cells.
struct Sheet {
    /// The name as a reference: quoted when Excel would quote it.
    name: String,
    cells: BTreeMap<(u32, u32), Data>,
    styles: StyleRange,
    /// Each cell a merged region covers, but for its first, mapped to that first cell.
    merged: HashMap<(u32, u32), (u32, u32)>,
}

impl Sheet {
    /// Reads the sheet's cells, each one counted against `budget`, so a workbook that
    /// inflates to millions of cells stops at the limit.
    fn read(
        workbook: &mut Xlsx<Cursor<&[u8]>>,
        name: &str,
        budget: &mut u64,
    ) -> Result<Sheet, SheetError> {
        let mut cells = BTreeMap::new();
        let mut reader = workbook.worksheet_cells_reader(name)?;
        while let Some(cell) = reader.next_cell()? {
            *budget = budget.checked_sub(1).ok_or(SheetError::TooManyCells)?;
            let data = Data::from(cell.get_value().clone());
            if data != Data::Empty {
                cells.insert(cell.get_position(), data);
            }
        }
        drop(reader);
        let styles = workbook.worksheet_style(name)?;
        let regions = workbook.merge_cells_by_sheet_name(name)?;
        let merged = merged_cells(&cells, &regions, *budget).ok_or(SheetError::TooManyCells)?;
        Ok(Sheet {
            name: sheet_ref(name).into_owned(),
            cells,
            styles,
            merged,
        })
    }

    /// Reads the sheet as a table if its first row is a header. Returns where the header is,
    /// or `None` for a sheet that is no table.
    /// A table is read row by row across the header's width: `limit` bounds rows × width, so
    /// a header with one cell far to the right cannot make every row thousands of cells wide.
    fn load(
        &self,
        file: DataFileId,
        limit: u64,
        loaded: &mut LoadedFile,
    ) -> Result<Option<Place>, TooManyCells> {
        let rows: BTreeSet<u32> = self.cells.keys().map(|(row, _)| *row).collect();
        let row_count = u64::try_from(rows.len()).unwrap_or(u64::MAX);
        let mut rows = rows.into_iter();
        let Some(header_row) = rows.find(|&row| self.row_has_text(row)) else {
            return Ok(None);
        };
        let Some((left, right)) = self.header_span(header_row) else {
            return Ok(None);
        };
        let width = u64::from(right.saturating_sub(left)).saturating_add(1);
        if width.saturating_mul(row_count) > limit {
            return Err(TooManyCells);
        }
        let header = self.row(header_row, left, right);
        if !names_a_column(&header) {
            return Ok(None);
        }
        let header_place = Place::cell(self.cell_name(header_row, left));
        let mut table = match Table::new(&header, &header_place) {
            Ok(table) => table,
            Err(mut errors) => {
                loaded.errors.append(&mut errors);
                return Ok(Some(header_place));
            }
        };
        for row in rows {
            let at = Place::cell(self.cell_name(row, left));
            table.add_row(&self.row(row, left, right), &at, file);
        }
        table.finish(file, loaded);
        Ok(Some(header_place))
    }

    fn row_has_text(&self, row: u32) -> bool {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .any(|(_, data)| !cell_text(data, false).trim().is_empty())
    }

    /// The first and last column of the header row's cells.
    fn header_span(&self, row: u32) -> Option<(u32, u32)> {
        let mut columns = self
            .cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|((_, column), _)| *column);
        let left = columns.next()?;
        Some((left, columns.next_back().unwrap_or(left)))
    }

    fn row(&self, row: u32, left: u32, right: u32) -> Vec<TableCell<'_>> {
        (left..=right)
            .map(|column| self.cell(row, column))
            .collect()
    }

    /// A cell as a table cell; a cell a merged region covers reads the region's first cell.
    fn cell(&self, row: u32, column: u32) -> TableCell<'_> {
        let at = self
            .merged
            .get(&(row, column))
            .copied()
            .unwrap_or((row, column));
        let text = self.cells.get(&at).map_or(Cow::Borrowed(""), |data| {
            cell_text(data, self.is_percent(at))
        });
        TableCell {
            text,
            place: Place::cell(self.cell_name(at.0, at.1)),
        }
    }

    fn is_percent(&self, at: (u32, u32)) -> bool {
        self.styles
            .get(at)
            .and_then(|style| style.number_format.as_ref())
            .is_some_and(|format| is_percent_format(&format.format_code))
    }

    /// `填报表!D3`, from 0-based row and column.
    fn cell_name(&self, row: u32, column: u32) -> String {
        format!(
            "{}!{}{}",
            self.name,
            column_letters(column),
            u64::from(row) + 1
        )
    }
}

/// The cells merged regions cover, limited to rows and columns that hold a value: a region may
/// span a whole column.
///
/// `None` once more than `limit` cells would be mapped: regions over many rows and columns
/// would otherwise cost rows × columns.
fn merged_cells(
    cells: &BTreeMap<(u32, u32), Data>,
    regions: &[calamine::Dimensions],
    limit: u64,
) -> Option<HashMap<(u32, u32), (u32, u32)>> {
    let rows: BTreeSet<u32> = cells.keys().map(|(row, _)| *row).collect();
    let columns: BTreeSet<u32> = cells.keys().map(|(_, column)| *column).collect();
    let mut merged = HashMap::new();
    for region in regions {
        let (first, last) = (region.start, region.end);
        for &row in rows.range(first.0..=last.0) {
            for &column in columns.range(first.1..=last.1) {
                if (row, column) != first {
                    merged.insert((row, column), first);
                    if u64::try_from(merged.len()).unwrap_or(u64::MAX) > limit {
                        return None;
                    }
                }
            }
        }
    }
    Some(merged)
}

/// A cell's value as text for the table code: what the submitter sees in Excel.
fn cell_text(data: &Data, percent: bool) -> Cow<'_, str> {
    let number = |text: String| {
        if percent {
            Cow::Owned(format!("{}%", times_hundred(&text)))
        } else {
            Cow::Owned(text)
        }
    };
    match data {
        Data::Empty => Cow::Borrowed(""),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            Cow::Borrowed(text)
        }
        Data::Int(int) => number(int.to_string()),
        // `Display` of an f64 is the shortest decimal that reads back as the same f64, and
        // never uses an exponent: 90.96 stays "90.96", 4600000 stays "4600000".
        Data::Float(float) => number(float.to_string()),
        Data::Bool(done) => Cow::Borrowed(if *done { "true" } else { "false" }),
        Data::DateTime(date) if date.is_datetime() => Cow::Owned(date_text(date)),
        Data::DateTime(duration) => Cow::Owned(duration.as_f64().to_string()),
        Data::Error(error) => Cow::Owned(error.to_string()),
    }
}

/// A date as ISO text. Excel turns a typed `2023-06` into the date 2023-06-01; a first of the
/// month with no time is written back as the month, so a period typed that way still reads.
fn date_text(date: &calamine::ExcelDateTime) -> String {
    let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
    match (day, hour, minute, second) {
        (1, 0, 0, 0) => format!("{year:04}-{month:02}"),
        (_, 0, 0, 0) => format!("{year:04}-{month:02}-{day:02}"),
        _ => format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"),
    }
}

/// Whether an Excel number format shows its number as a percentage: a `%` outside quoted
/// text, escapes and `[colour]` brackets.
fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    let (mut quoted, mut bracket) = (false, false);
    while let Some(c) = chars.next() {
        match c {
            '"' if !bracket => quoted = !quoted,
            '\\' | '_' | '*' if !quoted && !bracket => {
                // The next character is shown literally (or is padding), not a format symbol.
                chars.next();
            }
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// A plain decimal (as `f64`'s `Display` writes it) times 100, by moving the point: `0.923`
/// becomes `92.3` with no rounding on the way.
fn times_hundred(number: &str) -> String {
    let (sign, digits) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        // NaN or infinity: no point to move.
        return number.to_owned();
    }
    let frac = format!("{frac:0<2}");
    let (moved, rest) = frac.split_at_checked(2).unwrap_or((&frac, ""));
    let int = format!("{int}{moved}");
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let rest = rest.trim_end_matches('0');
    if rest.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{rest}")
    }
}

/// `A`…`Z`, `AA`…: a 0-based column index in Excel's letters.
fn column_letters(column: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = u64::from(column) + 1;
    while rest > 0 {
        let digit = u8::try_from((rest - 1) % 26).unwrap_or(0);
        letters.push(char::from(b'A' + digit));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A sheet name as a formula writes it: quoted (`'Q2 数据'!A1`) unless it is letters, digits and
/// underscores not starting with a digit.
fn sheet_ref(name: &str) -> Cow<'_, str> {
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !name.is_empty();
    if plain {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("'{}'", name.replace('\'', "''")))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failed unwrap is the test failing
    use super::*;

    use crate::period::Period;
    use crate::source::DataLoc;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    /// A period Excel turned into a date, and a value given as text.
    fn workbook() -> Vec<u8> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("填报表").unwrap();
        for (col, name) in (0u16..).zip(["reporter", "period", "metric", "value"]) {
            sheet.write_string(0, col, name).unwrap();
        }
        let june = ExcelDateTime::from_ymd(2023, 6, 1).unwrap();
        let month = Format::new().set_num_format("yyyy年m月");
        sheet.write_string(1, 0, "区水务局").unwrap();
        sheet
            .write_datetime_with_format(1, 1, june, &month)
            .unwrap();
        sheet.write_string(1, 2, "水土保持率").unwrap();
        sheet.write_string(1, 3, "98.95%").unwrap();
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn figures_carry_their_cell_and_an_empty_span() {
        let mut loaded = LoadedFile::default();
        load(DataFileId(4), &workbook(), &Limits::default(), &mut loaded);
        assert_eq!(loaded.errors, []);
        let submission = &loaded.submissions[0];
        assert_eq!(submission.period, Period::Month(2023, 6));
        let figure = &submission.figures[0];
        assert_eq!(
            figure.value_loc,
            DataLoc {
                file: DataFileId(4),
                span: 0..0,
                cell: Some("填报表!D2".to_owned()),
            }
        );
        assert_eq!(submission.period_loc.cell.as_deref(), Some("填报表!B2"));
    }

    #[test]
    fn columns_are_named_in_letters() {
        let names: Vec<String> = [0, 3, 25, 26, 27, 701, 702, 16383]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(names, ["A", "D", "Z", "AA", "AB", "ZZ", "AAA", "XFD"]);
    }

    #[test]
    fn sheet_names_are_quoted_as_formulas_quote_them() {
        assert_eq!(sheet_ref("填报表"), "填报表");
        assert_eq!(sheet_ref("Sheet1"), "Sheet1");
        assert_eq!(sheet_ref("Q2 数据"), "'Q2 数据'");
        assert_eq!(sheet_ref("2023"), "'2023'");
        assert_eq!(sheet_ref("张三's"), "'张三''s'");
    }

    #[test]
    fn percentages_move_the_point_without_rounding() {
        let cases = [
            ("0.923", "92.3"),
            ("0.9096", "90.96"),
            ("1", "100"),
            ("0", "0"),
            ("0.5", "50"),
            ("-0.05", "-5"),
            ("12.345678", "1234.5678"),
            ("0.0001", "0.01"),
            ("NaN", "NaN"),
            ("inf", "inf"),
        ];
        for (number, expected) in cases {
            assert_eq!(times_hundred(number), expected, "{number}");
        }
    }

    #[test]
    fn percent_formats_are_told_from_literal_percent_signs() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(is_percent_format("[Red]0.0%"));
        assert!(!is_percent_format("General"));
        assert!(!is_percent_format("0.00\"%\""));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("#,##0"));
    }

    #[test]
    fn floats_read_as_their_shortest_decimal() {
        assert_eq!(cell_text(&Data::Float(90.96), false), "90.96");
        // As Excel may store 90.96: more digits than the f64 holds, the same f64.
        let stored: f64 = "90.959999999999994".parse().unwrap();
        assert_eq!(cell_text(&Data::Float(stored), false), "90.96");
        assert_eq!(cell_text(&Data::Float(4_600_000.0), false), "4600000");
        assert_eq!(cell_text(&Data::Float(0.9096), true), "90.96%");
        assert_eq!(cell_text(&Data::Bool(true), false), "true");
        assert_eq!(cell_text(&Data::Empty, false), "");
    }
}
