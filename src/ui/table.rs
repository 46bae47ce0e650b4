//! The scoring table: one row per indicator, indented by level, edited in place.
//! Only the rows in view are built, so it stays smooth with thousands of indicators.

use std::collections::HashSet;

use eframe::egui::{self, Key, RichText, Role, TextEdit};
use egui_extras::TableBuilder;
use rust_decimal::Decimal;

use super::columns::{ColumnSpec, SharedColumns};
use super::commands::{Command, CommandContext};
use super::number_field::{Draft, Drafts, Leave, NumberField, number_field_ui, shown, start_draft};
use super::{Action, ERROR_COLOR, WARNING_COLOR, name_widget};
use crate::command::{Edit, Editor, TextField, check_max_points, check_score};
use crate::model::{Evaluation, Indicator, NodeId};
use crate::number::format2;
use crate::number::parse_decimal;
use crate::scoring::score_rate;

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

/// What the table remembers between frames; none of it is in the document.
#[derive(Debug, Default)]
pub struct TableState {
    pub selected: Option<NodeId>,
    collapsed: HashSet<NodeId>,
    /// Text typed into cells that is not (yet) in the document: a half-typed "8." or an
    /// invalid "12" on a 10-point leaf, until committed, fixed or abandoned with Esc.
    drafts: Drafts<(NodeId, Cell)>,
    /// The indicator being renamed (F2 or double-click) and the name typed so far.
    renaming: Option<(NodeId, String)>,
    rename_focus_pending: bool,
    /// The cell to put the cursor in, and whether to select what it holds.
    focus_request: Option<((NodeId, Cell), bool)>,
    scroll_to: Option<NodeId>,
    /// The row whose 得分 cell was drawn last, and the text cell drawn after it in the
    /// same row: where Tab goes from 得分 (扣分理由 here, 偏差原因 in the 自评表).
    score_row: Option<NodeId>,
    after_score: Option<TextField>,
    /// Tab left this row's last text cell: the next leaf's 得分 takes the cursor.
    score_after: Option<NodeId>,
    /// While a dialog is open the table takes no keys.
    pub keys_blocked: bool,
    /// Whether the table has been drawn since the document opened. egui remembers a
    /// scroll position per table, across documents and starts; a document opens at its
    /// top, where its selected first row is.
    shown: bool,
    /// The 扣分理由 column's width last drawn: a long reason wraps and its row grows.
    reason_width: f32,
    /// Bumped whenever `collapsed` changes, so the cached rows know they are stale.
    folds: u64,
    rows: RowCache,
}

