//! What a 项目支出绩效自评表 holds besides its indicators: the header, the budget block
//! and the 年度总体目标 (财预〔2020〕10号 附1), and the scoring rules a leaf may carry.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The column headings of the form's budget block, as 附1 prints them.
pub const FUND_HEADERS: [&str; 7] = [
    "项目资金（万元）",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "分值",
    "执行率",
    "得分",
];

/// The header, budget block and goals of the self-assessment form. Amounts in 万元.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SelfAssessment {
    /// 实施单位 as files before 0.2 kept it apart from 项目信息's 项目单位. The 实施单位 is
    /// now [`crate::model::ProjectInfo::unit`], one field for both; on loading this is
    /// folded into it ([`crate::model::Evaluation::fold_legacy_fields`]), and kept here
    /// only when an old file recorded two different units, so nothing is dropped.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub implementing_unit: String,
    /// 项目负责人
    pub project_leader: String,
    /// 联系电话
    pub phone: String,
    /// 当年财政拨款
    pub current_year: FundRow,
    /// 上年结转资金
    pub carried_over: FundRow,
    /// 其他资金
    pub other: FundRow,
    /// The 年度资金总额 row as a form printed it, when imported; compared with the sum of
    /// the rows above.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub printed_total: Option<FundRow>,
    /// What 执行率 divides by.
    pub rate_base: RateBase,
    /// 实际到位资金, for [`RateBase::FundsReceived`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub funds_received: Option<Decimal>,
    /// 调整后预算数, for [`RateBase::AdjustedBudget`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted_budget: Option<Decimal>,
    /// The key of the rule set the form is scored by (`indicator_templates/rules/`, e.g.
    /// "regional-example"); empty for the national 财预〔2020〕10号 set.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rule_set: String,
    /// A rule set the user loaded from a file, kept whole in the document so the form
    /// scores the same where the file is not; when present it is the set, and `rule_set`
    /// holds the file's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_rules: Option<RuleSet>,
    /// 年度总体目标：预期目标
    pub goal_expected: String,
    /// 年度总体目标：实际完成情况
    pub goal_actual: String,
}

impl SelfAssessment {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// 年度资金总额: the three rows added up, column by column.
    pub fn total(&self) -> FundRow {
        let rows = [&self.current_year, &self.carried_over, &self.other];
        let sum = |pick: fn(&FundRow) -> Option<Decimal>| {
            rows.iter()
                .filter_map(|r| pick(r))
                .fold(None, |acc: Option<Decimal>, v| {
                    Some(acc.unwrap_or_default().saturating_add(v))
                })
        };
        FundRow {
            initial_budget: sum(|r| r.initial_budget),
            full_year_budget: sum(|r| r.full_year_budget),
            executed: sum(|r| r.executed),
        }
    }

    /// The amount 执行率 divides by, as the document's choice of base says.
    pub fn rate_base_amount(&self) -> Option<Decimal> {
        match self.rate_base {
            RateBase::FullYearBudget => self.total().full_year_budget,
            RateBase::FundsReceived => self.funds_received,
            RateBase::AdjustedBudget => self.adjusted_budget,
        }
    }

    /// 执行率 = 全年执行数 / base, as a fraction (1 = 100%), exact.
    pub fn execution_rate(&self) -> Result<Decimal, String> {
        let executed = self.total().executed.ok_or("尚未填写全年执行数")?;
        let base = self
            .rate_base_amount()
            .ok_or_else(|| format!("尚未填写{}", self.rate_base.label()))?;
        if base.is_zero() {
            return Err(format!("{}为 0，无法计算执行率", self.rate_base.label()));
        }
        // A negative amount is a typing slip (a minus, a 冲销 entered as spending), never
        // a rate of 0: say which.
        if executed.is_sign_negative() {
            return Err(format!(
                "全年执行数 {} 为负数，无法计算执行率，请核对预算执行情况",
                executed.normalize()
            ));
        }
        if base.is_sign_negative() {
            return Err(format!(
                "{} {} 为负数，无法计算执行率",
                self.rate_base.label(),
                base.normalize()
            ));
        }
        executed
            .checked_div(base)
            .ok_or_else(|| "执行率超出可计算的范围".to_owned())
    }
}

/// One row of the budget block: 年初预算数, 全年预算数, 全年执行数 (万元).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FundRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_budget: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_year_budget: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executed: Option<Decimal>,
}

/// The base of 执行率, which differs between forms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RateBase {
    /// 全年预算数 (the self-assessment form's own base).
    #[default]
    FullYearBudget,
    /// 实际到位资金 (the framework's 过程 indicator).
    FundsReceived,
    /// 调整后预算数 (Sichuan).
    AdjustedBudget,
}

