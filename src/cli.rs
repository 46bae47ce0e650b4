//! The command line: `jixiao score|check|import|new|templates`. It uses the same core as
//! the window; with no subcommand the binary starts the window instead.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{ArgAction, Parser, Subcommand};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::export;
use crate::model::{Evaluation, shorten};
use crate::number::format2;
use crate::open::open_with;
use crate::scoring::{Summary, summarize};
use crate::storage;
use crate::templates;
use crate::validate::{Problem, ProblemKind, Severity, validate};

mod evidence;
mod library;
mod overview;
mod panel;

#[derive(Debug, Parser)]
#[command(
    name = "jixiao",
    // The same usage lines on every system (not `jixiao.exe`).
    bin_name = "jixiao",
    version,
    about = "绩效：项目支出绩效评价评分与自评表。不带命令时打开窗口。",
    args_conflicts_with_subcommands = true,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    help_template = HELP_TEMPLATE
)]
pub struct Cli {
    /// 在窗口中打开的文件（.ron、.csv、.xlsx、.xls）
    #[arg(value_name = "文件", help_heading = "参数")]
    pub file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true, help_heading = "选项")]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long = "version", action = ArgAction::Version, help_heading = "选项")]
    version: Option<bool>,
}

/// How every command's help is laid out: Chinese headings, the usage line included.
const HELP_TEMPLATE: &str = "{about}\n\n用法：{usage}\n\n{all-args}{after-help}";

impl Cli {
    /// Reads the command line. Every subcommand's help has the root's Chinese layout
    /// (clap's own headings, "Usage:" and "Arguments:", would otherwise show through).
    pub fn parse_args() -> Result<Self, clap::Error> {
        use clap::{CommandFactory, FromArgMatches};
        fn localized(command: clap::Command) -> clap::Command {
            command
                .help_template(HELP_TEMPLATE)
                .subcommand_help_heading("命令")
                .mut_args(|arg| match (arg.get_help_heading(), arg.is_positional()) {
                    (Some(_), _) => arg,
                    (None, true) => arg.help_heading("参数"),
                    (None, false) => arg.help_heading("选项"),
                })
                .mut_subcommands(localized)
        }
        let matches = localized(Self::command()).try_get_matches()?;
        Self::from_arg_matches(&matches)
    }
}

/// clap's own words in what it prints, in Chinese (its usage lines say `[OPTIONS]`).
pub fn localize_usage(text: &str) -> String {
    text.replace("[OPTIONS]", "[选项]")
        .replace("Usage: ", "用法：")
        // A second usage line lines up under the first: "用法：" is six columns wide.
        .replace("\n       jixiao", "\n      jixiao")
        .replace("[COMMAND]", "[命令]")
        .replace("<COMMAND>", "<命令>")
}

