//! The 指标库 beside the window: read (and brought up to date with its folders) on
//! another thread, so that a season of files never holds the window.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use eframe::egui;

use super::JixiaoApp;
use crate::command::Edit;
use crate::library::Library;

/// The library being read beside the window.
pub(super) struct LibraryJob {
    answer: mpsc::Receiver<Result<Library, String>>,
}

impl JixiaoApp {
    /// Reads the library, adds `folders` to it and brings it up to date, beside the
    /// window; the panel shows 正在读取 until it is done.
    pub(super) fn start_library(&mut self, folders: Vec<PathBuf>) {
        // One reader or writer of the library file at a time.
        if self.library_job.is_some() {
            self.notify("指标库正在读取或保存，请稍候再试", true);
            return;
        }
        let Some(path) = self.settings.library.clone() else {
            self.notify("找不到用户数据文件夹，指标库无法保存", true);
            return;
        };
        let (send, answer) = mpsc::channel();
        std::thread::spawn(move || {
            let result = (|| {
                let mut library = Library::load(&path).map_err(|e| e.to_string())?;
                library.add_folders(&folders);
                if !library.folders.is_empty() {
                    let update = library.update(&mut |_, _| {});
                    if update.changed() || !folders.is_empty() {
                        library.save(&path).map_err(|e| e.to_string())?;
                    }
                }
                Ok(library)
            })();
            let _ = send.send(result);
        });
        self.library_job = Some(LibraryJob { answer });
    }

    /// Takes the library once it has been read.
    pub(super) fn poll_library(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.library_job else {
            return;
        };
        match job.answer.try_recv() {
            Ok(Ok(library)) => {
                self.library_job = None;
                self.library_error = None;
                self.library = Some(library);
                self.library_generation += 1;
            }
            Ok(Err(message)) => {
                self.library_job = None;
                if self.library.is_some() {
                    // A save that failed: what is shown is still the library.
                    self.notify(message, true);
                } else {
                    self.library_error = Some(message);
                }
            }
            Err(mpsc::TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(50)),
            Err(mpsc::TryRecvError::Disconnected) => {
                self.library_job = None;
                self.notify("读取指标库时出错", true);
            }
        }
    }

    /// Waits for the library being read (tests).
    pub fn finish_library(&mut self, ctx: &egui::Context) {
        if let Some(job) = self.library_job.take() {
            let answer = job.answer.recv_timeout(Duration::from_secs(60));
            let (send, receiver) = mpsc::channel();
            if let Ok(answer) = answer {
                let _ = send.send(answer);
            }
            self.library_job = Some(LibraryJob { answer: receiver });
        }
        self.poll_library(ctx);
    }

    /// Inserts the 二级 group the entry's most common use sits in: after the 二级 group
    /// of the selected row, or under a selected 一级, or under its own 一级 when nothing
    /// is selected.
    pub(super) fn insert_group_from_library(&mut self, key: &str) {
        let Some(entry) = self.library.as_ref().and_then(|l| l.entry_by_key(key)) else {
            return;
        };
        let model = entry.model();
        let Some(group) = crate::library::group_of(model) else {
            self.notify(
                format!("“{}”不在二级指标下，或其来源文件已无法读取", entry.name),
                true,
            );
            return;
        };
        let doc = self.editor.doc();
        let selected_path = self
            .table
            .selected
            .and_then(|id| crate::model::path_names(&doc.indicators, id));
        let (after, under) = match selected_path.as_deref() {
            Some([level1]) => (None, doc.find_by_names(&[level1]).map(|n| n.id)),
            Some([level1, level2, ..]) => {
                (doc.find_by_names(&[level1, level2]).map(|n| n.id), None)
            }
            // Nothing selected: under its own 一级 when the tree has it.
            _ => (
                None,
                doc.find_by_names(&[model.level1.as_str()]).map(|n| n.id),
            ),
        };
        let name = group.name.clone();
        let count = group.leaves().len();
        if let Some(id) = self.apply_edit(Edit::Insert {
            after,
            under,
            indicator: Box::new(group),
        }) {
            self.table.reveal(self.editor.doc(), id);
            self.table.selected = Some(id);
            self.notify(
                format!("已从指标库插入二级指标“{name}”及其下 {count} 项指标（可撤销）。"),
                false,
            );
        }
    }

    /// Records what the user decided about an entry and saves the library beside the
    /// window.
    pub(super) fn curate_library(&mut self, key: &str, curation: crate::library::Curation) {
        if self.library_job.is_some() {
            self.notify("指标库正在读取或保存，请稍候再改", true);
            return;
        }
        let (Some(library), Some(path)) = (&mut self.library, self.settings.library.clone()) else {
            return;
        };
        *library.curation_mut(key) = crate::library::Curation {
            key: key.to_owned(),
            ..curation
        };
        self.library_generation += 1;
        let copy = library.clone();
        let (send, answer) = mpsc::channel();
        std::thread::spawn(move || {
            let result = copy.save(&path).map(|()| copy).map_err(|e| e.to_string());
            let _ = send.send(result);
        });
        self.library_job = Some(LibraryJob { answer });
    }

    /// Inserts the library's entry `key` at the table's selected place: after a
    /// selected indicator, as the last child of a selected group, or under the group it
    /// came from when nothing is selected. Its name, 分值, standard 评分标准, rule and
    /// unit come along; no scores.
    pub(super) fn insert_from_library(&mut self, key: &str) {
        let Some(entry) = self.library.as_ref().and_then(|l| l.entry_by_key(key)) else {
            return;
        };
        let model = entry.model();
        let leaf = entry.to_indicator();
        let name = leaf.name.clone();
        let selected = self
            .table
            .selected
            .and_then(|id| self.editor.doc().find(id))
            .map(|node| (node.id, node.is_leaf()));
        // With nothing selected, under the group the indicator came from, when the tree
        // has it (its 二级, else its 一级).
        let home = || {
            let names: Vec<&str> = model.path.names().iter().map(String::as_str).collect();
            let doc = self.editor.doc();
            (1..names.len())
                .rev()
                .find_map(|n| doc.find_by_names(&names[..n]).filter(|g| !g.is_leaf()))
                .map(|g| g.id)
        };
        let (after, under) = match selected {
            Some((id, true)) => (Some(id), None),
            Some((id, false)) => (None, Some(id)),
            None => (None, home()),
        };
        if let Some(id) = self.apply_edit(Edit::Insert {
            after,
            under,
            indicator: Box::new(leaf),
        }) {
            self.table.reveal(self.editor.doc(), id);
            self.table.selected = Some(id);
            self.notify(format!("已从指标库插入“{name}”（可撤销）。"), false);
        }
    }
}
