//! 分值 taken from the labels that print them, for rows that print none: a block label
//! `年度绩效目标1（40分）`, a group's `效益指标（30分）`, the budget block's `(20分)`.
//! A label's points go to its rows only where they add up: one row without 分值 takes
//! what the others leave; rows without 分值 whose 得分 add up to exactly what is left
//! were each given full marks, so each is worth its 得分. Anything else stays missing,
//! and the table is not graded until the user gives the 分值.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use crate::model::{Evaluation, Figure, ImportNoteKind, Indicator, NodeId};

/// One label's points over some leaves: where it was printed, the points, the leaves.
struct Label {
    source: String,
    points: Decimal,
    leaves: Vec<NodeId>,
}

/// Gives the leaves noted as having no 分值 what their labels say, where it adds up;
/// returns a line for the report per leaf given its 分值.
pub(super) fn fill_from_labels(doc: &mut Evaluation) -> Vec<String> {
    let mut missing: HashSet<NodeId> = doc
        .import_notes
        .iter()
        .filter(|n| n.kind == ImportNoteKind::MissingMaxPoints)
        .filter_map(|n| n.node)
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let mut filled = Vec::new();
    for label in labels(doc) {
        let leaves: Vec<&Indicator> = label
            .leaves
            .iter()
            .filter_map(|&id| doc.find(id))
            .filter(|l| l.is_applicable())
            .collect();
        let (open, known): (Vec<&Indicator>, Vec<&Indicator>) =
            leaves.into_iter().partition(|l| missing.contains(&l.id));
        if open.is_empty() {
            continue;
        }
        let known: Decimal = known.iter().map(|l| l.max_points).sum();
        let rest = label.points - known;
        let scores: Option<Decimal> = open.iter().map(|l| l.scoring.score).sum();
        let given: Vec<(NodeId, Decimal)> = match open.as_slice() {
            [one] if rest > Decimal::ZERO && one.scoring.score.is_none_or(|s| s <= rest) => {
                vec![(one.id, rest)]
            }
            _ if scores == Some(rest) && rest > Decimal::ZERO => open
                .iter()
                .map(|l| (l.id, l.scoring.score.unwrap_or_default()))
                .collect(),
            _ => continue,
        };
        for (id, points) in given {
            if let Some(leaf) = doc.find_mut(id) {
                leaf.max_points = points;
                filled.push(format!(
                    "“{}”的分值 {points} 取自{}",
                    leaf.name, label.source
                ));
            }
            missing.remove(&id);
        }
    }
    filled
}

/// Every label with points, the innermost first so that a group's rows are given their
/// 分值 before the block around it is: groups declaring a 分值 (a `(30分)` name or their
/// row's 分值), then a single block label over the table.
fn labels(doc: &Evaluation) -> Vec<Label> {
    let mut declared: HashMap<NodeId, (Decimal, &str)> = HashMap::new();
    for d in &doc.declared {
        if let (Some(id), Figure::MaxPoints) = (d.node, d.figure) {
            declared.entry(id).or_insert((d.value, d.source.as_str()));
        }
    }
    let mut groups: Vec<(usize, Label)> = Vec::new();
    for root in &doc.indicators {
        root.visit(&mut |node, depth| {
            if let Some(&(points, source)) = declared.get(&node.id)
                && !node.is_leaf()
            {
                groups.push((
                    depth,
                    Label {
                        source: source.to_owned(),
                        points,
                        leaves: node.leaves().iter().map(|l| l.id).collect(),
                    },
                ));
            }
        });
    }
    groups.sort_by_key(|&(depth, _)| std::cmp::Reverse(depth));
    let mut labels: Vec<Label> = groups.into_iter().map(|(_, label)| label).collect();
    for note in &doc.import_notes {
        if note.kind != ImportNoteKind::BlockPoints {
            continue;
        }
        let Some(points) = note.printed else { continue };
        let outside = note.node;
        let leaves = doc
            .indicators
            .iter()
            .filter(|n| Some(n.id) != outside)
            .flat_map(|n| n.leaves().into_iter().map(|l| l.id))
            .collect();
        labels.push(Label {
            source: note.place.clone(),
            points,
            leaves,
        });
    }
    labels
}
