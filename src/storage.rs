//! Documents on disk: versioned, human-readable RON, saved atomically.
//!
//! A save writes a temporary file beside the target, syncs it and renames it over the
//! target, keeping the previous version as `<name>.bak`; a failed save leaves the old
//! file as it was. Loading never changes the file it reads.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Evaluation, MAX_DEPTH, MAX_INDICATORS, MAX_TEXT_CHARS, NodeId, shorten};

/// What every jixiao file says it is.
const FORMAT_NAME: &str = "jixiao";
/// The format version this program writes. Older versions are migrated on load.
///
/// Version 2 adds an expert file's assignment, seal and history, the 一票否决 mark and a
/// panel's agreed figures. A version-1 program would drop those silently and save the
/// file without them, so it is told the file is newer instead.
///
/// Version 3 names the indicators of a panel's agreed figures and 一票否决 by id instead
/// of by their joined names, so that two siblings of one name are two indicators. A
/// version-2 program would fail on the ids with a syntax error; it is told the file is
/// newer instead.
pub const FORMAT_VERSION: u32 = 3;

/// Why a document could not be read or written. Every message is a Chinese sentence
/// naming the file.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("无法读取文件“{path}”：{reason}")]
    Read { path: PathBuf, reason: String },
    #[error("文件“{path}”第 {line} 行第 {column} 列有误：{reason}。文件未作任何改动")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("文件“{path}”不是 jixiao 评价文件（.ron）。表格请用“导入表格”打开")]
    Foreign { path: PathBuf },
    #[error(
        "文件“{path}”由较新版本的 jixiao 保存（文件格式第 {found} 版，本程序只能读到第 {supported} 版），请升级 jixiao 后再打开"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("文件“{path}”超出 jixiao 能处理的范围：{reason}。文件未作任何改动")]
    Limit { path: PathBuf, reason: String },
    #[error("无法保存到“{path}”：{reason}。原文件未被改动")]
    Write { path: PathBuf, reason: String },
}

/// The file as written: a header naming the format and its version, then the document.
/// A field beside them that this program does not know is an error too.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBody<T> {
    format: String,
    version: u32,
    evaluation: T,
}

/// Only the header, read first so a newer or foreign file is refused before its body is.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

/// The document as RON text, exactly as [`save`] writes it.
pub fn to_ron(doc: &Evaluation) -> Result<String, ron::Error> {
    let body = FileBody {
        format: FORMAT_NAME.to_owned(),
        version: FORMAT_VERSION,
        evaluation: doc,
    };
    let config = ron::ser::PrettyConfig::new()
        .escape_strings(false)
        .struct_names(false)
        .indentor("  ");
    let mut text = ron::Options::default().to_string_pretty(&body, config)?;
    text.push('\n');
    Ok(text)
}

/// Reads a document from RON text; `path` is only used in messages.
///
/// The text is parsed once, as the whole file; only when that fails is the header read
/// alone, so that a newer or foreign file is named as such rather than by the first
/// thing its body does differently. (Reading the header first parsed every file twice.)
pub fn from_ron(text: &str, path: &Path) -> Result<Evaluation, StorageError> {
    let options = ron::Options::default();
    let body: FileBody<Evaluation> = match options.from_str(text) {
        Ok(body) => body,
        Err(err) => {
            let header: Header = options
                .from_str(text)
                .map_err(|err| header_error(err, path))?;
            check_header(&header, path)?;
            return Err(syntax_error(err, path));
        }
    };
    check_header(
        &Header {
            format: body.format.clone(),
            version: body.version,
        },
        path,
    )?;
    let mut doc = body.evaluation;
    doc.fold_legacy_fields();
    check_limits(&doc).map_err(|reason| StorageError::Limit {
        path: path.to_owned(),
        reason,
    })?;
    // The migrations name indicators by id: ids first.
    doc.repair_ids();
    if body.version < 2 {
        migrate_from_1(&mut doc);
    }
    if body.version < 3 {
        migrate_paths_to_ids(&mut doc);
    }
    Ok(doc)
}

