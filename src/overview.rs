//! A season at a glance: every evaluation in a folder, one row each, with what the
//! season's figures say together — the ranking, the grades, the deductions that recur,
//! and each project's 自评 beside its expert score.
//!
//! Files are read one by one; one that cannot be read is listed with its message and
//! never stops the rest.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::import::ImportError;
use crate::model::{Evaluation, EvaluationKind};
use crate::number::{format2, round2};
use crate::open::OpenError;
use crate::scoring::{Summary, summarize};
use crate::validate::{Severity, validate};

/// A 自评 this many points above its expert score is the usual sign of an inflated
/// self-assessment.
pub const INFLATED_GAP: Decimal = Decimal::TEN;

/// The most files one overview reads (a season is hundreds; this bounds a wrong folder).
pub const MAX_FILES: usize = 20_000;

/// One project of the season.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Project {
    pub path: PathBuf,
    pub name: String,
    pub unit: String,
    pub department: String,
    /// 专家评价, 自评 or 专家组.
    pub kind: &'static str,
    pub year: String,
    /// 预算金额 in 元 (the document's one budget), without trailing zeros; shown in
    /// 万元 ([`crate::number::wan_yuan`]).
    pub budget: Option<Decimal>,
    /// 综合得分, two decimals.
    pub total: String,
    pub max_total: String,
    /// The grade, once every applicable indicator is scored.
    pub rating: Option<String>,
    pub complete: bool,
    pub scored: usize,
    pub applicable: usize,
    /// Each 一级 with its 得分率 (percent, two decimals) where it has one.
    pub groups: Vec<GroupRate>,
    /// How many problems `jixiao check` lists: errors and warnings.
    pub problems: usize,
    pub errors: usize,
    pub warnings: usize,
    /// For sorting and sums: the exact total.
    #[serde(skip)]
    pub total_value: Decimal,
    /// The grade's place in its scale (0 the best), for sorting by grade.
    #[serde(skip)]
    pub rating_rank: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRate {
    pub name: String,
    pub rate: Option<String>,
    #[serde(skip)]
    pub rate_value: Option<Decimal>,
}

/// A file that could not be read, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unreadable {
    pub path: PathBuf,
    pub message: String,
}

/// A project's 自评 and its expert (or panel) score, same 项目名称 and 年度.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pair {
    pub name: String,
    pub year: String,
    pub self_total: String,
    /// The panel's total, or the mean of the single experts' totals.
    pub expert_total: String,
    /// 自评 minus expert score.
    pub gap: String,
    pub inflated: bool,
    #[serde(skip)]
    pub gap_value: Decimal,
}

/// A deduction reason that recurs across projects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Theme {
    /// The reason as most often written.
    pub text: String,
    /// How many deductions give it.
    pub count: usize,
    pub projects: Vec<String>,
}

/// An indicator that loses points across projects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostlyIndicator {
    pub name: String,
    /// How many scored uses.
    pub uses: usize,
    /// The mean points lost per use, two decimals.
    pub mean_lost: String,
    #[serde(skip)]
    pub mean_lost_value: Decimal,
}

/// The season.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Overview {
    /// In descending order of 综合得分.
    pub projects: Vec<Project>,
    pub unreadable: Vec<Unreadable>,
    /// Files that hold no indicator table (a 说明.txt, a report beside its table): not
    /// evaluations, so neither read nor counted as unreadable.
    pub skipped: Vec<PathBuf>,
    /// Each grade with how many projects have it, in the scale's order; 评分未完成 last.
    pub ratings: BTreeMap<String, usize>,
    pub pairs: Vec<Pair>,
    pub themes: Vec<Theme>,
    pub costly: Vec<CostlyIndicator>,
    /// Each 主管部门 with its projects' mean 综合得分, when the season has several.
    pub departments: Vec<Department>,
}

/// One 主管部门's projects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Department {
    pub name: String,
    pub projects: usize,
    /// The mean 综合得分, two decimals.
    pub mean_total: String,
    #[serde(skip)]
    pub mean_total_value: Decimal,
}

