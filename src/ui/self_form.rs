//! The 自评表 view, laid out as the national form (财预〔2020〕10号 附1): the header, the
//! budget block with 执行率 and its score, the 年度总体目标, then one row per indicator with
//! its target, actual, 分值, 得分, rule and 偏差原因分析及改进措施, and the 总分.

use std::collections::{HashMap, HashSet};

use eframe::egui::{self, RichText};
use egui_extras::TableBuilder;
use rust_decimal::Decimal;

use super::columns::{ColumnSpec, SharedColumns};
use super::table::{Cell, TableState, number_cell_ui, right_aligned, text_cell_ui};
use super::{Action, ERROR_COLOR, WARNING_COLOR, name_widget};
use crate::command::{Edit, Editor, TextField};
use crate::model::{
    Direction, Evaluation, FUND_HEADERS, FundRow, Indicator, Measure, NodeId, QualitativeBand,
    RateBase, RuleKind, ScoreRule, SelfAssessment,
};
use crate::number::format2;
use crate::number::parse_decimal;
use crate::rules::{Outcome, deduction_note, evaluate, presets, rule_label};
use crate::ruleset;

/// Where a text field of the block lives, for the edit that changes it.
type TextSlot = fn(&mut SelfAssessment) -> &mut String;
/// Where a row of the budget block lives.
type RowSlot = fn(&mut SelfAssessment) -> &mut FundRow;
/// Where an amount of a budget row lives.
type AmountSlot = fn(&mut FundRow) -> &mut Option<Decimal>;

/// Text typed into the budget block that is not (yet) a number, by field.
#[derive(Debug, Default)]
pub struct FormState {
    drafts: HashMap<&'static str, String>,
    /// Rows whose rule this view chose from their target; it follows the target as it is
    /// typed until the user picks a rule.
    auto_rule: HashSet<NodeId>,
    /// The path typed beside 载入规则集…, and why the last file could not be loaded.
    rules_path: String,
    rules_error: Option<String>,
    /// Whether the form has been drawn since the document opened: it opens at its top,
    /// not where egui remembers the last document's form was left.
    shown: bool,
}

pub fn self_form_ui(
    ui: &mut egui::Ui,
    editor: &Editor,
    form: &mut FormState,
    table: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let doc = editor.doc();
    let mut area = egui::ScrollArea::both()
        .id_salt("自评表")
        .auto_shrink([false, false]);
    if !std::mem::replace(&mut form.shown, true) {
        area = area.scroll_offset(egui::Vec2::ZERO);
    }
    area.show(ui, |ui| {
        ui.vertical_centered(|ui| {
            let year = doc.info.year.trim();
            let title = if year.is_empty() {
                "项目支出绩效自评表".to_owned()
            } else {
                format!("项目支出绩效自评表（{year}年度）")
            };
            ui.heading(title);
        });
        ui.add_space(6.0);
        header_ui(ui, doc, actions);
        ui.add_space(8.0);
        funds_ui(ui, editor, form, actions);
        ui.add_space(8.0);
        goals_ui(ui, doc, actions);
        ui.add_space(8.0);
        rule_set_ui(ui, doc, form, actions);
        ui.add_space(4.0);
        indicators_ui(ui, editor, form, table, actions);
    });
}

fn edit_block(doc: &Evaluation, change: impl FnOnce(&mut SelfAssessment)) -> Action {
    let mut block = doc.self_assessment.clone();
    change(&mut block);
    Action::Edit(Edit::SetSelfAssessment(Box::new(block)))
}

