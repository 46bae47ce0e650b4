//! The published 自评表 of shared/reference, imported, then re-entered with rules: the
//! rules give the published scores wherever the form used them.
#![allow(clippy::unwrap_used)] // test helpers may unwrap; see [lints] in Cargo.toml

use std::path::Path;

use jixiao::command::{Edit, Editor};
use jixiao::model::{Direction, Measure, NodeId, QualitativeBand, RuleKind, ScoreRule};
use jixiao::number::format2;
use jixiao::open::open;
use jixiao::rules::presets;
use jixiao::validate::Severity;

fn published() -> Editor {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/self-assessment-2022-jingzhun-jiuzhu.csv");
    Editor::new(open(&path).unwrap())
}

fn leaves_under(editor: &Editor, names: &[&str]) -> Vec<(NodeId, String)> {
    editor
        .doc()
        .find_by_names(names)
        .unwrap()
        .leaves()
        .iter()
        .map(|l| (l.id, format2(l.scoring.score.unwrap())))
        .collect()
}

fn rule(name: &str) -> ScoreRule {
    presets()
        .into_iter()
        .find(|(n, _)| n.starts_with(name))
        .unwrap()
        .1
}

#[test]
fn the_published_form_scores_89_and_its_budget_row_fills_the_budget_block() {
    let editor = published();
    assert_eq!(editor.summary().total_text(), "89.00");
    assert_eq!(editor.summary().rating.label(), "良");
    let block = &editor.doc().self_assessment;
    assert_eq!(
        block.total().full_year_budget.unwrap().to_string(),
        "25.6543"
    );
    assert_eq!(block.execution_rate().unwrap().to_string(), "1");
}

#[test]
fn re_entered_with_rules_it_gives_the_published_scores() {
    let mut editor = published();
    let mut expected = Vec::new();
    let set = |editor: &mut Editor, id: NodeId, rule: ScoreRule| {
        editor
            .apply(Edit::SetRule {
                id,
                rule: Some(rule),
            })
            .unwrap();
    };

    // 预算执行率: 执行率 × 10 from the budget block.
    let budget = leaves_under(&editor, &["预算执行率"]);
    set(&mut editor, budget[0].0, rule("执行率×分值"));
    expected.extend(budget);

    // 数量 and 时效: completion against the target; 成本: less is better.
    for group in ["数量指标", "时效指标"] {
        for (id, published) in leaves_under(&editor, &["产出指标", group]) {
            set(&mut editor, id, rule("完成率比例"));
            expected.push((id, published));
        }
    }
    for (id, published) in leaves_under(&editor, &["产出指标", "成本指标"]) {
        editor
            .apply(Edit::SetDirection {
                id,
                direction: Some(Direction::Lower),
            })
            .unwrap();
        set(&mut editor, id, rule("完成率比例"));
        expected.push((id, published));
    }

    // 质量 and 效益 are described in words: 定性, with the band the score lies in.
    for names in [&["产出指标", "质量指标"][..], &["效益指标"][..]] {
        for (id, published) in leaves_under(&editor, names) {
            set(
                &mut editor,
                id,
                ScoreRule {
                    kind: RuleKind::Qualitative,
                    measure: Measure::Completion,
                },
            );
            let band = if published == "21.00" {
                QualitativeBand::Partial
            } else {
                QualitativeBand::Achieved
            };
            editor
                .apply(Edit::SetBand {
                    id,
                    band: Some(band),
                })
                .unwrap();
            expected.push((id, published));
        }
    }

    // 满意度: 90% and above earns full points (财预〔2021〕101号).
    for (id, published) in leaves_under(&editor, &["满意度指标"]) {
        set(&mut editor, id, rule("满意度分档"));
        expected.push((id, published));
    }

    for (id, published) in &expected {
        let leaf = editor.doc().find(*id).unwrap();
        assert_eq!(
            &format2(leaf.scoring.score.unwrap()),
            published,
            "{}",
            leaf.name
        );
        assert_eq!(leaf.scoring.manual_reason, None, "{}", leaf.name);
    }
    assert_eq!(expected.len(), 27);
    assert_eq!(editor.summary().total_text(), "89.00");
    let errors: Vec<_> = editor
        .problems()
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_changed_actual_recomputes_and_a_typed_score_is_an_override_until_cleared() {
    let mut editor = published();
    let id = leaves_under(&editor, &["产出指标", "数量指标"])[0].0;
    editor
        .apply(Edit::SetRule {
            id,
            rule: Some(rule("完成率比例")),
        })
        .unwrap();
    editor
        .apply(Edit::SetText {
            id,
            field: jixiao::command::TextField::Actual,
            text: "6场".into(),
        })
        .unwrap();
    // 2.5 × 6/8 = 1.875 → 1.88 (四舍五入).
    assert_eq!(
        format2(editor.doc().find(id).unwrap().scoring.score.unwrap()),
        "1.88"
    );
    assert_eq!(editor.summary().total_text(), "88.38");

    editor
        .apply(Edit::SetScore {
            id,
            score: Some("2".parse().unwrap()),
        })
        .unwrap();
    let leaf = editor.doc().find(id).unwrap();
    assert_eq!(leaf.scoring.manual_reason.as_deref(), Some(""));
    assert!(
        editor
            .problems()
            .iter()
            .any(|p| p.message == "手工改过按规则算出的得分，但没有写理由")
    );

    editor.apply(Edit::ClearManual { id }).unwrap();
    assert_eq!(
        format2(editor.doc().find(id).unwrap().scoring.score.unwrap()),
        "1.88"
    );
}

#[test]
fn a_score_outside_its_qualitative_band_is_an_error() {
    let mut editor = published();
    let (id, _) = leaves_under(&editor, &["效益指标"])[0].clone();
    editor
        .apply(Edit::SetRule {
            id,
            rule: Some(ScoreRule {
                kind: RuleKind::Qualitative,
                measure: Measure::Completion,
            }),
        })
        .unwrap();
    editor
        .apply(Edit::SetBand {
            id,
            band: Some(QualitativeBand::Achieved),
        })
        .unwrap();
    let problem = editor
        .problems()
        .iter()
        .find(|p| p.severity == Severity::Error)
        .unwrap();
    assert_eq!(
        problem.message,
        "得分 21 不在“达成年度指标”一档（24.00–30.00 分）内"
    );
}

#[test]
fn the_report_of_a_self_assessment_quotes_its_deviation_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("自评.md");
    jixiao::export::Format::Markdown
        .write(published().doc(), &path)
        .unwrap();
    let report = std::fs::read_to_string(&path).unwrap();
    assert!(
        report.contains("社区活动主题和参加群众需求贴合度不够"),
        "{report}"
    );
}

