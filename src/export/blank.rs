//! The blank scoring sheet (空白评分表) experts still score on paper: the plan's
//! indicators with their 分值 and 评分标准, and empty 得分 and 扣分理由 columns, on A4
//! landscape with the heading repeated on every page and the group cells merged — laid
//! out as the importer reads tables, so `jixiao panel fill 专家.ron --from 评分表.xlsx`
//! takes the scores written into it.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, XlsxError};

use super::docx::{
    DOCUMENT_START, Look, Merge, PLAIN, Place, TABLE, TABLE_BOLD, cell, centered, header_row,
    package, paragraph, table_start,
};
use super::xlsx::{column_name, merge_groups, number, print_setup, wrapped_height};
use super::{
    ExportError, LEVEL_HEADERS, TableRow, level_columns, name_with_points, table_rows,
    write_atomically,
};
use crate::model::{Evaluation, Indicator};
use crate::number::format2;
use crate::scoring::{Summary, summarize};

/// The plan without any scoring: whatever file it is exported from (a scored evaluation,
/// an expert's file), the sheet's 得分 and 扣分理由 are empty and every 分值 counts.
fn plan_of(doc: &Evaluation) -> Evaluation {
    fn clear(nodes: &mut [Indicator]) {
        for node in nodes {
            node.scoring.score = None;
            node.scoring.reason.clear();
            node.scoring.not_applicable = false;
            clear(&mut node.children);
        }
    }
    let mut plan = doc.clone();
    clear(&mut plan.indicators);
    plan
}

/// The sheet's title: “某某项目绩效评价评分表”.
fn title(doc: &Evaluation) -> String {
    format!("{}绩效评价评分表", doc.info.name.trim())
}

/// The line under the table where the expert signs, naming the expert a prepared file
/// is for. It begins with 专家签字, which the importer takes for a note, not an indicator.
fn signature(doc: &Evaluation) -> String {
    let expert = doc
        .assignment
        .as_ref()
        .map(|a| a.expert.trim())
        .filter(|name| !name.is_empty())
        .map(|name| format!("（{name}）"))
        .unwrap_or_default();
    format!("专家签字{expert}：　　　　　　　　　　　　日期：　　　　年　　月　　日")
}

/// The column headings: the level columns, then 分值, 评分标准, 得分, 扣分理由.
fn headers(levels: usize) -> Vec<&'static str> {
    let mut headers = LEVEL_HEADERS[..levels].to_vec();
    headers.extend(["分值", "评分标准", "得分", "扣分理由"]);
    headers
}

/// A group's label as the published tables print it: `决策(10分)`.
fn group_label(summary: &Summary, group: &Indicator) -> String {
    name_with_points(&group.name, summary.totals_of(group.id).max_points)
}

