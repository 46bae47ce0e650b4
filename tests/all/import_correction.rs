//! The correction step of issue 25: a table jixiao misreads reads right with a layout
//! profile (`--layout`), and `import --explain` says each column's role and each row's
//! kind. The tables are written here as a user's programs save them (CSV with a BOM and
//! CRLF as WPS writes it; an xlsx), not by jixiao.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;

use crate::common::jixiao;

/// A 评分表 with two score columns — 自评得分 first, the experts' 评价得分 after — and a
/// row of last year's score for reference under the indicators: jixiao takes the first
/// score column and reads the reference row as an indicator.
const ROWS: [[&str; 6]; 8] = [
    ["某某项目绩效评价评分表", "", "", "", "", ""],
    [
        "一级指标",
        "二级指标",
        "分值",
        "自评得分",
        "评价得分",
        "扣分理由",
    ],
    ["决策", "项目立项", "10", "10", "8", "依据不足"],
    ["决策", "绩效目标", "10", "10", "9", "目标不细"],
    ["过程", "资金管理", "30", "28", "25", "支付滞后"],
    ["产出", "产出数量", "30", "30", "27", "未全部完成"],
    ["效益", "满意度", "20", "20", "18", "样本偏少"],
    ["参考", "上年评价得分", "", "", "88", ""],
];

/// The corrections a user makes for this layout.
const LAYOUT: &str = r#"(
    columns: [
        (header: "自评得分", role: "不读取"),
        (header: "评价得分", role: "得分"),
    ],
    rows: [
        (first: "参考", kind: "说明"),
    ],
)
"#;

fn csv_as_wps_saves(dir: &Path) -> PathBuf {
    let mut text = String::from("\u{feff}");
    for row in ROWS {
        text.push_str(&row.join(","));
        text.push_str("\r\n");
    }
    let path = dir.join("评分表.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn workbook(dir: &Path) -> PathBuf {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("评分表").unwrap();
    for (r, row) in ROWS.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r as u32, c as u16, number).unwrap(),
                Err(_) if cell.is_empty() => sheet,
                Err(_) => sheet.write_string(r as u32, c as u16, *cell).unwrap(),
            };
        }
    }
    let path = dir.join("评分表.xlsx");
    book.save(&path).unwrap();
    path
}

fn layout(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("识别方式.ron");
    std::fs::write(&path, text).unwrap();
    path
}

