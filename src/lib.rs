//! jixiao (绩效): scoring of government project performance evaluations.
//!
//! The domain — the document model, scoring, validation, storage, import and the
//! command line — lives here and never touches the window, so all of it is tested
//! without one.

pub mod cli;
pub mod command;
pub mod import;
pub mod model;
pub mod open;
pub mod scoring;
pub mod storage;
pub mod templates;
pub mod validate;
