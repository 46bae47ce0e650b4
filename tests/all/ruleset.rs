//! Rule sets as a user meets them: a 自评 document that names the regional example set is
//! scored from the command line with its deviation deduction and its 执行率 cap shown;
//! a rule written with a field the program does not know is refused with its line; and
//! the 正向 and 反向 rules are monotone in the actual and never above 分值.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

use crate::common::jixiao;

use std::path::Path;
use std::str::FromStr;

use jixiao::model::{
    Direction, Evaluation, EvaluationKind, Indicator, Measure, NodeId, RuleKind, ScoreRule,
};
use jixiao::rules::{Outcome, evaluate};
use jixiao::storage;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn proportional() -> ScoreRule {
    ScoreRule {
        kind: RuleKind::Proportional,
        measure: Measure::Completion,
    }
}

/// A 自评表 under `rule_set`: 执行率 75% (75 of 100 万元), a 10-point 活动场次 leaf at 70
/// of ≥100个, and 80 points typed in full.
fn regional_form(rule_set: &str) -> Evaluation {
    let mut doc = Evaluation::default();
    doc.info.kind = EvaluationKind::SelfAssessment;
    doc.info.name = "社区服务项目".into();
    doc.self_assessment.rule_set = rule_set.into();
    doc.self_assessment.current_year.full_year_budget = Some(d("100"));
    doc.self_assessment.current_year.executed = Some(d("75"));
    let mut budget = Indicator::leaf(NodeId(1), "预算执行率", d("10"));
    budget.scoring.rule = Some(ScoreRule {
        kind: RuleKind::Proportional,
        measure: Measure::ExecutionRate,
    });
    let mut count = Indicator::leaf(NodeId(2), "活动场次", d("10"));
    count.scoring.target = "≥100个".into();
    count.scoring.actual = "70个".into();
    count.scoring.rule = Some(proportional());
    count.scoring.deviation = "场地受限，下年提前预约".into();
    let mut rest = Indicator::leaf(NodeId(3), "服务质量", d("80"));
    rest.scoring.score = Some(d("80"));
    doc.indicators = vec![
        budget,
        Indicator::group(
            NodeId(10),
            "产出指标",
            vec![Indicator::group(NodeId(11), "数量指标", vec![count]), rest],
        ),
    ];
    doc.repair_ids();
    doc
}

