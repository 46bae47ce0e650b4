//! Rule sets: the scoring rules a 自评表 follows, as data (`indicator_templates/rules/`).
//! A set holds the rule a new leaf gets from its target, the 是/否 words, the 定性 band
//! limits, and what a region adds on top: a deduction for a large deviation from the
//! target and caps on the 综合得分 by 执行率. A document names its set
//! ([`crate::model::SelfAssessment::rule_set`]); the national 财预〔2020〕10号 set is the default.

use std::sync::OnceLock;

use rust_decimal::Decimal;

pub use crate::model::{
    Cap, DeviationDeduction, LeafDefaults, OverExecution, QualitativeLimits, RuleSet,
};
use crate::model::{Direction, Evaluation, RuleKind, ScoreRule};
use crate::number::{Value, read_value};

/// The key of the set a document uses when it names none.
pub const DEFAULT_KEY: &str = "national-2020";

/// The built-in sets: file stem and text.
const BUILT_IN: [(&str, &str); 3] = [
    (
        "national-2020",
        include_str!("../indicator_templates/rules/national-2020.ron"),
    ),
    (
        "national-2021",
        include_str!("../indicator_templates/rules/national-2021.ron"),
    ),
    (
        "regional-example",
        include_str!("../indicator_templates/rules/regional-example.ron"),
    ),
];

/// Why a rule-set file cannot be used, naming the file and the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleSetError {
    #[error("规则集“{file}”第 {line} 行第 {column} 列有误：{reason}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("规则集“{file}”的数据不对：{problems}")]
    Invalid { file: String, problems: String },
    #[error("无法读取规则集“{file}”：{reason}")]
    Read { file: String, reason: String },
}

/// Reads and checks the rule-set file at `path` (a set a region writes itself).
pub fn load_file(path: &std::path::Path) -> Result<RuleSet, RuleSetError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|err| RuleSetError::Read {
        file: file.clone(),
        reason: crate::storage::io_reason(&err),
    })?;
    parse(&decode(&bytes, &file)?, &file)
}

/// A rule-set file's text: UTF-8 (with or without the BOM Notepad writes), or GBK as
/// an editor on a Chinese Windows saves it.
fn decode(bytes: &[u8], file: &str) -> Result<String, RuleSetError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(RuleSetError::Read {
            file: file.to_owned(),
            reason: "文字编码既不是 UTF-8 也不是 GBK，请用记事本或 WPS 另存为 UTF-8".to_owned(),
        });
    }
    Ok(text.into_owned())
}

/// Reads a rule set from RON and checks its data; `file` names it in messages.
pub fn parse(text: &str, file: &str) -> Result<RuleSet, RuleSetError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let set: RuleSet = ron::Options::default().from_str(text).map_err(|err| {
        let reason = crate::storage::ron_reason(&err.code);
        RuleSetError::Syntax {
            file: file.to_owned(),
            line: err.span.start.line,
            column: err.span.start.col,
            reason,
        }
    })?;
    let problems = check(&set);
    if problems.is_empty() {
        Ok(set)
    } else {
        Err(RuleSetError::Invalid {
            file: file.to_owned(),
            problems: problems.join("；"),
        })
    }
}

/// The built-in sets with their keys, in the order the chooser shows them.
pub fn built_in() -> &'static [(&'static str, RuleSet)] {
    static SETS: OnceLock<Vec<(&'static str, RuleSet)>> = OnceLock::new();
    SETS.get_or_init(|| {
        BUILT_IN
            .iter()
            .filter_map(|(key, text)| parse(text, key).ok().map(|set| (*key, set)))
            .collect()
    })
}

/// The built-in set called `key`.
pub fn find(key: &str) -> Option<&'static RuleSet> {
    built_in()
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, set)| set)
}

/// The set `doc` is scored by: the one loaded into it from a file, else the built-in one
/// it names, else the national default.
pub fn of(doc: &Evaluation) -> &RuleSet {
    if let Some(set) = &doc.self_assessment.custom_rules {
        return set;
    }
    let key = doc.self_assessment.rule_set.trim();
    find(if key.is_empty() { DEFAULT_KEY } else { key })
        .or_else(|| find(DEFAULT_KEY))
        .unwrap_or_else(fallback)
}

