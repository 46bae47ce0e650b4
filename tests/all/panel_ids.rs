//! Issue 27: indicators are known by their id, not by their joined names. Two sibling
//! indicators of one name keep their own agreed scores, and a panel saved in format 2
//! opens with every figure it had.

use std::path::{Path, PathBuf};

use jixiao::command::{Edit, TextField, apply};
use jixiao::panel::{self, Expert, Method};
use rust_decimal::Decimal;

use crate::common::{data, run};

fn text(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// `专家n.csv` with 立项程序规范性 (1 point) renamed 立项依据充分性, the name of its
/// sibling worth 2: one 二级 indicator with two 三级 indicators of one name.
fn twin_table(dir: &Path, n: usize) -> PathBuf {
    let csv = std::fs::read_to_string(data(&format!("panel/专家{n}.csv"))).unwrap();
    assert!(csv.contains(",,立项程序规范性,,1,"));
    let path = dir.join(format!("专家{n}.csv"));
    std::fs::write(&path, csv.replace("立项程序规范性", "立项依据充分性")).unwrap();
    path
}

fn expert_of(path: &Path) -> Expert {
    let evaluation = jixiao::open::open(path).unwrap();
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    Expert {
        name,
        source: text(path),
        evaluation,
    }
}

/// The 得分 column of the exported CSV for every row whose 三级 is `name`.
fn exported_scores(doc_path: &Path, dir: &Path, name: &str) -> Vec<String> {
    let csv_path = dir.join("导出.csv");
    run(&["export", &text(doc_path), "--csv", &text(&csv_path)]);
    let exported = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = exported.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let score = header.iter().position(|h| *h == "得分").unwrap();
    lines
        .map(|line| line.split(',').collect::<Vec<_>>())
        .filter(|cells| cells.contains(&name))
        .map(|cells| cells[score].to_owned())
        .collect()
}

#[test]
fn two_sibling_indicators_of_one_name_keep_their_own_agreed_scores() {
    let dir = tempfile::tempdir().unwrap();
    let tables: Vec<PathBuf> = (1..=3).map(|n| twin_table(dir.path(), n)).collect();
    let experts: Vec<Expert> = tables.iter().map(|t| expert_of(t)).collect();
    let mut doc = panel::merge(experts, Method::Mean, panel::default_threshold(), None).unwrap();
    // The experts' means: (1.86 + 1.9 + 1.7) / 3 = 1.82 and (0.8 + 0.8 + 0.8) / 3 = 0.8.
    let twins: Vec<_> = doc
        .leaves()
        .into_iter()
        .filter(|l| l.name == "立项依据充分性")
        .map(|l| (l.id, l.max_points, l.scoring.score))
        .collect();
    assert_eq!(
        twins.iter().map(|t| (t.1, t.2)).collect::<Vec<_>>(),
        [(d("2"), Some(d("1.82"))), (d("1"), Some(d("0.8")))]
    );
    let before = jixiao::scoring::summarize(&doc).total();

    // The panel agrees 1.5 on the first (2 points) and 0.5 on the second (1 point).
    for (id, score, opinion) in [
        (twins[0].0, "1.5", "依据不够充分"),
        (twins[1].0, "0.5", "程序资料不全"),
    ] {
        apply(
            &mut doc,
            &Edit::SetScore {
                id,
                score: Some(d(score)),
            },
        )
        .unwrap();
        apply(
            &mut doc,
            &Edit::SetText {
                id,
                field: TextField::Reason,
                text: opinion.into(),
            },
        )
        .unwrap();
    }
    // A revised file from 专家3 arrives and the panel is merged again: both stand.
    let experts: Vec<Expert> = tables.iter().map(|t| expert_of(t)).collect();
    let again = panel::merge(
        experts,
        Method::Mean,
        panel::default_threshold(),
        Some(&doc),
    )
    .unwrap();
    let agreed: Vec<(Decimal, Option<Decimal>, String)> = again
        .leaves()
        .into_iter()
        .filter(|l| l.name == "立项依据充分性")
        .map(|l| (l.max_points, l.scoring.score, l.scoring.reason.clone()))
        .collect();
    assert_eq!(
        agreed,
        [
            (d("2"), Some(d("1.5")), "依据不够充分".to_owned()),
            (d("1"), Some(d("0.5")), "程序资料不全".to_owned()),
        ]
    );
    // 综合得分: the experts' 1.82 and 0.8 replaced by the agreed 1.5 and 0.5.
    let total = jixiao::scoring::summarize(&again).total();
    assert_eq!(total, before - d("1.82") - d("0.8") + d("1.5") + d("0.5"));
    let rows = panel::rows(&again);
    let agreed_rows: Vec<(bool, Option<Decimal>)> = rows
        .iter()
        .filter(|r| r.path.name() == "立项依据充分性")
        .map(|r| (r.agreed, r.panel_score))
        .collect();
    assert_eq!(
        agreed_rows,
        [(true, Some(d("1.5"))), (true, Some(d("0.5")))]
    );

    // Saved and exported, the file carries both.
    let file = dir.path().join("专家组.ron");
    jixiao::storage::save(&again, &file).unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&run(&["score", "--json", &text(&file)])).unwrap();
    assert_eq!(report["total"], jixiao::number::format2(total));
    assert_eq!(
        exported_scores(&file, dir.path(), "立项依据充分性"),
        ["1.5", "0.5"]
    );
}

