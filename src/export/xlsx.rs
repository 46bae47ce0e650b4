//! The scoring workbook: 评分表 in the published layout (group cells merged, 合计 as a SUM
//! formula with its value stored), 汇总表 with the rating and a bar chart of 得分率, the
//! 自评表 for a self-assessment and the 专家评分汇总表 for a panel. A4, landscape where
//! wide, header rows repeated, one page wide.

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartType, Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet,
    XlsxError,
};

use super::{
    ExportError, LEVEL_HEADERS, level_columns, name_with_points, table_rows, write_atomically,
};
use crate::model::{Evaluation, EvaluationKind, FUND_HEADERS, RatingScale};
use crate::number::format2;
use crate::panel;
use crate::scoring::{INCOMPLETE, Summary, summarize};

const A4: u8 = 9;

struct Styles {
    title: Format,
    header: Format,
    text: Format,
    wrapped: Format,
    group: Format,
    number: Format,
    bold_number: Format,
    percent: Format,
}

impl Styles {
    fn new() -> Self {
        let base = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_font_name("宋体")
            .set_font_size(11);
        Self {
            title: Format::new()
                .set_bold()
                .set_font_name("宋体")
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: base
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color("#F2F2F2"),
            text: base.clone(),
            wrapped: base.clone().set_text_wrap(),
            group: base.clone().set_text_wrap().set_align(FormatAlign::Center),
            number: base.clone().set_num_format("0.00"),
            bold_number: base.clone().set_bold().set_num_format("0.00"),
            percent: base.set_num_format("0.00%"),
        }
    }
}

