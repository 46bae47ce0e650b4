//! The scoring table: one row per indicator, indented by level, edited in place.
//! Only the rows in view are built, so it stays smooth with thousands of indicators.

use std::collections::{HashMap, HashSet};

use eframe::egui::{self, Key, RichText, Role, TextEdit};
use egui_extras::{Column, TableBuilder};
use rust_decimal::Decimal;

use super::{Action, ERROR_COLOR, WARNING_COLOR, name_widget};
use crate::command::{Edit, Editor, TextField, check_max_points, check_score};
use crate::model::{Evaluation, Indicator, NodeId};
use crate::scoring::{format2, score_rate};

/// A cell that takes typing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cell {
    MaxPoints,
    Score,
    Text(TextField),
}

impl Cell {
    fn label(self) -> &'static str {
        match self {
            Self::MaxPoints => "分值",
            Self::Score => "得分",
            Self::Text(TextField::Reason) => "扣分理由",
            Self::Text(TextField::Criteria) => "评分标准",
            Self::Text(TextField::Target) => "年度指标值",
            Self::Text(TextField::Actual) => "实际完成值",
            Self::Text(TextField::Deviation) => "偏差原因分析及改进措施",
            Self::Text(TextField::Unit) => "计量单位",
            Self::Text(TextField::ManualReason) => "改分理由",
        }
    }
}

/// Text typed into a cell that has not (yet) become part of the document: a half-typed
/// "8." or an invalid "12" on a 10-point leaf. It stays until fixed or abandoned with Esc.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    text: String,
    error: Option<String>,
}

/// What the table remembers between frames; none of it is in the document.
#[derive(Debug, Default)]
pub struct TableState {
    pub selected: Option<NodeId>,
    collapsed: HashSet<NodeId>,
    drafts: HashMap<(NodeId, Cell), Draft>,
    /// The indicator being renamed (F2 or double-click) and the name typed so far.
    renaming: Option<(NodeId, String)>,
    rename_focus_pending: bool,
    focus_request: Option<(NodeId, Cell)>,
    scroll_to: Option<NodeId>,
}

impl TableState {
    /// Forgets everything tied to the previous document.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Selects `id`, opens its ancestors and scrolls it into view.
    pub fn reveal(&mut self, doc: &Evaluation, id: NodeId) {
        if let Some(path) = ancestors(&doc.indicators, id) {
            for ancestor in path {
                self.collapsed.remove(&ancestor);
            }
        }
        self.selected = Some(id);
        self.scroll_to = Some(id);
    }

    /// Puts the cursor into the 得分 cell of `id`.
    pub fn focus_score(&mut self, doc: &Evaluation, id: NodeId) {
        self.reveal(doc, id);
        self.focus_request = Some((id, Cell::Score));
    }

    pub fn start_rename(&mut self, doc: &Evaluation, id: NodeId) {
        if let Some(node) = doc.find(id) {
            self.reveal(doc, id);
            self.renaming = Some((id, node.name.clone()));
            self.rename_focus_pending = true;
        }
    }

    pub fn expand_all(&mut self) {
        self.collapsed.clear();
    }

    pub fn collapse_all(&mut self, doc: &Evaluation) {
        doc.visit(&mut |node, _| {
            if !node.is_leaf() {
                self.collapsed.insert(node.id);
            }
        });
    }

    /// Asks the view showing the selection to scroll it into view.
    pub fn scroll_to_selected(&mut self) {
        self.scroll_to = self.selected;
    }

    /// The row a view should scroll to this frame, if any (taken once).
    pub fn take_scroll_target(&mut self) -> Option<NodeId> {
        self.scroll_to.take()
    }

    /// Drops every half-typed cell (after undo, the document is what counts).
    pub fn forget_drafts(&mut self) {
        self.drafts.clear();
        self.renaming = None;
    }

    /// Why some cell holds text that is not in the document, if one does: the indicator
    /// and the reason, for the status bar.
    pub fn draft_error(&self, doc: &Evaluation) -> Option<String> {
        self.drafts.iter().find_map(|((id, cell), draft)| {
            let error = draft.error.as_ref()?;
            let name = doc.find(*id).map_or("", |n| n.name.as_str());
            Some(format!(
                "{name}的{}：{error}（改正，或按 Esc 放弃）",
                cell.label()
            ))
        })
    }