fn header_ui(ui: &mut egui::Ui, doc: &Evaluation, actions: &mut Vec<Action>) {
    egui::Grid::new("自评表表头")
        .num_columns(4)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            let mut info = doc.info.clone();
            let label = ui.label("项目名称");
            if ui
                .add_sized([300.0, 22.0], egui::TextEdit::singleline(&mut info.name))
                .on_hover_text(info.name.clone())
                .labelled_by(label.id)
                .changed()
            {
                actions.push(Action::Edit(Edit::SetInfo(info.clone())));
            }
            let label = ui.label("主管部门");
            if ui
                .add_sized(
                    [220.0, 22.0],
                    egui::TextEdit::singleline(&mut info.department),
                )
                .labelled_by(label.id)
                .changed()
            {
                actions.push(Action::Edit(Edit::SetInfo(info.clone())));
            }
            ui.end_row();

            // 实施单位 is 项目信息's 项目单位: one field, typed in either place.
            let label = ui.label("实施单位");
            if ui
                .add_sized([300.0, 22.0], egui::TextEdit::singleline(&mut info.unit))
                .on_hover_text(info.unit.clone())
                .labelled_by(label.id)
                .changed()
            {
                actions.push(Action::Edit(Edit::SetInfo(info.clone())));
            }
            let block = &doc.self_assessment;
            let fields: [(&str, &String, TextSlot); 2] = [
                ("项目负责人", &block.project_leader, |b| {
                    &mut b.project_leader
                }),
                ("联系电话", &block.phone, |b| &mut b.phone),
            ];
            for (index, (title, value, slot)) in fields.into_iter().enumerate() {
                let label = ui.label(title);
                let mut text = value.clone();
                if ui
                    .add_sized([220.0, 22.0], egui::TextEdit::singleline(&mut text))
                    .labelled_by(label.id)
                    .changed()
                {
                    actions.push(edit_block(doc, |b| *slot(b) = text));
                }
                if index == 0 {
                    ui.end_row();
                }
            }
            ui.end_row();
        });
}

/// A 万元 figure typed into the budget block; invalid text stays red in its field.
fn amount_ui(
    ui: &mut egui::Ui,
    key: &'static str,
    value: Option<Decimal>,
    form: &mut FormState,
    on_change: impl FnOnce(Option<Decimal>) -> Action,
    actions: &mut Vec<Action>,
) {
    let mut text = form
        .drafts
        .get(key)
        .cloned()
        .unwrap_or_else(|| value.map(|v| v.normalize().to_string()).unwrap_or_default());
    let parsed = parse_decimal(&text);
    let invalid = parsed.is_err();
    let mut edit = egui::TextEdit::singleline(&mut text)
        .desired_width(96.0)
        .align(egui::Align2::RIGHT_CENTER);
    if invalid {
        edit = edit.text_color(ERROR_COLOR);
    }
    let response = ui.add(edit);
    name_widget(&response, egui::Role::TextInput, key);
    if let Err(error) = &parsed {
        response.clone().on_hover_text(error.to_string());
    }
    if response.changed() {
        // Only a figure that reads as a number reaches the document; the rest stays red.
        if let Ok(number) = parse_decimal(&text) {
            actions.push(on_change(number));
        }
        form.drafts.insert(key, text);
    }
    if response.lost_focus() && !invalid {
        form.drafts.remove(key);
    }
}

