//! The words the import recognizes, as data: `indicator_templates/import/words.ron`,
//! built into the program, and a `识别词.ron` in the user's data folder that adds to it
//! (a bureau's own header words, total words, Traditional characters). Nothing here
//! knows a table: it answers "is this text one of these words".

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;

use super::header::Column;

/// The built-in words.
const BUILT_IN: &str = include_str!("../../indicator_templates/import/words.ron");

/// The file in the user's data folder whose words are added to the built-in ones.
pub const USER_FILE: &str = "识别词.ron";

/// A words file as written: every part may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct WordsFile {
    fold: Vec<String>,
    columns: Vec<ColumnWords>,
    leaf_level: Vec<String>,
    totals: Vec<String>,
    subtotals: Vec<String>,
    notes: Vec<String>,
    ratings: Vec<String>,
    details: Vec<String>,
    optional: Vec<String>,
    template_names: Vec<String>,
    printed_totals: Vec<String>,
    comparators: Vec<(String, String)>,
}

/// The words of one header column.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ColumnWords {
    role: String,
    exact: Vec<String>,
    starts: Vec<String>,
    ends: Vec<String>,
    contains: Vec<String>,
    unless: Vec<String>,
}

impl ColumnWords {
    fn matches(&self, h: &str) -> bool {
        let any = |words: &[String], test: &dyn Fn(&str) -> bool| words.iter().any(|w| test(w));
        (any(&self.exact, &|w| h == w)
            || any(&self.starts, &|w| h.starts_with(w))
            || any(&self.ends, &|w| h.ends_with(w))
            || any(&self.contains, &|w| h.contains(w)))
            && !any(&self.unless, &|w| h.contains(w))
    }
}

/// The column a role names in a words file.
fn column_of_role(role: &str) -> Option<Column> {
    Some(match role {
        "一级指标" => Column::Level(0),
        "二级指标" => Column::Level(1),
        "三级指标" => Column::Level(2),
        "四级指标" => Column::Level(3),
        "分值" => Column::MaxPoints,
        "得分" => Column::Score,
        "得分系数" => Column::ScoreFactor,
        "扣分理由" => Column::Reason,
        "指标性质" => Column::Nature,
        "年度指标值" => Column::Target,
        "度量单位" => Column::Unit,
        "实际完成值" => Column::Actual,
        "偏差原因" => Column::Deviation,
        "评分标准" => Column::Criteria,
        _ => return None,
    })
}

/// The words in use: the built-in ones and the user's.
#[derive(Debug, Default)]
pub(super) struct Words {
    /// Traditional → Simplified, sorted by the Traditional character.
    fold: Vec<(char, char)>,
    /// A bit per [`bloom_bit`] of each Traditional character: a character whose bit is
    /// clear is none of them, so nearly every character of a table is cleared without a
    /// search (this runs on every cell that words are compared in).
    fold_bloom: [u64; 16],
    columns: Vec<(Column, ColumnWords)>,
    leaf_level: Vec<String>,
    totals: Vec<String>,
    /// The longest total word, in bytes: a longer name (nearly every indicator's) is none.
    longest_total: usize,
    subtotals: Vec<String>,
    /// The last character of each subtotal word.
    subtotal_ends: Vec<char>,
    notes: Prefixes,
    ratings: Prefixes,
    details: Prefixes,
    /// Words a name may contain anywhere (their first characters tested first).
    optional: Prefixes,
    template_names: Prefixes,
    printed_totals: Vec<String>,
    comparators: HashMap<String, String>,
    /// Why the user's file was not used, naming it; `None` when it was, or there is none.
    pub(super) problem: Option<String>,
}

