//! Importing a 2,000-leaf scoring table from an .xlsx workbook, as a user opens one.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    let doc = common::document(10, 50, 3);
    let bytes = jixiao::export::xlsx_bytes(&doc).expect("xlsx");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("评分表.xlsx");
    std::fs::write(&path, bytes).expect("written");
    assert_eq!(
        jixiao::import::import_file(&path)
            .expect("imported")
            .leaves()
            .len(),
        2_000
    );
    c.bench_function("import 2,000 leaves from xlsx", |b| {
        b.iter(|| jixiao::import::import_file(black_box(&path)).expect("imported"))
    });
}

criterion_group! {
    name = import;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(import);
