//! Workbooks (.xlsx, .xls, .ods) through calamine, turned into rows of cell text.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto};

use super::table::{Row, find_header};
use super::{ImportError, Source};

/// The rows of the sheet named `wanted`, or else of the first sheet that holds an
/// indicator table (found by its header), or of the first sheet when none does, so the
/// caller can say what is missing. The other sheets are listed.
pub fn rows_of(path: &Path, wanted: Option<&str>) -> Result<Source, ImportError> {
    let workbook_error = |reason: String| ImportError::Workbook {
        path: path.to_owned(),
        reason,
    };
    if let Err(err) = std::fs::metadata(path) {
        return Err(workbook_error(crate::storage::io_reason(&err)));
    }
    let mut workbook =
        open_workbook_auto(path).map_err(|err| workbook_error(calamine_reason(&err)))?;
    let names = workbook.sheet_names();
    if let Some(wanted) = wanted
        && !names.iter().any(|n| n.trim() == wanted.trim())
    {
        return Err(ImportError::NoSuchSheet {
            path: path.to_owned(),
            sheet: wanted.to_owned(),
            names: names
                .iter()
                .map(|n| format!("“{n}”"))
                .collect::<Vec<_>>()
                .join("、"),
        });
    }
    let mut chosen: Option<(String, Vec<Row>)> = None;
    let mut first: Option<(String, Vec<Row>)> = None;
    let mut others = Vec::new();
    for name in &names {
        if chosen.is_some() && wanted.is_none() {
            others.push(format!("工作表“{name}”（已找到指标表，未读取）"));
            continue;
        }
        if wanted.is_some_and(|w| w.trim() != name.trim()) {
            others.push(format!("工作表“{name}”（未选择）"));
            continue;
        }
        let rows = sheet_rows(&mut workbook, name)
            .map_err(|reason| workbook_error(format!("工作表“{name}”：{reason}")))?;
        if wanted.is_some() || find_header(&rows).is_some() {
            chosen = Some((name.clone(), rows));
        } else {
            others.push(format!("工作表“{name}”（没有指标表头）"));
            first.get_or_insert((name.clone(), rows));
        }
    }
    let multiple = names.len() > 1;
    let (name, rows) = chosen.or(first).unwrap_or_default();
    Ok(Source {
        rows,
        label: if multiple || wanted.is_some() {
            format!("工作表“{name}”")
        } else {
            String::new()
        },
        others,
    })
}

/// The columns an indicator table can use; a stray cell further right is left out.
const MAX_COLUMNS: u32 = 256;

/// The rows of one sheet. An .xlsx sheet is read cell by cell, so a stray entry in its
/// last cell (XFD1048576, seen in real files) or an absurd cell reference costs nothing;
/// calamine's dense range would allocate every cell up to it.
fn sheet_rows<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    name: &str,
) -> Result<Vec<Row>, String> {
    if let Sheets::Xlsx(xlsx) = workbook {
        let mut reader = xlsx
            .worksheet_cells_reader(name)
            .map_err(|err| calamine_reason(&err))?;
        let mut cells = Gathered::InOrder(Vec::new());
        while let Some(cell) = reader.next_cell().map_err(|err| calamine_reason(&err))? {
            let (row, column) = cell.get_position();
            // Text is taken over once; the other kinds go through `cell_text`.
            let text = match cell.get_value() {
                DataRef::SharedString(text) => (*text).to_owned(),
                DataRef::String(text) => text.clone(),
                other => cell_text(&Data::from(other.clone())),
            };
            if column < MAX_COLUMNS
                && !text.is_empty()
                && cells.add(row, column, text) > super::MAX_ROWS
            {
                return Err(super::too_many_rows());
            }
        }
        return Ok(cells
            .into_rows()
            .map(|(row, cells)| {
                let width = cells
                    .iter()
                    .map(|(c, _)| *c as usize + 1)
                    .max()
                    .unwrap_or(0);
                let mut texts = vec![String::new(); width];
                for (column, text) in cells {
                    texts[column as usize] = text;
                }
                Row {
                    number: row as usize + 1,
                    cells: texts,
                }
            })
            .collect());
    }
    let range = workbook
        .worksheet_range(name)
        .map_err(|err| calamine_reason(&err))?;
    if range.height() > super::MAX_ROWS {
        return Err(super::too_many_rows());
    }
    Ok(range_rows(&range))
}

/// A sheet's cells gathered into rows of (column, text). A sheet lists its cells row by
/// row, so a cell belongs to the last row or starts the next; only a file that lists
/// them out of order is sorted, from its first out-of-order cell on.
enum Gathered {
    InOrder(Vec<(u32, Cells)>),
    Sorted(BTreeMap<u32, Cells>),
}

