//! Issue 24 (13): the blank 评分表 experts score on paper. The secretary exports it from
//! the plan, the expert writes scores into it — here typed into the cells of the
//! workbook, and of the Word table, as a person would — and `jixiao panel fill` reads
//! them back into the expert's file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx, open_workbook};

use crate::common::{cell, run};

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The built-in project plan (决策 10 / 过程 20 / 产出 35 / 效益 35, with 评分标准)
/// prepared for one expert, 张三: the plan file and 张三's file.
fn prepared(dir: &Path) -> (PathBuf, PathBuf) {
    let plan = dir.join("方案.ron");
    run(&["new", "--template", "project", "-o", text(&plan)]);
    let folder = dir.join("专家");
    run(&[
        "panel",
        "prepare",
        text(&plan),
        "--experts",
        "张三",
        "-o",
        text(&folder),
    ]);
    (plan, folder.join("张三.ron"))
}

/// One part of a zip archive as text.
fn part(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The archive with one part replaced, as an office suite saves an edited file.
fn replace_part(path: &Path, name: &str, xml: &str) {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let file_name = file.name().to_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        out.start_file(file_name.as_str(), options).unwrap();
        if file_name == name {
            out.write_all(xml.as_bytes()).unwrap();
        } else {
            out.write_all(&content).unwrap();
        }
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn the_blank_sheet_holds_the_plans_points_and_criteria_and_room_to_score() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, _) = prepared(dir.path());
    let (xlsx, docx) = (
        dir.path().join("评分表.xlsx"),
        dir.path().join("评分表.docx"),
    );
    let out = run(&[
        "export",
        text(&plan),
        "--blank-xlsx",
        text(&xlsx),
        "--blank-docx",
        text(&docx),
    ]);
    assert!(out.contains("已导出"), "{out}");

    let mut workbook: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = workbook.worksheet_range("评分表").unwrap();
    assert!(cell(&sheet, 0, 0).ends_with("绩效评价评分表"));
    assert_eq!(
        (0..7).map(|c| cell(&sheet, 1, c)).collect::<Vec<_>>(),
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "评分标准",
            "得分",
            "扣分理由"
        ]
    );
    assert_eq!(cell(&sheet, 2, 0), "决策(10分)");
    assert_eq!(cell(&sheet, 2, 2), "立项依据充分性");
    assert!(!cell(&sheet, 2, 4).is_empty(), "评分标准 of the first leaf");
    // Every 得分 and 扣分理由 is left to the expert; 合计 gives the 100 points.
    let total_row = (2..sheet.height() as u32)
        .find(|&r| cell(&sheet, r, 0) == "合计")
        .unwrap();
    for r in 2..total_row {
        assert_eq!(
            (cell(&sheet, r, 5), cell(&sheet, r, 6)),
            (String::new(), String::new())
        );
        assert!(!cell(&sheet, r, 3).is_empty(), "分值 on row {r}");
    }
    assert_eq!(cell(&sheet, total_row, 3), "100");
    // The 得分 合计 adds up what is typed in Excel or WPS; blank scores give 0, which
    // its number format does not print.
    let formulas = workbook.worksheet_formula("评分表").unwrap();
    assert_eq!(
        formulas.get_value((total_row, 5)).unwrap(),
        &format!("SUM(F3:F{total_row})")
    );
    let styles = part(&xlsx, "xl/styles.xml");
    assert!(styles.contains(r#"formatCode="0.00;-0.00;;@""#), "{styles}");
    // The expert signs under the table.
    assert!(cell(&sheet, total_row + 2, 0).starts_with("专家签字"));
    // The 一级 cells are merged down over their indicators.
    let merges = workbook.merge_cells_by_sheet_name("评分表").unwrap();
    assert!(
        merges
            .iter()
            .any(|m| m.start == (2, 0) && m.end.1 == 0 && m.end.0 > 2),
        "{merges:?}"
    );
    // Printed on A4 landscape, one page wide, the heading rows on every page.
    let sheet_xml = part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(sheet_xml.contains(r#"paperSize="9""#), "{sheet_xml}");
    assert!(sheet_xml.contains(r#"orientation="landscape""#));
    assert!(sheet_xml.contains(r#"fitToWidth="1""#) || sheet_xml.contains("fitToPage"));
    let book_xml = part(&xlsx, "xl/workbook.xml");
    assert!(
        book_xml.contains("_xlnm.Print_Titles") && book_xml.contains("$1:$2"),
        "{book_xml}"
    );

    // The Word sheet: the same columns, its heading row repeated on every page, A4
    // landscape, and it opens as the plan: every indicator, no score.
    let doc_xml = part(&docx, "word/document.xml");
    let rows: Vec<&str> = doc_xml.split("<w:tr>").skip(1).collect();
    assert!(rows[0].starts_with("<w:trPr><w:tblHeader/></w:trPr>"));
    assert!(rows[1..].iter().all(|r| !r.contains("tblHeader")));
    assert!(doc_xml.contains(r#"w:orient="landscape""#));
    let opened = jixiao::open::open(&docx).unwrap();
    let original = jixiao::storage::load(&plan).unwrap();
    let points = |doc: &jixiao::model::Evaluation| -> Vec<(String, String)> {
        doc.leaves()
            .iter()
            .map(|l| (l.name.clone(), l.max_points.normalize().to_string()))
            .collect()
    };
    assert_eq!(points(&opened), points(&original));
    assert!(opened.leaves().iter().all(|l| l.scoring.score.is_none()));
}

/// The first leaf loses a point, with its reason; every other leaf gets full marks.
const REASON: &str = "立项依据不够充分";

#[test]
fn scores_written_into_the_blank_workbook_are_filled_into_the_experts_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_, expert) = prepared(dir.path());
    let xlsx = dir.path().join("张三评分表.xlsx");
    run(&["export", text(&expert), "--blank-xlsx", text(&xlsx)]);

    // The expert types into the empty 得分 and 扣分理由 cells (F and G) of each row,
    // reading the 分值 off column D.
    let mut workbook: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = workbook.worksheet_range("评分表").unwrap();
    let mut xml = part(&xlsx, "xl/worksheets/sheet1.xml");
    let mut first = true;
    for r in 2..sheet.height() as u32 {
        if cell(&sheet, r, 0) == "合计" {
            break;
        }
        let points = cell(&sheet, r, 3);
        let excel_row = r + 1;
        let score = if first {
            format!("{}", points.parse::<f64>().unwrap() - 1.0)
        } else {
            points
        };
        xml = type_into_cell(&xml, &format!("F{excel_row}"), &score, true);
        if first {
            xml = type_into_cell(&xml, &format!("G{excel_row}"), REASON, false);
        }
        first = false;
    }
    replace_part(&xlsx, "xl/worksheets/sheet1.xml", &xml);

    let out = run(&["panel", "fill", text(&expert), "--from", text(&xlsx)]);
    assert!(out.contains("填入"), "{out}");
    assert!(!out.contains("找不到对应指标"), "{out}");
    assert!(!out.contains("未评分"), "{out}");
    let score = run(&["score", text(&expert), "--json"]);
    let json: serde_json::Value = serde_json::from_str(&score).unwrap();
    assert_eq!(json["total"], "99.00", "{json:#}");
    assert_eq!(json["complete"], true);
    let doc = jixiao::storage::load(&expert).unwrap();
    assert_eq!(doc.leaves()[0].scoring.reason, REASON);
}

#[test]
fn scores_written_into_the_blank_word_table_are_filled_into_the_experts_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_, expert) = prepared(dir.path());
    let docx = dir.path().join("张三评分表.docx");
    run(&["export", text(&expert), "--blank-docx", text(&docx)]);

    // In each indicator row the 得分 is the sixth cell, after 分值 (the fourth) and
    // 评分标准; every indicator gets its full 分值.
    let xml = part(&docx, "word/document.xml");
    let mut rows: Vec<String> = xml.split("<w:tr>").map(str::to_owned).collect();
    let mut typed = 0;
    for row in rows.iter_mut().skip(2) {
        let cells: Vec<&str> = row.split("<w:tc>").collect();
        let texts: Vec<String> = cells.iter().map(|c| visible(c)).collect();
        if texts.get(1).map(String::as_str) == Some("合计") || cells.len() < 8 {
            continue;
        }
        let points = texts[4].clone();
        let empty = r#"<w:t xml:space="preserve"></w:t>"#;
        let filled = cells[6].replacen(
            empty,
            &format!(r#"<w:t xml:space="preserve">{points}</w:t>"#),
            1,
        );
        let mut joined = cells[..6].join("<w:tc>");
        joined.push_str("<w:tc>");
        joined.push_str(&filled);
        for rest in &cells[7..] {
            joined.push_str("<w:tc>");
            joined.push_str(rest);
        }
        *row = joined;
        typed += 1;
    }
    assert!(typed > 10, "{typed} rows typed");
    replace_part(&docx, "word/document.xml", &rows.join("<w:tr>"));

    let out = run(&["panel", "fill", text(&expert), "--from", text(&docx)]);
    assert!(out.contains(&format!("填入 {typed} 项指标")), "{out}");
    assert!(!out.contains("未评分"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&run(&["score", text(&expert), "--json"])).unwrap();
    assert_eq!(json["total"], "100.00", "{json:#}");
}

/// The text a Word table cell shows.
fn visible(xml: &str) -> String {
    let mut out = String::new();
    for piece in xml.split("<w:t xml:space=\"preserve\">").skip(1) {
        out.push_str(piece.split("</w:t>").next().unwrap_or(""));
    }
    out
}

/// `xml` with the empty cell `reference` (`<c r="F3" s="5"/>`) holding `value`, as a
/// spreadsheet saves a typed number or text.
fn type_into_cell(xml: &str, reference: &str, value: &str, number: bool) -> String {
    let start = xml
        .find(&format!(r#"<c r="{reference}""#))
        .unwrap_or_else(|| panic!("no cell {reference}"));
    let end = start + xml[start..].find("/>").unwrap() + 2;
    let open = &xml[start..end - 2];
    let filled = if number {
        format!("{open}><v>{value}</v></c>")
    } else {
        format!(r#"{open} t="inlineStr"><is><t>{value}</t></is></c>"#)
    };
    format!("{}{filled}{}", &xml[..start], &xml[end..])
}

#[test]
fn the_window_exports_the_blank_sheet_from_the_file_menu() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let mut harness = crate::common::seed_window(dir.path());
    harness.get_by_label("文件").click();
    harness.run();
    harness.get_by_label("导出").click();
    harness.run();
    harness
        .get_by_label("空白评分表（Excel，打印后评分）…")
        .click();
    harness.run();
    // The name proposed does not take the place of the scored workbook.
    let proposed = harness.get_by_label("文件路径").value().unwrap_or_default();
    assert!(
        proposed.ends_with("evaluation-2022-jingzhun-bangfu-空白评分表.xlsx"),
        "{proposed}"
    );
    let path = dir.path().join("空白评分表");
    crate::common::type_into(&mut harness, "文件路径", text(&path));
    harness.get_by_label("导出").click();
    for _ in 0..500 {
        harness.step();
        if harness
            .state()
            .notices()
            .iter()
            .any(|n| n.text.starts_with("已导出"))
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run();
    assert!(harness.query_by_label_contains("已导出").is_some());
    let mut workbook: Xlsx<_> = open_workbook(dir.path().join("空白评分表.xlsx")).unwrap();
    let sheet = workbook.worksheet_range("评分表").unwrap();
    assert_eq!(cell(&sheet, 1, 4), "评分标准");
    // The seed is scored; its blank sheet is not.
    assert_eq!(cell(&sheet, 2, 2), "立项依据充分性");
    assert_eq!(
        (cell(&sheet, 2, 5), cell(&sheet, 2, 6)),
        (String::new(), String::new())
    );
}
