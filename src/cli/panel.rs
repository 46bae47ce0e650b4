//! `jixiao panel …` and `jixiao history`: an expert panel's round trip with files alone.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{ScoreReport, SheetChoice, open_file, pad, score_table, write_new};
use crate::model::Evaluation;
use crate::number::format2;
use crate::panel::{self, PanelStats};
use crate::scoring::summarize;
use crate::storage;
use crate::submission::{self, SealStatus};
use crate::validate::validate;

/// `jixiao panel FILES…` merges; `jixiao panel prepare|fill|submit` are the other steps.
#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    subcommand_help_heading = "步骤",
    subcommand_value_name = "步骤"
)]
pub struct PanelArgs {
    #[command(subcommand)]
    step: Option<PanelStep>,
    /// 各位专家的评分文件（.ron 或表格），至少一个
    #[arg(value_name = "专家文件", required = true)]
    files: Vec<PathBuf>,
    /// 每项指标去掉一个最高分和一个最低分后平均（需 5 位以上专家）；默认 5 位以上时如此
    #[arg(long, help_heading = "选项", conflicts_with = "mean")]
    trimmed: bool,
    /// 每项指标取算术平均，不论专家人数
    #[arg(long, help_heading = "选项")]
    mean: bool,
    /// 分歧阈值：某项指标各位专家得分的最大差超过其分值的这个百分比时标出（默认 20）
    #[arg(long, value_name = "百分比", help_heading = "选项")]
    threshold: Option<String>,
    /// 把专家组结果保存为（.ron）
    #[arg(
        short = 'o',
        long = "output",
        value_name = "文件",
        help_heading = "选项"
    )]
    output: Option<PathBuf>,
    /// 覆盖已有文件（原文件保留为 .bak）
    #[arg(long, help_heading = "选项")]
    force: bool,
    /// 以 JSON 输出
    #[arg(long, help_heading = "选项")]
    json: bool,
    /// 接受这位专家提交后被改动的评分文件，计入专家组得分（须同时用 --reason 写明理由；可多次使用）
    #[arg(long, value_name = "专家", help_heading = "选项", requires = "reason")]
    accept: Vec<String>,
    /// 接受改动的理由，记入专家组文件的修改记录
    #[arg(long, value_name = "理由", help_heading = "选项", requires = "accept")]
    reason: Option<String>,
    #[command(flatten)]
    sheet: SheetChoice,
}

#[derive(Debug, Subcommand)]
enum PanelStep {
    /// 从评价方案为每位专家准备一份评分文件（张三.ron …）
    Prepare {
        /// 评价方案：指标、分值和评分标准（.ron 或表格）
        #[arg(value_name = "评价方案")]
        plan: PathBuf,
        /// 专家姓名，用逗号或顿号分隔：张三,李四,王五
        #[arg(long, value_name = "姓名", required = true)]
        experts: String,
        /// 写到这个文件夹
        #[arg(
            short = 'o',
            long = "output",
            value_name = "文件夹",
            help_heading = "选项"
        )]
        folder: PathBuf,
        /// 覆盖已有的专家文件
        #[arg(long, help_heading = "选项")]
        force: bool,
        #[command(flatten)]
        sheet: SheetChoice,
    },
    /// 把专家在纸质或 Excel 评分表上的得分和扣分理由填入其评分文件
    Fill {
        /// 专家的评分文件（.ron）
        #[arg(value_name = "专家文件")]
        file: PathBuf,
        /// 专家填好的评分表（.csv、.xlsx、.xls、.ods、.docx）
        #[arg(long = "from", value_name = "表格")]
        from: PathBuf,
        #[command(flatten)]
        sheet: SheetChoice,
    },
    /// 提交评分：检查每项指标都已评分、扣分都有理由，然后封存
    Submit {
        /// 专家的评分文件（.ron）
        #[arg(value_name = "专家文件")]
        file: PathBuf,
    },
}