/// A row's cells: (column, text), in the order the sheet lists them.
type Cells = Vec<(u32, String)>;

impl Gathered {
    /// Adds a cell; returns how many rows there are.
    fn add(&mut self, row: u32, column: u32, text: String) -> usize {
        match self {
            Gathered::InOrder(rows) => match rows.last_mut() {
                Some((last, cells)) if *last == row => cells.push((column, text)),
                Some((last, _)) if *last > row => {
                    let mut sorted: BTreeMap<_, _> = std::mem::take(rows).into_iter().collect();
                    sorted.entry(row).or_default().push((column, text));
                    *self = Gathered::Sorted(sorted);
                }
                _ => rows.push((row, vec![(column, text)])),
            },
            Gathered::Sorted(rows) => rows.entry(row).or_default().push((column, text)),
        }
        match self {
            Gathered::InOrder(rows) => rows.len(),
            Gathered::Sorted(rows) => rows.len(),
        }
    }

    /// The rows in order, each with its cells in the order they came.
    fn into_rows(self) -> Box<dyn Iterator<Item = (u32, Cells)>> {
        match self {
            Gathered::InOrder(rows) => Box::new(rows.into_iter()),
            Gathered::Sorted(rows) => Box::new(rows.into_iter()),
        }
    }
}

fn range_rows(range: &calamine::Range<Data>) -> Vec<Row> {
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    range
        .rows()
        .enumerate()
        .map(|(index, cells)| {
            let mut texts = vec![String::new(); first_column as usize];
            texts.extend(cells.iter().map(cell_text));
            Row {
                number: first_row as usize + index + 1,
                cells: texts,
            }
        })
        .collect()
}

/// A cell as the user sees it. Numbers go through their shortest decimal text, so the
/// 3.34 that Excel stores as 3.33999… comes back as exactly 3.34.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Float(value) => format!("{value}"),
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => if *value { "是" } else { "否" }.to_owned(),
        Data::DateTime(date) => {
            let (year, month, day, ..) = date.to_ymd_hms_milli();
            format!("{year}年{month}月{day}日")
        }
        Data::Error(err) => format!("#{err:?}"),
    }
}

/// calamine's complaint as a short Chinese reason; its English never reaches the user.
/// A file that does not exist is caught before calamine is asked, so "not found" from
/// calamine means a part inside the file is missing.
fn calamine_reason(err: &dyn std::fmt::Display) -> String {
    let text = err.to_string();
    if text.contains("No such file") || text.contains("not found") {
        "文件已损坏：缺少其中的部分内容".to_owned()
    } else if text.contains("ermission") {
        "没有权限".to_owned()
    } else if text.contains("assword") || text.contains("ncrypt") {
        "文件设有密码，请在 Excel 或 WPS 中取消密码后再导入".to_owned()
    } else {
        "文件已损坏或不是表格文件".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gather(cells: &[(u32, u32, &str)]) -> (Vec<(u32, Cells)>, usize) {
        let mut gathered = Gathered::InOrder(Vec::new());
        let mut count = 0;
        for &(row, column, text) in cells {
            count = gathered.add(row, column, text.to_owned());
        }
        (gathered.into_rows().collect(), count)
    }

    fn row(number: u32, cells: &[(u32, &str)]) -> (u32, Cells) {
        let cells = cells.iter().map(|&(c, t)| (c, t.to_owned())).collect();
        (number, cells)
    }

    #[test]
    fn cells_listed_row_by_row_become_those_rows() {
        let (rows, count) = gather(&[
            (0, 0, "一级指标"),
            (0, 1, "分值"),
            (2, 0, "决策"),
            (2, 1, "10"),
        ]);
        assert_eq!(count, 2);
        assert_eq!(
            rows,
            [
                row(0, &[(0, "一级指标"), (1, "分值")]),
                row(2, &[(0, "决策"), (1, "10")])
            ]
        );
    }

    #[test]
    fn cells_listed_out_of_order_are_put_back_in_their_rows() {
        let (rows, count) = gather(&[
            (3, 0, "产出"),
            (1, 0, "决策"),
            (3, 1, "20"),
            (2, 0, "过程"),
            (1, 1, "10"),
        ]);
        assert_eq!(count, 3);
        assert_eq!(
            rows,
            [
                row(1, &[(0, "决策"), (1, "10")]),
                row(2, &[(0, "过程")]),
                row(3, &[(0, "产出"), (1, "20")])
            ]
        );
    }
}