/// Whether `doc` names a set this program does not have.
pub fn unknown_name(doc: &Evaluation) -> Option<&str> {
    if doc.self_assessment.custom_rules.is_some() {
        return None;
    }
    let key = doc.self_assessment.rule_set.trim();
    (!key.is_empty() && find(key).is_none()).then_some(key)
}

/// The national rules written in code, used only if the built-in file could not be read
/// (a test keeps the file readable).
fn fallback() -> &'static RuleSet {
    static SET: OnceLock<RuleSet> = OnceLock::new();
    SET.get_or_init(|| {
        let rule = |kind, measure| ScoreRule { kind, measure };
        let words = |list: &[&str]| list.iter().map(|w| (*w).to_owned()).collect();
        RuleSet {
            name: "财预〔2020〕10号".to_owned(),
            description: String::new(),
            defaults: LeafDefaults {
                quantitative: rule(RuleKind::Proportional, crate::model::Measure::Completion),
                yes_no: rule(RuleKind::YesNo, crate::model::Measure::Completion),
                qualitative: rule(RuleKind::Qualitative, crate::model::Measure::Completion),
                satisfaction: rule(RuleKind::Proportional, crate::model::Measure::Completion),
                execution_rate: rule(RuleKind::Proportional, crate::model::Measure::ExecutionRate),
            },
            deviation: None,
            over_execution: None,
            caps: Vec::new(),
            qualitative: QualitativeLimits::default(),
            yes_words: words(&["是", "完成", "已完成", "按期完成", "达到"]),
            no_words: words(&["否", "未完成", "未达到", "无"]),
        }
    })
}

/// Everything wrong with a set's data, each naming where: bands not descending, shares
/// above 1, a percentage written as 90 where a share (0.9) is meant, caps out of order.
pub fn check(set: &RuleSet) -> Vec<String> {
    let mut problems = Vec::new();
    let d = &set.defaults;
    for (label, rule) in [
        ("定量指标的默认规则", &d.quantitative),
        ("是/否指标的默认规则", &d.yes_no),
        ("定性指标的默认规则", &d.qualitative),
        ("满意度指标的默认规则", &d.satisfaction),
        ("预算执行率的默认规则", &d.execution_rate),
    ] {
        problems.extend(
            check_rule(rule)
                .into_iter()
                .map(|p| format!("{label}：{p}")),
        );
    }
    problems.extend(check_defaults(d));
    if let Some(deduction) = &set.deviation {
        if !is_share(deduction.at_least) {
            problems.push(format!(
                "偏差扣分的起点 {} 应是 0 到 1 之间的比例（30% 写作 0.3）",
                deduction.at_least
            ));
        } else if deduction.at_least.is_zero() && !deduction.shortfall_only {
            problems.push(
                "偏差扣分的起点为 0 时每一项都会扣分，只能与 shortfall_only（只扣未完成的）同用"
                    .to_owned(),
            );
        }
        if deduction.groups.iter().any(|g| g.trim().is_empty()) {
            problems.push("偏差扣分的 groups 里有空的一级指标名称".to_owned());
        }
        if deduction.points.is_sign_negative() {
            problems.push(format!("偏差扣分 {} 不能为负数", deduction.points));
        }
        if deduction.of_max_points && deduction.points > Decimal::ONE {
            problems.push(format!(
                "偏差扣分按分值的比例计，{} 应是 0 到 1 之间的比例（10% 写作 0.1）",
                deduction.points.normalize()
            ));
        }
        if let Some(every) = deduction.every
            && (every <= Decimal::ZERO || every > Decimal::ONE)
        {
            problems.push(format!(
                "偏差每档 {} 应是大于 0、不超过 1 的比例（每 10% 写作 0.1）",
                every.normalize()
            ));
        }
    }
    if let Some(over) = &set.over_execution {
        if over.points.is_sign_negative() {
            problems.push(format!("超支扣分 {} 不能为负数", over.points.normalize()));
        }
        if let Some(every) = over.every
            && (every <= Decimal::ZERO || every > Decimal::ONE)
        {
            problems.push(format!(
                "超支扣分每档 {} 应是大于 0、不超过 1 的比例（每 1% 写作 0.01）",
                every.normalize()
            ));
        }
    }
    for (index, cap) in set.caps.iter().enumerate() {
        if !is_share(cap.below) {
            problems.push(format!(
                "第 {} 条封顶的{} {} 应是 0 到 1 之间的比例（80% 写作 0.8）",
                index + 1,
                cap.by.as_deref().unwrap_or("执行率"),
                cap.below
            ));
        }
        if cap.at_most.is_sign_negative() || cap.at_most > crate::model::FULL_MARKS {
            problems.push(format!(
                "第 {} 条封顶的分数 {} 应在 0 到 100 之间",
                index + 1,
                cap.at_most
            ));
        }
    }
    let out_of_order = set.caps.iter().enumerate().any(|(i, cap)| {
        set.caps[..i]
            .iter()
            .rev()
            .find(|earlier| earlier.by == cap.by)
            .is_some_and(|earlier| cap.below >= earlier.below)
    });
    if out_of_order {
        problems.push("封顶各条应按执行率（或所按指标的完成值）从高到低排列".to_owned());
    }
    if set
        .caps
        .iter()
        .any(|cap| cap.by.as_deref().is_some_and(|by| by.trim().is_empty()))
    {
        problems.push("封顶所按的指标名称（by）不能为空".to_owned());
    }
    let q = set.qualitative;
    if !(is_share(q.achieved) && is_share(q.partial) && q.achieved > q.partial) {
        problems.push(format!(
            "定性分档的界限应是 0 到 1 之间的比例且从高到低：现为 {} / {}",
            q.achieved, q.partial
        ));
    }
    if set.yes_words.iter().any(|w| set.no_words.contains(w)) {
        problems.push("同一个词既在“是”的说法里，又在“否”的说法里".to_owned());
    }
    problems
}

