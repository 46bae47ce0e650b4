//! 整改: what the unit does about each problem an evaluation found, kept in the
//! document so that it is followed up and carried into the next year.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Evidence, NodeId};

/// 状态 of one 整改 item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RectifyStatus {
    /// 未整改
    #[default]
    Open,
    /// 整改中
    InProgress,
    /// 已完成
    Done,
}

impl RectifyStatus {
    pub const ALL: [Self; 3] = [Self::Open, Self::InProgress, Self::Done];

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "未整改",
            Self::InProgress => "整改中",
            Self::Done => "已完成",
        }
    }

    pub fn from_label(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.label() == text.trim())
    }
}

/// One row of the 整改清单: a problem of one indicator and what is done about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rectification {
    /// The indicator the problem belongs to.
    pub id: NodeId,
    /// 问题: the 扣分理由 (else the 偏差原因) when the register was drawn up.
    pub problem: String,
    /// The points the indicator lost.
    pub lost: Decimal,
    /// 整改措施
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub measure: String,
    /// 责任单位
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// 完成时限, `2027-01-07`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub due: String,
    #[serde(default)]
    pub status: RectifyStatus,
    /// 完成情况
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outcome: String,
    /// 佐证: what shows it was done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}
