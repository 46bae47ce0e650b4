//! What the exported files hold, read back as Excel, Word and a CSV reader would.
#![allow(clippy::unwrap_used)] // test helpers may unwrap; see [lints] in Cargo.toml

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::cell;

use calamine::{Reader, Xlsx, open_workbook};
use jixiao::export;
use jixiao::model::Evaluation;
use jixiao::open::open;

fn seed() -> Evaluation {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/evaluation-2022-jingzhun-bangfu.csv");
    let mut doc = open(&path).unwrap();
    doc.info.name = "2022年永乐店镇困难群众精准帮扶".into();
    doc
}

/// A merged range: its first cell, its last cell and the text it shows.
type Merge = ((u32, u32), (u32, u32), String);

fn exported_xlsx(doc: &Evaluation) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("评价.xlsx");
    export::write_xlsx(doc, &path).unwrap();
    (dir, path)
}

#[test]
fn the_scoring_sheet_holds_every_score_the_merged_groups_and_the_total() {
    let doc = seed();
    let (_dir, path) = exported_xlsx(&doc);
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = workbook.worksheet_range("评分表").unwrap();
    assert_eq!(
        cell(&sheet, 0, 0),
        "2022年永乐店镇困难群众精准帮扶绩效评价评分表"
    );
    assert_eq!(
        (0..6).map(|c| cell(&sheet, 1, c)).collect::<Vec<_>>(),
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "得分",
            "扣分理由"
        ]
    );
    let scores: Vec<String> = (2..20).map(|r| cell(&sheet, r, 4)).collect();
    assert_eq!(
        scores,
        [
            "1.86", "0.8", "1.68", "1.34", "1.24", "0.74", "2", "2", "3.54", "5.1", "4.26", "9.3",
            "7.7", "4.66", "7.6", "12.5", "8.1", "7.6"
        ]
    );
    assert_eq!(cell(&sheet, 2, 2), "立项依据充分性");
    assert_eq!(cell(&sheet, 2, 5), "政府购买服务边界不够清晰");
    assert_eq!(cell(&sheet, 20, 0), "合计");
    assert_eq!(
        (cell(&sheet, 20, 3), cell(&sheet, 20, 4)),
        ("100".to_owned(), "82.02".to_owned())
    );

    let merges = workbook.merge_cells_by_sheet_name("评分表").unwrap();
    let merged: Vec<Merge> = merges
        .iter()
        .map(|m| (m.start, m.end, cell(&sheet, m.start.0, m.start.1)))
        .collect();
    for expected in [
        ((2, 0), (7, 0), "决策(10分)"),
        ((8, 0), (12, 0), "过程(20分)"),
        ((13, 0), (16, 0), "产出(35分)"),
        ((17, 0), (19, 0), "效益(35分)"),
        ((2, 1), (3, 1), "项目立项(3分)"),
        ((11, 1), (12, 1), "组织实施(12分)"),
        ((17, 1), (19, 1), "项目效益(35分)"),
    ] {
        assert!(
            merged.contains(&(expected.0, expected.1, expected.2.to_owned())),
            "{expected:?} in {merged:?}"
        );
    }
    // A group of one leaf is written, not merged.
    assert_eq!(cell(&sheet, 13, 1), "产出数量(10分)");
}

#[test]
fn the_summary_sheet_has_each_group_the_total_and_the_rating() {
    let doc = seed();
    let (_dir, path) = exported_xlsx(&doc);
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = workbook.worksheet_range("汇总表").unwrap();
    let rows: Vec<Vec<String>> = (2..8)
        .map(|r| (0..3).map(|c| cell(&sheet, r, c)).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["决策", "10", "7.66"],
            ["过程", "20", "16.9"],
            ["产出", "35", "29.26"],
            ["效益", "35", "28.2"],
            ["综合得分", "100", "82.02"],
            ["绩效评定级别", "良", ""],
        ]
    );
    // The formulas stay right when a score is edited in Excel.
    let formulas = workbook.worksheet_formula("汇总表").unwrap();
    assert_eq!(
        formulas.get_value((5, 2)).map(String::as_str),
        Some("SUM('评分表'!E18:E20)")
    );
}

