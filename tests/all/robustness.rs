//! Figures no real table has — the largest and smallest decimals, zero weights, zero
//! budgets — go through every computation, export and view without a panic.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use eframe::egui;
use jixiao::app::{JixiaoApp, Settings, View};
use jixiao::export;
use jixiao::model::{Evaluation, Indicator};
use jixiao::panel;
use jixiao::rules::{apply_rules, presets};
use jixiao::scoring::summarize;
use jixiao::validate::validate;
use rust_decimal::Decimal;

fn absurd() -> Evaluation {
    let mut doc = Evaluation::default();
    let figures = [
        (Decimal::MAX, Some(Decimal::MAX)),
        (Decimal::MAX, Some(Decimal::MIN)),
        (Decimal::MIN, Some(Decimal::MAX)),
        (Decimal::ZERO, Some(Decimal::ZERO)),
        (Decimal::new(1, 28), Some(Decimal::MAX)),
        (Decimal::MAX, None),
    ];
    let mut leaves = Vec::new();
    for (index, (max, score)) in figures.into_iter().enumerate() {
        let values = [
            (
                "≥79228162514264337593543950335个",
                "-79228162514264337593543950335个",
            ),
            ("1个", "-79228162514264337593543950335个"),
            ("-1%", "100%"),
            ("0", "0"),
            (
                "≤0.0000000000000000000000000001元",
                "79228162514264337593543950335元",
            ),
        ];
        for (rule_index, (_, rule)) in presets().into_iter().enumerate() {
            for (target, actual) in values {
                let id = doc.new_id();
                let mut leaf = Indicator::leaf(id, format!("指标{index}-{rule_index}"), max);
                leaf.scoring.score = score;
                leaf.scoring.target = target.into();
                leaf.scoring.actual = actual.into();
                leaf.scoring.rule = Some(rule.clone());
                leaves.push(leaf);
            }
        }
    }
    let id = doc.new_id();
    doc.indicators = vec![Indicator::group(id, "产出", leaves)];
    doc.self_assessment.current_year.full_year_budget = Some(Decimal::new(1, 28));
    doc.self_assessment.current_year.executed = Some(Decimal::MAX);
    doc.self_assessment.carried_over.executed = Some(Decimal::MAX);
    doc
}

#[test]
fn absurd_figures_pass_through_everything_without_a_panic() {
    let mut doc = absurd();
    apply_rules(&mut doc);
    let summary = summarize(&doc);
    let problems = validate(&doc, &summary);
    assert!(!problems.is_empty());

    assert!(export::xlsx_bytes(&doc).is_ok());
    assert!(export::docx_bytes(&doc).is_ok());
    assert!(!export::markdown_report(&doc).is_empty());
    assert!(!export::csv_text(&doc).is_empty());
    assert!(!export::clipboard_text(&doc).is_empty());

    let expert = |name: &str, evaluation: Evaluation| panel::Expert {
        name: name.to_owned(),
        source: String::new(),
        evaluation,
    };
    // The second expert disagrees as far as decimals go.
    let mut opposite = doc.clone();
    let ids: Vec<_> = opposite.leaves().iter().map(|l| l.id).collect();
    for id in ids {
        if let Some(leaf) = opposite.find_mut(id) {
            leaf.scoring.score = Some(Decimal::MIN);
        }
    }
    // Below 0 is no score an expert could give: the merge refuses it, by name.
    let refused = panel::merge(
        vec![expert("甲", doc.clone()), expert("乙", opposite)],
        panel::Method::Mean,
        panel::default_threshold(),
        None,
    );
    assert!(
        matches!(refused, Err(panel::PanelError::OutOfRange { .. })),
        "{refused:?}"
    );
    // Within range, the extreme figures go through the merge and its statistics.
    let mut in_range = doc.clone();
    for leaf in in_range.leaves_mut() {
        let max = leaf.max_points;
        leaf.scoring.score = leaf
            .scoring
            .score
            .filter(|_| max >= Decimal::ZERO)
            .map(|s| s.clamp(Decimal::ZERO, max));
    }
    let mut low = in_range.clone();
    for leaf in low.leaves_mut() {
        leaf.scoring.score = leaf.scoring.score.map(|_| Decimal::ZERO);
    }
    let merged = panel::merge(
        vec![expert("甲", in_range), expert("乙", low)],
        panel::Method::Mean,
        panel::default_threshold(),
        None,
    )
    .unwrap();
    assert_eq!(panel::rows(&merged).len(), doc.leaves().len());
    let _ = panel::divergent(&merged);
    let _ = panel::statistics(&merged);

    // Every view of the window, one headless frame each.
    let ctx = egui::Context::default();
    let mut app = JixiaoApp::with_settings(Settings {
        recovery_dir: None,
        autosave_every: Duration::from_secs(3600),
        system_fonts: false,
        open_wait: Duration::from_secs(60),
        library: None,
        layouts: None,
    });
    for (document, views) in [
        (doc.clone(), &[View::Table, View::Form, View::Charts][..]),
        (merged, &[View::Panel][..]),
    ] {
        app.load_document(document, None, "极端");
        for view in views {
            app.set_view(*view);
            for _ in 0..2 {
                let input = egui::RawInput {
                    screen_rect: Some(egui::Rect::from_min_size(
                        egui::Pos2::ZERO,
                        egui::vec2(1280.0, 800.0),
                    )),
                    ..Default::default()
                };
                let mut output = ctx.run_ui(input, |ui| app.frame_ui(ui));
                // No renderer here to take the font atlas.
                output.textures_delta.clear();
            }
        }
    }
}
