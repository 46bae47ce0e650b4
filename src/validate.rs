//! Every problem in a document, each with its indicator path and a Chinese sentence.
//! Validation walks the whole document and never stops at the first problem.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{
    Evaluation, EvaluationKind, FULL_MARKS, Figure, ImportNoteKind, Indicator, MAX_DEPTH, NodeId,
    display_path,
};
use crate::number::{format2, round2};
use crate::rules::{Outcome, PRINTED_SCORE, evaluate};
use crate::scoring::Summary;

/// How bad a problem is: an error makes the result wrong; a warning asks for a look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "错误",
            Self::Warning => "提醒",
        }
    }
}

/// What kind of problem it is: stable across wording changes, so tests and scripts
/// (`score --json` gives it as `code`) match kinds, not Chinese sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    EmptyName,
    TooDeep,
    NegativeMaxPoints,
    ZeroMaxPoints,
    NotScored,
    ScoreOutsideBand,
    NegativeScore,
    ScoreAboveMax,
    /// A 得分 with more than two decimals, which no published table carries.
    ScoreTooPrecise,
    DeductionWithoutReason,
    RuleUnreadable,
    BandNotChosen,
    OverrideWithoutReason,
    DuplicateName,
    NoIndicators,
    MaxTotalNot100,
    OutputEffectBelow60,
    ThresholdsInvalid,
    /// The grade an imported table printed is not the one its scores give.
    PrintedGradeMismatch,
    /// The grade an imported table printed is not a grade of the document's scale.
    PrintedGradeUnknown,
    DeclaredMismatch,
    FundTotalMismatch,
    OverExecuted,
    /// A rule's data cannot be right (bands in percent, shares above 1, …).
    RuleDataInvalid,
    /// The document names a rule set the program does not have.
    UnknownRuleSet,
    /// The rule set caps the total by 执行率, which cannot be computed.
    CapNotComputable,
    /// An imported cell that is not a number.
    UnreadableCell,
    /// An imported leaf with no 分值.
    MissingMaxPoints,
    /// An imported row with figures but no indicator name.
    FiguresWithoutName,
    /// An imported group with nothing under it.
    EmptyGroup,
    /// A printed 执行率 that its own figures do not give.
    ExecutionRateMismatch,
    /// An imported 自评 row whose printed 得分 is not what its rule gives.
    PrintedScoreDiffers,
    /// A panel expert's file changed after it was submitted: left out of the figures.
    SealBroken,
    /// A panel expert's file changed after it was submitted, counted because the
    /// secretary accepted it with a reason.
    SealBrokenAccepted,
    /// A panel still waiting for experts the plan names: no grade yet.
    ExpertsPending,
}

impl ProblemKind {
    /// The stable code, as in `--json`.
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// One problem, where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub kind: ProblemKind,
    /// The indicator concerned; `None` for the table as a whole.
    pub node: Option<NodeId>,
    /// `效益 / 项目效益 / 社会效益`, or `整表` / `合计` for the whole table.
    pub path: String,
    pub message: String,
}

/// The least that 产出 + 效益 must carry, 财预〔2020〕10号.
const OUTPUT_AND_EFFECT_FLOOR: Decimal = Decimal::from_parts(60, 0, 0, false, 0);

/// Every problem in `doc`; `summary` must be `scoring::summarize(doc)`.
pub fn validate(doc: &Evaluation, summary: &Summary) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut path = Vec::new();
    check_siblings(&doc.indicators, &path, &mut problems);
    for root in &doc.indicators {
        check_node(root, doc, 1, &mut path, &mut problems);
    }
    check_whole_table(doc, summary, &mut problems);
    check_declared(doc, summary, &mut problems);
    check_funds(doc, &mut problems);
    check_rule_set(doc, &mut problems);
    check_import_notes(doc, summary, &mut problems);
    check_panel(doc, &mut problems);
    problems
}

/// A panel's files: one changed after it was submitted is an error (the merge left it
/// out), one accepted all the same is said, and experts still awaited are named.
fn check_panel(doc: &Evaluation, problems: &mut Vec<Problem>) {
    let Some(panel) = &doc.panel else { return };
    let mut report = |severity, kind, message: String| {
        problems.push(Problem {
            severity,
            kind,
            node: None,
            path: "专家组".to_owned(),
            message,
        });
    };
    for aside in &panel.set_aside {
        report(
            Severity::Error,
            ProblemKind::SealBroken,
            format!(
                "{}。如确认改动有效，可由秘书写明理由后接受",
                aside.describe()
            ),
        );
    }
    for expert in &panel.experts {
        if let Some(acceptance) = panel
            .accepted
            .iter()
            .rev()
            .find(|a| a.expert == expert.name)
        {
            report(
                Severity::Warning,
                ProblemKind::SealBrokenAccepted,
                format!(
                    "专家“{}”的评分文件提交后被改动，秘书已于 {} 接受并计入专家组得分，理由：{}",
                    expert.name, acceptance.at, acceptance.reason
                ),
            );
        }
    }
    let waiting = panel.waiting();
    if !waiting.is_empty() {
        report(
            Severity::Warning,
            ProblemKind::ExpertsPending,
            format!(
                "评价方案中的专家 {} 还没有提交的评分文件计入专家组得分：评分未完成，暂不评定绩效等级",
                waiting.join("、")
            ),
        );
    }
}