#[test]
fn a_self_assessment_and_a_panel_get_their_own_sheets() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/self-assessment-2022-jingzhun-jiuzhu.csv");
    let doc = open(&path).unwrap();
    let (_dir, out) = exported_xlsx(&doc);
    let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = workbook.worksheet_range("自评表").unwrap();
    let text: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    for expected in [
        "年度资金总额",
        "25.6543",
        "社区居民活动",
        "8场",
        "89",
        "绩效评定级别：良",
    ] {
        assert!(text.iter().any(|t| t == expected), "{expected}");
    }

    let experts: Vec<jixiao::panel::Expert> = (1..=3)
        .map(|n| {
            let file =
                Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/panel/专家{n}.csv"));
            jixiao::panel::Expert {
                name: format!("专家{n}"),
                source: String::new(),
                evaluation: open(&file).unwrap(),
            }
        })
        .collect();
    let panel = jixiao::panel::merge(
        experts,
        jixiao::panel::Method::Mean,
        jixiao::panel::default_threshold(),
        None,
    )
    .unwrap();
    let (_dir, out) = exported_xlsx(&panel);
    let mut workbook: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = workbook.worksheet_range("专家评分汇总表").unwrap();
    assert_eq!(
        (0..6).map(|c| cell(&sheet, 1, c)).collect::<Vec<_>>(),
        [
            "指标",
            "分值",
            "专家1",
            "专家2",
            "专家3",
            "专家组得分（平均）"
        ]
    );
    let cost = (2..20)
        .find(|r| cell(&sheet, *r, 0) == "产出 / 产出成本 / 成本节约率")
        .unwrap();
    assert_eq!(
        (2..6).map(|c| cell(&sheet, cost, c)).collect::<Vec<_>>(),
        ["7.6", "9.5", "6", "7.7"]
    );
    assert_eq!(cell(&sheet, 20, 5), "82.53");
}

pub(crate) fn docx_text(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // The visible text, run after run.
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest
        .find("<w:t>")
        .into_iter()
        .chain(rest.find("<w:t "))
        .min()
    {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let Some(close) = after.find("</w:t>") else {
            break;
        };
        if !after[..open_end].ends_with('/') {
            text.push_str(&after[open_end + 1..close]);
        }
        text.push('|');
        rest = &after[close + 6..];
    }
    text
}

