//! One figure everywhere (issue 23): every document the tests hold, and a batch of random
//! ones, is exported; the workbook is recalculated by a real spreadsheet engine and the
//! report is read back; every figure on every sheet and in the report must be the figure
//! `jixiao score --json` prints.
//!
//! The engine is LibreOffice, run headless with a profile that recalculates every formula
//! of an .xlsx on loading (`OOXMLRecalcMode` 0), as Excel and WPS do with the files jixiao
//! writes (they ask for a full recalculation). It is the consumer a user's office suite
//! stands for: a formula that disagrees with the program shows up here as it would on the
//! user's screen. `apt-get install -y libreoffice-calc-nogui` (README, .ci/run).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use jixiao::model::{
    Evaluation, EvaluationKind, Grade, Indicator, Measure, NodeId, RatingScale, RuleKind, ScoreRule,
};
use jixiao::storage;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;
use serde_json::Value;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// A figure as the user sees it: two decimals, 四舍五入.
fn shown(value: Decimal) -> String {
    let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded.to_string()
}

/// A cell's number as the spreadsheet shows it with the format 0.00.
fn cell_figure(data: &Data) -> Option<String> {
    let value = match data {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => return None,
    };
    // The shortest text that reads back as the same double, as Excel shows it.
    Decimal::from_str(&format!("{value}")).ok().map(shown)
}

fn cell_text(data: &Data) -> String {
    match data {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every table and document under tests/data that opens (the hostile files under
/// reliability/ are other tests' business).
fn fixtures() -> Vec<(String, Evaluation)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "reliability") {
                    walk(&path, out);
                }
            } else {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&crate::common::data(""), &mut paths);
    paths
        .into_iter()
        .filter(|p| {
            p.extension().is_some_and(|e| {
                ["csv", "xlsx", "xls", "ods", "docx", "ron"].contains(&e.to_str().unwrap_or(""))
            })
        })
        .filter_map(|p| {
            let doc = jixiao::open::open(&p).ok()?;
            Some((p.display().to_string(), doc))
        })
        .collect()
}

fn proportional() -> ScoreRule {
    ScoreRule {
        kind: RuleKind::Proportional,
        measure: Measure::Completion,
    }
}

/// The 自评 of the issue: 执行率 75%, a rule that deducts 2 points for a deviation of 30%,
/// and a total of 92.50 capped at 89 by the regional set; with `not_applicable`, two rows
/// marked 不适用 so that the 分值 no longer add up to 100.
fn capped_self_assessment(not_applicable: bool) -> Evaluation {
    let mut doc = Evaluation::default();
    doc.info.kind = EvaluationKind::SelfAssessment;
    doc.info.name = "社区服务项目".into();
    doc.self_assessment.rule_set = "regional-example".into();
    doc.self_assessment.current_year.full_year_budget = Some(d("100"));
    doc.self_assessment.current_year.executed = Some(d("75"));
    let mut budget = Indicator::leaf(NodeId(1), "预算执行率", d("10"));
    budget.scoring.rule = Some(ScoreRule {
        kind: RuleKind::Proportional,
        measure: Measure::ExecutionRate,
    });
    let mut count = Indicator::leaf(NodeId(2), "活动场次", d("10"));
    count.scoring.target = "≥100个".into();
    count.scoring.actual = "70个".into();
    count.scoring.rule = Some(proportional());
    count.scoring.deviation = "场地受限，下年提前预约".into();
    let mut quality = Indicator::leaf(NodeId(3), "服务质量", d("60"));
    quality.scoring.score = Some(d("60"));
    let mut cost = Indicator::leaf(NodeId(4), "成本节约", d("10"));
    cost.scoring.score = Some(d("10"));
    let mut time = Indicator::leaf(NodeId(5), "完成及时性", d("10"));
    time.scoring.score = Some(d("10"));
    if not_applicable {
        cost.scoring.not_applicable = true;
        time.scoring.not_applicable = true;
    }
    doc.indicators = vec![
        budget,
        Indicator::group(
            NodeId(10),
            "产出指标",
            vec![
                Indicator::group(NodeId(11), "数量指标", vec![count]),
                quality,
                cost,
                time,
            ],
        ),
    ];
    doc.repair_ids();
    jixiao::rules::apply_rules(&mut doc);
    doc
}

