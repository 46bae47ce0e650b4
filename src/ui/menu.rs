//! The menu bar: 文件, 编辑, 视图, 帮助, built from the command table.

use std::path::PathBuf;

use eframe::egui;

use super::Action;
use super::commands::{Command, CommandContext};

/// What the menu needs to know besides the commands' own context.
pub struct MenuContext<'a> {
    pub commands: CommandContext<'a>,
    pub recent: &'a [PathBuf],
}

pub fn menu_ui(ui: &mut egui::Ui, cx: &MenuContext<'_>, actions: &mut Vec<Action>) {
    let c = &cx.commands;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("文件", |ui| {
            Command::New.button_ui(ui, c, actions);
            Command::Open.button_ui(ui, c, actions);
            Command::OpenFolder.button_ui(ui, c, actions);
            ui.menu_button("最近打开", |ui| {
                if cx.recent.is_empty() {
                    ui.weak("（无）");
                }
                for path in cx.recent {
                    if ui.button(path.display().to_string()).clicked() {
                        actions.push(Action::Open(path.clone()));
                    }
                }
            });
            ui.separator();
            Command::Save.button_ui(ui, c, actions);
            Command::SaveAs.button_ui(ui, c, actions);
            ui.separator();
            Command::ImportTable.button_ui(ui, c, actions);
            ui.menu_button("导出", |ui| {
                for format in crate::export::Format::ALL {
                    // The blank sheets to print, apart from the scored files.
                    if format == crate::export::Format::BlankXlsx {
                        ui.separator();
                    }
                    if ui.button(format!("{}…", format.label())).clicked() {
                        actions.push(Action::ChooseExportFile(format));
                    }
                }
            });
            Command::ProjectInfo.button_ui(ui, c, actions);
            ui.separator();
            Command::Quit.button_ui(ui, c, actions);
        });
        ui.menu_button("编辑", |ui| {
            for command in [Command::Undo, Command::Redo, Command::CopyTable] {
                command.button_ui(ui, c, actions);
            }
            ui.separator();
            for command in Command::ROW {
                command.button_ui(ui, c, actions);
            }
        });
        ui.menu_button("专家组", |ui| {
            Command::PreparePanel.button_ui(ui, c, actions);
            Command::NewPanel.button_ui(ui, c, actions);
            ui.separator();
            // What follows acts on one expert's own file: name whose, where one is open.
            let doc = c.editor.doc();
            let owner = crate::submission::owner(doc);
            if (doc.assignment.is_some() || doc.seal.is_some()) && !owner.is_empty() {
                ui.weak(format!("{owner} 的评分文件"));
            } else {
                ui.weak("专家本人的评分文件");
            }
            for command in [Command::FillFromTable, Command::Submit, Command::Withdraw] {
                command.button_ui(ui, c, actions);
            }
            ui.separator();
            Command::History.button_ui(ui, c, actions);
        });
        ui.menu_button("视图", |ui| {
            Command::ExpandAll.button_ui(ui, c, actions);
            Command::CollapseAll.button_ui(ui, c, actions);
            Command::Library.button_ui(ui, c, actions);
            ui.separator();
            for command in [Command::ZoomIn, Command::ZoomOut, Command::ZoomReset] {
                command.button_ui(ui, c, actions);
            }
            ui.separator();
            Command::ToggleDark.button_ui(ui, c, actions);
        });
        ui.menu_button("帮助", |ui| {
            for command in [Command::Rules, Command::Shortcuts, Command::About] {
                command.button_ui(ui, c, actions);
            }
        });
    });
}