#[test]
fn the_regional_set_deducts_and_caps_and_the_score_command_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("自评.ron");
    storage::save(&regional_form("regional-example"), &path).unwrap();
    let output = jixiao(&["score", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    // 7.5 (执行率 75% × 10) + 5 (70/100 × 10 − 2) + 80 = 92.5, capped at 89 by 执行率 75%.
    assert!(out.contains("综合得分"), "{out}");
    let total_line = out.lines().find(|l| l.starts_with("综合得分")).unwrap();
    assert!(total_line.contains("89.00"), "{out}");
    assert!(out.contains("绩效评定级别：良"), "{out}");
    assert!(out.contains("按执行率 75% 封顶 89 分"), "{out}");
    assert!(
        out.contains("产出指标 / 数量指标 / 活动场次：偏差 30.00%（≥30%），扣 2 分"),
        "{out}"
    );

    let output = jixiao(&["score", path.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(json["total"], "89.00");
    assert_eq!(json["adjustments"][1], "按执行率 75% 封顶 89 分");

    // The same form under the national set: no deduction, no cap: 7.5 + 7 + 80.
    storage::save(&regional_form(""), &path).unwrap();
    let out = text(&jixiao(&["score", path.to_str().unwrap()]).stdout);
    let total_line = out.lines().find(|l| l.starts_with("综合得分")).unwrap();
    assert!(total_line.contains("94.50"), "{out}");
    assert!(out.contains("绩效评定级别：优"), "{out}");
    assert!(!out.contains("封顶"), "{out}");
}

#[test]
fn a_rule_with_a_field_the_program_does_not_know_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("地区.ron");
    let saved = storage::to_ron(&regional_form("")).unwrap();
    let edited = saved.replacen(
        "measure: ExecutionRate",
        "measure: ExecutionRate,\n            cap: \"89\"",
        1,
    );
    assert_ne!(saved, edited);
    std::fs::write(&path, &edited).unwrap();
    let line = edited.lines().position(|l| l.contains("cap:")).unwrap() + 1;
    let output = jixiao(&["score", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains(&format!("第 {line} 行")), "{message}");
    assert!(message.contains("不认识的项“cap”"), "{message}");
}

#[test]
fn a_document_naming_an_unknown_rule_set_is_warned_and_scored_nationally() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("自评.ron");
    storage::save(&regional_form("xinjiang-2030"), &path).unwrap();
    let output = jixiao(&["check", path.to_str().unwrap()]);
    let out = text(&output.stdout);
    assert!(
        out.contains("没有名为“xinjiang-2030”的评分规则集，按财预〔2020〕10号计分"),
        "{out}"
    );
}

fn leaf(target: &str, actual: &str, direction: Option<Direction>, max: Decimal) -> Indicator {
    let mut leaf = Indicator::leaf(NodeId(1), "指标", max);
    leaf.scoring.target = target.into();
    leaf.scoring.actual = actual.into();
    leaf.scoring.direction = direction;
    leaf
}

/// The score under the document's rule set's default rule for a number target.
fn score(leaf: &Indicator, doc: &Evaluation) -> Decimal {
    let rule = jixiao::ruleset::of(doc).defaults.quantitative.clone();
    match evaluate(&rule, leaf, doc) {
        Outcome::Score(score) => score,
        other => panic!("{other:?}"),
    }
}

proptest! {
    #[test]
    fn forward_and_reverse_scores_are_monotone_in_the_actual_and_within_max(
        target in 1i64..5_000,
        low in 0i64..10_000,
        step in 0i64..10_000,
        max_cents in 0i64..5_000,
        percent in any::<bool>(),
        set in prop::sample::select(vec!["", "national-2021"]),
    ) {
        let mut doc = Evaluation::default();
        doc.self_assessment.rule_set = set.into();
        let max = Decimal::new(max_cents, 2);
        let unit = if percent { "%" } else { "个" };
        let high = low + step;
        for direction in [Direction::Higher, Direction::Lower] {
            let at = |actual: i64| {
                score(
                    &leaf(&format!("{target}{unit}"), &format!("{actual}{unit}"), Some(direction), max),
                    &doc,
                )
            };
            let (a, b) = (at(low), at(high));
            prop_assert!(a >= Decimal::ZERO && a <= max, "{a} of {max}");
            prop_assert!(b >= Decimal::ZERO && b <= max, "{b} of {max}");
            match direction {
                Direction::Higher => prop_assert!(a <= b, "正向 {low}→{a}, {high}→{b}"),
                _ => prop_assert!(a >= b, "反向 {low}→{a}, {high}→{b}"),
            }
        }
    }
}

#[test]
fn the_rule_set_files_are_where_the_readme_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicator_templates/rules");
    for (key, set) in jixiao::ruleset::built_in() {
        let file = dir.join(format!("{key}.ron"));
        let read = jixiao::ruleset::parse(&std::fs::read_to_string(&file).unwrap(), key).unwrap();
        assert_eq!(&read, set);
    }
}

fn problems(doc: &Evaluation) -> Vec<jixiao::validate::Problem> {
    jixiao::validate::validate(doc, &jixiao::scoring::summarize(doc))
}

fn with_leaves(kind: EvaluationKind, leaves: Vec<Indicator>) -> Evaluation {
    let mut doc = Evaluation::default();
    doc.info.kind = kind;
    doc.indicators = vec![Indicator::group(NodeId(100), "产出指标", leaves)];
    doc.repair_ids();
    doc
}

#[test]
fn bands_written_in_percent_are_an_error_naming_the_indicator() {
    let mut satisfaction = Indicator::leaf(NodeId(1), "服务对象满意度", d("10"));
    satisfaction.scoring.actual = "95%".into();
    satisfaction.scoring.rule = Some(ScoreRule {
        kind: RuleKind::Bands {
            bands: vec![jixiao::model::Band {
                from: d("90"),
                share: d("1"),
            }],
        },
        measure: Measure::Actual,
    });
    let doc = with_leaves(EvaluationKind::SelfAssessment, vec![satisfaction]);
    let found: Vec<_> = problems(&doc)
        .into_iter()
        .filter(|p| p.kind == jixiao::validate::ProblemKind::RuleDataInvalid)
        .map(|p| (p.severity, p.path, p.message))
        .collect();
    assert_eq!(
        found,
        [(
            jixiao::validate::Severity::Error,
            "产出指标 / 服务对象满意度".to_owned(),
            "评分规则的数据有误：分档下限 90 应是 0 到 1 之间的比例（90% 应写作 0.9）".to_owned()
        )]
    );
}

#[test]
fn a_qualitative_band_error_shows_its_bound_exactly() {
    let mut leaf = Indicator::leaf(NodeId(1), "社会效益", d("3.33"));
    leaf.scoring.rule = Some(ScoreRule {
        kind: RuleKind::Qualitative,
        measure: Measure::Completion,
    });
    leaf.scoring.band = Some(jixiao::model::QualitativeBand::Achieved);
    leaf.scoring.score = Some(d("2.66"));
    leaf.scoring.deviation = "x".into();
    let doc = with_leaves(EvaluationKind::SelfAssessment, vec![leaf]);
    let messages: Vec<_> = problems(&doc)
        .into_iter()
        .filter(|p| p.kind == jixiao::validate::ProblemKind::ScoreOutsideBand)
        .map(|p| p.message)
        .collect();
    assert_eq!(
        messages,
        ["得分 2.66 不在“达成年度指标”一档（2.664–3.33 分）内"]
    );
}

#[test]
fn over_execution_is_compared_with_the_chosen_base() {
    let mut doc = with_leaves(
        EvaluationKind::SelfAssessment,
        vec![Indicator::leaf(NodeId(1), "指标", d("100"))],
    );
    let block = &mut doc.self_assessment;
    block.current_year.full_year_budget = Some(d("100"));
    block.current_year.executed = Some(d("90"));
    block.rate_base = jixiao::model::RateBase::FundsReceived;
    block.funds_received = Some(d("80"));
    let over: Vec<_> = problems(&doc)
        .into_iter()
        .filter(|p| p.kind == jixiao::validate::ProblemKind::OverExecuted)
        .map(|p| p.message)
        .collect();
    assert_eq!(over, ["全年执行数 90 超过实际到位资金 80"]);
}

#[test]
fn the_deviation_reason_and_the_deduction_reason_do_not_silence_each_other() {
    let lost = |reason: &str, deviation: &str| {
        let mut leaf = Indicator::leaf(NodeId(1), "指标", d("100"));
        leaf.scoring.score = Some(d("90"));
        leaf.scoring.reason = reason.into();
        leaf.scoring.deviation = deviation.into();
        leaf
    };
    let unexplained = |kind, leaf| {
        problems(&with_leaves(kind, vec![leaf]))
            .into_iter()
            .filter(|p| p.kind == jixiao::validate::ProblemKind::DeductionWithoutReason)
            .count()
    };
    assert_eq!(
        unexplained(EvaluationKind::SelfAssessment, lost("扣分理由", "")),
        1
    );
    assert_eq!(
        unexplained(EvaluationKind::SelfAssessment, lost("", "偏差原因")),
        0
    );
    assert_eq!(unexplained(EvaluationKind::Expert, lost("", "偏差原因")), 1);
    assert_eq!(unexplained(EvaluationKind::Expert, lost("扣分理由", "")), 0);
}

#[test]
fn an_actual_of_slash_leaves_the_total_and_the_rating_goes_by_score_rate() {
    let mut scored = Indicator::leaf(NodeId(1), "服务质量", d("90"));
    scored.scoring.score = Some(d("81"));
    let mut slash = Indicator::leaf(NodeId(2), "成本节约", d("10"));
    slash.scoring.target = "≤90万元".into();
    slash.scoring.actual = "/".into();
    slash.scoring.rule = Some(proportional());
    let mut doc = with_leaves(EvaluationKind::SelfAssessment, vec![scored, slash]);
    jixiao::rules::apply_rules(&mut doc);
    let summary = jixiao::scoring::summarize(&doc);
    assert_eq!(summary.totals.max_points, d("90"));
    assert_eq!(summary.total_text(), "81.00");
    // 81 of 90 is 90%: 优, not 良.
    assert_eq!(summary.rating.label(), "优");
    assert!(
        problems(&doc)
            .iter()
            .all(|p| p.kind != jixiao::validate::ProblemKind::RuleUnreadable)
    );
}

#[test]
fn the_excel_form_keeps_the_cap_in_its_total_and_names_the_rule_set() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("自评.xlsx");
    let mut doc = regional_form("regional-example");
    jixiao::rules::apply_rules(&mut doc);
    jixiao::export::Format::Xlsx.write(&doc, &path).unwrap();
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let values = workbook.worksheet_range("自评表").unwrap();
    let texts: Vec<String> = values
        .rows()
        .flatten()
        .filter_map(|c| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t == "地区示例（偏差扣分、执行率封顶）"),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("绩效评定级别：良") && t.contains("按执行率 75% 封顶 89 分")),
        "{texts:?}"
    );
    let formulas = workbook.worksheet_formula("自评表").unwrap();
    assert!(
        formulas
            .rows()
            .flatten()
            .any(|f| f.starts_with("MIN(SUM(") && f.ends_with(",89)")),
        "{:?}",
        formulas
            .rows()
            .flatten()
            .filter(|f| !f.is_empty())
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_readme_example_is_a_rule_set_that_reads() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("## 评分规则集").unwrap()..];
    let start = section.find("```ron\n").unwrap() + "```ron\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let set = jixiao::ruleset::parse(example, "README.md").unwrap();
    assert_eq!(set.caps.len(), 2);
    assert!(set.deviation.is_some());
}