/// Reads a words file; the error names the file, the line and the column.
fn parse(text: &str, file: &str) -> Result<WordsFile, String> {
    let parsed: WordsFile = ron::Options::default().from_str(text).map_err(|err| {
        use ron::Error as E;
        let reason = match &err.code {
            E::NoSuchStructField { found, .. } => format!("不认识的项“{found}”"),
            E::Eof => "文件意外结束".to_owned(),
            other => format!("格式不对（{other}）"),
        };
        format!(
            "识别词文件“{file}”第 {} 行第 {} 列有误：{reason}",
            err.span.start.line, err.span.start.col
        )
    })?;
    if let Some(bad) = parsed
        .columns
        .iter()
        .find(|c| column_of_role(&c.role).is_none())
    {
        return Err(format!(
            "识别词文件“{file}”有误：不认识的列“{}”，可用：一级指标、二级指标、三级指标、四级指标、分值、得分、得分系数、扣分理由、指标性质、年度指标值、度量单位、实际完成值、偏差原因、评分标准",
            bad.role
        ));
    }
    if let Some(bad) = parsed.fold.iter().find(|f| f.chars().count() % 2 != 0) {
        return Err(format!(
            "识别词文件“{file}”有误：fold 中“{bad}”的字数不是双数，应是一对一对的繁体和简体字"
        ));
    }
    Ok(parsed)
}

impl Words {
    /// The built-in words and then `extra` (the user's), each list added to; the user's
    /// header rules are tried first, so a user can give a word another column.
    fn of(built_in: WordsFile, extra: Option<WordsFile>) -> Self {
        let mut words = Words::default();
        let files = extra.into_iter().chain(std::iter::once(built_in));
        for file in files {
            for pair in &file.fold {
                let chars: Vec<char> = pair.chars().collect();
                words
                    .fold
                    .extend(chars.chunks_exact(2).map(|two| (two[0], two[1])));
            }
            words.columns.extend(
                file.columns
                    .into_iter()
                    .filter_map(|c| column_of_role(&c.role).map(|column| (column, c))),
            );
            words.leaf_level.extend(file.leaf_level);
            words.totals.extend(file.totals);
            words.subtotals.extend(file.subtotals);
            words.notes.extend(file.notes);
            words.ratings.extend(file.ratings);
            words.details.extend(file.details);
            words.optional.extend(file.optional);
            words.template_names.extend(file.template_names);
            words.printed_totals.extend(file.printed_totals);
            for (from, to) in file.comparators {
                words.comparators.entry(from).or_insert(to);
            }
        }
        // The user's pair for a character comes first and wins.
        words.fold.sort_by_key(|&(from, _)| from);
        words.fold.dedup_by_key(|&mut (from, _)| from);
        for &(from, _) in &words.fold {
            let bit = bloom_bit(from);
            words.fold_bloom[bit / 64] |= 1 << (bit % 64);
        }
        words.longest_total = words.totals.iter().map(String::len).max().unwrap_or(0);
        words.subtotal_ends = words
            .subtotals
            .iter()
            .filter_map(|w| w.chars().next_back())
            .collect();
        words
    }

    /// The built-in words and the user's file at `user` where there is one; a user file
    /// that cannot be used is left out and said in [`Words::problem`].
    pub(super) fn load(user: Option<&Path>) -> Self {
        let built_in = match parse(BUILT_IN, "内置识别词") {
            Ok(file) => file,
            Err(problem) => {
                return Words {
                    problem: Some(problem),
                    ..Words::default()
                };
            }
        };
        let mut problem = None;
        let extra = user.filter(|p| p.is_file()).and_then(|path| {
            let file = path.display().to_string();
            let read = std::fs::read_to_string(path).map_err(|err| {
                format!(
                    "无法读取识别词文件“{file}”：{}",
                    crate::storage::io_reason(&err)
                )
            });
            match read.and_then(|text| parse(&text, &file)) {
                Ok(extra) => Some(extra),
                Err(why) => {
                    problem = Some(format!("{why}；未使用其中的词"));
                    None
                }
            }
        });
        Words {
            problem,
            ..Words::of(built_in, extra)
        }
    }

    /// The built-in words with `extra`, a words file's text, added.
    #[cfg(test)]
    pub(super) fn with(extra: &str) -> Result<Self, String> {
        let built_in = parse(BUILT_IN, "内置识别词")?;
        Ok(Words::of(built_in, Some(parse(extra, "测试")?)))
    }

