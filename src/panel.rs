//! Expert panels: each expert scores the same indicator tree in their own file; the panel
//! result is the per-indicator mean (or trimmed mean) of their scores, rounded 四舍五入 to
//! two decimals, with 综合得分 the sum of those, as the published 评价人员(专家)评分汇总表
//! does. Where experts disagree widely, the indicator is flagged for discussion.

use rust_decimal::Decimal;

use crate::model::{
    Evaluation, EvaluationKind, Indicator, IndicatorPath, NodeId, display_path, shorten,
};
use crate::number::{format2, round2};
use crate::scoring::summarize;

pub use crate::model::panel::{
    Acceptance, Agreed, Expert, Method, PanelInfo, SetAside, TRIMMED_MINIMUM, aggregate,
    default_threshold, joined_reasons,
};
use crate::model::{Change, HistoryEntry};
use crate::submission::{
    SealStatus, current_digest, fingerprint, plan_fingerprint, seal_status, sealed_changes,
};

/// Why experts could not be merged; nothing was merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PanelError {
    #[error("还没有专家的评分文件")]
    NoExperts,
    #[error("去掉最高分和最低分需要至少 {TRIMMED_MINIMUM} 位专家，现有 {count} 位")]
    TooFewForTrimmed { count: usize },
    #[error("专家的指标体系不一致，未合并：{}", list.join("；"))]
    Mismatch { list: Vec<String> },
    #[error("“{file}”（{expert}）属于另一份评价方案（指标或分值不同），未合并")]
    OtherPlan { file: String, expert: String },
    #[error("专家“{expert}”有两份评分文件（{first}、{second}），请只保留一份后再合并")]
    Duplicate {
        expert: String,
        first: String,
        second: String,
    },
    #[error("“{file}”中“{indicator}”的得分 {score} 不在 0 到分值 {max_points} 之间，未合并")]
    OutOfRange {
        file: String,
        indicator: String,
        score: String,
        max_points: String,
    },
    #[error("这份文件不是专家组的合并结果")]
    NotAPanel,
    #[error("专家组中没有专家“{expert}”的评分文件")]
    UnknownExpert { expert: String },
    #[error("专家“{expert}”的评分文件没有在提交后被改动，无需接受")]
    NotChanged { expert: String },
    #[error("接受专家“{expert}”提交后被改动的评分文件，请写明理由")]
    NoReason { expert: String },
}

/// An expert's name: the expert a prepared file is for, else the 评价人 of their file,
/// else the name they were added under.
pub fn expert_name(doc: &Evaluation, fallback: &str) -> String {
    let name = crate::submission::owner(doc);
    if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    }
}

/// The file name an expert was read from, for messages.
fn file_name(expert: &Expert) -> String {
    std::path::Path::new(&expert.source)
        .file_name()
        .map_or_else(
            || expert.source.clone(),
            |n| n.to_string_lossy().into_owned(),
        )
}

/// Whether two files are the same expert's: the same file read twice, or two files
/// prepared for the same expert (a revised copy beside the old one).
pub fn same_expert(a: &Expert, b: &Expert) -> bool {
    (!a.source.is_empty() && a.source == b.source)
        || matches!(
            (&a.evaluation.assignment, &b.evaluation.assignment),
            (Some(x), Some(y)) if x.expert == y.expert
        )
}

/// Refuses a second file of one expert, and a prepared file of another plan than the
/// first expert's or whose tree was changed since it was prepared.
fn check_experts(experts: &[Expert]) -> Result<(), PanelError> {
    // One expert, one file: a second copy (a revised file added beside the old one)
    // would count the expert twice.
    for (index, expert) in experts.iter().enumerate() {
        if let Some(other) = experts[..index]
            .iter()
            .find(|other| same_expert(other, expert))
        {
            return Err(PanelError::Duplicate {
                expert: shorten(&expert.name),
                first: file_name(other),
                second: file_name(expert),
            });
        }
    }
    check_plans(experts)
}

/// Refuses a score outside 0 … 分值 (a file edited by hand): averaged in, it would give
/// the panel a figure no expert could have typed.
fn check_scores(experts: &[Expert]) -> Result<(), PanelError> {
    for expert in experts {
        for (path, leaf) in expert.evaluation.leaf_paths() {
            if let Some(score) = leaf.scoring.score
                && (score.is_sign_negative() && !score.is_zero() || score > leaf.max_points)
            {
                return Err(PanelError::OutOfRange {
                    file: file_name(expert),
                    indicator: shorten(&path.to_string()),
                    score: shorten(&score.normalize().to_string()),
                    max_points: leaf.max_points.normalize().to_string(),
                });
            }
        }
    }
    Ok(())
}

