//! An expert panel: the experts' files read, changed and merged into the panel result.

use std::path::Path;

use super::{JixiaoApp, View};
use crate::command::Edit;
use crate::model::Evaluation;
use crate::open::open;
use crate::panel::{self, Expert, Method, PanelInfo};
use crate::submission;

impl JixiaoApp {
    /// Every file of the panel, those set aside (changed after submitting) included, in
    /// the order the 专家组 view lists them.
    pub(super) fn experts(&self) -> Vec<Expert> {
        self.editor
            .doc()
            .panel
            .as_ref()
            .map(panel::all_experts)
            .unwrap_or_default()
    }

    /// Counts `expert`'s file although it was changed after submitting, for `reason`,
    /// which goes into the panel's history; one undoable change.
    pub(super) fn accept_expert(&mut self, expert: &str, reason: &str) {
        let mut doc = self.editor.doc().clone();
        match panel::accept(&mut doc, expert, reason, &submission::now()) {
            Ok(()) => {
                self.apply_edit(Edit::Replace(Box::new(doc)));
                self.notify(
                    format!("已接受专家“{expert}”提交后被改动的评分文件并计入专家组得分；理由已记入修改记录。"),
                    false,
                );
            }
            Err(err) => self.notify(err.to_string(), true),
        }
    }

    /// Reads an expert's file (when `path` is given) and changes the list of experts
    /// with it, then merges again. A file that cannot be read changes nothing.
    pub(super) fn change_experts(
        &mut self,
        change: impl FnOnce(&mut Vec<Expert>, Expert),
        path: Option<&Path>,
    ) {
        let mut experts = self.experts();
        let new = match path {
            Some(path) => match open(path) {
                Ok(evaluation) => {
                    // The next expert's file is most likely beside this one.
                    self.prefs.expert_dir = path.parent().map(Path::to_owned);
                    let fallback = path.file_stem().map_or_else(
                        || format!("专家{}", experts.len() + 1),
                        |s| s.to_string_lossy().into_owned(),
                    );
                    Expert {
                        name: panel::expert_name(&evaluation, &fallback),
                        source: path.display().to_string(),
                        evaluation,
                    }
                }
                Err(err) => {
                    self.notify(err.to_string(), true);
                    return;
                }
            },
            None => Expert {
                name: String::new(),
                source: String::new(),
                evaluation: Evaluation::default(),
            },
        };
        change(&mut experts, new);
        let method = self
            .editor
            .doc()
            .panel
            .as_ref()
            .map_or(Method::BySize, |p| p.method);
        self.merge_panel(experts, method);
    }

    /// Merges `experts` into the panel result, as one undoable change.
    pub(super) fn merge_panel(&mut self, experts: Vec<Expert>, method: Method) {
        let threshold = self
            .editor
            .doc()
            .panel
            .as_ref()
            .map_or_else(panel::default_threshold, |p| p.divergence_threshold);
        self.merge_panel_with(experts, method, threshold);
    }

    /// Merges with a divergence threshold (a share of 分值).
    pub(super) fn merge_panel_with(
        &mut self,
        experts: Vec<Expert>,
        method: Method,
        threshold: rust_decimal::Decimal,
    ) {
        let merged = if experts.is_empty() {
            // The last expert removed: what the panel agreed and its history stay, for
            // the experts added next.
            let current = self.editor.doc();
            Ok(Evaluation {
                info: current.info.clone(),
                history: current.history.clone(),
                panel: Some(PanelInfo {
                    method,
                    divergence_threshold: threshold,
                    agreed: current
                        .panel
                        .as_ref()
                        .map(|p| p.agreed.clone())
                        .unwrap_or_default(),
                    accepted: current
                        .panel
                        .as_ref()
                        .map(|p| p.accepted.clone())
                        .unwrap_or_default(),
                    ..PanelInfo::empty()
                }),
                ..Evaluation::default()
            })
        } else {
            panel::merge(experts, method, threshold, Some(self.editor.doc()))
        };
        match merged {
            Ok(doc) => {
                self.apply_edit(Edit::Replace(Box::new(doc)));
                self.view = View::Panel;
            }
            Err(err) => self.notify(err.to_string(), true),
        }
    }
}

