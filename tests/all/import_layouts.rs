//! The table layouts people have (issue 9): each fixture in `tests/data/layouts/` opens,
//! with its total, its rating and the problems a user should see.

// Tests may unwrap: a failure there is the test failing, not a user losing work.
#![allow(clippy::unwrap_used)]

use crate::common::{Dropped, counted, jixiao, kinds};

use std::path::{Path, PathBuf};

use jixiao::model::Evaluation;
use jixiao::open::open;
use jixiao::scoring::summarize;
use jixiao::validate::{ProblemKind, validate};

fn layout(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/layouts")
        .join(name)
}

/// A fixture, its total, its rating and its problems by kind.
type Expected = (
    &'static str,
    &'static str,
    &'static str,
    Vec<(ProblemKind, usize)>,
);

/// Every fixture with what it must give.
fn expectations() -> Vec<Expected> {
    use ProblemKind::*;
    vec![
        (
            "1-budget-block.csv",
            "94.65",
            "优",
            vec![(DeductionWithoutReason, 1), (ExecutionRateMismatch, 1)],
        ),
        (
            "1-sichuan-self-assessment.csv",
            "97.00",
            "优",
            // 养护里程 115 of ≥120公里 printed 28; the rule gives 28.75.
            vec![(DeductionWithoutReason, 1), (PrintedScoreDiffers, 1)],
        ),
        (
            "1-hubei-two-goals.csv",
            "96.00",
            "优",
            // 维修供水设施 28 of ≥30处 printed 18; the rule gives 18.67.
            vec![(DeductionWithoutReason, 1), (PrintedScoreDiffers, 1)],
        ),
        ("2-points-per-level.csv", "92.00", "优", vec![]),
        (
            "3-no-points-column.csv",
            "75.00",
            // Goal 1's rows, scored 20 + 20 of its 40, each had full marks: 20 each.
            // Goal 2's, 15 + 20 of 40, cannot be split: no grade, one problem says why.
            "评分未完成",
            vec![(MissingMaxPoints, 1)],
        ),
        (
            "3-one-block-label.csv",
            "81.00",
            "优",
            vec![(MaxTotalNot100, 1), (DeclaredMismatch, 1)],
        ),
        ("4-gbk-synonyms.csv", "83.00", "良", vec![]),
        (
            "4-two-row-header.xlsx",
            "97.60",
            "优",
            // 学员满意度 88% of ≥90% printed 18; the completion rule gives 19.56.
            vec![(PrintedScoreDiffers, 1)],
        ),
        (
            "5-non-indicator-rows.csv",
            "92.00",
            "优",
            vec![(EmptyGroup, 1)],
        ),
        (
            "6-subtotals.csv",
            "89.00",
            "良",
            vec![(DeclaredMismatch, 1)],
        ),
        (
            "7-blank-plan.csv",
            "0.00",
            "评分未完成",
            vec![(NotScored, 4)],
        ),
        ("9-word-table.docx", "92.00", "优", vec![]),
        ("9-several-sheets.xlsx", "85.00", "良", vec![]),
    ]
}