fn check_plans(experts: &[Expert]) -> Result<(), PanelError> {
    // A file that was not prepared (an expert's own table) is compared by its tree
    // below, where a difference is named; here only prepared files are checked: each
    // against the fingerprint it was prepared with (a file of format 2 holds one of
    // names and 分值 alone), and all of them against the first, ids included.
    let mut reference = None;
    for expert in experts {
        let Some(assignment) = &expert.evaluation.assignment else {
            continue;
        };
        let own = plan_fingerprint(&expert.evaluation);
        let reference = reference.get_or_insert_with(|| own.clone());
        if own != *reference
            || fingerprint(&expert.evaluation, assignment.plan_ids) != assignment.plan
        {
            return Err(PanelError::OtherPlan {
                file: file_name(expert),
                expert: expert.name.clone(),
            });
        }
    }
    Ok(())
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

/// Whether a file counts in the panel's figures: any file but one changed after its
/// expert submitted it, unless the secretary accepted it as it is now.
fn counts(expert: &Expert, accepted: &[Acceptance]) -> bool {
    seal_status(&expert.evaluation) != SealStatus::Broken
        || current_digest(&expert.evaluation).is_some_and(|now| {
            accepted
                .iter()
                .any(|a| a.expert == expert.name && a.digest == now)
        })
}

/// Merges the experts into a panel result. `previous` is the panel document being
/// recomputed: its project information, history, agreed figures and acceptances are
/// kept. A file changed after it was submitted is set aside: shown, never counted.
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
    check_experts(&experts)?;
    let list = mismatches(&experts);
    if !list.is_empty() {
        return Err(PanelError::Mismatch { list });
    }
    check_scores(&experts)?;

    // Files prepared from the plan carry its ids, which survive renames and moves.
    let prepared = first.evaluation.assignment.is_some();
    let mut result = first.evaluation.clone();
    result.declared.clear();
    result.assignment = None;
    result.seal = None;
    result.history.clear();
    if let Some(previous) = previous.filter(|p| !p.indicators.is_empty()) {
        result.info.clone_from(&previous.info);
    }
    if let Some(previous) = previous {
        result.history.clone_from(&previous.history);
    }
    result.info.kind = EvaluationKind::Expert;
    result.info.evaluator = "专家组".to_owned();
    if let Some(previous) = previous {
        keep_ids(&mut result, previous);
    }
    let before = previous.and_then(|doc| doc.panel.as_ref());
    let agreed: Vec<Agreed> = match (before, previous) {
        (Some(panel), Some(previous)) if !prepared => {
            follow_paths(panel.agreed.clone(), previous, &result)
        }
        (Some(panel), _) => panel.agreed.clone(),
        _ => Vec::new(),
    };
    let accepted: Vec<Acceptance> = before.map(|p| p.accepted.clone()).unwrap_or_default();

    let mut counted = Vec::with_capacity(experts.len());
    let mut set_aside = Vec::new();
    for (position, expert) in experts.into_iter().enumerate() {
        if counts(&expert, &accepted) {
            counted.push(expert);
        } else {
            set_aside.push(SetAside {
                changes: changes_since_sealed(&expert),
                position,
                expert,
            });
        }
    }
    let experts = counted;
    // An acceptance stands for the file as it was accepted: once that file is gone
    // (replaced, removed), so is the acceptance; the history keeps it.
    let accepted: Vec<Acceptance> = accepted
        .into_iter()
        .filter(|a| {
            experts.iter().any(|e| {
                e.name == a.expert
                    && seal_status(&e.evaluation) == SealStatus::Broken
                    && current_digest(&e.evaluation).as_deref() == Some(a.digest.as_str())
            })
        })
        .collect();

    let used = method.resolved(experts.len());
    let expert_leaves: Vec<Vec<&Indicator>> =
        experts.iter().map(|e| e.evaluation.leaves()).collect();
    let mut vetoed = Vec::new();
    // The result's leaves in table order, each at the place of the experts' leaves.
    let mut targets = result.leaves_mut();
    for (index, leaf) in targets.iter_mut().enumerate() {
        let veto = leaf.veto;
        let scores: Vec<Decimal> = expert_leaves
            .iter()
            .filter_map(|leaves| leaves.get(index).and_then(|l| l.scoring.score))
            .collect();
        if veto && scores.iter().filter(|s| s.is_zero()).count() * 2 > experts.len() {
            vetoed.push(leaf.id);
        }
        let not_applicable = !expert_leaves.is_empty()
            && expert_leaves
                .iter()
                .all(|leaves| leaves.get(index).is_some_and(|l| l.scoring.not_applicable));
        let agreed = agreed.iter().find(|a| a.id == leaf.id);
        leaf.scoring.score = agreed
            .and_then(|a| a.score)
            .filter(|s| *s <= leaf.max_points)
            .or_else(|| aggregate(&scores, used));
        leaf.scoring.not_applicable = not_applicable;
        leaf.scoring.manual_reason = None;
        leaf.scoring.rule = None;
        leaf.scoring.reason = match agreed.and_then(|a| a.opinion.clone()) {
            Some(opinion) => opinion,
            None => joined_reasons(
                expert_leaves
                    .iter()
                    .filter_map(|leaves| leaves.get(index).copied()),
            ),
        };
    }
    drop(targets);
    result.panel = Some(PanelInfo {
        method,
        divergence_threshold,
        experts,
        agreed,
        vetoed,
        vetoed_paths: Vec::new(),
        set_aside,
        accepted,
    });
    Ok(result)
}

