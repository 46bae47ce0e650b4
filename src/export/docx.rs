//! The evaluation report as Word (.docx), following the outline of 财预〔2020〕10号 附3,
//! with the figures filled in.
//!
//! The WordprocessingML is written here directly, straight into the compressed archive:
//! a report holds only paragraphs, bold runs and tables with fixed column widths and
//! vertical merges. (docx-rs built every run as a tree of structs, cloned it into XML
//! and stored it uncompressed: a 10,000-indicator report took 0.76 s, 312 MiB and
//! 12.5 MB on disk.)

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use zip::write::SimpleFileOptions;

use super::{ExportError, ReportSections, conclusion_sentence, report_sections, write_atomically};
use crate::model::Evaluation;
use crate::number::format2;
use crate::scoring::summarize;

/// Column widths in twentieths of a point, filling an A4 page between its margins
/// (9,070): the figure columns wide enough for "100.00" on one line in the tables' 五号.
const SUMMARY_WIDTHS: [usize; 3] = [4000, 2535, 2535];
/// 一级 / 二级 / 三级 / 分值 / 得分 / 扣分理由: `决策(10分)` and `组织实施(12分)` on one line.
const SCORING_WIDTHS: [usize; 6] = [1350, 1750, 1700, 830, 830, 2610];
/// 一级 / 二级 / 三级 / 年度指标值 / 实际完成值 / 分值 / 得分 / 偏差原因分析及改进措施: eight
/// columns, on landscape pages (14,000 between the margins).
const SELF_SCORING_WIDTHS: [usize; 8] = [1300, 1900, 1900, 1950, 1950, 850, 850, 3300];

/// The page of the report: A4 portrait with 2.5 cm / 3 cm margins, as the 附3 report is
/// printed.
const PORTRAIT: &str = r#"<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1418" w:bottom="1440" w:left="1418" w:header="851" w:footer="992" w:gutter="0"/>"#;
/// The same page turned, for the 自评 report's eight-column table.
const LANDSCAPE: &str = r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1418" w:right="1440" w:bottom="1418" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/>"#;

/// Ends the section that runs up to here, with `page` its page setup: what comes next
/// starts on a new page.
fn section_break(out: &mut String, page: &str) {
    out.push_str("<w:p><w:pPr><w:sectPr>");
    out.push_str(page);
    out.push_str("</w:sectPr></w:pPr></w:p>");
}