fn five_grades() -> RatingScale {
    RatingScale {
        grades: [("优秀", "90"), ("良好", "80"), ("中", "70"), ("合格", "60")]
            .into_iter()
            .map(|(name, min)| Grade {
                name: name.into(),
                min: d(min),
            })
            .collect(),
        lowest: "差".into(),
    }
}

/// A figure with at most two decimals in 0..=`max` hundredths.
fn hundredths(max: u32) -> impl Strategy<Value = Decimal> {
    (0..=max).prop_map(|h| Decimal::new(i64::from(h), 2))
}

#[derive(Clone, Debug)]
struct LeafPlan {
    max: Decimal,
    /// Share of 分值 scored, in hundredths of a percent; `None` leaves it unscored.
    share: Option<u32>,
    not_applicable: bool,
    veto: bool,
    /// A rule computes the score from a target of ≥100 and this actual.
    ruled_actual: Option<u32>,
}

fn leaf_plan() -> impl Strategy<Value = LeafPlan> {
    (
        hundredths(3000).prop_map(|m| m + Decimal::ONE),
        prop_oneof![8 => (0u32..=10_000).prop_map(Some), 1 => Just(None)],
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.05),
        prop_oneof![4 => Just(None), 1 => (0u32..=150).prop_map(Some)],
    )
        .prop_map(
            |(max, share, not_applicable, veto, ruled_actual)| LeafPlan {
                max,
                share,
                not_applicable,
                veto,
                ruled_actual,
            },
        )
}

#[derive(Clone, Debug)]
struct DocPlan {
    groups: Vec<Vec<LeafPlan>>,
    self_assessment: bool,
    five_grades: bool,
    /// 执行率 in percent, for a 自评 under the regional set (caps below 80%).
    execution: u32,
    /// Scale the 分值 so that they add up to exactly 100.
    to_hundred: bool,
}

fn doc_plan() -> impl Strategy<Value = DocPlan> {
    (
        prop::collection::vec(prop::collection::vec(leaf_plan(), 1..5), 1..5),
        any::<bool>(),
        prop::bool::weighted(0.3),
        40u32..=110,
        prop::bool::weighted(0.6),
    )
        .prop_map(
            |(groups, self_assessment, five_grades, execution, to_hundred)| DocPlan {
                groups,
                self_assessment,
                five_grades,
                execution,
                to_hundred,
            },
        )
}

