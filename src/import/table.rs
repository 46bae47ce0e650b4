//! Reads the scoring-table layouts people have from rows of cell text, whatever file they
//! came from.
//!
//! - The indicator header is the first row (or pair of rows, for a header printed over
//!   two rows) that names an indicator level and 分值 or 得分, in any of the words forms
//!   use (`权重`, `标准分`, `自评得分`, …). Rows above it are titles, the project's
//!   details and, in a 自评表, the budget block and 年度总体目标.
//! - Columns left of the first level column with no known header hold block labels
//!   (`绩效指标(90分)`, `年度绩效目标1(40分)`); several blocks become the top level.
//! - A blank level cell to the left of a row's first named level repeats the name from
//!   the row above (merged cells); a blank between two named levels is skipped.
//! - `决策(10分)` is the node 决策 declaring 分值 10; so is a level's own 分值 column.
//! - 合计 / 总分 rows declare the total, 小计 rows their group's figures; neither is an
//!   indicator. Notes, placeholders, captions and repeated header rows are skipped and
//!   listed in the [`ImportReport`].
//! - `/` as a name, 分值 or 得分 marks the indicator 不适用.
//! - No row refuses the table: what cannot be read becomes an
//!   [`ImportNote`](crate::model::ImportNote) on its row.
//!
//! This file holds the [`Reading`] that takes the rows as they come and the [`Reader`]
//! its parts share: `words.rs` (what a cell's text says), `header.rs` (the header and
//! its columns), `budget.rs` (the rows above the header), `body.rs` (the rows below it)
//! and `assemble.rs` (the tree).

use std::collections::HashSet;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::model::{Evaluation, EvaluationKind, ImportNoteKind, PrintedGrade};

use super::assemble::note_block_points;
use super::budget::{BudgetColumns, read_budget_row, title};
use super::header::{Column, Header, Positions, header_ending_at};
use super::layout::{Layout, Role, RowKind, header_keys};
use super::words::{Name, key, one_line};

/// One row of cell text; `number` is the row number the user sees (1-based).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

#[cfg(test)]
impl Row {
    /// Row `number` with these cells.
    pub(crate) fn of(number: usize, cells: &[&str]) -> Self {
        Self {
            number,
            cells: cells.iter().map(|&c| c.to_owned()).collect(),
        }
    }
}

/// What an import recognized, for `jixiao import --explain` and the window's panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    /// Where the table came from inside the file: "工作表“评分表”", "第 2 个表格".
    pub source: String,
    /// The other sheets or tables of the file, each with why it was not taken.
    pub others: Vec<String>,
    /// The row numbers of the indicator header (two for a two-row header).
    pub header_rows: Vec<usize>,
    /// Each recognized column: its header text and what it became.
    pub columns: Vec<(String, String)>,
    /// The budget block, line by line, as read.
    pub budget: Vec<String>,
    /// How many indicators (leaves) were read.
    pub indicators: usize,
    /// Each leaf whose 分值 was taken from a label (`年度绩效目标1（40分）`), and from which.
    pub points_from_labels: Vec<String>,
    /// Every row that did not become an indicator: its number, its text and why.
    pub skipped: Vec<Skipped>,
    /// Cells longer than a document holds, cut to that length: where and how long.
    pub shortened: Vec<String>,
    /// Each column of the header, left to right: its text and its role (`None`: not read).
    pub roles: Vec<(String, Option<Role>)>,
    /// The table as it was, row by row (the first [`GRID_ROWS`]), and what each row was
    /// taken for.
    pub rows: Vec<RowReading>,
    /// The header cells as compared, which a saved layout profile is matched by.
    pub header_keys: Vec<String>,
    /// The layout the table was read with, when it came from a saved profile: its name.
    pub profile: Option<String>,
}

/// How many rows of a table the report keeps to show on its grid.
pub const GRID_ROWS: usize = 3000;

/// One row of the table as it was and what it was taken for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowReading {
    pub row: usize,
    pub cells: Vec<String>,
    pub kind: RowKind,
    /// The kind was given by the layout, not recognized.
    pub by_layout: bool,
}

/// A row that did not become an indicator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub row: usize,
    pub text: String,
    pub why: String,
}