#[test]
fn every_layout_opens_with_its_total_rating_and_problems() {
    for (name, total, rating, problems) in expectations() {
        let doc = open(&layout(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let summary = summarize(&doc);
        assert_eq!(
            (summary.total_text(), summary.verdict_text()),
            (total.to_owned(), rating.to_owned()),
            "{name}"
        );
        assert_eq!(kinds(&doc), counted(&problems), "{name}");
    }
}

/// A 得分 that is not a number and a leaf with no 分值: each named once, as what it is.
#[test]
fn each_unreadable_cell_is_named_once() {
    let doc = open(&layout("1-one-problem-each.csv")).unwrap();
    use ProblemKind::*;
    assert_eq!(
        kinds(&doc),
        // The 分值 missing is the one problem of the 分值: no 分值合计 not 100 besides.
        counted(&[(UnreadableCell, 1), (MissingMaxPoints, 1)])
    );
    let problems = validate(&doc, &summarize(&doc));
    let unread = problems.iter().find(|p| p.kind == UnreadableCell).unwrap();
    assert!(unread.message.contains("“约18”"), "{}", unread.message);
    assert!(problems.iter().all(|p| p.message != "尚未评分"));
    assert_eq!(summarize(&doc).total_text(), "80.00");
}

#[test]
fn the_budget_block_fills_the_self_assessment() {
    let doc = open(&layout("1-budget-block.csv")).unwrap();
    assert_eq!(doc.info.name, "社区助餐服务补助");
    assert_eq!(doc.info.department, "某某区民政局");
    let block = &doc.self_assessment;
    // 实施单位 is 项目信息's 项目单位: one field.
    assert_eq!(doc.info.unit, "某某街道办事处");
    assert_eq!(block.total().executed.unwrap().to_string(), "80.45");
    assert_eq!(block.current_year.executed.unwrap().to_string(), "64.45");
    assert_eq!(block.goal_expected, "为辖区200名老人提供助餐服务");
    assert_eq!(block.goal_actual, "为186名老人提供助餐服务");
    let first = &doc.indicators[0];
    assert_eq!(
        (first.name.as_str(), first.max_points.to_string()),
        ("预算执行率", "10".to_owned())
    );
    assert_eq!(first.scoring.score.unwrap().to_string(), "8.05");
    assert_eq!(doc.printed_grade.as_ref().unwrap().grade, "优");
    let message = validate(&doc, &summarize(&doc))
        .into_iter()
        .find(|p| p.kind == ProblemKind::ExecutionRateMismatch)
        .unwrap()
        .message;
    assert!(
        message.contains("100.00%") && message.contains("80.45%"),
        "{message}"
    );
}

/// Sichuan's 自评表: 年初预算数 / 调整后预算数 / 预算执行数, sub-rows 财政资金 /
/// 财政专户管理资金 / 单位资金, and a 注 below the table naming the base.
#[test]
fn a_sichuan_form_divides_by_the_adjusted_budget() {
    let opened = jixiao::open::open_with(
        &layout("1-sichuan-self-assessment.csv"),
        &jixiao::import::Options::default(),
    )
    .unwrap();
    let doc = opened.doc;
    let block = &doc.self_assessment;
    assert_eq!(block.rate_base, jixiao::model::RateBase::AdjustedBudget);
    // 144 of the adjusted 160, not of the 200 budgeted at the start of the year.
    assert_eq!(
        block.execution_rate().unwrap().normalize().to_string(),
        "0.9"
    );
    assert_eq!(block.adjusted_budget.unwrap().to_string(), "160");
    // 财政资金 is the year's appropriation; 财政专户管理资金 and 单位资金 have no row of
    // their own on the national form, so both land in 其他资金 (22 + 14).
    assert_eq!(block.current_year.executed.unwrap().to_string(), "108");
    assert_eq!(block.other.executed.unwrap().to_string(), "36");
    assert_eq!(block.other.initial_budget.unwrap().to_string(), "50");
    let first = &doc.indicators[0];
    assert_eq!(
        (
            first.name.as_str(),
            first.max_points.to_string(),
            first.scoring.score.unwrap().to_string()
        ),
        ("预算执行率", "10".to_owned(), "9".to_owned())
    );
    // The printed 90.00% is what the figures give: no mismatch.
    assert!(!kinds(&doc).contains_key(&ProblemKind::ExecutionRateMismatch.code()));
    let report = opened.report.unwrap();
    assert!(
        report
            .budget
            .iter()
            .any(|l| l.contains("执行率的基数") && l.contains("调整后预算数")),
        "{:?}",
        report.budget
    );
}

/// Hubei's 自评表: 预算执行 20 points, then two 年度绩效目标 blocks of 40.
#[test]
fn a_hubei_form_has_two_goal_blocks_of_forty() {
    let doc = open(&layout("1-hubei-two-goals.csv")).unwrap();
    let roots: Vec<(String, String)> = doc
        .indicators
        .iter()
        .map(|n| {
            (
                n.name.clone(),
                summarize(&doc).totals_of(n.id).max_points.to_string(),
            )
        })
        .collect();
    assert_eq!(
        roots,
        [
            ("预算执行率".to_owned(), "20".to_owned()),
            ("年度绩效目标1".to_owned(), "40".to_owned()),
            ("年度绩效目标2".to_owned(), "40".to_owned()),
        ]
    );
    assert_eq!(summarize(&doc).total_text(), "96.00");
    assert_eq!(
        doc.self_assessment
            .execution_rate()
            .unwrap()
            .normalize()
            .to_string(),
        "0.9"
    );
}

/// Only `绩效指标（90分）` above the rows: its 90 is checked against the leaves.
#[test]
fn a_single_block_label_is_checked_against_its_rows() {
    let doc = open(&layout("3-one-block-label.csv")).unwrap();
    assert_eq!(summarize(&doc).totals.max_points.to_string(), "85");
    let problem = validate(&doc, &summarize(&doc))
        .into_iter()
        .find(|p| p.kind == ProblemKind::DeclaredMismatch)
        .unwrap();
    assert!(
        problem.message.contains("绩效指标（90分）")
            && problem.message.contains("90")
            && problem.message.contains("85.00"),
        "{}",
        problem.message
    );
    // The same label over rows that do add up, beside a 预算执行率 line of 10, is silent.
    let budget = open(&layout("1-sichuan-self-assessment.csv")).unwrap();
    assert!(!kinds(&budget).contains_key(&ProblemKind::DeclaredMismatch.code()));
}

#[test]
fn a_subtotal_is_checked_against_its_group_and_never_counted() {
    let doc = open(&layout("6-subtotals.csv")).unwrap();
    let names: Vec<&str> = doc.leaves().iter().map(|l| l.name.as_str()).collect();
    assert!(!names.iter().any(|n| n.contains("小计")), "{names:?}");
    assert_eq!(names.len(), 7);
    assert_eq!(doc.printed_grade.as_ref().unwrap().grade, "良");
    let problem = validate(&doc, &summarize(&doc))
        .into_iter()
        .find(|p| p.kind == ProblemKind::DeclaredMismatch)
        .unwrap();
    assert!(problem.message.contains("90") && problem.message.contains("89.00"));
}

#[test]
fn each_level_declares_its_points_in_its_own_column() {
    let doc = open(&layout("2-points-per-level.csv")).unwrap();
    let decision = doc.find_by_names(&["决策"]).unwrap();
    assert_eq!(decision.children.len(), 2);
    let leaf = doc
        .find_by_names(&["决策", "项目立项", "立项程序规范性"])
        .unwrap();
    assert_eq!(leaf.max_points.to_string(), "5");
    assert_eq!(doc.declared.len(), 9, "{:?}", doc.declared);
}

#[test]
fn a_two_row_header_with_comparators_in_their_own_column() {
    let doc = open(&layout("4-two-row-header.xlsx")).unwrap();
    let leaf = doc
        .find_by_names(&["产出指标", "数量指标", "发放教材"])
        .unwrap();
    assert_eq!(leaf.scoring.target, "≥500册");
    assert_eq!(leaf.scoring.actual, "480册");
    assert_eq!(leaf.scoring.deviation, "部分学员未领取");
    let cost = doc
        .find_by_names(&["产出指标", "成本指标", "人均培训成本"])
        .unwrap();
    assert_eq!(cost.scoring.target, "≤300元");
    let rate = doc
        .find_by_names(&["效益指标", "社会效益指标", "就业率"])
        .unwrap();
    assert_eq!(rate.scoring.target, "=80%");
}

#[test]
fn a_blank_table_opens_unscored_with_its_criteria() {
    let doc = open(&layout("7-blank-plan.csv")).unwrap();
    assert_eq!(doc.info.name, "某某项目");
    assert!(doc.leaves().iter().all(|l| l.scoring.score.is_none()));
    assert_eq!(summarize(&doc).totals.max_points.to_string(), "100");
    assert!(doc.leaves()[0].criteria.starts_with("依据充分得10分"));
}

#[test]
fn an_old_word_file_is_asked_to_be_saved_as_docx() {
    let err = open(&layout("9-old-word.doc")).unwrap_err().to_string();
    assert!(err.contains("另存为 .docx"), "{err}");
}

#[test]
fn a_workbook_opens_the_sheet_with_the_table_or_the_one_named() {
    let opened = jixiao::open::open_with(
        &layout("9-several-sheets.xlsx"),
        &jixiao::import::Options::default(),
    )
    .unwrap();
    let report = opened.report.unwrap();
    assert_eq!(report.source, "工作表“评分表”");
    assert_eq!(report.others.len(), 2, "{:?}", report.others);
    let err = jixiao::open::open_with(
        &layout("9-several-sheets.xlsx"),
        &jixiao::import::Options {
            sheet: Some("没有这张".to_owned()),
            ..Default::default()
        },
    )
    .err()
    .unwrap()
    .to_string();
    assert!(err.contains("“评分表”"), "{err}");
}

#[test]
fn a_word_document_opens_the_table_with_an_indicator_header() {
    let opened = jixiao::open::open_with(
        &layout("9-word-table.docx"),
        &jixiao::import::Options::default(),
    )
    .unwrap();
    let report = opened.report.unwrap();
    assert_eq!(report.source, "第 2 个表格（共 2 个）");
    let doc = opened.doc;
    assert_eq!(
        doc.find_by_names(&["决策", "项目立项"])
            .unwrap()
            .children
            .len(),
        2
    );
}

#[test]
fn the_command_line_scores_every_layout_and_explains_an_import() {
    for (name, total, rating, _) in expectations() {
        let path = layout(name);
        let output = jixiao(&["score", path.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{name}: {text}");
        assert!(
            text.contains(&format!("绩效评定级别：{rating}")),
            "{name}: {text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("综合得分") && l.contains(total)),
            "{name}: {text}"
        );
    }
    let output = jixiao(&[
        "import",
        layout("5-non-indicator-rows.csv").to_str().unwrap(),
        "--explain",
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0));
    for line in [
        "表头：第 2 行",
        "“得分” → 得分",
        "指标：4 项",
        "第 6 行“……”：占位行（……）",
        "第 7 行“一级指标 | 二级指标 | 三级指标 | 分值 | 得分 | 扣分理由”：重复的表头行",
        "第 11 行“其他需要说明事项 | 无”：说明或签字行",
        "第 4 行“过程 | 资金管理 | 按收入性质分：”：分类说明行，不是指标",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let sheet = jixiao(&[
        "score",
        layout("9-several-sheets.xlsx").to_str().unwrap(),
        "--sheet",
        "说明",
    ]);
    assert_eq!(sheet.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&sheet.stderr).contains("找不到指标表"));
}

/// Through the workbook reader process, which gives rows as it reads them: a sheet whose
/// last two rows are written the wrong way round is taken again in order, each row once
/// (the three rows given before the order broke are not kept twice).
#[test]
fn a_sheet_with_its_rows_out_of_order_is_scored_as_the_same_sheet_in_order() {
    let score = |path: &Path| {
        let output = jixiao(&["score", path.to_str().unwrap()]);
        assert!(output.status.success(), "{path:?}");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        // Every line but the first, which names the project after the file.
        text.lines().skip(1).collect::<Vec<_>>().join("\n")
    };
    let in_order = score(&layout("9-several-sheets.xlsx"));
    assert!(
        in_order.contains("效益        30.00     25.00     83.33%"),
        "{in_order}"
    );
    assert!(in_order.contains("绩效评定级别：良"), "{in_order}");
    assert_eq!(score(&out_of_order()), in_order);
    // And read in this process, as the library does.
    let doc = open(&out_of_order()).unwrap();
    assert_eq!(summarize(&doc).total_text(), "85.00");
    assert_eq!(kinds(&doc), counted(&[]));
}

/// Each CSV layout saved as a workbook, as a user does in Excel, and scored again:
/// through the workbook reader process, whose rows are read as a table as they come,
/// every shape (block labels read twice, a two-row header, a budget block, 小计 rows,
/// GBK words) gives what the CSV gives, line for line.
#[test]
fn every_csv_layout_saved_as_a_workbook_scores_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let score = |path: &Path| {
        let output = jixiao(&["score", path.to_str().unwrap()]);
        assert!(output.status.success(), "{path:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let mut compared = Vec::new();
    for entry in std::fs::read_dir(layout("")).unwrap() {
        let csv = entry.unwrap().path();
        if csv.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let bytes = std::fs::read(&csv).unwrap();
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => encoding_rs::GBK.decode(err.as_bytes()).0.into_owned(),
        };
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let records = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
            .into_records();
        for (row, record) in (0u32..).zip(records) {
            for (column, cell) in (0u16..).zip(record.unwrap().iter()) {
                if !cell.is_empty() {
                    sheet.write_string(row, column, cell).unwrap();
                }
            }
        }
        let xlsx = dir
            .path()
            .join(csv.file_name().unwrap())
            .with_extension("xlsx");
        book.save(&xlsx).unwrap();
        assert_eq!(score(&xlsx), score(&csv), "{}", csv.display());
        compared.push(csv.file_name().unwrap().to_string_lossy().into_owned());
    }
    compared.sort();
    assert!(
        compared.contains(&"1-hubei-two-goals.csv".to_owned())
            && compared.contains(&"4-gbk-synonyms.csv".to_owned())
            && compared.len() >= 10,
        "{compared:?}"
    );
}

fn out_of_order() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rows-out-of-order.xlsx")
}

mod round_trip {
    use super::*;
    use jixiao::model::Indicator;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn leaf(index: usize) -> impl Strategy<Value = Indicator> {
        (0u32..=20, proptest::option::of(0u32..=20), any::<bool>()).prop_map(
            move |(max, score, reason)| {
                let mut leaf = Indicator::leaf(
                    jixiao::model::NodeId(0),
                    format!("指标{index}"),
                    Decimal::new(i64::from(max) * 5, 1),
                );
                leaf.scoring.score = score.map(|s| Decimal::new(i64::from(s.min(max)) * 5, 1));
                if reason {
                    leaf.scoring.reason = "资料不全".to_owned();
                }
                leaf
            },
        )
    }

    fn group(name: String, children: Vec<Indicator>) -> Indicator {
        Indicator::group(jixiao::model::NodeId(0), name, children)
    }

    fn tree() -> impl Strategy<Value = Vec<Indicator>> {
        proptest::collection::vec(
            proptest::collection::vec(
                proptest::collection::vec(any::<u8>(), 1..4).prop_flat_map(|seeds| {
                    seeds
                        .iter()
                        .enumerate()
                        .map(|(i, _)| leaf(i))
                        .collect::<Vec<_>>()
                }),
                1..4,
            ),
            1..4,
        )
        .prop_map(|roots| {
            roots
                .into_iter()
                .enumerate()
                .map(|(a, seconds)| {
                    group(
                        format!("一级{a}"),
                        seconds
                            .into_iter()
                            .enumerate()
                            .map(|(b, leaves)| group(format!("二级{a}{b}"), leaves))
                            .collect(),
                    )
                })
                .collect()
        })
    }

    /// What a table shows of a tree: every node's path, points, score and reason.
    fn shown(nodes: &[Indicator], prefix: &str, out: &mut Vec<String>) {
        for node in nodes {
            let path = format!("{prefix}/{}", node.name);
            if node.is_leaf() {
                out.push(format!(
                    "{path} {} {:?} {}",
                    node.max_points.normalize(),
                    node.scoring.score.map(|s| s.normalize()),
                    node.scoring.reason
                ));
            }
            shown(&node.children, &path, out);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn an_exported_csv_imports_to_the_same_document(indicators in tree()) {
            let mut doc = Evaluation { indicators, ..Evaluation::default() };
            doc.repair_ids();
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("导出.csv");
            jixiao::export::write_csv(&doc, &path).unwrap();
            let back = open(&path).unwrap();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            shown(&doc.indicators, "", &mut a);
            shown(&back.indicators, "", &mut b);
            prop_assert_eq!(a, b);
            prop_assert_eq!(summarize(&back).total_text(), summarize(&doc).total_text());
            prop_assert!(back.import_notes.is_empty());
        }
    }
}

/// Writes the workbook and Word fixtures. Run by hand after changing them:
/// `cargo test --test import_layouts -- --ignored write_fixtures`; the files are committed.
#[test]
#[ignore]
fn write_fixtures() {
    write_two_row_header();
    write_several_sheets();
    write_rows_out_of_order();
    write_word_table();
}

fn write_two_row_header() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    sheet
        .merge_range(0, 0, 0, 9, "职业技能培训项目绩效自评表", &plain)
        .unwrap();
    sheet.merge_range(1, 0, 1, 2, "绩效指标", &plain).unwrap();
    for (column, header) in [
        "指标性质",
        "指标值",
        "度量单位",
        "全年实际值",
        "权重",
        "自评得分",
        "未完成原因分析",
    ]
    .into_iter()
    .enumerate()
    {
        let column = column as u16 + 3;
        sheet
            .merge_range(1, column, 2, column, header, &plain)
            .unwrap();
    }
    for (column, header) in ["一级指标", "二级指标", "三级指标"].into_iter().enumerate()
    {
        sheet.write(2, column as u16, header).unwrap();
    }
    let rows: [[&str; 10]; 6] = [
        [
            "产出指标",
            "数量指标",
            "培训人次",
            "≧",
            "500",
            "人次",
            "520",
            "20",
            "20",
            "",
        ],
        [
            "",
            "",
            "发放教材",
            ">=",
            "500",
            "册",
            "480",
            "10",
            "9.6",
            "部分学员未领取",
        ],
        [
            "",
            "质量指标",
            "培训合格率",
            "≧",
            "95",
            "%",
            "96",
            "20",
            "20",
            "",
        ],
        [
            "",
            "成本指标",
            "人均培训成本",
            "≦",
            "300",
            "元",
            "280",
            "10",
            "10",
            "",
        ],
        [
            "效益指标",
            "社会效益指标",
            "就业率",
            "═",
            "80",
            "%",
            "80",
            "20",
            "20",
            "",
        ],
        [
            "满意度指标",
            "服务对象满意度指标",
            "学员满意度",
            "≧",
            "90",
            "%",
            "88",
            "20",
            "18",
            "课程安排偏紧",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        for (c, text) in row.iter().enumerate() {
            if let Ok(number) = text.parse::<f64>() {
                sheet.write(r, c as u16, number).unwrap();
            } else if !text.is_empty() {
                sheet.write(r, c as u16, *text).unwrap();
            }
        }
    }
    // Merged 一级 and 二级 cells, as the form prints them.
    sheet.merge_range(3, 0, 6, 0, "产出指标", &plain).unwrap();
    sheet.merge_range(3, 1, 4, 1, "数量指标", &plain).unwrap();
    sheet.merge_range(9, 0, 9, 6, "合计", &plain).unwrap();
    sheet.write(9, 7, 100).unwrap();
    sheet.write(9, 8, 97.6).unwrap();
    book.save(layout("4-two-row-header.xlsx")).unwrap();
}

fn write_several_sheets() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("说明").unwrap();
    notes
        .write(0, 0, "本工作簿第二张表为评分表，第三张为汇总。")
        .unwrap();
    let table = book.add_worksheet();
    table.set_name("评分表").unwrap();
    let rows: [[&str; 6]; 5] = [
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "得分",
            "扣分理由",
        ],
        ["决策", "项目立项", "立项依据充分性", "20", "17", "论证不足"],
        ["过程", "资金管理", "资金使用合规性", "20", "18", "凭证不全"],
        ["产出", "产出数量", "实际完成率", "30", "25", "未全部完成"],
        ["效益", "项目效益", "社会效益", "30", "25", "效果一般"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if let Ok(number) = text.parse::<f64>() {
                table.write(r as u32, c as u16, number).unwrap();
            } else {
                table.write(r as u32, c as u16, *text).unwrap();
            }
        }
    }
    let summary = book.add_worksheet();
    summary.set_name("汇总").unwrap();
    summary.write(0, 0, "综合得分").unwrap();
    summary.write(0, 1, 85).unwrap();
    book.save(layout("9-several-sheets.xlsx")).unwrap();
}

/// The several-sheet workbook with its table's last row written before the one above it,
/// as programs that insert a row later write it: rows 1, 2, 3, 5, 4.
fn write_rows_out_of_order() {
    use std::io::{Read, Write};
    let source = std::fs::File::open(layout("9-several-sheets.xlsx")).unwrap();
    let mut archive = zip::ZipArchive::new(source).unwrap();
    // Beside the layouts, not among them: a season of them is counted in overview.rs.
    let target = std::fs::File::create(out_of_order()).unwrap();
    let mut out = zip::ZipWriter::new(target);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).unwrap();
        let name = part.name().to_owned();
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
        if name == "xl/worksheets/sheet2.xml" {
            let last = text.find("<row r=\"5\"").unwrap();
            let end = text.find("</sheetData>").unwrap();
            let moved = text[last..end].to_owned();
            text.replace_range(last..end, "");
            let fourth = text.find("<row r=\"4\"").unwrap();
            text.insert_str(fourth, &moved);
        }
        out.start_file(name, options).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
}

fn write_word_table() {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow, VMergeType};
    let cell = |text: &str| {
        TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)))
    };
    let info = Table::new(vec![
        TableRow::new(vec![cell("项目名称"), cell("乡村道路养护")]),
        TableRow::new(vec![cell("评价机构"), cell("某某咨询公司")]),
    ]);
    let merged = |text: &str, merge: VMergeType| cell(text).vertical_merge(merge);
    let row = |cells: Vec<TableCell>| TableRow::new(cells);
    let scores = Table::new(vec![
        row([
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "得分",
            "扣分理由",
        ]
        .into_iter()
        .map(cell)
        .collect()),
        row(vec![
            merged("决策", VMergeType::Restart),
            merged("项目立项", VMergeType::Restart),
            cell("立项依据充分性"),
            cell("10"),
            cell("10"),
            cell(""),
        ]),
        row(vec![
            merged("", VMergeType::Continue),
            merged("", VMergeType::Continue),
            cell("立项程序规范性"),
            cell("10"),
            cell("8"),
            cell("程序资料不全"),
        ]),
        row(vec![
            cell("过程"),
            cell("资金管理"),
            cell("资金使用合规性"),
            cell("20"),
            cell("18"),
            cell("凭证不全"),
        ]),
        row(vec![
            merged("产出", VMergeType::Restart),
            cell("产出数量"),
            cell("实际完成率"),
            cell("20"),
            cell("20"),
            cell(""),
        ]),
        row(vec![
            merged("", VMergeType::Continue),
            cell("产出质量"),
            cell("质量达标率"),
            cell("10"),
            cell("9"),
            cell("个别路段不达标"),
        ]),
        row(vec![
            cell("效益"),
            cell("项目效益"),
            cell("社会效益"),
            cell("30"),
            cell("27"),
            cell("群众反映一般"),
        ]),
        row(vec![
            cell("合计").grid_span(3),
            cell("100"),
            cell("92"),
            cell(""),
        ]),
    ]);
    let mut buffer = std::io::Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("乡村道路养护项目评分表")))
        .add_table(info)
        .add_table(scores)
        .build()
        .pack(&mut buffer)
        .unwrap();
    std::fs::write(layout("9-word-table.docx"), buffer.into_inner()).unwrap();
}