/// What was wrong with the command line, in Chinese, with the usage and where to read
/// more; `None` for help and version, which are printed as clap renders them.
pub fn usage_error(err: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ErrorKind};
    let get = |kind| err.get(kind).map(ToString::to_string);
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = shorten(&get(ContextKind::InvalidValue).unwrap_or_default());
    let mut text = match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            format!("不认识的选项“{}”", shorten(&arg))
        }
        ErrorKind::UnknownArgument => format!("多余的参数“{}”", shorten(&arg)),
        // `jixiao scroe 评价.ron`: the first word was taken for a file, the second for
        // a command.
        ErrorKind::ArgumentConflict if arg.is_empty() => {
            let extra = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            if extra.starts_with('-') {
                format!("不认识的选项“{}”", shorten(&extra))
            } else {
                format!(
                    "多余的参数“{}”；命令要写在最前面，如 jixiao score 评价.ron",
                    shorten(&extra)
                )
            }
        }
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令",
            shorten(&get(ContextKind::InvalidSubcommand).unwrap_or_default())
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation if value.is_empty() => {
            format!("{arg} 缺少值")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("{arg} 的值“{value}”不对")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少 {arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_owned(),
        ErrorKind::ArgumentConflict => format!(
            "{arg} 不能和 {} 一起使用",
            get(ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::TooManyValues => format!("多余的参数“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用“=”接在后面"),
        ErrorKind::InvalidUtf8 => "命令行里有无法识别的字符".to_owned(),
        _ => "命令行有误".to_owned(),
    };
    if let Some(suggested) =
        get(ContextKind::SuggestedArg).or_else(|| get(ContextKind::SuggestedSubcommand))
    {
        text.push_str(&format!("；是不是要用“{suggested}”？"));
    }
    if let Some(valid) = get(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
        text.push_str(&format!("；可用的值：{valid}"));
    }
    let usage = get(ContextKind::Usage).map(|u| localize_usage(u.trim()));
    let usage = usage
        .as_deref()
        .map(|u| u.trim_start_matches("用法：").trim());
    // The command the usage is of: its words before the first `[…]`, `<…>` or option.
    let command = usage.map_or_else(
        || "jixiao".to_owned(),
        |u| {
            u.split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    if let Some(usage) = usage {
        text.push_str(&format!("\n用法：{usage}"));
    }
    text.push_str(&format!("\n详见 {command} --help"));
    Some(text)
}

/// Where `import` and `new` write the document, and whether they may replace a file.
#[derive(Debug, clap::Args)]
pub struct NewFile {
    /// 保存为（.ron）
    #[arg(
        short = 'o',
        long = "output",
        value_name = "文件",
        help_heading = "选项"
    )]
    output: PathBuf,
    /// 覆盖已有文件（原文件保留为 .bak）
    #[arg(long, help_heading = "选项")]
    force: bool,
}

/// Which sheet of a workbook to read, when not the one that holds the indicator table.
#[derive(Debug, clap::Args)]
pub struct SheetChoice {
    /// 读取工作簿中的这个工作表（默认为写有指标表头的那个）
    #[arg(long = "sheet", value_name = "工作表", help_heading = "选项")]
    sheet: Option<String>,
    /// 按这个识别方式文件（.ron）读表格：各列的含义、各行是什么
    #[arg(long = "layout", value_name = "文件", help_heading = "选项")]
    layout: Option<PathBuf>,
}

impl SheetChoice {
    fn options(&self) -> Result<crate::import::Options, String> {
        let layout = match &self.layout {
            Some(path) => Some(crate::import::Layout::load(path).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(crate::import::Options {
            sheet: self.sheet.clone(),
            layout,
            ..Default::default()
        })
    }
}

/// Opens a file for any command, with the chosen sheet and layout.
fn open_file(file: &Path, sheet: &SheetChoice) -> Result<crate::open::Opened, String> {
    open_with(file, &sheet.options()?).map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 计算综合得分与绩效评定级别
    Score {
        /// 评价文件（.ron）或表格（.csv、.xlsx、.xls）
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 以 JSON 输出
        #[arg(long, help_heading = "选项")]
        json: bool,
        #[command(flatten)]
        sheet: SheetChoice,
        /// 用这个规则集文件（.ron）评分
        #[arg(long, value_name = "规则集", help_heading = "选项")]
        rules: Option<PathBuf>,
    },
    /// 列出所有问题；有错误时退出码为 1
    Check {
        #[arg(value_name = "文件")]
        file: PathBuf,
        #[command(flatten)]
        sheet: SheetChoice,
        /// 用这个规则集文件（.ron）检查
        #[arg(long, value_name = "规则集", help_heading = "选项")]
        rules: Option<PathBuf>,
    },
    /// 把表格导入为评价文件；--explain 说明识别了什么
    Import {
        /// 表格（.csv、.xlsx、.xls、.ods）或 Word 文档（.docx）
        #[arg(value_name = "表格")]
        table: PathBuf,
        /// 保存为（.ron）；只看识别结果时可省略
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
        /// 列出识别结果：表头、各列含义、资金情况、指标数、跳过的行及原因
        #[arg(long, help_heading = "选项")]
        explain: bool,
        #[command(flatten)]
        sheet: SheetChoice,
    },
    /// 从模板新建评价文件
    New {
        /// 模板名称（见 jixiao templates）
        #[arg(long, value_name = "模板", help_heading = "选项")]
        template: String,
        #[command(flatten)]
        target: NewFile,
    },
    /// 专家组：准备各位专家的评分文件（prepare）、从表格填入（fill）、提交（submit），或合并评分
    Panel(panel::PanelArgs),
    /// 指标库：把自己历年的评价做成可查找的指标库（add、update、search、show、mark）
    Library(library::LibraryArgs),
    /// 佐证材料：附在指标上（add）、列出（list）、检查是否缺失或改动（check）
    Evidence(evidence::EvidenceArgs),
    /// 整改清单：按扣分列出问题、整改措施、责任单位、完成时限和状态
    Rectify {
        /// 评价文件（.ron）或表格
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 写出 Excel 整改清单（.xlsx）
        #[arg(
            short = 'o',
            long = "output",
            value_name = "整改清单.xlsx",
            help_heading = "选项"
        )]
        output: Option<PathBuf>,
        /// 覆盖已有文件（原文件保留为 .bak）
        #[arg(long, help_heading = "选项")]
        force: bool,
        /// 评价报告的日期（默认今天）：完成时限默认为其后 30 天
        #[arg(long, value_name = "日期", help_heading = "选项")]
        date: Option<String>,
        /// 以 JSON 输出
        #[arg(long, help_heading = "选项")]
        json: bool,
        #[command(flatten)]
        sheet: SheetChoice,
    },
    /// 列出一份评价文件的修改记录
    History {
        /// 评价文件（.ron）
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 以 JSON 输出
        #[arg(long, help_heading = "选项")]
        json: bool,
    },
    /// 导出 Excel 评分表、Word 报告、CSV 或 Markdown；可一次导出多个文件
    Export {
        /// 评价文件（.ron）或表格；多个文件时，下列输出均为文件夹
        #[arg(value_name = "文件", required = true)]
        files: Vec<PathBuf>,
        /// Excel 评分表（.xlsx）
        #[arg(long, value_name = "输出", help_heading = "选项")]
        xlsx: Option<PathBuf>,
        /// Word 评价报告（.docx）
        #[arg(long, value_name = "输出", help_heading = "选项")]
        docx: Option<PathBuf>,
        /// CSV 评分表（可再导入）
        #[arg(long, value_name = "输出", help_heading = "选项")]
        csv: Option<PathBuf>,
        /// Markdown 评价报告
        #[arg(long, value_name = "输出", help_heading = "选项")]
        md: Option<PathBuf>,
        /// 空白评分表（.xlsx）：分值、评分标准，得分和扣分理由留空，打印后评分，可用 panel fill 读回
        #[arg(long, value_name = "输出", help_heading = "选项")]
        blank_xlsx: Option<PathBuf>,
        /// 空白评分表（.docx），同上
        #[arg(long, value_name = "输出", help_heading = "选项")]
        blank_docx: Option<PathBuf>,
        /// 覆盖已有文件（原文件保留为 .bak）；输入文件本身从不覆盖
        #[arg(long, help_heading = "选项")]
        force: bool,
        #[command(flatten)]
        sheet: SheetChoice,
    },
    /// 汇总一个文件夹（或多个文件）中的全部评价：排名、级别分布、常见扣分、自评与专家评分对比
    Overview {
        /// 文件夹（含子文件夹）或评价文件、表格
        #[arg(value_name = "文件夹或文件", required = true)]
        paths: Vec<PathBuf>,
        /// 把汇总写成 Excel 工作簿（.xlsx）
        #[arg(
            short = 'o',
            long = "output",
            value_name = "汇总.xlsx",
            help_heading = "选项"
        )]
        output: Option<PathBuf>,
        /// 覆盖已有文件
        #[arg(long, help_heading = "选项")]
        force: bool,
        /// 以 JSON 输出
        #[arg(long, help_heading = "选项")]
        json: bool,
    },
    /// 列出内置的指标模板
    Templates,
}

