//! The 项目信息 form and the rating scale (绩效评定级别: the grades and their lower bounds).

use std::collections::HashMap;

use eframe::egui;
use rust_decimal::Decimal;

use super::{Action, ERROR_COLOR, name_widget};
use crate::command::Edit;
use crate::model::{Evaluation, EvaluationKind, Grade, RatingScale};
use crate::number::parse_decimal;

/// Text typed into the number fields that has not reached the document: the field being
/// typed in, or text that is not a number. It stays, red, after the field loses focus, so
/// nothing typed is lost; it reaches the document on Enter, Tab or focus loss once it reads.
#[derive(Debug, Default)]
pub struct InfoState {
    budget_text: Option<String>,
    /// The lower bound fields of the scale, by grade (0 = the best).
    bound_texts: HashMap<usize, String>,
    /// Set when the form opens: 项目名称 takes the keyboard on the next frame.
    focus_name: bool,
}

impl InfoState {
    /// The form was just opened: its first field, 项目名称, takes the keyboard.
    pub fn focus_first_field(&mut self) {
        self.focus_name = true;
    }
}

pub fn info_ui(
    ui: &mut egui::Ui,
    doc: &Evaluation,
    state: &mut InfoState,
    actions: &mut Vec<Action>,
) {
    let mut info = doc.info.clone();
    let mut changed = false;
    let mut budget_problem = None;
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
                let field = ui
                    .add(egui::TextEdit::singleline(value).desired_width(320.0))
                    .labelled_by(label.id);
                if std::mem::take(&mut state.focus_name) {
                    field.request_focus();
                }
                changed |= field.changed();
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
            if doc.budget_from_block() {
                // One fact, one field: a 自评表's budget is its 全年预算数, typed there.
                let shown = doc
                    .budget_yuan()
                    .map(crate::number::wan_yuan)
                    .unwrap_or_default();
                ui.label(format!("{shown}（自评表“全年预算数”，在自评表中修改）"))
                    .labelled_by(label.id);
                ui.end_row();
                return;
            }
            let shown = info.budget_yuan.map(|b| b.to_string()).unwrap_or_default();
            let outcome = number_field(
                ui,
                &mut state.budget_text,
                &shown,
                320.0,
                FieldName::LabelledBy(label.id),
            );
            match outcome {
                Typed::Committed(value) => {
                    info.budget_yuan = value;
                    changed = true;
                }
                Typed::Invalid(message) => budget_problem = Some(message),
                Typed::Unchanged => {}
            }
            ui.end_row();
        });
    if let Some(message) = budget_problem {
        ui.colored_label(ERROR_COLOR, format!("预算金额{message}"));
    }
    if changed && info != doc.info {
        actions.push(Action::Edit(Edit::SetInfo(info)));
    }

    ui.add_space(10.0);
    scale_ui(ui, &doc.rating_scale, state, actions);
}

/// What happened in a number field this frame.
enum Typed {
    Unchanged,
    /// The text read as this number (or as blank) and left the field.
    Committed(Option<Decimal>),
    /// The text left the field but is not a number: why, in Chinese.
    Invalid(String),
}

/// How a field is named for screen readers (and tests): by a label beside it, or by a
/// name of its own where the grid shows no label.
enum FieldName {
    LabelledBy(egui::Id),
    Named(String),
}

/// A number field with its draft: typing changes only the draft; Enter, Tab or focus loss
/// commits it when it reads as a number and keeps it, red, when it does not.
fn number_field(
    ui: &mut egui::Ui,
    draft: &mut Option<String>,
    shown: &str,
    width: f32,
    name: FieldName,
) -> Typed {
    let mut text = draft.clone().unwrap_or_else(|| shown.to_owned());
    let invalid = draft.is_some() && parse_decimal(&text).is_err();
    let mut edit = egui::TextEdit::singleline(&mut text).desired_width(width);
    if invalid {
        edit = edit.text_color(ERROR_COLOR);
    }
    let response = ui.add(edit);
    let response = match name {
        FieldName::LabelledBy(label) => response.labelled_by(label),
        FieldName::Named(name) => {
            name_widget(&response, egui::Role::TextInput, name);
            response
        }
    };
    if response.changed() {
        *draft = Some(text.clone());
    }
    if let Some(typed) = draft.as_ref() {
        if response.lost_focus() {
            return match parse_decimal(typed) {
                Ok(value) => {
                    *draft = None;
                    Typed::Committed(value)
                }
                Err(err) => Typed::Invalid(err.to_string()),
            };
        }
        if !response.has_focus()
            && let Err(err) = parse_decimal(typed)
        {
            return Typed::Invalid(err.to_string());
        }
    }
    Typed::Unchanged
}

