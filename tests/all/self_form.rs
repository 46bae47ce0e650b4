//! The 自评表 view driven as a project unit drives it (egui_kittest): choosing a rule set,
//! typing figures that trigger its cap and deduction and seeing them where the figures
//! are; a row's rule following its target; rows added and removed in the view itself.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

use crate::common::{total, type_into};

use std::path::{Path, PathBuf};
use std::str::FromStr;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jixiao::app::JixiaoApp;
use jixiao::model::{Evaluation, EvaluationKind, Indicator, Measure, NodeId, RuleKind, ScoreRule};
use rust_decimal::Decimal;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn window(recovery: &Path, file: Option<PathBuf>) -> Harness<'static, JixiaoApp> {
    crate::common::window(recovery, file)
}

/// A 自评表 whose figures sum to 92.50 once 执行率 is 75%: 预算执行率 10 (执行率 × 10),
/// 活动场次 10 at 80 of ≥100个, 服务质量 80 typed in full.
fn form_file(dir: &Path) -> PathBuf {
    let mut doc = Evaluation::default();
    doc.info.kind = EvaluationKind::SelfAssessment;
    doc.self_assessment.current_year.full_year_budget = Some(d("100"));
    let mut budget = Indicator::leaf(NodeId(1), "预算执行率", d("10"));
    budget.scoring.rule = Some(ScoreRule {
        kind: RuleKind::Proportional,
        measure: Measure::ExecutionRate,
    });
    let mut count = Indicator::leaf(NodeId(2), "活动场次", d("10"));
    count.scoring.target = "≥100个".into();
    count.scoring.rule = Some(ScoreRule {
        kind: RuleKind::Proportional,
        measure: Measure::Completion,
    });
    let mut quality = Indicator::leaf(NodeId(3), "服务质量", d("80"));
    quality.scoring.score = Some(d("80"));
    doc.indicators = vec![
        budget,
        Indicator::group(
            NodeId(10),
            "产出指标",
            vec![
                Indicator::group(NodeId(11), "数量指标", vec![count]),
                quality,
            ],
        ),
    ];
    doc.repair_ids();
    let path = dir.join("自评.ron");
    jixiao::storage::save(&doc, &path).unwrap();
    path
}

#[test]
fn the_regional_set_chosen_in_the_view_caps_the_total_and_says_so_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = window(dir.path(), Some(form_file(dir.path())));
    assert_eq!(harness.state().view(), jixiao::app::View::Form);
    type_into(&mut harness, "当年财政拨款 全年执行数", "75");
    type_into(&mut harness, "活动场次 实际完成值", "80个");
    // National rules: 7.5 + 8 + 80, no cap.
    assert_eq!(total(&harness), "95.50");
    assert!(harness.query_all_by_label_contains("封顶").next().is_none());

    harness.get_by_label("评分规则集").click();
    harness.run();
    harness
        .get_by_label("地区示例（偏差扣分、执行率封顶）")
        .click();
    harness.run();
    assert_eq!(
        harness.state().editor().doc().self_assessment.rule_set,
        "regional-example"
    );
    // 执行率 75% caps the total at 89; the note stands beside the 总分.
    assert_eq!(total(&harness), "89.00");
    assert!(harness.query_all_by_label("89.00").next().is_some());
    assert!(
        harness
            .query_all_by_label_contains("按执行率 75% 封顶 89 分")
            .next()
            .is_some()
    );
    assert_eq!(harness.state().editor().summary().rating.label(), "良");

    // An actual 30% off the target costs 2 points, shown beside the row's score.
    type_into(&mut harness, "活动场次 实际完成值", "70个");
    assert!(
        harness
            .query_all_by_label("偏差 30.00%（≥30%），扣 2 分")
            .next()
            .is_some()
    );
    let leaf = harness
        .state()
        .editor()
        .doc()
        .find_by_names(&["产出指标", "数量指标", "活动场次"])
        .unwrap()
        .scoring
        .score;
    assert_eq!(leaf, Some(d("5")));

    // Spending 85% lifts the cap: 8.5 + 5 + 80.
    type_into(&mut harness, "当年财政拨款 全年执行数", "８５");
    assert_eq!(total(&harness), "93.50");
    assert!(
        harness
            .query_all_by_label_contains("按执行率")
            .next()
            .is_none()
    );
}