/// The departments in order of name, only when there are two or more.
fn departments(projects: &[Project]) -> Vec<Department> {
    let mut by_name: BTreeMap<&str, (Decimal, usize)> = BTreeMap::new();
    // Finished evaluations only: a running total is not a score to average.
    for project in projects
        .iter()
        .filter(|p| p.complete && !p.department.is_empty())
    {
        let entry = by_name.entry(&project.department).or_default();
        entry.0 = entry.0.saturating_add(project.total_value);
        entry.1 += 1;
    }
    if by_name.len() < 2 {
        return Vec::new();
    }
    by_name
        .into_iter()
        .map(|(name, (sum, count))| {
            let mean = sum / Decimal::from(count as u64);
            Department {
                name: name.to_owned(),
                projects: count,
                mean_total: format2(mean),
                mean_total_value: mean,
            }
        })
        .collect()
}

/// Every file under `roots` (folders are searched through) that jixiao opens: its own
/// documents and the tables it imports; backups, temporary, lock and hidden files are
/// left out, and of the files of one project saved side by side (评价.ron beside the
/// 评价.xlsx it was imported from or exported to) only the document is taken.
pub fn files_in(roots: &[PathBuf]) -> Vec<PathBuf> {
    files_until(roots, &AtomicBool::new(false))
}

/// [`files_in`], stopping early when `cancel` is set.
pub fn files_until(roots: &[PathBuf], cancel: &AtomicBool) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize, cancel: &AtomicBool) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        let mut here: Vec<PathBuf> = Vec::new();
        for path in entries {
            if out.len() + here.len() >= MAX_FILES || cancel.load(Ordering::Relaxed) {
                break;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // Hidden files, and the lock files Office and WPS leave beside an open file.
            if name.starts_with('.') || name.starts_with("~$") {
                continue;
            }
            // Symbolic links are not followed: a loop would never end.
            let is_link =
                std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            if path.is_dir() && !is_link && depth < 16 {
                walk(&path, out, depth + 1, cancel);
            } else if path.is_file() && opens(&path) {
                here.push(path);
            }
        }
        out.extend(one_per_project(here));
    }
    let mut out = Vec::new();
    for root in roots {
        if root.is_dir() {
            walk(root, &mut out, 0, cancel);
        } else {
            out.push(root.clone());
        }
    }
    // A folder dropped with one of its own subfolders is read once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    out
}

/// Of the files of one folder that share a name (评价.ron, 评价.xlsx, 评价.docx), the
/// jixiao document if there is one, else the first table in the order a user would
/// choose (.xlsx, .xls, .ods, .csv, .docx, .txt).
fn one_per_project(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let preference = |path: &Path| {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        [
            "ron", "xlsx", "xlsm", "xls", "ods", "csv", "docx", "txt", "doc",
        ]
        .iter()
        .position(|e| *e == extension)
        .unwrap_or(usize::MAX)
    };
    let mut best: BTreeMap<String, PathBuf> = BTreeMap::new();
    for path in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match best.get(&stem) {
            Some(kept) if preference(kept) <= preference(&path) => {}
            _ => {
                best.insert(stem, path);
            }
        }
    }
    best.into_values().collect()
}

fn opens(path: &Path) -> bool {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    // An old .doc is listed too: its message says to save it as .docx.
    extension == "ron" || crate::import::is_table(path)
}