impl ImportReport {
    /// The report as lines of Chinese text.
    pub fn text(&self) -> String {
        let mut text = String::new();
        if !self.source.is_empty() {
            text.push_str(&format!("读取：{}\n", self.source));
        }
        for other in &self.others {
            text.push_str(&format!("未读取：{other}\n"));
        }
        let rows: Vec<String> = self.header_rows.iter().map(|r| r.to_string()).collect();
        text.push_str(&format!("表头：第 {} 行\n", rows.join("、")));
        for (header, meaning) in &self.columns {
            text.push_str(&format!("  “{header}” → {meaning}\n"));
        }
        if let Some(profile) = &self.profile {
            text.push_str(&format!("识别方式：{profile}\n"));
        }
        if !self.roles.is_empty() {
            text.push_str("各列：\n");
            for (index, (header, role)) in self.roles.iter().enumerate() {
                let role = role.map_or("不读取", Role::label);
                text.push_str(&format!("  第 {} 列“{header}”：{role}\n", index + 1));
            }
        }
        if !self.rows.is_empty() {
            text.push_str("各行：\n");
        }
        for reading in self.rows.iter().filter(|r| r.kind != RowKind::Blank) {
            let given = if reading.by_layout {
                "（按识别方式）"
            } else {
                ""
            };
            let cells = Row {
                number: reading.row,
                cells: reading.cells.clone(),
            };
            text.push_str(&format!(
                "  第 {} 行 {}{given}：{}\n",
                reading.row,
                reading.kind.label(),
                row_text(&cells)
            ));
        }
        if !self.budget.is_empty() {
            text.push_str("资金情况：\n");
            for line in &self.budget {
                text.push_str(&format!("  {line}\n"));
            }
        }
        text.push_str(&format!("指标：{} 项\n", self.indicators));
        for line in &self.points_from_labels {
            text.push_str(&format!("分值：{line}\n"));
        }
        for line in &self.shortened {
            text.push_str(&format!("截短：{line}\n"));
        }
        if self.skipped.is_empty() {
            text.push_str("跳过的行：无\n");
        } else {
            text.push_str(&format!("跳过的行：{} 行\n", self.skipped.len()));
            for skipped in &self.skipped {
                text.push_str(&format!(
                    "  第 {} 行“{}”：{}\n",
                    skipped.row, skipped.text, skipped.why
                ));
            }
        }
        text
    }
}

/// A table that could not be read at all, before the file name is known.
#[derive(Debug)]
pub enum TableError {
    /// No row names an indicator level together with 分值 or 得分.
    NoHeader,
    /// A header, but no indicator under it.
    NoIndicators,
}

/// A number cell that could not be read: which figure and the text.
#[derive(Debug)]
pub(super) struct BadCell {
    pub(super) kind: ImportNoteKind,
    pub(super) place: String,
    pub(super) text: String,
}

/// A table row after filling merged cells and reading its numbers.
#[derive(Debug)]
pub(super) struct Line {
    pub(super) row: usize,
    pub(super) path: Vec<Name>,
    pub(super) max_points: Option<Decimal>,
    pub(super) score: Option<Decimal>,
    pub(super) not_applicable: bool,
    /// The row has nothing but names: a group printed empty, or a leaf with no figures.
    pub(super) bare: bool,
    /// The row's deepest name is in the last level column.
    pub(super) in_last_level: bool,
    pub(super) reason: String,
    pub(super) target: String,
    pub(super) actual: String,
    pub(super) deviation: String,
    pub(super) criteria: String,
    /// The 其中 rows below it, each as one line of text: kept, never scored.
    pub(super) details: Vec<String>,
    pub(super) bad: Vec<BadCell>,
}

/// A row's text for the report: its non-empty cells, shortened.
pub(super) fn row_text(row: &Row) -> String {
    let text = row
        .cells
        .iter()
        .map(|c| one_line(c))
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" | ");
    if text.chars().count() > 40 {
        let head: String = text.chars().take(40).collect();
        format!("{head}…")
    } else {
        text
    }
}

/// The result of reading a table: the document and what was recognized.
pub struct Parsed {
    pub doc: Evaluation,
    pub report: ImportReport,
}

/// Reads the rows into a new document; `fallback_name` names the project when the table
/// has no title row.
pub fn parse_rows(rows: &[Row], fallback_name: &str) -> Result<Parsed, TableError> {
    parse_rows_with(rows, fallback_name, &Layout::default())
}