/// The rows in view order with their heights, and the leaves in table order: computed
/// when the document, the folds or the 扣分理由 width change, not on every frame (a
/// frame with 2,000 leaves would spend a tenth of its time here).
#[derive(Debug, Default)]
struct RowCache {
    /// Revision, folds, and the bits of the widths and heights the rows were laid out in.
    key: Option<(u64, u64, [u32; 5])>,
    /// Each visible row as the child indices leading to it from the top level.
    paths: Vec<Box<[u32]>>,
    heights: Vec<f32>,
    leaves: Vec<NodeId>,
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
                self.unfold(ancestor);
            }
        }
        self.selected = Some(id);
        self.scroll_to = Some(id);
    }

    /// Puts the cursor into the 得分 cell of `id`.
    pub fn focus_score(&mut self, doc: &Evaluation, id: NodeId) {
        self.reveal(doc, id);
        self.focus_request = Some(((id, Cell::Score), true));
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
        self.folds += 1;
    }

    pub fn collapse_all(&mut self, doc: &Evaluation) {
        doc.visit(&mut |node, _| {
            if !node.is_leaf() {
                self.collapsed.insert(node.id);
            }
        });
        self.folds += 1;
    }

    fn fold(&mut self, id: NodeId) {
        if self.collapsed.insert(id) {
            self.folds += 1;
        }
    }

    fn unfold(&mut self, id: NodeId) {
        if self.collapsed.remove(&id) {
            self.folds += 1;
        }
    }

    /// The rows, their heights and the leaves for `editor`'s document, rebuilt only
    /// when something they depend on changed.
    fn refresh_rows(&mut self, editor: &Editor, row_height: f32, line_height: f32, glyphs: Glyphs) {
        let key = (
            editor.revision(),
            self.folds,
            [
                self.reason_width,
                row_height,
                line_height,
                glyphs.wide,
                glyphs.narrow,
            ]
            .map(f32::to_bits),
        );
        if self.rows.key == Some(key) {
            return;
        }
        let doc = editor.doc();
        let rows = visible_rows(doc, &self.collapsed);
        self.rows.heights = rows
            .iter()
            .map(|row| {
                let lines = reason_lines(row.node, self.reason_width, glyphs);
                row_height + (lines - 1) as f32 * line_height
            })
            .collect();
        self.rows.paths = rows.into_iter().map(|row| row.path.into()).collect();
        self.rows.leaves = leaf_ids(doc);
        self.rows.key = Some(key);
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

    /// Whether a 分值 or 得分 cell holds typing that is not in the document (text cells
    /// write to the document as they are typed).
    pub fn has_uncommitted(&self) -> bool {
        self.drafts
            .keys()
            .any(|(_, cell)| !matches!(cell, Cell::Text(_)))
    }

    /// Takes the figures being typed that the document would accept, as the edits that
    /// write them (Ctrl+S saves what a cell shows). Invalid drafts stay.
    pub fn take_valid_drafts(&mut self, doc: &Evaluation) -> Vec<Edit> {
        let mut edits = Vec::new();
        self.drafts.retain(|(id, cell), draft| {
            if draft.error.is_some() || matches!(cell, Cell::Text(_)) {
                return true;
            }
            let (Some(node), Ok(value)) = (doc.find(*id), parse_decimal(&draft.text)) else {
                return true;
            };
            let unchanged = match cell {
                Cell::MaxPoints => value == Some(node.max_points.normalize()),
                _ => value == node.scoring.score.map(|s| s.normalize()),
            };
            if unchanged {
                return false;
            }
            let edit = match (cell, value) {
                (Cell::MaxPoints, Some(max_points)) => {
                    check_max_points(node, max_points).map(|()| Edit::SetMaxPoints {
                        id: *id,
                        max_points,
                    })
                }
                (Cell::Score, score) => {
                    check_score(node, score).map(|()| Edit::SetScore { id: *id, score })
                }
                _ => return true,
            };
            match edit {
                Ok(edit) => {
                    edits.push(edit);
                    false
                }
                Err(_) => true,
            }
        });
        edits
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

    /// Whether the keyboard stays where it is: no cell is about to take it (Enter, Tab
    /// or a typed figure sent it on, and the cell may still be scrolling into view).
    fn keyboard_settled(&self) -> bool {
        self.focus_request.is_none() && self.score_after.is_none()
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

/// A row as drawn: the indicator and the child indices leading to it (their count is
/// its level, 1 = 一级).
struct Row<'a> {
    node: &'a Indicator,
    path: Vec<u32>,
}

fn visible_rows<'a>(doc: &'a Evaluation, collapsed: &HashSet<NodeId>) -> Vec<Row<'a>> {
    fn walk<'a>(
        nodes: &'a [Indicator],
        path: &mut Vec<u32>,
        collapsed: &HashSet<NodeId>,
        out: &mut Vec<Row<'a>>,
    ) {
        for (index, node) in (0u32..).zip(nodes) {
            path.push(index);
            out.push(Row {
                node,
                path: path.clone(),
            });
            if !collapsed.contains(&node.id) {
                walk(&node.children, path, collapsed, out);
            }
            path.pop();
        }
    }
    let mut rows = Vec::new();
    walk(&doc.indicators, &mut Vec::new(), collapsed, &mut rows);
    rows
}

