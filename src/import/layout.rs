//! A layout profile: the user's corrections to how a table is read, kept as data (RON)
//! so the next table of that layout reads right at once.
//!
//! Each column's role is keyed by its header cell's text as words are compared
//! ([`key`]); each row's kind by its row number or its first cell's text. What the
//! profile does not name is read as without it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::header::Column;
use super::words::key;

/// The corrections for one layout of table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The header cells of the table it was made for, as compared: a saved profile is
    /// tried on a table whose header has these texts.
    #[serde(default)]
    pub header: Vec<String>,
    #[serde(default)]
    pub columns: Vec<ColumnRule>,
    #[serde(default)]
    pub rows: Vec<RowRule>,
}

/// A column's role, by its header text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnRule {
    pub header: String,
    pub role: Role,
}

/// A row's kind, by its number or its first cell's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
    pub kind: RowKind,
}

/// What a column holds. Written in a profile by its Chinese name ("得分").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Role {
    Level(usize),
    MaxPoints,
    Score,
    Reason,
    Criteria,
    Target,
    Actual,
    Deviation,
    Nature,
    Unit,
    ScoreFactor,
    /// Not read.
    Ignored,
}

impl Role {
    /// Every role, in the order a list offers them.
    pub const ALL: [Role; 15] = [
        Role::Level(0),
        Role::Level(1),
        Role::Level(2),
        Role::Level(3),
        Role::MaxPoints,
        Role::Score,
        Role::Reason,
        Role::Criteria,
        Role::Target,
        Role::Actual,
        Role::Deviation,
        Role::Nature,
        Role::Unit,
        Role::ScoreFactor,
        Role::Ignored,
    ];

    /// The short name a user sees and a profile holds.
    pub fn label(self) -> &'static str {
        match self {
            Role::Level(0) => "一级指标",
            Role::Level(1) => "二级指标",
            Role::Level(2) => "三级指标",
            Role::Level(_) => "四级指标",
            Role::MaxPoints => "分值",
            Role::Score => "得分",
            Role::Reason => "扣分理由",
            Role::Criteria => "评分标准",
            Role::Target => "年度指标值",
            Role::Actual => "实际完成值",
            Role::Deviation => "偏差原因",
            Role::Nature => "指标性质",
            Role::Unit => "度量单位",
            Role::ScoreFactor => "得分系数",
            Role::Ignored => "不读取",
        }
    }

    pub(super) fn column(self) -> Option<Column> {
        Some(match self {
            Role::Level(l) => Column::Level(l.min(3)),
            Role::MaxPoints => Column::MaxPoints,
            Role::Score => Column::Score,
            Role::Reason => Column::Reason,
            Role::Criteria => Column::Criteria,
            Role::Target => Column::Target,
            Role::Actual => Column::Actual,
            Role::Deviation => Column::Deviation,
            Role::Nature => Column::Nature,
            Role::Unit => Column::Unit,
            Role::ScoreFactor => Column::ScoreFactor,
            Role::Ignored => return None,
        })
    }

    pub(super) fn of_column(column: Column) -> Role {
        match column {
            Column::Level(l) => Role::Level(l),
            Column::LevelPoints(_) | Column::MaxPoints => Role::MaxPoints,
            Column::Score => Role::Score,
            Column::Reason => Role::Reason,
            Column::Nature => Role::Nature,
            Column::Target => Role::Target,
            Column::Unit => Role::Unit,
            Column::Actual => Role::Actual,
            Column::Deviation => Role::Deviation,
            Column::Criteria => Role::Criteria,
            Column::ScoreFactor => Role::ScoreFactor,
        }
    }
}

impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.label() == text.trim())
            .ok_or_else(|| {
                let all: Vec<&str> = Role::ALL.iter().map(|r| r.label()).collect();
                format!("不认识的列“{text}”，可用：{}", all.join("、"))
            })
    }
}

impl From<Role> for String {
    fn from(role: Role) -> String {
        role.label().to_owned()
    }
}

/// What a row is. Written in a profile by its Chinese name ("说明").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum RowKind {
    Indicator,
    Group,
    Detail,
    Subtotal,
    Total,
    Budget,
    Note,
    Ignored,
    /// Above the header: the title, the project's details. Only reported.
    Title,
    /// The header's own rows. Only reported.
    Header,
    /// A row with no text. Only reported.
    Blank,
}