    /// `text` with every Traditional character the words know made Simplified; borrowed
    /// when there is none, as in almost every cell.
    pub(super) fn fold<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let simplified = |c: char| {
            let bit = bloom_bit(c);
            if self.fold_bloom[bit / 64] & (1 << (bit % 64)) == 0 {
                return None;
            }
            self.fold
                .binary_search_by_key(&c, |&(from, _)| from)
                .ok()
                .map(|i| self.fold[i].1)
        };
        if text.is_ascii() || !text.chars().any(|c| simplified(c).is_some()) {
            return std::borrow::Cow::Borrowed(text);
        }
        std::borrow::Cow::Owned(text.chars().map(|c| simplified(c).unwrap_or(c)).collect())
    }

    /// The column a header cell names, its text already compacted and folded: the whole
    /// cell, then the words in its closing brackets (`指标名称(三级指标)`), then the cell
    /// without them (`指标得分(分)`).
    pub(super) fn column_of(&self, h: &str) -> Option<Column> {
        let find = |h: &str| {
            self.columns
                .iter()
                .find(|(_, words)| words.matches(h))
                .map(|&(column, _)| column)
        };
        if let Some(column) = find(h) {
            return Some(column);
        }
        let (outside, inside) = split_brackets(h)?;
        find(inside).or_else(|| find(outside))
    }

    /// Whether a header cell names the indicator without its level (考核指标): the level
    /// below the deepest the header names.
    pub(super) fn is_leaf_level(&self, h: &str) -> bool {
        let outside = split_brackets(h).map_or(h, |(outside, _)| outside);
        self.leaf_level.iter().any(|w| w == h || w == outside)
    }

    pub(super) fn is_total(&self, n: &str) -> bool {
        n.len() <= self.longest_total && self.totals.iter().any(|w| w == n)
    }

    /// A 小计 (`产出指标小计`, `决策合计`); never the table's own total.
    pub(super) fn subtotal_subject<'n>(&self, n: &'n str) -> Option<&'n str> {
        if self.is_total(n) {
            return None;
        }
        let last = n.chars().next_back()?;
        if !self.subtotal_ends.contains(&last) {
            return None;
        }
        self.subtotals
            .iter()
            .find_map(|w| n.strip_suffix(w.as_str()))
    }

    pub(super) fn is_note(&self, n: &str) -> bool {
        self.notes.starts(n)
    }

    pub(super) fn is_rating(&self, n: &str) -> bool {
        self.ratings.starts(n)
    }

    /// A 其中 row's name: a detail of the indicator above it.
    pub(super) fn is_detail(&self, n: &str) -> bool {
        self.details.starts(n)
    }

    /// A name marked optional (`经济效益指标（可选项）`).
    pub(super) fn is_optional(&self, n: &str) -> bool {
        let firsts = &self.optional.firsts;
        n.chars().any(|c| firsts.contains(&c))
            && self.optional.words.iter().any(|w| n.contains(w.as_str()))
    }

    /// A template's blank name: `指标1`, `指标二`.
    pub(super) fn is_template_name(&self, n: &str) -> bool {
        if !self.template_names.may_start(n) {
            return false;
        }
        self.template_names.words.iter().any(|w| {
            n.strip_prefix(w.as_str()).is_some_and(|number| {
                !number.is_empty()
                    && number
                        .chars()
                        .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
            })
        })
    }

    /// Where a printed total's word ends in `n` (`自评得分98` → after 自评得分).
    pub(super) fn printed_total_at(&self, n: &str) -> Option<usize> {
        self.printed_totals
            .iter()
            .filter_map(|w| n.find(w.as_str()).map(|at| at + w.len()))
            .min()
    }

    /// `≧` `>=` as forms print them, folded to `≥`; other text as it is.
    pub(super) fn comparator<'t>(&'t self, text: &'t str) -> &'t str {
        self.comparators.get(text).map_or(text, String::as_str)
    }
}

/// Words a text may start with, and their first characters: a text whose first
/// character starts none (nearly every cell) is cleared without comparing any word.
#[derive(Debug, Default)]
struct Prefixes {
    words: Vec<String>,
    firsts: Vec<char>,
}