#[test]
fn the_word_report_states_the_result_and_holds_both_tables() {
    let doc = seed();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("报告.docx");
    export::write_docx(&doc, &path).unwrap();
    let text = docx_text(&path);
    assert!(text.contains(
        "综合得分82.02分，其中，项目决策得分7.66分，项目过程得分16.90分，项目产出得分29.26分，项目效益得分28.20分，绩效评定结论为“良”。"
    ));
    for heading in [
        "一、基本情况",
        "二、绩效评价工作开展情况",
        "三、综合评价情况及评价结论",
        "四、绩效评价指标分析",
        "五、存在的问题",
        "六、有关建议",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    // The summary table, then the scoring table with its merged group names.
    // Tables and analysis carry the window's and Excel's two decimals (16.90, 83.60%);
    // the conclusion above keeps the published report's figures.
    assert!(
        text.contains("评价内容|分值|评价得分|决策|10.00|7.66|过程|20.00|16.90|"),
        "{text}"
    );
    assert!(text.contains("综合得分|100.00|82.02|绩效评定级别||良|"));
    assert!(text.contains("一级指标|二级指标|三级指标|分值|得分|扣分理由|决策(10分)|项目立项(3分)|立项依据充分性|2.00|1.86|政府购买服务边界不够清晰|"));
    assert!(text.contains("效益指标分值35.00分，评价得分28.20分，得分率80.57%。"));
    assert!(text.contains("产出指标分值35.00分，评价得分29.26分，得分率83.60%。"));
    assert!(text.contains("满意度（10.00分）得7.60分，扣2.40分：缺少满意度调查分析"));
}

#[test]
fn the_markdown_report_matches_the_word_one() {
    let text = export::markdown_report(&seed());
    assert!(text.starts_with("# 2022年永乐店镇困难群众精准帮扶绩效评价报告\n"));
    assert!(text.contains("绩效评定结论为“良”。"));
    assert!(text.contains("| 效益 | 35.00 | 28.20 |\n"));
    assert!(text.contains(
        "| 决策(10分) | 项目立项(3分) | 立项依据充分性 | 2.00 | 1.86 | 政府购买服务边界不够清晰 |\n"
    ));
    assert!(text.contains("|  |  | 立项程序规范性 | 1.00 | 0.80 |"));
    assert!(text.contains("| 综合得分 | 100.00 | 82.02 |\n| 绩效评定级别 | | 良 |\n"));
}

/// word/document.xml of a .docx.
fn docx_xml(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// Each table of the document as its rows' XML.
fn docx_tables(xml: &str) -> Vec<Vec<&str>> {
    xml.split("<w:tbl>")
        .skip(1)
        .map(|table| {
            let table = table.split("</w:tbl>").next().unwrap();
            table.split("<w:tr>").skip(1).collect()
        })
        .collect()
}

#[test]
fn the_word_reports_tables_repeat_their_heading_row_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("报告.docx");
    export::write_docx(&seed(), &path).unwrap();
    let xml = docx_xml(&path);
    let tables = docx_tables(&xml);
    assert_eq!(tables.len(), 2);
    for rows in &tables {
        // Word and WPS repeat the rows marked tblHeader at the top of each page.
        assert!(
            rows[0].starts_with("<w:trPr><w:tblHeader/></w:trPr>"),
            "{}",
            rows[0]
        );
        assert!(rows[1..].iter().all(|r| !r.contains("tblHeader")));
    }
    // The scoring table's 合计 keeps its figures on one line.
    let total = tables[1].last().unwrap();
    assert!(total.contains(">合计<"), "{total}");
    for figure in [">100.00<", ">82.02<"] {
        let cell = total
            .split("<w:tc>")
            .find(|c| c.contains(figure))
            .unwrap_or_else(|| panic!("{figure} {total}"));
        assert!(cell.contains("<w:noWrap/>"), "{cell}");
    }
}

#[test]
fn a_self_assessment_report_carries_each_target_and_actual() {
    let doc = open(&crate::common::data(
        "self-assessment-2022-jingzhun-jiuzhu.csv",
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("自评报告.docx");
    export::write_docx(&doc, &path).unwrap();
    let text = docx_text(&path);
    assert!(
        text.contains(
            "|一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|"
        ),
        "{text}"
    );
    assert!(
        text.contains("|产出指标(50分)|数量指标(12.5分)|社区居民活动|8场|8场|2.50|2.50||"),
        "{text}"
    );
    assert!(
        text.contains("|困难群众小组活动|4|小组活动计划书、活动记录完整|2.50|2.00|小组活动主题和参加群众需求贴合度不够"),
        "{text}"
    );
    assert!(text.contains("|合计|100.00|89.00||"), "{text}");

    let md = export::markdown_report(&doc);
    assert!(md.contains(
        "| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n| --- | --- | --- | --- | --- | ---: | ---: | --- |\n"
    ), "{md}");
    assert!(
        md.contains("|  |  | 困难群众帮扶个案 | 20户 | 20户 | 2.50 | 2.50 |  |\n"),
        "{md}"
    );
}

/// The seed with only its first nine leaves scored, as an expert leaves it half-way.
fn half_scored() -> Evaluation {
    let mut doc = seed();
    let mut seen = 0;
    fn clear(nodes: &mut [jixiao::model::Indicator], seen: &mut usize) {
        for node in nodes {
            if node.is_leaf() {
                *seen += 1;
                if *seen > 9 {
                    node.scoring.score = None;
                }
            } else {
                clear(&mut node.children, seen);
            }
        }
    }
    clear(&mut doc.indicators, &mut seen);
    doc.declared.clear();
    assert_eq!(seen, 18);
    doc
}

#[test]
fn a_half_scored_evaluation_is_never_called_poor_in_word() {
    let doc = half_scored();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("报告.docx");
    export::write_docx(&doc, &path).unwrap();
    let text = docx_text(&path);
    assert!(!text.contains("绩效评定结论为"), "{text}");
    assert!(!text.contains("“差”"), "{text}");
    assert!(text.contains("评分未完成（已评 9/18 项）"), "{text}");
    assert!(text.contains("|绩效评定级别||评分未完成|"), "{text}");
}

#[test]
fn a_half_scored_evaluation_says_so_in_markdown_and_excel() {
    let doc = half_scored();
    let md = export::markdown_report(&doc);
    assert!(md.contains("| 绩效评定级别 | | 评分未完成 |"), "{md}");
    assert!(!md.contains("绩效评定结论为"), "{md}");

    let (_dir, path) = exported_xlsx(&doc);
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = workbook.worksheet_range("汇总表").unwrap();
    let rows: Vec<(String, String)> = (0..sheet.height() as u32)
        .map(|r| (cell(&sheet, r, 0), cell(&sheet, r, 1)))
        .collect();
    assert!(
        rows.contains(&("绩效评定级别".into(), "评分未完成（已评 9/18 项）".into())),
        "{rows:?}"
    );
}

#[test]
fn the_workbook_rates_with_the_documents_own_scale() {
    let mut doc = seed();
    doc.rating_scale = jixiao::model::RatingScale {
        grades: [("优秀", 90), ("良好", 80), ("中", 70), ("合格", 60)]
            .into_iter()
            .map(|(name, min)| jixiao::model::Grade {
                name: name.into(),
                min: min.into(),
            })
            .collect(),
        lowest: "差".into(),
    };
    let (_dir, path) = exported_xlsx(&doc);
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let formulas = workbook.worksheet_formula("汇总表").unwrap();
    let sheet = workbook.worksheet_range("汇总表").unwrap();
    let row = (0..sheet.height() as u32)
        .find(|r| cell(&sheet, *r, 0) == "绩效评定级别")
        .unwrap();
    assert_eq!(cell(&sheet, row, 1), "良好");
    let formula = formulas.get_value((row, 1)).cloned().unwrap_or_default();
    assert!(formula.contains(">=70,\"中\""), "{formula}");
    assert!(formula.contains("\"合格\",\"差\""), "{formula}");
    assert!(export::markdown_report(&doc).contains("绩效评定结论为“良好”。"));
}

#[test]
fn a_score_typed_with_three_decimals_is_kept_so_the_sheets_sum_is_the_total_shown() {
    let mut doc = seed();
    // 立项依据充分性 1.86 → 1.855 and 立项程序规范性 0.8 → 0.805: the total stays 82.02
    // only if neither is rounded before adding.
    for (name, score) in [("立项依据充分性", "1.855"), ("立项程序规范性", "0.805")] {
        let id = doc.leaves().iter().find(|l| l.name == name).unwrap().id;
        doc.find_mut(id).unwrap().scoring.score = Some(score.parse().unwrap());
    }
    let total = jixiao::scoring::summarize(&doc).total_text();
    assert_eq!(total, "82.02");
    let (_dir, path) = exported_xlsx(&doc);
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = workbook.worksheet_range("评分表").unwrap();
    let scores: Vec<String> = (2..sheet.height() as u32)
        .map(|r| cell(&sheet, r, 4))
        .collect();
    assert!(scores.contains(&"1.855".to_owned()), "{scores:?}");
    assert!(scores.contains(&"0.805".to_owned()), "{scores:?}");
    // Imported back, the workbook gives the total the window showed.
    let again = open(&path).unwrap();
    assert_eq!(jixiao::scoring::summarize(&again).total_text(), total);
}

#[test]
fn a_csv_export_keeps_small_points_as_typed_and_imports_back_the_same() {
    let mut doc = seed();
    let id = doc.leaves()[0].id;
    let leaf = doc.find_mut(id).unwrap();
    leaf.max_points = "0.001".parse().unwrap();
    leaf.scoring.score = Some("0.0005".parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("评分表.csv");
    export::write_csv(&doc, &path).unwrap();
    let again = open(&path).unwrap();
    let first = again.leaves()[0];
    assert_eq!(first.max_points.to_string(), "0.001");
    assert_eq!(first.scoring.score.unwrap().to_string(), "0.0005");
    assert_eq!(
        jixiao::scoring::summarize(&again).total_text(),
        jixiao::scoring::summarize(&doc).total_text()
    );
}
