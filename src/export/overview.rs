//! The season's workbook: 汇总 (one row per project, with formulas for the means and
//! counts), 分布 (the distribution of 综合得分, the grades and each 一级's mean 得分率,
//! with charts), 扣分 (the recurring deductions and the indicators that lose most) and
//! 自评对比 (each 自评 beside its expert score).

use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartType, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use super::xlsx::column_name;
use super::{ExportError, write_atomically};
use crate::number::format2;
use crate::overview::{BANDS, Overview};

fn number(text: &str) -> f64 {
    text.parse().unwrap_or_default()
}

fn decimal(value: Decimal) -> f64 {
    value.to_string().parse().unwrap_or_default()
}

struct Styles {
    header: Format,
    text: Format,
    number: Format,
    percent: Format,
}

fn styles() -> Styles {
    let base = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_font_name("宋体")
        .set_font_size(11);
    Styles {
        header: base.clone().set_bold().set_align(FormatAlign::Center),
        text: base.clone().set_text_wrap(),
        number: base.clone().set_num_format("0.00"),
        percent: base.set_num_format("0.00%"),
    }
}

/// The one-level names in the order they first appear.
fn group_names(overview: &Overview) -> Vec<String> {
    overview
        .group_means()
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

fn summary_sheet(
    sheet: &mut Worksheet,
    overview: &Overview,
    groups: &[String],
    s: &Styles,
) -> Result<u32, XlsxError> {
    sheet.set_name("汇总")?;
    let mut headers: Vec<String> = [
        "名次",
        "项目名称",
        "项目单位",
        "主管部门",
        "评价类型",
        "年度",
        "预算金额（万元）",
        "综合得分",
        "满分",
        "绩效评定级别",
        "已评",
        "问题",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    headers.extend(groups.iter().map(|g| format!("{g}得分率")));
    headers.push("文件".to_owned());
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, header, &s.header)?;
    }
    for (index, p) in overview.projects.iter().enumerate() {
        let r = index as u32 + 1;
        sheet.write_number_with_format(r, 0, (index + 1) as f64, &s.text)?;
        sheet.write_string_with_format(r, 1, &p.name, &s.text)?;
        sheet.write_string_with_format(r, 2, &p.unit, &s.text)?;
        sheet.write_string_with_format(r, 3, &p.department, &s.text)?;
        sheet.write_string_with_format(r, 4, p.kind, &s.text)?;
        sheet.write_string_with_format(r, 5, &p.year, &s.text)?;
        // In 万元, as reports state budgets: 5600000 元 is 560.00.
        match p
            .budget
            .and_then(|yuan| yuan.checked_div(Decimal::from(10_000)))
        {
            Some(wan) => sheet.write_number_with_format(r, 6, decimal(wan), &s.number)?,
            None => sheet.write_blank(r, 6, &s.text)?,
        };
        sheet.write_number_with_format(r, 7, number(&p.total), &s.number)?;
        sheet.write_number_with_format(r, 8, number(&p.max_total), &s.number)?;
        let grade = p
            .rating
            .clone()
            .unwrap_or_else(|| crate::scoring::INCOMPLETE.to_owned());
        sheet.write_string_with_format(r, 9, &grade, &s.text)?;
        sheet.write_string_with_format(r, 10, format!("{}/{}", p.scored, p.applicable), &s.text)?;
        sheet.write_number_with_format(r, 11, p.problems as f64, &s.text)?;
        for (offset, name) in groups.iter().enumerate() {
            let column = 12 + offset as u16;
            match p
                .groups
                .iter()
                .find(|g| &g.name == name)
                .and_then(|g| g.rate_value)
            {
                Some(rate) => {
                    sheet.write_number_with_format(r, column, decimal(rate) / 100.0, &s.percent)?
                }
                None => sheet.write_blank(r, column, &s.text)?,
            };
        }
        sheet.write_string_with_format(
            r,
            12 + groups.len() as u16,
            p.path.display().to_string(),
            &s.text,
        )?;
    }
    let last = overview.projects.len() as u32; // the last project's row, 0-based
    let below = last + 2;
    if !overview.projects.is_empty() {
        let sum = overview
            .projects
            .iter()
            .fold(Decimal::ZERO, |sum, p| sum.saturating_add(p.total_value));
        let mean = sum / Decimal::from(overview.projects.len() as u64);
        sheet.write_string_with_format(below, 1, "平均", &s.header)?;
        sheet.write_formula_with_format(
            below,
            7,
            Formula::new(format!("=AVERAGE(H2:H{})", last + 1)).set_result(format2(mean)),
            &s.number,
        )?;
        for (offset, _) in groups.iter().enumerate() {
            let column = 12 + offset as u16;
            let letter = column_name(column);
            sheet.write_formula_with_format(
                below,
                column,
                Formula::new(format!(
                    "=IFERROR(AVERAGE({letter}2:{letter}{}),\"\")",
                    last + 1
                )),
                &s.percent,
            )?;
        }
        sheet.write_string_with_format(below + 1, 1, "项目数", &s.header)?;
        sheet.write_formula_with_format(
            below + 1,
            7,
            Formula::new(format!("=COUNTA(B2:B{})", last + 1))
                .set_result(overview.projects.len().to_string()),
            &s.text,
        )?;
    }
    sheet.set_column_width(1, 32)?;
    sheet.set_column_width(2, 18)?;
    sheet.set_column_width(3, 18)?;
    sheet.set_column_width(9, 12)?;
    sheet.set_column_width(12 + groups.len() as u16, 48)?;
    sheet.set_freeze_panes(1, 2)?;
    Ok(last)
}

