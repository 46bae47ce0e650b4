//! The one reader of numbers that people type or tables hold: points, scores, money,
//! thresholds. Everything that turns text into a `Decimal` goes through here, so the
//! score cell, the 自评表, 项目信息, the import and the rules agree on what "１．５"
//! or "1,200.50" means.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::Direction;
/// (Kept in the model, whose panel figures are rounded by it too.)
pub use crate::model::round2;

/// A figure as reports print it: rounded 四舍五入 and always with two decimals ("16.90").
pub fn format2(value: Decimal) -> String {
    let mut rounded = round2(value);
    rounded.rescale(2);
    rounded.to_string()
}

/// An amount in 元 as reports write it, in 万元 with two decimals: "560.00 万元".
pub fn wan_yuan(yuan: Decimal) -> String {
    let wan = yuan.checked_div(Decimal::from(10_000)).unwrap_or_default();
    format!("{} 万元", format2(wan))
}

/// Published tables carry scores with two decimals: a score with more is refused where
/// it is typed and named where a file holds one, never rounded silently.
pub const SCORE_DECIMALS: u32 = 2;

/// Whether `score` has more decimals than a published table carries (`1.555`; `1.50`
/// has two).
pub fn too_precise(score: Decimal) -> bool {
    score.normalize().scale() > SCORE_DECIMALS
}

/// Folds what a Chinese input method or a spreadsheet puts in a number to ASCII:
/// full-width digits and signs (`１２３`, `．`, `－`, `＋`, `％`), the ideographic full
/// stop `。` typed for a decimal point, and the middle dot `·` some IMEs give for `.`.
/// Other characters are kept as they are.
pub fn fold_width(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' | '。' | '·' => '.',
        '－' | '−' => '-',
        '＋' => '+',
        '％' => '%',
        '，' => ',',
        _ => c,
    }
}

/// Why a text is not a number, for a message that says what was typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{shown}”不是数字")]
pub struct NotANumber {
    /// The text as typed, shortened so a message never echoes a whole cell.
    pub shown: String,
}

/// At most this many characters of the input appear in a message.
const SHOWN_CHARS: usize = 40;

fn shown(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.chars().count() <= SHOWN_CHARS {
        trimmed.to_owned()
    } else {
        let head: String = trimmed.chars().take(SHOWN_CHARS).collect();
        format!("{head}…")
    }
}

/// Reads a number as people type it: blanks around it, full-width digits and points
/// (`１．５`, `１.５`, `1。5`), thousands separators (`1,200.50`, `1，200`), a leading
/// `+`, and a trailing `分` (points) are accepted. Blank text is `Ok(None)`.
///
/// A `%` is not accepted here: a share is a different quantity from a point or an
/// amount, and the rules read it (see [`parse_quantity`]).
pub fn parse_decimal(text: &str) -> Result<Option<Decimal>, NotANumber> {
    // Almost every cell of a table is plain ASCII digits: read it without folding.
    let plain = text.strip_prefix('-').unwrap_or(text);
    if !plain.is_empty()
        && plain.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && plain.bytes().filter(|b| *b == b'.').count() <= 1
        && plain.bytes().any(|b| b.is_ascii_digit())
        && let Ok(value) = Decimal::from_str(text)
    {
        return Ok(Some(value.normalize()));
    }
    let folded: String = fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    let body = folded.strip_suffix('分').unwrap_or(&folded);
    let body = body.strip_prefix('+').unwrap_or(body);
    if body.is_empty() {
        return if folded.is_empty() {
            Ok(None)
        } else {
            Err(NotANumber { shown: shown(text) })
        };
    }
    // Decimal's own parser accepts "1_000" and forms such as "1e5" only in some
    // versions; a person never types those in a score, so only digits, one point and a
    // leading minus get through.
    let digits = body.strip_prefix('-').unwrap_or(body);
    let well_formed = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    if !well_formed {
        return Err(NotANumber { shown: shown(text) });
    }
    Decimal::from_str(body)
        .map(|d| Some(d.normalize()))
        .map_err(|_| NotANumber { shown: shown(text) })
}