/// The scale editor: one row per grade (name, inclusive lower bound, 删除), the grade
/// below them all, 添加等级, and the two scales people use most.
fn scale_ui(
    ui: &mut egui::Ui,
    current: &RatingScale,
    state: &mut InfoState,
    actions: &mut Vec<Action>,
) {
    ui.strong("绩效评定级别（按得分从高到低，分数线含下限）");
    let mut scale = current.clone();
    let mut changed = false;
    let mut structure_changed = false;
    let mut messages = Vec::new();
    egui::Grid::new("评定等级")
        .num_columns(4)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("");
            ui.label("等级名称");
            ui.label("分数线（≥）");
            ui.end_row();
            let count = scale.grades.len();
            let mut remove = None;
            for (index, grade) in scale.grades.iter_mut().enumerate() {
                let number = index + 1;
                let label = ui.label(format!("第 {number} 级"));
                let name = ui
                    .add(egui::TextEdit::singleline(&mut grade.name).desired_width(96.0))
                    .labelled_by(label.id);
                changed |= name.changed();

                let mut draft = state.bound_texts.remove(&index);
                let shown = grade.min.normalize().to_string();
                let bound_name = FieldName::Named(format!("第 {number} 级分数线"));
                match number_field(ui, &mut draft, &shown, 56.0, bound_name) {
                    Typed::Committed(Some(value)) => {
                        grade.min = value;
                        changed = true;
                    }
                    // A cleared bound goes back to the one in the document.
                    Typed::Committed(None) => {}
                    Typed::Invalid(message) => {
                        messages.push(format!("“{}”的分数线{message}", grade.name));
                    }
                    Typed::Unchanged => {}
                }
                if let Some(text) = draft {
                    state.bound_texts.insert(index, text);
                }
                if count > 1
                    && ui
                        .small_button("删除")
                        .on_hover_text(format!("删除等级“{}”", grade.name))
                        .clicked()
                {
                    remove = Some(index);
                }
                ui.end_row();
            }
            if let Some(index) = remove {
                scale.grades.remove(index);
                changed = true;
                structure_changed = true;
            }

            let label = ui.label("最低一级");
            changed |= ui
                .add(egui::TextEdit::singleline(&mut scale.lowest).desired_width(96.0))
                .labelled_by(label.id)
                .changed();
            ui.label("低于以上各级");
            ui.end_row();
        });
    ui.horizontal(|ui| {
        if ui
            .button("添加等级")
            .on_hover_text("在最低一级之上添加一级")
            .clicked()
        {
            let min = scale.grades.last().map_or(Decimal::from(60), |g| {
                g.min.saturating_sub(Decimal::TEN).max(Decimal::ZERO)
            });
            scale.grades.push(Grade {
                name: "新等级".to_owned(),
                min,
            });
            changed = true;
            structure_changed = true;
        }
        for (title, preset) in [
            ("国家标准：优/良/中/差", RatingScale::default()),
            ("五级：优秀/良好/中/合格/差", five_grades()),
        ] {
            if ui.button(title).clicked() {
                scale = preset;
                changed = true;
                structure_changed = true;
            }
        }
    });
    for message in messages {
        ui.colored_label(ERROR_COLOR, message);
    }
    if structure_changed {
        // The drafts belong to rows that moved.
        state.bound_texts.clear();
    }
    if changed && scale != *current {
        actions.push(Action::Edit(Edit::SetRatingScale(scale)));
    }
}

/// 优秀 ≥ 90 / 良好 ≥ 80 / 中 ≥ 70 / 合格 ≥ 60 / 差, as many agencies print it.
fn five_grades() -> RatingScale {
    RatingScale {
        grades: [("优秀", 90), ("良好", 80), ("中", 70), ("合格", 60)]
            .into_iter()
            .map(|(name, min)| Grade {
                name: name.to_owned(),
                min: Decimal::from(min),
            })
            .collect(),
        lowest: "差".to_owned(),
    }
}
