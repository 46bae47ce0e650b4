//! Every integration test in one binary: one link of the program and its window instead
//! of thirteen, which was most of CI's time. Each module is one former test file.

// Test helpers may unwrap; see [lints] in Cargo.toml.
#![allow(clippy::unwrap_used)]

mod common;

mod blank_sheet;
mod cli;
mod decimals;
mod evidence;
mod export;
mod import_correction;
mod import_layouts;
mod import_recognition;
mod keyboard;
mod library;
mod oracle;
mod overview;
mod panel_ids;
mod panel_trip;
mod panel_window;
mod properties;
mod rectify;
mod reliability;
mod robustness;
mod ruleset;
mod self_assessment;
mod self_form;
mod verdict;
mod window;
