//! Issue 30: 佐证材料 attached to indicators, copied beside the document, listed,
//! checked, given to the experts of a panel and covered by their seals.

use std::path::{Path, PathBuf};

use crate::common::{cell, data, jixiao, run};

fn text(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

/// The published evaluation imported into `dir/评价.ron`, and two files a unit has.
fn evaluation_with_files(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let doc = dir.join("评价.ron");
    run(&[
        "import",
        &text(&data("evaluation-2022-jingzhun-bangfu.csv")),
        "-o",
        &text(&doc),
    ]);
    let material = dir.join("收到的材料");
    std::fs::create_dir_all(&material).unwrap();
    let approval = material.join("立项批复.pdf");
    std::fs::write(&approval, "%PDF-1.4 立项批复 2022-03").unwrap();
    let contract = material.join("服务合同.pdf");
    std::fs::write(&contract, "%PDF-1.4 服务合同").unwrap();
    (doc, approval, contract)
}

/// `jixiao evidence add DOC --indicator INDICATOR MATERIAL`, as a user types it.
fn attach(doc: &Path, indicator: &str, material: &Path) -> String {
    run(&[
        "evidence",
        "add",
        &text(doc),
        "--indicator",
        indicator,
        &text(material),
    ])
}

#[test]
fn evidence_is_copied_numbered_listed_and_a_changed_or_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, approval, contract) = evaluation_with_files(dir.path());

    let out = run(&[
        "evidence",
        "add",
        &text(&doc),
        "--indicator",
        "立项依据充分性",
        &text(&approval),
        "--page",
        "3",
        "--note",
        "区发改委立项批复",
    ]);
    assert!(out.contains("已附上 A1-1 立项批复.pdf"), "{out}");
    let copied = dir.path().join("佐证材料/立项批复.pdf");
    assert_eq!(
        std::fs::read(&copied).unwrap(),
        std::fs::read(&approval).unwrap()
    );

    // Another file of the same name: kept beside, numbered next.
    let other = dir.path().join("立项批复.pdf");
    std::fs::write(&other, b"%PDF-1.4 another approval").unwrap();
    let out = attach(&doc, "决策 / 项目立项 / 立项依据充分性", &other);
    assert!(out.contains("已附上 A1-2 立项批复（2）.pdf"), "{out}");
    assert!(out.contains("共有 2 份佐证材料"), "{out}");
    // 过程's third indicator (资金使用合规性 is B3 in the published table).
    let out = attach(&doc, "资金使用合规性", &contract);
    assert!(out.contains("已附上 B3-1 服务合同.pdf"), "{out}");

    let listed: serde_json::Value =
        serde_json::from_str(&run(&["evidence", "list", "--json", &text(&doc)])).unwrap();
    let items = listed["evidence"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{listed}");
    assert_eq!(items[0]["number"], "A1-1");
    assert_eq!(items[0]["indicator"], "决策 / 项目立项 / 立项依据充分性");
    assert_eq!(items[0]["file"], "立项批复.pdf");
    assert_eq!(items[0]["page"], 3);
    assert_eq!(items[0]["note"], "区发改委立项批复");
    assert_eq!(
        items[0]["size"],
        std::fs::metadata(&approval).unwrap().len()
    );
    assert_eq!(items[0]["sha256"].as_str().unwrap().len(), 64);
    // The score is what it was.
    let score: serde_json::Value =
        serde_json::from_str(&run(&["score", "--json", &text(&doc)])).unwrap();
    assert_eq!(score["total"], "82.02");

    assert!(run(&["evidence", "check", &text(&doc)]).contains("3 份佐证材料齐全，均未改动"));

    // The exported 评分表 carries the 附件编号 beside the 扣分理由.
    let xlsx = dir.path().join("评分表.xlsx");
    run(&["export", &text(&doc), "--xlsx", &text(&xlsx)]);
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::Reader;
    let sheet = workbook.worksheet_range("评分表").unwrap();
    let (rows, columns) = sheet.get_size();
    let header = (0..columns as u32)
        .find(|c| cell(&sheet, 1, *c) == "附件编号")
        .expect("a 附件编号 column");
    assert_eq!(cell(&sheet, 1, header - 1), "扣分理由");
    let numbers_of = |name: &str| {
        (2..rows as u32)
            .find(|r| (0..header).any(|c| cell(&sheet, *r, c) == name))
            .map(|r| cell(&sheet, r, header))
            .unwrap()
    };
    assert_eq!(numbers_of("立项依据充分性"), "A1-1、A1-2");
    assert_eq!(numbers_of("资金使用合规性"), "B3-1");
    assert_eq!(numbers_of("立项程序规范性"), "");

    // The Word report ends with the 附件清单, read back as a reader sees it.
    let docx = dir.path().join("报告.docx");
    run(&["export", &text(&doc), "--docx", &text(&docx)]);
    let report = crate::export::docx_text(&docx);
    let list = &report[report.find("附件清单").expect("附件清单")..];
    for expected in [
        "A1-1",
        "决策 / 项目立项 / 立项依据充分性",
        "立项批复.pdf",
        "3",
        "区发改委立项批复",
        "A1-2",
        "立项批复（2）.pdf",
        "B3-1",
        "服务合同.pdf",
    ] {
        assert!(list.contains(expected), "{expected}: {list}");
    }
    // Changed after attaching, then missing: named, exit 1.
    std::fs::write(&copied, b"%PDF-1.4 changed").unwrap();
    let output = jixiao(&["evidence", "check", &text(&doc)]);
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("A1-1 立项批复.pdf（决策 / 项目立项 / 立项依据充分性）已改动"),
        "{said}"
    );
    std::fs::remove_file(dir.path().join("佐证材料/服务合同.pdf")).unwrap();
    let said =
        String::from_utf8_lossy(&jixiao(&["evidence", "check", &text(&doc)]).stdout).into_owned();
    assert!(said.contains("B3-1 服务合同.pdf"), "{said}");
    assert!(said.contains("缺失"), "{said}");
}

