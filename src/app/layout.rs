//! One frame of the window: menu, status bar, summary, messages, the view, dialogs.

use std::path::PathBuf;

use eframe::egui::{self, Key, RichText};

use super::{JixiaoApp, NOTICE_FOR, Outbound, View};
use crate::model::NodeId;
use crate::ui::commands::{self, CommandContext};
use crate::ui::menu::{MenuContext, menu_ui};
use crate::ui::panel_view::panel_ui;
use crate::ui::self_form::self_form_ui;
use crate::ui::start::start_ui;
use crate::ui::summary::{summary_compact_ui, summary_ui};
use crate::ui::table::table_ui;
use crate::ui::{Action, ERROR_COLOR};

/// What, when it changes during a pass, makes the pass worth drawing again.
type Fingerprint = (u64, usize, bool, bool, Option<NodeId>);

impl JixiaoApp {
    fn fingerprint(&self) -> Fingerprint {
        (
            self.editor.revision(),
            self.notices.len(),
            self.dialog.is_open(),
            self.path.is_some(),
            self.table.selected,
        )
    }

    /// Whether the 汇总 view of a folder is shown (it is about many projects).
    fn surveying(&self) -> bool {
        self.view == View::Overview && (self.overview.data.is_some() || self.overview_job.is_some())
    }

    /// Whether the start page is shown: nothing is open yet, so there is no total, no
    /// grade and no problem to show.
    fn on_start_page(&self) -> bool {
        let doc = self.editor.doc();
        doc.indicators.is_empty() && doc.panel.is_none() && !self.surveying()
    }

