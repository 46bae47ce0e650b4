//! The evaluation report as Word (.docx), following the outline of 财预〔2020〕10号 附3,
//! with the figures filled in. Written with docx-rs: pure Rust, no Office needed, and its
//! tables support the vertical merges the published scoring table uses.

use std::path::Path;

use docx_rs::{
    AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, VMergeType,
    WidthType,
};

use super::{ExportError, conclusion_sentence, report_sections, write_atomically};
use crate::model::Evaluation;
use crate::scoring::{format2, summarize};

fn text(value: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(value))
}

fn heading(value: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(value).bold().size(30))
}

fn cell(value: &str) -> TableCell {
    TableCell::new().add_paragraph(text(value))
}

fn header_row(titles: &[&str], widths: &[usize]) -> TableRow {
    TableRow::new(
        titles
            .iter()
            .zip(widths)
            .map(|(t, w)| {
                TableCell::new()
                    .add_paragraph(Paragraph::new().add_run(Run::new().add_text(*t).bold()))
                    .width(*w, WidthType::Dxa)
            })
            .collect(),
    )
}

/// Column widths in twentieths of a point, filling an A4 page between its margins.
const SUMMARY_WIDTHS: [usize; 3] = [4000, 2500, 2500];
const SCORING_WIDTHS: [usize; 6] = [1150, 1300, 1550, 760, 760, 3480];

/// A table with fixed column widths, so Word and WPS keep the 扣分理由 column wide.
fn table(rows: Vec<TableRow>, widths: &[usize]) -> Table {
    Table::new(rows)
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
        .layout(docx_rs::TableLayoutType::Fixed)
}

/// The report as .docx bytes.
/// The heading of the column that says why points were lost: a 自评表 calls it
/// 偏差原因分析及改进措施, a scoring table 扣分理由.
pub(crate) fn reason_heading(doc: &Evaluation) -> &'static str {
    match doc.info.kind {
        crate::model::EvaluationKind::SelfAssessment => "偏差原因分析及改进措施",
        crate::model::EvaluationKind::Expert => "扣分理由",
    }
}

pub fn docx_bytes(doc: &Evaluation) -> Result<Vec<u8>, String> {
    let summary = summarize(doc);
    let sections = report_sections(doc, &summary);
    let mut docx = Docx::new()
        .default_fonts(RunFonts::new().east_asia("宋体").ascii("Times New Roman"))
        .default_size(24)
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(&sections.title).bold().size(36))
                .align(AlignmentType::Center),
        );

    docx = docx.add_paragraph(heading("一、基本情况"));
    for (label, value) in &sections.basics {
        let value = if value.is_empty() {
            "（待填写）"
        } else {
            value.as_str()
        };
        docx = docx.add_paragraph(text(&format!("{label}：{value}")));
    }
    docx = docx
        .add_paragraph(heading("二、绩效评价工作开展情况"))
        .add_paragraph(text(
            "（待填写：评价目的、对象和范围，评价原则、方法和指标体系，评价工作过程。）",
        ))
        .add_paragraph(heading("三、综合评价情况及评价结论"))
        .add_paragraph(text(&conclusion_sentence(doc, &summary)));

    let sized = |values: [String; 3]| {
        TableRow::new(
            values
                .iter()
                .zip(SUMMARY_WIDTHS)
                .map(|(v, w)| cell(v).width(w, WidthType::Dxa))
                .collect(),
        )
    };
    let mut summary_rows = vec![header_row(
        &["评价内容", "分值", "评价得分"],
        &SUMMARY_WIDTHS,
    )];
    for group in &summary.groups {
        summary_rows.push(sized([
            group.name.clone(),
            format2(group.totals.max_points),
            format2(group.totals.score),
        ]));
    }
    summary_rows.push(sized([
        "综合得分".to_owned(),
        format2(summary.totals.max_points),
        format2(summary.totals.score),
    ]));
    summary_rows.push(sized([
        "绩效评定级别".to_owned(),
        String::new(),
        summary.verdict_text(),
    ]));
    docx = docx
        .add_table(table(summary_rows, &SUMMARY_WIDTHS))
        .add_paragraph(text(""));

    let mut rows = vec![header_row(
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "得分",
            reason_heading(doc),
        ],
        &SCORING_WIDTHS,
    )];
    for (index, row) in sections.rows.iter().enumerate() {
        let cells = row
            .iter()
            .enumerate()
            .map(|(column, value)| {
                if column < 2 {
                    // Group names are printed once and merged down over their rows.
                    let merge = if !value.is_empty() {
                        VMergeType::Restart
                    } else if index > 0
                        && sections.rows[..index].iter().any(|r| !r[column].is_empty())
                    {
                        VMergeType::Continue
                    } else {
                        VMergeType::Restart
                    };
                    cell(value)
                        .vertical_merge(merge)
                        .width(SCORING_WIDTHS[column], WidthType::Dxa)
                } else {
                    cell(value).width(SCORING_WIDTHS[column], WidthType::Dxa)
                }
            })
            .collect();
        rows.push(TableRow::new(cells));
    }
    rows.push(TableRow::new(vec![
        cell("合计")
            .grid_span(3)
            .width(SCORING_WIDTHS[..3].iter().sum(), WidthType::Dxa),
        cell(&format2(summary.totals.max_points)).width(SCORING_WIDTHS[3], WidthType::Dxa),
        cell(&format2(summary.totals.score)).width(SCORING_WIDTHS[4], WidthType::Dxa),
        cell("").width(SCORING_WIDTHS[5], WidthType::Dxa),
    ]));
    docx = docx.add_table(table(rows, &SCORING_WIDTHS));

    docx = docx.add_paragraph(heading("四、绩效评价指标分析"));
    for analysis in &sections.analysis {
        docx = docx
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&analysis.heading).bold()))
            .add_paragraph(text(&analysis.text));
        for item in &analysis.deductions {
            docx = docx.add_paragraph(text(item));
        }
    }
    docx = docx.add_paragraph(heading("五、存在的问题"));
    if sections.problems.is_empty() {
        docx = docx.add_paragraph(text("（各项指标均未扣分。）"));
    }
    for (index, problem) in sections.problems.iter().enumerate() {
        docx = docx.add_paragraph(text(&format!("{}. {problem}", index + 1)));
    }
    docx = docx
        .add_paragraph(heading("六、有关建议"))
        .add_paragraph(text("（待填写。）"));

    let mut buffer = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut buffer).map_err(|e| e.to_string())?;
    Ok(buffer.into_inner())
}

pub fn write_docx(doc: &Evaluation, path: &Path) -> Result<(), ExportError> {
    let bytes = docx_bytes(doc).map_err(|_| ExportError::at(path, "无法生成 Word 文件"))?;
    write_atomically(path, &bytes)
}
