//! 指标库: an index of every indicator in the user's own evaluations (the folders they
//! add) and in the built-in templates, kept in one file in the user's data folder and
//! updated incrementally. Indicators with the same normalised name under the same 一级
//! are one entry with all their uses; they are found by any part of the name or the
//! 评分标准, or by the name's pinyin initials (`myd` → 满意度).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use pinyin::ToPinyin;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{Evaluation, EvaluationKind, Indicator, IndicatorPath, ScoreRule, shorten};

/// What the library file says it is.
const FORMAT: &str = "jixiao-library";
/// 2: a use's path is a list of names (1 wrote it as one text, still read).
const VERSION: u32 = 2;

pub use crate::storage::data_dir;

/// The user's library file: `指标库.json` in the data folder.
pub fn default_path() -> Option<PathBuf> {
    data_dir().map(|dir| dir.join("指标库.json"))
}

/// One use of an indicator: in which evaluation, with what figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Use {
    /// The 一级 indicator it sits under.
    pub level1: String,
    /// Its path from the 一级 down, the indicator included: `产出 / 产出数量 / 实际完成率`.
    /// (Written as a list of names; a library saved before keeps it as one text.)
    #[serde(deserialize_with = "path_or_text")]
    pub path: IndicatorPath,
    pub name: String,
    pub max_points: Decimal,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub criteria: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<ScoreRule>,
    /// 计量单位.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// 年度指标值.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// 实际完成值.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actual: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Decimal>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub project: String,
    /// 项目单位.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub project_unit: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub year: String,
    /// 自评, 专家评价 or 模板.
    pub kind: String,
    /// The file it was read from (the template's title for a template).
    pub file: String,
}

/// A file the library has read, and what it found in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexedFile {
    pub path: PathBuf,
    /// Modification time (ns since 1970) and size when read: a file with both unchanged
    /// is not read again.
    pub modified: u128,
    pub size: u64,
    pub uses: Vec<Use>,
    /// Why the file could not be read, if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// 共性 (common to many projects: 预算执行率, 满意度) or 个性 (the project's own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mark {
    Common,
    Individual,
}

impl Mark {
    pub fn label(self) -> &'static str {
        match self {
            Self::Common => "共性",
            Self::Individual => "个性",
        }
    }

    pub fn from_label(text: &str) -> Option<Self> {
        match text.trim() {
            "共性" | "共性指标" => Some(Self::Common),
            "个性" | "个性指标" => Some(Self::Individual),
            _ => None,
        }
    }
}

/// What the user decided about an entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Curation {
    /// The entry's key (see [`key`]).
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// The standard 评分标准 the team agreed on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria: Option<String>,
}

/// The library as kept on disk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Library {
    /// The folders the user added; every update rescans them.
    pub folders: Vec<PathBuf>,
    pub files: Vec<IndexedFile>,
    #[serde(default)]
    pub curation: Vec<Curation>,
    /// Uses read from a shared library sheet (a colleague's export), kept until that
    /// sheet is imported again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imported: Vec<Use>,
}

#[derive(Serialize, Deserialize)]
struct FileBody {
    format: String,
    version: u32,
    library: Library,
}

/// Why the library could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("无法读取指标库“{path}”：{reason}")]
    Read { path: PathBuf, reason: String },
    #[error("“{path}”不是 jixiao 的指标库文件")]
    Foreign { path: PathBuf },
    #[error("无法保存指标库“{path}”：{reason}")]
    Write { path: PathBuf, reason: String },
}

