//! The files people hand in, written from the document so no figure is retyped: the
//! scoring workbook (.xlsx), the report (.docx and Markdown), CSV in the import layout,
//! and tab-separated text for the clipboard. Every figure comes from one
//! [`crate::scoring::Summary`], rounded once.

mod blank;
mod csv;
mod docx;
mod markdown;
mod overview;
mod rectify;
mod xlsx;

use std::path::{Path, PathBuf};

pub use self::blank::{blank_docx_bytes, blank_xlsx_bytes, write_blank_docx, write_blank_xlsx};
pub use self::csv::{csv_text, write_csv};
pub use self::docx::{docx_bytes, write_docx};
pub use self::markdown::markdown_report;
pub use self::overview::{overview_xlsx_bytes, write_overview_xlsx};
pub use self::rectify::{rectification_xlsx_bytes, write_rectification_xlsx};
pub use self::xlsx::{write_xlsx, xlsx_bytes};

use rust_decimal::Decimal;

use crate::model::{Evaluation, Indicator};
use crate::number::{format2, round2};
use crate::scoring::{INCOMPLETE, Summary};

/// Why an export failed; nothing half-written is left at the target.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("无法导出到“{path}”：{reason}")]
    Write { path: PathBuf, reason: String },
}

impl ExportError {
    pub(crate) fn at(path: &Path, reason: impl std::fmt::Display) -> Self {
        Self::Write {
            path: path.to_owned(),
            reason: reason.to_string(),
        }
    }
}

/// A kind of file the program exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Docx,
    Csv,
    Markdown,
    /// The blank 评分表 to score on paper, as a workbook.
    BlankXlsx,
    /// The blank 评分表 as a Word document.
    BlankDocx,
}

impl Format {
    pub const ALL: [Self; 6] = [
        Self::Xlsx,
        Self::Docx,
        Self::Csv,
        Self::Markdown,
        Self::BlankXlsx,
        Self::BlankDocx,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx | Self::BlankXlsx => "xlsx",
            Self::Docx | Self::BlankDocx => "docx",
            Self::Csv => "csv",
            Self::Markdown => "md",
        }
    }

    /// The file name an export of the document `stem` gets: `评价.xlsx`, or for a blank
    /// sheet `评价-空白评分表.xlsx`, so it never takes the place of the scored workbook.
    pub fn file_name(self, stem: &str) -> String {
        match self {
            Self::BlankXlsx | Self::BlankDocx => {
                format!("{stem}-空白评分表.{}", self.extension())
            }
            _ => format!("{stem}.{}", self.extension()),
        }
    }

    /// Whether this is a blank sheet, which carries no score and no grade.
    pub fn is_blank(self) -> bool {
        matches!(self, Self::BlankXlsx | Self::BlankDocx)
    }

    /// What the menu calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Xlsx => "Excel 评分表",
            Self::Docx => "Word 评价报告",
            Self::Csv => "CSV 评分表",
            Self::Markdown => "Markdown 评价报告",
            Self::BlankXlsx => "空白评分表（Excel，打印后评分）",
            Self::BlankDocx => "空白评分表（Word，打印后评分）",
        }
    }

    /// Writes `doc` to `path` in this format.
    pub fn write(self, doc: &Evaluation, path: &Path) -> Result<(), ExportError> {
        match self {
            Self::Xlsx => write_xlsx(doc, path),
            Self::Docx => write_docx(doc, path),
            Self::Csv => write_csv(doc, path),
            Self::Markdown => write_atomically(path, markdown_report(doc).as_bytes()),
            Self::BlankXlsx => write_blank_xlsx(doc, path),
            Self::BlankDocx => write_blank_docx(doc, path),
        }
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, so a failure leaves any
/// earlier file as it was.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::storage::replace_file(path, bytes, false).map_err(|reason| ExportError::at(path, reason))
}