    /// Whether the user is typing in a text cell (so Delete and arrows belong to it).
    fn typing(ctx: &egui::Context) -> bool {
        ctx.text_edit_focused()
    }
}

fn ancestors(nodes: &[Indicator], id: NodeId) -> Option<Vec<NodeId>> {
    for node in nodes {
        if node.id == id {
            return Some(Vec::new());
        }
        if let Some(mut path) = ancestors(&node.children, id) {
            path.insert(0, node.id);
            return Some(path);
        }
    }
    None
}

/// A row as drawn: the indicator and its level (1 = 一级).
struct Row<'a> {
    node: &'a Indicator,
    depth: usize,
}

fn visible_rows<'a>(doc: &'a Evaluation, collapsed: &HashSet<NodeId>) -> Vec<Row<'a>> {
    fn walk<'a>(
        nodes: &'a [Indicator],
        depth: usize,
        collapsed: &HashSet<NodeId>,
        out: &mut Vec<Row<'a>>,
    ) {
        for node in nodes {
            out.push(Row { node, depth });
            if !collapsed.contains(&node.id) {
                walk(&node.children, depth + 1, collapsed, out);
            }
        }
    }
    let mut rows = Vec::new();
    walk(&doc.indicators, 1, collapsed, &mut rows);
    rows
}

/// The leaves in table order, for Enter/Tab to walk through.
pub(super) fn leaf_ids(doc: &Evaluation) -> Vec<NodeId> {
    doc.leaves().iter().map(|l| l.id).collect()
}

fn parse_points(text: &str) -> Result<Option<Decimal>, String> {
    crate::number::parse_decimal(text).map_err(|e| e.to_string())
}

/// Draws the table and returns what the user asked for.
pub fn table_ui(
    ui: &mut egui::Ui,
    editor: &Editor,
    state: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let doc = editor.doc();
    let summary = editor.summary();
    keyboard(ui.ctx(), doc, state, actions);

    let rows = visible_rows(doc, &state.collapsed);
    let leaves = leaf_ids(doc);
    let scroll_index = state
        .scroll_to
        .take()
        .and_then(|id| rows.iter().position(|r| r.node.id == id));

    let row_height = ui.spacing().interact_size.y + 6.0;
    let mut table = TableBuilder::new(ui)
        .id_salt("评分表")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(250.0).at_least(160.0).clip(true))
        .column(Column::initial(64.0).at_least(50.0))
        .column(Column::initial(72.0).at_least(56.0))
        .column(Column::initial(70.0).at_least(56.0))
        .column(Column::initial(260.0).at_least(120.0).clip(true))
        .column(Column::remainder().at_least(120.0).clip(true))
        .min_scrolled_height(0.0);
    if let Some(index) = scroll_index {
        table = table.scroll_to_row(index, None);
    }

    table
        .header(row_height, |mut header| {
            for title in ["指标", "分值", "得分", "得分率", "扣分理由", "评分标准"]
            {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut table_row| {
                let Row { node, depth } = &rows[table_row.index()];
                let (node, depth) = (*node, *depth);
                let id = node.id;
                table_row.set_selected(state.selected == Some(id));
                let totals = summary.totals_of(id);

                // 指标
                table_row.col(|ui| {
                    ui.add_space(18.0 * (depth as f32 - 1.0));
                    if node.is_leaf() {
                        ui.add_space(18.0);
                    } else {
                        let open = !state.collapsed.contains(&id);
                        let arrow = ui.add(
                            egui::Button::new(if open { "▼" } else { "▶" })
                                .frame(false)
                                .small(),
                        );
                        name_widget(&arrow, Role::Button, format!("展开或折叠 {}", node.name));
                        if arrow.clicked() && !state.collapsed.remove(&id) {
                            state.collapsed.insert(id);
                        }
                    }
                    name_cell_ui(ui, node, depth, state, actions);
                });
                // 分值
                table_row.col(|ui| {
                    if node.is_leaf() {
                        number_cell_ui(ui, node, Cell::MaxPoints, &leaves, state, actions);
                    } else {
                        right_aligned(ui, RichText::new(format2(totals.max_points)).strong());
                    }
                });
                // 得分
                table_row.col(|ui| {
                    if node.is_leaf() {
                        if node.scoring.not_applicable {
                            ui.weak("不适用");
                        } else {
                            number_cell_ui(ui, node, Cell::Score, &leaves, state, actions);
                        }
                    } else {
                        right_aligned(ui, RichText::new(format2(totals.score)).strong());
                    }
                });
                // 得分率
                table_row.col(|ui| {
                    let scored = totals.scored_leaves > 0;
                    if let (true, Some(rate)) =
                        (scored, score_rate(totals.score, totals.max_points))
                    {
                        right_aligned(ui, RichText::new(format!("{}%", format2(rate))));
                    }
                });
                // 扣分理由
                table_row.col(|ui| {
                    if node.is_leaf() && !node.scoring.not_applicable {
                        let hint = lost_points_unexplained(node).then_some("扣了分，请写扣分理由");
                        text_cell_ui(ui, node, TextField::Reason, hint, state, actions);
                    }
                });
                // 评分标准
                table_row.col(|ui| {
                    if !node.criteria.is_empty() {
                        ui.add(egui::Label::new(RichText::new(&node.criteria).weak()).truncate())
                            .on_hover_text(&node.criteria);
                    }
                });

                let response = table_row.response();
                if response.clicked() {
                    state.selected = Some(id);
                }
                if response.double_clicked() {
                    state.start_rename(doc, id);
                }
            });
        });
}