pub(super) fn print_setup(
    sheet: &mut Worksheet,
    landscape: bool,
    header_last_row: u32,
) -> Result<(), XlsxError> {
    sheet.set_paper_size(A4);
    if landscape {
        sheet.set_landscape();
    }
    sheet.set_repeat_rows(0, header_last_row)?;
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// A figure as a number cell: the exact decimal's nearest double, shown with 0.00. Not
/// rounded first: a score typed as 0.125 is kept as typed, so the sheet's own SUM gives
/// the 合计 jixiao shows, and the workbook imports back to the same total.
pub(super) fn number(value: Decimal) -> f64 {
    value.to_string().parse().unwrap_or_default()
}

/// 得分 / 分值 as the cached result of a percentage cell ("0.766"), exact enough for
/// the 0.00% Excel shows.
fn fraction(score: Decimal, max_points: Decimal) -> String {
    score
        .checked_div(max_points)
        .map(|f| f.round_dp(6).normalize().to_string())
        .unwrap_or_else(|| "0".to_owned())
}

/// How tall a row must be for `text` wrapped in a column `width` characters wide
/// (a Chinese character takes two), since LibreOffice and WPS do not grow rows that a
/// generated file leaves at the default height.
pub(super) fn wrapped_height(text: &str, width: f64) -> f64 {
    let units: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    let lines = ((units as f64) / (width * 0.95)).ceil().max(1.0);
    15.0 * lines + 3.0
}

/// Column letter(s) of a zero-based column.
/// `=IF(x>=90,"优",IF(x>=80,"良",IF(x>=60,"中","差")))` for the document's scale, so the
/// workbook rates as the program does when a figure is changed in Excel.
fn rating_formula(scale: &RatingScale, basis: &str) -> String {
    let quoted = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let mut formula = quoted(&scale.lowest);
    for grade in scale.grades.iter().rev() {
        formula = format!(
            "IF({basis}>={},{},{formula})",
            grade.min.normalize(),
            quoted(&grade.name)
        );
    }
    format!("={formula}")
}

/// Excel's name of a 0-based column: 0 → A, 27 → AB.
pub(super) fn column_name(column: u16) -> String {
    let mut n = u32::from(column) + 1;
    let mut name = String::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        name.insert(0, (b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    name
}

/// `=SUMIF(E3:E20,"<>/",D3:D20)`: the 分值 of the rows whose 得分 is not "/" (不适用),
/// as the program leaves those rows out of the 分值 it rates on.
fn applicable_max_formula(max_letter: &str, score_letter: &str, first: u32, last: u32) -> String {
    format!(
        "SUMIF({score_letter}{first}:{score_letter}{last},\"<>/\",{max_letter}{first}:{max_letter}{last})"
    )
}

/// The 得分 sum as the program totals it: the sum, lowered to the rule set's cap where
/// the cap applies (`MIN(…,89)`), so a recalculating office suite shows the capped figure.
fn capped_sum(sum: String, summary: &Summary) -> String {
    match summary.uncapped_total {
        Some(_) => format!("MIN({sum},{})", summary.totals.score.normalize()),
        None => sum,
    }
}

/// Writes a note (Excel's comment) on a cell: why its figure is what it is.
fn explain(sheet: &mut Worksheet, row: u32, column: u16, text: &str) -> Result<(), XlsxError> {
    let note = Note::new(text)
        .add_author_prefix(false)
        .set_width(320)
        .set_height(90);
    sheet.insert_note(row, column, &note)?;
    Ok(())
}

/// Says beside a total what changed a figure of the table: the rule set's deductions, its
/// cap and a 一票否决, in `text_col`; the cap also as a note on the figure whose formula
/// keeps it.
fn write_adjustments(
    sheet: &mut Worksheet,
    row: u32,
    figure_col: u16,
    text_col: u16,
    summary: &Summary,
    style: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, text_col, summary.adjustments.join("；"), style)?;
    if let (Some(uncapped), Some(note)) = (summary.uncapped_total, &summary.cap_note) {
        explain(
            sheet,
            row,
            figure_col,
            &format!("各项得分合计 {}，{note}", format2(uncapped)),
        )?;
    }
    Ok(())
}

/// The rows of the 评分表 each 一级 spans (first, last; zero-based sheet rows).
pub(super) struct GroupSpan {
    first: u32,
    last: u32,
}

/// Writes the group cells of `levels` level columns, each merged down over its leaves'
/// rows (rows belong to one cell while their groups down to that level are the same).
/// Returns the rows each 一级 spans; a leaf at the top level spans its own row.
pub(super) fn merge_groups(
    sheet: &mut Worksheet,
    rows: &[super::TableRow<'_>],
    first_row: u32,
    levels: usize,
    style: &Format,
    label: impl Fn(&crate::model::Indicator) -> String,
) -> Result<Vec<GroupSpan>, XlsxError> {
    let mut spans = Vec::new();
    for level in 0..levels {
        let key = |row: &super::TableRow<'_>| -> Option<Vec<crate::model::NodeId>> {
            (row.groups.len() > level).then(|| row.groups[..=level].iter().map(|g| g.id).collect())
        };
        let mut index = 0;
        while index < rows.len() {
            let Some(this) = key(&rows[index]) else {
                if level == 0 {
                    let r = first_row + index as u32;
                    spans.push(GroupSpan { first: r, last: r });
                }
                index += 1;
                continue;
            };
            let mut end = index;
            while end + 1 < rows.len() && key(&rows[end + 1]).as_ref() == Some(&this) {
                end += 1;
            }
            let (first, last) = (first_row + index as u32, first_row + end as u32);
            let text = label(rows[index].groups[level]);
            let column = level as u16;
            if last > first {
                sheet.merge_range(first, column, last, column, &text, style)?;
            } else {
                sheet.write_string_with_format(first, column, &text, style)?;
            }
            if level == 0 {
                spans.push(GroupSpan { first, last });
            }
            index = end + 1;
        }
    }
    Ok(spans)
}

fn scoring_sheet(
    workbook: &mut Workbook,
    doc: &Evaluation,
    summary: &Summary,
    styles: &Styles,
) -> Result<Vec<GroupSpan>, XlsxError> {
    let rows = table_rows(doc);
    let levels = level_columns(&rows) as u16;
    let (max_col, score_col, reason_col) = (levels, levels + 1, levels + 2);
    // 附件编号 (指标数值计算依据及附件编号 of the published sheet) where any indicator
    // has evidence.
    let evidence_col = doc
        .leaves()
        .iter()
        .any(|leaf| !leaf.evidence.is_empty())
        .then_some(reason_col + 1);
    let sheet = workbook.add_worksheet().set_name("评分表")?;
    let title = format!("{}绩效评价评分表", doc.info.name.trim());
    let last_col = evidence_col.unwrap_or(reason_col);
    sheet.merge_range(0, 0, 0, last_col, &title, &styles.title)?;
    sheet.set_row_height(0, 30)?;
    let evidence_header = evidence_col.map(|_| "附件编号");
    for (column, header) in LEVEL_HEADERS[..levels as usize]
        .iter()
        .copied()
        .chain(["分值", "得分", "扣分理由"])
        .chain(evidence_header)
        .enumerate()
    {
        sheet.write_string_with_format(1, column as u16, header, &styles.header)?;
    }
    const FIRST: u32 = 2;
    for (index, row) in rows.iter().enumerate() {
        let r = FIRST + index as u32;
        let leaf_column = (row.groups.len() as u16).min(levels - 1);
        sheet.write_string_with_format(r, leaf_column, &row.leaf.name, &styles.wrapped)?;
        for column in leaf_column + 1..levels {
            sheet.write_blank(r, column, &styles.text)?;
        }
        sheet.write_number_with_format(r, max_col, number(row.leaf.max_points), &styles.number)?;
        match (row.leaf.scoring.not_applicable, row.leaf.scoring.score) {
            (true, _) => sheet.write_string_with_format(r, score_col, "/", &styles.text)?,
            (false, Some(score)) => {
                sheet.write_number_with_format(r, score_col, number(score), &styles.number)?
            }
            (false, None) => sheet.write_blank(r, score_col, &styles.number)?,
        };
        sheet.write_string_with_format(r, reason_col, &row.leaf.scoring.reason, &styles.wrapped)?;
        if let Some(column) = evidence_col {
            let numbers: Vec<&str> = row
                .leaf
                .evidence
                .iter()
                .map(|e| e.number.as_str())
                .collect();
            sheet.write_string_with_format(r, column, numbers.join("、"), &styles.wrapped)?;
        }
        let height = wrapped_height(&row.leaf.scoring.reason, 60.0)
            .max(wrapped_height(&row.leaf.name, 16.0));
        sheet.set_row_height(r, height)?;
    }
    let spans = merge_groups(
        sheet,
        &rows,
        FIRST,
        levels as usize,
        &styles.group,
        |group| name_with_points(&group.name, summary.totals_of(group.id).max_points),
    )?;
    let total_row = FIRST + rows.len() as u32;
    let last = total_row - 1;
    sheet.merge_range(total_row, 0, total_row, levels - 1, "合计", &styles.header)?;
    let (max_letter, score_letter) = (column_name(max_col), column_name(score_col));
    let max_formula = applicable_max_formula(&max_letter, &score_letter, FIRST + 1, last + 1);
    let score_formula = capped_sum(
        format!(
            "SUM({score_letter}{}:{score_letter}{})",
            FIRST + 1,
            last + 1
        ),
        summary,
    );
    for (column, formula, value) in [
        (max_col, max_formula, summary.totals.max_points),
        (score_col, score_formula, summary.totals.score),
    ] {
        let formula = Formula::new(format!("={formula}")).set_result(format2(value));
        sheet.write_formula_with_format(total_row, column, formula, &styles.bold_number)?;
    }
    write_adjustments(
        sheet,
        total_row,
        score_col,
        reason_col,
        summary,
        &styles.wrapped,
    )?;
    for column in 0..levels {
        sheet.set_column_width(column, 16)?;
    }
    sheet.set_column_width(max_col, 9)?;
    sheet.set_column_width(score_col, 9)?;
    sheet.set_column_width(reason_col, 60)?;
    if let Some(column) = evidence_col {
        sheet.set_column_width(column, 12)?;
    }
    print_setup(sheet, true, 1)?;
    Ok(spans)
}

fn summary_sheet(
    workbook: &mut Workbook,
    doc: &Evaluation,
    summary: &Summary,
    spans: &[GroupSpan],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let levels = level_columns(&table_rows(doc)) as u16;
    let (max_letter, score_letter) = (column_name(levels), column_name(levels + 1));
    let sheet = workbook.add_worksheet().set_name("汇总表")?;
    sheet.merge_range(
        0,
        0,
        0,
        3,
        &format!("{}绩效评价得分汇总表", doc.info.name.trim()),
        &styles.title.clone().set_font_size(13).set_text_wrap(),
    )?;
    for (column, header) in ["评价内容", "分值", "评价得分", "得分率"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(1, column as u16, *header, &styles.header)?;
    }
    let mut r = 2;
    for (group, span) in summary.groups.iter().zip(spans) {
        sheet.write_string_with_format(r, 0, &group.name, &styles.text)?;
        let (first, last) = (span.first + 1, span.last + 1);
        let max = Formula::new(format!(
            "={}",
            applicable_max_formula(
                &format!("'评分表'!{max_letter}"),
                &format!("'评分表'!{score_letter}"),
                first,
                last
            )
        ))
        .set_result(format2(group.totals.max_points));
        let score = Formula::new(format!(
            "=SUM('评分表'!{score_letter}{first}:{score_letter}{last})"
        ))
        .set_result(format2(group.totals.score));
        sheet.write_formula_with_format(r, 1, max, &styles.number)?;
        sheet.write_formula_with_format(r, 2, score, &styles.number)?;
        let rate = fraction(group.totals.score, group.totals.max_points);
        let rate_formula = Formula::new(format!("=IF(B{0}=0,0,C{0}/B{0})", r + 1)).set_result(rate);
        sheet.write_formula_with_format(r, 3, rate_formula, &styles.percent)?;
        r += 1;
    }
    let (first, last) = (3, r);
    sheet.write_string_with_format(r, 0, "综合得分", &styles.header)?;
    sheet.write_formula_with_format(
        r,
        1,
        Formula::new(format!("=SUM(B{first}:B{last})"))
            .set_result(format2(summary.totals.max_points)),
        &styles.bold_number,
    )?;
    sheet.write_formula_with_format(
        r,
        2,
        // A rule set's cap (按执行率封顶) stays in the formula, so Excel shows the capped total.
        Formula::new(format!(
            "={}",
            capped_sum(format!("SUM(C{first}:C{last})"), summary)
        ))
        .set_result(format2(summary.totals.score)),
        &styles.bold_number,
    )?;
    sheet.write_formula_with_format(
        r,
        3,
        Formula::new(format!("=IF(B{0}=0,0,C{0}/B{0})", r + 1))
            .set_result(fraction(summary.totals.score, summary.totals.max_points)),
        &styles.percent,
    )?;
    let total_row = r + 1;
    r += 1;
    sheet.write_string_with_format(r, 0, "绩效评定级别", &styles.header)?;
    sheet.merge_range(r, 1, r, 3, "", &styles.text)?;
    if summary.is_complete() && summary.vetoed {
        // No formula of the total gives this grade: it is a value, and the note says why.
        sheet.write_string_with_format(r, 1, summary.rating.label(), &styles.text)?;
        let reasons: Vec<&str> = summary
            .adjustments
            .iter()
            .filter(|a| a.starts_with("一票否决"))
            .map(String::as_str)
            .collect();
        explain(sheet, r, 1, &reasons.join("；"))?;
    } else if summary.is_complete() {
        // Rated on the rounded total, or on the 得分率 where the 分值 are not 100 — the
        // comparison on the rounded 分值, as the program's decimals are exact.
        let basis = format!(
            "IF(ROUND(B{total_row},2)=100,ROUND(C{total_row},2),ROUND(D{total_row}*100,2))"
        );
        let rating = Formula::new(rating_formula(&doc.rating_scale, &basis))
            .set_result(summary.rating.label());
        sheet.write_formula_with_format(r, 1, rating, &styles.text)?;
    } else {
        // No grade for a running total: the cell says why, and how far the scoring got.
        sheet.write_string_with_format(
            r,
            1,
            format!("{}（{}）", INCOMPLETE, summary.progress_text()),
            &styles.text,
        )?;
    }
    if !summary.adjustments.is_empty() {
        r += 1;
        sheet.write_string_with_format(r, 0, "说明", &styles.header)?;
        sheet.merge_range(r, 1, r, 3, &summary.adjustments.join("；"), &styles.wrapped)?;
        sheet.set_row_height(r, wrapped_height(&summary.adjustments.join("；"), 40.0))?;
    }
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 14)?;
    sheet.set_column_width(3, 14)?;
    sheet.set_row_height(0, 30)?;

    if summary.groups.is_empty() {
        // A chart over no rows is refused by the writer; a table without indicators
        // still exports, only without the chart.
        print_setup(sheet, false, 1)?;
        return Ok(());
    }
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("各一级指标得分率");
    chart
        .add_series()
        .set_name("得分率")
        .set_categories(("汇总表", 2, 0, last - 1, 0))
        .set_values(("汇总表", 2, 3, last - 1, 3));
    chart.y_axis().set_min(0).set_max(1).set_num_format("0%");
    chart.set_width(480).set_height(288);
    sheet.insert_chart(r + 2, 0, &chart)?;
    print_setup(sheet, false, 1)?;
    Ok(())
}

fn self_assessment_sheet(
    workbook: &mut Workbook,
    doc: &Evaluation,
    summary: &Summary,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let block = &doc.self_assessment;
    let sheet = workbook.add_worksheet().set_name("自评表")?;
    let year = doc.info.year.trim();
    let title = if year.is_empty() {
        "项目支出绩效自评表".to_owned()
    } else {
        format!("项目支出绩效自评表（{year}年度）")
    };
    sheet.merge_range(0, 0, 0, 7, &title, &styles.title)?;
    let pairs = [
        (
            "项目名称",
            doc.info.name.as_str(),
            "主管部门",
            doc.info.department.as_str(),
        ),
        (
            "实施单位",
            doc.info.unit.as_str(),
            "项目负责人",
            block.project_leader.as_str(),
        ),
        (
            "联系电话",
            block.phone.as_str(),
            "评分规则集",
            crate::ruleset::of(doc).name.as_str(),
        ),
    ];
    let mut r = 1;
    for (a, av, b, bv) in pairs {
        sheet.write_string_with_format(r, 0, a, &styles.header)?;
        sheet.merge_range(r, 1, r, 3, av, &styles.text)?;
        sheet.write_string_with_format(r, 4, b, &styles.header)?;
        sheet.merge_range(r, 5, r, 7, bv, &styles.text)?;
        r += 1;
    }
    for (column, header) in FUND_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(r, column as u16, *header, &styles.header)?;
    }
    r += 1;
    let budget_leaf = doc
        .indicators
        .iter()
        .find(|n| n.name.starts_with("预算执行率"))
        .and_then(|n| n.leaves().first().copied());
    sheet.write_string_with_format(r, 0, "年度资金总额", &styles.text)?;
    let total = block.total();
    for (column, value) in [
        (1u16, total.initial_budget),
        (2, total.full_year_budget),
        (3, total.executed),
    ] {
        let letter = column_name(column);
        let formula = Formula::new(format!("=SUM({letter}{}:{letter}{})", r + 2, r + 4))
            .set_result(value.map(|v| v.to_string()).unwrap_or_default());
        sheet.write_formula_with_format(r, column, formula, &styles.text)?;
    }
    match budget_leaf {
        Some(leaf) => {
            sheet.write_number_with_format(r, 4, number(leaf.max_points), &styles.number)?
        }
        None => sheet.write_blank(r, 4, &styles.text)?,
    };
    let rate = block.execution_rate().ok();
    if block.rate_base == crate::model::RateBase::FullYearBudget {
        sheet.write_formula_with_format(
            r,
            5,
            Formula::new(format!("=IF(C{0}=0,\"\",D{0}/C{0})", r + 1))
                .set_result(rate.map(|x| x.to_string()).unwrap_or_default()),
            &styles.percent,
        )?;
    } else {
        // The base is not a figure of this sheet: the rate as a value, its base in a note.
        match rate {
            Some(rate) => sheet.write_number_with_format(r, 5, number(rate), &styles.percent)?,
            None => sheet.write_blank(r, 5, &styles.percent)?,
        };
        let base = match block.rate_base_amount() {
            Some(amount) => format!("{}（{} 万元）", block.rate_base.label(), amount.normalize()),
            None => block.rate_base.label().to_owned(),
        };
        explain(sheet, r, 5, &format!("执行率 = 全年执行数 / {base}"))?;
    }
    match budget_leaf.and_then(|l| l.scoring.score) {
        Some(score) => sheet.write_number_with_format(r, 6, number(score), &styles.number)?,
        None => sheet.write_blank(r, 6, &styles.number)?,
    };
    r += 1;
    for (title, row) in [
        ("当年财政拨款", block.current_year),
        ("上年结转资金", block.carried_over),
        ("其他资金", block.other),
    ] {
        sheet.write_string_with_format(r, 0, title, &styles.text)?;
        for (column, value) in [
            (1u16, row.initial_budget),
            (2, row.full_year_budget),
            (3, row.executed),
        ] {
            match value.and_then(|v| v.to_string().parse::<f64>().ok()) {
                Some(v) => sheet.write_number_with_format(r, column, v, &styles.text)?,
                None => sheet.write_blank(r, column, &styles.text)?,
            };
        }
        for column in 4..7 {
            sheet.write_blank(r, column, &styles.text)?;
        }
        r += 1;
    }
    sheet.write_string_with_format(r, 0, "年度总体目标", &styles.header)?;
    sheet.merge_range(r, 1, r, 3, "预期目标", &styles.header)?;
    sheet.merge_range(r, 4, r, 7, "实际完成情况", &styles.header)?;
    r += 1;
    sheet.write_blank(r, 0, &styles.text)?;
    sheet.merge_range(r, 1, r, 3, &block.goal_expected, &styles.wrapped)?;
    sheet.merge_range(r, 4, r, 7, &block.goal_actual, &styles.wrapped)?;
    sheet.set_row_height(r, 60)?;
    r += 1;
    let header_row = r;
    for (column, header) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(r, column as u16, *header, &styles.header)?;
    }
    r += 1;
    let first = r;
    let rows = table_rows(doc);
    for row in &rows {
        // A top-level leaf (预算执行率) is its own 一级; group names are merged in below.
        let (one, three) = if row.groups.is_empty() {
            (row.leaf.name.as_str(), "")
        } else {
            ("", row.leaf.name.as_str())
        };
        for (column, value) in [
            (0u16, one),
            (1, ""),
            (2, three),
            (3, row.leaf.scoring.target.as_str()),
            (4, row.leaf.scoring.actual.as_str()),
        ] {
            sheet.write_string_with_format(r, column, value, &styles.wrapped)?;
        }
        sheet.write_number_with_format(r, 5, number(row.leaf.max_points), &styles.number)?;
        match (row.leaf.scoring.not_applicable, row.leaf.scoring.score) {
            (true, _) => sheet.write_string_with_format(r, 6, "/", &styles.text)?,
            (false, Some(score)) => {
                sheet.write_number_with_format(r, 6, number(score), &styles.number)?
            }
            (false, None) => sheet.write_blank(r, 6, &styles.number)?,
        };
        sheet.write_string_with_format(r, 7, &row.leaf.scoring.deviation, &styles.wrapped)?;
        let three = row.leaf.name.as_str();
        let height = [
            (row.leaf.scoring.deviation.as_str(), 40.0),
            (row.leaf.scoring.target.as_str(), 18.0),
            (row.leaf.scoring.actual.as_str(), 18.0),
            (three, 22.0),
        ]
        .iter()
        .map(|(text, width)| wrapped_height(text, *width))
        .fold(0.0, f64::max);
        sheet.set_row_height(r, height)?;
        r += 1;
    }
    merge_groups(sheet, &rows, first, 2, &styles.group, |group| {
        group.name.clone()
    })?;
    sheet.merge_range(r, 0, r, 4, "总分", &styles.header)?;
    // 不适用 rows are left out of the 分值, and a rule set's cap stays in the sheet's own
    // formula, so a recalculating office suite shows the 总分 the program gives.
    for (column, formula, value) in [
        (
            5u16,
            applicable_max_formula("F", "G", first + 1, r),
            summary.totals.max_points,
        ),
        (
            6,
            capped_sum(format!("SUM(G{}:G{r})", first + 1), summary),
            summary.totals.score,
        ),
    ] {
        let formula = Formula::new(format!("={formula}")).set_result(format2(value));
        sheet.write_formula_with_format(r, column, formula, &styles.bold_number)?;
    }
    if let (Some(uncapped), Some(note)) = (summary.uncapped_total, &summary.cap_note) {
        explain(
            sheet,
            r,
            6,
            &format!("各项得分合计 {}，{note}", format2(uncapped)),
        )?;
    }
    let notes = summary.adjustments.join("；");
    sheet.write_string_with_format(
        r,
        7,
        format!("绩效评定级别：{}　{notes}", summary.verdict_text()).trim_end_matches('　'),
        &styles.wrapped,
    )?;
    for (column, width) in [
        (0u16, 14.0),
        (1, 14.0),
        (2, 22.0),
        (3, 18.0),
        (4, 18.0),
        (5, 8.0),
        (6, 8.0),
        (7, 40.0),
    ] {
        sheet.set_column_width(column, width)?;
    }
    print_setup(sheet, true, header_row)?;
    Ok(())
}

