//! The data of an expert panel, kept in the document: its experts' evaluations and how
//! they were merged. Merging them is the panel module's business, not the model's.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Evaluation;

/// How the experts' scores of one indicator become the panel's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// By the panel's size: the trimmed mean from [`TRIMMED_MINIMUM`] experts up, the
    /// plain mean below, as published practice does.
    #[default]
    BySize,
    /// (专家1 + … + 专家n) / n.
    Mean,
    /// The mean after dropping the highest and the lowest score (5 or more experts).
    TrimmedMean,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Self::BySize => "按人数（5 位及以上去掉最高最低分，否则算术平均）",
            Self::Mean => "算术平均",
            Self::TrimmedMean => "去掉一个最高分和一个最低分后平均",
        }
    }
}

impl Method {
    /// The method used for a panel of `experts`: [`Method::BySize`] decided.
    pub fn resolved(self, experts: usize) -> Self {
        match self {
            Self::BySize if experts >= TRIMMED_MINIMUM => Self::TrimmedMean,
            Self::BySize => Self::Mean,
            chosen => chosen,
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
    /// What the panel agreed after discussing an indicator, kept across re-merges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreed: Vec<Agreed>,
    /// The 一票否决 indicators most experts scored 0: the project fails.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vetoed: Vec<String>,
}

/// The panel's agreed figure for one indicator, recorded by the secretary after the
/// discussion: it stands in place of the experts' mean and their joined reasons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agreed {
    /// The indicator's path, which a re-merge finds again.
    pub indicator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Decimal>,
    /// 专家组意见.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
}

impl PanelInfo {
    /// The method actually used for this panel's experts.
    pub fn used_method(&self) -> Method {
        self.method.resolved(self.experts.len())
    }

    /// The agreed entry of `indicator`, made if there is none.
    pub fn agreed_mut(&mut self, indicator: &str) -> &mut Agreed {
        let index = match self.agreed.iter().position(|a| a.indicator == indicator) {
            Some(index) => index,
            None => {
                self.agreed.push(Agreed {
                    indicator: indicator.to_owned(),
                    score: None,
                    opinion: None,
                });
                self.agreed.len() - 1
            }
        };
        &mut self.agreed[index]
    }

    pub fn agreed(&self, indicator: &str) -> Option<&Agreed> {
        self.agreed.iter().find(|a| a.indicator == indicator)
    }
}

impl PanelInfo {
    /// A panel with no experts yet.
    pub fn empty() -> Self {
        Self {
            method: Method::BySize,
            divergence_threshold: default_threshold(),
            experts: Vec::new(),
            agreed: Vec::new(),
            vetoed: Vec::new(),
        }
    }
}

/// The default divergence threshold: 20% of 分值.
pub fn default_threshold() -> Decimal {
    Decimal::new(2, 1)
}