/// A value as typed: "≥50个" → (≥, 50, "个"); "93.35%" → 0.9335 as a share; "50-60个"
/// → 50 up to 60.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    /// From a comparator before the number (≥, ≤, 不低于 …) or a direction word after it
    /// (以上, 以下, 以内 …).
    pub comparator: Option<Direction>,
    /// The number (the lower bound of a range); a percentage is stored as a share
    /// (93.35% → 0.9335).
    pub value: Decimal,
    /// The upper bound of a range target such as "50-60个".
    pub upper: Option<Decimal>,
    pub is_percent: bool,
    /// The unit without the `%` ("个", "万元"); empty for a bare number or a percentage.
    pub unit: String,
}

impl Quantity {
    /// The unit as a user reads it in a message: "%" for a percentage, "无单位" for none.
    pub(crate) fn unit_label(&self) -> String {
        if self.is_percent {
            "%".to_owned()
        } else if self.unit.is_empty() {
            "无单位".to_owned()
        } else {
            self.unit.clone()
        }
    }

    /// A bare number with no unit at all.
    pub(crate) fn is_bare(&self) -> bool {
        !self.is_percent && self.unit.is_empty()
    }
}

/// Comparators written before the number.
const PREFIXES: [(&str, Direction); 27] = [
    ("≥", Direction::Higher),
    ("≧", Direction::Higher),
    (">=", Direction::Higher),
    ("＞", Direction::Higher),
    (">", Direction::Higher),
    ("不低于", Direction::Higher),
    ("不少于", Direction::Higher),
    ("大于等于", Direction::Higher),
    ("大于", Direction::Higher),
    ("高于", Direction::Higher),
    ("至少", Direction::Higher),
    ("达到", Direction::Higher),
    ("≤", Direction::Lower),
    ("≦", Direction::Lower),
    ("<=", Direction::Lower),
    ("＜", Direction::Lower),
    ("<", Direction::Lower),
    ("不高于", Direction::Lower),
    ("不超过", Direction::Lower),
    ("不大于", Direction::Lower),
    ("小于等于", Direction::Lower),
    ("小于", Direction::Lower),
    ("低于", Direction::Lower),
    ("控制在", Direction::Lower),
    ("=", Direction::Equal),
    ("＝", Direction::Equal),
    ("等于", Direction::Equal),
];

/// Direction words written after the number and its unit: "90万元以内", "5%以下".
const SUFFIXES: [(&str, Direction); 8] = [
    ("以上（含）", Direction::Higher),
    ("及以上", Direction::Higher),
    ("以上", Direction::Higher),
    ("及以下", Direction::Lower),
    ("以下", Direction::Lower),
    ("以内", Direction::Lower),
    ("之内", Direction::Lower),
    ("内", Direction::Lower),
];

/// Reads the digits at the start of `text` (a leading minus allowed when `signed`).
fn leading_number(text: &str, signed: bool) -> Option<(Decimal, &str)> {
    let end = text
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (signed && *c == '-' && *i == 0)))
        .map_or(text.len(), |(i, _)| i);
    let value = Decimal::from_str(&text[..end]).ok()?;
    Some((value, &text[end..]))
}