impl RateBase {
    pub const ALL: [Self; 3] = [
        Self::FullYearBudget,
        Self::FundsReceived,
        Self::AdjustedBudget,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::FullYearBudget => "全年预算数",
            Self::FundsReceived => "实际到位资金",
            Self::AdjustedBudget => "调整后预算数",
        }
    }
}

/// 指标方向.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// 正向 (≥): more is better.
    Higher,
    /// 反向 (≤): less is better, e.g. cost.
    Lower,
    /// 等于 (=).
    Equal,
    /// 定性.
    Qualitative,
}

impl Direction {
    pub const ALL: [Self; 4] = [Self::Higher, Self::Lower, Self::Equal, Self::Qualitative];

    pub fn label(self) -> &'static str {
        match self {
            Self::Higher => "正向（≥）",
            Self::Lower => "反向（≤）",
            Self::Equal => "等于（=）",
            Self::Qualitative => "定性",
        }
    }
}

/// A rule that computes a leaf's 得分 from what was entered: described by data
/// (thresholds, bands, shares), so a region's own rule needs no code. A field the
/// program does not know is an error on load, never dropped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRule {
    pub kind: RuleKind,
    pub measure: Measure,
}

/// What figure a rule reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    /// 完成率: 实际完成值 against 年度指标值, in the leaf's direction.
    Completion,
    /// The 实际完成值 itself as a share (e.g. 满意度 92% → 0.92).
    Actual,
    /// 预算执行率 from the budget block.
    ExecutionRate,
}

/// How the figure becomes points. Shares and rates are fractions: 0.8 is 80%.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RuleKind {
    /// 分值 × rate, never above 分值 (财预〔2020〕10号 第十六条 for 正向 and 反向 indicators;
    /// 执行率 × 10 for 预算执行率).
    Proportional,
    /// 及格门槛 (财预〔2021〕101号): below `pass` scores 0, otherwise
    /// (rate − pass) / (1 − pass) × 分值.
    PassThreshold { pass: Decimal },
    /// 是/否: met scores full points, otherwise none.
    YesNo,
    /// The share of 分值 of the first band whose lower bound the rate reaches; none below
    /// the last band.
    Bands { bands: Vec<Band> },
    /// Full at or above `full_at`, none at or below `zero_at`, and between them each unit
    /// of rate below `full_at` loses `loss_per_unit` of 分值 (e.g. each 1% loses 5%:
    /// `loss_per_unit` 5). With a `step`, only whole steps of the shortfall count: `step`
    /// 0.01 ("each whole 1%") counts a shortfall of 2.6% as 2%.
    LinearDeduction {
        full_at: Decimal,
        zero_at: Decimal,
        loss_per_unit: Decimal,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<Decimal>,
    },
    /// 定性: the scorer picks how far the goal was reached, then a figure within that band.
    Qualitative,
}

/// One band: from this rate (inclusive) upwards, this share of 分值.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub from: Decimal,
    pub share: Decimal,
}

/// The three bands of a 定性 indicator (财预〔2020〕10号 第十六条).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QualitativeBand {
    /// 达成年度指标: 100%–80% of 分值, 80% included.
    Achieved,
    /// 部分达成并具有一定效果: 80%–60%, 60% included.
    Partial,
    /// 未达成且效果较差: 60%–0%.
    NotAchieved,
}

impl QualitativeBand {
    pub const ALL: [Self; 3] = [Self::Achieved, Self::Partial, Self::NotAchieved];

    pub fn label(self) -> &'static str {
        match self {
            Self::Achieved => "达成年度指标",
            Self::Partial => "部分达成并具有一定效果",
            Self::NotAchieved => "未达成且效果较差",
        }
    }

    /// The shares of 分值 the band spans under the national limits (80%, 60%): lower
    /// bound inclusive, upper bound inclusive only for 达成 (full points).
    pub fn shares(self) -> (Decimal, Decimal) {
        self.shares_within(Decimal::new(8, 1), Decimal::new(6, 1))
    }

    /// The shares the band spans when 达成 begins at `achieved` and 部分达成 at `partial`
    /// (a rule set's limits).
    pub fn shares_within(self, achieved: Decimal, partial: Decimal) -> (Decimal, Decimal) {
        match self {
            Self::Achieved => (achieved, Decimal::ONE),
            Self::Partial => (partial, achieved),
            Self::NotAchieved => (Decimal::ZERO, partial),
        }
    }

    /// Whether `score` out of `max_points` lies in this band.
    pub fn contains(self, score: Decimal, max_points: Decimal) -> bool {
        let (low, high) = self.shares();
        self.contains_within(score, max_points, (low, high))
    }

    /// Whether `score` out of `max_points` lies within `shares` (from
    /// [`Self::shares_within`]), compared exactly, never on a rounded bound.
    pub fn contains_within(
        self,
        score: Decimal,
        max_points: Decimal,
        (low, high): (Decimal, Decimal),
    ) -> bool {
        let (low, high) = (max_points * low, max_points * high);
        match self {
            Self::Achieved => score >= low && score <= high,
            _ => score >= low && score < high,
        }
    }

    /// The band's points as a message shows them: exact, so a bound of 2.664 is never
    /// shown as 2.66 beside a score of 2.66 that it refuses ("2.664–3.33 分").
    pub fn points_text(max_points: Decimal, (low, high): (Decimal, Decimal)) -> String {
        let show = |v: Decimal| {
            let mut exact = (max_points * v).normalize();
            if exact.scale() < 2 {
                exact.rescale(2);
            }
            exact.to_string()
        };
        format!("{}–{} 分", show(low), show(high))
    }
}