/// What differs in `expert`'s file from what was sealed: each 得分, 扣分理由 and 不适用,
/// and each 佐证材料 beside the file that is not the file the seal covers.
fn changes_since_sealed(expert: &Expert) -> Vec<crate::model::panel::SealedChange> {
    let mut changes = sealed_changes(&expert.evaluation);
    let file = std::path::Path::new(&expert.source);
    for problem in crate::evidence::check(&expert.evaluation, file) {
        changes.push(crate::model::panel::SealedChange {
            indicator: problem.indicator,
            field: crate::model::Field::Evidence,
            sealed: Some(format!("{} {}", problem.number, shorten(&problem.file))),
            now: problem.problem.to_owned(),
        });
    }
    changes
}

/// Gives `result` the ids of the panel it is merged again into, where the two trees
/// are one (the same names and 分值 in the same places): what the panel agreed is kept
/// by id, and stays with its indicator whichever expert's file now comes first — a
/// prepared file (the plan's ids), a table imported (ids in table order) or a file
/// an expert made. Where the tree changed, the ids are the first expert's: the plan's,
/// which survive renames and moves.
fn keep_ids(result: &mut Evaluation, previous: &Evaluation) {
    fn same(a: &[Indicator], b: &[Indicator]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                x.name == y.name
                    && x.is_leaf() == y.is_leaf()
                    && (!x.is_leaf() || x.max_points == y.max_points)
                    && same(&x.children, &y.children)
            })
    }
    fn copy(to: &mut [Indicator], from: &[Indicator]) {
        for (node, was) in to.iter_mut().zip(from) {
            node.id = was.id;
            copy(&mut node.children, &was.children);
        }
    }
    if previous.indicators.is_empty() || !same(&result.indicators, &previous.indicators) {
        return;
    }
    copy(&mut result.indicators, &previous.indicators);
    result.next_id = result.next_id.max(previous.next_id);
    result.repair_ids();
}

/// The agreed figures of `previous`, each moved to the id its indicator has in `result`,
/// for experts given as tables: their ids are given in table order, so when the tree
/// changed (a row inserted above) the last merge's ids say nothing of this one. An
/// indicator is found by its path (the n-th leaf of a path for the n-th); a figure whose
/// indicator is gone is dropped rather than put on another indicator.
fn follow_paths(agreed: Vec<Agreed>, previous: &Evaluation, result: &Evaluation) -> Vec<Agreed> {
    fn places(doc: &Evaluation) -> Vec<(IndicatorPath, usize, NodeId)> {
        let mut seen: std::collections::HashMap<IndicatorPath, usize> = Default::default();
        doc.leaf_paths()
            .into_iter()
            .map(|(path, leaf)| {
                let nth = seen.entry(path.clone()).or_default();
                *nth += 1;
                (path, *nth, leaf.id)
            })
            .collect()
    }
    let before = places(previous);
    let now = places(result);
    agreed
        .into_iter()
        .filter_map(|mut entry| {
            let (path, nth, _) = before.iter().find(|(_, _, id)| *id == entry.id)?;
            let (_, _, id) = now.iter().find(|(p, n, _)| p == path && n == nth)?;
            entry.id = *id;
            Some(entry)
        })
        .collect()
}

/// Every file of the panel, the ones set aside back in their places: what a merge
/// again starts from.
pub fn all_experts(info: &PanelInfo) -> Vec<Expert> {
    let mut all = info.experts.clone();
    for aside in &info.set_aside {
        let at = aside.position.min(all.len());
        all.insert(at, aside.expert.clone());
    }
    all
}