impl Library {
    /// Reads the library at `path`; a missing file is an empty library.
    pub fn load(path: &Path) -> Result<Self, LibraryError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(err) => {
                return Err(LibraryError::Read {
                    path: path.to_owned(),
                    reason: crate::storage::io_reason(&err),
                });
            }
        };
        match serde_json::from_slice::<FileBody>(&bytes) {
            Ok(body) if body.format == FORMAT && body.version <= VERSION => Ok(body.library),
            _ => Err(LibraryError::Foreign {
                path: path.to_owned(),
            }),
        }
    }

    /// Writes the library atomically (a temporary file renamed over the old one).
    pub fn save(&self, path: &Path) -> Result<(), LibraryError> {
        let fail = |reason: String| LibraryError::Write {
            path: path.to_owned(),
            reason,
        };
        let body = FileBody {
            format: FORMAT.to_owned(),
            version: VERSION,
            library: self.clone(),
        };
        let bytes = serde_json::to_vec(&body).map_err(|e| fail(e.to_string()))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| fail(crate::storage::io_reason(&e)))?;
        }
        crate::export::write_atomically(path, &bytes).map_err(|e| fail(e.to_string()))
    }

    /// Adds folders (once each) to those the library indexes.
    pub fn add_folders(&mut self, folders: &[PathBuf]) {
        for folder in folders {
            let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.clone());
            if !self.folders.contains(&folder) {
                self.folders.push(folder);
            }
        }
    }

    /// Brings the index up to date with the folders: a file whose modification time and
    /// size are unchanged keeps what was read from it; a new or changed file is read; a
    /// file no longer there is forgotten. `progress(done, of)` is told as files are read.
    pub fn update(&mut self, progress: &mut dyn FnMut(usize, usize)) -> Update {
        let files = crate::overview::files_in(&self.folders);
        let mut known: HashMap<PathBuf, IndexedFile> = std::mem::take(&mut self.files)
            .into_iter()
            .map(|f| (f.path.clone(), f))
            .collect();
        let mut update = Update::default();
        let of = files.len();
        for (done, path) in files.into_iter().enumerate() {
            let (modified, size) = stamp(&path);
            match known.remove(&path) {
                Some(file) if file.modified == modified && file.size == size => {
                    update.unchanged += 1;
                    self.files.push(file);
                }
                _ => {
                    update.read += 1;
                    let (uses, error) = match crate::open::open(&path) {
                        // A library exported to a workbook is not an evaluation: its rows
                        // would come back as indicators with the uses' scores.
                        _ if is_library_sheet(&path) => (Vec::new(), None),
                        Ok(doc) => (uses_of(&doc, &path.display().to_string()), None),
                        Err(err) => {
                            update.unreadable += 1;
                            (Vec::new(), Some(err.to_string()))
                        }
                    };
                    self.files.push(IndexedFile {
                        path,
                        modified,
                        size,
                        uses,
                        error,
                    });
                }
            }
            progress(done + 1, of);
        }
        update.removed = known.len();
        update
    }

    /// Every entry: the uses of the files and of the built-in templates, grouped by
    /// [`key`], hidden ones included; the most used first.
    pub fn entries(&self) -> Vec<Entry<'_>> {
        let mut groups: HashMap<String, Vec<&Use>> = HashMap::new();
        for item in self
            .files
            .iter()
            .flat_map(|f| &f.uses)
            .chain(&self.imported)
            .chain(template_uses().iter())
        {
            groups
                .entry(key(&item.level1, &item.name))
                .or_default()
                .push(item);
        }
        let curation: HashMap<&str, &Curation> =
            self.curation.iter().map(|c| (c.key.as_str(), c)).collect();
        let mut entries: Vec<Entry<'_>> = groups
            .into_iter()
            .map(|(key, uses)| {
                let curation = curation
                    .get(key.as_str())
                    .copied()
                    .cloned()
                    .unwrap_or_default();
                Entry::new(key, uses, curation)
            })
            .collect();
        sort_entries(&mut entries);
        entries
    }

    /// The entries matching `query` and `filter`, ranked by how often they were used.
    pub fn search(&self, query: &str, filter: &Filter) -> Vec<Entry<'_>> {
        let query = normalise(query);
        let mut found: Vec<Entry<'_>> = self
            .entries()
            .into_iter()
            .filter(|e| filter.show_hidden || !e.curation.hidden)
            .filter(|e| {
                filter
                    .level1
                    .as_ref()
                    .is_none_or(|l| normalise(l) == normalise(&e.level1))
            })
            .filter_map(|mut e| {
                if filter.kind.is_some() || filter.year.is_some() {
                    e.uses.retain(|u| {
                        filter.kind.as_ref().is_none_or(|k| u.kind == *k)
                            && filter.year.as_ref().is_none_or(|y| u.year == *y)
                    });
                    if e.uses.is_empty() {
                        return None;
                    }
                }
                e.matches(&query).then_some(e)
            })
            .collect();
        // Ranked again by the uses the filters kept.
        sort_entries(&mut found);
        found
    }

    /// The entry of an indicator, by its 一级 and name.
    pub fn entry(&self, level1: &str, name: &str) -> Option<Entry<'_>> {
        self.entry_by_key(&key(level1, name))
    }

    /// The entry whose [`key`] is `wanted`.
    pub fn entry_by_key(&self, wanted: &str) -> Option<Entry<'_>> {
        self.entries().into_iter().find(|e| e.key == wanted)
    }

    /// The curation of the entry `key`, made if there is none.
    pub fn curation_mut(&mut self, key: &str) -> &mut Curation {
        let index = match self.curation.iter().position(|c| c.key == key) {
            Some(index) => index,
            None => {
                self.curation.push(Curation {
                    key: key.to_owned(),
                    ..Curation::default()
                });
                self.curation.len() - 1
            }
        };
        &mut self.curation[index]
    }
}

