//! Dialogs: the template chooser, the 打开/另存为 path dialog (which works with or without
//! a system file dialog), the questions asked before work could be lost, and help.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::Action;
use crate::templates;

/// Which file the path dialog asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileMode {
    Open,
    Save,
    /// An expert's scoring file for the panel: a new expert, or a newer file for one.
    Expert(Option<usize>),
    /// Where to export the document.
    Export(crate::export::Format),
    /// A folder whose evaluations the 汇总 view reads.
    Folder,
    /// The table an expert scored on paper or in Excel, to fill their file from.
    Fill,
    /// A folder of evaluations to add to the 指标库.
    LibraryFolder,
}

/// The 打开 / 另存为 dialog: a path field that always works, a 浏览… button for the system
/// dialog, and the recent files.
#[derive(Clone, Debug)]
pub struct FileDialog {
    pub mode: FileMode,
    pub path_text: String,
}

impl FileDialog {
    pub fn new(mode: FileMode, suggestion: Option<&Path>) -> Self {
        Self {
            mode,
            path_text: suggestion
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        }
    }
}

/// What a dialog ended with this frame.
pub enum Outcome<T> {
    Open,
    Done(T),
    Cancelled,
}

/// The template chooser; `false` once it is answered or closed. The first template has
/// the keyboard when it opens, so Enter takes it.
pub fn template_chooser_ui(ctx: &egui::Context, fresh: bool, actions: &mut Vec<Action>) -> bool {
    let mut open = !ctx.input(|i| i.key_pressed(egui::Key::Escape));
    let mut chosen = false;
    egui::Window::new("新建评价")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .open(&mut open)
        .show(ctx, |ui| {
            ui.label("选择指标模板：");
            ui.add_space(4.0);
            for (index, template) in templates::all().iter().enumerate() {
                let button = ui.button(template.title);
                if fresh && index == 0 {
                    button.request_focus();
                }
                if button.clicked() {
                    actions.push(Action::New(Some(index)));
                    chosen = true;
                }
            }
            if ui.button("空白指标表").clicked() {
                actions.push(Action::New(None));
                chosen = true;
            }
        });
    open && !chosen
}

/// The path dialog. It has the keyboard from its first frame: the path field is focused
/// (its text selected where a name is proposed), Enter is the default button, Esc cancels.
pub fn file_dialog_ui(
    ctx: &egui::Context,
    dialog: &mut FileDialog,
    fresh: bool,
    recent: &[PathBuf],
) -> Outcome<PathBuf> {
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        return Outcome::Cancelled;
    }
    let title = match dialog.mode {
        FileMode::Open => "打开或导入",
        FileMode::Save => "另存为",
        FileMode::Expert(None) => "添加专家文件",
        FileMode::Expert(Some(_)) => "更换专家文件",
        FileMode::Export(format) => format.label(),
        FileMode::Folder => "打开文件夹（汇总）",
        FileMode::Fill => "从表格填入评分",
        FileMode::LibraryFolder => "把文件夹加入指标库",
    };
    let mut outcome = Outcome::Open;
    let mut open = true;
    egui::Window::new(title)
        .collapsible(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .default_width(560.0)
        .open(&mut open)
        .show(ctx, |ui| {
            match dialog.mode {
                FileMode::Open => ui.label("评价文件（.ron）或要导入的表格（.csv、.xlsx、.xls、.ods）："),
                FileMode::Save => ui.label("保存为评价文件（.ron）："),
                FileMode::Expert(_) => ui.label("这位专家的评分文件（.ron）或表格（.csv、.xlsx、.xls）："),
                FileMode::Export(format) => ui.label(format!("导出为（.{}）：", format.extension())),
                FileMode::Folder => ui.label("文件夹（其中及子文件夹里的评价文件和表格都会汇总）："),
                FileMode::LibraryFolder => ui.label("存放历年评价的文件夹（含子文件夹）："),
                FileMode::Fill => ui.label("专家填好的评分表（.csv、.xlsx、.xls、.ods、.docx），按指标名称填入得分和扣分理由："),
            };
            let mut submit = false;
            ui.horizontal(|ui| {
                let label = ui.label("文件路径");
                let field_id = egui::Id::unique(("文件路径", title));
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut dialog.path_text)
                            .id(field_id)
                            .desired_width(380.0),
                    )
                    .labelled_by(label.id);
                if fresh {
                    response.request_focus();
                    let proposes_name = matches!(dialog.mode, FileMode::Save | FileMode::Export(_));
                    let mut state = egui::TextEdit::load_state(ui.ctx(), field_id).unwrap_or_default();
                    let text = &dialog.path_text;
                    let range = if proposes_name {
                        egui::text_selection::CCursorRange::select_all_str(text)
                    } else {
                        egui::text_selection::CCursorRange::one(egui::text::CCursor::new(
                            text.chars().count(),
                        ))
                    };
                    state.cursor.set_char_range(Some(range));
                    egui::TextEdit::store_state(ui.ctx(), field_id, state);
                }
                submit |= response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("浏览…").clicked()
                    && let Some(path) = browse(dialog.mode, &dialog.path_text)
                {
                    dialog.path_text = path.display().to_string();
                }
            });
            match dialog.mode {
                FileMode::Open | FileMode::Expert(_) | FileMode::Fill => {
                    ui.weak("也可以把文件直接拖到窗口里。若“浏览…”没有反应（系统没有文件对话框），请直接填写路径。")
                }
                FileMode::Folder | FileMode::LibraryFolder => {
                    ui.weak("也可以把文件夹直接拖到窗口里。若“浏览…”没有反应（系统没有文件对话框），请直接填写路径。")
                }
                FileMode::Save | FileMode::Export(_) => {
                    ui.weak("按 Enter 保存。若“浏览…”没有反应（系统没有文件对话框），请直接填写路径。")
                }
            };
            if matches!(dialog.mode, FileMode::Open | FileMode::Expert(_)) && !recent.is_empty() {
                ui.add_space(6.0);
                ui.strong("最近打开");
                for path in recent {
                    if ui.link(path.display().to_string()).clicked() {
                        outcome = Outcome::Done(path.clone());
                    }
                }
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let verb = match dialog.mode {
                    FileMode::Open => "打开",
                    FileMode::Save => "保存",
                    FileMode::Expert(_) => "添加",
                    FileMode::Export(_) => "导出",
                    FileMode::Folder => "汇总",
                    FileMode::Fill => "填入",
                    FileMode::LibraryFolder => "加入",
                };
                let ready = !dialog.path_text.trim().is_empty();
                if ui.add_enabled(ready, egui::Button::new(verb)).clicked() || (submit && ready) {
                    outcome = Outcome::Done(with_extension(dialog.mode, dialog.path_text.trim()));
                }
                if ui.button("取消").clicked() {
                    outcome = Outcome::Cancelled;
                }
            });
        });
    if !open {
        return Outcome::Cancelled;
    }
    outcome
}

