//! Recovery copies: while a window has unsaved changes, its document is written every so
//! often to the user's data folder, so a crash or a kill loses at most that interval.
//!
//! Each running window has its own copy, named by a session id, and holds a lock on a
//! file of the same name for as long as it runs. At start, a copy whose lock can be taken
//! belongs to a window that is gone: that is the one to offer. Two windows open at once
//! never see, offer or delete each other's copy.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::model::Evaluation;
use crate::storage::{self, io_reason};

const PREFIX: &str = "恢复副本-";

/// This window's recovery copy, and the lock that says the window is alive.
#[derive(Debug)]
pub struct Recovery {
    dir: PathBuf,
    session: String,
    /// Held for the window's life; the operating system releases it if the process dies.
    lock: Option<File>,
}

/// A copy left by a window that is gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphan {
    pub copy: PathBuf,
    /// The file the document was opened from, if it had one.
    pub origin: Option<PathBuf>,
    pub modified: Option<SystemTime>,
}

impl Recovery {
    /// Recovery in `dir` for a new window. Failing to create the folder or the lock only
    /// means no copies will be written; the window still works.
    pub fn new(dir: PathBuf) -> Self {
        let session = format!(
            "{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        );
        let lock = fs::create_dir_all(&dir)
            .ok()
            .and_then(|()| File::create(dir.join(format!("{PREFIX}{session}.lock"))).ok())
            .filter(|file| file.try_lock().is_ok());
        Self { dir, session, lock }
    }

    fn own(&self, extension: &str) -> PathBuf {
        self.dir
            .join(format!("{PREFIX}{}.{extension}", self.session))
    }

    /// Writes the copy (atomically, as any save) and where the document came from.
    pub fn write(&self, doc: &Evaluation, origin: Option<&Path>) -> Result<(), String> {
        fs::create_dir_all(&self.dir).map_err(|e| io_reason(&e))?;
        storage::save(doc, &self.own("ron")).map_err(|e| e.to_string())?;
        let origin = origin.map(|p| p.display().to_string()).unwrap_or_default();
        fs::write(self.own("txt"), origin).map_err(|e| io_reason(&e))
    }

    /// Removes this window's copy (saved, or the changes given up).
    pub fn remove_own(&self) {
        // The lock stays: this window is still alive.
        remove_copy(&self.own("ron"), false);
    }

    /// Copies left by windows that are gone, newest first.
    pub fn orphans(&self) -> Vec<Orphan> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            // A lock with no copy is left by a window that was killed while saved: tidy it.
            if let Some(session) = name
                .strip_prefix(PREFIX)
                .and_then(|n| n.strip_suffix(".lock"))
                && session != self.session
                && !path.with_extension("ron").exists()
                && owner_is_gone(&self.dir, session)
            {
                let _ = fs::remove_file(&path);
                continue;
            }
            let Some(session) = name
                .strip_prefix(PREFIX)
                .and_then(|n| n.strip_suffix(".ron"))
            else {
                continue;
            };
            if session == self.session || !owner_is_gone(&self.dir, session) {
                continue;
            }
            let origin = fs::read_to_string(path.with_extension("txt"))
                .ok()
                .map(|text| PathBuf::from(text.trim()))
                .filter(|p| is_document_path(p));
            found.push(Orphan {
                modified: entry.metadata().and_then(|m| m.modified()).ok(),
                copy: path,
                origin,
            });
        }
        found.sort_by_key(|orphan| std::cmp::Reverse(orphan.modified));
        found
    }

    /// Reads an orphaned copy back and removes it.
    pub fn take(&self, orphan: &Orphan) -> Result<Evaluation, String> {
        let doc = storage::load(&orphan.copy).map_err(|e| e.to_string())?;
        remove_copy(&orphan.copy, true);
        Ok(doc)
    }

    /// Gives up an orphaned copy.
    pub fn discard(&self, orphan: &Orphan) {
        remove_copy(&orphan.copy, true);
    }
}

impl Drop for Recovery {
    fn drop(&mut self) {
        // A window closing normally leaves nothing behind but a copy it still needs.
        if !self.own("ron").exists() {
            self.lock = None;
            let _ = fs::remove_file(self.own("lock"));
        }
    }
}

/// Whether the window that wrote `session` is gone: its lock can be taken.
fn owner_is_gone(dir: &Path, session: &str) -> bool {
    let lock = dir.join(format!("{PREFIX}{session}.lock"));
    match File::options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock)
    {
        Ok(file) => file.try_lock().is_ok(),
        // Without a lock file to ask, offer the copy rather than lose it.
        Err(_) => true,
    }
}

/// Removes a copy with its origin note and backup, and the lock of a window that is gone.
/// Missing files are fine.
fn remove_copy(copy: &Path, with_lock: bool) {
    let mut paths = vec![
        copy.to_owned(),
        copy.with_extension("txt"),
        storage::backup_path(copy),
    ];
    if with_lock {
        paths.push(copy.with_extension("lock"));
    }
    for path in paths {
        let _ = fs::remove_file(path);
    }
}

/// Whether a path read from the recovery folder may become the restored document's
/// path, where Ctrl+S will write: a jixiao document (.ron) in a folder that exists. Any
/// other text (a damaged or planted note pointing at a system file) restores the copy
/// as unsaved work without a path, so it is saved only where the user then chooses.
fn is_document_path(path: &Path) -> bool {
    path.is_absolute()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
        && path.parent().is_some_and(Path::is_dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates;

    #[test]
    fn a_copy_is_offered_only_once_its_window_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let doc = templates::load("project").unwrap();
        let first = Recovery::new(dir.path().to_owned());
        first.write(&doc, Some(Path::new("/tmp/评价.ron"))).unwrap();

        // A second window open at the same time does not see the first one's copy.
        let second = Recovery::new(dir.path().to_owned());
        assert_eq!(second.orphans(), vec![]);

        drop(first); // the first window dies with unsaved changes
        let orphans = second.orphans();
        assert_eq!(orphans.len(), 1);
        assert_eq!(
            orphans[0].origin.as_deref(),
            Some(Path::new("/tmp/评价.ron"))
        );
        assert_eq!(second.take(&orphans[0]).unwrap(), doc);
        assert_eq!(second.orphans(), vec![]);
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 1, "only the second window's lock: {left:?}");
    }

    #[test]
    fn a_note_pointing_anywhere_but_a_document_restores_the_copy_without_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let doc = templates::load("project").unwrap();
        for planted in ["/etc/passwd", "/没有这个文件夹/评价.ron", "相对/评价.ron"] {
            let window = Recovery::new(dir.path().to_owned());
            window.write(&doc, Some(Path::new(planted))).unwrap();
            drop(window);
            let next = Recovery::new(dir.path().to_owned());
            let orphans = next.orphans();
            assert_eq!(orphans.len(), 1, "{planted}");
            assert_eq!(orphans[0].origin, None, "{planted}");
            assert_eq!(next.take(&orphans[0]).unwrap(), doc);
        }
    }

    #[test]
    fn locks_left_by_killed_windows_with_nothing_to_recover_are_tidied() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(format!("{PREFIX}1-2.lock")), "").unwrap();
        let recovery = Recovery::new(dir.path().to_owned());
        assert_eq!(recovery.orphans(), vec![]);
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [format!("{PREFIX}{}.lock", recovery.session)]);
    }

    #[test]
    fn a_window_that_saved_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let recovery = Recovery::new(dir.path().to_owned());
        recovery
            .write(&templates::load("project").unwrap(), None)
            .unwrap();
        recovery.remove_own();
        drop(recovery);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