/// Reads every file and puts the season together. `progress(done, of, project)` is told
/// after each file, with the project it held if it could be read, so a view can show
/// results as they come; setting `cancel` stops after the file being read.
pub fn collect(
    files: &[PathBuf],
    progress: &mut dyn FnMut(usize, usize, Option<&Project>),
    cancel: &AtomicBool,
) -> Overview {
    let mut overview = Overview::default();
    if files.len() >= MAX_FILES {
        overview.unreadable.push(Unreadable {
            path: PathBuf::new(),
            message: format!("文件太多：只汇总了前 {MAX_FILES} 个文件，请选择更小的文件夹"),
        });
    }
    let mut read: Vec<(Evaluation, Summary)> = Vec::new();
    for (index, path) in files.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        match crate::open::open_with(path, &Default::default()) {
            Ok(opened) => {
                let doc = opened.doc;
                let summary = summarize(&doc);
                let row = project(path, &doc, &summary);
                progress(index + 1, files.len(), Some(&row));
                overview.projects.push(row);
                read.push((doc, summary));
            }
            Err(OpenError::Import(ImportError::NoHeader { .. })) => {
                overview.skipped.push(path.clone());
                progress(index + 1, files.len(), None);
            }
            Err(err) => {
                overview.unreadable.push(Unreadable {
                    path: path.clone(),
                    message: err.to_string(),
                });
                progress(index + 1, files.len(), None);
            }
        }
    }
    let mut order: Vec<usize> = (0..overview.projects.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&overview.projects[a], &overview.projects[b]);
        b.total_value.cmp(&a.total_value).then(a.path.cmp(&b.path))
    });
    overview.projects = order
        .iter()
        .map(|&i| overview.projects[i].clone())
        .collect();
    let read: Vec<&(Evaluation, Summary)> = order.iter().map(|&i| &read[i]).collect();
    for project in &overview.projects {
        let grade = project
            .rating
            .clone()
            .unwrap_or_else(|| crate::scoring::INCOMPLETE.to_owned());
        *overview.ratings.entry(grade).or_default() += 1;
    }
    overview.pairs = pairs(&overview.projects);
    overview.departments = departments(&overview.projects);
    let names: Vec<&str> = overview.projects.iter().map(|p| p.name.as_str()).collect();
    overview.themes = themes(&read, &names);
    overview.costly = costly(&read);
    overview
}

fn project(path: &Path, doc: &Evaluation, summary: &Summary) -> Project {
    let problems = validate(doc, summary);
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let kind = if doc.panel.is_some() {
        "专家组"
    } else {
        match doc.info.kind {
            EvaluationKind::Expert => "专家评价",
            EvaluationKind::SelfAssessment => "自评",
        }
    };
    Project {
        path: path.to_owned(),
        name: if doc.info.name.trim().is_empty() {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            doc.info.name.trim().to_owned()
        },
        unit: doc.info.unit.trim().to_owned(),
        department: doc.info.department.trim().to_owned(),
        kind,
        year: doc.info.year.trim().to_owned(),
        budget: doc.budget_yuan().map(|b| b.normalize()),
        total: summary.total_text(),
        max_total: format2(summary.totals.max_points),
        rating: summary.verdict().map(|r| r.label().to_owned()),
        complete: summary.is_complete(),
        scored: summary.totals.scored_leaves,
        applicable: summary.totals.applicable_leaves,
        groups: summary
            .groups
            .iter()
            .map(|g| {
                let rate = g.totals.score_rate().filter(|_| g.totals.scored_leaves > 0);
                GroupRate {
                    name: g.name.clone(),
                    rate: rate.map(format2),
                    rate_value: rate,
                }
            })
            .collect(),
        problems: problems.len(),
        errors,
        warnings: problems.len() - errors,
        total_value: round2(summary.totals.score),
        rating_rank: summary.verdict().map(|r| r.rank),
    }
}

/// The name two files of one project share: without blanks and the words a file name
/// adds (自评, 专家评价 …), so that “某某项目自评表” and “某某项目” meet.
fn project_key(name: &str) -> String {
    let mut key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    for word in [
        "绩效自评表",
        "绩效评价报告",
        "绩效评价",
        "支出绩效",
        "自评表",
        "自评",
        "专家组",
        "专家评价",
        "评分表",
    ] {
        key = key.replace(word, "");
    }
    key.trim_end_matches("项目").to_owned()
}

