//! Scoring, validating, saving and loading a 10,000-leaf document.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao::command::{Edit, Editor};
use jixiao::model::{Evaluation, Indicator};
use jixiao::panel;
use jixiao::scoring::summarize;
use jixiao::storage;
use jixiao::validate::validate;
use rust_decimal::Decimal;

/// 4 一级 × 10 二级 × 25 三级 × 10 四级 = 10,000 leaves, each scored.
fn big_document() -> Evaluation {
    let mut doc = Evaluation::default();
    let mut level1 = Vec::new();
    for a in 0..4 {
        let mut level2 = Vec::new();
        for b in 0..10 {
            let mut level3 = Vec::new();
            for c in 0..25 {
                let mut level4 = Vec::new();
                for e in 0..10 {
                    let id = doc.new_id();
                    let mut leaf = Indicator::leaf(id, format!("四级指标{e}"), Decimal::new(1, 2));
                    leaf.scoring.score = Some(Decimal::new(((a + b + c + e) % 2) as i64, 2));
                    leaf.scoring.reason = "资料不全".into();
                    level4.push(leaf);
                }
                let id = doc.new_id();
                level3.push(Indicator::group(id, format!("三级指标{c}"), level4));
            }
            let id = doc.new_id();
            level2.push(Indicator::group(id, format!("二级指标{b}"), level3));
        }
        let id = doc.new_id();
        level1.push(Indicator::group(
            id,
            ["决策", "过程", "产出", "效益"][a],
            level2,
        ));
    }
    doc.indicators = level1;
    doc
}

fn benches(c: &mut Criterion) {
    let experts: Vec<panel::Expert> = (0..7)
        .map(|i| {
            let mut evaluation = common::document(10, 50, i);
            evaluation.info.evaluator = format!("专家{}", i + 1);
            jixiao::submission::submit(&mut evaluation, "2026-11-28 10:00:00")
                .expect("every leaf scored, with a reason");
            panel::Expert {
                name: format!("专家{}", i + 1),
                source: String::new(),
                evaluation,
            }
        })
        .collect();
    c.bench_function(
        "panel: merge 7 experts of 2,000 leaves, trimmed, with divergence",
        |b| {
            b.iter(|| {
                let doc = panel::merge(
                    black_box(experts.clone()),
                    panel::Method::TrimmedMean,
                    panel::default_threshold(),
                    None,
                )
                .expect("same trees");
                panel::divergent(&doc).len()
            })
        },
    );
    // What the 专家组 view, `panel --json` and the 专家评分汇总表 compute: the merge,
    // then every seal checked, leniency, outliers, spread, agreement, 得分率 per 一级.
    c.bench_function(
        "panel: merge 7 sealed experts of 2,000 leaves, trimmed, with statistics",
        |b| {
            b.iter(|| {
                let doc = panel::merge(
                    black_box(experts.clone()),
                    panel::Method::BySize,
                    panel::default_threshold(),
                    None,
                )
                .expect("same trees");
                let stats = panel::statistics(&doc);
                assert!(
                    stats
                        .experts
                        .iter()
                        .all(|e| e.seal == jixiao::submission::SealStatus::Ok)
                );
                stats.agreement()
            })
        },
    );

    let doc = big_document();
    assert_eq!(doc.leaves().len(), 10_000);
    c.bench_function("summarize 10k leaves", |b| {
        b.iter(|| summarize(black_box(&doc)))
    });
    c.bench_function("summarize + validate 10k leaves", |b| {
        b.iter(|| {
            let summary = summarize(black_box(&doc));
            validate(&doc, &summary)
        })
    });
    let two_thousand = common::document(10, 50, 3);
    c.bench_function("export 2,000 leaves to xlsx", |b| {
        b.iter(|| jixiao::export::xlsx_bytes(black_box(&two_thousand)).expect("xlsx"))
    });
    c.bench_function("export 2,000 leaves to docx", |b| {
        b.iter(|| jixiao::export::docx_bytes(black_box(&two_thousand)).expect("docx"))
    });

    let leaf = doc.leaves()[5000].id;
    let mut editor = Editor::new(doc.clone());
    let mut score = 0i64;
    c.bench_function(
        "type one score: apply, undo snapshot, totals, problems (10k leaves)",
        |b| {
            b.iter(|| {
                score = (score + 1) % 2;
                editor.seal();
                editor
                    .apply(Edit::SetScore {
                        id: leaf,
                        score: Some(Decimal::new(score, 2)),
                    })
                    .expect("a valid score")
            })
        },
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("big.ron");
    c.bench_function("save 10k leaves (RON, atomic)", |b| {
        b.iter(|| storage::save(black_box(&doc), &path).expect("saved"))
    });
    c.bench_function("load 10k leaves (RON)", |b| {
        b.iter(|| storage::load(black_box(&path)).expect("loaded"))
    });
}

criterion_group! {
    name = core;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(core);
