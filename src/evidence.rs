//! 佐证材料: attaching files to indicators and checking them. A file is copied into the
//! `佐证材料` folder beside the document (never referred to outside it) and known by its
//! SHA-256 and size; a missing or changed file is named by `check`.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::{EVIDENCE_FOLDER, Evaluation, Evidence, NodeId, shorten};

/// Why a file cannot be attached, or found.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("找不到这个指标，可能已被删除")]
    NoIndicator,
    #[error("“{0}”有下级指标，佐证材料请附在下级指标上")]
    Group(String),
    #[error("无法读取“{file}”：{reason}")]
    Read { file: String, reason: String },
    #[error("“{0}”不是文件（文件夹不能作为佐证材料）")]
    NotAFile(String),
    #[error("“{0}”是一个链接：佐证材料须是文件本身")]
    Link(String),
    #[error("佐证材料“{0}”不在文档旁的“佐证材料”文件夹中，不予读取")]
    Outside(String),
    #[error("无法把“{file}”复制到“佐证材料”文件夹：{reason}")]
    Copy { file: String, reason: String },
}

/// The evidence folder of the document saved at `document`.
pub fn folder(document: &Path) -> PathBuf {
    document
        .parent()
        .unwrap_or(Path::new(""))
        .join(EVIDENCE_FOLDER)
}

/// Where the evidence file named `file` is, refusing any name that would leave the
/// folder: `..`, an absolute path, a drive letter, a link.
pub fn locate(document: &Path, file: &str) -> Result<PathBuf, EvidenceError> {
    let relative = Path::new(file);
    let plain = !file.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err(EvidenceError::Outside(shorten(file)));
    }
    let path = folder(document).join(relative);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(EvidenceError::Link(shorten(file))),
        _ => Ok(path),
    }
}

/// SHA-256 (hex) and size of the file at `path`, read in pieces.
pub fn fingerprint(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        size += read as u64;
    }
    let hex = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((hex, size))
}