/// As [`parse_rows`], with the corrections of a layout.
pub fn parse_rows_with(
    rows: &[Row],
    fallback_name: &str,
    layout: &Layout,
) -> Result<Parsed, TableError> {
    let mut reading = Reading::with_layout(Arc::new(layout.clone()), Arc::default());
    for row in rows {
        reading.push(row);
    }
    reading.finish(fallback_name)
}

/// A table read as its rows come, so that a workbook's rows are read while the rest of
/// the sheet is still being read: the header as soon as its rows are there, then each
/// row below it. [`parse_rows`] is a reading given all the rows at once.
///
/// A row is not needed once read, and can be let go by whoever gave it: the reading
/// keeps a copy of the rows up to the header (the title and the project's details are
/// there), and of the rows below it only when the header has a column for block labels
/// (several labels make each block the top of its rows, known only at the end: the rows
/// are then read again).
#[derive(Default)]
pub(crate) struct Reading {
    /// How many rows have been read.
    count: usize,
    /// The rows up to the header's last (all of them until it is found).
    head: Vec<Row>,
    /// The header and the reader of the rows below it, once the header is there.
    found: Option<Box<(Header, Reader)>>,
    /// The rows below the header, kept when the header has a column for block labels
    /// (and this is the first reading).
    kept: Vec<Row>,
    doc: Evaluation,
    /// Set for the second reading of a table with several block labels.
    blocks_are_nodes: bool,
    /// The user's corrections.
    layout: Arc<Layout>,
    /// Saved profiles, one of which is taken when its header is this table's.
    profiles: Arc<Vec<(String, Layout)>>,
    /// The saved profile taken: its name.
    profile: Option<String>,
    /// Whether the first [`GRID_ROWS`] rows are kept for the report.
    pub(crate) keep_rows: bool,
    /// The rows kept for the report.
    grid: Vec<Row>,
}

impl Reading {
    /// A reading with a layout, or with profiles (name, layout) to choose from by the header.
    pub(crate) fn with_layout(layout: Arc<Layout>, profiles: Arc<Vec<(String, Layout)>>) -> Self {
        Self {
            layout,
            profiles,
            ..Self::default()
        }
    }

    /// The header ending at the last row read: by the layout, or by a saved profile made
    /// for this header, or by the words.
    fn header_at_last(&mut self) -> Option<Header> {
        let last = self.head.len().checked_sub(1)?;
        if self.profile.is_none() && *self.layout == Layout::default() {
            for (name, profile) in self.profiles.iter() {
                if let Some(header) = header_ending_at(&self.head, last, profile)
                    && profile.fits(&header.cells)
                {
                    self.layout = Arc::new(profile.clone());
                    self.profile = Some(name.clone());
                    return Some(header);
                }
            }
        }
        header_ending_at(&self.head, last, &self.layout)
    }

    /// Reads the next row.
    pub(crate) fn push(&mut self, row: &Row) {
        self.count += 1;
        if self.keep_rows && self.grid.len() < GRID_ROWS {
            self.grid.push(row.clone());
        }
        if let Some(found) = &mut self.found {
            let (_, reader) = &mut **found;
            if !reader.label_columns.is_empty() && !self.blocks_are_nodes {
                self.kept.push(row.clone());
            }
            reader.read_row(row, &mut self.doc);
            return;
        }
        self.head.push(row.clone());
        if let Some(header) = self.header_at_last() {
            let mut reader = Reader::new(&header, self.blocks_are_nodes, self.layout.clone());
            let first_header_row = (header.index + 1).saturating_sub(header.rows.len());
            reader.read_above(&self.head[..first_header_row], &mut self.doc);
            reader.read_printed_totals(&header);
            self.found = Some(Box::new((header, reader)));
        }
    }

    /// How many rows have been read.
    pub(crate) fn rows_read(&self) -> usize {
        self.count
    }

