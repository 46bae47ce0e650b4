//! The only way a document changes: an [`Edit`] applied by an [`Editor`], which keeps
//! the undo history, knows whether there are unsaved changes, and recomputes the totals
//! and problems once per change so every view shows the same figures.

use rust_decimal::Decimal;

use crate::model::How;
use crate::model::{
    Direction, Evaluation, Indicator, MAX_DEPTH, NodeId, ProjectInfo, QualitativeBand, RatingScale,
    RuleKind, ScoreRule, SelfAssessment,
};
use crate::rules::apply_rules;
use crate::scoring::{Summary, summarize};
use crate::submission::{changes, differences};
use crate::validate::{Problem, validate};

/// A text field of a leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextField {
    /// 扣分理由
    Reason,
    /// 评分标准
    Criteria,
    /// 年度指标值
    Target,
    /// 实际完成值
    Actual,
    /// 偏差原因分析及改进措施
    Deviation,
    /// 计量单位
    Unit,
    /// Why a computed score was changed by hand.
    ManualReason,
}

/// One change to a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    SetScore {
        id: NodeId,
        score: Option<Decimal>,
    },
    SetText {
        id: NodeId,
        field: TextField,
        text: String,
    },
    SetNotApplicable {
        id: NodeId,
        not_applicable: bool,
    },
    Rename {
        id: NodeId,
        name: String,
    },
    SetMaxPoints {
        id: NodeId,
        max_points: Decimal,
    },
    /// A new leaf right after `after`, at the same level.
    AddSibling {
        after: NodeId,
        name: String,
    },
    /// A new leaf as the last child of `parent`, or a new 一级 indicator when `None`.
    AddChild {
        parent: Option<NodeId>,
        name: String,
    },
    Delete {
        id: NodeId,
    },
    /// Moves an indicator one place up (`-1`) or down (`1`) among its siblings.
    Move {
        id: NodeId,
        by: isize,
    },
    SetInfo(ProjectInfo),
    SetRatingScale(RatingScale),
    /// The 自评表's header, budget block and goals.
    SetSelfAssessment(Box<SelfAssessment>),
    SetDirection {
        id: NodeId,
        direction: Option<Direction>,
    },
    /// Gives a leaf a rule (its score is then computed), or takes it away.
    SetRule {
        id: NodeId,
        rule: Option<ScoreRule>,
    },
    /// Goes back from a score typed by hand to the rule's result.
    ClearManual {
        id: NodeId,
    },
    SetBand {
        id: NodeId,
        band: Option<QualitativeBand>,
    },
    /// Inserts an indicator taken from the 指标库 (its name, 分值, 评分标准, rule and unit,
    /// no scores): after `after` at the same level, or as the last child of `under`
    /// (a new 一级 indicator when both are `None`).
    Insert {
        after: Option<NodeId>,
        under: Option<NodeId>,
        indicator: Box<Indicator>,
    },
    /// Marks a leaf 一票否决 (or not): scored 0, it fails the project.
    SetVeto {
        id: NodeId,
        veto: bool,
    },
    /// Replaces the whole document (a panel merged again from its experts).
    Replace(Box<Evaluation>),
    /// Forgets the figures an imported table printed (after the user has read the
    /// disagreements and fixed the table).
    ClearDeclared,
    /// Attaches a 佐证材料 to a leaf (the file is already in the document's 佐证材料
    /// folder: `evidence::attach` put it there).
    AddEvidence {
        id: NodeId,
        evidence: crate::model::Evidence,
    },
    /// Takes the evidence numbered `number` off a leaf; the file stays in the folder.
    RemoveEvidence {
        id: NodeId,
        number: String,
    },
}