/// One leaf of the scoring table with its ancestors, top level first.
pub struct TableRow<'a> {
    /// The groups above the leaf, 一级 first.
    pub groups: Vec<&'a Indicator>,
    pub leaf: &'a Indicator,
}

/// The leaves in table order, each with its groups.
pub fn table_rows(doc: &Evaluation) -> Vec<TableRow<'_>> {
    fn walk<'a>(
        nodes: &'a [Indicator],
        groups: &mut Vec<&'a Indicator>,
        out: &mut Vec<TableRow<'a>>,
    ) {
        for node in nodes {
            if node.is_leaf() {
                out.push(TableRow {
                    groups: groups.clone(),
                    leaf: node,
                });
            } else {
                groups.push(node);
                walk(&node.children, groups, out);
                groups.pop();
            }
        }
    }
    let mut rows = Vec::new();
    walk(&doc.indicators, &mut Vec::new(), &mut rows);
    rows
}

/// How many level columns the table needs (三级 at least, as the published tables have).
pub fn level_columns(rows: &[TableRow<'_>]) -> usize {
    rows.iter()
        .map(|r| r.groups.len() + 1)
        .max()
        .unwrap_or(1)
        .clamp(3, 4)
}

/// The Chinese names of the level columns.
pub const LEVEL_HEADERS: [&str; 4] = ["一级指标", "二级指标", "三级指标", "四级指标"];

/// A figure as reports write it in running text: rounded 四舍五入 to two decimals, without
/// trailing zeros ("16.9", "82.02", "10").
pub fn figure(value: Decimal) -> String {
    round2(value).normalize().to_string()
}

/// `决策(10分)`: a group's name with its 分值, as the published tables print it (a label,
/// not a figure of the table, so without trailing zeros).
pub fn name_with_points(name: &str, max_points: Decimal) -> String {
    format!("{name}({}分)", figure(max_points))
}

/// The sentence that states the result:
/// “……项目支出绩效评价综合得分82.02分，其中，项目决策得分7.66分，……，绩效评定结论为“良”。”
/// Its figures carry two decimals (28.20分), as the tables, the workbook and the window
/// show them. While leaves are unscored it gives no grade and says 评分未完成 instead.
pub fn conclusion_sentence(doc: &Evaluation, summary: &Summary) -> String {
    let name = doc.info.name.trim();
    let subject = if name.is_empty() {
        "本项目".to_owned()
    } else if name.ends_with("项目") {
        name.to_owned()
    } else {
        format!("{name}项目")
    };
    let kind = match doc.info.kind {
        crate::model::EvaluationKind::Expert => "支出绩效评价",
        crate::model::EvaluationKind::SelfAssessment => "支出绩效自评",
    };
    let parts: Vec<String> = summary
        .groups
        .iter()
        .map(|g| {
            let label = if g.name.starts_with("项目") || g.name.ends_with("指标") {
                g.name.clone()
            } else {
                format!("项目{}", g.name)
            };
            format!("{label}得分{}分", format2(g.totals.score))
        })
        .collect();
    let mut sentence = format!("{subject}{kind}综合得分{}分", format2(summary.totals.score));
    // A cap makes the total less than its parts: the sentence says so where the total is.
    if let (Some(uncapped), Some(note)) = (summary.uncapped_total, &summary.cap_note) {
        sentence.push_str(&format!("（各项合计{}分，{note}）", format2(uncapped)));
    }
    if !parts.is_empty() {
        sentence.push_str(&format!("，其中，{}", parts.join("，")));
    }
    let vetoes: Vec<&str> = summary
        .adjustments
        .iter()
        .filter(|a| a.starts_with("一票否决"))
        .map(String::as_str)
        .collect();
    match summary.verdict() {
        Some(rating) if !vetoes.is_empty() => sentence.push_str(&format!(
            "，绩效评定结论为“{}”（{}）。",
            rating.label(),
            vetoes.join("；")
        )),
        Some(rating) => sentence.push_str(&format!("，绩效评定结论为“{}”。", rating.label())),
        None => sentence.push_str(&format!(
            "。{INCOMPLETE}（{}），以上为已评各项的合计，暂不评定绩效等级。",
            summary.progress_text()
        )),
    }
    sentence
}

/// One 一级's part of 四、绩效评价指标分析.
pub struct Analysis {
    pub heading: String,
    pub text: String,
    /// Each indicator that lost points, with its 扣分理由.
    pub deductions: Vec<String>,
}

/// What the report says, built once for the Word and Markdown reports alike.
pub struct ReportSections {
    pub title: String,
    pub basics: Vec<(&'static str, String)>,
    /// The scoring table's column headings, as [`ReportRow::cells`] fills them.
    pub headers: Vec<&'static str>,
    /// One row per leaf of the scoring table.
    pub rows: Vec<ReportRow>,
    pub analysis: Vec<Analysis>,
    /// 扣分理由 gathered by 一级, to edit into 五、存在的问题.
    pub problems: Vec<String>,
}

/// One leaf of the report's scoring table, its figures as the table prints them.
pub struct ReportRow {
    /// 一级 / 二级 / 三级; a group's name only on its first row, as merged cells print.
    pub levels: [String; 3],
    /// 年度指标值 and 实际完成值: a 自评 report carries them, as the 自评表 does.
    pub values: Option<[String; 2]>,
    pub max_points: String,
    /// The 得分, or "/" where the indicator does not apply.
    pub score: String,
    /// 扣分理由, or a 自评's 偏差原因分析及改进措施.
    pub explanation: String,
}

impl ReportSections {
    /// The scoring table's figure columns (分值, 得分): the two before the explanation.
    pub fn figure_columns(&self) -> std::ops::Range<usize> {
        let columns = self.headers.len();
        columns.saturating_sub(3)..columns.saturating_sub(1)
    }
}

impl ReportRow {
    /// The row's cells in the order of [`ReportSections::headers`].
    pub fn cells(&self) -> Vec<&str> {
        let mut cells: Vec<&str> = self.levels.iter().map(String::as_str).collect();
        if let Some(values) = &self.values {
            cells.extend(values.iter().map(String::as_str));
        }
        cells.extend([
            self.max_points.as_str(),
            self.score.as_str(),
            self.explanation.as_str(),
        ]);
        cells
    }
}

/// The headings of the report's scoring table: a 自评 report adds 年度指标值 and
/// 实际完成值 and explains a deviation, an evaluation report gives 扣分理由.
fn report_headers(kind: crate::model::EvaluationKind) -> Vec<&'static str> {
    let mut headers = LEVEL_HEADERS[..3].to_vec();
    match kind {
        crate::model::EvaluationKind::SelfAssessment => headers.extend([
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ]),
        crate::model::EvaluationKind::Expert => headers.extend(["分值", "得分", "扣分理由"]),
    }
    headers
}

/// Why a leaf lost points: a 自评表 says it in 偏差原因分析及改进措施, a scoring table in
/// 扣分理由.
fn explanation(leaf: &crate::model::Indicator, kind: crate::model::EvaluationKind) -> &str {
    match kind {
        crate::model::EvaluationKind::SelfAssessment => &leaf.scoring.deviation,
        crate::model::EvaluationKind::Expert => &leaf.scoring.reason,
    }
}

pub fn report_sections(doc: &Evaluation, summary: &Summary) -> ReportSections {
    let info = &doc.info;
    let name = if info.name.trim().is_empty() {
        "项目"
    } else {
        info.name.trim()
    };
    let title = match info.kind {
        crate::model::EvaluationKind::Expert => format!("{name}绩效评价报告"),
        crate::model::EvaluationKind::SelfAssessment => format!("{name}绩效自评报告"),
    };
    let basics: Vec<_> = [
        ("项目名称", info.name.clone()),
        ("项目单位", info.unit.clone()),
        ("主管部门", info.department.clone()),
        ("项目类型", info.project_type.clone()),
        ("评价年度", info.year.clone()),
        (
            "预算金额",
            doc.budget_yuan()
                .map(crate::number::wan_yuan)
                .unwrap_or_default(),
        ),
        ("评价类型", info.kind.label().to_owned()),
        ("评价人", info.evaluator.clone()),
    ]
    .into_iter()
    .chain(
        (info.kind == crate::model::EvaluationKind::SelfAssessment)
            .then(|| ("评分规则集", crate::ruleset::of(doc).name.clone())),
    )
    .collect();

    let table = table_rows(doc);
    let mut rows = Vec::with_capacity(table.len());
    let mut previous: Vec<crate::model::NodeId> = Vec::new();
    for row in &table {
        let ids: Vec<crate::model::NodeId> = row.groups.iter().map(|g| g.id).collect();
        let mut levels: [String; 3] = Default::default();
        for (level, group) in row.groups.iter().enumerate().take(2) {
            if previous.get(level) != Some(&group.id) || previous.get(..level) != ids.get(..level) {
                levels[level] =
                    name_with_points(&group.name, summary.totals_of(group.id).max_points);
            }
        }
        let deeper: Vec<&str> = row.groups.iter().skip(2).map(|g| g.name.as_str()).collect();
        levels[row.groups.len().min(2)] = if deeper.is_empty() {
            row.leaf.name.clone()
        } else {
            format!("{} / {}", deeper.join(" / "), row.leaf.name)
        };
        let scoring = &row.leaf.scoring;
        rows.push(ReportRow {
            levels,
            values: (info.kind == crate::model::EvaluationKind::SelfAssessment)
                .then(|| [scoring.target.clone(), scoring.actual.clone()]),
            max_points: format2(row.leaf.max_points),
            score: if scoring.not_applicable {
                "/".to_owned()
            } else {
                scoring.score.map(format2).unwrap_or_default()
            },
            explanation: explanation(row.leaf, info.kind).to_owned(),
        });
        previous = ids;
    }

    let mut analysis = Vec::new();
    let mut problems = Vec::new();
    for (index, group) in summary.groups.iter().enumerate() {
        let totals = group.totals;
        let rate = totals
            .score_rate()
            .map(|r| format!("，得分率{}%", format2(r)))
            .unwrap_or_default();
        let mut deductions = Vec::new();
        let mut reasons: Vec<String> = Vec::new();
        if let Some(root) = doc.find(group.id) {
            for leaf in root.leaves() {
                let Some(score) = leaf.scoring.score else {
                    continue;
                };
                if score >= leaf.max_points || leaf.scoring.not_applicable {
                    continue;
                }
                let reason = explanation(leaf, info.kind).trim();
                // A deduction the rule set made is named where the figure is.
                let rule_note = match (&leaf.scoring.rule, &leaf.scoring.manual_reason) {
                    (Some(rule), None) => crate::rules::deduction_note(rule, leaf, doc)
                        .map(|note| format!("（其中{note}）"))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                deductions.push(format!(
                    "{}（{}分）得{}分，扣{}分{rule_note}{}",
                    leaf.name,
                    format2(leaf.max_points),
                    format2(score),
                    format2(leaf.max_points.saturating_sub(score)),
                    if reason.is_empty() {
                        String::new()
                    } else {
                        format!("：{reason}")
                    }
                ));
                for part in reason
                    .split(['，', '；', ';'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    if !reasons.iter().any(|r| r == part) {
                        reasons.push(part.to_owned());
                    }
                }
            }
        }
        analysis.push(Analysis {
            heading: format!(
                "（{}）{}",
                ["一", "二", "三", "四", "五", "六", "七", "八"]
                    .get(index)
                    .unwrap_or(&"十"),
                group.name
            ),
            text: format!(
                "{}指标分值{}分，评价得分{}分{}。",
                group.name,
                format2(totals.max_points),
                format2(totals.score),
                rate
            ),
            deductions,
        });
        if !reasons.is_empty() {
            problems.push(format!("{}方面：{}。", group.name, reasons.join("；")));
        }
    }
    ReportSections {
        title,
        basics,
        headers: report_headers(info.kind),
        rows,
        analysis,
        problems,
    }
}

/// A text cell as a spreadsheet must show it: text that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be run as a formula when Excel or WPS opens a CSV or
/// takes a paste (CSV injection, CWE-1236), so it gets the usual leading `'`, which
/// the spreadsheet shows as text and jixiao's import removes again. Text that itself
/// begins with quotes before such a character (`'=x`) gets one more, so that the
/// import, taking one off, gives it back as it was.
pub fn guard_formula(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
    {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The scoring table as tab-separated text, for pasting into Excel, WPS or Word.
pub fn clipboard_text(doc: &Evaluation) -> String {
    let rows = table_rows(doc);
    let levels = level_columns(&rows);
    let mut text = String::new();
    let mut header: Vec<&str> = LEVEL_HEADERS[..levels].to_vec();
    header.extend(["分值", "得分", "扣分理由"]);
    text.push_str(&header.join("\t"));
    text.push('\n');
    let clean = |s: &str| guard_formula(&s.replace(['\t', '\n', '\r'], " ")).into_owned();
    for row in &rows {
        let mut cells = vec![String::new(); levels];
        for (level, group) in row.groups.iter().enumerate() {
            cells[level] = clean(&group.name);
        }
        cells[row.groups.len().min(levels - 1)] = clean(&row.leaf.name);
        // Leaf figures as the window shows them: as typed.
        cells.push(row.leaf.max_points.normalize().to_string());
        cells.push(
            row.leaf
                .scoring
                .score
                .map(|s| s.normalize().to_string())
                .unwrap_or_default(),
        );
        cells.push(clean(&row.leaf.scoring.reason));
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::summarize;

    fn seed() -> Evaluation {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/evaluation-2022-jingzhun-bangfu.csv");
        let mut doc = crate::open::open(&path).unwrap();
        doc.info.name = "2022年永乐店镇困难群众精准帮扶".into();
        doc
    }

    #[test]
    fn the_conclusion_reads_as_the_published_report() {
        let doc = seed();
        assert_eq!(
            conclusion_sentence(&doc, &summarize(&doc)),
            "2022年永乐店镇困难群众精准帮扶项目支出绩效评价综合得分82.02分，其中，项目决策得分7.66分，项目过程得分16.90分，项目产出得分29.26分，项目效益得分28.20分，绩效评定结论为“良”。"
        );
    }

    #[test]
    fn the_clipboard_holds_one_tab_separated_row_per_leaf() {
        let text = clipboard_text(&seed());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 19);
        assert_eq!(
            lines[0],
            "一级指标\t二级指标\t三级指标\t分值\t得分\t扣分理由"
        );
        assert_eq!(
            lines[1],
            "决策\t项目立项\t立项依据充分性\t2\t1.86\t政府购买服务边界不够清晰"
        );
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_as_a_formula_is_pasted_as_text() {
        let mut doc = seed();
        let ids: Vec<_> = doc.leaves().iter().map(|l| l.id).collect();
        let reasons = [
            "=HYPERLINK(\"http://x\",\"点此查看\")",
            "+1+1",
            "@SUM(1,2)",
            "-2 分",
        ];
        for (id, reason) in ids.iter().zip(reasons) {
            if let Some(leaf) = doc.find_mut(*id) {
                leaf.scoring.reason = reason.to_owned();
            }
        }
        let text = clipboard_text(&doc);
        let lines: Vec<&str> = text.lines().collect();
        for (line, reason) in lines[1..].iter().zip(reasons) {
            assert!(line.ends_with(&format!("\t'{reason}")), "{line}");
        }
    }
}