    /// Builds the document from the rows read.
    pub(crate) fn finish(self, fallback_name: &str) -> Result<Parsed, TableError> {
        let (header, mut reader) = *self.found.ok_or(TableError::NoHeader)?;
        if reader.blocks.len() > 1 && !self.blocks_are_nodes {
            // Only now is it known that each block is the top of its rows. What the first
            // reading made is let go first.
            drop((header, reader, self.doc));
            let mut again = Reading {
                blocks_are_nodes: true,
                ..Reading::with_layout(self.layout, self.profiles)
            };
            again.profile = self.profile;
            again.keep_rows = self.keep_rows;
            for row in self.head.iter().chain(&self.kept) {
                again.push(row);
            }
            return again.finish(fallback_name);
        }
        let mut doc = self.doc;
        if reader.lines.is_empty() && reader.budget_line.is_none() {
            return Err(TableError::NoIndicators);
        }
        let rows = reader.row_readings(self.grid, &header);
        reader.build(&mut doc);
        note_block_points(&reader, &header, &mut doc);
        reader.report.points_from_labels = super::points::fill_from_labels(&mut doc);

        if doc.info.name.is_empty() {
            doc.info.name =
                title(&self.head[..header.index]).unwrap_or_else(|| fallback_name.to_owned());
        }
        let columns = &header.columns;
        if columns.contains_key(&Column::Target)
            || columns.contains_key(&Column::Deviation)
            || !doc.self_assessment.is_empty()
        {
            doc.info.kind = EvaluationKind::SelfAssessment;
            if reader.budget_line.is_none() {
                read_budget_row(&mut doc);
            }
        }
        let mut report = std::mem::take(&mut reader.report);
        report.rows = rows;
        report.roles = roles_of(&header);
        report.header_keys = header_keys(&header.cells);
        report.profile = self.profile;
        report.header_rows = header.rows.clone();
        let mut named: Vec<(usize, Column)> = columns.iter().map(|(&c, &p)| (p, c)).collect();
        named.sort();
        report.columns = named
            .into_iter()
            .map(|(p, c)| {
                (
                    header.cells.get(p).map_or("", |c| c.trim()).to_owned(),
                    c.meaning(),
                )
            })
            .collect();
        if !reader.blocks.is_empty() {
            report.columns.insert(
                0,
                (
                    String::new(),
                    format!("分块标签（{}）", reader.blocks.join("、")),
                ),
            );
        }
        report.indicators = doc.leaves().iter().filter(|l| l.is_applicable()).count();
        Ok(Parsed { doc, report })
    }
}

/// Each header cell and the role it was read as.
fn roles_of(header: &Header) -> Vec<(String, Option<Role>)> {
    header
        .cells
        .iter()
        .enumerate()
        .map(|(position, cell)| {
            let column = header
                .columns
                .iter()
                .find(|&(_, &p)| p == position)
                .map(|(&c, _)| Role::of_column(c));
            (cell.trim().to_owned(), column)
        })
        .collect()
}

/// A 合计 or 小计 row: its row, the path of its group (empty for the table), the group
/// it names (`产出指标小计` → 产出指标), its 分值 and 得分.
pub(super) type Printed = (usize, Vec<String>, String, Option<Decimal>, Option<Decimal>);

/// Walks the rows of one table, gathering lines, declared figures and notes.
pub(super) struct Reader {
    pub(super) columns: Positions,
    pub(super) header_cells: Vec<String>,
    /// The header cells as words are compared ([`key`]), to recognize a repeated header row.
    pub(super) header_words: Vec<String>,
    /// (level, column position), in order.
    pub(super) levels: Vec<(usize, usize)>,
    /// Columns left of the first level column that no header names: block labels.
    pub(super) label_columns: Vec<usize>,
    pub(super) lines: Vec<Line>,
    pub(super) totals: Vec<Printed>,
    /// Totals printed outside a 合计 row (a cell `自评得分：98`, a sentence under the
    /// table): where, and the figure.
    pub(super) printed_totals: Vec<(String, Decimal)>,
    /// Unreadable figures not on an indicator's row, and the printed 执行率.
    pub(super) notes: Vec<BadCell>,
    pub(super) report: ImportReport,
    /// The block labels, in order.
    pub(super) blocks: Vec<String>,
    /// Whether each block is the top of its rows: there are several (known once all the
    /// rows are read; they are then read again).
    pub(super) blocks_are_nodes: bool,
    /// The block label that rows below it are in.
    pub(super) block: Option<Name>,
    /// The name of each level on the row above: a merged cell repeats it.
    pub(super) above: Vec<Option<Name>>,
    pub(super) printed_grade: Option<PrintedGrade>,
    /// The budget's columns where the indicator header has them too.
    pub(super) budget_columns: Option<BudgetColumns>,
    /// The budget block's 年度资金总额 row: (row, 分值, 得分).
    pub(super) budget_line: Option<(usize, Option<Decimal>, Option<Decimal>)>,
    /// The user's corrections.
    pub(super) layout: Arc<Layout>,
    /// What each row below the header was taken for, in order, and whether the layout said so.
    pub(super) kinds: Vec<(usize, RowKind, bool)>,
}

