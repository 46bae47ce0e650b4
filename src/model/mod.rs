//! The evaluation document: project information, the indicator tree and the rating
//! scale. Everything the program shows or writes is computed from this.

mod evidence;
mod import_note;
mod indicator;
pub mod panel;
mod path;
mod rectification;
mod self_assessment;
mod submission;

pub use evidence::{EVIDENCE_FOLDER, Evidence};
pub use import_note::{ImportNote, ImportNoteKind};
pub use path::IndicatorPath;
pub use rectification::{Rectification, RectifyStatus};
pub use submission::{Assignment, Change, Field, HistoryEntry, How, Seal};

pub use self_assessment::{
    Band, Cap, DeviationDeduction, Direction, FUND_HEADERS, FundRow, LeafDefaults, Measure,
    OverExecution, QualitativeBand, QualitativeLimits, RateBase, RuleKind, RuleSet, ScoreRule,
    SelfAssessment,
};

pub use indicator::{
    Indicator, MAX_DEPTH, MAX_INDICATORS, MAX_TEXT_CHARS, NodeId, Scoring, display_path, find,
    find_mut, path_names,
};

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The whole table is worth this much when its 分值 are complete.
pub const FULL_MARKS: Decimal = Decimal::ONE_HUNDRED;

/// 四舍五入 to two decimals (half away from zero), the rule of published reports.
pub fn round2(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// At most 40 characters of a text from a file or the keyboard, for a message or a
/// line of the history (one "…" marks what was cut): no message echoes a long input.
pub fn shorten(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() <= SHOWN {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(SHOWN).collect::<String>())
    }
}

/// One scored project: what a user opens, edits and saves.
/// A field this program does not know is an error with its line, never dropped (a
/// misspelt field would vanish at the next save).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    #[serde(default)]
    pub info: ProjectInfo,
    /// 绩效评定级别: the grades and their lower bounds. Version-1 files wrote
    /// `thresholds: (excellent, good, fair)`, read here as the national scale with those bounds.
    #[serde(default, alias = "thresholds")]
    pub rating_scale: RatingScale,
    /// The 一级 indicators, each with its subtree.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Figures an imported table printed for its groups and total, kept so validation
    /// can compare them with the sums of the leaves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declared: Vec<Declared>,
    /// The grade an imported table printed in its 评价等次 / 绩效等级 row, kept so that
    /// validation can name it when it is not the grade the scores give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_grade: Option<PrintedGrade>,
    /// The header, budget block and goals of a 自评表.
    #[serde(default, skip_serializing_if = "SelfAssessment::is_empty")]
    pub self_assessment: SelfAssessment,
    /// What the import of a table could not read, row by row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub import_notes: Vec<ImportNote>,
    /// For a panel result: the experts it was merged from and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel: Option<panel::PanelInfo>,
    /// For an expert's file prepared by the panel's secretary: whose it is, of which plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment: Option<Assignment>,
    /// Set by 提交评分; a sealed file is not changed until 撤回提交.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<Seal>,
    /// Every committed change of a score, a reason or 不适用, and every submission,
    /// oldest first. Undo adds entries; nothing removes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryEntry>,
    /// 整改清单: one item per problem found, with what the unit does about it
    /// (`rectify` module).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rectification: Vec<Rectification>,
    /// The id the next new indicator gets.
    #[serde(default)]
    pub next_id: u64,
}

impl Default for Evaluation {
    fn default() -> Self {
        Self {
            info: ProjectInfo::default(),
            rating_scale: RatingScale::default(),
            indicators: Vec::new(),
            declared: Vec::new(),
            printed_grade: None,
            self_assessment: SelfAssessment::default(),
            import_notes: Vec::new(),
            panel: None,
            assignment: None,
            seal: None,
            history: Vec::new(),
            rectification: Vec::new(),
            next_id: 1,
        }
    }
}

impl Evaluation {
    /// 预算金额 in 元, one fact wherever it is shown: a 自评表's 全年预算数 (年度资金总额,
    /// 万元) where its budget block holds one, else what 项目信息 says.
    pub fn budget_yuan(&self) -> Option<Decimal> {
        let from_block = (self.info.kind == EvaluationKind::SelfAssessment)
            .then(|| self.self_assessment.total().full_year_budget)
            .flatten()
            .and_then(|wan| wan.checked_mul(Decimal::from(10_000)));
        from_block.or(self.info.budget_yuan)
    }

