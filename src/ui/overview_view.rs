//! The 汇总 view: every evaluation of a folder, one row each, sortable by any column and
//! filtered by any text; a row opens its project, and 汇总 brings the list back as it
//! was left. Beside it, the grades, the 自评 that exceed their expert score and the
//! deductions that recur.

use eframe::egui::{self, RichText};
use egui_extras::{Column, TableBuilder};
use rust_decimal::prelude::ToPrimitive;

use super::{Action, ERROR_COLOR, WARNING_COLOR};
use crate::overview::{Overview, Project};

/// A column the list can be sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Total,
    Name,
    Kind,
    Year,
    Rating,
    Problems,
    Unit,
    Department,
    Budget,
    Progress,
}

/// What the view keeps: the season read, and how the user last looked at it.
#[derive(Debug, Default)]
pub struct OverviewState {
    pub data: Option<Overview>,
    pub sort: SortKey,
    /// Ascending instead of the column's natural order (best first, A→Z).
    pub reversed: bool,
    pub filter: String,
}

impl OverviewState {
    /// The projects shown, in the order chosen, as their places in the ranking (the
    /// overview holds them best first, so a project's 名次 is its index + 1).
    pub fn rows(&self) -> Vec<usize> {
        let Some(data) = &self.data else {
            return Vec::new();
        };
        let needle = self.filter.trim();
        let mut rows: Vec<usize> = (0..data.projects.len())
            .filter(|&i| {
                let p = &data.projects[i];
                needle.is_empty()
                    || [&p.name, &p.unit, &p.department, &p.year, p.kind]
                        .iter()
                        .any(|t| t.contains(needle))
                    || p.rating.as_deref().is_some_and(|r| r.contains(needle))
            })
            .collect();
        // Best grade first, in each document's own scale; unfinished last.
        let rank = |p: &Project| p.rating_rank.unwrap_or(usize::MAX);
        rows.sort_by(|&a, &b| {
            let (a, b) = (&data.projects[a], &data.projects[b]);
            let order = match self.sort {
                SortKey::Total => b.total_value.cmp(&a.total_value),
                SortKey::Name => a.name.cmp(&b.name),
                SortKey::Kind => a.kind.cmp(b.kind),
                SortKey::Year => b.year.cmp(&a.year),
                SortKey::Rating => rank(a).cmp(&rank(b)),
                SortKey::Problems => b.problems.cmp(&a.problems),
                SortKey::Unit => a.unit.cmp(&b.unit),
                SortKey::Department => a.department.cmp(&b.department),
                SortKey::Budget => b.budget.cmp(&a.budget),
                // The least finished first: what still needs scoring.
                SortKey::Progress => {
                    (a.scored * b.applicable.max(1)).cmp(&(b.scored * a.applicable.max(1)))
                }
            };
            order.then(a.path.cmp(&b.path))
        });
        if self.reversed {
            rows.reverse();
        }
        rows
    }
}