/// 评价人员（专家）评分汇总表: one column per expert counted; the experts' figure (the
/// mean or trimmed mean, a formula), the figure the panel agreed after discussion where
/// it did, and the panel's own (the agreed one, else the experts'), whose 合计 is the
/// 综合得分; the spread and the flag per indicator; then the grade (or 评分未完成 and
/// whom the panel waits for), how each expert scored, the files left out because they
/// were changed after submitting, the agreement, and a signature line per expert.
fn panel_sheet(
    workbook: &mut Workbook,
    doc: &Evaluation,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let Some(info) = &doc.panel else {
        return Ok(());
    };
    let stats = panel::statistics(doc);
    let summary = summarize(doc);
    let rows = &stats.rows;
    let experts = info.experts.len() as u16;
    let sheet = workbook.add_worksheet().set_name("专家评分汇总表")?;
    let mean_col = experts + 2;
    let agreed_col = mean_col + 1;
    let panel_col = mean_col + 2;
    let last_col = panel_col + 2;
    sheet.merge_range(
        0,
        0,
        0,
        last_col,
        "评价人员（专家）评分汇总表",
        &styles.title,
    )?;
    sheet.write_string_with_format(1, 0, "指标", &styles.header)?;
    sheet.write_string_with_format(1, 1, "分值", &styles.header)?;
    for (index, expert) in info.experts.iter().enumerate() {
        sheet.write_string_with_format(1, 2 + index as u16, &expert.name, &styles.header)?;
    }
    let trimmed = stats.method == panel::Method::TrimmedMean;
    let method = if trimmed {
        "专家组得分（去掉最高最低后平均）"
    } else {
        "专家组得分（平均）"
    };
    sheet.write_string_with_format(1, mean_col, method, &styles.header)?;
    sheet.write_string_with_format(1, agreed_col, "专家组认定", &styles.header)?;
    sheet.write_string_with_format(1, panel_col, "专家组得分", &styles.header)?;
    sheet.write_string_with_format(1, panel_col + 1, "最大差", &styles.header)?;
    sheet.write_string_with_format(1, panel_col + 2, "分歧", &styles.header)?;
    let (first_expert, last_expert) = (column_name(2), column_name(experts + 1));
    let (mean_letter, agreed_letter) = (column_name(mean_col), column_name(agreed_col));
    for (index, row) in rows.iter().enumerate() {
        let r = 2 + index as u32;
        sheet.write_string_with_format(r, 0, row.path.to_string(), &styles.wrapped)?;
        sheet.write_number_with_format(r, 1, number(row.max_points), &styles.number)?;
        for (column, score) in row.scores.iter().enumerate() {
            match score {
                Some(score) => sheet.write_number_with_format(
                    r,
                    2 + column as u16,
                    number(*score),
                    &styles.number,
                )?,
                None => sheet.write_blank(r, 2 + column as u16, &styles.number)?,
            };
        }
        match row.experts_figure {
            Some(figure) if experts > 0 => {
                let range = format!("{first_expert}{0}:{last_expert}{0}", r + 1);
                let formula = if trimmed {
                    // As the program does: fewer than three scores are averaged plainly.
                    format!(
                        "=IF(COUNT({range})<3,ROUND(AVERAGE({range}),2),ROUND((SUM({range})-MAX({range})-MIN({range}))/(COUNT({range})-2),2))"
                    )
                } else {
                    format!("=ROUND(AVERAGE({range}),2)")
                };
                sheet.write_formula_with_format(
                    r,
                    mean_col,
                    Formula::new(formula).set_result(format2(figure)),
                    &styles.number,
                )?;
            }
            _ => {
                sheet.write_blank(r, mean_col, &styles.number)?;
            }
        }
        // The figure the panel agreed on after discussing it: a value, not a formula.
        match (row.agreed, row.panel_score) {
            (true, Some(score)) => {
                sheet.write_number_with_format(r, agreed_col, number(score), &styles.number)?
            }
            _ => sheet.write_blank(r, agreed_col, &styles.number)?,
        };
        match row.panel_score {
            Some(score) => {
                let formula = format!(
                    "=IF(ISNUMBER({agreed_letter}{0}),{agreed_letter}{0},{mean_letter}{0})",
                    r + 1
                );
                sheet.write_formula_with_format(
                    r,
                    panel_col,
                    Formula::new(formula).set_result(format2(score)),
                    &styles.number,
                )?
            }
            None => sheet.write_blank(r, panel_col, &styles.number)?,
        };
        sheet.write_number_with_format(r, panel_col + 1, number(row.spread), &styles.number)?;
        let mut flag = String::new();
        if row.diverged {
            let names: Vec<&str> = row
                .outliers
                .iter()
                .filter_map(|i| stats.experts.get(*i).map(|e| e.name.as_str()))
                .collect();
            flag = format!(
                "相差 {}%，偏离最大：{}",
                format2(row.spread_share * Decimal::ONE_HUNDRED),
                names.join("、")
            );
        }
        if row.agreed {
            flag.push_str(if flag.is_empty() {
                "讨论后认定"
            } else {
                "；讨论后认定"
            });
        }
        sheet.write_string_with_format(r, panel_col + 2, &flag, &styles.wrapped)?;
    }
    let total = 2 + rows.len() as u32;
    sheet.write_string_with_format(total, 0, "合计", &styles.header)?;
    for column in 1..=panel_col {
        let letter = column_name(column);
        let sum: Decimal = match column {
            1 => rows.iter().map(|r| r.max_points).sum(),
            c if c == mean_col => rows.iter().filter_map(|r| r.experts_figure).sum(),
            // The agreed figures alone add up to nothing anyone reads.
            c if c == agreed_col => {
                sheet.write_blank(total, column, &styles.bold_number)?;
                continue;
            }
            c if c == panel_col => rows.iter().filter_map(|r| r.panel_score).sum(),
            c => rows
                .iter()
                .filter_map(|r| r.scores.get(c as usize - 2).copied().flatten())
                .sum(),
        };
        let formula =
            Formula::new(format!("=SUM({letter}3:{letter}{total})")).set_result(format2(sum));
        sheet.write_formula_with_format(total, column, formula, &styles.bold_number)?;
    }
    let mut r = total + 1;
    sheet.write_string_with_format(r, 0, "绩效评定级别", &styles.header)?;
    sheet.write_string_with_format(r, panel_col, summary.verdict_text(), &styles.text)?;
    if let Some(waiting) = stats.waiting_text() {
        r += 1;
        sheet.write_string(r, 0, waiting)?;
    }

    // How each expert scored.
    r += 2;
    for (column, title) in [
        "专家",
        "综合得分",
        "级别",
        "提交",
        "评分倾向",
        "偏离最大的指标",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(r, column as u16, *title, &styles.header)?;
    }
    for expert in &stats.experts {
        r += 1;
        sheet.write_string_with_format(r, 0, &expert.name, &styles.text)?;
        sheet.write_number_with_format(r, 1, number(expert.total), &styles.number)?;
        sheet.write_string_with_format(r, 2, &expert.rating, &styles.text)?;
        sheet.write_string_with_format(r, 3, expert.seal_text(), &styles.text)?;
        sheet.write_string_with_format(r, 4, expert.leniency_text(), &styles.text)?;
        sheet.write_string_with_format(r, 5, expert.outliers.join("；"), &styles.wrapped)?;
    }
    for aside in &info.set_aside {
        r += 1;
        sheet.write_string_with_format(r, 0, &aside.expert.name, &styles.text)?;
        sheet.write_blank(r, 1, &styles.number)?;
        sheet.write_blank(r, 2, &styles.text)?;
        sheet.write_string_with_format(r, 3, "提交后被改动，未计入", &styles.text)?;
        sheet.write_blank(r, 4, &styles.text)?;
        sheet.write_string_with_format(r, 5, aside.describe(), &styles.wrapped)?;
    }
    r += 2;
    sheet.write_string_with_format(r, 0, "各一级指标得分率", &styles.header)?;
    for (index, expert) in stats.experts.iter().enumerate() {
        sheet.write_string_with_format(r, 1 + index as u16, &expert.name, &styles.header)?;
    }
    sheet.write_string_with_format(r, 1 + experts, "专家组", &styles.header)?;
    for (group, name) in stats.groups.iter().enumerate() {
        r += 1;
        sheet.write_string_with_format(r, 0, name, &styles.text)?;
        let rates = stats
            .experts
            .iter()
            .map(|e| e.group_rates.get(group).copied().flatten())
            .chain(std::iter::once(
                stats.panel_rates.get(group).copied().flatten(),
            ));
        for (index, rate) in rates.enumerate() {
            match rate {
                Some(rate) => sheet.write_number_with_format(
                    r,
                    1 + index as u16,
                    number(rate / Decimal::ONE_HUNDRED),
                    &styles.percent,
                )?,
                None => sheet.write_blank(r, 1 + index as u16, &styles.percent)?,
            };
        }
    }
    r += 2;
    sheet.write_string(r, 0, stats.agreement_text(info.divergence_threshold))?;
    if !stats.missing.is_empty() {
        r += 1;
        sheet.write_string(r, 0, format!("尚未收到：{}", stats.missing.join("、")))?;
    }
    r += 2;
    for expert in &stats.experts {
        let at = match (expert.seal, expert.sealed_at.as_deref()) {
            (crate::submission::SealStatus::Ok, Some(at)) => format!("提交时间：{at}"),
            (crate::submission::SealStatus::Broken, _) => format!("（{}）", expert.seal_text()),
            _ => "（未提交）".to_owned(),
        };
        sheet.write_string(
            r,
            0,
            format!("专家：{}    签字：____________    {at}", expert.name),
        )?;
        r += 2;
    }
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(mean_col, 14)?;
    sheet.set_column_width(panel_col, 12)?;
    sheet.set_column_width(panel_col + 2, 24)?;
    print_setup(sheet, experts > 2, 1)?;
    Ok(())
}

