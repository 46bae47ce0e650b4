//! The one reader of numbers that people type or tables hold: points, scores, money,
//! thresholds. Everything that turns text into a `Decimal` goes through here, so the
//! score cell, the 自评表, 项目信息, the import and the rules agree on what "１．５"
//! or "1,200.50" means.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::Direction;

mod chinese;
mod date;

/// (Kept in the model, whose panel figures are rounded by it too.)
pub use crate::model::round2;
pub use date::Period;

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

    /// The direction the value itself says: its comparator, else 反向 for a target of 0
    /// written without one (安全事故 `0起`: none is the goal, and any is a miss).
    pub fn direction(&self) -> Option<Direction> {
        self.comparator
            .or_else(|| (self.value.is_zero() && self.upper.is_none()).then_some(Direction::Lower))
    }
}

/// What a typed 年度指标值 or 实际完成值 says: a figure, or a date (a 时效 indicator's
/// deadline or completion).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Figure(Quantity),
    Date(Period),
}

/// Comparators written before the number (after [`fold_value`]); a longer one before
/// any it begins with.
const PREFIXES: [(&str, Direction); 33] = [
    ("≥=", Direction::Higher),
    ("≥", Direction::Higher),
    ("≧", Direction::Higher),
    (">=", Direction::Higher),
    (">", Direction::Higher),
    ("不低于", Direction::Higher),
    ("不少于", Direction::Higher),
    ("大于等于", Direction::Higher),
    ("大于", Direction::Higher),
    ("高于", Direction::Higher),
    ("多于", Direction::Higher),
    ("超过", Direction::Higher),
    ("至少", Direction::Higher),
    ("达到", Direction::Higher),
    ("逾", Direction::Higher),
    ("≤=", Direction::Lower),
    ("≤", Direction::Lower),
    ("≦", Direction::Lower),
    ("<=", Direction::Lower),
    ("<", Direction::Lower),
    ("不高于", Direction::Lower),
    ("不超过", Direction::Lower),
    ("不大于", Direction::Lower),
    ("不多于", Direction::Lower),
    ("小于等于", Direction::Lower),
    ("小于", Direction::Lower),
    ("少于", Direction::Lower),
    ("低于", Direction::Lower),
    ("控制在", Direction::Lower),
    ("最多", Direction::Lower),
    ("至多", Direction::Lower),
    ("=", Direction::Equal),
    ("等于", Direction::Equal),
];

/// Words that say a figure is about that much: `约50个`, `50个左右`, `50余个`. The
/// figure is read as written.
const ABOUT_BEFORE: [&str; 4] = ["大约", "约为", "约", "近"];
const ABOUT_AFTER: [&str; 2] = ["左右", "上下"];
const ABOUT_INSIDE: [&str; 2] = ["余", "多"];

/// Direction words written after the number and its unit: "90万元以内", "5%以下".
const SUFFIXES: [(&str, Direction); 9] = [
    ("以上(含)", Direction::Higher),
    ("及以上", Direction::Higher),
    ("以上", Direction::Higher),
    ("及以下", Direction::Lower),
    ("以下(含)", Direction::Lower),
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

/// A number in digits or in Chinese numerals (`五十`, `九十三点三五`), and whether it
/// was written in Chinese.
fn any_number(text: &str, signed: bool) -> Option<(Decimal, &str, bool)> {
    leading_number(text, signed)
        .map(|(value, rest)| (value, rest, false))
        .or_else(|| chinese::leading(text).map(|(value, rest)| (value, rest, true)))
}

/// A typed value folded for reading: full-width forms to ASCII (`＞＝`, `（个）`, `１００％`),
/// no blanks, no thousands separators.
fn fold_value(text: &str) -> String {
    fold_width(text.trim())
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .map(|c| match c {
            '＞' => '>',
            '＜' => '<',
            '＝' => '=',
            '（' => '(',
            '）' => ')',
            '～' => '~',
            _ => c,
        })
        .collect()
}

fn strip_any<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    words.iter().find_map(|word| text.strip_prefix(word))
}

