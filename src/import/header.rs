//! The indicator header: which row (or pair of rows) it is, and which column each of
//! its cells names.

use std::collections::BTreeMap;

use super::layout::Layout;
use super::table::Row;
use super::vocabulary::words;
use super::words::key;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Column {
    Level(usize),
    /// The 分值 of one level, where each level has its own.
    LevelPoints(usize),
    MaxPoints,
    Score,
    Reason,
    Nature,
    Target,
    Unit,
    Actual,
    Deviation,
    Criteria,
    /// 得分系数: the 得分 is the 分值 times it.
    ScoreFactor,
}

impl Column {
    /// How many places [`Positions`] keeps: four levels, four levels' 分值, ten others.
    const SLOTS: usize = 18;

    /// This column's place in [`Positions`]; `None` for a level that cannot exist.
    fn slot(self) -> Option<usize> {
        match self {
            Self::Level(l) => (l < 4).then_some(l),
            Self::LevelPoints(l) => (l < 4).then_some(4 + l),
            Self::MaxPoints => Some(8),
            Self::Score => Some(9),
            Self::Reason => Some(10),
            Self::Nature => Some(11),
            Self::Target => Some(12),
            Self::Unit => Some(13),
            Self::Actual => Some(14),
            Self::Deviation => Some(15),
            Self::Criteria => Some(16),
            Self::ScoreFactor => Some(17),
        }
    }

    pub(super) fn meaning(self) -> String {
        const LEVELS: [&str; 4] = ["一级", "二级", "三级", "四级"];
        match self {
            Self::Level(l) => format!("{}指标", LEVELS.get(l).unwrap_or(&"")),
            Self::LevelPoints(l) => format!("{}指标的分值", LEVELS.get(l).unwrap_or(&"")),
            Self::MaxPoints => "分值".to_owned(),
            Self::Score => "得分".to_owned(),
            Self::Reason => "扣分理由".to_owned(),
            Self::Nature => "指标性质（比较符号）".to_owned(),
            Self::Target => "年度指标值".to_owned(),
            Self::Unit => "度量单位".to_owned(),
            Self::Actual => "实际完成值".to_owned(),
            Self::Deviation => "偏差原因分析及改进措施".to_owned(),
            Self::Criteria => "评分标准".to_owned(),
            Self::ScoreFactor => "得分系数（得分 = 分值 × 系数）".to_owned(),
        }
    }
}

/// Which column a header cell names, if any, by the words of
/// `indicator_templates/import/words.ron` and the user's.
pub(super) fn column_of(header: &str) -> Option<Column> {
    words().column_of(&key(header))
}

/// Where each column of the header is. Looked up for nearly every cell of the table,
/// so it is an array by column rather than the header's map.
pub(super) struct Positions([Option<usize>; Column::SLOTS]);

impl Positions {
    pub(super) fn new(columns: &BTreeMap<Column, usize>) -> Self {
        let mut slots = [None; Column::SLOTS];
        for (column, &position) in columns {
            if let Some(slot) = column.slot() {
                slots[slot] = Some(position);
            }
        }
        Self(slots)
    }

    pub(super) fn get(&self, column: &Column) -> Option<&usize> {
        column.slot().and_then(|slot| self.0[slot].as_ref())
    }

    pub(super) fn contains_key(&self, column: &Column) -> bool {
        self.get(column).is_some()
    }
}

/// The header found in a table.
#[derive(Clone, Debug)]
pub(super) struct Header {
    /// Index in the rows of the header's last row; data starts after it.
    pub index: usize,
    /// The header cells (two rows folded into one where the header spans two).
    pub cells: Vec<String>,
    pub rows: Vec<usize>,
    pub columns: BTreeMap<Column, usize>,
}