/// Why an edit was refused; the document is unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("找不到这个指标，可能已被删除")]
    NotFound,
    #[error("指标名称不能为空")]
    EmptyName,
    #[error("“{name}”有下级指标，佐证材料请附在下级指标上")]
    EvidenceOnGroup { name: String },
    #[error("这项指标没有编号为 {number} 的佐证材料")]
    NoSuchEvidence { number: String },
    #[error("得分不能为负数")]
    NegativeScore,
    #[error("得分 {score} 超过分值 {max_points}")]
    ScoreAboveMax { score: Decimal, max_points: Decimal },
    #[error("得分 {score} 多于两位小数：评分表的得分保留两位小数")]
    TooManyDecimals { score: Decimal },
    #[error("分值不能为负数")]
    NegativeMaxPoints,
    #[error("分值不能低于已有得分 {score}")]
    MaxBelowScore { score: Decimal },
    #[error("“{name}”有下级指标，其{figure}是下级的合计，请在下级指标中修改")]
    GroupFigure { name: String, figure: &'static str },
    #[error("最多四级指标，不能在第 {depth} 级下再添加下级")]
    TooDeep { depth: usize },
    #[error("已经在最{end}了")]
    CannotMove { end: &'static str },
    #[error("一份评价最多 {} 个指标", crate::model::MAX_INDICATORS)]
    TooMany,
    #[error("“{name}”是末级指标，不能在其下插入；请在它后面插入")]
    NotAGroup { name: String },
    #[error("这份评分已经提交，不能再修改；如需修改请先“撤回提交”")]
    Sealed,
    #[error("这是专家评分文件：指标、分值和评分标准由评价方案确定，只能填写得分和扣分理由")]
    PlanFixed,
}

/// What an applied edit leaves for the view: the indicator to select, if any.
pub type Applied = Option<NodeId>;

/// Applies `edit` to `doc`, or refuses it and leaves `doc` as it was. Every rule's
/// score is brought up to date afterwards, so computed scores never lag behind.
pub fn apply(doc: &mut Evaluation, edit: &Edit) -> Result<Applied, EditError> {
    // An edit that adds an indicator takes its id first; a refused one gives it back,
    // so a refused edit leaves nothing changed (found by the editor fuzz target).
    let next_id = doc.next_id;
    let applied = apply_edit(doc, edit).inspect_err(|_| doc.next_id = next_id)?;
    record_agreed(doc, edit);
    apply_rules(doc);
    Ok(applied)
}

/// In a panel result, a 得分 or 扣分理由 set by hand is what the panel agreed after
/// discussing the indicator: it is kept as such, so that a re-merge keeps it. A score
/// cleared goes back to the experts' figure.
fn record_agreed(doc: &mut Evaluation, edit: &Edit) {
    let (id, score) = match edit {
        Edit::SetScore { id, score } => (*id, Some(*score)),
        Edit::SetText {
            id,
            field: TextField::Reason,
            ..
        } => (*id, None),
        _ => return,
    };
    if doc.panel.is_none() {
        return;
    }
    let reason = doc.find(id).map(|l| l.scoring.reason.clone());
    let computed = (score == Some(None))
        .then(|| doc.panel.as_ref().map(|p| p.computed_score(doc, id)))
        .flatten();
    let Some(panel) = doc.panel.as_mut() else {
        return;
    };
    match score {
        Some(Some(score)) => panel.agreed_mut(id).score = Some(score),
        Some(None) => panel.agreed_mut(id).score = None,
        None => panel.agreed_mut(id).opinion = reason,
    }
    panel
        .agreed
        .retain(|a| a.score.is_some() || a.opinion.is_some());
    if let (Some(computed), Some(leaf)) = (computed, doc.find_mut(id)) {
        leaf.scoring.score = computed;
    }
}

fn apply_edit(doc: &mut Evaluation, edit: &Edit) -> Result<Applied, EditError> {
    if doc.seal.is_some() {
        return Err(EditError::Sealed);
    }
    if doc.assignment.is_some() && changes_plan(edit) {
        return Err(EditError::PlanFixed);
    }
    match edit {
        Edit::SetScore { id, score } => {
            let node = leaf_mut(doc, *id, "得分")?;
            check_score(node, *score)?;
            node.scoring.score = *score;
            // A score typed over a rule's result is kept as typed, visibly.
            let computed = node
                .scoring
                .rule
                .as_ref()
                .is_some_and(|rule| rule.kind != RuleKind::Qualitative);
            if computed && node.scoring.manual_reason.is_none() {
                node.scoring.manual_reason = Some(String::new());
            }
            Ok(Some(*id))
        }
        Edit::SetText { id, field, text } => {
            let node = doc.find_mut(*id).ok_or(EditError::NotFound)?;
            let slot = match field {
                TextField::Reason => &mut node.scoring.reason,
                TextField::Criteria => &mut node.criteria,
                TextField::Target => &mut node.scoring.target,
                TextField::Actual => &mut node.scoring.actual,
                TextField::Deviation => &mut node.scoring.deviation,
                TextField::Unit => &mut node.scoring.unit,
                TextField::ManualReason => node.scoring.manual_reason.get_or_insert_default(),
            };
            slot.clone_from(text);
            Ok(Some(*id))
        }
        Edit::SetNotApplicable { id, not_applicable } => {
            let node = leaf_mut(doc, *id, "适用情况")?;
            node.scoring.not_applicable = *not_applicable;
            Ok(Some(*id))
        }
        Edit::Rename { id, name } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(EditError::EmptyName);
            }
            let node = doc.find_mut(*id).ok_or(EditError::NotFound)?;
            node.name = name.to_owned();
            Ok(Some(*id))
        }
        Edit::SetMaxPoints { id, max_points } => {
            let node = leaf_mut(doc, *id, "分值")?;
            check_max_points(node, *max_points)?;
            node.max_points = *max_points;
            Ok(Some(*id))
        }
        Edit::AddSibling { after, name } => {
            let new_id = doc.new_id();
            let leaf = Indicator::leaf(new_id, name.trim(), Decimal::ZERO);
            let (siblings, index) =
                siblings_of(&mut doc.indicators, *after).ok_or(EditError::NotFound)?;
            siblings.insert(index + 1, leaf);
            Ok(Some(new_id))
        }
        Edit::AddChild { parent, name } => {
            let new_id = doc.new_id();
            let mut leaf = Indicator::leaf(new_id, name.trim(), Decimal::ZERO);
            let Some(parent) = parent else {
                doc.indicators.push(leaf);
                return Ok(Some(new_id));
            };
            let depth = depth_of(&doc.indicators, *parent).ok_or(EditError::NotFound)?;
            if depth >= MAX_DEPTH {
                return Err(EditError::TooDeep { depth });
            }
            let node = doc.find_mut(*parent).ok_or(EditError::NotFound)?;
            if node.is_leaf() {
                // The first child takes over the leaf's 分值 and scoring, so the group's
                // 分值 and 得分 stay what they were.
                leaf.max_points = std::mem::take(&mut node.max_points);
                leaf.scoring = std::mem::take(&mut node.scoring);
            }
            node.children.push(leaf);
            Ok(Some(new_id))
        }
        Edit::Delete { id } => {
            let (siblings, index) =
                siblings_of(&mut doc.indicators, *id).ok_or(EditError::NotFound)?;
            siblings.remove(index);
            let next = siblings
                .get(index)
                .or_else(|| index.checked_sub(1).and_then(|i| siblings.get(i)))
                .map(|n| n.id);
            doc.declared.retain(|d| d.node != Some(*id));
            Ok(next)
        }
        Edit::Move { id, by } => {
            let (siblings, index) =
                siblings_of(&mut doc.indicators, *id).ok_or(EditError::NotFound)?;
            let target = index
                .checked_add_signed(*by)
                .filter(|t| *t < siblings.len())
                .ok_or(EditError::CannotMove {
                    end: if *by < 0 { "上面" } else { "下面" },
                })?;
            let node = siblings.remove(index);
            siblings.insert(target, node);
            Ok(Some(*id))
        }
        Edit::SetInfo(info) => {
            doc.info.clone_from(info);
            Ok(None)
        }
        Edit::SetRatingScale(scale) => {
            doc.rating_scale.clone_from(scale);
            Ok(None)
        }
        Edit::ClearDeclared => {
            doc.declared.clear();
            Ok(None)
        }
        Edit::SetSelfAssessment(block) => {
            let old = crate::ruleset::of(doc).clone();
            doc.self_assessment.clone_from(block.as_ref());
            // Another set reaches every row it governs, not only rows typed afterwards.
            crate::rules::rederive(doc, &old);
            Ok(None)
        }
        Edit::SetDirection { id, direction } => {
            leaf_mut(doc, *id, "指标方向")?.scoring.direction = *direction;
            Ok(Some(*id))
        }
        Edit::SetRule { id, rule } => {
            let node = leaf_mut(doc, *id, "评分规则")?;
            node.scoring.rule.clone_from(rule);
            node.scoring.manual_reason = None;
            Ok(Some(*id))
        }
        Edit::ClearManual { id } => {
            leaf_mut(doc, *id, "得分")?.scoring.manual_reason = None;
            Ok(Some(*id))
        }
        Edit::SetBand { id, band } => {
            leaf_mut(doc, *id, "达成程度")?.scoring.band = *band;
            Ok(Some(*id))
        }
        Edit::Insert {
            after,
            under,
            indicator,
        } => {
            let mut node = indicator.as_ref().clone();
            // Fresh ids for it and anything below it.
            fn renumber(node: &mut Indicator, doc: &mut Evaluation) {
                node.id = doc.new_id();
                for child in &mut node.children {
                    renumber(child, doc);
                }
            }
            renumber(&mut node, doc);
            let id = node.id;
            let mut levels = 0;
            node.visit(&mut |_, depth| levels = levels.max(depth));
            let mut count = doc.indicator_count();
            node.visit(&mut |_, _| count += 1);
            if count > crate::model::MAX_INDICATORS {
                return Err(EditError::TooMany);
            }
            // The level the node lands at, and so the deepest level it reaches.
            let at = match (after, under) {
                (Some(after), _) => depth_of(&doc.indicators, *after).ok_or(EditError::NotFound)?,
                (None, Some(parent)) => {
                    depth_of(&doc.indicators, *parent).ok_or(EditError::NotFound)? + 1
                }
                (None, None) => 1,
            };
            if at + levels - 1 > MAX_DEPTH {
                return Err(EditError::TooDeep { depth: at - 1 });
            }
            match (after, under) {
                (Some(after), _) => {
                    let (siblings, index) =
                        siblings_of(&mut doc.indicators, *after).ok_or(EditError::NotFound)?;
                    siblings.insert(index + 1, node);
                }
                (None, Some(parent)) => {
                    let parent = doc.find_mut(*parent).ok_or(EditError::NotFound)?;
                    // An empty indicator (no 分值, nothing entered) may become a group;
                    // a scored leaf may not, or its figures would be lost.
                    let empty = parent.max_points.is_zero() && parent.scoring.is_empty();
                    if parent.is_leaf() && !empty {
                        return Err(EditError::NotAGroup {
                            name: parent.name.clone(),
                        });
                    }
                    parent.children.push(node);
                }
                (None, None) => doc.indicators.push(node),
            }
            Ok(Some(id))
        }
        Edit::SetVeto { id, veto } => {
            leaf_mut(doc, *id, "一票否决")?.veto = *veto;
            Ok(Some(*id))
        }
        Edit::Replace(new) => {
            doc.clone_from(new.as_ref());
            Ok(None)
        }
        Edit::AddEvidence { id, evidence } => {
            let node = doc.find_mut(*id).ok_or(EditError::NotFound)?;
            if !node.is_leaf() {
                return Err(EditError::EvidenceOnGroup {
                    name: crate::model::shorten(&node.name),
                });
            }
            node.evidence.push(evidence.clone());
            Ok(Some(*id))
        }
        Edit::RemoveEvidence { id, number } => {
            let node = doc.find_mut(*id).ok_or(EditError::NotFound)?;
            let at = node
                .evidence
                .iter()
                .position(|e| e.number == *number)
                .ok_or_else(|| EditError::NoSuchEvidence {
                    number: crate::model::shorten(number),
                })?;
            node.evidence.remove(at);
            Ok(Some(*id))
        }
    }
}