/// What the import could not read, while it still stands: a bad 得分 until the leaf has
/// a score, a bad or missing 分值 until it has one, a printed 执行率 until the figures
/// give it.
fn check_import_notes(doc: &Evaluation, summary: &Summary, problems: &mut Vec<Problem>) {
    // Leaves without a 分值 are said once, with why the table has no grade.
    let mut missing = Vec::new();
    for note in &doc.import_notes {
        let node = note.node.and_then(|id| doc.find(id));
        if note.node.is_some() && node.is_none() {
            continue;
        }
        // Quoted short: a cell of 100,000 characters is named, not echoed.
        let shown = if note.text.is_empty() {
            String::new()
        } else {
            format!("“{}”", crate::model::shorten(&note.text))
        };
        let (severity, kind, message) = match note.kind {
            ImportNoteKind::UnreadableScore => {
                if node.is_some_and(|n| n.scoring.score.is_some()) {
                    continue;
                }
                (
                    Severity::Error,
                    ProblemKind::UnreadableCell,
                    format!("{}{shown}不是数字，未计入得分", note.place),
                )
            }
            ImportNoteKind::UnreadableMaxPoints | ImportNoteKind::MissingMaxPoints => {
                if node.is_some_and(|n| !n.max_points.is_zero() || !n.is_leaf()) {
                    continue;
                }
                if note.kind == ImportNoteKind::MissingMaxPoints {
                    if node.is_some_and(|n| n.is_applicable()) {
                        missing.push(note);
                    }
                    continue;
                } else {
                    (
                        Severity::Error,
                        ProblemKind::UnreadableCell,
                        format!("{}{shown}不是数字，分值按 0 计", note.place),
                    )
                }
            }
            ImportNoteKind::UnreadableFigure => (
                Severity::Error,
                ProblemKind::UnreadableCell,
                format!("{}{shown}不是数字，未读入", note.place),
            ),
            ImportNoteKind::FiguresWithoutName => (
                Severity::Error,
                ProblemKind::FiguresWithoutName,
                format!("{}有分数，但没有指标名称，未导入", note.place),
            ),
            ImportNoteKind::EmptyGroup => {
                if node.is_some_and(|n| !n.is_leaf() || n.is_applicable()) {
                    continue;
                }
                (
                    Severity::Warning,
                    ProblemKind::EmptyGroup,
                    format!("{}{shown}下没有任何指标，不计分", note.place),
                )
            }
            ImportNoteKind::PrintedRate => {
                let Some(printed) = note.printed else {
                    continue;
                };
                let Ok(rate) = doc.self_assessment.execution_rate() else {
                    continue;
                };
                let percent = |r: Decimal| format2(r.saturating_mul(Decimal::ONE_HUNDRED));
                if percent(rate) == percent(printed) {
                    continue;
                }
                (
                    Severity::Warning,
                    ProblemKind::ExecutionRateMismatch,
                    format!(
                        "{}写明执行率 {}%，但其预算数与执行数得出 {}%",
                        note.place,
                        percent(printed),
                        percent(rate)
                    ),
                )
            }
            ImportNoteKind::BlockPoints => {
                let Some(printed) = note.printed else {
                    continue;
                };
                if summary.points_missing > 0 {
                    continue;
                }
                let outside = note
                    .node
                    .map_or(Decimal::ZERO, |id| summary.totals_of(id).max_points);
                let computed = summary.totals.max_points - outside;
                if round2(printed) == round2(computed) {
                    continue;
                }
                problems.push(Problem {
                    severity: Severity::Warning,
                    kind: ProblemKind::DeclaredMismatch,
                    node: None,
                    path: "整表".to_owned(),
                    message: format!(
                        "{}写明分值 {printed}，但其下各项分值合计为 {}",
                        note.place,
                        format2(computed)
                    ),
                });
                continue;
            }
        };
        problems.push(Problem {
            severity,
            kind,
            node: note.node,
            path: note
                .node
                .map_or_else(|| "整表".to_owned(), |id| doc.display_path(id)),
            message,
        });
    }
    if let Some(problem) = missing_points(doc, &missing) {
        problems.push(problem);
    }
}