/// Defaults that cannot do what their row is for: a 预算执行率 rule that does not read
/// the 执行率, a row's rule that reads the 执行率 instead of its own figures, a 是/否 or
/// 定性 row given a rule of another kind.
fn check_defaults(d: &LeafDefaults) -> Vec<String> {
    use crate::model::Measure;
    let mut problems = Vec::new();
    if d.execution_rate.measure != Measure::ExecutionRate {
        problems.push("预算执行率的默认规则应按执行率（ExecutionRate）计分".to_owned());
    }
    for (label, rule) in [
        ("定量指标", &d.quantitative),
        ("是/否指标", &d.yes_no),
        ("定性指标", &d.qualitative),
        ("满意度指标", &d.satisfaction),
    ] {
        if rule.measure == Measure::ExecutionRate {
            problems.push(format!(
                "{label}的默认规则按执行率计分，应按{label}自己的实际完成值（Completion 或 Actual）"
            ));
        }
    }
    if d.yes_no.kind != RuleKind::YesNo {
        problems.push("是/否指标的默认规则应是 YesNo".to_owned());
    }
    if d.qualitative.kind != RuleKind::Qualitative {
        problems.push("定性指标的默认规则应是 Qualitative".to_owned());
    }
    for (label, rule) in [
        ("定量指标", &d.quantitative),
        ("满意度指标", &d.satisfaction),
        ("预算执行率", &d.execution_rate),
    ] {
        if matches!(rule.kind, RuleKind::Qualitative | RuleKind::YesNo) {
            problems.push(format!("{label}的默认规则不能是定性或是/否"));
        }
    }
    problems
}

fn is_share(value: Decimal) -> bool {
    value >= Decimal::ZERO && value <= Decimal::ONE
}

