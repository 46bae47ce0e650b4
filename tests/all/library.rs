//! Issue 13: the 指标库 built from the user's own evaluations — three years of one
//! project's 自评, the published expert evaluation and the built-in templates.

use std::path::Path;

use jixiao::library::{Filter, Library};
use jixiao::model::{Evaluation, EvaluationKind, Indicator};
use rust_decimal::Decimal;

use crate::common::{data, jixiao};

/// One year of the 社区养老服务 自评: (year, 服务人次 target, actual, score, reason).
fn self_assessment(
    year: &str,
    target: &str,
    actual: &str,
    score: &str,
    reason: &str,
) -> Evaluation {
    let mut doc = Evaluation::default();
    doc.info.name = "社区养老服务".into();
    doc.info.unit = "某街道办事处".into();
    doc.info.year = year.into();
    doc.info.kind = EvaluationKind::SelfAssessment;
    let mut people = Indicator::leaf(doc.new_id(), "服务人次", Decimal::from(20));
    people.criteria = "完成年度指标值得满分，每少 5% 扣 2 分".into();
    people.scoring.target = target.into();
    people.scoring.actual = actual.into();
    people.scoring.score = Some(score.parse().unwrap());
    people.scoring.reason = reason.into();
    let mut satisfaction = Indicator::leaf(doc.new_id(), "服务对象满意度", Decimal::from(10));
    satisfaction.criteria = "满意度≥90%得满分".into();
    satisfaction.scoring.target = "≥90%".into();
    satisfaction.scoring.actual = "93%".into();
    satisfaction.scoring.score = Some(Decimal::from(10));
    let quantity = Indicator::group(doc.new_id(), "数量指标", vec![people]);
    let output = Indicator::group(doc.new_id(), "产出指标", vec![quantity]);
    let effect = Indicator::group(doc.new_id(), "满意度指标", vec![satisfaction]);
    doc.indicators = vec![output, effect];
    doc
}

/// A folder of three years of 自评 and the published expert evaluation.
fn season(dir: &Path) -> std::path::PathBuf {
    let folder = dir.join("历年评价");
    std::fs::create_dir_all(folder.join("2024")).unwrap();
    for (year, target, actual, score, reason) in [
        ("2022", "≥1000人次", "1200人次", "20", ""),
        ("2023", "≥1100人次", "1150人次", "20", ""),
        ("2024", "≥1000人次", "980人次", "18", "未完成年度指标"),
    ] {
        let doc = self_assessment(year, target, actual, score, reason);
        let path = if year == "2024" {
            folder.join("2024").join("自评.ron")
        } else {
            folder.join(format!("自评{year}.ron"))
        };
        jixiao::storage::save(&doc, &path).unwrap();
    }
    std::fs::copy(
        data("evaluation-2022-jingzhun-bangfu.csv"),
        folder.join("精准帮扶评价.csv"),
    )
    .unwrap();
    folder
}

