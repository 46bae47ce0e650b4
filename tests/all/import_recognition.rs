//! What real tables print that the import must recognize (issue 25): 其中 rows, 分值 on
//! block labels only, other provinces' header words and Traditional characters, totals
//! printed outside a 总分 row, budget columns on the indicator header, and words a user
//! adds in the data folder. Fixtures in `tests/data/import/`, made by `make_fixtures.py`
//! there (openpyxl, python-docx, CSV as WPS saves it), not by jixiao.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use jixiao::model::Evaluation;
use jixiao::open::open;
use jixiao::scoring::summarize;
use jixiao::validate::{ProblemKind, validate};

use crate::common::{counted, kinds};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
}

/// Opens a fixture and checks its total, its grade and its problems by kind.
fn check(name: &str, total: &str, grade: &str, problems: &[(ProblemKind, usize)]) -> Evaluation {
    let doc = open(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let summary = summarize(&doc);
    let messages: Vec<String> = validate(&doc, &summary)
        .into_iter()
        .map(|p| format!("{}: {}", p.kind.code(), p.message))
        .collect();
    assert_eq!(
        (summary.total_text(), summary.verdict_text()),
        (total.to_owned(), grade.to_owned()),
        "{name}: {messages:#?}"
    );
    assert_eq!(kinds(&doc), counted(problems), "{name}: {messages:#?}");
    doc
}

fn leaf<'d>(doc: &'d Evaluation, name: &str) -> &'d jixiao::model::Indicator {
    doc.leaves()
        .into_iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no leaf {name}"))
}

#[test]
fn qizhong_rows_are_details_of_their_parent_and_never_counted() {
    // Both rows that lost points say why in 偏差原因分析: no problem at all.
    let doc = check("1-qizhong-rows.xlsx", "98.00", "优", &[]);
    assert_eq!(doc.leaves().len(), 7);
    let area = leaf(&doc, "桃树种植面积");
    assert_eq!(area.details.len(), 2, "{:?}", area.details);
    assert!(area.details[0].starts_with("其中桃树种植面积（新植）"));
    assert!(area.details[0].contains("300亩"), "{}", area.details[0]);
    let funds = leaf(&doc, "年度资金总额");
    assert_eq!(funds.details.len(), 1);
    assert!(funds.details[0].starts_with("其中：本年财政拨款"));
}