/// The secretary accepts `expert`'s file although it was changed after submitting:
/// the reason goes into the panel's history, and the panel is merged again with the
/// file counted — as long as it stays as it is now.
pub fn accept(
    doc: &mut Evaluation,
    expert: &str,
    reason: &str,
    at: &str,
) -> Result<(), PanelError> {
    let info = doc.panel.as_ref().ok_or(PanelError::NotAPanel)?;
    let Some(aside) = info.set_aside.iter().find(|s| s.expert.name == expert) else {
        return Err(if info.experts.iter().any(|e| e.name == expert) {
            PanelError::NotChanged {
                expert: shorten(expert),
            }
        } else {
            PanelError::UnknownExpert {
                expert: shorten(expert),
            }
        });
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(PanelError::NoReason {
            expert: expert.to_owned(),
        });
    }
    let acceptance = Acceptance {
        expert: expert.to_owned(),
        reason: reason.to_owned(),
        at: at.to_owned(),
        digest: current_digest(&aside.expert.evaluation).unwrap_or_default(),
    };
    let (experts, method, threshold) = (all_experts(info), info.method, info.divergence_threshold);
    let mut next = doc.clone();
    if let Some(info) = next.panel.as_mut() {
        info.accepted.push(acceptance);
    }
    next.history.push(HistoryEntry {
        at: at.to_owned(),
        change: Change::Accepted {
            expert: expert.to_owned(),
            reason: reason.to_owned(),
        },
    });
    *doc = merge(experts, method, threshold, Some(&next))?;
    Ok(())
}

/// One indicator of the 专家评分汇总表.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelRow {
    pub id: NodeId,
    pub path: IndicatorPath,
    pub max_points: Decimal,
    /// One per expert, in the panel's order.
    pub scores: Vec<Option<Decimal>>,
    pub reasons: Vec<String>,
    pub panel_score: Option<Decimal>,
    /// max − min of the experts' scores.
    pub spread: Decimal,
    /// spread / 分值.
    pub spread_share: Decimal,
    /// The spread is beyond the threshold: the experts disagreed widely. Kept once the
    /// panel has agreed a score, for the record.
    pub diverged: bool,
    /// Diverged and not yet settled by an agreed score: 分歧较大，请讨论.
    pub flagged: bool,
    /// On a diverged row, the experts (by index) farthest from the experts' figure.
    pub outliers: Vec<usize>,
    /// Whether the panel's figure is one the secretary recorded after discussion.
    pub agreed: bool,
    /// The figure the experts' scores give (the mean or trimmed mean), agreed or not.
    pub experts_figure: Option<Decimal>,
}

/// The rows of the summary table, in table order, for a panel document.
pub fn rows(doc: &Evaluation) -> Vec<PanelRow> {
    let Some(panel) = &doc.panel else {
        return Vec::new();
    };
    let own = doc.leaf_paths();
    let experts = panel.line_up(&own);
    own.into_iter()
        .enumerate()
        .map(|(index, (path, leaf))| {
            let theirs: Vec<Option<&Indicator>> = experts.iter().map(|e| e[index]).collect();
            let scores: Vec<Option<Decimal>> = theirs
                .iter()
                .map(|l| l.and_then(|l| l.scoring.score))
                .collect();
            let given = scores.iter().flatten();
            let spread = match (given.clone().max(), given.min()) {
                (Some(max), Some(min)) => max.saturating_sub(*min),
                _ => Decimal::ZERO,
            };
            let spread_share = spread.checked_div(leaf.max_points).unwrap_or_default();
            let diverged = spread_share > panel.divergence_threshold;
            let agreed = panel.agreed(leaf.id).is_some_and(|a| a.score.is_some());
            let panel_score = leaf.scoring.score;
            // Leniency and outliers are measured against what the experts' scores give,
            // not against a figure agreed later.
            let given: Vec<Decimal> = scores.iter().flatten().copied().collect();
            let experts_figure = aggregate(&given, panel.used_method());
            let outliers = match (diverged, experts_figure) {
                (true, Some(figure)) => {
                    let far = |s: &Option<Decimal>| s.map(|s| s.saturating_sub(figure).abs());
                    let farthest = scores.iter().filter_map(far).max().unwrap_or_default();
                    (0..scores.len())
                        .filter(|i| far(&scores[*i]) == Some(farthest) && !farthest.is_zero())
                        .collect()
                }
                _ => Vec::new(),
            };
            PanelRow {
                id: leaf.id,
                agreed,
                path,
                max_points: leaf.max_points,
                reasons: theirs
                    .iter()
                    .map(|l| l.map(|l| l.scoring.reason.clone()).unwrap_or_default())
                    .collect(),
                scores,
                panel_score,
                spread,
                spread_share,
                diverged,
                flagged: diverged && !agreed,
                outliers,
                experts_figure,
            }
        })
        .collect()
}

