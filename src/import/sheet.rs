//! Workbooks (.xlsx, .xls, .ods) through calamine, turned into rows of cell text.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use super::ImportError;
use super::table::{Row, find_header};

/// The rows of the first sheet that holds a scoring table (a header naming 分值 and 得分),
/// or of the first sheet when none does, so the caller can say what is missing.
pub fn rows_of(path: &Path) -> Result<Vec<Row>, ImportError> {
    let workbook_error = |reason: String| ImportError::Workbook {
        path: path.to_owned(),
        reason,
    };
    let mut workbook =
        open_workbook_auto(path).map_err(|err| workbook_error(calamine_reason(&err)))?;
    let mut first = None;
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|err| workbook_error(format!("工作表“{name}”：{}", calamine_reason(&err))))?;
        let rows = range_rows(&range);
        if find_header(&rows).is_some() {
            return Ok(rows);
        }
        first.get_or_insert(rows);
    }
    Ok(first.unwrap_or_default())
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

fn calamine_reason(err: &dyn std::fmt::Display) -> String {
    let text = err.to_string();
    if text.contains("No such file") || text.contains("not found") {
        "文件不存在".to_owned()
    } else if text.contains("ermission") {
        "没有权限".to_owned()
    } else {
        format!("文件已损坏或不是表格文件（{text}）")
    }
}
