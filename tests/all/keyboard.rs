//! The keyboard path into a score, driven as a person types: one key per frame, the
//! window running between keys (issue 10). Every figure asserted is one the user sees
//! or the document holds.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

use crate::common::{enter_cell, press, seed_window, total, type_slowly, window};

use std::path::{Path, PathBuf};

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jixiao::app::JixiaoApp;

/// The score the document holds for the leaf named `name`.
fn score(harness: &Harness<'_, JixiaoApp>, name: &str) -> Option<String> {
    harness
        .state()
        .editor()
        .doc()
        .leaves()
        .iter()
        .find(|l| l.name == name)
        .and_then(|l| l.scoring.score)
        .map(|s| s.normalize().to_string())
}

#[test]
fn typing_1_then_2_into_a_2_point_cell_never_changes_the_score_and_the_cell_stays_red() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    enter_cell(&mut harness, "立项依据充分性 得分");
    type_slowly(&mut harness, "1");
    // "1" is on its way to "12": nothing is written yet.
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("1.86"));
    assert_eq!(total(&harness), "82.02");
    type_slowly(&mut harness, "2");
    press(&mut harness, Key::Enter);
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("1.86"));
    assert_eq!(total(&harness), "82.02");
    // The red cell keeps the cursor and what was typed, and says why.
    let cell = harness.get_by_label("立项依据充分性 得分");
    assert!(cell.is_focused());
    assert_eq!(cell.value().as_deref(), Some("12"));
    assert!(
        harness
            .query_by_label_contains("得分 12 超过分值 2")
            .is_some()
    );
    // Tab does not get past it either.
    press(&mut harness, Key::Tab);
    assert!(harness.get_by_label("立项依据充分性 得分").is_focused());
    // Esc gives up the text; the document's figure shows again.
    press(&mut harness, Key::Escape);
    assert_eq!(
        harness
            .get_by_label("立项依据充分性 得分")
            .value()
            .as_deref(),
        Some("1.86")
    );
}

#[test]
fn a_valid_score_is_written_on_enter_and_not_a_keystroke_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    enter_cell(&mut harness, "立项依据充分性 得分");
    type_slowly(&mut harness, "1.5");
    assert_eq!(total(&harness), "82.02");
    press(&mut harness, Key::Enter);
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("1.5"));
    assert_eq!(total(&harness), "81.66");
    assert!(harness.get_by_label("立项程序规范性 得分").is_focused());
}

#[test]
fn invalid_text_dropped_by_clicking_elsewhere_is_said_and_the_figure_shown_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    enter_cell(&mut harness, "立项依据充分性 得分");
    type_slowly(&mut harness, "1.2.");
    harness.get_by_label("立项程序规范性").click();
    harness.run();
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("1.86"));
    assert_eq!(
        harness
            .get_by_label("立项依据充分性 得分")
            .value()
            .as_deref(),
        Some("1.86")
    );
    assert!(
        harness
            .query_by_label_contains("立项依据充分性的得分未改")
            .is_some()
    );
}

#[test]
fn typing_while_save_as_is_open_changes_no_score_and_enter_saves_to_the_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(&dir.path().join("恢复"));
    enter_cell(&mut harness, "立项依据充分性 得分");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.run();
    let path = dir.path().join("精准帮扶1.5.ron");
    type_slowly(&mut harness, &path.display().to_string());
    press(&mut harness, Key::Enter);
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("1.86"));
    assert_eq!(harness.state().path(), Some(path.as_path()));
    assert!(path.is_file());
    assert!(!harness.state().editor().is_dirty());
}

#[test]
fn typing_while_open_is_asked_goes_to_its_path_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    enter_cell(&mut harness, "立项依据充分性 得分");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    type_slowly(&mut harness, "2");
    assert_eq!(
        harness.get_by_label("文件路径").value().as_deref(),
        Some("2")
    );
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("1.86"));
    press(&mut harness, Key::Escape);
    assert!(harness.query_by_label("文件路径").is_none());
}

#[test]
fn enter_in_the_delete_question_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    harness.get_by_label("立项程序规范性").click();
    harness.run();
    press(&mut harness, Key::Delete);
    assert!(harness.query_by_label("删除指标").is_some());
    press(&mut harness, Key::Enter);
    assert_eq!(score(&harness, "立项程序规范性"), None);
    assert_eq!(total(&harness), "81.22");
}

