//! Totals, 得分率 and the rating: pure functions over the document.
//!
//! Sums are exact decimals. What a user sees is rounded once, 四舍五入 to two decimals,
//! and the rating is given on that rounded figure, so the two never disagree.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::model::{Evaluation, FULL_MARKS, Indicator, NodeId, Rating};
use crate::number::{format2, round2};

/// What stands where the rating would, while some applicable leaf is unscored.
pub const INCOMPLETE: &str = "评分未完成";

/// 得分率 in percent (得分 / 分值 × 100), exact; `None` when the 分值 is zero.
pub fn score_rate(score: Decimal, max_points: Decimal) -> Option<Decimal> {
    if max_points.is_zero() {
        return None;
    }
    score
        .checked_div(max_points)
        .map(|ratio| ratio.saturating_mul(Decimal::ONE_HUNDRED))
}

/// The sums under one indicator, counting only leaves that apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// 分值: the sum of the applicable leaves' 分值.
    pub max_points: Decimal,
    /// 得分: the sum of the scored applicable leaves' 得分.
    pub score: Decimal,
    /// How many applicable leaves carry a 得分.
    pub scored_leaves: usize,
    /// How many leaves apply (are not marked 不适用).
    pub applicable_leaves: usize,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.max_points = self.max_points.saturating_add(other.max_points);
        self.score = self.score.saturating_add(other.score);
        self.scored_leaves += other.scored_leaves;
        self.applicable_leaves += other.applicable_leaves;
    }

    /// 得分率 in percent, exact.
    pub fn score_rate(&self) -> Option<Decimal> {
        score_rate(self.score, self.max_points)
    }
}

/// One line of the summary table (评价内容 / 分值 / 评价得分): a 一级 indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSummary {
    pub id: NodeId,
    pub name: String,
    pub totals: Totals,
}

/// Everything the summary panel, the command line and the reports show, computed once.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The sums of every indicator, groups and leaves.
    pub node_totals: HashMap<NodeId, Totals>,
    /// The 一级 indicators in table order.
    pub groups: Vec<GroupSummary>,
    /// The whole table.
    pub totals: Totals,
    /// The figure the rating is read from: 综合得分 rounded, or, where the 分值 do not add up
    /// to 100, the 得分率 rounded.
    pub rated_figure: Decimal,
    /// Whether `rated_figure` is the 得分率 rather than the 综合得分.
    pub rated_on_score_rate: bool,
    /// The grade of `rated_figure`. While some applicable leaf is unscored it is only
    /// provisional: read it through [`Summary::verdict`].
    pub rating: Rating,
    /// What the document's rule set changed, each said where the figure is shown:
    /// "产出指标 / 数量指标 / 活动场次：偏差 30.00%（≥30%），扣 2 分", "按执行率 75% 封顶 89 分".
    pub adjustments: Vec<String>,
    /// The 综合得分 before a cap lowered it.
    pub uncapped_total: Option<Decimal>,
    /// What lowered it: "按执行率 75% 封顶 89 分".
    pub cap_note: Option<String>,
    /// Whether a 一票否决 gave the lowest grade whatever the total: the grade then does
    /// not follow from the figure.
    pub vetoed: bool,
    /// In a panel result, the experts named in the plan whose submitted file is not
    /// counted yet: until there are none, the total is provisional and has no grade.
    pub waiting_for: Vec<String>,
    /// How many applicable leaves an imported table left without a 分值 (no column, no
    /// label they could be taken from): until there are none, there is no grade.
    pub points_missing: usize,
}

impl Summary {
    /// 综合得分, exact.
    pub fn total(&self) -> Decimal {
        self.totals.score
    }

    /// 综合得分 as shown and reported ("82.02").
    pub fn total_text(&self) -> String {
        format2(self.totals.score)
    }

    /// Whether every applicable leaf carries a 得分 (and there is at least one), and, in a
    /// panel result, every expert of the plan is counted: only then is the rating a verdict.
    pub fn is_complete(&self) -> bool {
        self.totals.applicable_leaves > 0
            && self.totals.scored_leaves == self.totals.applicable_leaves
            && self.waiting_for.is_empty()
            && self.points_missing == 0
    }

