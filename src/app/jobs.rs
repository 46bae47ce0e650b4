//! Exports written on another thread, so a large report never freezes the window.

use std::path::PathBuf;
use std::time::Duration;

use eframe::egui;

use super::JixiaoApp;

/// An export running beside the window.
pub(super) struct ExportJob {
    pub(super) path: PathBuf,
    handle: std::thread::JoinHandle<Result<(), String>>,
}

impl JixiaoApp {
    /// Exports a copy of the document on another thread; [`Self::poll_export`] reports.
    pub(super) fn start_export(&mut self, format: crate::export::Format, path: PathBuf) {
        if self.export_job.is_some() {
            self.notify("上一次导出还没有完成，请稍候。", true);
            return;
        }
        self.commit_drafts();
        let doc = self.editor.doc().clone();
        let target = path.clone();
        let handle =
            std::thread::spawn(move || format.write(&doc, &target).map_err(|e| e.to_string()));
        self.export_job = Some(ExportJob { path, handle });
    }

    pub(super) fn poll_export(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.export_job else { return };
        if !job.handle.is_finished() {
            ctx.request_repaint_after(Duration::from_millis(100));
            return;
        }
        let Some(job) = self.export_job.take() else {
            return;
        };
        match job.handle.join() {
            Ok(Ok(())) => self.notify(format!("已导出“{}”。", job.path.display()), false),
            Ok(Err(message)) => self.notify(message, true),
            Err(_) => self.notify(
                format!("导出“{}”时出错，文件未写成。", job.path.display()),
                true,
            ),
        }
    }

    /// Waits for a running export (tests, and before the window closes).
    pub fn finish_export(&mut self, ctx: &egui::Context) {
        if let Some(job) = &self.export_job {
            while !job.handle.is_finished() {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        self.poll_export(ctx);
    }
}