fn run(args: &[&str]) -> String {
    let output = jixiao(args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_library_is_built_searched_by_text_and_pinyin_and_rescanned() {
    let dir = tempfile::tempdir().unwrap();
    let folder = season(dir.path());
    let lib_file = dir.path().join("指标库.json");
    let lib = lib_file.to_str().unwrap();
    let out = run(&["library", "add", folder.to_str().unwrap(), "--library", lib]);
    assert!(out.contains("4 个文件（新读 4，未变 0，移除 0）"), "{out}");

    // Pinyin initials: fwrc → 服务人次, used three times (2022–2024).
    let found: serde_json::Value = serde_json::from_str(&run(&[
        "library",
        "search",
        "fwrc",
        "--json",
        "--library",
        lib,
    ]))
    .unwrap();
    let results = found["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{found}");
    assert_eq!(results[0]["name"], "服务人次");
    assert_eq!(results[0]["path"], "产出指标 / 数量指标 / 服务人次");
    assert_eq!(
        results[0]["criteria"],
        "完成年度指标值得满分，每少 5% 扣 2 分"
    );
    assert_eq!(results[0]["kind"], serde_json::Value::Null);
    let years: Vec<&str> = results[0]["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["year"].as_str().unwrap())
        .collect();
    assert_eq!(years, ["2024", "2023", "2022"]);

    // 满意度 by its initials: the 自评's own (used three times) ranks before the
    // templates' (never used), and the published evaluation's 满意度 is found too.
    let found: serde_json::Value = serde_json::from_str(&run(&[
        "library",
        "search",
        "myd",
        "--json",
        "--library",
        lib,
    ]))
    .unwrap();
    let names: Vec<&str> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "服务对象满意度", "{names:?}");
    assert!(names.contains(&"满意度"), "{names:?}");
    assert!(names.contains(&"服务对象满意度指标1"), "{names:?}");

    // A substring of the 评分标准; filters by kind and year.
    let library = Library::load(&lib_file).unwrap();
    let by_criteria = library.search("每少 5%", &Filter::default());
    assert_eq!(by_criteria.len(), 1);
    let expert_only = Filter {
        kind: Some("专家评价".into()),
        ..Filter::default()
    };
    assert!(library.search("服务人次", &expert_only).is_empty());
    let in_2023 = Filter {
        year: Some("2023".into()),
        ..Filter::default()
    };
    let found = library.search("服务人次", &in_2023);
    assert_eq!(found[0].uses.len(), 1);
    assert_eq!(found[0].uses[0].actual, "1150人次");

    // Nothing changed: nothing is read again. One file changed: only it is.
    let out = run(&["library", "update", "--library", lib]);
    assert!(out.contains("（新读 0，未变 4，移除 0）"), "{out}");
    std::fs::remove_file(folder.join("自评2022.ron")).unwrap();
    let mut doc = self_assessment("2025", "≥1200人次", "1210人次", "20", "");
    doc.info.name = "社区养老服务".into();
    jixiao::storage::save(&doc, &folder.join("2024").join("自评.ron")).unwrap();
    let out = run(&["library", "update", "--library", lib]);
    assert!(out.contains("3 个文件（新读 1，未变 2，移除 1）"), "{out}");
}

#[test]
fn an_indicators_history_is_shown_and_a_lowered_target_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let folder = season(dir.path());
    let lib_file = dir.path().join("指标库.json");
    let lib = lib_file.to_str().unwrap();
    run(&["library", "add", folder.to_str().unwrap(), "--library", lib]);

    let out = run(&[
        "library",
        "show",
        "服务人次",
        "--project",
        "社区养老服务",
        "--library",
        lib,
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "服务人次（产出指标 / 数量指标 / 服务人次）");
    assert!(
        lines[3].starts_with("2022")
            && lines[3].contains("≥1000人次")
            && lines[3].contains("1200人次")
    );
    assert!(
        lines[5].starts_with("2024")
            && lines[5].contains("18.00")
            && lines[5].ends_with("未完成年度指标")
    );

    // 2024's target ≥1000 is below 2023's actual 1150: flagged. 满意度 ≥90 is not (93 → 90
    // is lower too, and flagged); 2023's ≥1100 is below 2022's 1200.
    let library = Library::load(&lib_file).unwrap();
    let doc = jixiao::storage::load(&folder.join("2024").join("自评.ron")).unwrap();
    let warnings = jixiao::library::lowered_targets(&doc, &library);
    assert_eq!(
        warnings,
        [
            "“产出指标 / 数量指标 / 服务人次”的年度指标值 ≥1000人次 低于上年（2023年）实际完成值 1150人次，目标可能偏低",
            "“满意度指标 / 服务对象满意度”的年度指标值 ≥90% 低于上年（2023年）实际完成值 93%，目标可能偏低",
        ]
    );

    // Curate: mark 共性, set the standard 评分标准, hide.
    run(&[
        "library",
        "mark",
        "服务对象满意度",
        "--level1",
        "满意度指标",
        "--as",
        "共性",
        "--criteria",
        "满意度≥90%得满分，每低 1% 扣 0.5 分",
        "--library",
        lib,
    ]);
    let found: serde_json::Value = serde_json::from_str(&run(&[
        "library",
        "search",
        "服务对象满意度",
        "--level1",
        "满意度指标",
        "--json",
        "--library",
        lib,
    ]))
    .unwrap();
    assert_eq!(found["results"][0]["kind"], "共性");
    assert_eq!(
        found["results"][0]["criteria"],
        "满意度≥90%得满分，每低 1% 扣 0.5 分"
    );
    run(&["library", "mark", "服务人次", "--hide", "--library", lib]);
    let out = run(&["library", "search", "fwrc", "--library", lib]);
    assert!(out.contains("没有找到"), "{out}");
    let out = run(&["library", "search", "fwrc", "--all", "--library", lib]);
    assert!(out.contains("服务人次"), "{out}");
}

#[test]
fn the_window_finds_an_indicator_shows_its_history_and_inserts_it_as_one_undoable_edit() {
    use eframe::egui::{Key, Modifiers};
    use egui_kittest::kittest::Queryable;

    use crate::common::{press, type_slowly};

    let dir = tempfile::tempdir().unwrap();
    let folder = season(dir.path());
    let file = folder.join("2024").join("自评.ron");
    let mut harness = crate::common::window(&dir.path().join("恢复"), Some(file));
    let ctx = harness.ctx.clone();

    // 视图 → 指标库 (Ctrl+L); at first it holds the templates only.
    // One frame takes the key and starts reading the library; its spinner keeps
    // repainting until the reading is done, so the test waits for that, not for frames.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::L);
    harness.step();
    harness.state_mut().finish_library(&ctx);
    harness.run();
    assert!(harness.query_by_label("指标库").is_some());
    harness.get_by_label("添加文件夹…").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    type_slowly(&mut harness, folder.to_str().unwrap());
    harness.key_press(Key::Enter);
    harness.step();
    harness.state_mut().finish_library(&ctx);
    harness.run();
    assert!(harness.query_by_label("1 个文件夹，4 个文件").is_some());

    // The table's 服务人次 selected: its years, and the lowered target flagged.
    harness.get_by_label("服务人次").click();
    harness.run();
    assert!(
        harness
            .query_by_label("所选指标“服务人次”的历年情况")
            .is_some()
    );
    assert!(harness.query_all_by_label("1150人次").count() >= 1);
    assert!(
        harness
            .query_by_label_contains("年度指标值 ≥1000人次 低于上年（2023年）实际完成值 1150人次")
            .is_some()
    );

    // Search by pinyin initials, typed key by key; the most used comes first.
    harness.get_by_label("查找").click();
    harness.run();
    type_slowly(&mut harness, "myd");
    press(&mut harness, Key::Escape);
    harness.get_all_by_label("插入").next().unwrap().click();
    harness.run();
    let doc = harness.state().editor().doc();
    let quantity = doc.find_by_names(&["产出指标", "数量指标"]).unwrap();
    let names: Vec<&str> = quantity.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["服务人次", "服务对象满意度"]);
    let inserted = &quantity.children[1];
    assert_eq!(inserted.criteria, "满意度≥90%得满分");
    assert_eq!(inserted.max_points, Decimal::from(10));
    assert_eq!(inserted.scoring.score, None);
    // One undo takes it out again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let doc = harness.state().editor().doc();
    assert_eq!(
        doc.find_by_names(&["产出指标", "数量指标"])
            .unwrap()
            .children
            .len(),
        1
    );

    // Dragged from the library onto the 评分表's 服务人次 row, it lands after that row.
    harness.get_by_label("评分表").click();
    harness.run();
    let rects = |harness: &egui_kittest::Harness<'_, jixiao::app::JixiaoApp>, label: &str| {
        let mut rects: Vec<_> = harness
            .query_all_by_label(label)
            .map(|n| n.rect())
            .collect();
        rects.sort_by(|a, b| a.min.x.total_cmp(&b.min.x));
        rects
    };
    // The library panel is on the left, the table to its right.
    let source = rects(&harness, "服务对象满意度")[0].center();
    let target = *rects(&harness, "服务人次").last().unwrap();
    let target = target.center();
    harness.hover_at(source);
    harness.run();
    harness.drag_at(source);
    harness.run();
    for step in 1..=5 {
        let t = step as f32 / 5.0;
        harness.hover_at(source + (target - source) * t);
        harness.run();
    }
    harness.drop_at(target);
    harness.run();
    let doc = harness.state().editor().doc();
    let names: Vec<&str> = doc
        .find_by_names(&["产出指标", "数量指标"])
        .unwrap()
        .children
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["服务人次", "服务对象满意度"]);
}