impl Reader {
    fn new(header: &Header, blocks_are_nodes: bool, layout: Arc<Layout>) -> Self {
        let mut levels: Vec<(usize, usize)> = (0..4)
            .filter_map(|l| header.columns.get(&Column::Level(l)).map(|&p| (l, p)))
            .collect();
        levels.sort_by_key(|&(_, p)| p);
        let first_level = levels.first().map_or(0, |&(_, p)| p);
        let known: HashSet<usize> = header.columns.values().copied().collect();
        let label_columns = (0..first_level).filter(|p| !known.contains(p)).collect();
        Self {
            columns: Positions::new(&header.columns),
            header_cells: header.cells.clone(),
            header_words: header.cells.iter().map(|h| key(h).into_owned()).collect(),
            above: vec![None; levels.len()],
            levels,
            label_columns,
            lines: Vec::new(),
            totals: Vec::new(),
            printed_totals: Vec::new(),
            notes: Vec::new(),
            report: ImportReport::default(),
            blocks: Vec::new(),
            blocks_are_nodes,
            block: None,
            printed_grade: None,
            budget_columns: {
                let cells: Vec<&str> = header.cells.iter().map(|c| c.trim()).collect();
                BudgetColumns::of(&cells)
            },
            budget_line: None,
            layout,
            kinds: Vec::new(),
        }
    }

    /// Notes what a row was taken for; a later word on the same row replaces it.
    pub(super) fn mark(&mut self, row: usize, kind: RowKind) {
        match self.kinds.last_mut() {
            Some((last, k, _)) if *last == row => *k = kind,
            _ => self.kinds.push((row, kind, false)),
        }
    }

    /// The rows of the grid, each with what it was taken for.
    fn row_readings(&self, grid: Vec<Row>, header: &Header) -> Vec<RowReading> {
        let first_header_row = header.rows.first().copied().unwrap_or(0);
        let groups: HashSet<usize> = self
            .lines
            .iter()
            .filter(|l| l.bare && !l.in_last_level)
            .map(|l| l.row)
            .collect();
        let mut kinds = self.kinds.iter().peekable();
        grid.into_iter()
            .map(|row| {
                while kinds.next_if(|(r, _, _)| *r < row.number).is_some() {}
                let given = kinds.next_if(|(r, _, _)| *r == row.number);
                let blank = row.cells.iter().all(|c| c.trim().is_empty());
                let (kind, by_layout) = match given {
                    _ if header.rows.contains(&row.number) => (RowKind::Header, false),
                    _ if row.number < first_header_row => (RowKind::Title, false),
                    Some(&(_, RowKind::Indicator, by)) if groups.contains(&row.number) => {
                        (RowKind::Group, by)
                    }
                    Some(&(_, kind, by)) => (kind, by),
                    None if blank => (RowKind::Blank, false),
                    None => (RowKind::Ignored, false),
                };
                RowReading {
                    row: row.number,
                    cells: row.cells,
                    kind,
                    by_layout,
                }
            })
            .collect()
    }

