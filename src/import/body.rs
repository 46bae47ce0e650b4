//! The rows below the indicator header, one at a time: block labels, merged cells,
//! 合计 and 小计 rows, notes, placeholders and repeated header rows, `/`, and each
//! indicator row's names, figures and texts as a [`Line`]; a cell that cannot be read
//! becomes a [`BadCell`] on its row.

use rust_decimal::Decimal;

use crate::model::{Evaluation, ImportNoteKind, PrintedGrade, shorten};
use crate::number::{parse_decimal, round2};

use super::header::{Column, Positions};
use super::layout::RowKind;
use super::table::{BadCell, Line, Reader, Row, row_text};
use super::vocabulary::words;
use super::words::{
    Name, comparator, is_caption, is_note, is_note_word, is_placeholder, is_rating_label,
    is_rating_word, is_slash, is_subtotal_name, is_subtotal_word, is_total_name, is_total_word,
    key, one_line, split_name, subtotal_subject,
};

impl Reader {
    fn header_text(&self, column: Column) -> String {
        self.columns
            .get(&column)
            .and_then(|&p| self.header_cells.get(p))
            .map(|h| h.trim().to_owned())
            .unwrap_or_default()
    }

    /// Reads a number cell; a cell that is not a number becomes a note on the row.
    fn number(&self, row: &Row, column: Column, bad: &mut Vec<BadCell>) -> Option<Decimal> {
        let text = self
            .columns
            .get(&column)
            .and_then(|&p| row.cells.get(p))
            .map_or("", |c| c.trim());
        if is_slash(text) {
            return None;
        }
        parse_decimal(text).unwrap_or_else(|_| {
            bad.push(BadCell {
                kind: match column {
                    Column::Score => ImportNoteKind::UnreadableScore,
                    Column::MaxPoints | Column::LevelPoints(_) => {
                        ImportNoteKind::UnreadableMaxPoints
                    }
                    _ => ImportNoteKind::UnreadableFigure,
                },
                place: format!("第 {} 行“{}”列", row.number, self.header_text(column)),
                text: text.to_owned(),
            });
            None
        })
    }

    /// One row below the header: its block label, then what the row is (an indicator, a
    /// 合计 or 小计, a note, …), then a 执行率 base it names.
    pub(super) fn read_row(&mut self, row: &Row, doc: &mut Evaluation) {
        self.read_labels(row);
        let lead = row.cells.iter().map(|c| c.trim()).find(|c| !c.is_empty());
        if let Some(lead) = lead
            && let Some(kind) = self.layout.kind_of(row.number, lead)
        {
            self.read_as(row, kind, lead);
            if let Some(last) = self.kinds.last_mut()
                && last.0 == row.number
            {
                last.2 = true;
            }
        } else if !self.read_budget_in_body(row, doc) {
            self.read_body_row(row);
        }
        self.read_rate_base(&row.cells, doc);
    }

    /// Block labels in the label columns; with several, each is the top of its rows.
    fn read_labels(&mut self, row: &Row) {
        for &p in &self.label_columns {
            let text = row.cells.get(p).map_or("", |c| c.trim());
            if !text.is_empty()
                && !is_total_name(text)
                && !is_note(text)
                && !is_rating_label(text)
                && !is_subtotal_name(text)
                && !self.blocks.iter().any(|b| b == text)
            {
                self.blocks.push(text.to_owned());
            }
        }
    }

