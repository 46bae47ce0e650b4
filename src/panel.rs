//! Expert panels: each expert scores the same indicator tree in their own file; the panel
//! result is the per-indicator mean (or trimmed mean) of their scores, rounded 四舍五入 to
//! two decimals, with 综合得分 the sum of those, as the published 评价人员(专家)评分汇总表
//! does. Where experts disagree widely, the indicator is flagged for discussion.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::model::{Evaluation, EvaluationKind, Indicator, NodeId, display_path};
use crate::scoring::{format2, round2, summarize};

pub use crate::model::panel::{Expert, Method, PanelInfo, TRIMMED_MINIMUM, default_threshold};

/// Why experts could not be merged; nothing was merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PanelError {
    #[error("还没有专家的评分文件")]
    NoExperts,
    #[error("去掉最高分和最低分需要至少 {TRIMMED_MINIMUM} 位专家，现有 {count} 位")]
    TooFewForTrimmed { count: usize },
    #[error("专家的指标体系不一致，未合并：{}", list.join("；"))]
    Mismatch { list: Vec<String> },
}

/// An expert's name: the 评价人 of their file, else the name they were added under.
pub fn expert_name(doc: &Evaluation, fallback: &str) -> String {
    let name = doc.info.evaluator.trim();
    if name.is_empty() {
        fallback.to_owned()
    } else {
        name.to_owned()
    }
}

/// Every difference between the experts' trees (names, 分值, order), each naming the
/// indicator and the experts.
pub fn mismatches(experts: &[Expert]) -> Vec<String> {
    let Some(first) = experts.first() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for other in &experts[1..] {
        compare(
            &first.evaluation.indicators,
            &other.evaluation.indicators,
            &mut Vec::new(),
            (&first.name, &other.name),
            &mut found,
        );
    }
    found
}

fn compare(
    a: &[Indicator],
    b: &[Indicator],
    path: &mut Vec<String>,
    names: (&str, &str),
    found: &mut Vec<String>,
) {
    let place = |path: &[String]| {
        if path.is_empty() {
            "第一级".to_owned()
        } else {
            format!("“{}”下", display_path(path))
        }
    };
    if a.len() != b.len() {
        found.push(format!(
            "{}的指标数：{} 有 {} 项，{} 有 {} 项",
            place(path),
            names.0,
            a.len(),
            names.1,
            b.len()
        ));
        return;
    }
    for (x, y) in a.iter().zip(b) {
        if x.name != y.name {
            found.push(format!(
                "{}的指标：{} 为“{}”，{} 为“{}”",
                place(path),
                names.0,
                x.name,
                names.1,
                y.name
            ));
            continue;
        }
        path.push(x.name.clone());
        if x.is_leaf() != y.is_leaf() {
            found.push(format!(
                "“{}”：一位专家有下级指标，另一位没有（{}、{}）",
                display_path(path),
                names.0,
                names.1
            ));
        } else if x.is_leaf() {
            if x.max_points != y.max_points {
                found.push(format!(
                    "“{}”的分值：{} 为 {}，{} 为 {}",
                    display_path(path),
                    names.0,
                    x.max_points,
                    names.1,
                    y.max_points
                ));
            }
        } else {
            compare(&x.children, &y.children, path, names, found);
        }
        path.pop();
    }
}

/// The panel's score of one indicator from the experts' (unscored ones left out).
pub fn aggregate(scores: &[Decimal], method: Method) -> Option<Decimal> {
    if scores.is_empty() {
        return None;
    }
    let mut sorted = scores.to_vec();
    sorted.sort();
    let kept = match method {
        Method::TrimmedMean if sorted.len() >= 3 => &sorted[1..sorted.len() - 1],
        _ => &sorted[..],
    };
    let sum = kept
        .iter()
        .fold(Decimal::ZERO, |acc, s| acc.saturating_add(*s));
    sum.checked_div(Decimal::from(kept.len())).map(round2)
}