/// Figures line up on the right, as in a spreadsheet.
pub(super) fn right_aligned(ui: &mut egui::Ui, text: RichText) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.add_space(4.0);
        ui.label(text);
    });
}

fn name_cell_ui(
    ui: &mut egui::Ui,
    node: &Indicator,
    depth: usize,
    state: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let id = node.id;
    if let Some((renaming, text)) = &mut state.renaming
        && *renaming == id
    {
        let response = ui.add(TextEdit::singleline(text).desired_width(f32::INFINITY));
        name_widget(&response, Role::TextInput, "指标名称");
        if state.rename_focus_pending {
            response.request_focus();
            state.rename_focus_pending = false;
        }
        if response.lost_focus() {
            let cancelled = ui.input(|i| i.key_pressed(Key::Escape));
            let name = text.clone();
            state.renaming = None;
            if !cancelled && name.trim() != node.name {
                actions.push(Action::Edit(Edit::Rename { id, name }));
            }
        }
        return;
    }
    let text = if depth == 1 {
        RichText::new(&node.name).strong()
    } else {
        RichText::new(&node.name)
    };
    let text = if node.scoring.not_applicable {
        text.weak().strikethrough()
    } else {
        text
    };
    ui.add(egui::Label::new(text).truncate().selectable(false));
}

