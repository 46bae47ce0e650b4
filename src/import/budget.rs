//! The rows above the indicator header: the title, the project's details, the budget
//! block (资金情况) and 年度总体目标; and the cells, above the table or in a 注 below it,
//! that say what 执行率 divides by.

use rust_decimal::Decimal;

use crate::model::{Evaluation, FundRow, ImportNoteKind, RateBase, shorten};
use crate::number::parse_decimal;

use super::body::printed_total;
use super::header::{Header, column_of};
use super::layout::RowKind;
use super::table::{BadCell, Reader, Row};
use super::words::{is_caption, is_slash, key, parse_rate, split_name};

impl Reader {
    /// A cell naming what 执行率 divides by (`预算执行率=预算执行数/调整后预算数`), above
    /// the table or in a 注 below it.
    pub(super) fn read_rate_base<S: AsRef<str>>(&mut self, cells: &[S], doc: &mut Evaluation) {
        for text in cells {
            let text = text.as_ref().trim();
            // Every row below the header passes here: most cells are let go unread.
            if !text.contains("执行率") {
                continue;
            }
            let n = key(text);
            if n.contains("执行率=") || n.contains("执行率＝") {
                if n.contains("调整后预算") {
                    doc.self_assessment.rate_base = RateBase::AdjustedBudget;
                } else if n.contains("到位") {
                    doc.self_assessment.rate_base = RateBase::FundsReceived;
                }
                self.report.budget.push(format!("执行率的基数：{text}"));
            }
        }
    }

    /// Totals printed in the header's own cells (`自评得分：98` beside the columns).
    pub(super) fn read_printed_totals(&mut self, header: &Header) {
        let row = header.rows.first().copied().unwrap_or(0);
        for cell in &header.cells {
            if let Some(value) = printed_total(cell) {
                self.printed_totals
                    .push((format!("第 {row} 行“{}”", shorten(cell.trim())), value));
            }
        }
    }

    /// The rows above the header: the project's details, the budget block, 年度总体目标.
    pub(super) fn read_above(&mut self, rows: &[Row], doc: &mut Evaluation) {
        let mut budget: Option<BudgetColumns> = None;
        let mut in_goals = false;
        let mut goals: Vec<String> = Vec::new();
        for row in rows {
            let cells: Vec<&str> = row.cells.iter().map(|c| c.trim()).collect();
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            self.read_rate_base(&cells, doc);
            for cell in &cells {
                if let Some(value) = printed_total(cell) {
                    self.printed_totals
                        .push((format!("第 {} 行“{}”", row.number, shorten(cell)), value));
                }
            }
            if let Some(columns) = BudgetColumns::of(&cells) {
                budget = Some(columns);
                in_goals = false;
                continue;
            }
            let lead = cells.iter().find(|c| !c.is_empty()).copied().unwrap_or("");
            if key(lead).starts_with("年度总体目标") {
                in_goals = true;
                budget = None;
            }
            if in_goals {
                goals.extend(
                    cells
                        .iter()
                        .filter(|c| {
                            let n = key(c);
                            !c.is_empty()
                                && !n.starts_with("年度总体目标")
                                && !matches!(
                                    &*n,
                                    "预期目标" | "实际完成情况" | "年度目标" | "实际完成"
                                )
                        })
                        .map(|c| c.to_string()),
                );
                continue;
            }
            if let Some(columns) = &budget {
                self.budget_row(row, &cells, columns, doc);
                continue;
            }
            project_details(&cells, doc);
        }
        let mut goals = goals.into_iter();
        if let Some(expected) = goals.next() {
            doc.self_assessment.goal_expected = expected;
            self.report
                .budget
                .push("年度总体目标：已读入预期目标".to_owned());
        }
        if let Some(actual) = goals.next() {
            doc.self_assessment.goal_actual = actual;
            self.report
                .budget
                .push("年度总体目标：已读入实际完成情况".to_owned());
        }
    }

