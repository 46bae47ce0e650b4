//! Files opened and exports written on another thread, so a large table, a damaged
//! workbook or a large report never freezes the window.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eframe::egui;

use super::JixiaoApp;
use crate::open::Opened;

/// A file being opened beside the window.
pub(super) struct OpenJob {
    path: PathBuf,
    started: Instant,
    answer: mpsc::Receiver<Result<Opened, String>>,
}

impl OpenJob {
    /// Starts reading `path` on its own thread.
    pub(super) fn start(path: PathBuf, options: crate::import::Options) -> Self {
        let (send, answer) = mpsc::channel();
        let target = path.clone();
        std::thread::spawn(move || {
            let result = crate::open::open_with(&target, &options).map_err(|e| e.to_string());
            // The window may have given up (取消): then nobody listens.
            let _ = send.send(result);
        });
        Self {
            path,
            started: Instant::now(),
            answer,
        }
    }

    /// The answer, if it comes within `limit`.
    pub(super) fn wait(&self, limit: Duration) -> Option<Result<Opened, String>> {
        match self.answer.recv_timeout(limit) {
            Ok(result) => Some(result),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => Some(Err(format!(
                "打开“{}”时出错，文件未能读取。",
                self.path.display()
            ))),
        }
    }
}

/// An export running beside the window.
pub(super) struct ExportJob {
    pub(super) path: PathBuf,
    handle: std::thread::JoinHandle<Result<(), String>>,
}

impl JixiaoApp {
    /// Whether a file is being opened (the window then takes no edits).
    pub fn is_opening(&self) -> bool {
        self.open_job.is_some()
    }

    /// Shows the file being opened, with 取消, and puts it in the window when it is read.
    pub(super) fn poll_open(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.open_job else { return };
        if let Some(result) = job.wait(Duration::ZERO) {
            let path = job.path.clone();
            self.open_job = None;
            self.finish_open(&path, result);
            return;
        }
        let name = job
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let seconds = job.started.elapsed().as_secs();
        let mut cancel = false;
        egui::Modal::new(egui::Id::unique("正在打开")).show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.strong(format!("正在打开“{name}”…"));
            });
            if seconds >= 2 {
                ui.label(format!(
                    "已用 {seconds} 秒；一个表格最多读 30 秒，读不完即放弃并说明。"
                ));
            }
            cancel = ui.button("取消").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape));
        });
        if cancel {
            self.open_job = None;
            self.notify(format!("已取消打开“{name}”。"), false);
        } else {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
    }

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
