//! Dates as a 时效 indicator's 年度指标值 and 实际完成值 are typed: `2023年`, `2023年12月`,
//! `2023年12月31日`, `2023.12`, `2023-12-31`, `2023年底前`, `12月底前`, `2024年1月完成`,
//! `2023年上半年`. A date names a period (a year, a month, a day); a target date is a
//! deadline at the end of its period.

use jiff::civil::Date;

/// A period written as a date: its first and last day, and whether a year was written
/// (`12月底前` has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub first: Date,
    pub last: Date,
    pub has_year: bool,
    /// Written as `2023.12`, which is also a number: read as a figure where the other
    /// side of a comparison is one.
    pub could_be_a_figure: bool,
}

/// Years a 自评表 date can name; a number outside is a count, not a year (`3年`).
const YEARS: std::ops::RangeInclusive<i16> = 1949..=2100;

/// Words around a date that do not change it: `于2023年12月完成`, `2023年底前`.
const LEADING: [&str; 6] = ["已于", "截止到", "截至", "截止", "于", "在"];
const TRAILING: [&str; 9] = [
    "前完成",
    "完成",
    "之前",
    "以前",
    "前",
    "止",
    "内",
    "底",
    "末",
];

/// Reads `text` (already folded to ASCII digits) as a date; `None` when it is not one.
pub(super) fn read(text: &str) -> Option<Period> {
    let mut rest = text;
    for word in LEADING {
        if let Some(stripped) = rest.strip_prefix(word) {
            rest = stripped;
            break;
        }
    }
    let mut trailing_removed = true;
    while trailing_removed {
        trailing_removed = false;
        for word in TRAILING {
            if let Some(stripped) = rest.strip_suffix(word) {
                rest = stripped;
                trailing_removed = true;
            }
        }
    }
    separated(rest).or_else(|| written_out(rest))
}

/// `2023.12`, `2023-12-31`, `2023/12`.
fn separated(text: &str) -> Option<Period> {
    let separator = ['.', '-', '/'].into_iter().find(|s| text.contains(*s))?;
    let parts: Vec<&str> = text.split(separator).collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || !is_digits(p)) {
        return None;
    }
    if parts[0].len() != 4 || parts[1..].iter().any(|p| p.len() > 2) {
        return None;
    }
    let number = |i: usize| parts.get(i).and_then(|p| p.parse::<i8>().ok());
    let dated = period(parts[0].parse().ok(), number(1), number(2))?;
    Some(Period {
        could_be_a_figure: separator == '.' && parts.len() == 2,
        ..dated
    })
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `2023年12月31日`, `2023年`, `12月`, `2023年上半年`.
fn written_out(text: &str) -> Option<Period> {
    let (year, rest) = match text.split_once('年') {
        Some((year, rest)) if is_digits(year) && year.len() == 4 => {
            (Some(year.parse().ok()?), rest)
        }
        Some(_) => return None,
        None => (None, text),
    };
    if let (Some(year), Some(half)) = (year, half_year(rest)) {
        let (from, to) = if half == 1 { (1, 6) } else { (7, 12) };
        let first = period(Some(year), Some(from), None)?.first;
        let last = period(Some(year), Some(to), None)?.last;
        return Some(Period {
            first,
            last,
            has_year: true,
            could_be_a_figure: false,
        });
    }
    let (month, rest) = match rest.split_once('月') {
        Some((month, rest)) if is_digits(month) && month.len() <= 2 => {
            (Some(month.parse().ok()?), rest)
        }
        Some(_) => return None,
        None => (None, rest),
    };
    let day = match rest.strip_suffix('日').or_else(|| rest.strip_suffix('号')) {
        Some(day) if is_digits(day) && day.len() <= 2 && month.is_some() => Some(day.parse().ok()?),
        Some(_) => return None,
        None if rest.is_empty() => None,
        None => return None,
    };
    if year.is_none() && month.is_none() {
        return None;
    }
    match year {
        Some(year) => period(Some(year), month, day),
        None => {
            // No year written: compared within one year (2000, a leap year, so that
            // 2月29日 reads).
            let dated = period(Some(2000), month, day)?;
            Some(Period {
                has_year: false,
                ..dated
            })
        }
    }
}

/// 1 for `上半年`, 2 for `下半年`.
fn half_year(text: &str) -> Option<u8> {
    match text {
        "上半年" => Some(1),
        "下半年" => Some(2),
        _ => None,
    }
}

fn period(year: Option<i16>, month: Option<i8>, day: Option<i8>) -> Option<Period> {
    let year = year.filter(|y| YEARS.contains(y))?;
    let (first, last) = match (month, day) {
        (None, None) => (Date::new(year, 1, 1).ok()?, Date::new(year, 12, 31).ok()?),
        (Some(month), None) => {
            let first = Date::new(year, month, 1).ok()?;
            (first, first.last_of_month())
        }
        (Some(month), Some(day)) => {
            let date = Date::new(year, month, day).ok()?;
            (date, date)
        }
        (None, Some(_)) => return None,
    };
    Some(Period {
        first,
        last,
        has_year: true,
        could_be_a_figure: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str) -> Option<(String, String, bool)> {
        read(text).map(|p| (p.first.to_string(), p.last.to_string(), p.has_year))
    }

    fn of(first: &str, last: &str) -> Option<(String, String, bool)> {
        Some((first.into(), last.into(), true))
    }

    #[test]
    fn dates_as_they_are_typed() {
        assert_eq!(span("2023年"), of("2023-01-01", "2023-12-31"));
        assert_eq!(span("2023年底前"), of("2023-01-01", "2023-12-31"));
        assert_eq!(span("2023年12月底前"), of("2023-12-01", "2023-12-31"));
        assert_eq!(span("2024年1月完成"), of("2024-01-01", "2024-01-31"));
        assert_eq!(span("2023年2月"), of("2023-02-01", "2023-02-28"));
        assert_eq!(span("2023年12月31日"), of("2023-12-31", "2023-12-31"));
        assert_eq!(span("于2023年11月20日完成"), of("2023-11-20", "2023-11-20"));
        assert_eq!(span("2023.12"), of("2023-12-01", "2023-12-31"));
        assert_eq!(span("2024.01"), of("2024-01-01", "2024-01-31"));
        assert_eq!(span("2023-12-31"), of("2023-12-31", "2023-12-31"));
        assert_eq!(span("2023/6"), of("2023-06-01", "2023-06-30"));
        assert_eq!(span("2023年上半年"), of("2023-01-01", "2023-06-30"));
        assert_eq!(
            span("12月底前"),
            Some(("2000-12-01".into(), "2000-12-31".into(), false))
        );
    }

    #[test]
    fn counts_and_impossible_dates_are_not_dates() {
        for text in [
            "3年",
            "2023",
            "50",
            "2023.13",
            "2023年13月",
            "2023年2月30日",
            "12.5",
            "1.2万",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