#[test]
fn a_figure_typed_on_a_selected_row_starts_its_score_and_full_width_reads_as_meant() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    harness.get_by_label("立项依据充分性").click();
    harness.run();
    type_slowly(&mut harness, "１．５");
    assert!(harness.get_by_label("立项依据充分性 得分").is_focused());
    press(&mut harness, Key::Enter);
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("1.5"));
    assert_eq!(total(&harness), "81.66");
}

#[test]
fn tab_goes_from_a_score_to_its_reason_then_to_the_next_score() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    enter_cell(&mut harness, "立项依据充分性 得分");
    type_slowly(&mut harness, "2");
    press(&mut harness, Key::Tab);
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("2"));
    assert!(harness.get_by_label("立项依据充分性 扣分理由").is_focused());
    press(&mut harness, Key::Tab);
    assert!(harness.get_by_label("立项程序规范性 得分").is_focused());
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    harness.run();
    assert!(harness.get_by_label("立项依据充分性 得分").is_focused());
}

#[test]
fn a_new_indicators_name_is_selected_so_typing_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    harness.get_by_label("项目立项").click();
    harness.run();
    harness.get_by_label("编辑").click();
    harness.run();
    harness.get_by_label("添加下级指标").click();
    harness.run();
    type_slowly(&mut harness, "立项必要性");
    press(&mut harness, Key::Enter);
    let names: Vec<String> = harness
        .state()
        .editor()
        .doc()
        .leaves()
        .iter()
        .map(|l| l.name.clone())
        .collect();
    assert!(names.contains(&"立项必要性".to_owned()), "{names:?}");
}

#[test]
fn the_start_page_opens_the_example_in_one_click() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = window(dir.path(), None);
    harness.get_by_label("打开示例").click();
    harness.run();
    assert_eq!(total(&harness), "82.02");
    assert!(harness.query_by_label("82.02").is_some());
    assert!(harness.query_by_label("良").is_some());
}

#[test]
fn the_start_page_says_when_to_use_each_template() {
    let dir = tempfile::tempdir().unwrap();
    let harness = window(dir.path(), None);
    assert!(
        harness
            .query_by_label("项目单位年底填报项目支出绩效自评表。")
            .is_some()
    );
}

#[test]
fn left_folds_a_group_and_right_opens_it_again_as_does_its_arrow() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    harness.get_by_label("项目立项").click();
    harness.run();
    press(&mut harness, Key::ArrowLeft);
    assert!(harness.query_by_label("立项依据充分性 得分").is_none());
    assert!(harness.query_by_label("绩效目标合理性 得分").is_some());
    press(&mut harness, Key::ArrowRight);
    assert!(harness.query_by_label("立项依据充分性 得分").is_some());
    harness.get_by_label("展开或折叠 项目立项").click();
    harness.run();
    assert!(harness.query_by_label("立项程序规范性 得分").is_none());
    // Folded rows still count: the total is the document's.
    assert_eq!(total(&harness), "82.02");
    harness.get_by_label("展开或折叠 项目立项").click();
    harness.run();
    assert!(harness.query_by_label("立项程序规范性 得分").is_some());
}

/// The width of the text field labelled `label`.
fn width_of(harness: &Harness<'_, JixiaoApp>, label: &str) -> f32 {
    harness.get_by_label(label).rect().width()
}

#[test]
fn a_wider_window_widens_the_text_columns_and_keeps_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    let reason = width_of(&harness, "立项依据充分性 扣分理由");
    let score = width_of(&harness, "立项依据充分性 得分");
    harness.set_size(egui::vec2(1920.0, 1080.0));
    harness.run();
    harness.run();
    let wider = width_of(&harness, "立项依据充分性 扣分理由");
    // 640 px more window: the 扣分理由 column takes a good share of it, the 得分 none.
    assert!(wider > reason + 150.0, "{reason} → {wider}");
    assert!((width_of(&harness, "立项依据充分性 得分") - score).abs() < 1.0);
    // Back to the first size: the widths come back.
    harness.set_size(egui::vec2(1280.0, 800.0));
    harness.run();
    harness.run();
    assert!((width_of(&harness, "立项依据充分性 扣分理由") - reason).abs() < 2.0);
    // At 1024×640 the figures and the reason are still in view, left of the 汇总 panel.
    harness.set_size(egui::vec2(1024.0, 640.0));
    harness.run();
    harness.run();
    let summary_left = harness.get_by_label("综合得分").rect().left();
    let reason = harness.get_by_label("立项依据充分性 扣分理由").rect();
    assert!(
        reason.right() <= summary_left,
        "{reason:?} / {summary_left}"
    );
    assert!(reason.width() >= 120.0, "{reason:?}");
}

