//! Two decimals, as published tables carry them (issue 23): a third decimal typed into a
//! score is refused in its cell, as any invalid score is, and a file or a table holding
//! one names it on its row instead of rounding it silently.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

use crate::common::{enter_cell, press, seed_window, total, type_slowly};

use eframe::egui::Key;
use egui_kittest::kittest::Queryable;

#[test]
fn typing_a_third_decimal_leaves_the_cell_red_and_the_document_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    enter_cell(&mut harness, "立项依据充分性 得分");
    type_slowly(&mut harness, "1.555");
    press(&mut harness, Key::Enter);
    let held = harness
        .state()
        .editor()
        .doc()
        .leaves()
        .iter()
        .find(|l| l.name == "立项依据充分性")
        .and_then(|l| l.scoring.score)
        .map(|s| s.normalize().to_string());
    assert_eq!(held.as_deref(), Some("1.86"));
    assert_eq!(total(&harness), "82.02");
    let cell = harness.get_by_label("立项依据充分性 得分");
    assert!(cell.is_focused());
    assert_eq!(cell.value().as_deref(), Some("1.555"));
    assert!(
        harness
            .query_by_label_contains("得分 1.555 多于两位小数")
            .is_some()
    );
    // Two decimals go through.
    press(&mut harness, Key::Backspace);
    press(&mut harness, Key::Enter);
    assert_eq!(total(&harness), "81.71");
}

#[test]
fn an_imported_score_with_three_decimals_is_a_problem_on_its_row_not_rounded() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("评分表.csv");
    std::fs::write(
        &table,
        "一级指标,二级指标,三级指标,分值,得分,扣分理由\n\
         决策,项目立项,立项依据充分性,2,1.555,依据不足\n\
         决策,项目立项,立项程序规范性,8,8,\n\
         过程,资金管理,预算执行率,90,90,\n",
    )
    .unwrap();
    let output = crate::common::jixiao(&["score", table.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // Kept as the table holds it: no silent rounding to 1.56.
    assert_eq!(json["total"], "99.56", "{json}");
    let problem = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "score_too_precise")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(problem["path"], "决策 / 项目立项 / 立项依据充分性");
    assert_eq!(problem["severity"], "error");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .starts_with("得分 1.555 多于两位小数"),
        "{problem}"
    );
}