pub(super) fn run(args: PanelArgs, out: &mut impl Write) -> Result<u8, String> {
    let text = match args.step {
        Some(PanelStep::Prepare {
            plan,
            experts,
            folder,
            force,
            sheet,
        }) => prepare(&plan, &experts, &folder, force, &sheet)?,
        Some(PanelStep::Fill { file, from, sheet }) => fill(&file, &from, &sheet)?,
        Some(PanelStep::Submit { file }) => submit(&file)?,
        None => {
            let method = if args.trimmed {
                panel::Method::TrimmedMean
            } else if args.mean {
                panel::Method::Mean
            } else {
                panel::Method::BySize
            };
            let threshold = match &args.threshold {
                Some(text) => threshold(text)?,
                None => panel::default_threshold(),
            };
            let mut doc = merge(&args.files, method, threshold, &args.sheet)?;
            let reason = args.reason.as_deref().unwrap_or_default();
            let at = submission::now();
            for expert in &args.accept {
                panel::accept(&mut doc, expert, reason, &at).map_err(|e| e.to_string())?;
            }
            if let Some(output) = &args.output {
                write_new(&doc, output, args.force)?;
            }
            if args.json {
                json(&PanelReport::new(&doc))?
            } else {
                panel_text(&doc)
            }
        }
    };
    out.write_all(text.as_bytes())
        .map_err(|e| format!("无法输出结果：{e}"))?;
    Ok(0)
}

fn json(value: &impl Serialize) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|text| text + "\n")
        .map_err(|e| format!("无法生成 JSON：{e}"))
}

fn prepare(
    plan: &Path,
    experts: &str,
    folder: &Path,
    force: bool,
    sheet: &SheetChoice,
) -> Result<String, String> {
    let plan_doc = open_file(plan, sheet)?.doc;
    let names = submission::expert_names(experts);
    let files = submission::prepare(&plan_doc, &names, folder, &submission::now())
        .map_err(|e| e.to_string())?;
    if !force && let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(format!(
            "“{}”已存在；如要覆盖请加 --force（原文件会保留为 .bak）",
            path.display()
        ));
    }
    std::fs::create_dir_all(folder).map_err(|e| {
        format!(
            "无法创建文件夹“{}”：{}",
            folder.display(),
            storage::io_reason(&e)
        )
    })?;
    let mut text = format!(
        "已为 {} 位专家准备评分文件（评价方案“{}”，{} 项指标）：\n",
        files.len(),
        plan.display(),
        plan_doc.leaves().len()
    );
    for (path, doc) in &files {
        storage::save(doc, path).map_err(|e| e.to_string())?;
        text.push_str(&format!("  {}\n", path.display()));
    }
    // Each expert scores with the plan's evidence at hand: the files go beside theirs.
    if let Some((path, _)) = files.first() {
        let copied = crate::evidence::copy_all(&plan_doc, plan, path).map_err(|e| e.to_string())?;
        if copied > 0 {
            text.push_str(&format!(
                "并复制了 {copied} 份佐证材料到“佐证材料”文件夹。\n"
            ));
        }
    }
    Ok(text)
}

fn fill(file: &Path, from: &Path, sheet: &SheetChoice) -> Result<String, String> {
    let mut doc = storage::load(file).map_err(|e| e.to_string())?;
    if doc.seal.is_some() {
        return Err(format!(
            "“{}”已经提交，不能再填入；如需修改请先在窗口中“撤回提交”",
            file.display()
        ));
    }
    let table = open_file(from, sheet)?.doc;
    let filled = submission::fill(&mut doc, &table, &submission::now());
    storage::save(&doc, file).map_err(|e| e.to_string())?;
    let mut text = format!(
        "已从“{}”填入 {} 项指标的评分，保存到“{}”。\n",
        from.display(),
        filled.filled,
        file.display()
    );
    if !filled.unmatched.is_empty() {
        text.push_str(&format!(
            "表格中有 {} 行在评分文件中找不到对应指标，未填入：\n",
            filled.unmatched.len()
        ));
        for path in &filled.unmatched {
            text.push_str(&format!("  {path}\n"));
        }
    }
    if !filled.missing.is_empty() {
        text.push_str(&format!("还有 {} 项指标未评分：\n", filled.missing.len()));
        for path in &filled.missing {
            text.push_str(&format!("  {path}\n"));
        }
    }
    Ok(text)
}