/// The rows the experts disagreed on (agreed since or not), the largest spread first.
pub fn divergent(doc: &Evaluation) -> Vec<PanelRow> {
    diverged_of(rows(doc))
}

fn diverged_of(rows: Vec<PanelRow>) -> Vec<PanelRow> {
    let mut diverged: Vec<PanelRow> = rows.into_iter().filter(|r| r.diverged).collect();
    diverged.sort_by_key(|row| std::cmp::Reverse(row.spread_share));
    diverged
}

/// How one expert scored, beside the panel.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpertStats {
    pub name: String,
    /// The file it was read from.
    pub source: String,
    /// 综合得分, exact.
    pub total: Decimal,
    /// The grade, or 评分未完成.
    pub rating: String,
    pub seal: SealStatus,
    /// When the file was submitted, if it was.
    pub sealed_at: Option<String>,
    /// Why the secretary accepted the file although it was changed after submitting.
    pub accepted: Option<String>,
    /// The mean of (the expert's score − the panel's) over the indicators both scored;
    /// `None` when there are none.
    pub leniency: Option<Decimal>,
    /// The indicators where this expert is the farthest from the panel, on a flagged row.
    pub outliers: Vec<String>,
    /// 得分率 (percent, exact) per 一级 indicator, in table order.
    pub group_rates: Vec<Option<Decimal>>,
}

impl ExpertStats {
    /// 已提交 2026-11-28 10:00:00 / 未提交 / 提交后被改动（已接受：理由）.
    pub fn seal_text(&self) -> String {
        match (self.seal, &self.sealed_at, &self.accepted) {
            (SealStatus::Ok, Some(at), _) => format!("已提交 {at}"),
            (SealStatus::Broken, _, Some(reason)) => {
                format!("提交后被改动（已接受：{}）", shorten(reason))
            }
            (status, _, _) => status.label().to_owned(),
        }
    }

    /// "比组均值平均高 0.80 分", as the window and the reports say it.
    pub fn leniency_text(&self) -> String {
        leniency_text(self.leniency)
    }
}

/// "比组均值平均高 0.80 分" / "低 …" / "与组均值一致".
pub fn leniency_text(leniency: Option<Decimal>) -> String {
    match leniency.map(round2) {
        None => "无可比较的指标".to_owned(),
        Some(d) if d.is_zero() => "与组均值一致".to_owned(),
        Some(d) if d.is_sign_positive() => format!("比组均值平均高 {} 分", format2(d)),
        Some(d) => format!("比组均值平均低 {} 分", format2(-d)),
    }
}

/// Everything the 专家组 view, `panel --json` and the 专家评分汇总表 show about how the
/// panel scored, computed in one pass over the rows.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelStats {
    pub rows: Vec<PanelRow>,
    pub experts: Vec<ExpertStats>,
    /// The 一级 indicators, in table order.
    pub groups: Vec<String>,
    /// The panel's 得分率 per 一级 indicator.
    pub panel_rates: Vec<Option<Decimal>>,
    /// Indicators scored by two experts or more.
    pub compared: usize,
    /// Of those, the ones whose spread is within the threshold.
    pub agreeing: usize,
    /// The experts the prepared files name whose file is not in the panel.
    pub missing: Vec<String>,
    /// The experts whose file was set aside, changed after it was submitted.
    pub set_aside: Vec<String>,
    /// The experts the prepared files name without a submitted file counted: until
    /// there are none, the panel has no grade.
    pub waiting: Vec<String>,
    /// The method used, [`Method::BySize`] decided.
    pub method: Method,
}

impl PanelStats {
    /// agreeing / compared in percent, exact; `None` with nothing to compare.
    pub fn agreement(&self) -> Option<Decimal> {
        (self.compared > 0).then(|| {
            Decimal::from(self.agreeing) * Decimal::ONE_HUNDRED / Decimal::from(self.compared)
        })
    }

    /// "一致性 90.00%（20 项中 18 项的最大差不超过分值的 20%）".
    pub fn agreement_text(&self, threshold: Decimal) -> String {
        match self.agreement() {
            None => "一致性：无可比较的指标".to_owned(),
            Some(share) => format!(
                "一致性 {}%（{} 项中 {} 项的最大差不超过分值的 {}%）",
                format2(share),
                self.compared,
                self.agreeing,
                (threshold * Decimal::ONE_HUNDRED).normalize()
            ),
        }
    }

    /// The rows the experts disagreed on (agreed since or not), the largest spread first.
    pub fn divergent(&self) -> Vec<PanelRow> {
        diverged_of(self.rows.clone())
    }

