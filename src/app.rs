//! The eframe application: owns the document, applies every action the panels emit in
//! one place, and looks after files, undo, autosave and recovery.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};

use crate::command::{Edit, Editor};
use crate::model::EvaluationKind;
use crate::model::{Evaluation, NodeId};
use crate::open::open;
use crate::panel::{self, Expert, Method, PanelInfo};
use crate::recovery::{Orphan, Recovery};
use crate::storage;
use crate::templates;
use crate::ui::dialogs::{self, FileDialog, FileMode, Outcome, SaveChoice};
use crate::ui::info::{InfoState, info_ui};
use crate::ui::menu::{MenuContext, menu_ui};
use crate::ui::panel_view::{PanelViewState, panel_ui};
use crate::ui::self_form::{FormState, self_form_ui};
use crate::ui::summary::summary_ui;
use crate::ui::table::{TableState, table_ui};
use crate::ui::{Action, ERROR_COLOR, install_fonts};

/// How often a recovery copy is written while there are unsaved changes.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);
/// How many recent files the 文件 menu remembers.
const RECENT_LIMIT: usize = 10;

/// Where and how often the app keeps recovery copies; tests point it at a temporary folder.
#[derive(Clone, Debug)]
pub struct Settings {
    pub recovery_dir: Option<PathBuf>,
    pub autosave_every: Duration,
    /// Whether the system's CJK fonts may fill in characters the shipped font lacks.
    /// Tests turn it off to prove the shipped font covers every label.
    pub system_fonts: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            recovery_dir: eframe::storage_dir("jixiao").map(|dir| dir.join("recovery")),
            autosave_every: AUTOSAVE_EVERY,
            system_fonts: true,
        }
    }
}

/// What survives a restart besides documents.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Prefs {
    recent: Vec<PathBuf>,
    dark: bool,
    zoom: Option<f32>,
}

const PREFS_KEY: &str = "jixiao-prefs";

/// A message shown in the window until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// Which view of the document the central panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// 评分表: the indicator tree with 分值, 得分, 扣分理由.
    Table,
    /// 自评表: the national self-assessment form.
    Form,
    /// 专家组: the experts side by side.
    Panel,
    /// 图表: 得分率 per 一级 and the composition of 综合得分.
    Charts,
}

/// What the app tells the system (window, clipboard), sent with the pass that is shown.
#[derive(Debug)]
enum Outbound {
    Viewport(egui::ViewportCommand),
    Copy(String),
}

/// An export running beside the window, so a large report never freezes it.
struct ExportJob {
    path: PathBuf,
    handle: std::thread::JoinHandle<Result<(), String>>,
}

/// The one dialog open at a time.
#[derive(Clone, Debug, PartialEq)]
enum Dialog {
    None,
    Templates,
    File(FileDialog),
    Unsaved,
    Delete(NodeId),
    Recovery(String),
}

pub struct JixiaoApp {
    editor: Editor,
    /// Where the document is saved; `None` for a new or imported document.
    path: Option<PathBuf>,
    /// What the title shows when there is no path yet ("未命名", "评分表.xlsx").
    untitled_name: String,
    table: TableState,
    info: InfoState,
    form: FormState,
    panel_view: PanelViewState,
    view: View,
    notices: Vec<Notice>,
    prefs: Prefs,
    settings: Settings,
    /// This window's recovery copy; `None` where there is no data folder.
    recovery: Option<Recovery>,
    /// The copy left by another window that is being offered.
    offered: Option<Orphan>,
    dialog: Dialog,
    import_report: crate::ui::import_report::ImportReportPanel,
    /// The action waiting for the answer to “save first?” (or for 另存为 to finish).
    pending: Option<Action>,
    show_info: bool,
    show_rules: bool,
    show_about: bool,
    /// The revision last written as a recovery copy, and when.
    autosaved: Option<(u64, Instant)>,
    dirty_since: Option<Instant>,
    allow_close: bool,
    export_job: Option<ExportJob>,
    outbox: Vec<Outbound>,
    title: String,
    last_focus: Option<egui::Id>,
}

