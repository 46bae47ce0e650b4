//! The eframe application: owns the document, applies every action the panels emit in
//! one place, and looks after files, undo, autosave and recovery.
//!
//! `impl JixiaoApp` is split by concern: `files` (open, save, new), `recovery`
//! (autosave and the copies left by closed windows), `jobs` (exports beside the
//! window), `experts` (an expert panel's files), `handle` (applying actions),
//! `dialogs` (the one dialog open at a time) and `layout` (one frame of the window).

mod correction;
mod dialogs;
mod experts;
mod files;
mod handle;
mod jobs;
mod layout;
mod library;
mod overview;
mod recovery;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui;
use serde::{Deserialize, Serialize};

use crate::command::Editor;
use crate::model::{Evaluation, EvaluationKind, NodeId};
use crate::recovery::Recovery;
use crate::ui::info::InfoState;
use crate::ui::install_fonts;
use crate::ui::panel_view::PanelViewState;
use crate::ui::self_form::FormState;
use crate::ui::table::TableState;

use dialogs::Dialog;
use jobs::ExportJob;

/// How often a recovery copy is written while there are unsaved changes.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);
/// How many recent files the 文件 menu remembers.
const RECENT_LIMIT: usize = 10;
/// How long a message stays before it fades away (errors stay until closed).
const NOTICE_FOR: Duration = Duration::from_secs(8);

/// Where and how often the app keeps recovery copies; tests point it at a temporary folder.
#[derive(Clone, Debug)]
pub struct Settings {
    pub recovery_dir: Option<PathBuf>,
    pub autosave_every: Duration,
    /// Whether the system's CJK fonts may fill in characters the shipped font lacks.
    /// Tests turn it off to prove the shipped font covers every label.
    pub system_fonts: bool,
    /// How long opening a file may hold the window before it is shown as 正在打开 and
    /// read beside it: about a frame.
    pub open_wait: Duration,
    /// The 指标库 file; tests point it at a temporary folder.
    pub library: Option<PathBuf>,
    /// The folder of saved 识别方式 (layout profiles); tests point it at a temporary one.
    pub layouts: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            recovery_dir: eframe::storage_dir("jixiao").map(|dir| dir.join("recovery")),
            autosave_every: AUTOSAVE_EVERY,
            system_fonts: true,
            open_wait: Duration::from_millis(16),
            library: crate::library::default_path(),
            layouts: crate::storage::data_dir().map(|dir| dir.join("识别方式")),
        }
    }
}

/// What survives a restart besides documents (the table's column widths are kept by
/// egui's own memory).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Prefs {
    recent: Vec<PathBuf>,
    dark: bool,
    zoom: Option<f32>,
    /// The folder the last expert's file came from.
    expert_dir: Option<PathBuf>,
}

const PREFS_KEY: &str = "jixiao-prefs";

/// A message shown in the window, one line, the latest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    /// When it was given; other than errors, a message fades after eight seconds.
    pub at: Instant,
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
    /// 汇总: every evaluation of a folder.
    Overview,
}

/// What the app tells the system (window, clipboard), sent with the pass that is shown.
#[derive(Debug)]
enum Outbound {
    Viewport(egui::ViewportCommand),
    Copy(String),
}

/// Windows beside the document that are not dialogs: they take no keyboard from it.
#[derive(Clone, Copy, Debug, Default)]
struct Windows {
    info: bool,
    /// The 指标库 panel beside the table.
    library: bool,
    /// 修改记录.
    history: bool,
    rules: bool,
    shortcuts: bool,
    about: bool,
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
    dialog: Dialog,
    /// Set when a dialog opens, so it takes the keyboard (focus) on its first frame.
    dialog_fresh: bool,
    windows: Windows,
    /// The revision last written as a recovery copy, and when.
    autosaved: Option<(u64, Instant)>,
    dirty_since: Option<Instant>,
    allow_close: bool,
    export_job: Option<ExportJob>,
    open_job: Option<jobs::OpenJob>,
    overview: crate::ui::overview_view::OverviewState,
    overview_job: Option<overview::OverviewJob>,
    outbox: Vec<Outbound>,
    title: String,
    last_focus: Option<egui::Id>,
    /// Set when a document replaces the last one; the next frame starts its cells clean.
    fresh_document: bool,
    /// What the last table import recognized, shown in its own window.
    import_report: crate::ui::import_report::ImportReportPanel,
    /// The saved 识别方式 the last import tried, by name.
    import_profiles: Vec<(String, crate::import::Layout)>,
    library: Option<crate::library::Library>,
    /// Changes whenever `library` is replaced, for the views that cache searches.
    library_generation: u64,
    library_job: Option<library::LibraryJob>,
    /// Why the library could not be read, shown in its panel with 重试.
    library_error: Option<String>,
    library_view: crate::ui::library_view::LibraryViewState,
}

impl JixiaoApp {
    /// The app as eframe starts it: fonts, saved preferences, an optional file to open.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        file: Option<PathBuf>,
        settings: Settings,
    ) -> Self {
        install_fonts(&cc.egui_ctx, settings.system_fonts);
        crate::ui::install_style(&cc.egui_ctx);
        // Zoom keys are commands of the window (and remembered), not egui's own.
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
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
            settings,
            dialog: Dialog::None,
            dialog_fresh: false,
            windows: Windows::default(),
            autosaved: None,
            dirty_since: None,
            allow_close: false,
            export_job: None,
            open_job: None,
            overview: Default::default(),
            overview_job: None,
            outbox: Vec::new(),
            title: String::new(),
            last_focus: None,
            fresh_document: false,
            import_report: Default::default(),
            import_profiles: Vec::new(),
            library: None,
            library_generation: 0,
            library_job: None,
            library_error: None,
            library_view: Default::default(),
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

    /// The messages shown, the latest first.
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
        self.fresh_document = true;
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

    /// Shows a one-line message above the table; the latest comes first.
    fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        let text = text.into();
        self.notices.retain(|n| n.text != text);
        self.notices.insert(
            0,
            Notice {
                text,
                is_error,
                at: Instant::now(),
            },
        );
        self.notices.truncate(3);
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
}

impl eframe::App for JixiaoApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
        if let Some(action) = self.import_report.ui(ui.ctx()) {
            self.correct_import(action);
        }
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
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("绩效评价")
        .with_app_id("jixiao")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([800.0, 500.0])
        .with_drag_and_drop(true);
    // The task bar's icon (assets/icon; the desktop file and jixiao.exe carry their own).
    if let Ok(icon) =
        eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon/jixiao-64.png"))
    {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "jixiao",
        options,
        Box::new(move |cc| Ok(Box::new(JixiaoApp::new(cc, file, Settings::default())))),
    )
    // eframe's reason is English and technical: it goes on a line of its own, for a
    // bug report, after what the user can do.
    .map_err(|err| {
        format!(
            "无法打开窗口：连不上图形显示，或显卡驱动不支持 OpenGL 2.0。没有图形界面时可以使用命令行，见 jixiao --help\n详细信息：{err}"
        )
    })
}