fn build(plan: &DocPlan) -> Evaluation {
    let mut doc = Evaluation::default();
    doc.info.name = "随机项目".into();
    if plan.self_assessment {
        doc.info.kind = EvaluationKind::SelfAssessment;
        doc.self_assessment.rule_set = "regional-example".into();
        doc.self_assessment.current_year.full_year_budget = Some(d("100"));
        doc.self_assessment.current_year.executed = Some(Decimal::from(plan.execution));
    }
    if plan.five_grades {
        doc.rating_scale = five_grades();
    }
    let count: usize = plan.groups.iter().map(Vec::len).sum();
    let mut id = 0;
    let names = ["决策", "过程", "产出", "效益"];
    doc.indicators = plan
        .groups
        .iter()
        .enumerate()
        .map(|(g, leaves)| {
            let children = leaves
                .iter()
                .map(|leaf| {
                    id += 1;
                    // 分值 adding up to 100: each leaf gets 100 / count, the last the rest.
                    let max = if plan.to_hundred {
                        let even =
                            (Decimal::ONE_HUNDRED / Decimal::from(count)).trunc_with_scale(2);
                        if id == count {
                            Decimal::ONE_HUNDRED - even * Decimal::from(count - 1)
                        } else {
                            even
                        }
                    } else {
                        leaf.max
                    };
                    let mut node = Indicator::leaf(NodeId(id as u64), format!("指标{id}"), max);
                    node.veto = leaf.veto;
                    node.scoring.not_applicable = leaf.not_applicable;
                    match (leaf.ruled_actual, plan.self_assessment) {
                        (Some(actual), true) => {
                            node.scoring.target = "≥100个".into();
                            node.scoring.actual = format!("{actual}个");
                            node.scoring.rule = Some(proportional());
                            node.scoring.deviation = "原因".into();
                        }
                        _ => {
                            node.scoring.score = leaf.share.map(|s| {
                                (max * Decimal::new(i64::from(s), 4)).round_dp_with_strategy(
                                    2,
                                    RoundingStrategy::MidpointAwayFromZero,
                                )
                            });
                            if leaf.veto && leaf.share.is_some_and(|s| s < 2000) {
                                node.scoring.score = Some(Decimal::ZERO);
                            }
                            node.scoring.reason = "扣分理由".into();
                        }
                    }
                    node
                })
                .collect();
            Indicator::group(NodeId(1000 + g as u64), names[g % 4], children)
        })
        .collect();
    doc.repair_ids();
    jixiao::rules::apply_rules(&mut doc);
    doc
}

/// The documents the oracle checks: the fixtures, the issue's capped 自评s, a five-grade
/// and a vetoed evaluation, and `random` generated ones (the same ones every run).
fn cases(random: usize) -> Vec<(String, Evaluation)> {
    let mut cases = fixtures();
    cases.push(("封顶的自评".into(), capped_self_assessment(false)));
    cases.push(("封顶且有不适用的自评".into(), capped_self_assessment(true)));
    let seed = crate::common::data("evaluation-2022-jingzhun-bangfu.csv");
    let mut five = jixiao::open::open(&seed).unwrap();
    five.rating_scale = five_grades();
    cases.push(("五级评定".into(), five));
    let (merged, agreed) = panel_results();
    cases.push(("专家组".into(), merged));
    cases.push(("专家组（讨论认定一项）".into(), agreed));
    let mut runner = TestRunner::deterministic();
    let strategy = doc_plan();
    for index in 0..random {
        let plan = strategy.new_tree(&mut runner).unwrap().current();
        cases.push((format!("随机{index}"), build(&plan)));
    }
    cases
}

/// The three experts of tests/data/panel merged as a secretary merges them, and the same
/// panel after it agreed a score that is not the experts' mean.
fn panel_results() -> (Evaluation, Evaluation) {
    let dir = tempfile::tempdir().unwrap();
    let merged = dir.path().join("专家组.ron");
    let experts: Vec<PathBuf> = ["专家1.csv", "专家2.csv", "专家3.csv"]
        .iter()
        .map(|name| crate::common::data(&format!("panel/{name}")))
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .arg("panel")
        .args(&experts)
        .arg("-o")
        .arg(&merged)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc = storage::load(&merged).unwrap();
    let mut editor = jixiao::command::Editor::new(doc.clone());
    let first = doc.leaves()[0];
    let agreed = if first.scoring.score == Some(d("1")) {
        d("1.5")
    } else {
        d("1")
    };
    editor
        .apply(jixiao::command::Edit::SetScore {
            id: first.id,
            score: Some(agreed),
        })
        .unwrap();
    (doc, editor.doc().clone())
}