/// The one problem of the leaves an import left without a 分值: the table has no grade
/// until each has one.
fn missing_points(doc: &Evaluation, missing: &[&crate::model::ImportNote]) -> Option<Problem> {
    let first = missing.first()?;
    let message = if missing.len() == 1 {
        format!("{}：没有分值，暂不评定绩效等级", first.place)
    } else {
        let shown: Vec<&str> = missing.iter().take(3).map(|n| n.place.as_str()).collect();
        format!(
            "{}{} {} 项指标没有分值，从所在分块或分组写明的分值（如“年度绩效目标1（40分）”）也推不出各项的分值：暂不评定绩效等级，请补上分值",
            shown.join("、"),
            if missing.len() > 3 { "等" } else { "共" },
            missing.len()
        )
    };
    Some(Problem {
        severity: Severity::Error,
        kind: ProblemKind::MissingMaxPoints,
        node: first.node,
        path: if missing.len() == 1 {
            first
                .node
                .map_or_else(|| "整表".to_owned(), |id| doc.display_path(id))
        } else {
            "整表".to_owned()
        },
        message,
    })
}

/// The 自评表's budget block: a printed 年度资金总额 that is not the sum of its rows, and
/// more spent than budgeted.
fn check_funds(doc: &Evaluation, problems: &mut Vec<Problem>) {
    let block = &doc.self_assessment;
    let total = block.total();
    let mut report = |kind: ProblemKind, message: String| {
        problems.push(Problem {
            severity: Severity::Warning,
            kind,
            node: None,
            path: "年度资金总额".to_owned(),
            message,
        })
    };
    if let Some(printed) = block.printed_total {
        for (label, printed, sum) in [
            ("年初预算数", printed.initial_budget, total.initial_budget),
            (
                "全年预算数",
                printed.full_year_budget,
                total.full_year_budget,
            ),
            ("全年执行数", printed.executed, total.executed),
        ] {
            if printed.unwrap_or_default() != sum.unwrap_or_default() {
                report(
                    ProblemKind::FundTotalMismatch,
                    format!(
                        "表中写明{label} {}，但当年财政拨款、上年结转资金、其他资金合计为 {}",
                        printed.unwrap_or_default(),
                        sum.unwrap_or_default()
                    ),
                );
            }
        }
    }
    // Compared with the base 执行率 is computed on, as the document chose it.
    if let (Some(executed), Some(base)) = (total.executed, block.rate_base_amount())
        && executed > base
    {
        report(
            ProblemKind::OverExecuted,
            format!(
                "全年执行数 {executed} 超过{} {base}",
                block.rate_base.label()
            ),
        );
    }
}

fn whole_table(severity: Severity, kind: ProblemKind, message: String) -> Problem {
    Problem {
        severity,
        kind,
        node: None,
        path: "整表".to_owned(),
        message,
    }
}

fn name_or_placeholder(node: &Indicator) -> String {
    if node.name.trim().is_empty() {
        "（未命名）".to_owned()
    } else {
        node.name.clone()
    }
}

fn check_node(
    node: &Indicator,
    doc: &Evaluation,
    depth: usize,
    path: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) {
    path.push(name_or_placeholder(node));
    let mut report = |severity, kind, message: String| {
        problems.push(Problem {
            severity,
            kind,
            node: Some(node.id),
            path: display_path(path),
            message,
        })
    };

    if node.name.trim().is_empty() {
        report(
            Severity::Error,
            ProblemKind::EmptyName,
            "指标名称为空".to_owned(),
        );
    }
    if depth == MAX_DEPTH + 1 {
        report(
            Severity::Error,
            ProblemKind::TooDeep,
            format!("指标超过四级：这是第 {depth} 级，最多到四级指标"),
        );
    }
    if node.is_leaf() {
        check_leaf(node, doc, &mut report);
    } else {
        check_siblings(&node.children, path, problems);
        for child in &node.children {
            check_node(child, doc, depth + 1, path, problems);
        }
    }
    path.pop();
}

fn check_leaf(
    node: &Indicator,
    doc: &Evaluation,
    report: &mut impl FnMut(Severity, ProblemKind, String),
) {
    let kind = doc.info.kind;
    let max = node.max_points;
    if max.is_sign_negative() && !max.is_zero() {
        report(
            Severity::Error,
            ProblemKind::NegativeMaxPoints,
            format!("分值 {max} 不能为负数"),
        );
    }
    if !node.is_applicable() {
        return;
    }
    // A 分值 the import could not read is already named once (没有分值 / 不是数字);
    // a 0 standing in for it is not a second problem, and neither is a score above it.
    let max_unread = max.is_zero()
        && has_note(
            doc,
            node,
            &[
                ImportNoteKind::MissingMaxPoints,
                ImportNoteKind::UnreadableMaxPoints,
            ],
        );
    if max.is_zero() && !max_unread {
        report(
            Severity::Warning,
            ProblemKind::ZeroMaxPoints,
            "分值为 0".to_owned(),
        );
    }
    check_rule_data(node, report);
    let explained = check_rule(node, doc, report);
    let Some(score) = node.scoring.score else {
        // An unreadable 得分 is named as such; 尚未评分 would say it twice.
        if !explained && !has_note(doc, node, &[ImportNoteKind::UnreadableScore]) {
            report(
                Severity::Warning,
                ProblemKind::NotScored,
                "尚未评分".to_owned(),
            );
        }
        return;
    };
    check_band(node, doc, score, report);
    if crate::number::too_precise(score) {
        report(
            Severity::Error,
            ProblemKind::ScoreTooPrecise,
            format!(
                "得分 {} 多于两位小数：评分表的得分保留两位小数，请改为两位（未自动四舍五入）",
                score.normalize()
            ),
        );
    }
    if score.is_sign_negative() && !score.is_zero() {
        report(
            Severity::Error,
            ProblemKind::NegativeScore,
            format!("得分 {score} 不能为负数"),
        );
    } else if score > max && !max_unread {
        report(
            Severity::Error,
            ProblemKind::ScoreAboveMax,
            format!("得分 {score} 超过分值 {max}"),
        );
    } else if score < max && explanation(node, kind).trim().is_empty() {
        let missing = match kind {
            EvaluationKind::Expert => "扣分理由",
            EvaluationKind::SelfAssessment => "偏差原因分析及改进措施",
        };
        report(
            Severity::Warning,
            ProblemKind::DeductionWithoutReason,
            format!("扣了 {} 分，但没有写{missing}", max - score),
        );
    }
}

