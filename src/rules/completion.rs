//! A leaf's 年度指标值 and 实际完成值 read by the one reader ([`read_value`]) and
//! brought together: in one unit, as a 完成率 in the indicator's direction, a deadline
//! met or not, and the deviation a rule set may deduct for.

use rust_decimal::Decimal;

use crate::model::{Direction, Indicator};
use crate::number::{
    Period, Quantity, Value, actual_as_share, bare_as_share, read_as_figure, read_value, unit_scale,
};

/// The target's and the actual's numbers in one unit, or why they cannot be compared.
/// A percentage meets a bare number through [`bare_as_share`]; a bare number takes the
/// other side's unit, except a scaled one (`万人次`), where it is asked for; units of one
/// base (`万元`/`元`, `万人次`/`人次`) convert exactly; any other pair is refused, naming both.
fn comparable(target: &Quantity, actual: &Quantity) -> Result<(Decimal, Decimal), String> {
    let differ = || {
        format!(
            "年度指标值的单位“{}”与实际完成值的单位“{}”不同",
            target.unit_label(),
            actual.unit_label()
        )
    };
    match (target.is_percent, actual.is_percent) {
        (true, true) => return Ok((target.value, actual.value)),
        (true, false) if actual.is_bare() => {
            return Ok((target.value, bare_as_share(actual.value)));
        }
        (false, true) if target.is_bare() => {
            return Ok((bare_as_share(target.value), actual.value));
        }
        (true, false) | (false, true) => return Err(differ()),
        (false, false) => {}
    }
    if target.unit == actual.unit {
        return Ok((target.value, actual.value));
    }
    let (target_scale, target_base) = unit_scale(&target.unit);
    let (actual_scale, actual_base) = unit_scale(&actual.unit);
    // A bare figure beside a scaled unit may be in either: ask which.
    let ask = |bare_side: &str, bare: &Quantity, scaled_side: &str, scaled: &Quantity| {
        let figure = bare.value.normalize();
        let (_, base) = unit_scale(&scaled.unit);
        format!(
            "{bare_side}“{figure}”没有写单位，而{scaled_side}以“{}”计：请写明是“{figure}{base}”还是“{figure}{}”",
            scaled.unit, scaled.unit
        )
    };
    if actual.unit.is_empty() {
        return if target_scale == Decimal::ONE {
            Ok((target.value, actual.value))
        } else {
            Err(ask("实际完成值", actual, "年度指标值", target))
        };
    }
    if target.unit.is_empty() {
        return if actual_scale == Decimal::ONE {
            Ok((target.value, actual.value))
        } else {
            Err(ask("年度指标值", target, "实际完成值", actual))
        };
    }
    if target_base != actual_base {
        return Err(differ());
    }
    actual
        .value
        .checked_mul(actual_scale)
        .and_then(|v| v.checked_div(target_scale))
        .map(|converted| (target.value, converted))
        .ok_or_else(differ)
}

/// A leaf's target and actual, read and brought to one unit, or why they cannot be.
enum Pair {
    /// The target's and the actual's figures in the target's unit, and the target as read.
    Figures {
        target: Decimal,
        actual: Decimal,
        read: Quantity,
    },
    /// A deadline and the date it was met.
    Dates { target: Period, actual: Period },
}

/// Reads a leaf's target and actual (figures or dates) by [`read_value`], the reader
/// every rule uses.
fn read_pair(leaf: &Indicator) -> Result<Pair, String> {
    let (target_text, actual_text) = (leaf.scoring.target.trim(), leaf.scoring.actual.trim());
    if target_text.is_empty() {
        return Err("尚未填写年度指标值".to_owned());
    }
    if actual_text.is_empty() {
        return Err("尚未填写实际完成值".to_owned());
    }
    let target = read_value(target_text)
        .ok_or_else(|| format!("无法从年度指标值“{target_text}”读出数字"))?;
    let actual = read_value(actual_text)
        .ok_or_else(|| format!("无法从实际完成值“{actual_text}”读出数字"))?;
    let figure = |text: &str| read_as_figure(text).map(Value::Figure);
    // `2000.12` is a date beside a date and a figure beside a figure.
    let (target, actual) = match (target, actual) {
        (Value::Date(t), Value::Figure(a)) if t.could_be_a_figure => (
            figure(target_text).unwrap_or(Value::Date(t)),
            Value::Figure(a),
        ),
        (Value::Figure(t), Value::Date(a)) if a.could_be_a_figure => (
            Value::Figure(t),
            figure(actual_text).unwrap_or(Value::Date(a)),
        ),
        pair => pair,
    };
    match (target, actual) {
        (Value::Date(target), Value::Date(actual)) => Ok(Pair::Dates { target, actual }),
        (Value::Date(_), Value::Figure(_)) => Err(format!(
            "年度指标值“{target_text}”是日期，实际完成值“{actual_text}”不是：请填写完成的日期（如 2023年12月20日）"
        )),
        (Value::Figure(_), Value::Date(_)) => Err(format!(
            "实际完成值“{actual_text}”是日期，年度指标值“{target_text}”却不是"
        )),
        (Value::Figure(target), Value::Figure(actual)) => {
            let (target_value, actual_value) = comparable(&target, &actual)?;
            let mut read = target;
            if read.is_bare() && actual.is_percent {
                read.upper = read.upper.map(bare_as_share);
            }
            Ok(Pair::Figures {
                target: target_value,
                actual: actual_value,
                read,
            })
        }
    }
}

