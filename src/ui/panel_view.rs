//! The 专家组 view: the experts' files, one column per expert, the panel score, 分值 and
//! the spread, flagged rows highlighted; a row opens every expert's reason side by side
//! and the agreed 扣分理由.

use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use rust_decimal::Decimal;

use egui_plot::{Bar, BarChart, Legend, Plot};
use rust_decimal::prelude::ToPrimitive;

use super::number_field::{Drafts, NumberField, number_field_ui};
use super::table::{TableState, text_cell_ui};
use super::{Action, ERROR_COLOR, WARNING_COLOR};
use crate::command::{Edit, Editor, TextField, check_score};
use crate::number::format2;
use crate::panel::{self, Method, PanelRow, PanelStats};
use crate::submission::SealStatus;

/// How the panel scored, recomputed only when the document changes.
#[derive(Debug, Default)]
pub struct PanelViewState {
    revision: Option<u64>,
    stats: Option<PanelStats>,
    /// Whether the chart of 得分率 per 一级 is shown.
    chart: bool,
    /// The agreed score being typed.
    drafts: Drafts<crate::model::NodeId>,
    /// Whether the view has been drawn since the document opened.
    shown: bool,
    /// The expert whose changed file the secretary is accepting, and the reason typed.
    accepting: Option<(String, String)>,
}

impl PanelViewState {
    /// Whether an agreed score is being typed and not yet in the document.
    pub fn has_uncommitted(&self) -> bool {
        !self.drafts.is_empty()
    }

    /// Whether this is the view's first frame since the document opened: it starts at
    /// its top, not where egui remembers the last document's view was left.
    pub fn first_shown(&mut self) -> bool {
        !std::mem::replace(&mut self.shown, true)
    }

    /// Drops the agreed scores being typed.
    pub fn forget_drafts(&mut self) {
        self.drafts.clear();
    }
}