impl Update {
    /// Whether the index differs from before (and needs saving).
    pub fn changed(&self) -> bool {
        self.read > 0 || self.removed > 0
    }
}

/// The most used in the user's own evaluations first, then by all uses, then by name.
fn sort_entries(entries: &mut [Entry<'_>]) {
    entries.sort_by(|a, b| {
        b.real_uses()
            .cmp(&a.real_uses())
            .then_with(|| b.uses.len().cmp(&a.uses.len()))
            .then_with(|| a.name.cmp(&b.name))
    });
}

/// What [`Library::update`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Update {
    /// Files read (new or changed).
    pub read: usize,
    /// Files kept as they were indexed.
    pub unchanged: usize,
    /// Files forgotten, no longer in the folders.
    pub removed: usize,
    /// Files that could not be read (kept with their message).
    pub unreadable: usize,
}

/// Which entries a search shows.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub level1: Option<String>,
    /// 自评, 专家评价 or 模板: only uses of that kind.
    pub kind: Option<String>,
    /// Only uses of that 年度.
    pub year: Option<String>,
    pub show_hidden: bool,
}

/// One indicator of the library with all its uses.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub key: String,
    pub name: String,
    pub level1: String,
    /// The path of its most common use.
    pub path: IndicatorPath,
    pub uses: Vec<&'a Use>,
    pub curation: Curation,
    initials: String,
}

