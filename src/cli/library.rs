//! `jixiao library …`: the 指标库 built from the user's own evaluations.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use serde::Serialize;

use crate::library::{self, Entry, Filter, Library, Mark};
use crate::model::shorten;
use crate::number::format2;

#[derive(Debug, clap::Args)]
pub struct LibraryArgs {
    #[command(subcommand)]
    step: LibraryStep,
    /// 使用这个指标库文件（默认为用户数据文件夹中的“指标库.json”）
    #[arg(long, global = true, value_name = "文件", help_heading = "选项")]
    library: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum LibraryStep {
    /// 把文件夹（含子文件夹）中的评价文件和表格加入指标库
    Add {
        #[arg(value_name = "文件夹", required = true)]
        folders: Vec<PathBuf>,
    },
    /// 重新扫描已加入的文件夹：只读取新增和改动过的文件
    Update,
    /// 查找指标：名称或评分标准的任意部分，或名称的拼音首字母（myd → 满意度）
    Search {
        #[arg(value_name = "文字", default_value = "")]
        text: String,
        /// 只看这个一级指标下的
        #[arg(long = "level1", value_name = "一级指标", help_heading = "选项")]
        level1: Option<String>,
        /// 只看这类评价中的使用：自评、专家评价或模板
        #[arg(long, value_name = "类型", help_heading = "选项")]
        kind: Option<String>,
        /// 只看这个年度的使用
        #[arg(long, value_name = "年度", help_heading = "选项")]
        year: Option<String>,
        /// 也列出已隐藏的指标
        #[arg(long, help_heading = "选项")]
        all: bool,
        /// 以 JSON 输出
        #[arg(long, help_heading = "选项")]
        json: bool,
    },
    /// 一项指标的历年使用：年度指标值、实际完成值、得分和扣分理由
    Show {
        #[arg(value_name = "指标名称")]
        name: String,
        #[arg(long = "level1", value_name = "一级指标", help_heading = "选项")]
        level1: Option<String>,
        /// 只看这个项目
        #[arg(long, value_name = "项目名称", help_heading = "选项")]
        project: Option<String>,
        #[arg(long, help_heading = "选项")]
        json: bool,
    },
    /// 把指标库导出为 Excel 工作簿（每次使用一行），供团队共享
    Export {
        #[arg(short = 'o', long = "output", value_name = "指标库.xlsx")]
        output: PathBuf,
        /// 覆盖已有文件
        #[arg(long, help_heading = "选项")]
        force: bool,
    },
    /// 导入同事导出的指标库工作簿：其中的使用和共性/个性、隐藏、标准评分标准并入本指标库
    Import {
        #[arg(value_name = "指标库.xlsx")]
        file: PathBuf,
    },
    /// 把指标标为共性或个性、隐藏或恢复显示，或设定其标准评分标准
    Mark {
        #[arg(value_name = "指标名称")]
        name: String,
        #[arg(long = "level1", value_name = "一级指标", help_heading = "选项")]
        level1: Option<String>,
        /// 共性 或 个性
        #[arg(long = "as", value_name = "共性|个性", help_heading = "选项")]
        mark: Option<String>,
        /// 在查找结果中隐藏
        #[arg(long, help_heading = "选项", conflicts_with = "show")]
        hide: bool,
        /// 恢复显示
        #[arg(long, help_heading = "选项")]
        show: bool,
        /// 标准评分标准
        #[arg(long, value_name = "文字", help_heading = "选项")]
        criteria: Option<String>,
    },
}

fn library_path(args: &LibraryArgs) -> Result<PathBuf, String> {
    args.library
        .clone()
        .or_else(library::default_path)
        .ok_or_else(|| "找不到用户数据文件夹，请用 --library 指定指标库文件".to_owned())
}

pub(super) fn run(
    args: LibraryArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<u8, String> {
    let path = library_path(&args)?;
    let mut lib = Library::load(&path).map_err(|e| e.to_string())?;
    let text = match args.step {
        LibraryStep::Add { folders } => {
            for folder in &folders {
                if !folder.is_dir() {
                    return Err(format!("“{}”不是文件夹", folder.display()));
                }
            }
            lib.add_folders(&folders);
            update(&mut lib, &path, err)?
        }
        LibraryStep::Update => {
            if lib.folders.is_empty() {
                return Err("指标库中还没有文件夹；请先用 jixiao library add 文件夹".to_owned());
            }
            update(&mut lib, &path, err)?
        }
        LibraryStep::Search {
            text,
            level1,
            kind,
            year,
            all,
            json,
        } => {
            let filter = Filter {
                level1,
                kind,
                year,
                show_hidden: all,
            };
            let found = lib.search(&text, &filter);
            if json {
                to_json(&SearchReport {
                    results: found.iter().map(EntryReport::new).collect(),
                })?
            } else {
                search_text(&text, &found)
            }
        }
        LibraryStep::Show {
            name,
            level1,
            project,
            json,
        } => {
            let entry = find(&lib, &name, level1.as_deref())?;
            let uses: Vec<&library::Use> = match &project {
                Some(project) => entry.history_of(project),
                None => {
                    let mut uses = entry.uses.clone();
                    uses.sort_by(|a, b| {
                        a.year.cmp(&b.year).then_with(|| a.project.cmp(&b.project))
                    });
                    uses
                }
            };
            if json {
                let mut report = EntryReport::new(&entry);
                report.uses = uses.iter().map(|u| UseReport::new(u)).collect();
                to_json(&report)?
            } else {
                show_text(&entry, &uses)
            }
        }
        LibraryStep::Export { output, force } => {
            if output.exists() && !force {
                return Err(format!(
                    "“{}”已存在；如要覆盖请加 --force",
                    output.display()
                ));
            }
            let bytes = library::xlsx_bytes(&lib)?;
            crate::export::write_atomically(&output, &bytes).map_err(|e| e.to_string())?;
            format!("已把指标库导出为“{}”。\n", output.display())
        }
        LibraryStep::Import { file } => {
            let imported = library::import_sheet(&mut lib, &file)?;
            lib.save(&path).map_err(|e| e.to_string())?;
            let mut text = format!(
                "已从“{}”导入 {} 次使用，{} 项指标的共性/个性、隐藏或标准评分标准。\n",
                file.display(),
                imported.uses,
                imported.curated
            );
            if !imported.skipped.is_empty() {
                text.push_str(&format!("{} 行未能读取：\n", imported.skipped.len()));
                for line in imported.skipped.iter().take(20) {
                    text.push_str(&format!("  {line}\n"));
                }
            }
            text
        }
        LibraryStep::Mark {
            name,
            level1,
            mark,
            hide,
            show,
            criteria,
        } => {
            let key = find(&lib, &name, level1.as_deref())?.key;
            let mark = match mark.as_deref() {
                Some(text) => Some(
                    Mark::from_label(text)
                        .ok_or_else(|| format!("“{}”应为“共性”或“个性”", shorten(text)))?,
                ),
                None => None,
            };
            let curation = lib.curation_mut(&key);
            if let Some(mark) = mark {
                curation.mark = Some(mark);
            }
            if hide || show {
                curation.hidden = hide;
            }
            if let Some(criteria) = criteria {
                curation.criteria = Some(criteria).filter(|c| !c.trim().is_empty());
            }
            lib.save(&path).map_err(|e| e.to_string())?;
            format!("已更新指标“{name}”。\n")
        }
    };
    out.write_all(text.as_bytes())
        .map_err(|e| format!("无法输出结果：{e}"))?;
    Ok(0)
}

fn update(
    lib: &mut Library,
    path: &std::path::Path,
    err: &mut impl Write,
) -> Result<String, String> {
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let done = lib.update(&mut |done, of| {
        if terminal && (done == of || done.is_multiple_of(20)) {
            let _ = write!(err, "\r已检查 {done}/{of} 个文件");
            if done == of {
                let _ = writeln!(err);
            }
        }
    });
    // An unchanged index is not written again.
    if done.changed() || !path.exists() {
        lib.save(path).map_err(|e| e.to_string())?;
    }
    let entries = lib.entries();
    let uses: usize = lib.files.iter().map(|f| f.uses.len()).sum();
    let mut text = format!(
        "指标库“{}”：{} 个文件（新读 {}，未变 {}，移除 {}），{} 项指标，共 {} 次使用（另含内置模板）。\n",
        path.display(),
        lib.files.len(),
        done.read,
        done.unchanged,
        done.removed,
        entries.iter().filter(|e| e.real_uses() > 0).count(),
        uses
    );
    if done.unreadable > 0 {
        text.push_str(&format!("{} 个文件无法读取：\n", done.unreadable));
        for file in lib.files.iter().filter(|f| f.error.is_some()) {
            text.push_str(&format!(
                "  {}：{}\n",
                file.path.display(),
                file.error.as_deref().unwrap_or_default()
            ));
        }
    }
    Ok(text)
}

/// The one entry called `name` (under `level1`, when several 一级 have one).
fn find<'a>(lib: &'a Library, name: &str, level1: Option<&str>) -> Result<Entry<'a>, String> {
    let wanted = library::normalise(name);
    let mut found: Vec<Entry<'a>> = lib
        .entries()
        .into_iter()
        .filter(|e| library::normalise(&e.name) == wanted)
        .filter(|e| level1.is_none_or(|l| library::normalise(l) == library::normalise(&e.level1)))
        .collect();
    match found.len() {
        0 => Err(format!("指标库中没有名为“{}”的指标", shorten(name))),
        1 => Ok(found.remove(0)),
        _ => Err(format!(
            "有几个一级指标下都有“{}”：{}；请用 --level1 指定",
            shorten(name),
            found
                .iter()
                .map(|e| e.level1.as_str())
                .collect::<Vec<_>>()
                .join("、")
        )),
    }
}

