//! The words the table reader recognizes in a cell: 合计 and 小计, notes and signatures,
//! the rating row, placeholders and captions, `/`, comparators, printed rates, and
//! `决策(10分)` names. Each test is of one cell's text; none knows where the cell is.
//! The word lists themselves are data, in [`super::vocabulary`]; what is left here is
//! the shape of a cell (`……`, a caption's colon, `(10分)`, a percentage).

use rust_decimal::Decimal;

use crate::number::parse_decimal;

use super::vocabulary::words;

/// The text without blanks and colons, for comparing words; borrowed when there are
/// none, as in almost every cell, so reading a large table allocates nothing here.
pub(super) fn compact(text: &str) -> std::borrow::Cow<'_, str> {
    let noise = |c: char| c.is_whitespace() || c == ':' || c == '：';
    // Every noise character is ASCII or starts with one of these UTF-8 lead bytes
    // (U+0085 and U+00A0; U+1680; U+2000–U+205F; U+3000; U+FF1A), and a Chinese
    // character (lead bytes E4–E9) never does, so most cells are cleared by their bytes.
    let may_have_noise = text.bytes().any(|b| {
        matches!(
            b,
            b'\t'..=b'\r' | b' ' | b':' | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF
        )
    });
    if may_have_noise && text.chars().any(noise) {
        std::borrow::Cow::Owned(text.chars().filter(|c| !noise(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// One named level of a row: `决策(10分)` → 决策, declaring 10.
#[derive(Clone, Debug)]
pub(super) struct Name {
    pub(super) name: String,
    pub(super) points: Option<Decimal>,
}

pub(super) fn is_total_name(name: &str) -> bool {
    is_total_word(&key(name))
}

/// A cell's text as words are compared: [`compact`]ed, Traditional characters made
/// Simplified; borrowed in almost every cell.
pub(super) fn key(text: &str) -> std::borrow::Cow<'_, str> {
    match compact(text) {
        std::borrow::Cow::Borrowed(t) => words().fold(t),
        std::borrow::Cow::Owned(t) => std::borrow::Cow::Owned(words().fold(&t).into_owned()),
    }
}

/// [`is_total_name`] of a text already made a [`key`]; so are the other `_word` tests.
pub(super) fn is_total_word(n: &str) -> bool {
    words().is_total(n)
}

pub(super) fn is_subtotal_name(name: &str) -> bool {
    is_subtotal_word(&key(name))
}

pub(super) fn is_subtotal_word(n: &str) -> bool {
    words().subtotal_subject(n).is_some()
}

/// The group a subtotal names: `产出指标小计` → 产出指标, `决策合计` → 决策.
pub(super) fn subtotal_subject(name: &str) -> String {
    let n = key(name);
    words().subtotal_subject(&n).unwrap_or(&n).to_owned()
}

pub(super) fn is_note(text: &str) -> bool {
    is_note_word(&key(text))
}

pub(super) fn is_note_word(n: &str) -> bool {
    words().is_note(n)
}

pub(super) fn is_rating_label(text: &str) -> bool {
    is_rating_word(&key(text))
}

pub(super) fn is_rating_word(n: &str) -> bool {
    words().is_rating(n)
}

pub(super) fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '…' | '.' | '。' | '·' | '⋯'))
}

pub(super) fn is_caption(text: &str) -> bool {
    let t = text.trim();
    t.ends_with(':') || t.ends_with('：')
}

/// A name as one line: a cell's line breaks joined (`效益指标\n（30分）`), with a blank
/// kept only between two Latin letters or digits.
pub(super) fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.trim();
    if !text.contains(['\n', '\r']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut joined = String::with_capacity(text.len());
    for part in text.lines().map(str::trim).filter(|p| !p.is_empty()) {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if latin(joined.chars().last()) && latin(part.chars().next()) {
            joined.push(' ');
        }
        joined.push_str(part);
    }
    std::borrow::Cow::Owned(joined)
}

/// Splits `决策(10分)` / `决策（10分）` / `决策(10)` into the name and its points; also
/// `效益指标30分)`, where the cell lost its opening bracket at a line break.
pub(super) fn split_name(text: &str) -> Name {
    let trimmed = one_line(text);
    let trimmed = trimmed.as_ref();
    let plain = || Name {
        name: trimmed.to_owned(),
        points: None,
    };
    let Some(inner) = trimmed
        .strip_suffix(')')
        .or_else(|| trimmed.strip_suffix('）'))
    else {
        return plain();
    };
    let open = match inner.rfind(['(', '（']) {
        Some(open) => open,
        // No opening bracket: the figure before 分 alone, as in `效益指标30分)`.
        None => match inner.strip_suffix('分') {
            Some(figure) => figure
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
                .len(),
            None => return plain(),
        },
    };
    let name = inner[..open].trim();
    let points = inner[open..].trim_start_matches(['(', '（']);
    match parse_decimal(points) {
        Ok(Some(points)) if !name.is_empty() => Name {
            name: name.to_owned(),
            points: Some(points),
        },
        _ => plain(),
    }
}

pub(super) fn is_slash(text: &str) -> bool {
    matches!(text.trim(), "/" | "／" | "—" | "-" | "－" | "——" | "\\")
}

/// `≧` `≦` `═` `>=` `<=` as forms print them, folded to `≥` `≤` `=`.
pub(super) fn comparator(text: &str) -> String {
    words().comparator(text.trim()).to_owned()
}

/// A printed percentage ("100.00%", "80.45％") as a fraction; plain numbers above 1 are
/// taken as percentages too.
pub(super) fn parse_rate(text: &str) -> Result<Option<Decimal>, ()> {
    let t = crate::number::fold_width(text);
    let t = t.trim();
    let (body, percent) = match t.strip_suffix('%') {
        Some(body) => (body, true),
        None => (t, false),
    };
    let value = parse_decimal(body).map_err(|_| ())?;
    Ok(value.map(|v| {
        if percent || v > Decimal::ONE {
            v / Decimal::ONE_HUNDRED
        } else {
            v
        }
    }))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn every_blank_and_colon_is_left_out_when_words_are_compared() {
        let noise = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|&c| c.is_whitespace() || c == ':' || c == '：');
        for c in noise {
            assert_eq!(
                compact(&format!("一级{c}指标{c}")),
                "一级指标",
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(compact("决策（10分）"), "决策（10分）");
    }

    #[test]
    fn names_carry_their_points() {
        let name = split_name("决策(10分)");
        assert_eq!((name.name.as_str(), name.points), ("决策", Some(d("10"))));
        let name = split_name("项目立项（3.5分）");
        assert_eq!(
            (name.name.as_str(), name.points),
            ("项目立项", Some(d("3.5")))
        );
        let name = split_name("满意度(群众)");
        assert_eq!((name.name.as_str(), name.points), ("满意度(群众)", None));
        let name = split_name("效益指标\n（30分）");
        assert_eq!(
            (name.name.as_str(), name.points),
            ("效益指标", Some(d("30")))
        );
        let name = split_name("效益指标\n30分)");
        assert_eq!(
            (name.name.as_str(), name.points),
            ("效益指标", Some(d("30")))
        );
        let name = split_name("社会\r\n效益");
        assert_eq!((name.name.as_str(), name.points), ("社会效益", None));
    }
}