/// Version 1 kept a panel's agreed figures only in its leaves, so a re-merge overwrote
/// them: a leaf whose 得分 or 扣分理由 is not what the experts' files give was agreed
/// by the panel, and becomes an agreed entry that every later merge keeps.
fn migrate_from_1(doc: &mut Evaluation) {
    let Some(panel) = &doc.panel else { return };
    let mut agreed = Vec::new();
    for leaf in doc.leaves() {
        let score = leaf
            .scoring
            .score
            .filter(|s| Some(*s) != panel.computed_score(doc, leaf.id));
        let reason = &leaf.scoring.reason;
        let opinion = (*reason != panel.version_1_reason(doc, leaf.id)).then(|| reason.clone());
        if score.is_some() || opinion.is_some() {
            agreed.push(crate::model::panel::Agreed {
                id: leaf.id,
                path: None,
                score,
                opinion,
            });
        }
    }
    if let Some(panel) = &mut doc.panel {
        panel.agreed = agreed;
    }
}

/// Version 2 named a panel's agreed figures and 一票否决 by the indicator's path. Each
/// becomes the id of the leaf at that path — of every leaf there, where siblings shared
/// a name and so shared the figure — so that every figure stays what it was. An entry
/// whose path the panel no longer has counted for nothing and is dropped.
fn migrate_paths_to_ids(doc: &mut Evaluation) {
    let mut ids_at: std::collections::HashMap<String, Vec<NodeId>> =
        std::collections::HashMap::new();
    for (path, leaf) in doc.leaf_paths() {
        ids_at.entry(path.to_string()).or_default().push(leaf.id);
    }
    let Some(panel) = &mut doc.panel else { return };
    let mut agreed = Vec::with_capacity(panel.agreed.len());
    for entry in std::mem::take(&mut panel.agreed) {
        let Some(path) = &entry.path else {
            agreed.push(entry);
            continue;
        };
        for id in ids_at.get(path).into_iter().flatten() {
            agreed.push(crate::model::panel::Agreed {
                id: *id,
                path: None,
                ..entry.clone()
            });
        }
    }
    panel.agreed = agreed;
    for path in std::mem::take(&mut panel.vetoed_paths) {
        panel
            .vetoed
            .extend(ids_at.get(&path).into_iter().flatten().copied());
    }
}

/// A document that every view, export and the panel can take: at most four levels, at
/// most [`MAX_INDICATORS`] indicators, no text longer than [`MAX_TEXT_CHARS`]. The
/// reason names the first indicator that is over a limit.
pub fn check_limits(doc: &Evaluation) -> Result<(), String> {
    let mut count = 0usize;
    let mut first_problem = None;
    doc.visit(&mut |node, depth| {
        count += 1;
        if first_problem.is_some() {
            return;
        }
        // (Shortened only for a message: this runs on every indicator of every load.)
        let name = || shorten(&node.name);
        if depth > MAX_DEPTH {
            first_problem = Some(format!(
                "指标“{}”在第 {depth} 级，最多只能到四级指标",
                name()
            ));
            return;
        }
        let scoring = &node.scoring;
        let texts = [
            ("指标名称", node.name.as_str()),
            ("评分标准", &node.criteria),
            ("扣分理由", &scoring.reason),
            ("年度指标值", &scoring.target),
            ("实际完成值", &scoring.actual),
            ("偏差原因分析及改进措施", &scoring.deviation),
            ("计量单位", &scoring.unit),
            (
                "手工改分理由",
                scoring.manual_reason.as_deref().unwrap_or_default(),
            ),
        ];
        // A text of at most MAX_TEXT_CHARS bytes has at most as many characters.
        if let Some((label, text)) = texts
            .iter()
            .find(|(_, text)| text.len() > MAX_TEXT_CHARS && text.chars().count() > MAX_TEXT_CHARS)
        {
            first_problem = Some(format!(
                "指标“{}”的{label}有 {} 个字，最多 {MAX_TEXT_CHARS} 个字",
                name(),
                text.chars().count()
            ));
        }
    });
    if count > MAX_INDICATORS {
        return Err(format!(
            "共有 {count} 个指标，一份评价最多 {MAX_INDICATORS} 个"
        ));
    }
    first_problem.map_or(Ok(()), Err)
}