/// A 分值 or 得分 cell of a leaf.
pub(super) fn number_cell_ui(
    ui: &mut egui::Ui,
    node: &Indicator,
    cell: Cell,
    leaves: &[NodeId],
    state: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let id = node.id;
    let stored = match cell {
        Cell::MaxPoints => Some(node.max_points),
        _ => node.scoring.score,
    };
    let key = (id, cell);
    let mut text = state.drafts.get(&key).map_or_else(
        || {
            stored
                .map(|d| d.normalize().to_string())
                .unwrap_or_default()
        },
        |d| d.text.clone(),
    );
    let error = state.drafts.get(&key).and_then(|d| d.error.clone());

    // Read the keys before the text field takes them for itself.
    let cell_id = egui::Id::unique(("单元格", id, cell));
    let had_focus = ui.memory(|m| m.has_focus(cell_id));
    let (tab, shift, up, down) = ui.input(|i| {
        (
            i.key_pressed(Key::Tab),
            i.modifiers.shift,
            i.key_pressed(Key::ArrowUp),
            i.key_pressed(Key::ArrowDown),
        )
    });
    let mut edit = TextEdit::singleline(&mut text)
        .id(cell_id)
        .desired_width(f32::INFINITY)
        .align(egui::Align2::RIGHT_CENTER)
        .lock_focus(true);
    if error.is_some() {
        edit = edit
            .text_color(ERROR_COLOR)
            .background_color(ERROR_COLOR.gamma_multiply(0.15));
    } else if cell == Cell::Score && stored.is_none() {
        edit = edit.hint_text("未评");
    }
    let response = ui.add(edit);
    name_widget(
        &response,
        Role::TextInput,
        format!("{} {}", node.name, cell.label()),
    );
    if let Some(error) = &error {
        response
            .clone()
            .on_hover_text(RichText::new(error).color(ERROR_COLOR));
    }
    if state.focus_request == Some(key) {
        focus_and_select_all(ui.ctx(), &response, cell_id, &text);
        state.focus_request = None;
    }

    if response.changed() {
        let parsed = parse_points(&text);
        let draft_error = match parsed {
            Err(message) => Some(message),
            Ok(value) => {
                let checked = match (cell, value) {
                    (Cell::MaxPoints, None) => Err("分值不能为空".to_owned()),
                    (Cell::MaxPoints, Some(max)) => {
                        check_max_points(node, max).map_err(|e| e.to_string())
                    }
                    (_, score) => check_score(node, score).map_err(|e| e.to_string()),
                };
                match checked {
                    Ok(()) => {
                        let edit = match cell {
                            Cell::MaxPoints => Edit::SetMaxPoints {
                                id,
                                max_points: value.unwrap_or_default(),
                            },
                            _ => Edit::SetScore { id, score: value },
                        };
                        actions.push(Action::Edit(edit));
                        None
                    }
                    Err(message) => Some(message),
                }
            }
        };
        state.drafts.insert(
            key,
            Draft {
                text: text.clone(),
                error: draft_error,
            },
        );
    }

    if had_focus && response.has_focus() {
        if tab || up || down {
            let back = (tab && shift) || up;
            move_focus(leaves, id, cell, back, state);
            leave_cell(state, key);
        }
    } else if response.lost_focus() {
        let (enter, escape) = ui.input(|i| (i.key_pressed(Key::Enter), i.key_pressed(Key::Escape)));
        if escape {
            state.drafts.remove(&key);
        } else {
            leave_cell(state, key);
        }
        if enter {
            move_focus(leaves, id, cell, false, state);
        } else {
            state.selected = Some(id);
        }
    }
}

/// Keeps an invalid draft visible; forgets one the document already holds.
fn leave_cell(state: &mut TableState, key: (NodeId, Cell)) {
    if state.drafts.get(&key).is_some_and(|d| d.error.is_none()) {
        state.drafts.remove(&key);
    }
}

fn move_focus(leaves: &[NodeId], id: NodeId, cell: Cell, back: bool, state: &mut TableState) {
    let Some(index) = leaves.iter().position(|l| *l == id) else {
        return;
    };
    let target = if back {
        index.checked_sub(1)
    } else {
        Some(index + 1)
    };
    if let Some(&next) = target.and_then(|t| leaves.get(t)) {
        state.focus_request = Some((next, cell));
        state.selected = Some(next);
        state.scroll_to = Some(next);
    }
}

static NO_TEXT: String = String::new();