/// The columns the header cells name; a layout's role for a cell comes before the words.
fn columns_of(cells: &[String], layout: &Layout) -> Option<BTreeMap<Column, usize>> {
    let mut columns = BTreeMap::new();
    let mut points = Vec::new();
    let mut leaf_level = None;
    // A role the layout gives one column is no other's: the words give only the rest.
    let given: Vec<Column> = cells
        .iter()
        .filter_map(|cell| layout.column_of(cell).flatten())
        .collect();
    for (position, cell) in cells.iter().enumerate() {
        let column = match layout.column_of(cell) {
            Some(None) => continue,
            Some(role) => role,
            None => column_of(cell).filter(|c| !given.contains(c)),
        };
        match column {
            Some(Column::MaxPoints) => points.push(position),
            Some(column) => {
                columns.entry(column).or_insert(position);
            }
            None if leaf_level.is_none() && words().is_leaf_level(&key(cell)) => {
                leaf_level = Some(position);
            }
            None => {}
        }
    }
    // 考核指标: the level below the deepest the header names.
    if let Some(position) = leaf_level {
        let below = (0..4)
            .rev()
            .find(|&l| columns.contains_key(&Column::Level(l)))
            .map_or(0, |l| l + 1);
        if below < 4 {
            columns.entry(Column::Level(below)).or_insert(position);
        }
    }
    let has_level = (0..4).any(|l| columns.contains_key(&Column::Level(l)));
    if !has_level || (points.is_empty() && !columns.contains_key(&Column::Score)) {
        return None;
    }
    if points.len() > 1 {
        // One 分值 per level: each belongs to the nearest level column on its left; the
        // last is the leaf's own.
        let last = points.len() - 1;
        for (i, &position) in points.iter().enumerate() {
            let level = (0..4)
                .filter_map(|l| columns.get(&Column::Level(l)).map(|&p| (p, l)))
                .filter(|&(p, _)| p < position)
                .max()
                .map(|(_, l)| l);
            match level {
                Some(level) if i < last => {
                    columns.insert(Column::LevelPoints(level), position);
                }
                _ => {
                    columns.entry(Column::MaxPoints).or_insert(position);
                }
            }
        }
    } else if let Some(&position) = points.first() {
        columns.insert(Column::MaxPoints, position);
    }
    Some(columns)
}

/// The indicator header: a row naming a level and 分值 or 得分, or such a row together
/// with the row above it (a merged `绩效指标` over 一级/二级/三级).
pub(super) fn find_header(rows: &[Row]) -> Option<Header> {
    let layout = Layout::default();
    (0..rows.len()).find_map(|last| header_ending_at(rows, last, &layout))
}

/// The header whose last row is `rows[last]`, asked of each row in turn, as
/// [`find_header`] does: the row alone or, when it is no header alone, the row with the
/// one above it (which was no header alone either).
pub(super) fn header_ending_at(rows: &[Row], last: usize, layout: &Layout) -> Option<Header> {
    let row = rows.get(last)?;
    let alone = columns_of(&row.cells, layout);
    let has_level = || {
        row.cells.iter().any(|c| {
            let column = layout.column_of(c).unwrap_or_else(|| column_of(c));
            matches!(column, Some(Column::Level(_))) || words().is_leaf_level(&key(c))
        })
    };
    if alone.is_none()
        && let Some(above) = last.checked_sub(1).and_then(|i| rows.get(i))
        && has_level()
    {
        let width = above.cells.len().max(row.cells.len());
        let folded: Vec<String> = (0..width)
            .map(|i| {
                let low = row.cells.get(i).map_or("", |c| c.trim());
                let high = above.cells.get(i).map_or("", |c| c.trim());
                if low.is_empty() { high } else { low }.to_owned()
            })
            .collect();
        if let Some(columns) = columns_of(&folded, layout) {
            return Some(Header {
                index: last,
                cells: folded,
                rows: vec![above.number, row.number],
                columns,
            });
        }
    }
    alone.map(|columns| Header {
        index: last,
        cells: row.cells.clone(),
        rows: vec![row.number],
        columns,
    })
}
