//! The one dialog open at a time. Each variant carries what it needs; a dialog takes the
//! keyboard when it opens (its first field is focused, the table takes no keys) and
//! Enter answers it with its default button.

use eframe::egui;

use super::JixiaoApp;
use crate::model::NodeId;
use crate::recovery::Orphan;
use crate::ui::Action;
use crate::ui::commands::{CommandContext, shortcuts_window_ui};
use crate::ui::dialogs::{self, FileDialog, FileMode, Outcome, SaveChoice};
use crate::ui::info::info_ui;

/// The dialog in front of the document, if any.
#[derive(Debug, Default)]
pub(super) enum Dialog {
    #[default]
    None,
    Templates,
    /// 打开, 另存为, an expert's file or an export; `then` is done once 另存为 has saved
    /// (a document replaced after “save first?”).
    File {
        dialog: FileDialog,
        then: Option<Action>,
    },
    /// “Save first?”, asked before `then` drops unsaved changes.
    Unsaved {
        then: Action,
    },
    /// “Delete an indicator with scores?”
    Delete(NodeId),
    /// “Submit and seal?”, asked before 提交评分 seals the expert's file.
    Submit,
    /// 准备专家评分文件.
    Prepare(crate::ui::expert_file::PrepareDialog),
    /// A copy another window left, offered for restoring.
    Recovery {
        description: String,
        orphan: Orphan,
    },
}

impl Dialog {
    pub(super) fn is_open(&self) -> bool {
        !matches!(self, Self::None)
    }
}

impl JixiaoApp {
    /// Opens `dialog` in front; it takes the keyboard from the next frame on, so what is
    /// typed next goes to the dialog, never into a cell behind it.
    pub(super) fn open_dialog(&mut self, dialog: Dialog) {
        self.dialog = dialog;
        self.dialog_fresh = true;
    }

    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let fresh = std::mem::take(&mut self.dialog_fresh);
        match std::mem::take(&mut self.dialog) {
            Dialog::None => {}
            Dialog::Templates => {
                if dialogs::template_chooser_ui(ctx, fresh, actions) {
                    self.dialog = Dialog::Templates;
                }
            }
            Dialog::File { mut dialog, then } => {
                match dialogs::file_dialog_ui(ctx, &mut dialog, fresh, &self.prefs.recent) {
                    Outcome::Open => self.dialog = Dialog::File { dialog, then },
                    Outcome::Done(path) => match dialog.mode {
                        FileMode::Open => actions.push(Action::Open(path)),
                        FileMode::Save => {
                            if self.save_to(&path)
                                && let Some(then) = then
                            {
                                self.perform_discarding(then);
                            }
                        }
                        FileMode::Expert(None) => actions.push(Action::AddExpert(path)),
                        FileMode::Expert(Some(index)) => {
                            actions.push(Action::ReplaceExpert(index, path));
                        }
                        FileMode::Export(format) => actions.push(Action::ExportTo(format, path)),
                        FileMode::Folder => actions.push(Action::OpenFolder(path)),
                        FileMode::Fill => actions.push(Action::FillFrom(path)),
                        FileMode::LibraryFolder => actions.push(Action::AddLibraryFolder(path)),
                    },
                    Outcome::Cancelled => {}
                }
            }
            Dialog::Unsaved { then } => {
                let name = self.display_name();
                match dialogs::unsaved_prompt_ui(ctx, &name, fresh) {
                    None => self.dialog = Dialog::Unsaved { then },
                    Some(SaveChoice::Save) => {
                        self.save(Some(then));
                    }
                    Some(SaveChoice::Discard) => self.perform_discarding(then),
                    Some(SaveChoice::Cancel) => {}
                }
            }
            Dialog::Delete(id) => {
                let name = self
                    .editor
                    .doc()
                    .find(id)
                    .map(|n| n.name.clone())
                    .unwrap_or_default();
                match dialogs::delete_prompt_ui(ctx, &name, fresh) {
                    None => self.dialog = Dialog::Delete(id),
                    Some(true) => self.delete(id),
                    Some(false) => {}
                }
            }
            Dialog::Submit => {
                match crate::ui::expert_file::submit_prompt_ui(ctx, &self.editor, fresh) {
                    None => self.dialog = Dialog::Submit,
                    Some(true) => self.submit(),
                    Some(false) => {}
                }
            }
            Dialog::Prepare(mut dialog) => {
                let leaves = self.editor.doc().leaves().len();
                match crate::ui::expert_file::prepare_dialog_ui(ctx, &mut dialog, fresh, leaves) {
                    None => self.dialog = Dialog::Prepare(dialog),
                    Some(true) => {
                        if !self.prepare_experts(&dialog) {
                            self.dialog = Dialog::Prepare(dialog);
                        }
                    }
                    Some(false) => {}
                }
            }
            Dialog::Recovery {
                description,
                orphan,
            } => match dialogs::recovery_prompt_ui(ctx, &description, fresh) {
                None => {
                    self.dialog = Dialog::Recovery {
                        description,
                        orphan,
                    }
                }
                Some(restore) => self.answer_recovery(&orphan, restore),
            },
        }
        self.windows_ui(ctx, actions);
    }

    /// 项目信息 and the help windows, placed below the menu bar.
    fn windows_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if self.windows.info {
            let mut open = true;
            egui::Window::new("项目信息")
                .open(&mut open)
                .default_pos(egui::pos2(80.0, 70.0))
                .default_width(460.0)
                .show(ctx, |ui| {
                    info_ui(ui, self.editor.doc(), &mut self.info, actions);
                });
            self.windows.info = open;
        }
        crate::ui::expert_file::history_window_ui(ctx, &self.editor, &mut self.windows.history);
        dialogs::rules_ui(ctx, &mut self.windows.rules);
        let cx = CommandContext {
            editor: &self.editor,
            has_selection: self.table.selected.is_some(),
            uncommitted: self.uncommitted(),
            dark: self.prefs.dark,
            zoom: ctx.zoom_factor(),
        };
        shortcuts_window_ui(ctx, &cx, &mut self.windows.shortcuts);
        dialogs::about_ui(ctx, &mut self.windows.about);
    }

    /// Esc with no dialog closes the window in front (a dialog handles its own Esc).
    pub(super) fn close_topmost(&mut self) {
        let windows = &mut self.windows;
        if windows.info {
            windows.info = false;
        } else if windows.history {
            windows.history = false;
        } else if windows.shortcuts {
            windows.shortcuts = false;
        } else if windows.rules {
            windows.rules = false;
        } else {
            windows.about = false;
        }
    }
}
