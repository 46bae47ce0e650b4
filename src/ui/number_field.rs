//! The one number field: a cell where a person types a score or a number of points.
//!
//! What is typed stays a draft, owned by the view that draws the field, until the person
//! commits it with Enter, Tab, an arrow key or by leaving the cell. Every keystroke is
//! checked (red while the text is not a number the document accepts), but only a
//! committed, valid figure ever reaches the document: a half-typed "1" on the way to
//! "12" never does. Invalid text keeps the cell (Enter, Tab) or is dropped visibly when
//! the person clicks elsewhere, so the figure on screen is always the one that counts.

use std::collections::HashMap;
use std::hash::Hash;

use eframe::egui::{self, Key, RichText, Role, TextEdit};
use rust_decimal::Decimal;

use super::{ERROR_COLOR, name_widget};
use crate::number::parse_decimal;

/// Text typed into a number field that is not (yet) part of the document.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Draft {
    pub text: String,
    /// Why the text cannot be committed; `None` when it can.
    pub error: Option<String>,
}

/// The drafts of the number fields of one view, keyed as the view likes.
pub(crate) type Drafts<K> = HashMap<K, Draft>;

/// How the person left (or tried to leave) the field this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Leave {
    Enter,
    Tab {
        back: bool,
    },
    Up,
    Down,
    /// Esc: the draft is dropped and the document's figure shows again.
    Escape,
    /// Focus went elsewhere (a click, a dialog).
    Elsewhere,
}

/// What a number field did this frame.
pub(crate) struct NumberFieldOutput {
    pub response: egui::Response,
    /// A new figure to write into the document (`Some(None)` clears a score).
    pub commit: Option<Option<Decimal>>,
    /// Set when the person moved on; `None` while typing, and also when an invalid draft
    /// kept the field (Enter or Tab on red text).
    pub left: Option<Leave>,
    /// Text that could not be committed and was dropped because focus went elsewhere:
    /// the reason, for a message, since the cell now shows the document's figure again.
    pub reverted: Option<String>,
}

/// How a field is drawn and checked.
pub(crate) struct NumberField<'a> {
    pub id: egui::Id,
    /// The figure the document holds.
    pub stored: Option<Decimal>,
    /// The accessible name, e.g. "立项依据充分性 得分".
    pub label: &'a str,
    /// Shown, weak, when the field is empty.
    pub hint: Option<&'a str>,
    /// Whether a blank field may be committed (a score may be cleared; 分值 may not).
    pub allow_blank: bool,
}

/// Reads `text` as this field's figure, or says why it cannot be.
fn read(
    text: &str,
    allow_blank: bool,
    check: &dyn Fn(Option<Decimal>) -> Result<(), String>,
) -> Result<Option<Decimal>, String> {
    let value = parse_decimal(text).map_err(|e| e.to_string())?;
    if value.is_none() && !allow_blank {
        return Err("不能为空".to_owned());
    }
    check(value)?;
    Ok(value)
}