/// Whether `edit` changes what the plan of a panel fixes: the tree, 分值, 评分标准, rules.
fn changes_plan(edit: &Edit) -> bool {
    match edit {
        Edit::SetText { field, .. } => *field == TextField::Criteria,
        Edit::Rename { .. }
        | Edit::SetMaxPoints { .. }
        | Edit::AddSibling { .. }
        | Edit::AddChild { .. }
        | Edit::Delete { .. }
        | Edit::Move { .. }
        | Edit::SetRatingScale(_)
        | Edit::SetSelfAssessment(_)
        | Edit::SetVeto { .. }
        | Edit::Insert { .. }
        | Edit::AddEvidence { .. }
        | Edit::RemoveEvidence { .. }
        | Edit::SetRule { .. } => true,
        _ => false,
    }
}

/// Whether `score` may be this leaf's 得分: not negative, not above its 分值, with two
/// decimals at most. The window
/// asks before it edits, to show why a typed score is refused.
pub fn check_score(leaf: &Indicator, score: Option<Decimal>) -> Result<(), EditError> {
    match score {
        Some(score) if score.is_sign_negative() && !score.is_zero() => {
            Err(EditError::NegativeScore)
        }
        Some(score) if score > leaf.max_points => Err(EditError::ScoreAboveMax {
            score: score.normalize(),
            max_points: leaf.max_points.normalize(),
        }),
        Some(score) if crate::number::too_precise(score) => Err(EditError::TooManyDecimals {
            score: score.normalize(),
        }),
        _ => Ok(()),
    }
}

