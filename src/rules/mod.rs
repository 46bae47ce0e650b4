//! Scores computed from what was entered: targets and actuals as people type them
//! ("≥50个", "100%", "≤90万元"), the 预算执行率 of the budget block, and the rules of
//! 财预〔2020〕10号 and 财预〔2021〕101号 described as data ([`RuleKind`]).
//!
//! A computed score is rounded once, 四舍五入 to two decimals, as published reports do.

use rust_decimal::Decimal;

use crate::model::{Evaluation, Indicator, Measure, RuleKind, ScoreRule};
use crate::number::{Value, read_value, round2};

mod completion;
mod deduction;

use crate::ruleset::RuleSet;
use completion::actual_share;
pub use completion::{completion, deviation};

/// Whether a 是/否 answer says yes, in the words of `set`.
pub fn yes_no(text: &str, set: &RuleSet) -> Option<bool> {
    let text = text.trim();
    if set.yes_words.iter().any(|w| w == text) {
        Some(true)
    } else if set.no_words.iter().any(|w| w == text) {
        Some(false)
    } else {
        None
    }
}

/// The 完成率 of a 是/否 leaf: 1 when the actual answer is the target's (a target of
/// 无 or 否, e.g. 安全事故, is met by 无 or 否), 0 otherwise. A numeric pair is left to
/// the 完成率 (`None`).
fn yes_no_rate(leaf: &Indicator, set: &RuleSet) -> Option<Result<Decimal, String>> {
    let (target_text, actual_text) = (leaf.scoring.target.trim(), leaf.scoring.actual.trim());
    let target = yes_no(target_text, set);
    let actual = yes_no(actual_text, set);
    if actual_text.is_empty() {
        return Some(Err("尚未填写实际完成值".to_owned()));
    }
    // `达标` vs `达标`: the answer the target asks for, in its own words.
    if target_text == actual_text {
        return Some(Ok(Decimal::ONE));
    }
    match (target, actual) {
        (_, Some(actual)) => {
            let wanted = target.unwrap_or(true);
            Some(Ok(if actual == wanted {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }))
        }
        (Some(_), None) => Some(Err(format!(
            "无法把实际完成值“{actual_text}”读作是或否（可填：{}）",
            set.yes_words
                .iter()
                .chain(&set.no_words)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("、")
        ))),
        (None, None) if read_value(actual_text).is_none() => {
            Some(Err(format!("无法把实际完成值“{actual_text}”读作是或否")))
        }
        (None, None) => None,
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
            step,
        } => {
            if rate >= *full_at {
                Decimal::ONE
            } else if rate <= *zero_at {
                Decimal::ZERO
            } else {
                let shortfall = full_at.saturating_sub(rate);
                let counted = match step.filter(|s| s.is_sign_positive() && !s.is_zero()) {
                    Some(step) => shortfall
                        .checked_div(step)
                        .map_or(shortfall, |steps| steps.floor().saturating_mul(step)),
                    None => shortfall,
                };
                Decimal::ONE.saturating_sub(counted.saturating_mul(*loss_per_unit))
            }
        }
        RuleKind::Qualitative => Decimal::ZERO,
    };
    share.clamp(Decimal::ZERO, Decimal::ONE)
}

/// What `rule` gives `leaf` in `doc`, under the document's rule set (its 是/否 words and
/// its deviation deduction).
pub fn evaluate(rule: &ScoreRule, leaf: &Indicator, doc: &Evaluation) -> Outcome {
    match scored(rule, leaf, doc) {
        Ok(Some((score, _))) => Outcome::Score(score),
        Ok(None) => Outcome::ByHand,
        Err(reason) => Outcome::Unreadable(reason),
    }
}

/// A deduction the rule set made from a leaf's computed score, said as the user reads it
/// beside the score: "偏差 40%（≥30%），扣 2 分".
pub fn deduction_note(rule: &ScoreRule, leaf: &Indicator, doc: &Evaluation) -> Option<String> {
    scored(rule, leaf, doc)
        .ok()
        .flatten()
        .and_then(|(_, note)| note)
}

