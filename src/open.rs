//! Opening whatever file a user points at: a jixiao document or a table to import.

use std::path::Path;

use crate::import::{self, ImportError, ImportReport};
use crate::model::Evaluation;
use crate::storage::{self, StorageError};

/// Why a file could not be opened; the message is the Chinese sentence of the cause.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Import(#[from] ImportError),
}

/// A document opened from a file; `report` says what was recognized when it was a table.
pub struct Opened {
    pub doc: Evaluation,
    pub report: Option<ImportReport>,
}

/// Opens `.ron` as a document and `.csv`/`.xlsx`/`.xls`/`.ods`/`.docx` by importing it.
/// Computed scores are brought up to date, so the command line and the window agree.
pub fn open(path: &Path) -> Result<Evaluation, OpenError> {
    open_with(path, &import::Options::default()).map(|opened| opened.doc)
}

/// [`open`], choosing the sheet of a workbook and keeping the import's report.
pub fn open_with(path: &Path, options: &import::Options) -> Result<Opened, OpenError> {
    let (mut doc, report) = if import::is_table(path) {
        let mut imported = import::import_with(path, options)?;
        // The unit's printed figures stand, checked against the rules of their set.
        crate::rules::attach_implied_rules(&mut imported.doc);
        (imported.doc, Some(imported.report))
    } else {
        (storage::load(path)?, None)
    };
    crate::rules::apply_rules(&mut doc);
    Ok(Opened { doc, report })
}
