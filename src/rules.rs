//! Scores computed from what was entered: targets and actuals as people type them
//! ("≥50个", "100%", "≤90万元"), the 预算执行率 of the budget block, and the rules of
//! 财预〔2020〕10号 and 财预〔2021〕101号 described as data ([`RuleKind`]).
//!
//! A computed score is rounded once, 四舍五入 to two decimals, as published reports do.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::{Direction, Evaluation, Indicator, Measure, RuleKind, ScoreRule};
use crate::scoring::round2;

/// A value as typed: "≥50个" → (≥, 50, "个"); "93.35%" → 0.9335 as a share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub comparator: Option<Direction>,
    /// The number; a percentage is stored as a share (93.35% → 0.9335).
    pub value: Decimal,
    pub is_percent: bool,
    pub unit: String,
}

/// Reads a typed target or actual. `None` when there is no number in it.
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let mut rest: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            '，' | ',' => '\u{0}',
            _ => c,
        })
        .filter(|c| *c != '\u{0}' && !c.is_whitespace())
        .collect();
    let mut comparator = None;
    for (prefix, direction) in [
        ("≥", Direction::Higher),
        (">=", Direction::Higher),
        ("＞", Direction::Higher),
        (">", Direction::Higher),
        ("不低于", Direction::Higher),
        ("不少于", Direction::Higher),
        ("大于等于", Direction::Higher),
        ("大于", Direction::Higher),
        ("达到", Direction::Higher),
        ("≤", Direction::Lower),
        ("<=", Direction::Lower),
        ("＜", Direction::Lower),
        ("<", Direction::Lower),
        ("不高于", Direction::Lower),
        ("不超过", Direction::Lower),
        ("小于等于", Direction::Lower),
        ("小于", Direction::Lower),
        ("控制在", Direction::Lower),
        ("=", Direction::Equal),
        ("＝", Direction::Equal),
    ] {
        if let Some(stripped) = rest.strip_prefix(prefix) {
            comparator = Some(direction);
            rest = stripped.to_owned();
            break;
        }
    }
    let number_end = rest
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*c == '-' && *i == 0)))
        .map_or(rest.len(), |(i, _)| i);
    let value = Decimal::from_str(&rest[..number_end]).ok()?;
    let unit = rest[number_end..]
        .trim_start_matches(['以', '及'])
        .to_owned();
    let unit = unit.trim_end_matches(['以', '上', '下', '内']).to_owned();
    let is_percent = unit.starts_with('%');
    let value = if is_percent {
        value / Decimal::ONE_HUNDRED
    } else {
        value
    };
    let unit = if is_percent {
        unit.trim_start_matches('%').to_owned()
    } else {
        unit
    };
    Some(Quantity {
        comparator,
        value,
        is_percent,
        unit,
    })
}

/// 10,000 元 in a 万元.
const YUAN_PER_WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// `actual` in the unit of `target` (万元 and 元 convert); `None` when they do not agree.
fn same_unit(target: &Quantity, actual: &Quantity) -> Option<Decimal> {
    if target.unit == actual.unit || actual.unit.is_empty() || target.unit.is_empty() {
        return Some(actual.value);
    }
    match (target.unit.as_str(), actual.unit.as_str()) {
        ("万元", "元") => actual.value.checked_div(YUAN_PER_WAN),
        ("元", "万元") => actual.value.checked_mul(YUAN_PER_WAN),
        _ => None,
    }
}