/// A file of another program, or of a newer jixiao, is refused by its header.
fn check_header(header: &Header, path: &Path) -> Result<(), StorageError> {
    if header.format != FORMAT_NAME {
        return Err(StorageError::Foreign {
            path: path.to_owned(),
        });
    }
    if header.version > FORMAT_VERSION {
        return Err(StorageError::TooNew {
            path: path.to_owned(),
            found: header.version,
            supported: FORMAT_VERSION,
        });
    }
    Ok(())
}

/// Loads a document from a `.ron` file.
pub fn load(path: &Path) -> Result<Evaluation, StorageError> {
    let bytes = fs::read(path).map_err(|err| StorageError::Read {
        path: path.to_owned(),
        reason: io_reason(&err),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| StorageError::Foreign {
        path: path.to_owned(),
    })?;
    from_ron(text.trim_start_matches('\u{feff}'), path)
}

/// Saves atomically: the target is either the old file or the complete new one, never
/// a half-written mix. The old file is kept as `<name>.bak`.
pub fn save(doc: &Evaluation, path: &Path) -> Result<(), StorageError> {
    let write_error = |reason: String| StorageError::Write {
        path: path.to_owned(),
        reason,
    };
    let text = to_ron(doc).map_err(|err| write_error(format!("无法生成文件内容（{err}）")))?;
    replace_file(path, text.as_bytes(), true).map_err(write_error)
}

/// Writes `bytes` to `path` through a temporary file beside it, synced, then renamed over
/// the target, so the target is either the old file or the whole new one. The new file
/// gets the old one's permissions, or the ordinary ones for a new file (a temporary file
/// alone would be readable by its owner only). With `keep_backup`, the old file becomes
/// `<name>.bak` by a rename too, so a crash at any instant leaves a complete file and a
/// complete backup. Temporary files that a killed save of the same file left behind are
/// removed. The error is a Chinese reason.
pub(crate) fn replace_file(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), String> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let old = fs::metadata(path).ok();
    if let Some(old) = &old
        && old.permissions().readonly()
    {
        return Err("文件是只读的".to_owned());
    }
    let prefix = temp_prefix(path);
    remove_stale_temps(dir, &prefix);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(|err| io_reason(&err))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|err| io_reason(&err))?;
    if let Some(old) = old {
        // Keeping the old file's permissions is a courtesy; the save does not depend on it.
        let _ = temp.as_file().set_permissions(old.permissions());
        if keep_backup && old.is_file() {
            keep_as_backup(path, dir, &prefix)
                .map_err(|err| format!("无法保留备份（{}）", io_reason(&err)))?;
        }
    }
    temp.persist(path).map_err(|err| io_reason(&err.error))?;
    Ok(())
}

/// `.jixiao-评价.ron-`: the start of every temporary file a save of `path` makes, so the
/// next save of the same file knows which leftovers are its own.
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let short: String = name.chars().take(60).collect();
    format!(".jixiao-{short}-")
}