#[test]
#[cfg(unix)]
fn a_file_that_takes_long_to_open_leaves_the_window_going_and_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let settings = jixiao::app::Settings {
        open_wait: std::time::Duration::ZERO,
        ..crate::common::settings(dir.path())
    };
    // A workbook that takes long to read: a named pipe called .xlsx, which the reader
    // waits on as long as nobody writes to it (as it did on a damaged .ods that made it
    // loop, before vendor/calamine).
    let hanging = dir.path().join("大表.xlsx");
    let made = std::process::Command::new("mkfifo")
        .arg(&hanging)
        .status()
        .unwrap();
    assert!(made.success());
    let mut harness = crate::common::window_with(settings, None, egui::vec2(1280.0, 800.0));
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(crate::common::Dropped(hanging)));
    // The spinner keeps the window drawing: frames are stepped, not run to rest.
    harness.run_steps(3);
    assert!(harness.state().is_opening());
    assert!(
        harness
            .query_by_label_contains("正在打开“大表.xlsx”")
            .is_some()
    );
    // The window goes on drawing and takes no commands meanwhile.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run_steps(2);
    assert!(harness.query_by_label("新建评价").is_none());
    harness.get_by_label("取消").click();
    harness.run();
    assert!(!harness.state().is_opening());
    assert!(
        harness
            .query_by_label_contains("已取消打开“大表.xlsx”")
            .is_some()
    );
    // Back where the user was: the start page.
    assert!(harness.query_by_label("打开示例").is_some());
}

/// What eframe keeps on disk between two runs of the window: the app's own values and,
/// under "egui", egui's memory (scroll positions, column widths, text cursors).
#[derive(Default)]
struct Profile(std::collections::HashMap<String, String>);

impl eframe::Storage for Profile {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }

    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }

    fn flush(&mut self) {}
}

/// Closes the window as eframe does: egui's memory is written (unless the app asks
/// not to), then the app saves its own.
fn close(harness: &mut Harness<'_, JixiaoApp>) -> Profile {
    let mut profile = Profile::default();
    if eframe::App::persist_egui_memory(harness.state()) {
        harness
            .ctx
            .memory(|memory| eframe::set_value(&mut profile, "egui", memory));
    }
    eframe::App::save(harness.state_mut(), &mut profile);
    profile
}

/// Starts the window as `jixiao FILE` does (a double-click on a file) with the profile
/// a previous run left: egui's memory is read back before the app is made, as eframe
/// does. Frames are a sixtieth of a second, as on a screen.
fn start_with(
    profile: &'static Profile,
    recovery: &Path,
    file: PathBuf,
) -> Harness<'static, JixiaoApp> {
    let settings = crate::common::settings(recovery);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(120)
        .build_eframe(move |cc| {
            if let Some(memory) = eframe::get_value::<egui::Memory>(profile, "egui") {
                cc.egui_ctx.memory_mut(|m| *m = memory);
            }
            cc.storage = Some(profile);
            JixiaoApp::new(cc, Some(file), settings)
        });
    harness.run();
    harness
}

/// Types `text` as a quick typist does, a key every 40 ms (xdotool's pace): one key
/// per frame, two frames of a sixtieth of a second between keys, without waiting for
/// the window to come to rest.
fn type_briskly(harness: &mut Harness<'_, JixiaoApp>, text: &str) {
    for c in text.chars() {
        harness.event(egui::Event::Text(c.to_string()));
        harness.step();
        harness.step();
    }
}

