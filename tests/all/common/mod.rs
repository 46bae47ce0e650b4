//! What the window tests share: the window as a user starts it, and typing as a person
//! types, one key per frame with the window running between keys (issue 10: a test that
//! types a whole string in one event misses the bugs people meet).

// Each test file uses a part of this.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use eframe::egui::{self, Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jixiao::app::{JixiaoApp, Settings};

/// A file under `tests/data`.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Settings for a test window: recovery copies in `recovery`, no autosave during the
/// test, the shipped font only (so a missing glyph fails the test).
pub fn settings(recovery: &Path) -> Settings {
    Settings {
        recovery_dir: Some(recovery.to_owned()),
        autosave_every: Duration::from_secs(3600),
        system_fonts: false,
        // A file opens before the test goes on (a separate test waits for a slow one).
        open_wait: Duration::from_secs(60),
        // Never the user's own library.
        library: Some(recovery.join("指标库.json")),
        // Never the user's own 识别方式.
        layouts: Some(recovery.join("识别方式")),
    }
}

/// The window at `size`, started as `jixiao [FILE]` starts it.
pub fn window_with(
    settings: Settings,
    file: Option<PathBuf>,
    size: egui::Vec2,
) -> Harness<'static, JixiaoApp> {
    let mut harness = Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| JixiaoApp::new(cc, file, settings));
    harness.run();
    harness
}

/// The window at 1280×800, the size it opens at.
pub fn window(recovery: &Path, file: Option<PathBuf>) -> Harness<'static, JixiaoApp> {
    window_with(settings(recovery), file, egui::vec2(1280.0, 800.0))
}

/// The window with the published expert evaluation open, as imported from its CSV.
pub fn seed_window(recovery: &Path) -> Harness<'static, JixiaoApp> {
    window(recovery, Some(data("evaluation-2022-jingzhun-bangfu.csv")))
}

/// The 综合得分 as the window shows it.
pub fn total(harness: &Harness<'_, JixiaoApp>) -> String {
    harness.state().editor().summary().total_text()
}

/// Types `text` one character per frame into whatever has the keyboard.
pub fn type_slowly(harness: &mut Harness<'_, JixiaoApp>, text: &str) {
    for c in text.chars() {
        harness.event(Event::Text(c.to_string()));
        harness.run();
    }
}

pub fn press(harness: &mut Harness<'_, JixiaoApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

/// Clicks a field and selects what it holds, as a person does before typing over it.
pub fn enter_cell(harness: &mut Harness<'_, JixiaoApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
}

/// Clicks a field, selects what it holds and types `text` over it key by key. A figure
/// of the table (得分, 分值) is then committed with Enter, as a person does: until then
/// the document keeps the old one.
pub fn type_into(harness: &mut Harness<'_, JixiaoApp>, label: &str, text: &str) {
    enter_cell(harness, label);
    type_slowly(harness, text);
    if label.ends_with(" 得分") || label.ends_with(" 分值") {
        press(harness, Key::Enter);
    }
}

/// Opens a menu and clicks one of its items.
pub fn menu(harness: &mut Harness<'_, JixiaoApp>, menu: &str, item: &str) {
    harness.get_by_label(menu).click();
    harness.run();
    harness.get_by_label(item).click();
    harness.run();
}

/// Runs the jixiao program with `args`, as a user or a script does.
pub fn jixiao(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .output()
        .expect("the jixiao binary runs")
}

/// Runs jixiao with `args`, which must succeed, and gives what it printed.
pub fn run(args: &[&str]) -> String {
    let output = jixiao(args);
    assert!(
        output.status.success(),
        "jixiao {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A cell of a sheet as text, the way a person reads it off the screen.
pub fn cell(range: &calamine::Range<calamine::Data>, row: u32, column: u32) -> String {
    use calamine::Data;
    match range.get_value((row, column)) {
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::String(s)) => s.clone(),
        Some(other) => format!("{other}"),
        None => String::new(),
    }
}

/// A file as the window system hands it over when dropped on the window.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl eframe::egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// The problems of `doc`, counted by kind, as the problem list shows them.
pub fn kinds(doc: &jixiao::model::Evaluation) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    let summary = jixiao::scoring::summarize(doc);
    for problem in jixiao::validate::validate(doc, &summary) {
        *counts.entry(problem.kind.code()).or_default() += 1;
    }
    counts
}

/// Expected problems by kind, in the shape [`kinds`] gives.
pub fn counted(
    pairs: &[(jixiao::validate::ProblemKind, usize)],
) -> std::collections::BTreeMap<String, usize> {
    pairs.iter().map(|(k, n)| (k.code(), *n)).collect()
}