    /// The rating, once the evaluation is complete; `None` while leaves are unscored, so
    /// that a running total is never called 差.
    pub fn verdict(&self) -> Option<&Rating> {
        self.is_complete().then_some(&self.rating)
    }

    /// `已评 9/18 项`; for a panel still waiting, `已评 18/18 项，尚待专家 乙、丙`.
    pub fn progress_text(&self) -> String {
        let mut text = format!(
            "已评 {}/{} 项",
            self.totals.scored_leaves, self.totals.applicable_leaves
        );
        if !self.waiting_for.is_empty() {
            text.push_str(&format!("，尚待专家 {}", self.waiting_for.join("、")));
        }
        text
    }

    /// What reports write as the 绩效评定级别: the grade, or 评分未完成.
    pub fn verdict_text(&self) -> String {
        self.verdict()
            .map_or_else(|| INCOMPLETE.to_owned(), |r| r.label().to_owned())
    }

    pub fn totals_of(&self, id: NodeId) -> Totals {
        self.node_totals.get(&id).copied().unwrap_or_default()
    }
}

/// Adds up the document and rates it.
pub fn summarize(doc: &Evaluation) -> Summary {
    // Sized once: grown from empty, the table was rebuilt a dozen times on a large
    // document (a seventh of the page faults of `jixiao score`).
    let mut node_totals = HashMap::with_capacity(doc.indicator_count());
    let mut totals = Totals::default();
    let mut groups = Vec::with_capacity(doc.indicators.len());
    for root in &doc.indicators {
        let root_totals = add_up(root, &mut node_totals);
        totals.add(&root_totals);
        groups.push(GroupSummary {
            id: root.id,
            name: root.name.clone(),
            totals: root_totals,
        });
    }

    let rated_on_score_rate = totals.max_points != FULL_MARKS;
    let rated_figure = if rated_on_score_rate {
        round2(totals.score_rate().unwrap_or_default())
    } else {
        round2(totals.score)
    };
    let mut summary = Summary {
        node_totals,
        groups,
        totals,
        rated_figure,
        rated_on_score_rate,
        rating: doc.rating_scale.rate(rated_figure),
        adjustments: Vec::new(),
        uncapped_total: None,
        cap_note: None,
        vetoed: false,
        waiting_for: doc
            .panel
            .as_ref()
            .map(crate::model::panel::PanelInfo::waiting)
            .unwrap_or_default(),
        points_missing: points_missing(doc),
    };
    apply_rule_set(doc, &mut summary);
    apply_veto(doc, &mut summary);
    summary
}

/// The applicable leaves an import noted as having no 分值 that still have none.
fn points_missing(doc: &Evaluation) -> usize {
    let noted: std::collections::HashSet<NodeId> = doc
        .import_notes
        .iter()
        .filter(|n| n.kind == crate::model::ImportNoteKind::MissingMaxPoints)
        .filter_map(|n| n.node)
        .collect();
    if noted.is_empty() {
        return 0;
    }
    doc.leaves()
        .iter()
        .filter(|l| noted.contains(&l.id) && l.max_points.is_zero() && l.is_applicable())
        .count()
}

