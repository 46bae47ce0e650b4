//! A season at a glance (issue 12): a folder made from the repository's own tables and
//! templates — 26 files, three of them unreadable, two 自评/专家 pairs — read by
//! `jixiao overview`, every figure checked against the tables' known results.
//! (The two published tables, the 15 layout fixtures, three experts' tables,
//! two broken files and four documents made here.)
#![allow(clippy::unwrap_used)] // test helpers may unwrap; see [lints] in Cargo.toml

use crate::common::{cell, data, jixiao};

use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx, open_workbook};
use eframe::egui;
use jixiao::model::{Evaluation, EvaluationKind};
use jixiao::open::open;
use rust_decimal::Decimal;

/// The published expert evaluation as a project of `name` and `year`, every score
/// scaled by `factor` (1 keeps 82.02).
fn expert(name: &str, year: &str, factor: &str) -> Evaluation {
    let mut doc = open(&data("evaluation-2022-jingzhun-bangfu.csv")).unwrap();
    doc.info.name = name.to_owned();
    doc.info.year = year.to_owned();
    doc.info.unit = "某某镇人民政府".to_owned();
    let factor: Decimal = factor.parse().unwrap();
    let ids: Vec<_> = doc.leaves().iter().map(|l| l.id).collect();
    for id in ids {
        let leaf = doc.find_mut(id).unwrap();
        leaf.scoring.score = leaf.scoring.score.map(|s| (s * factor).round_dp(2));
    }
    doc.declared.clear();
    doc
}

/// The season: 26 files in two folders, and two that are not read.
fn season(dir: &Path) -> PathBuf {
    let root = dir.join("2023年度");
    let sub = root.join("第二批");
    std::fs::create_dir_all(&sub).unwrap();
    let copy = |from: PathBuf, to: &Path| {
        std::fs::copy(&from, to.join(from.file_name().unwrap())).unwrap();
    };
    copy(data("evaluation-2022-jingzhun-bangfu.csv"), &root);
    copy(data("self-assessment-2022-jingzhun-jiuzhu.csv"), &root);
    for entry in std::fs::read_dir(data("layouts")).unwrap() {
        copy(entry.unwrap().path(), &sub); // 15 tables, one an old .doc
    }
    for n in 1..=3 {
        copy(data(&format!("panel/专家{n}.csv")), &sub);
    }
    // Broken files: a six-level tree and a workbook missing a part.
    copy(data("reliability/min_deep6.ron"), &sub);
    copy(data("reliability/min_xlsx_missing_part.xlsx"), &sub);
    // Two projects scored by experts and assessed by their units: one 自评 honest
    // (2.02 points above), one inflated (17.98 above).
    let save = |doc: &Evaluation, name: &str| {
        let mut doc = doc.clone();
        doc.info.department = if doc.info.name == "乡村道路养护" {
            "交通运输局"
        } else {
            "水务局"
        }
        .to_owned();
        if doc.info.name == "乡村道路养护" {
            doc.info.budget_yuan = Some(Decimal::from(5_600_000));
        }
        jixiao::storage::save(&doc, &root.join(name)).unwrap();
    };
    save(&expert("乡村道路养护", "2023", "1"), "乡村道路养护.ron");
    let mut own = expert("乡村道路养护", "2023", "1");
    own.info.kind = EvaluationKind::SelfAssessment;
    let leaf = own.leaves()[0].id;
    own.find_mut(leaf).unwrap().scoring.score = Some("2".parse().unwrap()); // 1.86 → 2
    save(&own, "乡村道路养护自评.ron");
    save(&expert("农村饮水安全", "2023", "0.8"), "农村饮水安全.ron");
    let mut own = expert("农村饮水安全", "2023", "1");
    own.info.kind = EvaluationKind::SelfAssessment;
    save(&own, "农村饮水安全自评.ron");
    // Not read: a backup, a hidden file, the lock file Excel leaves beside an open
    // workbook, and the workbook exported from 乡村道路养护.ron beside it (the document
    // is the project, once).
    std::fs::write(root.join("乡村道路养护.ron.bak"), "旧").unwrap();
    // Skipped, not an evaluation and not unreadable: a note the secretary left.
    std::fs::write(
        root.join("说明.txt"),
        "本文件夹存放2023年度各项目的评价文件，第二批为补充材料。\n请勿改名。\n",
    )
    .unwrap();
    std::fs::write(root.join(".草稿.ron"), "(").unwrap();
    std::fs::write(root.join("~$乡村道路养护.xlsx"), "锁").unwrap();
    let road = jixiao::storage::load(&root.join("乡村道路养护.ron")).unwrap();
    jixiao::export::write_xlsx(&road, &root.join("乡村道路养护.xlsx")).unwrap();
    root
}