/// The rounded score with the note of any deduction; `None` for a score typed by hand.
fn scored(
    rule: &ScoreRule,
    leaf: &Indicator,
    doc: &Evaluation,
) -> Result<Option<(Decimal, Option<String>)>, String> {
    if rule.kind == RuleKind::Qualitative {
        return Ok(None);
    }
    let set = crate::ruleset::of(doc);
    // A deadline answered 按期完成 is a 是/否 answer, whatever the rule.
    let answered_deadline = rule.measure == Measure::Completion
        && matches!(read_value(&leaf.scoring.target), Some(Value::Date(_)))
        && yes_no(&leaf.scoring.actual, set).is_some();
    let yes_no_rate = if rule.kind == RuleKind::YesNo || answered_deadline {
        yes_no_rate(leaf, set)
    } else {
        None
    };
    let rate = match yes_no_rate {
        Some(rate) => rate,
        None => match rule.measure {
            Measure::Completion => completion(leaf),
            Measure::Actual => actual_share(leaf),
            Measure::ExecutionRate => doc.self_assessment.execution_rate(),
        },
    }?;
    let score = round2(leaf.max_points.saturating_mul(share(&rule.kind, rate)));
    if score.is_zero() {
        return Ok(Some((score, None)));
    }
    Ok(Some(
        match (&set.deviation, &set.over_execution, rule.measure) {
            (_, Some(over), Measure::ExecutionRate) => deduction::over_execution(over, rate, score),
            (Some(deviation), _, Measure::Completion | Measure::Actual)
                if rule.kind != RuleKind::YesNo =>
            {
                deduction::deduct(deviation, doc, leaf, score)
            }
            _ => (score, None),
        },
    ))
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

/// Makes `set`, loaded from the file `file_stem`, the set `doc` is scored by, kept inside
/// the document, and scores every row again by it (see [`rederive`]).
pub fn adopt(doc: &mut Evaluation, set: RuleSet, file_stem: &str) {
    let old = crate::ruleset::of(doc).clone();
    doc.self_assessment.rule_set = file_stem.to_owned();
    doc.self_assessment.custom_rules = Some(set);
    rederive(doc, &old);
    apply_rules(doc);
}

/// The `manual_reason` the import gives a row whose table printed its own 得分 where a
/// rule of the set could compute one: the printed figure stands (it is what the unit
/// submitted), and the rule's is compared with it (`printed_score_differs`).
pub const PRINTED_SCORE: &str = "导入表格所填得分";

/// After the set changed from `old`: every row whose rule was `old`'s default for its
/// 年度指标值 (or that has a target, no rule and no score yet) takes the new set's
/// default, so the set reaches rows filled, imported and typed before it was chosen.
/// A rule the user chose for a row is kept. The caller brings the scores up to date.
pub fn rederive(doc: &mut Evaluation, old: &RuleSet) {
    let new = crate::ruleset::of(doc).clone();
    if new == *old {
        return;
    }
    for leaf in doc.leaves_mut() {
        let target = leaf.scoring.target.trim();
        if target.is_empty() {
            continue;
        }
        let was_default = match (
            &leaf.scoring.rule,
            crate::ruleset::implied_rule(old, &leaf.name, target),
        ) {
            (None, _) => leaf.scoring.score.is_none(),
            (Some(rule), Some((default, _))) => *rule == default,
            (Some(_), None) => false,
        };
        if was_default
            && let Some((rule, _)) = crate::ruleset::implied_rule(&new, &leaf.name, target)
        {
            leaf.scoring.rule = Some(rule);
        }
    }
}

/// For an imported 自评表: each row with a 年度指标值 and no rule takes the rule its set
/// implies, where that rule can compute a score from the row's figures. A row whose table
/// printed a 得分 keeps it, marked [`PRINTED_SCORE`], so validation can say where the
/// unit's figure differs from the rule's; a row without one is scored by the rule.
pub fn attach_implied_rules(doc: &mut Evaluation) {
    if doc.info.kind != crate::model::EvaluationKind::SelfAssessment {
        return;
    }
    let set = crate::ruleset::of(doc).clone();
    let mut found = Vec::new();
    doc.visit(&mut |node, _| {
        // A row without 分值 (a table that printed none) gives a rule nothing to scale.
        if !node.is_leaf()
            || node.scoring.rule.is_some()
            || !node.is_applicable()
            || node.max_points <= Decimal::ZERO
        {
            return;
        }
        let Some((rule, _)) = crate::ruleset::implied_rule(&set, &node.name, &node.scoring.target)
        else {
            return;
        };
        if let Outcome::Score(_) = evaluate(&rule, node, doc) {
            found.push((node.id, rule));
        }
    });
    for (id, rule) in found {
        if let Some(leaf) = doc.find_mut(id) {
            if leaf.scoring.score.is_some() {
                leaf.scoring.manual_reason = Some(PRINTED_SCORE.to_owned());
            }
            leaf.scoring.rule = Some(rule);
        }
    }
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
                    step: None,
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
    use crate::model::{DeviationDeduction, Direction, OverExecution};
    use crate::number::parse_quantity;
    use std::str::FromStr;

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

    /// "100% full, 80% or less none, each whole 1% below 100% loses 5% of 分值".
    fn per_whole_point(step: Option<&str>) -> RuleKind {
        RuleKind::LinearDeduction {
            full_at: d("1"),
            zero_at: d("0.8"),
            loss_per_unit: d("5"),
            step: step.map(d),
        }
    }

    #[test]
    fn only_whole_steps_of_the_shortfall_count() {
        let at = |actual: &str, step: Option<&str>| {
            score(
                per_whole_point(step),
                Measure::Actual,
                &leaf("10", "100%", actual),
            )
        };
        let whole = Some("0.01");
        // A shortfall of 2.6 points counts as 2 whole steps: 10 × (1 − 2 × 5%).
        assert_eq!(at("97.4%", whole), points("9.00"));
        assert_eq!(at("97.4%", None), points("8.70"));
        // Exactly 2 points short is 2 steps; just short of 1 point is none.
        assert_eq!(at("98%", whole), points("9.00"));
        assert_eq!(at("99.99%", whole), points("10.00"));
        assert_eq!(at("100%", whole), points("10.00"));
        // The edges of the range: 80.5% counts 19 steps; 80% itself scores nothing.
        assert_eq!(at("80.5%", whole), points("0.50"));
        assert_eq!(at("80%", whole), points("0.00"));
        assert_eq!(at("79.9%", whole), points("0.00"));
        // Steps of 2 points: 97.4% is 1 whole step of 2% short.
        assert_eq!(at("97.4%", Some("0.02")), points("9.00"));
    }

    #[test]
    fn a_step_written_in_percent_or_zero_is_refused() {
        let rule = |step| ScoreRule {
            kind: per_whole_point(Some(step)),
            measure: Measure::Actual,
        };
        assert_eq!(
            crate::ruleset::check_rule(&rule("5")),
            ["扣分步长 5 应是 0 到 1 之间的比例（5% 应写作 0.05）"]
        );
        assert_eq!(
            crate::ruleset::check_rule(&rule("0")),
            ["扣分步长不能为 0（每 1% 写作 0.01）"]
        );
        assert!(crate::ruleset::check_rule(&rule("0.01")).is_empty());
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

    /// The score a rule gives at `actual` (tenths of a unit) in `direction`, or `None`
    /// where the rule refuses the figures.
    fn score_at(
        rule: &ScoreRule,
        set: &str,
        max: i64,
        target: i64,
        direction: Direction,
        actual: i64,
    ) -> Option<Decimal> {
        let mut doc = with_budget("1000", &Decimal::new(actual, 1).to_string());
        doc.self_assessment.rule_set = set.into();
        let comparator = if direction == Direction::Lower {
            "≤"
        } else {
            "≥"
        };
        let (target, actual) = match rule.measure {
            Measure::Actual => ("≥90%".to_owned(), format!("{}%", Decimal::new(actual, 2))),
            _ => (
                format!("{comparator}{target}个"),
                format!("{}个", Decimal::new(actual, 1)),
            ),
        };
        match evaluate(rule, &leaf(&max.to_string(), &target, &actual), &doc) {
            Outcome::Score(score) => Some(score),
            _ => None,
        }
    }

    proptest::proptest! {
        /// For every rule kind and measure of the national sets: never above 分值 nor
        /// below 0, and monotone in the actual in the rule's direction (the 执行率 and a
        /// share read as more is better).
        #[test]
        fn every_rule_is_monotone_in_the_actual_and_within_its_points(
            preset in 0usize..7,
            measure in 0usize..3,
            set in 0usize..3,
            max in 1i64..=100,
            target in -50i64..=1000,
            lower in proptest::bool::ANY,
            first in -200i64..=20_000,
            second in -200i64..=20_000,
        ) {
            let mut rule = presets()[preset].1.clone();
            rule.measure = [Measure::Completion, Measure::Actual, Measure::ExecutionRate][measure];
            let set = ["national-2020", "national-2021", "regional-example"][set];
            let direction = if lower && rule.measure == Measure::Completion {
                Direction::Lower
            } else {
                Direction::Higher
            };
            let (low, high) = (first.min(second), first.max(second));
            let at = |actual| score_at(&rule, set, max, target, direction, actual);
            for score in [at(low), at(high)].into_iter().flatten() {
                proptest::prop_assert!(score >= Decimal::ZERO && score <= Decimal::from(max));
            }
            // The regional example deducts for a deviation either way, by design, so more
            // is not always better under it.
            if let (Some(a), Some(b), false) = (at(low), at(high), set == "regional-example") {
                match direction {
                    Direction::Lower => proptest::prop_assert!(a >= b, "{a} then {b}"),
                    _ => proptest::prop_assert!(a <= b, "{a} then {b}"),
                }
            }
        }
    }

    /// A document under the national set with `deviation` as its deduction.
    fn with_deviation(deviation: DeviationDeduction) -> Evaluation {
        let mut set = crate::ruleset::find("national-2020").unwrap().clone();
        set.deviation = Some(deviation);
        let mut doc = Evaluation::default();
        doc.self_assessment.custom_rules = Some(set);
        doc
    }

    fn graded() -> DeviationDeduction {
        DeviationDeduction {
            at_least: d("0.1"),
            points: d("1"),
            every: Some(d("0.1")),
            of_max_points: false,
            shortfall_only: false,
            unless_explained: false,
            groups: Vec::new(),
        }
    }

    #[test]
    fn a_graded_deviation_takes_a_point_for_each_whole_ten_percent() {
        let rule = presets()[0].1.clone();
        let doc = with_deviation(graded());
        let at = |actual: &str| evaluate(&rule, &leaf("10", "≥100个", actual), &doc);
        assert_eq!(at("95个"), points("9.5"));
        // 75 of 100: 7.5 less 2 points for 25%.
        assert_eq!(at("75个"), points("5.5"));
        assert_eq!(at("90个"), points("8"));
        assert_eq!(at("10个"), points("0"));
        assert_eq!(
            deduction_note(&rule, &leaf("10", "≥100个", "75个"), &doc).as_deref(),
            Some("偏差 25.00%（每 10% 扣 1 分），扣 2 分")
        );
        // Both ways unless one-sided: 130 of ≥100 is full, less 3.
        assert_eq!(at("130个"), points("7"));
        let doc = with_deviation(DeviationDeduction {
            shortfall_only: true,
            ..graded()
        });
        assert_eq!(
            evaluate(&rule, &leaf("10", "≥100个", "130个"), &doc),
            points("10")
        );
        assert_eq!(
            evaluate(&rule, &leaf("10", "≥100个", "75个"), &doc),
            points("5.5")
        );
    }

    #[test]
    fn a_deduction_in_a_share_of_points_and_one_waived_by_a_written_reason() {
        let rule = presets()[0].1.clone();
        let doc = with_deviation(DeviationDeduction {
            at_least: d("0.3"),
            points: d("0.2"),
            every: None,
            of_max_points: true,
            shortfall_only: true,
            unless_explained: true,
            groups: Vec::new(),
        });
        let mut short = leaf("5", "≥100个", "60个");
        // 3 less 20% of 5.
        assert_eq!(evaluate(&rule, &short, &doc), points("2"));
        assert_eq!(
            deduction_note(&rule, &short, &doc).as_deref(),
            Some("偏差 40.00%（≥30%，扣分值的 20%），扣 1 分")
        );
        short.scoring.deviation = "受疫情影响延期".into();
        assert_eq!(evaluate(&rule, &short, &doc), points("3"));
        assert_eq!(
            deduction_note(&rule, &short, &doc).as_deref(),
            Some("偏差 40.00%（≥30%，扣分值的 20%），已写明偏差原因，不扣分")
        );
    }

    #[test]
    fn output_indicators_not_met_lose_a_share_of_their_points_and_others_do_not() {
        // "产出指标未完成的，扣该项分值的 20%".
        let mut doc = with_deviation(DeviationDeduction {
            at_least: d("0"),
            points: d("0.2"),
            every: None,
            of_max_points: true,
            shortfall_only: true,
            unless_explained: false,
            groups: vec!["产出".into()],
        });
        let mut output = leaf("10", "≥100个", "90个");
        output.id = NodeId(2);
        let mut met = leaf("10", "≥100个", "100个");
        met.id = NodeId(3);
        let mut effect = leaf("10", "≥100个", "90个");
        effect.id = NodeId(5);
        doc.indicators = vec![
            Indicator::group(NodeId(1), "产出指标", vec![output.clone(), met.clone()]),
            Indicator::group(NodeId(4), "效益指标", vec![effect.clone()]),
        ];
        let rule = presets()[0].1.clone();
        // 9 less 20% of 10.
        assert_eq!(evaluate(&rule, &output, &doc), points("7"));
        assert_eq!(
            deduction_note(&rule, &output, &doc).as_deref(),
            Some("偏差 10.00%（未完成，扣分值的 20%），扣 2 分")
        );
        assert_eq!(evaluate(&rule, &met, &doc), points("10"));
        assert_eq!(deduction_note(&rule, &met, &doc), None);
        assert_eq!(evaluate(&rule, &effect, &doc), points("9"));
    }

    #[test]
    fn an_execution_rate_above_100_percent_is_penalised_when_the_set_says_so() {
        let mut set = crate::ruleset::find("national-2020").unwrap().clone();
        set.over_execution = Some(OverExecution {
            points: d("0.5"),
            every: Some(d("0.01")),
        });
        let rule = presets()[4].1.clone();
        let budget = leaf("10", "", "");
        let at = |executed: &str| {
            let mut doc = with_budget("100", executed);
            doc.self_assessment.custom_rules = Some(set.clone());
            (
                evaluate(&rule, &budget, &doc),
                deduction_note(&rule, &budget, &doc),
            )
        };
        assert_eq!(at("100"), (points("10"), None));
        assert_eq!(at("100.5"), (points("10"), None));
        assert_eq!(
            at("105"),
            (
                points("7.5"),
                Some("执行率 105.00% 超过 100%（每超 1% 扣 0.5 分），扣 2.5 分".into())
            )
        );
        assert_eq!(at("150").0, points("0"));
        // The national set has no such penalty.
        assert_eq!(
            evaluate(&rule, &budget, &with_budget("100", "105")),
            points("10")
        );
    }

    #[test]
    fn w6_a_negative_amount_spent_is_said_not_scored_zero() {
        let rule = presets()[4].1.clone();
        assert_eq!(
            evaluate(&rule, &leaf("10", "", ""), &with_budget("100", "-5")),
            Outcome::Unreadable("全年执行数 -5 为负数，无法计算执行率，请核对预算执行情况".into())
        );
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

    // Issue 15: every value people type that used to give a wrong score without a word.

    fn proportional(target: &str, actual: &str) -> Outcome {
        score(
            RuleKind::Proportional,
            Measure::Completion,
            &leaf("10", target, actual),
        )
    }

    #[test]
    fn a_bare_number_against_a_percentage_target_is_read_as_percent() {
        assert_eq!(proportional("≥95%", "93.35"), points("9.83"));
        assert_eq!(proportional("100%", "95"), points("9.5"));
        assert_eq!(proportional("≥95%", "50"), points("5.26"));
        // A share as a spreadsheet's percent cell holds it reads the same way.
        assert_eq!(proportional("≥95%", "0.9335"), points("9.83"));
        // The 满意度 rule reads a bare number by the same rule.
        let ScoreRule { kind, .. } = presets()[3].1.clone();
        let satisfaction =
            |actual: &str| score(kind.clone(), Measure::Actual, &leaf("10", "≥90%", actual));
        assert_eq!(satisfaction("95"), points("10"));
        assert_eq!(satisfaction("0.85"), points("8"));
    }

    #[test]
    fn units_that_differ_are_refused_naming_both() {
        assert_eq!(
            proportional("≥50个", "48%"),
            Outcome::Unreadable("年度指标值的单位“个”与实际完成值的单位“%”不同".into())
        );
        assert_eq!(
            proportional("95%", "95个"),
            Outcome::Unreadable("年度指标值的单位“%”与实际完成值的单位“个”不同".into())
        );
        // A bare actual takes the target's unit.
        assert_eq!(proportional("≥50个", "40"), points("8"));
    }

    #[test]
    fn direction_words_after_the_number_and_other_comparators_are_read() {
        assert_eq!(proportional("90万元以内", "100万元"), points("9"));
        assert_eq!(proportional("5%以下", "8%"), points("6.25"));
        assert_eq!(proportional("不高于5%", "8%"), points("6.25"));
        assert_eq!(proportional("不超过90万元", "100万元"), points("9"));
        assert_eq!(proportional("≦90万元", "100万元"), points("9"));
        assert_eq!(proportional("≧50个", "40个"), points("8"));
        assert_eq!(proportional("50个以上", "40个"), points("8"));
        assert_eq!(proportional("不低于50个", "40个"), points("8"));
        let q = parse_quantity("90万元以内").unwrap();
        assert_eq!(
            (q.comparator, q.unit.as_str()),
            (Some(Direction::Lower), "万元")
        );
    }

    fn yes_no_leaf(target: &str, actual: &str) -> Outcome {
        score(
            RuleKind::YesNo,
            Measure::Completion,
            &leaf("5", target, actual),
        )
    }

    #[test]
    fn yes_no_answers_are_compared_with_the_target() {
        assert_eq!(yes_no_leaf("无", "无"), points("5"));
        assert_eq!(yes_no_leaf("否", "否"), points("5"));
        assert_eq!(yes_no_leaf("无", "有"), points("0"));
        assert_eq!(yes_no_leaf("是", "按期完成"), points("5"));
        assert_eq!(yes_no_leaf("是", "已完成"), points("5"));
        assert_eq!(yes_no_leaf("是", "达到"), points("5"));
        assert_eq!(yes_no_leaf("是", "未达到"), points("0"));
        assert_eq!(yes_no_leaf("是", "未完成"), points("0"));
        assert_eq!(yes_no_leaf("按期完成", "完成"), points("5"));
    }

    #[test]
    fn an_unknown_yes_no_answer_blames_the_actual() {
        for answer in ["部分完成", "√"] {
            let Outcome::Unreadable(message) = yes_no_leaf("是", answer) else {
                panic!("{answer} was scored");
            };
            assert!(
                message.starts_with(&format!("无法把实际完成值“{answer}”读作是或否")),
                "{message}"
            );
        }
        assert_eq!(yes_no_leaf("是", "不是"), points("0"));
        assert_eq!(yes_no_leaf("是", "未按时完成"), points("0"));
    }

    #[test]
    fn a_range_target_is_full_within_and_a_ratio_to_its_lower_bound_below() {
        assert_eq!(proportional("50-60个", "55个"), points("10"));
        assert_eq!(proportional("50-60个", "60个"), points("10"));
        assert_eq!(proportional("50-60个", "40个"), points("8"));
        assert_eq!(proportional("50~60个", "45"), points("9"));
        let q = parse_quantity("50-60个").unwrap();
        assert_eq!(
            (q.value, q.upper, q.unit.as_str()),
            (d("50"), Some(d("60")), "个")
        );
    }

    #[test]
    fn a_target_of_zero_written_with_at_least_is_met_by_any_actual() {
        assert_eq!(proportional("≥0个", "5个"), points("10"));
        assert_eq!(proportional("≥0", "0"), points("10"));
    }

    // Issue 26: values that gave a wrong score without a word.

    #[test]
    fn w1_a_target_of_zero_without_a_comparator_is_at_most_zero() {
        // 安全事故 0起: two accidents are a miss, not full marks.
        assert_eq!(proportional("0起", "2起"), points("0"));
        assert_eq!(proportional("0起", "0起"), points("10"));
        assert_eq!(proportional("0", "1"), points("0"));
        assert_eq!(proportional("0", "0"), points("10"));
        assert_eq!(yes_no_leaf("0", "1"), points("0"));
        assert_eq!(yes_no_leaf("0起", "0"), points("5"));
        let doc = Evaluation::default();
        assert_eq!(
            crate::ruleset::implied_rule(crate::ruleset::of(&doc), "安全事故", "0起")
                .map(|(_, d)| d),
            Some(Some(Direction::Lower))
        );
    }

    #[test]
    fn w2_a_negative_target_is_met_by_comparison_and_a_miss_is_not_a_ratio() {
        assert_eq!(proportional("≥-5%", "-3%"), points("10"));
        assert_eq!(proportional("≤-10%", "-12%"), points("10"));
        for (target, actual) in [("≥-5%", "-8%"), ("≤-10%", "-5%")] {
            let Outcome::Unreadable(why) = proportional(target, actual) else {
                panic!("{target} vs {actual} was scored");
            };
            assert_eq!(
                why,
                format!(
                    "年度指标值“{target}”为负数或 0，实际完成值“{actual}”未达到时不能按比例折算：请手工填写得分并写明理由"
                )
            );
        }
        // Below a positive target, a fall achieved nothing.
        assert_eq!(proportional("≥5%", "-3%"), points("0"));
        assert_eq!(proportional("≥0", "-3"), Outcome::Unreadable(
            "年度指标值“≥0”为负数或 0，实际完成值“-3”未达到时不能按比例折算：请手工填写得分并写明理由".into()
        ));
    }

    #[test]
    fn w3_a_deadline_is_met_or_not_by_date() {
        assert_eq!(proportional("2023年", "2024年"), points("0"));
        assert_eq!(proportional("2023年", "2023年"), points("10"));
        assert_eq!(proportional("2023.12", "2024.01"), points("0"));
        assert_eq!(proportional("2023.12", "2023.11"), points("10"));
        assert_eq!(proportional("2023年12月底前", "2024年1月完成"), points("0"));
        assert_eq!(
            proportional("2023年12月底前", "2023年12月20日"),
            points("10")
        );
        assert_eq!(proportional("2023年底前", "2023年11月"), points("10"));
        assert_eq!(proportional("12月底前", "11月"), points("10"));
        assert_eq!(yes_no_leaf("2023年6月30日前", "2023年7月1日"), points("0"));
        // 按期完成 answers a deadline.
        assert_eq!(proportional("2023年12月底前", "按期完成"), points("10"));
        assert_eq!(
            proportional("2023年12月15日前", "2023年12月"),
            Outcome::Unreadable(
                "实际完成值“2023年12月”不能确定是否在期限2023年12月15日之前：请写明完成的日期"
                    .into()
            )
        );
        assert_eq!(
            proportional("2023年12月底前", "100%"),
            Outcome::Unreadable(
                "年度指标值“2023年12月底前”是日期，实际完成值“100%”不是：请填写完成的日期（如 2023年12月20日）".into()
            )
        );
        assert_eq!(
            proportional("12月底前", "2024年1月"),
            Outcome::Unreadable(
                "年度指标值“12月底前”与实际完成值“2024年1月”一个写了年份、一个没写：请都写明年份"
                    .into()
            )
        );
        // A figure that looks like a month is a figure beside a figure.
        assert_eq!(proportional("≥2000元", "2000.12"), points("10"));
        assert_eq!(proportional("3年", "2年"), points("6.67"));
    }

    #[test]
    fn w4_a_bare_number_against_a_scaled_unit_is_asked_about() {
        assert_eq!(
            proportional("≥1.2万人次", "10500"),
            Outcome::Unreadable(
                "实际完成值“10500”没有写单位，而年度指标值以“万人次”计：请写明是“10500人次”还是“10500万人次”".into()
            )
        );
        assert_eq!(
            proportional("≤90万元", "950000"),
            Outcome::Unreadable(
                "实际完成值“950000”没有写单位，而年度指标值以“万元”计：请写明是“950000元”还是“950000万元”".into()
            )
        );
        // Written with its unit, the figure converts exactly.
        assert_eq!(proportional("≥1.2万人次", "10500人次"), points("8.75"));
        assert_eq!(proportional("≤90万元", "950000元"), points("9.47"));
        assert_eq!(proportional("≥12000人次", "1.05万人次"), points("8.75"));
        assert_eq!(proportional("≥50个", "40"), points("8"));
    }

    #[test]
    fn w8_a_deviation_from_a_range_is_measured_from_its_nearest_bound() {
        let mut doc = Evaluation::default();
        doc.self_assessment.rule_set = "regional-example".into();
        let rule = presets()[0].1.clone();
        let at = |actual: &str| evaluate(&rule, &leaf("10", "50-100个", actual), &doc);
        assert_eq!(at("90个"), points("10"));
        assert_eq!(
            deviation(&leaf("10", "50-100个", "90个")),
            Some(Decimal::ZERO)
        );
        assert_eq!(deviation(&leaf("10", "50-100个", "40个")), Some(d("0.2")));
        assert_eq!(deviation(&leaf("10", "50-100个", "130个")), Some(d("0.3")));
        assert_eq!(at("30个"), points("4"));
    }

    #[test]
    fn what_units_type_is_read_where_a_figure_is_computable() {
        for (target, actual, expected) in [
            ("约50个", "40个", "8"),
            ("50个左右", "40个", "8"),
            ("50余个", "40个", "8"),
            ("≥=95%", "90%", "9.47"),
            ("＞＝95%", "90%", "9.47"),
            ("超过50个", "40个", "8"),
            ("≥50（个）", "40个", "8"),
            ("≥95%", "九十五%", "10"),
            ("五十个", "40个", "8"),
            ("≥50个", "四十个", "8"),
            ("两场", "1场", "5"),
            ("≥95%", "百分之九十三点三五", "9.83"),
            ("≥100个", "50多个", "5"),
        ] {
            assert_eq!(
                proportional(target, actual),
                points(expected),
                "{target} vs {actual}"
            );
        }
        assert_eq!(yes_no_leaf("达标", "达标"), points("5"));
        // A numeral that begins a word is a word.
        assert_eq!(parse_quantity("一般"), None);
        assert_eq!(parse_quantity("十分满意"), None);
    }

    #[test]
    fn a_slash_actual_is_not_applicable() {
        let mut na = leaf("10", "≥50个", "/");
        assert!(!na.is_applicable());
        na.scoring.actual = "40个".into();
        assert!(na.is_applicable());
    }

    #[test]
    fn the_regional_set_deducts_two_points_for_a_deviation_of_30_percent() {
        let mut doc = Evaluation::default();
        doc.self_assessment.rule_set = "regional-example".into();
        let rule = presets()[0].1.clone();
        let at = |actual: &str| evaluate(&rule, &leaf("10", "≥100个", actual), &doc);
        assert_eq!(at("80个"), points("8"));
        // 70 of 100: a 30% deviation costs 2 points: 7 − 2.
        assert_eq!(at("70个"), points("5"));
        assert_eq!(at("10个"), points("0"));
        assert_eq!(
            deduction_note(&rule, &leaf("10", "≥100个", "70个"), &doc).as_deref(),
            Some("偏差 30.00%（≥30%），扣 2 分")
        );
        // The national set has no such deduction.
        assert_eq!(
            evaluate(&rule, &leaf("10", "≥100个", "70个"), &Evaluation::default()),
            points("7")
        );
    }
}