fn funds_ui(ui: &mut egui::Ui, editor: &Editor, form: &mut FormState, actions: &mut Vec<Action>) {
    let doc = editor.doc();
    let block = &doc.self_assessment;
    let total = block.total();
    let budget_leaf = budget_leaf(doc);
    egui::Grid::new("项目资金")
        .striped(true)
        .num_columns(7)
        .spacing([14.0, 6.0])
        .show(ui, |ui| {
            for title in FUND_HEADERS {
                ui.strong(title);
            }
            ui.end_row();

            ui.strong("年度资金总额");
            for value in [total.initial_budget, total.full_year_budget, total.executed] {
                ui.strong(value.map(|v| v.normalize().to_string()).unwrap_or_default());
            }
            ui.label(
                budget_leaf
                    .map(|leaf| format2(leaf.max_points))
                    .unwrap_or_default(),
            );
            match block.execution_rate() {
                Ok(rate) => {
                    ui.label(format!(
                        "{}%",
                        format2(rate.saturating_mul(Decimal::ONE_HUNDRED))
                    ));
                }
                Err(reason) => {
                    ui.colored_label(WARNING_COLOR, "—").on_hover_text(reason);
                }
            }
            ui.strong(
                budget_leaf
                    .and_then(|leaf| leaf.scoring.score)
                    .map(format2)
                    .unwrap_or_default(),
            );
            ui.end_row();

            let rows: [(&str, &FundRow, RowSlot); 3] = [
                ("当年财政拨款", &block.current_year, |b| {
                    &mut b.current_year
                }),
                ("上年结转资金", &block.carried_over, |b| {
                    &mut b.carried_over
                }),
                ("其他资金", &block.other, |b| &mut b.other),
            ];
            for (row_index, (title, row, slot)) in rows.into_iter().enumerate() {
                ui.label(title);
                let columns: [(&'static str, Option<Decimal>, AmountSlot); 3] = [
                    (
                        [
                            "当年财政拨款 年初预算数",
                            "上年结转资金 年初预算数",
                            "其他资金 年初预算数",
                        ][row_index],
                        row.initial_budget,
                        |r| &mut r.initial_budget,
                    ),
                    (
                        [
                            "当年财政拨款 全年预算数",
                            "上年结转资金 全年预算数",
                            "其他资金 全年预算数",
                        ][row_index],
                        row.full_year_budget,
                        |r| &mut r.full_year_budget,
                    ),
                    (
                        [
                            "当年财政拨款 全年执行数",
                            "上年结转资金 全年执行数",
                            "其他资金 全年执行数",
                        ][row_index],
                        row.executed,
                        |r| &mut r.executed,
                    ),
                ];
                for (key, value, column) in columns {
                    amount_ui(
                        ui,
                        key,
                        value,
                        form,
                        |v| edit_block(doc, |b| *column(slot(b)) = v),
                        actions,
                    );
                }
                ui.end_row();
            }
        });

    ui.horizontal(|ui| {
        let label = ui.label("执行率 = 全年执行数 ÷");
        let mut base = block.rate_base;
        egui::ComboBox::from_id_salt("执行率计算基数")
            .selected_text(base.label())
            .show_ui(ui, |ui| {
                for option in RateBase::ALL {
                    ui.selectable_value(&mut base, option, option.label());
                }
            })
            .response
            .labelled_by(label.id);
        if base != block.rate_base {
            actions.push(edit_block(doc, |b| b.rate_base = base));
        }
        match block.rate_base {
            RateBase::FullYearBudget => {}
            RateBase::FundsReceived => {
                ui.label("实际到位资金（万元）");
                amount_ui(
                    ui,
                    "实际到位资金",
                    block.funds_received,
                    form,
                    |v| edit_block(doc, |b| b.funds_received = v),
                    actions,
                );
            }
            RateBase::AdjustedBudget => {
                ui.label("调整后预算数（万元）");
                amount_ui(
                    ui,
                    "调整后预算数",
                    block.adjusted_budget,
                    form,
                    |v| edit_block(doc, |b| b.adjusted_budget = v),
                    actions,
                );
            }
        }
        if let Some(leaf) = budget_leaf
            && let Some(rule) = &leaf.scoring.rule
        {
            ui.weak(format!("得分规则：{}", rule_label(rule)));
            // A rule set's penalty for spending above budget, beside the 得分 it lowered.
            if leaf.scoring.manual_reason.is_none()
                && let Some(note) = deduction_note(rule, leaf, doc)
            {
                ui.colored_label(WARNING_COLOR, note);
            }
        }
    });
}

/// The leaf whose score follows 执行率: the one whose rule reads it, else a top-level
/// 预算执行率.
fn budget_leaf(doc: &Evaluation) -> Option<&Indicator> {
    let leaves = doc.leaves();
    leaves
        .iter()
        .find(|l| {
            l.scoring
                .rule
                .as_ref()
                .is_some_and(|r| r.measure == Measure::ExecutionRate)
        })
        .or_else(|| {
            let root = doc
                .indicators
                .iter()
                .find(|n| n.name.starts_with("预算执行率"))?;
            leaves
                .iter()
                .find(|l| root.leaves().iter().any(|x| x.id == l.id))
        })
        .copied()
}

fn goals_ui(ui: &mut egui::Ui, doc: &Evaluation, actions: &mut Vec<Action>) {
    ui.strong("年度总体目标");
    ui.columns(2, |columns| {
        let block = &doc.self_assessment;
        let fields: [(&str, &String, TextSlot); 2] = [
            ("预期目标", &block.goal_expected, |b| {
                &mut b.goal_expected
            }),
            ("实际完成情况", &block.goal_actual, |b| {
                &mut b.goal_actual
            }),
        ];
        for (column, (title, value, slot)) in columns.iter_mut().zip(fields) {
            let label = column.label(title);
            let mut text = value.clone();
            if column
                .add(
                    egui::TextEdit::multiline(&mut text)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
                .changed()
            {
                actions.push(edit_block(doc, |b| *slot(b) = text));
            }
        }
    });
}

/// A leaf with the names of its 一级 and 二级 (shown once per group, like merged cells).
struct FormRow<'a> {
    leaf: &'a Indicator,
    level1: Option<&'a str>,
    level2: Option<&'a str>,
    level3: Option<&'a str>,
}

fn form_rows(doc: &Evaluation) -> Vec<FormRow<'_>> {
    fn walk<'a>(
        nodes: &'a [Indicator],
        path: &mut Vec<&'a str>,
        out: &mut Vec<(&'a Indicator, Vec<&'a str>)>,
    ) {
        for node in nodes {
            if node.is_leaf() {
                out.push((node, path.clone()));
            } else {
                path.push(&node.name);
                walk(&node.children, path, out);
                path.pop();
            }
        }
    }
    let mut leaves = Vec::new();
    walk(&doc.indicators, &mut Vec::new(), &mut leaves);
    let mut last: (Option<&str>, Option<&str>) = (None, None);
    let mut rows = Vec::with_capacity(leaves.len());
    for (leaf, ancestors) in leaves {
        // A leaf at the top level is its own 一级 (预算执行率); one level down, its group
        // is the 一级 and it fills the 三级 column, as the form prints 预算执行率's row.
        let first = ancestors.first().copied().or(Some(leaf.name.as_str()));
        let second = ancestors.get(1).copied();
        let show_first = first != last.0;
        let show_second = show_first || second != last.1;
        last = (first, second);
        rows.push(FormRow {
            leaf,
            level1: first.filter(|_| show_first),
            level2: second.filter(|_| show_second),
            level3: (!ancestors.is_empty()).then_some(leaf.name.as_str()),
        });
    }
    rows
}