/// Reads a typed target or actual, a figure or a date: the one reader every rule uses.
/// `None` when it says neither (words: a 定性 value or a 是/否 answer).
pub fn read_value(text: &str) -> Option<Value> {
    let folded = fold_value(text);
    if let Some(period) = date::read(&folded) {
        return Some(Value::Date(period));
    }
    read_figure(&folded).map(Value::Figure)
}

/// Reads a typed target or actual as a figure. `None` when there is no figure in it,
/// and for a date (see [`read_value`]) — except one that is a figure too (`1999.5`, an
/// amount in 万元 as a budget row holds it), read here as the figure.
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    match read_value(text)? {
        Value::Figure(quantity) => Some(quantity),
        Value::Date(period) if period.could_be_a_figure => read_as_figure(text),
        Value::Date(_) => None,
    }
}

/// Reads `text` as a figure even where it could be a date (`2000.12` is 2000.12 where
/// the other side of the comparison is a figure); see [`Period::could_be_a_figure`].
pub fn read_as_figure(text: &str) -> Option<Quantity> {
    read_figure(&fold_value(text))
}

fn read_figure(folded: &str) -> Option<Quantity> {
    let mut rest = folded;
    let mut comparator = None;
    for (prefix, direction) in PREFIXES {
        if let Some(stripped) = rest.strip_prefix(prefix) {
            comparator = Some(direction);
            rest = stripped;
            break;
        }
    }
    rest = strip_any(rest, &ABOUT_BEFORE).unwrap_or(rest);
    let (spelled_percent, rest) = match rest.strip_prefix("百分之") {
        Some(after) => (true, after),
        None => (false, rest),
    };
    let (value, after, in_chinese) = any_number(rest, true)?;
    // A range: "50-60个", "50~60个", "50至60个".
    let mut upper = None;
    let mut after = after;
    for dash in ["-", "~", "—", "–", "至", "到"] {
        if let Some(tail) = after.strip_prefix(dash)
            && let Some((high, tail, _)) = any_number(tail, false)
            && high >= value
        {
            upper = Some(high);
            after = tail;
            break;
        }
    }
    let mut unit = strip_any(after, &ABOUT_INSIDE).unwrap_or(after);
    for (suffix, direction) in SUFFIXES {
        if let Some(stripped) = unit.strip_suffix(suffix) {
            comparator = comparator.or(Some(direction));
            unit = stripped;
            break;
        }
    }
    unit = ABOUT_AFTER
        .iter()
        .find_map(|word| unit.strip_suffix(word))
        .unwrap_or(unit);
    // "≥50（个）", "50(个)".
    unit = unit
        .strip_prefix('(')
        .and_then(|u| u.strip_suffix(')'))
        .unwrap_or(unit);
    let (is_percent, unit) = match unit.strip_prefix('%') {
        Some(rest) => (true, rest),
        None => (spelled_percent, unit),
    };
    if in_chinese && !chinese::is_measure_word(unit) {
        return None;
    }
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

/// A unit's scale and what it counts: `万人次` → (10,000, `人次`), `万元` → (10,000, `元`),
/// `个` → (1, `个`). A figure in one scale converts exactly into another of the same base.
pub fn unit_scale(unit: &str) -> (Decimal, &str) {
    for (prefix, factor) in [
        ("百万", 1_000_000i64),
        ("千万", 10_000_000),
        ("亿", 100_000_000),
        ("万", 10_000),
    ] {
        if let Some(base) = unit.strip_prefix(prefix) {
            return (Decimal::from(factor), base);
        }
    }
    if let Some(base) = unit.strip_prefix('千')
        && base == "元"
    {
        return (Decimal::from(1000), base);
    }
    (Decimal::ONE, unit)
}

/// A typed 实际完成值 as a share: "92%" → 0.92, "百分之九十二" → 0.92; a bare number is
/// read by [`bare_as_share`]; anything else is the reason it is not a share.
pub fn actual_as_share(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("尚未填写实际完成值".to_owned());
    }
    let quantity =
        parse_quantity(text).ok_or_else(|| format!("无法从实际完成值“{text}”读出数字"))?;
    if quantity.is_percent {
        Ok(quantity.value)
    } else if quantity.is_bare() {
        Ok(bare_as_share(quantity.value))
    } else {
        Err(format!(
            "实际完成值“{text}”的单位是“{}”，这里应是百分比",
            quantity.unit
        ))
    }
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

    /// (direction, value, upper, percent, unit) of a figure.
    type Read = (Option<Direction>, String, Option<String>, bool, String);

    /// What `read_value` makes of a typed value.
    fn figure(text: &str) -> Option<Read> {
        match read_value(text)? {
            Value::Figure(q) => Some((
                q.comparator,
                q.value.normalize().to_string(),
                q.upper.map(|u| u.normalize().to_string()),
                q.is_percent,
                q.unit,
            )),
            Value::Date(_) => None,
        }
    }

    #[test]
    fn every_way_of_writing_a_figure_in_the_readme_reads() {
        use Direction::{Higher, Lower};
        let f = |c, v: &str, u: &str| Some((c, v.to_owned(), None, false, u.to_owned()));
        let p = |c, v: &str| Some((c, v.to_owned(), None, true, String::new()));
        assert_eq!(figure("≥50个"), f(Some(Higher), "50", "个"));
        assert_eq!(figure("≥=95%"), p(Some(Higher), "0.95"));
        assert_eq!(figure("＞＝95％"), p(Some(Higher), "0.95"));
        assert_eq!(figure("超过50个"), f(Some(Higher), "50", "个"));
        assert_eq!(figure("≥50（个）"), f(Some(Higher), "50", "个"));
        assert_eq!(figure("约50个"), f(None, "50", "个"));
        assert_eq!(figure("50个左右"), f(None, "50", "个"));
        assert_eq!(figure("50余个"), f(None, "50", "个"));
        assert_eq!(figure("九十五%"), p(None, "0.95"));
        assert_eq!(figure("五十个"), f(None, "50", "个"));
        assert_eq!(figure("两场"), f(None, "2", "场"));
        assert_eq!(figure("百分之九十三点三五"), p(None, "0.9335"));
        assert_eq!(figure("百分之90以上"), p(Some(Higher), "0.9"));
        assert_eq!(figure("不超过90万元"), f(Some(Lower), "90", "万元"));
        assert_eq!(figure("≤-10%"), p(Some(Lower), "-0.1"));
        assert_eq!(
            figure("50-60个"),
            Some((None, "50".into(), Some("60".into()), false, "个".into()))
        );
        assert_eq!(figure("一般"), None);
        assert_eq!(figure("活动记录完整"), None);
        assert!(matches!(read_value("2023年12月底前"), Some(Value::Date(_))));
        assert!(matches!(read_value("2023.12"), Some(Value::Date(_))));
        assert_eq!(figure("3年"), f(None, "3", "年"));
    }

    #[test]
    fn a_figure_that_looks_like_a_month_is_a_figure_where_a_figure_is_asked_for() {
        // A budget of 1999.5 万元 is not May 1999 to the budget block or the library.
        assert!(matches!(read_value("1999.5"), Some(Value::Date(_))));
        assert_eq!(
            parse_quantity("1999.5").map(|q| q.value),
            Some(Decimal::new(19995, 1))
        );
        assert_eq!(parse_quantity("2023年12月"), None);
    }

    #[test]
    fn a_target_of_zero_says_at_most_zero() {
        let direction = |text: &str| parse_quantity(text).and_then(|q| q.direction());
        assert_eq!(direction("0起"), Some(Direction::Lower));
        assert_eq!(direction("≥0"), Some(Direction::Higher));
        assert_eq!(direction("5起"), None);
    }

    #[test]
    fn scaled_units_know_their_base() {
        assert_eq!(unit_scale("万人次"), (Decimal::from(10_000), "人次"));
        assert_eq!(unit_scale("亿元"), (Decimal::from(100_000_000), "元"));
        assert_eq!(unit_scale("千元"), (Decimal::from(1_000), "元"));
        assert_eq!(unit_scale("千米"), (Decimal::ONE, "千米"));
        assert_eq!(unit_scale("个"), (Decimal::ONE, "个"));
    }

    #[test]
    fn too_many_digits_is_refused_not_a_panic() {
        assert!(parse_decimal(&"9".repeat(60)).is_err());
    }
}
