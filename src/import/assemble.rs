//! The tree from what the reader gathered: each row's path of names becomes groups
//! and leaves, `决策(10分)` and 合计 / 小计 rows become declared figures checked against
//! the leaves, and unreadable cells become notes on their indicator or on the table.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use crate::model::{
    Declared, Evaluation, Figure, ImportNote, ImportNoteKind, Indicator, NodeId, Scoring,
};

use super::header::Header;
use super::table::{BadCell, Line, Reader, Skipped};
use super::words::{Name, key, split_name};

/// A single block label over the indicator rows (`绩效指标（90分）`, in the body or in
/// the header row) keeps its points as a figure checked against the leaves under it.
pub(super) fn note_block_points(reader: &Reader, header: &Header, doc: &mut Evaluation) {
    let label = match reader.blocks.as_slice() {
        [one] => Some(one.as_str()),
        [] => reader
            .label_columns
            .iter()
            .filter_map(|&p| header.cells.get(p))
            .map(|c| c.trim())
            .find(|c| !c.is_empty()),
        _ => None,
    };
    let Some(label) = label else { return };
    let Some(points) = split_name(label).points else {
        return;
    };
    let outside = reader
        .budget_line
        .and_then(|_| doc.indicators.first())
        .map(|n| n.id);
    doc.import_notes.push(ImportNote {
        kind: ImportNoteKind::BlockPoints,
        node: outside,
        place: format!("“{label}”"),
        text: label.to_owned(),
        printed: Some(points),
    });
}

/// The tree while it is built: its nodes, the top ones, and each group by its path.
struct Tree {
    arena: Vec<Node>,
    roots: Vec<usize>,
    groups: HashMap<String, usize>,
    /// The (group, 分值) pairs declared by a `决策(10分)` name, each declared once.
    declared_names: HashSet<(usize, Decimal)>,
    /// The groups of the row before, top down: a row under the same groups finds
    /// them here instead of joining and hashing its path once per level.
    previous_groups: Vec<usize>,
}

impl Tree {
    /// Node `node`, the last child of `parent` or the last at the top.
    fn add(&mut self, node: Node, parent: Option<usize>) -> usize {
        self.arena.push(node);
        let index = self.arena.len() - 1;
        match parent {
            Some(p) => self.arena[p].adopt(index),
            None => self.roots.push(index),
        }
        index
    }

    /// The first `depth` names of the line's path as groups, found or made, each
    /// `决策(10分)` declared once; returns the deepest, under which the line goes.
    fn groups_over(
        &mut self,
        line: &Line,
        depth: usize,
        previous_path: &[Name],
        doc: &mut Evaluation,
    ) -> Option<usize> {
        let known = shared_names(previous_path, &line.path).min(self.previous_groups.len());
        let mut indices = Vec::with_capacity(depth);
        let mut parent: Option<usize> = None;
        for end in 1..=depth {
            let name = &line.path[end - 1];
            let index = if end <= known {
                self.previous_groups[end - 1]
            } else {
                let key = path_key(&line.path[..end]);
                match self.groups.get(&key) {
                    Some(&index) => index,
                    None => {
                        let id = doc.new_id();
                        let group = Indicator::group(id, name.name.clone(), Vec::new());
                        let index = self.add(Node::built(group), parent);
                        self.groups.insert(key, index);
                        index
                    }
                }
            };
            indices.push(index);
            if let Some(points) = name.points
                && self.declared_names.insert((index, points))
            {
                doc.declared.push(Declared {
                    node: Some(self.arena[index].id()),
                    figure: Figure::MaxPoints,
                    value: points,
                    source: format!("第 {} 行“{}”", line.row, name.name),
                });
            }
            parent = Some(index);
        }
        self.previous_groups = indices;
        parent
    }
}

impl Reader {
    /// The document's tree from the lines read, with the figures the table prints for
    /// its groups and itself, and a note for each cell that could not be read.
    pub(super) fn build(&mut self, doc: &mut Evaluation) {
        let group_paths = group_paths(&self.lines);
        let mut tree = Tree {
            arena: Vec::with_capacity(self.lines.len() + group_paths.len() + 1),
            roots: Vec::new(),
            groups: HashMap::new(),
            declared_names: HashSet::new(),
            previous_groups: Vec::new(),
        };

        if let Some((row, max_points, score)) = self.budget_line {
            let id = doc.new_id();
            let mut leaf = Indicator::leaf(id, "预算执行率", max_points.unwrap_or_default());
            leaf.scoring.score = score;
            tree.add(Node::built(leaf), None);
            self.report
                .budget
                .push(format!("第 {row} 行的分值与得分作为“预算执行率”指标"));
        }

        // The lines are not needed after this: `assemble` takes each leaf's texts over.
        let mut lines = std::mem::take(&mut self.lines);
        for (at, line) in lines.iter().enumerate() {
            let previous_path = at
                .checked_sub(1)
                .map_or(&[][..], |before| lines[before].path.as_slice());
            let key = path_key(&line.path);
            let is_group = group_paths.contains(&key);
            let group_depth = if is_group {
                line.path.len()
            } else {
                line.path.len() - 1
            };
            let parent = tree.groups_over(line, group_depth, previous_path, doc);
            if is_group {
                if let Some(index) = parent {
                    self.group_row(line, &mut tree.arena[index], doc);
                }
            } else {
                self.leaf_row(at, line, parent, &mut tree, doc);
            }
        }

        self.declare_totals(&tree, doc);
        for (source, value) in self.printed_totals.drain(..) {
            doc.declared.push(Declared {
                node: None,
                figure: Figure::Score,
                value,
                source,
            });
        }
        self.note_on_table(doc);
        doc.printed_grade = self.printed_grade.take();

        let mut slots: Vec<Option<Node>> = tree.arena.into_iter().map(Some).collect();
        doc.indicators = Vec::with_capacity(tree.roots.len());
        for root in tree.roots {
            doc.indicators
                .extend(assemble(root, &mut slots, &mut lines));
        }
    }