/// Runs one subcommand; what it prints goes to `out`, failures to `err` in Chinese.
/// Returns the process exit code.
pub fn run(command: Command, out: &mut impl Write, err: &mut impl Write) -> u8 {
    match execute(command, out, err) {
        Ok(code) => code,
        Err(message) => {
            // Nothing more can be done if stderr itself is gone.
            let _ = writeln!(err, "jixiao：{message}");
            2
        }
    }
}

fn execute(command: Command, out: &mut impl Write, err: &mut impl Write) -> Result<u8, String> {
    let print = |out: &mut dyn Write, text: &str| {
        out.write_all(text.as_bytes())
            .map_err(|e| format!("无法输出结果：{e}"))
    };
    match command {
        Command::Score {
            file,
            json,
            sheet,
            rules,
        } => {
            let doc = open_with_rules(&file, &sheet, rules.as_deref())?;
            let summary = summarize(&doc);
            let problems = validate(&doc, &summary);
            let text = if json {
                let mut text = serde_json::to_string_pretty(&ScoreReport::new(&summary, &problems))
                    .map_err(|e| format!("无法生成 JSON：{e}"))?;
                text.push('\n');
                text
            } else {
                score_table(&doc, &summary, &problems)
            };
            print(out, &text)?;
            Ok(0)
        }
        Command::Check { file, sheet, rules } => {
            let doc = open_with_rules(&file, &sheet, rules.as_deref())?;
            let problems = validate(&doc, &summarize(&doc));
            print(out, &problems_text(&file, &problems))?;
            let has_error = problems.iter().any(|p| p.severity == Severity::Error);
            Ok(u8::from(has_error))
        }
        Command::Import {
            table,
            output,
            force,
            explain,
            sheet,
        } => {
            if output.is_none() && !explain {
                return Err(
                    "请用 -o 指定保存的评价文件（.ron），或用 --explain 只看识别结果".to_owned(),
                );
            }
            let options = crate::import::Options {
                rows: explain,
                ..sheet.options()?
            };
            let opened = open_with(&table, &options).map_err(|e| e.to_string())?;
            let doc = opened.doc;
            let summary = summarize(&doc);
            let mut text = String::new();
            if explain && let Some(report) = &opened.report {
                text.push_str(&report.text());
                let problems = validate(&doc, &summary);
                text.push_str(&problems_text(&table, &problems));
            }
            if let Some(output) = &output {
                write_new(&doc, output, force)?;
                text.push_str(&format!(
                    "已导入 {} 项指标，保存为“{}”。综合得分 {}，{}\n",
                    summary.totals.applicable_leaves,
                    output.display(),
                    summary.total_text(),
                    summary.verdict_text()
                ));
            } else {
                text.push_str(&format!(
                    "综合得分 {}，{}\n",
                    summary.total_text(),
                    summary.verdict_text()
                ));
            }
            print(out, &text)?;
            Ok(0)
        }
        Command::New { template, target } => {
            let doc = templates::load(&template).map_err(|e| e.to_string())?;
            write_new(&doc, &target.output, target.force)?;
            print(
                out,
                &format!("已从模板“{template}”新建“{}”\n", target.output.display()),
            )?;
            Ok(0)
        }
        Command::Panel(args) => panel::run(args, out),
        Command::Library(args) => library::run(args, out, err),
        Command::Evidence(args) => evidence::run(args, out),
        Command::History { file, json } => panel::history(&file, json, out),
        Command::Rectify {
            file,
            output,
            force,
            date,
            json,
            sheet,
        } => {
            let doc = open_file(&file, &sheet)?.doc;
            let today = jiff::ZonedDateTime::now().date();
            let report = match date.as_deref().map(str::trim) {
                None => today,
                Some(text) => text.parse::<jiff::civil::Date>().map_err(|_| {
                    format!(
                        "报告日期“{}”无法识别，请写成 2026-12-08",
                        crate::model::shorten(text)
                    )
                })?,
            };
            let rows = crate::rectify::rows(&doc, report, today);
            if let Some(output) = &output {
                check_target(output, std::slice::from_ref(&file), force)?;
                export::write_rectification_xlsx(&doc, &rows, output).map_err(|e| e.to_string())?;
            }
            let mut text = if json {
                let value = serde_json::json!({
                    "file": file.display().to_string(),
                    "items": rows,
                    "open": rows.iter().filter(|r| r.is_open()).count(),
                    "overdue": rows.iter().filter(|r| r.overdue).count(),
                });
                serde_json::to_string_pretty(&value).map_err(|e| format!("无法生成 JSON：{e}"))?
                    + "\n"
            } else {
                crate::rectify::text(&rows)
            };
            if let (Some(output), false) = (&output, json) {
                text.push_str(&format!("已写出整改清单“{}”。\n", output.display()));
            }
            print(out, &text)?;
            Ok(0)
        }
        Command::Export {
            files,
            xlsx,
            docx,
            csv,
            md,
            blank_xlsx,
            blank_docx,
            force,
            sheet,
        } => export_files(
            &files,
            &sheet,
            force,
            [
                (xlsx, export::Format::Xlsx),
                (docx, export::Format::Docx),
                (csv, export::Format::Csv),
                (md, export::Format::Markdown),
                (blank_xlsx, export::Format::BlankXlsx),
                (blank_docx, export::Format::BlankDocx),
            ],
            out,
            err,
        ),
        Command::Overview {
            paths,
            output,
            force,
            json,
        } => {
            if let Some(output) = &output
                && output.exists()
                && !force
            {
                return Err(format!(
                    "“{}”已存在；如要覆盖请加 --force",
                    output.display()
                ));
            }
            let files = crate::overview::files_in(&paths);
            if files.is_empty() {
                return Err(
                    "没有找到评价文件或表格（.ron、.csv、.xlsx、.xls、.ods、.docx）".to_owned(),
                );
            }
            // Progress on a terminal only: a script reading the output sees none.
            let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let mut progress = |done: usize, of: usize, _: Option<&crate::overview::Project>| {
                if terminal && (done == of || done.is_multiple_of(20)) {
                    let _ = write!(err, "\r已读取 {done}/{of} 个文件");
                    if done == of {
                        let _ = writeln!(err);
                    }
                }
            };
            let never = std::sync::atomic::AtomicBool::new(false);
            let overview = crate::overview::collect(&files, &mut progress, &never);
            if let Some(output) = &output {
                crate::export::write_overview_xlsx(&overview, output).map_err(|e| e.to_string())?;
            }
            let mut text = if json {
                serde_json::to_string_pretty(&overview)
                    .map_err(|e| format!("无法生成 JSON：{e}"))?
                    + "\n"
            } else {
                overview::text(&overview)
            };
            if let (Some(output), false) = (&output, json) {
                text.push_str(&format!("已写出汇总工作簿“{}”。\n", output.display()));
            }
            print(out, &text)?;
            Ok(0)
        }
        Command::Templates => {
            let mut text = String::new();
            for template in templates::all() {
                text.push_str(&format!("{:<22}{}\n", template.name, template.title));
            }
            print(out, &text)?;
            Ok(0)
        }
    }
}