impl<'a> Entry<'a> {
    fn new(key: String, mut uses: Vec<&'a Use>, curation: Curation) -> Self {
        // The latest year first, then by project.
        uses.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.project.cmp(&b.project)));
        let first = uses[0];
        let path = most_common(uses.iter().map(|u| &u.path))
            .cloned()
            .unwrap_or_default();
        Self {
            key,
            name: first.name.clone(),
            level1: first.level1.clone(),
            path,
            initials: initials(&first.name),
            uses,
            curation,
        }
    }

    /// The use that stands for the entry: one at its most common path. (An entry always
    /// has a use: it is made from them.)
    pub fn model(&self) -> &'a Use {
        self.uses
            .iter()
            .copied()
            .find(|u| u.path == self.path)
            .unwrap_or(self.uses[0])
    }

    /// The indicator to insert into a tree: the entry's name, 分值, standard 评分标准,
    /// rule and unit, no scores. Its id is given when it is inserted.
    pub fn to_indicator(&self) -> Indicator {
        let model = self.model();
        let mut leaf = Indicator::leaf(
            crate::model::NodeId(0),
            model.name.clone(),
            model.max_points,
        );
        leaf.criteria = self.criteria();
        leaf.scoring.rule = model.rule.clone();
        leaf.scoring.unit = model.unit.clone();
        leaf
    }

    /// Uses in the user's own evaluations (templates not counted).
    pub fn real_uses(&self) -> usize {
        self.uses.iter().filter(|u| u.kind != "模板").count()
    }

    /// The standard 评分标准: the one the team set, else the most common one.
    pub fn criteria(&self) -> String {
        self.curation.criteria.clone().unwrap_or_else(|| {
            most_common(
                self.uses
                    .iter()
                    .map(|u| u.criteria.as_str())
                    .filter(|c| !c.is_empty()),
            )
            .unwrap_or_default()
            .to_owned()
        })
    }

    fn matches(&self, query: &str) -> bool {
        if query.is_empty() {
            return true;
        }
        if normalise(&self.name).contains(query)
            || normalise(&self.path.to_string()).contains(query)
        {
            return true;
        }
        if query.chars().all(|c| c.is_ascii_alphabetic()) && self.initials.contains(query) {
            return true;
        }
        self.uses
            .iter()
            .any(|u| normalise(&u.criteria).contains(query))
            || self
                .curation
                .criteria
                .as_deref()
                .is_some_and(|c| normalise(c).contains(query))
    }

    /// The uses of one project, the oldest year first: what the compare view shows.
    pub fn history_of(&self, project: &str) -> Vec<&'a Use> {
        let mut uses: Vec<&Use> = self
            .uses
            .iter()
            .copied()
            .filter(|u| u.project == project)
            .collect();
        uses.sort_by(|a, b| a.year.cmp(&b.year));
        uses
    }
}

/// The text that occurs most often (the first of equals); "" for none.
fn most_common<'s, T: PartialEq + ?Sized>(items: impl Iterator<Item = &'s T>) -> Option<&'s T> {
    let mut counts: Vec<(&T, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(seen, _)| *seen == item) {
            Some((_, n)) => *n += 1,
            None => counts.push((item, 1)),
        }
    }
    counts
        .iter()
        .fold(None::<(&T, usize)>, |best, (item, n)| match best {
            Some((_, m)) if m >= *n => best,
            _ => Some((item, *n)),
        })
        .map(|(item, _)| item)
}

/// A use's path as written: a list of names, or (a library saved before) one text
/// joined with " / ".
fn path_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<IndicatorPath, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Names(Vec<String>),
        Text(String),
    }
    Ok(match Written::deserialize(d)? {
        Written::Names(names) => IndicatorPath::new(names),
        Written::Text(text) => IndicatorPath::parse(&text),
    })
}

/// A text as the library compares it: no spaces, ASCII lower case, full-width letters
/// and digits as half-width.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// An entry's key: the normalised 一级 and name.
pub fn key(level1: &str, name: &str) -> String {
    format!("{}/{}", normalise(level1), normalise(name))
}

/// The pinyin initials of a name, lower case: 满意度 → myd. Characters without pinyin
/// (letters, digits) stand for themselves.
pub fn initials(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(pinyin) => pinyin.first_letter().chars().next(),
            None if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            None => None,
        })
        .collect()
}

/// Every leaf of `doc` as a use.
pub fn uses_of(doc: &Evaluation, file: &str) -> Vec<Use> {
    let kind = match doc.info.kind {
        EvaluationKind::SelfAssessment => "自评",
        EvaluationKind::Expert => "专家评价",
    };
    uses_with(doc, file, kind)
}

fn uses_with(doc: &Evaluation, file: &str, kind: &str) -> Vec<Use> {
    let mut out = Vec::new();
    for root in &doc.indicators {
        let mut path = IndicatorPath::default();
        walk(root, &mut path, root, doc, file, kind, &mut out);
    }
    out
}