impl JixiaoApp {
    /// The app as eframe starts it: fonts, saved preferences, an optional file to open.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        file: Option<PathBuf>,
        settings: Settings,
    ) -> Self {
        install_fonts(&cc.egui_ctx, settings.system_fonts);
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let mut app = Self::with_settings(settings);
        app.prefs = prefs;
        app.apply_look(&cc.egui_ctx);
        if let Some(file) = file {
            app.open_path(&file);
        }
        app
    }

    /// An app with an empty document and no window yet (for tests and benchmarks).
    pub fn with_settings(settings: Settings) -> Self {
        let mut app = Self {
            editor: Editor::new(Evaluation::default()),
            path: None,
            untitled_name: "未命名".to_owned(),
            table: TableState::default(),
            info: InfoState::default(),
            form: FormState::default(),
            panel_view: PanelViewState::default(),
            view: View::Table,
            notices: Vec::new(),
            prefs: Prefs::default(),
            recovery: settings.recovery_dir.clone().map(Recovery::new),
            offered: None,
            settings,
            dialog: Dialog::None,
            import_report: Default::default(),
            pending: None,
            show_info: false,
            show_rules: false,
            show_about: false,
            autosaved: None,
            dirty_since: None,
            allow_close: false,
            export_job: None,
            outbox: Vec::new(),
            title: String::new(),
            last_focus: None,
        };
        app.offer_orphan();
        app
    }

    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    pub fn selected(&self) -> Option<NodeId> {
        self.table.selected
    }

    pub fn view(&self) -> View {
        self.view
    }

    pub fn set_view(&mut self, view: View) {
        self.view = view;
    }

    /// Replaces the document with `doc`, as if it had just been opened from `path`.
    pub fn load_document(&mut self, doc: Evaluation, path: Option<PathBuf>, untitled_name: &str) {
        self.editor = Editor::new(doc);
        self.path = path;
        self.untitled_name = untitled_name.to_owned();
        self.table.reset();
        self.info = InfoState::default();
        self.form = FormState::default();
        self.panel_view = PanelViewState::default();
        self.view = match (&self.editor.doc().panel, self.editor.doc().info.kind) {
            (Some(_), _) => View::Panel,
            (None, EvaluationKind::SelfAssessment) => View::Form,
            (None, EvaluationKind::Expert) => View::Table,
        };
        self.autosaved = None;
        self.dirty_since = None;
        if let Some(first) = self.editor.doc().leaves().first().map(|l| l.id) {
            self.table.selected = Some(first);
        }
    }

    fn display_name(&self) -> String {
        match &self.path {
            Some(path) => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => self.untitled_name.clone(),
        }
    }

    fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        let text = text.into();
        self.notices.retain(|n| n.text != text);
        self.notices.push(Notice { text, is_error });
        if self.notices.len() > 5 {
            self.notices.remove(0);
        }
    }

    fn apply_look(&self, ctx: &egui::Context) {
        ctx.set_theme(if self.prefs.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        if let Some(zoom) = self.prefs.zoom {
            ctx.set_zoom_factor(zoom.clamp(0.5, 3.0));
        }
    }

    // ---- files ----------------------------------------------------------------------

    fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.prefs.recent.retain(|p| *p != path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(RECENT_LIMIT);
    }

    /// Opens a document or imports a table. On failure the current document stays.
    fn open_path(&mut self, path: &Path) {
        match crate::open::open_with(path, &Default::default()) {
            Ok(crate::open::Opened { doc, report }) => {
                self.import_report.set(report);
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
                        format!(
                            "已导入“{name}”。保存时请选择评价文件（.ron）的位置，原表格不会被改动。"
                        ),
                        false,
                    );
                    // An imported table is new work: it should be saved.
                    self.editor.mark_unsaved();
                }
            }
            Err(err) => self.notify(err.to_string(), true),
        }
    }

    /// Saves to `path`; returns whether it worked (the reason is shown when not).
    fn save_to(&mut self, path: &Path) -> bool {
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

    fn save(&mut self) -> bool {
        match self.path.clone() {
            Some(path) => self.save_to(&path),
            None => {
                self.dialog = Dialog::File(FileDialog::new(
                    FileMode::Save,
                    Some(&self.suggested_save_path()),
                ));
                false
            }
        }
    }

    fn suggested_save_path(&self) -> PathBuf {
        let stem = Path::new(&self.untitled_name)
            .file_stem()
            .map_or_else(|| "评价".to_owned(), |s| s.to_string_lossy().into_owned());
        let dir = self
            .prefs
            .recent
            .first()
            .and_then(|p| p.parent())
            .map(Path::to_owned)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        dir.join(format!("{stem}.ron"))
    }

    // ---- recovery -------------------------------------------------------------------

    /// Offers the newest copy a closed or crashed window left, if any.
    fn offer_orphan(&mut self) {
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
        self.dialog = Dialog::Recovery(format!("{origin}（{age}自动保存）"));
        self.offered = Some(orphan);
    }

    fn write_recovery(&mut self) {
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

    fn remove_recovery(&mut self) {
        if let Some(recovery) = &self.recovery {
            recovery.remove_own();
        }
        self.autosaved = None;
    }

    /// Answers the offer of a copy left behind: restore it, or give it up. Then offers the
    /// next one, if another window left one too.
    fn answer_recovery(&mut self, restore: bool) {
        let (Some(recovery), Some(orphan)) = (&self.recovery, self.offered.take()) else {
            return;
        };
        if restore {
            match recovery.take(&orphan) {
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
            recovery.discard(&orphan);
        }
        self.offer_orphan();
    }

    /// Writes a recovery copy when changes have waited long enough; schedules the next
    /// look without busy-waiting.
    fn autosave(&mut self, ctx: &egui::Context) {
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

    // ---- actions --------------------------------------------------------------------

    /// Actions that would drop the current document ask first when it has unsaved changes.
    fn guard(&mut self, action: Action) {
        if self.editor.is_dirty() {
            self.pending = Some(action);
            self.dialog = Dialog::Unsaved;
        } else {
            self.perform_discarding(action);
        }
    }

    fn perform_discarding(&mut self, action: Action) {
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
                    .push(Outbound::Viewport(egui::ViewportCommand::Close));
            }
            _ => {}
        }
    }

    fn apply_edit(&mut self, edit: Edit) -> Option<NodeId> {
        match self.editor.apply(edit) {
            Ok(selected) => selected,
            Err(err) => {
                self.notify(err.to_string(), true);
                None
            }
        }
    }

    fn handle(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::Edit(edit) => {
                self.apply_edit(edit);
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
            Action::ChooseTemplate => self.dialog = Dialog::Templates,
            Action::New(_) | Action::Open(_) | Action::Quit | Action::NewPanel => {
                self.guard(action)
            }
            Action::ChooseExpertFile(index) => {
                self.dialog = Dialog::File(FileDialog::new(
                    FileMode::Expert(index),
                    self.prefs.recent.first().map(PathBuf::as_path),
                ));
            }
            Action::AddExpert(path) => self.change_experts(
                |experts, new| {
                    experts.push(new);
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
            Action::SetPanelMethod(method) => self.merge_panel(self.experts(), method),
            Action::ChooseExportFile(format) => {
                let base = self
                    .path
                    .clone()
                    .unwrap_or_else(|| self.suggested_save_path());
                let suggestion = base.with_extension(format.extension());
                self.dialog =
                    Dialog::File(FileDialog::new(FileMode::Export(format), Some(&suggestion)));
            }
            Action::ExportTo(format, path) => self.start_export(format, path),
            Action::CopyTable => {
                self.outbox
                    .push(Outbound::Copy(crate::export::clipboard_text(
                        self.editor.doc(),
                    )));
                self.notify("评分表已复制，可粘贴到 Excel、WPS 或 Word 中。", false);
            }
            Action::ChooseFileToOpen => {
                self.dialog = Dialog::File(FileDialog::new(
                    FileMode::Open,
                    self.prefs.recent.first().map(PathBuf::as_path),
                ));
            }
            Action::Save => {
                self.save();
            }
            Action::ChooseFileToSave => {
                let suggestion = self
                    .path
                    .clone()
                    .unwrap_or_else(|| self.suggested_save_path());
                self.dialog = Dialog::File(FileDialog::new(FileMode::Save, Some(&suggestion)));
            }
            Action::SaveTo(path) => {
                if self.save_to(&path)
                    && let Some(pending) = self.pending.take()
                {
                    self.perform_discarding(pending);
                }
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
                if let Some(id) = self.apply_edit(edit) {
                    self.table.start_rename(self.editor.doc(), id);
                }
            }
            Action::AddChild => {
                let Some(parent) = self.table.selected else {
                    return;
                };
                if let Some(id) = self.apply_edit(Edit::AddChild {
                    parent: Some(parent),
                    name: "新指标".into(),
                }) {
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
                    self.dialog = Dialog::Delete(id);
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
            Action::ShowInfo => self.show_info = true,
            Action::ShowRules => self.show_rules = true,
            Action::ShowAbout => self.show_about = true,
        }
    }

    /// Exports a copy of the document on another thread; [`Self::poll_export`] reports.
    fn start_export(&mut self, format: crate::export::Format, path: PathBuf) {
        if self.export_job.is_some() {
            self.notify("上一次导出还没有完成，请稍候。", true);
            return;
        }
        let doc = self.editor.doc().clone();
        let target = path.clone();
        let handle =
            std::thread::spawn(move || format.write(&doc, &target).map_err(|e| e.to_string()));
        self.export_job = Some(ExportJob { path, handle });
    }

    fn poll_export(&mut self, ctx: &egui::Context) {
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

    fn experts(&self) -> Vec<Expert> {
        self.editor
            .doc()
            .panel
            .as_ref()
            .map(|p| p.experts.clone())
            .unwrap_or_default()
    }

    /// Reads an expert's file (when `path` is given) and changes the list of experts
    /// with it, then merges again. A file that cannot be read changes nothing.
    fn change_experts(
        &mut self,
        change: impl FnOnce(&mut Vec<Expert>, Expert),
        path: Option<&Path>,
    ) {
        let mut experts = self.experts();
        let new = match path {
            Some(path) => match open(path) {
                Ok(evaluation) => {
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
            .map_or(Method::Mean, |p| p.method);
        self.merge_panel(experts, method);
    }

    /// Merges `experts` into the panel result, as one undoable change.
    fn merge_panel(&mut self, experts: Vec<Expert>, method: Method) {
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

    fn delete(&mut self, id: NodeId) {
        if let Ok(next) = self.editor.apply(Edit::Delete { id }) {
            self.table.selected = next;
        }
    }

    /// Esc closes the dialog in front (the questions that guard work are answered by
    /// their own buttons, where Esc means 取消).
    fn close_topmost(&mut self) {
        match self.dialog {
            Dialog::Templates | Dialog::File(_) => {
                self.dialog = Dialog::None;
                self.pending = None;
            }
            Dialog::Unsaved | Dialog::Delete(_) | Dialog::Recovery(_) => {}
            Dialog::None => {
                if self.show_info {
                    self.show_info = false;
                } else if self.show_rules {
                    self.show_rules = false;
                } else {
                    self.show_about = false;
                }
            }
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let shortcut = |modifiers, key| KeyboardShortcut::new(modifiers, key);
        let ctrl_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        let table: [(KeyboardShortcut, Action); 11] = [
            (shortcut(ctrl_shift, Key::S), Action::ChooseFileToSave),
            (shortcut(ctrl_shift, Key::Z), Action::Redo),
            (shortcut(ctrl_shift, Key::C), Action::CopyTable),
            (shortcut(Modifiers::COMMAND, Key::S), Action::Save),
            (
                shortcut(Modifiers::COMMAND, Key::O),
                Action::ChooseFileToOpen,
            ),
            (shortcut(Modifiers::COMMAND, Key::N), Action::ChooseTemplate),
            (shortcut(Modifiers::COMMAND, Key::Z), Action::Undo),
            (shortcut(Modifiers::COMMAND, Key::Y), Action::Redo),
            (shortcut(Modifiers::NONE, Key::F1), Action::ShowRules),
            (
                shortcut(Modifiers::ALT, Key::ArrowUp),
                Action::MoveSelected(-1),
            ),
            (
                shortcut(Modifiers::ALT, Key::ArrowDown),
                Action::MoveSelected(1),
            ),
        ];
        for (keys, action) in table {
            if ctx.input_mut(|i| i.consume_shortcut(&keys)) {
                actions.push(action);
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if self.editor.doc().panel.is_some() {
            // Onto a panel, dropped files are its experts' files.
            actions.extend(dropped.into_iter().map(Action::AddExpert));
        } else if let Some(path) = dropped.into_iter().next() {
            actions.push(Action::Open(path));
        }
    }

    fn window_title(&self) -> String {
        let star = if self.editor.is_dirty() { " *" } else { "" };
        format!("{}{star} — 绩效评价", self.display_name())
    }

    fn status_ui(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            match &self.path {
                Some(path) => ui.label(path.display().to_string()),
                None => ui.label(format!("{}（尚未保存为文件）", self.untitled_name)),
            };
            ui.separator();
            if self.editor.is_dirty() {
                ui.colored_label(crate::ui::WARNING_COLOR, "未保存");
            } else {
                ui.label("已保存");
            }
            if let Some(at) = self.last_autosave() {
                ui.separator();
                ui.label(format!("自动恢复副本：{} 秒前", at.elapsed().as_secs()));
            }
            if let Some(job) = &self.export_job {
                ui.separator();
                ui.spinner();
                ui.label(format!("正在导出“{}”…", job.path.display()));
            }
            if let Some(error) = self.table.draft_error(self.editor.doc()) {
                ui.separator();
                ui.colored_label(ERROR_COLOR, error);
            }
        });
    }

    fn notices_ui(&mut self, ui: &mut egui::Ui) {
        let mut dismissed = None;
        for (index, notice) in self.notices.iter().enumerate() {
            let color = if notice.is_error {
                ERROR_COLOR
            } else {
                ui.visuals().hyperlink_color
            };
            egui::Frame::new()
                .fill(color.gamma_multiply(0.12))
                .stroke(egui::Stroke::new(1.0, color))
                .corner_radius(4.0)
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        if ui.small_button("关闭").clicked() {
                            dismissed = Some(index);
                        }
                        ui.add(egui::Label::new(RichText::new(&notice.text).color(color)).wrap());
                    });
                });
            ui.add_space(4.0);
        }
        if let Some(index) = dismissed {
            self.notices.remove(index);
        }
    }

    fn empty_ui(ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("还没有指标");
            ui.label("从模板新建，打开评价文件或表格，或者把文件拖到这里。");
            ui.add_space(8.0);
            if ui.button("新建…").clicked() {
                actions.push(Action::ChooseTemplate);
            }
            if ui.button("打开…").clicked() {
                actions.push(Action::ChooseFileToOpen);
            }
            if ui.button("添加一级指标").clicked() {
                actions.push(Action::AddSibling);
            }
        });
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        match &mut self.dialog {
            Dialog::None => {}
            Dialog::Templates => {
                if !dialogs::template_chooser_ui(ctx, actions) {
                    self.dialog = Dialog::None;
                }
            }
            Dialog::File(dialog) => {
                match dialogs::file_dialog_ui(ctx, dialog, &self.prefs.recent) {
                    Outcome::Open => {}
                    Outcome::Done(path) => {
                        let mode = dialog.mode;
                        self.dialog = Dialog::None;
                        actions.push(match mode {
                            FileMode::Open => Action::Open(path),
                            FileMode::Save => Action::SaveTo(path),
                            FileMode::Expert(None) => Action::AddExpert(path),
                            FileMode::Expert(Some(index)) => Action::ReplaceExpert(index, path),
                            FileMode::Export(format) => Action::ExportTo(format, path),
                        });
                    }
                    Outcome::Cancelled => {
                        self.dialog = Dialog::None;
                        self.pending = None;
                    }
                }
            }
            Dialog::Unsaved => {
                let name = self.display_name();
                match dialogs::unsaved_prompt_ui(ctx, &name) {
                    None => {}
                    Some(SaveChoice::Save) => {
                        self.dialog = Dialog::None;
                        if self.save()
                            && let Some(pending) = self.pending.take()
                        {
                            self.perform_discarding(pending);
                        }
                    }
                    Some(SaveChoice::Discard) => {
                        self.dialog = Dialog::None;
                        if let Some(pending) = self.pending.take() {
                            self.perform_discarding(pending);
                        }
                    }
                    Some(SaveChoice::Cancel) => {
                        self.dialog = Dialog::None;
                        self.pending = None;
                    }
                }
            }
            Dialog::Delete(id) => {
                let id = *id;
                let name = self
                    .editor
                    .doc()
                    .find(id)
                    .map(|n| n.name.clone())
                    .unwrap_or_default();
                if let Some(answer) = dialogs::delete_prompt_ui(ctx, &name) {
                    self.dialog = Dialog::None;
                    if answer {
                        self.delete(id);
                    }
                }
            }
            Dialog::Recovery(description) => {
                let description = description.clone();
                if let Some(restore) = dialogs::recovery_prompt_ui(ctx, &description) {
                    self.dialog = Dialog::None;
                    self.answer_recovery(restore);
                }
            }
        }
        if self.show_info {
            let mut open = true;
            egui::Window::new("项目信息")
                .open(&mut open)
                .show(ctx, |ui| {
                    info_ui(ui, self.editor.doc(), &mut self.info, actions);
                });
            self.show_info = open;
        }
        dialogs::rules_ui(ctx, &mut self.show_rules);
        dialogs::about_ui(ctx, &mut self.show_about);
    }

    /// What, when it changes during a pass, makes the pass worth drawing again.
    fn fingerprint(
        &self,
    ) -> (
        u64,
        usize,
        std::mem::Discriminant<Dialog>,
        bool,
        Option<NodeId>,
    ) {
        (
            self.editor.revision(),
            self.notices.len(),
            std::mem::discriminant(&self.dialog),
            self.path.is_some(),
            self.table.selected,
        )
    }

    /// One frame of the whole window. eframe calls it through [`eframe::App::ui`]; tests
    /// and benchmarks call it directly.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut actions = Vec::new();
        let before = self.fingerprint();

        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.editor.is_dirty() {
                self.outbox
                    .push(Outbound::Viewport(egui::ViewportCommand::CancelClose));
                self.guard(Action::Quit);
            } else {
                self.remove_recovery();
            }
        }
        if self.dialog == Dialog::None {
            self.shortcuts(&ctx, &mut actions);
        }
        if !ctx.text_edit_focused() && ctx.input(|i| i.key_pressed(Key::Escape)) {
            self.close_topmost();
        }

        egui::Panel::top("菜单栏").show(ui, |ui| {
            let cx = MenuContext {
                editor: &self.editor,
                recent: &self.prefs.recent,
                has_selection: self.table.selected.is_some(),
                dark: self.prefs.dark,
                zoom: ctx.zoom_factor(),
            };
            menu_ui(ui, &cx, &mut actions);
        });
        egui::Panel::bottom("状态栏").show(ui, |ui| self.status_ui(ui));
        egui::Panel::right("汇总")
            .resizable(true)
            .default_size(330.0)
            .min_size(260.0)
            .show(ui, |ui| summary_ui(ui, &self.editor, &mut actions));
        egui::CentralPanel::default().show(ui, |ui| {
            self.notices_ui(ui);
            ui.horizontal(|ui| {
                let name = &self.editor.doc().info.name;
                ui.heading(if name.is_empty() {
                    "（未填写项目名称）"
                } else {
                    name.as_str()
                });
                if ui.button("项目信息…").clicked() {
                    actions.push(Action::ShowInfo);
                }
                ui.separator();
                if self.editor.doc().panel.is_some() {
                    ui.selectable_value(&mut self.view, View::Panel, "专家组");
                }
                ui.selectable_value(&mut self.view, View::Table, "评分表");
                ui.selectable_value(&mut self.view, View::Form, "自评表");
                ui.selectable_value(&mut self.view, View::Charts, "图表");
            });
            ui.add_space(4.0);
            if self.view == View::Panel && self.editor.doc().panel.is_some() {
                panel_ui(
                    ui,
                    &self.editor,
                    &mut self.panel_view,
                    &mut self.table,
                    &mut actions,
                );
            } else if self.editor.doc().indicators.is_empty() {
                Self::empty_ui(ui, &mut actions);
            } else {
                match self.view {
                    View::Table | View::Panel => {
                        table_ui(ui, &self.editor, &mut self.table, &mut actions)
                    }
                    View::Charts => crate::ui::charts::charts_ui(ui, &self.editor),
                    View::Form => self_form_ui(
                        ui,
                        &self.editor,
                        &mut self.form,
                        &mut self.table,
                        &mut actions,
                    ),
                }
            }
        });
        self.dialogs_ui(&ctx, &mut actions);

        // Typing into a new cell starts a new undo step.
        let focus = ctx.memory(|m| m.focused());
        if focus != self.last_focus {
            self.editor.seal();
            self.last_focus = focus;
        }

        for action in actions {
            self.handle(action, &ctx);
        }
        self.autosave(&ctx);
        self.poll_export(&ctx);
        if self.fingerprint() != before {
            // Show the new totals, message or dialog in this same frame, not the next.
            // What this pass would tell the system waits for the pass that is shown,
            // since a discarded pass's output is dropped.
            ctx.request_discard("文档或对话框已改变");
            // Where another pass is not allowed this frame, the next frame comes at once.
            ctx.request_repaint();
            return;
        }
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        for outbound in self.outbox.drain(..) {
            match outbound {
                Outbound::Viewport(command) => ctx.send_viewport_cmd(command),
                Outbound::Copy(text) => ctx.copy_text(text),
            }
        }
    }
}

impl eframe::App for JixiaoApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
        self.import_report.ui(ui.ctx());
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

/// Starts the window, opening `file` if given. Without a display it says so in one line.
pub fn run(file: Option<PathBuf>) -> Result<(), String> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
        && std::env::var_os("WAYLAND_SOCKET").is_none()
    {
        return Err("没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口。不用窗口也可以使用命令行，见 jixiao --help".to_owned());
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("绩效评价")
            .with_app_id("jixiao")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "jixiao",
        options,
        Box::new(move |cc| Ok(Box::new(JixiaoApp::new(cc, file, Settings::default())))),
    )
    .map_err(|err| format!("无法打开窗口（{err}）。没有图形界面时可以使用命令行，见 jixiao --help"))
}