    /// A budget row below a header that has the budget's columns too (年初预算数 /
    /// 全年执行数 / 执行率 beside 年度指标值): read as the budget, not as an indicator.
    /// Returns whether the row was one.
    pub(super) fn read_budget_in_body(&mut self, row: &Row, doc: &mut Evaluation) -> bool {
        let Some(columns) = self.budget_columns.take() else {
            return false;
        };
        let filled = |p: Option<usize>| {
            p.and_then(|p| row.cells.get(p))
                .is_some_and(|c| !c.trim().is_empty())
        };
        let is_budget = filled(columns.initial)
            || filled(columns.full_year)
            || filled(columns.adjusted)
            || filled(columns.executed);
        if is_budget {
            let cells: Vec<&str> = row.cells.iter().map(|c| c.trim()).collect();
            let skipped = self.report.skipped.len();
            self.budget_row(row, &cells, &columns, doc);
            if self.report.skipped.len() == skipped {
                self.skip(
                    row,
                    RowKind::Budget,
                    "资金情况行，读入预算执行情况，不是指标",
                );
            }
        }
        self.budget_columns = Some(columns);
        is_budget
    }

    fn budget_row(
        &mut self,
        row: &Row,
        cells: &[&str],
        columns: &BudgetColumns,
        doc: &mut Evaluation,
    ) {
        let first_figure = columns.first();
        let name = cells[..first_figure.min(cells.len())]
            .iter()
            .rev()
            .find(|c| !c.is_empty())
            .copied()
            .unwrap_or("");
        let n = key(name);
        if n.is_empty() || is_caption(name) {
            self.skip(row, RowKind::Note, "资金情况中的说明行");
            return;
        }
        let mut bad = Vec::new();
        let mut figure = |position: Option<usize>, label: &str| -> Option<Decimal> {
            let text = position.and_then(|p| cells.get(p)).copied().unwrap_or("");
            if is_slash(text) {
                return None;
            }
            parse_decimal(text).unwrap_or_else(|_| {
                bad.push(BadCell {
                    kind: ImportNoteKind::UnreadableFigure,
                    place: format!("第 {} 行“{label}”列", row.number),
                    text: text.to_owned(),
                });
                None
            })
        };
        let full_year = figure(columns.full_year, "全年预算数");
        let adjusted = figure(columns.adjusted, "调整后预算数");
        let funds = FundRow {
            initial_budget: figure(columns.initial, "年初预算数"),
            full_year_budget: full_year.or(adjusted),
            executed: figure(columns.executed, "执行数"),
        };
        let max_points = figure(columns.max_points, "分值");
        let score = figure(columns.score, "得分");
        let rate_text = columns
            .rate
            .and_then(|p| cells.get(p))
            .copied()
            .unwrap_or("");
        let printed_rate = if is_slash(rate_text) {
            None
        } else {
            parse_rate(rate_text).unwrap_or_else(|()| {
                bad.push(BadCell {
                    kind: ImportNoteKind::UnreadableFigure,
                    place: format!("第 {} 行“执行率”列", row.number),
                    text: rate_text.to_owned(),
                });
                None
            })
        };
        self.notes.extend(bad);
        let block = &mut doc.self_assessment;
        let shown = |f: Option<Decimal>| f.map_or("—".to_owned(), |v| v.to_string());
        let line = format!(
            "第 {} 行“{name}”：预算 {}，执行 {}",
            row.number,
            shown(funds.full_year_budget),
            shown(funds.executed)
        );
        if n.contains("总额") || n.contains("合计") || n == "总计" {
            block.printed_total = Some(funds);
            if adjusted.is_some() && full_year.is_none() {
                block.rate_base = RateBase::AdjustedBudget;
            }
            // Kept whenever printed: the form may name it as the base only in a 注 below.
            if adjusted.is_some() {
                block.adjusted_budget = adjusted;
            } else if block.rate_base == RateBase::AdjustedBudget {
                block.adjusted_budget = full_year;
            }
            // 预算执行情况（20分）: the block's label gives the 分值 a form prints nowhere else.
            self.budget_line = Some((row.number, max_points.or(columns.label_points), score));
            if let Some(printed) = printed_rate {
                self.notes.push(BadCell {
                    kind: ImportNoteKind::PrintedRate,
                    place: format!("第 {} 行", row.number),
                    text: printed.to_string(),
                });
            }
            self.report.budget.push(format!("{line}（年度资金总额）"));
        } else {
            let (target, label) = if n.contains("财政拨款") || n.contains("财政资金") {
                (&mut block.current_year, "当年财政拨款")
            } else if n.contains("上年结转") || n.contains("结转") {
                (&mut block.carried_over, "上年结转资金")
            } else {
                (&mut block.other, "其他资金")
            };
            add_funds(target, &funds);
            self.report.budget.push(format!("{line}（计入{label}）"));
        }
    }
}

