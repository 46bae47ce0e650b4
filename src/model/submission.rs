//! What an expert's own file carries besides the scores: whose file it is and of which
//! plan, every committed change, and the seal put on it when the expert submits.

use serde::{Deserialize, Serialize};

use super::{NodeId, shorten};

/// A file the secretary prepared for one expert of a panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// The expert the file is for.
    pub expert: String,
    /// Every expert of the panel, in the secretary's order, this one included: what
    /// the merge expects to receive.
    #[serde(default)]
    pub panel: Vec<String>,
    /// The plan's fingerprint: SHA-256 (hex) of its indicator tree — ids, names and
    /// 分值 ([`crate::submission::plan_fingerprint`]).
    pub plan: String,
    /// Whether `plan` covers the indicators' ids. Files prepared before format 3 hold
    /// a fingerprint of names and 分值 alone, checked as it was made.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub plan_ids: bool,
    /// When the file was prepared (local time, `2026-11-28 10:03`).
    #[serde(default)]
    pub prepared: String,
}

/// What 提交评分 puts on a file: who, when, and a SHA-256 (hex) over the scores, the
/// reasons and the history, so that a change after submitting shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    pub expert: String,
    pub at: String,
    pub digest: String,
    /// A short SHA-256 of each leaf's 得分, 扣分理由 and 不适用 as submitted, in table
    /// order: names what changed even where a text editor's 全部替换 changed the
    /// history too. (Files sealed before it are named from the history alone.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Whether the digest covers the indicators' ids (sealed since format 3). A file
    /// sealed before is checked as it was sealed, so upgrading breaks no seal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ids: bool,
}

/// One entry of a file's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// Local time, to the second: `2026-11-28 10:03:32`.
    pub at: String,
    pub change: Change,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Change {
    /// One committed cell edit (typing into a cell is one edit, not one per key).
    Edit {
        /// The indicator's path: `决策 / 项目立项 / 立项依据充分性`.
        indicator: String,
        /// The indicator's id: which one it was where two share a path. Entries
        /// written before it have none and are matched by path.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<NodeId>,
        field: Field,
        old: String,
        new: String,
        #[serde(default, skip_serializing_if = "How::is_typed")]
        how: How,
    },
    /// The secretary prepared the file for this expert.
    Prepared { expert: String },
    /// 提交评分.
    Submitted { expert: String },
    /// The panel's secretary counted a file changed after its expert submitted it.
    Accepted { expert: String, reason: String },
    /// 撤回提交: the file may be changed again, and every change is recorded.
    Withdrawn {
        expert: String,
        /// The seal no longer matched the file when it was withdrawn: it had been
        /// changed after submitting, and that stays visible.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        broken: bool,
    },
}

/// Which entry of an indicator changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    /// 得分
    Score,
    /// 扣分理由 (in a panel result: 专家组意见)
    Reason,
    /// 不适用
    NotApplicable,
    /// 佐证材料: named when a file a seal covers is changed or missing (never an
    /// entry of the history).
    Evidence,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Self::Score => "得分",
            Self::Reason => "扣分理由",
            Self::NotApplicable => "不适用",
            Self::Evidence => "佐证材料",
        }
    }
}

/// How an edit was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum How {
    /// Typed or chosen in the window.
    #[default]
    Typed,
    /// 撤销.
    Undo,
    /// 恢复.
    Redo,
    /// 从表格填入.
    Filled,
}

impl How {
    fn is_typed(&self) -> bool {
        *self == Self::Typed
    }

    /// "" for a typed edit, else "（撤销）".
    pub fn note(self) -> &'static str {
        match self {
            Self::Typed => "",
            Self::Undo => "（撤销）",
            Self::Redo => "（恢复）",
            Self::Filled => "（从表格填入）",
        }
    }
}

impl Change {
    /// The entry as a line of the history: `决策 / 项目立项 / 立项依据充分性  得分 1.5 → 1.8`.
    pub fn describe(&self) -> String {
        let shown = |text: &str| {
            if text.is_empty() {
                "（空）".to_owned()
            } else {
                shorten(text)
            }
        };
        match self {
            Self::Edit {
                indicator,
                field,
                old,
                new,
                how,
                ..
            } => format!(
                "{indicator}  {}：{} → {}{}",
                field.label(),
                shown(old),
                shown(new),
                how.note()
            ),
            Self::Prepared { expert } => format!("为专家“{expert}”准备评分文件"),
            Self::Submitted { expert } => format!("{expert} 提交评分"),
            Self::Withdrawn {
                expert,
                broken: false,
            } => format!("{expert} 撤回提交"),
            Self::Withdrawn {
                expert,
                broken: true,
            } => format!("{expert} 撤回提交（撤回时发现提交后被改动过）"),
            Self::Accepted { expert, reason } => format!(
                "接受专家“{expert}”提交后被改动的评分文件，计入专家组得分；理由：{}",
                shown(reason)
            ),
        }
    }
}