    pub(super) fn skip(&mut self, row: &Row, kind: RowKind, why: &str) {
        self.mark(row.number, kind);
        self.report.skipped.push(Skipped {
            row: row.number,
            text: row_text(row),
            why: why.to_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::model::Indicator;

    fn rows(text: &str) -> Vec<Row> {
        super::super::text::rows_of(text.as_bytes().to_vec(), usize::MAX).unwrap()
    }

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn parse(text: &str) -> Evaluation {
        parse_rows(&rows(text), "文件名").unwrap().doc
    }

    #[test]
    fn a_group_whose_rows_are_interrupted_is_still_one_group() {
        // 决策/目标 comes back after 过程's rows; 过程 has its own 目标.
        let doc = parse(
            "一级指标,二级指标,三级指标,分值,得分\n\
             决策,目标,合理性,2,2\n\
             过程,目标,完成,3,1\n\
             决策,目标,明确性,4,3\n\
             决策,投入,预算,1,1\n",
        );
        let names =
            |nodes: &[Indicator]| -> Vec<String> { nodes.iter().map(|n| n.name.clone()).collect() };
        assert_eq!(names(&doc.indicators), ["决策", "过程"]);
        assert_eq!(names(&doc.indicators[0].children), ["目标", "投入"]);
        assert_eq!(
            names(&doc.indicators[0].children[0].children),
            ["合理性", "明确性"]
        );
        assert_eq!(names(&doc.indicators[1].children), ["目标"]);
        assert_eq!(names(&doc.indicators[1].children[0].children), ["完成"]);
    }

    #[test]
    fn title_rows_missing_levels_and_skipped_levels() {
        let doc = parse(
            "某某项目绩效评价评分表,,,\n\
             ,,,\n\
             一级指标,三级指标,分值,得分\n\
             决策,立项依据,5,5\n\
             ,绩效目标,5,4\n\
             过程,,10,9\n",
        );
        assert_eq!(doc.info.name, "某某项目");
        let names: Vec<_> = doc.indicators.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["决策", "过程"]);
        assert_eq!(doc.indicators[0].children.len(), 2);
        assert_eq!(doc.indicators[1].max_points, d("10"));
    }

    #[test]
    fn slash_marks_not_applicable() {
        let doc = parse(
            "一级指标,二级指标,三级指标,分值,得分\n\
             效益,经济效益,/,5,\n\
             ,社会效益,/,/,/\n\
             ,生态效益,,10,8\n",
        );
        let leaves: Vec<_> = doc
            .leaves()
            .iter()
            .map(|l| (l.name.as_str(), l.max_points, l.scoring.not_applicable))
            .collect();
        assert_eq!(
            leaves,
            [
                ("经济效益", d("5"), true),
                ("社会效益", d("0"), true),
                ("生态效益", d("10"), false)
            ]
        );
    }

    #[test]
    fn a_bad_cell_becomes_a_note_on_its_row_and_the_rest_is_read() {
        let doc = parse(
            "一级指标,二级指标,分值,评价得分\n\
             决策,立项,2,良好\n\
             ,目标,两分,1\n\
             ,资金,,1\n\
             ,,3,3\n",
        );
        assert_eq!(doc.leaves().len(), 3);
        let notes: Vec<_> = doc
            .import_notes
            .iter()
            .map(|n| (n.kind, n.place.as_str(), n.text.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    ImportNoteKind::UnreadableScore,
                    "第 2 行“评价得分”列",
                    "良好"
                ),
                (
                    ImportNoteKind::UnreadableMaxPoints,
                    "第 3 行“分值”列",
                    "两分"
                ),
                (ImportNoteKind::MissingMaxPoints, "第 4 行“资金”", ""),
                (ImportNoteKind::FiguresWithoutName, "第 5 行", "3 | 3"),
            ]
        );
    }

    #[test]
    fn header_words_vary_and_a_header_may_span_two_rows() {
        let doc = parse(
            "绩效指标,,标准分,自评得分,指标性质,指标值,计量单位,全年实际值,未完成原因\n\
             一级指标,二级指标,,,,,,,\n\
             产出,数量,60,50,>=,10,场,8,天气\n\
             效益,满意度,40,40,≧,90,%,95,\n",
        );
        let leaves = doc.leaves();
        assert_eq!(leaves.len(), 2);
        assert_eq!(leaves[0].scoring.target, "≥10场");
        assert_eq!(leaves[0].scoring.actual, "8场");
        assert_eq!(leaves[0].scoring.deviation, "天气");
        assert_eq!(leaves[1].scoring.target, "≥90%");
        assert_eq!(leaves[1].scoring.score, Some(d("40")));
    }

    #[test]
    fn only_a_file_without_an_indicator_table_is_refused() {
        assert!(matches!(
            parse_rows(&rows("名称,权重\n决策,10\n"), "x"),
            Err(TableError::NoHeader)
        ));
        assert!(matches!(
            parse_rows(&rows("一级指标,分值,得分\n"), "x"),
            Err(TableError::NoIndicators)
        ));
    }
}