impl RowKind {
    /// The kinds a user may give a row below the header.
    pub const CHOICES: [RowKind; 8] = [
        RowKind::Indicator,
        RowKind::Group,
        RowKind::Detail,
        RowKind::Subtotal,
        RowKind::Total,
        RowKind::Budget,
        RowKind::Note,
        RowKind::Ignored,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RowKind::Indicator => "指标",
            RowKind::Group => "分组",
            RowKind::Detail => "其中明细",
            RowKind::Subtotal => "小计",
            RowKind::Total => "合计",
            RowKind::Budget => "资金",
            RowKind::Note => "说明",
            RowKind::Ignored => "不读取",
            RowKind::Title => "标题",
            RowKind::Header => "表头",
            RowKind::Blank => "空行",
        }
    }
}

impl TryFrom<String> for RowKind {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        RowKind::CHOICES
            .into_iter()
            .find(|k| k.label() == text.trim())
            .ok_or_else(|| {
                let all: Vec<&str> = RowKind::CHOICES.iter().map(|k| k.label()).collect();
                format!("不认识的行“{text}”，可用：{}", all.join("、"))
            })
    }
}

impl From<RowKind> for String {
    fn from(kind: RowKind) -> String {
        kind.label().to_owned()
    }
}

/// A profile that could not be read: the file, the line, and why.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    #[error("无法读取识别方式文件“{file}”：{reason}")]
    Read { file: String, reason: String },
    #[error("识别方式文件“{file}”第 {line} 行第 {column} 列有误：{reason}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        reason: String,
    },
}

impl Layout {
    /// Reads a profile; `file` names it in the message.
    pub fn from_ron(text: &str, file: &str) -> Result<Self, LayoutError> {
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        options.from_str(text).map_err(|err| {
            use ron::Error as E;
            let reason = match &err.code {
                E::NoSuchStructField { found, .. } => format!("不认识的项“{found}”"),
                E::MissingStructField { field, .. } => format!("缺少“{field}”项"),
                E::Eof => "文件意外结束".to_owned(),
                E::ExpectedOption => "这里应是行号或 None".to_owned(),
                E::ExpectedComma => "缺少逗号".to_owned(),
                E::Message(message) => message.clone(),
                E::ExpectedString | E::ExpectedStringEnd => "这里应是带引号的文字".to_owned(),
                _ => "格式不对".to_owned(),
            };
            LayoutError::Syntax {
                file: file.to_owned(),
                line: err.span.start.line,
                column: err.span.start.col,
                reason,
            }
        })
    }

    /// Reads a profile file.
    pub fn load(path: &std::path::Path) -> Result<Self, LayoutError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|err| LayoutError::Read {
            file: file.clone(),
            reason: crate::storage::io_reason(&err),
        })?;
        Self::from_ron(&text, &file)
    }

    /// The profile as RON text, one rule a line.
    pub fn to_ron(&self) -> Result<String, String> {
        let config = ron::ser::PrettyConfig::new()
            .struct_names(false)
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        ron::ser::to_string_pretty(self, config).map_err(|err| format!("无法写出识别方式：{err}"))
    }

    /// The role the profile gives a header cell: `None` when it names none,
    /// `Some(None)` when the column is not read.
    pub(super) fn column_of(&self, cell: &str) -> Option<Option<Column>> {
        if self.columns.is_empty() {
            return None;
        }
        let cell = key(cell);
        self.columns
            .iter()
            .rev()
            .find(|rule| key(&rule.header) == cell)
            .map(|rule| rule.role.column())
    }

    /// The kind the profile gives a row: by its number first, then by its first cell.
    pub(super) fn kind_of(&self, row: usize, first: &str) -> Option<RowKind> {
        if self.rows.is_empty() {
            return None;
        }
        let by_number = self.rows.iter().rev().find(|r| r.row == Some(row));
        let by_text = || {
            let first = key(first);
            self.rows
                .iter()
                .rev()
                .find(|r| r.row.is_none() && r.first.as_deref().is_some_and(|t| key(t) == first))
        };
        by_number.or_else(by_text).map(|r| r.kind)
    }

    /// Sets a column's role, replacing what the profile said of it.
    pub fn set_role(&mut self, header: &str, role: Role) {
        let cell = key(header).into_owned();
        self.columns.retain(|rule| key(&rule.header) != cell);
        self.columns.push(ColumnRule {
            header: header.trim().to_owned(),
            role,
        });
    }

    /// Sets a row's kind by its number, replacing what the profile said of it.
    pub fn set_kind(&mut self, row: usize, kind: RowKind) {
        self.rows.retain(|rule| rule.row != Some(row));
        self.rows.push(RowRule {
            row: Some(row),
            first: None,
            kind,
        });
    }

    /// Whether a table with these header cells is one this profile was made for.
    pub fn fits(&self, header_cells: &[String]) -> bool {
        !self.header.is_empty() && self.header == header_keys(header_cells)
    }
}