/// Draws the view; `loading` is (files read, files in all) while a folder is being read.
pub fn overview_ui(
    ui: &mut egui::Ui,
    state: &mut OverviewState,
    loading: Option<(usize, usize)>,
    actions: &mut Vec<Action>,
) {
    if let Some((done, of)) = loading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("正在读取 {done}/{of} 个文件…"));
            if ui.button("取消").clicked() {
                actions.push(Action::CancelOverview);
            }
        });
    }
    let Some(data) = &state.data else {
        if loading.is_none() {
            ui.label("还没有打开文件夹。");
        }
        return;
    };
    let counts: Vec<String> = data
        .ratings_in_order()
        .into_iter()
        .map(|(grade, n)| format!("{grade} {n}"))
        .collect();
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("共 {} 个项目", data.projects.len()));
        ui.label(counts.join("　"));
        if !data.unreadable.is_empty() {
            ui.colored_label(
                ERROR_COLOR,
                format!("{} 个文件无法读取", data.unreadable.len()),
            );
        }
        if !data.skipped.is_empty() {
            ui.weak(format!("跳过 {} 个不是评价表的文件", data.skipped.len()))
                .on_hover_text(
                    data.skipped
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
        }
    });
    let inflated: Vec<String> = data
        .pairs
        .iter()
        .filter(|p| p.inflated)
        .map(|p| {
            format!(
                "{}（自评 {}，专家 {}，高出 {}）",
                p.name, p.self_total, p.expert_total, p.gap
            )
        })
        .collect();
    if !inflated.is_empty() {
        ui.colored_label(
            WARNING_COLOR,
            format!("自评高出专家评分 10 分以上：{}", inflated.join("；")),
        );
    }
    if let Some(theme) = data.themes.first() {
        ui.weak(format!(
            "最常见的扣分：{}（{} 次，{} 个项目）",
            theme.text,
            theme.count,
            theme.projects.len()
        ));
    }
    egui::CollapsingHeader::new("图表")
        .id_salt("汇总图表")
        .default_open(false)
        .show(ui, |ui| charts_ui(ui, data));
    egui::CollapsingHeader::new("常见扣分与自评对比")
        .id_salt("汇总扣分")
        .default_open(false)
        .show(ui, |ui| deductions_ui(ui, data));
    ui.horizontal(|ui| {
        ui.label("筛选");
        ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .hint_text("项目名称、单位、年度、级别…")
                .desired_width(220.0),
        );
        ui.weak("点击列名排序，再点一次反过来；点击项目名称打开该项目。");
    });

    let rows = state.rows();
    let row_height = ui.spacing().interact_size.y + 4.0;
    // Room kept under the table for the files that could not be read.
    let listed = data.unreadable.len().min(UNREADABLE_SHOWN);
    let below = if listed == 0 {
        0.0
    } else {
        row_height * (listed as f32 + 1.5)
    };
    let mut clicked_sort = None;
    let mut open = None;
    // A narrow window scrolls the columns sideways rather than cutting them off.
    egui::ScrollArea::horizontal()
        .id_salt("汇总横向")
        .show(ui, |ui| {
            let height = (ui.available_height() - below).max(row_height * 4.0);
            TableBuilder::new(ui)
                .id_salt("汇总")
                .striped(true)
                .resizable(true)
                .sense(egui::Sense::click())
                .max_scroll_height(height)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::initial(44.0))
                .column(Column::initial(240.0).at_least(120.0).clip(true))
                .column(Column::initial(130.0).clip(true))
                .column(Column::initial(110.0).clip(true))
                .column(Column::initial(72.0))
                .column(Column::initial(52.0))
                .column(Column::initial(96.0).clip(true))
                .column(Column::initial(76.0))
                .column(Column::initial(96.0))
                .column(Column::initial(48.0))
                .column(Column::remainder().at_least(60.0).clip(true))
                .header(row_height, |mut header| {
                    for (title, key) in [
                        ("名次", Some(SortKey::Total)),
                        ("项目名称", Some(SortKey::Name)),
                        ("项目单位", Some(SortKey::Unit)),
                        ("主管部门", Some(SortKey::Department)),
                        ("评价类型", Some(SortKey::Kind)),
                        ("年度", Some(SortKey::Year)),
                        ("预算金额", Some(SortKey::Budget)),
                        ("综合得分", Some(SortKey::Total)),
                        ("绩效评定级别", Some(SortKey::Rating)),
                        ("问题", Some(SortKey::Problems)),
                        ("已评", Some(SortKey::Progress)),
                    ] {
                        header.col(|ui| {
                            let marked = key == Some(state.sort) && title != "名次";
                            let text = if marked {
                                format!("{title}{}", if state.reversed { " ▲" } else { " ▼" })
                            } else {
                                title.to_owned()
                            };
                            match key {
                                Some(key) => {
                                    if ui
                                        .add(
                                            egui::Button::new(RichText::new(text).strong())
                                                .frame(false),
                                        )
                                        .clicked()
                                    {
                                        clicked_sort = Some(key);
                                    }
                                }
                                None => {
                                    ui.strong(text);
                                }
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_height, rows.len(), |mut row| {
                        let Some(&place) = rows.get(row.index()) else {
                            return;
                        };
                        let Some(p) = data.projects.get(place) else {
                            return;
                        };
                        row.col(|ui| {
                            // The ranking is known once every file is read.
                            if loading.is_none() {
                                ui.label((place + 1).to_string());
                            }
                        });
                        row.col(|ui| {
                            // The name opens the project, as a link does.
                            let name = RichText::new(&p.name).color(ui.visuals().hyperlink_color);
                            let response = ui
                                .add(
                                    egui::Label::new(name)
                                        .truncate()
                                        .sense(egui::Sense::click()),
                                )
                                .on_hover_cursor(egui::CursorIcon::PointingHand)
                                .on_hover_text(format!("打开 {}", p.path.display()));
                            if response.clicked() {
                                open = Some(p.path.clone());
                            }
                        });
                        row.col(|ui| {
                            ui.add(egui::Label::new(&p.unit).truncate());
                        });
                        row.col(|ui| {
                            ui.add(egui::Label::new(&p.department).truncate());
                        });
                        row.col(|ui| {
                            ui.label(p.kind);
                        });
                        row.col(|ui| {
                            ui.label(&p.year);
                        });
                        row.col(|ui| {
                            if let Some(yuan) = p.budget {
                                ui.label(crate::number::wan_yuan(yuan));
                            }
                        });
                        row.col(|ui| {
                            ui.label(RichText::new(&p.total).strong());
                        });
                        row.col(|ui| match &p.rating {
                            Some(rating) => {
                                ui.label(rating);
                            }
                            None => {
                                ui.weak(crate::scoring::INCOMPLETE);
                            }
                        });
                        row.col(|ui| {
                            if p.errors > 0 {
                                ui.colored_label(ERROR_COLOR, p.problems.to_string());
                            } else {
                                ui.label(p.problems.to_string());
                            }
                        });
                        row.col(|ui| {
                            ui.label(format!("{}/{}", p.scored, p.applicable));
                        });
                        if row.response().double_clicked() {
                            open = Some(p.path.clone());
                        }
                    });
                });
        });
    unreadable_ui(ui, data);
    if let Some(key) = clicked_sort {
        if state.sort == key {
            state.reversed = !state.reversed;
        } else {
            state.sort = key;
            state.reversed = false;
        }
    }
    if let Some(path) = open {
        actions.push(Action::Open(path));
    }
}

/// How many unreadable files are listed under the table before the list scrolls.
const UNREADABLE_SHOWN: usize = 6;

/// The files that could not be read, each with its message, under the table.
fn unreadable_ui(ui: &mut egui::Ui, data: &Overview) {
    if data.unreadable.is_empty() {
        return;
    }
    ui.colored_label(
        ERROR_COLOR,
        format!("无法读取的文件（{} 个）：", data.unreadable.len()),
    );
    let line = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .id_salt("汇总无法读取")
        .max_height(line * UNREADABLE_SHOWN as f32)
        .show(ui, |ui| {
            for file in &data.unreadable {
                ui.label(&file.message)
                    .on_hover_text(file.path.display().to_string());
            }
        });
}

/// The recurring deductions with their projects, the indicators that lose most, and
/// every 自评 beside its expert score.
fn deductions_ui(ui: &mut egui::Ui, data: &Overview) {
    egui::ScrollArea::vertical()
        .id_salt("汇总扣分列表")
        .max_height(220.0)
        .show(ui, |ui| {
            ui.strong("常见扣分理由（次数，涉及项目）");
            for theme in data.themes.iter().take(20) {
                ui.label(format!(
                    "{}（{} 次）：{}",
                    theme.text,
                    theme.count,
                    theme.projects.join("、")
                ));
            }
            ui.add_space(4.0);
            ui.strong("平均扣分最多的指标");
            for costly in data.costly.iter().take(10) {
                ui.label(format!(
                    "{}：平均扣 {} 分（评分 {} 次）",
                    costly.name, costly.mean_lost, costly.uses
                ));
            }
            if !data.pairs.is_empty() {
                ui.add_space(4.0);
                ui.strong("自评与专家评分");
                for pair in &data.pairs {
                    let text = format!(
                        "{}（{}）：自评 {}，专家 {}，差 {}",
                        pair.name, pair.year, pair.self_total, pair.expert_total, pair.gap
                    );
                    if pair.inflated {
                        ui.colored_label(WARNING_COLOR, text);
                    } else {
                        ui.label(text);
                    }
                }
            }
        });
}

/// One bar of a chart: its category, its length as a share of the longest possible,
/// and its figure as text.
struct ChartBar {
    name: String,
    share: f32,
    figure: String,
}

/// One bar chart with named categories: each bar lies on its own line with its name and
/// its figure, so every category is named however many there are and however narrow
/// the column (a plot's axis names only the marks it has room for).
fn bars_ui(ui: &mut egui::Ui, id: &str, title: &str, bars: &[ChartBar]) {
    ui.strong(title);
    let name_width = ui.available_width() * 0.4;
    egui::Grid::new(id).num_columns(2).show(ui, |ui| {
        for bar in bars {
            ui.add_sized(
                [name_width, ui.spacing().interact_size.y],
                egui::Label::new(bar.name.as_str()).truncate(),
            );
            ui.add(
                egui::ProgressBar::new(bar.share.clamp(0.0, 1.0))
                    .text(bar.figure.as_str())
                    .desired_width(ui.available_width().max(60.0)),
            );
            ui.end_row();
        }
    });
}

/// Counts as bars, each against the largest.
fn count_bars<'a>(counts: impl IntoIterator<Item = (&'a str, usize)>) -> Vec<ChartBar> {
    let counts: Vec<(&str, usize)> = counts.into_iter().collect();
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    counts
        .into_iter()
        .map(|(name, n)| ChartBar {
            name: name.to_owned(),
            share: n as f32 / most as f32,
            figure: n.to_string(),
        })
        .collect()
}