/// The next 附件编号 of leaf `id`: its 一级's letter (决策 A, 过程 B …), its place among
/// the leaves under that 一级, and one more than the highest number it has.
pub fn next_number(doc: &Evaluation, id: NodeId) -> Option<String> {
    for (index, root) in doc.indicators.iter().enumerate() {
        let place = root.leaves().iter().position(|leaf| leaf.id == id);
        let Some(place) = place else {
            continue;
        };
        let letter = letter(index);
        let prefix = format!("{letter}{}-", place + 1);
        let leaf = doc.find(id)?;
        let last = leaf
            .evidence
            .iter()
            .filter_map(|e| e.number.strip_prefix(&prefix)?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        return Some(format!("{prefix}{}", last + 1));
    }
    None
}

/// A, B, … Z, then AA, AB …: the letter of the `index`-th 一级.
fn letter(index: usize) -> String {
    let mut n = index;
    let mut out = String::new();
    loop {
        out.insert(0, char::from(b'A' + (n % 26) as u8));
        if n < 26 {
            return out;
        }
        n = n / 26 - 1;
    }
}

/// Copies `source` into the evidence folder of `document` (a file already there is
/// used in place; a different file of the same name is kept, the new one named
/// `名称（2）.pdf`) and describes it for leaf `id`, numbered. The document itself is
/// not changed: the caller applies the edit `AddEvidence` of the command module.
pub fn attach(
    doc: &Evaluation,
    document: &Path,
    id: NodeId,
    source: &Path,
    page: Option<u32>,
    note: &str,
) -> Result<Evidence, EvidenceError> {
    let leaf = doc.find(id).ok_or(EvidenceError::NoIndicator)?;
    if !leaf.is_leaf() {
        return Err(EvidenceError::Group(shorten(&leaf.name)));
    }
    let shown = shorten(&source.display().to_string());
    let meta = std::fs::symlink_metadata(source).map_err(|e| EvidenceError::Read {
        file: shown.clone(),
        reason: crate::storage::io_reason(&e),
    })?;
    if meta.file_type().is_symlink() {
        return Err(EvidenceError::Link(shown));
    }
    if !meta.is_file() {
        return Err(EvidenceError::NotAFile(shown));
    }
    let (sha256, size) = fingerprint(source).map_err(|e| EvidenceError::Read {
        file: shown.clone(),
        reason: crate::storage::io_reason(&e),
    })?;
    let file = place(document, source, &sha256).map_err(|reason| EvidenceError::Copy {
        file: shown,
        reason,
    })?;
    let number = next_number(doc, id).ok_or(EvidenceError::NoIndicator)?;
    Ok(Evidence {
        number,
        file,
        sha256,
        size,
        page,
        note: note.trim().to_owned(),
    })
}

/// The name `source` has in the evidence folder, copying it there unless it is there
/// already (the same file, or a file of the same name and content).
fn place(document: &Path, source: &Path, sha256: &str) -> Result<String, String> {
    let folder = folder(document);
    if let (Ok(inside), Ok(dir)) = (source.canonicalize(), folder.canonicalize())
        && let Ok(rest) = inside.strip_prefix(&dir)
        && let Some(name) = rest.to_str()
    {
        return Ok(name.replace('\\', "/"));
    }
    let name = source
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("文件名无法识别")?;
    std::fs::create_dir_all(&folder).map_err(|e| crate::storage::io_reason(&e))?;
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    for n in 1..1000 {
        let candidate = if n == 1 {
            name.to_owned()
        } else {
            format!("{stem}（{n}）{extension}")
        };
        let target = folder.join(&candidate);
        match fingerprint(&target) {
            Ok((existing, _)) if existing == sha256 => return Ok(candidate),
            Ok(_) => continue,
            Err(_) if target.exists() => continue,
            Err(_) => {
                std::fs::copy(source, &target).map_err(|e| crate::storage::io_reason(&e))?;
                return Ok(candidate);
            }
        }
    }
    Err("同名文件过多".to_owned())
}

/// Copies every file the evidence of `doc` (saved at `from`) names into the evidence
/// folder beside `to`, checking each is as attached: what the experts of a panel
/// receive with the files prepared for them. Returns how many files were copied.
pub fn copy_all(doc: &Evaluation, from: &Path, to: &Path) -> Result<usize, EvidenceError> {
    let (source_folder, target_folder) = (folder(from), folder(to));
    if source_folder.canonicalize().ok() == target_folder.canonicalize().ok()
        && source_folder.exists()
    {
        return Ok(0);
    }
    if let Some(problem) = check(doc, from).into_iter().next() {
        return Err(EvidenceError::Read {
            file: shorten(&problem.file),
            reason: format!("{}（{}）", problem.problem, problem.number),
        });
    }
    let mut copied = 0;
    for leaf in doc.leaves() {
        for item in &leaf.evidence {
            let source = locate(from, &item.file)?;
            let target = locate(to, &item.file)?;
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|e| EvidenceError::Copy {
                    file: shorten(&item.file),
                    reason: crate::storage::io_reason(&e),
                })?;
            }
            std::fs::copy(&source, &target).map_err(|e| EvidenceError::Copy {
                file: shorten(&item.file),
                reason: crate::storage::io_reason(&e),
            })?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// One piece of evidence that is not as attached.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EvidenceProblem {
    pub number: String,
    /// The indicator's path.
    pub indicator: String,
    pub file: String,
    /// 缺失, 已改动 or 不在文件夹中.
    pub problem: &'static str,
}

impl EvidenceProblem {
    /// `A1-1 立项依据.pdf（决策 / 项目立项 / 立项依据充分性）已改动`.
    pub fn describe(&self) -> String {
        format!(
            "{} {}（{}）{}",
            self.number,
            shorten(&self.file),
            self.indicator,
            self.problem
        )
    }
}

/// Every attached file that is missing, changed since it was attached (its SHA-256
/// differs), or named outside the evidence folder.
pub fn check(doc: &Evaluation, document: &Path) -> Vec<EvidenceProblem> {
    let mut out = Vec::new();
    for (path, leaf) in doc.leaf_paths() {
        for item in &leaf.evidence {
            let problem = match locate(document, &item.file) {
                Err(_) => "不在佐证材料文件夹中",
                Ok(file) => match fingerprint(&file) {
                    Err(_) => "缺失",
                    Ok((sha256, size)) if sha256 != item.sha256 || size != item.size => "已改动",
                    Ok(_) => continue,
                },
            };
            out.push(EvidenceProblem {
                number: item.number.clone(),
                indicator: path.to_string(),
                file: item.file.clone(),
                problem,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_go_on_past_z() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(3), "D");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
    }

    #[test]
    fn a_name_leaving_the_folder_is_refused() {
        let document = Path::new("/tmp/项目/评价.ron");
        for bad in ["../评价.ron", "/etc/passwd", "a/../../b", "", "C:\\x.pdf"] {
            let refused = locate(document, bad);
            // A drive letter is a plain name on Linux, so only the others are refused here.
            if bad == "C:\\x.pdf" && !cfg!(windows) {
                continue;
            }
            assert_eq!(
                refused,
                Err(EvidenceError::Outside(bad.to_owned())),
                "{bad}"
            );
        }
        assert_eq!(
            locate(document, "合同/服务合同.pdf").unwrap(),
            Path::new("/tmp/项目/佐证材料/合同/服务合同.pdf")
        );
    }
}