/// Exports every file to every format asked for, saying how far it got when there are
/// several. A file or a format that fails is reported and the others still go out; the
/// exit code is 2 if any failed, as for every other command that could not do its work.
/// Whether an export may write `target`: never over one of its own `inputs` (not even
/// with --force), never over a folder, over an existing file only with `force`, the
/// file then kept as .bak.
fn check_target(target: &Path, inputs: &[PathBuf], force: bool) -> Result<(), String> {
    let Ok(found) = std::fs::metadata(target) else {
        return Ok(());
    };
    if found.is_dir() {
        return Err(format!(
            "“{}”是文件夹，请给出要写入的文件名",
            target.display()
        ));
    }
    let same = |input: &PathBuf| match (std::fs::canonicalize(input), std::fs::canonicalize(target))
    {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if inputs.iter().any(same) {
        return Err(format!(
            "“{}”是要导出的文件本身，不能覆盖；请换一个文件名",
            target.display()
        ));
    }
    if !force {
        return Err(format!(
            "“{}”已存在；如要覆盖请加 --force（原文件会保留为 .bak）",
            target.display()
        ));
    }
    let bytes = std::fs::read(target)
        .map_err(|e| format!("无法读取“{}”：{}", target.display(), storage::io_reason(&e)))?;
    storage::replace_file(&storage::backup_path(target), &bytes, false)
        .map_err(|reason| format!("无法保留“{}”的备份：{reason}", target.display()))
}

fn export_files(
    files: &[PathBuf],
    sheet: &SheetChoice,
    force: bool,
    targets: [(Option<PathBuf>, export::Format); 6],
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<u8, String> {
    let targets: Vec<(PathBuf, export::Format)> = targets
        .into_iter()
        .filter_map(|(path, format)| path.map(|p| (p, format)))
        .collect();
    if targets.is_empty() {
        return Err(
            "请至少指定一种导出格式：--xlsx、--docx、--csv、--md、--blank-xlsx 或 --blank-docx"
                .to_owned(),
        );
    }
    let batch = files.len() > 1;
    if batch {
        for (dir, _) in &targets {
            std::fs::create_dir_all(dir).map_err(|e| {
                format!(
                    "无法创建文件夹“{}”：{}",
                    dir.display(),
                    storage::io_reason(&e)
                )
            })?;
        }
    }
    let mut failed = 0;
    for (index, file) in files.iter().enumerate() {
        let counter = format!("[{}/{}]", index + 1, files.len());
        let doc = match open_file(file, sheet) {
            Ok(opened) => opened.doc,
            Err(e) => {
                failed += 1;
                err.write_all(format!("{counter} 失败：{e}\n").as_bytes())
                    .map_err(|e| format!("无法输出结果：{e}"))?;
                continue;
            }
        };
        let summary = summarize(&doc);
        if !summary.is_complete() && targets.iter().any(|(_, format)| !format.is_blank()) {
            // Said before anything is written, so a report with no grade is no surprise.
            // Nothing more can be done if stderr itself is gone.
            let _ = writeln!(
                err,
                "jixiao：提醒：“{}”{}（{}），导出的报告不给绩效评定级别，写为“{}”",
                file.display(),
                crate::scoring::INCOMPLETE,
                summary.progress_text(),
                crate::scoring::INCOMPLETE
            );
        }
        let mut errors = Vec::new();
        for (target, format) in &targets {
            let path = if batch {
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                target.join(format.file_name(&stem))
            } else {
                target.clone()
            };
            if let Err(e) = check_target(&path, files, force) {
                errors.push(e);
                continue;
            }
            if let Err(e) = format.write(&doc, &path) {
                errors.push(e.to_string());
            }
        }
        let line = if errors.is_empty() {
            format!("{counter} 已导出“{}”\n", file.display())
        } else {
            failed += 1;
            let written = targets.len() - errors.len();
            format!(
                "{counter} “{}”：{} 种格式已导出，{} 种失败：{}\n",
                file.display(),
                written,
                errors.len(),
                errors.join("；")
            )
        };
        // What went wrong goes where errors go; what was done, to the output.
        let stream: &mut dyn Write = if errors.is_empty() { out } else { err };
        stream
            .write_all(line.as_bytes())
            .map_err(|e| format!("无法输出结果：{e}"))?;
    }
    Ok(if failed > 0 { 2 } else { 0 })
}

fn write_new(doc: &Evaluation, output: &Path, force: bool) -> Result<(), String> {
    if output.exists() && !force {
        return Err(format!(
            "“{}”已存在；如要覆盖请加 --force（原文件会保留为 .bak）",
            output.display()
        ));
    }
    storage::save(doc, output).map_err(|e| e.to_string())
}

/// `jixiao score --json`: decimals as strings with two places.
#[derive(Debug, Serialize)]
pub struct ScoreReport {
    pub total: String,
    pub max_total: String,
    /// The 绩效评定级别; `null` while the evaluation is not complete.
    pub rating: Option<String>,
    /// The grade the running total would give, while the evaluation is not complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional_rating: Option<String>,
    /// Whether every applicable leaf is scored.
    pub complete: bool,
    /// How many applicable leaves carry a 得分.
    pub scored: usize,
    /// How many leaves apply (are not marked 不适用).
    pub applicable: usize,
    pub groups: Vec<GroupReport>,
    /// What the rule set changed (a deduction, a cap), as the window shows it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<String>,
    pub problems: Vec<ProblemReport>,
}

#[derive(Debug, Serialize)]
pub struct GroupReport {
    pub name: String,
    pub max_points: String,
    pub score: String,
}

#[derive(Debug, Serialize)]
pub struct ProblemReport {
    pub severity: Severity,
    /// The problem's kind, stable across wording changes (`declared_mismatch`, …).
    pub code: ProblemKind,
    pub path: String,
    pub message: String,
}

impl ScoreReport {
    pub fn new(summary: &Summary, problems: &[Problem]) -> Self {
        Self {
            total: format2(summary.totals.score),
            max_total: format2(summary.totals.max_points),
            rating: summary.verdict().map(|r| r.label().to_owned()),
            provisional_rating: (!summary.is_complete()
                && summary.totals.scored_leaves > 0
                && summary.points_missing == 0)
                .then(|| summary.rating.label().to_owned()),
            complete: summary.is_complete(),
            scored: summary.totals.scored_leaves,
            applicable: summary.totals.applicable_leaves,
            groups: summary
                .groups
                .iter()
                .map(|g| GroupReport {
                    name: g.name.clone(),
                    max_points: format2(g.totals.max_points),
                    score: format2(g.totals.score),
                })
                .collect(),
            adjustments: summary.adjustments.clone(),
            problems: problems
                .iter()
                .map(|p| ProblemReport {
                    severity: p.severity,
                    code: p.kind,
                    path: p.path.clone(),
                    message: p.message.clone(),
                })
                .collect(),
        }
    }
}

/// Pads `text` to `width` terminal columns (a Chinese character takes two).
pub(crate) fn pad(text: &str, width: usize) -> String {
    let used = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn rate_text(score: rust_decimal::Decimal, max: rust_decimal::Decimal) -> String {
    crate::scoring::score_rate(score, max)
        .map_or_else(|| "—".to_owned(), |r| format!("{}%", format2(r)))
}

/// The readable summary of `jixiao score`.
/// Opens `file`, scored by the rule-set file `rules` when one is given.
/// The document of `file` (its sheet `sheet`), scored with the rule set of `rules` when
/// one is given.
fn open_with_rules(
    file: &Path,
    sheet: &SheetChoice,
    rules: Option<&Path>,
) -> Result<Evaluation, String> {
    let mut doc = open_file(file, sheet)?.doc;
    if let Some(rules) = rules {
        let set = crate::ruleset::load_file(rules).map_err(|e| e.to_string())?;
        let stem = rules.file_stem().unwrap_or_default().to_string_lossy();
        crate::rules::adopt(&mut doc, set, &stem);
    }
    Ok(doc)
}

fn score_table(doc: &Evaluation, summary: &Summary, problems: &[Problem]) -> String {
    let mut text = String::new();
    if !doc.info.name.is_empty() {
        text.push_str(&format!("项目：{}\n", doc.info.name));
    }
    let name_width = summary
        .groups
        .iter()
        .map(|g| UnicodeWidthStr::width(g.name.as_str()))
        .max()
        .unwrap_or(0)
        .max(10)
        + 2;
    let row = |name: &str, max: &str, score: &str, rate: &str| {
        format!(
            "{}{}{}{}\n",
            pad(name, name_width),
            pad(max, 10),
            pad(score, 10),
            rate
        )
    };
    text.push_str(&row("评价内容", "分值", "评价得分", "得分率"));
    for group in &summary.groups {
        text.push_str(&row(
            &group.name,
            &format2(group.totals.max_points),
            &format2(group.totals.score),
            &rate_text(group.totals.score, group.totals.max_points),
        ));
    }
    text.push_str(&row(
        "综合得分",
        &format2(summary.totals.max_points),
        &summary.total_text(),
        &rate_text(summary.totals.score, summary.totals.max_points),
    ));
    if !summary.is_complete() {
        text.push_str(&format!("绩效评定级别：{}", crate::scoring::INCOMPLETE));
        if !summary.waiting_for.is_empty() {
            text.push_str(&format!(
                "（尚待专家 {}；按已计入的评分暂计为“{}”，各位专家的评分收齐后才给出评定级别）",
                summary.waiting_for.join("、"),
                summary.rating.label()
            ));
        } else if summary.points_missing > 0 {
            text.push_str(&format!(
                "（{} 项指标没有分值，补上分值后才给出评定级别）",
                summary.points_missing
            ));
        } else if summary.totals.scored_leaves > 0 {
            text.push_str(&format!(
                "（按已评各项暂计为“{}”，全部评完后才给出评定级别）",
                summary.rating.label()
            ));
        }
        text.push('\n');
    } else if summary.rated_on_score_rate {
        text.push_str(&format!(
            "绩效评定级别：{}（分值合计不是 100，按得分率 {}% 评定）\n",
            summary.rating.label(),
            format2(summary.rated_figure)
        ));
    } else {
        text.push_str(&format!("绩效评定级别：{}\n", summary.rating.label()));
    }
    for note in &summary.adjustments {
        text.push_str(&format!("{note}\n"));
    }
    text.push_str(&format!(
        "已评 {}/{} 项\n",
        summary.totals.scored_leaves, summary.totals.applicable_leaves
    ));
    if !problems.is_empty() {
        text.push('\n');
        text.push_str(&problem_lines(problems));
    }
    text
}

fn problem_lines(problems: &[Problem]) -> String {
    let mut text = format!("问题（{} 个）：\n", problems.len());
    for problem in problems {
        text.push_str(&format!(
            "  {}  {}：{}\n",
            problem.severity.label(),
            problem.path,
            problem.message
        ));
    }
    text
}

fn problems_text(file: &Path, problems: &[Problem]) -> String {
    if problems.is_empty() {
        return format!("“{}”没有发现问题。\n", file.display());
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    format!(
        "“{}”：{} 个错误，{} 个提醒\n{}",
        file.display(),
        errors,
        problems.len() - errors,
        problem_lines(problems)
    )
}