/// The rule set the form is scored by: one of the built-in ones, or one loaded from a file
/// a region wrote, which is then kept inside the document.
fn rule_set_ui(
    ui: &mut egui::Ui,
    doc: &Evaluation,
    form: &mut FormState,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        let label = ui.label("评分规则集");
        let current = ruleset::of(doc);
        let custom = doc.self_assessment.custom_rules.is_some();
        let chosen = if custom {
            ""
        } else {
            doc.self_assessment.rule_set.trim()
        };
        let combo = egui::ComboBox::from_id_salt("评分规则集")
            .width(260.0)
            .selected_text(&current.name)
            .show_ui(ui, |ui| {
                if custom {
                    let _ = ui.selectable_label(true, &current.name);
                }
                for (key, set) in ruleset::built_in() {
                    let selected = if custom {
                        false
                    } else if chosen.is_empty() {
                        *key == ruleset::DEFAULT_KEY
                    } else {
                        *key == chosen
                    };
                    if ui
                        .selectable_label(selected, &set.name)
                        .on_hover_text(&set.description)
                        .clicked()
                        && !selected
                    {
                        let key = if *key == ruleset::DEFAULT_KEY {
                            String::new()
                        } else {
                            (*key).to_owned()
                        };
                        actions.push(edit_block(doc, |b| {
                            b.rule_set = key;
                            b.custom_rules = None;
                        }));
                    }
                }
            });
        let response = combo.response.labelled_by(label.id);
        name_widget(&response, egui::Role::ComboBox, "评分规则集");
        let path_label = ui.label("规则集文件");
        ui.add(
            egui::TextEdit::singleline(&mut form.rules_path)
                .desired_width(220.0)
                .hint_text("某县规则.ron 的路径"),
        )
        .labelled_by(path_label.id);
        if ui
            .button("载入规则集…")
            .on_hover_text("读入一个地区自己写的规则集文件（RON），保存在本文件里")
            .clicked()
        {
            let path = std::path::PathBuf::from(form.rules_path.trim());
            match ruleset::load_file(&path) {
                Ok(set) => {
                    let stem = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    form.rules_error = None;
                    actions.push(edit_block(doc, |b| {
                        b.rule_set = stem;
                        b.custom_rules = Some(set);
                    }));
                }
                Err(err) => form.rules_error = Some(err.to_string()),
            }
        }
    });
    if let Some(error) = &form.rules_error {
        ui.colored_label(ERROR_COLOR, error);
    }
    ui.weak(&ruleset::of(doc).description);
}