/// The indicator at `path` (child indices from the top level).
fn node_at<'a>(doc: &'a Evaluation, path: &[u32]) -> Option<&'a Indicator> {
    let (first, rest) = path.split_first()?;
    let mut node = doc.indicators.get(*first as usize)?;
    for index in rest {
        node = node.children.get(*index as usize)?;
    }
    Some(node)
}

/// The leaves in table order, for Enter/Tab to walk through.
pub(super) fn leaf_ids(doc: &Evaluation) -> Vec<NodeId> {
    doc.leaves().iter().map(|l| l.id).collect()
}

/// How wide the body font draws a CJK character and a Latin one, in points.
#[derive(Clone, Copy, Debug)]
struct Glyphs {
    wide: f32,
    narrow: f32,
}

impl Glyphs {
    fn of_body(ui: &egui::Ui) -> Self {
        let font = egui::TextStyle::Body.resolve(ui.style());
        ui.fonts_mut(|f| Self {
            wide: f.glyph_width(&font, '中'),
            narrow: f.glyph_width(&font, '0'),
        })
    }
}

/// How many lines a leaf's 扣分理由 takes in a column `width` wide (at most 6; the
/// rest scrolls inside the cell, or ends in “…” in a submitted file). Estimated from the characters and the font's own
/// widths, with no layout, so that thousands of rows cost little; it errs towards one
/// line too many, never too few, so no reason is cut off.
fn reason_lines(node: &Indicator, width: f32, glyphs: Glyphs) -> usize {
    let reason = &node.scoring.reason;
    if !node.is_leaf() || reason.is_empty() || width <= 0.0 {
        return 1;
    }
    // The text field's margins, and a line broken at a word or before a closing mark
    // is not filled to the edge.
    let usable = (width - 16.0).max(40.0) * 0.92;
    let lines: f32 = reason
        .lines()
        .map(|line| {
            let drawn: f32 = line
                .chars()
                .map(|c| {
                    if c.is_ascii() {
                        glyphs.narrow
                    } else {
                        glyphs.wide
                    }
                })
                .sum();
            (drawn / usable).ceil().max(1.0)
        })
        .sum();
    (lines as usize).clamp(1, 6)
}