fn walk(
    node: &Indicator,
    path: &mut IndicatorPath,
    root: &Indicator,
    doc: &Evaluation,
    file: &str,
    kind: &str,
    out: &mut Vec<Use>,
) {
    path.push(node.name.clone());
    if node.is_leaf() {
        let scoring = &node.scoring;
        out.push(Use {
            level1: root.name.clone(),
            path: path.clone(),
            name: node.name.clone(),
            max_points: node.max_points,
            criteria: node.criteria.clone(),
            rule: scoring.rule.clone(),
            unit: scoring.unit.clone(),
            target: scoring.target.clone(),
            actual: scoring.actual.clone(),
            score: scoring.score,
            reason: scoring.reason.clone(),
            project: doc.info.name.clone(),
            project_unit: doc.info.unit.clone(),
            year: doc.info.year.clone(),
            kind: kind.to_owned(),
            file: file.to_owned(),
        });
    } else {
        for child in &node.children {
            walk(child, path, root, doc, file, kind, out);
        }
    }
    path.pop();
}

/// The built-in templates' indicators, as uses of kind 模板, read once.
fn template_uses() -> &'static [Use] {
    static USES: std::sync::OnceLock<Vec<Use>> = std::sync::OnceLock::new();
    USES.get_or_init(|| {
        crate::templates::all()
            .iter()
            .filter_map(|t| {
                crate::templates::load(t.name)
                    .ok()
                    .map(|doc| uses_with(&doc, t.title, "模板"))
            })
            .flatten()
            .collect()
    })
}

/// Whether `path` is a workbook [`xlsx_bytes`] wrote (a sheet 指标库 whose first row
/// names 一级指标, 指标名称 and 路径).
fn is_library_sheet(path: &Path) -> bool {
    let workbook = matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("xlsx" | "xls" | "ods")
    );
    workbook
        && crate::import::guard::rows_of(path, Some("指标库")).is_ok_and(|source| {
            source.rows.first().is_some_and(|row| {
                row.cells
                    .iter()
                    .take(3)
                    .map(|c| c.trim())
                    .eq(["一级指标", "指标名称", "路径"])
            })
        })
}

fn stamp(path: &Path) -> (u128, u64) {
    let Ok(meta) = std::fs::metadata(path) else {
        return (0, 0);
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (modified, meta.len())
}

/// The 二级 group a use sits in, as its evaluation has it (names, 分值, 评分标准, rules,
/// units; no scores, targets or actuals): what 插入其二级指标 puts into the tree. `None`
/// when the use is not under a 二级 group or its file cannot be read any more.
pub fn group_of(item: &Use) -> Option<Indicator> {
    let doc = if item.kind == "模板" {
        crate::templates::all()
            .iter()
            .find(|t| t.title == item.file)
            .and_then(|t| crate::templates::load(t.name).ok())?
    } else {
        crate::open::open(Path::new(&item.file)).ok()?
    };
    let names: Vec<&str> = item.path.names().iter().map(String::as_str).collect();
    if names.len() < 3 {
        return None;
    }
    let mut group = doc.find_by_names(&names[..2])?.clone();
    fn clear(node: &mut Indicator) {
        let keep = std::mem::take(&mut node.scoring);
        node.scoring.rule = keep.rule;
        node.scoring.unit = keep.unit;
        node.scoring.direction = keep.direction;
        for child in &mut node.children {
            clear(child);
        }
    }
    clear(&mut group);
    Some(group)
}

/// The columns of the library sheet, in order: the entry, then one use per row.
const SHEET_COLUMNS: [&str; 17] = [
    "一级指标",
    "指标名称",
    "路径",
    "共性/个性",
    "隐藏",
    "标准评分标准",
    "分值",
    "评分标准",
    "计量单位",
    "项目名称",
    "项目单位",
    "年度",
    "评价类型",
    "年度指标值",
    "实际完成值",
    "得分",
    "扣分理由",
];

/// The library as a workbook, one row per use of every entry (templates left out), the
/// entry's curation on each row: what a team shares by file.
pub fn xlsx_bytes(library: &Library) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| format!("无法生成指标库工作簿：{e}");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("指标库").map_err(fail)?;
    let header = Format::new().set_bold().set_background_color("#F2F2F2");
    for (column, title) in SHEET_COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, column as u16, *title, &header)
            .map_err(fail)?;
    }
    let mut row = 0u32;
    for entry in library.entries() {
        for item in entry.uses.iter().filter(|u| u.kind != "模板") {
            row += 1;
            let cells = [
                entry.level1.clone(),
                entry.name.clone(),
                item.path.to_string(),
                entry
                    .curation
                    .mark
                    .map(|m| m.label().to_owned())
                    .unwrap_or_default(),
                if entry.curation.hidden { "是" } else { "" }.to_owned(),
                entry.curation.criteria.clone().unwrap_or_default(),
                item.max_points.normalize().to_string(),
                item.criteria.clone(),
                item.unit.clone(),
                item.project.clone(),
                item.project_unit.clone(),
                item.year.clone(),
                item.kind.clone(),
                item.target.clone(),
                item.actual.clone(),
                item.score
                    .map(|s| s.normalize().to_string())
                    .unwrap_or_default(),
                item.reason.clone(),
            ];
            for (column, text) in cells.iter().enumerate() {
                // Text as text, always: a reason beginning with = stays a reason.
                sheet.write_string(row, column as u16, text).map_err(fail)?;
            }
        }
    }
    sheet.set_column_width(1, 20).map_err(fail)?;
    sheet.set_column_width(2, 36).map_err(fail)?;
    sheet.set_freeze_panes(1, 2).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}