    /// `评分未完成：尚待 乙（提交后被改动，未计入）、丙（尚未收到）`; `None` once every
    /// expert the plan names has a submitted file counted.
    pub fn waiting_text(&self) -> Option<String> {
        if self.waiting.is_empty() {
            return None;
        }
        let names: Vec<String> = self
            .waiting
            .iter()
            .map(|name| {
                let why = if self.missing.contains(name) {
                    "尚未收到"
                } else if self.set_aside.contains(name) {
                    "提交后被改动，未计入"
                } else {
                    "未提交"
                };
                format!("{name}（{why}）")
            })
            .collect();
        Some(format!(
            "{}：尚待 {}，专家组得分为暂计，不评定绩效等级",
            crate::scoring::INCOMPLETE,
            names.join("、")
        ))
    }
}

/// How the panel of `doc` scored; empty for a document that is not a panel result.
pub fn statistics(doc: &Evaluation) -> PanelStats {
    let rows = rows(doc);
    let summary = summarize(doc);
    let mut stats = PanelStats {
        groups: summary.groups.iter().map(|g| g.name.clone()).collect(),
        panel_rates: summary
            .groups
            .iter()
            .map(|g| g.totals.score_rate())
            .collect(),
        compared: 0,
        agreeing: 0,
        missing: Vec::new(),
        set_aside: Vec::new(),
        waiting: Vec::new(),
        experts: Vec::new(),
        method: Method::Mean,
        rows: Vec::new(),
    };
    let Some(panel) = &doc.panel else {
        stats.rows = rows;
        return stats;
    };
    stats.method = panel.used_method();
    let count = panel.experts.len();
    let mut deviation = vec![(Decimal::ZERO, 0u32); count];
    let mut outliers = vec![Vec::new(); count];
    for row in &rows {
        if row.scores.iter().flatten().count() >= 2 {
            stats.compared += 1;
            if !row.diverged {
                stats.agreeing += 1;
            }
        }
        if let Some(figure) = row.experts_figure {
            for (index, score) in row.scores.iter().enumerate() {
                if let Some(score) = score {
                    let (sum, n) = &mut deviation[index];
                    *sum = sum.saturating_add(score.saturating_sub(figure));
                    *n += 1;
                }
            }
        }
        for index in &row.outliers {
            outliers[*index].push(row.path.to_string());
        }
    }
    stats.experts = panel
        .experts
        .iter()
        .zip(deviation)
        .zip(outliers)
        .map(|((expert, (sum, n)), outliers)| {
            let own = summarize(&expert.evaluation);
            ExpertStats {
                name: expert.name.clone(),
                source: expert.source.clone(),
                total: own.total(),
                rating: own.verdict_text(),
                seal: seal_status(&expert.evaluation),
                sealed_at: expert.evaluation.seal.as_ref().map(|s| s.at.clone()),
                accepted: panel
                    .accepted
                    .iter()
                    .rev()
                    .find(|a| a.expert == expert.name)
                    .map(|a| a.reason.clone()),
                leniency: (n > 0).then(|| sum / Decimal::from(n)),
                outliers,
                group_rates: own.groups.iter().map(|g| g.totals.score_rate()).collect(),
            }
        })
        .collect();
    let files = || {
        panel
            .experts
            .iter()
            .chain(panel.set_aside.iter().map(|s| &s.expert))
    };
    let present: Vec<&str> = files().map(|e| e.name.as_str()).collect();
    for expert in files() {
        for name in expert.evaluation.assignment.iter().flat_map(|a| &a.panel) {
            if !present.contains(&name.as_str()) && !stats.missing.contains(name) {
                stats.missing.push(name.clone());
            }
        }
    }
    stats.set_aside = panel
        .set_aside
        .iter()
        .map(|s| s.expert.name.clone())
        .collect();
    stats.waiting = panel.waiting();
    stats.rows = rows;
    stats
}

