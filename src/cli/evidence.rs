//! `jixiao evidence …`: 佐证材料 attached to indicators, listed and checked.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde::Serialize;

use crate::command::{Edit, apply};
use crate::evidence;
use crate::model::{Evaluation, IndicatorPath, NodeId, shorten};
use crate::storage;

#[derive(Debug, clap::Args)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    step: EvidenceStep,
}

#[derive(Debug, Subcommand)]
enum EvidenceStep {
    /// 把文件作为佐证材料附在一项指标上（复制到评价文件旁的“佐证材料”文件夹）
    Add {
        /// 评价文件（.ron）
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 指标：完整路径“决策 / 项目立项 / 立项依据充分性”，或不重名时只写名称
        #[arg(long, value_name = "指标", help_heading = "选项")]
        indicator: String,
        /// 佐证材料文件，可以有多个
        #[arg(value_name = "材料", required = true)]
        materials: Vec<PathBuf>,
        /// 所在页码
        #[arg(long, value_name = "页码", help_heading = "选项")]
        page: Option<u32>,
        /// 说明：这份材料证明什么
        #[arg(long, value_name = "说明", default_value = "", help_heading = "选项")]
        note: String,
    },
    /// 列出各项指标的佐证材料
    List {
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 以 JSON 输出
        #[arg(long, help_heading = "选项")]
        json: bool,
    },
    /// 检查佐证材料是否齐全、未被改动；有缺失或改动时退出码为 1
    Check {
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
}

pub(super) fn run(args: EvidenceArgs, out: &mut impl Write) -> Result<u8, String> {
    let (text, code) = match args.step {
        EvidenceStep::Add {
            file,
            indicator,
            materials,
            page,
            note,
        } => (add(&file, &indicator, &materials, page, &note)?, 0),
        EvidenceStep::List { file, json } => (list(&file, json)?, 0),
        EvidenceStep::Check { file } => check(&file)?,
    };
    out.write_all(text.as_bytes())
        .map_err(|e| format!("无法输出结果：{e}"))?;
    Ok(code)
}

/// The leaf `wanted` names: its whole path, or the end of one (its name alone) where
/// only one leaf ends so.
fn find_leaf(doc: &Evaluation, wanted: &str) -> Result<NodeId, String> {
    let wanted = IndicatorPath::parse(wanted);
    let names = wanted.names();
    if names.is_empty() {
        return Err("请用 --indicator 写明指标".to_owned());
    }
    let found: Vec<(IndicatorPath, NodeId)> = doc
        .leaf_paths()
        .into_iter()
        .filter(|(path, _)| path.names().ends_with(names))
        .map(|(path, leaf)| (path, leaf.id))
        .collect();
    match found.as_slice() {
        [(_, id)] => Ok(*id),
        [] => Err(format!(
            "评价文件中没有指标“{}”",
            shorten(&wanted.to_string())
        )),
        many => Err(format!(
            "有 {} 项指标都叫“{}”，请写完整路径，例如“{}”",
            many.len(),
            shorten(&wanted.to_string()),
            many[0].0
        )),
    }
}

fn add(
    file: &Path,
    indicator: &str,
    materials: &[PathBuf],
    page: Option<u32>,
    note: &str,
) -> Result<String, String> {
    let mut doc = storage::load(file).map_err(|e| e.to_string())?;
    let id = find_leaf(&doc, indicator)?;
    let mut text = String::new();
    for material in materials {
        let item =
            evidence::attach(&doc, file, id, material, page, note).map_err(|e| e.to_string())?;
        text.push_str(&format!(
            "已附上 {} {}（{} 字节）\n",
            item.number,
            shorten(&item.file),
            item.size
        ));
        apply(&mut doc, &Edit::AddEvidence { id, evidence: item }).map_err(|e| e.to_string())?;
    }
    storage::save(&doc, file).map_err(|e| e.to_string())?;
    let path = doc.display_path(id);
    Ok(format!(
        "{text}指标“{path}”共有 {} 份佐证材料，已保存到“{}”。\n",
        doc.find(id).map_or(0, |l| l.evidence.len()),
        file.display()
    ))
}

/// One line of `evidence list --json`.
#[derive(Serialize)]
struct Line<'a> {
    indicator: String,
    number: &'a str,
    file: &'a str,
    sha256: &'a str,
    size: u64,
    page: Option<u32>,
    note: &'a str,
}

fn list(file: &Path, json: bool) -> Result<String, String> {
    let doc = storage::load(file).map_err(|e| e.to_string())?;
    let leaves = doc.leaf_paths();
    let lines: Vec<Line> = leaves
        .iter()
        .flat_map(|(path, leaf)| {
            leaf.evidence.iter().map(move |item| Line {
                indicator: path.to_string(),
                number: &item.number,
                file: &item.file,
                sha256: &item.sha256,
                size: item.size,
                page: item.page,
                note: &item.note,
            })
        })
        .collect();
    if json {
        let value = serde_json::json!({ "file": file.display().to_string(), "evidence": lines });
        return serde_json::to_string_pretty(&value)
            .map(|text| text + "\n")
            .map_err(|e| format!("无法生成 JSON：{e}"));
    }
    if lines.is_empty() {
        return Ok(format!("“{}”还没有佐证材料。\n", file.display()));
    }
    let mut text = format!("“{}”的佐证材料（{} 份）：\n", file.display(), lines.len());
    for line in &lines {
        let page = line
            .page
            .map(|p| format!("，第 {p} 页"))
            .unwrap_or_default();
        let note = if line.note.is_empty() {
            String::new()
        } else {
            format!("：{}", shorten(line.note))
        };
        text.push_str(&format!(
            "{}  {}  {}{page}{note}\n",
            line.number,
            line.indicator,
            shorten(line.file)
        ));
    }
    Ok(text)
}

fn check(file: &Path) -> Result<(String, u8), String> {
    let doc = storage::load(file).map_err(|e| e.to_string())?;
    let count: usize = doc.leaves().iter().map(|l| l.evidence.len()).sum();
    let problems = evidence::check(&doc, file);
    if problems.is_empty() {
        return Ok((format!("{count} 份佐证材料齐全，均未改动。\n"), 0));
    }
    let mut text = format!(
        "{count} 份佐证材料中有 {} 份缺失或已改动：\n",
        problems.len()
    );
    for problem in &problems {
        text.push_str(&format!("  {}\n", problem.describe()));
    }
    Ok((text, 1))
}