/// Whether `max_points` may be this leaf's 分值: not negative, not below its 得分.
pub fn check_max_points(leaf: &Indicator, max_points: Decimal) -> Result<(), EditError> {
    if max_points.is_sign_negative() && !max_points.is_zero() {
        return Err(EditError::NegativeMaxPoints);
    }
    match leaf.scoring.score {
        Some(score) if score > max_points => Err(EditError::MaxBelowScore {
            score: score.normalize(),
        }),
        _ => Ok(()),
    }
}

fn leaf_mut<'a>(
    doc: &'a mut Evaluation,
    id: NodeId,
    figure: &'static str,
) -> Result<&'a mut Indicator, EditError> {
    let node = doc.find_mut(id).ok_or(EditError::NotFound)?;
    if node.is_leaf() {
        Ok(node)
    } else {
        Err(EditError::GroupFigure {
            name: node.name.clone(),
            figure,
        })
    }
}

/// The list holding `id` and its index in that list.
fn siblings_of(nodes: &mut Vec<Indicator>, id: NodeId) -> Option<(&mut Vec<Indicator>, usize)> {
    if let Some(index) = nodes.iter().position(|n| n.id == id) {
        return Some((nodes, index));
    }
    nodes
        .iter_mut()
        .find_map(|node| siblings_of(&mut node.children, id))
}

