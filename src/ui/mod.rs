//! The window's panels, one file each. They draw the document and emit [`Action`]s;
//! only [`crate::app`] applies them.

pub mod charts;
pub mod columns;
pub mod commands;
pub mod dialogs;
pub mod expert_file;
pub mod import_report;
pub mod info;
pub mod library_view;
pub mod menu;
pub mod number_field;
pub mod overview_view;
pub mod panel_view;
pub mod self_form;
pub mod start;
pub mod summary;
pub mod table;

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use crate::command::Edit;
use crate::model::{NodeId, Rating};

/// Everything the UI asks the app to do. Panels push these; the app applies them in one
/// place at the end of the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Edit(Edit),
    Undo,
    Redo,
    /// Shows the template chooser.
    ChooseTemplate,
    /// Starts a new document from a template (by index) or an empty tree (`None`).
    New(Option<usize>),
    /// Shows the 打开 dialog (path field, recent files, 浏览…).
    ChooseFileToOpen,
    Open(PathBuf),
    /// 打开文件夹（汇总）…: asks which folder.
    ChooseFolder,
    /// Reads every evaluation under the folder into the 汇总 view.
    OpenFolder(PathBuf),
    /// The same for folders dropped on the window.
    OpenFolders(Vec<PathBuf>),
    /// Shows the 汇总 view again (after opening one of its projects).
    ShowOverview,
    /// Stops reading a folder.
    CancelOverview,
    Save,
    ChooseFileToSave,
    SaveTo(PathBuf),
    Quit,
    Select(NodeId),
    /// Adds an indicator after the selected one (or at the top level).
    AddSibling,
    /// Adds an indicator below the selected one.
    AddChild,
    /// Deletes the selected indicator, asking first when it carries scores.
    DeleteSelected,
    MoveSelected(isize),
    ExpandAll,
    CollapseAll,
    SetDark(bool),
    Zoom(f32),
    ShowInfo,
    ShowRules,
    ShowAbout,
    /// Starts a new, empty expert panel.
    NewPanel,
    /// Asks for an expert's file: a new expert (`None`) or a newer file for expert `i`.
    ChooseExpertFile(Option<usize>),
    AddExpert(PathBuf),
    ReplaceExpert(usize, PathBuf),
    RemoveExpert(usize),
    /// The secretary counts an expert's file changed after it was submitted, for a reason.
    AcceptExpert {
        expert: String,
        reason: String,
    },
    SetPanelMethod(crate::panel::Method),
    /// The share of 分值 beyond which a spread is flagged.
    SetPanelThreshold(rust_decimal::Decimal),
    /// Shows 准备专家评分文件: one file per expert from the open plan.
    ChoosePrepare,
    /// Asks for the table an expert scored on paper or in Excel.
    ChooseFillTable,
    /// Puts that table's scores and reasons into the open expert file.
    FillFrom(PathBuf),
    /// 提交评分: checks the open file, then asks before it seals and saves it.
    Submit,
    /// 撤回提交.
    Withdraw,
    /// Shows 修改记录.
    ShowHistory,
    /// Shows or hides the 指标库 panel.
    ToggleLibrary,
    /// Reads the 指标库 again (after it could not be read).
    ReloadLibrary,
    /// Asks for a folder to add to the 指标库.
    ChooseLibraryFolder,
    AddLibraryFolder(PathBuf),
    /// Inserts the 指标库's entry (by key) at the table's selected place.
    InsertFromLibrary(String),
    /// Inserts the whole 二级 group the entry's most common use sits in.
    InsertGroupFromLibrary(String),
    /// A 指标库 entry dropped on a row of the table: inserted there.
    DropFromLibrary(String, NodeId),
    /// Changes what the user decided about a 指标库 entry.
    CurateLibrary(String, crate::library::Curation),
    /// Asks where to export in this format.
    ChooseExportFile(crate::export::Format),
    ExportTo(crate::export::Format, PathBuf),
    /// Copies the scoring table to the clipboard as tab-separated text.
    CopyTable,
    /// Renames the selected indicator in place (F2), its name selected.
    RenameSelected,
    ShowShortcuts,
    /// Opens the bundled example: the published 精准帮扶 evaluation, scored.
    OpenExample,
    /// Shows a message (`true`: an error).
    Notify(String, bool),
}

/// The Simplified Chinese font shipped with the program: Noto Sans CJK SC cut down to
/// GBK (see assets/fonts/make_font.py and OFL.txt).
const CHINESE_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-GBK.otf");

/// Fonts the system may have that cover characters beyond GBK (rare characters in
/// names); the first one found is used after the shipped font.
const SYSTEM_FALLBACKS: &[(&str, u32)] = &[
    ("C:\\Windows\\Fonts\\msyh.ttc", 0),
    ("C:\\Windows\\Fonts\\simsun.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
];

/// egui's fonts with the Chinese font first in both families, so Chinese text is never
/// drawn as boxes.
pub fn install_fonts(ctx: &egui::Context, system_fonts: bool) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "noto-sans-sc".to_owned(),
        Arc::new(egui::FontData::from_static(CHINESE_FONT)),
    );
    let mut names = vec!["noto-sans-sc".to_owned()];
    if let Some((bytes, index)) = SYSTEM_FALLBACKS
        .iter()
        .filter(|_| system_fonts)
        .find_map(|(path, index)| std::fs::read(path).ok().map(|bytes| (bytes, *index)))
    {
        let mut data = egui::FontData::from_owned(bytes);
        data.index = index;
        fonts
            .font_data
            .insert("system-cjk".to_owned(), Arc::new(data));
        names.push("system-cjk".to_owned());
    }
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        for (position, name) in names.iter().enumerate() {
            list.insert(position, name.clone());
        }
    }
    ctx.set_fonts(fonts);
}

/// The window's look beyond egui's defaults: scroll bars that are always drawn, so that
/// a table or a reason that goes on beyond its frame shows it (egui's floating bars
/// appear only under the mouse).
pub fn install_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| style.spacing.scroll = egui::style::ScrollStyle::solid());
}

/// The colour of a rating badge by its place in the scale: green for the best (优), blue
/// for the next (良), red for the lowest (差), amber between (中, 合格).
pub fn rating_color(rating: &Rating) -> egui::Color32 {
    if rating.is_best() {
        egui::Color32::from_rgb(0x2e, 0x7d, 0x32)
    } else if rating.is_lowest() {
        egui::Color32::from_rgb(0xc6, 0x28, 0x28)
    } else if rating.rank == 1 {
        egui::Color32::from_rgb(0x15, 0x65, 0xc0)
    } else {
        egui::Color32::from_rgb(0xef, 0x8f, 0x00)
    }
}

/// Red for errors and flagged cells, readable on light and dark backgrounds.
pub const ERROR_COLOR: egui::Color32 = egui::Color32::from_rgb(0xd3, 0x2f, 0x2f);
/// Amber for warnings.
pub const WARNING_COLOR: egui::Color32 = egui::Color32::from_rgb(0xe6, 0x8a, 0x00);

/// Gives a widget that shows no label of its own the name a screen reader (and a UI
/// test) finds it by.
pub fn name_widget(response: &egui::Response, kind: egui::Role, name: impl Into<String>) {
    let name = name.into();
    let enabled = response.enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(kind, enabled, name.clone()));
}