/// Removes what a killed save of the same file left: its temporary copies.
fn remove_stale_temps(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(".tmp") {
            // A leftover that cannot be removed does no harm; the save goes on.
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Makes the current `path` the backup: a hard link (or, where the disk has none, a
/// synced copy) under a temporary name, renamed over `<name>.bak`. The old backup stays
/// whole until the rename replaces it in one step.
fn keep_as_backup(path: &Path, dir: &Path, prefix: &str) -> io::Result<()> {
    let staged = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .make_in(dir, |staged| {
            fs::hard_link(path, staged).or_else(|err| {
                if err.kind() == io::ErrorKind::AlreadyExists {
                    // make_in tries another name.
                    return Err(err);
                }
                fs::copy(path, staged)?;
                fs::File::open(staged)?.sync_all()
            })
        })?;
    staged
        .persist(backup_path(path))
        .map(|_| ())
        .map_err(|err| err.error)
}

/// Where [`save`] keeps the previous version: `评价.ron` → `评价.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// An I/O failure as a short Chinese reason.
pub fn io_reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "文件或文件夹不存在".to_owned(),
        io::ErrorKind::PermissionDenied => "没有权限".to_owned(),
        io::ErrorKind::StorageFull => "磁盘已满".to_owned(),
        io::ErrorKind::ReadOnlyFilesystem => "磁盘为只读".to_owned(),
        io::ErrorKind::IsADirectory => "这是一个文件夹，不是文件".to_owned(),
        _ => format!("系统报告：{err}"),
    }
}

fn header_error(err: ron::error::SpannedError, path: &Path) -> StorageError {
    use ron::Error as E;
    match err.code {
        E::MissingStructField { .. }
        | E::ExpectedStructLike
        | E::ExpectedNamedStructLike(_)
        | E::ExpectedDifferentStructName { .. }
        | E::InvalidValueForType { .. } => StorageError::Foreign {
            path: path.to_owned(),
        },
        _ => syntax_error(err, path),
    }
}

fn syntax_error(err: ron::error::SpannedError, path: &Path) -> StorageError {
    StorageError::Syntax {
        path: path.to_owned(),
        line: err.span.start.line,
        column: err.span.start.col,
        reason: ron_reason(&err.code),
    }
}

/// RON's complaints in Chinese. None of the parser's English reaches the user, and no
/// message echoes the file's text beyond a short name.
pub(crate) fn ron_reason(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "文件意外结束，可能只保存了一部分".to_owned(),
        E::ExpectedComma => "缺少逗号".to_owned(),
        E::ExpectedArrayEnd => "缺少“]”".to_owned(),
        E::ExpectedStructLikeEnd => "缺少“)”".to_owned(),
        E::ExpectedMapEnd => "缺少“}”".to_owned(),
        E::ExpectedString | E::ExpectedStringEnd => "这里应是带引号的文字".to_owned(),
        E::ExceededRecursionLimit => "层级嵌套过深，不是有效的指标体系".to_owned(),
        E::TrailingCharacters => "文件末尾有多余的内容".to_owned(),
        E::UnexpectedChar(c) => format!("出现了不应有的字符“{c}”"),
        E::MissingStructField { field, .. } => format!("缺少“{}”项", shorten(field)),
        E::NoSuchStructField { found, .. } => format!("不认识的项“{}”", shorten(found)),
        E::DuplicateStructField { field, .. } => format!("“{}”项重复", shorten(field)),
        E::NoSuchEnumVariant { found, .. } => format!("不认识的取值“{}”", shorten(found)),
        E::IntegerOutOfBounds => "数字超出范围".to_owned(),
        E::ExpectedInteger | E::ExpectedFloat => "这里应是数字".to_owned(),
        E::ExpectedBoolean => "这里应是 true 或 false".to_owned(),
        E::ExpectedOption => "这里应是 Some(…) 或 None".to_owned(),
        E::ExpectedIdentifier => "这里应是一个项名".to_owned(),
        E::InvalidEscape(_) => "文字中的转义写法不对".to_owned(),
        E::Utf8Error(_) => "文字编码不是 UTF-8".to_owned(),
        // rust_decimal refuses "一点八六" through serde's invalid_value, or in its own
        // words.
        E::Message(about)
        | E::InvalidValueForType {
            expected: about, ..
        } if about.contains("decimal") || about.contains("Decimal") => {
            "数字写法不对（应写成带引号的数字，如 \"7.66\"）".to_owned()
        }
        _ => "格式不对".to_owned(),
    }
}

