//! The panel shown after a table is imported: which row was the header, what each column
//! became, the budget block, how many indicators were read and every row that was skipped.

use eframe::egui;

use crate::import::ImportReport;

/// The last import's report, while its panel is open.
#[derive(Default)]
pub struct ImportReportPanel {
    report: Option<ImportReport>,
}

impl ImportReportPanel {
    /// Shows `report` (or closes the panel for a document that was not imported).
    pub fn set(&mut self, report: Option<ImportReport>) {
        self.report = report;
    }

    pub fn is_open(&self) -> bool {
        self.report.is_some()
    }

    /// A folded window in the lower right; 关闭 hides it until the next import.
    pub fn ui(&mut self, ctx: &egui::Context) {
        let Some(report) = &self.report else { return };
        let mut close = false;
        // Folded in a corner at first, so it never covers the table being worked on.
        egui::Window::new("导入识别结果")
            .collapsible(true)
            .default_open(false)
            .resizable(true)
            .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -36.0])
            .default_width(420.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| report_ui(ui, report));
                ui.separator();
                if ui.button("关闭").clicked() {
                    close = true;
                }
            });
        if close {
            self.report = None;
        }
    }
}

fn report_ui(ui: &mut egui::Ui, report: &ImportReport) {
    if !report.source.is_empty() {
        ui.label(format!("读取：{}", report.source));
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
