//! Import of the scoring tables people already have: CSV as Excel or WPS saves it
//! (UTF-8 with or without BOM, GBK/GB18030, UTF-16), workbooks (.xlsx, .xls, .ods) and
//! Word tables (.docx).
//!
//! Every format is first turned into rows of cell text, then the table reader reads the layout:
//! a header found by its words, merged cells filled from above, `决策(10分)` names,
//! budget blocks, 小计 and 合计 rows. A table is refused only when it holds no indicator
//! table at all; a cell that cannot be read becomes a problem on its row.

mod assemble;
mod body;
mod budget;
mod docx;
pub mod guard;
mod header;
mod layout;
mod points;
mod sheet;
mod table;
mod text;
mod vocabulary;
mod words;

use std::path::{Path, PathBuf};

pub use layout::{
    ColumnRule, Layout, LayoutError, Role, RowKind, RowRule, header_keys, load_profiles,
    save_profile,
};
use table::Reading;
pub use table::{GRID_ROWS, ImportReport, Row, RowReading, Skipped, parse_rows, parse_rows_with};

use crate::model::{Evaluation, MAX_INDICATORS, MAX_TEXT_CHARS};
use crate::storage::io_reason;

/// What `find_header` looks for, said once for every message that refuses a file.
const LOOKED_FOR: &str = "需要有一行表头同时写有指标列（“一级指标”“二级指标”等）和“分值”（或“权重”“标准分”）或“得分”（或“评分”“自评得分”）列";

/// Why a table could not be imported. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取文件“{path}”：{reason}")]
    Read { path: PathBuf, reason: String },
    #[error(
        "无法导入“{path}”：不支持“{extension}”文件，可导入 .csv、.xlsx、.xls、.ods 表格和 .docx 文档"
    )]
    Unsupported { path: PathBuf, extension: String },
    #[error(
        "无法导入“{path}”：这是旧版 Word 文档（.doc），请在 Word 或 WPS 中另存为 .docx 后再导入"
    )]
    OldWord { path: PathBuf },
    #[error("无法打开表格“{path}”：{reason}")]
    Workbook { path: PathBuf, reason: String },
    /// A reader's own message, already naming the file.
    #[error("{message}")]
    Reader { message: String },
    #[error("无法打开 Word 文档“{path}”：{reason}")]
    Word { path: PathBuf, reason: String },
    #[error("“{path}”中没有名为“{sheet}”的工作表；有：{names}")]
    NoSuchSheet {
        path: PathBuf,
        sheet: String,
        names: String,
    },
    #[error("在“{path}”中找不到指标表：{LOOKED_FOR}")]
    NoHeader { path: PathBuf },
    #[error("“{path}”的表头下没有任何指标")]
    NoIndicators { path: PathBuf },
    #[error("无法导入“{path}”：{what}")]
    TooLarge { path: PathBuf, what: String },
}

/// The most rows with text a table may have: the indicators, with room for the rows
/// around them (title, budget block, group rows, notes). A larger file is refused as
/// soon as its rows are counted (a workbook's by its reader, as they are read), before
/// a tree is built from them.
pub const MAX_ROWS: usize = MAX_INDICATORS + 10_000;

/// The most text a table's file may hold, a CSV or a Word document's body once
/// decompressed: ten times the largest table [`MAX_ROWS`] allows at ~60 bytes a row.
/// More is refused before it is read into memory (issue 31: one 200 MB line of
/// 100 million cells took 7 GB).
pub const MAX_TEXT_BYTES: usize = 64 << 20;

/// How to import: which sheet of a workbook, when not the one found by its header, and
/// the user's corrections to how the table is read.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub sheet: Option<String>,
    /// Corrections to apply to the table.
    pub layout: Option<Layout>,
    /// Saved profiles (name, layout), tried when no layout is given: one made for the
    /// table's header is applied.
    pub profiles: Vec<(String, Layout)>,
    /// Keep the table's rows, each with what it was taken for, in the report: for the
    /// window's grid and `--explain` (a plain import does without the copy).
    pub rows: bool,
}

impl Options {
    fn reading(&self) -> Reading {
        let mut reading = Reading::with_layout(
            std::sync::Arc::new(self.layout.clone().unwrap_or_default()),
            std::sync::Arc::new(self.profiles.clone()),
        );
        reading.keep_rows = self.rows;
        reading
    }

    /// Whether the rows must be read here, with the corrections, rather than as they come.
    fn corrects(&self) -> bool {
        self.layout.is_some() || !self.profiles.is_empty() || self.rows
    }
}

/// A document read from a table, and what was recognized in it.
pub struct Imported {
    pub doc: Evaluation,
    pub report: ImportReport,
}

/// The rows of one table of a file, where they came from and what else the file held.
pub(crate) struct Source {
    /// The rows not read yet.
    pub rows: Vec<Row>,
    pub label: String,
    pub others: Vec<String>,
    /// The table as read so far: a workbook's rows are read, and let go, as the worker
    /// gives them. They were shortened first ([`shorten_long_cells`]), as `shortened` says.
    pub reading: Reading,
    pub shortened: Vec<String>,
}

