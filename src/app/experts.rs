//! An expert panel: the experts' files read, changed and merged into the panel result.

use std::path::Path;

use super::{JixiaoApp, View};
use crate::command::Edit;
use crate::model::Evaluation;
use crate::open::open;
use crate::panel::{self, Expert, Method, PanelInfo};

impl JixiaoApp {
    pub(super) fn experts(&self) -> Vec<Expert> {
        self.editor
            .doc()
            .panel
            .as_ref()
            .map(|p| p.experts.clone())
            .unwrap_or_default()
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
        let merged = if experts.is_empty() {
            Ok(Evaluation {
                info: self.editor.doc().info.clone(),
                panel: Some(PanelInfo {
                    method,
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
