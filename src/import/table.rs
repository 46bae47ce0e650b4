//! Reads the scoring-table layout from rows of cell text, whatever file they came from.
//!
//! - The header is the first row that names both 分值 and 得分; rows above it are titles.
//! - Level columns (一级 … 四级指标) may be missing; a blank level cell to the left of a
//!   row's first named level repeats the name from the row above (merged cells); a blank
//!   between two named levels is skipped.
//! - `决策(10分)` is the node 决策 declaring 分值 10.
//! - A row whose path has children elsewhere declares that group's 分值 and 得分; a row
//!   named 合计 or 综合得分 declares the total and ends the table.
//! - `/` as a name, 分值 or 得分 marks the indicator 不适用.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::ImportError;
use crate::model::{Declared, Evaluation, EvaluationKind, Figure, Indicator, Scoring};

/// One row of cell text; `number` is the row number the user sees (1-based).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

/// A cell that could not be read: where it is and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellProblem {
    pub row: usize,
    /// The column's header text, as the user sees it ("得分").
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for CellProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第 {} 行“{}”列：{}", self.row, self.column, self.message)
    }
}

/// At most this many cell problems are spelled out in one message.
const LISTED_PROBLEMS: usize = 10;

pub(super) fn list_problems(problems: &[CellProblem]) -> String {
    let mut text = problems
        .iter()
        .take(LISTED_PROBLEMS)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("；");
    if problems.len() > LISTED_PROBLEMS {
        text.push_str(&format!("；……另有 {} 处", problems.len() - LISTED_PROBLEMS));
    }
    text
}

/// A table that could not be read, before the file name is known.
#[derive(Debug)]
pub enum TableError {
    NoHeader,
    NoLevelColumns { row: usize },
    NoIndicators,
    Cells(Vec<CellProblem>),
}

impl TableError {
    pub fn at(self, path: &Path) -> ImportError {
        let path = path.to_owned();
        match self {
            Self::NoHeader => ImportError::NoHeader { path },
            Self::NoLevelColumns { row } => ImportError::NoLevelColumns { path, row },
            Self::NoIndicators => ImportError::NoIndicators { path },
            Self::Cells(problems) => ImportError::Cells { path, problems },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Column {
    Level(usize),
    MaxPoints,
    Score,
    Reason,
    Target,
    Actual,
    Deviation,
    Criteria,
}

/// Which column a header cell names, if any.
fn column_of(header: &str) -> Option<Column> {
    let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| h.starts_with(p));
    Some(if starts(&["一级指标", "一级"]) {
        Column::Level(0)
    } else if starts(&["二级指标", "二级"]) {
        Column::Level(1)
    } else if starts(&["三级指标", "三级"]) {
        Column::Level(2)
    } else if starts(&["四级指标", "四级"]) {
        Column::Level(3)
    } else if starts(&["分值", "权重", "标准分"]) {
        Column::MaxPoints
    } else if (h.starts_with("得分") || h.ends_with("得分") || h == "评分") && !h.contains('率')
    {
        Column::Score
    } else if starts(&["扣分"]) {
        Column::Reason
    } else if h.contains("偏差原因") {
        Column::Deviation
    } else if starts(&["年度指标值", "年度目标值", "目标值", "指标值"]) {
        Column::Target
    } else if starts(&["实际完成值", "实际值", "完成值"]) {
        Column::Actual
    } else if starts(&["评分标准", "评价要点", "评分依据", "指标解释", "评分细则"])
    {
        Column::Criteria
    } else {
        return None;
    })
}

/// The header: its index in `rows` and the columns it names (first of each kind wins).
pub(super) fn find_header(rows: &[Row]) -> Option<(usize, HashMap<Column, usize>)> {
    rows.iter().enumerate().find_map(|(index, row)| {
        let mut columns = HashMap::new();
        for (position, cell) in row.cells.iter().enumerate() {
            if let Some(column) = column_of(cell) {
                columns.entry(column).or_insert(position);
            }
        }
        (columns.contains_key(&Column::MaxPoints) && columns.contains_key(&Column::Score))
            .then_some((index, columns))
    })
}

/// One named level of a row: `决策(10分)` → 决策, declaring 10.
#[derive(Clone, Debug)]
struct Name {
    name: String,
    points: Option<Decimal>,
}

/// A table row after filling merged cells and reading its numbers.
#[derive(Debug)]
struct Line {
    row: usize,
    path: Vec<Name>,
    max_points: Option<Decimal>,
    /// Whether the 分值 cell held anything (a bad figure is reported once, not twice).
    max_points_written: bool,
    score: Option<Decimal>,
    not_applicable: bool,
    reason: String,
    target: String,
    actual: String,
    deviation: String,
    criteria: String,
}

fn is_total_name(name: &str) -> bool {
    let n: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        n.as_str(),
        "合计" | "总计" | "总分" | "综合得分" | "得分合计" | "合计得分"
    )
}

fn is_note(name: &str) -> bool {
    ["注", "说明", "备注", "填表说明"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// Splits `决策(10分)` / `决策（10分）` / `决策(10)` into the name and its points.
fn split_name(text: &str) -> Name {
    let trimmed = text.trim();
    let plain = || Name {
        name: trimmed.to_owned(),
        points: None,
    };
    let Some(inner) = trimmed
        .strip_suffix(')')
        .or_else(|| trimmed.strip_suffix('）'))
    else {
        return plain();
    };
    let Some(open) = inner.rfind(['(', '（']) else {
        return plain();
    };
    let name = inner[..open].trim();
    let points = inner[open..].trim_start_matches(['(', '（']);
    match parse_number(points) {
        Ok(Some(points)) if !name.is_empty() => Name {
            name: name.to_owned(),
            points: Some(points),
        },
        _ => plain(),
    }
}

/// A point figure as people type it: "7.66", " 10 ", "10分", "１０". Blank is `None`.
fn parse_number(text: &str) -> Result<Option<Decimal>, ()> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            _ => c,
        })
        .collect();
    let cleaned = cleaned.strip_suffix('分').unwrap_or(&cleaned);
    if cleaned.is_empty() {
        return Ok(None);
    }
    Decimal::from_str(cleaned).map(Some).map_err(|_| ())
}

