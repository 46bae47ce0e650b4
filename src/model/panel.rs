//! The data of an expert panel, kept in the document: its experts' evaluations and how
//! they were merged, and the figures the experts' scores give an indicator (which the
//! migration of an old file needs as much as the merge). Merging them is the panel
//! module's business, not the model's.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Evaluation, Field, Indicator, IndicatorPath, NodeId, round2};

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

/// The panel's score of one indicator from the experts' (unscored ones left out).
pub fn aggregate(scores: &[Decimal], method: Method) -> Option<Decimal> {
    if scores.is_empty() {
        return None;
    }
    let mut sorted = scores.to_vec();
    sorted.sort();
    let kept = match method {
        Method::TrimmedMean if sorted.len() >= 3 => &sorted[1..sorted.len() - 1],
        _ => &sorted[..],
    };
    let sum = kept
        .iter()
        .fold(Decimal::ZERO, |acc, s| acc.saturating_add(*s));
    sum.checked_div(Decimal::from(kept.len())).map(round2)
}

/// The experts' deduction reasons (扣分理由 where points were lost), each once, in
/// order: the starting point of the 专家组意见. A remark beside full marks ("成本控制较好")
/// is praise, not a reason the panel has to give.
pub fn joined_reasons<'a>(leaves: impl Iterator<Item = &'a Indicator>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for leaf in leaves {
        let lost = leaf.is_applicable()
            && leaf
                .scoring
                .score
                .is_some_and(|score| score < leaf.max_points);
        let reason = leaf.scoring.reason.trim();
        if lost && !reason.is_empty() && !seen.contains(&reason) {
            seen.push(reason);
        }
    }
    seen.join("；")
}

/// One expert's scoring, as read from their file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expert {
    pub name: String,
    /// Where it was read from, so a revised file can replace it.
    #[serde(default)]
    pub source: String,
    pub evaluation: Evaluation,
}

/// What makes a document a panel result: its experts and how they were merged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelInfo {
    pub method: Method,
    /// A leaf whose spread (max − min) exceeds this share of its 分值 is flagged.
    pub divergence_threshold: Decimal,
    pub experts: Vec<Expert>,
    /// What the panel agreed after discussing an indicator, kept across re-merges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreed: Vec<Agreed>,
    /// The 一票否决 indicators most experts scored 0: the project fails.
    #[serde(default, rename = "vetoed_ids", skip_serializing_if = "Vec::is_empty")]
    pub vetoed: Vec<NodeId>,
    /// What files of format 1 and 2 wrote for [`Self::vetoed`]: the indicators' paths.
    /// Only read, and turned into ids by the migration on load.
    #[serde(default, rename = "vetoed", skip_serializing)]
    pub vetoed_paths: Vec<String>,
    /// Files changed after their expert submitted them: kept to be shown and, if the
    /// secretary accepts them, merged again, but never in the panel's figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<SetAside>,
    /// The changed files the secretary accepted, with the reason: each counts as long
    /// as the file stays as it was accepted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<Acceptance>,
}

/// An expert's file whose seal no longer matches it, left out of the panel's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetAside {
    pub expert: Expert,
    /// Its place among the files merged, so that accepting it puts it back there.
    #[serde(default)]
    pub position: usize,
    /// What differs from the state the file was sealed in, as its history gives it;
    /// empty when the history cannot tell (it was changed too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<SealedChange>,
}

impl SetAside {
    /// `专家“乙”（乙.ron）的评分文件提交后被改动，未计入专家组得分：… 得分 8 → 10`.
    pub fn describe(&self) -> String {
        let file = std::path::Path::new(&self.expert.source)
            .file_name()
            .map(|n| format!("（{}）", n.to_string_lossy()))
            .unwrap_or_default();
        let changes = if self.changes.is_empty() {
            "修改记录也被改动，无法确定改动了哪些指标".to_owned()
        } else {
            self.changes
                .iter()
                .map(SealedChange::describe)
                .collect::<Vec<_>>()
                .join("；")
        };
        format!(
            "专家“{}”{file}的评分文件提交后被改动，未计入专家组得分：{changes}",
            self.expert.name
        )
    }
}

/// One field of one indicator that differs from what the expert submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedChange {
    /// The indicator's path: `决策 / 项目立项 / 立项依据充分性`.
    pub indicator: String,
    pub field: Field,
    /// The value when the file was submitted, as the history writes it; `None` when
    /// the history was changed as well and the seal only tells that the value differs.
    pub sealed: Option<String>,
    /// The value in the file now.
    pub now: String,
}

impl SealedChange {
    /// `产出 / 产出成本 / 成本节约率 得分 8 → 10`.
    pub fn describe(&self) -> String {
        let shown = |text: &str| {
            if text.is_empty() {
                "（空）".to_owned()
            } else {
                super::shorten(text)
            }
        };
        // `决策 / 项目立项 / 立项依据充分性 佐证材料 A1-1 立项批复.pdf 已改动`.
        if self.field == Field::Evidence {
            let file = self.sealed.as_deref().unwrap_or_default();
            return format!("{} 佐证材料 {file} {}", self.indicator, self.now);
        }
        let sealed = self
            .sealed
            .as_deref()
            .map_or_else(|| "（提交时的值）".to_owned(), shown);
        format!(
            "{} {} {sealed} → {}",
            self.indicator,
            self.field.label(),
            shown(&self.now)
        )
    }
}