fn submit(file: &Path) -> Result<String, String> {
    let mut doc = storage::load(file).map_err(|e| e.to_string())?;
    let at = submission::now();
    submission::submit(&mut doc, &at).map_err(|e| format!("“{}”未提交：{e}", file.display()))?;
    storage::save(&doc, file).map_err(|e| e.to_string())?;
    Ok(format!(
        "{} 已于 {at} 提交“{}”：综合得分 {}，已封存。\n",
        submission::owner(&doc),
        file.display(),
        summarize(&doc).total_text()
    ))
}

/// `--threshold 20` as the share 0.2; more than 0 and at most 100 percent.
fn threshold(text: &str) -> Result<Decimal, String> {
    crate::number::parse_decimal(text.trim().trim_end_matches(['%', '％']))
        .ok()
        .flatten()
        .filter(|v| *v > Decimal::ZERO && *v <= Decimal::ONE_HUNDRED)
        .map(|v| v / Decimal::ONE_HUNDRED)
        .ok_or_else(|| format!("分歧阈值“{text}”应为 0 到 100 之间的百分数，如 20"))
}

/// Reads every expert's file and merges them.
fn merge(
    files: &[PathBuf],
    method: panel::Method,
    threshold: Decimal,
    sheet: &SheetChoice,
) -> Result<Evaluation, String> {
    let mut experts = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let evaluation = open_file(file, sheet)?.doc;
        let fallback = file.file_stem().map_or_else(
            || format!("专家{}", index + 1),
            |s| s.to_string_lossy().into_owned(),
        );
        experts.push(panel::Expert {
            name: panel::expert_name(&evaluation, &fallback),
            source: file.display().to_string(),
            evaluation,
        });
    }
    panel::merge(experts, method, threshold, None).map_err(|e| e.to_string())
}

fn percent(share: Decimal) -> String {
    format2(share.saturating_mul(Decimal::ONE_HUNDRED))
}

fn panel_text(doc: &Evaluation) -> String {
    let summary = summarize(doc);
    let problems = validate(doc, &summary);
    let mut text = score_table(doc, &summary, &problems);
    let Some(info) = &doc.panel else {
        return text;
    };
    let stats = panel::statistics(doc);
    text.push_str(&format!(
        "\n专家组得分：每项指标取各位专家得分的{}，四舍五入保留两位小数；综合得分为各项之和。\n",
        stats.method.label()
    ));
    text.push_str("\n各位专家：\n");
    for expert in &stats.experts {
        text.push_str(&format!(
            "  {}{}{}{}{}\n",
            pad(&expert.name, 12),
            pad(&format2(expert.total), 8),
            pad(&expert.rating, 12),
            pad(&expert.seal_text(), 28),
            expert.leniency_text()
        ));
    }
    for aside in &info.set_aside {
        text.push_str(&format!(
            "  {}{}\n",
            pad(&aside.expert.name, 12),
            "提交后被改动，未计入专家组得分"
        ));
        for change in &aside.changes {
            text.push_str(&format!("      {}\n", change.describe()));
        }
    }
    if !stats.missing.is_empty() {
        text.push_str(&format!("尚未收到：{}\n", stats.missing.join("、")));
    }
    if let Some(waiting) = stats.waiting_text() {
        text.push_str(&format!("{waiting}\n"));
    }
    if !info.set_aside.is_empty() {
        let names: Vec<&str> = info
            .set_aside
            .iter()
            .map(|s| s.expert.name.as_str())
            .collect();
        text.push_str(&format!(
            "如确认改动有效，可写明理由后接受：jixiao panel … --accept {} --reason \"理由\"\n",
            names.join(" --accept ")
        ));
    }
    text.push_str(&format!(
        "\n{}\n",
        stats.agreement_text(info.divergence_threshold)
    ));
    let divergent = stats.divergent();
    if !divergent.is_empty() {
        text.push_str(&format!(
            "\n分歧较大的指标（{} 项，最大差超过分值的 {}%）：\n",
            divergent.len(),
            (info.divergence_threshold * Decimal::ONE_HUNDRED).normalize()
        ));
        for row in divergent {
            let agreed = if row.agreed {
                format!(
                    "；已讨论认定 {}",
                    row.panel_score.map(format2).unwrap_or_default()
                )
            } else {
                String::new()
            };
            let scores: Vec<String> = row
                .scores
                .iter()
                .map(|s| s.map_or_else(|| "未评".to_owned(), |s| s.normalize().to_string()))
                .collect();
            let outliers: Vec<&str> = row
                .outliers
                .iter()
                .filter_map(|i| stats.experts.get(*i).map(|e| e.name.as_str()))
                .collect();
            text.push_str(&format!(
                "  {}：{}（分值 {}，相差 {}%；偏离最大：{}{agreed}）\n",
                row.path,
                scores.join(" / "),
                row.max_points.normalize(),
                percent(row.spread_share),
                outliers.join("、")
            ));
        }
    }
    text
}

