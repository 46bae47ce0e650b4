//! Inputs that once crashed, hung or misled jixiao (found by fuzzing; see
//! tests/data/reliability/), each kept here with what the user must get instead.

use std::fs;
use std::path::{Path, PathBuf};

use jixiao::model::NodeId;
use jixiao::storage::{self, StorageError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/reliability")
        .join(name)
}

fn ids(doc: &jixiao::model::Evaluation) -> Vec<NodeId> {
    let mut ids = Vec::new();
    doc.visit(&mut |node, _| ids.push(node.id));
    ids
}

#[test]
fn an_id_at_the_end_of_the_range_is_renumbered_once_and_then_stays() {
    let first = storage::load(&fixture("min_id_overflow.ron")).expect("the file opens");
    let first_ids = ids(&first);
    assert_eq!(first_ids.len(), 2);
    assert_ne!(first_ids[0], first_ids[1]);
    assert!(first_ids.iter().all(|id| id.0 != 0 && id.0 < u64::MAX));

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("评价.ron");
    storage::save(&first, &path).expect("saves");
    let second = storage::load(&path).expect("reopens");
    storage::save(&second, &path).expect("saves again");
    let third = storage::load(&path).expect("reopens again");
    assert_eq!(ids(&second), first_ids);
    assert_eq!(ids(&third), first_ids);
    assert!(third.next_id > first_ids.iter().map(|id| id.0).max().unwrap_or(0));
}

#[test]
fn a_tree_deeper_than_four_levels_is_refused_with_the_indicator_named() {
    let path = fixture("min_deep6.ron");
    let before = fs::read(&path).expect("fixture");
    let err = storage::load(&path).expect_err("six levels are refused");
    assert!(matches!(err, StorageError::Limit { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("指标“五”在第 5 级"), "{message}");
    assert!(message.contains("最多只能到四级指标"), "{message}");
    assert_eq!(fs::read(&path).expect("fixture"), before, "file untouched");
}