/// `jixiao score --json` of the document, saved as a user saves it.
fn score_json(doc: &Evaluation, dir: &Path, index: usize) -> Value {
    let path = dir.join(format!("{index}.ron"));
    storage::save(doc, &path).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["score", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// LibreOffice's program, or a failure that says how to install it.
fn soffice() -> PathBuf {
    for name in ["soffice", "libreoffice"] {
        if let Ok(path) = which(name) {
            return path;
        }
    }
    panic!(
        "这项测试需要 LibreOffice 来重新计算导出的工作簿：apt-get install -y libreoffice-calc-nogui"
    );
}

fn which(name: &str) -> Result<PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .ok_or(())
}

/// Converts every .xlsx in `input` into `output`, recalculating every formula on loading,
/// so that what is read back is what the office suite computes, not what jixiao stored.
fn recalculate(input: &Path, output: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let user = profile.path().join("user");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(
        user.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(input)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    let status = Command::new(soffice())
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--norestore", "--nolockcheck"])
        .args(["--convert-to", "xlsx", "--outdir"])
        .arg(output)
        .args(&files)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "LibreOffice failed: {status}");
}

fn sheet(path: &Path, name: &str) -> Option<Range<Data>> {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    workbook.worksheet_range(name).ok()
}

/// The first row whose first cell is `label`.
fn row_labelled(range: &Range<Data>, label: &str) -> Option<u32> {
    range
        .rows()
        .position(|row| row.first().is_some_and(|c| cell_text(c) == label))
        .map(|r| r as u32 + range.start().map_or(0, |s| s.0))
}

fn at(range: &Range<Data>, row: u32, column: u32) -> Data {
    range
        .get_value((row, column))
        .cloned()
        .unwrap_or(Data::Empty)
}

/// What one recalculated workbook says, against the program's own figures: every
/// disagreement, in words.
fn disagreements(path: &Path, json: &Value, kind: EvaluationKind) -> Vec<String> {
    let mut found = Vec::new();
    let mut expect = |what: &str, got: Option<String>, want: &str| {
        if got.as_deref() != Some(want) {
            found.push(format!("{what}: 工作簿 {got:?}，jixiao {want}"));
        }
    };
    let total = json["total"].as_str().unwrap();
    let max_total = json["max_total"].as_str().unwrap();

    // 评分表: 合计.
    let scoring = sheet(path, "评分表").unwrap();
    let header: Vec<String> = (0..8).map(|c| cell_text(&at(&scoring, 1, c))).collect();
    let max_col = header.iter().position(|h| h == "分值").unwrap() as u32;
    let score_col = max_col + 1;
    let sum_row = row_labelled(&scoring, "合计").unwrap();
    expect(
        "评分表 合计 分值",
        cell_figure(&at(&scoring, sum_row, max_col)),
        max_total,
    );
    expect(
        "评分表 合计 得分",
        cell_figure(&at(&scoring, sum_row, score_col)),
        total,
    );

    // 汇总表: each 一级, 综合得分, 绩效评定级别.
    let summary = sheet(path, "汇总表").unwrap();
    for (index, group) in json["groups"].as_array().unwrap().iter().enumerate() {
        let r = 2 + index as u32;
        let name = group["name"].as_str().unwrap();
        expect(
            &format!("汇总表 {name} 分值"),
            cell_figure(&at(&summary, r, 1)),
            group["max_points"].as_str().unwrap(),
        );
        expect(
            &format!("汇总表 {name} 评价得分"),
            cell_figure(&at(&summary, r, 2)),
            group["score"].as_str().unwrap(),
        );
    }
    let total_row = row_labelled(&summary, "综合得分").unwrap();
    expect(
        "汇总表 综合得分 分值",
        cell_figure(&at(&summary, total_row, 1)),
        max_total,
    );
    expect(
        "汇总表 综合得分",
        cell_figure(&at(&summary, total_row, 2)),
        total,
    );
    let rating_row = row_labelled(&summary, "绩效评定级别").unwrap();
    let rating = cell_text(&at(&summary, rating_row, 1));
    match json["rating"].as_str() {
        Some(want) => expect("汇总表 绩效评定级别", Some(rating), want),
        // While leaves are unscored the cell says so, with the progress.
        None => expect(
            "汇总表 绩效评定级别",
            rating.split('（').next().map(str::to_owned),
            "评分未完成",
        ),
    }

    // 专家评分汇总表: the panel's figure per indicator adds up to the 综合得分.
    if let Some(panel) = sheet(path, "专家评分汇总表") {
        let header: Vec<String> = (0..30).map(|c| cell_text(&at(&panel, 1, c))).collect();
        match (
            header.iter().position(|h| h == "专家组得分"),
            row_labelled(&panel, "合计"),
        ) {
            (Some(column), Some(sum_row)) => expect(
                "专家评分汇总表 合计 专家组得分",
                cell_figure(&at(&panel, sum_row, column as u32)),
                total,
            ),
            _ => expect("专家评分汇总表 专家组得分列与合计行", None, "应有"),
        }
    }

    // 自评表: 总分.
    if kind == EvaluationKind::SelfAssessment {
        let form = sheet(path, "自评表").unwrap();
        let sum_row = row_labelled(&form, "总分").unwrap();
        expect(
            "自评表 总分 分值",
            cell_figure(&at(&form, sum_row, 5)),
            max_total,
        );
        expect(
            "自评表 总分 得分",
            cell_figure(&at(&form, sum_row, 6)),
            total,
        );
    }
    found
}

/// The engine does recalculate: a stored result that disagrees with its formula is
/// replaced. Without this the oracle could pass by reading jixiao's own stored values.
fn engine_recalculates(dir: &Path) {
    let input = dir.join("in-check");
    let output = dir.join("out-check");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::create_dir_all(&output).unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_number(0, 0, 2.0).unwrap();
    sheet
        .write_formula(
            0,
            1,
            rust_xlsxwriter::Formula::new("=A1*3").set_result("99"),
        )
        .unwrap();
    workbook.save(input.join("check.xlsx")).unwrap();
    recalculate(&input, &output);
    let mut read: Xlsx<_> = open_workbook(output.join("check.xlsx")).unwrap();
    let range = read.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(
        cell_figure(&at(&range, 0, 1)).as_deref(),
        Some("6.00"),
        "LibreOffice did not recalculate the workbook on loading"
    );
}

#[test]
fn every_workbook_recalculated_by_a_spreadsheet_engine_shows_the_programs_figures() {
    let dir = tempfile::tempdir().unwrap();
    engine_recalculates(dir.path());
    let input = dir.path().join("in");
    let output = dir.path().join("out");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::create_dir_all(&output).unwrap();
    let cases = cases(48);
    let mut expected = BTreeMap::new();
    for (index, (name, doc)) in cases.iter().enumerate() {
        let json = score_json(doc, dir.path(), index);
        std::fs::write(
            input.join(format!("{index}.xlsx")),
            jixiao::export::xlsx_bytes(doc).unwrap(),
        )
        .unwrap();
        expected.insert(index, (name, json, doc.info.kind));
    }
    recalculate(&input, &output);
    let mut report = Vec::new();
    for (index, (name, json, kind)) in &expected {
        let path = output.join(format!("{index}.xlsx"));
        for problem in disagreements(&path, json, *kind) {
            report.push(format!("{name}（{index}.xlsx）：{problem}"));
        }
    }
    assert!(
        report.is_empty(),
        "{} 处不一致：\n{}",
        report.len(),
        report.join("\n")
    );
}

/// The paragraphs and table rows of a .docx, each as its texts.
fn docx_parts(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    fn texts(xml: &str) -> String {
        let mut out = String::new();
        let mut rest = xml;
        while let Some(start) = rest.find("<w:t") {
            let after = &rest[start..];
            let Some(open_end) = after.find('>') else {
                break;
            };
            if after[..open_end].ends_with('/')
                || !(after[4..].starts_with('>') || after[4..].starts_with(' '))
            {
                rest = &after[open_end + 1..];
                continue;
            }
            let body = &after[open_end + 1..];
            let Some(close) = body.find("</w:t>") else {
                break;
            };
            out.push_str(
                &body[..close]
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&"),
            );
            rest = &body[close..];
        }
        out
    }
    let mut paragraphs = Vec::new();
    let mut rows = Vec::new();
    // Table rows first; what is left outside tables are the paragraphs.
    let mut outside = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<w:tbl>") {
        outside.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("</w:tbl>") else {
            break;
        };
        let table = &rest[start..start + end];
        for row in table.split("<w:tr>").skip(1) {
            rows.push(row.split("<w:tc>").skip(1).map(texts).collect());
        }
        rest = &rest[start + end + "</w:tbl>".len()..];
    }
    outside.push_str(rest);
    for paragraph in outside.split("<w:p>").skip(1) {
        paragraphs.push(texts(paragraph));
    }
    (paragraphs, rows)
}