fn is_slash(text: &str) -> bool {
    matches!(text.trim(), "/" | "／" | "—" | "-" | "－")
}

/// Reads the rows into a new document; `fallback_name` names the project when the table
/// has no title row.
pub fn parse_rows(rows: &[Row], fallback_name: &str) -> Result<Evaluation, TableError> {
    let (header_index, columns) = find_header(rows).ok_or(TableError::NoHeader)?;
    let header = &rows[header_index];
    let mut levels: Vec<(usize, usize)> = (0..4)
        .filter_map(|level| columns.get(&Column::Level(level)).map(|&pos| (level, pos)))
        .collect();
    levels.sort();
    if levels.is_empty() {
        return Err(TableError::NoLevelColumns { row: header.number });
    }
    let header_text = |column: Column| {
        columns
            .get(&column)
            .and_then(|&pos| header.cells.get(pos))
            .map(|h| h.trim().to_owned())
            .unwrap_or_default()
    };

    let mut problems = Vec::new();
    let mut lines = Vec::new();
    let mut total: Option<(usize, Option<Decimal>, Option<Decimal>)> = None;
    let mut above: Vec<Option<Name>> = vec![None; levels.len()];

    for row in &rows[header_index + 1..] {
        let cell = |column: Column| -> &str {
            columns
                .get(&column)
                .and_then(|&pos| row.cells.get(pos))
                .map_or("", |c| c.trim())
        };
        let level_cells: Vec<&str> = levels
            .iter()
            .map(|&(_, pos)| row.cells.get(pos).map_or("", |c| c.trim()))
            .collect();
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut number = |column: Column| -> Option<Decimal> {
            let text = cell(column);
            if is_slash(text) {
                return None;
            }
            parse_number(text).unwrap_or_else(|()| {
                problems.push(CellProblem {
                    row: row.number,
                    column: header_text(column),
                    message: format!("“{text}”不是数字"),
                });
                None
            })
        };

        if level_cells.iter().any(|c| is_total_name(c)) {
            total = Some((row.number, number(Column::MaxPoints), number(Column::Score)));
            break;
        }
        let first_named = level_cells.iter().position(|c| !c.is_empty());
        let Some(first_named) = first_named else {
            if !cell(Column::MaxPoints).is_empty() || !cell(Column::Score).is_empty() {
                problems.push(CellProblem {
                    row: row.number,
                    column: header_text(Column::Level(levels[0].0)),
                    message: "这一行有分数，但没有指标名称".to_owned(),
                });
            }
            continue;
        };
        if is_note(level_cells[first_named])
            && cell(Column::MaxPoints).is_empty()
            && cell(Column::Score).is_empty()
        {
            continue;
        }

        let mut not_applicable = false;
        let mut path = Vec::new();
        for (index, text) in level_cells.iter().enumerate() {
            let name = if index < first_named {
                above[index].clone()
            } else if text.is_empty() {
                None
            } else if is_slash(text) {
                not_applicable = true;
                None
            } else {
                Some(split_name(text))
            };
            if let Some(name) = &name {
                path.push(name.clone());
            }
            // What the next row's merged cells repeat is the node, not its declaration.
            above[index] = name.map(|n| Name { points: None, ..n });
        }
        if path.is_empty() {
            continue;
        }
        not_applicable |= is_slash(cell(Column::MaxPoints)) || is_slash(cell(Column::Score));
        lines.push(Line {
            row: row.number,
            path,
            max_points: number(Column::MaxPoints),
            max_points_written: !cell(Column::MaxPoints).is_empty(),
            score: number(Column::Score),
            not_applicable,
            reason: cell(Column::Reason).to_owned(),
            target: cell(Column::Target).to_owned(),
            actual: cell(Column::Actual).to_owned(),
            deviation: cell(Column::Deviation).to_owned(),
            criteria: cell(Column::Criteria).to_owned(),
        });
    }

    let group_paths = group_paths(&lines);
    for line in &lines {
        let key = path_key(&line.path);
        if !group_paths.contains(&key) && !line.max_points_written && !line.not_applicable {
            let declared = line.path.last().and_then(|n| n.points);
            if declared.is_none() {
                problems.push(CellProblem {
                    row: line.row,
                    column: header_text(Column::MaxPoints),
                    message: format!(
                        "指标“{}”没有分值",
                        line.path.last().map_or("", |n| n.name.as_str())
                    ),
                });
            }
        }
    }
    if !problems.is_empty() {
        return Err(TableError::Cells(problems));
    }
    if lines.is_empty() {
        return Err(TableError::NoIndicators);
    }

    let mut doc = build(&lines, &group_paths);
    if let Some((row, max_points, score)) = total {
        for (figure, value) in [(Figure::MaxPoints, max_points), (Figure::Score, score)] {
            if let Some(value) = value {
                doc.declared.push(Declared {
                    node: None,
                    figure,
                    value,
                    source: format!("第 {row} 行"),
                });
            }
        }
    }
    doc.info.name = title(&rows[..header_index]).unwrap_or_else(|| fallback_name.to_owned());
    if columns.contains_key(&Column::Target) || columns.contains_key(&Column::Deviation) {
        doc.info.kind = EvaluationKind::SelfAssessment;
        read_budget_row(&mut doc);
    }
    Ok(doc)
}