#[test]
fn evidence_that_would_leave_its_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, approval, _) = evaluation_with_files(dir.path());
    attach(&doc, "立项依据充分性", &approval);
    // A file edited by hand to point outside the folder is never read.
    let ron = std::fs::read_to_string(&doc).unwrap();
    assert_eq!(ron.matches("file: \"立项批复.pdf\"").count(), 1, "{ron}");
    std::fs::write(
        &doc,
        ron.replace("file: \"立项批复.pdf\"", "file: \"../评价.ron\""),
    )
    .unwrap();
    let output = jixiao(&["evidence", "check", &text(&doc)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("不在佐证材料文件夹中"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );

    // A link is not evidence, nor is a folder; a group takes no evidence.
    #[cfg(unix)]
    {
        let link = dir.path().join("链接.pdf");
        std::os::unix::fs::symlink(&approval, &link).unwrap();
        let output = jixiao(&[
            "evidence",
            "add",
            &text(&doc),
            "--indicator",
            "立项依据充分性",
            &text(&link),
        ]);
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("是一个链接"));
    }
    let output = jixiao(&[
        "evidence",
        "add",
        &text(&doc),
        "--indicator",
        "立项依据充分性",
        &text(dir.path()),
    ]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("不是文件"));
    let output = jixiao(&[
        "evidence",
        "add",
        &text(&doc),
        "--indicator",
        "没有这个指标",
        &text(&approval),
    ]);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "jixiao：评价文件中没有指标“没有这个指标”"
    );
}

#[test]
fn the_experts_receive_the_plans_evidence_and_their_seal_covers_it() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, approval, _) = evaluation_with_files(dir.path());
    attach(&doc, "立项依据充分性", &approval);
    let folder = dir.path().join("专家");
    let out = run(&[
        "panel",
        "prepare",
        &text(&doc),
        "--experts",
        "甲",
        "-o",
        &text(&folder),
    ]);
    assert!(out.contains("复制了 1 份佐证材料"), "{out}");
    let expert = folder.join("甲.ron");
    assert!(run(&["evidence", "check", &text(&expert)]).contains("1 份佐证材料齐全"));

    run(&[
        "panel",
        "fill",
        &text(&expert),
        "--from",
        &text(&data("panel/专家1.csv")),
    ]);
    run(&["panel", "submit", &text(&expert)]);
    let status = |file: &Path| {
        let doc = jixiao::storage::load(file).unwrap();
        jixiao::submission::seal_status(&doc)
    };
    assert_eq!(status(&expert), jixiao::submission::SealStatus::Ok);
    // Pointing the evidence at another file after submitting breaks the seal.
    let ron = std::fs::read_to_string(&expert).unwrap();
    let sha = jixiao::storage::load(&expert).unwrap().leaves()[0].evidence[0]
        .sha256
        .clone();
    std::fs::write(&expert, ron.replace(&sha, &"0".repeat(64))).unwrap();
    assert_eq!(status(&expert), jixiao::submission::SealStatus::Broken);
    // The merge leaves the file out and says what changed: the evidence, by its number.
    let out = run(&["panel", &text(&expert)]);
    assert!(
        out.contains(
            "专家“甲”（甲.ron）的评分文件提交后被改动，未计入专家组得分：决策 / 项目立项 / 立项依据充分性 佐证材料 A1-1 立项批复.pdf 已改动"
        ),
        "{out}"
    );
}
