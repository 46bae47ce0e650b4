//! Chinese numerals as units type them in a 年度指标值 or 实际完成值: `五十`, `九十五`,
//! `两`, `一百零五`, `二〇二三`, `九十三点三五`. 万 and 亿 are left to the unit
//! (`五十万元` is 50 of 万元), as they are after Arabic digits.

use std::str::FromStr;

use rust_decimal::Decimal;

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn multiplier(c: char) -> Option<u32> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// The whole part of a numeral: `五十` → 50, `十五` → 15, `一百零五` → 105, and digits
/// read one by one where no 十/百/千 is written (`二〇二三` → 2023). `None` for a run
/// that is no numeral (`十百`, `两两`).
fn whole(run: &[char]) -> Option<u64> {
    if run.iter().all(|c| digit(*c).is_some()) {
        if run.len() > 1 && run.contains(&'两') {
            return None;
        }
        return run.iter().try_fold(0u64, |acc, c| {
            acc.checked_mul(10)?.checked_add(u64::from(digit(*c)?))
        });
    }
    let mut total = 0u64;
    let mut current: Option<u32> = None;
    let mut last_multiplier = u32::MAX;
    for c in run {
        if let Some(d) = digit(*c) {
            if current.is_some_and(|held| held != 0) {
                return None;
            }
            current = Some(d);
        } else {
            let m = multiplier(*c)?;
            if m >= last_multiplier {
                return None;
            }
            last_multiplier = m;
            total += u64::from(current.unwrap_or(1)) * u64::from(m);
            current = None;
        }
    }
    Some(total + u64::from(current.unwrap_or(0)))
}

/// The Chinese numeral at the start of `text` and what follows it, e.g. `九十五%` →
/// (95, "%"), `两场` → (2, "场"), `九十三点三五` → (93.35, ""). `None` when `text` does
/// not begin with one.
pub(super) fn leading(text: &str) -> Option<(Decimal, &str)> {
    let is_part = |c: char| digit(c).is_some() || multiplier(c).is_some();
    let end = text
        .char_indices()
        .find(|(_, c)| !is_part(*c))
        .map_or(text.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let run: Vec<char> = text[..end].chars().collect();
    let integer = whole(&run)?;
    let mut rest = &text[end..];
    let mut fraction = String::new();
    if let Some(after) = rest.strip_prefix('点') {
        let digits_end = after
            .char_indices()
            .find(|(_, c)| digit(*c).is_none())
            .map_or(after.len(), |(i, _)| i);
        if digits_end > 0 {
            fraction = after[..digits_end]
                .chars()
                .filter_map(digit)
                .map(|d| char::from_digit(d, 10).unwrap_or('0'))
                .collect();
            rest = &after[digits_end..];
        }
    }
    let written = if fraction.is_empty() {
        integer.to_string()
    } else {
        format!("{integer}.{fraction}")
    };
    Decimal::from_str(&written).ok().map(|value| (value, rest))
}

/// Measure words a Chinese numeral may be followed by. A numeral followed by anything
/// else is a word (`一般`, `十分满意`), not a figure.
const MEASURE_WORDS: [&str; 58] = [
    "个",
    "场",
    "次",
    "人次",
    "人",
    "户",
    "家",
    "项",
    "件",
    "名",
    "所",
    "台",
    "套",
    "处",
    "座",
    "条",
    "篇",
    "期",
    "批",
    "天",
    "日",
    "个月",
    "月",
    "年",
    "周",
    "小时",
    "分钟",
    "元",
    "公里",
    "千米",
    "米",
    "平方米",
    "亩",
    "吨",
    "份",
    "本",
    "册",
    "间",
    "张",
    "辆",
    "株",
    "棵",
    "头",
    "只",
    "位",
    "组",
    "支",
    "类",
    "种",
    "块",
    "栋",
    "部",
    "门",
    "节",
    "课时",
    "学时",
    "村",
    "%",
];

/// Whether `unit` may follow a Chinese numeral: nothing, a measure word, or one scaled
/// by 万 or 亿 (`万元`, `万人次`).
pub(super) fn is_measure_word(unit: &str) -> bool {
    let base = unit
        .strip_prefix('万')
        .or_else(|| unit.strip_prefix('亿'))
        .unwrap_or(unit);
    unit.is_empty() || base.is_empty() || MEASURE_WORDS.contains(&base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<(String, &str)> {
        leading(text).map(|(v, rest)| (v.to_string(), rest))
    }

    #[test]
    fn numerals_as_people_write_them() {
        assert_eq!(read("五十个"), Some(("50".into(), "个")));
        assert_eq!(read("九十五%"), Some(("95".into(), "%")));
        assert_eq!(read("两场"), Some(("2".into(), "场")));
        assert_eq!(read("十五"), Some(("15".into(), "")));
        assert_eq!(read("一百零五人"), Some(("105".into(), "人")));
        assert_eq!(read("一千二百"), Some(("1200".into(), "")));
        assert_eq!(read("二〇二三年"), Some(("2023".into(), "年")));
        assert_eq!(read("九十三点三五"), Some(("93.35".into(), "")));
        assert_eq!(read("五十万元"), Some(("50".into(), "万元")));
        assert_eq!(read("满意"), None);
        assert_eq!(read("十百"), None);
        assert_eq!(read("两两"), None);
    }

    #[test]
    fn only_measure_words_follow_a_numeral() {
        assert!(is_measure_word("场"));
        assert!(is_measure_word("万人次"));
        assert!(is_measure_word(""));
        assert!(!is_measure_word("般"));
        assert!(!is_measure_word("分满意"));
    }
}
