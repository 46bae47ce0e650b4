//! The command line as a user runs it, on the real tables of shared/reference.
#![allow(clippy::unwrap_used)] // test helpers may unwrap; see [lints] in Cargo.toml

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{data, jixiao};

use rust_xlsxwriter::{Format, Workbook};

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The Chinese message on stderr says `text`.
fn assert_stderr_has(output: &Output, text: &str) {
    let message = stderr(output);
    assert!(message.contains(text), "expected “{text}” in: {message}");
}

fn score_json(path: &Path) -> serde_json::Value {
    let output = jixiao(&["score", path.to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

/// Three fields of every object in a JSON array, as text.
fn triples(array: &serde_json::Value, keys: [&str; 3]) -> Vec<(String, String, String)> {
    let field =
        |item: &serde_json::Value, key: &str| item[key].as_str().unwrap_or_default().to_owned();
    array
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                field(item, keys[0]),
                field(item, keys[1]),
                field(item, keys[2]),
            )
        })
        .collect()
}

/// What the published report says of the expert evaluation.
fn assert_published_evaluation(json: &serde_json::Value) {
    assert_eq!(json["total"], "82.02");
    assert_eq!(json["max_total"], "100.00");
    assert_eq!(json["rating"], "良");
    let groups = triples(&json["groups"], ["name", "max_points", "score"]);
    let expected = [
        ("决策", "10.00", "7.66"),
        ("过程", "20.00", "16.90"),
        ("产出", "35.00", "29.26"),
        ("效益", "35.00", "28.20"),
    ];
    assert_eq!(
        groups,
        expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["severity"], "warning");
    assert_eq!(problems[0]["path"], "效益");
    let message = problems[0]["message"].as_str().unwrap();
    assert!(
        message.contains("28.02") && message.contains("28.20"),
        "{message}"
    );
}

#[test]
fn the_published_evaluation_scores_82_02_and_its_wrong_subtotal_is_reported() {
    assert_published_evaluation(&score_json(&data("evaluation-2022-jingzhun-bangfu.csv")));
}

#[test]
fn the_same_table_saved_as_gbk_reads_the_same() {
    assert_published_evaluation(&score_json(&data("evaluation-gbk.csv")));
}

#[test]
fn the_self_assessment_scores_89_good_and_names_the_one_score_its_rule_would_not_give() {
    let json = score_json(&data("self-assessment-2022-jingzhun-jiuzhu.csv"));
    assert_eq!(json["total"], "89.00");
    assert_eq!(json["rating"], "良");
    assert_eq!(json["groups"][1]["name"], "产出指标");
    assert_eq!(json["groups"][1]["score"], "48.00");
    // The unit printed 2 for 20 of 20 households (its reason: the help should be more
    // varied); the completion rule gives full points. The printed figure stands.
    assert_eq!(
        json["problems"],
        serde_json::json!([{
            "severity": "warning",
            "code": "printed_score_differs",
            "path": "产出指标 / 质量指标 / 困难群众个案帮扶",
            "message": "自评 2，按规则应为 2.5",
        }])
    );
}

/// Writes `csv` as an .xlsx the way a user's Excel file looks: a merged title row above
/// the header, the level columns merged vertically over their rows, numbers as numbers.
fn xlsx_of(csv: &Path, out: &Path, title: &str) {
    let text = std::fs::read_to_string(csv).unwrap();
    let rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let plain = Format::new();
    let columns = rows[0].len() as u16;
    sheet
        .merge_range(0, 0, 0, columns - 1, title, &plain)
        .unwrap();
    let level_columns = rows[0].iter().filter(|h| h.ends_with("级指标")).count();
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            if c < level_columns && cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r, c as u16, number).unwrap(),
                Err(_) => sheet.write_string(r, c as u16, cell).unwrap(),
            };
        }
    }
    // Merge each named level cell down over the blank cells below it.
    for c in 0..level_columns {
        let mut r = 1;
        while r < rows.len() {
            let start = r;
            while r + 1 < rows.len()
                && rows[r + 1][c].is_empty()
                && !rows[r + 1][..c].iter().any(|x| !x.is_empty())
                && !rows[start][c].is_empty()
            {
                r += 1;
            }
            if r > start {
                let (first, last) = (start as u32 + 1, r as u32 + 1);
                sheet
                    .merge_range(first, c as u16, last, c as u16, &rows[start][c], &plain)
                    .unwrap();
            }
            r += 1;
        }
    }
    workbook.save(out).unwrap();
}