fn add_funds(target: &mut FundRow, funds: &FundRow) {
    let add = |a: Option<Decimal>, b: Option<Decimal>| match (a, b) {
        (Some(a), Some(b)) => Some(a.saturating_add(b)),
        (a, b) => a.or(b),
    };
    target.initial_budget = add(target.initial_budget, funds.initial_budget);
    target.full_year_budget = add(target.full_year_budget, funds.full_year_budget);
    target.executed = add(target.executed, funds.executed);
}

/// 项目名称 / 主管部门 / 实施单位 / 项目负责人 / 联系电话 rows above a 自评表.
fn project_details(cells: &[&str], doc: &mut Evaluation) {
    for (index, text) in cells.iter().enumerate() {
        let Some(value) = cells[index + 1..].iter().find(|c| !c.is_empty()) else {
            continue;
        };
        let value = value.to_string();
        if column_of(&value).is_some() {
            continue;
        }
        match &*key(text) {
            "项目名称" => doc.info.name = value,
            "主管部门" => doc.info.department = value,
            "实施单位" | "项目单位" => doc.info.unit = value,
            "项目负责人" => doc.self_assessment.project_leader = value,
            "联系电话" => doc.self_assessment.phone = value,
            _ => {}
        }
    }
}

/// The columns of a budget block's header row.
pub(super) struct BudgetColumns {
    initial: Option<usize>,
    full_year: Option<usize>,
    adjusted: Option<usize>,
    executed: Option<usize>,
    rate: Option<usize>,
    max_points: Option<usize>,
    score: Option<usize>,
    /// The points the block's label prints: `预算执行情况（万元）（20分）`.
    label_points: Option<Decimal>,
}

impl BudgetColumns {
    pub(super) fn of(cells: &[&str]) -> Option<Self> {
        let find = |words: &[&str]| {
            cells.iter().position(|c| {
                let n = key(c);
                words.iter().any(|w| n.starts_with(w))
            })
        };
        let columns = Self {
            initial: find(&["年初预算数", "年初预算"]),
            full_year: find(&["全年预算数", "全年预算"]),
            adjusted: find(&["调整后预算数", "调整后预算"]),
            executed: find(&["全年执行数", "预算执行数", "全年执行", "执行数"]),
            rate: find(&["执行率"]),
            max_points: find(&["分值", "权重"]),
            score: find(&["得分"]),
            label_points: None,
        };
        let label_points = cells[..columns.first().min(cells.len())]
            .iter()
            .rev()
            .find(|c| !c.is_empty())
            .and_then(|label| split_name(label).points);
        let columns = Self {
            label_points,
            ..columns
        };
        (columns.executed.is_some()
            && (columns.full_year.is_some()
                || columns.adjusted.is_some()
                || columns.initial.is_some()))
        .then_some(columns)
    }

    fn first(&self) -> usize {
        [
            self.initial,
            self.full_year,
            self.adjusted,
            self.executed,
            self.rate,
            self.max_points,
            self.score,
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(0)
    }
}

/// A 自评表 without a budget block carries the budget in its 预算执行率 row: the budget as
/// its 年度指标值 and the spending as its 实际完成值 (万元).
pub(super) fn read_budget_row(doc: &mut Evaluation) {
    let Some(row) = doc
        .indicators
        .iter()
        .find(|n| n.name.starts_with("预算执行率"))
        .and_then(|n| n.leaves().into_iter().next())
    else {
        return;
    };
    let number = |text: &str| {
        crate::number::parse_quantity(text)
            .filter(|q| !q.is_percent)
            .map(|q| q.value)
    };
    if let (Some(budget), Some(executed)) =
        (number(&row.scoring.target), number(&row.scoring.actual))
    {
        doc.self_assessment.current_year.full_year_budget = Some(budget);
        doc.self_assessment.current_year.executed = Some(executed);
    }
}

/// The first non-empty cell above the header, without the words every such title ends with.
pub(super) fn title(rows: &[Row]) -> Option<String> {
    let text = rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| c.trim())
        .find(|c| !c.is_empty())?;
    let mut name = text;
    for suffix in [
        "项目支出绩效自评表",
        "绩效自评表",
        "绩效评价评分表",
        "评分表",
        "自评表",
        "绩效评价指标体系",
    ] {
        name = name.strip_suffix(suffix).unwrap_or(name);
    }
    Some(name.trim().to_owned()).filter(|n| !n.is_empty())
}