    /// One row below the header, by what it is: the rating, a note, a 合计, a repeated
    /// header, a 小计, or a row of names (an indicator, a group, or a row naming nothing).
    fn read_body_row(&mut self, row: &Row) {
        // A blank row is nothing.
        let Some(lead) = row.cells.iter().map(|c| c.trim()).find(|c| !c.is_empty()) else {
            return;
        };
        // Each text is compacted once for all the tests below.
        let lead_word = key(lead);
        if is_rating_word(&lead_word) {
            self.read_rating_row(row);
            return;
        }
        // A sentence is a row of one text (a cell merged across the table); a total it
        // prints has a figure. Nearly every row is cleared by these before any search.
        if row.cells.iter().all(|c| {
            let c = c.trim();
            c.is_empty() || c == lead
        }) && lead.bytes().any(|b| b.is_ascii_digit())
            && let Some(value) = printed_total(lead)
            && !is_total_word(&lead_word)
            && self.cell_text(row, Column::Score).is_empty()
        {
            // 本项目自评总分95分: a total printed in a sentence, checked like a 合计 row.
            self.printed_totals
                .push((format!("第 {} 行“{}”", row.number, shorten(lead)), value));
            self.skip(row, RowKind::Note, "说明行，其中写明的总分作为合计核对");
            return;
        }
        if is_note_word(&lead_word) {
            self.skip(row, RowKind::Note, "说明或签字行");
            return;
        }
        let (label_text, level_cells) = self.names_of(row);
        let label_word = key(label_text);
        let level_words: Vec<_> = level_cells.iter().map(|c| key(c)).collect();
        if is_total_word(&label_word) || level_words.iter().any(|w| is_total_word(w)) {
            self.read_total_row(row);
            return;
        }
        if level_words
            .iter()
            .zip(&self.levels)
            .any(|(w, &(_, p))| !w.is_empty() && self.header_words.get(p).is_some_and(|h| h == w))
        {
            self.skip(row, RowKind::Header, "重复的表头行");
            return;
        }
        let label_is_subtotal = is_subtotal_word(&label_word);
        if !label_text.is_empty() && !label_is_subtotal {
            self.block = Some(split_name(label_text));
        }
        if let Some(position) = level_words
            .iter()
            .position(|w| is_subtotal_word(w))
            .or_else(|| label_is_subtotal.then_some(0))
        {
            // A 小计 in the label column names its group alone; one in a level column
            // names the group under the names left of it.
            let (subtotal_cell, names_left) = if label_is_subtotal {
                (label_text, &level_cells[..0])
            } else {
                (level_cells[position], &level_cells[..position])
            };
            self.read_subtotal_row(row, subtotal_cell, names_left);
            return;
        }
        self.read_named_row(row, level_cells, label_text, &level_words);
    }

