//! The expert's side of a panel, with files alone: the secretary prepares one file per
//! expert from the plan; the expert scores it, every committed change kept in its
//! history; 提交评分 seals it with a SHA-256 over the scores, reasons and history, so that
//! the merge can tell a file changed after it was submitted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::model::panel::SealedChange;
use crate::model::{
    Assignment, Change, Evaluation, EvaluationKind, Field, HistoryEntry, How, Indicator,
    IndicatorPath, Seal,
};
use crate::number::format2;

/// The local time, to the second, as history entries and seals write it.
pub fn now() -> String {
    jiff::ZonedDateTime::now()
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The plan's fingerprint: SHA-256 (hex) of its indicator tree — each indicator's level,
/// id, name, 分值 and 一票否决 mark, in order. Scores, reasons and 评分标准 do not count.
/// The ids are the indicators' identity, by which the panel keeps what it agreed: files
/// of one plan share them (each is the plan's copy), and a file whose ids were changed
/// is another plan.
pub fn plan_fingerprint(doc: &Evaluation) -> String {
    fingerprint(doc, true)
}

/// [`plan_fingerprint`], or with `ids` false the fingerprint of files prepared before
/// format 3, over names and 分值 alone.
pub fn fingerprint(doc: &Evaluation, ids: bool) -> String {
    let mut hasher = Sha256::new();
    let mut line = String::new();
    doc.visit(&mut |node, depth| {
        line.clear();
        if ids {
            let _ = write!(line, "{}\u{1f}", node.id.0);
        }
        let _ = write!(line, "{depth}\u{1f}{}\u{1f}", node.name);
        if node.is_leaf() {
            let _ = write!(line, "{}", node.max_points.normalize());
        }
        let _ = write!(line, "\u{1f}{}\u{1e}", node.veto);
        hasher.update(line.as_bytes());
    });
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// What the seal is computed over: the expert, the plan, the scores, reasons and 不适用
/// of every leaf, and the history — one canonical text, independent of how RON spells it.
/// With `ids` (seals made since format 3) the plan's fingerprint and every leaf carry the
/// indicator's id; without, the text is the one older seals were made over.
fn sealed_text(doc: &Evaluation, expert: &str, at: &str, ids: bool) -> String {
    let scheme = if ids { 2 } else { 1 };
    let mut text = format!("jixiao seal {scheme}\u{1e}{expert}\u{1e}{at}\u{1e}");
    if let Some(assignment) = &doc.assignment {
        let _ = write!(text, "{}\u{1e}{}\u{1e}", assignment.expert, assignment.plan);
    }
    let _ = write!(text, "{}\u{1e}", fingerprint(doc, ids));
    for (path, leaf) in doc.leaf_paths() {
        if ids {
            let _ = write!(text, "{}\u{1f}", leaf.id.0);
        }
        let score = leaf
            .scoring
            .score
            .map(|s| s.normalize().to_string())
            .unwrap_or_default();
        let _ = write!(
            text,
            "{path}\u{1f}{score}\u{1f}{}\u{1f}{}",
            leaf.scoring.not_applicable, leaf.scoring.reason
        );
        // The evidence as attached: a file swapped or a hash edited breaks the seal.
        // (Leaves without evidence add nothing, so seals made before it still hold.)
        for item in &leaf.evidence {
            let _ = write!(
                text,
                "\u{1f}佐证\u{1f}{}\u{1f}{}\u{1f}{}",
                item.number, item.file, item.sha256
            );
        }
        text.push('\u{1e}');
    }
    for entry in &doc.history {
        let _ = write!(text, "{}\u{1f}", entry.at);
        match &entry.change {
            Change::Edit {
                indicator,
                id,
                field,
                old,
                new,
                how,
            } => {
                let _ = write!(
                    text,
                    "edit\u{1f}{indicator}\u{1f}{}\u{1f}{old}\u{1f}{new}\u{1f}{}",
                    field.label(),
                    how.note()
                );
                // Entries written before ids were recorded keep the text they were sealed over.
                if let Some(id) = id {
                    let _ = write!(text, "\u{1f}#{}", id.0);
                }
            }
            Change::Prepared { expert } => {
                let _ = write!(text, "prepared\u{1f}{expert}");
            }
            Change::Submitted { expert } => {
                let _ = write!(text, "submitted\u{1f}{expert}");
            }
            Change::Withdrawn { expert, broken } => {
                let _ = write!(text, "withdrawn\u{1f}{expert}\u{1f}{broken}");
            }
            Change::Accepted { expert, reason } => {
                let _ = write!(text, "accepted\u{1f}{expert}\u{1f}{reason}");
            }
        }
        text.push('\u{1e}');
    }
    text
}

fn digest(doc: &Evaluation, expert: &str, at: &str, ids: bool) -> String {
    hex(&Sha256::digest(
        sealed_text(doc, expert, at, ids).as_bytes(),
    ))
}

/// Whether a file was submitted and is as it was then.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SealStatus {
    /// Not submitted.
    None,
    /// Submitted, and unchanged since.
    Ok,
    /// Submitted, and changed since (提交后被改动).
    Broken,
}

impl SealStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "未提交",
            Self::Ok => "已提交",
            Self::Broken => "提交后被改动",
        }
    }
}

