//! Opening whatever file a user points at: a jixiao document or a table to import.

use std::path::Path;

use crate::import::{self, ImportError};
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

/// Opens `.ron` as a document and `.csv`/`.xlsx`/`.xls`/`.ods` by importing it.
/// Computed scores are brought up to date, so the command line and the window agree.
pub fn open(path: &Path) -> Result<Evaluation, OpenError> {
    let mut doc = if import::is_table(path) {
        import::import_file(path)?
    } else {
        storage::load(path)?
    };
    crate::rules::apply_rules(&mut doc);
    Ok(doc)
}