    /// The names a row gives: its block label (the first label column with text) and
    /// the text of each level column.
    fn names_of<'r>(&self, row: &'r Row) -> (&'r str, Vec<&'r str>) {
        let cell = |p: usize| row.cells.get(p).map_or("", |c| c.trim());
        let label = self
            .label_columns
            .iter()
            .map(|&p| cell(p))
            .find(|t| !t.is_empty())
            .unwrap_or("");
        (label, self.levels.iter().map(|&(_, p)| cell(p)).collect())
    }

    /// A row read as the layout says it is, whatever its words say.
    fn read_as(&mut self, row: &Row, kind: RowKind, lead: &str) {
        match kind {
            RowKind::Indicator | RowKind::Group => {
                let (label_text, level_cells) = self.names_of(row);
                let level_words: Vec<_> = level_cells.iter().map(|c| key(c)).collect();
                self.read_named_row(row, level_cells, label_text, &level_words);
                self.mark(row.number, kind);
            }
            RowKind::Detail => {
                let Some(parent) = self.lines.last_mut() else {
                    self.skip(row, RowKind::Ignored, "其中行上面没有指标，未读取");
                    return;
                };
                parent
                    .details
                    .push(detail_text(lead, row, &self.columns, &self.header_cells));
                self.skip(row, kind, "其中行，作为上一行指标的明细，不计分");
            }
            RowKind::Subtotal => self.read_subtotal_row(row, lead, &[]),
            RowKind::Total => self.read_total_row(row),
            RowKind::Budget => self.skip(row, kind, "资金行，不是指标"),
            RowKind::Note => self.skip(row, kind, "说明行，不是指标"),
            _ => self.skip(row, RowKind::Ignored, "不读取"),
        }
    }

    /// A 评价等次 row: the grade the table prints.
    fn read_rating_row(&mut self, row: &Row) {
        let grade = grade_of(row);
        if let Some(grade) = grade {
            self.printed_grade = Some(PrintedGrade {
                grade,
                source: format!("第 {} 行", row.number),
            });
        }
        self.skip(row, RowKind::Note, "评价等级行，不是指标");
    }

    /// A 合计 row: the table's figures as printed, to be checked, never counted.
    fn read_total_row(&mut self, row: &Row) {
        let mut bad = Vec::new();
        let max_points = self.number(row, Column::MaxPoints, &mut bad);
        let score = self.number(row, Column::Score, &mut bad);
        self.notes.extend(bad);
        self.totals
            .push((row.number, Vec::new(), String::new(), max_points, score));
        self.skip(row, RowKind::Total, "合计行，作为表中写明的合计核对");
    }

    /// A 小计 row: its group's figures as printed, under the path of the names left of
    /// the 小计 cell (a blank one repeats the name above).
    fn read_subtotal_row(&mut self, row: &Row, subtotal_cell: &str, names_left: &[&str]) {
        let mut bad = Vec::new();
        let mut path: Vec<String> = Vec::new();
        if self.blocks_are_nodes
            && let Some(b) = &self.block
        {
            path.push(b.name.clone());
        }
        for (index, text) in names_left.iter().enumerate() {
            let name = if text.is_empty() {
                self.above[index].as_ref().map(|n| n.name.clone())
            } else {
                Some(split_name(text).name)
            };
            path.extend(name);
        }
        let max_points = self.number(row, Column::MaxPoints, &mut bad);
        let score = self.number(row, Column::Score, &mut bad);
        self.notes.extend(bad);
        self.totals.push((
            row.number,
            path,
            subtotal_subject(subtotal_cell),
            max_points,
            score,
        ));
        self.skip(row, RowKind::Subtotal, "小计行，作为表中写明的小计核对");
    }

    /// A row of names: an indicator or a group as a [`Line`], or a row that names nothing
    /// and is skipped; either way its names are what merged cells below repeat.
    /// `level_words` are the level cells as words are compared ([`key`]).
    fn read_named_row(
        &mut self,
        row: &Row,
        level_cells: Vec<&str>,
        label_text: &str,
        level_words: &[std::borrow::Cow<'_, str>],
    ) {
        // A placeholder (……) or a caption (按收入性质分:) names nothing; the names left
        // of it still do, for the rows below.
        let no_figures = self.cell_text(row, Column::Score).is_empty()
            && self.cell_text(row, Column::MaxPoints).is_empty();
        let ignored = |text: &str| is_placeholder(text) || (no_figures && is_caption(text));
        let deepest_text = level_cells.iter().rev().find(|c| !c.is_empty()).copied();
        let skip_why = deepest_text.and_then(|t| {
            if is_placeholder(t) {
                Some("占位行（……）")
            } else if no_figures && is_caption(t) {
                Some("分类说明行，不是指标")
            } else {
                None
            }
        });
        let level_cells: Vec<&str> = level_cells
            .into_iter()
            .map(|c| if ignored(c) { "" } else { c })
            .collect();
        let first_named = level_cells.iter().position(|c| !c.is_empty());
        let Some(first_named) = first_named else {
            self.skip_unnamed(row, skip_why, label_text);
            return;
        };
        // A cell left as it was (not blanked as a placeholder) has its word made already.
        if let Some(at) = level_cells.iter().rposition(|c| !c.is_empty())
            && let Some(word) = level_words.get(at)
            && self.read_unscored_row(row, level_cells[at], word)
        {
            return;
        }

        let mut bad = Vec::new();
        let (path, deepest, mut not_applicable) =
            self.path_of(row, &level_cells, first_named, &mut bad);
        if let Some(why) = skip_why {
            self.skip(row, RowKind::Ignored, why);
            return;
        }
        if path.is_empty() {
            return;
        }
        let max_text = self.cell_text(row, Column::MaxPoints);
        let score_text = self.cell_text(row, Column::Score);
        not_applicable |= is_slash(max_text) || is_slash(score_text);
        let max_points = self.number(row, Column::MaxPoints, &mut bad);
        let path_points = path.last().and_then(|n| n.points);
        let score = self.score(row, max_points.or(path_points), &mut bad);
        let bare = max_text.is_empty() && score_text.is_empty() && path_points.is_none();
        self.lines.push(Line {
            row: row.number,
            path,
            max_points,
            score,
            not_applicable,
            bare,
            in_last_level: deepest + 1 == self.levels.len(),
            reason: self.cell_text(row, Column::Reason).to_owned(),
            target: self.target(row),
            actual: self.actual(row),
            deviation: self.cell_text(row, Column::Deviation).to_owned(),
            criteria: self.cell_text(row, Column::Criteria).to_owned(),
            details: Vec::new(),
            bad,
        });
        self.mark(row.number, RowKind::Indicator);
    }

    /// The 得分: its column's, or, with a 得分系数 column, the 分值 times the factor.
    fn score(
        &self,
        row: &Row,
        max_points: Option<Decimal>,
        bad: &mut Vec<BadCell>,
    ) -> Option<Decimal> {
        let score = self.number(row, Column::Score, bad);
        if score.is_some() || !self.columns.contains_key(&Column::ScoreFactor) {
            return score;
        }
        let factor = self.number(row, Column::ScoreFactor, bad)?;
        Some(round2(max_points?.saturating_mul(factor)))
    }

    /// A row named but never scored, whose names the rows below do not repeat: a 其中
    /// detail of the indicator above, a template's blank 指标1, a 可选项 left empty.
    /// Returns whether the row was one.
    /// `name` is `deepest` as words are compared.
    fn read_unscored_row(&mut self, row: &Row, deepest: &str, name: &str) -> bool {
        let vocabulary = words();
        // 其中 rows with their own 分值 under a group printed bare are its indicators.
        let has_points = !self.cell_text(row, Column::MaxPoints).is_empty();
        if vocabulary.is_detail(name)
            && let Some(parent) = self.lines.last_mut()
            && !(parent.bare && has_points)
        {
            let detail = detail_text(deepest, row, &self.columns, &self.header_cells);
            parent.details.push(detail);
            self.skip(row, RowKind::Detail, "其中行，作为上一行指标的明细，不计分");
            return true;
        }
        let template = vocabulary.is_template_name(name);
        if !template && !vocabulary.is_optional(name) {
            return false;
        }
        let only_names = row.cells.iter().enumerate().all(|(p, c)| {
            c.trim().is_empty()
                || self.levels.iter().any(|&(_, at)| at == p)
                || self.label_columns.contains(&p)
        });
        if !only_names {
            return false;
        }
        self.skip(
            row,
            RowKind::Ignored,
            if template {
                "空白的模板行（只有“指标1”之类的名称），不是指标"
            } else {
                "未填写的可选项，不是指标"
            },
        );
        true
    }

    /// A row with no name in its level columns, skipped with why: a placeholder or a
    /// caption, figures without a name (also a note), a blank, or a block label alone.
    fn skip_unnamed(&mut self, row: &Row, skip_why: Option<&str>, label_text: &str) {
        if let Some(why) = skip_why {
            self.skip(row, RowKind::Ignored, why);
            return;
        }
        let has_figures = !self.cell_text(row, Column::MaxPoints).is_empty()
            || !self.cell_text(row, Column::Score).is_empty();
        if has_figures {
            self.notes.push(BadCell {
                kind: ImportNoteKind::FiguresWithoutName,
                place: format!("第 {} 行", row.number),
                text: row_text(row),
            });
            self.skip(row, RowKind::Ignored, "有分数但没有指标名称");
        } else if label_text.is_empty() {
            self.skip(row, RowKind::Ignored, "没有指标名称");
        } else {
            self.skip(row, RowKind::Group, "分块标签行");
        }
    }

    /// The row's names from the top, each blank level left of the first name filled with
    /// the name above (a merged cell), and this row's names kept for the row below.
    /// Returns the path, the index of its deepest level, and whether a name is `/`.
    fn path_of(
        &mut self,
        row: &Row,
        level_cells: &[&str],
        first_named: usize,
        bad: &mut Vec<BadCell>,
    ) -> (Vec<Name>, usize, bool) {
        let mut not_applicable = false;
        let mut path = Vec::new();
        if self.blocks_are_nodes
            && let Some(b) = &self.block
        {
            path.push(b.clone());
        }
        let mut deepest = 0;
        for (index, text) in level_cells.iter().enumerate() {
            let level = self.levels[index].0;
            if index < first_named {
                // A merged cell: the name above, unchanged for the rows below.
                if let Some(name) = &self.above[index] {
                    deepest = index;
                    path.push(name.clone());
                }
                continue;
            }
            let name = if text.is_empty() {
                None
            } else if is_slash(text) {
                not_applicable = true;
                None
            } else {
                let mut name = split_name(text);
                if self.columns.contains_key(&Column::LevelPoints(level))
                    && let Some(points) = self.number(row, Column::LevelPoints(level), bad)
                {
                    name.points = Some(points);
                }
                Some(name)
            };
            if name.is_some() {
                deepest = index;
            }
            if let Some(name) = &name {
                path.push(name.clone());
            }
            // What the next row's merged cells repeat is the node, not its declaration.
            self.above[index] = name.map(|n| Name { points: None, ..n });
        }
        (path, deepest, not_applicable)
    }

    fn cell_text<'r>(&self, row: &'r Row, column: Column) -> &'r str {
        self.columns
            .get(&column)
            .and_then(|&p| row.cells.get(p))
            .map_or("", |c| c.trim())
    }

    /// 年度指标值, with the 指标性质 and 度量单位 of their own columns: `≥` `95` `%` → `≥95%`.
    fn target(&self, row: &Row) -> String {
        let value = self.cell_text(row, Column::Target);
        let nature = comparator(self.cell_text(row, Column::Nature));
        let unit = self.cell_text(row, Column::Unit);
        let value = if let Some(rest) = value.strip_prefix(['≧', '≦', '═']) {
            format!("{}{rest}", comparator(&value[..value.len() - rest.len()]))
        } else if let Some(rest) = value.strip_prefix(">=") {
            format!("≥{rest}")
        } else if let Some(rest) = value.strip_prefix("<=") {
            format!("≤{rest}")
        } else {
            value.to_owned()
        };
        if value.is_empty() {
            return value;
        }
        let mut text = String::new();
        if matches!(nature.as_str(), "≥" | "≤" | "=" | ">" | "<") {
            text.push_str(&nature);
        }
        text.push_str(&value);
        if !unit.is_empty() && !value.ends_with(unit) {
            text.push_str(unit);
        }
        text
    }

    fn actual(&self, row: &Row) -> String {
        let value = self.cell_text(row, Column::Actual);
        let unit = self.cell_text(row, Column::Unit);
        if !value.is_empty()
            && !unit.is_empty()
            && !value.ends_with(unit)
            && parse_decimal(value).is_ok()
        {
            format!("{value}{unit}")
        } else {
            value.to_owned()
        }
    }
}

