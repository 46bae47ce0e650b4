//! What a rule set takes off a computed 得分, with the note shown beside it: the
//! deviation deduction (fixed or graded, in points or a share of 分值, one-sided, waived
//! by a written 偏差原因, for some 一级 groups only) and the penalty for an 执行率 above
//! 100%.

use rust_decimal::Decimal;

use super::{completion, deviation};
use crate::model::{DeviationDeduction, Evaluation, Indicator, OverExecution};
use crate::number::{format2, round2};

/// What a rule set's deviation deduction takes from `score`, and the note said beside
/// it: "偏差 30.00%（≥30%），扣 2 分", "偏差 25.00%（每 10% 扣 1 分），扣 2 分",
/// "偏差 40.00%（≥30%），已写明偏差原因，不扣分".
pub(super) fn deduct(
    deduction: &DeviationDeduction,
    doc: &Evaluation,
    leaf: &Indicator,
    score: Decimal,
) -> (Decimal, Option<String>) {
    if !deduction.groups.is_empty()
        && !level1_name(doc, leaf).is_some_and(|name| {
            deduction
                .groups
                .iter()
                .any(|group| name.contains(group.trim()))
        })
    {
        return (score, None);
    }
    let Some(found) = deviation(leaf).filter(|d| *d >= deduction.at_least) else {
        return (score, None);
    };
    if deduction.shortfall_only && completion(leaf).is_ok_and(|rate| rate >= Decimal::ONE) {
        return (score, None);
    }
    let percent = |share: Decimal| (share * Decimal::ONE_HUNDRED).normalize();
    let per_step = if deduction.of_max_points {
        round2(leaf.max_points.saturating_mul(deduction.points))
    } else {
        deduction.points
    };
    let share_text = format!("分值的 {}%", percent(deduction.points));
    // From 0 (with shortfall_only): any target missed.
    let from = if deduction.at_least.is_zero() {
        "未完成".to_owned()
    } else {
        format!("≥{}%", percent(deduction.at_least))
    };
    let (steps, rule_text) = match deduction.every.filter(|e| *e > Decimal::ZERO) {
        Some(every) => (
            found.checked_div(every).map_or(Decimal::ONE, |s| s.floor()),
            if deduction.of_max_points {
                format!("每 {}% 扣{share_text}", percent(every))
            } else {
                format!(
                    "每 {}% 扣 {} 分",
                    percent(every),
                    deduction.points.normalize()
                )
            },
        ),
        None if deduction.of_max_points => (Decimal::ONE, format!("{from}，扣{share_text}")),
        None => (Decimal::ONE, from),
    };
    let shown = format2(found * Decimal::ONE_HUNDRED);
    if deduction.unless_explained && !leaf.scoring.deviation.trim().is_empty() {
        return (
            score,
            Some(format!(
                "偏差 {shown}%（{rule_text}），已写明偏差原因，不扣分"
            )),
        );
    }
    let taken = per_step.saturating_mul(steps).min(score);
    if taken.is_zero() {
        return (score, None);
    }
    (
        score - taken,
        Some(format!(
            "偏差 {shown}%（{rule_text}），扣 {} 分",
            taken.normalize()
        )),
    )
}

/// The name of the 一级 indicator `leaf` sits under.
fn level1_name<'a>(doc: &'a Evaluation, leaf: &Indicator) -> Option<&'a str> {
    doc.indicators
        .iter()
        .find(|root| crate::model::find(std::slice::from_ref(root), leaf.id).is_some())
        .map(|root| root.name.as_str())
}

/// What the penalty for an 执行率 above 100% takes from the 预算执行率's `score`, and the
/// note: "执行率 105.00% 超过 100%（每超 1% 扣 0.5 分），扣 2.5 分".
pub(super) fn over_execution(
    over: &OverExecution,
    rate: Decimal,
    score: Decimal,
) -> (Decimal, Option<String>) {
    let excess = rate - Decimal::ONE;
    if excess <= Decimal::ZERO {
        return (score, None);
    }
    let percent = |share: Decimal| (share * Decimal::ONE_HUNDRED).normalize();
    let (steps, rule_text) = match over.every.filter(|e| *e > Decimal::ZERO) {
        Some(every) => (
            excess
                .checked_div(every)
                .map_or(Decimal::ONE, |s| s.floor()),
            format!("每超 {}% 扣 {} 分", percent(every), over.points.normalize()),
        ),
        None => (Decimal::ONE, format!("扣 {} 分", over.points.normalize())),
    };
    let taken = over.points.saturating_mul(steps).min(score);
    if taken.is_zero() {
        return (score, None);
    }
    (
        score - taken,
        Some(format!(
            "执行率 {}% 超过 100%（{rule_text}），扣 {} 分",
            format2(rate * Decimal::ONE_HUNDRED),
            taken.normalize()
        )),
    )
}