/// A project's 自评, its panel result and its single experts' results, as found so far.
#[derive(Default)]
struct Found<'a> {
    own: Option<&'a Project>,
    panel: Option<&'a Project>,
    experts: Vec<&'a Project>,
}

/// Each finished 自评 beside the finished expert result of the same project and year:
/// the panel's when there is one, else the mean of the single experts' totals. An
/// unfinished side gives no pair (a running total is not a score to compare).
fn pairs(projects: &[Project]) -> Vec<Pair> {
    let mut by_key: BTreeMap<(String, String), Found<'_>> = BTreeMap::new();
    for project in projects.iter().filter(|p| p.complete) {
        let entry = by_key
            .entry((project_key(&project.name), project.year.clone()))
            .or_default();
        match project.kind {
            "自评" => {
                entry.own.get_or_insert(project);
            }
            "专家组" => {
                entry.panel.get_or_insert(project);
            }
            _ => entry.experts.push(project),
        }
    }
    let mut pairs: Vec<Pair> = by_key
        .into_values()
        .filter_map(|found| {
            let own = found.own?;
            let expert = match found.panel {
                Some(panel) => panel.total_value,
                None if !found.experts.is_empty() => {
                    let sum = found
                        .experts
                        .iter()
                        .fold(Decimal::ZERO, |sum, e| sum.saturating_add(e.total_value));
                    round2(sum / Decimal::from(found.experts.len() as u64))
                }
                None => return None,
            };
            let gap = own.total_value.saturating_sub(expert);
            Some(Pair {
                name: own.name.clone(),
                year: own.year.clone(),
                self_total: own.total.clone(),
                expert_total: format2(expert),
                gap: format2(gap),
                inflated: gap >= INFLATED_GAP,
                gap_value: gap,
            })
        })
        .collect();
    pairs.sort_by(|a, b| b.gap_value.cmp(&a.gap_value).then(a.name.cmp(&b.name)));
    pairs
}

/// A reason's phrase as compared: no blanks, punctuation or quotes.
fn phrase_key(phrase: &str) -> String {
    phrase
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !c.is_ascii_punctuation()
                && !"，。；：、“”‘’（）《》！？".contains(*c)
        })
        .collect()
}

/// The recurring deductions: each reason split into its phrases (people list several
/// faults in one cell), identical phrases counted together, and a short phrase merged
/// into a longer one that contains it (资料不全 into 佐证资料不全).
fn themes(read: &[&(Evaluation, Summary)], names: &[&str]) -> Vec<Theme> {
    struct Seen {
        texts: HashMap<String, usize>,
        count: usize,
        projects: Vec<String>,
    }
    let mut seen: HashMap<String, Seen> = HashMap::new();
    for ((doc, _), name) in read.iter().zip(names) {
        let project = (*name).to_owned();
        for leaf in doc.leaves() {
            let lost = leaf
                .scoring
                .score
                .is_some_and(|s| s < leaf.max_points && !leaf.scoring.not_applicable);
            if !lost {
                continue;
            }
            let reason = match doc.info.kind {
                EvaluationKind::SelfAssessment if !leaf.scoring.deviation.trim().is_empty() => {
                    &leaf.scoring.deviation
                }
                _ => &leaf.scoring.reason,
            };
            for phrase in reason.split(['，', '；', ';', '。', '\n', ',']) {
                let phrase = phrase.trim();
                let key = phrase_key(phrase);
                if key.chars().count() < 2 {
                    continue;
                }
                let entry = seen.entry(key).or_insert_with(|| Seen {
                    texts: HashMap::new(),
                    count: 0,
                    projects: Vec::new(),
                });
                entry.count += 1;
                *entry.texts.entry(phrase.to_owned()).or_default() += 1;
                if !entry.projects.contains(&project) {
                    entry.projects.push(project.clone());
                }
            }
        }
    }
    // Shorter keys first, so each merges into the longest key that contains it.
    let mut keys: Vec<String> = seen.keys().cloned().collect();
    keys.sort_by_key(|k| (k.chars().count(), k.clone()));
    for index in 0..keys.len() {
        let short = &keys[index];
        if short.chars().count() < 4 {
            continue;
        }
        let Some(long) = keys[index + 1..]
            .iter()
            .rev()
            .find(|k| k.contains(short.as_str()))
            .cloned()
        else {
            continue;
        };
        if let Some(from) = seen.remove(short)
            && let Some(into) = seen.get_mut(&long)
        {
            into.count += from.count;
            for (text, n) in from.texts {
                *into.texts.entry(text).or_default() += n;
            }
            for project in from.projects {
                if !into.projects.contains(&project) {
                    into.projects.push(project);
                }
            }
        }
    }
    let mut themes: Vec<Theme> = seen
        .into_values()
        .map(|s| {
            let text = s
                .texts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(t, _)| t.clone())
                .unwrap_or_default();
            Theme {
                text,
                count: s.count,
                projects: s.projects,
            }
        })
        .collect();
    themes.sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(&b.text)));
    themes
}