/// 一票否决: a marked indicator scored 0 (in a panel result, by most experts) gives the
/// lowest grade whatever the total, and says why.
fn apply_veto(doc: &Evaluation, summary: &mut Summary) {
    let (ids, by): (Vec<NodeId>, &str) = match &doc.panel {
        Some(panel) => {
            // What the panel agreed after discussion decides; without it, the experts'
            // majority found at the merge.
            let mut marked = false;
            doc.visit(&mut |node, _| marked |= node.veto);
            let ids = if marked || !panel.agreed.is_empty() {
                doc.leaves()
                    .into_iter()
                    .filter(|leaf| match panel.agreed(leaf.id).and_then(|a| a.score) {
                        Some(score) => leaf.veto && score.is_zero(),
                        None => panel.vetoed.contains(&leaf.id),
                    })
                    .map(|leaf| leaf.id)
                    .collect()
            } else {
                panel.vetoed.clone()
            };
            (ids, "经专家组评为 0 分")
        }
        None => {
            let mut ids = Vec::new();
            doc.visit(&mut |node, _| {
                if node.veto
                    && node.is_leaf()
                    && node.is_applicable()
                    && node.scoring.score.is_some_and(|s| s.is_zero())
                {
                    ids.push(node.id);
                }
            });
            (ids, "得 0 分")
        }
    };
    let vetoed: Vec<String> = ids.into_iter().map(|id| doc.display_path(id)).collect();
    if vetoed.is_empty() {
        return;
    }
    summary.rating = doc.rating_scale.rate(Decimal::MIN);
    summary.vetoed = true;
    for path in vetoed {
        summary.adjustments.push(format!(
            "一票否决：“{path}”{by}，评定为{}",
            summary.rating.label()
        ));
    }
}

/// The rule set's part in the totals: names each deduction it made from a leaf (already
/// in that leaf's 得分), and caps the 综合得分 by 执行率 where the set says so. The cap
/// lowers the total, the figure rated and the rating; the groups keep their sums.
fn apply_rule_set(doc: &Evaluation, summary: &mut Summary) {
    let set = crate::ruleset::of(doc);
    if set.deviation.is_some() || set.over_execution.is_some() {
        for leaf in doc.leaves() {
            if let (true, Some(rule), None) = (
                leaf.is_applicable(),
                &leaf.scoring.rule,
                &leaf.scoring.manual_reason,
            ) && let Some(note) = crate::rules::deduction_note(rule, leaf, doc)
            {
                summary
                    .adjustments
                    .push(format!("{}：{note}", doc.display_path(leaf.id)));
            }
        }
    }
    // A cap that cannot be computed is a problem validation names.
    let Ok(Some(cap)) = crate::ruleset::cap_for(doc) else {
        return;
    };
    let max_points = summary.totals.max_points;
    let limit = if summary.rated_on_score_rate {
        cap.at_most
            .saturating_mul(max_points)
            .checked_div(FULL_MARKS)
            .unwrap_or_default()
    } else {
        cap.at_most
    };
    if summary.totals.score > limit {
        summary.uncapped_total = Some(summary.totals.score);
        summary.totals.score = limit;
        summary.rated_figure = summary.rated_figure.min(cap.at_most);
        summary.rating = doc.rating_scale.rate(summary.rated_figure);
        summary.adjustments.push(cap.note());
        summary.cap_note = Some(cap.note());
    }
}