/// One rule set, as its file holds it. Unknown fields are an error, never dropped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The name users know it by: "财预〔2020〕10号".
    pub name: String,
    /// One sentence on what it does, shown where the set is chosen.
    #[serde(default)]
    pub description: String,
    /// The rule a new leaf gets from what its target says.
    pub defaults: LeafDefaults,
    /// A fixed deduction when the actual deviates from the target by this much or more.
    #[serde(default)]
    pub deviation: Option<DeviationDeduction>,
    /// A deduction from the 预算执行率 where the 执行率 is above 100%.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over_execution: Option<OverExecution>,
    /// Caps on the 综合得分 by 执行率, each applying below its rate.
    #[serde(default)]
    pub caps: Vec<Cap>,
    /// Where the 定性 bands begin, as shares of 分值.
    #[serde(default)]
    pub qualitative: QualitativeLimits,
    /// Answers a 是/否 indicator reads as yes.
    pub yes_words: Vec<String>,
    /// Answers a 是/否 indicator reads as no.
    pub no_words: Vec<String>,
}

/// The rule a new leaf gets, by what its target says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeafDefaults {
    /// A number: "≥50个", "≤90万元", "100%".
    pub quantitative: ScoreRule,
    /// "是", "无".
    pub yes_no: ScoreRule,
    /// Words only.
    pub qualitative: ScoreRule,
    /// A 满意度 indicator (by its name).
    pub satisfaction: ScoreRule,
    /// The 预算执行率 leaf.
    pub execution_rate: ScoreRule,
}

/// `points` off a leaf's computed score when |实际 − 目标| / 目标 ≥ `at_least` (a share),
/// as regions write it: a fixed deduction ("偏差 30% 以上扣 2 分"), or graded ("偏差每超过
/// 10% 扣 1 分": `every: Some("0.1")`), in points or in a share of 分值, either way or
/// only where the target is missed, and waived or not where the 偏差原因 is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviationDeduction {
    pub at_least: Decimal,
    /// Points taken (per step, when graded); a share of 分值 with `of_max_points`.
    pub points: Decimal,
    /// Graded: `points` for each whole `every` of the deviation (a share): with
    /// `every` 0.1, a deviation of 25% takes 2 × `points`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<Decimal>,
    /// `points` is a share of the leaf's 分值 (0.1 = 10% of 分值), not points.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub of_max_points: bool,
    /// Only a deviation where the target is missed counts (one-sided), not one beyond it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shortfall_only: bool,
    /// No deduction where the 偏差原因分析及改进措施 is written.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unless_explained: bool,
    /// Only the leaves under a 一级 indicator whose name holds one of these (`"产出"`
    /// for 产出指标); every leaf when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

/// Points off the 预算执行率 where the 执行率 is above 100% (more spent than budgeted):
/// `points` once, or for each whole `every` of the excess ("每超 1% 扣 0.5 分").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverExecution {
    pub points: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<Decimal>,
}

/// Below an 执行率 of `below` (a share), the 综合得分 is at most `at_most` points; or,
/// with `by`, below that share in the 实际完成值 of the indicators whose name holds `by`
/// (the lowest of them: `by: Some("满意度")`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    pub below: Decimal,
    pub at_most: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// 达成年度指标 from `achieved` of 分值, 部分达成 from `partial` (shares).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualitativeLimits {
    pub achieved: Decimal,
    pub partial: Decimal,
}

impl Default for QualitativeLimits {
    fn default() -> Self {
        Self {
            achieved: Decimal::new(8, 1),
            partial: Decimal::new(6, 1),
        }
    }
}