    /// Whether 预算金额 comes from the 自评表's budget block (and is edited there).
    pub fn budget_from_block(&self) -> bool {
        self.info.kind == EvaluationKind::SelfAssessment
            && self.self_assessment.total().full_year_budget.is_some()
    }

    /// Files written before 项目信息 and the 自评表 shared one 单位 kept the 自评表's
    /// 实施单位 apart: it becomes the 项目单位 where that is empty or the same.
    pub fn fold_legacy_fields(&mut self) {
        let unit = self.self_assessment.implementing_unit.trim();
        if unit.is_empty() {
            return;
        }
        let info = self.info.unit.trim();
        if info.is_empty() || info == unit {
            self.info.unit = unit.to_owned();
            self.self_assessment.implementing_unit.clear();
        }
    }

    /// Hands out a fresh id, never used before in this document.
    pub fn new_id(&mut self) -> NodeId {
        let id = NodeId(self.next_id.max(1));
        self.next_id = id.0.saturating_add(1);
        id
    }

    /// Makes every id unique and `next_id` larger than all of them, for a file that was
    /// edited by hand or written by another program.
    pub fn repair_ids(&mut self) {
        // An id from a file at or above LARGEST_ID is handed a new one, so the next id
        // can never overflow and wrap to one already in use.
        const LARGEST_ID: u64 = 1 << 53;
        let mut max = 0;
        let mut count = 0;
        self.visit(&mut |node, _| {
            count += 1;
            if node.id.0 < LARGEST_ID {
                max = max.max(node.id.0);
            }
        });
        self.next_id = self.next_id.min(LARGEST_ID).max(max + 1);
        let mut seen = std::collections::HashSet::with_capacity(count);
        let mut next_id = self.next_id;
        fn walk(
            nodes: &mut [Indicator],
            seen: &mut std::collections::HashSet<NodeId>,
            next_id: &mut u64,
        ) {
            for node in nodes {
                if node.id.0 == 0 || node.id.0 >= LARGEST_ID || !seen.insert(node.id) {
                    node.id = NodeId(*next_id);
                    *next_id += 1;
                    seen.insert(node.id);
                }
                walk(&mut node.children, seen, next_id);
            }
        }
        walk(&mut self.indicators, &mut seen, &mut next_id);
        self.next_id = next_id;
    }

    /// Calls `f(node, depth)` on every indicator, depth-first in table order (一级 = 1).
    pub fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Indicator, usize)) {
        for root in &self.indicators {
            root.visit(f);
        }
    }

    /// How many indicators the document holds, groups included.
    pub fn indicator_count(&self) -> usize {
        let mut count = 0;
        self.visit(&mut |_, _| count += 1);
        count
    }

    /// Every leaf, in table order.
    pub fn leaves(&self) -> Vec<&Indicator> {
        self.indicators
            .iter()
            .flat_map(|root| root.leaves())
            .collect()
    }

    /// Every leaf, in table order, for changing them all in one walk.
    pub fn leaves_mut(&mut self) -> Vec<&mut Indicator> {
        fn walk<'a>(nodes: &'a mut [Indicator], out: &mut Vec<&'a mut Indicator>) {
            for node in nodes {
                if node.children.is_empty() {
                    out.push(node);
                } else {
                    walk(&mut node.children, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&mut self.indicators, &mut out);
        out
    }

    pub fn find(&self, id: NodeId) -> Option<&Indicator> {
        find(&self.indicators, id)
    }

    /// Every indicator by its id, for code that looks up many (`find` walks the tree).
    pub fn index(&self) -> std::collections::HashMap<NodeId, &Indicator> {
        let mut index = std::collections::HashMap::new();
        self.visit(&mut |node, _| {
            index.insert(node.id, node);
        });
        index
    }

    pub fn find_mut(&mut self, id: NodeId) -> Option<&mut Indicator> {
        find_mut(&mut self.indicators, id)
    }

    /// The indicator reached by `names` from the top level, e.g. `["效益", "项目效益"]`.
    pub fn find_by_names(&self, names: &[&str]) -> Option<&Indicator> {
        let mut level = &self.indicators;
        let mut found = None;
        for name in names {
            let node = level.iter().find(|n| n.name == *name)?;
            found = Some(node);
            level = &node.children;
        }
        found
    }

    /// The path of the indicator `id`, if the document holds it.
    pub fn path(&self, id: NodeId) -> Option<IndicatorPath> {
        path_names(&self.indicators, id).map(IndicatorPath::new)
    }

    /// `效益 / 项目效益 / 社会效益` for the indicator `id`, or an empty string if there is none.
    pub fn display_path(&self, id: NodeId) -> String {
        self.path(id)
            .map(|path| path.to_string())
            .unwrap_or_default()
    }
}

/// 项目信息: the header of every report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectInfo {
    /// 项目名称
    pub name: String,
    /// 项目单位
    pub unit: String,
    /// 主管部门
    pub department: String,
    /// 项目类型
    pub project_type: String,
    /// 评价年度, as typed ("2022").
    pub year: String,
    /// 预算金额 in 元.
    pub budget_yuan: Option<Decimal>,
    /// 评价类型
    pub kind: EvaluationKind,
    /// 评价人 (expert or the person filling in a 自评表).
    pub evaluator: String,
}