/// What the seal of a sealed file would be now: the seal's own digest while the file is
/// as submitted, another after any change. `None` for a file not submitted.
pub fn current_digest(doc: &Evaluation) -> Option<String> {
    doc.seal
        .as_ref()
        .map(|seal| digest(doc, &seal.expert, &seal.at, seal.ids))
}

const FIELDS: [Field; 3] = [Field::Score, Field::Reason, Field::NotApplicable];

/// A short SHA-256 of one field of one leaf, with its path.
fn field_digest(path: &str, field: Field, value: &str) -> String {
    let text = format!("{path}\u{1f}{}\u{1f}{value}", field.label());
    let mut hash = hex(&Sha256::digest(text.as_bytes()));
    hash.truncate(16);
    hash
}

/// [`field_digest`] of every leaf's 得分, 扣分理由 and 不适用, in table order.
fn field_digests(doc: &Evaluation) -> Vec<String> {
    doc.leaf_paths()
        .into_iter()
        .flat_map(|(path, leaf)| {
            let path = path.to_string();
            FIELDS.map(|field| field_digest(&path, field, &field_text(leaf, field)))
        })
        .collect()
}

/// Every field of every indicator that differs from the state the file was sealed in.
/// That state is replayed from the history up to the last submission: a prepared file
/// starts empty, and every committed change is an entry. Empty when nothing can be
/// named (the history was changed as well, or the file was not prepared).
pub fn sealed_changes(doc: &Evaluation) -> Vec<SealedChange> {
    let sealed_fields = doc.seal.as_ref().map_or(&[][..], |s| s.fields.as_slice());
    let submitted = doc
        .history
        .iter()
        .rposition(|e| matches!(e.change, Change::Submitted { .. }));
    let sealed = &doc.history[..submitted.unwrap_or(0)];
    let prepared = submitted.is_some()
        && sealed
            .iter()
            .any(|e| matches!(e.change, Change::Prepared { .. }));
    let leaves: Vec<(String, &Indicator)> = doc
        .leaf_paths()
        .into_iter()
        .map(|(path, leaf)| (path.to_string(), leaf))
        .collect();
    let by_seal = sealed_fields.len() == leaves.len() * FIELDS.len();
    let mut out = Vec::new();
    for (index, (path, leaf)) in leaves.iter().enumerate() {
        for (offset, field) in FIELDS.into_iter().enumerate() {
            let now = field_text(leaf, field);
            // An entry names its leaf by id; older entries, without one, by path.
            let last = sealed.iter().rev().find_map(|entry| match &entry.change {
                Change::Edit {
                    indicator,
                    id,
                    field: f,
                    new,
                    ..
                } if *f == field && id.map_or(indicator == path, |id| id == leaf.id) => {
                    Some(new.clone())
                }
                _ => None,
            });
            // As prepared: no score, no reason, applicable.
            let replayed = last.or_else(|| {
                prepared.then(|| match field {
                    Field::NotApplicable => "否".to_owned(),
                    Field::Evidence => String::new(),
                    Field::Score | Field::Reason => String::new(),
                })
            });
            let changed = if by_seal {
                sealed_fields[index * FIELDS.len() + offset] != field_digest(path, field, &now)
            } else {
                replayed.as_ref().is_some_and(|was| *was != now)
            };
            if changed {
                out.push(SealedChange {
                    indicator: nth_label(&leaves, index),
                    field,
                    sealed: replayed.filter(|was| *was != now),
                    now,
                });
            }
        }
    }
    out
}

