//! Issue 11 in the window, as the people of a panel do it: the secretary prepares five
//! files from a template; each expert opens theirs on their own laptop, types every
//! score (and a reason for every lost point) key by key, and clicks 提交评分; one sealed
//! file is then changed in a text editor; the secretary merges the five files by
//! dropping them on a new panel, reads the flags, and exports the 专家评分汇总表.

use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx, open_workbook};
use eframe::egui::Key;
use egui_kittest::kittest::Queryable;

use crate::common::{Dropped, cell, enter_cell, menu, press, type_slowly, window};

/// The 20 leaves of the 项目支出 template, in table order, with their 分值.
const LEAVES: [(&str, &str); 20] = [
    ("立项依据充分性", "2"),
    ("立项程序规范性", "1"),
    ("绩效目标合理性", "2"),
    ("绩效指标明确性", "2"),
    ("预算编制科学性", "2"),
    ("资金分配合理性", "1"),
    ("资金到位率", "2"),
    ("预算执行率", "2"),
    ("资金使用合规性", "4"),
    ("管理制度健全性", "6"),
    ("制度执行有效性", "6"),
    ("实际完成率", "10"),
    ("质量达标率", "10"),
    ("完成及时性", "5"),
    ("成本节约率", "10"),
    ("经济效益", "5"),
    ("社会效益", "10"),
    ("生态效益", "5"),
    ("可持续影响", "5"),
    ("服务对象满意度", "10"),
];

/// What each expert gives below full marks: (indicator, score, reason).
fn lost(expert: usize) -> Vec<(&'static str, &'static str, &'static str)> {
    match expert {
        1 => vec![("成本节约率", "8", "成本控制一般")],
        2 => vec![("成本节约率", "9.5", "略有超支")],
        3 => vec![
            ("立项依据充分性", "1.5", "立项依据不足"),
            ("成本节约率", "6", "缺乏成本控制措施"),
        ],
        4 => vec![("成本节约率", "7", "预算测算依据不充分")],
        _ => vec![
            ("成本节约率", "5", "成本超出预算"),
            ("服务对象满意度", "4", "未见满意度调查"),
        ],
    }
}

/// Expert `n` opens their file and scores it through the table's own fields: a score,
/// then Enter to the next leaf; where points are lost, Tab to 扣分理由, the reason, and
/// Tab to the next score. Then 提交评分.
fn score_and_submit(dir: &Path, file: &Path, n: usize) {
    let mut harness = window(&dir.join(format!("恢复{n}")), Some(file.to_owned()));
    // Whose file it is, and nothing of the other experts.
    assert!(
        harness
            .query_by_label(&format!("专家{n} 的评分文件"))
            .is_some()
    );
    for other in (1..=5).filter(|m| *m != n) {
        assert!(
            harness
                .query_by_label_contains(&format!("专家{other}"))
                .is_none()
        );
    }
    enter_cell(&mut harness, "立项依据充分性 得分");
    let lost = lost(n);
    for (name, max_points) in LEAVES {
        match lost.iter().find(|(leaf, _, _)| *leaf == name) {
            Some((_, score, reason)) => {
                type_slowly(&mut harness, score);
                press(&mut harness, Key::Tab);
                type_slowly(&mut harness, reason);
                press(&mut harness, Key::Tab);
            }
            None => {
                type_slowly(&mut harness, max_points);
                press(&mut harness, Key::Enter);
            }
        }
    }
    press(&mut harness, Key::Escape);
    let summary = harness.state().editor().summary();
    assert!(summary.is_complete(), "{}", summary.progress_text());
    harness.get_by_label("提交评分…").click();
    harness.run();
    harness.get_by_label("确认提交").click();
    harness.run();
    assert!(
        harness.state().editor().doc().seal.is_some(),
        "{:?}",
        harness.state().notices()
    );
    assert!(!harness.state().editor().is_dirty());
    // A submitted file is read-only: its scores are no longer fields, and a figure
    // typed on a selected row changes nothing.
    assert!(harness.query_by_label("完成及时性 得分").is_none());
    harness.get_by_label("完成及时性").click();
    harness.run();
    type_slowly(&mut harness, "1");
    press(&mut harness, Key::Enter);
    let doc = harness.state().editor().doc();
    assert_eq!(
        doc.find_by_names(&["产出", "产出时效", "完成及时性"])
            .unwrap()
            .scoring
            .score,
        Some(rust_decimal::Decimal::from(5))
    );
    assert!(harness.query_by_label("撤回提交").is_some());
}

