//! Autosave and recovery: a copy of unsaved work written now and then, and the copies
//! that closed or crashed windows left, offered at start.

use std::time::{Instant, SystemTime};

use eframe::egui;

use super::JixiaoApp;
use super::dialogs::Dialog;
use crate::recovery::Orphan;

impl JixiaoApp {
    /// Offers the newest copy a closed or crashed window left, if any.
    pub(super) fn offer_orphan(&mut self) {
        let Some(orphan) = self
            .recovery
            .as_ref()
            .and_then(|r| r.orphans().into_iter().next())
        else {
            return;
        };
        let origin = orphan.origin.as_ref().map_or_else(
            || "未保存过的新文档".to_owned(),
            |p| p.display().to_string(),
        );
        let age = orphan
            .modified
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .map(|d| match d.as_secs() {
                s if s < 120 => "刚才".to_owned(),
                s if s < 7200 => format!("{} 分钟前", s / 60),
                s if s < 172_800 => format!("{} 小时前", s / 3600),
                s => format!("{} 天前", s / 86_400),
            })
            .unwrap_or_default();
        self.open_dialog(Dialog::Recovery {
            description: format!("{origin}（{age}自动保存）"),
            orphan,
        });
    }

    pub(super) fn write_recovery(&mut self) {
        let Some(recovery) = &self.recovery else {
            return;
        };
        let written = recovery.write(self.editor.doc(), self.path.as_deref());
        self.autosaved = Some((self.editor.revision(), Instant::now()));
        if let Err(reason) = written {
            // Keep working; say why there is no recovery copy.
            self.notify(format!("无法写入自动恢复副本：{reason}"), true);
        }
    }

    pub(super) fn remove_recovery(&mut self) {
        if let Some(recovery) = &self.recovery {
            recovery.remove_own();
        }
        self.autosaved = None;
    }

    /// Answers the offer of a copy left behind: restore it, or give it up. Then offers the
    /// next one, if another window left one too.
    pub(super) fn answer_recovery(&mut self, orphan: &Orphan, restore: bool) {
        let Some(recovery) = &self.recovery else {
            return;
        };
        if restore {
            match recovery.take(orphan) {
                Ok(doc) => {
                    self.load_document(doc, orphan.origin.clone(), "恢复的文档");
                    self.editor.mark_unsaved();
                    // The copy it came from is gone; this window's own copy takes its place at once.
                    self.write_recovery();
                    self.notify("已恢复上次未保存的工作，请检查后保存。", false);
                }
                Err(err) => self.notify(format!("恢复副本无法读取：{err}"), true),
            }
        } else {
            recovery.discard(orphan);
        }
        self.offer_orphan();
    }

    /// Writes a recovery copy when changes have waited long enough; schedules the next
    /// look without busy-waiting.
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        if !self.editor.is_dirty() {
            self.dirty_since = None;
            if self.autosaved.is_some() {
                self.remove_recovery();
            }
            return;
        }
        let now = Instant::now();
        let since = *self.dirty_since.get_or_insert(now);
        if self
            .autosaved
            .is_some_and(|(revision, _)| revision == self.editor.revision())
        {
            return;
        }
        let start = self.autosaved.map_or(since, |(_, at)| at.max(since));
        let due = start + self.settings.autosave_every;
        if now >= due {
            self.write_recovery();
        } else {
            ctx.request_repaint_after(due - now);
        }
    }

    pub fn last_autosave(&self) -> Option<Instant> {
        self.autosaved.map(|(_, at)| at)
    }
}