impl JixiaoApp {
    /// Writes one file per expert from the open document (the plan). `false` leaves the
    /// dialog open: a name that cannot be a file, or a file that is already there.
    pub(super) fn prepare_experts(
        &mut self,
        dialog: &crate::ui::expert_file::PrepareDialog,
    ) -> bool {
        let names = submission::expert_names(&dialog.names);
        let folder = Path::new(dialog.folder.trim());
        let files = match submission::prepare(self.editor.doc(), &names, folder, &submission::now())
        {
            Ok(files) => files,
            Err(err) => {
                self.notify(err.to_string(), true);
                return false;
            }
        };
        if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
            self.notify(
                format!(
                    "“{}”已存在，未写出任何文件。请换一个文件夹。",
                    path.display()
                ),
                true,
            );
            return false;
        }
        if let Err(err) = std::fs::create_dir_all(folder) {
            self.notify(
                format!(
                    "无法创建文件夹“{}”：{}",
                    folder.display(),
                    crate::storage::io_reason(&err)
                ),
                true,
            );
            return false;
        }
        for (path, doc) in &files {
            if let Err(err) = crate::storage::save(doc, path) {
                self.notify(err.to_string(), true);
                return false;
            }
        }
        // Each expert scores with the plan's evidence at hand.
        if let (Some(plan), Some((first, _))) = (self.path.clone(), files.first())
            && let Err(err) = crate::evidence::copy_all(self.editor.doc(), &plan, first)
        {
            self.notify(format!("评分文件已写出，但{err}"), true);
            return false;
        }
        self.prefs.expert_dir = Some(folder.to_owned());
        self.notify(
            format!(
                "已在“{}”为 {} 位专家准备评分文件：{}。请把文件交给各位专家；收回后用“新建专家组（合并评分）”合并。",
                folder.display(),
                files.len(),
                names
                    .iter()
                    .map(|n| format!("{n}.ron"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            false,
        );
        true
    }

    /// Puts the scores and reasons of an expert's table into the open file.
    pub(super) fn fill_from(&mut self, path: &Path) {
        let table = match open(path) {
            Ok(table) => table,
            Err(err) => {
                self.notify(err.to_string(), true);
                return;
            }
        };
        match self.editor.fill_from(&table) {
            Ok(filled) => {
                let mut text = format!(
                    "已从“{}”填入 {} 项指标的评分。",
                    file_name(path),
                    filled.filled
                );
                if !filled.unmatched.is_empty() {
                    let shown: Vec<&str> = filled
                        .unmatched
                        .iter()
                        .take(5)
                        .map(String::as_str)
                        .collect();
                    let more = if filled.unmatched.len() > 5 {
                        " 等"
                    } else {
                        ""
                    };
                    text.push_str(&format!(
                        "表格中有 {} 行找不到对应指标，未填入：{}{more}。",
                        filled.unmatched.len(),
                        shown.join("；")
                    ));
                }
                if !filled.missing.is_empty() {
                    text.push_str(&format!("还有 {} 项未评分。", filled.missing.len()));
                }
                let is_error = !filled.unmatched.is_empty();
                self.notify(text, is_error);
            }
            Err(err) => self.notify(err.to_string(), true),
        }
    }

    /// 提交评分 asks first: a file that is ready (every leaf scored, every lost point
    /// explained) gets the question what sealing means; one that is not is told why,
    /// with nothing to confirm.
    pub(super) fn ask_submit(&mut self) {
        self.commit_drafts();
        match submission::check_ready(self.editor.doc()) {
            Ok(()) => self.open_dialog(super::dialogs::Dialog::Submit),
            Err(err) => self.notify(format!("未提交：{err}"), true),
        }
    }

    /// 提交评分, confirmed: seals the file and saves it at once, since a sealed file not
    /// on disk was never submitted.
    pub(super) fn submit(&mut self) {
        self.commit_drafts();
        if let Err(err) = self.editor.submit() {
            self.notify(format!("未提交：{err}"), true);
            return;
        }
        let saved = self.save(None);
        let at = self
            .editor
            .doc()
            .seal
            .as_ref()
            .map(|s| s.at.clone())
            .unwrap_or_default();
        if saved {
            self.notify(
                format!("已于 {at} 提交并封存。请把文件交回专家组秘书。"),
                false,
            );
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
