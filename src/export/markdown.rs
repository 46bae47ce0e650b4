//! The report as Markdown: the conclusion, the summary table, the scoring table, the
//! analysis per 一级 and the problems gathered from the 扣分理由.

use super::{conclusion_sentence, report_sections};
use crate::model::Evaluation;
use crate::number::format2;
use crate::scoring::summarize;

/// The whole report as Markdown text.
pub fn markdown_report(doc: &Evaluation) -> String {
    let summary = summarize(doc);
    let sections = report_sections(doc, &summary);
    let cell = |s: &str| s.replace('|', "｜").replace('\n', " ");
    let mut md = format!("# {}\n\n", sections.title);
    md.push_str("## 一、基本情况\n\n");
    for (label, value) in &sections.basics {
        md.push_str(&format!(
            "- {label}：{}\n",
            if value.is_empty() {
                "（待填写）"
            } else {
                value
            }
        ));
    }
    md.push_str("\n## 二、绩效评价工作开展情况\n\n（待填写：评价目的、对象和范围，评价原则、方法和指标体系，评价工作过程。）\n\n");
    md.push_str("## 三、综合评价情况及评价结论\n\n");
    md.push_str(&conclusion_sentence(doc, &summary));
    md.push_str("\n\n| 评价内容 | 分值 | 评价得分 |\n| --- | ---: | ---: |\n");
    for group in &summary.groups {
        md.push_str(&format!(
            "| {} | {} | {} |\n",
            cell(&group.name),
            format2(group.totals.max_points),
            format2(group.totals.score)
        ));
    }
    md.push_str(&format!(
        "| 综合得分 | {} | {} |\n| 绩效评定级别 | | {} |\n\n",
        format2(summary.totals.max_points),
        format2(summary.totals.score),
        summary.verdict_text()
    ));
    for notice in crate::panel::notices(doc) {
        md.push_str(&format!("**{notice}**\n\n"));
    }
    // The scoring table with the Word report's columns; figures aligned right.
    let columns = sections.headers.len();
    let figures = sections.figure_columns();
    md.push_str(&format!("| {} |\n|", sections.headers.join(" | ")));
    for column in 0..columns {
        md.push_str(if figures.contains(&column) {
            " ---: |"
        } else {
            " --- |"
        });
    }
    md.push('\n');
    for row in &sections.rows {
        let cells: Vec<String> = row.cells().into_iter().map(cell).collect();
        md.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    md.push_str("\n## 四、绩效评价指标分析\n\n");
    for analysis in &sections.analysis {
        md.push_str(&format!(
            "### {}\n\n{}\n\n",
            analysis.heading, analysis.text
        ));
        for item in &analysis.deductions {
            md.push_str(&format!("- {item}\n"));
        }
        if !analysis.deductions.is_empty() {
            md.push('\n');
        }
    }
    md.push_str("## 五、存在的问题\n\n");
    for (index, problem) in sections.problems.iter().enumerate() {
        md.push_str(&format!("{}. {problem}\n", index + 1));
    }
    if sections.problems.is_empty() {
        md.push_str("（各项指标均未扣分。）\n");
    }
    md.push_str("\n## 六、有关建议\n\n（待填写。）\n");
    md
}
