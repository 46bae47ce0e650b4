//! The 整改清单 as a workbook: one row per problem, with the columns a unit fills in.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::xlsx::{print_setup, wrapped_height};
use super::{ExportError, write_atomically};
use crate::model::Evaluation;
use crate::rectify::Row;

const COLUMNS: [(&str, f64); 11] = [
    ("序号", 6.0),
    ("指标", 28.0),
    ("问题", 40.0),
    ("扣分", 8.0),
    ("整改措施", 36.0),
    ("责任单位", 16.0),
    ("完成时限", 12.0),
    ("状态", 9.0),
    ("逾期", 6.0),
    ("完成情况", 30.0),
    ("佐证", 12.0),
];

/// The workbook of `rows`, the register of `doc`.
pub fn rectification_xlsx_bytes(doc: &Evaluation, rows: &[Row]) -> Result<Vec<u8>, XlsxError> {
    let base = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_font_name("宋体")
        .set_font_size(11);
    let wrapped = base.clone().set_text_wrap();
    let header = base.clone().set_bold().set_align(FormatAlign::Center);
    let title = Format::new()
        .set_bold()
        .set_font_name("宋体")
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let number = base.clone().set_num_format("0.00");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("整改清单")?;
    let last = COLUMNS.len() as u16 - 1;
    let name = format!("{}整改清单", doc.info.name.trim());
    sheet.merge_range(0, 0, 0, last, &name, &title)?;
    sheet.set_row_height(0, 28)?;
    for (column, (text, width)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(1, column as u16, *text, &header)?;
        sheet.set_column_width(column as u16, *width)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let r = 2 + index as u32;
        let lost: f64 = row.lost.parse().unwrap_or_default();
        sheet.write_number_with_format(r, 0, (index + 1) as f64, &base)?;
        sheet.write_string_with_format(r, 1, &row.indicator, &wrapped)?;
        sheet.write_string_with_format(r, 2, &row.problem, &wrapped)?;
        sheet.write_number_with_format(r, 3, lost, &number)?;
        sheet.write_string_with_format(r, 4, &row.measure, &wrapped)?;
        sheet.write_string_with_format(r, 5, &row.unit, &wrapped)?;
        sheet.write_string_with_format(r, 6, &row.due, &base)?;
        sheet.write_string_with_format(r, 7, row.status, &base)?;
        sheet.write_string_with_format(r, 8, if row.overdue { "是" } else { "" }, &base)?;
        sheet.write_string_with_format(r, 9, &row.outcome, &wrapped)?;
        sheet.write_string_with_format(r, 10, row.evidence.join("、"), &wrapped)?;
        // Tall enough for the longest wrapped text of the row.
        let height = [
            (row.indicator.as_str(), COLUMNS[1].1),
            (&row.problem, COLUMNS[2].1),
            (&row.measure, COLUMNS[4].1),
            (&row.outcome, COLUMNS[9].1),
        ]
        .into_iter()
        .map(|(text, width)| wrapped_height(text, width))
        .fold(15.0, f64::max);
        sheet.set_row_height(r, height)?;
    }
    print_setup(sheet, true, 1)?;
    workbook.save_to_buffer()
}

/// Writes the 整改清单 of `doc` to `path`.
pub fn write_rectification_xlsx(
    doc: &Evaluation,
    rows: &[Row],
    path: &Path,
) -> Result<(), ExportError> {
    let bytes = rectification_xlsx_bytes(doc, rows)
        .map_err(|_| ExportError::at(path, "无法生成整改清单工作簿"))?;
    write_atomically(path, &bytes)
}