    fn command_context<'a>(&'a self, ctx: &egui::Context) -> CommandContext<'a> {
        CommandContext {
            editor: &self.editor,
            has_selection: self.table.selected.is_some(),
            uncommitted: self.uncommitted(),
            dark: self.prefs.dark,
            zoom: ctx.zoom_factor(),
        }
    }

    fn dropped_files(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        // A folder dropped anywhere is a season to survey; several dropped at once too.
        let (folders, dropped): (Vec<PathBuf>, Vec<PathBuf>) =
            dropped.into_iter().partition(|p| p.is_dir());
        if !folders.is_empty() {
            actions.push(Action::OpenFolders(folders));
            return;
        }
        if self.editor.doc().panel.is_some() {
            // Onto a panel, dropped files are its experts' files.
            actions.extend(dropped.into_iter().map(Action::AddExpert));
        } else if let Some(path) = dropped.into_iter().next() {
            actions.push(Action::Open(path));
        }
    }

    fn window_title(&self) -> String {
        let star = if self.editor.is_dirty() { " *" } else { "" };
        format!("{}{star} — 绩效评价", self.display_name())
    }

    fn status_ui(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            match &self.path {
                None if self.on_start_page() => {
                    ui.label("未打开文件");
                }
                Some(path) => {
                    ui.label(path.display().to_string());
                    ui.separator();
                    if self.editor.is_dirty() {
                        ui.colored_label(crate::ui::WARNING_COLOR, "有未保存的修改");
                    } else {
                        ui.label("已保存");
                    }
                }
                None => {
                    ui.label(&self.untitled_name);
                    ui.separator();
                    ui.colored_label(crate::ui::WARNING_COLOR, "尚未保存为文件（Ctrl+S 保存）");
                }
            };
            if let Some(at) = self.last_autosave() {
                ui.separator();
                ui.label(format!("自动恢复副本：{} 秒前", at.elapsed().as_secs()));
            }
            if let Some(job) = &self.export_job {
                ui.separator();
                ui.spinner();
                ui.label(format!("正在导出“{}”…", job.path.display()));
            }
            if let Some(error) = self.table.draft_error(self.editor.doc()) {
                ui.separator();
                ui.colored_label(ERROR_COLOR, error);
            }
        });
    }

    /// The messages, one line each, the latest first; all but errors fade away.
    fn notices_ui(&mut self, ui: &mut egui::Ui) {
        let fading = self
            .notices
            .iter()
            .filter(|n| !n.is_error)
            .map(|n| n.at + NOTICE_FOR)
            .min();
        if let Some(due) = fading {
            let now = std::time::Instant::now();
            if due <= now {
                self.notices
                    .retain(|n| n.is_error || n.at + NOTICE_FOR > now);
            } else {
                ui.ctx().request_repaint_after(due - now);
            }
        }
        let mut dismissed = None;
        for (index, notice) in self.notices.iter().enumerate() {
            let color = if notice.is_error {
                ERROR_COLOR
            } else {
                ui.visuals().hyperlink_color
            };
            ui.horizontal(|ui| {
                if ui.small_button("关闭").clicked() {
                    dismissed = Some(index);
                }
                ui.add(egui::Label::new(RichText::new(&notice.text).color(color)).truncate())
                    .on_hover_text(&notice.text);
            });
        }
        if let Some(index) = dismissed {
            self.notices.remove(index);
        }
    }

    fn central_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        self.notices_ui(ui);
        let has_overview = self.overview.data.is_some() || self.overview_job.is_some();
        if self.view == View::Overview && has_overview {
            let loading = self.overview_progress();
            ui.horizontal(|ui| {
                ui.heading("汇总");
                if !self.editor.doc().indicators.is_empty() && ui.button("返回当前项目").clicked()
                {
                    self.view = View::Table;
                }
            });
            crate::ui::overview_view::overview_ui(ui, &mut self.overview, loading, actions);
            return;
        }
        if self.on_start_page() {
            start_ui(ui, &self.prefs.recent, actions);
            return;
        }
        // The views' tabs keep their place at the right; a long project name (forty
        // characters is usual) gives way, cut with an ellipsis and whole on hover.
        let has_panel = self.editor.doc().panel.is_some();
        let view = &mut self.view;
        egui::Sides::new().shrink_left().truncate().show(
            ui,
            |ui| {
                let name = &self.editor.doc().info.name;
                let name = if name.trim().is_empty() {
                    "（未填写项目名称）"
                } else {
                    name.as_str()
                };
                ui.add(egui::Label::new(RichText::new(name).heading()).truncate());
            },
            |ui| {
                if has_overview {
                    if ui
                        .button("汇总")
                        .on_hover_text("回到文件夹的汇总（排序和位置不变）")
                        .clicked()
                    {
                        actions.push(Action::ShowOverview);
                    }
                    ui.separator();
                }
                ui.selectable_value(view, View::Charts, "图表");
                ui.selectable_value(view, View::Form, "自评表");
                ui.selectable_value(view, View::Table, "评分表");
                if has_panel {
                    ui.selectable_value(view, View::Panel, "专家组");
                }
                ui.separator();
                if ui.button("项目信息…").clicked() {
                    actions.push(Action::ShowInfo);
                }
            },
        );
        ui.add_space(4.0);
        crate::ui::expert_file::expert_bar_ui(ui, &self.editor, actions);
        if self.view == View::Panel && self.editor.doc().panel.is_some() {
            // In a low window the view scrolls, so the selected indicator's details (the
            // experts' reasons, the agreed score and opinion) can always be reached; in a
            // narrow one it scrolls sideways, so every expert's column can be.
            let viewport = ui.available_height();
            let mut area = egui::ScrollArea::both()
                .id_salt("专家组视图")
                .auto_shrink([false, false]);
            if self.panel_view.first_shown() {
                area = area.scroll_offset(egui::Vec2::ZERO);
            }
            area.show(ui, |ui| {
                panel_ui(
                    ui,
                    viewport,
                    &self.editor,
                    &mut self.panel_view,
                    &mut self.table,
                    actions,
                );
            });
        } else if self.editor.doc().indicators.is_empty() {
            ui.label("还没有指标。");
            if ui.button("添加一级指标").clicked() {
                actions.push(Action::AddSibling);
            }
        } else {
            match self.view {
                View::Table | View::Panel | View::Overview => {
                    table_ui(ui, &self.editor, &mut self.table, actions);
                }
                View::Charts => crate::ui::charts::charts_ui(ui, &self.editor),
                View::Form => {
                    self_form_ui(ui, &self.editor, &mut self.form, &mut self.table, actions);
                }
            }
        }
    }

    /// One frame of the whole window. eframe calls it through [`eframe::App::ui`]; tests
    /// and benchmarks call it directly.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut actions = Vec::new();
        if std::mem::take(&mut self.fresh_document) {
            forget_cells(&ctx);
        }
        let before = self.fingerprint();

        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.editor.is_dirty() {
                self.outbox
                    .push(Outbound::Viewport(egui::ViewportCommand::CancelClose));
                self.guard(Action::Quit);
            } else {
                self.remove_recovery();
            }
        }
        // A file being opened holds the window like a dialog: nothing may be edited that
        // the opened file would replace.
        let dialog_open = self.dialog.is_open() || self.is_opening();
        if !dialog_open {
            commands::shortcuts(&ctx, &self.command_context(&ctx), &mut actions);
            self.dropped_files(&ctx, &mut actions);
            if !ctx.text_edit_focused() && ctx.input(|i| i.key_pressed(Key::Escape)) {
                self.close_topmost();
            }
        }
        // While a dialog is open, no key reaches the table; a cell lets go of the
        // keyboard before the table is drawn (and commits what it holds, or shows that
        // it did not).
        self.table.keys_blocked = dialog_open;
        if self.dialog_fresh {
            ctx.memory_mut(|m| {
                if let Some(id) = m.focused() {
                    m.surrender_focus(id);
                }
            });
        }

        egui::Panel::top("菜单栏").show(ui, |ui| {
            let cx = MenuContext {
                commands: self.command_context(&ctx),
                recent: &self.prefs.recent,
            };
            menu_ui(ui, &cx, &mut actions);
        });
        egui::Panel::bottom("状态栏").show(ui, |ui| self.status_ui(ui));
        // The 汇总 view is about many projects: the one document's summary would mislead.
        let surveying = self.surveying();
        if self.windows.library && !surveying {
            let doc = self.editor.doc();
            let selected_leaf = self
                .table
                .selected
                .and_then(|id| {
                    doc.find(id)
                        .filter(|n| n.is_leaf())
                        .map(|n| (id, n.name.clone()))
                })
                .and_then(|(id, name)| {
                    crate::model::path_names(&doc.indicators, id)
                        .and_then(|names| names.first().cloned())
                        .map(|level1| (level1, name))
                });
            // At most a third of the window, and never so wide that the table beside it
            // (about 600 points at the least) would be cut: at 1024 it keeps to 264.
            let width = ctx.content_rect().width();
            let widest = (width / 3.0).min(width - 760.0).max(240.0);
            let target = self
                .table
                .selected
                .and_then(|id| doc.find(id))
                .map(|n| n.scoring.target.clone())
                .unwrap_or_default();
            egui::Panel::left("指标库")
                .resizable(true)
                .default_size(340.0_f32.min(widest))
                .min_size(240.0)
                .max_size(widest)
                .show(ui, |ui| {
                    crate::ui::library_view::library_ui(
                        ui,
                        self.library.as_ref(),
                        self.library_error.as_deref(),
                        self.library_generation,
                        self.editor.doc(),
                        &target,
                        selected_leaf,
                        &mut self.library_view,
                        &mut actions,
                    );
                });
        }
        // Beside the 指标库, in a window too narrow for both panels and a usable table,
        // the summary keeps to a strip: 综合得分, the grade, the progress.
        let compact = self.windows.library && ctx.content_rect().width() < 1600.0;
        if !surveying && !self.on_start_page() && compact {
            egui::Panel::right("汇总（简）")
                .resizable(false)
                .exact_size(150.0)
                .show(ui, |ui| summary_compact_ui(ui, &self.editor));
        } else if !surveying && !self.on_start_page() {
            egui::Panel::right("汇总")
                .resizable(true)
                .default_size(330.0)
                .min_size(260.0)
                .show(ui, |ui| summary_ui(ui, &self.editor, &mut actions));
        }
        egui::CentralPanel::default().show(ui, |ui| self.central_ui(ui, &mut actions));
        self.dialogs_ui(&ctx, &mut actions);
        self.poll_open(&ctx);
        self.poll_overview(&ctx);
        self.poll_library(&ctx);

        // Typing into a new cell starts a new undo step.
        let focus = ctx.memory(|m| m.focused());
        if focus != self.last_focus {
            self.editor.seal();
            self.last_focus = focus;
        }

        for action in actions {
            self.handle(action, &ctx);
        }
        self.autosave(&ctx);
        self.poll_export(&ctx);
        if self.fingerprint() != before {
            // Show the new totals, message or dialog in this same frame, not the next.
            // What this pass would tell the system waits for the pass that is shown,
            // since a discarded pass's output is dropped.
            ctx.request_discard("文档或对话框已改变");
            // Where another pass is not allowed this frame, the next frame comes at once.
            ctx.request_repaint();
            return;
        }
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        for outbound in self.outbox.drain(..) {
            match outbound {
                Outbound::Viewport(command) => ctx.send_viewport_cmd(command),
                Outbound::Copy(text) => ctx.copy_text(text),
            }
        }
    }
}

/// A document just opened starts from clean cells, whichever way it was opened: no cell
/// has the keyboard, and no text field keeps a cursor or selection egui remembered from
/// the last document or the last run (cells are known by the indicator's id, and every
/// document numbers its indicators from one).
fn forget_cells(ctx: &egui::Context) {
    ctx.memory_mut(|m| {
        if let Some(id) = m.focused() {
            m.surrender_focus(id);
        }
    });
    ctx.data_mut(|d| d.remove_by_type::<egui::text_edit::TextEditState>());
}