/// A path typed without an extension gets the one its file should have.
fn with_extension(mode: FileMode, text: &str) -> PathBuf {
    let path = PathBuf::from(text);
    let extension = match mode {
        FileMode::Save => "ron",
        FileMode::Export(format) => format.extension(),
        _ => return path,
    };
    if path.extension().is_none() {
        path.with_extension(extension)
    } else {
        path
    }
}

/// The system's file dialog. Returns nothing when the user cancels, and also when the
/// desktop has no dialog to offer; the path field is there for that case.
fn browse(mode: FileMode, current: &str) -> Option<PathBuf> {
    let start = Path::new(current);
    let mut dialog = rfd::FileDialog::new();
    if let Some(dir) = start.parent().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    match mode {
        FileMode::Open | FileMode::Expert(_) => dialog
            .add_filter("评价文件和表格", &["ron", "csv", "xlsx", "xls", "ods"])
            .add_filter("所有文件", &["*"])
            .pick_file(),
        FileMode::Fill => dialog
            .add_filter("表格", &["csv", "xlsx", "xls", "ods", "docx"])
            .add_filter("所有文件", &["*"])
            .pick_file(),
        FileMode::Save => {
            if let Some(name) = start.file_name() {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
            dialog.add_filter("评价文件", &["ron"]).save_file()
        }
        FileMode::Export(format) => {
            if let Some(name) = start.file_name() {
                dialog = dialog.set_file_name(name.to_string_lossy());
            }
            dialog
                .add_filter(format.label(), &[format.extension()])
                .save_file()
        }
        FileMode::Folder | FileMode::LibraryFolder => {
            let mut dialog = rfd::FileDialog::new();
            if start.is_dir() {
                dialog = dialog.set_directory(start);
            }
            dialog.pick_folder()
        }
    }
}

/// The answer to “save first?”.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveChoice {
    Save,
    Discard,
    Cancel,
}