impl Source {
    /// Rows of which nothing is read yet.
    pub(crate) fn of_rows(rows: Vec<Row>) -> Self {
        Self {
            rows,
            label: String::new(),
            others: Vec::new(),
            reading: Reading::default(),
            shortened: Vec::new(),
        }
    }
}

/// Whether `path` names a table this module imports (by its extension).
pub fn is_table(path: &Path) -> bool {
    matches!(
        extension_of(path).as_str(),
        "csv" | "txt" | "xlsx" | "xlsm" | "xls" | "ods" | "docx" | "doc"
    )
}

fn extension_of(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Imports a table file into a new document.
pub fn import_file(path: &Path) -> Result<Evaluation, ImportError> {
    import_with(path, &Options::default()).map(|imported| imported.doc)
}

/// Imports a table file into a new document, with the report of what was recognized.
pub fn import_with(path: &Path, options: &Options) -> Result<Imported, ImportError> {
    let extension = extension_of(path);
    let read = || {
        std::fs::read(path).map_err(|err| ImportError::Read {
            path: path.to_owned(),
            reason: io_reason(&err),
        })
    };
    let source = match extension.as_str() {
        "csv" | "txt" if std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_TEXT_BYTES as u64) => {
            return Err(ImportError::TooLarge {
                path: path.to_owned(),
                what: format!(
                    "文件超过 {} MB，一份评价表不会这么大；请确认选对了文件",
                    MAX_TEXT_BYTES >> 20
                ),
            });
        }
        "csv" | "txt" => Source::of_rows(text::rows_of(read()?, MAX_ROWS).map_err(|_| {
            ImportError::TooLarge {
                path: path.to_owned(),
                what: too_many_rows(),
            }
        })?),
        "xlsx" | "xlsm" | "xls" | "ods" if options.corrects() => {
            guard::rows_of(path, options.sheet.as_deref())?
        }
        "xlsx" | "xlsm" | "xls" | "ods" => guard::table_of(path, options.sheet.as_deref())?,
        "docx" => docx::rows_of(&read()?).map_err(|reason| ImportError::Word {
            path: path.to_owned(),
            reason,
        })?,
        "doc" => {
            return Err(ImportError::OldWord {
                path: path.to_owned(),
            });
        }
        _ => {
            return Err(ImportError::Unsupported {
                path: path.to_owned(),
                extension: if extension.is_empty() {
                    "无扩展名".to_owned()
                } else {
                    format!(".{extension}")
                },
            });
        }
    };
    let mut source = source;
    if source.reading.rows_read() + source.rows.len() > MAX_ROWS {
        return Err(ImportError::TooLarge {
            path: path.to_owned(),
            what: too_many_rows(),
        });
    }
    if options.corrects() && source.reading.rows_read() == 0 {
        source.reading = options.reading();
    }
    let mut shortened = source.shortened;
    shortened.extend(shorten_long_cells(&mut source.rows));
    for row in &source.rows {
        source.reading.push(row);
    }
    let fallback_name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parsed = source
        .reading
        .finish(&fallback_name)
        .map_err(|err| match err {
            table::TableError::NoHeader => ImportError::NoHeader {
                path: path.to_owned(),
            },
            table::TableError::NoIndicators => ImportError::NoIndicators {
                path: path.to_owned(),
            },
        })?;
    // What is imported can be saved and opened again: the limits of a saved document
    // hold for it too.
    crate::storage::check_limits(&parsed.doc).map_err(|what| ImportError::TooLarge {
        path: path.to_owned(),
        what,
    })?;
    let mut report = parsed.report;
    report.source = source.label;
    report.others = source.others;
    // A user's 识别词.ron that could not be used is said where the import is explained.
    report.others.extend(vocabulary::words().problem.clone());
    report.shortened = shortened;
    Ok(Imported {
        doc: parsed.doc,
        report,
    })
}

/// Why a table with more than [`MAX_ROWS`] rows is refused.
pub(crate) fn too_many_rows() -> String {
    format!(
        "表格有超过 {MAX_ROWS} 行，一份评价最多 {MAX_INDICATORS} 个指标，请把表格拆分后分别导入"
    )
}

/// Cuts every cell longer than a document may hold ([`MAX_TEXT_CHARS`]) to that length,
/// so what is imported can be saved and opened again; says which cells were cut.
pub(crate) fn shorten_long_cells(rows: &mut [Row]) -> Vec<String> {
    let mut shortened = Vec::new();
    for row in rows {
        for (column, cell) in row.cells.iter_mut().enumerate() {
            // A char is at most 4 bytes: a shorter cell needs no count.
            if cell.len() <= MAX_TEXT_CHARS {
                continue;
            }
            let chars = cell.chars().count();
            if let Some((end, _)) = cell.char_indices().nth(MAX_TEXT_CHARS) {
                cell.truncate(end);
                shortened.push(format!(
                    "第 {} 行第 {} 列有 {chars} 个字，只保留了前 {MAX_TEXT_CHARS} 个字",
                    row.number,
                    column + 1
                ));
            }
        }
    }
    shortened
}