/// The rule a row gets from its target while the user has not picked one: set when the
/// target is typed into a row without a rule, and followed as the target changes.
fn default_rule_from_target(
    leaf: &Indicator,
    doc: &Evaluation,
    form: &mut FormState,
    actions: &mut Vec<Action>,
    pushed_from: usize,
) {
    let typed = actions[pushed_from..]
        .iter()
        .rev()
        .find_map(|action| match action {
            Action::Edit(Edit::SetText {
                id,
                field: TextField::Target,
                text,
            }) if *id == leaf.id => Some(text.clone()),
            _ => None,
        });
    let Some(target) = typed else {
        return;
    };
    let automatic = leaf.scoring.rule.is_none() || form.auto_rule.contains(&leaf.id);
    if !automatic || leaf.scoring.manual_reason.is_some() {
        return;
    }
    let rule = ruleset::implied_rule(ruleset::of(doc), &leaf.name, &target).map(|(rule, _)| rule);
    if rule != leaf.scoring.rule {
        actions.push(Action::Edit(Edit::SetRule { id: leaf.id, rule }));
    }
    form.auto_rule.insert(leaf.id);
}

fn indicators_ui(
    ui: &mut egui::Ui,
    editor: &Editor,
    form: &mut FormState,
    state: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let doc = editor.doc();
    let rows = form_rows(doc);
    let leaves = super::table::leaf_ids(doc);
    let row_height = ui.spacing().interact_size.y + 6.0;
    ui.horizontal(|ui| {
        if ui.button("添加指标").clicked() {
            actions.push(Action::AddSibling);
        }
        let selected = state
            .selected
            .and_then(|id| doc.find(id))
            .map(|node| node.name.clone());
        let delete = ui.add_enabled(selected.is_some(), egui::Button::new("删除指标"));
        if let Some(name) = &selected {
            delete.clone().on_hover_text(format!("删除“{name}”"));
        }
        if delete.clicked() {
            actions.push(Action::DeleteSelected);
        }
        ui.weak(match &selected {
            Some(name) => format!("已选：{name}（在所选指标下方添加）"),
            None => "点击一行的指标名称选中它".to_owned(),
        });
    });
    // The form's own columns first, in its order, so that 指标, 分值 and 得分 are in view
    // at 1024 px and 偏差原因 at 1280; jixiao's 单位, 方向 and 评分规则 follow. The text
    // columns share the window's width.
    let specs = [
        ColumnSpec::text(76.0, 60.0),
        ColumnSpec::text(84.0, 60.0),
        ColumnSpec::text(140.0, 100.0),
        ColumnSpec::text(100.0, 80.0),
        ColumnSpec::text(100.0, 80.0),
        ColumnSpec::figure(56.0, 50.0),
        ColumnSpec::figure(60.0, 50.0),
        ColumnSpec::text(260.0, 160.0),
        ColumnSpec {
            clip: true,
            ..ColumnSpec::figure(48.0, 40.0)
        },
        ColumnSpec::figure(64.0, 56.0),
        ColumnSpec::text(240.0, 160.0),
    ];
    let mut columns = SharedColumns::plan(ui, "自评指标", &specs, false);
    let ctx = ui.ctx().clone();
    let builder = TableBuilder::new(ui)
        .id_salt("自评指标")
        .striped(true)
        .resizable(true)
        .vscroll(false)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    columns
        .columns(builder, &specs)
        .header(row_height, |mut header| {
            for (index, title) in [
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
                "单位",
                "方向",
                "评分规则",
            ]
            .into_iter()
            .enumerate()
            {
                header.col(|ui| {
                    columns.measure(index, ui);
                    ui.strong(title);
                });
            }
        })
        .body(|mut body| {
            for row in &rows {
                let leaf = row.leaf;
                body.row(row_height, |mut table_row| {
                    table_row.set_selected(state.selected == Some(leaf.id));
                    for name in [row.level1, row.level2] {
                        table_row.col(|ui| {
                            if let Some(name) = name {
                                ui.add(egui::Label::new(RichText::new(name).strong()).truncate());
                            }
                        });
                    }
                    table_row.col(|ui| {
                        if row.level3.is_some() {
                            name_cell_ui(ui, leaf, state, actions);
                        }
                    });
                    for field in [TextField::Target, TextField::Actual] {
                        table_row.col(|ui| {
                            let before = actions.len();
                            text_cell_ui(ui, leaf, field, None, state, actions);
                            if field == TextField::Target {
                                default_rule_from_target(leaf, doc, form, actions, before);
                            }
                        });
                    }
                    table_row.col(|ui| {
                        number_cell_ui(ui, leaf, Cell::MaxPoints, &leaves, state, actions);
                    });
                    table_row.col(|ui| {
                        if !leaf.is_applicable() {
                            ui.weak("不适用").on_hover_text(
                                "实际完成值为“/”或标为不适用：不计入分值和得分，按得分率评级",
                            );
                        } else {
                            number_cell_ui(ui, leaf, Cell::Score, &leaves, state, actions);
                        }
                    });
                    table_row.col(|ui| {
                        // The problem list's own rule: on a 自评表 the 偏差原因.
                        let hint = (doc.info.kind == crate::model::EvaluationKind::SelfAssessment
                            && super::table::deduction_unexplained(editor, leaf.id))
                        .then_some("扣了分，请写偏差原因及改进措施");
                        text_cell_ui(ui, leaf, TextField::Deviation, hint, state, actions);
                    });
                    table_row.col(|ui| {
                        text_cell_ui(ui, leaf, TextField::Unit, None, state, actions);
                    });
                    table_row.col(|ui| direction_cell_ui(ui, leaf, actions));
                    table_row.col(|ui| {
                        let before = actions.len();
                        rule_cell_ui(ui, leaf, doc, actions);
                        if actions[before..]
                            .iter()
                            .any(|a| matches!(a, Action::Edit(Edit::SetRule { .. })))
                        {
                            form.auto_rule.remove(&leaf.id);
                        }
                    });
                });
            }
            body.row(row_height, |mut table_row| {
                table_row.col(|ui| {
                    ui.strong("总分");
                });
                for _ in 0..4 {
                    table_row.col(|_| {});
                }
                let summary = editor.summary();
                table_row.col(|ui| {
                    right_aligned(
                        ui,
                        RichText::new(format2(summary.totals.max_points)).strong(),
                    )
                });
                table_row.col(|ui| right_aligned(ui, RichText::new(summary.total_text()).strong()));
                table_row.col(|ui| {
                    ui.label(format!("绩效评定级别：{}", summary.verdict_text()));
                    if let Some(uncapped) = summary.uncapped_total {
                        let note = summary.adjustments.last().cloned().unwrap_or_default();
                        ui.colored_label(
                            WARNING_COLOR,
                            format!("{note}（各项合计 {}）", format2(uncapped)),
                        );
                    }
                });
            });
        });
    columns.remember(&ctx);
}

