//! One headless frame of the window (layout and tessellation) with a 2,000-leaf
//! document open, the cost a user pays on every keystroke.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui;
use jixiao::app::{JixiaoApp, Settings};
use jixiao::model::Evaluation;
use jixiao::ui::install_fonts;
use rust_decimal::Decimal;

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    }
}

/// Times one frame of the window with `doc` open.
fn bench_document(c: &mut Criterion, name: &str, doc: Evaluation) {
    let ctx = egui::Context::default();
    install_fonts(&ctx, false);
    let mut app = JixiaoApp::with_settings(Settings {
        recovery_dir: None,
        autosave_every: Duration::from_secs(3600),
        system_fonts: false,
        open_wait: Duration::from_secs(60),
        library: None,
        layouts: None,
    });
    app.load_document(doc, None, "大表");
    assert_eq!(app.editor().summary().totals.applicable_leaves, 2000);
    // Warm up: fonts and glyph atlas are built on the first frames.
    for _ in 0..3 {
        let mut output = ctx.run_ui(input(), |ui| app.frame_ui(ui));
        output.textures_delta.clear();
        ctx.tessellate(output.shapes, output.pixels_per_point);
    }
    c.bench_function(name, |b| {
        b.iter(|| {
            let mut output = ctx.run_ui(input(), |ui| app.frame_ui(ui));
            output.textures_delta.clear();
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
        })
    });
}

fn frame(c: &mut Criterion) {
    bench_document(
        c,
        "one frame, 2,000 leaves (layout + tessellation)",
        common::document(10, 50, 0),
    );
    // Every leaf lost points and says nowhere why: 2,000 problems in the side panel.
    let mut unexplained = common::document(10, 50, 0);
    for group in unexplained
        .indicators
        .iter_mut()
        .flat_map(|g| &mut g.children)
    {
        for leaf in &mut group.children {
            leaf.scoring.reason.clear();
            leaf.scoring.score = Some(Decimal::new(1, 2));
        }
    }
    bench_document(c, "one frame, 2,000 leaves and 2,000 problems", unexplained);
}

criterion_group! {
    name = window;
    config = Criterion::default().sample_size(30);
    targets = frame
}
criterion_main!(window);