/// Whether the import left a note of one of `kinds` on `node`.
fn has_note(doc: &Evaluation, node: &Indicator, kinds: &[ImportNoteKind]) -> bool {
    doc.import_notes
        .iter()
        .any(|n| n.node == Some(node.id) && kinds.contains(&n.kind))
}

/// A rule that cannot read its figures, a hand-typed score without a reason, a 定性
/// indicator with no band chosen. Returns whether it said why the leaf has no score.
fn check_rule(
    node: &Indicator,
    doc: &Evaluation,
    report: &mut impl FnMut(Severity, ProblemKind, String),
) -> bool {
    let Some(rule) = &node.scoring.rule else {
        return false;
    };
    match evaluate(rule, node, doc) {
        Outcome::Unreadable(reason) => {
            let then = if node.scoring.score.is_some() {
                "按手工得分计"
            } else {
                "尚无得分"
            };
            report(
                Severity::Warning,
                ProblemKind::RuleUnreadable,
                format!("{reason}，{then}"),
            );
            return true;
        }
        Outcome::ByHand => {
            if node.scoring.band.is_none() && node.scoring.score.is_some() {
                report(
                    Severity::Warning,
                    ProblemKind::BandNotChosen,
                    "定性指标尚未选择达成程度".to_owned(),
                );
            }
        }
        Outcome::Score(computed) => {
            let printed = node.scoring.manual_reason.as_deref() == Some(PRINTED_SCORE);
            if let (true, Some(score)) = (printed, node.scoring.score)
                && score != computed
            {
                report(
                    Severity::Warning,
                    ProblemKind::PrintedScoreDiffers,
                    format!(
                        "自评 {}，按规则应为 {}",
                        score.normalize(),
                        computed.normalize()
                    ),
                );
            }
            if node
                .scoring
                .manual_reason
                .as_deref()
                .is_some_and(|r| r.trim().is_empty())
            {
                report(
                    Severity::Warning,
                    ProblemKind::OverrideWithoutReason,
                    "手工改过按规则算出的得分，但没有写理由".to_owned(),
                );
            }
        }
    }
    false
}

/// The text that explains lost points: the 偏差原因分析及改进措施 on a 自评表, the
/// 扣分理由 on a scoring table. Each is checked on its own, so writing one never
/// silences the other's warning.
fn explanation(node: &Indicator, kind: EvaluationKind) -> &str {
    match kind {
        EvaluationKind::Expert => &node.scoring.reason,
        EvaluationKind::SelfAssessment => &node.scoring.deviation,
    }
}

/// A 定性 score outside the band chosen, with the band's limits from the rule set and
/// its bounds shown exactly (2.664, not 2.66).
fn check_band(
    node: &Indicator,
    doc: &Evaluation,
    score: Decimal,
    report: &mut impl FnMut(Severity, ProblemKind, String),
) {
    let Some(band) = node.scoring.band else {
        return;
    };
    let limits = crate::ruleset::of(doc).qualitative;
    let shares = band.shares_within(limits.achieved, limits.partial);
    if !band.contains_within(score, node.max_points, shares) {
        report(
            Severity::Error,
            ProblemKind::ScoreOutsideBand,
            format!(
                "得分 {score} 不在“{}”一档（{}）内",
                band.label(),
                crate::model::QualitativeBand::points_text(node.max_points, shares)
            ),
        );
    }
}

/// Rule data on a leaf that cannot be right: bands not descending, shares above 1, a
/// percentage written as 90 where a share (0.9) is meant.
fn check_rule_data(node: &Indicator, report: &mut impl FnMut(Severity, ProblemKind, String)) {
    let Some(rule) = &node.scoring.rule else {
        return;
    };
    for problem in crate::ruleset::check_rule(rule) {
        report(
            Severity::Error,
            ProblemKind::RuleDataInvalid,
            format!("评分规则的数据有误：{problem}"),
        );
    }
}

