//! The 指标库 panel beside the table: find an indicator of the user's own evaluations (or
//! of the templates) by any part of its name or 评分标准 or by pinyin initials, see how
//! it was used, and insert it; for the indicator selected in the table, its history.

use eframe::egui::{self, RichText};

use super::{Action, WARNING_COLOR};
use crate::library::{Entry, Filter, Library, Use};
use crate::model::Evaluation;
use crate::number::format2;

/// What the panel remembers between frames. The search and the selected row's history
/// are computed when what they depend on changes, not every frame.
#[derive(Debug, Default)]
pub struct LibraryViewState {
    pub query: String,
    /// 一级 filter; empty for all.
    pub level1: String,
    /// 自评 / 专家评价 / 模板; empty for all.
    pub kind: String,
    /// The entry whose uses are shown.
    pub selected: Option<String>,
    /// 年度 filter; empty for all.
    pub year: String,
    /// Whether hidden entries are listed too.
    pub show_hidden: bool,
    searched: Option<(String, String, String, u64, bool, String)>,
    rows: Vec<Row>,
    found: usize,
    leaf: Option<(String, String, u64, String)>,
    leaf_history: Vec<Use>,
    leaf_warnings: Vec<String>,
    /// The standard 评分标准 being edited: (entry key, text).
    criteria_draft: Option<(String, String)>,
}

/// One search result, as listed.
#[derive(Clone, Debug)]
struct Row {
    key: String,
    name: String,
    path: crate::model::IndicatorPath,
    curation: crate::library::Curation,
    mark: Option<crate::library::Mark>,
    real_uses: usize,
    criteria: String,
    uses: Vec<Use>,
}

/// What is dragged from the 指标库 onto the table: an entry's key.
#[derive(Clone, Debug)]
pub struct LibraryDrag(pub String);

/// How many results are listed; a search that finds more says so.
const SHOWN: usize = 200;