/// Text as XML character data.
pub(super) fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold at all (a control character pasted into a
            // reason) are left out rather than making the file unreadable.
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// How a run of text looks: bold, and its size in half-points (None: the default).
#[derive(Clone, Copy)]
pub(super) struct Look {
    pub bold: bool,
    pub size: Option<u32>,
}

pub(super) const PLAIN: Look = Look {
    bold: false,
    size: None,
};
const BOLD: Look = Look {
    bold: true,
    size: None,
};
/// Tables are set in 五号 (10.5 pt), as printed reports set them.
pub(super) const TABLE: Look = Look {
    bold: false,
    size: Some(21),
};
pub(super) const TABLE_BOLD: Look = Look {
    bold: true,
    size: Some(21),
};

/// Appends one run; line breaks in the text become Word line breaks.
fn run(out: &mut String, text: &str, look: Look) {
    out.push_str("<w:r>");
    if look.bold || look.size.is_some() {
        out.push_str("<w:rPr>");
        if look.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if let Some(size) = look.size {
            let _ = write!(out, r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#);
        }
        out.push_str("</w:rPr>");
    }
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(r#"<w:t xml:space="preserve">"#);
        escape(line, out);
        out.push_str("</w:t>");
    }
    out.push_str("</w:r>");
}

pub(super) fn paragraph(out: &mut String, text: &str, look: Look) {
    out.push_str("<w:p>");
    run(out, text, look);
    out.push_str("</w:p>");
}

pub(super) fn centered(out: &mut String, text: &str, look: Look) {
    out.push_str(r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>"#);
    run(out, text, look);
    out.push_str("</w:p>");
}

fn heading(out: &mut String, text: &str) {
    paragraph(
        out,
        text,
        Look {
            bold: true,
            size: Some(30),
        },
    );
}

/// How a cell takes part in a vertical merge.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Merge {
    None,
    Restart,
    Continue,
}

/// How a cell's text sits: text wraps from the left, a heading wraps centred, and a
/// figure stays on one line, centred, so "100.00" never breaks into "100.0 / 0".
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Place {
    Text,
    Heading,
    Figure,
}

/// One table cell of `width` twips, spanning `span` grid columns.
pub(super) fn cell(
    out: &mut String,
    text: &str,
    width: usize,
    span: usize,
    merge: Merge,
    look: Look,
    place: Place,
) {
    let _ = write!(out, r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#);
    if span > 1 {
        let _ = write!(out, r#"<w:gridSpan w:val="{span}"/>"#);
    }
    match merge {
        Merge::None => {}
        Merge::Restart => out.push_str(r#"<w:vMerge w:val="restart"/>"#),
        Merge::Continue => out.push_str(r#"<w:vMerge w:val="continue"/>"#),
    }
    if place == Place::Figure {
        out.push_str("<w:noWrap/>");
    }
    out.push_str(r#"<w:vAlign w:val="center"/></w:tcPr>"#);
    match place {
        Place::Text => paragraph(out, text, look),
        Place::Heading | Place::Figure => centered(out, text, look),
    }
    out.push_str("</w:tc>");
}

/// Opens a table with fixed column widths, so Word and WPS keep the 扣分理由 column
/// wide, with single borders as the published tables have.
pub(super) fn table_start(out: &mut String, widths: &[usize]) {
    let total: usize = widths.iter().sum();
    let _ = write!(
        out,
        r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:tblBorders>"#
    );
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(
            out,
            r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
        );
    }
    out.push_str(r#"</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#);
    for width in widths {
        let _ = write!(out, r#"<w:gridCol w:w="{width}"/>"#);
    }
    out.push_str("</w:tblGrid>");
}

/// A table's heading row: bold, centred, and marked `tblHeader` so Word and WPS repeat it
/// at the top of every page the table runs onto.
pub(super) fn header_row(out: &mut String, cells: &[&str], widths: &[usize]) {
    out.push_str("<w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for (text, width) in cells.iter().zip(widths) {
        cell(
            out,
            text,
            *width,
            1,
            Merge::None,
            TABLE_BOLD,
            Place::Heading,
        );
    }
    out.push_str("</w:tr>");
}

/// A row whose first cell is text and the others figures.
fn row(out: &mut String, cells: &[&str], widths: &[usize], look: Look) {
    out.push_str("<w:tr>");
    for (index, (text, width)) in cells.iter().zip(widths).enumerate() {
        let place = if index == 0 {
            Place::Text
        } else {
            Place::Figure
        };
        cell(out, text, *width, 1, Merge::None, look, place);
    }
    out.push_str("</w:tr>");
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// 宋体 (Times New Roman for Latin text), 小四 (12 pt), as reports are typed.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>"#;

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>jixiao</Application></Properties>"#;

fn core_properties(title: &str) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>"#,
    );
    escape(title, &mut out);
    out.push_str("</dc:title></cp:coreProperties>");
    out
}

/// The full scoring table: its heading repeated on every page, group names merged down
/// over their rows, the figures on one line, and 合计 below.
fn scoring_table(out: &mut String, sections: &ReportSections, max: &str, score: &str) {
    let widths: &[usize] = if sections.headers.len() == SELF_SCORING_WIDTHS.len() {
        &SELF_SCORING_WIDTHS
    } else {
        &SCORING_WIDTHS
    };
    let columns = widths.len();
    // 分值 and 得分 are the two columns before the explanation.
    let figures = sections.figure_columns();
    table_start(out, widths);
    header_row(out, &sections.headers, widths);
    // Group names are printed once and merged down over their rows.
    let mut named = [false; 2];
    for report_row in &sections.rows {
        out.push_str("<w:tr>");
        for (column, value) in report_row.cells().into_iter().enumerate() {
            let width = widths.get(column).copied().unwrap_or(1000);
            let merge = match named.get_mut(column) {
                Some(seen) => {
                    let merge = if value.is_empty() && *seen {
                        Merge::Continue
                    } else {
                        Merge::Restart
                    };
                    *seen |= !value.is_empty();
                    merge
                }
                None => Merge::None,
            };
            let place = if figures.contains(&column) {
                Place::Figure
            } else {
                Place::Text
            };
            cell(out, value, width, 1, merge, TABLE, place);
        }
        out.push_str("</w:tr>");
    }
    out.push_str("<w:tr>");
    let label_columns = figures.start;
    let label_width = widths[..label_columns].iter().sum();
    cell(
        out,
        "合计",
        label_width,
        label_columns,
        Merge::None,
        TABLE_BOLD,
        Place::Figure,
    );
    for (column, figure) in figures.clone().zip([max, score]) {
        cell(
            out,
            figure,
            widths[column],
            1,
            Merge::None,
            TABLE,
            Place::Figure,
        );
    }
    cell(
        out,
        "",
        widths[columns - 1],
        1,
        Merge::None,
        TABLE,
        Place::Text,
    );
    out.push_str("</w:tr></w:tbl>");
}

/// The body of word/document.xml.
fn document_xml(doc: &Evaluation) -> String {
    let summary = summarize(doc);
    let sections = report_sections(doc, &summary);
    let mut out = String::with_capacity(4096 + sections.rows.len() * 900);
    out.push_str(DOCUMENT_START);
    centered(
        &mut out,
        &sections.title,
        Look {
            bold: true,
            size: Some(36),
        },
    );

    heading(&mut out, "一、基本情况");
    for (label, value) in &sections.basics {
        let value = if value.is_empty() {
            "（待填写）"
        } else {
            value.as_str()
        };
        paragraph(&mut out, &format!("{label}：{value}"), PLAIN);
    }
    heading(&mut out, "二、绩效评价工作开展情况");
    paragraph(
        &mut out,
        "（待填写：评价目的、对象和范围，评价原则、方法和指标体系，评价工作过程。）",
        PLAIN,
    );
    heading(&mut out, "三、综合评价情况及评价结论");
    paragraph(&mut out, &conclusion_sentence(doc, &summary), PLAIN);

    table_start(&mut out, &SUMMARY_WIDTHS);
    header_row(&mut out, &["评价内容", "分值", "评价得分"], &SUMMARY_WIDTHS);
    for group in &summary.groups {
        let (max, score) = (
            format2(group.totals.max_points),
            format2(group.totals.score),
        );
        row(
            &mut out,
            &[&group.name, &max, &score],
            &SUMMARY_WIDTHS,
            TABLE,
        );
    }
    let (max, score) = (
        format2(summary.totals.max_points),
        format2(summary.totals.score),
    );
    row(
        &mut out,
        &["综合得分", &max, &score],
        &SUMMARY_WIDTHS,
        TABLE,
    );
    let verdict = summary.verdict_text();
    row(
        &mut out,
        &["绩效评定级别", "", &verdict],
        &SUMMARY_WIDTHS,
        TABLE,
    );
    out.push_str("</w:tbl>");
    // A panel's figures are only as good as its files: say what is missing or doubtful.
    for notice in crate::panel::notices(doc) {
        paragraph(&mut out, &notice, BOLD);
    }
    paragraph(&mut out, "", PLAIN);

    // The 自评 table's eight columns get landscape pages of their own.
    let landscape = sections.headers.len() == SELF_SCORING_WIDTHS.len();
    if landscape {
        section_break(&mut out, PORTRAIT);
        // “某某绩效自评报告” → “某某绩效自评表”.
        let caption = sections
            .title
            .strip_suffix("报告")
            .map_or_else(|| sections.title.clone(), |t| format!("{t}表"));
        centered(&mut out, &caption, BOLD);
    }
    scoring_table(&mut out, &sections, &max, &score);
    if landscape {
        section_break(&mut out, LANDSCAPE);
    }

    heading(&mut out, "四、绩效评价指标分析");
    for analysis in &sections.analysis {
        paragraph(&mut out, &analysis.heading, BOLD);
        paragraph(&mut out, &analysis.text, PLAIN);
        for item in &analysis.deductions {
            paragraph(&mut out, item, PLAIN);
        }
    }
    heading(&mut out, "五、存在的问题");
    if sections.problems.is_empty() {
        paragraph(&mut out, "（各项指标均未扣分。）", PLAIN);
    }
    for (index, problem) in sections.problems.iter().enumerate() {
        paragraph(&mut out, &format!("{}. {problem}", index + 1), PLAIN);
    }
    heading(&mut out, "六、有关建议");
    paragraph(&mut out, "（待填写。）", PLAIN);
    evidence_list(&mut out, doc);
    out.push_str("<w:sectPr>");
    out.push_str(PORTRAIT);
    out.push_str("</w:sectPr></w:body></w:document>");
    out
}

const EVIDENCE_WIDTHS: [usize; 5] = [1000, 3000, 2600, 700, 1770];

/// 附件清单: every indicator's 佐证材料 by 附件编号, where any indicator has some.
fn evidence_list(out: &mut String, doc: &Evaluation) {
    let leaves = doc.leaf_paths();
    if leaves.iter().all(|(_, leaf)| leaf.evidence.is_empty()) {
        return;
    }
    heading(out, "附件清单");
    table_start(out, &EVIDENCE_WIDTHS);
    header_row(
        out,
        &["附件编号", "指标", "文件", "页码", "说明"],
        &EVIDENCE_WIDTHS,
    );
    for (path, leaf) in &leaves {
        let path = path.to_string();
        for item in &leaf.evidence {
            let page = item.page.map(|p| p.to_string()).unwrap_or_default();
            row(
                out,
                &[&item.number, &path, &item.file, &page, &item.note],
                &EVIDENCE_WIDTHS,
                TABLE,
            );
        }
    }
    out.push_str("</w:tbl>");
}

/// The report as .docx bytes.
pub fn docx_bytes(doc: &Evaluation) -> Result<Vec<u8>, String> {
    package(
        &document_xml(doc),
        &format!("{}绩效评价报告", doc.info.name.trim()),
    )
}

/// The start of word/document.xml, up to the body's first paragraph.
pub(super) const DOCUMENT_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#;

/// A .docx holding `document` (word/document.xml) under the title `title`.
pub(super) fn package(document: &str, title: &str) -> Result<Vec<u8>, String> {
    let core = core_properties(title);
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &[u8]); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", PACKAGE_RELS.as_bytes()),
        ("docProps/app.xml", APP.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
    ];
    let failed = |e: &dyn std::fmt::Display| e.to_string();
    for (name, bytes) in parts {
        archive.start_file(name, options).map_err(|e| failed(&e))?;
        archive.write_all(bytes).map_err(|e| failed(&e))?;
    }
    archive
        .start_file("word/document.xml", options)
        .map_err(|e| failed(&e))?;
    archive
        .write_all(document.as_bytes())
        .map_err(|e| failed(&e))?;
    let cursor = archive.finish().map_err(|e| failed(&e))?;
    Ok(cursor.into_inner())
}

pub fn write_docx(doc: &Evaluation, path: &Path) -> Result<(), ExportError> {
    let bytes = docx_bytes(doc).map_err(|_| ExportError::at(path, "无法生成 Word 文件"))?;
    write_atomically(path, &bytes)
}