#[test]
fn a_season_folder_gives_each_projects_figures_the_grades_and_the_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let root = season(dir.path());
    let output = jixiao(&["overview", root.to_str().unwrap(), "--json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let projects = json["projects"].as_array().unwrap();
    let unreadable = json["unreadable"].as_array().unwrap();
    // 26 files: 23 read, 3 listed with their message.
    assert_eq!(projects.len(), 23, "{json:#}");
    assert_eq!(unreadable.len(), 3, "{json:#}");
    let messages: Vec<&str> = unreadable
        .iter()
        .map(|u| u["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("另存为 .docx")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("四级指标")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("min_xlsx_missing_part.xlsx")),
        "{messages:?}"
    );
    // The note holds no indicator table: skipped, and counted apart.
    let skipped = json["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{json:#}");
    assert!(skipped[0].as_str().unwrap().ends_with("说明.txt"));

    // In descending order of 综合得分.
    let totals: Vec<Decimal> = projects
        .iter()
        .map(|p| p["total"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");

    let find = |name: &str, kind: &str| {
        projects
            .iter()
            .find(|p| p["name"] == name && p["kind"] == kind)
            .unwrap_or_else(|| panic!("{name} {kind}"))
    };
    // The published table: 82.02 良, its four 一级 at 76.60% 84.50% 83.60% 80.57%.
    let seed = find("evaluation-2022-jingzhun-bangfu", "专家评价");
    assert_eq!(seed["total"], "82.02");
    assert_eq!(seed["rating"], "良");
    assert_eq!(seed["complete"], true);
    let rates: Vec<&str> = seed["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["rate"].as_str().unwrap())
        .collect();
    assert_eq!(rates, ["76.60", "84.50", "83.60", "80.57"]);
    let own = find("self-assessment-2022-jingzhun-jiuzhu", "自评");
    assert_eq!(own["total"], "89.00");
    // The road project: 82.02 by the experts, 82.16 by its unit (1.86 → 2).
    assert_eq!(find("乡村道路养护", "专家评价")["total"], "82.02");
    assert_eq!(find("乡村道路养护", "自评")["total"], "82.16");
    assert_eq!(find("乡村道路养护", "自评")["unit"], "某某镇人民政府");
    assert_eq!(find("乡村道路养护", "自评")["year"], "2023");
    // The budget in 元, as the document holds it.
    assert_eq!(find("乡村道路养护", "专家评价")["budget"], "5600000");
    // The water project: every expert score × 0.8, each rounded to cents: 1.49 + 0.64
    // + 1.34 + 1.07 + 0.99 + 0.59 + 1.60 + 1.60 + 2.83 + 4.08 + 3.41 + 7.44 + 6.16
    // + 3.73 + 6.08 + 10.00 + 6.48 + 6.08 = 65.61.
    assert_eq!(find("农村饮水安全", "专家评价")["total"], "65.61");
    assert_eq!(find("农村饮水安全", "专家评价")["rating"], "中");

    // Pairs: same 项目名称 and 年度, 自评 minus expert.
    let pairs = json["pairs"].as_array().unwrap();
    let pair = |name: &str| pairs.iter().find(|p| p["name"] == name).unwrap();
    assert_eq!(pair("农村饮水安全")["self_total"], "82.02");
    assert_eq!(pair("农村饮水安全")["expert_total"], "65.61");
    assert_eq!(pair("农村饮水安全")["gap"], "16.41");
    assert_eq!(pair("农村饮水安全")["inflated"], true);
    assert_eq!(pair("乡村道路养护")["gap"], "0.14");
    assert_eq!(pair("乡村道路养护")["inflated"], false);

    // By 主管部门: (82.02 + 82.16) / 2 = 82.09 and (65.61 + 82.02) / 2 = 73.815 → 73.82.
    // (Three layout fixtures name their own departments: 5 in all.)
    let departments = json["departments"].as_array().unwrap();
    assert_eq!(departments.len(), 5, "{departments:?}");
    let department = |name: &str| departments.iter().find(|d| d["name"] == name).unwrap();
    assert_eq!(department("交通运输局")["mean_total"], "82.09");
    assert_eq!(department("水务局")["mean_total"], "73.82");
    assert_eq!(department("水务局")["projects"], 2);
    assert_eq!(department("某某县水利局")["mean_total"], "96.00");

    // The grades add up to the projects, 评分未完成 counted apart.
    let ratings = json["ratings"].as_object().unwrap();
    let counted: u64 = ratings.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(counted, 23);
    let unfinished = projects.iter().filter(|p| p["complete"] == false).count() as u64;
    assert_eq!(
        ratings.get("评分未完成").map_or(0, |v| v.as_u64().unwrap()),
        unfinished
    );
    let good = projects.iter().filter(|p| p["rating"] == "良").count() as u64;
    assert_eq!(ratings["良"].as_u64().unwrap(), good);
    assert!(good >= 4, "{ratings:?}");

    // The seed's reasons recur in the three projects made from it.
    let themes = json["themes"].as_array().unwrap();
    let contract = themes
        .iter()
        .find(|t| t["text"] == "合同管理、管理制度不健全")
        .or_else(|| {
            themes
                .iter()
                .find(|t| t["text"].as_str().unwrap().contains("合同管理"))
        })
        .unwrap();
    assert!(
        contract["projects"].as_array().unwrap().len() >= 3,
        "{contract}"
    );
}

#[test]
fn the_season_workbook_holds_the_table_the_distribution_the_deductions_and_the_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let root = season(dir.path());
    let book = dir.path().join("汇总.xlsx");
    let output = jixiao(&[
        "overview",
        root.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("共 23 个项目，3 个文件无法读取，跳过 1 个不是评价表的文件"),
        "{text}"
    );
    assert!(
        text.contains("农村饮水安全（2023）：自评 82.02，专家 65.61，高出 16.41"),
        "{text}"
    );
    assert!(
        // 3-no-points-column has 分值 missing since issue 25: no grade rather than 差.
        text.contains("级别：优 8，良 10，中 2，评分未完成 3"),
        "{text}"
    );

    let mut workbook: Xlsx<_> = open_workbook(&book).unwrap();
    assert_eq!(workbook.sheet_names(), ["汇总", "分布", "扣分", "自评对比"]);
    let summary = workbook.worksheet_range("汇总").unwrap();
    assert_eq!(cell(&summary, 0, 1), "项目名称");
    assert_eq!(cell(&summary, 0, 7), "综合得分");
    // Budgets in 万元, as reports state them.
    assert_eq!(cell(&summary, 0, 6), "预算金额（万元）");
    let road = (1..=23)
        .find(|&r| cell(&summary, r, 1) == "乡村道路养护" && cell(&summary, r, 4) == "专家评价")
        .unwrap();
    assert_eq!(cell(&summary, road, 6), "560");
    // Row 2 is the best project, row 24 the last; then 平均 with its formula.
    assert_eq!(cell(&summary, 1, 0), "1");
    let totals: Vec<f64> = (1..=23)
        .map(|r| cell(&summary, r, 7).parse().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    assert_eq!(cell(&summary, 25, 1), "平均");
    let formulas = workbook.worksheet_formula("汇总").unwrap();
    assert_eq!(formulas.get_value((25, 7)).unwrap(), "AVERAGE(H2:H24)");

    let spread = workbook.worksheet_range("分布").unwrap();
    let banded: u32 = (1..=5)
        .map(|r| cell(&spread, r, 1).parse::<u32>().unwrap())
        .sum();
    // The three unfinished evaluations (3-no-points-column, whose rows lack 分值, one of
    // them since issue 25) are counted under 评分未完成, not in a band.
    assert_eq!(banded, 20);
    let band_of = |label: &str| {
        (1..=5)
            .find(|&r| cell(&spread, r, 0) == label)
            .map(|r| cell(&spread, r, 1))
            .unwrap()
    };
    let in_80s = (1..=23)
        .filter(|&r| cell(&summary, r, 9) != "评分未完成")
        .filter(|&r| (80.0..90.0).contains(&cell(&summary, r, 7).parse::<f64>().unwrap()))
        .count();
    assert!(in_80s >= 5, "{in_80s}");
    assert_eq!(band_of("80–90 分"), in_80s.to_string());

    let pairs = workbook.worksheet_range("自评对比").unwrap();
    let water = (1..=2)
        .find(|&r| cell(&pairs, r, 0) == "农村饮水安全")
        .unwrap();
    assert_eq!(cell(&pairs, water, 2), "82.02");
    assert_eq!(cell(&pairs, water, 3), "65.61");
    assert_eq!(cell(&pairs, water, 5), "是");

    let deductions = workbook.worksheet_range("扣分").unwrap();
    assert_eq!(cell(&deductions, 0, 0), "常见扣分理由");
    assert!(!cell(&deductions, 1, 0).is_empty());
}

#[test]
fn nothing_to_read_is_said_and_an_existing_workbook_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let empty = jixiao(&["overview", dir.path().to_str().unwrap()]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("没有找到评价文件或表格"));
    let root = season(dir.path());
    let book = dir.path().join("汇总.xlsx");
    std::fs::write(&book, "原有").unwrap();
    let refused = jixiao(&[
        "overview",
        root.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&book).unwrap(), "原有");
}

#[test]
fn the_window_reads_a_dropped_folder_sorts_opens_a_project_and_comes_back() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let root = season(dir.path());
    let mut harness = crate::common::window(&dir.path().join("恢复"), None);
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(crate::common::Dropped(root.clone())));
    harness.run_steps(2);
    let ctx = harness.ctx.clone();
    harness.state_mut().finish_overview(&ctx);
    harness.run();
    assert!(harness.query_by_label("共 23 个项目").is_some());
    assert!(harness.query_by_label("3 个文件无法读取").is_some());
    assert!(
        harness
            .query_by_label("跳过 1 个不是评价表的文件")
            .is_some()
    );
    // Each unreadable file is named under the table, with its message.
    assert!(harness.query_by_label("无法读取的文件（3 个）：").is_some());
    for name in ["min_deep6.ron", "min_xlsx_missing_part.xlsx"] {
        assert!(harness.query_by_label_contains(name).is_some(), "{name}");
    }
    // The budget in 万元.
    assert!(harness.query_all_by_label("560.00 万元").count() >= 1);
    // Best first: the first place is the 97.60 自评.
    assert!(harness.query_by_label("97.60").is_some());
    // The charts fold open.
    harness.get_by_label("图表").click();
    harness.run();
    assert!(harness.query_by_label("综合得分分布（项目数）").is_some());
    assert!(
        harness
            .query_by_label("各一级指标平均得分率（%）")
            .is_some()
    );
    // Every bar of the chart is named, however many 一级 the season has.
    let json = jixiao(&["overview", root.to_str().unwrap(), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let mut groups: Vec<String> = Vec::new();
    for project in json["projects"].as_array().unwrap() {
        for group in project["groups"].as_array().unwrap() {
            let name = group["name"].as_str().unwrap().to_owned();
            if !groups.contains(&name) {
                groups.push(name);
            }
        }
    }
    assert!(groups.len() >= 8, "{groups:?}");
    for name in &groups {
        assert!(
            harness.query_all_by_label(name).count() >= 1,
            "the chart names {name}"
        );
    }
    harness.get_by_label("常见扣分与自评对比").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("农村饮水安全（2023）：自评 82.02，专家 65.61，差 16.41")
            .is_some()
    );
    assert!(harness.query_by_label("平均扣分最多的指标").is_some());
    // Sorted by name, then reversed.
    harness.get_by_label("项目名称").click();
    harness.run();
    assert!(harness.query_by_label("项目名称 ▼").is_some());
    harness.get_by_label("项目名称 ▼").click();
    harness.run();
    assert!(harness.query_by_label("项目名称 ▲").is_some());
    // Filtered to one project's two files, and one opened.
    let filter = harness.get_by_role(egui::accesskit::Role::TextInput);
    filter.click();
    harness.run();
    for c in "饮水".chars() {
        harness.event(egui::Event::Text(c.to_string()));
        harness.run();
    }
    assert!(harness.query_by_label("乡村道路养护").is_none());
    harness
        .get_all_by_label("农村饮水安全")
        .next()
        .unwrap()
        .click();
    harness.run();
    // Sorted by name reversed, the tie between the project's two files goes by path:
    // 农村饮水安全自评.ron comes first, and it is the one opened.
    assert_eq!(harness.state().editor().summary().total_text(), "82.02");
    assert_eq!(
        harness.state().editor().doc().info.kind,
        EvaluationKind::SelfAssessment
    );
    // Back to the overview, as it was left.
    harness.get_by_label("汇总").click();
    harness.run();
    assert!(harness.query_by_label("项目名称 ▲").is_some());
    assert_eq!(
        harness
            .get_by_role(egui::accesskit::Role::TextInput)
            .value()
            .as_deref(),
        Some("饮水")
    );
}