/// The panel. `library` is `None` while it is being read (`generation` changes whenever
/// it is replaced); `selected_leaf` is the table's selected indicator (一级, name), whose
/// history is shown, and `target` its 年度指标值 (the history is looked up again only
/// when one of them changes, not on every edit).
#[allow(clippy::too_many_arguments)]
pub fn library_ui(
    ui: &mut egui::Ui,
    library: Option<&Library>,
    error: Option<&str>,
    generation: u64,
    doc: &Evaluation,
    target: &str,
    selected_leaf: Option<(String, String)>,
    state: &mut LibraryViewState,
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        ui.heading("指标库");
        if ui
            .button("添加文件夹…")
            .on_hover_text("把一个文件夹（含子文件夹）中的评价文件和表格加入指标库")
            .clicked()
        {
            actions.push(Action::ChooseLibraryFolder);
        }
    });
    let Some(library) = library else {
        match error {
            Some(message) => {
                ui.add(egui::Label::new(RichText::new(message).color(super::ERROR_COLOR)).wrap());
                if ui.button("重试").clicked() {
                    actions.push(Action::ReloadLibrary);
                }
            }
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("正在读取指标库…");
                });
            }
        }
        return;
    };
    if library.folders.is_empty() {
        ui.add(
            egui::Label::new(RichText::new("现有内置模板的指标。添加存放历年评价的文件夹后，可查找自己用过的指标和历年数据。").weak())
                .wrap(),
        );
    } else {
        ui.weak(format!(
            "{} 个文件夹，{} 个文件",
            library.folders.len(),
            library.files.len()
        ));
    }
    let label = ui.label("查找");
    ui.add(
        egui::TextEdit::singleline(&mut state.query)
            .hint_text("名称、评分标准或拼音首字母，如 myd")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    // Wraps in a narrow panel rather than running past its edge.
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("类型");
        egui::ComboBox::from_id_salt("指标库类型")
            .selected_text(if state.kind.is_empty() {
                "全部"
            } else {
                state.kind.as_str()
            })
            .show_ui(ui, |ui| {
                for kind in ["", "自评", "专家评价", "模板"] {
                    let shown = if kind.is_empty() { "全部" } else { kind };
                    ui.selectable_value(&mut state.kind, kind.to_owned(), shown);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("一级");
        ui.add(egui::TextEdit::singleline(&mut state.level1).desired_width(80.0))
            .labelled_by(label.id);
        let label = ui.label("年度");
        ui.add(egui::TextEdit::singleline(&mut state.year).desired_width(48.0))
            .labelled_by(label.id);
        ui.checkbox(&mut state.show_hidden, "含隐藏");
    });

    // The selected table row's history: what a project unit sets next year's target
    // from, and how an expert sees the same indicator scored before.
    let leaf_key = selected_leaf
        .as_ref()
        .map(|(l, n)| (l.clone(), n.clone(), generation, target.to_owned()));
    if state.leaf != leaf_key {
        state.leaf_history.clear();
        state.leaf_warnings.clear();
        if let Some((level1, name)) = &selected_leaf
            && let Some(entry) = library.entry(level1, name)
            && entry.real_uses() > 0
        {
            let mine = entry.history_of(&doc.info.name);
            // The latest years first, as the other lists.
            let mut uses = if mine.is_empty() {
                entry.uses.clone()
            } else {
                mine
            };
            uses.sort_by(|a, b| b.year.cmp(&a.year));
            state.leaf_history = uses.into_iter().cloned().collect();
            let tail = format!("/ {name}”");
            let head = format!("“{name}”");
            state.leaf_warnings = crate::library::lowered_targets(doc, library)
                .into_iter()
                .filter(|w| w.contains(&tail) || w.starts_with(&head))
                .collect();
        }
        state.leaf = leaf_key;
    }
    if let Some((_, name)) = &selected_leaf
        && !state.leaf_history.is_empty()
    {
        ui.separator();
        ui.strong(format!("所选指标“{name}”的历年情况"));
        let uses: Vec<&Use> = state.leaf_history.iter().collect();
        uses_ui(ui, "所选指标历年", &uses);
        for warning in &state.leaf_warnings {
            ui.add(egui::Label::new(RichText::new(warning).color(WARNING_COLOR)).wrap());
        }
    }

    ui.separator();
    let searched = (
        state.query.clone(),
        state.level1.trim().to_owned(),
        state.kind.clone(),
        generation,
        state.show_hidden,
        state.year.trim().to_owned(),
    );
    let new_search = state.searched.as_ref() != Some(&searched);
    if new_search {
        let filter = Filter {
            level1: Some(searched.1.clone()).filter(|l| !l.is_empty()),
            kind: Some(searched.2.clone()).filter(|k| !k.is_empty()),
            year: Some(searched.5.clone()).filter(|y| !y.is_empty()),
            show_hidden: searched.4,
        };
        let found = library.search(&searched.0, &filter);
        state.found = found.len();
        state.rows = found.iter().take(SHOWN).map(Row::of).collect();
        state.searched = Some(searched);
    }
    ui.label(if state.found > SHOWN {
        format!("找到 {} 项，列出前 {SHOWN} 项", state.found)
    } else {
        format!("找到 {} 项", state.found)
    });
    // The list keeps its height whatever is found or chosen, so nothing moves while a
    // search is typed; the chosen entry's details scroll in the space below it.
    let height = (ui.available_height() * 0.5).max(120.0);
    let mut chosen = state.selected.clone();
    let mut list = egui::ScrollArea::vertical()
        .id_salt("指标库结果")
        .max_height(height)
        .auto_shrink([false, false]);
    if new_search {
        // A new search starts at its best match.
        list = list.vertical_scroll_offset(0.0);
    }
    list.show(ui, |ui| {
        for row in &state.rows {
            row_ui(ui, row, &mut chosen, actions);
        }
    });
    state.selected = chosen;
    ui.separator();
    egui::ScrollArea::both()
        .id_salt("指标库条目")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let Some(row) = state
                .selected
                .as_ref()
                .and_then(|key| state.rows.iter().find(|r| &r.key == key))
            else {
                ui.add(
                    egui::Label::new(
                        RichText::new("点一项指标，查看它的评分标准和历年使用情况。").weak(),
                    )
                    .wrap(),
                );
                return;
            };
            ui.strong(row.path.to_string());
            if !row.criteria.is_empty() {
                ui.add(
                    egui::Label::new(RichText::new(format!("评分标准：{}", row.criteria)).weak())
                        .wrap(),
                );
            }
            let uses: Vec<&Use> = row.uses.iter().collect();
            uses_ui(ui, "所选条目历年", &uses);
            if row.path.names().len() >= 3
                && ui
                    .button("插入其二级指标")
                    .on_hover_text(
                        "把这项指标所在的整组二级指标（含其下各项指标和评分标准）插入评分表",
                    )
                    .clicked()
            {
                actions.push(Action::InsertGroupFromLibrary(row.key.clone()));
            }
            curation_ui(ui, row, &mut state.criteria_draft, actions);
        });
}