/// 完成率 as a share: 实际/目标 for 正向, 目标/实际 for 反向. A range target ("50-60个")
/// is met anywhere in the range; below it the rate is taken against its lower bound. A
/// deadline (`2023年12月底前`) is met (1) or not (0).
pub fn completion(leaf: &Indicator) -> Result<Decimal, String> {
    let (target_text, actual_text) = (leaf.scoring.target.trim(), leaf.scoring.actual.trim());
    if !target_text.is_empty() && target_text == actual_text {
        return Ok(Decimal::ONE);
    }
    if leaf.scoring.direction == Some(Direction::Qualitative) {
        return Err("定性指标不按完成率计分".to_owned());
    }
    match read_pair(leaf)? {
        Pair::Dates { target, actual } => deadline_met(target, actual, target_text, actual_text),
        Pair::Figures {
            target,
            actual,
            read,
        } => {
            let direction = leaf
                .scoring
                .direction
                .or(read.direction())
                .unwrap_or(Direction::Higher);
            figure_completion(direction, target, read.upper, actual).ok_or_else(|| {
                format!(
                    "年度指标值“{target_text}”为负数或 0，实际完成值“{actual_text}”未达到时不能按比例折算：请手工填写得分并写明理由"
                )
            })
        }
    }
}

/// The 完成率 of figures in `direction`: 1 when the target is met, else the ratio of the
/// two, which means something only between positive figures. `None` where a target of 0
/// or below is missed (`≥-5%` vs `-8%`): no ratio says how far.
fn figure_completion(
    direction: Direction,
    target: Decimal,
    upper: Option<Decimal>,
    actual: Decimal,
) -> Option<Decimal> {
    let high = upper.unwrap_or(target);
    // Below a positive target, a negative actual achieved nothing.
    let short_of = |goal: Decimal| {
        if goal <= Decimal::ZERO {
            None
        } else if actual <= Decimal::ZERO {
            Some(Decimal::ZERO)
        } else {
            actual.checked_div(goal)
        }
    };
    // Above a limit, the limit over the actual; nothing above a limit of 0 (0起 vs 2起).
    let over = |limit: Decimal| {
        if limit < Decimal::ZERO {
            None
        } else {
            limit.checked_div(actual)
        }
    };
    match direction {
        Direction::Higher if actual >= target => Some(Decimal::ONE),
        Direction::Higher => short_of(target),
        Direction::Lower if actual <= high => Some(Decimal::ONE),
        Direction::Lower => over(high),
        Direction::Equal if actual >= target && actual <= high => Some(Decimal::ONE),
        Direction::Equal if actual > high => over(high),
        Direction::Equal => short_of(target),
        Direction::Qualitative => None,
    }
}

/// A deadline is met when the whole period of the actual lies on or before the end of
/// the target's (`2023年12月底前` vs `2023年11月` → 1, vs `2024年1月` → 0).
fn deadline_met(
    target: Period,
    actual: Period,
    target_text: &str,
    actual_text: &str,
) -> Result<Decimal, String> {
    if target.has_year != actual.has_year {
        return Err(format!(
            "年度指标值“{target_text}”与实际完成值“{actual_text}”一个写了年份、一个没写：请都写明年份"
        ));
    }
    if actual.last <= target.last {
        Ok(Decimal::ONE)
    } else if actual.first > target.last {
        Ok(Decimal::ZERO)
    } else {
        Err(format!(
            "实际完成值“{actual_text}”不能确定是否在期限{}之前：请写明完成的日期",
            day_label(target.last, target.has_year)
        ))
    }
}

/// `2023年12月31日`, or `12月31日` where no year was written.
fn day_label(day: jiff::civil::Date, with_year: bool) -> String {
    if with_year {
        format!("{}年{}月{}日", day.year(), day.month(), day.day())
    } else {
        format!("{}月{}日", day.month(), day.day())
    }
}

/// The 实际完成值 as a share ([`actual_as_share`]).
pub(super) fn actual_share(leaf: &Indicator) -> Result<Decimal, String> {
    actual_as_share(&leaf.scoring.actual)
}

/// How far the actual lies from the target, as a share of the target: |实际 − 目标| / 目标;
/// from a range target (`50-100个`), from its nearest bound, and nothing within it.
/// `None` where either is not a figure (a date, words) or the target is not above 0.
pub fn deviation(leaf: &Indicator) -> Option<Decimal> {
    let Ok(Pair::Figures {
        target,
        actual,
        read,
    }) = read_pair(leaf)
    else {
        return None;
    };
    let high = read.upper.unwrap_or(target);
    if target <= Decimal::ZERO {
        return None;
    }
    if actual < target {
        (target - actual).checked_div(target)
    } else if actual > high {
        (actual - high).checked_div(high)
    } else {
        Some(Decimal::ZERO)
    }
}
