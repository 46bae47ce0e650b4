//! CSV in the layout the import reads, UTF-8 with a BOM so Excel shows the Chinese.

use std::path::Path;

use super::{
    ExportError, LEVEL_HEADERS, figure, guard_formula, level_columns, table_rows, write_atomically,
};
use crate::model::Evaluation;
use crate::scoring::summarize;

/// The document as CSV text (without the BOM).
pub fn csv_text(doc: &Evaluation) -> String {
    let rows = table_rows(doc);
    let levels = level_columns(&rows);
    let has = |pick: fn(&crate::model::Indicator) -> &str| {
        rows.iter().any(|r| !pick(r.leaf).trim().is_empty())
    };
    let self_columns =
        has(|l| &l.scoring.target) || has(|l| &l.scoring.actual) || has(|l| &l.scoring.deviation);
    let criteria = has(|l| &l.criteria);

    let mut header: Vec<&str> = LEVEL_HEADERS[..levels].to_vec();
    if self_columns {
        header.extend(["年度指标值", "实际完成值"]);
    }
    header.extend(["分值", "得分", "扣分理由"]);
    if self_columns {
        header.push("偏差原因分析及改进措施");
    }
    if criteria {
        header.push("评分标准");
    }

    let mut writer = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; a record that did would only be missing.
    let _ = writer.write_record(&header);
    for row in &rows {
        let leaf = row.leaf;
        let mut cells = vec![String::new(); levels];
        for (level, group) in row.groups.iter().enumerate().take(levels) {
            cells[level] = group.name.clone();
        }
        cells[row.groups.len().min(levels - 1)] = leaf.name.clone();
        if self_columns {
            cells.push(leaf.scoring.target.clone());
            cells.push(leaf.scoring.actual.clone());
        }
        // As typed, like the window: a 0.001 分值 must come back as 0.001.
        cells.push(leaf.max_points.normalize().to_string());
        cells.push(if leaf.scoring.not_applicable {
            "/".to_owned()
        } else {
            leaf.scoring
                .score
                .map(|s| s.normalize().to_string())
                .unwrap_or_default()
        });
        cells.push(leaf.scoring.reason.clone());
        if self_columns {
            cells.push(leaf.scoring.deviation.clone());
        }
        if criteria {
            cells.push(leaf.criteria.clone());
        }
        let cells: Vec<String> = cells
            .iter()
            .map(|cell| guard_formula(cell).into_owned())
            .collect();
        let _ = writer.write_record(&cells);
        // 其中 rows under their indicator, as the table printed them: read back as details.
        let at = row.groups.len().min(levels - 1);
        for detail in &leaf.details {
            let mut cells = vec![String::new(); at + 1];
            cells[at] = guard_formula(detail).into_owned();
            let _ = writer.write_record(&cells);
        }
    }
    let summary = summarize(doc);
    let mut total = vec![String::new(); header.len()];
    total[0] = "合计".to_owned();
    let max_column = header.iter().position(|h| *h == "分值").unwrap_or(levels);
    total[max_column] = figure(summary.totals.max_points);
    total[max_column + 1] = figure(summary.totals.score);
    let _ = writer.write_record(&total);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the CSV with a UTF-8 BOM.
pub fn write_csv(doc: &Evaluation, path: &Path) -> Result<(), ExportError> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(csv_text(doc).as_bytes());
    write_atomically(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Indicator;

    /// Names, 分值, 得分, 扣分理由 and 不适用 of one leaf.
    type Shape = (Vec<String>, String, Option<String>, String, bool);

    fn shape(doc: &Evaluation) -> Vec<Shape> {
        super::super::table_rows(doc)
            .iter()
            .map(|r| {
                let mut names: Vec<String> = r.groups.iter().map(|g| g.name.clone()).collect();
                names.push(r.leaf.name.clone());
                let leaf: &Indicator = r.leaf;
                (
                    names,
                    leaf.max_points.normalize().to_string(),
                    leaf.scoring.score.map(|s| s.normalize().to_string()),
                    leaf.scoring.reason.clone(),
                    leaf.scoring.not_applicable,
                )
            })
            .collect()
    }

    #[test]
    fn importing_an_exported_table_gives_back_the_same_document() {
        for name in [
            "evaluation-2022-jingzhun-bangfu.csv",
            "self-assessment-2022-jingzhun-jiuzhu.csv",
        ] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data")
                .join(name);
            let mut doc = crate::open::open(&path).unwrap();
            doc.leaves();
            let first = doc.leaves()[1].id;
            doc.find_mut(first).unwrap().scoring.not_applicable = true;
            doc.find_mut(first).unwrap().scoring.score = None;
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("导出.csv");
            write_csv(&doc, &out).unwrap();
            let bytes = std::fs::read(&out).unwrap();
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
            let again = crate::open::open(&out).unwrap();
            assert_eq!(shape(&again), shape(&doc), "{name}");
            assert_eq!(summarize(&again).totals, summarize(&doc).totals);
            let targets = |d: &Evaluation| -> Vec<(String, String, String)> {
                d.leaves()
                    .iter()
                    .map(|l| {
                        (
                            l.scoring.target.clone(),
                            l.scoring.actual.clone(),
                            l.scoring.deviation.clone(),
                        )
                    })
                    .collect()
            };
            assert_eq!(targets(&again), targets(&doc));
            // The 合计 row it wrote agrees with the leaves.
            let problems = crate::validate::validate(&again, &summarize(&again));
            assert!(
                problems
                    .iter()
                    .all(|p| p.kind != crate::validate::ProblemKind::DeclaredMismatch),
                "{problems:?}"
            );
        }
    }

    #[test]
    fn formulas_in_text_are_written_as_text_and_read_back_unchanged() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/evaluation-2022-jingzhun-bangfu.csv");
        let mut doc = crate::open::open(&path).unwrap();
        let ids: Vec<_> = doc.leaves().iter().map(|l| l.id).collect();
        let reasons = [
            "=HYPERLINK(\"http://example.invalid\",\"点此查看\")",
            "+1+1",
            "@SUM(1,2)",
            "-扣 0.5 分",
            "'引号开头的理由",
            // Text that itself begins with the guard's quote keeps it (issue 31).
            "'=不是公式",
            "''+两个引号",
        ];
        for (id, reason) in ids.iter().zip(reasons) {
            doc.find_mut(*id).unwrap().scoring.reason = reason.to_owned();
        }
        let text = csv_text(&doc);
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://example.invalid\"\""),
            "{text}"
        );
        assert!(text.contains(",'+1+1\n"), "{text}");
        assert!(text.contains(",\"'@SUM(1,2)\"\n"), "{text}");
        assert!(text.contains(",'-扣 0.5 分\n"), "{text}");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("导出.csv");
        write_csv(&doc, &out).unwrap();
        let again = crate::open::open(&out).unwrap();
        let read: Vec<String> = again
            .leaves()
            .iter()
            .map(|l| l.scoring.reason.clone())
            .collect();
        assert_eq!(&read[..reasons.len()], &reasons[..]);
    }
}
