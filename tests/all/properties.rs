//! Properties that must hold for every indicator tree, over generated trees.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use jixiao::model::{Evaluation, Indicator, NodeId, RatingScale};
use jixiao::number::round2;
use jixiao::scoring::summarize;
use jixiao::storage;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Points with two decimals, 0.00 ..= 20.00.
fn points() -> impl Strategy<Value = Decimal> {
    (0i64..=2000).prop_map(|cents| Decimal::new(cents, 2))
}

/// A leaf whose score, when present, lies within its 分值.
fn leaf() -> impl Strategy<Value = Indicator> {
    (
        points(),
        proptest::option::of(0u32..=100),
        any::<bool>(),
        "[一-龥]{1,6}",
    )
        .prop_map(|(max, share, not_applicable, name)| {
            let mut leaf = Indicator::leaf(NodeId(0), name, max);
            leaf.scoring.score = share.map(|s| round2(max * Decimal::new(i64::from(s), 2)));
            leaf.scoring.not_applicable = not_applicable && share.is_none();
            leaf.scoring.reason = if share == Some(100) {
                String::new()
            } else {
                "扣分".into()
            };
            leaf
        })
}

/// Up to four levels, as the national framework allows.
fn tree() -> impl Strategy<Value = Vec<Indicator>> {
    let node = leaf().prop_recursive(3, 64, 5, |inner| {
        (prop::collection::vec(inner, 1..5), "[一-龥]{1,6}")
            .prop_map(|(children, name)| Indicator::group(NodeId(0), name, children))
    });
    prop::collection::vec(node, 1..5)
}

fn document(indicators: Vec<Indicator>) -> Evaluation {
    let mut doc = Evaluation {
        indicators,
        ..Evaluation::default()
    };
    doc.repair_ids();
    doc
}

fn reverse_siblings(nodes: &mut Vec<Indicator>) {
    nodes.reverse();
    for node in nodes {
        reverse_siblings(&mut node.children);
    }
}

proptest! {
    #[test]
    fn ron_round_trip_is_identity(indicators in tree()) {
        let doc = document(indicators);
        let text = storage::to_ron(&doc).unwrap();
        prop_assert_eq!(storage::from_ron(&text, Path::new("x.ron")).unwrap(), doc);
    }

    #[test]
    fn total_is_the_sum_of_the_scored_applicable_leaves(indicators in tree()) {
        let doc = document(indicators);
        let expected: Decimal = doc
            .leaves()
            .iter()
            .filter(|l| !l.scoring.not_applicable)
            .filter_map(|l| l.scoring.score)
            .sum();
        let summary = summarize(&doc);
        prop_assert_eq!(summary.total(), expected);
        let groups: Decimal = summary.groups.iter().map(|g| g.totals.score).sum();
        prop_assert_eq!(groups, expected);
    }

    #[test]
    fn total_lies_between_zero_and_the_maximum(indicators in tree()) {
        let summary = summarize(&document(indicators));
        prop_assert!(summary.total() >= Decimal::ZERO);
        prop_assert!(summary.total() <= summary.totals.max_points);
    }

    #[test]
    fn sibling_order_does_not_change_the_total(indicators in tree()) {
        let doc = document(indicators);
        let mut reversed = doc.clone();
        reverse_siblings(&mut reversed.indicators);
        let (a, b) = (summarize(&doc), summarize(&reversed));
        prop_assert_eq!(a.totals, b.totals);
        prop_assert_eq!(a.rating, b.rating);
    }

    #[test]
    fn rating_is_monotone_in_the_total(a in 0i64..=10000, b in 0i64..=10000) {
        let (low, high) = (Decimal::new(a.min(b), 2), Decimal::new(a.max(b), 2));
        let scale = RatingScale::default();
        prop_assert!(scale.rate(low) <= scale.rate(high));
    }

    #[test]
    fn rating_of_a_full_table_follows_its_rounded_total(cents in 0i64..=100_000) {
        // One leaf worth 100 with a score of three decimals.
        let score = Decimal::new(cents, 3);
        let mut leaf = Indicator::leaf(NodeId(1), "指标", Decimal::ONE_HUNDRED);
        leaf.scoring.score = Some(score);
        let summary = summarize(&document(vec![leaf]));
        let shown = round2(score);
        let expected = if shown >= Decimal::from(90) {
            "优"
        } else if shown >= Decimal::from(80) {
            "良"
        } else if shown >= Decimal::from(60) {
            "中"
        } else {
            "差"
        };
        prop_assert_eq!(summary.rating.label(), expected);
    }
}

/// The lines of a saved document where a struct's field is written with a plain value
/// (`name: "决策",`): a field added after one of them sits in that struct.
fn field_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let trimmed = line.trim_start();
            let Some((name, value)) = trimmed.split_once(": ") else {
                return false;
            };
            name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && value.ends_with(',')
                && !value.starts_with(['(', '['])
        })
        .map(|(index, _)| index)
        .collect()
}

/// A 自评 document over `indicators`, so its header and budget block are written too.
fn self_assessment(indicators: Vec<Indicator>) -> Evaluation {
    let mut doc = document(indicators);
    doc.info.kind = jixiao::model::EvaluationKind::SelfAssessment;
    doc.info.name = "项目".into();
    doc.self_assessment.project_leader = "张三".into();
    doc.self_assessment.current_year.full_year_budget = Some(Decimal::from(100));
    doc
}

proptest! {
    /// Issue 26 (W5): a field the program does not know, anywhere in a document, is
    /// refused with its line; in a file of a newer version, the version is named.
    #[test]
    fn any_unknown_field_is_refused_with_its_line(
        indicators in tree(),
        pick in any::<prop::sample::Index>(),
        newer in 4u32..=99,
    ) {
        let text = storage::to_ron(&self_assessment(indicators)).unwrap();
        let candidates = field_lines(&text);
        let after = candidates[pick.index(candidates.len())];
        let mut lines: Vec<&str> = text.lines().collect();
        lines.insert(after + 1, "zz_unknown_field: 1,");
        let changed = lines.join("\n");
        let loaded = storage::from_ron(&changed, Path::new("评价.ron"));
        prop_assert!(loaded.is_err(), "accepted after line {}: {}", after + 1, lines[after]);
        let message = loaded.map(|_| String::new()).unwrap_or_else(|e| e.to_string());
        prop_assert!(
            message.starts_with(&format!(
                "文件“评价.ron”第 {} 行第 1 列有误：不认识的项“zz_unknown_field”",
                after + 2
            )),
            "{} (after line {}: {})", message, after + 1, lines[after]
        );
        let newer_text = changed.replacen("version: 3", &format!("version: {newer}"), 1);
        let err = storage::from_ron(&newer_text, Path::new("新.ron")).unwrap_err();
        let expected = format!("文件格式第 {newer} 版");
        prop_assert!(err.to_string().contains(&expected), "{}", err);
    }
}