/// The secretary's acceptance of a file changed after it was submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    pub expert: String,
    pub reason: String,
    pub at: String,
    /// What the file's seal would be now ([`crate::submission::current_digest`]): a
    /// later change is not covered.
    pub digest: String,
}

/// The panel's agreed figure for one indicator, recorded by the secretary after the
/// discussion: it stands in place of the experts' mean and their joined reasons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreed {
    /// The indicator, by its id in the panel document, which a re-merge keeps.
    #[serde(default)]
    pub id: NodeId,
    /// What files of format 1 and 2 wrote instead of the id: the indicator's path. Only
    /// read, and turned into the id by the migration on load.
    #[serde(
        default,
        rename = "indicator",
        deserialize_with = "super::present",
        skip_serializing
    )]
    pub path: Option<String>,
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

    /// The agreed entry of the indicator `id`, made if there is none.
    pub fn agreed_mut(&mut self, id: NodeId) -> &mut Agreed {
        let index = match self.agreed.iter().position(|a| a.id == id) {
            Some(index) => index,
            None => {
                self.agreed.push(Agreed {
                    id,
                    path: None,
                    score: None,
                    opinion: None,
                });
                self.agreed.len() - 1
            }
        };
        &mut self.agreed[index]
    }

    pub fn agreed(&self, id: NodeId) -> Option<&Agreed> {
        self.agreed.iter().find(|a| a.id == id)
    }

    /// Each expert's leaves lined up with `own`, the panel's leaves with their paths:
    /// by place where the expert's tree is the panel's (the merge makes it so), else —
    /// the panel's tree edited since — the n-th leaf of a path with the n-th leaf of
    /// that path, so that two siblings of one name are never taken for one another.
    pub fn line_up<'a>(
        &'a self,
        own: &[(IndicatorPath, &Indicator)],
    ) -> Vec<Vec<Option<&'a Indicator>>> {
        self.experts
            .iter()
            .map(|e| {
                let theirs = e.evaluation.leaf_paths();
                let aligned = theirs.len() == own.len()
                    && theirs.iter().zip(own).all(|((a, _), (b, _))| a == b);
                if aligned {
                    return theirs.into_iter().map(|(_, leaf)| Some(leaf)).collect();
                }
                let mut by_path: std::collections::HashMap<IndicatorPath, Vec<&Indicator>> =
                    std::collections::HashMap::new();
                for (path, leaf) in theirs.into_iter().rev() {
                    by_path.entry(path).or_default().push(leaf);
                }
                own.iter()
                    .map(|(path, _)| by_path.get_mut(path).and_then(Vec::pop))
                    .collect()
            })
            .collect()
    }

    /// The experts' leaves at the panel's leaf `id` of `doc`, in the panel's order.
    pub fn experts_at<'a>(&'a self, doc: &Evaluation, id: NodeId) -> Vec<&'a Indicator> {
        let own = doc.leaf_paths();
        let Some(index) = own.iter().position(|(_, leaf)| leaf.id == id) else {
            return Vec::new();
        };
        self.line_up(&own)
            .into_iter()
            .filter_map(|leaves| leaves.get(index).copied().flatten())
            .collect()
    }

    /// The experts' figure for the leaf `id` of `doc`, without any agreed score: what
    /// the panel score goes back to when the agreed one is cleared.
    pub fn computed_score(&self, doc: &Evaluation, id: NodeId) -> Option<Decimal> {
        let scores: Vec<Decimal> = self
            .experts_at(doc, id)
            .into_iter()
            .filter_map(|leaf| leaf.scoring.score)
            .collect();
        aggregate(&scores, self.used_method())
    }

    /// The experts' deduction reasons joined, without any agreed opinion.
    pub fn computed_reason(&self, doc: &Evaluation, id: NodeId) -> String {
        joined_reasons(self.experts_at(doc, id).into_iter())
    }

    /// What a version-1 panel wrote as its reason: every expert's, praise included. Only
    /// the migration of such a file asks, to tell what its panel agreed.
    pub fn version_1_reason(&self, doc: &Evaluation, id: NodeId) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for leaf in self.experts_at(doc, id) {
            let reason = leaf.scoring.reason.trim();
            if !reason.is_empty() && !seen.contains(&reason) {
                seen.push(reason);
            }
        }
        seen.join("；")
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
            vetoed_paths: Vec::new(),
            set_aside: Vec::new(),
            accepted: Vec::new(),
        }
    }

    /// The experts the prepared files name, in the secretary's order, that have no
    /// submitted file among the experts counted: until there are none, the panel's
    /// figure is provisional. (A file whose seal is broken is set aside by the merge, so
    /// a sealed file counted is one submitted, or one the secretary accepted.)
    pub fn waiting(&self) -> Vec<String> {
        let mut named: Vec<&str> = Vec::new();
        let files = self
            .experts
            .iter()
            .chain(self.set_aside.iter().map(|s| &s.expert));
        for expert in files {
            for name in expert.evaluation.assignment.iter().flat_map(|a| &a.panel) {
                if !named.contains(&name.as_str()) {
                    named.push(name);
                }
            }
        }
        named
            .into_iter()
            .filter(|name| {
                !self
                    .experts
                    .iter()
                    .any(|e| e.name == *name && e.evaluation.seal.is_some())
            })
            .map(str::to_owned)
            .collect()
    }
}

/// The default divergence threshold: 20% of 分值.
pub fn default_threshold() -> Decimal {
    Decimal::new(2, 1)
}