/// The 三级指标 name of a row, editable here so that a row added in this view is named
/// in it; clicking it selects the row.
fn name_cell_ui(
    ui: &mut egui::Ui,
    leaf: &Indicator,
    state: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let mut name = leaf.name.clone();
    let response = ui.add(egui::TextEdit::singleline(&mut name).desired_width(f32::INFINITY));
    // A long name is cut by its column: the whole of it on hover, with the 其中 rows the
    // imported table printed under it.
    let response = if leaf.details.is_empty() {
        response.on_hover_text(&leaf.name)
    } else {
        response.on_hover_text(format!("{}\n{}", leaf.name, leaf.details.join("\n")))
    };
    name_widget(
        &response,
        egui::Role::TextInput,
        format!("{} 指标名称", leaf.name),
    );
    if response.gained_focus() || response.clicked() {
        state.selected = Some(leaf.id);
    }
    if response.changed() && !name.trim().is_empty() {
        actions.push(Action::Edit(Edit::Rename { id: leaf.id, name }));
    }
}

/// 指标方向: 自动 reads ≥ / ≤ from the 年度指标值.
fn direction_cell_ui(ui: &mut egui::Ui, leaf: &Indicator, actions: &mut Vec<Action>) {
    let id = leaf.id;
    let short = |direction: Option<Direction>| match direction {
        None => "自动",
        Some(Direction::Higher) => "正向",
        Some(Direction::Lower) => "反向",
        Some(Direction::Equal) => "等于",
        Some(Direction::Qualitative) => "定性",
    };
    let combo = egui::ComboBox::from_id_salt(("指标方向", id))
        .width(52.0)
        .selected_text(short(leaf.scoring.direction))
        .show_ui(ui, |ui| {
            let options = std::iter::once(None).chain(Direction::ALL.into_iter().map(Some));
            for option in options {
                let text = option.map_or("自动（按年度指标值的≥、≤）", Direction::label);
                if ui
                    .selectable_label(leaf.scoring.direction == option, text)
                    .clicked()
                {
                    actions.push(Action::Edit(Edit::SetDirection {
                        id,
                        direction: option,
                    }));
                }
            }
        });
    name_widget(
        &combo.response,
        egui::Role::ComboBox,
        format!("{} 指标方向", leaf.name),
    );
}

