//! Workbooks (.xlsx, .xls, .ods) through calamine, turned into rows of cell text.

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto};

use serde::{Deserialize, Serialize};

use super::ImportError;
use super::header::find_header;
use super::table::Row;

/// Where the rows of a workbook go as they are read: in the worker, straight to
/// jixiao, which takes them in while the rest of the sheet is still being read.
pub(crate) trait Sink: Send {
    /// The rows of the next sheet begin.
    fn sheet(&mut self);
    /// One complete row of the current sheet.
    fn row(&mut self, row: &Row);
    /// The current sheet's rows given so far are void: they all come again, in order.
    fn restart(&mut self);
    /// The rows of sheet `index` (counted from 0 in the order given) are not needed.
    fn forget(&mut self, index: usize);
}

/// Which sheet's rows are the table, with how to name it and what else the workbook held.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Chosen {
    /// The index of the sheet among those given to the [`Sink`]; `None` when none was.
    pub sheet: Option<usize>,
    pub label: String,
    pub others: Vec<String>,
}

/// Reads the sheet named `wanted`, or else the sheets up to the first that holds an
/// indicator table (found by its header), giving their rows to `sink`. The answer is
/// that sheet, or the first sheet when none has a header, so the caller can say what is
/// missing; the other sheets are listed. Its rows are returned too, for a caller that
/// reads in this process.
pub(crate) fn rows_of(
    path: &Path,
    wanted: Option<&str>,
    sink: &mut dyn Sink,
) -> Result<(Chosen, Vec<Row>), ImportError> {
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
    // (index among the sheets given, name, rows)
    let mut chosen: Option<(usize, String, Vec<Row>)> = None;
    let mut first: Option<(usize, String, Vec<Row>)> = None;
    let mut others = Vec::new();
    let mut given = 0;
    for name in &names {
        if chosen.is_some() && wanted.is_none() {
            others.push(format!("工作表“{name}”（已找到指标表，未读取）"));
            continue;
        }
        if wanted.is_some_and(|w| w.trim() != name.trim()) {
            others.push(format!("工作表“{name}”（未选择）"));
            continue;
        }
        sink.sheet();
        let index = given;
        given += 1;
        let rows = sheet_rows(&mut workbook, name, sink)
            .map_err(|reason| workbook_error(format!("工作表“{name}”：{reason}")))?;
        if wanted.is_some() || find_header(&rows).is_some() {
            if let Some((earlier, ..)) = chosen.replace((index, name.clone(), rows)) {
                sink.forget(earlier);
            }
        } else {
            others.push(format!("工作表“{name}”（没有指标表头）"));
            if first.is_none() {
                first = Some((index, name.clone(), rows));
            } else {
                sink.forget(index);
            }
        }
    }
    let multiple = names.len() > 1;
    let (sheet, name, rows) = match chosen.or(first) {
        Some((index, name, rows)) => (Some(index), name, rows),
        None => (None, String::new(), Vec::new()),
    };
    let chosen = Chosen {
        sheet,
        label: if multiple || wanted.is_some() {
            format!("工作表“{name}”")
        } else {
            String::new()
        },
        others,
    };
    Ok((chosen, rows))
}

/// The columns an indicator table can use; a stray cell further right is left out.
pub(super) const MAX_COLUMNS: u32 = 256;