#[test]
fn five_experts_score_in_the_window_and_the_secretary_merges_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("专家评分文件");

    // The secretary: a plan from the 项目支出 template, five files prepared from it.
    let mut harness = window(&dir.path().join("恢复"), None);
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, Key::N);
    harness.run();
    // The first template (项目支出) has the keyboard: Enter takes it.
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().editor().doc().leaves().len(), 20);
    menu(&mut harness, "专家组", "准备专家评分文件…");
    // The names are typed as a Chinese IME gives them, with full-width commas.
    type_slowly(&mut harness, "专家1，专家2，专家3、专家4，专家5");
    harness.get_by_label("保存到文件夹").click();
    harness.run();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, Key::A);
    harness.run();
    type_slowly(&mut harness, folder.to_str().unwrap());
    harness.get_by_label("准备").click();
    harness.run();
    let files: Vec<PathBuf> = (1..=5)
        .map(|n| folder.join(format!("专家{n}.ron")))
        .collect();
    for file in &files {
        assert!(file.is_file(), "{file:?}: {:?}", harness.state().notices());
    }

    // Each expert, on their own laptop.
    for (index, file) in files.iter().enumerate() {
        score_and_submit(dir.path(), file, index + 1);
    }

    // 专家3 changes a reason in a text editor after submitting.
    let text = std::fs::read_to_string(&files[2]).unwrap();
    assert!(text.contains("立项依据不足"));
    std::fs::write(&files[2], text.replace("立项依据不足", "立项依据充分")).unwrap();

    // The secretary merges: a new panel, the five files dropped on it.
    menu(&mut harness, "专家组", "新建专家组（合并评分）");
    for file in &files {
        harness
            .input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(file.clone())));
    }
    harness.run();
    // 专家3's file is listed, in red, and left out: an error in the 问题 list names what
    // changed, and the panel has no grade until the secretary decides.
    assert!(harness.query_by_label("提交后被改动").is_some());
    assert_eq!(harness.query_all_by_label("已提交").count(), 4);
    // Under the expert list and in the 问题 list.
    assert_eq!(
        harness
            .query_all_by_label_contains(
                "专家“专家3”（专家3.ron）的评分文件提交后被改动，未计入专家组得分：决策 / 项目立项 / 立项依据充分性 扣分理由 （提交时的值） → 立项依据充分"
            )
            .count(),
        2
    );
    assert!(
        harness
            .query_by_label(
                "评分未完成：尚待 专家3（提交后被改动，未计入），专家组得分为暂计，不评定绩效等级"
            )
            .is_some()
    );
    assert!(harness.query_by_label("评分未完成").is_some());
    // Four experts counted, plain mean: 成本节约率 (8 + 9.5 + 7 + 5) / 4 = 7.375 → 7.38.
    assert_eq!(
        harness
            .state()
            .editor()
            .doc()
            .find_by_names(&["产出", "产出成本", "成本节约率"])
            .unwrap()
            .scoring
            .score
            .map(jixiao::number::format2)
            .as_deref(),
        Some("7.38")
    );

    // The secretary checks with 专家3 and accepts the file, with a reason.
    harness.get_by_label("接受改动…").click();
    harness.run();
    harness
        .get_by_label("接受专家“专家3”被改动的文件，理由")
        .click();
    harness.run();
    type_slowly(&mut harness, "专家3电话确认");
    harness.get_by_label("接受").click();
    harness.run();
    assert!(harness.query_by_label("提交后被改动（已接受）").is_some());
    assert!(harness.query_by_label("评分未完成").is_none());
    let doc = harness.state().editor().doc();
    assert_eq!(doc.panel.as_ref().map(|p| p.experts.len()), Some(5));
    assert!(
        doc.history
            .iter()
            .any(|e| e.change.describe().ends_with("理由：专家3电话确认"))
    );

    // Five experts: per indicator the highest and the lowest score are dropped.
    // 成本节约率: 8, 9.5, 6, 7, 5 → (8 + 6 + 7) / 3 = 7.00.
    // 服务对象满意度: 10, 10, 10, 10, 4 → 10.00. 立项依据充分性: 2, 2, 1.5, 2, 2 → 2.00.
    let score = |names: &[&str]| {
        doc.find_by_names(names)
            .unwrap()
            .scoring
            .score
            .map(jixiao::number::format2)
    };
    assert_eq!(
        score(&["产出", "产出成本", "成本节约率"]).as_deref(),
        Some("7.00")
    );
    assert_eq!(
        score(&["效益", "项目效益", "服务对象满意度"]).as_deref(),
        Some("10.00")
    );
    assert_eq!(
        score(&["决策", "项目立项", "立项依据充分性"]).as_deref(),
        Some("2.00")
    );
    assert_eq!(crate::common::total(&harness), "97.00");

    // Leniency over the 20 indicators, mean of (expert − panel):
    // 专家1 (8 − 7) / 20 = 0.05; 专家2 2.5 / 20 = 0.125 → 0.13;
    // 专家3 (−1 − 0.5) / 20 = −0.075 → 低 0.08; 专家4 0; 专家5 (−2 − 6) / 20 = −0.40.
    for text in [
        "比组均值平均高 0.05 分",
        "比组均值平均高 0.13 分",
        "比组均值平均低 0.08 分",
        "与组均值一致",
        "比组均值平均低 0.40 分",
    ] {
        assert!(harness.query_by_label(text).is_some(), "{text}");
    }
    // Agreement: 17 of 20 within 20% (成本节约率 45%, 满意度 60%, 立项依据充分性 25% are not).
    assert!(
        harness
            .query_by_label("一致性 85.00%（20 项中 17 项的最大差不超过分值的 20%）")
            .is_some()
    );

    // The 专家评分汇总表 as exported.
    let out = dir.path().join("专家组.xlsx");
    // The menu 文件 (the expert list has a column of that name too).
    harness.get_all_by_label("文件").next().unwrap().click();
    harness.run();
    harness.get_by_label("导出").click();
    harness.run();
    harness.get_by_label("Excel 评分表…").click();
    harness.run();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, Key::A);
    harness.run();
    type_slowly(&mut harness, out.to_str().unwrap());
    // The export runs beside the window, its spinner turning: one frame, then wait.
    harness.key_press(Key::Enter);
    harness.step();
    let ctx = harness.ctx.clone();
    harness.state_mut().finish_export(&ctx);
    harness.run();
    let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = workbook.worksheet_range("专家评分汇总表").unwrap();
    let row_of = |text: &str| {
        (0..sheet.height() as u32)
            .find(|r| cell(&sheet, *r, 0) == text)
            .unwrap_or_else(|| panic!("{text}"))
    };
    let cost = row_of("产出 / 产出成本 / 成本节约率");
    // The experts, their mean, no agreed figure, the panel's, the spread, the flag.
    assert_eq!(
        (2..12).map(|c| cell(&sheet, cost, c)).collect::<Vec<_>>(),
        [
            "8",
            "9.5",
            "6",
            "7",
            "5",
            "7",
            "",
            "7",
            "4.5",
            "相差 45.00%，偏离最大：专家2"
        ]
    );
    let expert3 = (0..sheet.height() as u32)
        .find(|r| {
            cell(&sheet, *r, 0) == "专家3"
                && cell(&sheet, *r, 3) == "提交后被改动（已接受：专家3电话确认）"
        })
        .is_some();
    assert!(expert3);
    assert_eq!(cell(&sheet, row_of("专家5"), 4), "比组均值平均低 0.40 分");
    assert!((0..sheet.height() as u32).any(|r| {
        cell(&sheet, r, 0).starts_with("专家：专家1    签字：____________    提交时间：")
    }));

    // After discussing 成本节约率 the panel agrees 7.5: the row is no longer to discuss,
    // and the record that it diverged stays.
    harness.get_by_label("成本节约率 45.00%").click();
    harness.run();
    assert!(harness.query_by_label("分歧较大，请讨论").is_some());
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::TextInput, "专家组认定得分")
        .click();
    harness.run();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, Key::A);
    harness.run();
    type_slowly(&mut harness, "7.5");
    press(&mut harness, Key::Enter);
    assert_eq!(crate::common::total(&harness), "97.50");
    assert!(harness.query_by_label("分歧较大，请讨论").is_none());
    assert!(harness.query_by_label("分歧较大，已讨论认定").is_some());
    assert!(harness.query_by_label("成本节约率 45.00%").is_none());

    // The threshold is the panel's to set: at 30% of 分值, 立项依据充分性 (25%) agrees.
    harness.get_by_label("分歧阈值").click();
    harness.run();
    harness.get_by_label("分值的 30%").click();
    harness.run();
    assert!(
        harness
            .query_by_label("一致性 90.00%（20 项中 18 项的最大差不超过分值的 30%）")
            .is_some()
    );

    // 专家2's file dropped again (a revised copy): it replaces the old one, never a
    // second 专家2.
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(files[1].clone())));
    harness.run();
    let experts = &harness
        .state()
        .editor()
        .doc()
        .panel
        .as_ref()
        .unwrap()
        .experts;
    assert_eq!(experts.len(), 5);
    assert!(
        !harness.state().notices().iter().any(|n| n.is_error),
        "{:?}",
        harness.state().notices()
    );
}