/// A 自评表's 预算执行率 row carries the budget as its 年度指标值 and the spending as its
/// 实际完成值 (万元); they fill the budget block, so 执行率 can be computed.
fn read_budget_row(doc: &mut Evaluation) {
    let Some(row) = doc
        .indicators
        .iter()
        .find(|n| n.name.starts_with("预算执行率"))
        .and_then(|n| n.leaves().into_iter().next())
    else {
        return;
    };
    let number = |text: &str| {
        crate::rules::parse_quantity(text)
            .filter(|q| !q.is_percent)
            .map(|q| q.value)
    };
    if let (Some(budget), Some(executed)) =
        (number(&row.scoring.target), number(&row.scoring.actual))
    {
        doc.self_assessment.current_year.full_year_budget = Some(budget);
        doc.self_assessment.current_year.executed = Some(executed);
    }
}

/// The first non-empty cell above the header, without the words every such title ends with.
fn title(rows: &[Row]) -> Option<String> {
    let text = rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| c.trim())
        .find(|c| !c.is_empty())?;
    let mut name = text;
    for suffix in [
        "项目支出绩效自评表",
        "绩效自评表",
        "绩效评价评分表",
        "评分表",
        "自评表",
        "绩效评价指标体系",
    ] {
        name = name.strip_suffix(suffix).unwrap_or(name);
    }
    Some(name.trim().to_owned()).filter(|n| !n.is_empty())
}

