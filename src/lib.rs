//! jixiao (绩效): scoring of government project performance evaluations.
//!
//! The domain — the document model, scoring, validation, storage, import and the
//! command line — never touches the window, so all of it is tested without one. The
//! window is `app` and `ui`, a view over the same core.

pub mod app;
pub mod cli;
pub mod command;
pub mod evidence;
pub mod export;
pub mod import;
pub mod library;
pub mod model;
pub mod number;
pub mod open;
pub mod overview;
pub mod panel;
pub mod recovery;
pub mod rectify;
pub mod rules;
pub mod ruleset;
pub mod scoring;
pub mod storage;
pub mod submission;
pub mod templates;
pub mod ui;
pub mod validate;
