//! 整改清单: from the lost points of a finished evaluation, one item per indicator that
//! lost points — the problem (its 扣分理由, else its 偏差原因), the points, and what the
//! unit does about it: 整改措施, 责任单位, 完成时限 (30 days after the report by default,
//! as provincial rules give), 状态, 完成情况 and 佐证.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{Evaluation, Indicator, Rectification, RectifyStatus, shorten};
use crate::number::format2;

/// Days a unit has to submit its 整改 after the report.
pub const DAYS_TO_RECTIFY: i64 = 30;

/// The points `leaf` lost: 分值 − 得分 of an applicable, scored leaf.
fn lost(leaf: &Indicator) -> Decimal {
    match leaf.scoring.score {
        Some(score) if leaf.is_applicable() && score < leaf.max_points => leaf.max_points - score,
        _ => Decimal::ZERO,
    }
}

/// What the evaluation says went wrong with `leaf`.
fn problem(leaf: &Indicator, lost: Decimal) -> String {
    let reason = leaf.scoring.reason.trim();
    let deviation = leaf.scoring.deviation.trim();
    if !reason.is_empty() {
        reason.to_owned()
    } else if !deviation.is_empty() {
        deviation.to_owned()
    } else {
        format!("扣 {} 分（未写扣分理由）", format2(lost))
    }
}

/// The register of `doc`: its own items where it has them (what the unit wrote is
/// kept; the problem and points follow the scores), a new item for every other
/// indicator that lost points, due `DAYS_TO_RECTIFY` days after `report`. An item
/// whose indicator no longer loses points stays while the unit has written anything
/// in it. In table order.
pub fn draw_up(doc: &Evaluation, report: Date) -> Vec<Rectification> {
    let due = report
        .checked_add(jiff::Span::new().days(DAYS_TO_RECTIFY))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let mut out = Vec::new();
    for leaf in doc.leaves() {
        let lost = lost(leaf);
        let kept = doc.rectification.iter().find(|item| item.id == leaf.id);
        match kept {
            Some(item) if lost > Decimal::ZERO || written(item) => {
                let mut item = item.clone();
                if lost > Decimal::ZERO {
                    item.problem = problem(leaf, lost);
                }
                item.lost = lost;
                out.push(item);
            }
            None if lost > Decimal::ZERO => out.push(Rectification {
                id: leaf.id,
                problem: problem(leaf, lost),
                lost,
                measure: String::new(),
                unit: doc.info.unit.trim().to_owned(),
                due: due.clone(),
                status: RectifyStatus::Open,
                outcome: String::new(),
                evidence: Vec::new(),
            }),
            _ => {}
        }
    }
    out
}

/// Whether the unit has written anything in `item`.
fn written(item: &Rectification) -> bool {
    !item.measure.trim().is_empty()
        || !item.outcome.trim().is_empty()
        || !item.evidence.is_empty()
        || item.status != RectifyStatus::Open
}

/// One row of the register as shown and exported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The indicator's path.
    pub indicator: String,
    pub problem: String,
    /// The points lost, two decimals.
    pub lost: String,
    pub measure: String,
    pub unit: String,
    pub due: String,
    /// 未整改, 整改中 or 已完成.
    pub status: &'static str,
    /// Past its 完成时限 and not 已完成.
    pub overdue: bool,
    pub outcome: String,
    /// The 附件编号 of its evidence.
    pub evidence: Vec<String>,
}

impl Row {
    /// Not yet 已完成.
    pub fn is_open(&self) -> bool {
        self.status != RectifyStatus::Done.label()
    }
}

/// The register of `doc` as rows, `overdue` judged on `today`.
pub fn rows(doc: &Evaluation, report: Date, today: Date) -> Vec<Row> {
    draw_up(doc, report)
        .into_iter()
        .map(|item| Row {
            indicator: doc.display_path(item.id),
            overdue: item.status != RectifyStatus::Done
                && item.due.parse::<Date>().is_ok_and(|due| due < today),
            problem: item.problem,
            lost: format2(item.lost),
            measure: item.measure,
            unit: item.unit,
            due: item.due,
            status: item.status.label(),
            outcome: item.outcome,
            evidence: item.evidence.iter().map(|e| e.number.clone()).collect(),
        })
        .collect()
}

/// The register as the command line prints it.
pub fn text(rows: &[Row]) -> String {
    if rows.is_empty() {
        return "没有扣分的指标，无需整改。\n".to_owned();
    }
    let open = rows.iter().filter(|r| r.is_open()).count();
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let mut text = format!(
        "整改清单：{} 项，未完成 {open} 项，逾期 {overdue} 项\n",
        rows.len()
    );
    for (index, row) in rows.iter().enumerate() {
        let late = if row.overdue { "（逾期）" } else { "" };
        text.push_str(&format!(
            "{}. {}（扣 {} 分）：{}\n   整改措施：{}；责任单位：{}；完成时限：{}；状态：{}{late}\n",
            index + 1,
            row.indicator,
            row.lost,
            shorten(&row.problem),
            if row.measure.is_empty() {
                "（待填写）"
            } else {
                &row.measure
            },
            if row.unit.is_empty() {
                "（待填写）"
            } else {
                &row.unit
            },
            row.due,
            row.status
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn what_the_unit_wrote_is_kept_when_the_scores_change() {
        let mut doc = crate::templates::load("project").unwrap();
        let ids: Vec<_> = doc.leaves().iter().map(|l| l.id).collect();
        for id in &ids {
            let leaf = doc.find_mut(*id).unwrap();
            leaf.scoring.score = Some(leaf.max_points);
        }
        let first = doc.find_mut(ids[0]).unwrap();
        first.scoring.score = Some(first.max_points - Decimal::ONE);
        first.scoring.reason = "依据不充分".into();
        let register = draw_up(&doc, date("2026-12-08"));
        assert_eq!(register.len(), 1);
        assert_eq!(register[0].problem, "依据不充分");
        assert_eq!(register[0].due, "2027-01-07");

        // The unit writes its measure; the expert revises the score to full marks.
        let mut item = register[0].clone();
        item.measure = "补充立项论证材料".into();
        item.status = RectifyStatus::InProgress;
        doc.rectification = vec![item];
        let full = doc.find(ids[0]).unwrap().max_points;
        doc.find_mut(ids[0]).unwrap().scoring.score = Some(full);
        let again = draw_up(&doc, date("2027-03-01"));
        assert_eq!(again.len(), 1, "written items stay");
        assert_eq!(again[0].measure, "补充立项论证材料");
        assert_eq!(again[0].lost, Decimal::ZERO);
        assert_eq!(again[0].due, "2027-01-07", "the due date set stays");

        // Overdue on a day after it, unless done.
        let rows_late = rows(&doc, date("2026-12-08"), date("2027-01-08"));
        assert!(rows_late[0].overdue);
        doc.rectification[0].status = RectifyStatus::Done;
        assert!(!rows(&doc, date("2026-12-08"), date("2027-01-08"))[0].overdue);
    }
}
