//! Column widths that follow the window. egui_extras keeps the widths a person drags,
//! but when the window grows it gives every extra pixel to the last column and when it
//! shrinks it keeps the widths and scrolls. Here the text columns share the change in
//! the proportions they had (so a dragged width keeps its share), the figure columns
//! keep theirs, and the widths are remembered with the window between sessions.

use eframe::egui;
use egui_extras::{Column, TableBuilder};

/// A table's columns as drawn last: the width the table had and each column's width.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
struct Remembered {
    table_width: f32,
    widths: Vec<f32>,
}

/// One column: its width when nothing is remembered, its least width, whether it takes
/// a share of a change in the window's width (text) or keeps its own (figures), and
/// whether its content is cut at its edge.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    pub width: f32,
    pub min: f32,
    pub flexible: bool,
    pub clip: bool,
}

impl ColumnSpec {
    /// A text column: takes its share of the window.
    pub fn text(width: f32, min: f32) -> Self {
        Self {
            width,
            min,
            flexible: true,
            clip: true,
        }
    }

    /// A figure column: keeps its width.
    pub fn figure(width: f32, min: f32) -> Self {
        Self {
            width,
            min,
            flexible: false,
            clip: false,
        }
    }
}

/// The widths for this frame of one table, and what it measures while drawn.
#[derive(Debug)]
pub struct SharedColumns {
    id: egui::Id,
    table_width: f32,
    widths: Vec<f32>,
    /// Whether egui_extras must forget its widths and take these.
    reset: bool,
    /// Whether the last column takes what is left (its width is not compared).
    remainder: bool,
    measured: Vec<f32>,
}

impl SharedColumns {
    /// Plans the widths of the table `salt` for the width available in `ui`. `specs`
    /// gives each column's width when nothing is remembered (the caller shares the
    /// width by priority there). The widths always follow from the ones the person last
    /// set (or the defaults) and the window's width, so a window made wider and then
    /// narrow again looks as it did.
    pub fn plan(ui: &egui::Ui, salt: &str, specs: &[ColumnSpec], remainder: bool) -> Self {
        let id = egui::Id::unique(("列宽", salt));
        let table_width = ui.available_width();
        let spacing = ui.spacing().item_spacing.x;
        let base = ui
            .data_mut(|d| d.get_persisted::<Remembered>(id))
            .filter(|r| r.widths.len() == specs.len())
            .unwrap_or_else(|| {
                let widths: Vec<f32> = specs.iter().map(|s| s.width).collect();
                Remembered {
                    table_width: widths.iter().sum::<f32>() + spacing * specs.len() as f32,
                    widths,
                }
            });
        let widths = share(&base.widths, specs, table_width - base.table_width);
        // egui_extras holds the widths it drew last; it is told again when the window's
        // width changed (and on the first frame).
        let drawn = ui.data(|d| d.get_temp::<f32>(id));
        let reset = drawn.is_none_or(|w| (w - table_width).abs() >= 0.5);
        Self {
            id,
            table_width,
            widths,
            reset,
            remainder,
            measured: vec![0.0; specs.len()],
        }
    }

    /// Adds the columns to `builder`.
    pub fn columns<'a>(
        &self,
        mut builder: TableBuilder<'a>,
        specs: &[ColumnSpec],
    ) -> TableBuilder<'a> {
        if self.reset {
            builder.reset();
        }
        let last = specs.len().saturating_sub(1);
        for (index, (spec, width)) in specs.iter().zip(&self.widths).enumerate() {
            let column = if self.remainder && index == last {
                Column::remainder()
            } else {
                Column::initial(*width)
            };
            builder = builder.column(column.at_least(spec.min).clip(spec.clip));
        }
        builder
    }

    /// Notes the width column `index` was drawn at (call from its header cell).
    pub fn measure(&mut self, index: usize, ui: &egui::Ui) {
        if let Some(width) = self.measured.get_mut(index) {
            *width = ui.max_rect().width();
        }
    }

    /// Keeps what was drawn. A width that differs from the plan was set by the person
    /// (a dragged column edge): it becomes the base, kept with the window between
    /// sessions.
    pub fn remember(self, ctx: &egui::Context) {
        if self.measured.iter().any(|w| *w <= 0.0) {
            return;
        }
        ctx.data_mut(|d| d.insert_temp(self.id, self.table_width));
        let compared = self.measured.len() - usize::from(self.remainder);
        let dragged = self
            .measured
            .iter()
            .zip(&self.widths)
            .take(compared)
            .any(|(a, b)| (a - b).abs() >= 0.5);
        let first = ctx
            .data_mut(|d| d.get_persisted::<Remembered>(self.id))
            .is_none();
        if dragged || first {
            let base = Remembered {
                table_width: self.table_width,
                widths: self.measured,
            };
            ctx.data_mut(|d| d.insert_persisted(self.id, base));
        }
    }
}

/// `widths` with `change` pixels shared among the text columns. More room goes to them
/// in proportion to their widths; less is taken from the rightmost text column first
/// (the columns on the left matter most: the name before the notes), none going below
/// its least width (the table then scrolls).
fn share(widths: &[f32], specs: &[ColumnSpec], change: f32) -> Vec<f32> {
    let mut out: Vec<f32> = widths
        .iter()
        .zip(specs)
        .map(|(width, spec)| width.max(spec.min))
        .collect();
    if change >= 0.0 {
        let flexible: f32 = out
            .iter()
            .zip(specs)
            .filter(|(_, s)| s.flexible)
            .map(|(w, _)| *w)
            .sum();
        if flexible > 0.0 {
            for (width, spec) in out.iter_mut().zip(specs) {
                if spec.flexible {
                    *width += change * *width / flexible;
                }
            }
        }
    } else {
        let mut short = -change;
        for (width, spec) in out.iter_mut().zip(specs).rev() {
            if spec.flexible && short > 0.0 {
                let take = (*width - spec.min).min(short).max(0.0);
                *width -= take;
                short -= take;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wider_window_goes_to_the_text_columns_in_their_proportions() {
        let specs = [
            ColumnSpec::text(200.0, 100.0),
            ColumnSpec::figure(64.0, 50.0),
            ColumnSpec::text(100.0, 80.0),
        ];
        let widths = share(&[200.0, 64.0, 100.0], &specs, 300.0);
        assert_eq!(widths, vec![400.0, 64.0, 200.0]);
    }

    #[test]
    fn a_narrower_window_takes_from_the_rightmost_text_column_first() {
        let specs = [
            ColumnSpec::text(200.0, 150.0),
            ColumnSpec::figure(64.0, 50.0),
            ColumnSpec::text(100.0, 80.0),
        ];
        assert_eq!(
            share(&[200.0, 64.0, 100.0], &specs, -30.0),
            vec![190.0, 64.0, 80.0]
        );
        // No column goes below its least width; the table then scrolls.
        assert_eq!(
            share(&[200.0, 64.0, 100.0], &specs, -150.0),
            vec![150.0, 64.0, 80.0]
        );
    }
}