#[test]
fn a_library_is_shared_by_workbook_with_its_curation() {
    let dir = tempfile::tempdir().unwrap();
    let folder = season(dir.path());
    let mine = dir.path().join("我的.json");
    let theirs = dir.path().join("同事的.json");
    let sheet = dir.path().join("指标库.xlsx");
    let (mine_text, theirs_text, sheet_text) = (
        mine.to_str().unwrap(),
        theirs.to_str().unwrap(),
        sheet.to_str().unwrap(),
    );
    run(&[
        "library",
        "add",
        folder.to_str().unwrap(),
        "--library",
        mine_text,
    ]);
    run(&[
        "library",
        "mark",
        "服务人次",
        "--as",
        "个性",
        "--criteria",
        "完成即满分",
        "--library",
        mine_text,
    ]);
    run(&[
        "library",
        "export",
        "-o",
        sheet_text,
        "--library",
        mine_text,
    ]);
    // Saved into the indexed folder, the export is not read back as an evaluation.
    std::fs::copy(&sheet, folder.join("指标库.xlsx")).unwrap();
    let out = run(&["library", "update", "--library", mine_text]);
    assert!(out.contains("（新读 1，未变 4，移除 0）"), "{out}");
    let found: serde_json::Value = serde_json::from_str(&run(&[
        "library",
        "search",
        "fwrc",
        "--json",
        "--library",
        mine_text,
    ]))
    .unwrap();
    assert_eq!(found["results"][0]["uses"].as_array().unwrap().len(), 3);

    // The sheet as a person reads it: one row per use, the entry's decisions on each.
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&sheet).unwrap();
    let range = calamine::Reader::worksheet_range(&mut workbook, "指标库").unwrap();
    let rows: Vec<u32> = (1..range.height() as u32)
        .filter(|r| crate::common::cell(&range, *r, 1) == "服务人次")
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(crate::common::cell(&range, rows[0], 3), "个性");
    assert_eq!(crate::common::cell(&range, rows[0], 5), "完成即满分");

    // A colleague imports it into their own library and finds the same history.
    let out = run(&["library", "import", sheet_text, "--library", theirs_text]);
    assert!(out.contains("1 项指标的共性/个性"), "{out}");
    let found: serde_json::Value = serde_json::from_str(&run(&[
        "library",
        "search",
        "fwrc",
        "--json",
        "--library",
        theirs_text,
    ]))
    .unwrap();
    assert_eq!(found["results"][0]["kind"], "个性");
    assert_eq!(found["results"][0]["criteria"], "完成即满分");
    let actuals: Vec<&str> = found["results"][0]["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["actual"].as_str().unwrap())
        .collect();
    assert_eq!(actuals, ["980人次", "1150人次", "1200人次"]);
    // Imported again, the sheet replaces what it brought before: no doubles.
    run(&["library", "import", sheet_text, "--library", theirs_text]);
    let library = Library::load(&theirs).unwrap();
    assert_eq!(library.search("fwrc", &Filter::default())[0].uses.len(), 3);
}