/// A document that names a rule set this program does not have, and a set whose caps
/// by 执行率 cannot be applied because the 执行率 cannot be computed.
fn check_rule_set(doc: &Evaluation, problems: &mut Vec<Problem>) {
    if let Err(unknown) = crate::ruleset::cap_for(doc) {
        problems.push(whole_table(
            Severity::Warning,
            ProblemKind::CapNotComputable,
            format!(
                "规则集“{}”按{}对总分封顶，但{}，未能判断是否封顶",
                crate::ruleset::of(doc).name,
                unknown.basis,
                unknown.reason
            ),
        ));
    }
    if let Some(name) = crate::ruleset::unknown_name(doc) {
        problems.push(whole_table(
            Severity::Warning,
            ProblemKind::UnknownRuleSet,
            format!(
                "没有名为“{name}”的评分规则集，按{}计分",
                crate::ruleset::of(&Evaluation::default()).name
            ),
        ));
    }
}

fn check_siblings(siblings: &[Indicator], path: &[String], problems: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    let mut reported = HashSet::new();
    for node in siblings {
        let name = node.name.trim();
        if name.is_empty() {
            continue;
        }
        if !seen.insert(name) && reported.insert(name) {
            let mut full = path.to_vec();
            full.push(name.to_owned());
            problems.push(Problem {
                severity: Severity::Warning,
                kind: ProblemKind::DuplicateName,
                node: Some(node.id),
                path: display_path(&full),
                message: format!("同一级下有不止一个“{name}”指标"),
            });
        }
    }
}

fn check_whole_table(doc: &Evaluation, summary: &Summary, problems: &mut Vec<Problem>) {
    if doc.indicators.is_empty() {
        problems.push(whole_table(
            Severity::Warning,
            ProblemKind::NoIndicators,
            "还没有任何指标".to_owned(),
        ));
        return;
    }
    let max_total = summary.totals.max_points;
    // With 分值 missing the table has no grade, said once by that problem.
    if max_total != FULL_MARKS && summary.points_missing == 0 {
        problems.push(whole_table(
            Severity::Warning,
            ProblemKind::MaxTotalNot100,
            format!(
                "分值合计 {}，不是 100 分；绩效评定级别按得分率评定",
                format2(max_total)
            ),
        ));
    }

    let weight_of = |prefixes: &[&str]| {
        let mut found = false;
        let mut sum = Decimal::ZERO;
        for group in &summary.groups {
            if prefixes.iter().any(|p| group.name.trim().starts_with(p)) {
                found = true;
                sum = sum.saturating_add(group.totals.max_points);
            }
        }
        found.then_some(sum)
    };
    if let (Some(output), Some(effect)) = (weight_of(&["产出"]), weight_of(&["效益", "效果"]))
    {
        // Scaled to 100 so that a table with 不适用 leaves is judged on its weights.
        let share = output.saturating_add(effect);
        let share = if max_total.is_zero() || max_total == FULL_MARKS {
            share
        } else {
            share
                .saturating_mul(FULL_MARKS)
                .checked_div(max_total)
                .unwrap_or(share)
        };
        if share < OUTPUT_AND_EFFECT_FLOOR {
            problems.push(whole_table(
                Severity::Warning,
                ProblemKind::OutputEffectBelow60,
                format!(
                    "产出和效益的分值合计 {}，低于 60 分（财预〔2020〕10号要求不低于 60%）",
                    format2(share)
                ),
            ));
        }
    }

    check_rating_scale(doc, summary, problems);
}

/// The scale must be usable (named grades, bounds from 100 down to 0, each lower than the
/// one above), and a grade the imported table printed must be the one the scores give.
fn check_rating_scale(doc: &Evaluation, summary: &Summary, problems: &mut Vec<Problem>) {
    let scale = &doc.rating_scale;
    let names = scale.names();
    let named = names.iter().all(|n| !n.trim().is_empty())
        && names.iter().collect::<HashSet<_>>().len() == names.len();
    let in_range = scale
        .grades
        .iter()
        .all(|g| g.min >= Decimal::ZERO && g.min <= FULL_MARKS);
    let descending = scale.grades.windows(2).all(|w| w[0].min > w[1].min);
    if !(named && in_range && descending) {
        let reason = if named {
            "分数线应在 0 到 100 之间且从高到低"
        } else {
            "每个等级都要有名称且不能重复"
        };
        problems.push(whole_table(
            Severity::Error,
            ProblemKind::ThresholdsInvalid,
            format!("绩效评定级别的{reason}：现为 {}", scale.describe()),
        ));
    }

    let Some(printed) = &doc.printed_grade else {
        return;
    };
    let grade = printed.grade.trim();
    let mut report = |kind: ProblemKind, message: String| {
        problems.push(Problem {
            severity: Severity::Warning,
            kind,
            node: None,
            path: "绩效评定级别".to_owned(),
            message,
        })
    };
    if !names.contains(&grade) {
        report(
            ProblemKind::PrintedGradeUnknown,
            format!(
                "{}写明的等级“{grade}”不在本文件的评定等级（{}）中，请在项目信息中改用表上的等级",
                printed.source,
                scale.describe()
            ),
        );
    } else if let Some(rating) = summary.verdict()
        && rating.label() != grade
    {
        let figure = if summary.rated_on_score_rate {
            format!("得分率 {}%", format2(summary.rated_figure))
        } else {
            format!("综合得分 {}", format2(summary.rated_figure))
        };
        report(
            ProblemKind::PrintedGradeMismatch,
            format!(
                "{}写明等级“{grade}”，但{figure}的等级为“{}”",
                printed.source,
                rating.label()
            ),
        );
    }
}