/// The blank sheet as an .xlsx workbook of one sheet, 评分表.
pub fn blank_xlsx_bytes(doc: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let plan = plan_of(doc);
    let summary = summarize(&plan);
    let rows = table_rows(&plan);
    let levels = level_columns(&rows);
    let level_cols = levels as u16;
    let (max_col, criteria_col, score_col, reason_col) =
        (level_cols, level_cols + 1, level_cols + 2, level_cols + 3);

    let base = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_font_name("宋体")
        .set_font_size(11);
    let title_style = Format::new()
        .set_bold()
        .set_font_name("宋体")
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let header = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color("#F2F2F2");
    let wrapped = base.clone().set_text_wrap();
    let group = wrapped.clone().set_align(FormatAlign::Center);
    let figure = base
        .clone()
        .set_num_format("0.00")
        .set_align(FormatAlign::Center);
    let plain = Format::new().set_font_name("宋体").set_font_size(11);

    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("评分表")?;
    sheet.merge_range(0, 0, 0, reason_col, &title(&plan), &title_style)?;
    sheet.set_row_height(0, 30)?;
    for (column, heading) in headers(levels).iter().enumerate() {
        sheet.write_string_with_format(1, column as u16, *heading, &header)?;
    }
    sheet.set_row_height(1, 20)?;
    const FIRST: u32 = 2;
    for (index, row) in rows.iter().enumerate() {
        let r = FIRST + index as u32;
        let leaf_column = (row.groups.len() as u16).min(level_cols - 1);
        sheet.write_string_with_format(r, leaf_column, &row.leaf.name, &wrapped)?;
        for column in leaf_column + 1..level_cols {
            sheet.write_blank(r, column, &wrapped)?;
        }
        sheet.write_number_with_format(r, max_col, number(row.leaf.max_points), &figure)?;
        sheet.write_string_with_format(r, criteria_col, &row.leaf.criteria, &wrapped)?;
        sheet.write_blank(r, score_col, &figure)?;
        sheet.write_blank(r, reason_col, &wrapped)?;
        // Room to write by hand, and for the whole 评分标准.
        let height = wrapped_height(&row.leaf.criteria, 44.0)
            .max(wrapped_height(&row.leaf.name, 14.0))
            .max(32.0);
        sheet.set_row_height(r, height)?;
    }
    merge_groups(sheet, &rows, FIRST, levels, &group, |g| {
        group_label(&summary, g)
    })?;

    let total_row = FIRST + rows.len() as u32;
    sheet.merge_range(total_row, 0, total_row, level_cols - 1, "合计", &header)?;
    let (max_letter, score_letter) = (column_name(max_col), column_name(score_col));
    let (first, last) = (FIRST + 1, total_row);
    sheet.write_formula_with_format(
        total_row,
        max_col,
        Formula::new(format!("=SUM({max_letter}{first}:{max_letter}{last})"))
            .set_result(format2(summary.totals.max_points)),
        &figure,
    )?;
    sheet.write_blank(total_row, criteria_col, &wrapped)?;
    // Blank on paper (a zero is not shown); the sum once scores are typed in Excel or WPS.
    sheet.write_formula_with_format(
        total_row,
        score_col,
        Formula::new(format!("=SUM({score_letter}{first}:{score_letter}{last})")).set_result("0"),
        &figure.clone().set_num_format("0.00;-0.00;;@"),
    )?;
    sheet.write_blank(total_row, reason_col, &wrapped)?;
    sheet.set_row_height(total_row, 24)?;
    sheet.write_string_with_format(total_row + 2, 0, signature(&plan), &plain)?;

    let level_widths: [f64; 4] = match levels {
        3 => [12.0, 14.0, 18.0, 0.0],
        _ => [10.0, 12.0, 14.0, 14.0],
    };
    for (column, width) in level_widths.iter().take(levels).enumerate() {
        sheet.set_column_width(column as u16, *width)?;
    }
    sheet.set_column_width(max_col, 7)?;
    sheet.set_column_width(criteria_col, 44)?;
    sheet.set_column_width(score_col, 8)?;
    sheet.set_column_width(reason_col, 30)?;
    print_setup(sheet, true, 1)?;
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    workbook.save_to_buffer()
}

pub fn write_blank_xlsx(doc: &Evaluation, path: &Path) -> Result<(), ExportError> {
    let bytes = blank_xlsx_bytes(doc).map_err(|e| ExportError::at(path, e))?;
    write_atomically(path, &bytes)
}

/// Column widths in twips of the Word sheet, filling A4 landscape between 2 cm margins
/// (14,570): three or four level columns, 分值, 评分标准, 得分, 扣分理由.
fn docx_widths(levels: usize) -> Vec<usize> {
    match levels {
        3 => vec![1500, 1700, 2100, 900, 4570, 1000, 2800],
        _ => vec![1250, 1400, 1700, 1700, 900, 3820, 1000, 2800],
    }
}

