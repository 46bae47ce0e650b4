//! What an import could not read, kept in the document so the problem list shows it
//! until the user has fixed it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::NodeId;

/// One row or cell of an imported table that did not become what it looked like.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportNote {
    pub kind: ImportNoteKind,
    /// The indicator the row became, if it became one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<NodeId>,
    /// Where the user finds it in the table: "第 12 行“得分”列".
    pub place: String,
    /// The cell's text as printed, so the user sees what was there.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// For [`ImportNoteKind::PrintedRate`]: the printed 执行率 as a fraction (1 = 100%);
    /// for [`ImportNoteKind::BlockPoints`]: the label's points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed: Option<Decimal>,
}

/// What went wrong with the row or cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportNoteKind {
    /// A 得分 cell that is not a number; stands while the leaf has no score.
    UnreadableScore,
    /// A 分值 cell that is not a number; stands while the leaf's 分值 is 0.
    UnreadableMaxPoints,
    /// Another figure (a budget amount, a printed total) that is not a number.
    UnreadableFigure,
    /// A leaf with no 分值 anywhere (no column, no `(10分)` in its name).
    MissingMaxPoints,
    /// A row with figures but no indicator name.
    FiguresWithoutName,
    /// A group printed with nothing under it (`经济效益指标` left empty).
    EmptyGroup,
    /// A printed 执行率 that its own 预算数 and 执行数 do not give.
    PrintedRate,
    /// The one block label over all indicator rows (`绩效指标（90分）`): its points, in
    /// `printed`, are a declared figure for every leaf but the 预算执行率 line, whose
    /// id is `node` when there is one.
    BlockPoints,
}