/// The 其中 rows go out to CSV under their indicator and come back as its details.
#[test]
fn qizhong_details_survive_a_csv_export_and_import() {
    let doc = open(&fixture("1-qizhong-rows.xlsx")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("导出.csv");
    jixiao::export::write_csv(&doc, &csv).unwrap();
    let again = open(&csv).unwrap();
    for name in ["年度资金总额", "桃树种植面积"] {
        assert_eq!(
            leaf(&again, name).details,
            leaf(&doc, name).details,
            "{name}"
        );
    }
    assert_eq!(summarize(&again).total_text(), "98.00");
}

#[test]
fn points_on_block_labels_go_to_the_rows_where_they_add_up() {
    use ProblemKind::*;
    let doc = check(
        "2-block-points.csv",
        "98.00",
        "优",
        &[(DeductionWithoutReason, 1)],
    );
    assert_eq!(leaf(&doc, "预算执行率").max_points.to_string(), "20");
    assert_eq!(leaf(&doc, "养护道路里程").max_points.to_string(), "40");
    assert_eq!(leaf(&doc, "群众满意度").max_points.to_string(), "20");
}

#[test]
fn a_table_whose_points_cannot_be_found_is_not_graded_and_says_why_once() {
    use ProblemKind::*;
    let doc = check(
        "2-no-points-ungraded.csv",
        "99.60",
        "评分未完成",
        &[(MissingMaxPoints, 1)],
    );
    // 效益指标（30分）, its name broken over two lines, gives its two rows 15 each.
    assert_eq!(doc.indicators[1].name, "效益指标");
    assert_eq!(leaf(&doc, "就业人数").max_points.to_string(), "15");
    let problems = validate(&doc, &summarize(&doc));
    let missing = problems
        .iter()
        .find(|p| p.kind == MissingMaxPoints)
        .unwrap();
    assert!(missing.message.contains("3 项"), "{}", missing.message);
    assert!(missing.message.contains("不评定"), "{}", missing.message);
}

#[test]
fn header_words_of_other_forms_blank_template_rows_and_empty_optional_rows() {
    use ProblemKind::*;
    let doc = check(
        "3-header-words.xlsx",
        "95.00",
        "优",
        &[(DeductionWithoutReason, 2)],
    );
    assert_eq!(doc.leaves().len(), 4);
    assert_eq!(doc.indicators[0].name, "产出");
    // 得分计算方法 is the criteria, not the score.
    assert_eq!(leaf(&doc, "验收合格率").criteria, "合格率×权数");
    assert_eq!(
        leaf(&doc, "验收合格率").scoring.score.unwrap().to_string(),
        "27"
    );
}

#[test]
fn traditional_characters_are_read_and_the_first_score_column_is_the_score() {
    check("3-traditional.csv", "95.00", "优", &[]);
}

#[test]
fn a_score_factor_gives_the_score_as_points_times_factor() {
    use ProblemKind::*;
    check(
        "3-score-factor.docx",
        "87.00",
        "良",
        &[(DeductionWithoutReason, 2)],
    );
}

#[test]
fn totals_printed_in_a_cell_or_a_sentence_are_checked() {
    use ProblemKind::*;
    let doc = check(
        "5-printed-totals.csv",
        "94.00",
        "优",
        &[(DeclaredMismatch, 2)],
    );
    let problems = validate(&doc, &summarize(&doc));
    let messages: Vec<&str> = problems
        .iter()
        .filter(|p| p.kind == DeclaredMismatch)
        .map(|p| p.message.as_str())
        .collect();
    assert!(messages[0].contains("自评得分：98") && messages[0].contains("94.00"));
    assert!(messages[1].contains("95") && messages[1].contains("第 7 行"));
}

#[test]
fn budget_columns_on_the_indicator_header_are_the_budget() {
    use ProblemKind::*;
    let doc = check(
        "5-budget-in-header.xlsx",
        "98.05",
        "优",
        &[(DeductionWithoutReason, 1), (ExecutionRateMismatch, 1)],
    );
    assert_eq!(doc.leaves().len(), 4);
    let block = &doc.self_assessment;
    assert_eq!(block.current_year.executed.unwrap().to_string(), "64.45");
    assert_eq!(block.other.executed.unwrap().to_string(), "16");
}

/// A sheet with one column per expert: their printed 平均分 is the score (the sheet is
/// not yet read as a panel of five).
#[test]
fn a_sheet_of_expert_columns_is_scored_by_its_printed_mean() {
    use ProblemKind::*;
    let doc = check(
        "6-expert-columns.xlsx",
        "91.00",
        "优",
        &[(DeductionWithoutReason, 4)],
    );
    assert_eq!(
        leaf(&doc, "资金到位率").scoring.score.unwrap().to_string(),
        "19"
    );
}

/// A bureau's own word, in `识别词.ron` in the data folder, is recognized; without it
/// the table has no header the import knows.
#[test]
fn a_word_added_in_the_data_folder_is_recognized() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("考评表.csv");
    std::fs::write(
        &table,
        "一级指标,二级指标,基准,绩效分数\n决策,立项,40,40\n产出,数量,60,54\n",
    )
    .unwrap();
    let data = dir.path().join("data");
    let score = |with_words: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"));
        command
            .args(["score", table.to_str().unwrap()])
            .env("XDG_DATA_HOME", &data)
            .env("HOME", dir.path());
        if with_words {
            std::fs::create_dir_all(data.join("jixiao")).unwrap();
            std::fs::write(
                data.join("jixiao").join("识别词.ron"),
                "( columns: [(role: \"分值\", exact: [\"基准\"]), (role: \"得分\", exact: [\"绩效分数\"])] )",
            )
            .unwrap();
        }
        command.output().unwrap()
    };
    let without = score(false);
    assert_eq!(without.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&without.stderr).contains("找不到指标表"));
    let with = score(true);
    let text = String::from_utf8_lossy(&with.stdout);
    assert_eq!(with.status.code(), Some(0), "{text}");
    assert!(text.contains("94.00"), "{text}");
    assert!(text.contains("绩效评定级别：优"), "{text}");
}