#[test]
fn the_window_opens_a_layout_and_shows_what_was_recognized() {
    use egui_kittest::kittest::Queryable;

    let dir = tempfile::tempdir().unwrap();
    let harness = crate::common::window(dir.path(), Some(layout("1-budget-block.csv")));
    assert_eq!(harness.state().editor().summary().total_text(), "94.65");
    // The report waits folded in a corner, out of the way of the table.
    assert!(harness.query_by_label("导入识别结果").is_some());
    assert!(
        harness
            .query_by_label_contains("写明执行率 100.00%，但其预算数与执行数得出 80.45%")
            .is_some()
    );
}

/// `--sheet` reaches every command that opens a table: `export` and `panel` too.
#[test]
fn export_and_panel_read_the_sheet_named() {
    let book = layout("9-several-sheets.xlsx");
    let book = book.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("评分表.csv");
    let csv_arg = csv.to_str().unwrap();

    let wrong = jixiao(&["export", book, "--sheet", "说明", "--csv", csv_arg]);
    assert_eq!(wrong.status.code(), Some(2));
    // What failed is said where errors go.
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("找不到指标表"));
    assert!(!csv.exists());

    let right = jixiao(&["export", book, "--sheet", "评分表", "--csv", csv_arg]);
    assert_eq!(right.status.code(), Some(0));
    let written = std::fs::read_to_string(&csv).unwrap();
    assert!(written.contains("立项依据充分性,20,17"), "{written}");

    let panel = jixiao(&["panel", book, "--sheet", "说明"]);
    assert_eq!(panel.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&panel.stderr).contains("找不到指标表"));
    let panel = jixiao(&["panel", book, "--sheet", "评分表"]);
    let text = String::from_utf8_lossy(&panel.stdout);
    assert_eq!(panel.status.code(), Some(0), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("综合得分") && l.contains("85.00")),
        "{text}"
    );
}

/// Every fixture opens in the window, both given at start (as `jixiao FILE` or a
/// double-click does) and dropped on it, with the total and grade the CLI gives.
#[test]
fn the_window_opens_every_layout_from_a_path_and_from_a_drop() {
    let small = eframe::egui::vec2(1024.0, 640.0);
    for (name, total, rating, _) in expectations() {
        let dir = tempfile::tempdir().unwrap();
        let opened = crate::common::window_with(
            crate::common::settings(dir.path()),
            Some(layout(name)),
            small,
        );
        let summary = opened.state().editor().summary();
        assert_eq!(
            (summary.total_text(), summary.verdict_text()),
            (total.to_owned(), rating.to_owned()),
            "{name} opened"
        );

        let mut dropped =
            crate::common::window_with(crate::common::settings(dir.path()), None, small);
        dropped
            .input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(layout(name))));
        dropped.run();
        let summary = dropped.state().editor().summary();
        assert_eq!(
            (summary.total_text(), summary.verdict_text()),
            (total.to_owned(), rating.to_owned()),
            "{name} dropped"
        );
    }
}