/// The figures of a panel a user reads: 综合得分, the grade with its reasons, and each
/// indicator's path, 得分 and 扣分理由 (专家组意见).
fn figures(doc: &jixiao::model::Evaluation) -> (String, String, Vec<String>, Vec<String>) {
    let summary = jixiao::scoring::summarize(doc);
    let leaves = doc
        .leaf_paths()
        .into_iter()
        .map(|(path, leaf)| {
            let score = leaf.scoring.score.map(jixiao::number::format2);
            format!("{path} {score:?} {}", leaf.scoring.reason)
        })
        .collect();
    (
        summary.total_text(),
        summary.verdict_text(),
        summary.adjustments,
        leaves,
    )
}

#[test]
fn a_format_2_panel_and_its_experts_files_open_and_merge_to_the_same_figures() {
    let folder = data("panel/v2");
    let file = folder.join("专家组.ron");
    // As the format-2 program saved it (tests/data/README.md).
    let report: serde_json::Value =
        serde_json::from_str(&run(&["score", "--json", &text(&file)])).unwrap();
    assert_eq!(report["total"], "80.47");
    assert_eq!(report["rating"], "差");
    let doc = jixiao::storage::load(&file).unwrap();
    let (total, verdict, adjustments, leaves) = figures(&doc);
    assert_eq!((total.as_str(), verdict.as_str()), ("80.47", "差"));
    assert_eq!(
        adjustments,
        ["一票否决：“过程 / 资金管理 / 资金使用合规性”经专家组评为 0 分，评定为差"]
    );
    assert!(
        leaves.contains(
            &"产出 / 产出成本 / 成本节约率 Some(\"8.00\") 专家组讨论后认定：成本控制措施不足，扣 2 分"
                .to_owned()
        ),
        "{leaves:#?}"
    );
    assert!(
        leaves.contains(
            &"产出 / 产出质量 / 质量达标率 Some(\"7.80\") 专家组意见：考核措施不充分".to_owned()
        ),
        "{leaves:#?}"
    );
    let stats = panel::statistics(&doc);
    let experts: Vec<(String, String, &str)> = stats
        .experts
        .iter()
        .map(|e| {
            (
                e.name.clone(),
                jixiao::number::format2(e.total),
                e.seal.label(),
            )
        })
        .collect();
    let submitted = |name: &str, total: &str| (name.to_owned(), total.to_owned(), "已提交");
    assert_eq!(
        experts,
        [
            submitted("甲", "78.48"),
            submitted("乙", "82.56"),
            submitted("丙", "79.46")
        ]
    );

    // The experts' own files, opened fresh and merged again into the panel: every
    // seal holds, and what the panel agreed stands where it stood.
    let experts: Vec<Expert> = ["甲", "乙", "丙"]
        .iter()
        .map(|name| expert_of(&folder.join(format!("{name}.ron"))))
        .collect();
    for expert in &experts {
        assert_eq!(
            jixiao::submission::seal_status(&expert.evaluation),
            jixiao::submission::SealStatus::Ok,
            "{}",
            expert.name
        );
    }
    let again = panel::merge(
        experts,
        Method::BySize,
        panel::default_threshold(),
        Some(&doc),
    )
    .unwrap();
    assert!(again.panel.as_ref().unwrap().set_aside.is_empty());
    assert_eq!(figures(&again), figures(&doc));

    // Saved in this version and read back, still the same.
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("专家组.ron");
    jixiao::storage::save(&again, &saved).unwrap();
    let back = jixiao::storage::load(&saved).unwrap();
    assert_eq!(figures(&back), figures(&doc));
    assert_eq!(exported_scores(&saved, dir.path(), "成本节约率"), ["8"]);

    // The files merged on the command line as they come: the experts' figures.
    let args: Vec<String> = ["panel", "--json"]
        .iter()
        .map(|s| s.to_string())
        .chain(
            ["甲", "乙", "丙"]
                .iter()
                .map(|n| text(&folder.join(format!("{n}.ron")))),
        )
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let report: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();
    let seals: Vec<&str> = report["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seal"].as_str().unwrap())
        .collect();
    assert_eq!(seals, ["ok", "ok", "ok"]);
    assert_eq!(report["waiting"], serde_json::json!([]));
}