/// The user's data folder for jixiao, as the window's own settings use it:
/// `$XDG_DATA_HOME/jixiao` or `~/.local/share/jixiao`, `%APPDATA%\jixiao\data`,
/// `~/Library/Application Support/jixiao`.
pub fn data_dir() -> Option<PathBuf> {
    use std::env::var_os;
    if cfg!(windows) {
        return var_os("APPDATA").map(|p| PathBuf::from(p).join("jixiao").join("data"));
    }
    let home = std::env::home_dir();
    if cfg!(target_os = "macos") {
        return home.map(|p| p.join("Library/Application Support/jixiao"));
    }
    var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|p| p.join(".local").join("share")))
        .map(|p| p.join("jixiao"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Indicator, NodeId};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn sample() -> Evaluation {
        let mut leaf =
            Indicator::leaf(NodeId(2), "立项依据充分性", Decimal::from_str("2").unwrap());
        leaf.scoring.score = Some(Decimal::from_str("1.86").unwrap());
        leaf.scoring.reason = "政府购买服务边界不够清晰".into();
        let mut doc = Evaluation {
            indicators: vec![Indicator::group(NodeId(1), "决策", vec![leaf])],
            next_id: 3,
            ..Evaluation::default()
        };
        doc.info.name = "2022年永乐店镇困难群众精准帮扶".into();
        doc
    }

    #[test]
    fn writes_readable_chinese_and_exact_decimals() {
        let text = to_ron(&sample()).unwrap();
        assert!(text.contains("format: \"jixiao\""), "{text}");
        assert!(text.contains("version: 3"), "{text}");
        assert!(text.contains("name: \"立项依据充分性\""), "{text}");
        assert!(text.contains("score: Some(\"1.86\")"), "{text}");
    }

    #[test]
    fn save_and_load_give_back_the_same_document_and_keep_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("评价.ron");
        let first = sample();
        save(&first, &path).unwrap();
        assert_eq!(load(&path).unwrap(), first);

        let mut second = sample();
        second.info.name = "改过的名称".into();
        save(&second, &path).unwrap();
        assert_eq!(load(&path).unwrap(), second);
        assert_eq!(load(&backup_path(&path)).unwrap(), first);
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_save_keeps_the_files_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("评价.ron");
        save(&sample(), &path).unwrap();
        // Not the owner-only mode of a bare temporary file.
        let fresh = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(fresh, 0o666 & !current_umask(), "{fresh:o}");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        save(&sample(), &path).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    /// The process's umask, read from what it does to a new file.
    #[cfg(unix)]
    fn current_umask() -> u32 {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("probe");
        fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o666)
            .open(&probe)
            .unwrap();
        0o666 & !(fs::metadata(&probe).unwrap().permissions().mode() & 0o777)
    }

    #[test]
    fn a_failed_save_leaves_the_old_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let missing_dir = dir.path().join("不存在的文件夹").join("评价.ron");
        let err = save(&sample(), &missing_dir).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "无法保存到“{}”：文件或文件夹不存在。原文件未被改动",
                missing_dir.display()
            )
        );
    }

    #[test]
    fn damaged_file_names_line_and_column_and_is_not_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("坏.ron");
        let mut text = to_ron(&sample()).unwrap();
        text = text.replacen("name: \"立项依据充分性\",", "name: \"立项依据充分性\"", 1);
        fs::write(&path, &text).unwrap();
        let err = load(&path).unwrap_err();
        let StorageError::Syntax { line, .. } = &err else {
            panic!("expected a syntax error, got {err}");
        };
        let expected_line = text
            .lines()
            .position(|l| l.contains("立项依据充分性"))
            .unwrap()
            + 2;
        assert_eq!(*line, expected_line);
        assert!(err.to_string().contains("缺少逗号"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn truncated_file_says_so() {
        let text = to_ron(&sample()).unwrap();
        let err = from_ron(&text[..text.len() / 2], Path::new("半.ron")).unwrap_err();
        assert!(err.to_string().contains("文件意外结束"), "{err}");
    }

    #[test]
    fn newer_format_is_refused() {
        let text = to_ron(&sample())
            .unwrap()
            .replace("version: 3", "version: 7");
        let err = from_ron(&text, Path::new("新.ron")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "文件“新.ron”由较新版本的 jixiao 保存（文件格式第 7 版，本程序只能读到第 3 版），请升级 jixiao 后再打开"
        );
    }

    /// Issue 26 (W5): a misspelt or newer field on the evaluation, an indicator's
    /// scoring or the 自评 block is an error on its line; the next save would drop it.
    #[test]
    fn an_unknown_field_anywhere_in_a_document_is_refused_with_its_line() {
        let mut doc = sample();
        doc.self_assessment.project_leader = "张三".into();
        let text = to_ron(&doc).unwrap();
        for (after, field) in [
            (
                "reason: \"政府购买服务边界不够清晰\",",
                "direciton: Some(Lower),",
            ),
            (
                "reason: \"政府购买服务边界不够清晰\",",
                "manual_reasn: Some(\"核实\"),",
            ),
            ("project_leader: \"张三\",", "score_caps: [],"),
            ("project_leader: \"张三\",", "rule_sets: \"某县\","),
            ("next_id: 3,", "rate_basis: \"全年预算数\","),
        ] {
            assert!(text.contains(after), "{text}");
            let changed = text.replacen(after, &format!("{after}\n{field}"), 1);
            let line = changed.lines().position(|l| l == field).unwrap() + 1;
            let name = field.split(':').next().unwrap();
            let err = from_ron(&changed, Path::new("评价.ron")).unwrap_err();
            assert!(
                err.to_string().starts_with(&format!(
                    "文件“评价.ron”第 {line} 行第 1 列有误：不认识的项“{name}”"
                )),
                "{err}"
            );
        }
        // The same field in a file of a newer version: the version is named.
        let newer = text.replace("version: 3", "version: 4").replacen(
            "next_id: 3,",
            "next_id: 3,\nrate_basis: \"x\",",
            1,
        );
        let err = from_ron(&newer, Path::new("新.ron")).unwrap_err();
        assert!(
            err.to_string()
                .contains("文件格式第 4 版，本程序只能读到第 3 版"),
            "{err}"
        );
    }

    #[test]
    fn foreign_files_are_refused() {
        for text in [
            "一级指标,二级指标,分值,得分\n决策,,10,7",
            "(name: \"x\")",
            "\u{0}\u{1}",
        ] {
            let err = from_ron(text, Path::new("表.csv")).unwrap_err();
            assert!(
                matches!(
                    err,
                    StorageError::Foreign { .. } | StorageError::Syntax { .. }
                ),
                "{err}"
            );
        }
        let err = from_ron("(format: \"other\", version: 1)", Path::new("x.ron")).unwrap_err();
        assert!(matches!(err, StorageError::Foreign { .. }), "{err}");
    }

    #[test]
    fn text_where_a_number_belongs_is_explained() {
        let text = to_ron(&sample())
            .unwrap()
            .replace("\"1.86\"", "\"一点八六\"");
        let err = from_ron(&text, Path::new("x.ron")).unwrap_err();
        assert!(matches!(err, StorageError::Syntax { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("数字写法不对（应写成带引号的数字，如 \"7.66\"）"),
            "{err}"
        );
    }

    #[test]
    fn a_thousand_levels_of_nesting_is_refused_without_a_crash() {
        let mut text = String::from("(format: \"jixiao\", version: 1, evaluation: (indicators: [");
        for i in 0..1000 {
            text.push_str(&format!("(id: {i}, name: \"n\", children: ["));
        }
        for _ in 0..1000 {
            text.push_str("])");
        }
        text.push_str("]))");
        let err = from_ron(&text, Path::new("深.ron")).unwrap_err();
        assert!(err.to_string().contains("层级嵌套过深"), "{err}");
    }

    #[test]
    fn duplicate_ids_from_a_hand_edited_file_are_made_unique() {
        let text = to_ron(&sample()).unwrap().replace("id: (2)", "id: (1)");
        let doc = from_ron(&text, Path::new("x.ron")).unwrap();
        let mut ids = Vec::new();
        doc.visit(&mut |node, _| ids.push(node.id));
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], ids[1]);
        assert!(doc.next_id > ids[1].0);
    }

    fn file_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_backup_is_replaced_whole_and_leftovers_of_a_killed_save_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("评价.ron");
        let first = sample();
        save(&first, &path).unwrap();
        let mut second = sample();
        second.info.name = "第二版".into();
        save(&second, &path).unwrap();
        // What a save killed before its rename leaves behind, and a stranger's file.
        fs::write(
            dir.path().join(".jixiao-评价.ron-a1B2c3.tmp"),
            "(format: \"jix",
        )
        .unwrap();
        fs::write(dir.path().join(".jixiao-其他.ron-zzz.tmp"), "x").unwrap();
        let mut third = sample();
        third.info.name = "第三版".into();
        save(&third, &path).unwrap();

        assert_eq!(load(&path).unwrap(), third);
        assert_eq!(load(&backup_path(&path)).unwrap(), second);
        assert_eq!(
            file_names(dir.path()),
            vec![".jixiao-其他.ron-zzz.tmp", "评价.ron", "评价.ron.bak"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("评价.ron");
        save(&sample(), &path).unwrap();
        let before = fs::read(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let mut changed = sample();
        changed.info.name = "改过".into();
        let err = save(&changed, &path).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "无法保存到“{}”：文件是只读的。原文件未被改动",
                path.display()
            )
        );
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn text_up_to_the_limit_opens_and_beyond_it_is_refused_naming_the_indicator() {
        let mut doc = sample();
        doc.indicators[0].children[0].scoring.reason = "字".repeat(MAX_TEXT_CHARS);
        let text = to_ron(&doc).unwrap();
        assert_eq!(from_ron(&text, Path::new("x.ron")).unwrap(), doc);

        doc.indicators[0].children[0].scoring.reason = "字".repeat(MAX_TEXT_CHARS + 1);
        let text = to_ron(&doc).unwrap();
        let err = from_ron(&text, Path::new("x.ron")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "文件“x.ron”超出 jixiao 能处理的范围：指标“立项依据充分性”的扣分理由有 10001 个字，\
             最多 10000 个字。文件未作任何改动"
        );
    }

    #[test]
    fn more_indicators_than_the_limit_are_refused() {
        let mut doc = sample();
        let leaves: Vec<Indicator> = (0..=MAX_INDICATORS as u64)
            .map(|i| Indicator::leaf(NodeId(i + 10), "项", Decimal::ZERO))
            .collect();
        doc.indicators = vec![Indicator::group(NodeId(1), "全部", leaves)];
        let text = to_ron(&doc).unwrap();
        let err = from_ron(&text, Path::new("大.ron")).unwrap_err();
        assert!(
            err.to_string().contains(&format!(
                "共有 {} 个指标，一份评价最多 100000 个",
                MAX_INDICATORS + 2
            )),
            "{err}"
        );
    }

    #[test]
    fn parser_complaints_are_chinese_and_never_echo_the_file() {
        let huge = "长".repeat(100_000);
        let cases = [
            to_ron(&sample())
                .unwrap()
                .replace("id: (2)", "id: (99999999999999999999999999)"),
            to_ron(&sample())
                .unwrap()
                .replace("\"1.86\"", &format!("\"{huge}\"")),
            to_ron(&sample())
                .unwrap()
                .replace("name: \"立项依据充分性\"", "name: 12"),
            to_ron(&sample())
                .unwrap()
                .replace("score: Some(", "score: Sm("),
        ];
        for text in cases {
            assert_ne!(text, to_ron(&sample()).unwrap(), "the case changed nothing");
            let err = from_ron(&text, Path::new("x.ron")).unwrap_err();
            let message = err.to_string();
            assert!(message.chars().count() < 120, "{message}");
            let mut rest = message.clone();
            for known in ["x.ron", "jixiao", "Some", "None", "true", "false", "UTF"] {
                rest = rest.replace(known, "");
            }
            assert!(
                !rest.chars().any(|c| c.is_ascii_alphabetic()),
                "English in: {message}"
            );
        }
    }
}