#[test]
fn a_whole_second_level_group_comes_from_the_library_without_scores() {
    let library = Library::default();
    let entry = library.entry("效益", "服务对象满意度").unwrap();
    let model = entry
        .uses
        .iter()
        .find(|u| u.path.to_string() == "效益 / 项目效益 / 服务对象满意度")
        .unwrap();
    let group = jixiao::library::group_of(model).unwrap();
    assert_eq!(group.name, "项目效益");
    let names: Vec<&str> = group.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "经济效益",
            "社会效益",
            "生态效益",
            "可持续影响",
            "服务对象满意度"
        ]
    );
    // Into a plan with an empty 效益: one edit, fresh ids, the 分值 and 评分标准 along.
    let mut doc = Evaluation::default();
    let id = doc.new_id();
    doc.indicators = vec![Indicator::group(id, "效益", Vec::new())];
    jixiao::command::apply(
        &mut doc,
        &jixiao::command::Edit::Insert {
            after: None,
            under: Some(id),
            indicator: Box::new(group),
        },
    )
    .unwrap();
    let summary = jixiao::scoring::summarize(&doc);
    assert_eq!(summary.totals.max_points, Decimal::from(35));
    assert_eq!(summary.totals.scored_leaves, 0);
    let inserted = doc
        .find_by_names(&["效益", "项目效益", "服务对象满意度"])
        .unwrap();
    assert!(
        inserted.criteria.contains("满意度≥90%得满分"),
        "{}",
        inserted.criteria
    );
    let mut ids = Vec::new();
    doc.visit(&mut |node, _| ids.push(node.id));
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7);
}

/// Every use's `path` in `value` joined into one text, as version 1 wrote it.
fn paths_as_text(value: &mut serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(map) => {
            let mut joined = 0;
            if let Some(serde_json::Value::Array(names)) = map.get("path")
                && map.contains_key("max_points")
            {
                let text: Vec<&str> = names.iter().filter_map(|n| n.as_str()).collect();
                let text = text.join(" / ");
                map.insert("path".into(), text.into());
                joined += 1;
            }
            joined + map.values_mut().map(paths_as_text).sum::<usize>()
        }
        serde_json::Value::Array(items) => items.iter_mut().map(paths_as_text).sum(),
        _ => 0,
    }
}

#[test]
fn a_library_saved_with_paths_as_text_opens_with_the_same_paths() {
    let dir = tempfile::tempdir().unwrap();
    let folder = season(dir.path());
    let lib_file = dir.path().join("指标库.json");
    let lib = lib_file.to_str().unwrap();
    run(&["library", "add", folder.to_str().unwrap(), "--library", lib]);
    let search = || run(&["library", "search", "fwrc", "--json", "--library", lib]);
    let before = search();
    assert!(
        before.contains("产出指标 / 数量指标 / 服务人次"),
        "{before}"
    );

    // The file as the version before wrote it: version 1, each path one text.
    let mut body: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&lib_file).unwrap()).unwrap();
    assert_eq!(body["version"], 2);
    body["version"] = 1.into();
    assert!(paths_as_text(&mut body) > 10, "{body}");
    std::fs::write(&lib_file, serde_json::to_vec(&body).unwrap()).unwrap();

    assert_eq!(search(), before);
    let library = Library::load(&lib_file).unwrap();
    let entry = library.entry("产出指标", "服务人次").unwrap();
    assert_eq!(entry.path.names(), ["产出指标", "数量指标", "服务人次"]);
}
