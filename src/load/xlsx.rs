//! Excel workbooks (.xlsx), read with calamine.
//!
//! Every worksheet with a header row that names plancheck's columns is a table, read by the
//! table code of `csv`, so a workbook accepts exactly the headers and rows a CSV file does; other
//! sheets (a cover page, a list of units) are passed over. A workbook has no text to point into,
//! so each figure carries the name of its cell (`填报表!D3`) and an empty span.
//!
//! The header is laid out the way clerks lay out forms: it may stand below a merged title row
//! (2023年…完成情况表), and it may span rows, with a merged group title (完成情况) above the
//! names of its columns. What is read past is said in a warning.
//!
//! A cell is read as the submitter sees it, not as Excel stores it: a number shown as a
//! percentage (stored as 0.923) is `92.3%`, a number shown as TRUE or FALSE (LibreOffice's
//! booleans) is a milestone, a number is the shortest decimal that round-trips through its
//! `f64` (Excel may store 90.96 as 90.959999999999994), and a merged cell's value counts in
//! every cell it covers (a 填报单位 merged down a column). A value Excel made a date, and a
//! formula nothing has calculated, are no value at all, and the figure says which.

use super::csv::{extra_columns, names_a_column, names_required_columns, Place, Table, TableCell};
use super::error::ShapeProblem;
use super::{Format, InvalidReason, LoadError, LoadedFile};
use crate::files::Limits;
use crate::source::DataFileId;
use calamine::{Data, Dimensions, Reader, SheetType, StyleRange, Xlsx, XlsxError};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Cursor, Read};

/// Rows of titles and notes a header may stand below.
const MAX_TITLE_ROWS: usize = 10;

/// Rows one header may span: a group title, the names, and one more.
const MAX_HEADER_ROWS: u32 = 3;

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
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok();
    if let Some(size) = archive.as_mut().and_then(declared_size) {
        if size > limits.unpacked_bytes {
            return loaded.errors.push(LoadError::UnpackedTooLarge {
                path: String::new(),
                size: crate::files::bytes(size),
                limit: crate::files::bytes(limits.unpacked_bytes),
            });
        }
    }
    let stale = archive.as_mut().is_some_and(formulas_are_stale);
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
        match Sheet::read(&mut workbook, name, stale, &mut budget) {
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
fn declared_size(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<u64> {
    let mut total = 0u64;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).ok()?;
        total = total.saturating_add(part.size());
    }
    Some(total)
}

/// Whether the workbook says its formulas' stored results are not to be trusted
/// (`<calcPr fullCalcOnLoad="1"/>`): programs that write formulas without calculating them
/// (rust_xlsxwriter, XlsxWriter, openpyxl) store 0 or nothing as the result and set this, so
/// that Excel calculates on opening. Excel and WPS drop it when they save, results calculated.
/// Called after the declared sizes are checked, so the part inflates to a known size.
fn formulas_are_stale(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> bool {
    let Ok(part) = archive.by_name("xl/workbook.xml") else {
        return false;
    };
    let mut xml = String::new();
    if part.take(16 << 20).read_to_string(&mut xml).is_err() {
        return false;
    }
    full_calc_on_load(&xml)
}

/// Whether a workbook.xml's `calcPr` element (with or without a namespace prefix) has
/// `fullCalcOnLoad` set.
fn full_calc_on_load(xml: &str) -> bool {
    xml.match_indices("calcPr")
        .filter(|(at, _)| {
            let before = xml.get(..*at).unwrap_or("");
            let after = xml.get(at.saturating_add("calcPr".len())..).unwrap_or("");
            (before.ends_with('<') || before.ends_with(':'))
                && after.starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        })
        .any(|(at, _)| {
            let rest = xml.get(at..).unwrap_or("");
            let tag = rest
                .get(..rest.find('>').unwrap_or(rest.len()))
                .unwrap_or("");
            [
                "fullCalcOnLoad=\"1\"",
                "fullCalcOnLoad=\"true\"",
                "fullCalcOnLoad='1'",
                "fullCalcOnLoad='true'",
            ]
            .iter()
            .any(|attribute| tag.contains(attribute))
        })
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
    /// Formula cells with no calculated result, each with its formula (`=SUM(D2:D4)`).
    uncalculated: BTreeMap<(u32, u32), String>,
    styles: StyleRange,
    /// Each cell a merged region covers, but for its first, mapped to that first cell.
    merged: HashMap<(u32, u32), (u32, u32)>,
    regions: Vec<Dimensions>,
}

/// How a cell's number format shows its number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Plain,
    /// `0.00%`: 0.923 is shown as 92.3%.
    Percent,
    /// `"TRUE";"TRUE";"FALSE"`, as LibreOffice saves its booleans: 1 is shown as TRUE.
    Boolean,
}