/// The indicators that lose most on average, by name under their 一级, over every
/// scored use.
fn costly(read: &[&(Evaluation, Summary)]) -> Vec<CostlyIndicator> {
    let mut lost: HashMap<String, (Decimal, usize)> = HashMap::new();
    for (doc, _) in read {
        for root in &doc.indicators {
            for leaf in root.leaves() {
                let Some(score) = leaf.scoring.score else {
                    continue;
                };
                if leaf.scoring.not_applicable {
                    continue;
                }
                let name = format!("{} / {}", root.name.trim(), leaf.name.trim());
                let entry = lost.entry(name).or_default();
                // Figures from a file can be anything: never overflow.
                let lost = leaf.max_points.saturating_sub(score).max(Decimal::ZERO);
                entry.0 = entry.0.saturating_add(lost);
                entry.1 += 1;
            }
        }
    }
    let mut costly: Vec<CostlyIndicator> = lost
        .into_iter()
        .filter(|(_, (sum, _))| *sum > Decimal::ZERO)
        .map(|(name, (sum, uses))| {
            let mean = sum / Decimal::from(uses as u64);
            CostlyIndicator {
                name,
                uses,
                mean_lost: format2(mean),
                mean_lost_value: mean,
            }
        })
        .collect();
    costly.sort_by(|a, b| {
        b.mean_lost_value
            .cmp(&a.mean_lost_value)
            .then(a.name.cmp(&b.name))
    });
    costly
}

/// The score bands of the distribution, on the grades' own bounds: label, from
/// (inclusive), to (exclusive).
pub const BANDS: [(&str, Option<u32>, Option<u32>); 5] = [
    ("60 分以下", None, Some(60)),
    ("60–70 分", Some(60), Some(70)),
    ("70–80 分", Some(70), Some(80)),
    ("80–90 分", Some(80), Some(90)),
    ("90 分及以上", Some(90), None),
];

impl Overview {
    /// How many finished projects' 综合得分 fall in each of [`BANDS`] (the unfinished
    /// are counted under 评分未完成 in the grades).
    pub fn band_counts(&self) -> Vec<(&'static str, usize)> {
        BANDS
            .iter()
            .map(|(label, from, to)| {
                let count = self
                    .projects
                    .iter()
                    .filter(|p| p.complete)
                    .filter(|p| {
                        let t = p.total_value;
                        from.is_none_or(|f| t >= Decimal::from(f))
                            && to.is_none_or(|u| t < Decimal::from(u))
                    })
                    .count();
                (*label, count)
            })
            .collect()
    }