/// The path of `leaves[index]`, with `（第 2 项）` where another leaf has the same path:
/// what tells two indicators of one name apart in a message.
fn nth_label(leaves: &[(String, &Indicator)], index: usize) -> String {
    let path = &leaves[index].0;
    let same = |(other, _): &&(String, &Indicator)| other == path;
    if leaves.iter().filter(same).count() < 2 {
        return path.clone();
    }
    let nth = leaves[..=index].iter().filter(same).count();
    format!("{path}（第 {nth} 项）")
}

pub fn seal_status(doc: &Evaluation) -> SealStatus {
    match &doc.seal {
        None => SealStatus::None,
        Some(seal) if seal.digest == digest(doc, &seal.expert, &seal.at, seal.ids) => {
            SealStatus::Ok
        }
        Some(_) => SealStatus::Broken,
    }
}

/// Why a file cannot be submitted yet, or prepared.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    #[error("还有 {} 项指标未评分：{}", .0.len(), list(.0))]
    Unscored(Vec<String>),
    #[error("有 {} 项指标扣了分但没有写扣分理由：{}", .0.len(), list(.0))]
    NoReason(Vec<String>),
    #[error("这份文件已经提交（{at}）")]
    AlreadySealed { at: String },
    #[error("这份文件还没有提交")]
    NotSealed,
    #[error("请填写专家姓名")]
    NoExperts,
    #[error("专家姓名“{0}”重复")]
    Duplicate(String),
    #[error("专家姓名“{0}”不能用作文件名（不能含有 / \\ : * ? \" < > |）")]
    BadName(String),
    #[error("评价方案中还没有指标")]
    EmptyPlan,
}

/// The first five items of a list, then how many more.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = items
        .iter()
        .take(SHOWN)
        .map(|s| format!("“{s}”"))
        .collect::<Vec<_>>()
        .join("、");
    if items.len() > SHOWN {
        let _ = write!(text, " 等");
    }
    text
}

/// Whether every applicable leaf is scored and every lost point has a reason: what
/// 提交评分 asks before it seals.
pub fn check_ready(doc: &Evaluation) -> Result<(), SubmitError> {
    if let Some(seal) = &doc.seal {
        return Err(SubmitError::AlreadySealed {
            at: seal.at.clone(),
        });
    }
    let mut unscored = Vec::new();
    let mut no_reason = Vec::new();
    for (path, leaf) in doc.leaf_paths() {
        let path = path.to_string();
        if !leaf.is_applicable() {
            continue;
        }
        match leaf.scoring.score {
            None => unscored.push(path),
            Some(score) if score < leaf.max_points && leaf.scoring.reason.trim().is_empty() => {
                no_reason.push(path)
            }
            Some(_) => {}
        }
    }
    if !unscored.is_empty() {
        return Err(SubmitError::Unscored(unscored));
    }
    if !no_reason.is_empty() {
        return Err(SubmitError::NoReason(no_reason));
    }
    Ok(())
}

/// The expert a file belongs to: the prepared name, else the 评价人.
pub fn owner(doc: &Evaluation) -> String {
    doc.assignment
        .as_ref()
        .map(|a| a.expert.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| doc.info.evaluator.trim().to_owned())
}

/// 提交评分: checks the file, records the submission in its history and seals it.
pub fn submit(doc: &mut Evaluation, at: &str) -> Result<(), SubmitError> {
    check_ready(doc)?;
    let expert = owner(doc);
    doc.history.push(HistoryEntry {
        at: at.to_owned(),
        change: Change::Submitted {
            expert: expert.clone(),
        },
    });
    let digest = digest(doc, &expert, at, true);
    doc.seal = Some(Seal {
        expert,
        at: at.to_owned(),
        digest,
        fields: field_digests(doc),
        ids: true,
    });
    Ok(())
}

/// 撤回提交: unseals the file, with a history entry, so that a later change is visible.
pub fn withdraw(doc: &mut Evaluation, at: &str) -> Result<(), SubmitError> {
    let broken = seal_status(doc) == SealStatus::Broken;
    let seal = doc.seal.take().ok_or(SubmitError::NotSealed)?;
    doc.history.push(HistoryEntry {
        at: at.to_owned(),
        change: Change::Withdrawn {
            expert: seal.expert,
            broken,
        },
    });
    Ok(())
}