impl Prefixes {
    fn extend(&mut self, words: Vec<String>) {
        self.firsts
            .extend(words.iter().filter_map(|w| w.chars().next()));
        self.words.extend(words);
    }

    fn may_start(&self, n: &str) -> bool {
        n.chars().next().is_some_and(|c| self.firsts.contains(&c))
    }

    fn starts(&self, n: &str) -> bool {
        self.may_start(n) && self.words.iter().any(|w| n.starts_with(w.as_str()))
    }
}

/// Which of the 1,024 bits of [`Words::fold_bloom`] stands for `c`.
fn bloom_bit(c: char) -> usize {
    ((c as u32).wrapping_mul(0x9E37_79B9) >> 22) as usize
}

/// `指标名称(三级指标)` → (`指标名称`, `三级指标`): a cell ending in brackets.
fn split_brackets(h: &str) -> Option<(&str, &str)> {
    let inner = h.strip_suffix(')').or_else(|| h.strip_suffix('）'))?;
    let open = inner.rfind(['(', '（'])?;
    let inside = inner[open..].trim_start_matches(['(', '（']);
    Some((&inner[..open], inside))
}

/// The words in use, read once: the built-in words and the user's `识别词.ron`.
pub(super) fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let user = crate::storage::data_dir().map(|dir| dir.join(USER_FILE));
        Words::load(user.as_deref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_words_read_and_know_every_role() {
        let words = Words::load(None);
        assert_eq!(words.problem, None);
        assert_eq!(words.column_of("一级指标"), Some(Column::Level(0)));
        assert_eq!(
            words.column_of("指标名称(三级指标)"),
            Some(Column::Level(2))
        );
        assert_eq!(words.column_of("指标得分(分)"), Some(Column::Score));
        assert_eq!(words.column_of("指标权重(分)"), Some(Column::MaxPoints));
        assert_eq!(words.column_of("权数"), Some(Column::MaxPoints));
        assert_eq!(words.column_of("自评分"), Some(Column::Score));
        assert_eq!(words.column_of("复核分"), Some(Column::Score));
        assert_eq!(words.column_of("得分系数"), Some(Column::ScoreFactor));
        assert_eq!(words.column_of("得分计算方法"), Some(Column::Criteria));
        assert_eq!(words.column_of("得分率"), None);
        assert!(words.is_leaf_level("考核指标"));
        assert_eq!(words.fold("一級指標"), "一级指标");
        assert_eq!(words.fold("評分"), "评分");
        assert!(words.is_template_name("指标1"));
        assert!(words.is_template_name("指标二"));
        assert!(!words.is_template_name("指标"));
        assert!(!words.is_template_name("指标解释"));
    }

    #[test]
    fn a_users_file_adds_words_and_may_give_a_word_another_column() {
        let words = Words::with(
            r#"(
                fold: ["覈核"],
                columns: [(role: "得分", exact: ["绩效分数"]), (role: "分值", exact: ["标准"])],
                totals: ["总评分"],
                details: ["含"],
            )"#,
        )
        .unwrap();
        assert_eq!(words.column_of("绩效分数"), Some(Column::Score));
        assert_eq!(words.column_of("标准"), Some(Column::MaxPoints));
        assert!(words.is_total("总评分"));
        assert!(words.is_total("合计"), "the built-in words stay");
        assert!(words.is_detail("含财政拨款"));
        assert_eq!(Words::load(None).column_of("绩效分数"), None);
    }

    #[test]
    fn a_bad_users_file_is_named_and_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(USER_FILE);
        std::fs::write(&path, "( columns: [(role: \"总分数\", exact: [\"x\"])] )").unwrap();
        let words = Words::load(Some(&path));
        let problem = words.problem.clone().unwrap();
        assert!(problem.contains("不认识的列“总分数”"), "{problem}");
        assert!(words.is_total("合计"));
        std::fs::write(&path, "( totals: [\"总评分\" )").unwrap();
        let problem = Words::load(Some(&path)).problem.unwrap();
        assert!(problem.contains("第 1 行"), "{problem}");
    }
}