/// “Save first?”; Enter is 保存, Esc is 取消.
pub fn unsaved_prompt_ui(ctx: &egui::Context, name: &str, fresh: bool) -> Option<SaveChoice> {
    let mut choice = ctx
        .input(|i| !fresh && i.key_pressed(egui::Key::Enter))
        .then_some(SaveChoice::Save);
    let modal = egui::Modal::new(egui::Id::unique("未保存的修改")).show(ctx, |ui| {
        ui.set_width(360.0);
        ui.heading("有未保存的修改");
        ui.label(format!("“{name}”的修改还没有保存。要先保存吗？"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let save = ui.button("保存");
            if fresh {
                save.request_focus();
            }
            if save.clicked() {
                choice = Some(SaveChoice::Save);
            }
            if ui.button("不保存").clicked() {
                choice = Some(SaveChoice::Discard);
            }
            if ui.button("取消").clicked() {
                choice = Some(SaveChoice::Cancel);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(SaveChoice::Cancel);
    }
    choice
}

/// Asks before deleting an indicator that carries scores. `Some(true)` deletes.
/// Enter is 删除 (the person asked for it), Esc is 取消.
pub fn delete_prompt_ui(ctx: &egui::Context, name: &str, fresh: bool) -> Option<bool> {
    let mut answer = ctx
        .input(|i| !fresh && i.key_pressed(egui::Key::Enter))
        .then_some(true);
    let modal = egui::Modal::new(egui::Id::unique("删除指标")).show(ctx, |ui| {
        ui.set_width(360.0);
        ui.heading("删除指标");
        ui.label(format!(
            "“{name}”或其下级指标已有得分，删除后得分一并删除（可撤销）。确定删除吗？"
        ));
        ui.add_space(8.0);
        answer = confirm_buttons_ui(ui, "删除", fresh);
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    answer
}

/// Offers the recovery copy found at start. `Some(true)` restores it.
pub fn recovery_prompt_ui(ctx: &egui::Context, description: &str, fresh: bool) -> Option<bool> {
    let mut answer = ctx
        .input(|i| !fresh && i.key_pressed(egui::Key::Enter))
        .then_some(true);
    egui::Modal::new(egui::Id::unique("恢复未保存的工作")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("恢复未保存的工作");
        ui.label("上次关闭程序时有未保存的修改，已找到自动保存的恢复副本：");
        ui.label(RichText::new(description).strong());
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let restore = ui.button("恢复");
            if fresh {
                restore.request_focus();
            }
            if restore.clicked() {
                answer = Some(true);
            }
            if ui.button("丢弃").clicked() {
                answer = Some(false);
            }
        });
    });
    answer
}

pub fn rules_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("评分规则").open(open).default_pos(egui::pos2(60.0, 60.0)).default_width(520.0).show(ctx, |ui| {
        ui.label("综合得分 = 各末级指标得分之和，用精确的十进制计算。");
        ui.label("显示和报告的得分四舍五入保留两位小数；绩效评定级别按显示的得分评定，两者不会不一致。");
        ui.label("组的分值、得分是其下级指标之和。标为“不适用”的指标不计入分值和得分。");
        ui.label("分值合计不是 100 时，按得分率（得分 ÷ 分值 × 100）评定级别。");
        ui.add_space(6.0);
        ui.strong("绩效评定级别（财预〔2020〕10号）");
        ui.label("优：≥ 90 分；良：80 分（含）至 90 分；中：60 分（含）至 80 分；差：< 60 分。");
        ui.label("分数线可在“项目信息”中按本地规定修改。");
        ui.add_space(6.0);
        ui.strong("检查");
        ui.label("得分超出 0 到分值、扣了分却没写扣分理由、尚未评分、名称为空或重复、超过四级、分值合计不是 100、产出与效益分值合计低于 60 分、导入表格中写明的小计与合计与下级之和不符，都会列在“问题”中。");
    });
}

pub fn about_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("关于")
        .open(open)
        .default_pos(egui::pos2(60.0, 60.0))
        .collapsible(false)
        .show(ctx, |ui| {
            ui.heading(format!("绩效 jixiao {}", env!("CARGO_PKG_VERSION")));
            ui.label("项目支出绩效评价评分与自评表。离线使用，文件保存在本机。");
            ui.label("界面字体：思源黑体（Noto Sans CJK SC），SIL 开源字体许可证 1.1。");
        });
}

/// The buttons of a confirmation: the one that does it, which takes the keyboard when the
/// dialog has just opened (so Enter confirms), and 取消. `Some(true)` once confirmed.
pub(super) fn confirm_buttons_ui(ui: &mut egui::Ui, confirm: &str, fresh: bool) -> Option<bool> {
    ui.horizontal(|ui| {
        let button = ui.button(confirm);
        if fresh {
            button.request_focus();
        }
        if button.clicked() {
            Some(true)
        } else if ui.button("取消").clicked() {
            Some(false)
        } else {
            None
        }
    })
    .inner
}
