//! The 项目信息 form and the rating thresholds.

use std::str::FromStr;

use eframe::egui;
use rust_decimal::Decimal;

use super::{Action, ERROR_COLOR};
use crate::command::Edit;
use crate::model::{Evaluation, EvaluationKind, Thresholds};

/// Text typed into the number fields that is not (yet) a number.
#[derive(Debug, Default)]
pub struct InfoState {
    budget_text: Option<String>,
    threshold_texts: [Option<String>; 3],
}

pub fn info_ui(
    ui: &mut egui::Ui,
    doc: &Evaluation,
    state: &mut InfoState,
    actions: &mut Vec<Action>,
) {
    let mut info = doc.info.clone();
    let mut changed = false;
    egui::Grid::new("项目信息")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            for (label, value) in [
                ("项目名称", &mut info.name),
                ("项目单位", &mut info.unit),
                ("主管部门", &mut info.department),
                ("项目类型", &mut info.project_type),
                ("评价年度", &mut info.year),
                ("评价人", &mut info.evaluator),
            ] {
                let label = ui.label(label);
                changed |= ui
                    .add(egui::TextEdit::singleline(value).desired_width(320.0))
                    .labelled_by(label.id)
                    .changed();
                ui.end_row();
            }

            let label = ui.label("评价类型");
            ui.horizontal(|ui| {
                for kind in [EvaluationKind::Expert, EvaluationKind::SelfAssessment] {
                    changed |= ui.radio_value(&mut info.kind, kind, kind.label()).changed();
                }
            })
            .response
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("预算金额（元）");
            let mut text = state
                .budget_text
                .clone()
                .unwrap_or_else(|| info.budget_yuan.map(|b| b.to_string()).unwrap_or_default());
            let response = ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(320.0))
                .labelled_by(label.id);
            if response.changed() {
                let cleaned: String = text
                    .chars()
                    .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
                    .collect();
                if cleaned.is_empty() {
                    info.budget_yuan = None;
                    state.budget_text = None;
                    changed = true;
                } else if let Ok(value) = Decimal::from_str(&cleaned) {
                    info.budget_yuan = Some(value);
                    state.budget_text = Some(text);
                    changed = true;
                } else {
                    state.budget_text = Some(text);
                }
            }
            if response.lost_focus() {
                state.budget_text = None;
            }
            ui.end_row();
        });
    if let Some(text) = &state.budget_text
        && Decimal::from_str(&text.replace([',', '，', ' '], "")).is_err()
    {
        ui.colored_label(ERROR_COLOR, format!("预算金额“{text}”不是数字"));
    }
    if changed {
        actions.push(Action::Edit(Edit::SetInfo(info)));
    }

    ui.add_space(10.0);
    ui.strong("绩效评定级别的分数线（含下限）");
    let mut thresholds: Thresholds = doc.thresholds;
    let mut thresholds_changed = false;
    ui.horizontal(|ui| {
        let fields = [
            ("优 ≥", &mut thresholds.excellent),
            ("良 ≥", &mut thresholds.good),
            ("中 ≥", &mut thresholds.fair),
        ];
        for (index, (label, value)) in fields.into_iter().enumerate() {
            let label = ui.label(label);
            let mut text = state.threshold_texts[index]
                .clone()
                .unwrap_or_else(|| value.to_string());
            let response = ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(48.0))
                .labelled_by(label.id);
            if response.changed() {
                if let Ok(parsed) = Decimal::from_str(text.trim()) {
                    *value = parsed;
                    thresholds_changed = true;
                }
                state.threshold_texts[index] = Some(text);
            }
            if response.lost_focus() {
                state.threshold_texts[index] = None;
            }
        }
        ui.label("差：低于中");
    });
    if thresholds_changed {
        actions.push(Action::Edit(Edit::SetThresholds(thresholds)));
    }
}
