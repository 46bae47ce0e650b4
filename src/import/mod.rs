//! Import of the scoring tables people already have: CSV as Excel or WPS saves it
//! (UTF-8 with or without BOM, GBK/GB18030, UTF-16) and workbooks (.xlsx, .xls, .ods).
//!
//! Every format is first turned into rows of cell text, then [`table`] reads the layout
//! described in `shared/reference/README.md`: a header found by its words, merged cells
//! filled from above, `决策(10分)` names, declaration rows and a 合计 row.

pub mod guard;
mod sheet;
mod table;
mod text;

use std::path::{Path, PathBuf};

pub use table::{CellProblem, parse_rows};

use crate::model::Evaluation;
use crate::storage::io_reason;

/// Why a table could not be imported. Every message names the file, and where a cell is
/// at fault, its row and column.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取文件“{path}”：{reason}")]
    Read { path: PathBuf, reason: String },
    #[error("无法导入“{path}”：不支持“{extension}”文件，可导入 .csv、.xlsx、.xls、.ods 表格")]
    Unsupported { path: PathBuf, extension: String },
    #[error("无法打开表格“{path}”：{reason}")]
    Workbook { path: PathBuf, reason: String },
    /// A reader's own message, already naming the file.
    #[error("{message}")]
    Reader { message: String },
    #[error("在“{path}”中找不到表头：需要有一行同时写有“分值”和“得分”两列（及“一级指标”等指标列）")]
    NoHeader { path: PathBuf },
    #[error(
        "“{path}”第 {row} 行的表头没有指标列：需要“一级指标”“二级指标”“三级指标”或“四级指标”中的至少一列"
    )]
    NoLevelColumns { path: PathBuf, row: usize },
    #[error("“{path}”的表头下没有任何指标")]
    NoIndicators { path: PathBuf },
    #[error("“{path}”中有 {count} 处无法读取：{list}", count = problems.len(), list = table::list_problems(problems))]
    Cells {
        path: PathBuf,
        problems: Vec<CellProblem>,
    },
}

/// Whether `path` names a table this module imports (by its extension).
pub fn is_table(path: &Path) -> bool {
    matches!(
        extension_of(path).as_str(),
        "csv" | "txt" | "xlsx" | "xlsm" | "xls" | "ods"
    )
}

fn extension_of(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Imports a table file into a new document.
pub fn import_file(path: &Path) -> Result<Evaluation, ImportError> {
    let extension = extension_of(path);
    let rows = match extension.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|err| ImportError::Read {
                path: path.to_owned(),
                reason: io_reason(&err),
            })?;
            text::rows_of(&bytes)
        }
        "xlsx" | "xlsm" | "xls" | "ods" => guard::rows_of(path)?,
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
    let fallback_name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse_rows(&rows, &fallback_name).map_err(|err| err.at(path))
}