/// What cannot be right in one rule's data. Rates and shares are fractions (0.9 is 90%);
/// a bound written as 90 is reported with the share it probably means.
pub fn check_rule(rule: &ScoreRule) -> Vec<String> {
    let mut problems = Vec::new();
    // A bound (a rate) written as 90 means 90%; a share of 分值 above 1 is more than
    // full points unless it is plainly a percentage (≥ 10).
    let mut share = |what: &str, value: Decimal| {
        let is_points_share = what.contains("得分比例");
        if !is_share(value) {
            let hint = if is_points_share && value > Decimal::ONE && value < Decimal::TEN {
                "（得分比例最高为 1，即得满分）".to_owned()
            } else if value > Decimal::ONE && value <= Decimal::ONE_HUNDRED {
                format!(
                    "（{}% 应写作 {}）",
                    value.normalize(),
                    (value / Decimal::ONE_HUNDRED).normalize()
                )
            } else {
                String::new()
            };
            problems.push(format!(
                "{what} {} 应是 0 到 1 之间的比例{hint}",
                value.normalize()
            ));
        }
    };
    match &rule.kind {
        RuleKind::PassThreshold { pass } => share("及格门槛", *pass),
        RuleKind::Bands { bands } => {
            for band in bands {
                share("分档下限", band.from);
                share("分档得分比例", band.share);
            }
            if bands.windows(2).any(|w| w[1].from >= w[0].from) {
                problems.push("各档应按下限从高到低排列".to_owned());
            }
            if bands.windows(2).any(|w| w[1].share > w[0].share) {
                problems.push("下限较低的一档得分比例不能更高".to_owned());
            }
        }
        RuleKind::LinearDeduction {
            full_at,
            zero_at,
            step,
            ..
        } => {
            share("满分点", *full_at);
            share("零分点", *zero_at);
            if let Some(step) = step {
                share("扣分步长", *step);
                if step.is_zero() {
                    problems.push("扣分步长不能为 0（每 1% 写作 0.01）".to_owned());
                }
            }
            if zero_at >= full_at {
                problems.push("零分点应低于满分点".to_owned());
            }
        }
        RuleKind::Proportional | RuleKind::YesNo | RuleKind::Qualitative => {}
    }
    problems
}

/// The rule a leaf's target implies under `set`, with the direction it reads: `≥50个` →
/// 正向, `≤90万元` → 反向, `100%` → 比率, `是`/`无` → 是/否, words → 定性; a 满意度 leaf
/// takes the set's 满意度 rule. `None` for an empty target.
pub fn implied_rule(
    set: &RuleSet,
    name: &str,
    target: &str,
) -> Option<(ScoreRule, Option<Direction>)> {
    let target = target.trim();
    if target.is_empty() {
        return None;
    }
    if set
        .yes_words
        .iter()
        .chain(&set.no_words)
        .any(|w| w == target)
    {
        return Some((set.defaults.yes_no.clone(), None));
    }
    match read_value(target) {
        Some(Value::Figure(quantity)) => {
            if name.contains("满意度") {
                Some((set.defaults.satisfaction.clone(), None))
            } else {
                let direction = quantity.direction().filter(|d| *d == Direction::Lower);
                Some((set.defaults.quantitative.clone(), direction))
            }
        }
        // A deadline: met or not, by date.
        Some(Value::Date(_)) => Some((set.defaults.quantitative.clone(), None)),
        None => Some((set.defaults.qualitative.clone(), None)),
    }
}

/// A cap that lowered the 综合得分: what it reads ("执行率", "满意度"), that figure, and
/// the most the total may be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedCap {
    pub basis: String,
    pub rate: Decimal,
    pub at_most: Decimal,
}

impl AppliedCap {
    /// "按执行率 75% 封顶 89 分", "按满意度 75% 封顶 79 分".
    pub fn note(&self) -> String {
        format!(
            "按{} {}% 封顶 {} 分",
            self.basis,
            crate::number::round2(self.rate * Decimal::ONE_HUNDRED).normalize(),
            self.at_most.normalize()
        )
    }
}

/// Why a cap of the set cannot be applied: what it reads and why that cannot be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapUnknown {
    pub basis: String,
    pub reason: String,
}