/// A text cell of a leaf (扣分理由, 年度指标值, 实际完成值, 偏差原因分析及改进措施).
/// `missing_hint` is shown, highlighted, when the cell must be filled but is empty.
pub(super) fn text_cell_ui(
    ui: &mut egui::Ui,
    node: &Indicator,
    field: TextField,
    missing_hint: Option<&str>,
    state: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let id = node.id;
    let key = (id, Cell::Text(field));
    let stored = match field {
        TextField::Reason => &node.scoring.reason,
        TextField::Criteria => &node.criteria,
        TextField::Target => &node.scoring.target,
        TextField::Actual => &node.scoring.actual,
        TextField::Deviation => &node.scoring.deviation,
        TextField::Unit => &node.scoring.unit,
        TextField::ManualReason => node.scoring.manual_reason.as_ref().unwrap_or(&NO_TEXT),
    };
    let mut text = state
        .drafts
        .get(&key)
        .map_or_else(|| stored.clone(), |d| d.text.clone());
    let cell_id = egui::Id::unique(("单元格", id, key.1));
    let empty = text.trim().is_empty();
    let mut edit = TextEdit::singleline(&mut text)
        .id(cell_id)
        .desired_width(f32::INFINITY);
    if let Some(hint) = missing_hint.filter(|_| empty) {
        edit = edit
            .hint_text(RichText::new(hint).color(WARNING_COLOR))
            .background_color(WARNING_COLOR.gamma_multiply(0.15));
    }
    let response = ui.add(edit);
    if !text.is_empty() {
        response.clone().on_hover_text(&text);
    }
    name_widget(
        &response,
        Role::TextInput,
        format!("{} {}", node.name, key.1.label()),
    );
    if response.changed() {
        state.drafts.insert(
            key,
            Draft {
                text: text.clone(),
                error: None,
            },
        );
        actions.push(Action::Edit(Edit::SetText {
            id,
            field,
            text: text.clone(),
        }));
    }
    if response.lost_focus() {
        state.drafts.remove(&key);
        state.selected = Some(id);
    }
    if state.focus_request == Some(key) {
        focus_and_select_all(ui.ctx(), &response, cell_id, &text);
        state.focus_request = None;
    }
}

/// Whether a leaf lost points and says nowhere why.
pub(super) fn lost_points_unexplained(node: &Indicator) -> bool {
    node.scoring
        .score
        .is_some_and(|score| score < node.max_points)
        && node.scoring.reason.trim().is_empty()
        && node.scoring.deviation.trim().is_empty()
}

/// Arriving in a cell by keyboard selects what it holds, so typing replaces it, as in a
/// spreadsheet.
fn focus_and_select_all(ctx: &egui::Context, response: &egui::Response, id: egui::Id, text: &str) {
    response.request_focus();
    let mut edit_state = TextEdit::load_state(ctx, id).unwrap_or_default();
    edit_state
        .cursor
        .set_char_range(Some(egui::text_selection::CCursorRange::select_all_str(
            text,
        )));
    TextEdit::store_state(ctx, id, edit_state);
}

/// Keys that act on the selected row when no cell is being typed in.
fn keyboard(
    ctx: &egui::Context,
    doc: &Evaluation,
    state: &mut TableState,
    actions: &mut Vec<Action>,
) {
    if TableState::typing(ctx) || state.renaming.is_some() {
        return;
    }
    let (up, down, f2, delete, enter, left, right) = ctx.input(|i| {
        (
            i.key_pressed(Key::ArrowUp),
            i.key_pressed(Key::ArrowDown),
            i.key_pressed(Key::F2),
            i.key_pressed(Key::Delete),
            i.key_pressed(Key::Enter),
            i.key_pressed(Key::ArrowLeft),
            i.key_pressed(Key::ArrowRight),
        )
    });
    if !(up || down || f2 || delete || enter || left || right) {
        // Most frames: no key for the table, so no walk over its rows.
        return;
    }
    let rows = visible_rows(doc, &state.collapsed);
    let index = state
        .selected
        .and_then(|id| rows.iter().position(|r| r.node.id == id));
    if up || down {
        let target = match (index, up) {
            (None, _) => Some(0),
            (Some(i), true) => i.checked_sub(1),
            (Some(i), false) => Some(i + 1).filter(|t| *t < rows.len()),
        };
        if let Some(row) = target.and_then(|t| rows.get(t)) {
            state.selected = Some(row.node.id);
            state.scroll_to = Some(row.node.id);
        }
    }
    let Some(selected) = state.selected else {
        return;
    };
    if f2 {
        state.start_rename(doc, selected);
    }
    if delete {
        actions.push(Action::DeleteSelected);
    }
    if enter && doc.find(selected).is_some_and(Indicator::is_leaf) {
        state.focus_request = Some((selected, Cell::Score));
    }
    if left {
        state.collapsed.insert(selected);
    }
    if right {
        state.collapsed.remove(&selected);
    }
}