/// The rows and columns of a sheet's header, and the names read from it.
struct Header<'s> {
    /// The first and last row: more than one when a group title stands above the names.
    rows: (u32, u32),
    left: u32,
    /// One cell per column from `left`, holding its name (empty for a column with none).
    names: Vec<TableCell<'s>>,
}

impl Sheet {
    /// Reads the sheet's cells, each one counted against `budget`, so a workbook that
    /// inflates to millions of cells stops at the limit. `stale` says the workbook's
    /// formula results were never calculated, whatever they hold.
    fn read(
        workbook: &mut Xlsx<Cursor<&[u8]>>,
        name: &str,
        stale: bool,
        budget: &mut u64,
    ) -> Result<Sheet, SheetError> {
        let mut cells = BTreeMap::new();
        let mut uncalculated = BTreeMap::new();
        let mut reader = workbook.worksheet_cells_reader(name)?;
        while let Some(cell) = reader.next_cell_with_formula()? {
            *budget = budget.checked_sub(1).ok_or(SheetError::TooManyCells)?;
            let data = Data::from(cell.value);
            match cell.formula {
                // openpyxl writes `<v></v>` (or no value), rust_xlsxwriter 0 or "" with
                // `fullCalcOnLoad`: either way the cell holds no figure yet.
                Some(formula) if stale || is_blank(&data) => {
                    uncalculated.insert(cell.pos, format!("={formula}"));
                }
                _ if data != Data::Empty => {
                    cells.insert(cell.pos, data);
                }
                _ => {}
            }
        }
        drop(reader);
        let styles = workbook.worksheet_style(name)?;
        let regions = workbook.merge_cells_by_sheet_name(name)?;
        let merged = merged_cells(cells.keys().chain(uncalculated.keys()), &regions, *budget)
            .ok_or(SheetError::TooManyCells)?;
        Ok(Sheet {
            name: sheet_ref(name).into_owned(),
            cells,
            uncalculated,
            styles,
            merged,
            regions,
        })
    }

    /// Reads the sheet as a table if it has a header. Returns where the header is, or `None`
    /// for a sheet that is no table.
    /// A table is read row by row across the header's width: `limit` bounds rows × width, so
    /// a header with one cell far to the right cannot make every row thousands of cells wide.
    fn load(
        &self,
        file: DataFileId,
        limit: u64,
        loaded: &mut LoadedFile,
    ) -> Result<Option<Place>, TooManyCells> {
        let rows: BTreeSet<u32> = self
            .cells
            .keys()
            .chain(self.uncalculated.keys())
            .map(|(row, _)| *row)
            .collect();
        let row_count = u64::try_from(rows.len()).unwrap_or(u64::MAX);
        let text_rows: Vec<u32> = rows
            .iter()
            .copied()
            .filter(|&row| self.row_has_text(row))
            .take(MAX_TITLE_ROWS + 1)
            .collect();
        // The first row with text is the header if it names one of plancheck's columns, as
        // ever; a row below titles must name two of the four it needs, so that a list of
        // units (单位, 联系人, 联系电话) on a cover sheet is not taken for a table.
        let Some(titles) = (0..text_rows.len()).find(|&index| {
            text_rows.get(index).is_some_and(|&row| {
                let cells = self.present(row);
                if index == 0 {
                    names_a_column(&cells)
                } else {
                    names_required_columns(&cells) >= 2
                }
            })
        }) else {
            return Ok(None);
        };
        let Some(&header_row) = text_rows.get(titles) else {
            return Ok(None);
        };
        let Some(header) = self.header(header_row, &rows, limit, row_count)? else {
            return Ok(None);
        };
        let header_place = Place::cell(self.cell_name(header_row, header.left));
        for &row in text_rows.get(..titles).unwrap_or_default() {
            loaded.errors.push(self.title_row(row));
        }
        loaded.errors.extend(self.merged_header_notes(&header));
        loaded.errors.extend(extra_columns(&header.names));
        let mut table = match Table::new(&header.names, &header_place) {
            Ok(table) => table,
            Err(mut errors) => {
                loaded.errors.append(&mut errors);
                return Ok(Some(header_place));
            }
        };
        let right = header.right();
        for &row in rows.range(header.rows.1.saturating_add(1)..) {
            let at = Place::cell(self.cell_name(row, header.left));
            table.add_row(&self.row(row, header.left, right), &at, file);
        }
        table.finish(file, loaded);
        Ok(Some(header_place))
    }