/// Every figure written "得分N分" in a sentence, in order.
fn scores_in(sentence: &str) -> Vec<String> {
    sentence
        .split("得分")
        .skip(1)
        .filter_map(|part| part.split('分').next().map(str::to_owned))
        .collect()
}

#[test]
fn every_report_read_back_states_the_programs_figures_and_names_what_changed_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = Vec::new();
    for (index, (name, doc)) in cases(48).iter().enumerate() {
        let json = score_json(doc, dir.path(), index);
        let total = json["total"].as_str().unwrap();
        let groups = json["groups"].as_array().unwrap();
        let bytes = jixiao::export::docx_bytes(doc).unwrap();
        let (paragraphs, rows) = docx_parts(&bytes);
        let Some(sentence) = paragraphs.iter().find(|p| p.contains("综合得分")) else {
            report.push(format!("{name}：报告里没有结论句"));
            continue;
        };
        let figures = scores_in(sentence);
        let mut want = vec![total.to_owned()];
        want.extend(
            groups
                .iter()
                .map(|g| g["score"].as_str().unwrap().to_owned()),
        );
        if figures != want {
            report.push(format!("{name}：结论句 {figures:?}，jixiao {want:?}"));
        }
        // The parts add up to the total, or the sentence names what changed it.
        let parts: Decimal = groups.iter().map(|g| d(g["score"].as_str().unwrap())).sum();
        if shown(parts) != total {
            let adjustments: Vec<&str> = json["adjustments"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let named = adjustments
                .iter()
                .filter(|a| a.contains("封顶"))
                .all(|a| sentence.contains(a));
            if adjustments.is_empty() || !named {
                report.push(format!(
                    "{name}：结论句各部分合计 {}，综合得分 {total}，却没有说明原因：{sentence}",
                    shown(parts)
                ));
            }
        }
        // The summary table: one row per 一级, then 综合得分 and the grade.
        for group in groups {
            let group_name = group["name"].as_str().unwrap();
            let row = rows
                .iter()
                .find(|r| r.first().map(String::as_str) == Some(group_name));
            let got = row.map(|r| (r.get(1).cloned(), r.get(2).cloned()));
            let want = (
                Some(group["max_points"].as_str().unwrap().to_owned()),
                Some(group["score"].as_str().unwrap().to_owned()),
            );
            if got.as_ref() != Some(&want) {
                report.push(format!(
                    "{name}：汇总表 {group_name} {got:?}，jixiao {want:?}"
                ));
            }
        }
        let total_row = rows
            .iter()
            .find(|r| r.first().map(String::as_str) == Some("综合得分"));
        if total_row.and_then(|r| r.get(2)).map(String::as_str) != Some(total) {
            report.push(format!(
                "{name}：汇总表 综合得分 {total_row:?}，jixiao {total}"
            ));
        }
        let grade_row = rows
            .iter()
            .find(|r| r.first().map(String::as_str) == Some("绩效评定级别"));
        let grade = grade_row
            .and_then(|r| r.get(2))
            .cloned()
            .unwrap_or_default();
        let want_grade = json["rating"].as_str().unwrap_or("评分未完成");
        if grade != want_grade {
            report.push(format!("{name}：绩效评定级别 {grade}，jixiao {want_grade}"));
        }
    }
    assert!(
        report.is_empty(),
        "{} 处不一致：\n{}",
        report.len(),
        report.join("\n")
    );
}