#[test]
fn a_row_takes_the_rule_its_target_implies_and_rows_are_added_and_removed_here() {
    let dir = tempfile::tempdir().unwrap();
    let path = form_file(dir.path());
    let mut harness = window(dir.path(), Some(path));
    let leaves = |harness: &Harness<'_, JixiaoApp>| harness.state().editor().doc().leaves().len();
    assert_eq!(leaves(&harness), 3);

    harness.get_by_label("服务质量 指标名称").click();
    harness.run();
    harness.get_by_label("添加指标").click();
    harness.run();
    assert_eq!(leaves(&harness), 4);
    let added = harness
        .state()
        .editor()
        .doc()
        .find_by_names(&["产出指标", "新指标"])
        .map(|leaf| leaf.scoring.rule.clone());
    assert_eq!(added, Some(None), "a new row starts without a rule");

    type_into(&mut harness, "新指标 年度指标值", "≥50个");
    let rule = |harness: &Harness<'_, JixiaoApp>| {
        harness
            .state()
            .editor()
            .doc()
            .find_by_names(&["产出指标", "新指标"])
            .and_then(|leaf| leaf.scoring.rule.clone())
            .map(|rule| rule.kind)
    };
    assert_eq!(rule(&harness), Some(RuleKind::Proportional));
    type_into(&mut harness, "新指标 年度指标值", "是");
    assert_eq!(rule(&harness), Some(RuleKind::YesNo));
    type_into(&mut harness, "新指标 年度指标值", "群众满意");
    assert_eq!(rule(&harness), Some(RuleKind::Qualitative));

    harness.get_by_label("新指标 指标名称").click();
    harness.run();
    harness.get_by_label("删除指标").click();
    harness.run();
    assert_eq!(leaves(&harness), 3);
}

#[test]
fn a_rule_set_file_loaded_in_the_view_caps_the_total_and_is_kept_in_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("某县.ron");
    let own = std::fs::read_to_string("indicator_templates/rules/regional-example.ron")
        .unwrap()
        .replace("地区示例（偏差扣分、执行率封顶）", "某县自评规则")
        .replace("at_most: \"89\"", "at_most: \"85\"");
    std::fs::write(&rules, own).unwrap();
    let mut harness = window(dir.path(), Some(form_file(dir.path())));
    type_into(&mut harness, "当年财政拨款 全年执行数", "75");
    type_into(&mut harness, "活动场次 实际完成值", "80个");
    assert_eq!(total(&harness), "95.50");

    // A file that is not there is named, and nothing changes.
    type_into(&mut harness, "规则集文件", "/没有这个/规则.ron");
    harness.get_by_label("载入规则集…").click();
    harness.run();
    assert!(
        harness
            .query_all_by_label_contains("无法读取规则集“/没有这个/规则.ron”")
            .next()
            .is_some()
    );
    assert_eq!(total(&harness), "95.50");

    type_into(&mut harness, "规则集文件", rules.to_str().unwrap());
    harness.get_by_label("载入规则集…").click();
    harness.run();
    assert_eq!(total(&harness), "85.00");
    assert!(
        harness
            .query_all_by_label_contains("按执行率 75% 封顶 85 分")
            .next()
            .is_some()
    );
    // The chooser names the loaded set as it names a built-in one.
    assert!(harness.query_by_value("某县自评规则").is_some());
    let doc = harness.state().editor().doc();
    assert_eq!(doc.self_assessment.rule_set, "某县");
    assert_eq!(
        doc.self_assessment
            .custom_rules
            .as_ref()
            .map(|s| s.name.as_str()),
        Some("某县自评规则")
    );
}

/// Issue 26: the README's county set (graded, one-sided, waived by a written 偏差原因)
/// loaded into a form; the view shows each deduction beside the row's 得分, and writing
/// the 偏差原因 gives the points back with the note saying why.
#[test]
fn a_graded_deduction_of_a_county_set_is_shown_beside_the_row_and_waived_by_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = form_file(dir.path());
    let mut doc = jixiao::storage::load(&path).unwrap();
    let readme = include_str!("../../README.md");
    let start = readme.find("  name: \"某县（偏差分级扣分）\"").unwrap();
    let open = readme[..start].rfind("```ron\n").unwrap() + "```ron\n".len();
    let close = start + readme[start..].find("```").unwrap();
    let set = jixiao::ruleset::parse(&readme[open..close], "某县.ron").unwrap();
    jixiao::rules::adopt(&mut doc, set, "某县");
    jixiao::storage::save(&doc, &path).unwrap();

    let mut harness = window(dir.path(), Some(path));
    type_into(&mut harness, "当年财政拨款 全年执行数", "100");
    type_into(&mut harness, "活动场次 实际完成值", "70个");
    // 7 less 3 (30% is three whole 10%): 10 + 4 + 80.
    assert!(
        harness
            .query_all_by_label("偏差 30.00%（每 10% 扣 1 分），扣 3 分")
            .next()
            .is_some()
    );
    assert_eq!(total(&harness), "94.00");
    type_into(&mut harness, "活动场次 偏差原因分析及改进措施", "场地受限");
    assert!(
        harness
            .query_all_by_label("偏差 30.00%（每 10% 扣 1 分），已写明偏差原因，不扣分")
            .next()
            .is_some()
    );
    assert_eq!(total(&harness), "97.00");
    // Spending 104 of 100 万元 costs the 预算执行率 2 points, said under the budget block.
    type_into(&mut harness, "当年财政拨款 全年执行数", "104");
    assert!(
        harness
            .query_all_by_label("执行率 104.00% 超过 100%（每超 1% 扣 0.5 分），扣 2 分")
            .next()
            .is_some()
    );
    assert_eq!(total(&harness), "95.00");
}