#[test]
fn the_first_figure_typed_after_a_file_opens_from_the_command_line_is_all_kept() {
    let dir = tempfile::tempdir().unwrap();
    let seed = crate::common::data("evaluation-2022-jingzhun-bangfu.csv");
    // A first run: the scorer works down to the last indicator and closes the window.
    let mut first = crate::common::seed_window(dir.path());
    for _ in 0..40 {
        press(&mut first, Key::ArrowDown);
    }
    type_slowly(&mut first, "8");
    press(&mut first, Key::Enter);
    assert_eq!(score(&first, "满意度").as_deref(), Some("8"));
    assert!(first.query_by_label("立项依据充分性 得分").is_none());
    let profile: &'static Profile = Box::leak(Box::new(close(&mut first)));

    // The next day, a double-click opens a file: its first row is selected. The scorer
    // types 1.5 at once, and Enter.
    let mut harness = start_with(profile, dir.path(), seed);
    type_briskly(&mut harness, "1.5");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("1.5"));
    assert_eq!(
        harness
            .get_by_label("立项依据充分性 得分")
            .value()
            .as_deref(),
        Some("1.5")
    );
    assert_eq!(total(&harness), "81.66");
}

/// The data file of this test as a RON document in `dir`, opened from there.
fn seed_document(dir: &Path) -> PathBuf {
    let doc =
        jixiao::open::open(&crate::common::data("evaluation-2022-jingzhun-bangfu.csv")).unwrap();
    let path = dir.join("精准帮扶.ron");
    jixiao::storage::save(&doc, &path).unwrap();
    path
}

#[test]
fn ctrl_z_in_a_cell_being_typed_undoes_that_typing_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = seed_document(dir.path());
    let mut harness = window(&dir.path().join("恢复"), Some(path.clone()));
    // The first row is selected: 1.8, Enter.
    type_slowly(&mut harness, "1.8");
    press(&mut harness, Key::Enter);
    assert!(harness.get_by_label("立项程序规范性 得分").is_focused());
    // Row 2 is worth 1 point: 7 shows red.
    type_slowly(&mut harness, "7");
    assert!(harness.query_by_label_contains("超过分值").is_some());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    // The 7 is gone; row 2 shows its score again; row 1 keeps 1.8.
    assert_eq!(
        harness
            .get_by_label("立项程序规范性 得分")
            .value()
            .as_deref(),
        Some("0.8")
    );
    assert_eq!(
        harness
            .get_by_label("立项依据充分性 得分")
            .value()
            .as_deref(),
        Some("1.8")
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved = jixiao::storage::load(&path).unwrap();
    let first = saved
        .leaves()
        .first()
        .map(|l| (l.name.clone(), l.scoring.score));
    assert_eq!(
        first,
        Some((
            "立项依据充分性".to_owned(),
            Some(rust_decimal::Decimal::new(18, 1))
        ))
    );
    // A second Ctrl+Z, with nothing typed, undoes the 1.8 as before.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(score(&harness, "立项依据充分性").as_deref(), Some("1.86"));
}

/// The name of the row the table shows selected (highlighted).
fn selected_row(harness: &Harness<'_, JixiaoApp>) -> Option<String> {
    let id = harness.state().selected()?;
    harness
        .state()
        .editor()
        .doc()
        .find(id)
        .map(|n| n.name.clone())
}

#[test]
fn the_highlighted_row_follows_the_cell_after_enter_and_tab() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = seed_window(dir.path());
    enter_cell(&mut harness, "立项依据充分性 得分");
    type_slowly(&mut harness, "2");
    press(&mut harness, Key::Enter);
    assert!(harness.get_by_label("立项程序规范性 得分").is_focused());
    assert_eq!(selected_row(&harness).as_deref(), Some("立项程序规范性"));
    press(&mut harness, Key::Tab);
    assert!(harness.get_by_label("立项程序规范性 扣分理由").is_focused());
    assert_eq!(selected_row(&harness).as_deref(), Some("立项程序规范性"));
    press(&mut harness, Key::Tab);
    assert!(harness.get_by_label("绩效目标合理性 得分").is_focused());
    assert_eq!(selected_row(&harness).as_deref(), Some("绩效目标合理性"));
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    harness.run();
    assert!(harness.get_by_label("立项程序规范性 得分").is_focused());
    assert_eq!(selected_row(&harness).as_deref(), Some("立项程序规范性"));
}
