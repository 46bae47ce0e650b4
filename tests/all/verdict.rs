//! The verdict in the window: no grade for an unfinished evaluation, and the grades are
//! the document's own scale, edited in 项目信息 (egui_kittest, the real window).

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

use crate::common::{data, type_into, type_slowly};

use std::path::{Path, PathBuf};

use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jixiao::app::JixiaoApp;

fn window(recovery: &Path, file: PathBuf) -> Harness<'static, JixiaoApp> {
    crate::common::window(recovery, Some(file))
}

/// The published table with only its first nine leaves scored; its printed subtotals
/// are left out.
fn half_scored_csv(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(data("evaluation-2022-jingzhun-bangfu.csv")).unwrap();
    let mut lines: Vec<String> = Vec::new();
    for (index, line) in text.lines().take(19).enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 7, "{line}");
        if index > 9 {
            cells[5] = "";
        }
        lines.push(cells.join(","));
    }
    let path = dir.join("半途.csv");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

fn badge(harness: &Harness<'_, JixiaoApp>, text: &str) -> bool {
    harness.query_by_label(text).is_some()
}

#[test]
fn nine_of_eighteen_scored_shows_a_running_total_and_no_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let file = half_scored_csv(dir.path());
    let mut harness = window(dir.path(), file);
    assert_eq!(harness.state().editor().summary().total_text(), "15.20");
    assert!(badge(&harness, "15.20"));
    assert!(badge(&harness, "评分未完成"));
    assert!(!badge(&harness, "差"));
    assert!(badge(&harness, "已评 9/18 项，满分 100.00"));

    // Scoring the other nine as published gives the verdict.
    for (label, score) in [
        ("管理制度健全性 得分", "5.10"),
        ("制度执行有效性 得分", "4.26"),
        ("实际完成率 得分", "9.30"),
        ("质量达标率 得分", "7.70"),
        ("完成及时性 得分", "4.66"),
        ("成本节约率 得分", "7.60"),
        ("社会效益 得分", "12.50"),
        ("可持续性影响 得分", "8.10"),
        ("满意度 得分", "7.6"),
    ] {
        type_into(&mut harness, label, score);
    }
    assert_eq!(harness.state().editor().summary().total_text(), "82.02");
    assert!(!badge(&harness, "评分未完成"));
    assert!(badge(&harness, "良"));
}

#[test]
fn the_scale_is_edited_in_project_info_and_rates_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = window(dir.path(), data("evaluation-2022-jingzhun-bangfu.csv"));
    assert!(badge(&harness, "良"));
    harness.get_by_label("项目信息…").click();
    harness.run();
    harness.get_by_label("五级：优秀/良好/中/合格/差").click();
    harness.run();
    assert_eq!(
        harness.state().editor().doc().rating_scale.describe(),
        "优秀 ≥90 / 良好 ≥80 / 中 ≥70 / 合格 ≥60 / 差"
    );
    assert!(badge(&harness, "良好"));

    // A bound typed half-way is not yet the document's; Enter commits it.
    type_into(&mut harness, "第 2 级分数线", "8");
    assert!(badge(&harness, "良好"));
    type_slowly(&mut harness, "5");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().editor().summary().rating.label(),
        "中",
        "82.02 is below the new 85 of 良好"
    );

    // Text that is not a number stays in its field, red, and changes nothing.
    type_into(&mut harness, "第 1 级分数线", "九十");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.get_by_label("第 1 级分数线").value().as_deref(),
        Some("九十")
    );
    assert!(badge(&harness, "“优秀”的分数线“九十”不是数字"));
    assert_eq!(
        harness.state().editor().doc().rating_scale.grades[0].min,
        90.into()
    );

    // One undo step takes the bound back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().editor().summary().rating.label(), "良好");
}

#[test]
fn a_new_self_assessment_form_gives_no_grade_before_it_is_scored() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = crate::common::window(dir.path(), None);
    // The start page lists the templates.
    harness
        .get_by_label(
            "项目支出绩效自评表（预算执行率10 / 产出50 / 效益30 / 满意度10，财预〔2020〕10号附1）",
        )
        .click();
    harness.run();
    assert!(badge(&harness, "绩效评定级别：评分未完成"));
    assert!(!badge(&harness, "绩效评定级别：差"));
    assert!(!badge(&harness, "差"));
}
