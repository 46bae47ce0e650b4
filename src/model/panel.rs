//! The data of an expert panel, kept in the document: its experts' evaluations and how
//! they were merged. Merging them is the panel module's business, not the model's.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Evaluation;

/// How the experts' scores of one indicator become the panel's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// (专家1 + … + 专家n) / n.
    #[default]
    Mean,
    /// The mean after dropping the highest and the lowest score (5 or more experts).
    TrimmedMean,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Self::Mean => "算术平均",
            Self::TrimmedMean => "去掉一个最高分和一个最低分后平均",
        }
    }
}

/// The fewest experts a trimmed mean needs.
pub const TRIMMED_MINIMUM: usize = 5;

/// One expert's scoring, as read from their file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Expert {
    pub name: String,
    /// Where it was read from, so a revised file can replace it.
    #[serde(default)]
    pub source: String,
    pub evaluation: Evaluation,
}

/// What makes a document a panel result: its experts and how they were merged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelInfo {
    pub method: Method,
    /// A leaf whose spread (max − min) exceeds this share of its 分值 is flagged.
    pub divergence_threshold: Decimal,
    pub experts: Vec<Expert>,
}

impl PanelInfo {
    /// A panel with no experts yet.
    pub fn empty() -> Self {
        Self {
            method: Method::Mean,
            divergence_threshold: default_threshold(),
            experts: Vec::new(),
        }
    }
}

/// The default divergence threshold: 20% of 分值.
pub fn default_threshold() -> Decimal {
    Decimal::new(2, 1)
}
