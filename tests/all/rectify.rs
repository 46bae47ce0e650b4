//! Issue 30: the 整改清单 drawn up from a finished evaluation's deductions.

use std::path::Path;

use rust_decimal::Decimal;

use crate::common::{cell, data, jixiao, run};

fn text(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

/// The deductions of the published table, read off the CSV itself: (三级指标, 扣分, 扣分理由).
fn published_deductions() -> Vec<(String, Decimal, String)> {
    let mut reader = csv::Reader::from_path(data("evaluation-2022-jingzhun-bangfu.csv")).unwrap();
    reader
        .records()
        .map(|r| r.unwrap())
        // The rows of 三级 indicators, not the group and 合计 rows under the table.
        .filter(|r| !r[2].trim().is_empty())
        .filter_map(|r| {
            let max: Decimal = r[4].trim().parse().ok()?;
            let score: Decimal = r[5].trim().parse().ok()?;
            (score < max).then(|| (r[2].to_owned(), max - score, r[6].to_owned()))
        })
        .collect()
}

#[test]
fn the_register_lists_every_deduction_of_the_published_evaluation() {
    let deductions = published_deductions();
    assert!(deductions.len() > 15, "{deductions:?}");
    let table = data("evaluation-2022-jingzhun-bangfu.csv");
    let report: serde_json::Value = serde_json::from_str(&run(&[
        "rectify",
        &text(&table),
        "--date",
        "2026-12-08",
        "--json",
    ]))
    .unwrap();
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), deductions.len(), "{report}");
    for ((name, lost, reason), item) in deductions.iter().zip(items) {
        let path = item["indicator"].as_str().unwrap();
        assert!(path.ends_with(name.as_str()), "{path} / {name}");
        assert_eq!(item["lost"], format!("{:.2}", lost.round_dp(2)), "{path}");
        assert_eq!(item["problem"], reason.as_str(), "{path}");
        // 30 days after the report, not yet done.
        assert_eq!(item["due"], "2027-01-07");
        assert_eq!(item["status"], "未整改");
        assert_eq!(item["unit"], serde_json::Value::String(String::new()));
    }
    assert_eq!(report["open"], deductions.len());
    // Due in 2027-01: not overdue today (2026-12), overdue once a report is a year old.
    let late: serde_json::Value = serde_json::from_str(&run(&[
        "rectify",
        &text(&table),
        "--date",
        "2020-01-01",
        "--json",
    ]))
    .unwrap();
    assert_eq!(late["overdue"], deductions.len());
    assert_eq!(late["items"][0]["due"], "2020-01-31");

    // The workbook: one row per deduction, the columns a unit fills in.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("整改清单.xlsx");
    let said = run(&[
        "rectify",
        &text(&table),
        "--date",
        "2026-12-08",
        "-o",
        &text(&out),
    ]);
    assert!(
        said.contains(&format!("整改清单：{} 项", deductions.len())),
        "{said}"
    );
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = workbook.worksheet_range("整改清单").unwrap();
    let headers: Vec<String> = (0..11).map(|c| cell(&sheet, 1, c)).collect();
    assert_eq!(
        headers,
        [
            "序号",
            "指标",
            "问题",
            "扣分",
            "整改措施",
            "责任单位",
            "完成时限",
            "状态",
            "逾期",
            "完成情况",
            "佐证"
        ]
    );
    assert_eq!(sheet.get_size().0, 2 + deductions.len());
    assert_eq!(cell(&sheet, 2, 2), deductions[0].2);
    assert_eq!(cell(&sheet, 2, 7), "未整改");
    // Written again only with --force.
    let again = jixiao(&["rectify", &text(&table), "-o", &text(&out)]);
    assert_eq!(again.status.code(), Some(2));
}
