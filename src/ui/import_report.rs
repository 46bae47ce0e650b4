//! The panel shown after a table is imported: the table as it was, row by row, on its
//! own grid, with each column's role and each row's kind changeable (the table is read
//! again with the change), and what was recognized: the header, the budget block, how
//! many indicators were read and every row that was skipped.

use std::path::PathBuf;

use eframe::egui;
use egui_extras::{Column, TableBuilder};

use crate::import::{ImportReport, Layout, Role, RowKind, RowReading};

/// The last import's report, while its panel is open.
#[derive(Default)]
pub struct ImportReportPanel {
    report: Option<ImportReport>,
    /// The table the report is of, read again when a role or a kind is changed.
    source: Option<PathBuf>,
    /// The corrections made so far (from the saved profile the table was read with).
    layout: Layout,
}

/// What the panel asks of the window.
pub enum ReportAction {
    /// Read the table again with these corrections.
    Reread { path: PathBuf, layout: Layout },
    /// Save these corrections as a profile for tables with this header.
    Save { path: PathBuf, layout: Layout },
}

impl ImportReportPanel {
    /// Shows `report` of the table at `source`, read with `layout` (or closes the panel
    /// for a document that was not imported).
    pub fn set(&mut self, report: Option<ImportReport>, source: Option<PathBuf>, layout: Layout) {
        self.report = report;
        self.source = source;
        self.layout = layout;
    }

    /// The report shown, if any.
    pub fn report(&self) -> Option<&ImportReport> {
        self.report.as_ref()
    }

    pub fn is_open(&self) -> bool {
        self.report.is_some()
    }

    /// A folded window in the lower right; 关闭 hides it until the next import.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<ReportAction> {
        let report = self.report.as_ref()?;
        let mut close = false;
        let mut changed = false;
        let mut save = false;
        let layout = &mut self.layout;
        // Folded in a corner at first, so it never covers the table being worked on.
        egui::Window::new("导入识别结果")
            .collapsible(true)
            .default_open(false)
            .resizable(true)
            .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -36.0])
            .default_width(720.0)
            .show(ctx, |ui| {
                ui.label("点选每列的含义和每行是什么，表格会按改后的方式重新读取。");
                egui::ScrollArea::horizontal()
                    .id_salt("原表")
                    .show(ui, |ui| changed = grid_ui(ui, report, layout));
                ui.separator();
                egui::CollapsingHeader::new("识别说明")
                    .default_open(false)
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical()
                            .max_height(240.0)
                            .show(ui, |ui| report_ui(ui, report));
                    });
                ui.horizontal(|ui| {
                    save = ui
                        .button("保存识别方式")
                        .on_hover_text("下次导入表头相同的表格时自动按这种方式读取")
                        .clicked();
                    close = ui.button("关闭").clicked();
                });
            });
        if close {
            self.report = None;
            return None;
        }
        let path = self.source.clone()?;
        let layout = self.layout.clone();
        if changed {
            Some(ReportAction::Reread { path, layout })
        } else if save {
            Some(ReportAction::Save { path, layout })
        } else {
            None
        }
    }
}

