//! Files: opening, importing, saving, and the actions that replace the document (asking
//! first when it has unsaved changes).

use std::path::{Path, PathBuf};

use super::dialogs::Dialog;
use super::jobs::OpenJob;
use super::{JixiaoApp, Outbound, RECENT_LIMIT};
use crate::model::Evaluation;
use crate::panel::PanelInfo;
use crate::storage;
use crate::templates;
use crate::ui::Action;
use crate::ui::dialogs::{FileDialog, FileMode};
use crate::ui::start;

impl JixiaoApp {
    pub(super) fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.prefs.recent.retain(|p| *p != path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(RECENT_LIMIT);
    }

    /// Opens a document or imports a table, on another thread: a file that opens within
    /// [`Settings::open_wait`](super::Settings) shows at once, a larger one (or a damaged
    /// workbook being given up on) shows 正在打开 with a 取消 button while the window
    /// goes on. On failure the current document stays.
    pub(super) fn open_path(&mut self, path: &Path) {
        if self.open_job.is_some() {
            self.notify("正在打开另一个文件，请稍候或取消。", true);
            return;
        }
        let job = OpenJob::start(path.to_owned(), self.import_options(path));
        match job.wait(self.settings.open_wait) {
            Some(result) => self.finish_open(path, result),
            None => self.open_job = Some(job),
        }
    }

    /// Puts an opened file in the window, or says why it could not be opened.
    pub(super) fn finish_open(&mut self, path: &Path, result: Result<crate::open::Opened, String>) {
        match result {
            Ok(crate::open::Opened { doc, report }) => {
                let layout = self.profile_of(report.as_ref());
                let source = report.is_some().then(|| path.to_owned());
                self.import_report.set(report, source, layout);
                let is_document = !crate::import::is_table(path);
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.load_document(doc, is_document.then(|| path.to_owned()), &name);
                self.remember_recent(path);
                self.notices.clear();
                if !is_document {
                    self.notify(
                        format!("已导入“{name}”，保存时另存为评价文件（.ron），原表格不变。"),
                        false,
                    );
                    // An imported table is new work: it should be saved.
                    self.editor.mark_unsaved();
                }
            }
            Err(message) => self.notify(message, true),
        }
    }

    /// Saves to `path`; returns whether it worked (the reason is shown when not).
    pub(super) fn save_to(&mut self, path: &Path) -> bool {
        self.commit_drafts();
        match storage::save(self.editor.doc(), path) {
            Ok(()) => {
                self.editor.mark_saved();
                self.path = Some(path.to_owned());
                self.remember_recent(path);
                self.remove_recovery();
                self.notices.retain(|n| !n.is_error);
                true
            }
            Err(err) => {
                self.notify(err.to_string(), true);
                false
            }
        }
    }

    /// Saves where the document came from, or asks where (then does `then`).
    pub(super) fn save(&mut self, then: Option<Action>) -> bool {
        match self.path.clone() {
            Some(path) => {
                let saved = self.save_to(&path);
                if saved && let Some(then) = then {
                    self.perform_discarding(then);
                }
                saved
            }
            None => {
                let suggestion = self.suggested_save_path();
                self.open_dialog(Dialog::File {
                    dialog: FileDialog::new(FileMode::Save, Some(&suggestion)),
                    then,
                });
                false
            }
        }
    }

    /// Where 另存为 proposes to save: the folder last used, named after the 项目名称
    /// when it is filled in.
    pub(super) fn suggested_save_path(&self) -> PathBuf {
        let project = self.editor.doc().info.name.trim();
        let stem = if project.is_empty() {
            Path::new(&self.untitled_name)
                .file_stem()
                .map_or_else(|| "评价".to_owned(), |s| s.to_string_lossy().into_owned())
        } else {
            project
                .chars()
                .map(|c| if "/\\:*?\"<>|".contains(c) { '_' } else { c })
                .collect()
        };
        let dir = self
            .path
            .as_ref()
            .or(self.prefs.recent.first())
            .and_then(|p| p.parent())
            .map(Path::to_owned)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        dir.join(format!("{stem}.ron"))
    }

    /// Actions that would drop the current document ask first when it has unsaved changes.
    pub(super) fn guard(&mut self, action: Action) {
        self.commit_drafts();
        if self.editor.is_dirty() {
            self.open_dialog(Dialog::Unsaved { then: action });
        } else {
            self.perform_discarding(action);
        }
    }

    /// Does what replaces the document, its changes saved or given up.
    pub(super) fn perform_discarding(&mut self, action: Action) {
        match action {
            Action::New(choice) => {
                let doc = match choice.and_then(|i| templates::all().get(i)) {
                    Some(template) => match template.document() {
                        Ok(doc) => doc,
                        Err(err) => {
                            self.notify(err.to_string(), true);
                            return;
                        }
                    },
                    None => Evaluation::default(),
                };
                self.remove_recovery();
                self.load_document(doc, None, "未命名");
                self.notices.clear();
            }
            Action::Open(path) => {
                self.remove_recovery();
                self.open_path(&path);
            }
            Action::OpenExample => match start::example() {
                Ok(doc) => {
                    self.remove_recovery();
                    self.load_document(doc, None, start::EXAMPLE_NAME);
                    self.notices.clear();
                    self.notify(
                        "这是 2022 年精准帮扶项目的专家评分表。可以随意改动，保存时另存为新文件。",
                        false,
                    );
                }
                Err(message) => self.notify(message, true),
            },
            Action::NewPanel => {
                self.remove_recovery();
                let doc = Evaluation {
                    panel: Some(PanelInfo::empty()),
                    ..Evaluation::default()
                };
                self.load_document(doc, None, "专家组");
                self.notices.clear();
            }
            Action::Quit => {
                self.remove_recovery();
                self.allow_close = true;
                self.outbox
                    .push(Outbound::Viewport(eframe::egui::ViewportCommand::Close));
            }
            _ => {}
        }
    }
}