/// 共性 / 个性, 隐藏 and the standard 评分标准 of the chosen entry.
fn curation_ui(
    ui: &mut egui::Ui,
    row: &Row,
    draft: &mut Option<(String, String)>,
    actions: &mut Vec<Action>,
) {
    use crate::library::{Curation, Mark};
    let current = &row.curation;
    let send = |curation: Curation, actions: &mut Vec<Action>| {
        actions.push(Action::CurateLibrary(row.key.clone(), curation));
    };
    ui.horizontal(|ui| {
        for mark in [Mark::Common, Mark::Individual] {
            let on = current.mark == Some(mark);
            if ui
                .selectable_label(on, format!("{}指标", mark.label()))
                .clicked()
            {
                send(
                    Curation {
                        mark: if on { None } else { Some(mark) },
                        ..current.clone()
                    },
                    actions,
                );
            }
        }
        if ui
            .button(if current.hidden {
                "恢复显示"
            } else {
                "隐藏"
            })
            .on_hover_text("隐藏的指标不在查找结果中列出")
            .clicked()
        {
            send(
                Curation {
                    hidden: !current.hidden,
                    ..current.clone()
                },
                actions,
            );
        }
    });
    if draft.as_ref().is_none_or(|(key, _)| *key != row.key) {
        *draft = Some((
            row.key.clone(),
            current
                .criteria
                .clone()
                .unwrap_or_else(|| row.criteria.clone()),
        ));
    }
    if let Some((_, text)) = draft {
        let label = ui.label("标准评分标准");
        ui.add(
            egui::TextEdit::multiline(text)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        if ui.button("保存标准评分标准").clicked() {
            send(
                Curation {
                    criteria: Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
                    ..current.clone()
                },
                actions,
            );
        }
    }
}

impl Row {
    fn of(entry: &Entry<'_>) -> Self {
        Self {
            key: entry.key.clone(),
            name: entry.name.clone(),
            path: entry.path.clone(),
            curation: entry.curation.clone(),
            mark: entry.curation.mark,
            real_uses: entry.real_uses(),
            criteria: entry.criteria(),
            uses: entry.uses.iter().take(12).map(|u| (*u).clone()).collect(),
        }
    }
}

fn row_ui(ui: &mut egui::Ui, row: &Row, chosen: &mut Option<String>, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let is_chosen = chosen.as_deref() == Some(row.key.as_str());
        let mut text = row.name.clone();
        if let Some(mark) = row.mark {
            text.push_str(&format!("【{}】", mark.label()));
        }
        // The name can be dragged onto a row of the table to insert it there.
        let response = ui
            .dnd_drag_source(
                egui::Id::unique(("指标库拖动", &row.key)),
                LibraryDrag(row.key.clone()),
                |ui| ui.selectable_label(is_chosen, text),
            )
            .inner
            .on_hover_text(format!(
                "{}\n{}\n拖到评分表中的一行：插入到该行之后；拖到分组上则插入为其下级",
                row.path, row.criteria
            ));
        if response.clicked() {
            *chosen = Some(row.key.clone());
        }
        let used = match row.real_uses {
            0 => "模板".to_owned(),
            n => format!("用过 {n} 次"),
        };
        ui.weak(used);
        if ui
            .small_button("插入")
            .on_hover_text("插入到评分表中所选指标之后（选中的是分组时插入为其下级）")
            .clicked()
        {
            actions.push(Action::InsertFromLibrary(row.key.clone()));
        }
    });
}

fn uses_ui(ui: &mut egui::Ui, id: &str, uses: &[&Use]) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            for title in [
                "年度",
                "项目",
                "年度指标值",
                "实际完成值",
                "得分",
                "扣分理由",
            ] {
                ui.strong(title);
            }
            ui.end_row();
            for item in uses.iter().take(12) {
                ui.label(&item.year);
                ui.add(egui::Label::new(&item.project).truncate())
                    .on_hover_text(&item.file);
                ui.label(&item.target);
                ui.label(&item.actual);
                ui.label(item.score.map(format2).unwrap_or_default());
                ui.add(egui::Label::new(&item.reason).truncate());
                ui.end_row();
            }
        });
    if uses.len() > 12 {
        ui.weak(format!("另有 {} 次使用", uses.len() - 12));
    }
}