fn to_json(value: &impl Serialize) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|text| text + "\n")
        .map_err(|e| format!("无法生成 JSON：{e}"))
}

fn years(entry: &Entry<'_>) -> String {
    let mut years: Vec<&str> = entry
        .uses
        .iter()
        .map(|u| u.year.as_str())
        .filter(|y| !y.is_empty())
        .collect();
    years.sort_unstable();
    years.dedup();
    match (years.first(), years.last()) {
        (Some(first), Some(last)) if first == last => format!("{first}年"),
        (Some(first), Some(last)) => format!("{first}–{last}年"),
        _ => String::new(),
    }
}

fn search_text(query: &str, found: &[Entry<'_>]) -> String {
    if found.is_empty() {
        return format!("指标库中没有找到“{}”。\n", shorten(query));
    }
    let mut text = format!("找到 {} 项指标：\n", found.len());
    for entry in found {
        let mark = entry
            .curation
            .mark
            .map(|m| format!("【{}】", m.label()))
            .unwrap_or_default();
        let used = match entry.real_uses() {
            0 => "内置模板".to_owned(),
            n => format!("用过 {n} 次 {}", years(entry)),
        };
        text.push_str(&format!("{}{mark}  {}  {used}\n", entry.name, entry.path));
        let criteria = entry.criteria();
        if !criteria.is_empty() {
            text.push_str(&format!("    评分标准：{}\n", shorten(&criteria)));
        }
    }
    text
}

fn show_text(entry: &Entry<'_>, uses: &[&library::Use]) -> String {
    let mut text = format!("{}（{}）\n", entry.name, entry.path);
    let criteria = entry.criteria();
    if !criteria.is_empty() {
        text.push_str(&format!("评分标准：{criteria}\n"));
    }
    text.push_str("年度   项目                              分值    年度指标值      实际完成值      得分    扣分理由\n");
    for item in uses {
        text.push_str(&format!(
            "{}{}{}{}{}{}{}\n",
            super::pad(
                if item.year.is_empty() {
                    "—"
                } else {
                    &item.year
                },
                7
            ),
            super::pad(&shorten(&item.project), 34),
            super::pad(&format2(item.max_points), 8),
            super::pad(&item.target, 16),
            super::pad(&item.actual, 16),
            super::pad(&item.score.map(format2).unwrap_or_default(), 8),
            shorten(&item.reason)
        ));
    }
    text
}

/// `library search --json`.
#[derive(Debug, Serialize)]
struct SearchReport {
    results: Vec<EntryReport>,
}

#[derive(Debug, Serialize)]
struct EntryReport {
    name: String,
    path: String,
    criteria: String,
    /// 共性, 个性 or null.
    kind: Option<&'static str>,
    hidden: bool,
    uses: Vec<UseReport>,
}

#[derive(Debug, Serialize)]
struct UseReport {
    project: String,
    year: String,
    /// 自评, 专家评价 or 模板.
    evaluation: String,
    file: String,
    max_points: String,
    target: String,
    actual: String,
    score: Option<String>,
    reason: String,
}

impl EntryReport {
    fn new(entry: &Entry<'_>) -> Self {
        Self {
            name: entry.name.clone(),
            path: entry.path.to_string(),
            criteria: entry.criteria(),
            kind: entry.curation.mark.map(Mark::label),
            hidden: entry.curation.hidden,
            uses: entry.uses.iter().map(|u| UseReport::new(u)).collect(),
        }
    }
}

impl UseReport {
    fn new(item: &library::Use) -> Self {
        Self {
            project: item.project.clone(),
            year: item.year.clone(),
            evaluation: item.kind.clone(),
            file: item.file.clone(),
            max_points: format2(item.max_points),
            target: item.target.clone(),
            actual: item.actual.clone(),
            score: item.score.map(format2),
            reason: item.reason.clone(),
        }
    }
}