/// What a report must say beside a panel's figures: whom the panel still waits for, the
/// files left out because they were changed after submitting, and the ones the
/// secretary accepted all the same. Empty for a panel beyond doubt, or no panel.
pub fn notices(doc: &Evaluation) -> Vec<String> {
    let Some(info) = &doc.panel else {
        return Vec::new();
    };
    let stats = statistics(doc);
    let mut out: Vec<String> = stats.waiting_text().into_iter().collect();
    out.extend(info.set_aside.iter().map(SetAside::describe));
    for expert in &stats.experts {
        if let Some(reason) = &expert.accepted {
            out.push(format!(
                "专家“{}”的评分文件提交后被改动，经专家组秘书接受后计入，理由：{reason}",
                expert.name
            ));
        }
    }
    out
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
                    r.path.to_string(),
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

    /// `expert` re-imported from a table that gained a row above the second indicator:
    /// the ids of a table are given in table order, so every id from there on shifts.
    fn with_row_inserted(mut expert: Expert) -> Expert {
        fn renumber(nodes: &mut [Indicator], next: &mut u64) {
            for node in nodes {
                node.id = NodeId(*next);
                *next += 1;
                renumber(&mut node.children, next);
            }
        }
        let second = expert.evaluation.leaves()[1].name.clone();
        let doc = &mut expert.evaluation;
        fn insert(nodes: &mut Vec<Indicator>, before: &str) -> bool {
            if let Some(at) = nodes.iter().position(|n| n.is_leaf() && n.name == before) {
                let mut added = Indicator::leaf(NodeId(0), "新增指标", d("1"));
                added.scoring.score = Some(d("1"));
                nodes.insert(at, added);
                return true;
            }
            nodes.iter_mut().any(|n| insert(&mut n.children, before))
        }
        assert!(insert(&mut doc.indicators, &second));
        let mut next = 1;
        renumber(&mut doc.indicators, &mut next);
        doc.next_id = next;
        expert
    }

    #[test]
    fn an_agreed_score_stays_with_its_indicator_when_the_experts_tables_gain_a_row() {
        let experts = vec![
            expert("张", "0.8", &[]),
            expert("王", "0.8", &[]),
            expert("李", "0.8", &[]),
        ];
        let mut doc = mean_of(experts.clone()).unwrap();
        let (agreed_on, id) = (doc.leaves()[1].name.clone(), doc.leaves()[1].id);
        crate::command::apply(
            &mut doc,
            &crate::command::Edit::SetScore {
                id,
                score: Some(d("0.5")),
            },
        )
        .unwrap();
        let revised: Vec<Expert> = experts.into_iter().map(with_row_inserted).collect();
        let again = merge(revised, Method::Mean, default_threshold(), Some(&doc)).unwrap();
        let leaves = again.leaves();
        // The new row takes the experts' figure; the agreed 0.5 stays on its indicator.
        assert_eq!(leaves[1].name, "新增指标");
        assert_eq!(leaves[1].scoring.score, Some(d("1")));
        assert_eq!(leaves[2].name, agreed_on);
        assert_eq!(leaves[2].scoring.score, Some(d("0.5")));
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
        // The secretary records what the panel agreed, as the window does.
        for edit in [
            crate::command::Edit::SetText {
                id: first,
                field: crate::command::TextField::Reason,
                text: "专家组一致意见".into(),
            },
            crate::command::Edit::SetScore {
                id: doc.leaves()[1].id,
                score: Some(d("0.5")),
            },
        ] {
            crate::command::apply(&mut doc, &edit).unwrap();
        }
        let mut revised = experts;
        revised[2] = expert("李", "1", &[]);
        let again = merge(revised, Method::Mean, default_threshold(), Some(&doc)).unwrap();
        // (1.6 + 1.6 + 2) / 3 = 1.7333 → 1.73.
        assert_eq!(leaf_score(&again, 0), d("1.73"));
        assert_eq!(again.leaves()[0].scoring.reason, "专家组一致意见");
        // The agreed score of the second leaf stands; the others follow the experts.
        assert_eq!(leaf_score(&again, 1), d("0.5"));
        // 李 now gives full marks: his remark is no deduction reason.
        assert_eq!(again.leaves()[2].scoring.reason, "张的理由；王的理由");
        // Clearing the agreed score goes back to the experts' mean: (0.8 + 0.8 + 1) / 3.
        let second = again.leaves()[1].id;
        let mut cleared = again.clone();
        crate::command::apply(
            &mut cleared,
            &crate::command::Edit::SetScore {
                id: second,
                score: None,
            },
        )
        .unwrap();
        assert_eq!(leaf_score(&cleared, 1), d("0.87"));
    }

    #[test]
    fn a_veto_indicator_most_experts_score_zero_fails_the_project() {
        let veto = |mut e: Expert| {
            let id = e.evaluation.leaves()[8].id;
            e.evaluation.find_mut(id).unwrap().veto = true;
            e
        };
        // 资金使用合规性 (leaf 8) marked 一票否决; two of three experts score it 0.
        let experts = vec![
            veto(expert("张", "1", &[(8, "0")])),
            veto(expert("王", "1", &[(8, "0")])),
            veto(expert("李", "1", &[])),
        ];
        let doc = mean_of(experts.clone()).unwrap();
        let summary = summarize(&doc);
        // (0 + 0 + 4) / 3 = 1.33: the total is 97.33, yet the project fails.
        assert_eq!(summary.total_text(), "97.33");
        assert_eq!(summary.verdict_text(), "差");
        assert_eq!(
            summary.adjustments,
            ["一票否决：“过程 / 资金管理 / 资金使用合规性”经专家组评为 0 分，评定为差"]
        );
        // The panel discusses and agrees 2 points: the project is rated on its total.
        let mut agreed = doc.clone();
        let id = agreed.leaves()[8].id;
        crate::command::apply(
            &mut agreed,
            &crate::command::Edit::SetScore {
                id,
                score: Some(d("2")),
            },
        )
        .unwrap();
        assert_eq!(summarize(&agreed).verdict_text(), "优");
        // One of three is not a majority.
        let mut one = experts;
        one[1] = veto(expert("王", "1", &[]));
        assert_eq!(summarize(&mean_of(one).unwrap()).verdict_text(), "优");
    }

    #[test]
    fn the_panel_size_decides_the_method_unless_one_is_chosen() {
        let experts: Vec<Expert> = ["2", "4", "5", "5", "6"]
            .iter()
            .enumerate()
            .map(|(i, s)| expert(&format!("专家{}", i + 1), "1", &[(9, s)]))
            .collect();
        let by_size = merge(experts.clone(), Method::BySize, default_threshold(), None).unwrap();
        assert_eq!(leaf_score(&by_size, 9), d("4.67"));
        let four = merge(
            experts[..4].to_vec(),
            Method::BySize,
            default_threshold(),
            None,
        )
        .unwrap();
        // (2 + 4 + 5 + 5) / 4 = 4.
        assert_eq!(leaf_score(&four, 9), d("4"));
    }

    #[test]
    fn an_agreed_score_settles_a_flagged_row_and_the_record_stays() {
        // 实际完成率 (leaf 11, 10 points): 5 / 8 / 9 → spread 40%, flagged.
        let experts = vec![
            expert("张", "1", &[(11, "5")]),
            expert("王", "1", &[(11, "8")]),
            expert("李", "1", &[(11, "9")]),
        ];
        let mut doc = mean_of(experts).unwrap();
        assert!(rows(&doc)[11].flagged);
        let id = doc.leaves()[11].id;
        crate::command::apply(
            &mut doc,
            &crate::command::Edit::SetScore {
                id,
                score: Some(d("8")),
            },
        )
        .unwrap();
        let row = &rows(&doc)[11];
        // No longer 分歧较大，请讨论; still listed among the rows the experts disagreed on.
        assert!(!row.flagged);
        assert!(row.agreed);
        assert_eq!(
            divergent(&doc)
                .iter()
                .map(|r| r.path.to_string())
                .collect::<Vec<_>>(),
            ["产出 / 产出数量 / 实际完成率"]
        );
        // The agreement counts what the experts did: 19 of 20 within the threshold.
        assert_eq!(statistics(&doc).agreeing, 19);
    }

    #[test]
    fn the_default_opinion_gathers_deduction_reasons_not_praise() {
        // 成本节约率 (leaf 14, 10 points): 张 gives full marks and praises, 王 and 李 deduct.
        let mut experts = vec![
            expert("张", "1", &[]),
            expert("王", "1", &[(14, "7")]),
            expert("李", "1", &[(14, "6")]),
        ];
        let reasons = ["成本控制较好", "缺乏成本控制措施", "预算测算依据不充分"];
        for (expert, reason) in experts.iter_mut().zip(reasons) {
            let id = expert.evaluation.leaves()[14].id;
            if let Some(leaf) = expert.evaluation.find_mut(id) {
                leaf.scoring.reason = reason.to_owned();
            }
        }
        let doc = mean_of(experts).unwrap();
        assert_eq!(
            doc.leaves()[14].scoring.reason,
            "缺乏成本控制措施；预算测算依据不充分"
        );
        // Where nobody lost a point, there is no opinion to give.
        assert_eq!(doc.leaves()[15].scoring.reason, "");
    }

    #[test]
    fn one_expert_is_counted_once_and_an_impossible_score_is_refused() {
        let twice = vec![
            expert("张", "1", &[]),
            expert("王", "1", &[]),
            expert("张", "0.5", &[]),
        ];
        assert_eq!(
            mean_of(twice).unwrap_err().to_string(),
            "专家“张”有两份评分文件（张.ron、张.ron），请只保留一份后再合并"
        );
        // 立项依据充分性 has 2 points; a file edited by hand says 50.
        let wrong = vec![expert("张", "1", &[(0, "50")]), expert("王", "1", &[])];
        assert_eq!(
            mean_of(wrong).unwrap_err().to_string(),
            "“张.ron”中“决策 / 项目立项 / 立项依据充分性”的得分 50 不在 0 到分值 2 之间，未合并"
        );
    }
}