/// 完成率 as a share: 实际/目标 for 正向, 目标/实际 for 反向.
pub fn completion(leaf: &Indicator) -> Result<Decimal, String> {
    let (target_text, actual_text) = (leaf.scoring.target.trim(), leaf.scoring.actual.trim());
    if target_text.is_empty() {
        return Err("尚未填写年度指标值".to_owned());
    }
    if actual_text.is_empty() {
        return Err("尚未填写实际完成值".to_owned());
    }
    if target_text == actual_text {
        return Ok(Decimal::ONE);
    }
    let target = parse_quantity(target_text)
        .ok_or_else(|| format!("无法从年度指标值“{target_text}”读出数字"))?;
    let actual = parse_quantity(actual_text)
        .ok_or_else(|| format!("无法从实际完成值“{actual_text}”读出数字"))?;
    let actual_value = same_unit(&target, &actual).ok_or_else(|| {
        format!(
            "年度指标值的单位“{}”与实际完成值的单位“{}”不同",
            target.unit, actual.unit
        )
    })?;
    let direction = leaf
        .scoring
        .direction
        .or(target.comparator)
        .unwrap_or(Direction::Higher);
    let ratio = |numerator: Decimal, denominator: Decimal| {
        if denominator.is_zero() {
            if numerator.is_zero() {
                Some(Decimal::ONE)
            } else {
                None
            }
        } else {
            numerator.checked_div(denominator)
        }
    };
    let rate = match direction {
        Direction::Higher => ratio(actual_value, target.value),
        Direction::Lower => {
            if actual_value <= target.value {
                Some(Decimal::ONE)
            } else {
                ratio(target.value, actual_value)
            }
        }
        Direction::Equal => {
            let up = ratio(actual_value, target.value);
            let down = ratio(target.value, actual_value);
            up.zip(down).map(|(a, b)| a.min(b))
        }
        Direction::Qualitative => return Err("定性指标不按完成率计分".to_owned()),
    };
    rate.ok_or_else(|| "年度指标值为 0，无法计算完成率".to_owned())
}

/// The 实际完成值 as a share: "92%" → 0.92; a bare 92 is read as 92%.
fn actual_share(leaf: &Indicator) -> Result<Decimal, String> {
    let text = leaf.scoring.actual.trim();
    if text.is_empty() {
        return Err("尚未填写实际完成值".to_owned());
    }
    let quantity =
        parse_quantity(text).ok_or_else(|| format!("无法从实际完成值“{text}”读出数字"))?;
    Ok(if !quantity.is_percent && quantity.value > Decimal::ONE {
        quantity.value / Decimal::ONE_HUNDRED
    } else {
        quantity.value
    })
}

/// Whether a 是/否 answer says yes.
fn yes_no(text: &str) -> Option<bool> {
    match text.trim() {
        "是" | "已完成" | "完成" | "达到" | "已达到" | "有" | "按时完成" => {
            Some(true)
        }
        "否" | "未完成" | "未达到" | "无" | "没有" => Some(false),
        _ => None,
    }
}

/// What a rule makes of a leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The computed 得分, rounded.
    Score(Decimal),
    /// 定性: the scorer types the score; it is checked against the chosen band.
    ByHand,
    /// The rule needs a number it cannot read; the reason, in Chinese.
    Unreadable(String),
}

/// The share of 分值 that `rate` earns under `kind`.
fn share(kind: &RuleKind, rate: Decimal) -> Decimal {
    let share = match kind {
        RuleKind::Proportional => rate,
        RuleKind::PassThreshold { pass } => {
            if rate < *pass {
                Decimal::ZERO
            } else {
                rate.saturating_sub(*pass)
                    .checked_div(Decimal::ONE.saturating_sub(*pass))
                    .unwrap_or(Decimal::ONE)
            }
        }
        RuleKind::YesNo => {
            if rate >= Decimal::ONE {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }
        }
        RuleKind::Bands { bands } => {
            let mut sorted = bands.clone();
            sorted.sort_by_key(|band| std::cmp::Reverse(band.from));
            sorted
                .iter()
                .find(|band| rate >= band.from)
                .map_or(Decimal::ZERO, |band| band.share)
        }
        RuleKind::LinearDeduction {
            full_at,
            zero_at,
            loss_per_unit,
        } => {
            if rate >= *full_at {
                Decimal::ONE
            } else if rate <= *zero_at {
                Decimal::ZERO
            } else {
                Decimal::ONE
                    .saturating_sub(full_at.saturating_sub(rate).saturating_mul(*loss_per_unit))
            }
        }
        RuleKind::Qualitative => Decimal::ZERO,
    };
    share.clamp(Decimal::ZERO, Decimal::ONE)
}