/// A region's own set, written by hand: a deviation of 25% or more costs 3 points, and
/// below 80% 执行率 the 综合得分 is at most 85.
const OWN_SET: &str = r#"// 某县自定规则
(
  name: "某县自评规则",
  description: "偏差25%（含）以上扣3分；执行率低于80%总分最高85分。",
  defaults: (
    quantitative: (kind: Proportional, measure: Completion),
    yes_no: (kind: YesNo, measure: Completion),
    qualitative: (kind: Qualitative, measure: Completion),
    satisfaction: (kind: Bands(bands: [(from: "0.9", share: "1"), (from: "0.8", share: "0.8")]), measure: Actual),
    execution_rate: (kind: Proportional, measure: ExecutionRate),
  ),
  deviation: Some((at_least: "0.25", points: "3")),
  caps: [(below: "0.8", at_most: "85")],
  qualitative: (achieved: "0.8", partial: "0.6"),
  yes_words: ["是", "完成"],
  no_words: ["否", "无"],
)
"#;

#[test]
fn a_rule_set_file_a_region_writes_scores_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评.ron");
    let rules = dir.path().join("某县.ron");
    storage::save(&regional_form(""), &form).unwrap();
    std::fs::write(&rules, OWN_SET).unwrap();
    let args = [
        "score",
        form.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ];
    let output = jixiao(&args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    // 7.5 + (7 − 3) + 80 = 91.5, capped at 85 by 执行率 75%.
    let total_line = out.lines().find(|l| l.starts_with("综合得分")).unwrap();
    assert!(total_line.contains("85.00"), "{out}");
    assert!(out.contains("绩效评定级别：良"), "{out}");
    assert!(out.contains("按执行率 75% 封顶 85 分"), "{out}");
    assert!(
        out.contains("活动场次：偏差 30.00%（≥25%），扣 3 分"),
        "{out}"
    );

    let output = jixiao(&[
        "check",
        form.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_loaded_rule_set_is_kept_in_the_document_and_scores_without_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评.ron");
    let rules = dir.path().join("某县.ron");
    std::fs::write(&rules, OWN_SET).unwrap();
    let mut doc = regional_form("");
    let set = jixiao::ruleset::load_file(&rules).unwrap();
    jixiao::rules::adopt(&mut doc, set, "某县");
    storage::save(&doc, &form).unwrap();
    std::fs::remove_file(&rules).unwrap();

    let reopened = storage::load(&form).unwrap();
    assert_eq!(jixiao::ruleset::of(&reopened).name, "某县自评规则");
    let out = text(&jixiao(&["score", form.to_str().unwrap()]).stdout);
    let total_line = out.lines().find(|l| l.starts_with("综合得分")).unwrap();
    assert!(total_line.contains("85.00"), "{out}");
    assert!(out.contains("按执行率 75% 封顶 85 分"), "{out}");
    let report = jixiao::export::markdown_report(&reopened);
    assert!(report.contains("某县自评规则"), "{report}");
}

/// The message `jixiao score` gives for the rule file `text`.
fn rule_file_error(text_of_file: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评.ron");
    let rules = dir.path().join("某县.ron");
    storage::save(&regional_form(""), &form).unwrap();
    std::fs::write(&rules, text_of_file).unwrap();
    let output = jixiao(&[
        "score",
        form.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains("某县.ron"), "{message}");
    message
}

fn line_of(text_of_file: &str, needle: &str) -> usize {
    text_of_file
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
        + 1
}

#[test]
fn an_unknown_field_in_a_rule_file_is_named_with_its_line() {
    let edited = OWN_SET.replace(
        "  qualitative: (achieved",
        "  cap: \"89\",\n  qualitative: (achieved",
    );
    let message = rule_file_error(&edited);
    assert!(
        message.contains(&format!("第 {} 行", line_of(&edited, "cap:"))),
        "{message}"
    );
    assert!(message.contains("不认识的项“cap”"), "{message}");
}

#[test]
fn a_missing_field_and_broken_syntax_in_a_rule_file_name_the_line() {
    let missing = OWN_SET.replace("  no_words: [\"否\", \"无\"],\n", "");
    let message = rule_file_error(&missing);
    assert!(message.contains("缺少“no_words”项"), "{message}");

    let broken = OWN_SET.replace(
        "(below: \"0.8\", at_most: \"85\")",
        "(below: \"0.8\" at_most: \"85\")",
    );
    let message = rule_file_error(&broken);
    assert!(
        message.contains(&format!("第 {} 行", line_of(&broken, "caps:"))),
        "{message}"
    );
}

#[test]
fn percent_written_where_a_share_is_meant_names_the_item() {
    let message = rule_file_error(&OWN_SET.replace("from: \"0.9\"", "from: \"90\""));
    assert!(
        message
            .contains("满意度指标的默认规则：分档下限 90 应是 0 到 1 之间的比例（90% 应写作 0.9）"),
        "{message}"
    );
    let message = rule_file_error(&OWN_SET.replace("at_least: \"0.25\"", "at_least: \"25\""));
    assert!(
        message.contains("偏差扣分的起点 25 应是 0 到 1 之间的比例"),
        "{message}"
    );
}

#[test]
fn shares_above_one_and_bands_not_descending_name_the_item() {
    let message = rule_file_error(&OWN_SET.replace("share: \"0.8\"", "share: \"2\""));
    assert!(
        message.contains("满意度指标的默认规则：分档得分比例 2 应是 0 到 1 之间的比例"),
        "{message}"
    );
    let message = rule_file_error(&OWN_SET.replace("from: \"0.8\"", "from: \"0.95\""));
    assert!(
        message.contains("满意度指标的默认规则：各档应按下限从高到低排列"),
        "{message}"
    );
}

#[test]
fn a_rule_file_that_is_not_there_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评.ron");
    storage::save(&regional_form(""), &form).unwrap();
    let missing = dir.path().join("没有.ron");
    let output = jixiao(&[
        "score",
        form.to_str().unwrap(),
        "--rules",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(
        message.contains("无法读取规则集") && message.contains("没有.ron"),
        "{message}"
    );
}

/// The text of `word/document.xml` in a .docx, tags removed.
fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn a_self_assessment_report_heads_its_reason_column_as_the_form_does() {
    let doc = regional_form("");
    let markdown = jixiao::export::markdown_report(&doc);
    assert!(
        markdown.contains("| 分值 | 得分 | 偏差原因分析及改进措施 |"),
        "{markdown}"
    );
    assert!(!markdown.contains("扣分理由 |"), "{markdown}");
    let docx = docx_text(&jixiao::export::docx_bytes(&doc).unwrap());
    assert!(docx.contains("得分偏差原因分析及改进措施"), "{docx}");
    assert!(!docx.contains("扣分理由"), "{docx}");

    let mut expert = regional_form("");
    expert.info.kind = EvaluationKind::Expert;
    assert!(jixiao::export::markdown_report(&expert).contains("| 得分 | 扣分理由 |"));
    let docx = docx_text(&jixiao::export::docx_bytes(&expert).unwrap());
    assert!(docx.contains("得分扣分理由"), "{docx}");
}

/// A county's set: 1 point off for a deviation of 30% or more, and 达标 is a yes-word.
const COUNTY_A: &str = r#"(
  name: "某县A",
  description: "偏差30%（含）以上扣1分；达标即满分。",
  defaults: (
    quantitative: (kind: Proportional, measure: Completion),
    yes_no: (kind: YesNo, measure: Completion),
    qualitative: (kind: Qualitative, measure: Completion),
    satisfaction: (kind: Proportional, measure: Completion),
    execution_rate: (kind: Proportional, measure: ExecutionRate),
  ),
  deviation: Some((at_least: "0.3", points: "1")),
  caps: [],
  qualitative: (achieved: "0.8", partial: "0.6"),
  yes_words: ["是", "达标", "完成"],
  no_words: ["否", "未达标"],
)
"#;

/// A 自评 filled under the national set, as the window leaves it: 执行率 100%, 活动场次
/// 60 of ≥100个 by the national default rule (6.00), 验收 "达标" (定性 nationally, so
/// not yet scored), and 70 typed by hand.
fn filled_nationally() -> Evaluation {
    let mut doc = Evaluation::default();
    doc.info.kind = EvaluationKind::SelfAssessment;
    doc.info.name = "文化下乡项目".into();
    doc.self_assessment.current_year.full_year_budget = Some(d("50"));
    doc.self_assessment.current_year.executed = Some(d("50"));
    let mut budget = Indicator::leaf(NodeId(1), "预算执行率", d("10"));
    budget.scoring.rule = Some(ScoreRule {
        kind: RuleKind::Proportional,
        measure: Measure::ExecutionRate,
    });
    let mut count = Indicator::leaf(NodeId(2), "活动场次", d("10"));
    count.scoring.target = "≥100个".into();
    count.scoring.actual = "60个".into();
    count.scoring.rule = Some(proportional());
    count.scoring.deviation = "场地受限".into();
    let mut check = Indicator::leaf(NodeId(3), "验收", d("10"));
    check.scoring.target = "达标".into();
    check.scoring.actual = "达标".into();
    let mut rest = Indicator::leaf(NodeId(4), "服务质量", d("70"));
    rest.scoring.score = Some(d("70"));
    doc.indicators = vec![
        budget,
        Indicator::group(NodeId(10), "产出指标", vec![count, check, rest]),
    ];
    doc.repair_ids();
    jixiao::rules::apply_rules(&mut doc);
    doc
}

#[test]
fn a_rule_set_given_on_the_command_line_scores_every_row_again() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评.ron");
    let rules = dir.path().join("某县A.ron");
    storage::save(&filled_nationally(), &form).unwrap();
    std::fs::write(&rules, COUNTY_A).unwrap();
    let args = [
        "score",
        form.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--json",
    ];
    let output = jixiao(&args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let json: serde_json::Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    // 10 + (6 − 1) + 10 (达标 is a yes-word of 某县A) + 70.
    assert_eq!(json["total"], "95.00", "{json}");
    assert_eq!(json["rating"], "优", "{json}");
    assert_eq!(
        json["adjustments"],
        serde_json::json!(["产出指标 / 活动场次：偏差 40.00%（≥30%），扣 1 分"])
    );
}

#[test]
fn choosing_another_set_in_the_form_reaches_the_rows_filled_before() {
    let mut editor = jixiao::command::Editor::new(filled_nationally());
    assert_eq!(editor.summary().total_text(), "86.00");
    assert!(!editor.summary().is_complete());
    let mut block = editor.doc().self_assessment.clone();
    block.rule_set = "national-2021".into();
    editor
        .apply(jixiao::command::Edit::SetSelfAssessment(Box::new(block)))
        .unwrap();
    // 财预〔2021〕101号's default for a quantity is the 及格门槛: 60% done scores 0. 达标
    // is not among its yes-words, so 验收 stays 定性 and waits for its band.
    let count = editor.doc().find(NodeId(2)).unwrap();
    assert_eq!(count.scoring.score, Some(d("0")));
    assert_eq!(editor.summary().total_text(), "80.00");
    // Back to the 2020 set: its rule comes back with it.
    let mut block = editor.doc().self_assessment.clone();
    block.rule_set = String::new();
    editor
        .apply(jixiao::command::Edit::SetSelfAssessment(Box::new(block)))
        .unwrap();
    assert_eq!(
        editor.doc().find(NodeId(2)).unwrap().scoring.score,
        Some(d("6"))
    );
}

#[test]
fn an_imported_self_assessment_keeps_its_printed_score_and_names_the_rules_figure() {
    let path = crate::common::data("self-assessment-printed-score.csv");
    let doc = jixiao::open::open(&path).unwrap();
    let summary = jixiao::scoring::summarize(&doc);
    // The unit's own figure stands: 18, not the rule's 18.6.
    assert_eq!(summary.total_text(), "94.05");
    let differing: Vec<_> = problems(&doc)
        .into_iter()
        .filter(|p| p.kind == jixiao::validate::ProblemKind::PrintedScoreDiffers)
        .collect();
    assert_eq!(differing.len(), 1, "{differing:?}");
    assert!(differing[0].path.ends_with("助餐服务人数"), "{differing:?}");
    assert_eq!(differing[0].message, "自评 18，按规则应为 18.6");
    // The table whose printed figures are the rule's has no such problem.
    let agreeing = jixiao::open::open(&crate::common::data("layouts/1-budget-block.csv")).unwrap();
    assert!(
        problems(&agreeing)
            .iter()
            .all(|p| p.kind != jixiao::validate::ProblemKind::PrintedScoreDiffers)
    );
}

#[test]
fn a_printed_total_beside_a_capped_one_is_told_apart_from_the_sum_of_the_rows() {
    let mut doc = regional_form("regional-example");
    jixiao::rules::apply_rules(&mut doc);
    // The form printed the sum of its rows, without the cap: 7.5 + 5 + 80.
    doc.declared = vec![jixiao::model::Declared {
        node: None,
        figure: jixiao::model::Figure::Score,
        value: d("92.5"),
        source: "第 20 行".into(),
    }];
    let mismatch: Vec<String> = problems(&doc)
        .into_iter()
        .filter(|p| p.kind == jixiao::validate::ProblemKind::DeclaredMismatch)
        .map(|p| p.message)
        .collect();
    assert_eq!(
        mismatch,
        ["第 20 行写明得分 92.5，但其下各项得分合计为 92.50，按执行率 75% 封顶 89 分后为 89.00"]
    );
    // A form that printed the capped total agrees.
    doc.declared[0].value = d("89");
    assert!(
        problems(&doc)
            .iter()
            .all(|p| p.kind != jixiao::validate::ProblemKind::DeclaredMismatch)
    );
}

/// The example set of README.md, as a region would save it beside its forms.
fn readme_set() -> String {
    let readme = include_str!("../../README.md");
    let start = readme.find("  name: \"某县（偏差分级扣分）\"").unwrap();
    let open = readme[..start].rfind("```ron\n").unwrap() + "```ron\n".len();
    let close = start + readme[start..].find("```").unwrap();
    readme[open..close].to_owned()
}

/// Issue 26: a graded, one-sided deduction waived by a written 偏差原因, scored end to end
/// by the command line with the README's example set, the note beside each figure.
#[test]
fn the_readme_example_set_grades_its_deduction_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评.ron");
    let rules = dir.path().join("某县.ron");
    std::fs::write(&rules, readme_set()).unwrap();
    let mut doc = regional_form("");
    // 70 of ≥100个 without a 偏差原因: 7 less 3 (30% is three whole 10%).
    let count = doc.find_mut(NodeId(2)).unwrap();
    count.scoring.deviation.clear();
    storage::save(&doc, &form).unwrap();
    let score = |form: &Path| {
        let output = jixiao(&[
            "score",
            form.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    let out = score(&form);
    // 7.5 + 4 + 80; 执行率 75% is above the set's 60% cap.
    let total_line = out.lines().find(|l| l.starts_with("综合得分")).unwrap();
    assert!(total_line.contains("91.50"), "{out}");
    assert!(
        out.contains("活动场次：偏差 30.00%（每 10% 扣 1 分），扣 3 分"),
        "{out}"
    );
    // With the reason written, nothing is taken, and the note says why.
    let mut doc = regional_form("");
    doc.find_mut(NodeId(2)).unwrap().scoring.deviation = "场地受限".into();
    storage::save(&doc, &form).unwrap();
    let out = score(&form);
    let total_line = out.lines().find(|l| l.starts_with("综合得分")).unwrap();
    assert!(total_line.contains("94.50"), "{out}");
    assert!(out.contains("已写明偏差原因，不扣分"), "{out}");
    // Spending 104 of 100 万元: the 预算执行率's 10 less 4 × 0.5, so 8 + 7 + 80.
    doc.self_assessment.current_year.executed = Some(d("104"));
    storage::save(&doc, &form).unwrap();
    let out = score(&form);
    let total_line = out.lines().find(|l| l.starts_with("综合得分")).unwrap();
    assert!(total_line.contains("95.00"), "{out}");
    assert!(
        out.contains("预算执行率：执行率 104.00% 超过 100%（每超 1% 扣 0.5 分），扣 2 分"),
        "{out}"
    );
}

/// Issue 26: a cap by something other than the 执行率 — the README set capping by the
/// lowest 满意度 — scored from the command line with its note.
#[test]
fn a_cap_by_satisfaction_caps_the_total_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("自评.ron");
    let rules = dir.path().join("满意度封顶.ron");
    let set = readme_set().replace(
        "caps: [(below: \"0.6\", at_most: \"79\")]",
        "caps: [(below: \"0.8\", at_most: \"79\", by: Some(\"满意度\"))]",
    );
    assert_ne!(
        set,
        readme_set(),
        "the README's example set changed its caps"
    );
    std::fs::write(&rules, set).unwrap();
    let mut doc = regional_form("");
    let quality = doc.find_mut(NodeId(3)).unwrap();
    quality.name = "服务对象满意度".into();
    quality.scoring.actual = "75%".into();
    storage::save(&doc, &form).unwrap();
    let output = jixiao(&[
        "score",
        form.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    // 7.5 + 7 + 80 = 94.5, capped at 79 by 满意度 75%.
    let total_line = out.lines().find(|l| l.starts_with("综合得分")).unwrap();
    assert!(total_line.contains("79.00"), "{out}");
    assert!(out.contains("按满意度 75% 封顶 79 分"), "{out}");
    assert!(out.contains("绩效评定级别：中"), "{out}");
}