/// Reads a typed target or actual. `None` when there is no number in it.
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let folded: String = fold_width(text.trim())
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let mut rest = folded.as_str();
    let mut comparator = None;
    for (prefix, direction) in PREFIXES {
        if let Some(stripped) = rest.strip_prefix(prefix) {
            comparator = Some(direction);
            rest = stripped;
            break;
        }
    }
    let (value, after) = leading_number(rest, true)?;
    // A range: "50-60个", "50~60个", "50至60个".
    let mut upper = None;
    let mut after = after;
    for dash in ["-", "~", "～", "—", "–", "至", "到"] {
        if let Some(tail) = after.strip_prefix(dash)
            && let Some((high, tail)) = leading_number(tail, false)
            && high >= value
        {
            upper = Some(high);
            after = tail;
            break;
        }
    }
    let mut unit = after;
    for (suffix, direction) in SUFFIXES {
        if let Some(stripped) = unit.strip_suffix(suffix) {
            comparator = comparator.or(Some(direction));
            unit = stripped;
            break;
        }
    }
    let (is_percent, unit) = match unit.strip_prefix('%') {
        Some(rest) => (true, rest),
        None => (false, unit),
    };
    let scale = |v: Decimal| {
        if is_percent {
            v / Decimal::ONE_HUNDRED
        } else {
            v
        }
    };
    Some(Quantity {
        comparator,
        value: scale(value),
        upper: upper.map(scale),
        is_percent,
        unit: unit.to_owned(),
    })
}

/// The one reading of a bare number where a percentage is meant, used by every rule: a
/// number above 1 is in percent (95 → 95%), a number up to 1 is already a share
/// (0.95 → 95%, as a spreadsheet's percent cell holds it).
pub fn bare_as_share(value: Decimal) -> Decimal {
    if value > Decimal::ONE {
        value / Decimal::ONE_HUNDRED
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<String> {
        parse_decimal(text).ok().flatten().map(|d| d.to_string())
    }

    #[test]
    fn what_people_type_reads_as_they_mean_it() {
        assert_eq!(read("7.66"), Some("7.66".into()));
        assert_eq!(read(" 10 "), Some("10".into()));
        assert_eq!(read("10分"), Some("10".into()));
        assert_eq!(read("１．５"), Some("1.5".into()));
        assert_eq!(read("１.５"), Some("1.5".into()));
        assert_eq!(read("1。5"), Some("1.5".into()));
        assert_eq!(read("1,200.50"), Some("1200.5".into()));
        assert_eq!(read("1，200"), Some("1200".into()));
        assert_eq!(read("-3"), Some("-3".into()));
        assert_eq!(read("－３"), Some("-3".into()));
        assert_eq!(read("+2"), Some("2".into()));
        assert_eq!(read(".5"), Some("0.5".into()));
        assert_eq!(read("8."), Some("8".into()));
    }

    #[test]
    fn blank_is_no_number_and_not_an_error() {
        assert_eq!(parse_decimal(""), Ok(None));
        assert_eq!(parse_decimal("   "), Ok(None));
    }

    #[test]
    fn anything_else_is_refused_with_the_text_shown() {
        for text in [
            "abc", "1.2.3", "1e5", "1_000", "分", "-", "+", ".", "95%", "1 2x",
        ] {
            assert!(parse_decimal(text).is_err(), "{text} should be refused");
        }
        assert_eq!(
            parse_decimal("七分").map_err(|e| e.to_string()),
            Err("“七分”不是数字".to_owned())
        );
    }

    #[test]
    fn a_long_cell_is_not_echoed_whole() {
        let long = "字".repeat(10_000);
        let message = parse_decimal(&long)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.chars().count() < 50, "{message}");
        assert!(message.contains('…'));
    }

    #[test]
    fn rounds_half_away_from_zero_not_to_even() {
        let d = |text: &str| Decimal::from_str(text).unwrap();
        assert_eq!(format2(d("2.345")), "2.35");
        assert_eq!(format2(d("2.335")), "2.34");
        assert_eq!(format2(d("-2.345")), "-2.35");
        assert_eq!(format2(d("16.9")), "16.90");
        assert_eq!(format2(d("7")), "7.00");
    }

    #[test]
    fn a_score_has_two_decimals_at_most() {
        let precise = |text: &str| too_precise(Decimal::from_str(text).unwrap());
        assert!(precise("1.555"));
        assert!(precise("0.001"));
        assert!(!precise("1.55"));
        assert!(!precise("1.500"));
        assert!(!precise("7"));
    }

    #[test]
    fn too_many_digits_is_refused_not_a_panic() {
        assert!(parse_decimal(&"9".repeat(60)).is_err());
    }
}
