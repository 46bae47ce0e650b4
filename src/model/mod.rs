//! The evaluation document: project information, the indicator tree and the rating
//! thresholds. Everything the program shows or writes is computed from this.

mod indicator;
pub mod panel;
mod self_assessment;

pub use self_assessment::{
    Band, Direction, FUND_HEADERS, FundRow, Measure, QualitativeBand, RateBase, RuleKind,
    ScoreRule, SelfAssessment,
};

pub use indicator::{
    Indicator, MAX_DEPTH, NodeId, Scoring, display_path, find, find_mut, path_names,
};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One scored project: what a user opens, edits and saves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    #[serde(default)]
    pub info: ProjectInfo,
    #[serde(default)]
    pub thresholds: Thresholds,
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
    /// For a panel result: the experts it was merged from and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel: Option<panel::PanelInfo>,
    /// The id the next new indicator gets.
    #[serde(default)]
    pub next_id: u64,
}

impl Default for Evaluation {
    fn default() -> Self {
        Self {
            info: ProjectInfo::default(),
            thresholds: Thresholds::default(),
            indicators: Vec::new(),
            declared: Vec::new(),
            printed_grade: None,
            self_assessment: SelfAssessment::default(),
            panel: None,
            next_id: 1,
        }
    }
}

impl Evaluation {
    /// Hands out a fresh id, never used before in this document.
    pub fn new_id(&mut self) -> NodeId {
        let id = NodeId(self.next_id.max(1));
        self.next_id = id.0 + 1;
        id
    }

    /// Makes every id unique and `next_id` larger than all of them, for a file that was
    /// edited by hand or written by another program.
    pub fn repair_ids(&mut self) {
        let mut max = 0;
        self.visit(&mut |node, _| max = max.max(node.id.0));
        self.next_id = self.next_id.max(max + 1);
        let mut seen = std::collections::HashSet::new();
        let mut next_id = self.next_id;
        fn walk(
            nodes: &mut [Indicator],
            seen: &mut std::collections::HashSet<NodeId>,
            next_id: &mut u64,
        ) {
            for node in nodes {
                if node.id.0 == 0 || !seen.insert(node.id) {
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

    /// Every leaf, in table order.
    pub fn leaves(&self) -> Vec<&Indicator> {
        self.indicators
            .iter()
            .flat_map(|root| root.leaves())
            .collect()
    }

    pub fn find(&self, id: NodeId) -> Option<&Indicator> {
        find(&self.indicators, id)
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

    /// `效益 / 项目效益 / 社会效益` for the indicator `id`, or an empty string if there is none.
    pub fn display_path(&self, id: NodeId) -> String {
        path_names(&self.indicators, id)
            .map(|names| display_path(&names))
            .unwrap_or_default()
    }
}

/// 项目信息: the header of every report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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

/// 绩效评定级别.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    /// 差
    Poor,
    /// 中
    Fair,
    /// 良
    Good,
    /// 优
    Excellent,
}

impl Rating {
    pub fn label(self) -> &'static str {
        match self {
            Self::Excellent => "优",
            Self::Good => "良",
            Self::Fair => "中",
            Self::Poor => "差",
        }
    }
}

impl std::fmt::Display for Rating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The lower bounds of 优, 良 and 中, each inclusive: 90.00 is 优, 89.99 is 良.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub excellent: Decimal,
    pub good: Decimal,
    pub fair: Decimal,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            excellent: Decimal::from(90),
            good: Decimal::from(80),
            fair: Decimal::from(60),
        }
    }
}

impl Thresholds {
    /// The rating of a (rounded) score out of 100.
    pub fn rate(&self, score: Decimal) -> Rating {
        if score >= self.excellent {
            Rating::Excellent
        } else if score >= self.good {
            Rating::Good
        } else if score >= self.fair {
            Rating::Fair
        } else {
            Rating::Poor
        }
    }
}

/// A figure an imported table printed for a group or for the whole table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