    /// The unreadable cells on no indicator's row, and the printed 执行率, as notes on
    /// the table.
    fn note_on_table(&mut self, doc: &mut Evaluation) {
        for bad in self.notes.drain(..) {
            doc.import_notes.push(ImportNote {
                kind: bad.kind,
                node: None,
                place: bad.place,
                printed: if bad.kind == ImportNoteKind::PrintedRate {
                    bad.text.parse().ok()
                } else {
                    None
                },
                text: if bad.kind == ImportNoteKind::PrintedRate {
                    String::new()
                } else {
                    bad.text
                },
            });
        }
    }

    /// A group's own row: its 分值 and 得分 declared, its 评分标准 kept, and its
    /// unreadable cells noted on the table.
    fn group_row(&mut self, line: &Line, group: &mut Node, doc: &mut Evaluation) {
        let id = group.id();
        for (figure, value) in [
            (Figure::MaxPoints, line.max_points),
            (Figure::Score, line.score),
        ] {
            if let Some(value) = value {
                doc.declared.push(Declared {
                    node: Some(id),
                    figure,
                    value,
                    source: format!("第 {} 行", line.row),
                });
            }
        }
        if let Node::Built(draft) = group {
            if !line.criteria.is_empty() {
                draft.indicator.criteria.clone_from(&line.criteria);
            }
            draft.indicator.details.clone_from(&line.details);
        }
        self.notes.extend(line.bad.iter().map(clone_bad));
    }

    /// An indicator's row, `line` number `at`: its leaf under `parent`, with a `决策(10分)`
    /// that differs from its 分值 declared and a note for each problem of the row.
    fn leaf_row(
        &mut self,
        at: usize,
        line: &Line,
        parent: Option<usize>,
        tree: &mut Tree,
        doc: &mut Evaluation,
    ) {
        let Some(name) = line.path.last() else {
            return;
        };
        let id = doc.new_id();
        let max_points = line.max_points.or(name.points);
        if let (Some(points), Some(column)) = (name.points, line.max_points)
            && points != column
        {
            doc.declared.push(Declared {
                node: Some(id),
                figure: Figure::MaxPoints,
                value: points,
                source: format!("第 {} 行“{}”", line.row, name.name),
            });
        }
        let empty_group = line.bare && !line.in_last_level;
        let not_applicable = line.not_applicable || empty_group;
        if empty_group {
            doc.import_notes.push(ImportNote {
                kind: ImportNoteKind::EmptyGroup,
                node: Some(id),
                place: format!("第 {} 行", line.row),
                text: name.name.clone(),
                printed: None,
            });
            self.report.skipped.push(Skipped {
                row: line.row,
                text: name.name.clone(),
                why: "分组下没有任何指标，保留但不计分".to_owned(),
            });
        } else if max_points.is_none() && !not_applicable && line.bad.is_empty() {
            doc.import_notes.push(ImportNote {
                kind: ImportNoteKind::MissingMaxPoints,
                node: Some(id),
                place: format!("第 {} 行“{}”", line.row, name.name),
                text: String::new(),
                printed: None,
            });
        }
        for bad in &line.bad {
            doc.import_notes.push(ImportNote {
                kind: bad.kind,
                node: Some(id),
                place: bad.place.clone(),
                text: bad.text.clone(),
                printed: None,
            });
        }
        let leaf = Node::Leaf {
            line: at,
            id,
            max_points: max_points.unwrap_or_default(),
            not_applicable,
        };
        tree.add(leaf, parent);
    }

