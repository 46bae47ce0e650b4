//! The summary panel: 评价内容 / 分值 / 评价得分 / 得分率 per 一级, 综合得分, the rating badge,
//! how many leaves are scored, and the problems, each leading to its indicator.

use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};

use super::{Action, ERROR_COLOR, WARNING_COLOR, rating_color};
use crate::command::Editor;
use crate::number::format2;
use crate::scoring::{INCOMPLETE, Summary, score_rate};
use crate::validate::Severity;

pub fn summary_ui(ui: &mut egui::Ui, editor: &Editor, actions: &mut Vec<Action>) {
    let summary = editor.summary();

    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            ui.label("综合得分");
            ui.label(RichText::new(summary.total_text()).size(34.0).strong());
        });
        ui.add_space(12.0);
        ui.vertical(|ui| {
            ui.label("绩效评定级别");
            badge_ui(ui, summary);
        });
    });
    ui.label(format!(
        "已评 {}/{} 项，满分 {}",
        summary.totals.scored_leaves,
        summary.totals.applicable_leaves,
        format2(summary.totals.max_points)
    ));
    if summary.rated_on_score_rate && summary.totals.applicable_leaves > 0 {
        ui.label(
            RichText::new(format!(
                "分值合计不是 100，按得分率 {}% 评定",
                format2(summary.rated_figure)
            ))
            .color(WARNING_COLOR),
        );
    }
    // What changed the total or the grade beyond the sum: a 一票否决, a rule set's cap or
    // deduction. Each is said where the figure it changed is shown.
    const SHOWN: usize = 5;
    for note in summary.adjustments.iter().take(SHOWN) {
        let color = if note.starts_with("一票否决") {
            ERROR_COLOR
        } else {
            WARNING_COLOR
        };
        ui.add(egui::Label::new(RichText::new(note).color(color)).wrap());
    }
    if summary.adjustments.len() > SHOWN {
        ui.weak(format!(
            "另有 {} 处按规则扣分",
            summary.adjustments.len() - SHOWN
        ));
    }
    ui.add_space(8.0);

    ui.push_id("汇总表", |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .vscroll(false)
            .column(Column::remainder().at_least(80.0).clip(true))
            .columns(Column::auto().at_least(56.0), 3)
            .header(22.0, |mut header| {
                for title in ["评价内容", "分值", "评价得分", "得分率"] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|mut body| {
                for group in &summary.groups {
                    body.row(22.0, |mut row| {
                        row.col(|ui| {
                            if ui.link(&group.name).clicked() {
                                actions.push(Action::Select(group.id));
                            }
                        });
                        row.col(|ui| {
                            ui.label(format2(group.totals.max_points));
                        });
                        row.col(|ui| {
                            ui.label(format2(group.totals.score));
                        });
                        row.col(|ui| {
                            if let Some(rate) =
                                score_rate(group.totals.score, group.totals.max_points)
                            {
                                ui.label(format!("{}%", format2(rate)));
                            }
                        });
                    });
                }
            });
    });

    ui.add_space(10.0);
    ui.separator();
    let problems = editor.problems();
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    ui.horizontal(|ui| {
        ui.strong("问题");
        if problems.is_empty() {
            ui.label("无");
        } else {
            ui.label(format!(
                "{} 个错误，{} 个提醒",
                errors,
                problems.len() - errors
            ));
        }
    });
    if !editor.doc().declared.is_empty()
        && ui
            .small_button("不再核对导入表格中写明的小计")
            .on_hover_text("导入的表格写明了各组的分值、得分和合计，程序据此核对。改过得分后如不再需要核对，可点此清除（可撤销）。")
            .clicked()
    {
        actions.push(Action::Edit(crate::command::Edit::ClearDeclared));
    }
    // One line per problem, and only the lines in view are laid out: an imported table
    // can hold thousands of problems, and the panel is drawn on every frame.
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical()
        .id_salt("问题列表")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, problems.len(), |ui, range| {
            for problem in &problems[range] {
                let color = match problem.severity {
                    Severity::Error => ERROR_COLOR,
                    Severity::Warning => WARNING_COLOR,
                };
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(problem.severity.label())
                            .color(color)
                            .strong(),
                    );
                    let text = format!("{}：{}", problem.path, problem.message);
                    // A long message is cut at the panel's edge; the tooltip has it all.
                    match problem.node {
                        Some(id) => {
                            let link = RichText::new(&text).color(ui.visuals().hyperlink_color);
                            let response = ui
                                .add(
                                    egui::Label::new(link)
                                        .truncate()
                                        .sense(egui::Sense::click()),
                                )
                                .on_hover_cursor(egui::CursorIcon::PointingHand)
                                .on_hover_text(format!("{text}\n（点击转到该指标）"));
                            if response.clicked() {
                                actions.push(Action::Select(id));
                            }
                        }
                        None => {
                            ui.add(egui::Label::new(&text).truncate())
                                .on_hover_text(&text);
                        }
                    }
                });
            }
        });
}

/// The rating badge. Until every applicable leaf is scored the total is a running one:
/// the grade it would give is provisional, shown grey and named only on hover, never as
/// a red 差.
fn badge_ui(ui: &mut egui::Ui, summary: &Summary) {
    let (label, color, size) = match summary.verdict() {
        Some(rating) => (rating.label(), rating_color(rating), 28.0),
        None => (INCOMPLETE, egui::Color32::GRAY, 20.0),
    };
    let badge = egui::Frame::new()
        .fill(color)
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(14, 4))
        .show(ui, |ui| {
            ui.label(
                RichText::new(label)
                    .size(size)
                    .strong()
                    .color(egui::Color32::WHITE),
            );
        });
    if summary.points_missing > 0 {
        badge.response.on_hover_text(format!(
            "{} 项指标没有分值，补上分值后才给出评定级别",
            summary.points_missing
        ));
    } else if summary.verdict().is_none() && summary.totals.scored_leaves > 0 {
        badge.response.on_hover_text(format!(
            "{}，按已评各项暂计为“{}”；全部评完后才给出评定级别",
            summary.progress_text(),
            summary.rating.label()
        ));
    }
}

/// The summary in a narrow strip, while the 指标库 takes the other side of a window
/// too narrow for both panels beside the table: 综合得分, the grade, how many leaves are
/// scored and how many problems there are.
pub fn summary_compact_ui(ui: &mut egui::Ui, editor: &Editor) {
    let summary = editor.summary();
    ui.add_space(6.0);
    ui.label("综合得分");
    ui.label(RichText::new(summary.total_text()).size(28.0).strong());
    ui.label("绩效评定级别");
    badge_ui(ui, summary);
    ui.label(summary.progress_text());
    let problems = editor.problems();
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    if problems.is_empty() {
        ui.label("问题：无");
    } else {
        ui.label(format!(
            "问题：{} 个错误，{} 个提醒",
            errors,
            problems.len() - errors
        ));
    }
    ui.add_space(8.0);
    ui.add(
        egui::Label::new(
            RichText::new("关闭指标库后，这里列出各一级指标的得分和全部问题。").weak(),
        )
        .wrap(),
    );
}