#[test]
fn an_expert_who_scored_on_paper_fills_the_file_from_the_typed_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::jixiao(&[
        "panel",
        "prepare",
        crate::common::data("evaluation-2022-jingzhun-bangfu.csv")
            .to_str()
            .unwrap(),
        "--experts",
        "李四",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let file = dir.path().join("李四.ron");
    // The secretary typed 李四's paper table into Excel, with one row the plan has not.
    let mut csv = std::fs::read_to_string(crate::common::data("panel/专家2.csv")).unwrap();
    csv.push_str(",,群众获得感,,0,0,未列入方案\n");
    let table = dir.path().join("李四评分表.csv");
    std::fs::write(&table, csv).unwrap();

    let mut harness = window(&dir.path().join("恢复"), Some(file.clone()));
    menu(&mut harness, "专家组", "从表格填入评分…");
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, Key::A);
    harness.run();
    type_slowly(&mut harness, table.to_str().unwrap());
    press(&mut harness, Key::Enter);
    assert_eq!(crate::common::total(&harness), "86.10");
    let notice = harness
        .state()
        .notices()
        .iter()
        .map(|n| n.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        notice.contains("已从“李四评分表.csv”填入 18 项指标的评分"),
        "{notice}"
    );
    assert!(notice.contains("表格中有 1 行找不到对应指标"), "{notice}");
    assert!(notice.contains("群众获得感"), "{notice}");
    // One undo takes the whole fill back; the history keeps both.
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(crate::common::total(&harness), "0.00");
    let history = &harness.state().editor().doc().history;
    assert!(
        history
            .iter()
            .any(|e| e.change.describe().ends_with("→ 9.5（从表格填入）"))
    );
    assert!(
        history
            .iter()
            .any(|e| e.change.describe().ends_with("9.5 → （空）（撤销）"))
    );
}