/// The profiles saved in `dir` (its `.ron` files, each with its name), in name order,
/// and why any could not be read. A folder not made yet holds none.
pub fn load_profiles(dir: &Path) -> (Vec<(String, Layout)>, Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (Vec::new(), Vec::new());
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    let mut profiles = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match Layout::load(&path) {
            Ok(layout) => profiles.push((name, layout)),
            Err(err) => problems.push(err.to_string()),
        }
    }
    (profiles, problems)
}

/// Saves `layout` in `dir` as `name.ron` (the folder made if needed); returns its path.
pub fn save_profile(layout: &Layout, dir: &Path, name: &str) -> Result<PathBuf, String> {
    let text = layout.to_ron()?;
    std::fs::create_dir_all(dir).map_err(|err| {
        format!(
            "无法建立文件夹“{}”：{}",
            dir.display(),
            crate::storage::io_reason(&err)
        )
    })?;
    let safe: String = name
        .chars()
        .map(|c| if "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect();
    let path = dir.join(format!("{safe}.ron"));
    crate::storage::replace_file(&path, text.as_bytes(), false)
        .map_err(|reason| format!("无法保存识别方式“{}”：{reason}", path.display()))?;
    Ok(path)
}

/// The non-empty header cells as compared, which a profile keeps to be matched by.
pub fn header_keys(cells: &[String]) -> Vec<String> {
    cells
        .iter()
        .map(|c| key(c).into_owned())
        .filter(|c| !c.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_round_trips_and_an_unknown_field_names_its_line() {
        let mut layout = Layout::default();
        layout.set_role("考核得分", Role::Score);
        layout.set_kind(7, RowKind::Note);
        let text = layout.to_ron().unwrap();
        assert_eq!(Layout::from_ron(&text, "a.ron").unwrap(), layout);

        let err = Layout::from_ron("(\n  columns: [],\n  colour: [],\n)", "a.ron").unwrap_err();
        assert_eq!(
            err.to_string(),
            "识别方式文件“a.ron”第 3 行第 3 列有误：不认识的项“colour”"
        );
        let err = Layout::from_ron("(rows: [(row: Some(3), kind: \"脚注\")])", "a.ron")
            .unwrap_err()
            .to_string();
        assert!(err.contains("不认识的行“脚注”"), "{err}");
    }

    /// The scores of the leaves read from `csv` with `layout`.
    fn scores(csv: &str, layout: &Layout) -> Vec<(String, Option<rust_decimal::Decimal>)> {
        let rows = super::super::text::rows_of(csv.as_bytes().to_vec(), usize::MAX).unwrap();
        let parsed = super::super::parse_rows_with(&rows, "表", layout).unwrap();
        parsed
            .doc
            .leaves()
            .iter()
            .map(|l| (l.name.clone(), l.scoring.score))
            .collect()
    }

    #[test]
    fn a_role_given_to_one_column_is_no_longer_another_s_and_a_row_is_found_by_its_text() {
        let csv = "一级指标,二级指标,分值,自评得分,评价得分\n\
                   决策,立项,10,10,8\n\
                   参考,上年得分,,,88\n";
        let mut layout = Layout::default();
        layout.set_role("评价得分", Role::Score);
        layout.rows.push(RowRule {
            row: None,
            first: Some("参考".to_owned()),
            kind: RowKind::Note,
        });
        assert_eq!(scores(csv, &layout), [("立项".to_owned(), Some(8.into()))]);
        assert_eq!(
            scores(csv, &Layout::default()),
            [
                ("立项".to_owned(), Some(10.into())),
                ("上年得分".to_owned(), None)
            ]
        );
    }

    #[test]
    fn a_saved_profile_is_taken_for_a_table_with_its_header_only() {
        let csv = "一级指标,二级指标,分值,自评得分,评价得分\n决策,立项,10,10,8\n";
        let rows = super::super::text::rows_of(csv.as_bytes().to_vec(), usize::MAX).unwrap();
        let mut layout = Layout::default();
        layout.set_role("评价得分", Role::Score);
        layout.header = header_keys(&rows[0].cells);
        let mut other = layout.clone();
        other.header.pop();
        let profiles = vec![("别的".to_owned(), other), ("这种".to_owned(), layout)];
        let mut reading = super::super::table::Reading::with_layout(
            std::sync::Arc::default(),
            std::sync::Arc::new(profiles),
        );
        for row in &rows {
            reading.push(row);
        }
        let parsed = reading.finish("表").unwrap();
        assert_eq!(parsed.report.profile.as_deref(), Some("这种"));
        assert_eq!(parsed.doc.leaves()[0].scoring.score, Some(8.into()));
    }
}