/// 1 for a 一级 indicator.
fn depth_of(nodes: &[Indicator], id: NodeId) -> Option<usize> {
    nodes.iter().find_map(|node| {
        if node.id == id {
            Some(1)
        } else {
            depth_of(&node.children, id).map(|d| d + 1)
        }
    })
}

/// How many snapshots undo keeps.
const UNDO_LIMIT: usize = 200;

/// A document being edited: the document, its undo and redo history, whether it has
/// unsaved changes, and its totals and problems, recomputed once after every change.
#[derive(Clone, Debug)]
pub struct Editor {
    doc: Evaluation,
    summary: Summary,
    problems: Vec<Problem>,
    seal: crate::submission::SealStatus,
    undo: Vec<(Evaluation, u64)>,
    redo: Vec<(Evaluation, u64)>,
    /// Typing into one cell is one undo step: successive edits of the same field of the
    /// same indicator merge until [`Editor::seal`] is called.
    open_step: Option<(NodeId, std::mem::Discriminant<Edit>, Option<TextField>)>,
    /// Where the history stood when the step being typed began.
    step_history: usize,
    revision: u64,
    next_revision: u64,
    saved_revision: u64,
}

impl Editor {
    pub fn new(mut doc: Evaluation) -> Self {
        apply_rules(&mut doc);
        let summary = summarize(&doc);
        let problems = validate(&doc, &summary);
        let seal = crate::submission::seal_status(&doc);
        Self {
            doc,
            summary,
            problems,
            seal,
            undo: Vec::new(),
            redo: Vec::new(),
            open_step: None,
            step_history: 0,
            revision: 0,
            next_revision: 1,
            saved_revision: 0,
        }
    }

    pub fn doc(&self) -> &Evaluation {
        &self.doc
    }

    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Whether the document differs from what was last saved (or opened).
    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision
    }

    /// A number that changes with every change, for views that cache what they show.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn mark_saved(&mut self) {
        self.saved_revision = self.revision;
    }

    /// Marks the document as not saved anywhere yet (an imported table, a recovered copy).
    pub fn mark_unsaved(&mut self) {
        self.saved_revision = u64::MAX;
    }

    /// Applies an edit as one undo step (or as part of the step being typed). What it
    /// changes of a leaf's 得分, 扣分理由 or 不适用 goes into the document's history: one
    /// entry per field for the whole step, however many keys it took.
    pub fn apply(&mut self, edit: Edit) -> Result<Applied, EditError> {
        let before = self.doc.clone();
        let applied = apply(&mut self.doc, &edit)?;
        let step = step_key(&edit);
        let merges = step.is_some() && step == self.open_step && !self.undo.is_empty();
        if !merges {
            self.undo.push((before, self.revision));
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
            self.step_history = self.doc.history.len();
        }
        if let (Some(id), Some((start, _))) = (recorded_leaf(&edit), self.undo.last()) {
            record(&mut self.doc, start, self.step_history, id);
        }
        self.open_step = step;
        self.redo.clear();
        self.revision = self.next_revision;
        self.next_revision += 1;
        self.refresh();
        Ok(applied)
    }

    /// Ends the step being typed, so the next edit is undone on its own.
    pub fn seal(&mut self) {
        self.open_step = None;
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        let Some((doc, revision)) = self.undo.pop() else {
            return false;
        };
        let (current, recorded) = self.swap_in(doc, How::Undo);
        self.redo.push((current, self.revision));
        self.revision = self.back_to(revision, recorded);
        self.open_step = None;
        self.refresh();
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some((doc, revision)) = self.redo.pop() else {
            return false;
        };
        let (current, recorded) = self.swap_in(doc, How::Redo);
        self.undo.push((current, self.revision));
        self.revision = self.back_to(revision, recorded);
        self.open_step = None;
        self.refresh();
        true
    }

    /// Swaps in `doc` (from the undo or redo list), keeping the history of the document it
    /// replaces and adding what the swap changed: undo never erases a committed edit's entry.
    /// Says whether it recorded anything.
    fn swap_in(&mut self, mut doc: Evaluation, how: How) -> (Evaluation, bool) {
        let mut history = std::mem::take(&mut self.doc.history);
        let added = differences(&self.doc, &doc, how, &crate::submission::now());
        let recorded = !added.is_empty();
        history.extend(added);
        doc.history = history;
        self.step_history = doc.history.len();
        (std::mem::replace(&mut self.doc, doc), recorded)
    }

    /// The revision after an undo or redo: the one the restored document had, unless
    /// the swap added history entries — then the document is not what was saved (its
    /// history grew), and closing it asks to save, so no entry is lost.
    fn back_to(&mut self, revision: u64, recorded: bool) -> u64 {
        if recorded {
            let fresh = self.next_revision;
            self.next_revision += 1;
            fresh
        } else {
            revision
        }
    }

    /// 提交评分: seals the document (see [`crate::submission::submit`]). Undo cannot go
    /// back across a submission; 撤回提交 can, and says so in the history.
    pub fn submit(&mut self) -> Result<(), crate::submission::SubmitError> {
        crate::submission::submit(&mut self.doc, &crate::submission::now())?;
        self.after_seal_change();
        Ok(())
    }

    /// 撤回提交.
    pub fn withdraw(&mut self) -> Result<(), crate::submission::SubmitError> {
        crate::submission::withdraw(&mut self.doc, &crate::submission::now())?;
        self.after_seal_change();
        Ok(())
    }

    /// Replaces the document by one filled from a table: one undo step.
    pub fn fill_from(
        &mut self,
        table: &Evaluation,
    ) -> Result<crate::submission::Filled, EditError> {
        if self.doc.seal.is_some() {
            return Err(EditError::Sealed);
        }
        let mut doc = self.doc.clone();
        let filled = crate::submission::fill(&mut doc, table, &crate::submission::now());
        self.apply(Edit::Replace(Box::new(doc)))?;
        Ok(filled)
    }

    fn after_seal_change(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.open_step = None;
        self.step_history = self.doc.history.len();
        self.revision = self.next_revision;
        self.next_revision += 1;
        self.refresh();
    }

    fn refresh(&mut self) {
        self.summary = summarize(&self.doc);
        self.problems = validate(&self.doc, &self.summary);
        self.seal = crate::submission::seal_status(&self.doc);
    }

    /// Whether the document is submitted and unchanged since (a SHA-256 over it, worked
    /// out once per change, not on every frame that shows it).
    pub fn seal_status(&self) -> crate::submission::SealStatus {
        self.seal
    }
}

