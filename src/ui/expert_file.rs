//! The expert's side of a panel in the window: whose file is open and whether it is
//! submitted, the 准备专家评分文件 dialog, and the 修改记录 window.

use eframe::egui::{self, RichText};

use super::{Action, ERROR_COLOR, WARNING_COLOR};
use crate::command::Editor;
use crate::submission::{self, SealStatus};

/// The line above the table of an expert's file: "张三 的评分文件", its state, and
/// 提交评分 or 撤回提交. Nothing of the other experts is shown here.
pub fn expert_bar_ui(ui: &mut egui::Ui, editor: &Editor, actions: &mut Vec<Action>) {
    let doc = editor.doc();
    if doc.assignment.is_none() && doc.seal.is_none() {
        return;
    }
    let owner = submission::owner(doc);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("{owner} 的评分文件"));
            if let Some(assignment) = &doc.assignment {
                ui.weak(format!(
                    "评价方案 {}",
                    assignment.plan.chars().take(8).collect::<String>()
                ))
                .on_hover_text("评价方案的指纹（SHA-256）：指标和分值改动过的文件，合并时会被拒绝");
            }
            ui.separator();
            match editor.seal_status() {
                SealStatus::None => {
                    ui.label("未提交。评完每项指标、扣分都写明理由后，点“提交评分”。");
                    if ui.button("提交评分…").clicked() {
                        actions.push(Action::Submit);
                    }
                }
                status => {
                    let at = doc.seal.as_ref().map(|s| s.at.as_str()).unwrap_or("");
                    if status == SealStatus::Ok {
                        ui.label(format!("已于 {at} 提交并封存，只能查看。"));
                    } else {
                        ui.colored_label(
                            ERROR_COLOR,
                            format!("{at} 提交后被改动：封存校验不符，合并时会标出。"),
                        );
                    }
                    if ui
                        .button("撤回提交")
                        .on_hover_text("撤回后可以再修改；撤回和之后的修改都记在修改记录里")
                        .clicked()
                    {
                        actions.push(Action::Withdraw);
                    }
                }
            }
            if ui.button("修改记录").clicked() {
                actions.push(Action::ShowHistory);
            }
        });
    });
    ui.add_space(4.0);
}

/// Asks before 提交评分 seals the file: what sealing means and how it is undone.
/// `Some(true)` submits. Enter is 确认提交 (the expert asked for it), Esc is 取消.
pub fn submit_prompt_ui(ctx: &egui::Context, editor: &Editor, fresh: bool) -> Option<bool> {
    let doc = editor.doc();
    let summary = editor.summary();
    let mut answer = ctx
        .input(|i| !fresh && i.key_pressed(egui::Key::Enter))
        .then_some(true);
    let modal = egui::Modal::new(egui::Id::unique("提交评分")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("提交评分");
        ui.label(format!(
            "{} 的评分：{}，综合得分 {}，绩效评定级别“{}”。",
            submission::owner(doc),
            summary.progress_text(),
            summary.total_text(),
            summary.verdict_text()
        ));
        ui.add_space(4.0);
        ui.label("提交后文件变为只读：各项得分、扣分理由和修改记录用 SHA-256 封存，之后再有改动，合并时会被标出。");
        ui.label("如需修改，可以“撤回提交”；撤回和之后的修改都记在修改记录里。");
        ui.add_space(8.0);
        answer = super::dialogs::confirm_buttons_ui(ui, "确认提交", fresh);
    });
    if modal.should_close() && answer.is_none() {
        answer = Some(false);
    }
    answer
}

/// The 准备专家评分文件 dialog's fields.
#[derive(Clone, Debug, Default)]
pub struct PrepareDialog {
    pub names: String,
    pub folder: String,
}

/// What the dialog ended with this frame: `Some(true)` to prepare, `Some(false)` to cancel.
pub fn prepare_dialog_ui(
    ctx: &egui::Context,
    dialog: &mut PrepareDialog,
    fresh: bool,
    leaves: usize,
) -> Option<bool> {
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        return Some(false);
    }
    let mut answer = None;
    let mut open = true;
    egui::Window::new("准备专家评分文件")
        .collapsible(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .default_width(520.0)
        .open(&mut open)
        .show(ctx, |ui| {
            ui.label(format!(
                "以当前的指标体系（{leaves} 项指标、分值和评分标准）为评价方案，为每位专家写一份评分文件。专家只能填写得分和扣分理由，看不到其他专家的评分。"
            ));
            ui.add_space(6.0);
            egui::Grid::new("准备专家评分文件").num_columns(2).show(ui, |ui| {
                let label = ui.label("专家姓名");
                let names = ui
                    .add(
                        egui::TextEdit::multiline(&mut dialog.names)
                            .desired_rows(2)
                            .desired_width(360.0)
                            .hint_text("张三，李四，王五（逗号、顿号或换行分隔）"),
                    )
                    .labelled_by(label.id);
                if fresh {
                    names.request_focus();
                }
                ui.end_row();
                let label = ui.label("保存到文件夹");
                ui.add(egui::TextEdit::singleline(&mut dialog.folder).desired_width(360.0))
                    .labelled_by(label.id);
                ui.end_row();
            });
            let count = submission::expert_names(&dialog.names).len();
            ui.weak(format!("将写出 {count} 个文件：每位专家一个，以姓名命名（张三.ron）。"));
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let ready = count > 0 && !dialog.folder.trim().is_empty();
                if ui.add_enabled(ready, egui::Button::new("准备")).clicked() {
                    answer = Some(true);
                }
                if ui.button("取消").clicked() {
                    answer = Some(false);
                }
            });
        });
    if !open {
        return Some(false);
    }
    answer
}

/// 修改记录: the document's history, the latest first.
pub fn history_window_ui(ctx: &egui::Context, editor: &Editor, open: &mut bool) {
    let doc = editor.doc();
    egui::Window::new("修改记录")
        .open(open)
        .default_pos(egui::pos2(120.0, 90.0))
        .default_size([620.0, 420.0])
        .show(ctx, |ui| {
            let status = editor.seal_status();
            let color = match status {
                SealStatus::Broken => ERROR_COLOR,
                SealStatus::None => WARNING_COLOR,
                SealStatus::Ok => ui.visuals().text_color(),
            };
            ui.horizontal(|ui| {
                ui.label(format!("共 {} 条", doc.history.len()));
                ui.separator();
                ui.colored_label(color, status.label());
            });
            if doc.history.is_empty() {
                ui.weak("还没有修改记录。得分、扣分理由和“不适用”的每次修改都会记在这里。");
                return;
            }
            let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
            let count = doc.history.len();
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show_rows(ui, row_height, count, |ui, range| {
                    for index in range {
                        let entry = &doc.history[count - 1 - index];
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(&entry.at).weak().monospace());
                            let text = entry.change.describe();
                            ui.add(egui::Label::new(text.clone()).truncate())
                                .on_hover_text(text);
                        });
                    }
                });
        });
}