    /// The header starting at `row`: the rows below it that belong to it (covered by its
    /// merged cells, or naming columns under a group title), and each column's name, the
    /// lowest text in the column.
    fn header(
        &self,
        row: u32,
        rows: &BTreeSet<u32>,
        limit: u64,
        row_count: u64,
    ) -> Result<Option<Header<'_>>, TooManyCells> {
        let deepest = row.saturating_add(MAX_HEADER_ROWS - 1);
        let mut last = self
            .regions
            .iter()
            .filter(|region| region.start.0 == row)
            .map(|region| region.end.0.min(deepest))
            .fold(row, u32::max);
        while let Some(&next) = rows.range(last.saturating_add(1)..).next() {
            if next > deepest || !names_a_column(&self.present(next)) {
                break;
            }
            last = next;
        }
        let columns = || {
            let rows = (row, 0)..=(last, u32::MAX);
            self.cells
                .range(rows.clone())
                .map(|(at, _)| at)
                .chain(self.uncalculated.range(rows).map(|(at, _)| at))
                .map(|(_, column)| *column)
        };
        let (Some(left), Some(right)) = (columns().min(), columns().max()) else {
            return Ok(None);
        };
        // Merged cells of the header may reach past its last written cell, as far as any
        // column holds something.
        let widest = self
            .cells
            .keys()
            .chain(self.uncalculated.keys())
            .map(|(_, column)| *column)
            .max()
            .unwrap_or(right);
        let right = self
            .regions
            .iter()
            .filter(|region| (row..=last).contains(&region.start.0) && region.start.1 <= right)
            .map(|region| region.end.1.min(widest))
            .fold(right, u32::max);
        let width = u64::from(right.saturating_sub(left)).saturating_add(1);
        if width.saturating_mul(row_count) > limit {
            return Err(TooManyCells);
        }
        let names = (left..=right)
            .map(|column| {
                (row..=last)
                    .rev()
                    .find_map(|at| self.header_cell(at, column))
                    .unwrap_or_else(|| TableCell {
                        text: Cow::Borrowed(""),
                        place: Place::cell(self.cell_name(row, column)),
                        not_a_value: None,
                    })
            })
            .collect();
        Ok(Some(Header {
            rows: (row, last),
            left,
            names,
        }))
    }

    /// A cell of the header with text: a merged cell names the first column it covers, and
    /// the cells it covers down that column, never the columns to its right.
    fn header_cell(&self, row: u32, column: u32) -> Option<TableCell<'_>> {
        let at = self.first_of(row, column);
        if at.1 != column {
            return None;
        }
        let cell = self.cell(row, column);
        (!cell.text.trim().is_empty()).then_some(cell)
    }

    /// A note for a title row above the header.
    fn title_row(&self, row: u32) -> LoadError {
        let mut texts = self
            .cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|(&at, data)| (at, cell_text(data, self.shown(at))))
            .filter(|(_, text)| !text.trim().is_empty());
        let Some((first, text)) = texts.next() else {
            return LoadError::in_cell(self.cell_name(row, 0), title_error(String::new()));
        };
        let mut text = text.trim().to_owned();
        for (_, more) in texts {
            text.push(' ');
            text.push_str(more.trim());
        }
        LoadError::in_cell(self.cell_name(first.0, first.1), title_error(text))
    }

    /// A note for each merged cell of the header that spans columns: a group title whose
    /// columns are named below it, or a name over columns of which only the first is read.
    fn merged_header_notes(&self, header: &Header<'_>) -> Vec<LoadError> {
        let right = header.right();
        let name_at = |column: u32| {
            column
                .checked_sub(header.left)
                .and_then(|index| usize::try_from(index).ok())
                .and_then(|index| header.names.get(index))
        };
        if self.regions.is_empty() {
            return Vec::new();
        }
        // The columns holding a value or formula of their own below the header.
        let below = (header.rows.1.saturating_add(1), 0)..;
        let valued: BTreeSet<u32> = self
            .cells
            .range(below.clone())
            .map(|(at, _)| at)
            .chain(self.uncalculated.range(below).map(|(at, _)| at))
            .map(|(_, column)| *column)
            .collect();
        let mut notes = Vec::new();
        for region in &self.regions {
            let (start, end) = (region.start, region.end);
            if !(header.rows.0..=header.rows.1).contains(&start.0)
                || end.1 <= start.1
                || start.1 > right
            {
                continue;
            }
            let Some(data) = self.cells.get(&start) else {
                continue;
            };
            let name = cell_text(data, self.shown(start)).trim().to_owned();
            if name.is_empty() {
                continue;
            }
            let first_cell = self.cell_name(start.0, start.1);
            let used =
                name_at(start.1).is_some_and(|cell| cell.place == Place::cell(first_cell.clone()));
            // A column with no value of its own below the header loses nothing: merged for
            // looks, with the rows merged alike, it is not worth a warning.
            let first_unread = if used {
                start.1.saturating_add(1)
            } else {
                start.1
            };
            let unread: Vec<String> = (first_unread..=end.1.min(right))
                .filter(|&column| name_at(column).is_none_or(|cell| cell.text.trim().is_empty()))
                .filter(|column| valued.contains(column))
                .map(column_letters)
                .collect();
            if used && unread.is_empty() {
                continue;
            }
            let range = format!(
                "{}{}:{}{}",
                column_letters(start.1),
                u64::from(start.0) + 1,
                column_letters(end.1),
                u64::from(end.0) + 1
            );
            let error = LoadError::MergedHeader {
                name,
                range,
                read: column_letters(start.1),
                unread: unread.join("、"),
                group: !used,
                span: (0..0).into(),
            };
            notes.push(LoadError::in_cell(first_cell, error));
        }
        notes
    }

    fn row_has_text(&self, row: u32) -> bool {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .any(|(_, data)| !cell_text(data, Shown::Plain).trim().is_empty())
    }

    /// The cells a row holds itself, without the empty ones between them or the values of
    /// merged regions: enough to tell a header by its names.
    fn present(&self, row: u32) -> Vec<TableCell<'_>> {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|(&(row, column), _)| self.cell(row, column))
            .collect()
    }

    fn row(&self, row: u32, left: u32, right: u32) -> Vec<TableCell<'_>> {
        (left..=right)
            .map(|column| self.cell(row, column))
            .collect()
    }

    /// The first cell of the merged region covering a cell, or the cell itself.
    fn first_of(&self, row: u32, column: u32) -> (u32, u32) {
        self.merged
            .get(&(row, column))
            .copied()
            .unwrap_or((row, column))
    }

    /// A cell as a table cell; a cell a merged region covers reads the region's first cell.
    fn cell(&self, row: u32, column: u32) -> TableCell<'_> {
        let at = self.first_of(row, column);
        let place = Place::cell(self.cell_name(at.0, at.1));
        if let Some(formula) = self.uncalculated.get(&at) {
            return TableCell {
                text: Cow::Borrowed(""),
                place,
                not_a_value: Some((InvalidReason::Uncalculated, formula.clone())),
            };
        }
        let Some(data) = self.cells.get(&at) else {
            return TableCell {
                text: Cow::Borrowed(""),
                place,
                not_a_value: None,
            };
        };
        let not_a_value = match data {
            Data::DateTime(date) if date.is_datetime() => {
                Some((InvalidReason::Date, full_date_text(date)))
            }
            Data::DateTimeIso(text) => Some((InvalidReason::Date, text.clone())),
            _ => None,
        };
        TableCell {
            text: cell_text(data, self.shown(at)),
            place,
            not_a_value,
        }
    }

    fn shown(&self, at: (u32, u32)) -> Shown {
        let format = self
            .styles
            .get(at)
            .and_then(|style| style.number_format.as_ref());
        match format {
            Some(format) if is_percent_format(&format.format_code) => Shown::Percent,
            Some(format) if is_boolean_format(&format.format_code) => Shown::Boolean,
            _ => Shown::Plain,
        }
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

impl Header<'_> {
    fn right(&self) -> u32 {
        let width = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.left.saturating_add(width.saturating_sub(1))
    }
}

