//! The menu bar: 文件, 编辑, 视图, 帮助.

use std::path::PathBuf;

use eframe::egui;

use super::Action;
use crate::command::Editor;

/// What the menu needs to know besides the document.
pub struct MenuContext<'a> {
    pub editor: &'a Editor,
    pub recent: &'a [PathBuf],
    pub has_selection: bool,
    pub dark: bool,
    pub zoom: f32,
}

fn item(ui: &mut egui::Ui, label: &str, shortcut: &str, enabled: bool) -> bool {
    let mut button = egui::Button::new(label);
    if !shortcut.is_empty() {
        button = button.shortcut_text(shortcut);
    }
    ui.add_enabled(enabled, button).clicked()
}

pub fn menu_ui(ui: &mut egui::Ui, cx: &MenuContext<'_>, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("文件", |ui| {
            if item(ui, "新建…", "Ctrl+N", true) {
                actions.push(Action::ChooseTemplate);
            }
            if item(ui, "新建专家组…", "", true) {
                actions.push(Action::NewPanel);
            }
            if item(ui, "打开…", "Ctrl+O", true) {
                actions.push(Action::ChooseFileToOpen);
            }
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
            if item(ui, "保存", "Ctrl+S", true) {
                actions.push(Action::Save);
            }
            if item(ui, "另存为…", "Ctrl+Shift+S", true) {
                actions.push(Action::ChooseFileToSave);
            }
            ui.separator();
            if item(ui, "导入表格…", "", true) {
                actions.push(Action::ChooseFileToOpen);
            }
            ui.menu_button("导出", |ui| {
                for format in crate::export::Format::ALL {
                    if item(ui, &format!("{}…", format.label()), "", true) {
                        actions.push(Action::ChooseExportFile(format));
                    }
                }
            });
            if item(ui, "项目信息…", "", true) {
                actions.push(Action::ShowInfo);
            }
            ui.separator();
            if item(ui, "退出", "", true) {
                actions.push(Action::Quit);
            }
        });
        ui.menu_button("编辑", |ui| {
            if item(ui, "撤销", "Ctrl+Z", cx.editor.can_undo()) {
                actions.push(Action::Undo);
            }
            if item(ui, "重做", "Ctrl+Y", cx.editor.can_redo()) {
                actions.push(Action::Redo);
            }
            if item(ui, "复制评分表", "Ctrl+Shift+C", true) {
                actions.push(Action::CopyTable);
            }
            ui.separator();
            if item(ui, "添加同级指标", "", true) {
                actions.push(Action::AddSibling);
            }
            if item(ui, "添加下级指标", "", cx.has_selection) {
                actions.push(Action::AddChild);
            }
            if item(ui, "删除指标", "Delete", cx.has_selection) {
                actions.push(Action::DeleteSelected);
            }
            if item(ui, "上移", "Alt+↑", cx.has_selection) {
                actions.push(Action::MoveSelected(-1));
            }
            if item(ui, "下移", "Alt+↓", cx.has_selection) {
                actions.push(Action::MoveSelected(1));
            }
        });
        ui.menu_button("视图", |ui| {
            if item(ui, "全部展开", "", true) {
                actions.push(Action::ExpandAll);
            }
            if item(ui, "全部折叠", "", true) {
                actions.push(Action::CollapseAll);
            }
            ui.separator();
            if item(ui, "放大", "Ctrl++", true) {
                actions.push(Action::Zoom(cx.zoom + 0.1));
            }
            if item(ui, "缩小", "Ctrl+-", true) {
                actions.push(Action::Zoom(cx.zoom - 0.1));
            }
            if item(ui, "原始大小", "Ctrl+0", true) {
                actions.push(Action::Zoom(1.0));
            }
            ui.separator();
            if item(ui, if cx.dark { "浅色" } else { "深色" }, "", true) {
                actions.push(Action::SetDark(!cx.dark));
            }
        });
        ui.menu_button("帮助", |ui| {
            if item(ui, "评分规则", "F1", true) {
                actions.push(Action::ShowRules);
            }
            if item(ui, "关于", "", true) {
                actions.push(Action::ShowAbout);
            }
        });
    });
}