/// The rule of a leaf: a choice among the presets (or 手工打分), the band of a 定性
/// indicator, and a marker where a computed score was overridden by hand.
fn rule_cell_ui(ui: &mut egui::Ui, leaf: &Indicator, doc: &Evaluation, actions: &mut Vec<Action>) {
    let id = leaf.id;
    let current = leaf
        .scoring
        .rule
        .as_ref()
        .map_or_else(|| "手工打分".to_owned(), rule_label);
    let combo = egui::ComboBox::from_id_salt(("评分规则", id))
        .width(96.0)
        .selected_text(&current)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(leaf.scoring.rule.is_none(), "手工打分")
                .clicked()
            {
                actions.push(Action::Edit(Edit::SetRule { id, rule: None }));
            }
            for (name, rule) in presets() {
                let selected = leaf.scoring.rule.as_ref() == Some(&rule);
                if ui
                    .selectable_label(selected, name)
                    .on_hover_text(crate::rules::preset_description(name))
                    .clicked()
                {
                    actions.push(Action::Edit(Edit::SetRule {
                        id,
                        rule: Some(rule),
                    }));
                }
            }
        });
    name_widget(
        &combo.response,
        egui::Role::ComboBox,
        format!("{} 评分规则", leaf.name),
    );

    let Some(rule) = &leaf.scoring.rule else {
        return;
    };
    if rule.kind == RuleKind::Qualitative {
        let band_text = leaf
            .scoring
            .band
            .map_or("选择达成程度", QualitativeBand::label);
        let combo = egui::ComboBox::from_id_salt(("达成程度", id))
            .width(96.0)
            .selected_text(band_text)
            .show_ui(ui, |ui| {
                let limits = ruleset::of(doc).qualitative;
                for band in QualitativeBand::ALL {
                    let shares = band.shares_within(limits.achieved, limits.partial);
                    let text = format!(
                        "{}（{}）",
                        band.label(),
                        QualitativeBand::points_text(leaf.max_points, shares)
                    );
                    if ui
                        .selectable_label(leaf.scoring.band == Some(band), text)
                        .clicked()
                    {
                        actions.push(Action::Edit(Edit::SetBand {
                            id,
                            band: Some(band),
                        }));
                    }
                }
            });
        name_widget(
            &combo.response,
            egui::Role::ComboBox,
            format!("{} 达成程度", leaf.name),
        );
        return;
    }
    if let Some(reason) = &leaf.scoring.manual_reason {
        let computed = match evaluate(&ScoreRule { ..rule.clone() }, leaf, doc) {
            Outcome::Score(score) => format!("按规则应为 {}", format2(score)),
            _ => String::new(),
        };
        let marker = ui.menu_button(RichText::new("手工改分").color(WARNING_COLOR), |ui| {
            ui.label(format!("得分是手工填写的。{computed}"));
            let label = ui.label("改分理由");
            let mut text = reason.clone();
            if ui
                .add(egui::TextEdit::multiline(&mut text).desired_rows(2))
                .labelled_by(label.id)
                .changed()
            {
                actions.push(Action::Edit(Edit::SetText {
                    id,
                    field: TextField::ManualReason,
                    text,
                }));
            }
            if ui.button("恢复按规则计算").clicked() {
                actions.push(Action::Edit(Edit::ClearManual { id }));
                ui.close();
            }
        });
        marker.response.on_hover_text(if reason.trim().is_empty() {
            format!("手工改分，尚未写理由。{computed}")
        } else {
            format!("手工改分：{reason}。{computed}")
        });
    } else if let Outcome::Unreadable(why) = evaluate(rule, leaf, doc) {
        ui.colored_label(WARNING_COLOR, "无法计算")
            .on_hover_text(why);
    } else if let Some(note) = deduction_note(rule, leaf, doc) {
        ui.colored_label(WARNING_COLOR, note);
    }
}