fn title_error(text: String) -> LoadError {
    LoadError::TitleRow {
        text: shorten(&text, 40),
        span: (0..0).into(),
    }
}

/// At most `chars` characters of `text`, with `…` when cut.
fn shorten(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// Whether a formula's stored result is no result: none, or empty text.
fn is_blank(data: &Data) -> bool {
    match data {
        Data::Empty => true,
        Data::String(text) => text.is_empty(),
        _ => false,
    }
}

/// The cells merged regions cover, limited to rows and columns that hold a value: a region may
/// span a whole column.
///
/// `None` once more than `limit` cells would be mapped: regions over many rows and columns
/// would otherwise cost rows × columns.
fn merged_cells<'c>(
    cells: impl Iterator<Item = &'c (u32, u32)>,
    regions: &[Dimensions],
    limit: u64,
) -> Option<HashMap<(u32, u32), (u32, u32)>> {
    let (rows, columns): (BTreeSet<u32>, BTreeSet<u32>) = cells.copied().unzip();
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
fn cell_text(data: &Data, shown: Shown) -> Cow<'_, str> {
    let number = |text: String, nonzero: bool| match shown {
        Shown::Plain => Cow::Owned(text),
        Shown::Percent => Cow::Owned(format!("{}%", times_hundred(&text))),
        Shown::Boolean => Cow::Borrowed(if nonzero { "true" } else { "false" }),
    };
    match data {
        Data::Empty => Cow::Borrowed(""),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            Cow::Borrowed(text)
        }
        Data::Int(int) => number(int.to_string(), *int != 0),
        // `Display` of an f64 is the shortest decimal that reads back as the same f64, and
        // never uses an exponent: 90.96 stays "90.96", 4600000 stays "4600000".
        Data::Float(float) => number(float.to_string(), *float != 0.0),
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

/// A date as the day it is, for a value that should have been a number: `2024-01-02`.
fn full_date_text(date: &calamine::ExcelDateTime) -> String {
    let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
    match (hour, minute, second) {
        (0, 0, 0) => format!("{year:04}-{month:02}-{day:02}"),
        _ => format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"),
    }
}

/// Whether an Excel number format shows a number as one of two words, the way LibreOffice
/// saves a boolean cell (`"TRUE";"TRUE";"FALSE"`): three quoted sections, the first two
/// (positive, negative) alike and the third (zero) different.
fn is_boolean_format(code: &str) -> bool {
    let literal = |section: &str| {
        section
            .trim()
            .strip_prefix('"')?
            .strip_suffix('"')
            .filter(|text| !text.contains('"') && !text.is_empty())
            .map(str::to_owned)
    };
    let sections: Vec<Option<String>> = code.split(';').map(literal).collect();
    match sections.as_slice() {
        [Some(positive), Some(negative), Some(zero)] => positive == negative && positive != zero,
        _ => false,
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

    use crate::load::FigureValue;
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
        assert_eq!(cell_text(&Data::Float(90.96), Shown::Plain), "90.96");
        // As Excel may store 90.96: more digits than the f64 holds, the same f64.
        let stored: f64 = "90.959999999999994".parse().unwrap();
        assert_eq!(cell_text(&Data::Float(stored), Shown::Plain), "90.96");
        assert_eq!(
            cell_text(&Data::Float(4_600_000.0), Shown::Plain),
            "4600000"
        );
        assert_eq!(cell_text(&Data::Float(0.9096), Shown::Percent), "90.96%");
        assert_eq!(cell_text(&Data::Bool(true), Shown::Plain), "true");
        assert_eq!(cell_text(&Data::Empty, Shown::Plain), "");
    }

    /// A name merged over two columns whose rows are merged alike loses nothing: no warning.
    /// With a value of its own in the second column, the warning names that column.
    #[test]
    fn a_merged_name_warns_only_when_a_column_goes_unread() {
        for own_value in [false, true] {
            let mut workbook = Workbook::new();
            let sheet = workbook.add_worksheet();
            for (col, name) in (0u16..).zip(["reporter", "period", "metric"]) {
                sheet.write_string(0, col, name).unwrap();
            }
            sheet
                .merge_range(0, 3, 0, 4, "value", &Format::new())
                .unwrap();
            sheet.write_string(1, 0, "区水务局").unwrap();
            sheet.write_string(1, 1, "2023").unwrap();
            sheet.write_string(1, 2, "水土保持率").unwrap();
            if own_value {
                sheet.write_string(1, 3, "98.95%").unwrap();
                sheet.write_string(1, 4, "（快报）").unwrap();
            } else {
                sheet
                    .merge_range(1, 3, 1, 4, "98.95%", &Format::new())
                    .unwrap();
            }
            let mut loaded = LoadedFile::default();
            let bytes = workbook.save_to_buffer().unwrap();
            load(DataFileId(0), &bytes, &Limits::default(), &mut loaded);
            let messages: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
            let expected: &[&str] = if own_value {
                &["Sheet1!D1：表头的合并单元格“value”跨 D1:E1，只读取 D 列，E 列不读取"]
            } else {
                &[]
            };
            assert_eq!(messages, expected, "{own_value}");
            assert_eq!(loaded.submissions[0].figures.len(), 1);
        }
    }

    /// A group title over a row of names, with nothing merged down: the names below it are
    /// the columns; a column under it with no name but values is not read, and said so.
    #[test]
    fn a_group_title_names_no_column_and_its_unnamed_columns_are_named() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, name) in (0u16..).zip(["reporter", "period", "metric"]) {
            sheet.write_string(0, col, name).unwrap();
        }
        sheet
            .merge_range(0, 3, 0, 5, "完成情况", &Format::new())
            .unwrap();
        sheet.write_string(1, 3, "value").unwrap();
        sheet.write_string(1, 4, "unit").unwrap();
        for (col, text) in (0u16..).zip(["区水务局", "2023", "水土保持率", "98.95", "%", "快报"])
        {
            sheet.write_string(2, col, text).unwrap();
        }
        let mut loaded = LoadedFile::default();
        let bytes = workbook.save_to_buffer().unwrap();
        load(DataFileId(0), &bytes, &Limits::default(), &mut loaded);
        let messages: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            ["Sheet1!D1：表头的合并单元格“完成情况”（D1:F1）是分组标题，不作列名；其下 F 列没有列名，不读取"]
        );
        let figure = &loaded.submissions[0].figures[0];
        assert_eq!(figure.value, crate::load::tests::number("98.95", Some("%")));
        assert_eq!(figure.value_loc.cell.as_deref(), Some("Sheet1!D3"));
    }

    /// LibreOffice saves TRUE as the number 1 shown through `"TRUE";"TRUE";"FALSE"`.
    #[test]
    fn numbers_shown_as_true_or_false_are_booleans() {
        assert!(is_boolean_format("\"TRUE\";\"TRUE\";\"FALSE\""));
        assert!(is_boolean_format("\"是\";\"是\";\"否\""));
        assert!(!is_boolean_format("General"));
        assert!(!is_boolean_format("0;-0;\"-\""));
        assert!(!is_boolean_format("\"TRUE\";\"FALSE\""));
        assert!(!is_boolean_format("\"a\";\"a\";\"a\""));
        assert_eq!(cell_text(&Data::Float(1.0), Shown::Boolean), "true");
        assert_eq!(cell_text(&Data::Int(0), Shown::Boolean), "false");
    }

    #[test]
    fn formulas_are_stale_when_the_workbook_asks_for_a_full_calculation() {
        assert!(full_calc_on_load(
            r#"<workbook><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#
        ));
        assert!(full_calc_on_load(
            r#"<x:workbook><x:calcPr fullCalcOnLoad="true" calcId="0"/></x:workbook>"#
        ));
        // Excel and WPS, having calculated, write no such flag.
        assert!(!full_calc_on_load(
            r#"<workbook><calcPr calcId="191029"/></workbook>"#
        ));
        assert!(!full_calc_on_load(
            r#"<workbook><calcPr calcId="144525" concurrentCalc="0"/></workbook>"#
        ));
        assert!(!full_calc_on_load(
            r#"<workbook><calcPr fullCalcOnLoad="0"/></workbook>"#
        ));
        // The attribute of another element is not the workbook's.
        assert!(!full_calc_on_load(
            r#"<workbook><calcPrX fullCalcOnLoad="1"/><calcPr/></workbook>"#
        ));
    }

    /// openpyxl writes a formula with an empty `<v></v>`, or none at all; either is a
    /// formula never calculated, named with its formula, in a workbook that otherwise asks
    /// for no calculation.
    #[test]
    fn a_formula_without_a_stored_result_is_uncalculated() {
        let mut workbook = Workbook::new();
        workbook.set_calculation_mode(rust_xlsxwriter::CalculationMode::Manual);
        let sheet = workbook.add_worksheet();
        // Results are written empty (`<v></v>`) unless given.
        sheet.set_formula_result_default("");
        for (col, name) in (0u16..).zip(["reporter", "period", "metric", "value"]) {
            sheet.write_string(0, col, name).unwrap();
        }
        for row in 1..=3 {
            sheet.write_string(row, 0, "区水务局").unwrap();
            sheet.write_number(row, 1, 2023).unwrap();
        }
        sheet.write_string(1, 2, "甲").unwrap();
        sheet.write_formula(1, 3, "SUM(E2:E3)").unwrap();
        sheet.write_string(2, 2, "乙").unwrap();
        sheet
            .write_formula(2, 3, rust_xlsxwriter::Formula::new("1+1").set_result("2"))
            .unwrap();
        sheet.write_string(3, 2, "丙").unwrap();
        sheet.write_formula(3, 3, "1+2").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        // Row 4's formula loses its `<v>` altogether, as openpyxl may write it.
        let bytes = rewrite_part(&bytes, "xl/worksheets/sheet1.xml", |xml| {
            assert!(xml.contains("<f>SUM(E2:E3)</f><v></v>"), "{xml}");
            xml.replace("<f>1+2</f><v></v>", "<f>1+2</f>")
        });
        let mut loaded = LoadedFile::default();
        load(DataFileId(0), &bytes, &Limits::default(), &mut loaded);
        assert_eq!(loaded.errors, []);
        let values: Vec<(&str, &FigureValue)> = loaded.submissions[0]
            .figures
            .iter()
            .map(|f| (f.metric.as_str(), &f.value))
            .collect();
        let uncalculated = |formula: &str| FigureValue::Invalid {
            text: formula.to_owned(),
            reason: InvalidReason::Uncalculated,
        };
        assert_eq!(
            values,
            [
                ("甲", &uncalculated("=SUM(E2:E3)")),
                ("乙", &crate::load::tests::number("2", None)),
                ("丙", &uncalculated("=1+2")),
            ]
        );
    }

    /// The workbook with one part's text rewritten.
    fn rewrite_part(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
        use std::io::Write;
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for index in 0..archive.len() {
            let mut part = archive.by_index(index).unwrap();
            let mut content = Vec::new();
            part.read_to_end(&mut content).unwrap();
            let part_name = part.name().unwrap().into_owned();
            if part_name == name {
                content = edit(std::str::from_utf8(&content).unwrap()).into_bytes();
            }
            out.start_file(part_name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&content).unwrap();
        }
        out.finish().unwrap().into_inner()
    }
}