/// A 其中 row as its parent keeps it: its name and each figure it prints, with its
/// column's header (`其中：本年财政拨款（年度指标值 100；实际完成值 95）`).
fn detail_text(name: &str, row: &Row, columns: &Positions, header: &[String]) -> String {
    let figures: Vec<String> = [
        Column::Target,
        Column::Actual,
        Column::MaxPoints,
        Column::Score,
        Column::Reason,
        Column::Deviation,
    ]
    .iter()
    .filter_map(|column| {
        let &p = columns.get(column)?;
        let text = row
            .cells
            .get(p)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())?;
        let label = header
            .get(p)
            .map_or(String::new(), |h| one_line(h).into_owned());
        Some(format!("{label} {text}"))
    })
    .collect();
    let name = one_line(name);
    if figures.is_empty() {
        name.into_owned()
    } else {
        format!("{name}（{}）", figures.join("；"))
    }
}

/// The total a cell or a sentence prints after a total's word: `自评得分：98`,
/// `本项目自评总分95分` → 98, 95.
pub(super) fn printed_total(text: &str) -> Option<Decimal> {
    let n = key(text);
    let at = words().printed_total_at(&n)?;
    let rest = n[at..].trim_start_matches(['为', '是', '=', '＝']);
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    parse_decimal(&rest[..end]).ok().flatten()
}

/// The grade a 评价等次 row prints: after the colon in the same cell, or the next cell.
fn grade_of(row: &Row) -> Option<String> {
    let mut cells = row.cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty());
    let first = cells.next()?;
    if let Some((_, after)) = first.split_once(['：', ':'])
        && !after.trim().is_empty()
    {
        return Some(after.trim().to_owned());
    }
    cells.next().map(str::to_owned)
}