/// 评价类型.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvaluationKind {
    /// 专家评价 (or a third party's).
    #[default]
    Expert,
    /// 自评 by the project unit.
    SelfAssessment,
}

impl EvaluationKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Expert => "专家评价",
            Self::SelfAssessment => "自评",
        }
    }
}

/// A 绩效评定级别 given to a score: one grade of the document's [`RatingScale`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rating {
    /// The grade's name as the scale spells it ("良", "合格").
    pub name: String,
    /// The grade's place in the scale, 0 for the best.
    pub rank: usize,
    /// How many grades the scale has, the lowest included.
    pub of: usize,
}

impl Rating {
    pub fn label(&self) -> &str {
        &self.name
    }

    /// Whether this is the scale's best grade (优).
    pub fn is_best(&self) -> bool {
        self.rank == 0
    }

    /// Whether this is the grade below every bound (差).
    pub fn is_lowest(&self) -> bool {
        self.rank + 1 >= self.of
    }
}

/// A better grade is greater, so that ratings compare as the scores they come from.
impl PartialOrd for Rating {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rating {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .rank
            .cmp(&self.rank)
            .then_with(|| self.name.cmp(&other.name))
    }
}

impl std::fmt::Display for Rating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// One grade of a scale with its lower bound, inclusive: 90.00 is 优, 89.99 is 良.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub name: String,
    pub min: Decimal,
}

/// 绩效评定级别 as data: the grades from the best down, each with its inclusive lower
/// bound, then the grade of every score below them all. The national scale is
/// 优 ≥ 90 / 良 ≥ 80 / 中 ≥ 60 / 差; agencies print others, e.g.
/// 优秀 ≥ 90 / 良好 ≥ 80 / 中 ≥ 70 / 合格 ≥ 60 / 差.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ScaleRepr")]
pub struct RatingScale {
    /// From the best down.
    pub grades: Vec<Grade>,
    /// The grade of a score below every bound (差).
    pub lowest: String,
}

impl Default for RatingScale {
    fn default() -> Self {
        Self::national(Decimal::from(90), Decimal::from(80), Decimal::from(60))
    }
}

impl RatingScale {
    /// 优 / 良 / 中 / 差 with the given lower bounds of 优, 良 and 中.
    pub fn national(excellent: Decimal, good: Decimal, fair: Decimal) -> Self {
        let grade = |name: &str, min| Grade {
            name: name.to_owned(),
            min,
        };
        Self {
            grades: vec![grade("优", excellent), grade("良", good), grade("中", fair)],
            lowest: "差".to_owned(),
        }
    }

    /// The grade of a (rounded) score out of 100: the first whose bound it reaches.
    pub fn rate(&self, score: Decimal) -> Rating {
        let of = self.grades.len() + 1;
        match self.grades.iter().position(|g| score >= g.min) {
            Some(rank) => Rating {
                name: self.grades[rank].name.clone(),
                rank,
                of,
            },
            None => Rating {
                name: self.lowest.clone(),
                rank: of - 1,
                of,
            },
        }
    }

