//! 佐证材料: the files an indicator's score rests on, kept in the `佐证材料` folder beside
//! the document, each known by its SHA-256 so that a changed file shows.

use serde::{Deserialize, Serialize};

/// The folder beside a document that holds its evidence.
pub const EVIDENCE_FOLDER: &str = "佐证材料";

/// One piece of evidence attached to an indicator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// 附件编号, `A1-1`: the 一级's letter, the indicator's place under it, the file's
    /// place among the indicator's evidence. Shown wherever the indicator is.
    pub number: String,
    /// The file's name inside [`EVIDENCE_FOLDER`] (never a path leaving it).
    pub file: String,
    /// SHA-256 of the file as attached, hex.
    pub sha256: String,
    /// Its size in bytes, as attached.
    pub size: u64,
    /// The page the point is on, where the file has pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// 说明: what the file shows.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}