#[test]
fn the_same_tables_from_excel_with_merged_cells_and_a_title_row() {
    let dir = tempfile::tempdir().unwrap();
    let evaluation = dir.path().join("评价.xlsx");
    xlsx_of(
        &data("evaluation-2022-jingzhun-bangfu.csv"),
        &evaluation,
        "2022年永乐店镇困难群众精准帮扶项目绩效评价评分表",
    );
    let json = score_json(&evaluation);
    assert_published_evaluation(&json);
    let text = stdout(&jixiao(&["score", evaluation.to_str().unwrap()]));
    assert!(
        text.starts_with("项目：2022年永乐店镇困难群众精准帮扶项目\n"),
        "{text}"
    );

    let self_assessment = dir.path().join("自评.xlsx");
    xlsx_of(
        &data("self-assessment-2022-jingzhun-jiuzhu.csv"),
        &self_assessment,
        "项目支出绩效自评表",
    );
    let json = score_json(&self_assessment);
    assert_eq!(
        (json["total"].as_str(), json["rating"].as_str()),
        (Some("89.00"), Some("良"))
    );
}

#[test]
fn the_readable_summary_is_a_chinese_table() {
    let output = jixiao(&[
        "score",
        data("evaluation-2022-jingzhun-bangfu.csv")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("评价内容    分值      评价得分  得分率\n"),
        "{text}"
    );
    assert!(
        text.contains("效益        35.00     28.20     80.57%\n"),
        "{text}"
    );
    assert!(
        text.contains("综合得分    100.00    82.02     82.02%\n"),
        "{text}"
    );
    assert!(text.contains("绩效评定级别：良\n"), "{text}");
    assert!(text.contains("已评 18/18 项\n"), "{text}");
    assert!(
        text.contains("提醒  效益：第 23 行写明得分 28.02，但其下各项得分合计为 28.20"),
        "{text}"
    );
}

#[test]
fn import_then_score_gives_the_same_result_and_keeps_the_declared_figures() {
    let dir = tempfile::tempdir().unwrap();
    let ron = dir.path().join("评价.ron");
    let output = jixiao(&[
        "import",
        data("evaluation-2022-jingzhun-bangfu.csv")
            .to_str()
            .unwrap(),
        "-o",
        ron.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("已导入 18 项指标"),
        "{}",
        stdout(&output)
    );
    assert_published_evaluation(&score_json(&ron));

    let again = jixiao(&[
        "import",
        data("evaluation-2022-jingzhun-bangfu.csv")
            .to_str()
            .unwrap(),
        "-o",
        ron.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert_stderr_has(&again, "已存在；如要覆盖请加 --force");
}

#[test]
fn check_exits_1_on_errors_0_on_warnings_2_when_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let warnings_only = jixiao(&[
        "check",
        data("evaluation-2022-jingzhun-bangfu.csv")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(warnings_only.status.code(), Some(0));
    assert!(stdout(&warnings_only).contains("0 个错误，1 个提醒"));

    let too_high = dir.path().join("超分.csv");
    std::fs::write(
        &too_high,
        "一级指标,二级指标,分值,得分\n决策,立项,10,12\n过程,管理,90,80\n",
    )
    .unwrap();
    let output = jixiao(&["check", too_high.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("错误  决策 / 立项：得分 12 超过分值 10"),
        "{}",
        stdout(&output)
    );

    let missing = jixiao(&["check", dir.path().join("没有.ron").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("文件或文件夹不存在"));
}

#[test]
fn bad_tables_get_a_chinese_message_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let text_score = dir.path().join("文字.csv");
    std::fs::write(&text_score, "一级指标,分值,得分\n决策,10,良好\n").unwrap();
    // One unreadable cell does not refuse the table: it opens, and the cell is named.
    let output = jixiao(&["score", text_score.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("错误  决策：第 2 行“得分”列“良好”不是数字"));

    let unknown = dir.path().join("表头.csv");
    std::fs::write(&unknown, "名称,权重,评分结果\n决策,10,7\n").unwrap();
    let output = jixiao(&["score", unknown.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_stderr_has(&output, "找不到指标表");

    let word = dir.path().join("报告.docx");
    std::fs::write(&word, b"PK\x03\x04").unwrap();
    let output = jixiao(&["score", word.to_str().unwrap()]);
    assert_stderr_has(&output, "不是 Word 文档");

    let broken_xlsx = dir.path().join("坏.xlsx");
    std::fs::write(&broken_xlsx, b"not a zip").unwrap();
    let output = jixiao(&["score", broken_xlsx.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_stderr_has(&output, "无法打开表格");
}

#[test]
fn a_damaged_document_is_explained_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let ron = dir.path().join("评价.ron");
    assert_eq!(
        jixiao(&["new", "--template", "project", "-o", ron.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let text = std::fs::read_to_string(&ron).unwrap();
    let damaged = text.replacen("max_points: \"2\"", "max_points: \"2\" max", 1);
    std::fs::write(&ron, &damaged).unwrap();
    let output = jixiao(&["score", ron.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    let line = damaged
        .lines()
        .position(|l| l.contains("\"2\" max"))
        .unwrap()
        + 1;
    assert!(message.contains(&format!("第 {line} 行第")), "{message}");
    assert_eq!(std::fs::read_to_string(&ron).unwrap(), damaged);
}

#[test]
fn new_from_every_template_scores_as_unscored() {
    let dir = tempfile::tempdir().unwrap();
    let listing = stdout(&jixiao(&["templates"]));
    for name in [
        "project",
        "project-15-25-25-35",
        "self-assessment",
        "self-assessment-cost",
        "department",
    ] {
        assert!(listing.contains(name), "{listing}");
        let ron = dir.path().join(format!("{name}.ron"));
        assert_eq!(
            jixiao(&["new", "--template", name, "-o", ron.to_str().unwrap()])
                .status
                .code(),
            Some(0)
        );
        let json = score_json(&ron);
        assert_eq!(
            (json["total"].as_str(), json["max_total"].as_str()),
            (Some("0.00"), Some("100.00"))
        );
    }
    let unknown = jixiao(&[
        "new",
        "--template",
        "nope",
        "-o",
        dir.path().join("x.ron").to_str().unwrap(),
    ]);
    assert!(stderr(&unknown).contains("没有名为“nope”的模板"));
}

/// A CSV of `leaves` rows, 100 leaves to a 二级 and 10,000 to a 一级, each worth
/// 100 / `leaves` and scored in full.
fn big_table(dir: &Path, leaves: usize) -> PathBuf {
    let path = dir.join(format!("大表{leaves}.csv"));
    let points = rust_decimal::Decimal::from(100) / rust_decimal::Decimal::from(leaves as u64);
    let mut text = String::from("一级指标,二级指标,三级指标,分值,得分,扣分理由\n");
    for i in 0..leaves {
        text.push_str(&format!(
            "组{},小组{},指标{i},{points},{points},\n",
            i / 10_000,
            i / 100
        ));
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_table_at_the_limit_of_100_000_indicators_is_read() {
    let dir = tempfile::tempdir().unwrap();
    // 98,000 leaves, 980 二级 and 10 一级: 98,990 indicators.
    let json = score_json(&big_table(dir.path(), 98_000));
    assert_eq!(json["total"], "100.00");
    assert_eq!(json["rating"], "优");
    assert_eq!(json["groups"].as_array().unwrap().len(), 10);
}

#[test]
fn a_table_over_the_limit_is_refused_with_a_message_not_read_half() {
    let dir = tempfile::tempdir().unwrap();
    // 100,000 leaves with their groups are 101,010 indicators: more than a document holds
    // (and could be saved and opened again).
    let path = big_table(dir.path(), 100_000);
    let output = jixiao(&["score", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_stderr_has(&output, "共有 101010 个指标，一份评价最多 100000 个");
    // More rows than any document can hold are refused once counted.
    let path = big_table(dir.path(), 120_000);
    let output = jixiao(&["score", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_stderr_has(&output, "表格有超过 110000 行，一份评价最多 100000 个指标");
}

#[test]
fn a_cell_longer_than_a_document_holds_is_cut_said_and_the_file_opens_again() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("长理由.csv");
    let reason = "资料不全".repeat(3_000);
    std::fs::write(
        &table,
        format!("一级指标,三级指标,分值,得分,扣分理由\n决策,立项依据,10,8,{reason}\n"),
    )
    .unwrap();
    let ron = dir.path().join("长理由.ron");
    let output = jixiao(&[
        "import",
        table.to_str().unwrap(),
        "-o",
        ron.to_str().unwrap(),
        "--explain",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("截短：第 2 行第 5 列有 12000 个字，只保留了前 10000 个字"),
        "{}",
        stdout(&output)
    );
    // What was imported is a document like any other: it opens again and scores.
    let json = score_json(&ron);
    assert_eq!(json["total"], "8.00");
    let saved = std::fs::read_to_string(&ron).unwrap();
    assert!(saved.contains(&"资料不全".repeat(2_500)));
    assert!(!saved.contains(&"资料不全".repeat(2_501)));
}

fn panel_files() -> Vec<String> {
    (1..=3)
        .map(|n| {
            data(&format!("panel/专家{n}.csv"))
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn a_panel_of_three_experts_is_averaged_and_its_disagreements_listed() {
    let mut args = vec!["panel".to_owned()];
    args.extend(panel_files());
    args.push("--json".to_owned());
    let output = jixiao(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["total"], "82.53");
    assert_eq!(json["rating"], "良");
    assert_eq!(json["groups"][2]["name"], "产出");
    assert_eq!(json["groups"][2]["score"], "29.46");
    let experts = triples(&json["experts"], ["name", "total", "rating"]);
    assert_eq!(
        experts,
        [
            ("专家1", "82.02", "良"),
            ("专家2", "86.10", "良"),
            ("专家3", "79.46", "中")
        ]
        .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
    assert_eq!(
        json["divergent"],
        serde_json::json!([
            {"path": "产出 / 产出成本 / 成本节约率", "min": "6.00", "max": "9.50", "max_points": "10.00"},
            {"path": "效益 / 项目效益 / 满意度", "min": "6.50", "max": "9.00", "max_points": "10.00"}
        ])
    );
}

#[test]
fn a_saved_panel_scores_the_same_and_a_mismatched_expert_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let result = dir.path().join("专家组.ron");
    let mut args = vec!["panel".to_owned()];
    args.extend(panel_files());
    args.extend(["-o".to_owned(), result.to_str().unwrap().to_owned()]);
    let output = jixiao(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output)
            .contains("专家组得分：每项指标取各位专家得分的算术平均，四舍五入保留两位小数")
    );
    assert_eq!(score_json(&result)["total"], "82.53");

    let odd = dir.path().join("专家4.csv");
    let text = std::fs::read_to_string(data("panel/专家3.csv")).unwrap();
    std::fs::write(&odd, text.replace(",社会效益,,15,", ",社会效益,,12,")).unwrap();
    let mut args = vec!["panel".to_owned()];
    args.extend(panel_files());
    args.push(odd.to_str().unwrap().to_owned());
    let output = jixiao(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(output.status.code(), Some(2));
    assert_stderr_has(
        &output,
        "“效益 / 项目效益 / 社会效益”的分值：专家1 为 15，专家4 为 12",
    );

    let trimmed = jixiao(&[
        "panel",
        &panel_files()[0],
        &panel_files()[1],
        &panel_files()[2],
        "--trimmed",
    ]);
    assert!(stderr(&trimmed).contains("去掉最高分和最低分需要至少 5 位专家，现有 3 位"));
}

#[test]
fn export_writes_every_format_and_says_how_far_a_batch_got() {
    let dir = tempfile::tempdir().unwrap();
    let seed = data("evaluation-2022-jingzhun-bangfu.csv");
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let output = jixiao(&[
        "export",
        seed.to_str().unwrap(),
        "--xlsx",
        &out("评价.xlsx"),
        "--docx",
        &out("报告.docx"),
        "--csv",
        &out("评分表.csv"),
        "--md",
        &out("报告.md"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("[1/1] 已导出"));
    for name in ["评价.xlsx", "报告.docx", "评分表.csv", "报告.md"] {
        assert!(
            std::fs::metadata(dir.path().join(name)).unwrap().len() > 100,
            "{name}"
        );
    }
    assert_eq!(score_json(&dir.path().join("评分表.csv"))["total"], "82.02");

    let broken = dir.path().join("坏.csv");
    std::fs::write(&broken, "名称,权重\n决策,10\n").unwrap();
    let self_assessment = data("self-assessment-2022-jingzhun-jiuzhu.csv");
    let output = jixiao(&[
        "export",
        seed.to_str().unwrap(),
        broken.to_str().unwrap(),
        self_assessment.to_str().unwrap(),
        "--md",
        &out("批量"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    // What was done is the output; what failed goes where errors go.
    let lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("[1/3] 已导出"));
    assert!(lines[1].starts_with("[3/3] 已导出"));
    let failed = stderr(&output);
    assert!(
        failed.starts_with("[2/3] 失败：") && failed.contains("找不到指标表"),
        "{failed}"
    );
    let md = std::fs::read_to_string(
        dir.path()
            .join("批量/self-assessment-2022-jingzhun-jiuzhu.md"),
    )
    .unwrap();
    assert!(md.contains("绩效评定结论为“良”。"));

    let none = jixiao(&["export", seed.to_str().unwrap()]);
    assert!(stderr(&none).contains("请至少指定一种导出格式"));
}

#[test]
fn an_old_excel_97_workbook_with_merged_cells_is_read() {
    // jixiao's own 评分表 export, saved again as .xls by LibreOffice: a title row, group
    // cells merged and named 决策(10分), a 合计 row of formulas.
    let json = score_json(&data("evaluation-exported.xls"));
    assert_eq!(
        (json["total"].as_str(), json["rating"].as_str()),
        (Some("82.02"), Some("良"))
    );
    assert_eq!(
        triples(&json["groups"], ["name", "max_points", "score"])[3],
        ("效益".to_owned(), "35.00".to_owned(), "28.20".to_owned())
    );
    assert_eq!(json["problems"], serde_json::json!([]));
}

/// The published table with only its first nine leaves scored, as an expert leaves it
/// half-way; its printed subtotals are left out.
fn half_scored_csv(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(data("evaluation-2022-jingzhun-bangfu.csv")).unwrap();
    let mut lines: Vec<String> = Vec::new();
    for (index, line) in text.lines().take(19).enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 7, "{line}");
        if index > 9 {
            cells[5] = "";
        }
        lines.push(cells.join(","));
    }
    let path = dir.join("半途.csv");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn a_half_scored_evaluation_is_not_complete_and_has_no_rating_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = score_json(&half_scored_csv(dir.path()));
    assert_eq!(json["total"], "15.20");
    assert_eq!(json["complete"], false);
    assert_eq!(
        (json["scored"].as_u64(), json["applicable"].as_u64()),
        (Some(9), Some(18))
    );
    assert_eq!(json["rating"], serde_json::Value::Null);
    assert_eq!(json["provisional_rating"], "差");

    let complete = score_json(&data("evaluation-2022-jingzhun-bangfu.csv"));
    assert_eq!(complete["complete"], true);
    assert_eq!(
        (complete["scored"].as_u64(), complete["applicable"].as_u64()),
        (Some(18), Some(18))
    );
    assert_eq!(complete.get("provisional_rating"), None);
}

#[test]
fn a_half_scored_evaluation_reads_as_unfinished_in_text() {
    let dir = tempfile::tempdir().unwrap();
    let output = jixiao(&["score", half_scored_csv(dir.path()).to_str().unwrap()]);
    let text = stdout(&output);
    assert!(text.contains("绩效评定级别：评分未完成"), "{text}");
    assert!(!text.contains("绩效评定级别：差"), "{text}");
    assert!(text.contains("已评 9/18 项"), "{text}");
}

#[test]
fn exporting_a_half_scored_evaluation_warns_first_and_writes_no_grade() {
    let dir = tempfile::tempdir().unwrap();
    let source = half_scored_csv(dir.path());
    let docx = dir.path().join("报告.docx");
    let md = dir.path().join("报告.md");
    let output = jixiao(&[
        "export",
        source.to_str().unwrap(),
        "--docx",
        docx.to_str().unwrap(),
        "--md",
        md.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_stderr_has(&output, "评分未完成（已评 9/18 项）");
    assert!(docx.exists());
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(
        report.contains("| 绩效评定级别 | | 评分未完成 |"),
        "{report}"
    );
    assert!(!report.contains("绩效评定结论为"), "{report}");

    // A complete evaluation exports without a word on stderr (over the report above,
    // as asked).
    let output = jixiao(&[
        "export",
        data("evaluation-2022-jingzhun-bangfu.csv")
            .to_str()
            .unwrap(),
        "--md",
        md.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(stderr(&output), "");
}

#[test]
fn every_command_explains_itself_in_chinese() {
    for args in [
        vec!["--help"],
        vec!["score", "--help"],
        vec!["panel", "--help"],
        vec!["panel", "prepare", "--help"],
        vec!["library", "search", "--help"],
    ] {
        let output = jixiao(&args);
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("用法："), "{args:?}: {text}");
        for english in ["Usage:", "Arguments:", "Commands:", "Options:", "[OPTIONS]"] {
            assert!(!text.contains(english), "{args:?}: {text}");
        }
    }
}

/// The letters of `text` that are not the program's own command and option names
/// (`jixiao` and `--help` are in every message).
fn english_in(text: &str, allowed: &[&str]) -> String {
    let mut words = [&["jixiao", "--help"][..], allowed].concat();
    // Longest first, so `--templat` does not eat into `--template`.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut rest = text.to_owned();
    for word in words {
        rest = rest.replace(word, "");
    }
    rest.chars().filter(char::is_ascii_alphabetic).collect()
}

#[test]
fn a_mistyped_command_line_is_answered_in_chinese_with_the_usage() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("评价.ron");
    let file = file.to_str().unwrap();
    assert!(
        jixiao(&["new", "--template", "project", "-o", file])
            .status
            .success()
    );
    let cases: [(&[&str], &str, &[&str]); 7] = [
        (
            &["export", file, "-o", "x.xlsx"],
            "不认识的选项“-o”\n用法：jixiao export [选项] <文件>...\n详见 jixiao export --help",
            &["export", "-o", "xlsx"],
        ),
        (
            &["评价.ron", "--foo"],
            "不认识的选项“--foo”",
            &["ron", "--foo"],
        ),
        (
            &["score"],
            "缺少 <文件>\n用法：jixiao score <文件>",
            &["score"],
        ),
        (
            &["score", file, "extra"],
            "多余的参数“extra”",
            &["score", "extra"],
        ),
        (
            &["new", "--templat", "project"],
            "不认识的选项“--templat”；是不是要用“--template”？",
            &["new", "--templat", "--template", "--output"],
        ),
        (
            &["panel", file, "--trimmed", "--mean"],
            "--trimmed 不能和 --mean 一起使用",
            &["panel", "--trimmed", "--mean"],
        ),
        (
            &["scroe", "评价.ron"],
            "多余的参数“评价.ron”；命令要写在最前面，如 jixiao score 评价.ron",
            &["score", "ron"],
        ),
    ];
    for (args, expected, allowed) in cases {
        let output = jixiao(args);
        let text = stderr(&output).replace(file, "");
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert!(text.starts_with("jixiao："), "{args:?}: {text}");
        assert!(text.contains(expected), "{args:?}: {text}");
        assert_eq!(english_in(&text, allowed), "", "{args:?}: {text}");
    }

    // A first word that is neither a command nor a file.
    let output = jixiao(&["socre"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "jixiao：没有“socre”这个命令，也没有这个文件。命令和用法见 jixiao --help\n"
    );
}

#[test]
fn export_never_writes_over_its_own_input_and_over_another_file_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("评价.ron");
    let imported = jixiao(&[
        "import",
        data("evaluation-2022-jingzhun-bangfu.csv")
            .to_str()
            .unwrap(),
        "-o",
        doc.to_str().unwrap(),
    ]);
    assert_eq!(imported.status.code(), Some(0));
    let original = std::fs::read(&doc).unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();

    // Its own input: refused, --force or not, and the document is as it was.
    for force in [false, true] {
        let mut args = vec![
            "export",
            doc.to_str().unwrap(),
            "--md",
            doc.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        let output = jixiao(&args);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            text(&output.stderr).contains("是要导出的文件本身，不能覆盖"),
            "{}",
            text(&output.stderr)
        );
        assert_eq!(std::fs::read(&doc).unwrap(), original);
    }

    // Another existing file: refused without --force; with it, replaced and kept as .bak.
    let report = dir.path().join("报告.md");
    std::fs::write(&report, "我自己写的报告").unwrap();
    let args = [
        "export",
        doc.to_str().unwrap(),
        "--md",
        report.to_str().unwrap(),
    ];
    let output = jixiao(&args);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("已存在；如要覆盖请加 --force"));
    assert!(text(&output.stdout).is_empty(), "{}", text(&output.stdout));
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "我自己写的报告");
    let output = jixiao(&[&args[..], &["--force"]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("综合得分82.02分")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("报告.md.bak")).unwrap(),
        "我自己写的报告"
    );

    // A folder given where a file is meant is named as a folder.
    let folder = dir.path().join("导出");
    std::fs::create_dir(&folder).unwrap();
    let output = jixiao(&[
        "export",
        doc.to_str().unwrap(),
        "--xlsx",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("是文件夹"),
        "{}",
        text(&output.stderr)
    );
}