fn path_key(path: &[Name]) -> String {
    path.iter()
        .map(|n| n.name.as_str())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// Every path that is a strict prefix of another row's path: those are groups.
fn group_paths(lines: &[Line]) -> HashSet<String> {
    let mut groups = HashSet::new();
    for line in lines {
        for end in 1..line.path.len() {
            groups.insert(path_key(&line.path[..end]));
        }
    }
    groups
}

/// A node under construction; children are indices into the arena.
struct Draft {
    indicator: Indicator,
    children: Vec<usize>,
}

fn build(lines: &[Line], group_paths: &HashSet<String>) -> Evaluation {
    let mut doc = Evaluation::default();
    let mut arena: Vec<Draft> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    let mut groups: HashMap<String, usize> = HashMap::new();
    let mut declared_names: HashSet<(usize, Decimal)> = HashSet::new();

    for line in lines {
        let key = path_key(&line.path);
        let is_group = group_paths.contains(&key);
        let group_depth = if is_group {
            line.path.len()
        } else {
            line.path.len() - 1
        };

        let mut parent: Option<usize> = None;
        for end in 1..=group_depth {
            let prefix = path_key(&line.path[..end]);
            let name = &line.path[end - 1];
            let index = *groups.entry(prefix).or_insert_with(|| {
                let id = doc.new_id();
                arena.push(Draft {
                    indicator: Indicator::group(id, name.name.clone(), Vec::new()),
                    children: Vec::new(),
                });
                let index = arena.len() - 1;
                match parent {
                    Some(p) => arena[p].children.push(index),
                    None => roots.push(index),
                }
                index
            });
            if let Some(points) = name.points
                && declared_names.insert((index, points))
            {
                doc.declared.push(Declared {
                    node: Some(arena[index].indicator.id),
                    figure: Figure::MaxPoints,
                    value: points,
                    source: format!("第 {} 行的名称“{}({points}分)”", line.row, name.name),
                });
            }
            parent = Some(index);
        }

        if is_group {
            let Some(index) = parent else { continue };
            let id = arena[index].indicator.id;
            for (figure, value) in [
                (Figure::MaxPoints, line.max_points),
                (Figure::Score, line.score),
            ] {
                if let Some(value) = value {
                    doc.declared.push(Declared {
                        node: Some(id),
                        figure,
                        value,
                        source: format!("第 {} 行", line.row),
                    });
                }
            }
            if !line.criteria.is_empty() {
                arena[index].indicator.criteria = line.criteria.clone();
            }
            continue;
        }

        let Some(name) = line.path.last() else {
            continue;
        };
        let id = doc.new_id();
        let max_points = line.max_points.or(name.points).unwrap_or_default();
        if let (Some(points), Some(column)) = (name.points, line.max_points)
            && points != column
        {
            doc.declared.push(Declared {
                node: Some(id),
                figure: Figure::MaxPoints,
                value: points,
                source: format!("第 {} 行的名称“{}({points}分)”", line.row, name.name),
            });
        }
        let mut leaf = Indicator::leaf(id, name.name.clone(), max_points);
        leaf.criteria = line.criteria.clone();
        leaf.scoring = Scoring {
            score: if line.not_applicable {
                None
            } else {
                line.score
            },
            reason: line.reason.clone(),
            target: line.target.clone(),
            actual: line.actual.clone(),
            deviation: line.deviation.clone(),
            not_applicable: line.not_applicable,
            ..Scoring::default()
        };
        arena.push(Draft {
            indicator: leaf,
            children: Vec::new(),
        });
        let index = arena.len() - 1;
        match parent {
            Some(p) => arena[p].children.push(index),
            None => roots.push(index),
        }
    }

    let mut slots: Vec<Option<Draft>> = arena.into_iter().map(Some).collect();
    doc.indicators = roots
        .into_iter()
        .filter_map(|i| assemble(i, &mut slots))
        .collect();
    doc
}

/// Turns the arena into the tree. Import paths are at most four levels deep, so the
/// recursion is shallow.
fn assemble(index: usize, slots: &mut [Option<Draft>]) -> Option<Indicator> {
    let Draft {
        mut indicator,
        children,
    } = slots.get_mut(index)?.take()?;
    indicator.children = children
        .into_iter()
        .filter_map(|c| assemble(c, slots))
        .collect();
    Some(indicator)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Row> {
        super::super::text::rows_of(text.as_bytes())
    }

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn names_carry_their_points() {
        let name = split_name("决策(10分)");
        assert_eq!((name.name.as_str(), name.points), ("决策", Some(d("10"))));
        let name = split_name("项目立项（3.5分）");
        assert_eq!(
            (name.name.as_str(), name.points),
            ("项目立项", Some(d("3.5")))
        );
        let name = split_name("满意度(群众)");
        assert_eq!((name.name.as_str(), name.points), ("满意度(群众)", None));
    }

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number(" 10分 "), Ok(Some(d("10"))));
        assert_eq!(parse_number("１．５"), Ok(Some(d("1.5"))));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("良好"), Err(()));
    }

    #[test]
    fn title_rows_missing_levels_and_skipped_levels() {
        let doc = parse_rows(
            &rows(
                "某某项目绩效评价评分表,,,\n\
                 ,,,\n\
                 一级指标,三级指标,分值,得分\n\
                 决策,立项依据,5,5\n\
                 ,绩效目标,5,4\n\
                 过程,,10,9\n",
            ),
            "文件名",
        )
        .unwrap();
        assert_eq!(doc.info.name, "某某项目");
        let names: Vec<_> = doc.indicators.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["决策", "过程"]);
        assert_eq!(doc.indicators[0].children.len(), 2);
        assert_eq!(doc.indicators[1].max_points, d("10"));
        assert!(doc.indicators[1].is_leaf());
    }

    #[test]
    fn slash_marks_not_applicable() {
        let doc = parse_rows(
            &rows(
                "一级指标,二级指标,三级指标,分值,得分\n\
                 效益,经济效益,/,5,\n\
                 ,社会效益,/,/,/\n\
                 ,生态效益,,10,8\n",
            ),
            "x",
        )
        .unwrap();
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
    fn every_bad_cell_is_named_with_row_and_column() {
        let err = parse_rows(
            &rows(
                "一级指标,二级指标,分值,评价得分\n\
                 决策,立项,2,良好\n\
                 ,目标,两分,1\n\
                 ,资金,,1\n",
            ),
            "x",
        )
        .unwrap_err();
        let TableError::Cells(problems) = err else {
            panic!("{err:?}")
        };
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "第 2 行“评价得分”列：“良好”不是数字",
                "第 3 行“分值”列：“两分”不是数字",
                "第 4 行“分值”列：指标“资金”没有分值",
            ]
        );
    }

    #[test]
    fn a_table_without_header_or_levels_is_refused() {
        assert!(matches!(
            parse_rows(&rows("名称,权重\n决策,10\n"), "x"),
            Err(TableError::NoHeader)
        ));
        assert!(matches!(
            parse_rows(&rows("标题\n指标,分值,得分\n决策,10,7\n"), "x"),
            Err(TableError::NoLevelColumns { row: 2 })
        ));
        assert!(matches!(
            parse_rows(&rows("一级指标,分值,得分\n"), "x"),
            Err(TableError::NoIndicators)
        ));
    }
}