/// Merges the experts into a panel result. `previous` is the panel document being
/// recomputed: its agreed 扣分理由 are kept.
pub fn merge(
    experts: Vec<Expert>,
    method: Method,
    divergence_threshold: Decimal,
    previous: Option<&Evaluation>,
) -> Result<Evaluation, PanelError> {
    let first = experts.first().ok_or(PanelError::NoExperts)?;
    if method == Method::TrimmedMean && experts.len() < TRIMMED_MINIMUM {
        return Err(PanelError::TooFewForTrimmed {
            count: experts.len(),
        });
    }
    let list = mismatches(&experts);
    if !list.is_empty() {
        return Err(PanelError::Mismatch { list });
    }

    let mut result = first.evaluation.clone();
    result.declared.clear();
    if let Some(previous) = previous.filter(|p| !p.indicators.is_empty()) {
        result.info.clone_from(&previous.info);
    }
    result.info.kind = EvaluationKind::Expert;
    result.info.evaluator = "专家组".to_owned();
    let agreed: HashMap<String, String> = previous
        .map(|doc| {
            leaf_paths(doc)
                .into_iter()
                .map(|(path, leaf)| (path, leaf.scoring.reason.clone()))
                .collect()
        })
        .unwrap_or_default();

    let expert_leaves: Vec<Vec<&Indicator>> =
        experts.iter().map(|e| e.evaluation.leaves()).collect();
    let leaves: Vec<(String, NodeId)> = leaf_paths(&result)
        .into_iter()
        .map(|(path, leaf)| (path, leaf.id))
        .collect();
    for (index, (path, id)) in leaves.into_iter().enumerate() {
        let scores: Vec<Decimal> = expert_leaves
            .iter()
            .filter_map(|leaves| leaves.get(index).and_then(|l| l.scoring.score))
            .collect();
        let not_applicable = expert_leaves
            .iter()
            .all(|leaves| leaves.get(index).is_some_and(|l| l.scoring.not_applicable));
        let reasons = joined_reasons(
            expert_leaves
                .iter()
                .filter_map(|leaves| leaves.get(index).copied()),
        );
        let Some(leaf) = result.find_mut(id) else {
            continue;
        };
        leaf.scoring.score = aggregate(&scores, method);
        leaf.scoring.not_applicable = not_applicable;
        leaf.scoring.manual_reason = None;
        leaf.scoring.rule = None;
        leaf.scoring.reason = agreed.get(&path).cloned().unwrap_or(reasons);
    }
    result.panel = Some(PanelInfo {
        method,
        divergence_threshold,
        experts,
    });
    Ok(result)
}

/// The experts' reasons, each once, in order: the starting point of the agreed one.
fn joined_reasons<'a>(leaves: impl Iterator<Item = &'a Indicator>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for leaf in leaves {
        let reason = leaf.scoring.reason.trim();
        if !reason.is_empty() && !seen.contains(&reason) {
            seen.push(reason);
        }
    }
    seen.join("；")
}

