//! The editor applying any sequence of edits, undos and redos to a shipped template:
//! never a panic; a refused edit changes nothing; after every step the document still
//! scores and validates; at the end it saves and loads back the same; undoing
//! everything gives the template back.
#![no_main]

use std::path::Path;

use jixiao::command::{Edit, Editor, TextField};
use jixiao::model::{Direction, Evaluation, NodeId};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

/// Reads the fuzzer's bytes as a stream of small numbers and strings.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    fn text(&mut self) -> String {
        let len = usize::from(self.byte().unwrap_or(0) % 24);
        let (taken, rest) = self.0.split_at(len.min(self.0.len()));
        self.0 = rest;
        String::from_utf8_lossy(taken).into_owned()
    }

    /// A figure with up to four decimals, sometimes negative.
    fn decimal(&mut self) -> Decimal {
        let high = i64::from(self.byte().unwrap_or(0));
        let low = i64::from(self.byte().unwrap_or(0));
        let scale = u32::from(self.byte().unwrap_or(0) % 5);
        Decimal::new((high << 8 | low) - 4_000, scale)
    }
}

fn ids(doc: &Evaluation) -> Vec<NodeId> {
    let mut ids = Vec::new();
    doc.visit(&mut |node, _| ids.push(node.id));
    ids
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data);
    let templates = jixiao::templates::all();
    let Some(choice) = bytes.byte() else { return };
    let Ok(start) = templates[usize::from(choice) % templates.len()].document() else {
        return;
    };
    let mut editor = Editor::new(start.clone());
    let fields = [
        TextField::Reason,
        TextField::Criteria,
        TextField::Target,
        TextField::Actual,
        TextField::Deviation,
        TextField::Unit,
        TextField::ManualReason,
    ];
    let mut steps = 0;
    while let Some(op) = bytes.byte() {
        steps += 1;
        if steps > 64 {
            break;
        }
        let known = ids(editor.doc());
        let pick = |b: u8| known.get(usize::from(b) % known.len().max(1)).copied();
        let id = bytes.byte().and_then(pick).unwrap_or(NodeId(0));
        let edit = match op % 16 {
            0 => Edit::SetScore {
                id,
                score: Some(bytes.decimal()),
            },
            1 => Edit::SetScore { id, score: None },
            2 => Edit::SetText {
                id,
                field: fields[usize::from(bytes.byte().unwrap_or(0)) % fields.len()],
                text: bytes.text(),
            },
            3 => Edit::SetNotApplicable {
                id,
                not_applicable: bytes.byte().unwrap_or(0) % 2 == 0,
            },
            4 => Edit::Rename {
                id,
                name: bytes.text(),
            },
            5 => Edit::SetMaxPoints {
                id,
                max_points: bytes.decimal(),
            },
            6 => Edit::AddSibling {
                after: id,
                name: bytes.text(),
            },
            7 => Edit::AddChild {
                parent: Some(id),
                name: bytes.text(),
            },
            8 => Edit::Delete { id },
            9 => Edit::Move {
                id,
                by: isize::from(bytes.byte().unwrap_or(0) as i8),
            },
            10 => Edit::SetDirection {
                id,
                direction: [None, Some(Direction::Higher), Some(Direction::Lower)]
                    [usize::from(bytes.byte().unwrap_or(0)) % 3],
            },
            11 => Edit::ClearManual { id },
            12 => Edit::ClearDeclared,
            13 => {
                editor.undo();
                continue;
            }
            14 => {
                editor.redo();
                continue;
            }
            _ => {
                editor.seal();
                continue;
            }
        };
        // A refused edit must leave the document as it was.
        let before = editor.doc().clone();
        if editor.apply(edit).is_err() {
            assert_eq!(editor.doc(), &before, "a refused edit changed the document");
        }
        let summary = jixiao::scoring::summarize(editor.doc());
        let _ = jixiao::validate::validate(editor.doc(), &summary);
    }
    // What the edits made saves and loads back to the same total (checked once, at the
    // end: a save per step made the target too slow to explore).
    let summary = jixiao::scoring::summarize(editor.doc());
    let text = jixiao::storage::to_ron(editor.doc()).expect("every document saves");
    let again = jixiao::storage::from_ron(&text, Path::new("编辑.ron"))
        .expect("what the editor made loads back");
    assert_eq!(
        jixiao::scoring::summarize(&again).total_text(),
        summary.total_text(),
        "the saved file gives another total"
    );
    while editor.undo() {}
    assert_eq!(
        jixiao::scoring::summarize(editor.doc()).total_text(),
        jixiao::scoring::summarize(&start).total_text(),
        "undoing everything does not give the template back"
    );
});
