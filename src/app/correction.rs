//! The correction step of an import: the table read again with the user's changes to
//! its columns' roles and rows' kinds, and those changes saved as a 识别方式 (layout
//! profile) that the next import of a table with the same header tries first.

use std::path::Path;

use super::JixiaoApp;
use crate::import::{ImportReport, Layout, Options};
use crate::ui::import_report::ReportAction;

impl JixiaoApp {
    /// How to import `path`: a table tries the saved 识别方式 first; one that cannot be
    /// read is said, and the others still tried.
    pub(super) fn import_options(&mut self, path: &Path) -> Options {
        self.import_profiles.clear();
        if crate::import::is_table(path)
            && let Some(dir) = &self.settings.layouts
        {
            let (profiles, problems) = crate::import::load_profiles(dir);
            self.import_profiles = profiles;
            for problem in problems {
                self.notify(problem, true);
            }
        }
        Options {
            profiles: self.import_profiles.clone(),
            rows: true,
            ..Options::default()
        }
    }

    /// The corrections a table was read with: the saved profile it matched, or none.
    pub(super) fn profile_of(&self, report: Option<&ImportReport>) -> Layout {
        let name = report.and_then(|r| r.profile.as_deref());
        self.import_profiles
            .iter()
            .find(|(n, _)| Some(n.as_str()) == name)
            .map(|(_, layout)| layout.clone())
            .unwrap_or_default()
    }

    /// Reads the table again with the corrections, or saves them.
    pub(super) fn correct_import(&mut self, action: ReportAction) {
        match action {
            ReportAction::Reread { path, layout } => self.reread(&path, layout),
            ReportAction::Save { path, layout } => self.save_layout(&path, layout),
        }
    }

    fn reread(&mut self, path: &Path, layout: Layout) {
        let options = Options {
            layout: Some(layout.clone()),
            rows: true,
            ..Options::default()
        };
        match crate::open::open_with(path, &options) {
            Ok(crate::open::Opened { doc, report }) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.load_document(doc, None, &name);
                self.editor.mark_unsaved();
                self.import_report
                    .set(report, Some(path.to_owned()), layout);
            }
            Err(err) => self.notify(err.to_string(), true),
        }
    }

    /// Saves the corrections in the 识别方式 folder, named after the table.
    fn save_layout(&mut self, path: &Path, mut layout: Layout) {
        let Some(dir) = self.settings.layouts.clone() else {
            self.notify("找不到保存识别方式的文件夹。", true);
            return;
        };
        if let Some(report) = self.import_report.report() {
            layout.header = report.header_keys.clone();
        }
        let name = path.file_stem().map_or_else(
            || "识别方式".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
        match crate::import::save_profile(&layout, &dir, &name) {
            Ok(saved) => self.notify(
                format!(
                    "已保存识别方式“{}”，表头相同的表格导入时将按此读取。",
                    saved.display()
                ),
                false,
            ),
            Err(message) => self.notify(message, true),
        }
    }
}
