//! The 汇总 view's folder, read on another thread: the files are counted, then read one
//! by one, each project appearing in the list as it is read; 取消 stops after the file
//! being read.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use eframe::egui;

use super::{JixiaoApp, View};
use crate::overview::{Overview, Project};

/// What the reading thread sends: each project as it is read, then the whole season.
enum Message {
    Project(Box<Project>),
    Done(Box<Overview>),
}

/// A folder being read beside the window.
pub(super) struct OverviewJob {
    done: Arc<AtomicUsize>,
    of: Arc<AtomicUsize>,
    cancel: Arc<AtomicBool>,
    answer: mpsc::Receiver<Message>,
}

impl JixiaoApp {
    /// Starts reading every evaluation under `roots` into the 汇总 view.
    pub(super) fn start_overview(&mut self, roots: Vec<PathBuf>) {
        if let Some(job) = &self.overview_job {
            job.cancel.store(true, Ordering::Relaxed);
        }
        let (send, answer) = mpsc::channel();
        let done = Arc::new(AtomicUsize::new(0));
        let of = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (done_in, of_in, cancel_in) = (done.clone(), of.clone(), cancel.clone());
        std::thread::spawn(move || {
            // 取消 stops the search through the folders too.
            let files = crate::overview::files_until(&roots, &cancel_in);
            of_in.store(files.len(), Ordering::Relaxed);
            let mut progress = |read: usize, _: usize, project: Option<&Project>| {
                done_in.store(read, Ordering::Relaxed);
                if let Some(project) = project {
                    let _ = send.send(Message::Project(Box::new(project.clone())));
                }
            };
            let overview = crate::overview::collect(&files, &mut progress, &cancel_in);
            let _ = send.send(Message::Done(Box::new(overview)));
        });
        self.overview_job = Some(OverviewJob {
            done,
            of,
            cancel,
            answer,
        });
        // The list starts empty and fills as files are read.
        self.overview.data = Some(Overview::default());
        self.view = View::Overview;
    }

    /// Stops reading; what was read so far is shown.
    pub(super) fn cancel_overview(&mut self) {
        if let Some(job) = &self.overview_job {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// (files read, files in all) while a folder is being read.
    pub(super) fn overview_progress(&self) -> Option<(usize, usize)> {
        self.overview_job.as_ref().map(|job| {
            (
                job.done.load(Ordering::Relaxed),
                job.of.load(Ordering::Relaxed),
            )
        })
    }

    pub(super) fn poll_overview(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.overview_job else {
            return;
        };
        loop {
            match job.answer.try_recv() {
                Ok(Message::Project(project)) => {
                    if let Some(data) = &mut self.overview.data {
                        data.projects.push(*project);
                    }
                }
                Ok(Message::Done(overview)) => {
                    let cancelled = job.cancel.load(Ordering::Relaxed);
                    self.overview_job = None;
                    if cancelled {
                        self.notify(
                            format!(
                                "已取消：只汇总了已读取的 {} 个文件。",
                                overview.projects.len() + overview.unreadable.len()
                            ),
                            false,
                        );
                    }
                    self.overview.data = Some(*overview);
                    return;
                }
                Err(mpsc::TryRecvError::Empty) => {
                    ctx.request_repaint_after(Duration::from_millis(100));
                    return;
                }
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.overview_job = None;
                    self.notify("读取文件夹时出错。", true);
                    return;
                }
            }
        }
    }

    /// Waits for a folder being read (tests).
    pub fn finish_overview(&mut self, ctx: &egui::Context) {
        while self.overview_job.is_some() {
            std::thread::sleep(Duration::from_millis(5));
            self.poll_overview(ctx);
        }
        ctx.request_repaint();
    }
}
