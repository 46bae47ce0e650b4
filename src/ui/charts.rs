//! The report's figures on screen: 得分率 per 一级 as bars, and what each 一级 contributes
//! to 综合得分 as a pie. Drawing only; the figures come from the summary.

use eframe::egui::{self, Color32, Pos2, RichText, Shape, Stroke};
use egui_plot::{Bar, BarChart, Plot};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::command::Editor;
use crate::number::format2;

const PALETTE: [Color32; 8] = [
    Color32::from_rgb(0x42, 0x85, 0xf4),
    Color32::from_rgb(0xdb, 0x44, 0x37),
    Color32::from_rgb(0xf4, 0xb4, 0x00),
    Color32::from_rgb(0x0f, 0x9d, 0x58),
    Color32::from_rgb(0xab, 0x47, 0xbc),
    Color32::from_rgb(0x00, 0xac, 0xc1),
    Color32::from_rgb(0xff, 0x70, 0x43),
    Color32::from_rgb(0x9e, 0x9d, 0x24),
];

/// An x axis that names bar `i` by `names[i]` and leaves the marks between bars blank.
pub(super) fn category_names(
    names: Vec<String>,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let index = mark.value.round();
        if (mark.value - index).abs() < 1e-6 && index >= 0.0 {
            names.get(index as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

/// A share for drawing only; every figure shown as text stays exact.
fn to_f64(value: Decimal) -> f64 {
    value.to_f64().unwrap_or_default()
}

pub fn charts_ui(ui: &mut egui::Ui, editor: &Editor) {
    let summary = editor.summary();
    if summary.groups.is_empty() {
        ui.label("还没有指标。");
        return;
    }
    ui.columns(2, |columns| {
        let ui = &mut columns[0];
        ui.strong("各一级指标得分率");
        let names: Vec<String> = summary.groups.iter().map(|g| g.name.clone()).collect();
        let bars: Vec<Bar> = summary
            .groups
            .iter()
            .enumerate()
            .map(|(index, group)| {
                let rate = group.totals.score_rate().unwrap_or_default();
                Bar::new(index as f64, to_f64(rate))
                    .name(format!("{} {}%", group.name, format2(rate)))
                    .fill(PALETTE[index % PALETTE.len()])
                    .width(0.6)
            })
            .collect();
        Plot::new("得分率")
            .height(320.0)
            .include_y(0.0)
            .include_y(100.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .y_axis_label("得分率（%）")
            .x_axis_formatter(category_names(names))
            .show(ui, |plot| plot.bar_chart(BarChart::new("得分率", bars)));
        for group in &summary.groups {
            let rate = group
                .totals
                .score_rate()
                .map(|r| format!("{}%", format2(r)))
                .unwrap_or_default();
            ui.label(format!("{}：{}", group.name, rate));
        }

        let ui = &mut columns[1];
        ui.strong("综合得分构成");
        let total = summary.totals.score;
        let (rect, _) = ui.allocate_exact_size(
            egui::vec2(ui.available_width(), 320.0),
            egui::Sense::hover(),
        );
        let center = rect.center();
        let radius = rect.height().min(rect.width()) * 0.45;
        let painter = ui.painter_at(rect);
        if total.is_zero() {
            painter.circle_stroke(center, radius, Stroke::new(1.0, Color32::GRAY));
        } else {
            let mut angle = -std::f32::consts::FRAC_PI_2;
            for (index, group) in summary.groups.iter().enumerate() {
                let share =
                    to_f64(group.totals.score.checked_div(total).unwrap_or_default()) as f32;
                let sweep = share * std::f32::consts::TAU;
                let steps = ((sweep / 0.05).ceil() as usize).max(1);
                let mut points = vec![center];
                for step in 0..=steps {
                    let a = angle + sweep * step as f32 / steps as f32;
                    points.push(Pos2::new(
                        center.x + radius * a.cos(),
                        center.y + radius * a.sin(),
                    ));
                }
                let color = PALETTE[index % PALETTE.len()];
                // One mesh per slice: a fan of triangles sharing their edges, so no seams show.
                let mut mesh = egui::epaint::Mesh::default();
                for point in &points {
                    mesh.colored_vertex(*point, color);
                }
                for k in 1..points.len() as u32 - 1 {
                    mesh.add_triangle(0, k, k + 1);
                }
                painter.add(Shape::mesh(mesh));
                angle += sweep;
            }
        }
        for (index, group) in summary.groups.iter().enumerate() {
            let share = if total.is_zero() {
                String::new()
            } else {
                format!(
                    "（{}%）",
                    format2(
                        group
                            .totals
                            .score
                            .checked_div(total)
                            .unwrap_or_default()
                            .saturating_mul(Decimal::ONE_HUNDRED)
                    )
                )
            };
            ui.label(
                RichText::new(format!(
                    "■ {} {} 分{share}",
                    group.name,
                    format2(group.totals.score)
                ))
                .color(PALETTE[index % PALETTE.len()]),
            );
        }
        ui.label(format!("综合得分 {} 分", summary.total_text()));
    });
}