/// What `rule` gives `leaf` in `doc`.
pub fn evaluate(rule: &ScoreRule, leaf: &Indicator, doc: &Evaluation) -> Outcome {
    if rule.kind == RuleKind::Qualitative {
        return Outcome::ByHand;
    }
    let rate = if rule.kind == RuleKind::YesNo
        && let Some(yes) = yes_no(&leaf.scoring.actual)
    {
        Ok(if yes { Decimal::ONE } else { Decimal::ZERO })
    } else {
        match rule.measure {
            Measure::Completion => completion(leaf),
            Measure::Actual => actual_share(leaf),
            Measure::ExecutionRate => doc.self_assessment.execution_rate(),
        }
    };
    match rate {
        Ok(rate) => Outcome::Score(round2(
            leaf.max_points.saturating_mul(share(&rule.kind, rate)),
        )),
        Err(reason) => Outcome::Unreadable(reason),
    }
}

/// Puts every rule's result into its leaf's 得分, except where the scorer typed the score
/// by hand or the rule cannot read its figures (the typed score then stays). Returns
/// whether any score changed.
pub fn apply_rules(doc: &mut Evaluation) -> bool {
    let mut results = Vec::new();
    doc.visit(&mut |node, _| {
        if let (true, Some(rule), None) = (
            node.is_leaf(),
            &node.scoring.rule,
            &node.scoring.manual_reason,
        ) && let Outcome::Score(score) = evaluate(rule, node, doc)
            && node.scoring.score != Some(score)
        {
            results.push((node.id, score));
        }
    });
    let changed = !results.is_empty();
    for (id, score) in results {
        if let Some(node) = doc.find_mut(id) {
            node.scoring.score = Some(score);
        }
    }
    changed
}

/// Ready-made rules a user picks from; each is only data, so a region's own bands can be
/// written into a document without code.
pub fn presets() -> Vec<(&'static str, ScoreRule)> {
    let d = |n: i64, scale: u32| Decimal::new(n, scale);
    vec![
        (
            "完成率比例",
            ScoreRule {
                kind: RuleKind::Proportional,
                measure: Measure::Completion,
            },
        ),
        (
            "及格门槛60%",
            ScoreRule {
                kind: RuleKind::PassThreshold { pass: d(6, 1) },
                measure: Measure::Completion,
            },
        ),
        (
            "是/否",
            ScoreRule {
                kind: RuleKind::YesNo,
                measure: Measure::Completion,
            },
        ),
        (
            "满意度分档",
            ScoreRule {
                kind: RuleKind::Bands {
                    bands: vec![
                        crate::model::Band {
                            from: d(9, 1),
                            share: d(1, 0),
                        },
                        crate::model::Band {
                            from: d(8, 1),
                            share: d(8, 1),
                        },
                        crate::model::Band {
                            from: d(6, 1),
                            share: d(5, 1),
                        },
                    ],
                },
                measure: Measure::Actual,
            },
        ),
        (
            "执行率×分值",
            ScoreRule {
                kind: RuleKind::Proportional,
                measure: Measure::ExecutionRate,
            },
        ),
        (
            "执行率分档",
            ScoreRule {
                kind: RuleKind::Bands {
                    bands: vec![
                        crate::model::Band {
                            from: d(1, 0),
                            share: d(1, 0),
                        },
                        crate::model::Band {
                            from: d(8, 1),
                            share: d(7, 1),
                        },
                        crate::model::Band {
                            from: d(6, 1),
                            share: d(5, 1),
                        },
                    ],
                },
                measure: Measure::ExecutionRate,
            },
        ),
        (
            "线性扣分",
            ScoreRule {
                kind: RuleKind::LinearDeduction {
                    full_at: d(1, 0),
                    zero_at: d(8, 1),
                    loss_per_unit: d(5, 0),
                },
                measure: Measure::Actual,
            },
        ),
        (
            "定性（三档）",
            ScoreRule {
                kind: RuleKind::Qualitative,
                measure: Measure::Completion,
            },
        ),
    ]
}