/// Every leaf with its path (`效益 / 项目效益 / 社会效益`), in table order, in one walk.
fn leaf_paths(doc: &Evaluation) -> Vec<(String, &Indicator)> {
    fn walk<'a>(
        nodes: &'a [Indicator],
        path: &mut Vec<String>,
        out: &mut Vec<(String, &'a Indicator)>,
    ) {
        for node in nodes {
            path.push(node.name.clone());
            if node.is_leaf() {
                out.push((display_path(path), node));
            } else {
                walk(&node.children, path, out);
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&doc.indicators, &mut Vec::new(), &mut out);
    out
}

/// One indicator of the 专家评分汇总表.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelRow {
    pub id: NodeId,
    pub path: String,
    pub max_points: Decimal,
    /// One per expert, in the panel's order.
    pub scores: Vec<Option<Decimal>>,
    pub reasons: Vec<String>,
    pub panel_score: Option<Decimal>,
    /// max − min of the experts' scores.
    pub spread: Decimal,
    /// spread / 分值.
    pub spread_share: Decimal,
    pub flagged: bool,
}

/// The rows of the summary table, in table order, for a panel document.
pub fn rows(doc: &Evaluation) -> Vec<PanelRow> {
    let Some(panel) = &doc.panel else {
        return Vec::new();
    };
    let experts: Vec<HashMap<String, &Indicator>> = panel
        .experts
        .iter()
        .map(|e| leaf_paths(&e.evaluation).into_iter().collect())
        .collect();
    leaf_paths(doc)
        .into_iter()
        .map(|(path, leaf)| {
            let own: Vec<Option<&Indicator>> =
                experts.iter().map(|e| e.get(&path).copied()).collect();
            let scores: Vec<Option<Decimal>> = own
                .iter()
                .map(|l| l.and_then(|l| l.scoring.score))
                .collect();
            let given: Vec<Decimal> = scores.iter().flatten().copied().collect();
            let spread = match (given.iter().max(), given.iter().min()) {
                (Some(max), Some(min)) => max.saturating_sub(*min),
                _ => Decimal::ZERO,
            };
            let spread_share = spread.checked_div(leaf.max_points).unwrap_or_default();
            PanelRow {
                id: leaf.id,
                path,
                max_points: leaf.max_points,
                reasons: own
                    .iter()
                    .map(|l| l.map(|l| l.scoring.reason.clone()).unwrap_or_default())
                    .collect(),
                scores,
                panel_score: leaf.scoring.score,
                spread,
                spread_share,
                flagged: spread_share > panel.divergence_threshold,
            }
        })
        .collect()
}

/// The flagged rows, the largest spread first.
pub fn divergent(doc: &Evaluation) -> Vec<PanelRow> {
    let mut flagged: Vec<PanelRow> = rows(doc).into_iter().filter(|r| r.flagged).collect();
    flagged.sort_by_key(|row| std::cmp::Reverse(row.spread_share));
    flagged
}

/// Each expert's name, 综合得分 (as shown) and rating.
pub fn expert_totals(doc: &Evaluation) -> Vec<(String, String, String)> {
    doc.panel
        .iter()
        .flat_map(|p| &p.experts)
        .map(|expert| {
            let summary = summarize(&expert.evaluation);
            (
                expert.name.clone(),
                format2(summary.total()),
                summary.verdict_text(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    /// An expert who gives every leaf `share` of its points, except `overrides`.
    fn expert(name: &str, share: &str, overrides: &[(usize, &str)]) -> Expert {
        let mut doc = templates::load("project").unwrap();
        let ids: Vec<NodeId> = doc.leaves().iter().map(|l| l.id).collect();
        for (index, id) in ids.iter().enumerate() {
            let leaf = doc.find_mut(*id).unwrap();
            let score = overrides
                .iter()
                .find(|(i, _)| *i == index)
                .map_or_else(|| round2(leaf.max_points * d(share)), |(_, s)| d(s));
            leaf.scoring.score = Some(score);
            leaf.scoring.reason = format!("{name}的理由");
        }
        doc.info.evaluator = name.to_owned();
        Expert {
            name: name.to_owned(),
            source: format!("{name}.ron"),
            evaluation: doc,
        }
    }

    /// The plain mean of `experts`, with the default threshold.
    fn mean_of(experts: Vec<Expert>) -> Result<Evaluation, PanelError> {
        merge(experts, Method::Mean, default_threshold(), None)
    }

    fn leaf_score(doc: &Evaluation, index: usize) -> Decimal {
        doc.leaves()[index].scoring.score.unwrap()
    }

    #[test]
    fn three_experts_are_averaged_per_indicator_and_rounded() {
        // 立项依据充分性 (2 points): 1.5, 1.6, 1.8 → 1.6333… → 1.63.
        let experts = vec![
            expert("张", "0.8", &[(0, "1.5")]),
            expert("王", "0.9", &[(0, "1.6")]),
            expert("李", "1", &[(0, "1.8")]),
        ];
        let doc = mean_of(experts).unwrap();
        assert_eq!(leaf_score(&doc, 0), d("1.63"));
        // 资金使用合规性 (4 points): 3.2, 3.6, 4 → 3.6.
        assert_eq!(leaf_score(&doc, 8), d("3.6"));
        // 综合得分 is the sum of the rounded indicator scores.
        let expected: Decimal = doc.leaves().iter().map(|l| l.scoring.score.unwrap()).sum();
        assert_eq!(summarize(&doc).total(), expected);
        assert_eq!(
            doc.leaves()[0].scoring.reason,
            "张的理由；王的理由；李的理由"
        );
        assert_eq!(doc.info.evaluator, "专家组");
    }

    #[test]
    fn five_experts_trimmed_drop_the_highest_and_lowest() {
        // 管理制度健全性 (6 points, leaf 9): 2, 4, 5, 5, 6 → trimmed (4+5+5)/3 = 4.67; mean 4.4.
        let scores = ["2", "4", "5", "5", "6"];
        let experts: Vec<Expert> = scores
            .iter()
            .enumerate()
            .map(|(i, s)| expert(&format!("专家{}", i + 1), "1", &[(9, s)]))
            .collect();
        let trimmed = merge(
            experts.clone(),
            Method::TrimmedMean,
            default_threshold(),
            None,
        )
        .unwrap();
        assert_eq!(leaf_score(&trimmed, 9), d("4.67"));
        let mean = mean_of(experts.clone()).unwrap();
        assert_eq!(leaf_score(&mean, 9), d("4.4"));
        assert_eq!(
            merge(
                experts[..3].to_vec(),
                Method::TrimmedMean,
                default_threshold(),
                None
            ),
            Err(PanelError::TooFewForTrimmed { count: 3 })
        );
    }

    #[test]
    fn mismatched_trees_are_refused_naming_indicator_and_experts() {
        let mut other = expert("王", "1", &[]);
        let id = other
            .evaluation
            .find_by_names(&["效益", "项目效益", "社会效益"])
            .unwrap()
            .id;
        other.evaluation.find_mut(id).unwrap().max_points = d("12");
        let err = merge(
            vec![expert("张", "1", &[]), other],
            Method::Mean,
            default_threshold(),
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "专家的指标体系不一致，未合并：“效益 / 项目效益 / 社会效益”的分值：张 为 10，王 为 12"
        );
        let mut renamed = expert("李", "1", &[]);
        renamed.evaluation.indicators[1].name = "实施".into();
        let err = merge(
            vec![expert("张", "1", &[]), renamed],
            Method::Mean,
            default_threshold(),
            None,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "专家的指标体系不一致，未合并：第一级的指标：张 为“过程”，李 为“实施”"
        );
    }

    #[test]
    fn wide_disagreement_is_flagged_largest_first() {
        // Leaf 11 (实际完成率, 10 points): 5 / 8 / 9 → spread 40%; leaf 0 (2 points): 1 / 1.3 / 1.5 → 25%;
        // leaf 1 (1 point): 0.8 / 0.9 / 1 → 20%, not above the threshold.
        let experts = vec![
            expert("张", "1", &[(11, "5"), (0, "1"), (1, "0.8")]),
            expert("王", "1", &[(11, "8"), (0, "1.3"), (1, "0.9")]),
            expert("李", "1", &[(11, "9"), (0, "1.5"), (1, "1")]),
        ];
        let doc = mean_of(experts).unwrap();
        let flagged: Vec<(String, String)> = divergent(&doc)
            .iter()
            .map(|r| {
                (
                    r.path.clone(),
                    format2(r.spread_share * Decimal::ONE_HUNDRED),
                )
            })
            .collect();
        assert_eq!(
            flagged,
            [
                (
                    "产出 / 产出数量 / 实际完成率".to_owned(),
                    "40.00".to_owned()
                ),
                (
                    "决策 / 项目立项 / 立项依据充分性".to_owned(),
                    "25.00".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_revised_expert_file_recomputes_and_keeps_the_agreed_reasons() {
        let experts = vec![
            expert("张", "0.8", &[]),
            expert("王", "0.8", &[]),
            expert("李", "0.8", &[]),
        ];
        let mut doc = mean_of(experts.clone()).unwrap();
        let first = doc.leaves()[0].id;
        doc.find_mut(first).unwrap().scoring.reason = "专家组一致意见".into();
        let mut revised = experts;
        revised[2] = expert("李", "1", &[]);
        let again = merge(revised, Method::Mean, default_threshold(), Some(&doc)).unwrap();
        // (1.6 + 1.6 + 2) / 3 = 1.7333 → 1.73.
        assert_eq!(leaf_score(&again, 0), d("1.73"));
        assert_eq!(again.leaves()[0].scoring.reason, "专家组一致意见");
    }
}