/// The twin plan prepared as files for 甲, 乙 and 丙, each filled from the twin table of
/// 专家1, 2, 3 and submitted: the round trip a panel makes, with two indicators of one
/// name under 项目立项.
#[test]
fn a_plan_with_two_indicators_of_one_name_goes_round_as_files() {
    let dir = tempfile::tempdir().unwrap();
    let tables: Vec<PathBuf> = (1..=3).map(|n| twin_table(dir.path(), n)).collect();
    let folder = dir.path().join("专家");
    run(&[
        "panel",
        "prepare",
        &text(&tables[0]),
        "--experts",
        "甲,乙,丙",
        "-o",
        &text(&folder),
    ]);
    let files: Vec<PathBuf> = ["甲", "乙", "丙"]
        .iter()
        .zip(&tables)
        .map(|(name, table)| {
            let file = folder.join(format!("{name}.ron"));
            let out = run(&["panel", "fill", &text(&file), "--from", &text(table)]);
            assert!(!out.contains("找不到") && !out.contains("未评分"), "{out}");
            run(&["panel", "submit", &text(&file)]);
            file
        })
        .collect();
    // Each twin is filled from its own row: 乙's are 1.9 (of 2) and 0.8 (of 1).
    let twins = |file: &Path| -> Vec<Option<Decimal>> {
        jixiao::storage::load(file)
            .unwrap()
            .leaves()
            .into_iter()
            .filter(|l| l.name == "立项依据充分性")
            .map(|l| l.scoring.score)
            .collect()
    };
    assert_eq!(twins(&files[1]), [Some(d("1.9")), Some(d("0.8"))]);

    let merged = dir.path().join("专家组.ron");
    let merge = |out: &Path| {
        let mut args = vec!["panel".to_owned(), "-o".to_owned(), text(out)];
        args.extend(files.iter().map(|f| text(f)));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args)
    };
    merge(&merged);
    // The panel's means, each twin its own: 1.82 and 0.8, as merged from the tables.
    assert_eq!(
        exported_scores(&merged, dir.path(), "立项依据充分性"),
        ["1.82", "0.8"]
    );

    // 乙 lowers the first twin from 1.9 to 1.2 after submitting (saved by a program
    // other than jixiao's window: the seal stays as it was).
    let mut doc = jixiao::storage::load(&files[1]).unwrap();
    let first = doc
        .leaves()
        .into_iter()
        .find(|l| l.name == "立项依据充分性")
        .unwrap()
        .id;
    doc.find_mut(first).unwrap().scoring.score = Some(d("1.2"));
    jixiao::storage::save(&doc, &files[1]).unwrap();
    let out = merge(&dir.path().join("专家组（第二次）.ron"));
    // The message names which of the two changed, and what it was when submitted.
    assert!(
        out.contains("决策 / 项目立项 / 立项依据充分性（第 1 项） 得分 1.9 → 1.2"),
        "{out}"
    );
    assert!(!out.contains("第 2 项"), "{out}");
}