fn distribution_sheet(
    sheet: &mut Worksheet,
    overview: &Overview,
    groups: &[String],
    last: u32,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("分布")?;
    let scores = format!("汇总!$H$2:$H${}", last.max(1) + 1);
    let grades = format!("汇总!$J$2:$J${}", last.max(1) + 1);
    sheet.write_string_with_format(0, 0, "分数段", &s.header)?;
    sheet.write_string_with_format(0, 1, "项目数", &s.header)?;
    for (index, ((label, from, to), (_, count))) in
        BANDS.iter().zip(overview.band_counts()).enumerate()
    {
        let r = index as u32 + 1;
        // Finished evaluations only, as band_counts has them.
        let mut criteria = vec![format!("{grades},\"<>{}\"", crate::scoring::INCOMPLETE)];
        if let Some(f) = from {
            criteria.push(format!("{scores},\">={f}\""));
        }
        if let Some(u) = to {
            criteria.push(format!("{scores},\"<{u}\""));
        }
        sheet.write_string_with_format(r, 0, *label, &s.text)?;
        sheet.write_formula_with_format(
            r,
            1,
            Formula::new(format!("=COUNTIFS({})", criteria.join(",")))
                .set_result(count.to_string()),
            &s.text,
        )?;
    }
    let grade_row = BANDS.len() as u32 + 2;
    sheet.write_string_with_format(grade_row, 0, "绩效评定级别", &s.header)?;
    sheet.write_string_with_format(grade_row, 1, "项目数", &s.header)?;
    for (index, (grade, count)) in overview.ratings_in_order().into_iter().enumerate() {
        let r = grade_row + 1 + index as u32;
        sheet.write_string_with_format(r, 0, grade, &s.text)?;
        sheet.write_formula_with_format(
            r,
            1,
            Formula::new(format!("=COUNTIF({grades},A{})", r + 1)).set_result(count.to_string()),
            &s.text,
        )?;
    }
    let group_row = grade_row + overview.ratings.len() as u32 + 2;
    sheet.write_string_with_format(group_row, 0, "一级指标", &s.header)?;
    sheet.write_string_with_format(group_row, 1, "平均得分率", &s.header)?;
    for (index, (name, mean)) in overview.group_means().into_iter().enumerate() {
        let r = group_row + 1 + index as u32;
        let letter = column_name(12 + index as u16);
        sheet.write_string_with_format(r, 0, &name, &s.text)?;
        let mut formula = Formula::new(format!(
            "=IFERROR(AVERAGE(汇总!{letter}2:{letter}{}),\"\")",
            last.max(1) + 1
        ));
        if let Some(mean) = mean {
            formula = formula.set_result((mean / Decimal::ONE_HUNDRED).round_dp(4).to_string());
        }
        sheet.write_formula_with_format(r, 1, formula, &s.percent)?;
    }
    let department_row = group_row + groups.len() as u32 + 2;
    if !overview.departments.is_empty() {
        sheet.write_string_with_format(department_row, 0, "主管部门", &s.header)?;
        sheet.write_string_with_format(department_row, 1, "平均综合得分", &s.header)?;
        sheet.write_string_with_format(department_row, 2, "项目数", &s.header)?;
        for (index, department) in overview.departments.iter().enumerate() {
            let r = department_row + 1 + index as u32;
            sheet.write_string_with_format(r, 0, &department.name, &s.text)?;
            sheet.write_number_with_format(
                r,
                1,
                decimal(department.mean_total_value),
                &s.number,
            )?;
            sheet.write_number_with_format(r, 2, department.projects as f64, &s.text)?;
        }
    }
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 12)?;
    if overview.projects.is_empty() {
        return Ok(());
    }
    let charts = [
        ("综合得分分布", 1, BANDS.len() as u32, "0"),
        (
            "各绩效评定级别的项目数",
            grade_row + 1,
            grade_row + overview.ratings.len() as u32,
            "0",
        ),
        (
            "各一级指标平均得分率",
            group_row + 1,
            group_row + groups.len() as u32,
            "0%",
        ),
        (
            "各主管部门平均综合得分",
            department_row + 1,
            department_row + overview.departments.len() as u32,
            "0",
        ),
    ];
    for (index, (title, first, last_row, format)) in charts.into_iter().enumerate() {
        if last_row < first {
            continue;
        }
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name(title);
        chart
            .add_series()
            .set_name(title)
            .set_categories(("分布", first, 0, last_row, 0))
            .set_values(("分布", first, 1, last_row, 1));
        chart.y_axis().set_min(0).set_num_format(format);
        chart.legend().set_hidden();
        chart.set_width(480).set_height(260);
        sheet.insert_chart(index as u32 * 14, 3, &chart)?;
    }
    Ok(())
}