/// 项目信息 and the 自评表 share one 单位 and one budget (issue 23): what the unit types in
/// the form reaches the Word report's 基本情况, the workbook and the 汇总.
#[test]
fn the_unit_and_budget_typed_in_the_form_reach_every_export() {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut editor = published();
    // As the form's 实施单位 field and its 全年预算数 cells do.
    let mut info = editor.doc().info.clone();
    info.unit = "某某街道办事处".into();
    info.year = "2022".into();
    editor.apply(Edit::SetInfo(info)).unwrap();
    let mut block = editor.doc().self_assessment.clone();
    block.current_year.full_year_budget = Some("500".parse().unwrap());
    block.carried_over.full_year_budget = Some("60".parse().unwrap());
    editor
        .apply(Edit::SetSelfAssessment(Box::new(block)))
        .unwrap();
    let doc = editor.doc().clone();

    let report = jixiao::export::markdown_report(&doc);
    assert!(report.contains("项目单位：某某街道办事处"), "{report}");
    assert!(report.contains("预算金额：560.00 万元"), "{report}");
    assert!(!report.contains("预算金额：（待填写）"), "{report}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("自评.xlsx");
    jixiao::export::write_xlsx(&doc, &path).unwrap();
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let form = workbook.worksheet_range("自评表").unwrap();
    let unit_row = (0..10)
        .find(|r| crate::common::cell(&form, *r, 0) == "实施单位")
        .unwrap();
    assert_eq!(crate::common::cell(&form, unit_row, 1), "某某街道办事处");

    let season = tempfile::tempdir().unwrap();
    jixiao::storage::save(&doc, &season.path().join("自评.ron")).unwrap();
    let output = crate::common::jixiao(&["overview", season.path().to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let project = &json["projects"][0];
    assert_eq!(project["unit"], "某某街道办事处", "{json}");
    assert_eq!(project["budget"], "5600000", "{json}");
}

/// A file written when the 自评表 kept its 实施单位 apart opens with it as the 项目单位.
#[test]
fn an_older_file_with_its_own_implementing_unit_opens_with_one_unit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("旧.ron");
    let mut doc = published().doc().clone();
    doc.info.unit.clear();
    doc.self_assessment.implementing_unit = "某某街道办事处".into();
    jixiao::storage::save(&doc, &path).unwrap();
    let opened = open(&path).unwrap();
    assert_eq!(opened.info.unit, "某某街道办事处");
    assert!(opened.self_assessment.implementing_unit.is_empty());
}