#[test]
fn a_veto_indicator_marked_in_the_plan_fails_a_project_it_scores_zero() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = window(&dir.path().join("恢复"), None);
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, Key::N);
    harness.run();
    press(&mut harness, Key::Enter);
    // The secretary marks 资金使用合规性 一票否决 from the row's menu.
    harness.get_by_label("资金使用合规性").click_secondary();
    harness.run();
    harness.get_by_label("设为一票否决指标").click();
    harness.run();
    assert!(harness.query_by_label("否决").is_some());
    // Every other indicator at full marks, this one at 0: 96 points, yet 差.
    let ids: Vec<_> = harness
        .state()
        .editor()
        .doc()
        .leaves()
        .iter()
        .map(|l| (l.id, l.name.clone(), l.max_points))
        .collect();
    enter_cell(&mut harness, "立项依据充分性 得分");
    for (_, name, max_points) in &ids {
        let figure = if name == "资金使用合规性" {
            "0".to_owned()
        } else {
            max_points.normalize().to_string()
        };
        type_slowly(&mut harness, &figure);
        press(&mut harness, Key::Enter);
    }
    let summary = harness.state().editor().summary();
    assert_eq!(summary.total_text(), "96.00");
    assert_eq!(summary.verdict_text(), "差");
    assert!(
        harness
            .query_by_label_contains("一票否决：“过程 / 资金管理 / 资金使用合规性”得 0 分")
            .is_some()
    );
}