    /// Each 一级 (in the order first seen) with the mean 得分率 (percent) of the projects
    /// that have it scored.
    pub fn group_means(&self) -> Vec<(String, Option<Decimal>)> {
        let mut names: Vec<String> = Vec::new();
        for project in &self.projects {
            for group in &project.groups {
                if !names.contains(&group.name) {
                    names.push(group.name.clone());
                }
            }
        }
        names
            .into_iter()
            .map(|name| {
                let rates: Vec<Decimal> = self
                    .projects
                    .iter()
                    .filter_map(|p| p.groups.iter().find(|g| g.name == name)?.rate_value)
                    .collect();
                let mean = (!rates.is_empty()).then(|| {
                    let sum = rates
                        .iter()
                        .fold(Decimal::ZERO, |sum, rate| sum.saturating_add(*rate));
                    sum / Decimal::from(rates.len() as u64)
                });
                (name, mean)
            })
            .collect()
    }

    /// The grades with their counts, best first (优 良 中 差, then any other scale's
    /// grades), 评分未完成 last.
    pub fn ratings_in_order(&self) -> Vec<(&str, usize)> {
        let rank = |grade: &str| {
            ["优", "良", "中", "差"]
                .iter()
                .position(|g| *g == grade)
                .unwrap_or(if grade == crate::scoring::INCOMPLETE {
                    6
                } else {
                    5
                })
        };
        let mut ratings: Vec<(&str, usize)> =
            self.ratings.iter().map(|(g, n)| (g.as_str(), *n)).collect();
        ratings.sort_by_key(|(grade, _)| rank(grade));
        ratings
    }

    /// What was not taken, after the count of projects: "，1 个文件无法读取，跳过 1 个不是
    /// 评价表的文件", or nothing.
    pub fn files_note(&self) -> String {
        let mut note = String::new();
        if !self.unreadable.is_empty() {
            note.push_str(&format!("，{} 个文件无法读取", self.unreadable.len()));
        }
        if !self.skipped.is_empty() {
            note.push_str(&format!("，跳过 {} 个不是评价表的文件", self.skipped.len()));
        }
        note
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(name: &str, kind: &'static str, total: Decimal, department: &str) -> Project {
        Project {
            path: PathBuf::from(format!("{name}-{kind}.ron")),
            name: name.to_owned(),
            unit: String::new(),
            department: department.to_owned(),
            kind,
            year: "2023".to_owned(),
            budget: None,
            total: format2(total),
            max_total: "100.00".to_owned(),
            rating: None,
            complete: true,
            scored: 1,
            applicable: 1,
            groups: vec![GroupRate {
                name: "决策".to_owned(),
                rate: None,
                rate_value: Some(total),
            }],
            problems: 0,
            errors: 0,
            warnings: 0,
            total_value: total,
            rating_rank: None,
        }
    }

    #[test]
    fn figures_as_large_as_a_file_can_hold_never_overflow() {
        let overview = Overview {
            projects: vec![
                project("甲", "自评", Decimal::MAX, "水务局"),
                project("甲", "专家评价", Decimal::MIN, "水务局"),
                project("乙", "专家评价", Decimal::MAX, "交通局"),
            ],
            ..Overview::default()
        };
        assert_eq!(departments(&overview.projects).len(), 2);
        assert_eq!(pairs(&overview.projects).len(), 1);
        assert_eq!(overview.group_means().len(), 1);
    }

    #[test]
    fn a_self_assessment_is_set_against_the_panel_or_else_the_experts_mean() {
        let d = |t: &str| t.parse::<Decimal>().unwrap();
        let mut projects = vec![
            project("乡村道路", "自评", d("92"), ""),
            project("乡村道路", "专家评价", d("80"), ""),
            project("乡村道路", "专家评价", d("75"), ""),
        ];
        let found = pairs(&projects);
        assert_eq!(found[0].expert_total, "77.50");
        assert_eq!(found[0].gap, "14.50");
        assert!(found[0].inflated);
        projects.push(project("乡村道路", "专家组", d("84"), ""));
        assert_eq!(pairs(&projects)[0].gap, "8.00");
        // An unfinished 自评 is no pair.
        projects[0].complete = false;
        assert!(pairs(&projects).is_empty());
    }
}