/// The figure a cap reads, with its name: the 执行率, or the lowest 实际完成值 (as a
/// share) among the applicable leaves whose name holds `by`.
fn cap_basis(doc: &Evaluation, by: Option<&str>) -> Result<(String, Decimal), CapUnknown> {
    let Some(by) = by.map(str::trim) else {
        return doc
            .self_assessment
            .execution_rate()
            .map(|rate| ("执行率".to_owned(), rate))
            .map_err(|reason| CapUnknown {
                basis: "执行率".to_owned(),
                reason,
            });
    };
    let unknown = |reason: String| CapUnknown {
        basis: by.to_owned(),
        reason,
    };
    let mut lowest: Option<Decimal> = None;
    for leaf in doc.leaves() {
        if !leaf.is_applicable() || !leaf.name.contains(by) {
            continue;
        }
        let share = crate::number::actual_as_share(&leaf.scoring.actual)
            .map_err(|reason| unknown(format!("“{}”{reason}", leaf.name)))?;
        lowest = Some(lowest.map_or(share, |low| low.min(share)));
    }
    lowest
        .map(|share| (by.to_owned(), share))
        .ok_or_else(|| unknown(format!("没有名称含“{by}”的指标")))
}

/// The cap of `doc`'s set that applies, if any: the lowest `at_most` among the caps
/// whose figure lies below their `below`. An error, naming what could not be read,
/// where a cap's figure cannot be had (no budget block, no 满意度 row): the total is
/// then not capped by it, and validation says so.
pub fn cap_for(doc: &Evaluation) -> Result<Option<AppliedCap>, CapUnknown> {
    let set = of(doc);
    let mut applied: Option<AppliedCap> = None;
    for cap in &set.caps {
        let (basis, rate) = cap_basis(doc, cap.by.as_deref())?;
        if rate < cap.below && applied.as_ref().is_none_or(|a| cap.at_most < a.at_most) {
            applied = Some(AppliedCap {
                basis,
                rate,
                at_most: cap.at_most,
            });
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Band, Measure};
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn every_built_in_set_reads_and_checks_clean() {
        for (key, text) in BUILT_IN {
            let set = parse(text, key).unwrap_or_else(|e| panic!("{e}"));
            assert!(check(&set).is_empty(), "{key}");
        }
        assert_eq!(built_in().len(), BUILT_IN.len());
        assert_eq!(of(&Evaluation::default()).name, "财预〔2020〕10号");
    }

    #[test]
    fn an_unknown_field_is_an_error_with_its_line() {
        let text = BUILT_IN[0].1.replace(
            "  qualitative: (achieved",
            "  cap: \"89\",\n  qualitative: (achieved",
        );
        let err = parse(&text, "地区.ron").unwrap_err();
        let RuleSetError::Syntax { line, reason, .. } = &err else {
            panic!("{err}");
        };
        assert_eq!(reason, "不认识的项“cap”");
        let expected = text.lines().position(|l| l.contains("cap:")).unwrap() + 1;
        assert_eq!(*line, expected, "{err}");
    }

    #[test]
    fn bands_in_percent_and_shares_above_one_are_named() {
        let rule = ScoreRule {
            kind: RuleKind::Bands {
                bands: vec![
                    Band {
                        from: d("90"),
                        share: d("1"),
                    },
                    Band {
                        from: d("0.8"),
                        share: d("2"),
                    },
                ],
            },
            measure: Measure::Actual,
        };
        assert_eq!(
            check_rule(&rule),
            [
                "分档下限 90 应是 0 到 1 之间的比例（90% 应写作 0.9）",
                "分档得分比例 2 应是 0 到 1 之间的比例（得分比例最高为 1，即得满分）",
                "下限较低的一档得分比例不能更高",
            ]
        );
        let ascending = ScoreRule {
            kind: RuleKind::Bands {
                bands: vec![
                    Band {
                        from: d("0.6"),
                        share: d("0.5"),
                    },
                    Band {
                        from: d("0.9"),
                        share: d("0.5"),
                    },
                ],
            },
            measure: Measure::Actual,
        };
        assert_eq!(check_rule(&ascending), ["各档应按下限从高到低排列"]);
    }

    #[test]
    fn w11_a_default_that_cannot_do_its_rows_job_is_refused() {
        let text = BUILT_IN[2].1.replace(
            "execution_rate: (kind: Proportional, measure: ExecutionRate)",
            "execution_rate: (kind: Proportional, measure: Completion)",
        );
        assert_ne!(text, BUILT_IN[2].1, "the built-in set changed its wording");
        let err = parse(&text, "地区.ron").unwrap_err().to_string();
        assert_eq!(
            err,
            "规则集“地区.ron”的数据不对：预算执行率的默认规则应按执行率（ExecutionRate）计分"
        );
        let text = BUILT_IN[0].1.replace(
            "quantitative: (kind: Proportional, measure: Completion)",
            "quantitative: (kind: Proportional, measure: ExecutionRate)",
        );
        assert_ne!(text, BUILT_IN[0].1, "the built-in set changed its wording");
        let err = parse(&text, "地区.ron").unwrap_err().to_string();
        assert!(err.contains("定量指标的默认规则按执行率计分"), "{err}");
    }

    #[test]
    fn a_file_saved_by_notepad_or_in_gbk_reads() {
        let dir = tempfile::tempdir().unwrap();
        let bom = dir.path().join("记事本.ron");
        std::fs::write(&bom, format!("\u{feff}{}", BUILT_IN[2].1)).unwrap();
        assert_eq!(
            load_file(&bom).unwrap().name,
            find("regional-example").unwrap().name
        );
        let gbk = dir.path().join("某县.ron");
        let (bytes, _, _) = encoding_rs::GBK.encode(BUILT_IN[2].1);
        std::fs::write(&gbk, &bytes).unwrap();
        assert_eq!(
            load_file(&gbk).unwrap().name,
            find("regional-example").unwrap().name
        );
        // Neither: said in Chinese, never the parser's English.
        let broken = dir.path().join("坏.ron");
        std::fs::write(&broken, [0x28, 0xff, 0xff, 0xff]).unwrap();
        let err = load_file(&broken).unwrap_err().to_string();
        assert!(err.contains("文字编码既不是 UTF-8 也不是 GBK"), "{err}");
        let err = parse("(name: 1)", "x.ron").unwrap_err().to_string();
        assert!(!err.is_ascii() && !err.contains("Expected"), "{err}");
    }

    #[test]
    fn the_example_set_of_the_readme_reads() {
        let readme = include_str!("../README.md");
        let start = readme.find("  name: \"某县（偏差分级扣分）\"").unwrap();
        let open = readme[..start].rfind("```ron\n").unwrap() + "```ron\n".len();
        let close = start + readme[start..].find("```").unwrap();
        let set = parse(&readme[open..close], "某县.ron").unwrap_or_else(|e| panic!("{e}"));
        let deviation = set.deviation.unwrap();
        assert_eq!(deviation.every, Some(d("0.1")));
        assert!(deviation.shortfall_only && deviation.unless_explained);
    }

    #[test]
    fn a_cap_by_satisfaction_reads_the_lowest_satisfaction_row() {
        use crate::model::{Indicator, NodeId};
        let mut set = find("national-2020").unwrap().clone();
        set.caps = vec![Cap {
            below: d("0.8"),
            at_most: d("79"),
            by: Some("满意度".into()),
        }];
        let mut doc = Evaluation::default();
        doc.self_assessment.custom_rules = Some(set);
        let row = |id, name: &str, actual: &str| {
            let mut leaf = Indicator::leaf(NodeId(id), name, d("5"));
            leaf.scoring.actual = actual.into();
            leaf
        };
        doc.indicators = vec![Indicator::group(
            NodeId(1),
            "满意度指标",
            vec![
                row(2, "服务对象满意度", "85%"),
                row(3, "社区满意度", "75%"),
                row(4, "活动场次", "10个"),
            ],
        )];
        assert_eq!(
            cap_for(&doc).unwrap().unwrap().note(),
            "按满意度 75% 封顶 79 分"
        );
        doc.indicators[0].children[1].scoring.actual = "90%".into();
        assert_eq!(cap_for(&doc), Ok(None));
        doc.indicators[0].children[1].scoring.actual = "较好".into();
        assert_eq!(
            cap_for(&doc).unwrap_err().reason,
            "“社区满意度”无法从实际完成值“较好”读出数字"
        );
        // No budget block is needed for a cap that does not read the 执行率.
        doc.indicators[0].children[1].scoring.actual = "/".into();
        assert_eq!(cap_for(&doc), Ok(None));
    }

    #[test]
    fn a_band_share_above_one_is_not_told_to_be_a_percentage() {
        let rule = ScoreRule {
            kind: RuleKind::Bands {
                bands: vec![Band {
                    from: d("0.9"),
                    share: d("1.2"),
                }],
            },
            measure: Measure::Actual,
        };
        assert_eq!(
            check_rule(&rule),
            ["分档得分比例 1.2 应是 0 到 1 之间的比例（得分比例最高为 1，即得满分）"]
        );
    }

    #[test]
    fn a_cap_written_in_percent_is_refused_naming_it() {
        let text = BUILT_IN[2].1.replace("below: \"0.8\"", "below: \"80\"");
        let err = parse(&text, "地区.ron").unwrap_err().to_string();
        assert!(
            err.contains("第 1 条封顶的执行率 80 应是 0 到 1 之间的比例"),
            "{err}"
        );
    }

    #[test]
    fn a_target_implies_its_rule() {
        let doc = Evaluation::default();
        let set = of(&doc);
        let kind = |name: &str, target: &str| {
            implied_rule(set, name, target).map(|(rule, direction)| (rule.kind, direction))
        };
        assert_eq!(
            kind("活动场次", "≥50个"),
            Some((RuleKind::Proportional, None))
        );
        assert_eq!(
            kind("成本", "≤90万元"),
            Some((RuleKind::Proportional, Some(Direction::Lower)))
        );
        assert_eq!(kind("完成率", "100%"), Some((RuleKind::Proportional, None)));
        assert_eq!(kind("按期完成", "是"), Some((RuleKind::YesNo, None)));
        assert_eq!(kind("安全事故", "无"), Some((RuleKind::YesNo, None)));
        assert_eq!(
            kind("社会效益", "群众获得感提升"),
            Some((RuleKind::Qualitative, None))
        );
        assert_eq!(kind("x", " "), None);
        let set_2021 = find("national-2021").unwrap();
        assert!(matches!(
            implied_rule(set_2021, "服务对象满意度", "≥90%").map(|(r, _)| r.kind),
            Some(RuleKind::Bands { .. })
        ));
    }

    #[test]
    fn caps_follow_the_execution_rate() {
        let mut doc = Evaluation::default();
        doc.self_assessment.rule_set = "regional-example".into();
        doc.self_assessment.current_year.full_year_budget = Some(d("100"));
        let cap_at = |doc: &mut Evaluation, executed: &str| {
            doc.self_assessment.current_year.executed = Some(d(executed));
            cap_for(doc).unwrap().map(|c| c.at_most.to_string())
        };
        assert_eq!(cap_at(&mut doc, "80"), None);
        assert_eq!(cap_at(&mut doc, "79.99"), Some("89".into()));
        assert_eq!(cap_at(&mut doc, "70"), Some("89".into()));
        assert_eq!(cap_at(&mut doc, "69"), Some("79".into()));
        assert_eq!(cap_at(&mut doc, "59"), Some("69".into()));
        assert_eq!(cap_at(&mut doc, "49"), Some("59".into()));
        doc.self_assessment.current_year.executed = Some(d("75"));
        assert_eq!(
            cap_for(&doc).unwrap().unwrap().note(),
            "按执行率 75% 封顶 89 分"
        );
        doc.self_assessment.rule_set = String::new();
        assert_eq!(cap_for(&doc), Ok(None));
    }
}