/// One expert's file from the plan: the tree, 分值 and 评分标准 with no scores, reasons
/// or panel, the expert's name, and the plan's fingerprint.
pub fn expert_file(plan: &Evaluation, expert: &str, panel: &[String], at: &str) -> Evaluation {
    let mut doc = plan.clone();
    fn clear(nodes: &mut [Indicator]) {
        for node in nodes {
            let keep = std::mem::take(&mut node.scoring);
            // What the plan sets for the indicator stays; what a scorer enters goes.
            node.scoring.target = keep.target;
            node.scoring.unit = keep.unit;
            node.scoring.direction = keep.direction;
            node.scoring.rule = keep.rule;
            clear(&mut node.children);
        }
    }
    clear(&mut doc.indicators);
    doc.declared.clear();
    doc.printed_grade = None;
    doc.import_notes.clear();
    doc.panel = None;
    doc.seal = None;
    doc.info.kind = EvaluationKind::Expert;
    doc.info.evaluator = expert.to_owned();
    doc.history = vec![HistoryEntry {
        at: at.to_owned(),
        change: Change::Prepared {
            expert: expert.to_owned(),
        },
    }];
    doc.assignment = Some(Assignment {
        expert: expert.to_owned(),
        panel: panel.to_vec(),
        plan: plan_fingerprint(plan),
        plan_ids: true,
        prepared: at.to_owned(),
    });
    doc
}