/// The season's distribution, grades and mean 得分率 per 一级, as the workbook's 分布
/// sheet has them (the same figures, computed once in the overview).
fn charts_ui(ui: &mut egui::Ui, data: &Overview) {
    ui.columns(3, |columns| {
        bars_ui(
            &mut columns[0],
            "汇总分布",
            "综合得分分布（项目数）",
            &count_bars(data.band_counts()),
        );
        bars_ui(
            &mut columns[1],
            "汇总级别",
            "各绩效评定级别的项目数",
            &count_bars(data.ratings_in_order()),
        );
        let means: Vec<ChartBar> = data
            .group_means()
            .into_iter()
            .map(|(name, mean)| ChartBar {
                name,
                // The length is drawing only; the figure is the exact mean, rounded once.
                share: mean
                    .and_then(|m| (m / rust_decimal::Decimal::ONE_HUNDRED).to_f32())
                    .unwrap_or_default(),
                figure: mean
                    .map(|m| format!("{}%", crate::number::format2(m)))
                    .unwrap_or_else(|| "—".to_owned()),
            })
            .collect();
        bars_ui(
            &mut columns[2],
            "汇总得分率",
            "各一级指标平均得分率（%）",
            &means,
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn project(
        name: &str,
        total: &str,
        department: &str,
        budget: Option<&str>,
        scored: usize,
    ) -> Project {
        Project {
            path: PathBuf::from(format!("{name}.ron")),
            name: name.to_owned(),
            unit: String::new(),
            department: department.to_owned(),
            kind: "专家评价",
            year: "2023".to_owned(),
            budget: budget.map(|b| b.parse().unwrap_or_default()),
            total: total.to_owned(),
            max_total: "100.00".to_owned(),
            rating: None,
            rating_rank: None,
            complete: scored == 4,
            scored,
            applicable: 4,
            groups: Vec::new(),
            problems: 0,
            errors: 0,
            warnings: 0,
            total_value: total.parse().unwrap_or_default(),
        }
    }

    fn names(state: &OverviewState) -> Vec<&str> {
        let data = state.data.as_ref().unwrap();
        state
            .rows()
            .into_iter()
            .map(|i| data.projects[i].name.as_str())
            .collect()
    }

    #[test]
    fn the_list_sorts_by_the_column_chosen_and_filters_by_any_text() {
        let mut state = OverviewState {
            data: Some(Overview {
                projects: vec![
                    project("甲", "70.00", "水务局", Some("500000"), 4),
                    project("乙", "90.00", "交通运输局", None, 1),
                    project("丙", "80.00", "水务局", Some("2000000"), 3),
                ],
                ..Overview::default()
            }),
            ..OverviewState::default()
        };
        assert_eq!(names(&state), ["乙", "丙", "甲"]);
        state.sort = SortKey::Budget;
        assert_eq!(names(&state), ["丙", "甲", "乙"]);
        state.sort = SortKey::Progress;
        assert_eq!(names(&state), ["乙", "丙", "甲"]);
        state.reversed = true;
        assert_eq!(names(&state), ["甲", "丙", "乙"]);
        state.sort = SortKey::Total;
        state.reversed = false;
        state.filter = "水务".to_owned();
        assert_eq!(names(&state), ["丙", "甲"]);
    }
}