    /// 合计 and 小计 rows: figures printed for the table or a group, declared on the group
    /// found by its path or, failing that, by the name the 小计 gives it.
    fn declare_totals(&mut self, tree: &Tree, doc: &mut Evaluation) {
        for (row, path, subject, max_points, score) in &self.totals {
            let node = if path.is_empty() && subject.is_empty() {
                None
            } else {
                let by_path = (!path.is_empty())
                    .then(|| tree.groups.get(&path.join("\u{1f}")).copied())
                    .flatten();
                let by_name = || {
                    tree.arena
                        .iter()
                        .enumerate()
                        .filter_map(|(i, node)| match node {
                            Node::Built(d) if !d.children.is_empty() => Some((i, d)),
                            _ => None,
                        })
                        .find(|(_, d)| {
                            let name = key(&d.indicator.name);
                            !subject.is_empty()
                                && (*name == **subject
                                    || name.starts_with(subject.as_str())
                                    || subject.starts_with(&*name))
                        })
                        .map(|(i, _)| i)
                };
                match by_path.or_else(by_name) {
                    Some(index) => Some(tree.arena[index].id()),
                    None => {
                        self.report.skipped.push(Skipped {
                            row: *row,
                            text: subject.clone(),
                            why: "找不到这一小计所属的指标，未核对".to_owned(),
                        });
                        continue;
                    }
                }
            };
            for (figure, value) in [(Figure::MaxPoints, max_points), (Figure::Score, score)] {
                if let Some(value) = value {
                    doc.declared.push(Declared {
                        node,
                        figure,
                        value: *value,
                        source: format!("第 {row} 行"),
                    });
                }
            }
        }
    }
}

fn clone_bad(bad: &BadCell) -> BadCell {
    BadCell {
        kind: bad.kind,
        place: bad.place.clone(),
        text: bad.text.clone(),
    }
}

fn path_key(path: &[Name]) -> String {
    path.iter()
        .map(|n| n.name.as_str())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// How many names two paths share from the top.
fn shared_names(a: &[Name], b: &[Name]) -> usize {
    a.iter()
        .zip(b)
        .take_while(|(a, b)| a.name == b.name)
        .count()
}

/// Every path that is a strict prefix of another row's path: those are groups. (Rows
/// of one group follow each other, so the prefixes a row shares with the row before
/// are in already and are not joined again.)
fn group_paths(lines: &[Line]) -> HashSet<String> {
    let mut groups = HashSet::new();
    let mut previous: &[Name] = &[];
    for line in lines {
        let known = shared_names(previous, &line.path).min(previous.len().saturating_sub(1));
        for end in known + 1..line.path.len() {
            groups.insert(path_key(&line.path[..end]));
        }
        previous = &line.path;
    }
    groups
}

/// A node of the tree under construction.
///
/// An indicator is large (352 bytes), and copying the 10,000 of a large table from
/// draft to draft into fresh memory was most of an import's time: so a leaf is only
/// noted here, and made from its line once, straight into its place, by [`assemble`].
enum Node {
    /// A group, or a leaf that is not from a line (the budget row).
    Built(Box<Draft>),
    /// The leaf of line `line`.
    Leaf {
        line: usize,
        id: NodeId,
        max_points: Decimal,
        not_applicable: bool,
    },
}

/// An indicator with its children as indices into the arena.
struct Draft {
    indicator: Indicator,
    children: Vec<usize>,
}

impl Node {
    fn built(indicator: Indicator) -> Self {
        Node::Built(Box::new(Draft {
            indicator,
            children: Vec::new(),
        }))
    }

    fn id(&self) -> NodeId {
        match self {
            Node::Built(draft) => draft.indicator.id,
            Node::Leaf { id, .. } => *id,
        }
    }

    /// Makes node `child` the last child of this group.
    fn adopt(&mut self, child: usize) {
        if let Node::Built(draft) = self {
            draft.children.push(child);
        }
    }
}

/// Turns the arena into the tree, taking each leaf's texts over from its line. Import
/// paths are at most five levels deep (a block over four levels), so the recursion is
/// shallow.
fn assemble(index: usize, slots: &mut [Option<Node>], lines: &mut [Line]) -> Option<Indicator> {
    match slots.get_mut(index)?.take()? {
        Node::Built(draft) => {
            let Draft {
                mut indicator,
                children,
            } = *draft;
            indicator.children = Vec::with_capacity(children.len());
            for child in children {
                indicator.children.extend(assemble(child, slots, lines));
            }
            Some(indicator)
        }
        Node::Leaf {
            line,
            id,
            max_points,
            not_applicable,
        } => {
            let line = lines.get_mut(line)?;
            let name = line
                .path
                .last_mut()
                .map(|n| std::mem::take(&mut n.name))
                .unwrap_or_default();
            let take = std::mem::take::<String>;
            Some(Indicator {
                criteria: take(&mut line.criteria),
                details: std::mem::take(&mut line.details),
                scoring: Scoring {
                    score: if not_applicable { None } else { line.score },
                    reason: take(&mut line.reason),
                    target: take(&mut line.target),
                    actual: take(&mut line.actual),
                    deviation: take(&mut line.deviation),
                    not_applicable,
                    ..Scoring::default()
                },
                ..Indicator::leaf(id, name, max_points)
            })
        }
    }
}