/// The table as it was: a header of each column's role, a row per table row with its
/// kind. Returns whether a role or a kind was changed (in `layout`).
fn grid_ui(ui: &mut egui::Ui, report: &ImportReport, layout: &mut Layout) -> bool {
    let width = report
        .rows
        .iter()
        .map(|r| r.cells.len())
        .chain([report.roles.len()])
        .max()
        .unwrap_or(0);
    let mut changed = false;
    TableBuilder::new(ui)
        .id_salt("识别原表")
        .striped(true)
        .max_scroll_height(320.0)
        .column(Column::auto())
        .column(Column::initial(90.0))
        .columns(Column::initial(110.0).resizable(true).clip(true), width)
        .header(44.0, |mut header| {
            header.col(|ui| {
                ui.strong("行");
            });
            header.col(|ui| {
                ui.strong("这一行是");
            });
            for column in 0..width {
                header.col(|ui| {
                    changed |= role_ui(ui, report, layout, column);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, report.rows.len(), |mut row| {
                let Some(reading) = report.rows.get(row.index()) else {
                    return;
                };
                let mut label = None;
                row.col(|ui| {
                    label = Some(ui.label(format!("第{}行", reading.row)).id);
                });
                row.col(|ui| changed |= kind_ui(ui, reading, layout, label));
                for column in 0..width {
                    row.col(|ui| {
                        let text = reading.cells.get(column).map_or("", |c| c.trim());
                        ui.label(text).on_hover_text(text);
                    });
                }
            });
        });
    changed
}

/// A column's role, changeable where its header has text. One column holds each role:
/// another that held it is no longer read.
fn role_ui(ui: &mut egui::Ui, report: &ImportReport, layout: &mut Layout, column: usize) -> bool {
    let label = ui.label(format!("第{}列", column + 1));
    let Some((header, role)) = report.roles.get(column) else {
        ui.weak("—");
        return false;
    };
    if header.is_empty() {
        ui.weak("（空表头）");
        return false;
    }
    let mut chosen = role.unwrap_or(Role::Ignored);
    egui::ComboBox::from_id_salt(("列的含义", column))
        .width(96.0)
        .selected_text(chosen.label())
        .show_ui(ui, |ui| {
            for option in Role::ALL {
                ui.selectable_value(&mut chosen, option, option.label());
            }
        })
        .response
        .labelled_by(label.id);
    if Some(chosen) == *role || (role.is_none() && chosen == Role::Ignored) {
        return false;
    }
    if chosen != Role::Ignored {
        for (other, other_role) in &report.roles {
            if *other_role == Some(chosen) && other != header && !other.is_empty() {
                layout.set_role(other, Role::Ignored);
            }
        }
    }
    layout.set_role(header, chosen);
    true
}

/// A row's kind, changeable below the header.
fn kind_ui(
    ui: &mut egui::Ui,
    reading: &RowReading,
    layout: &mut Layout,
    label: Option<egui::Id>,
) -> bool {
    if matches!(
        reading.kind,
        RowKind::Title | RowKind::Header | RowKind::Blank
    ) {
        ui.weak(reading.kind.label());
        return false;
    }
    let mut chosen = reading.kind;
    let combo = egui::ComboBox::from_id_salt(("行的类型", reading.row))
        .width(80.0)
        .selected_text(reading.kind.label())
        .show_ui(ui, |ui| {
            for option in RowKind::CHOICES {
                ui.selectable_value(&mut chosen, option, option.label());
            }
        })
        .response;
    if let Some(label) = label {
        combo.labelled_by(label);
    }
    if chosen == reading.kind {
        return false;
    }
    layout.set_kind(reading.row, chosen);
    true
}

fn report_ui(ui: &mut egui::Ui, report: &ImportReport) {
    if !report.source.is_empty() {
        ui.label(format!("读取：{}", report.source));
    }
    if let Some(profile) = &report.profile {
        ui.label(format!("识别方式：{profile}"));
    }
    for other in &report.others {
        ui.weak(format!("未读取：{other}"));
    }
    let rows: Vec<String> = report.header_rows.iter().map(|r| r.to_string()).collect();
    ui.label(format!("表头：第 {} 行", rows.join("、")));
    egui::Grid::new("import_columns")
        .striped(true)
        .show(ui, |ui| {
            for (header, meaning) in &report.columns {
                ui.label(if header.is_empty() {
                    "（空表头）"
                } else {
                    header
                });
                ui.label(format!("→ {meaning}"));
                ui.end_row();
            }
        });
    if !report.budget.is_empty() {
        ui.separator();
        ui.strong("资金情况");
        for line in &report.budget {
            ui.label(line);
        }
    }
    ui.separator();
    ui.strong(format!("指标：{} 项", report.indicators));
    for line in &report.shortened {
        ui.colored_label(super::WARNING_COLOR, format!("截短：{line}"));
    }
    if report.skipped.is_empty() {
        ui.label("跳过的行：无");
    } else {
        ui.strong(format!("跳过的行：{} 行", report.skipped.len()));
        for skipped in &report.skipped {
            ui.label(format!(
                "第 {} 行“{}”：{}",
                skipped.row, skipped.text, skipped.why
            ));
        }
    }
}