    /// Every grade's name, the best first and the lowest last.
    pub fn names(&self) -> Vec<&str> {
        self.grades
            .iter()
            .map(|g| g.name.as_str())
            .chain(std::iter::once(self.lowest.as_str()))
            .collect()
    }

    /// `优 ≥90 / 良 ≥80 / 中 ≥60 / 差`, as messages name a scale.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .grades
            .iter()
            .map(|g| format!("{} ≥{}", g.name, g.min.normalize()))
            .collect();
        parts.push(self.lowest.clone());
        parts.join(" / ")
    }
}

/// What a file may hold for the scale: this version's `(grades, lowest)` or version 1's
/// `(excellent, good, fair)`.
/// Each field is optional in the file but written bare (`grades: [...]`, not `Some(...)`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleRepr {
    #[serde(default, deserialize_with = "present")]
    grades: Option<Vec<Grade>>,
    #[serde(default, deserialize_with = "present")]
    lowest: Option<String>,
    #[serde(default, deserialize_with = "present")]
    excellent: Option<Decimal>,
    #[serde(default, deserialize_with = "present")]
    good: Option<Decimal>,
    #[serde(default, deserialize_with = "present")]
    fair: Option<Decimal>,
}

pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

impl From<ScaleRepr> for RatingScale {
    fn from(repr: ScaleRepr) -> Self {
        let national = Self::default();
        match repr.grades {
            Some(grades) => Self {
                grades,
                lowest: repr.lowest.unwrap_or(national.lowest),
            },
            None => {
                let bound = |index: usize| national.grades[index].min;
                Self::national(
                    repr.excellent.unwrap_or_else(|| bound(0)),
                    repr.good.unwrap_or_else(|| bound(1)),
                    repr.fair.unwrap_or_else(|| bound(2)),
                )
            }
        }
    }
}

/// A figure an imported table printed for a group or for the whole table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declared {
    /// The group it belongs to; `None` for the table's 合计.
    pub node: Option<NodeId>,
    pub figure: Figure,
    pub value: Decimal,
    /// Where it was printed, as the user finds it again: "第 26 行".
    pub source: String,
}

/// A grade printed in an imported table ("良", "优秀"), as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintedGrade {
    pub grade: String,
    /// Where it was printed: "第 30 行".
    pub source: String,
}

/// Which figure a [`Declared`] value states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Figure {
    MaxPoints,
    Score,
}

impl Figure {
    pub fn label(self) -> &'static str {
        match self {
            Self::MaxPoints => "分值",
            Self::Score => "得分",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn a_version_1_file_with_thresholds_keeps_its_bounds() {
        let text = r#"(format: "jixiao", version: 1, evaluation: (
            thresholds: (excellent: "85", good: "75", fair: "60"),
            indicators: [],
        ))"#;
        let doc = crate::storage::from_ron(text, Path::new("旧.ron")).unwrap();
        assert_eq!(doc.rating_scale.describe(), "优 ≥85 / 良 ≥75 / 中 ≥60 / 差");
        assert_eq!(doc.rating_scale.rate(d("84.99")).label(), "良");
    }

    #[test]
    fn a_file_without_a_scale_gets_the_national_one() {
        let text = r#"(format: "jixiao", version: 1, evaluation: (indicators: []))"#;
        let doc = crate::storage::from_ron(text, Path::new("无.ron")).unwrap();
        assert_eq!(doc.rating_scale, RatingScale::default());
    }

    #[test]
    fn a_five_grade_scale_is_saved_and_read_back() {
        let doc = Evaluation {
            rating_scale: RatingScale {
                grades: [("优秀", "90"), ("良好", "80"), ("中", "70"), ("合格", "60")]
                    .into_iter()
                    .map(|(name, min)| Grade {
                        name: name.into(),
                        min: d(min),
                    })
                    .collect(),
                lowest: "差".into(),
            },
            ..Evaluation::default()
        };
        let text = crate::storage::to_ron(&doc).unwrap();
        assert!(text.contains("rating_scale"), "{text}");
        let back = crate::storage::from_ron(&text, Path::new("五级.ron")).unwrap();
        assert_eq!(back.rating_scale, doc.rating_scale);
        assert_eq!(back.rating_scale.rate(d("65")).label(), "合格");
    }
}