/// `jixiao panel --json`: the panel's score as `score --json` gives it, plus how each
/// expert scored, every indicator's spread and flags, and the panel's agreement.
#[derive(Debug, Serialize)]
pub struct PanelReport {
    #[serde(flatten)]
    pub score: ScoreReport,
    pub method: String,
    pub experts: Vec<ExpertReport>,
    pub missing: Vec<String>,
    /// The files changed after they were submitted, left out of the figures.
    pub set_aside: Vec<SetAsideReport>,
    /// The experts the plan names without a submitted file counted: no grade until none.
    pub waiting: Vec<String>,
    /// Share of the indicators scored by two experts or more whose spread is within the
    /// threshold, in percent; `null` with nothing to compare.
    pub agreement: Option<String>,
    pub threshold: String,
    pub indicators: Vec<IndicatorReport>,
    pub divergent: Vec<DivergentReport>,
}

#[derive(Debug, Serialize)]
pub struct ExpertReport {
    pub name: String,
    pub file: String,
    pub total: String,
    pub rating: String,
    pub seal: SealStatus,
    pub sealed_at: Option<String>,
    /// Why the secretary accepted a file changed after it was submitted.
    pub accepted: Option<String>,
    /// Mean of (the expert's score − the panel's) per indicator, two decimals.
    pub leniency: Option<String>,
    pub leniency_text: String,
    pub outliers: Vec<String>,
    /// 得分率 per 一级 indicator, in percent.
    pub group_rates: Vec<GroupRate>,
}