/// Where a leaf's row stands in each level column: a group name starting its merged
/// cell, a cell merged into the one above, the leaf's own name, or nothing.
fn level_cells<'a>(
    row: &TableRow<'a>,
    previous: Option<&TableRow<'a>>,
    levels: usize,
    summary: &Summary,
) -> Vec<(String, Merge)> {
    let chain = |r: &TableRow<'_>, level: usize| -> Option<Vec<crate::model::NodeId>> {
        (r.groups.len() > level).then(|| r.groups[..=level].iter().map(|g| g.id).collect())
    };
    let leaf_column = row.groups.len().min(levels - 1);
    (0..levels)
        .map(|level| {
            if level < leaf_column {
                let same = previous.is_some_and(|p| chain(p, level) == chain(row, level));
                if same {
                    (String::new(), Merge::Continue)
                } else {
                    (group_label(summary, row.groups[level]), Merge::Restart)
                }
            } else if level == leaf_column {
                (row.leaf.name.clone(), Merge::None)
            } else {
                (String::new(), Merge::None)
            }
        })
        .collect()
}

/// The blank sheet as a Word document: the same table, to print or to fill in Word.
pub fn blank_docx_bytes(doc: &Evaluation) -> Result<Vec<u8>, String> {
    let plan = plan_of(doc);
    let summary = summarize(&plan);
    let rows = table_rows(&plan);
    let levels = level_columns(&rows);
    let widths = docx_widths(levels);
    let mut out = String::with_capacity(4096 + rows.len() * 1200);
    out.push_str(DOCUMENT_START);
    centered(
        &mut out,
        &title(&plan),
        Look {
            bold: true,
            size: Some(32),
        },
    );
    let info = &plan.info;
    // A plan without a name leaves a line to write it on; a named one has it in the title.
    let name = if info.name.trim().is_empty() {
        "　　　　　　　　　　　　"
    } else {
        ""
    };
    let facts: Vec<String> = [
        ("项目名称", name),
        ("项目单位", info.unit.trim()),
        ("评价年度", info.year.trim()),
    ]
    .iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(label, value)| format!("{label}：{value}"))
    .collect();
    if !facts.is_empty() {
        paragraph(&mut out, &facts.join("　　　　"), PLAIN);
    }
    table_start(&mut out, &widths);
    header_row(&mut out, &headers(levels), &widths);
    for (index, row) in rows.iter().enumerate() {
        // A row stays on one page, tall enough to write a score and a reason by hand.
        out.push_str(r#"<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="624"/></w:trPr>"#);
        let previous = index.checked_sub(1).and_then(|i| rows.get(i));
        for (column, (text, merge)) in level_cells(row, previous, levels, &summary)
            .into_iter()
            .enumerate()
        {
            let place = if merge == Merge::None {
                Place::Text
            } else {
                Place::Heading
            };
            cell(&mut out, &text, widths[column], 1, merge, TABLE, place);
        }
        let max = format2(row.leaf.max_points);
        let rest: [(&str, Place); 4] = [
            (&max, Place::Figure),
            (&row.leaf.criteria, Place::Text),
            ("", Place::Figure),
            ("", Place::Text),
        ];
        for (offset, (text, place)) in rest.into_iter().enumerate() {
            cell(
                &mut out,
                text,
                widths[levels + offset],
                1,
                Merge::None,
                TABLE,
                place,
            );
        }
        out.push_str("</w:tr>");
    }
    out.push_str(r#"<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="567"/></w:trPr>"#);
    cell(
        &mut out,
        "合计",
        widths[..levels].iter().sum(),
        levels,
        Merge::None,
        TABLE_BOLD,
        Place::Heading,
    );
    let max = format2(summary.totals.max_points);
    for (offset, text) in [max.as_str(), "", "", ""].into_iter().enumerate() {
        let place = if offset == 1 || offset == 3 {
            Place::Text
        } else {
            Place::Figure
        };
        cell(
            &mut out,
            text,
            widths[levels + offset],
            1,
            Merge::None,
            TABLE,
            place,
        );
    }
    out.push_str("</w:tr></w:tbl>");
    paragraph(&mut out, "", PLAIN);
    paragraph(&mut out, &signature(&plan), PLAIN);
    // A4 landscape, 2 cm margins.
    out.push_str(
        r#"<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    package(&out, &title(&plan))
}

pub fn write_blank_docx(doc: &Evaluation, path: &Path) -> Result<(), ExportError> {
    let bytes = blank_docx_bytes(doc).map_err(|e| ExportError::at(path, e))?;
    write_atomically(path, &bytes)
}