/// Splits `张三,李四、王五` (commas of either width, 、, semicolons, new lines) into names.
pub fn expert_names(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The files to write for `experts`, in `folder`: `张三.ron` …, each prepared from `plan`.
pub fn prepare(
    plan: &Evaluation,
    experts: &[String],
    folder: &Path,
    at: &str,
) -> Result<Vec<(PathBuf, Evaluation)>, SubmitError> {
    if experts.is_empty() {
        return Err(SubmitError::NoExperts);
    }
    if plan.leaves().is_empty() {
        return Err(SubmitError::EmptyPlan);
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(experts.len());
    for name in experts {
        if name
            .chars()
            .any(|c| "/\\:*?\"<>|".contains(c) || c.is_control())
            || name == ".."
        {
            return Err(SubmitError::BadName(name.clone()));
        }
        if !seen.insert(name.as_str()) {
            return Err(SubmitError::Duplicate(name.clone()));
        }
        out.push((
            folder.join(format!("{name}.ron")),
            expert_file(plan, name, experts, at),
        ));
    }
    Ok(out)
}

/// A leaf's value of `field` as the history writes it.
pub fn field_text(leaf: &Indicator, field: Field) -> String {
    match field {
        Field::Score => leaf
            .scoring
            .score
            .map(|s| s.normalize().to_string())
            .unwrap_or_default(),
        Field::Reason => leaf.scoring.reason.clone(),
        Field::Evidence => leaf
            .evidence
            .iter()
            .map(|e| e.number.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        Field::NotApplicable => if leaf.scoring.not_applicable {
            "是"
        } else {
            "否"
        }
        .to_owned(),
    }
}

/// The history entries of one leaf going from `before` to `after`: one per field (得分,
/// 扣分理由, 不适用) whose value differs. Typing, undo, redo and a fill all record
/// through it.
pub fn changes(
    before: &Indicator,
    after: &Indicator,
    path: &str,
    how: How,
    at: &str,
) -> Vec<HistoryEntry> {
    [Field::Score, Field::Reason, Field::NotApplicable]
        .into_iter()
        .filter_map(|field| {
            let (old, new) = (field_text(before, field), field_text(after, field));
            (old != new).then(|| HistoryEntry {
                at: at.to_owned(),
                change: Change::Edit {
                    indicator: path.to_owned(),
                    id: Some(after.id),
                    field,
                    old,
                    new,
                    how,
                },
            })
        })
        .collect()
}

/// The history entries that take `before` to `after`: one per leaf and field whose value
/// differs (leaves matched by id). For undo and redo, which swap whole documents.
pub fn differences(
    before: &Evaluation,
    after: &Evaluation,
    how: How,
    at: &str,
) -> Vec<HistoryEntry> {
    let old: std::collections::HashMap<_, _> =
        before.leaves().into_iter().map(|l| (l.id, l)).collect();
    let mut out = Vec::new();
    for (path, leaf) in after.leaf_paths() {
        let Some(was) = old.get(&leaf.id) else {
            continue;
        };
        out.extend(changes(was, leaf, &path.to_string(), how, at));
    }
    out
}

/// What filling an expert's file from a table did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    /// Leaves whose score or reason came from the table.
    pub filled: usize,
    /// The table's leaves that are not in the file, by path.
    pub unmatched: Vec<String>,
    /// The file's applicable leaves the table gave no score.
    pub missing: Vec<String>,
}

/// Puts the scores, reasons and 不适用 of `table` (an expert's scoring on the printed or
/// Excel table, read by the importer) into `doc`, matching leaves by path (the n-th row
/// of a path fills the n-th indicator of that path). Each change
/// is one history entry marked 从表格填入. A score above the leaf's 分值, or with more than
/// two decimals, is not taken;
/// it is named among the unmatched.
pub fn fill(doc: &mut Evaluation, table: &Evaluation, at: &str) -> Filled {
    let mut result = Filled::default();
    // Two indicators of one path are told apart by order: the n-th row of the table
    // fills the n-th indicator of the file.
    let mut targets: std::collections::HashMap<IndicatorPath, Vec<crate::model::NodeId>> =
        Default::default();
    for (path, leaf) in doc.leaf_paths() {
        targets.entry(path).or_default().push(leaf.id);
    }
    let mut used: std::collections::HashMap<IndicatorPath, usize> = Default::default();
    let mut entries = Vec::new();
    for (path, source) in table.leaf_paths() {
        let nth = used.entry(path.clone()).or_default();
        let id = targets.get(&path).and_then(|ids| ids.get(*nth)).copied();
        *nth += 1;
        let Some(leaf) = id.and_then(|id| doc.find_mut(id)) else {
            result.unmatched.push(path.to_string());
            continue;
        };
        if let Some(score) = source.scoring.score
            && (score > leaf.max_points || score < Decimal::ZERO)
        {
            result.unmatched.push(format!(
                "{path}（得分 {} 不在 0 到分值 {} 之间）",
                format2(score),
                format2(leaf.max_points)
            ));
            continue;
        }
        // A third decimal is named, never rounded into the expert's file.
        if let Some(score) = source.scoring.score
            && crate::number::too_precise(score)
        {
            result
                .unmatched
                .push(format!("{path}（得分 {} 多于两位小数）", score.normalize()));
            continue;
        }
        let before = leaf.clone();
        if source.scoring.score.is_some() {
            leaf.scoring.score = source.scoring.score;
            // A score from the table stands over a rule's result, as one typed does.
            let computed = leaf
                .scoring
                .rule
                .as_ref()
                .is_some_and(|rule| rule.kind != crate::model::RuleKind::Qualitative);
            if computed && leaf.scoring.manual_reason.is_none() {
                leaf.scoring.manual_reason = Some(String::new());
            }
        }
        if !source.scoring.reason.trim().is_empty() {
            leaf.scoring.reason = source.scoring.reason.trim().to_owned();
        }
        if source.scoring.not_applicable {
            leaf.scoring.not_applicable = true;
        }
        let filled = changes(&before, leaf, &path.to_string(), How::Filled, at);
        if !filled.is_empty() {
            result.filled += 1;
        }
        entries.extend(filled);
    }
    doc.history.extend(entries);
    for (path, leaf) in doc.leaf_paths() {
        if leaf.is_applicable() && leaf.scoring.score.is_none() {
            result.missing.push(path.to_string());
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;

    fn scored_file() -> Evaluation {
        let plan = templates::load("project").unwrap();
        let mut doc = expert_file(&plan, "张三", &["张三".into()], "2026-11-28 09:00:00");
        let ids: Vec<_> = doc.leaves().iter().map(|l| l.id).collect();
        for id in ids {
            let leaf = doc.find_mut(id).unwrap();
            leaf.scoring.score = Some(leaf.max_points);
        }
        doc
    }

    #[test]
    fn a_prepared_file_has_the_plan_and_no_scores() {
        let mut plan = templates::load("project").unwrap();
        let first = plan.leaves()[0].id;
        plan.find_mut(first).unwrap().scoring.score = Some(Decimal::ONE);
        let doc = expert_file(&plan, "李四", &["张三".into(), "李四".into()], "t");
        assert!(doc.leaves().iter().all(|l| l.scoring.score.is_none()));
        assert_eq!(doc.info.evaluator, "李四");
        let assignment = doc.assignment.as_ref().unwrap();
        assert_eq!(assignment.plan, plan_fingerprint(&plan));
        assert_eq!(assignment.panel, ["张三", "李四"]);
        // The plan's fingerprint does not change with scores, but with a 分值.
        assert_eq!(plan_fingerprint(&doc), assignment.plan);
        let mut changed = plan.clone();
        changed.find_mut(first).unwrap().max_points += Decimal::ONE;
        assert_ne!(plan_fingerprint(&changed), assignment.plan);
        // Nor with an indicator's id changed: the panel keeps what it agreed by id.
        let mut renumbered = plan.clone();
        renumbered.find_mut(first).unwrap().id = crate::model::NodeId(9999);
        assert_ne!(plan_fingerprint(&renumbered), assignment.plan);
    }

    #[test]
    fn submit_asks_for_every_score_and_every_reason() {
        let mut doc = scored_file();
        let first = doc.leaves()[0].id;
        doc.find_mut(first).unwrap().scoring.score = None;
        assert_eq!(
            submit(&mut doc, "t").unwrap_err().to_string(),
            "还有 1 项指标未评分：“决策 / 项目立项 / 立项依据充分性”"
        );
        doc.find_mut(first).unwrap().scoring.score = Some(Decimal::ONE);
        assert_eq!(
            submit(&mut doc, "t").unwrap_err().to_string(),
            "有 1 项指标扣了分但没有写扣分理由：“决策 / 项目立项 / 立项依据充分性”"
        );
        doc.find_mut(first).unwrap().scoring.reason = "依据不足".into();
        submit(&mut doc, "2026-11-28 10:00:00").unwrap();
        assert_eq!(seal_status(&doc), SealStatus::Ok);
        assert_eq!(doc.seal.as_ref().unwrap().expert, "张三");
    }

    #[test]
    fn a_change_after_submitting_breaks_the_seal_and_withdrawing_is_recorded() {
        let mut doc = scored_file();
        submit(&mut doc, "2026-11-28 10:00:00").unwrap();
        let mut tampered = doc.clone();
        let first = tampered.leaves()[0].id;
        tampered.find_mut(first).unwrap().scoring.score = Some(Decimal::ONE);
        assert_eq!(seal_status(&tampered), SealStatus::Broken);
        let mut erased = doc.clone();
        erased.history.remove(0);
        assert_eq!(seal_status(&erased), SealStatus::Broken);

        // Withdrawing a file changed after submitting says so, for good.
        withdraw(&mut tampered, "2026-11-28 11:00:00").unwrap();
        assert_eq!(
            tampered.history.last().unwrap().change.describe(),
            "张三 撤回提交（撤回时发现提交后被改动过）"
        );
        withdraw(&mut doc, "2026-11-28 11:00:00").unwrap();
        assert_eq!(seal_status(&doc), SealStatus::None);
        assert_eq!(
            doc.history.last().unwrap().change.describe(),
            "张三 撤回提交"
        );
    }

    #[test]
    fn prepare_refuses_names_that_cannot_be_files() {
        let plan = templates::load("project").unwrap();
        let folder = Path::new("/tmp/x");
        let names = expert_names("张三，李四、王五\n赵六");
        assert_eq!(names, ["张三", "李四", "王五", "赵六"]);
        let files = prepare(&plan, &names, folder, "t").unwrap();
        assert_eq!(files[3].0, folder.join("赵六.ron"));
        assert_eq!(
            prepare(&plan, &expert_names("张三,张三"), folder, "t")
                .unwrap_err()
                .to_string(),
            "专家姓名“张三”重复"
        );
        assert!(matches!(
            prepare(&plan, &expert_names("../x"), folder, "t"),
            Err(SubmitError::BadName(_))
        ));
        // Two indicators of one name in one place are told apart by their ids.
        let mut twice = plan.clone();
        let first = twice.leaves()[0].id;
        let second = twice.leaves()[1].id;
        let name = twice.find(first).unwrap().name.clone();
        twice.find_mut(second).unwrap().name = name;
        let files = prepare(&twice, &names, folder, "t").unwrap();
        assert_eq!(files.len(), 4);
    }
}