/// What a preset does, in the words of the rule it comes from.
pub fn preset_description(name: &str) -> &'static str {
    match name {
        "完成率比例" => {
            "正向指标：完成年度指标值记满分，未完成按 实际完成值/年度指标值×分值；反向指标按 年度指标值/实际完成值×分值，最高为分值（财预〔2020〕10号）"
        }
        "及格门槛60%" => {
            "完成率低于60%不得分，否则按（完成率-60%）/（1-60%）×分值（财预〔2021〕101号）"
        }
        "是/否" => "完成得满分，未完成不得分",
        "满意度分档" => {
            "满意度≥90%得满分，80%（含）-90%得80%，60%（含）-80%得50%，低于60%不得分（财预〔2021〕101号）"
        }
        "执行率×分值" => "执行率×分值，最高为分值（财预〔2020〕10号 附1）",
        "执行率分档" => {
            "执行率100%得满分，80%（含）-100%得70%，60%（含）-80%得50%，低于60%不得分（财预〔2021〕101号）"
        }
        "线性扣分" => "100%得满分，每低于100%一个百分点扣分值的5%，80%及以下不得分",
        "定性（三档）" => {
            "达成年度指标得分值的100%-80%（含），部分达成并具有一定效果80%-60%（含），未达成且效果较差60%-0%（财预〔2020〕10号）"
        }
        _ => "",
    }
}