fn add_up(node: &Indicator, out: &mut HashMap<NodeId, Totals>) -> Totals {
    let mut totals = Totals::default();
    if node.is_leaf() {
        if node.is_applicable() {
            totals.max_points = node.max_points;
            totals.applicable_leaves = 1;
            if let Some(score) = node.scoring.score {
                totals.score = score;
                totals.scored_leaves = 1;
            }
        }
    } else {
        for child in &node.children {
            totals.add(&add_up(child, out));
        }
    }
    out.insert(node.id, totals);
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Indicator, NodeId};
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn scored(id: u64, max: &str, score: Option<&str>) -> Indicator {
        let mut leaf = Indicator::leaf(NodeId(id), format!("指标{id}"), d(max));
        leaf.scoring.score = score.map(d);
        leaf
    }

    fn doc(leaves: Vec<Indicator>) -> Evaluation {
        Evaluation {
            indicators: vec![Indicator::group(NodeId(1000), "决策", leaves)],
            ..Evaluation::default()
        }
    }

    #[test]
    fn lower_bound_belongs_to_the_higher_grade() {
        let summary = summarize(&doc(vec![scored(1, "100", Some("90"))]));
        assert_eq!(summary.rating.label(), "优");
        let summary = summarize(&doc(vec![scored(1, "100", Some("89.99"))]));
        assert_eq!(summary.rating.label(), "良");
        let summary = summarize(&doc(vec![scored(1, "100", Some("59.994"))]));
        assert_eq!(
            (summary.total_text().as_str(), summary.rating.label()),
            ("59.99", "差")
        );
    }

    #[test]
    fn rating_follows_the_rounded_total_shown() {
        // 89.995 is shown as 90.00, so it is 优, not 良.
        let summary = summarize(&doc(vec![
            scored(1, "60", Some("59.995")),
            scored(2, "40", Some("30")),
        ]));
        assert_eq!(summary.total_text(), "90.00");
        assert_eq!(summary.rating.label(), "优");
    }

    #[test]
    fn unscored_and_not_applicable_leaves_are_left_out() {
        let mut na = scored(3, "20", Some("20"));
        na.scoring.not_applicable = true;
        let summary = summarize(&doc(vec![
            scored(1, "50", Some("40")),
            scored(2, "30", None),
            na,
        ]));
        assert_eq!(summary.totals.max_points, d("80"));
        assert_eq!(summary.total(), d("40"));
        assert_eq!(
            (
                summary.totals.scored_leaves,
                summary.totals.applicable_leaves
            ),
            (1, 2)
        );
        // 分值 80, not 100: rated on 得分率 40 / 80 = 50% → 差.
        assert!(summary.rated_on_score_rate);
        assert_eq!(summary.rated_figure, d("50"));
        assert_eq!(summary.rating.label(), "差");
        // One leaf of two is unscored: the 差 is provisional, not a verdict.
        assert!(!summary.is_complete());
        assert_eq!(summary.verdict(), None);
        assert_eq!(summary.verdict_text(), "评分未完成");
        assert_eq!(summary.progress_text(), "已评 1/2 项");
    }

    #[test]
    fn a_complete_evaluation_has_a_verdict() {
        let summary = summarize(&doc(vec![
            scored(1, "60", Some("50")),
            scored(2, "40", Some("40")),
        ]));
        assert!(summary.is_complete());
        assert_eq!(summary.verdict().map(Rating::label), Some("优"));
        assert_eq!(summary.verdict_text(), "优");
    }

    #[test]
    fn an_empty_table_is_not_complete() {
        assert!(!summarize(&doc(Vec::new())).is_complete());
    }

    #[test]
    fn score_rate_of_a_zero_weight_group_is_absent() {
        assert_eq!(score_rate(d("0"), d("0")), None);
        assert_eq!(score_rate(d("7.66"), d("10")), Some(d("76.6")));
    }

    #[test]
    fn custom_bounds_are_used() {
        let mut evaluation = doc(vec![scored(1, "100", Some("85"))]);
        evaluation.rating_scale.grades[0].min = d("85");
        assert_eq!(summarize(&evaluation).rating.label(), "优");
    }

    #[test]
    fn a_five_grade_scale_rates_with_its_own_names() {
        let five = crate::model::RatingScale {
            grades: [("优秀", "90"), ("良好", "80"), ("中", "70"), ("合格", "60")]
                .into_iter()
                .map(|(name, min)| crate::model::Grade {
                    name: name.into(),
                    min: d(min),
                })
                .collect(),
            lowest: "差".into(),
        };
        let rated = |score: &str| {
            let mut evaluation = doc(vec![scored(1, "100", Some(score))]);
            evaluation.rating_scale = five.clone();
            summarize(&evaluation).rating.label().to_owned()
        };
        assert_eq!(
            ["95", "80", "79.99", "70", "65", "59.99"].map(rated),
            ["优秀", "良好", "中", "中", "合格", "差"]
        );
    }

    #[test]
    fn absurd_figures_do_not_panic() {
        let summary = summarize(&doc(vec![
            scored(
                1,
                "79228162514264337593543950335",
                Some("79228162514264337593543950335"),
            ),
            scored(2, "79228162514264337593543950335", Some("1")),
        ]));
        assert_eq!(summary.totals.max_points, Decimal::MAX);
    }
}