/// What importing a library sheet did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub uses: usize,
    /// Entries whose curation (共性/个性, hidden, standard 评分标准) the sheet set.
    pub curated: usize,
    /// Rows that could not be read, each with its row number and why.
    pub skipped: Vec<String>,
}

/// Reads a library sheet (as [`xlsx_bytes`] writes it) into `library`: its uses replace
/// those of any earlier import, its curation is taken over. A row that cannot be read is
/// named and skipped; the others are taken.
pub fn import_sheet(library: &mut Library, path: &Path) -> Result<Imported, String> {
    let source = crate::import::guard::rows_of(path, Some("指标库")).map_err(|e| e.to_string())?;
    let mut rows = source.rows.into_iter();
    let Some(header) = rows.next() else {
        return Err(format!("“{}”的工作表“指标库”是空的", path.display()));
    };
    let column = |title: &str| header.cells.iter().position(|c| c.trim() == title);
    let columns: Vec<Option<usize>> = SHEET_COLUMNS.iter().map(|t| column(t)).collect();
    if columns[0].is_none() || columns[1].is_none() {
        return Err(format!(
            "“{}”不是指标库工作表：第 1 行应有“一级指标”和“指标名称”",
            path.display()
        ));
    }
    let mut result = Imported::default();
    let mut uses = Vec::new();
    let mut curated = std::collections::HashSet::new();
    for row in rows {
        let cell = |index: usize| {
            columns[index]
                .and_then(|c| row.cells.get(c))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        let (level1, name) = (cell(0), cell(1));
        if level1.is_empty() || name.is_empty() {
            if row.cells.iter().any(|c| !c.trim().is_empty()) {
                result
                    .skipped
                    .push(format!("第 {} 行：没有一级指标或指标名称", row.number));
            }
            continue;
        }
        let number = |index: usize| -> Result<Option<Decimal>, String> {
            crate::number::parse_decimal(&cell(index)).map_err(|_| {
                format!(
                    "第 {} 行：{}“{}”不是数字",
                    row.number,
                    SHEET_COLUMNS[index],
                    cell(index).chars().take(20).collect::<String>()
                )
            })
        };
        let (max_points, score) = match (number(6), number(15)) {
            (Ok(max), Ok(score)) => (max.unwrap_or_default(), score),
            (Err(e), _) | (_, Err(e)) => {
                result.skipped.push(e);
                continue;
            }
        };
        let entry_key = key(&level1, &name);
        if curated.insert(entry_key.clone()) {
            let mark = Mark::from_label(&cell(3));
            let hidden = cell(4) == "是";
            let criteria = Some(cell(5)).filter(|c| !c.is_empty());
            if mark.is_some() || hidden || criteria.is_some() {
                let curation = library.curation_mut(&entry_key);
                curation.mark = mark.or(curation.mark);
                // A sheet hides; it never shows what this library hid.
                curation.hidden |= hidden;
                if criteria.is_some() {
                    curation.criteria = criteria;
                }
                result.curated += 1;
            }
        }
        let path_text = cell(2);
        uses.push(Use {
            // The sheet's 路径 column is text a person may have typed.
            path: if path_text.is_empty() {
                IndicatorPath::new(vec![level1.clone(), name.clone()])
            } else {
                IndicatorPath::parse(&path_text)
            },
            level1,
            name,
            max_points,
            criteria: cell(7),
            rule: None,
            unit: cell(8),
            target: cell(13),
            actual: cell(14),
            score,
            reason: cell(16),
            project: cell(9),
            project_unit: cell(10),
            year: cell(11),
            kind: Some(cell(12))
                .filter(|k| !k.is_empty())
                .unwrap_or_else(|| "专家评价".to_owned()),
            file: path.display().to_string(),
        });
    }
    // The same sheet imported before (by any path to it) is replaced.
    let file = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string();
    library.imported.retain(|u| u.file != file);
    // A use already in this library — from the user's own files or another sheet —
    // is kept once: the same indicator, project, year, kind and figures.
    type Same = (
        IndicatorPath,
        String,
        String,
        String,
        String,
        String,
        Option<Decimal>,
        String,
    );
    let same = |u: &Use| -> Same {
        (
            u.path.clone(),
            u.project.clone(),
            u.year.clone(),
            u.kind.clone(),
            u.target.clone(),
            u.actual.clone(),
            u.score.map(|s| s.normalize()),
            u.reason.clone(),
        )
    };
    let mut known: std::collections::HashSet<Same> = library
        .files
        .iter()
        .flat_map(|f| &f.uses)
        .chain(&library.imported)
        .map(same)
        .collect();
    uses.retain(|u| known.insert(same(u)));
    for item in &mut uses {
        item.file.clone_from(&file);
    }
    result.uses = uses.len();
    library.imported.extend(uses);
    Ok(result)
}

/// A 年度指标值 lower than last year's 实际完成值 of the same indicator in the same
/// project: a common sign of an unambitious target. Each warning names the indicator
/// and both figures. Only figures of the same unit (and both percentages or neither)
/// are compared; a 反向 indicator (≤, 以内, or so marked) is left alone.
pub fn lowered_targets(doc: &Evaluation, library: &Library) -> Vec<String> {
    use crate::model::Direction;
    use crate::number::parse_quantity;
    let Some(year) = year_of(&doc.info.year) else {
        return Vec::new();
    };
    let Some(last) = year.checked_sub(1) else {
        return Vec::new();
    };
    let entries = library.entries();
    let by_key: HashMap<&str, &Entry<'_>> = entries.iter().map(|e| (e.key.as_str(), e)).collect();
    let mut out = Vec::new();
    for leaf in doc.leaves() {
        let Some(target) = parse_quantity(&leaf.scoring.target) else {
            continue;
        };
        let lower = leaf.scoring.direction == Some(Direction::Lower)
            || target.comparator == Some(Direction::Lower);
        if lower {
            continue;
        }
        let path = IndicatorPath::new(
            crate::model::path_names(&doc.indicators, leaf.id).unwrap_or_default(),
        );
        let level1 = path.names().first().map_or("", String::as_str);
        let Some(entry) = by_key.get(key(level1, &leaf.name).as_str()) else {
            continue;
        };
        let last_year = |u: &&&Use| u.project == doc.info.name && year_of(&u.year) == Some(last);
        // The same place in the tree first; the same name under the same 一级 else.
        let Some(before) = entry
            .uses
            .iter()
            .find(|u| last_year(u) && u.path == path)
            .or_else(|| entry.uses.iter().find(|u| last_year(u)))
        else {
            continue;
        };
        let Some(actual) = parse_quantity(&before.actual) else {
            continue;
        };
        if actual.unit != target.unit || actual.is_percent != target.is_percent {
            continue;
        }
        if target.value < actual.value {
            out.push(format!(
                "“{}”的年度指标值 {} 低于上年（{last}年）实际完成值 {}，目标可能偏低",
                shorten(&path.to_string()),
                shorten(leaf.scoring.target.trim()),
                shorten(before.actual.trim())
            ));
        }
    }
    out
}

/// The year in "2023", " 2023 ", "2023年", "2023年度".
fn year_of(text: &str) -> Option<i32> {
    let digits: String = text
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_and_normalising() {
        assert_eq!(initials("满意度"), "myd");
        assert_eq!(initials("服务对象满意度"), "fwdxmyd");
        assert_eq!(initials("PM2.5达标率"), "pm25dbl");
        assert_eq!(normalise(" 预算 执行率 "), "预算执行率");
        assert_eq!(normalise("ＡＢＣ１"), "abc1");
        assert_eq!(year_of(" 2023年度"), Some(2023));
        assert_eq!(year_of("明年"), None);
    }

    #[test]
    fn the_most_common_text_wins_the_first_of_equals() {
        assert_eq!(most_common(["a", "b", "b", "a"].into_iter()), Some("a"));
        assert_eq!(most_common(["a", "b", "b"].into_iter()), Some("b"));
        assert_eq!(most_common(std::iter::empty::<&str>()), None);
    }

    /// A library holding last year's use of 投诉件数 and 完成率 in project 甲.
    fn last_year(actual_count: &str, actual_rate: &str) -> Library {
        let mut doc = Evaluation::default();
        doc.info.name = "甲".into();
        doc.info.year = "2023年".into();
        let mut count = Indicator::leaf(doc.new_id(), "投诉件数", Decimal::TEN);
        count.scoring.actual = actual_count.into();
        let mut rate = Indicator::leaf(doc.new_id(), "完成率", Decimal::TEN);
        rate.scoring.actual = actual_rate.into();
        let id = doc.new_id();
        doc.indicators = vec![Indicator::group(id, "产出", vec![count, rate])];
        Library {
            files: vec![IndexedFile {
                path: "甲2023.ron".into(),
                modified: 0,
                size: 0,
                uses: uses_of(&doc, "甲2023.ron"),
                error: None,
            }],
            ..Library::default()
        }
    }

    fn this_year(count_target: &str, rate_target: &str) -> Evaluation {
        let mut doc = Evaluation::default();
        doc.info.name = "甲".into();
        doc.info.year = " 2024 ".into();
        let mut count = Indicator::leaf(doc.new_id(), "投诉件数", Decimal::TEN);
        count.scoring.target = count_target.into();
        let mut rate = Indicator::leaf(doc.new_id(), "完成率", Decimal::TEN);
        rate.scoring.target = rate_target.into();
        let id = doc.new_id();
        doc.indicators = vec![Indicator::group(id, "产出", vec![count, rate])];
        doc
    }

    #[test]
    fn a_lowered_target_is_flagged_only_in_the_same_unit_and_direction() {
        let library = last_year("12件", "95%");
        // ≤ 件数 is a 反向 target: fewer is more ambitious, nothing to flag.
        assert_eq!(
            lowered_targets(&this_year("≤10件", "≥90%"), &library),
            ["“产出 / 完成率”的年度指标值 ≥90% 低于上年（2023年）实际完成值 95%，目标可能偏低"]
        );
        // 以内 is 反向 too; 96% is not lower; a count against a percentage is not compared.
        assert!(lowered_targets(&this_year("10件以内", "≥96%"), &library).is_empty());
        assert!(lowered_targets(&this_year("10件以内", "90"), &library).is_empty());
    }
}