/// Draws the table and returns what the user asked for.
pub fn table_ui(
    ui: &mut egui::Ui,
    editor: &Editor,
    state: &mut TableState,
    actions: &mut Vec<Action>,
) {
    let doc = editor.doc();
    // An expert's file fixes the plan (分值); a submitted one fixes everything.
    let plan_fixed = doc.assignment.is_some();
    let sealed = doc.seal.is_some();
    let summary = editor.summary();
    keyboard(ui.ctx(), doc, state);

    let row_height = ui.spacing().interact_size.y + 6.0;
    let line_height = ui.text_style_height(&egui::TextStyle::Body);
    state.refresh_rows(editor, row_height, line_height, Glyphs::of_body(ui));
    // Taken out for the frame (the cells below borrow the state), put back after.
    let cache = std::mem::take(&mut state.rows);
    let leaves = &cache.leaves;
    let scroll_index = state.scroll_to.take().and_then(|id| {
        cache
            .paths
            .iter()
            .position(|path| node_at(doc, path).is_some_and(|n| n.id == id))
    });

    // 指标, 分值 and 得分 always show; the text columns share what is left, and a change
    // of the window's width in the proportions they have (a dragged width keeps its
    // share). The widths are remembered with the window.
    let figures_width = 64.0 + 72.0 + 70.0;
    let rest = (ui.available_width() - figures_width).max(360.0);
    let name_width = (rest * 0.34).clamp(160.0, 440.0);
    let reason_width = ((rest - name_width) * 0.6).max(120.0);
    let specs = [
        ColumnSpec::text(name_width, 140.0),
        ColumnSpec::figure(64.0, 50.0),
        ColumnSpec::figure(72.0, 56.0),
        ColumnSpec::figure(70.0, 56.0),
        ColumnSpec::text(reason_width, 120.0),
        ColumnSpec::text((rest - name_width - reason_width).max(80.0), 80.0),
    ];
    let mut columns = SharedColumns::plan(ui, "评分表", &specs, true);
    let drawn_reason_width = state.reason_width;
    let ctx = ui.ctx().clone();
    let builder = TableBuilder::new(ui)
        .id_salt("评分表")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .min_scrolled_height(0.0);
    let mut table = columns.columns(builder, &specs);
    if !std::mem::replace(&mut state.shown, true) {
        table = table.vertical_scroll_offset(0.0);
    }
    if let Some(index) = scroll_index {
        table = table.scroll_to_row(index, None);
    }

    table
        .header(row_height, |mut header| {
            for (index, title) in ["指标", "分值", "得分", "得分率", "扣分理由", "评分标准"]
                .into_iter()
                .enumerate()
            {
                header.col(|ui| {
                    columns.measure(index, ui);
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.heterogeneous_rows(cache.heights.iter().copied(), |mut table_row| {
                let path = &cache.paths[table_row.index()];
                let Some(node) = node_at(doc, path) else {
                    return;
                };
                let depth = path.len();
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
                        if arrow.clicked() {
                            if open {
                                state.fold(id);
                            } else {
                                state.unfold(id);
                            }
                        }
                    }
                    name_cell_ui(ui, node, depth, state, actions);
                });
                // 分值
                table_row.col(|ui| {
                    if node.is_leaf() && plan_fixed {
                        // An expert's file: 分值 come from the plan.
                        right_aligned(ui, RichText::new(node.max_points.normalize().to_string()));
                    } else if node.is_leaf() {
                        number_cell_ui(ui, node, Cell::MaxPoints, leaves, state, actions);
                    } else {
                        right_aligned(ui, RichText::new(format2(totals.max_points)).strong());
                    }
                });
                // 得分
                table_row.col(|ui| {
                    if node.is_leaf() {
                        if node.scoring.not_applicable {
                            ui.weak("不适用");
                        } else if sealed {
                            // Submitted: shown, not editable, until 撤回提交.
                            let shown = node.scoring.score.map(|s| s.normalize().to_string());
                            right_aligned(ui, RichText::new(shown.unwrap_or_default()));
                        } else {
                            number_cell_ui(ui, node, Cell::Score, leaves, state, actions);
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
                    if !node.is_leaf() || node.scoring.not_applicable {
                        return;
                    }
                    // The rows' heights follow this width, for a submitted file too.
                    state.reason_width = ui.available_width();
                    if sealed {
                        sealed_reason_ui(ui, &node.scoring.reason);
                    } else {
                        // The problem list's own rule: on a scoring table the 扣分理由.
                        let hint = (doc.info.kind == crate::model::EvaluationKind::Expert
                            && deduction_unexplained(editor, node.id))
                        .then_some("扣了分，请写扣分理由");
                        text_cell_ui(ui, node, TextField::Reason, hint, state, actions);
                    }
                });
                // 评分标准
                table_row.col(|ui| {
                    if !node.criteria.is_empty() {
                        ui.add(egui::Label::new(RichText::new(&node.criteria).weak()).truncate())
                            .on_hover_text(&node.criteria);
                    }
                    // The 其中 rows an imported table printed under it: shown, never scored.
                    if !node.details.is_empty() {
                        ui.weak(format!("其中 {} 项", node.details.len()))
                            .on_hover_text(node.details.join("\n"));
                    }
                });

                let response = table_row.response();
                if let Some(dragged) =
                    response.dnd_release_payload::<super::library_view::LibraryDrag>()
                {
                    actions.push(Action::DropFromLibrary(dragged.0.clone(), id));
                }
                if response.clicked() || response.secondary_clicked() {
                    state.selected = Some(id);
                }
                response.context_menu(|ui| {
                    let cx = CommandContext {
                        editor,
                        has_selection: true,
                        uncommitted: false,
                        dark: false,
                        zoom: 1.0,
                    };
                    for command in Command::ROW {
                        command.button_ui(ui, &cx, actions);
                    }
                    if node.is_leaf() {
                        ui.separator();
                        let label = if node.veto {
                            "取消一票否决"
                        } else {
                            "设为一票否决指标"
                        };
                        if ui
                            .button(label)
                            .on_hover_text("一票否决指标得 0 分（专家组中多数专家评 0 分）时，项目评为最低等级")
                            .clicked()
                        {
                            actions.push(Action::Edit(Edit::SetVeto {
                                id,
                                veto: !node.veto,
                            }));
                            ui.close();
                        }
                    }
                });
                if response.double_clicked() {
                    state.start_rename(doc, id);
                }
            });
        });
    state.rows = cache;
    if state.reason_width != drawn_reason_width {
        // The rows were laid out for another 扣分理由 width (the first frame of a
        // file, a dragged column): the next frame gives each reason its lines.
        ctx.request_repaint();
    }
    columns.remember(&ctx);
}

/// A submitted file's 扣分理由: as many lines as its row has, the last one ending in
/// “…” where more follows; the whole reason on hover.
fn sealed_reason_ui(ui: &mut egui::Ui, reason: &str) {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let line_height = ui.text_style_height(&egui::TextStyle::Body);
    let mut job = egui::text::LayoutJob::simple(
        reason.to_owned(),
        font,
        ui.visuals().text_color(),
        ui.available_width(),
    );
    job.wrap.max_rows = (ui.available_height() / line_height).floor().max(1.0) as usize;
    job.wrap.overflow_character = Some('…');
    // egui shows the whole text on hover when it was cut.
    ui.add(egui::Label::new(job).wrap());
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
            // The name is selected, so typing replaces "新指标".
            let name = text.clone();
            focus_cell(ui.ctx(), &response, response.id, &name, true);
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
    if node.veto {
        ui.colored_label(ERROR_COLOR, "否决")
            .on_hover_text("一票否决指标：得 0 分时项目评为最低等级");
    }
    ui.add(egui::Label::new(text).truncate().selectable(false));
}

/// A 分值 or 得分 cell of a leaf: the one number field, committed on Enter, Tab, an
/// arrow or leaving the cell, never on a keystroke.
pub(super) fn number_cell_ui(
    ui: &mut egui::Ui,
    node: &Indicator,
    cell: Cell,
    leaves: &[NodeId],
    state: &mut TableState,
    actions: &mut Vec<Action>,
) {
    if let Some(from) = state.score_after.take() {
        move_focus(leaves, from, Cell::Score, false, state);
    }
    let id = node.id;
    let stored = match cell {
        Cell::MaxPoints => Some(node.max_points),
        _ => node.scoring.score,
    };
    let key = (id, cell);
    if cell == Cell::Score {
        state.score_row = Some(id);
    }
    let label = format!("{} {}", node.name, cell.label());
    let field = NumberField {
        id: egui::Id::unique(("单元格", id, cell)),
        stored,
        label: &label,
        hint: (cell == Cell::Score).then_some("未评"),
        allow_blank: cell != Cell::MaxPoints,
    };
    let check = |value: Option<Decimal>| match (cell, value) {
        (Cell::MaxPoints, Some(max)) => check_max_points(node, max).map_err(|e| e.to_string()),
        (Cell::MaxPoints, None) => Err("分值不能为空".to_owned()),
        (_, score) => check_score(node, score).map_err(|e| e.to_string()),
    };
    let output = number_field_ui(ui, &mut state.drafts, key, &field, &check);
    if output.response.has_focus() && state.keyboard_settled() {
        // The highlighted row is the one being typed in. (egui reports a lost focus in
        // two passes running, so leaving a cell is no time to choose the row: by the
        // second report the keyboard is already in the next one.)
        state.selected = Some(id);
    }
    if let Some((request, select_all)) = state.focus_request
        && request == key
    {
        let text = state
            .drafts
            .get(&key)
            .map_or_else(|| shown(stored), |d| d.text.clone());
        focus_cell(ui.ctx(), &output.response, field.id, &text, select_all);
        state.focus_request = None;
    }
    if let Some(value) = output.commit {
        actions.push(Action::Edit(match cell {
            Cell::MaxPoints => Edit::SetMaxPoints {
                id,
                max_points: value.unwrap_or_default(),
            },
            _ => Edit::SetScore { id, score: value },
        }));
    }
    if let Some(reason) = output.reverted {
        actions.push(Action::Notify(
            format!(
                "{}的{}未改：{reason}，仍为 {}",
                node.name,
                cell.label(),
                stored.map_or_else(|| "未评".to_owned(), format2)
            ),
            true,
        ));
    }
    match output.left {
        Some(Leave::Enter | Leave::Down) => move_focus(leaves, id, cell, false, state),
        Some(Leave::Up) => move_focus(leaves, id, cell, true, state),
        Some(Leave::Tab { back: true }) => move_focus(leaves, id, cell, true, state),
        Some(Leave::Tab { back: false }) => match (cell, state.after_score) {
            (Cell::Score, Some(field)) => {
                state.focus_request = Some(((id, Cell::Text(field)), true));
            }
            _ => move_focus(leaves, id, cell, false, state),
        },
        Some(Leave::Escape | Leave::Elsewhere) | None => {}
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
        state.focus_request = Some(((next, cell), true));
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
    if state.score_row == Some(id) {
        // Drawn after this row's 得分: Tab from 得分 comes here.
        state.after_score = Some(field);
    }
    let had_focus = ui.memory(|m| m.has_focus(cell_id));
    let (tab, shift, enter) = ui.input(|i| {
        (
            i.key_pressed(Key::Tab),
            i.modifiers.shift,
            i.key_pressed(Key::Enter) && !i.modifiers.shift,
        )
    });
    if had_focus && tab {
        // Tab moves on (below); it is not typed into the text.
        ui.input_mut(|i| {
            i.consume_key(egui::Modifiers::NONE, Key::Tab);
            i.consume_key(egui::Modifiers::SHIFT, Key::Tab);
        });
    }
    let empty = text.trim().is_empty();
    // 扣分理由 wraps, and its row grows to show it (Shift+Enter starts a new line).
    let multiline = field == TextField::Reason;
    let mut edit = if multiline {
        let line_height = ui.text_style_height(&egui::TextStyle::Body);
        let rows = (ui.available_height() / line_height).floor().max(1.0) as usize;
        TextEdit::multiline(&mut text)
            .desired_rows(rows)
            .return_key(egui::KeyboardShortcut::new(
                egui::Modifiers::SHIFT,
                Key::Enter,
            ))
    } else {
        TextEdit::singleline(&mut text)
    }
    .id(cell_id)
    .lock_focus(true)
    .desired_width(f32::INFINITY);
    if let Some(hint) = missing_hint.filter(|_| empty) {
        edit = edit
            .hint_text(RichText::new(hint).color(WARNING_COLOR))
            .background_color(WARNING_COLOR.gamma_multiply(0.15));
    }
    let response = if multiline {
        // A reason longer than its row scrolls inside the cell, with its scroll bar
        // showing that more follows.
        egui::ScrollArea::vertical()
            .id_salt(("扣分理由滚动", id))
            .max_height(ui.available_height())
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.with_layout(egui::Layout::top_down_justified(egui::Align::Min), |ui| {
                    ui.add(edit)
                })
                .inner
            })
            .inner
    } else {
        ui.add(edit)
    };
    if !text.is_empty() && !multiline {
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
    if response.has_focus() && state.keyboard_settled() {
        state.selected = Some(id);
    }
    if response.lost_focus() {
        state.drafts.remove(&key);
    }
    if multiline && had_focus && enter && response.has_focus() {
        // Enter in 扣分理由 goes on to the next 得分, as Tab does.
        response.surrender_focus();
        state.score_after = Some(id);
    } else if had_focus && tab && response.has_focus() {
        if shift {
            state.focus_request = Some(((id, Cell::Score), true));
        } else {
            // The next leaf's 得分; the next number cell drawn knows the leaves' order.
            state.score_after = Some(id);
        }
    }
    if let Some((request, select_all)) = state.focus_request
        && request == key
    {
        focus_cell(ui.ctx(), &response, cell_id, &text, select_all);
        state.focus_request = None;
    }
}

/// Whether a leaf lost points and says nowhere why.
/// Whether the problems the editor holds say that `id` lost points without the text
/// that explains them: the cells hint where the problem list says, by one rule
/// (validate's), never by a rule of their own.
pub(super) fn deduction_unexplained(editor: &Editor, id: NodeId) -> bool {
    editor.problems().iter().any(|p| {
        p.kind == crate::validate::ProblemKind::DeductionWithoutReason && p.node == Some(id)
    })
}

/// Arriving in a cell by keyboard selects what it holds, so typing replaces it, as in a
/// spreadsheet; typing on a selected row puts the cursor after what was typed.
fn focus_cell(
    ctx: &egui::Context,
    response: &egui::Response,
    id: egui::Id,
    text: &str,
    select_all: bool,
) {
    response.request_focus();
    let mut edit_state = TextEdit::load_state(ctx, id).unwrap_or_default();
    let range = if select_all {
        egui::text_selection::CCursorRange::select_all_str(text)
    } else {
        egui::text_selection::CCursorRange::one(egui::text::CCursor::new(text.chars().count()))
    };
    edit_state.cursor.set_char_range(Some(range));
    TextEdit::store_state(ctx, id, edit_state);
}

/// Keys that act on the selected row when no cell is being typed in.
fn keyboard(ctx: &egui::Context, doc: &Evaluation, state: &mut TableState) {
    if TableState::typing(ctx) || state.renaming.is_some() || state.keys_blocked {
        return;
    }
    if let Some(selected) = state.selected
        && doc.seal.is_none()
        && let Some(typed) = typed_figure(ctx)
        && doc
            .find(selected)
            .is_some_and(|n| n.is_leaf() && !n.scoring.not_applicable)
    {
        // Typing a figure on a selected row starts editing its 得分, as in a spreadsheet.
        let key = (selected, Cell::Score);
        match state.drafts.get_mut(&key) {
            // The cell has not taken the keyboard yet (it is being scrolled into view):
            // what is typed meanwhile goes on after what was typed before.
            Some(draft) if state.focus_request == Some((key, false)) => {
                draft.text.push_str(&typed);
            }
            _ => start_draft(&mut state.drafts, key, typed),
        }
        state.focus_request = Some((key, false));
        state.scroll_to = Some(selected);
        return;
    }
    let (up, down, enter, left, right) = ctx.input(|i| {
        (
            i.key_pressed(Key::ArrowUp),
            i.key_pressed(Key::ArrowDown),
            i.key_pressed(Key::Enter),
            i.key_pressed(Key::ArrowLeft),
            i.key_pressed(Key::ArrowRight),
        )
    });
    if !(up || down || enter || left || right) {
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
    if enter && doc.find(selected).is_some_and(Indicator::is_leaf) {
        state.focus_request = Some(((selected, Cell::Score), true));
    }
    if left {
        state.fold(selected);
    }
    if right {
        state.unfold(selected);
    }
}

/// A digit (or a point or minus) typed with no cell focused; it is taken from the input
/// so the 得分 cell that takes over does not receive it twice.
fn typed_figure(ctx: &egui::Context) -> Option<String> {
    let starts_figure = |t: &str| {
        crate::number::fold_width(t)
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '-')
    };
    ctx.input_mut(|i| {
        let position = i.events.iter().position(|e| {
            matches!(e, egui::Event::Text(t) if starts_figure(t))
                && !i.modifiers.command
                && !i.modifiers.alt
        })?;
        let egui::Event::Text(first) = i.events.remove(position) else {
            return None;
        };
        // Later text in the same frame (fast typing, an IME's whole word) comes along.
        let mut typed = first;
        i.events.retain(|e| match e {
            egui::Event::Text(t) => {
                typed.push_str(t);
                false
            }
            _ => true,
        });
        Some(typed)
    })
}