fn check_declared(doc: &Evaluation, summary: &Summary, problems: &mut Vec<Problem>) {
    if doc.declared.is_empty() {
        return;
    }
    // An imported table declares a figure on nearly every row: look each up once, and
    // spell out a path only for a figure that does not match.
    let index = doc.index();
    for declared in &doc.declared {
        // A printed 分值 over leaves that have none is not compared: the problem of the
        // missing 分值 says it once.
        let over_missing = |node: Option<&&Indicator>| {
            summary.points_missing > 0
                && declared.figure == Figure::MaxPoints
                && node.is_none_or(|n| {
                    n.leaves()
                        .iter()
                        .any(|l| l.max_points.is_zero() && l.is_applicable())
                })
        };
        let (computed, node, node_is_leaf) = match declared.node {
            Some(id) => {
                let Some(node) = index.get(&id) else { continue };
                if over_missing(Some(node)) && !node.is_leaf() {
                    continue;
                }
                let totals = summary.totals_of(id);
                let computed = match declared.figure {
                    Figure::MaxPoints if node.is_leaf() => node.max_points,
                    Figure::MaxPoints => totals.max_points,
                    Figure::Score => totals.score,
                };
                (computed, Some(id), node.is_leaf())
            }
            None => {
                if over_missing(None) {
                    continue;
                }
                let computed = match declared.figure {
                    Figure::MaxPoints => summary.totals.max_points,
                    Figure::Score => summary.totals.score,
                };
                (computed, None, false)
            }
        };
        if round2(declared.value) == round2(computed) {
            continue;
        }
        let path = node.map_or_else(|| "合计".to_owned(), |id| doc.display_path(id));
        let figure = declared.figure.label();
        let capped = match (
            node,
            declared.figure,
            summary.uncapped_total,
            &summary.cap_note,
        ) {
            (None, Figure::Score, Some(uncapped), Some(note)) => Some((uncapped, note)),
            _ => None,
        };
        let message = if let Some((uncapped, note)) = capped {
            // The sum of the rows is not the total a cap gave: say both.
            format!(
                "{}写明{figure} {}，但其下各项{figure}合计为 {}，{note}后为 {}",
                declared.source,
                declared.value,
                format2(uncapped),
                format2(computed)
            )
        } else if node_is_leaf {
            format!(
                "{}写明{figure} {}，与{figure}列的 {} 不符",
                declared.source,
                declared.value,
                format2(computed)
            )
        } else {
            format!(
                "{}写明{figure} {}，但其下各项{figure}合计为 {}",
                declared.source,
                declared.value,
                format2(computed)
            )
        };
        problems.push(Problem {
            severity: Severity::Warning,
            kind: ProblemKind::DeclaredMismatch,
            node,
            path,
            message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Declared, Indicator};
    use crate::scoring::summarize;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn leaf(id: u64, name: &str, max: &str, score: Option<&str>, reason: &str) -> Indicator {
        let mut leaf = Indicator::leaf(NodeId(id), name, d(max));
        leaf.scoring.score = score.map(d);
        leaf.scoring.reason = reason.to_owned();
        leaf
    }

    fn problems_of(doc: &Evaluation) -> Vec<(Severity, String, String)> {
        validate(doc, &summarize(doc))
            .into_iter()
            .map(|p| (p.severity, p.path, p.message))
            .collect()
    }

    fn four_groups(leaves: [Indicator; 4]) -> Evaluation {
        let [a, b, c, e] = leaves;
        Evaluation {
            indicators: vec![
                Indicator::group(NodeId(101), "决策", vec![a]),
                Indicator::group(NodeId(102), "过程", vec![b]),
                Indicator::group(NodeId(103), "产出", vec![c]),
                Indicator::group(NodeId(104), "效益", vec![e]),
            ],
            ..Evaluation::default()
        }
    }

    #[test]
    fn a_clean_table_has_no_problems() {
        let doc = four_groups([
            leaf(1, "立项", "10", Some("10"), ""),
            leaf(2, "管理", "20", Some("18"), "制度不全"),
            leaf(3, "数量", "35", Some("35"), ""),
            leaf(4, "社会效益", "35", Some("35"), ""),
        ]);
        assert_eq!(problems_of(&doc), vec![]);
    }

    #[test]
    fn w9_a_cap_by_execution_rate_that_cannot_be_computed_is_said() {
        let mut doc = four_groups([
            leaf(1, "立项", "10", Some("10"), ""),
            leaf(2, "管理", "20", Some("20"), ""),
            leaf(3, "数量", "35", Some("35"), ""),
            leaf(4, "社会效益", "35", Some("30"), "满意度偏低"),
        ]);
        doc.self_assessment.rule_set = "regional-example".into();
        assert_eq!(
            problems_of(&doc),
            vec![(
                Severity::Warning,
                "整表".to_owned(),
                "规则集“地区示例（偏差扣分、执行率封顶）”按执行率对总分封顶，但尚未填写全年执行数，未能判断是否封顶"
                    .to_owned()
            )]
        );
        doc.self_assessment.current_year.full_year_budget = Some(d("100"));
        doc.self_assessment.current_year.executed = Some(d("100"));
        assert_eq!(problems_of(&doc), vec![]);
    }

    #[test]
    fn gathers_every_leaf_problem_with_its_path() {
        let doc = four_groups([
            leaf(1, "立项", "10", Some("12"), ""),
            leaf(2, "管理", "20", Some("18"), " "),
            leaf(3, "数量", "35", None, ""),
            leaf(4, "社会效益", "35", Some("-1"), ""),
        ]);
        assert_eq!(
            problems_of(&doc),
            vec![
                (
                    Severity::Error,
                    "决策 / 立项".into(),
                    "得分 12 超过分值 10".into()
                ),
                (
                    Severity::Warning,
                    "过程 / 管理".into(),
                    "扣了 2 分，但没有写扣分理由".into()
                ),
                (Severity::Warning, "产出 / 数量".into(), "尚未评分".into()),
                (
                    Severity::Error,
                    "效益 / 社会效益".into(),
                    "得分 -1 不能为负数".into()
                ),
            ]
        );
    }

    #[test]
    fn structure_problems_are_reported() {
        let mut deep = leaf(9, "五级", "10", Some("10"), "");
        for (id, name) in [(8, "四级"), (7, "三级"), (6, "二级")] {
            deep = Indicator::group(NodeId(id), name, vec![deep]);
        }
        let doc = four_groups([
            leaf(1, "立项", "10", Some("10"), ""),
            leaf(2, " ", "20", Some("20"), ""),
            leaf(3, "数量", "35", Some("35"), ""),
            leaf(4, "社会效益", "25", Some("25"), ""),
        ]);
        let mut doc = doc;
        doc.indicators[0]
            .children
            .push(leaf(5, "立项", "0", Some("0"), ""));
        doc.indicators[3].children.push(deep);
        let problems = problems_of(&doc);
        assert!(problems.contains(&(
            Severity::Error,
            "过程 / （未命名）".into(),
            "指标名称为空".into()
        )));
        assert!(problems.contains(&(
            Severity::Warning,
            "决策 / 立项".into(),
            "同一级下有不止一个“立项”指标".into()
        )));
        assert!(problems.contains(&(
            Severity::Error,
            "效益 / 二级 / 三级 / 四级 / 五级".into(),
            "指标超过四级：这是第 5 级，最多到四级指标".into()
        )));
    }

    #[test]
    fn weights_are_checked_against_the_national_rules() {
        let doc = four_groups([
            leaf(1, "立项", "30", Some("30"), ""),
            leaf(2, "管理", "20", Some("20"), ""),
            leaf(3, "数量", "25", Some("25"), ""),
            leaf(4, "社会效益", "30", Some("30"), ""),
        ]);
        assert_eq!(
            problems_of(&doc),
            vec![
                (
                    Severity::Warning,
                    "整表".into(),
                    "分值合计 105.00，不是 100 分；绩效评定级别按得分率评定".into()
                ),
                (
                    Severity::Warning,
                    "整表".into(),
                    "产出和效益的分值合计 52.38，低于 60 分（财预〔2020〕10号要求不低于 60%）"
                        .into()
                ),
            ]
        );
    }

    #[test]
    fn thresholds_must_descend() {
        let mut doc = four_groups([
            leaf(1, "立项", "10", Some("10"), ""),
            leaf(2, "管理", "20", Some("20"), ""),
            leaf(3, "数量", "35", Some("35"), ""),
            leaf(4, "社会效益", "35", Some("35"), ""),
        ]);
        doc.rating_scale.grades[1].min = d("95");
        assert_eq!(
            problems_of(&doc),
            vec![(
                Severity::Error,
                "整表".into(),
                "绩效评定级别的分数线应在 0 到 100 之间且从高到低：现为 优 ≥90 / 良 ≥95 / 中 ≥60 / 差"
                    .into()
            )]
        );
    }

    fn kinds_of(doc: &Evaluation) -> Vec<ProblemKind> {
        validate(doc, &summarize(doc))
            .into_iter()
            .map(|p| p.kind)
            .collect()
    }

    fn full_marks() -> Evaluation {
        four_groups([
            leaf(1, "立项", "10", Some("10"), ""),
            leaf(2, "管理", "20", Some("20"), ""),
            leaf(3, "数量", "35", Some("30"), "少"),
            leaf(4, "社会效益", "35", Some("25"), "少"),
        ])
    }

    #[test]
    fn grades_need_names_that_differ() {
        let mut doc = full_marks();
        doc.rating_scale.grades[2].name = "优".into();
        assert_eq!(kinds_of(&doc), vec![ProblemKind::ThresholdsInvalid]);
        let mut doc = full_marks();
        doc.rating_scale.lowest = " ".into();
        assert_eq!(kinds_of(&doc), vec![ProblemKind::ThresholdsInvalid]);
    }

    #[test]
    fn a_printed_grade_other_than_the_computed_one_is_named_with_both() {
        let mut doc = full_marks();
        doc.printed_grade = Some(crate::model::PrintedGrade {
            grade: "优".into(),
            source: "第 30 行".into(),
        });
        let problems = validate(&doc, &summarize(&doc));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].kind, ProblemKind::PrintedGradeMismatch);
        assert!(problems[0].message.contains("“优”"), "{problems:?}");
        assert!(problems[0].message.contains("“良”"), "{problems:?}");
        assert!(problems[0].message.contains("85.00"), "{problems:?}");

        doc.printed_grade = Some(crate::model::PrintedGrade {
            grade: "良".into(),
            source: "第 30 行".into(),
        });
        assert_eq!(kinds_of(&doc), Vec::<ProblemKind>::new());
    }

    #[test]
    fn a_printed_grade_outside_the_scale_is_named() {
        let mut doc = full_marks();
        doc.printed_grade = Some(crate::model::PrintedGrade {
            grade: "良好".into(),
            source: "第 30 行".into(),
        });
        let problems = validate(&doc, &summarize(&doc));
        assert_eq!(
            problems.iter().map(|p| p.kind).collect::<Vec<_>>(),
            vec![ProblemKind::PrintedGradeUnknown]
        );
        assert!(problems[0].message.contains("“良好”"), "{problems:?}");
        assert!(problems[0].message.contains("优 ≥90"), "{problems:?}");
    }

    #[test]
    fn a_form_whose_printed_fund_total_is_not_its_rows_is_flagged() {
        // A published form printed 年度资金总额 as 0/0/0 with 当年财政拨款 90/89.974/89.974.
        let mut doc = four_groups([
            leaf(1, "立项", "10", Some("10"), ""),
            leaf(2, "管理", "20", Some("20"), ""),
            leaf(3, "数量", "35", Some("35"), ""),
            leaf(4, "社会效益", "35", Some("35"), ""),
        ]);
        let block = &mut doc.self_assessment;
        block.current_year.initial_budget = Some(d("90"));
        block.current_year.full_year_budget = Some(d("89.974"));
        block.current_year.executed = Some(d("89.974"));
        block.printed_total = Some(crate::model::FundRow {
            initial_budget: Some(d("0")),
            full_year_budget: Some(d("0")),
            executed: Some(d("0")),
        });
        let messages: Vec<String> = problems_of(&doc)
            .into_iter()
            .map(|(_, path, m)| format!("{path}：{m}"))
            .collect();
        assert_eq!(
            messages,
            [
                "年度资金总额：表中写明年初预算数 0，但当年财政拨款、上年结转资金、其他资金合计为 90",
                "年度资金总额：表中写明全年预算数 0，但当年财政拨款、上年结转资金、其他资金合计为 89.974",
                "年度资金总额：表中写明全年执行数 0，但当年财政拨款、上年结转资金、其他资金合计为 89.974",
            ]
        );
        assert_eq!(doc.self_assessment.execution_rate(), Ok(Decimal::ONE));
    }

    #[test]
    fn declared_figures_that_disagree_are_named() {
        let mut doc = four_groups([
            leaf(1, "立项", "10", Some("7.66"), "x"),
            leaf(2, "管理", "20", Some("16.9"), "x"),
            leaf(3, "数量", "35", Some("29.26"), "x"),
            leaf(4, "社会效益", "35", Some("28.20"), "x"),
        ]);
        doc.declared = vec![
            Declared {
                node: Some(NodeId(104)),
                figure: Figure::Score,
                value: d("28.02"),
                source: "第 26 行".into(),
            },
            Declared {
                node: Some(NodeId(102)),
                figure: Figure::Score,
                value: d("16.9"),
                source: "第 24 行".into(),
            },
            Declared {
                node: None,
                figure: Figure::Score,
                value: d("82.02"),
                source: "第 27 行".into(),
            },
        ];
        assert_eq!(
            problems_of(&doc),
            vec![(
                Severity::Warning,
                "效益".into(),
                "第 26 行写明得分 28.02，但其下各项得分合计为 28.20".into()
            )]
        );
    }
}
