//! One headless frame of the window (layout and tessellation) with a 2,000-leaf
//! document open, the cost a user pays on every keystroke.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui;
use jixiao::app::{JixiaoApp, Settings};
use jixiao::model::{Evaluation, Indicator};
use jixiao::ui::install_fonts;
use rust_decimal::Decimal;

/// 4 一级 × 10 二级 × 50 三级 = 2,000 scored leaves.
fn document() -> Evaluation {
    let mut doc = Evaluation::default();
    let mut roots = Vec::new();
    for (a, name) in ["决策", "过程", "产出", "效益"].into_iter().enumerate() {
        let mut groups = Vec::new();
        for b in 0..10 {
            let mut leaves = Vec::new();
            for c in 0..50 {
                let id = doc.new_id();
                let mut leaf =
                    Indicator::leaf(id, format!("三级指标{a}-{b}-{c}"), Decimal::new(5, 2));
                leaf.scoring.score = Some(Decimal::new(4, 2));
                leaf.scoring.reason = "资料不全，扣分".into();
                leaf.criteria = "评价要点：是否按计划完成".into();
                leaves.push(leaf);
            }
            let id = doc.new_id();
            groups.push(Indicator::group(id, format!("二级指标{b}"), leaves));
        }
        let id = doc.new_id();
        roots.push(Indicator::group(id, name, groups));
    }
    doc.indicators = roots;
    doc
}

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    }
}

fn frame(c: &mut Criterion) {
    let ctx = egui::Context::default();
    install_fonts(&ctx, false);
    let mut app = JixiaoApp::with_settings(Settings {
        recovery_dir: None,
        autosave_every: Duration::from_secs(3600),
        system_fonts: false,
    });
    app.load_document(document(), None, "大表");
    assert_eq!(app.editor().summary().totals.applicable_leaves, 2000);
    // Warm up: fonts and glyph atlas are built on the first frames.
    for _ in 0..3 {
        let output = ctx.run_ui(input(), |ui| app.frame_ui(ui));
        ctx.tessellate(output.shapes, output.pixels_per_point);
    }
    c.bench_function("one frame, 2,000 leaves (layout + tessellation)", |b| {
        b.iter(|| {
            let output = ctx.run_ui(input(), |ui| app.frame_ui(ui));
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
        })
    });
}

criterion_group! {
    name = window;
    config = Criterion::default().sample_size(30);
    targets = frame
}
criterion_main!(window);
