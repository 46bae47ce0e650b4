//! The 专家组 view: the experts' files, one column per expert, the panel score, 分值 and
//! the spread, flagged rows highlighted; a row opens every expert's reason side by side
//! and the agreed 扣分理由.

use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use rust_decimal::Decimal;

use super::table::{TableState, text_cell_ui};
use super::{Action, ERROR_COLOR, WARNING_COLOR};
use crate::command::{Editor, TextField};
use crate::panel::{self, Method, PanelRow};
use crate::scoring::format2;

/// The rows of the panel table, rebuilt only when the document changes.
#[derive(Debug, Default)]
pub struct PanelViewState {
    revision: Option<u64>,
    rows: Vec<PanelRow>,
}

pub fn panel_ui(
    ui: &mut egui::Ui,
    editor: &Editor,
    view: &mut PanelViewState,
    table: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let doc = editor.doc();
    let Some(info) = &doc.panel else { return };
    if view.revision != Some(editor.revision()) {
        view.rows = panel::rows(doc);
        view.revision = Some(editor.revision());
    }

    ui.horizontal(|ui| {
        ui.strong(format!("专家（{} 位）", info.experts.len()));
        if ui.button("添加专家文件…").clicked() {
            actions.push(Action::ChooseExpertFile(None));
        }
        ui.separator();
        let label = ui.label("合并方法");
        let mut method = info.method;
        egui::ComboBox::from_id_salt("合并方法")
            .selected_text(method.label())
            .show_ui(ui, |ui| {
                for option in [Method::BySize, Method::Mean, Method::TrimmedMean] {
                    ui.selectable_value(&mut method, option, option.label());
                }
            })
            .response
            .labelled_by(label.id);
        if method != info.method {
            actions.push(Action::SetPanelMethod(method));
        }
    });
    ui.weak(format!(
        "每项指标的专家组得分为各位专家得分的{}，四舍五入保留两位小数；综合得分为各项指标得分之和。最大差超过分值的 {}% 的指标标为红色，请专家组讨论。",
        info.method.label(),
        format2(info.divergence_threshold * Decimal::ONE_HUNDRED)
    ));
    if info.experts.is_empty() {
        ui.add_space(20.0);
        ui.label("还没有专家的评分文件。点“添加专家文件…”，或把各位专家的文件拖到窗口里。");
        return;
    }

    let totals = panel::expert_totals(doc);
    egui::Grid::new("专家列表")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for title in ["专家", "文件", "综合得分", "级别", ""] {
                ui.strong(title);
            }
            ui.end_row();
            for (index, ((name, total, rating), expert)) in
                totals.iter().zip(&info.experts).enumerate()
            {
                ui.label(name);
                let file = std::path::Path::new(&expert.source)
                    .file_name()
                    .map_or_else(
                        || expert.source.clone(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                ui.label(RichText::new(file).weak())
                    .on_hover_text(&expert.source);
                ui.label(total);
                ui.label(rating.as_str());
                ui.horizontal(|ui| {
                    if ui
                        .small_button("更换…")
                        .on_hover_text("专家改了分：换成新文件并重新合并")
                        .clicked()
                    {
                        actions.push(Action::ChooseExpertFile(Some(index)));
                    }
                    if ui.small_button("移除").clicked() {
                        actions.push(Action::RemoveExpert(index));
                    }
                });
                ui.end_row();
            }
        });
    ui.add_space(6.0);

    let mut flagged: Vec<&PanelRow> = view.rows.iter().filter(|r| r.flagged).collect();
    flagged.sort_by_key(|r| std::cmp::Reverse(r.spread_share));
    ui.horizontal_wrapped(|ui| {
        if flagged.is_empty() {
            ui.label("各位专家的评分没有较大分歧。");
            return;
        }
        ui.colored_label(
            ERROR_COLOR,
            format!("分歧较大的指标（{} 项）：", flagged.len()),
        );
        for row in &flagged {
            let name = row.path.rsplit(" / ").next().unwrap_or(&row.path);
            let text = format!(
                "{name} {}%",
                format2(row.spread_share.saturating_mul(Decimal::ONE_HUNDRED))
            );
            if ui.link(text).on_hover_text(&row.path).clicked() {
                table.selected = Some(row.id);
                table.scroll_to_selected();
            }
        }
    });
    ui.add_space(4.0);

    let names: Vec<&str> = info.experts.iter().map(|e| e.name.as_str()).collect();
    let scroll_index = table
        .take_scroll_target()
        .and_then(|id| view.rows.iter().position(|r| r.id == id));
    let row_height = ui.spacing().interact_size.y + 4.0;
    let detail_height = if table.selected.is_some() { 150.0 } else { 0.0 };
    let table_height = (ui.available_height() - detail_height).max(120.0);
    let mut builder = TableBuilder::new(ui);
    if let Some(index) = scroll_index {
        builder = builder.scroll_to_row(index, None);
    }
    builder
        .id_salt("专家评分汇总表")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(table_height)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(260.0).clip(true))
        .column(Column::initial(52.0))
        .columns(Column::initial(64.0), names.len())
        .column(Column::initial(80.0))
        .column(Column::initial(70.0))
        .header(row_height, |mut header| {
            header.col(|ui| {
                ui.strong("指标");
            });
            header.col(|ui| {
                ui.strong("分值");
            });
            for name in &names {
                header.col(|ui| {
                    ui.strong(*name);
                });
            }
            header.col(|ui| {
                ui.strong("专家组得分");
            });
            header.col(|ui| {
                ui.strong("最大差");
            });
        })
        .body(|body| {
            body.rows(row_height, view.rows.len(), |mut table_row| {
                let row = &view.rows[table_row.index()];
                table_row.set_selected(table.selected == Some(row.id));
                let color = row.flagged.then_some(ERROR_COLOR);
                let text = |s: String| match color {
                    Some(c) => RichText::new(s).color(c),
                    None => RichText::new(s),
                };
                table_row.col(|ui| {
                    ui.add(
                        egui::Label::new(text(row.path.clone()))
                            .truncate()
                            .selectable(false),
                    );
                });
                table_row.col(|ui| {
                    ui.label(row.max_points.normalize().to_string());
                });
                for score in &row.scores {
                    table_row.col(|ui| {
                        ui.label(
                            score.map_or_else(|| "未评".to_owned(), |s| s.normalize().to_string()),
                        );
                    });
                }
                table_row.col(|ui| {
                    ui.label(
                        RichText::new(row.panel_score.map(format2).unwrap_or_default()).strong(),
                    );
                });
                table_row.col(|ui| {
                    ui.label(text(format!(
                        "{}%",
                        format2(row.spread_share.saturating_mul(Decimal::ONE_HUNDRED))
                    )));
                });
                if table_row.response().clicked() {
                    table.selected = Some(row.id);
                }
            });
        });

    let Some(selected) = table.selected else {
        return;
    };
    let Some(row) = view.rows.iter().find(|r| r.id == selected) else {
        return;
    };
    let Some(leaf) = doc.find(selected) else {
        return;
    };
    ui.separator();
    ui.horizontal(|ui| {
        ui.strong(&row.path);
        if row.flagged {
            ui.colored_label(WARNING_COLOR, "分歧较大，请讨论");
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("各专家理由")
        .max_height(80.0)
        .show(ui, |ui| {
            for ((name, score), reason) in names.iter().zip(&row.scores).zip(&row.reasons) {
                let score = score.map_or_else(|| "未评".to_owned(), |s| s.normalize().to_string());
                let reason = if reason.trim().is_empty() {
                    "（未写理由）"
                } else {
                    reason.as_str()
                };
                ui.label(format!("{name}（{score} 分）：{reason}"));
            }
        });
    ui.horizontal(|ui| {
        ui.label("专家组意见（扣分理由）");
        text_cell_ui(ui, leaf, TextField::Reason, None, table, actions);
    });
}