/// The name a user knows a rule by: its preset's, or a description of its data.
pub fn rule_label(rule: &ScoreRule) -> String {
    presets()
        .into_iter()
        .find(|(_, preset)| preset == rule)
        .map_or_else(|| "自定义规则".to_owned(), |(name, _)| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Band, NodeId, QualitativeBand, RateBase, SelfAssessment};

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn leaf(max: &str, target: &str, actual: &str) -> Indicator {
        let mut leaf = Indicator::leaf(NodeId(1), "指标", d(max));
        leaf.scoring.target = target.into();
        leaf.scoring.actual = actual.into();
        leaf
    }

    fn score(kind: RuleKind, measure: Measure, leaf: &Indicator) -> Outcome {
        evaluate(&ScoreRule { kind, measure }, leaf, &Evaluation::default())
    }

    fn points(text: &str) -> Outcome {
        Outcome::Score(d(text))
    }

    #[test]
    fn typed_values_are_read() {
        let q = parse_quantity("≥50个").unwrap();
        assert_eq!(
            (q.comparator, q.value, q.unit.as_str()),
            (Some(Direction::Higher), d("50"), "个")
        );
        let q = parse_quantity("≤90万元").unwrap();
        assert_eq!(
            (q.comparator, q.value, q.unit.as_str()),
            (Some(Direction::Lower), d("90"), "万元")
        );
        let q = parse_quantity("93.35%").unwrap();
        assert_eq!((q.value, q.is_percent), (d("0.9335"), true));
        assert_eq!(parse_quantity("113,020元").unwrap().value, d("113020"));
        assert_eq!(parse_quantity("活动计划书、活动记录完整"), None);
    }

    #[test]
    fn proportional_is_full_when_met_and_never_above() {
        let rule = |l: &Indicator| score(RuleKind::Proportional, Measure::Completion, l);
        assert_eq!(rule(&leaf("2.5", "8场", "8场")), points("2.5"));
        assert_eq!(rule(&leaf("2.5", "≥50个", "60个")), points("2.5"));
        assert_eq!(rule(&leaf("2.5", "≥50个", "40个")), points("2"));
        assert_eq!(rule(&leaf("10", "277户", "200户")), points("7.22"));
    }

    #[test]
    fn reverse_indicators_divide_target_by_actual_capped() {
        let rule = |l: &Indicator| score(RuleKind::Proportional, Measure::Completion, l);
        assert_eq!(rule(&leaf("2.5", "≤8000元", "7500元")), points("2.5"));
        assert_eq!(rule(&leaf("2.5", "≤8000元", "10000元")), points("2"));
        // 万元 and 元 are the same money.
        assert_eq!(rule(&leaf("5", "≤90万元", "1000000元")), points("4.5"));
        let mut cost = leaf("2.5", "8000元", "10000元");
        cost.scoring.direction = Some(Direction::Lower);
        assert_eq!(rule(&cost), points("2"));
    }

    #[test]
    fn pass_threshold_of_101() {
        let rule = |l: &Indicator| {
            score(
                RuleKind::PassThreshold { pass: d("0.6") },
                Measure::Completion,
                l,
            )
        };
        assert_eq!(rule(&leaf("10", "100", "59")), points("0"));
        assert_eq!(rule(&leaf("10", "100", "60")), points("0"));
        assert_eq!(rule(&leaf("10", "100", "80")), points("5"));
        assert_eq!(rule(&leaf("10", "100", "90")), points("7.5"));
        assert_eq!(rule(&leaf("10", "100", "120")), points("10"));
    }

    #[test]
    fn yes_no() {
        let rule = |l: &Indicator| score(RuleKind::YesNo, Measure::Completion, l);
        assert_eq!(rule(&leaf("5", "是", "是")), points("5"));
        assert_eq!(rule(&leaf("5", "是", "否")), points("0"));
        assert_eq!(rule(&leaf("5", "100%", "99%")), points("0"));
    }

    #[test]
    fn satisfaction_bands_of_101() {
        let ScoreRule { kind, .. } = presets()[3].1.clone();
        let rule = |actual: &str| score(kind.clone(), Measure::Actual, &leaf("10", "≥90%", actual));
        assert_eq!(rule("95%"), points("10"));
        assert_eq!(rule("90%"), points("10"));
        assert_eq!(rule("89.9%"), points("8"));
        assert_eq!(rule("80%"), points("8"));
        assert_eq!(rule("79%"), points("5"));
        assert_eq!(rule("60%"), points("5"));
        assert_eq!(rule("59%"), points("0"));
    }

    fn with_budget(budget: &str, executed: &str) -> Evaluation {
        let mut doc = Evaluation::default();
        doc.self_assessment.current_year.full_year_budget = Some(d(budget));
        doc.self_assessment.current_year.executed = Some(d(executed));
        doc
    }

    #[test]
    fn execution_rate_bands_of_101() {
        let rule = presets()[5].1.clone();
        let budget_leaf = leaf("10", "", "");
        let at = |executed: &str| evaluate(&rule, &budget_leaf, &with_budget("100", executed));
        assert_eq!(at("100"), points("10"));
        assert_eq!(at("99.99"), points("7"));
        assert_eq!(at("80"), points("7"));
        assert_eq!(at("79.9"), points("5"));
        assert_eq!(at("60"), points("5"));
        assert_eq!(at("59"), points("0"));
    }

    #[test]
    fn execution_rate_times_ten_capped_and_its_base_is_a_choice() {
        let rule = presets()[4].1.clone();
        let budget_leaf = leaf("10", "", "");
        assert_eq!(
            evaluate(&rule, &budget_leaf, &with_budget("25.6543", "25.6543")),
            points("10")
        );
        assert_eq!(
            evaluate(&rule, &budget_leaf, &with_budget("90", "89.974")),
            points("10")
        );
        assert_eq!(
            evaluate(&rule, &budget_leaf, &with_budget("100", "93.35")),
            points("9.34")
        );
        let mut doc = with_budget("100", "93.35");
        doc.self_assessment.rate_base = RateBase::FundsReceived;
        assert_eq!(
            evaluate(&rule, &budget_leaf, &doc),
            Outcome::Unreadable("尚未填写实际到位资金".into())
        );
        doc.self_assessment.funds_received = Some(d("93.35"));
        assert_eq!(evaluate(&rule, &budget_leaf, &doc), points("10"));
    }

    #[test]
    fn linear_deduction_of_a_published_report() {
        // 93.35% on 5 points → 3.34.
        let ScoreRule { kind, .. } = presets()[6].1.clone();
        let rule = |actual: &str| score(kind.clone(), Measure::Actual, &leaf("5", "100%", actual));
        assert_eq!(rule("93.35%"), points("3.34"));
        assert_eq!(rule("100%"), points("5"));
        assert_eq!(rule("80%"), points("0"));
    }

    #[test]
    fn qualitative_bands_at_their_edges() {
        let max = d("10");
        assert!(QualitativeBand::Achieved.contains(d("8"), max));
        assert!(QualitativeBand::Achieved.contains(d("10"), max));
        assert!(!QualitativeBand::Partial.contains(d("8"), max));
        assert!(QualitativeBand::Partial.contains(d("6"), max));
        assert!(QualitativeBand::Partial.contains(d("7.99"), max));
        assert!(!QualitativeBand::NotAchieved.contains(d("6"), max));
        assert!(QualitativeBand::NotAchieved.contains(d("5.99"), max));
        assert!(QualitativeBand::NotAchieved.contains(d("0"), max));
        assert_eq!(
            score(
                RuleKind::Qualitative,
                Measure::Completion,
                &leaf("10", "好", "较好")
            ),
            Outcome::ByHand
        );
    }

    #[test]
    fn an_unreadable_value_says_which() {
        assert_eq!(
            score(
                RuleKind::Proportional,
                Measure::Completion,
                &leaf("2.5", "8", "活动记录完整")
            ),
            Outcome::Unreadable("无法从实际完成值“活动记录完整”读出数字".into())
        );
        assert_eq!(
            score(
                RuleKind::Proportional,
                Measure::Completion,
                &leaf("2.5", "8场", "8户")
            ),
            Outcome::Unreadable("年度指标值的单位“场”与实际完成值的单位“户”不同".into())
        );
    }

    #[test]
    fn custom_bands_need_no_code() {
        let kind = RuleKind::Bands {
            bands: vec![
                Band {
                    from: d("0.95"),
                    share: d("1"),
                },
                Band {
                    from: d("0.5"),
                    share: d("0.3"),
                },
            ],
        };
        assert_eq!(
            score(kind.clone(), Measure::Actual, &leaf("10", "", "96%")),
            points("10")
        );
        assert_eq!(
            score(kind, Measure::Actual, &leaf("10", "", "70%")),
            points("3")
        );
    }

    #[test]
    fn manual_scores_and_unreadable_rules_keep_the_typed_score() {
        let mut doc = Evaluation::default();
        let mut computed = leaf("2.5", "8场", "6场");
        computed.scoring.rule = Some(presets()[0].1.clone());
        let mut manual = computed.clone();
        manual.id = NodeId(2);
        manual.scoring.score = Some(d("2.5"));
        manual.scoring.manual_reason = Some("活动质量高".into());
        let mut unreadable = leaf("2.5", "8场", "活动记录完整");
        unreadable.id = NodeId(3);
        unreadable.scoring.rule = Some(presets()[0].1.clone());
        unreadable.scoring.score = Some(d("2"));
        doc.indicators = vec![computed, manual, unreadable];
        doc.self_assessment = SelfAssessment::default();
        assert!(apply_rules(&mut doc));
        let scores: Vec<_> = doc.leaves().iter().map(|l| l.scoring.score).collect();
        assert_eq!(scores, [Some(d("1.88")), Some(d("2.5")), Some(d("2"))]);
        assert!(!apply_rules(&mut doc));
    }
}
