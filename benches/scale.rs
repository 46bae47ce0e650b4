//! The sizes of issue 14: a 10,000-leaf document scored from a workbook and from its RON
//! file, in process and as `jixiao score` (a workbook is then read by the worker process,
//! its rows read as a table as they come), both reports exported, and the largest tables
//! a CSV import takes or refuses. (Memory is in the note: `/usr/bin/time -v`.)

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

mod common;

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao::scoring::summarize;
use jixiao::validate::validate;

/// What `jixiao score` does after reading: the totals and the problems.
fn score(doc: &jixiao::model::Evaluation) -> usize {
    let summary = summarize(doc);
    validate(doc, &summary).len()
}

/// A CSV of `leaves` rows in the published layout.
fn csv_of(leaves: usize) -> String {
    let mut text = String::from("一级指标,二级指标,三级指标,评分标准,分值,得分,扣分理由\n");
    for i in 0..leaves {
        text.push_str(&format!(
            "组{},小组{},指标{i},评价要点：是否按计划完成,0.001,0.0008,资料不全，扣分\n",
            i / 10_000,
            i / 100
        ));
    }
    text
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let doc = common::document(50, 50, 1);
    assert_eq!(doc.leaves().len(), 10_000);

    let xlsx = dir.path().join("一万项.xlsx");
    std::fs::write(&xlsx, jixiao::export::xlsx_bytes(&doc).unwrap()).unwrap();
    c.bench_function(
        "score 10,000 leaves from .xlsx (read, import, totals, problems)",
        |b| b.iter(|| score(&jixiao::import::import_file(black_box(&xlsx)).unwrap())),
    );

    let ron = dir.path().join("一万项.ron");
    jixiao::storage::save(&doc, &ron).unwrap();
    c.bench_function(
        "score 10,000 leaves from .ron (load, totals, problems)",
        |b| b.iter(|| score(&jixiao::storage::load(black_box(&ron)).unwrap())),
    );

    // The command as a user runs it, from the start of the process to its last line.
    for (name, file) in [
        ("jixiao score of the 10,000-leaf .xlsx (the command)", &xlsx),
        ("jixiao score of the 10,000-leaf .ron (the command)", &ron),
    ] {
        assert!(command_score(file).contains("综合得分"));
        c.bench_function(name, |b| b.iter(|| command_score(black_box(file))));
    }

    let out = dir.path().join("报告");
    c.bench_function("export 10,000 leaves to .xlsx and .docx", |b| {
        b.iter(|| {
            jixiao::export::write_xlsx(black_box(&doc), &out.with_extension("xlsx")).unwrap();
            jixiao::export::write_docx(black_box(&doc), &out.with_extension("docx")).unwrap();
        })
    });

    let near_limit = dir.path().join("九万八千行.csv");
    std::fs::write(&near_limit, csv_of(98_000)).unwrap();
    c.bench_function("import a 98,000-row CSV (the most a document holds)", |b| {
        b.iter(|| jixiao::import::import_file(black_box(&near_limit)).unwrap())
    });

    // A season: 500 documents of 100 leaves each (issue 12: an overview in ≤ 1 s).
    let season = dir.path().join("年度");
    std::fs::create_dir_all(&season).unwrap();
    for n in 0..500 {
        let mut project = common::document(5, 5, n);
        project.info.name = format!("项目{n}");
        project.info.year = "2023".to_owned();
        jixiao::storage::save(&project, &season.join(format!("项目{n}.ron"))).unwrap();
    }
    let never = std::sync::atomic::AtomicBool::new(false);
    c.bench_function("overview of 500 documents of 100 leaves", |b| {
        b.iter(|| {
            let files = jixiao::overview::files_in(std::slice::from_ref(&season));
            jixiao::overview::collect(&files, &mut |_, _, _| {}, &never)
        })
    });

    // Issue 13: the 指标库 indexes the same season in ≤ 2 s from scratch, and rescans it
    // unchanged (load the library file, stat every file, save) in ≤ 200 ms.
    let library_file = dir.path().join("指标库.json");
    c.bench_function("library: index 500 documents from scratch", |b| {
        b.iter(|| {
            let mut library = jixiao::library::Library::default();
            library.add_folders(std::slice::from_ref(&season));
            library.update(&mut |_, _| {});
            library.save(&library_file).unwrap();
        })
    });
    let mut library = jixiao::library::Library::default();
    library.add_folders(std::slice::from_ref(&season));
    library.update(&mut |_, _| {});
    library.save(&library_file).unwrap();
    c.bench_function("library: rescan 500 unchanged documents", |b| {
        b.iter(|| {
            let mut library = jixiao::library::Library::load(&library_file).unwrap();
            let update = library.update(&mut |_, _| {});
            assert!(!update.changed());
        })
    });
    let library = jixiao::library::Library::load(&library_file).unwrap();
    c.bench_function("library: search 50,000 uses by pinyin initials", |b| {
        b.iter(|| {
            library
                .search(black_box("sjzb"), &jixiao::library::Filter::default())
                .len()
        })
    });

    let huge = dir.path().join("一百万行.csv");
    std::fs::write(&huge, csv_of(1_000_000)).unwrap();
    refused(&huge);
    c.bench_function("refuse a 1,000,000-row CSV", |b| {
        b.iter(|| jixiao::import::import_file(black_box(&huge)).is_err())
    });
}

/// What `jixiao score FILE` prints.
fn command_score(file: &Path) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("score")
        .arg(file)
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn refused(path: &Path) {
    let message = jixiao::import::import_file(path).unwrap_err().to_string();
    assert!(message.contains("一份评价最多 100000 个指标"), "{message}");
}

criterion_group! {
    name = scale;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(scale);