/// `score --json` of `table`, with the extra arguments: (total, grade).
fn score(table: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec!["score", table.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let output = jixiao(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    (
        json["total"].as_str().unwrap_or("").to_owned(),
        json["rating"].as_str().unwrap_or("无").to_owned(),
    )
}

#[test]
fn a_misread_table_reads_right_with_a_layout() {
    let dir = tempfile::tempdir().unwrap();
    let profile = layout(dir.path(), LAYOUT);
    for table in [csv_as_wps_saves(dir.path()), workbook(dir.path())] {
        // As read by its words: the self-assessed scores, and a row of 88 not graded.
        assert_eq!(score(&table, &[]), ("98.00".to_owned(), "无".to_owned()));
        // As the user says: the experts' scores, the reference row a note.
        let with = ["--layout", profile.to_str().unwrap()];
        assert_eq!(score(&table, &with), ("87.00".to_owned(), "良".to_owned()));
    }
}

#[test]
fn explain_lists_each_column_role_and_each_row_kind() {
    let dir = tempfile::tempdir().unwrap();
    let table = csv_as_wps_saves(dir.path());
    let profile = layout(dir.path(), LAYOUT);
    let output = jixiao(&[
        "import",
        table.to_str().unwrap(),
        "--explain",
        "--layout",
        profile.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    for line in [
        "第 4 列“自评得分”：不读取",
        "第 5 列“评价得分”：得分",
        "第 1 行 标题：某某项目绩效评价评分表",
        "第 2 行 表头：",
        "第 3 行 指标：决策 | 项目立项",
        "第 8 行 说明（按识别方式）：参考 | 上年评价得分 | 88",
        "综合得分 87.00，良",
    ] {
        assert!(text.contains(line), "“{line}” not in:\n{text}");
    }
}

#[test]
fn a_layout_with_an_unknown_field_is_refused_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let table = csv_as_wps_saves(dir.path());
    let profile = layout(dir.path(), "(\n    columns: [],\n    colums: [],\n)\n");
    let output = jixiao(&[
        "score",
        table.to_str().unwrap(),
        "--layout",
        profile.to_str().unwrap(),
    ]);
    assert_ne!(output.status.code(), Some(0));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("识别方式.ron”第 3 行第 5 列有误：不认识的项“colums”"),
        "{message}"
    );
    let profile = layout(dir.path(), "(rows: [(row: 8, kind: \"脚注\")])");
    let output = jixiao(&[
        "score",
        table.to_str().unwrap(),
        "--layout",
        profile.to_str().unwrap(),
    ]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("不认识的行“脚注”"), "{message}");
}

/// The same layout with other figures: the experts' scores add up to 80.
const SECOND: [[&str; 6]; 8] = [
    ["另一项目绩效评价评分表", "", "", "", "", ""],
    [
        "一级指标",
        "二级指标",
        "分值",
        "自评得分",
        "评价得分",
        "扣分理由",
    ],
    ["决策", "项目立项", "10", "10", "7", "依据不足"],
    ["决策", "绩效目标", "10", "10", "8", "目标不细"],
    ["过程", "资金管理", "30", "29", "24", "支付滞后"],
    ["产出", "产出数量", "30", "30", "25", "未全部完成"],
    ["效益", "满意度", "20", "20", "16", "样本偏少"],
    ["参考", "上年评价得分", "", "", "90", ""],
];

fn clicks(harness: &mut egui_kittest::Harness<'_, jixiao::app::JixiaoApp>, label: &str) {
    use egui_kittest::kittest::Queryable;
    harness.get_by_label(label).click();
    harness.run();
}

/// Picks `option` in the list a combo box just opened: the list is drawn last.
fn picks(harness: &mut egui_kittest::Harness<'_, jixiao::app::JixiaoApp>, option: &str) {
    use egui_kittest::kittest::Queryable;
    let item = harness.query_all_by_label(option).last().unwrap();
    item.click();
    harness.run();
}

#[test]
fn corrected_on_the_grid_saved_and_the_next_table_reads_right_at_once() {
    use crate::common::{Dropped, total, window};
    let dir = tempfile::tempdir().unwrap();
    let table = csv_as_wps_saves(dir.path());
    let mut harness = window(dir.path(), Some(table));
    assert_eq!(total(&harness), "98.00");

    {
        // The panel opens folded in its corner: unfold it with its arrow.
        use egui_kittest::kittest::Queryable;
        let panel = harness.get_by_label("导入识别结果");
        panel.get_by_label("Show").click();
    }
    harness.run();
    // 第5列 is 评价得分: the experts' scores are the ones to count.
    clicks(&mut harness, "第5列");
    picks(&mut harness, "得分");
    assert_ne!(total(&harness), "98.00");
    // 第8行 is last year's score, for reference: a note.
    clicks(&mut harness, "第8行");
    picks(&mut harness, "说明");
    assert_eq!(total(&harness), "87.00");
    assert_eq!(harness.state().editor().summary().rating.label(), "良");

    clicks(&mut harness, "保存识别方式");
    let saved = dir.path().join("识别方式").join("评分表.ron");
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(text.contains("\"评价得分\""), "{text}");
    assert!(text.contains("\"说明\""), "{text}");

    // A second table of that layout reads right at once.
    let second = dir.path().join("另一张.csv");
    let mut csv = String::from("\u{feff}");
    for row in SECOND {
        csv.push_str(&row.join(","));
        csv.push_str("\r\n");
    }
    std::fs::write(&second, csv).unwrap();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(second)));
    harness.run();
    clicks(&mut harness, "不保存");
    assert_eq!(total(&harness), "80.00");
}