/// The workbook as bytes.
pub fn xlsx_bytes(doc: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let summary = summarize(doc);
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let spans = scoring_sheet(&mut workbook, doc, &summary, &styles)?;
    summary_sheet(&mut workbook, doc, &summary, &spans, &styles)?;
    if doc.info.kind == EvaluationKind::SelfAssessment {
        self_assessment_sheet(&mut workbook, doc, &summary, &styles)?;
    }
    panel_sheet(&mut workbook, doc, &styles)?;
    workbook.save_to_buffer()
}

/// The writer's complaint in Chinese; its English never reaches the user.
fn xlsx_reason(err: &XlsxError) -> String {
    match err {
        XlsxError::MaxStringLengthExceeded => {
            "有一处文字超过 Excel 单元格的上限（32767 个字），请缩短后再导出".to_owned()
        }
        XlsxError::RowColumnLimitError => "表格超过 Excel 的行数或列数上限".to_owned(),
        XlsxError::IoError(io) => crate::storage::io_reason(io),
        _ => "无法生成 Excel 文件".to_owned(),
    }
}

pub fn write_xlsx(doc: &Evaluation, path: &Path) -> Result<(), ExportError> {
    let bytes = xlsx_bytes(doc).map_err(|e| ExportError::at(path, xlsx_reason(&e)))?;
    write_atomically(path, &bytes)
}