fn deductions_sheet(
    sheet: &mut Worksheet,
    overview: &Overview,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("扣分")?;
    for (column, header) in ["常见扣分理由", "次数", "项目数", "涉及项目"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(0, column as u16, *header, &s.header)?;
    }
    for (index, theme) in overview.themes.iter().enumerate() {
        let r = index as u32 + 1;
        sheet.write_string_with_format(r, 0, &theme.text, &s.text)?;
        sheet.write_number_with_format(r, 1, theme.count as f64, &s.text)?;
        sheet.write_number_with_format(r, 2, theme.projects.len() as f64, &s.text)?;
        // A cell holds at most 32,767 characters: a reason shared by hundreds of projects
        // names the first fifty.
        let mut projects = theme
            .projects
            .iter()
            .take(50)
            .cloned()
            .collect::<Vec<_>>()
            .join("、");
        if theme.projects.len() > 50 {
            projects.push_str(&format!(" 等 {} 个项目", theme.projects.len()));
        }
        sheet.write_string_with_format(r, 3, projects, &s.text)?;
    }
    let start = overview.themes.len() as u32 + 2;
    for (column, header) in ["扣分最多的指标", "评分次数", "平均扣分"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(start, column as u16, *header, &s.header)?;
    }
    for (index, costly) in overview.costly.iter().enumerate() {
        let r = start + 1 + index as u32;
        sheet.write_string_with_format(r, 0, &costly.name, &s.text)?;
        sheet.write_number_with_format(r, 1, costly.uses as f64, &s.text)?;
        sheet.write_number_with_format(r, 2, decimal(costly.mean_lost_value), &s.number)?;
    }
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(3, 60)?;
    Ok(())
}

fn pairs_sheet(sheet: &mut Worksheet, overview: &Overview, s: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("自评对比")?;
    for (column, header) in [
        "项目名称",
        "年度",
        "自评得分",
        "专家评分",
        "差值",
        "自评高出 10 分以上",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(0, column as u16, *header, &s.header)?;
    }
    for (index, pair) in overview.pairs.iter().enumerate() {
        let r = index as u32 + 1;
        sheet.write_string_with_format(r, 0, &pair.name, &s.text)?;
        sheet.write_string_with_format(r, 1, &pair.year, &s.text)?;
        sheet.write_number_with_format(r, 2, number(&pair.self_total), &s.number)?;
        sheet.write_number_with_format(r, 3, number(&pair.expert_total), &s.number)?;
        sheet.write_formula_with_format(
            r,
            4,
            Formula::new(format!("=C{0}-D{0}", r + 1)).set_result(pair.gap.clone()),
            &s.number,
        )?;
        sheet.write_string_with_format(r, 5, if pair.inflated { "是" } else { "否" }, &s.text)?;
    }
    sheet.set_column_width(0, 32)?;
    sheet.set_column_width(5, 18)?;
    Ok(())
}

/// The season's workbook as bytes.
pub fn overview_xlsx_bytes(overview: &Overview) -> Result<Vec<u8>, XlsxError> {
    let s = styles();
    let groups = group_names(overview);
    let mut workbook = Workbook::new();
    let last = summary_sheet(workbook.add_worksheet(), overview, &groups, &s)?;
    distribution_sheet(workbook.add_worksheet(), overview, &groups, last, &s)?;
    deductions_sheet(workbook.add_worksheet(), overview, &s)?;
    pairs_sheet(workbook.add_worksheet(), overview, &s)?;
    workbook.save_to_buffer()
}

pub fn write_overview_xlsx(overview: &Overview, path: &Path) -> Result<(), ExportError> {
    let bytes =
        overview_xlsx_bytes(overview).map_err(|_| ExportError::at(path, "无法生成汇总工作簿"))?;
    write_atomically(path, &bytes)
}
