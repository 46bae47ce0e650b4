//! Applying what the panels and commands ask for, in one place at the end of a frame.

use eframe::egui;

use super::dialogs::Dialog;
use super::{JixiaoApp, Outbound};
use crate::command::Edit;
use crate::model::NodeId;
use crate::ui::Action;
use crate::ui::dialogs::{FileDialog, FileMode};

impl JixiaoApp {
    pub(super) fn apply_edit(&mut self, edit: Edit) -> Option<NodeId> {
        match self.editor.apply(edit) {
            Ok(selected) => selected,
            Err(err) => {
                self.notify(err.to_string(), true);
                None
            }
        }
    }

    /// Writes the figures still being typed that the document would take (Ctrl+S in a
    /// cell saves what the cell shows); invalid ones stay red in their cells.
    pub(super) fn commit_drafts(&mut self) {
        for edit in self.table.take_valid_drafts(self.editor.doc()) {
            self.apply_edit(edit);
        }
    }

    /// Whether a cell holds a figure being typed that is not in the document yet.
    pub(super) fn uncommitted(&self) -> bool {
        self.table.has_uncommitted() || self.panel_view.has_uncommitted()
    }

    pub(super) fn handle(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::Edit(edit) => {
                self.apply_edit(edit);
            }
            Action::Undo if self.uncommitted() => {
                // As in a spreadsheet: Ctrl+Z in a cell being typed in gives up that
                // typing, not the change made before it.
                self.table.forget_drafts();
                self.panel_view.forget_drafts();
                ctx.memory_mut(|m| m.stop_text_input());
            }
            Action::Undo | Action::Redo => {
                let done = if action == Action::Undo {
                    self.editor.undo()
                } else {
                    self.editor.redo()
                };
                if done {
                    self.table.forget_drafts();
                    ctx.memory_mut(|m| m.stop_text_input());
                }
            }
            Action::ChooseTemplate => self.open_dialog(Dialog::Templates),
            Action::New(_)
            | Action::Open(_)
            | Action::Quit
            | Action::NewPanel
            | Action::OpenExample => self.guard(action),
            Action::ChooseExpertFile(index) => {
                let start = self
                    .prefs
                    .expert_dir
                    .clone()
                    .or_else(|| self.path.as_ref().and_then(|p| p.parent()).map(Into::into))
                    .map(|dir| dir.join(""));
                self.open_dialog(Dialog::File {
                    dialog: FileDialog::new(FileMode::Expert(index), start.as_deref()),
                    then: None,
                });
            }
            Action::AddExpert(path) => self.change_experts(
                |experts, new| {
                    // A newer file of an expert already in the panel (the same prepared
                    // expert, or the same file read again) takes the old one's place.
                    match experts
                        .iter_mut()
                        .find(|old| crate::panel::same_expert(old, &new))
                    {
                        Some(slot) => *slot = new,
                        None => experts.push(new),
                    }
                },
                Some(&path),
            ),
            Action::ReplaceExpert(index, path) => self.change_experts(
                |experts, new| {
                    if let Some(slot) = experts.get_mut(index) {
                        *slot = new;
                    }
                },
                Some(&path),
            ),
            Action::RemoveExpert(index) => self.change_experts(
                |experts, _| {
                    if index < experts.len() {
                        experts.remove(index);
                    }
                },
                None,
            ),
            Action::AcceptExpert { expert, reason } => self.accept_expert(&expert, &reason),
            Action::SetPanelMethod(method) => self.merge_panel(self.experts(), method),
            Action::SetPanelThreshold(threshold) => {
                let method = self
                    .editor
                    .doc()
                    .panel
                    .as_ref()
                    .map_or(crate::panel::Method::BySize, |p| p.method);
                self.merge_panel_with(self.experts(), method, threshold);
            }
            Action::ChoosePrepare => {
                let folder = self
                    .path
                    .as_ref()
                    .and_then(|p| p.parent())
                    .map(|dir| dir.join("专家评分文件"))
                    .or_else(|| std::env::current_dir().ok().map(|d| d.join("专家评分文件")))
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                self.open_dialog(Dialog::Prepare(crate::ui::expert_file::PrepareDialog {
                    names: String::new(),
                    folder,
                }));
            }
            Action::ChooseFillTable => {
                let start = self
                    .path
                    .as_ref()
                    .and_then(|p| p.parent())
                    .map(|d| d.join(""));
                self.open_dialog(Dialog::File {
                    dialog: FileDialog::new(FileMode::Fill, start.as_deref()),
                    then: None,
                });
            }
            Action::FillFrom(path) => self.fill_from(&path),
            Action::Submit => self.ask_submit(),
            Action::Withdraw => match self.editor.withdraw() {
                Ok(()) => self.notify(
                    "已撤回提交：可以修改了。修改后请保存并再次提交评分。",
                    false,
                ),
                Err(err) => self.notify(err.to_string(), true),
            },
            Action::ShowHistory => self.windows.history = true,
            Action::ToggleLibrary => {
                self.windows.library = !self.windows.library;
                if self.windows.library && self.library.is_none() && self.library_job.is_none() {
                    self.start_library(Vec::new());
                }
            }
            Action::ReloadLibrary => self.start_library(Vec::new()),
            Action::ChooseLibraryFolder => self.open_dialog(Dialog::File {
                dialog: FileDialog::new(FileMode::LibraryFolder, None),
                then: None,
            }),
            Action::AddLibraryFolder(path) => {
                self.windows.library = true;
                self.start_library(vec![path]);
            }
            Action::InsertFromLibrary(key) => self.insert_from_library(&key),
            Action::InsertGroupFromLibrary(key) => self.insert_group_from_library(&key),
            Action::DropFromLibrary(key, onto) => {
                self.table.selected = Some(onto);
                self.insert_from_library(&key);
            }
            Action::CurateLibrary(key, curation) => self.curate_library(&key, curation),
            Action::ChooseExportFile(format) => {
                let base = self
                    .path
                    .clone()
                    .unwrap_or_else(|| self.suggested_save_path());
                let stem = base
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let suggestion = base.with_file_name(format.file_name(&stem));
                self.open_dialog(Dialog::File {
                    dialog: FileDialog::new(FileMode::Export(format), Some(&suggestion)),
                    then: None,
                });
            }
            Action::ExportTo(format, path) => self.start_export(format, path),
            Action::CopyTable => {
                self.commit_drafts();
                self.outbox
                    .push(Outbound::Copy(crate::export::clipboard_text(
                        self.editor.doc(),
                    )));
                self.notify("评分表已复制，可粘贴到 Excel、WPS 或 Word 中。", false);
            }
            Action::ChooseFolder => {
                let start = self
                    .prefs
                    .recent
                    .first()
                    .and_then(|p| p.parent())
                    .map(std::path::PathBuf::from);
                self.open_dialog(Dialog::File {
                    dialog: FileDialog::new(FileMode::Folder, start.as_deref()),
                    then: None,
                });
            }
            Action::OpenFolder(path) => self.start_overview(vec![path]),
            Action::OpenFolders(paths) => self.start_overview(paths),
            Action::ShowOverview => self.view = super::View::Overview,
            Action::CancelOverview => self.cancel_overview(),
            Action::ChooseFileToOpen => {
                let start = self.prefs.recent.first().cloned();
                self.open_dialog(Dialog::File {
                    dialog: FileDialog::new(FileMode::Open, start.as_deref()),
                    then: None,
                });
            }
            Action::Save => {
                self.save(None);
            }
            Action::ChooseFileToSave => {
                let suggestion = self
                    .path
                    .clone()
                    .unwrap_or_else(|| self.suggested_save_path());
                self.open_dialog(Dialog::File {
                    dialog: FileDialog::new(FileMode::Save, Some(&suggestion)),
                    then: None,
                });
            }
            Action::SaveTo(path) => {
                self.save_to(&path);
            }
            Action::Select(id) => self.table.reveal(self.editor.doc(), id),
            Action::AddSibling => {
                let edit = match self.table.selected {
                    Some(after) => Edit::AddSibling {
                        after,
                        name: "新指标".into(),
                    },
                    None => Edit::AddChild {
                        parent: None,
                        name: "新指标".into(),
                    },
                };
                self.add_and_rename(edit);
            }
            Action::AddChild => {
                let Some(parent) = self.table.selected else {
                    return;
                };
                self.add_and_rename(Edit::AddChild {
                    parent: Some(parent),
                    name: "新指标".into(),
                });
            }
            Action::RenameSelected => {
                if let Some(id) = self.table.selected {
                    self.table.start_rename(self.editor.doc(), id);
                }
            }
            Action::DeleteSelected => {
                let Some(id) = self.table.selected else {
                    return;
                };
                let Some(node) = self.editor.doc().find(id) else {
                    return;
                };
                let scored = node.leaves().iter().any(|l| l.scoring.score.is_some());
                if scored {
                    self.open_dialog(Dialog::Delete(id));
                } else {
                    self.delete(id);
                }
            }
            Action::MoveSelected(by) => {
                if let Some(id) = self.table.selected {
                    self.apply_edit(Edit::Move { id, by });
                }
            }
            Action::ExpandAll => self.table.expand_all(),
            Action::CollapseAll => self.table.collapse_all(self.editor.doc()),
            Action::SetDark(dark) => {
                self.prefs.dark = dark;
                self.apply_look(ctx);
            }
            Action::Zoom(zoom) => {
                self.prefs.zoom = Some(zoom.clamp(0.5, 3.0));
                self.apply_look(ctx);
            }
            Action::ShowInfo => {
                self.windows.info = true;
                self.info.focus_first_field();
            }
            Action::ShowRules => self.windows.rules = true,
            Action::ShowShortcuts => self.windows.shortcuts = true,
            Action::ShowAbout => self.windows.about = true,
            Action::Notify(text, is_error) => self.notify(text, is_error),
        }
    }

    /// Adds an indicator and starts renaming it, "新指标" selected so typing replaces it.
    fn add_and_rename(&mut self, edit: Edit) {
        if let Some(id) = self.apply_edit(edit) {
            self.view = match self.view {
                super::View::Charts => super::View::Table,
                view => view,
            };
            self.table.start_rename(self.editor.doc(), id);
        }
    }

    pub(super) fn delete(&mut self, id: NodeId) {
        if let Ok(next) = self.editor.apply(Edit::Delete { id }) {
            self.table.selected = next;
        }
    }
}
