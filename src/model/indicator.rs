//! The indicator tree (指标体系): groups and scored leaves, with stable ids.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::self_assessment::{Direction, QualitativeBand, ScoreRule};

/// A stable identifier of one indicator within its document.
///
/// Ids survive renames, moves, saving and loading, so undo, the window's selection
/// and expert panels can all refer to the same indicator.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct NodeId(pub u64);

/// The deepest level an indicator may sit at: 一级 → 二级 → 三级 → 四级.
pub const MAX_DEPTH: usize = 4;

/// The most indicators one document may hold: ten times the largest real table seen,
/// small enough that every view stays fast.
pub const MAX_INDICATORS: usize = 100_000;

/// The longest text one field (a name, a 扣分理由, a 评分标准) may hold, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// One indicator. With children it is a group whose 分值 and 得分 are the sums of its
/// children's; without children it is a leaf that is scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Zero (or missing, in a hand-written file) until the document hands one out.
    #[serde(default)]
    pub id: NodeId,
    pub name: String,
    /// 分值 of a leaf. A group's 分值 is the sum of its children's, so this is unused
    /// (and kept at zero) while the indicator has children.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub max_points: Decimal,
    /// 评分标准 / 评价要点 shown to the scorer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub criteria: String,
    /// What the scorer entered for a leaf.
    #[serde(default, skip_serializing_if = "Scoring::is_empty")]
    pub scoring: Scoring,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Indicator>,
    /// The 其中 rows an imported table printed under this indicator
    /// (`其中：本年财政拨款（…）`), each as one line: shown and kept, never scored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// 一票否决: a leaf the plan marks so. Scored 0 (in a panel, by most experts), it
    /// fails the whole project whatever the total.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub veto: bool,
    /// 佐证材料: the files the indicator's figures rest on (`evidence` module).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<super::Evidence>,
}

/// The scorer's entries on a leaf.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// 得分; `None` until the leaf has been scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Decimal>,
    /// 扣分理由.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// 年度指标值, as typed ("≥50个", "100%").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// 实际完成值, as typed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actual: String,
    /// 偏差原因分析及改进措施.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub deviation: String,
    /// 不适用 ("/"): left out of every total and of the 分值 the rating is based on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_applicable: bool,
    /// 指标方向; `None` reads it from the 年度指标值 (≤ is 反向).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// 计量单位.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// The rule the 得分 is computed by, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<ScoreRule>,
    /// Set when the 得分 was typed by hand over a rule's result: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_reason: Option<String>,
    /// The band a 定性 indicator was judged to reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<QualitativeBand>,
}

impl Scoring {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl Indicator {
    /// A new unscored leaf.
    pub fn leaf(id: NodeId, name: impl Into<String>, max_points: Decimal) -> Self {
        Self {
            id,
            name: name.into(),
            max_points,
            criteria: String::new(),
            scoring: Scoring::default(),
            children: Vec::new(),
            details: Vec::new(),
            veto: false,
            evidence: Vec::new(),
        }
    }

    /// A new group holding `children`.
    pub fn group(id: NodeId, name: impl Into<String>, children: Vec<Indicator>) -> Self {
        Self {
            children,
            ..Self::leaf(id, name, Decimal::ZERO)
        }
    }

    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    /// Whether this leaf counts in totals (a group counts through its leaves). A leaf
    /// marked 不适用, or whose 实际完成值 is "/" as forms write it, does not.
    pub fn is_applicable(&self) -> bool {
        !self.scoring.not_applicable && !matches!(self.scoring.actual.trim(), "/" | "／")
    }

    /// Every leaf below (or this indicator, if it is a leaf), in table order.
    pub fn leaves(&self) -> Vec<&Indicator> {
        let mut out = Vec::new();
        self.visit(&mut |node, _| {
            if node.is_leaf() {
                out.push(node);
            }
        });
        out
    }

    /// Calls `f(node, depth)` on this indicator and everything below it, depth-first in
    /// table order; this indicator has depth 1.
    pub fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Indicator, usize)) {
        fn walk<'a>(node: &'a Indicator, depth: usize, f: &mut impl FnMut(&'a Indicator, usize)) {
            f(node, depth);
            for child in &node.children {
                walk(child, depth + 1, f);
            }
        }
        walk(self, 1, f);
    }
}

/// Finds an indicator by id anywhere in `roots`.
pub fn find(roots: &[Indicator], id: NodeId) -> Option<&Indicator> {
    for root in roots {
        if root.id == id {
            return Some(root);
        }
        if let Some(found) = find(&root.children, id) {
            return Some(found);
        }
    }
    None
}

/// Finds an indicator by id anywhere in `roots`, for changing it.
pub fn find_mut(roots: &mut [Indicator], id: NodeId) -> Option<&mut Indicator> {
    for root in roots {
        if root.id == id {
            return Some(root);
        }
        if let Some(found) = find_mut(&mut root.children, id) {
            return Some(found);
        }
    }
    None
}

/// The names from the top level down to `id`, e.g. `["效益", "项目效益", "社会效益"]`.
pub fn path_names(roots: &[Indicator], id: NodeId) -> Option<Vec<String>> {
    for root in roots {
        if root.id == id {
            return Some(vec![root.name.clone()]);
        }
        if let Some(mut rest) = path_names(&root.children, id) {
            rest.insert(0, root.name.clone());
            return Some(rest);
        }
    }
    None
}

/// A path as users read it: `效益 / 项目效益 / 社会效益`.
pub fn display_path(names: &[String]) -> String {
    names.join(" / ")
}