/// Rewrites the history entries of the step being typed (those from `mark` on): what
/// changed on leaf `id` since the step began (`start`).
fn record(doc: &mut Evaluation, start: &Evaluation, mark: usize, id: NodeId) {
    doc.history.truncate(mark.min(doc.history.len()));
    let (Some(was), Some(now)) = (start.find(id), doc.find(id)) else {
        return;
    };
    if was.scoring == now.scoring {
        return;
    }
    let entries = changes(
        was,
        now,
        &doc.display_path(id),
        How::Typed,
        &crate::submission::now(),
    );
    doc.history.extend(entries);
}

/// The leaf whose 得分, 扣分理由 or 不适用 an edit may change (a rule recomputes the
/// score when its figures change).
fn recorded_leaf(edit: &Edit) -> Option<NodeId> {
    match edit {
        Edit::SetScore { id, .. }
        | Edit::SetText { id, .. }
        | Edit::SetNotApplicable { id, .. }
        | Edit::SetDirection { id, .. }
        | Edit::SetRule { id, .. }
        | Edit::ClearManual { id }
        | Edit::SetBand { id, .. } => Some(*id),
        _ => None,
    }
}

fn step_key(edit: &Edit) -> Option<(NodeId, std::mem::Discriminant<Edit>, Option<TextField>)> {
    let kind = std::mem::discriminant(edit);
    match edit {
        Edit::SetScore { id, .. } | Edit::Rename { id, .. } | Edit::SetMaxPoints { id, .. } => {
            Some((*id, kind, None))
        }
        Edit::SetText { id, field, .. } => Some((*id, kind, Some(*field))),
        // Typing into the 项目信息 form: one step per field session, like a cell.
        Edit::SetInfo(_) | Edit::SetRatingScale(_) | Edit::SetSelfAssessment(_) => {
            Some((NodeId(0), kind, None))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::format2;
    use crate::templates;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn project() -> Editor {
        Editor::new(templates::load("project").unwrap())
    }

    fn id_of(editor: &Editor, names: &[&str]) -> NodeId {
        editor.doc().find_by_names(names).unwrap().id
    }

    fn names(nodes: &[Indicator]) -> Vec<&str> {
        nodes.iter().map(|n| n.name.as_str()).collect()
    }

    #[test]
    fn a_score_changes_the_total_and_undo_restores_it() {
        let mut editor = project();
        let id = id_of(&editor, &["决策", "项目立项", "立项依据充分性"]);
        editor
            .apply(Edit::SetScore {
                id,
                score: Some(d("1.86")),
            })
            .unwrap();
        assert_eq!(editor.summary().total_text(), "1.86");
        assert!(editor.is_dirty());
        assert!(editor.undo());
        assert_eq!(editor.summary().total_text(), "0.00");
        // The scores are as opened, but the history now holds the edit and its undo:
        // closing asks to save, so neither entry is lost.
        assert!(editor.is_dirty());
        assert_eq!(editor.doc().history.len(), 2);
        assert!(editor.redo());
        assert_eq!(editor.summary().total_text(), "1.86");
        assert!(editor.is_dirty());
    }

    #[test]
    fn typing_in_one_cell_is_one_undo_step() {
        let mut editor = project();
        let id = id_of(&editor, &["决策", "项目立项", "立项依据充分性"]);
        for typed in ["1", "1.8", "1.86"] {
            editor
                .apply(Edit::SetScore {
                    id,
                    score: Some(d(typed)),
                })
                .unwrap();
        }
        editor.seal();
        editor
            .apply(Edit::SetScore {
                id,
                score: Some(d("2")),
            })
            .unwrap();
        editor.undo();
        assert_eq!(editor.summary().total_text(), "1.86");
        editor.undo();
        assert_eq!(editor.summary().total_text(), "0.00");
        assert!(!editor.can_undo());
    }

    #[test]
    fn out_of_range_scores_are_refused_and_change_nothing() {
        let mut editor = project();
        let id = id_of(&editor, &["决策", "项目立项", "立项依据充分性"]);
        assert_eq!(
            editor
                .apply(Edit::SetScore {
                    id,
                    score: Some(d("2.5"))
                })
                .unwrap_err()
                .to_string(),
            "得分 2.5 超过分值 2"
        );
        assert_eq!(
            editor.apply(Edit::SetScore {
                id,
                score: Some(d("-1"))
            }),
            Err(EditError::NegativeScore)
        );
        let group = id_of(&editor, &["决策"]);
        assert_eq!(
            editor
                .apply(Edit::SetScore {
                    id: group,
                    score: Some(d("1"))
                })
                .unwrap_err()
                .to_string(),
            "“决策”有下级指标，其得分是下级的合计，请在下级指标中修改"
        );
        assert!(!editor.is_dirty());
        assert!(!editor.can_undo());
    }

    #[test]
    fn a_first_child_takes_over_the_leafs_points_so_the_group_keeps_them() {
        let mut editor = project();
        let id = id_of(&editor, &["产出", "产出数量", "实际完成率"]);
        editor
            .apply(Edit::SetScore {
                id,
                score: Some(d("9.3")),
            })
            .unwrap();
        let child = editor
            .apply(Edit::AddChild {
                parent: Some(id),
                name: "社区活动".into(),
            })
            .unwrap()
            .unwrap();
        let totals = editor.summary().totals_of(id);
        assert_eq!(
            (format2(totals.max_points), format2(totals.score)),
            ("10.00".into(), "9.30".into())
        );
        assert_eq!(editor.doc().find(child).unwrap().max_points, d("10"));
        // A fifth level is never allowed, and asking changes nothing (not even the next
        // id: the editor fuzz target found that it did).
        let before = editor.doc().clone();
        assert_eq!(
            editor.apply(Edit::AddChild {
                parent: Some(child),
                name: "五级".into()
            }),
            Err(EditError::TooDeep { depth: 4 })
        );
        assert_eq!(editor.doc(), &before);
    }

    #[test]
    fn add_rename_move_and_delete() {
        let mut editor = project();
        let first = id_of(&editor, &["决策", "项目立项", "立项依据充分性"]);
        let new = editor
            .apply(Edit::AddSibling {
                after: first,
                name: "新指标".into(),
            })
            .unwrap()
            .unwrap();
        editor
            .apply(Edit::Rename {
                id: new,
                name: " 立项必要性 ".into(),
            })
            .unwrap();
        editor
            .apply(Edit::SetMaxPoints {
                id: new,
                max_points: d("1"),
            })
            .unwrap();
        let group = editor.doc().find_by_names(&["决策", "项目立项"]).unwrap();
        assert_eq!(
            names(&group.children),
            ["立项依据充分性", "立项必要性", "立项程序规范性"]
        );
        assert_eq!(
            format2(editor.summary().totals_of(group.id).max_points),
            "4.00"
        );

        editor.apply(Edit::Move { id: new, by: -1 }).unwrap();
        assert_eq!(
            editor.apply(Edit::Move { id: new, by: -1 }),
            Err(EditError::CannotMove { end: "上面" })
        );
        let group = editor.doc().find_by_names(&["决策", "项目立项"]).unwrap();
        assert_eq!(
            names(&group.children),
            ["立项必要性", "立项依据充分性", "立项程序规范性"]
        );

        let next = editor.apply(Edit::Delete { id: new }).unwrap();
        assert_eq!(next, Some(first));
        assert_eq!(editor.summary().totals.max_points, d("100"));
        assert_eq!(
            editor.apply(Edit::Rename {
                id: first,
                name: "  ".into()
            }),
            Err(EditError::EmptyName)
        );
    }

    #[test]
    fn lowering_max_points_below_the_score_is_refused() {
        let mut editor = project();
        let id = id_of(&editor, &["过程", "组织实施", "管理制度健全性"]);
        editor
            .apply(Edit::SetScore {
                id,
                score: Some(d("5.1")),
            })
            .unwrap();
        assert_eq!(
            editor
                .apply(Edit::SetMaxPoints {
                    id,
                    max_points: d("5")
                })
                .unwrap_err()
                .to_string(),
            "分值不能低于已有得分 5.1"
        );
    }

    fn history_lines(editor: &Editor) -> Vec<String> {
        editor
            .doc()
            .history
            .iter()
            .map(|e| e.change.describe())
            .collect()
    }

    #[test]
    fn a_cell_typed_key_by_key_is_one_history_entry_and_undo_adds_one() {
        let mut editor = project();
        let id = id_of(&editor, &["决策", "项目立项", "立项依据充分性"]);
        for typed in ["1", "1.", "1.8"] {
            editor
                .apply(Edit::SetScore {
                    id,
                    score: Some(d(typed)),
                })
                .unwrap();
        }
        editor.seal();
        for typed in ["依", "依据", "依据不足"] {
            editor
                .apply(Edit::SetText {
                    id,
                    field: TextField::Reason,
                    text: typed.into(),
                })
                .unwrap();
        }
        editor.seal();
        assert_eq!(
            history_lines(&editor),
            [
                "决策 / 项目立项 / 立项依据充分性  得分：（空） → 1.8",
                "决策 / 项目立项 / 立项依据充分性  扣分理由：（空） → 依据不足",
            ]
        );
        // Undo takes the reason back and says so; the entries of committed edits stay.
        assert!(editor.undo());
        assert_eq!(editor.doc().find(id).unwrap().scoring.reason, "");
        assert_eq!(history_lines(&editor).len(), 3);
        assert_eq!(
            history_lines(&editor)[2],
            "决策 / 项目立项 / 立项依据充分性  扣分理由：依据不足 → （空）（撤销）"
        );
        assert!(editor.redo());
        assert_eq!(
            history_lines(&editor)[3],
            "决策 / 项目立项 / 立项依据充分性  扣分理由：（空） → 依据不足（恢复）"
        );
        // Typed back to what it was, a cell leaves no entry.
        editor.seal();
        let other = id_of(&editor, &["决策", "项目立项", "立项程序规范性"]);
        for score in [Some(d("1")), None] {
            editor.apply(Edit::SetScore { id: other, score }).unwrap();
        }
        assert_eq!(history_lines(&editor).len(), 4);
        // The history survives saving and loading.
        let text = crate::storage::to_ron(editor.doc()).unwrap();
        let back = crate::storage::from_ron(&text, std::path::Path::new("历史.ron")).unwrap();
        assert_eq!(back.history, editor.doc().history);
    }

    #[test]
    fn an_expert_file_fixes_the_plan_and_a_submitted_one_is_read_only() {
        let plan = templates::load("project").unwrap();
        let mut editor = Editor::new(crate::submission::expert_file(
            &plan,
            "张三",
            &["张三".into()],
            "t",
        ));
        let id = id_of(&editor, &["决策", "项目立项", "立项依据充分性"]);
        for edit in [
            Edit::SetMaxPoints {
                id,
                max_points: d("3"),
            },
            Edit::SetText {
                id,
                field: TextField::Criteria,
                text: "改".into(),
            },
            Edit::Delete { id },
            Edit::SetVeto { id, veto: true },
        ] {
            assert_eq!(editor.apply(edit), Err(EditError::PlanFixed));
        }
        let ids: Vec<NodeId> = editor.doc().leaves().iter().map(|l| l.id).collect();
        for leaf in ids {
            let max_points = editor.doc().find(leaf).unwrap().max_points;
            editor
                .apply(Edit::SetScore {
                    id: leaf,
                    score: Some(max_points),
                })
                .unwrap();
            editor.seal();
        }
        editor.submit().unwrap();
        assert!(!editor.can_undo());
        assert_eq!(
            editor
                .apply(Edit::SetScore {
                    id,
                    score: Some(d("1"))
                })
                .unwrap_err()
                .to_string(),
            "这份评分已经提交，不能再修改；如需修改请先“撤回提交”"
        );
        editor.withdraw().unwrap();
        editor
            .apply(Edit::SetScore {
                id,
                score: Some(d("1")),
            })
            .unwrap();
        let lines = history_lines(&editor);
        assert_eq!(
            lines[lines.len() - 3..],
            [
                "张三 提交评分",
                "张三 撤回提交",
                "决策 / 项目立项 / 立项依据充分性  得分：2 → 1"
            ]
        );
    }
}
