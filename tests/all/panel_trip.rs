//! Issue 11 from the command line: the secretary prepares one file per expert, each
//! expert fills in and submits, one sealed file is changed by hand, the merge flags it
//! and shows how each expert scored — every figure checked by hand below.

use std::path::{Path, PathBuf};

use crate::common::{data, jixiao, run};

fn text(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

/// 专家1's published table with some scores changed: `(indicator, figure as printed, new)`.
fn table_of(dir: &Path, name: &str, changes: &[(&str, &str, &str)], extra: &str) -> PathBuf {
    let mut csv = std::fs::read_to_string(data("panel/专家1.csv")).unwrap();
    for (indicator, old, new) in changes {
        let line = csv
            .lines()
            .find(|l| l.contains(indicator))
            .unwrap()
            .to_owned();
        csv = csv.replace(
            &line,
            &line.replacen(&format!(",{old},"), &format!(",{new},"), 1),
        );
    }
    csv.push_str(extra);
    let path = dir.join(format!("{name}.csv"));
    std::fs::write(&path, csv).unwrap();
    path
}

/// Five experts' files, prepared, filled from their tables and submitted.
fn five_submitted(dir: &Path) -> Vec<PathBuf> {
    let folder = dir.join("专家");
    let plan = data("evaluation-2022-jingzhun-bangfu.csv");
    let out = run(&[
        "panel",
        "prepare",
        &text(&plan),
        "--experts",
        "专家1,专家2、专家3，专家4,专家5",
        "-o",
        &text(&folder),
    ]);
    assert!(out.contains("已为 5 位专家准备评分文件"), "{out}");
    let tables = [
        // 专家1 scored on the published table, saved by LibreOffice as Excel 97 (.xls,
        // merged cells): not the shape the other four come in.
        data("evaluation-exported.xls"),
        data("panel/专家2.csv"),
        data("panel/专家3.csv"),
        table_of(
            dir,
            "专家4表",
            &[("成本节约率", "7.60", "8")],
            "效益(35分),项目效益(35分),群众获得感,,0,0,未列入方案\n",
        ),
        table_of(
            dir,
            "专家5表",
            &[("成本节约率", "7.60", "5"), ("满意度", "7.6", "5")],
            "",
        ),
    ];
    let files: Vec<PathBuf> = (1..=5)
        .map(|n| folder.join(format!("专家{n}.ron")))
        .collect();
    for (file, table) in files.iter().zip(&tables) {
        let out = run(&["panel", "fill", &text(file), "--from", &text(table)]);
        assert!(out.contains("已从"), "{out}");
        if table.ends_with("专家4表.csv") {
            assert!(
                out.contains("表格中有 1 行在评分文件中找不到对应指标")
                    && out.contains("效益 / 项目效益 / 群众获得感"),
                "{out}"
            );
        }
        let out = run(&["panel", "submit", &text(file)]);
        assert!(out.contains("已封存"), "{out}");
    }
    files
}

#[test]
fn five_experts_prepare_fill_submit_and_a_tampered_file_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let files = five_submitted(dir.path());

    // 专家3 changes a reason by hand in the sealed file.
    let ron = std::fs::read_to_string(&files[2]).unwrap();
    assert!(ron.contains("缺少验收资料"));
    std::fs::write(&files[2], ron.replace("缺少验收资料", "验收资料齐全")).unwrap();

    let mut args = vec!["panel".to_owned(), "--json".to_owned()];
    args.extend(files.iter().map(|f| text(f)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let report: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();
    // 专家3's file is left out, naming what changed (the replace changed the history too:
    // the seal still tells which field), and the panel has no grade.
    assert_eq!(
        report["set_aside"],
        serde_json::json!([{
            "name": "专家3",
            "file": text(&files[2]),
            "changes": ["产出 / 产出质量 / 质量达标率 扣分理由 （提交时的值） → 验收资料齐全"]
        }])
    );
    assert_eq!(report["experts"].as_array().unwrap().len(), 4);
    assert_eq!(report["waiting"], serde_json::json!(["专家3"]));
    assert_eq!(report["rating"], serde_json::Value::Null);

    // The secretary accepts it, for a reason.
    let accept = ["--accept", "专家3", "--reason", "专家3补交了验收资料"];
    let mut args = vec!["panel".to_owned(), "--json".to_owned()];
    args.extend(accept.map(str::to_owned));
    args.extend(files.iter().map(|f| text(f)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let report: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();

    // Five experts: by default one highest and one lowest score are dropped per indicator.
    assert_eq!(report["method"], "去掉一个最高分和一个最低分后平均");
    let seals: Vec<&str> = report["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seal"].as_str().unwrap())
        .collect();
    assert_eq!(seals, ["ok", "ok", "broken", "ok", "ok"]);

    let indicator = |name: &str| {
        report["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"].as_str().unwrap().ends_with(name))
            .unwrap()
            .clone()
    };
    // 成本节约率: 7.6, 9.5, 6, 8, 5 → without 9.5 and 5: (7.6 + 6 + 8) / 3 = 7.20.
    let cost = indicator("成本节约率");
    assert_eq!(cost["panel"], "7.20");
    assert_eq!(cost["flagged"], true);
    assert_eq!(cost["outliers"], serde_json::json!(["专家2"]));
    // 满意度: 7.6, 9, 6.5, 7.6, 5 → (7.6 + 6.5 + 7.6) / 3 = 7.2333 → 7.23; 专家5 is 2.23 off.
    let satisfaction = indicator("满意度");
    assert_eq!(satisfaction["panel"], "7.23");
    assert_eq!(satisfaction["outliers"], serde_json::json!(["专家5"]));
    // 立项依据充分性: 1.86, 1.9, 1.7, 1.86, 1.86 → 1.86.
    assert_eq!(indicator("立项依据充分性")["panel"], "1.86");
    // 综合得分: 专家1's 82.02 with 成本节约率 and 满意度 at the panel's figures.
    assert_eq!(report["total"], "81.25");

    // Leniency, the mean over the 18 indicators of (expert − panel):
    // 专家2: (0.04 + 0.74 + 2.30 + 1.77) / 18 = 0.2694 → 高 0.27;
    // 专家5: (−2.20 − 2.23) / 18 = −0.2461 → 低 0.25; 专家1: (0.40 + 0.37) / 18 → 高 0.04.
    let leniency: Vec<&str> = report["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["leniency_text"].as_str().unwrap())
        .collect();
    assert_eq!(leniency[0], "比组均值平均高 0.04 分");
    assert_eq!(leniency[1], "比组均值平均高 0.27 分");
    assert_eq!(leniency[4], "比组均值平均低 0.25 分");
    // Agreement: 16 of 18 indicators within 20% of their 分值 (成本节约率 45%, 满意度 40%).
    assert_eq!(report["agreement"], "88.89");

    // The text output says the same, in words.
    let mut args = vec!["panel".to_owned()];
    args.extend(accept.map(str::to_owned));
    args.extend(files.iter().map(|f| text(f)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args);
    assert!(out.contains("提交后被改动"), "{out}");
    assert!(
        out.contains("一致性 88.89%（18 项中 16 项的最大差不超过分值的 20%）"),
        "{out}"
    );

    // The threshold is a setting: at 50% of 分值 nothing is flagged.
    let mut args = vec!["panel", "--threshold", "50"];
    args.extend(accept);
    let files_text: Vec<String> = files.iter().map(|f| text(f)).collect();
    args.extend(files_text.iter().map(String::as_str));
    let out = run(&args);
    assert!(
        out.contains("一致性 100.00%（18 项中 18 项的最大差不超过分值的 50%）"),
        "{out}"
    );
    let mut args = vec!["panel", "--threshold", "两成"];
    args.extend(files_text.iter().map(String::as_str));
    let output = jixiao(&args);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "jixiao：分歧阈值“两成”应为 0 到 100 之间的百分数，如 20"
    );
}

#[test]
fn a_file_keeps_its_history_a_missing_expert_is_named_and_another_plan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let files = five_submitted(dir.path());

    let history = run(&["history", &text(&files[1])]);
    assert!(history.contains("为专家“专家2”准备评分文件"), "{history}");
    assert!(
        history.contains("产出 / 产出成本 / 成本节约率  得分：（空） → 9.5（从表格填入）"),
        "{history}"
    );
    assert!(history.contains("专家2 提交评分"), "{history}");
    let json: serde_json::Value =
        serde_json::from_str(&run(&["history", "--json", &text(&files[1])])).unwrap();
    assert_eq!(json["seal"], "ok");

    // Four of five files: 专家5 is named as missing, and the plain mean is used.
    let mut args: Vec<String> = vec!["panel".into(), "--json".into()];
    args.extend(files[..4].iter().map(|f| text(f)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let report: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();
    assert_eq!(report["missing"], serde_json::json!(["专家5"]));
    assert_eq!(report["method"], "算术平均");

    // A file prepared from another plan is refused, by its name.
    let other = dir.path().join("其他");
    run(&[
        "new",
        "--template",
        "project",
        "-o",
        &text(&dir.path().join("方案.ron")),
    ]);
    run(&[
        "panel",
        "prepare",
        &text(&dir.path().join("方案.ron")),
        "--experts",
        "赵六",
        "-o",
        &text(&other),
    ]);
    let output = jixiao(&[
        "panel",
        &text(&files[0]),
        &text(&files[1]),
        &text(&other.join("赵六.ron")),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "jixiao：“赵六.ron”（赵六）属于另一份评价方案（指标或分值不同），未合并"
    );

    // A submitted file is not filled again, and an incomplete one is not submitted.
    let output = jixiao(&[
        "panel",
        "fill",
        &text(&files[0]),
        "--from",
        &text(&data("panel/专家2.csv")),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("已经提交"));
    let output = jixiao(&["panel", "submit", &text(&other.join("赵六.ron"))]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("未提交：还有 20 项指标未评分"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_version_1_panel_opens_and_keeps_what_the_panel_agreed() {
    let file = data("panel/v1/专家组.ron");
    let report: serde_json::Value =
        serde_json::from_str(&run(&["score", "--json", &text(&file)])).unwrap();
    // The agreed 8 of 成本节约率 stands in place of the experts' mean 7.70.
    assert_eq!(report["total"], "82.83");
    let doc = jixiao::storage::load(&file).unwrap();
    let agreed = &doc.panel.as_ref().unwrap().agreed;
    assert_eq!(agreed.len(), 1, "{agreed:?}");
    assert_eq!(
        doc.display_path(agreed[0].id),
        "产出 / 产出成本 / 成本节约率"
    );
    assert_eq!(agreed[0].score, Some(rust_decimal::Decimal::from(8)));
    assert_eq!(
        agreed[0].opinion.as_deref(),
        Some("专家组讨论后认定：成本控制措施不足，扣 2 分")
    );
    // Merged again (as after a revised expert file), the agreed figures are kept.
    let panel = doc.panel.clone().unwrap();
    let again = jixiao::panel::merge(
        panel.experts,
        panel.method,
        panel.divergence_threshold,
        Some(&doc),
    )
    .unwrap();
    let leaf = again
        .find_by_names(&["产出", "产出成本", "成本节约率"])
        .unwrap();
    assert_eq!(
        leaf.scoring.reason,
        "专家组讨论后认定：成本控制措施不足，扣 2 分"
    );
    assert_eq!(jixiao::scoring::summarize(&again).total_text(), "82.83");
}

/// 甲, 乙 and 丙 named in one plan (the published table), each filled from the table they
/// scored on (专家1, 专家2, 专家3.csv) and submitted.
fn three_submitted(dir: &Path) -> Vec<PathBuf> {
    let folder = dir.join("专家");
    run(&[
        "panel",
        "prepare",
        &text(&data("evaluation-2022-jingzhun-bangfu.csv")),
        "--experts",
        "甲,乙,丙",
        "-o",
        &text(&folder),
    ]);
    ["甲", "乙", "丙"]
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let file = folder.join(format!("{name}.ron"));
            let table = data(&format!("panel/专家{}.csv", index + 1));
            run(&["panel", "fill", &text(&file), "--from", &text(&table)]);
            run(&["panel", "submit", &text(&file)]);
            file
        })
        .collect()
}

#[test]
fn a_file_changed_after_submitting_is_left_out_until_the_secretary_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let files = three_submitted(dir.path());
    let names: Vec<String> = files.iter().map(|f| text(f)).collect();

    // Untouched, the three files give the published panel: 82.53, 良.
    let mut args = vec!["panel", "--json"];
    args.extend(names.iter().map(String::as_str));
    let report: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();
    assert_eq!(
        (&report["total"], &report["rating"]),
        (&"82.53".into(), &"良".into())
    );

    // 乙 lowers 成本节约率 from 9.5 to 3.5 in a text editor after submitting.
    let ron = std::fs::read_to_string(&files[1]).unwrap();
    assert_eq!(ron.matches("score: Some(\"9.5\")").count(), 1);
    std::fs::write(
        &files[1],
        ron.replace("score: Some(\"9.5\")", "score: Some(\"3.5\")"),
    )
    .unwrap();

    let merged = dir.path().join("专家组.ron");
    let mut args = vec!["panel", "-o", merged.to_str().unwrap()];
    args.extend(names.iter().map(String::as_str));
    let out = run(&args);
    // 乙 is left out: per indicator the mean of 甲 and 丙. From 甲's 82.02: 立项依据充分性
    // (1.86 + 1.7) / 2 = 1.78 (−0.08), 质量达标率 (7.7 + 8) / 2 = 7.85 (+0.15), 成本节约率
    // (7.6 + 6) / 2 = 6.80 (−0.80), 满意度 (7.6 + 6.5) / 2 = 7.05 (−0.55): 80.74. Not 80.53,
    // the figure with 乙's changed 3.5; and no grade while 乙's file is not counted.
    assert!(out.contains("综合得分    100.00    80.74"), "{out}");
    assert!(
        out.contains("绩效评定级别：评分未完成（尚待专家 乙；按已计入的评分暂计为“良”"),
        "{out}"
    );
    assert!(out.contains("提交后被改动，未计入专家组得分"), "{out}");
    assert!(
        out.contains("产出 / 产出成本 / 成本节约率 得分 9.5 → 3.5"),
        "{out}"
    );
    assert!(
        out.contains(
            "错误  专家组：专家“乙”（乙.ron）的评分文件提交后被改动，未计入专家组得分：产出 / 产出成本 / 成本节约率 得分 9.5 → 3.5"
        ),
        "{out}"
    );
    assert!(out.contains("--accept 乙 --reason"), "{out}");

    // The merged file carries the error: `check` fails on it and names 乙.
    let output = jixiao(&["check", merged.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("专家“乙”（乙.ron）的评分文件提交后被改动"),
        "{said}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&run(&["score", "--json", merged.to_str().unwrap()])).unwrap();
    assert_eq!(json["rating"], serde_json::Value::Null);
    assert!(
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "seal_broken" && p["severity"] == "error"),
        "{json}"
    );

    // The Markdown report says so beside the figures.
    let md = dir.path().join("报告.md");
    jixiao(&[
        "export",
        merged.to_str().unwrap(),
        "--md",
        md.to_str().unwrap(),
    ]);
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(
        report.contains("| 绩效评定级别 | | 评分未完成 |"),
        "{report}"
    );
    assert!(
        report.contains("专家“乙”（乙.ron）的评分文件提交后被改动，未计入专家组得分"),
        "{report}"
    );

    // Accepting needs a reason.
    let mut args = vec!["panel", "--accept", "乙"];
    args.extend(names.iter().map(String::as_str));
    assert_eq!(jixiao(&args).status.code(), Some(2));
    let mut args = vec!["panel", "--accept", "乙", "--reason", "  "];
    args.extend(names.iter().map(String::as_str));
    let output = jixiao(&args);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "jixiao：接受专家“乙”提交后被改动的评分文件，请写明理由"
    );
    // 甲's file was not changed: nothing to accept.
    let mut args = vec!["panel", "--accept", "甲", "--reason", "核实"];
    args.extend(names.iter().map(String::as_str));
    assert!(
        String::from_utf8_lossy(&jixiao(&args).stderr)
            .contains("专家“甲”的评分文件没有在提交后被改动，无需接受")
    );

    // The secretary accepts 乙's change, with a reason: 乙 counts, 成本节约率
    // (7.6 + 3.5 + 6) / 3 = 5.70 instead of 7.70, so 82.53 − 2.00 = 80.53, 良.
    let accepted = dir.path().join("专家组（接受）.ron");
    let mut args = vec![
        "panel",
        "--accept",
        "乙",
        "--reason",
        "乙来电确认成本节约率改为 3.5 分",
        "-o",
        accepted.to_str().unwrap(),
    ];
    args.extend(names.iter().map(String::as_str));
    let out = run(&args);
    assert!(out.contains("综合得分    100.00    80.53"), "{out}");
    assert!(out.contains("绩效评定级别：良"), "{out}");
    assert!(
        out.contains("提交后被改动（已接受：乙来电确认成本节约率改为 3.5 分）"),
        "{out}"
    );
    let output = jixiao(&["check", accepted.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let history = run(&["history", accepted.to_str().unwrap()]);
    assert!(
        history.contains(
            "接受专家“乙”提交后被改动的评分文件，计入专家组得分；理由：乙来电确认成本节约率改为 3.5 分"
        ),
        "{history}"
    );

    // Changed again after it was accepted, the file is left out again.
    let ron = std::fs::read_to_string(&files[1]).unwrap();
    std::fs::write(
        &files[1],
        ron.replace("score: Some(\"3.5\")", "score: Some(\"2\")"),
    )
    .unwrap();
    let mut args = vec!["panel", "--json", "--accept", "乙", "--reason", "确认"];
    args.extend(names.iter().map(String::as_str));
    let report: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();
    assert_eq!(report["total"], "80.03");
    // The accepted panel merged again with 乙's file as it is now (the window's 更换…).
    let doc = jixiao::storage::load(&accepted).unwrap();
    let panel = doc.panel.clone().unwrap();
    let mut experts = jixiao::panel::all_experts(&panel);
    assert_eq!(experts[1].name, "乙");
    experts[1].evaluation = jixiao::storage::load(&files[1]).unwrap();
    let again = jixiao::panel::merge(
        experts,
        panel.method,
        panel.divergence_threshold,
        Some(&doc),
    )
    .unwrap();
    assert_eq!(jixiao::scoring::summarize(&again).total_text(), "80.74");
    assert_eq!(
        jixiao::scoring::summarize(&again).verdict_text(),
        "评分未完成"
    );
}

#[test]
fn a_panel_waiting_for_experts_gives_no_grade() {
    let dir = tempfile::tempdir().unwrap();
    let files = three_submitted(dir.path());
    let merged = dir.path().join("专家组.ron");

    // 甲's file alone: 乙 and 丙 are named in the plan and missing.
    let out = run(&["panel", &text(&files[0]), "-o", merged.to_str().unwrap()]);
    // 甲's own 82.02, provisional.
    assert!(out.contains("综合得分    100.00    82.02"), "{out}");
    assert!(
        out.contains("绩效评定级别：评分未完成（尚待专家 乙、丙；按已计入的评分暂计为“良”"),
        "{out}"
    );
    assert!(out.contains("尚未收到：乙、丙"), "{out}");
    assert!(
        out.contains(
            "评分未完成：尚待 乙（尚未收到）、丙（尚未收到），专家组得分为暂计，不评定绩效等级"
        ),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&run(&["panel", "--json", &text(&files[0])])).unwrap();
    assert_eq!(json["rating"], serde_json::Value::Null);
    assert_eq!(json["provisional_rating"], "良");
    assert_eq!(json["complete"], false);
    assert_eq!(json["waiting"], serde_json::json!(["乙", "丙"]));

    // Every export says so.
    let (md, xlsx, docx) = (
        dir.path().join("报告.md"),
        dir.path().join("评分表.xlsx"),
        dir.path().join("报告.docx"),
    );
    let output = jixiao(&[
        "export",
        merged.to_str().unwrap(),
        "--md",
        md.to_str().unwrap(),
        "--xlsx",
        xlsx.to_str().unwrap(),
        "--docx",
        docx.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("评分未完成（已评 18/18 项，尚待专家 乙、丙）")
    );
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(
        report.contains("| 绩效评定级别 | | 评分未完成 |"),
        "{report}"
    );
    assert!(report.contains("暂不评定绩效等级"), "{report}");
    assert!(
        report.contains("尚待 乙（尚未收到）、丙（尚未收到）"),
        "{report}"
    );
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::Reader;
    let sheet = workbook.worksheet_range("专家评分汇总表").unwrap();
    let texts: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(texts.iter().any(|t| t == "评分未完成"), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("评分未完成：尚待 乙（尚未收到）"))
    );
    let bytes = std::fs::read(&docx).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("评分未完成：尚待 乙（尚未收到）、丙（尚未收到）"));

    // `check` warns, by name.
    let output = jixiao(&["check", merged.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("评价方案中的专家 乙、丙 还没有提交的评分文件")
    );

    // With all three in, the grade is given.
    let names: Vec<String> = files.iter().map(|f| text(f)).collect();
    let mut args = vec!["panel", "--json"];
    args.extend(names.iter().map(String::as_str));
    let json: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();
    assert_eq!(json["rating"], "良");
    assert_eq!(json["waiting"], serde_json::json!([]));
}

#[test]
fn a_paper_score_with_three_decimals_is_named_and_not_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("专家");
    let plan = data("evaluation-2022-jingzhun-bangfu.csv");
    run(&[
        "panel",
        "prepare",
        &text(&plan),
        "--experts",
        "专家1",
        "-o",
        &text(&folder),
    ]);
    let file = folder.join("专家1.ron");
    let table = table_of(
        dir.path(),
        "专家1表",
        &[("成本节约率", "7.60", "7.555")],
        "",
    );
    let out = run(&["panel", "fill", &text(&file), "--from", &text(&table)]);
    assert!(
        out.contains("成本节约率（得分 7.555 多于两位小数）"),
        "{out}"
    );
    let doc = jixiao::storage::load(&file).unwrap();
    let cost = doc
        .leaves()
        .into_iter()
        .find(|l| l.name == "成本节约率")
        .unwrap();
    assert_eq!(cost.scoring.score, None);
}
