//! The start page, shown while the window has no indicators: the built-in templates with
//! a line on when to use each, the example evaluation, and the recent files.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::Action;
use crate::import::import_file;
use crate::model::Evaluation;
use crate::templates;

/// The published expert evaluation of the 精准帮扶 project (2022), bundled so that a
/// newcomer sees a scored evaluation, its total and its rating in one click.
const EXAMPLE_CSV: &[u8] = include_bytes!("../../tests/data/evaluation-2022-jingzhun-bangfu.csv");

/// The name the example goes by until it is saved.
pub const EXAMPLE_NAME: &str = "示例：精准帮扶项目评分表.csv";

/// The bundled example as a document, imported as the table file it is (the importer
/// reads files; the copy lives in a temporary folder only while it is read).
pub fn example() -> Result<Evaluation, String> {
    let failed = |reason: String| format!("示例无法打开：{reason}");
    let dir = tempfile::tempdir().map_err(|e| failed(e.to_string()))?;
    let path = dir.path().join("精准帮扶项目评分表.csv");
    std::fs::write(&path, EXAMPLE_CSV).map_err(|e| failed(e.to_string()))?;
    import_file(&path).map_err(|e| failed(e.to_string()))
}

/// When to use a template, by its command-line name.
fn when_to_use(name: &str) -> &'static str {
    match name {
        "project" => "财政部门或第三方评价一个项目的支出，按财预〔2020〕10号附2 的通用指标打分。",
        "project-15-25-25-35" => "本地办法把决策、过程分值定得更高时使用（15/25/25/35）。",
        "self-assessment" => "项目单位年底填报项目支出绩效自评表。",
        "self-assessment-cost" => "自评表中要单列成本指标时使用（财预〔2021〕101号）。",
        "department" => "评价一个部门全年的整体支出，而不是单个项目。",
        _ => "",
    }
}

/// Draws the start page.
pub fn start_ui(ui: &mut egui::Ui, recent: &[PathBuf], actions: &mut Vec<Action>) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.add_space(16.0);
        ui.heading("开始");
        ui.label("从模板新建一份评价，打开已有的评价文件或表格，或者先看一份打好分的示例。也可以把文件拖到窗口里。");
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            if ui
                .button(RichText::new("打开示例").strong())
                .on_hover_text("2022 年精准帮扶项目的专家评分表，已评分")
                .clicked()
            {
                actions.push(Action::OpenExample);
            }
            if ui.button("打开…").clicked() {
                actions.push(Action::ChooseFileToOpen);
            }
            if ui
                .button("打开文件夹（汇总）…")
                .on_hover_text("一个文件夹里的全部评价：排名、级别分布、常见扣分、自评与专家评分对比")
                .clicked()
            {
                actions.push(Action::ChooseFolder);
            }
            if ui.button("添加一级指标").clicked() {
                actions.push(Action::AddSibling);
            }
        });
        ui.add_space(16.0);
        ui.strong("从模板新建");
        ui.add_space(4.0);
        // One template a block, its line on when to use it below: a two-column grid
        // squeezed the lines into a sliver at 1024 px, as the titles are long.
        for (index, template) in templates::all().iter().enumerate() {
            if ui.link(template.title).clicked() {
                actions.push(Action::New(Some(index)));
            }
            ui.indent(template.name, |ui| {
                ui.add(egui::Label::new(RichText::new(when_to_use(template.name)).weak()).wrap());
            });
            ui.add_space(6.0);
        }
        if !recent.is_empty() {
            ui.add_space(16.0);
            ui.strong("最近打开");
            ui.add_space(4.0);
            for path in recent {
                if ui.link(path.display().to_string()).clicked() {
                    actions.push(Action::Open(path.clone()));
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_example_is_the_published_evaluation_scored() {
        let doc = super::example().unwrap_or_default();
        let summary = crate::scoring::summarize(&doc);
        assert_eq!(crate::number::format2(summary.total()), "82.02");
    }
}