/// The 专家组 view, drawn in a scroll area whose visible height is `viewport`.
pub fn panel_ui(
    ui: &mut egui::Ui,
    viewport: f32,
    editor: &Editor,
    view: &mut PanelViewState,
    table: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let doc = editor.doc();
    let Some(info) = &doc.panel else { return };
    if view.revision != Some(editor.revision()) || view.stats.is_none() {
        view.stats = Some(panel::statistics(doc));
        view.revision = Some(editor.revision());
    }
    let Some(stats) = view.stats.as_ref() else {
        return;
    };

    // Wraps in a narrow window rather than widening the view (and every column below).
    ui.horizontal_wrapped(|ui| {
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
        ui.separator();
        let label = ui.label("分歧阈值");
        let mut threshold = info.divergence_threshold;
        let percent = |t: Decimal| format!("分值的 {}%", (t * Decimal::ONE_HUNDRED).normalize());
        egui::ComboBox::from_id_salt("分歧阈值")
            .selected_text(percent(threshold))
            .show_ui(ui, |ui| {
                for share in [10, 15, 20, 25, 30] {
                    let option = Decimal::new(share, 2);
                    ui.selectable_value(&mut threshold, option, percent(option));
                }
            })
            .response
            .labelled_by(label.id);
        if threshold != info.divergence_threshold {
            actions.push(Action::SetPanelThreshold(threshold));
        }
    });
    ui.weak(format!(
        "每项指标的专家组得分为各位专家得分的{}，四舍五入保留两位小数；综合得分为各项指标得分之和。最大差超过分值的 {}% 的指标标为红色，请专家组讨论。",
        stats.method.label(),
        format2(info.divergence_threshold * Decimal::ONE_HUNDRED)
    ));
    if info.experts.is_empty() && info.set_aside.is_empty() {
        ui.add_space(20.0);
        ui.label("还没有专家的评分文件。点“添加专家文件…”，或把各位专家的文件拖到窗口里。");
        return;
    }

    experts_ui(ui, info, stats, &mut view.accepting, actions);
    if !stats.missing.is_empty() {
        ui.colored_label(
            WARNING_COLOR,
            format!("尚未收到：{}", stats.missing.join("、")),
        );
    }
    if let Some(waiting) = stats.waiting_text() {
        ui.colored_label(WARNING_COLOR, waiting);
    }
    ui.horizontal(|ui| {
        ui.label(stats.agreement_text(info.divergence_threshold));
        ui.separator();
        ui.toggle_value(&mut view.chart, "各一级指标得分率图");
    });
    if view.chart {
        rates_chart_ui(ui, stats);
    }
    ui.add_space(6.0);

    let mut flagged: Vec<&PanelRow> = stats.rows.iter().filter(|r| r.flagged).collect();
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
            let name = row.path.name();
            let text = format!(
                "{name} {}%",
                format2(row.spread_share.saturating_mul(Decimal::ONE_HUNDRED))
            );
            if ui.link(text).on_hover_text(row.path.to_string()).clicked() {
                table.selected = Some(row.id);
                table.scroll_to_selected();
            }
        }
    });
    ui.add_space(4.0);

    let names: Vec<&str> = info.experts.iter().map(|e| e.name.as_str()).collect();
    let scroll_index = table
        .take_scroll_target()
        .and_then(|id| stats.rows.iter().position(|r| r.id == id));
    let row_height = ui.spacing().interact_size.y + 4.0;
    let detail_height = if table.selected.is_some() { 200.0 } else { 0.0 };
    let used = ui.cursor().top() - ui.min_rect().top();
    let table_height = (viewport - used - detail_height).max(160.0);
    // The indicator column gives way first in a narrow window; past its least width the
    // view scrolls sideways. Each column also takes the spacing after it, and the table
    // its scroll bar.
    let spacing = ui.spacing().item_spacing.x * (4 + names.len()) as f32
        + ui.spacing().scroll.allocated_width();
    let fixed = 52.0 + 80.0 + 64.0 + 64.0 * names.len() as f32 + spacing;
    let indicator_width = (ui.available_width() - fixed).clamp(140.0, 360.0);
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
        // The panel's own figures come first, so that a narrow window still shows them;
        // the experts' columns follow.
        .column(Column::initial(indicator_width).clip(true))
        .column(Column::initial(52.0))
        .column(Column::initial(80.0))
        .column(Column::initial(64.0))
        .columns(Column::initial(64.0), names.len())
        .header(row_height, |mut header| {
            for title in ["指标", "分值", "专家组得分", "最大差"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
            for name in &names {
                header.col(|ui| {
                    ui.strong(*name);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, stats.rows.len(), |mut table_row| {
                let row = &stats.rows[table_row.index()];
                table_row.set_selected(table.selected == Some(row.id));
                let color = row.flagged.then_some(ERROR_COLOR);
                let text = |s: String| match color {
                    Some(c) => RichText::new(s).color(c),
                    None => RichText::new(s),
                };
                table_row.col(|ui| {
                    ui.add(
                        egui::Label::new(text(row.path.to_string()))
                            .truncate()
                            .selectable(false),
                    );
                });
                table_row.col(|ui| {
                    ui.label(row.max_points.normalize().to_string());
                });
                table_row.col(|ui| {
                    let mut figure =
                        RichText::new(row.panel_score.map(format2).unwrap_or_default()).strong();
                    if row.agreed {
                        figure = figure.underline();
                    }
                    ui.label(figure);
                });
                table_row.col(|ui| {
                    ui.label(text(format!(
                        "{}%",
                        format2(row.spread_share.saturating_mul(Decimal::ONE_HUNDRED))
                    )));
                });
                for (index, score) in row.scores.iter().enumerate() {
                    table_row.col(|ui| {
                        let shown =
                            score.map_or_else(|| "未评".to_owned(), |s| s.normalize().to_string());
                        if row.outliers.contains(&index) {
                            ui.label(RichText::new(shown).color(ERROR_COLOR).strong())
                                .on_hover_text("偏离专家组得分最大");
                        } else {
                            ui.label(shown);
                        }
                    });
                }
                if table_row.response().clicked() {
                    table.selected = Some(row.id);
                }
            });
        });

    let Some(selected) = table.selected else {
        return;
    };
    let Some(row) = stats.rows.iter().find(|r| r.id == selected) else {
        return;
    };
    let Some(leaf) = doc.find(selected) else {
        return;
    };
    ui.separator();
    ui.horizontal(|ui| {
        ui.strong(row.path.to_string());
        if row.flagged {
            ui.colored_label(WARNING_COLOR, "分歧较大，请讨论");
        } else if row.diverged {
            ui.weak("分歧较大，已讨论认定");
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
        ui.label("专家组认定得分");
        let field = NumberField {
            id: egui::Id::unique(("专家组认定得分", leaf.id)),
            stored: leaf.scoring.score,
            label: "专家组认定得分",
            hint: Some("未评"),
            allow_blank: true,
        };
        let check = |value| check_score(leaf, value).map_err(|e| e.to_string());
        let size = egui::vec2(90.0, ui.spacing().interact_size.y);
        let output = ui
            .allocate_ui(size, |ui| {
                number_field_ui(ui, &mut view.drafts, leaf.id, &field, &check)
            })
            .inner;
        if let Some(score) = output.commit {
            actions.push(Action::Edit(Edit::SetScore { id: leaf.id, score }));
        }
        if row.agreed {
            ui.weak("（讨论后认定；清空则回到各位专家的结果）");
        } else {
            ui.weak("（各位专家的结果；讨论后如有认定得分请在此填写）");
        }
    });
    ui.horizontal(|ui| {
        ui.label("专家组意见（扣分理由）");
        text_cell_ui(ui, leaf, TextField::Reason, None, table, actions);
    });
}

/// The experts' files, in the order they were added: each counted one with its total,
/// grade, submission and leniency; each set aside (changed after submitting) in red,
/// with what changed and 接受改动… for the secretary.
fn experts_ui(
    ui: &mut egui::Ui,
    info: &panel::PanelInfo,
    stats: &PanelStats,
    accepting: &mut Option<(String, String)>,
    actions: &mut Vec<Action>,
) {
    let file_of = |source: &str| {
        std::path::Path::new(source)
            .file_name()
            .map_or_else(|| source.to_owned(), |n| n.to_string_lossy().into_owned())
    };
    // The counted files and the set-aside ones, back in the order they were added: the
    // index is the one 更换… and 移除 act on.
    let mut entries: Vec<Result<&panel::ExpertStats, &panel::SetAside>> =
        stats.experts.iter().map(Ok).collect();
    for aside in &info.set_aside {
        entries.insert(aside.position.min(entries.len()), Err(aside));
    }
    egui::Grid::new("专家列表")
        .striped(true)
        .num_columns(7)
        .show(ui, |ui| {
            for title in ["专家", "文件", "综合得分", "级别", "提交", "评分倾向", ""]
            {
                ui.strong(title);
            }
            ui.end_row();
            for (index, entry) in entries.iter().enumerate() {
                match entry {
                    Ok(expert) => {
                        ui.label(&expert.name);
                        ui.label(RichText::new(file_of(&expert.source)).weak())
                            .on_hover_text(&expert.source);
                        ui.label(format2(expert.total));
                        ui.label(expert.rating.as_str());
                        match (expert.seal, &expert.sealed_at) {
                            (SealStatus::Ok, Some(at)) => {
                                ui.label("已提交")
                                    .on_hover_text(format!("{at} 提交，封存校验完好"));
                            }
                            (SealStatus::Broken, _) => {
                                ui.colored_label(WARNING_COLOR, "提交后被改动（已接受）")
                                    .on_hover_text(expert.seal_text());
                            }
                            _ => {
                                ui.colored_label(WARNING_COLOR, "未提交");
                            }
                        }
                        let leaning = ui.label(expert.leniency_text());
                        if !expert.outliers.is_empty() {
                            leaning.on_hover_text(format!(
                                "在 {} 项分歧指标上偏离最大：{}",
                                expert.outliers.len(),
                                expert.outliers.join("；")
                            ));
                        }
                    }
                    Err(aside) => {
                        ui.colored_label(ERROR_COLOR, &aside.expert.name);
                        ui.label(RichText::new(file_of(&aside.expert.source)).weak())
                            .on_hover_text(&aside.expert.source);
                        ui.label("未计入");
                        ui.label("");
                        ui.colored_label(ERROR_COLOR, "提交后被改动")
                            .on_hover_text(aside.describe());
                        if ui
                            .small_button("接受改动…")
                            .on_hover_text(
                                "确认改动有效：写明理由后计入专家组得分，理由记入修改记录",
                            )
                            .clicked()
                        {
                            *accepting = Some((aside.expert.name.clone(), String::new()));
                        }
                    }
                }
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
    for aside in &info.set_aside {
        ui.colored_label(ERROR_COLOR, aside.describe());
    }
    let mut close = false;
    if let Some((expert, reason)) = accepting.as_mut() {
        ui.horizontal(|ui| {
            let label = ui.label(format!("接受专家“{expert}”被改动的文件，理由"));
            ui.add(egui::TextEdit::singleline(reason).desired_width(260.0))
                .labelled_by(label.id);
            let ready = !reason.trim().is_empty();
            if ui.add_enabled(ready, egui::Button::new("接受")).clicked() {
                actions.push(Action::AcceptExpert {
                    expert: expert.clone(),
                    reason: reason.trim().to_owned(),
                });
                close = true;
            }
            if ui.button("取消").clicked() {
                close = true;
            }
        });
    }
    if close {
        *accepting = None;
    }
}

/// Each expert's 得分率 per 一级 indicator beside the panel's, as grouped bars.
fn rates_chart_ui(ui: &mut egui::Ui, stats: &PanelStats) {
    let series = stats.experts.len() + 1;
    let width = 0.8 / series as f64;
    let to_f64 = |rate: &Option<Decimal>| rate.and_then(|r| r.to_f64()).unwrap_or_default();
    let mut charts = Vec::with_capacity(series);
    let mut chart = |name: &str, rates: &[Option<Decimal>], index: usize| {
        let offset = (index as f64 - (series as f64 - 1.0) / 2.0) * width;
        let bars: Vec<Bar> = rates
            .iter()
            .enumerate()
            .map(|(group, rate)| {
                let shown = rate.map(|r| format!("{}%", format2(r))).unwrap_or_default();
                Bar::new(group as f64 + offset, to_f64(rate))
                    .width(width * 0.9)
                    .name(format!(
                        "{name} {} {shown}",
                        stats.groups.get(group).map_or("", String::as_str)
                    ))
            })
            .collect();
        let mut chart = BarChart::new(name.to_owned(), bars);
        if index == series - 1 {
            // The panel's own bars stand out, filled.
            let color = egui::Color32::from_gray(90);
            chart = chart.color(color).highlight(true);
        }
        charts.push(chart);
    };
    for (index, expert) in stats.experts.iter().enumerate() {
        chart(&expert.name, &expert.group_rates, index);
    }
    chart("专家组", &stats.panel_rates, stats.experts.len());
    Plot::new("专家得分率")
        .height(220.0)
        .include_y(0.0)
        .include_y(100.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .legend(Legend::default())
        // Room on the right for the legend, beside the last group's bars.
        .include_x(stats.groups.len() as f64 + 0.4)
        .include_x(-0.5)
        .y_axis_label("得分率（%）")
        .x_axis_formatter(super::charts::category_names(stats.groups.clone()))
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}