/// What the field shows for a figure the document holds.
pub(crate) fn shown(value: Option<Decimal>) -> String {
    value.map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// Starts a draft with `text` (typing on a selected row starts editing its 得分).
pub(crate) fn start_draft<K: Hash + Eq>(drafts: &mut Drafts<K>, key: K, text: String) {
    drafts.insert(key, Draft { text, error: None });
}

/// Draws one number field. `check` refuses figures the document would refuse (above
/// 分值, negative); its message is shown in red while the draft is invalid.
pub(crate) fn number_field_ui<K: Hash + Eq + Copy>(
    ui: &mut egui::Ui,
    drafts: &mut Drafts<K>,
    key: K,
    field: &NumberField<'_>,
    check: &dyn Fn(Option<Decimal>) -> Result<(), String>,
) -> NumberFieldOutput {
    let mut text = drafts
        .get(&key)
        .map_or_else(|| shown(field.stored), |d| d.text.clone());
    let error = drafts.get(&key).and_then(|d| d.error.clone());

    // Read the keys before the text field takes them for itself.
    let had_focus = ui.memory(|m| m.has_focus(field.id));
    let (enter, tab, shift, up, down, escape) = ui.input(|i| {
        (
            i.key_pressed(Key::Enter),
            i.key_pressed(Key::Tab),
            i.modifiers.shift,
            i.key_pressed(Key::ArrowUp),
            i.key_pressed(Key::ArrowDown),
            i.key_pressed(Key::Escape),
        )
    });
    let mut edit = TextEdit::singleline(&mut text)
        .id(field.id)
        .desired_width(f32::INFINITY)
        .align(egui::Align2::RIGHT_CENTER)
        .lock_focus(true);
    if error.is_some() {
        edit = edit
            .text_color(ERROR_COLOR)
            .background_color(ERROR_COLOR.gamma_multiply(0.15));
    } else if let Some(hint) = field.hint.filter(|_| field.stored.is_none()) {
        edit = edit.hint_text(hint);
    }
    let response = ui.add(edit);
    name_widget(&response, Role::TextInput, field.label);
    if let Some(error) = &error {
        response
            .clone()
            .on_hover_text(RichText::new(error).color(ERROR_COLOR));
    }

    if response.changed() {
        let error = read(&text, field.allow_blank, check).err();
        drafts.insert(
            key,
            Draft {
                text: text.clone(),
                error,
            },
        );
    }

    let mut output = NumberFieldOutput {
        response,
        commit: None,
        left: None,
        reverted: None,
    };
    let leave = if had_focus && output.response.has_focus() && (tab || up || down) {
        Some(if tab {
            Leave::Tab { back: shift }
        } else if up {
            Leave::Up
        } else {
            Leave::Down
        })
    } else if output.response.lost_focus() {
        Some(if escape {
            Leave::Escape
        } else if enter {
            Leave::Enter
        } else {
            Leave::Elsewhere
        })
    } else {
        None
    };
    let Some(leave) = leave else {
        return output;
    };
    if leave == Leave::Escape {
        drafts.remove(&key);
        output.left = Some(leave);
        return output;
    }
    let Some(typed) = drafts.get(&key).map(|d| d.text.clone()) else {
        output.left = Some(leave);
        return output;
    };
    match read(&typed, field.allow_blank, check) {
        Ok(value) => {
            if value != field.stored.map(|d| d.normalize()) {
                output.commit = Some(value);
            }
            drafts.remove(&key);
            output.left = Some(leave);
        }
        Err(message) if leave == Leave::Elsewhere => {
            drafts.remove(&key);
            output.reverted = Some(message);
            output.left = Some(leave);
        }
        Err(message) => {
            // The red cell keeps the cursor: the person sees that nothing was taken.
            drafts.insert(
                key,
                Draft {
                    text: typed,
                    error: Some(message),
                },
            );
            output.response.request_focus();
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_most_two(value: Option<Decimal>) -> Result<(), String> {
        match value {
            Some(v) if v > Decimal::TWO => Err("超过分值 2".to_owned()),
            _ => Ok(()),
        }
    }

    #[test]
    fn full_width_text_reads_as_the_figure_meant() {
        assert_eq!(
            read("１．５", true, &at_most_two),
            Ok(Some(Decimal::new(15, 1)))
        );
        assert_eq!(
            read("1。5", true, &at_most_two),
            Ok(Some(Decimal::new(15, 1)))
        );
    }

    #[test]
    fn a_figure_the_document_refuses_is_an_error_not_a_value() {
        assert_eq!(read("12", true, &at_most_two), Err("超过分值 2".to_owned()));
        assert!(read("1.2.", true, &at_most_two).is_err());
        assert_eq!(read("", true, &at_most_two), Ok(None));
        assert!(read("", false, &at_most_two).is_err());
    }
}