/// The rows of one sheet, each also given to `sink` as soon as it is complete. An .xlsx
/// sheet is read cell by cell, so a stray entry in its last cell (XFD1048576, seen in
/// real files) or an absurd cell reference costs nothing; calamine's dense range would
/// allocate every cell up to it.
fn sheet_rows<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    name: &str,
    sink: &mut dyn Sink,
) -> Result<Vec<Row>, String> {
    if let Sheets::Xlsx(xlsx) = workbook {
        let mut reader = xlsx
            .worksheet_cells_reader(name)
            .map_err(|err| calamine_reason(&err))?;
        // calamine's reading of the XML is most of the work; the cells are made into
        // rows (and given to the sink) on a second thread, a batch at a time.
        return std::thread::scope(|scope| {
            // The values still borrow calamine's shared strings: they are copied out on
            // the second thread too.
            let (batches, received) =
                std::sync::mpsc::sync_channel::<Vec<(u32, u32, DataRef<'_>)>>(4);
            let rows = scope.spawn(move || {
                let mut gathered = Gatherer::default();
                for batch in received {
                    for (row, column, value) in batch {
                        // Text is copied out or taken over; the other kinds go through
                        // `cell_text`.
                        let text = match value {
                            DataRef::SharedString(text) => text.to_owned(),
                            DataRef::String(text) => text,
                            other => cell_text(&Data::from(other)),
                        };
                        if !text.is_empty()
                            && gathered.add(row, column, text, sink) > super::MAX_ROWS
                        {
                            return Err(super::too_many_rows());
                        }
                    }
                }
                Ok(gathered.finish(sink))
            });
            const BATCH: usize = 1024;
            let mut batch = Vec::with_capacity(BATCH);
            let read = loop {
                let cell = match reader.next_cell() {
                    Ok(Some(cell)) => cell,
                    Ok(None) => break Ok(()),
                    Err(err) => break Err(calamine_reason(&err)),
                };
                let (row, column) = cell.get_position();
                if column >= MAX_COLUMNS {
                    continue;
                }
                batch.push((row, column, cell.get_value().clone()));
                // A closed channel: the rows were refused (too many); that is the answer.
                if batch.len() == BATCH
                    && batches
                        .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_err()
                {
                    break Ok(());
                }
            };
            let _ = batches.send(batch);
            drop(batches);
            // A panic while gathering is the worker's, like one in calamine.
            let rows = rows
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            read.and(rows)
        });
    }
    let range = workbook
        .worksheet_range(name)
        .map_err(|err| calamine_reason(&err))?;
    if range.height() > super::MAX_ROWS {
        return Err(super::too_many_rows());
    }
    let rows = range_rows(&range);
    for row in &rows {
        sink.row(row);
    }
    Ok(rows)
}

/// A row's cells: (column, text), in the order the sheet lists them.
type Cells = Vec<(u32, String)>;

/// A sheet's cells gathered into rows. A sheet lists its cells row by row, so a row is
/// complete, and given to the sink, when a cell of a later row comes. A file that lists
/// them out of order is sorted instead, from its first out-of-order cell on, and its
/// rows are given again at the end.
#[derive(Default)]
struct Gatherer {
    /// The complete rows, in order, already given.
    rows: Vec<Row>,
    /// The row being read: (0-based row, its cells).
    current: Option<(u32, Cells)>,
    sorted: Option<BTreeMap<u32, Cells>>,
}

impl Gatherer {
    /// Adds a cell; returns how many rows there are.
    fn add(&mut self, row: u32, column: u32, text: String, sink: &mut dyn Sink) -> usize {
        if let Some(sorted) = &mut self.sorted {
            sorted.entry(row).or_default().push((column, text));
            return sorted.len();
        }
        match &mut self.current {
            Some((last, cells)) if *last == row => cells.push((column, text)),
            Some((last, _)) if *last > row => {
                let mut sorted: BTreeMap<u32, Cells> = self
                    .rows
                    .drain(..)
                    .map(|row| (number_to_index(row.number), sparse(row.cells)))
                    .collect();
                sorted.extend(self.current.take());
                sorted.entry(row).or_default().push((column, text));
                sink.restart();
                let count = sorted.len();
                self.sorted = Some(sorted);
                return count;
            }
            _ => {
                if let Some((done, cells)) = self.current.replace((row, vec![(column, text)])) {
                    let done = dense(done, cells);
                    sink.row(&done);
                    self.rows.push(done);
                }
            }
        }
        self.rows.len() + 1
    }

    /// The rows in order; those not given yet are given now: all of them once sorted,
    /// else the last. (Sorting took over the row being read.)
    fn finish(mut self, sink: &mut dyn Sink) -> Vec<Row> {
        for (row, cells) in self.sorted.into_iter().flatten().chain(self.current) {
            let row = dense(row, cells);
            sink.row(&row);
            self.rows.push(row);
        }
        self.rows
    }
}

/// The 0-based row of a row number the user sees.
fn number_to_index(number: usize) -> u32 {
    u32::try_from(number.saturating_sub(1)).unwrap_or(u32::MAX)
}

/// A row of cells placed by column, empty where the sheet has none.
fn dense(row: u32, cells: Cells) -> Row {
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
}

/// The cells of a row that hold text, with their columns.
fn sparse(cells: Vec<String>) -> Cells {
    (0u32..)
        .zip(cells)
        .filter(|(_, text)| !text.is_empty())
        .collect()
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

    /// The rows as jixiao takes them from the sink.
    #[derive(Default)]
    struct Taken(Vec<Row>);

    impl Sink for Taken {
        fn sheet(&mut self) {}
        fn row(&mut self, row: &Row) {
            self.0.push(row.clone());
        }
        fn restart(&mut self) {
            self.0.clear();
        }
        fn forget(&mut self, _: usize) {}
    }

    /// The rows of these cells as read, as taken, and how many were counted.
    fn gather(cells: &[(u32, u32, &str)]) -> (Vec<Row>, Vec<Row>, usize) {
        let mut taken = Taken::default();
        let mut gatherer = Gatherer::default();
        let mut count = 0;
        for &(row, column, text) in cells {
            count = gatherer.add(row, column, text.to_owned(), &mut taken);
        }
        (gatherer.finish(&mut taken), taken.0, count)
    }

    fn row(number: usize, cells: &[&str]) -> Row {
        Row::of(number, cells)
    }

    #[test]
    fn cells_listed_row_by_row_become_those_rows() {
        let (rows, taken, count) = gather(&[
            (0, 0, "一级指标"),
            (0, 1, "分值"),
            (2, 0, "决策"),
            (2, 2, "10"),
        ]);
        assert_eq!(count, 2);
        assert_eq!(
            rows,
            [row(1, &["一级指标", "分值"]), row(3, &["决策", "", "10"])]
        );
        assert_eq!(taken, rows);
    }

    #[test]
    fn cells_listed_out_of_order_are_put_back_in_their_rows() {
        let (rows, taken, count) = gather(&[
            (1, 0, "决策"),
            (3, 0, "产出"),
            (1, 1, "10"),
            (3, 1, "20"),
            (2, 0, "过程"),
            (3, 1, "25"),
        ]);
        assert_eq!(count, 3);
        assert_eq!(
            rows,
            [
                row(2, &["决策", "10"]),
                row(3, &["过程"]),
                row(4, &["产出", "25"])
            ]
        );
        assert_eq!(taken, rows);
    }
}