#[derive(Debug, Serialize)]
pub struct SetAsideReport {
    pub name: String,
    pub file: String,
    /// `决策 / 项目立项 / 立项依据充分性 得分 1.5 → 2`, one per field changed.
    pub changes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct GroupRate {
    pub name: String,
    pub rate: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct IndicatorReport {
    pub path: String,
    pub max_points: String,
    pub scores: Vec<Option<String>>,
    pub panel: Option<String>,
    pub spread: String,
    /// The experts disagreed beyond the threshold (kept once the panel agreed a score).
    pub diverged: bool,
    /// Diverged and not settled by an agreed score yet.
    pub flagged: bool,
    pub outliers: Vec<String>,
    pub agreed: bool,
}

#[derive(Debug, Serialize)]
pub struct DivergentReport {
    pub path: String,
    pub min: String,
    pub max: String,
    pub max_points: String,
}

impl PanelReport {
    pub fn new(doc: &Evaluation) -> Self {
        let summary = summarize(doc);
        let problems = validate(doc, &summary);
        let stats: PanelStats = panel::statistics(doc);
        let threshold = doc
            .panel
            .as_ref()
            .map_or_else(panel::default_threshold, |p| p.divergence_threshold);
        let name = |index: &usize| {
            stats
                .experts
                .get(*index)
                .map(|e| e.name.clone())
                .unwrap_or_default()
        };
        let rates = |rates: &[Option<Decimal>]| {
            stats
                .groups
                .iter()
                .zip(rates)
                .map(|(name, rate)| GroupRate {
                    name: name.clone(),
                    rate: rate.map(format2),
                })
                .collect()
        };
        Self {
            score: ScoreReport::new(&summary, &problems),
            method: stats.method.label().to_owned(),
            experts: stats
                .experts
                .iter()
                .map(|e| ExpertReport {
                    name: e.name.clone(),
                    file: e.source.clone(),
                    total: format2(e.total),
                    rating: e.rating.clone(),
                    seal: e.seal,
                    sealed_at: e.sealed_at.clone(),
                    accepted: e.accepted.clone(),
                    leniency: e.leniency.map(format2),
                    leniency_text: e.leniency_text(),
                    outliers: e.outliers.clone(),
                    group_rates: rates(&e.group_rates),
                })
                .collect(),
            missing: stats.missing.clone(),
            set_aside: doc
                .panel
                .iter()
                .flat_map(|p| &p.set_aside)
                .map(|s| SetAsideReport {
                    name: s.expert.name.clone(),
                    file: s.expert.source.clone(),
                    changes: s.changes.iter().map(|c| c.describe()).collect(),
                })
                .collect(),
            waiting: stats.waiting.clone(),
            agreement: stats.agreement().map(format2),
            threshold: percent(threshold),
            indicators: stats
                .rows
                .iter()
                .map(|row| IndicatorReport {
                    path: row.path.to_string(),
                    max_points: format2(row.max_points),
                    scores: row.scores.iter().map(|s| s.map(format2)).collect(),
                    panel: row.panel_score.map(format2),
                    spread: format2(row.spread),
                    diverged: row.diverged,
                    flagged: row.flagged,
                    outliers: row.outliers.iter().map(name).collect(),
                    agreed: row.agreed,
                })
                .collect(),
            divergent: stats
                .divergent()
                .into_iter()
                .map(|row| {
                    let given = row.scores.iter().flatten();
                    DivergentReport {
                        min: format2(given.clone().min().copied().unwrap_or_default()),
                        max: format2(given.max().copied().unwrap_or_default()),
                        max_points: format2(row.max_points),
                        path: row.path.to_string(),
                    }
                })
                .collect(),
        }
    }
}

/// One line of `jixiao history --json`.
#[derive(Debug, Serialize)]
struct HistoryLine {
    at: String,
    /// The indicator's path, for an edit.
    indicator: Option<String>,
    /// 得分 / 扣分理由 / 不适用, for an edit.
    field: Option<String>,
    old: Option<String>,
    new: Option<String>,
    /// The whole entry as the text output writes it.
    text: String,
}

pub(super) fn history(file: &Path, as_json: bool, out: &mut impl Write) -> Result<u8, String> {
    let doc = storage::load(file).map_err(|e| e.to_string())?;
    let text = if as_json {
        let lines: Vec<HistoryLine> = doc
            .history
            .iter()
            .map(|entry| {
                let (indicator, field, old, new) = match &entry.change {
                    crate::model::Change::Edit {
                        indicator,
                        field,
                        old,
                        new,
                        ..
                    } => (
                        Some(indicator.clone()),
                        Some(field.label().to_owned()),
                        Some(old.clone()),
                        Some(new.clone()),
                    ),
                    _ => (None, None, None, None),
                };
                HistoryLine {
                    at: entry.at.clone(),
                    indicator,
                    field,
                    old,
                    new,
                    text: entry.change.describe(),
                }
            })
            .collect();
        json(&serde_json::json!({
            "file": file.display().to_string(),
            "seal": submission::seal_status(&doc),
            "history": lines,
        }))?
    } else {
        let mut text = format!(
            "“{}”的修改记录（{} 条；{}）：\n",
            file.display(),
            doc.history.len(),
            submission::seal_status(&doc).label()
        );
        for entry in &doc.history {
            text.push_str(&format!("  {}  {}\n", entry.at, entry.change.describe()));
        }
        text
    };
    out.write_all(text.as_bytes())
        .map_err(|e| format!("无法输出结果：{e}"))?;
    Ok(0)
}