/// Issue 24 (9): 提交评分 asks first, saying what sealing means; Esc leaves the file as
/// it was, Enter seals and saves it. A file not yet ready is told why, with nothing to
/// confirm.
#[test]
fn submitting_asks_first_and_seals_only_when_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::jixiao(&[
        "panel",
        "prepare",
        crate::common::data("evaluation-2022-jingzhun-bangfu.csv")
            .to_str()
            .unwrap(),
        "--experts",
        "李四,王五",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let file = dir.path().join("李四.ron");
    let table = crate::common::data("panel/专家2.csv");
    let out = crate::common::jixiao(&[
        "panel",
        "fill",
        file.to_str().unwrap(),
        "--from",
        table.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sealed_on_disk = |path: &Path| jixiao::open::open(path).unwrap().seal.is_some();

    let mut harness = window(&dir.path().join("恢复"), Some(file.clone()));
    harness.get_by_label("提交评分…").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("提交后文件变为只读")
            .is_some()
    );
    assert!(harness.query_by_label_contains("SHA-256").is_some());
    assert!(harness.query_by_label_contains("撤回提交").is_some());
    assert!(harness.query_by_label_contains("综合得分 86.10").is_some());
    assert!(harness.state().editor().doc().seal.is_none());
    // Esc: nothing sealed, nothing written.
    press(&mut harness, Key::Escape);
    assert!(harness.query_by_label("确认提交").is_none());
    assert!(harness.state().editor().doc().seal.is_none());
    assert!(!sealed_on_disk(&file));
    assert!(harness.query_by_label("提交评分…").is_some());

    // Asked again and answered with Enter: sealed and saved.
    harness.get_by_label("提交评分…").click();
    harness.run();
    press(&mut harness, Key::Enter);
    assert!(harness.query_by_label("确认提交").is_none());
    assert!(harness.state().editor().doc().seal.is_some());
    assert!(sealed_on_disk(&file));
    assert!(harness.query_by_label("撤回提交").is_some());

    // 王五 has scored nothing: told why, and not asked.
    let mut harness = window(&dir.path().join("恢复2"), Some(dir.path().join("王五.ron")));
    // The 专家组 menu names whose file its expert's commands act on.
    harness.get_by_label("专家组").click();
    harness.run();
    assert_eq!(harness.query_all_by_label("王五 的评分文件").count(), 2);
    harness.get_by_label("专家组").click();
    harness.run();
    harness.get_by_label("提交评分…").click();
    harness.run();
    assert!(harness.query_by_label("确认提交").is_none());
    assert!(
        harness
            .state()
            .notices()
            .iter()
            .any(|n| n.is_error && n.text.starts_with("未提交"))
    );
    assert!(harness.state().editor().doc().seal.is_none());
}
