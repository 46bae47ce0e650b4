//! Tables of a Word document (.docx): the body's tables turned into rows of cell text,
//! merged cells (`gridSpan` across, `vMerge` down) laid out as a workbook's are: the text
//! in the first cell, the cells it covers blank.

use std::io::{Cursor, Read};

use super::Source;
use super::header::find_header;
use super::table::Row;

/// The rows of the first table that holds an indicator header (or of the first table
/// when none does); the other tables are listed. Errors are the Chinese reason.
pub fn rows_of(bytes: &[u8]) -> Result<Source, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "文件已损坏或不是 Word 文档（.docx）".to_owned())?;
    // A few compressed kilobytes may expand to gigabytes: read no more than a real
    // table's text can be (issue 31).
    let limit = super::MAX_TEXT_BYTES;
    let mut bytes = Vec::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| "文件中没有 Word 正文，不是 Word 文档（.docx）".to_owned())?
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| "Word 正文已损坏".to_owned())?;
    if bytes.len() > limit {
        return Err(format!(
            "Word 正文解压后超过 {} MB，不像是一份评价表，未读取",
            limit >> 20
        ));
    }
    let xml = String::from_utf8(bytes).map_err(|_| "Word 正文已损坏".to_owned())?;
    let tables = tables_of(&xml);
    if tables.is_empty() {
        return Err("文档中没有表格".to_owned());
    }
    let chosen = tables
        .iter()
        .position(|rows| find_header(rows).is_some())
        .unwrap_or(0);
    let others = (0..tables.len())
        .filter(|&i| i != chosen)
        .map(|i| {
            let why = if find_header(&tables[i]).is_some() {
                "也有指标表头，未读取"
            } else {
                "没有指标表头"
            };
            format!("第 {} 个表格（{} 行，{why}）", i + 1, tables[i].len())
        })
        .collect();
    let count = tables.len();
    let rows = tables.into_iter().nth(chosen).unwrap_or_default();
    Ok(Source {
        label: if count > 1 {
            format!("第 {} 个表格（共 {count} 个）", chosen + 1)
        } else {
            String::new()
        },
        others,
        ..Source::of_rows(rows)
    })
}

/// One cell as Word writes it.
#[derive(Default)]
struct Cell {
    text: String,
    span: usize,
    continues: bool,
}

/// Every top-level table of the body; a table nested in a cell adds its text to the cell.
fn tables_of(xml: &str) -> Vec<Vec<Row>> {
    let mut tables: Vec<Vec<Row>> = Vec::new();
    let mut depth = 0usize;
    let mut row: Option<Vec<Cell>> = None;
    let mut cell: Option<Cell> = None;
    let mut in_text = false;
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        if in_text && let Some(c) = cell.as_mut() {
            c.text.push_str(&unescape(&rest[..open]));
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name = body
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let self_closing = tag.ends_with('/');
        match (name, closing) {
            ("w:tbl", false) => {
                depth += 1;
                if depth == 1 {
                    tables.push(Vec::new());
                }
            }
            ("w:tbl", true) => depth = depth.saturating_sub(1),
            ("w:tr", false) if depth == 1 => row = Some(Vec::new()),
            ("w:tr", true) if depth == 1 => {
                if let (Some(cells), Some(table)) = (row.take(), tables.last_mut()) {
                    let number = table.len() + 1;
                    table.push(Row {
                        number,
                        cells: lay_out(cells),
                    });
                }
            }
            ("w:gridBefore", false) if depth == 1 && cell.is_none() => {
                let span = attribute(body, "w:val").and_then(|v| v.parse().ok());
                if let (Some(row), Some(span)) = (row.as_mut(), span) {
                    row.push(Cell {
                        span,
                        ..Cell::default()
                    });
                }
            }
            ("w:tc", false) if depth == 1 => {
                cell = Some(Cell {
                    span: 1,
                    ..Cell::default()
                });
            }
            ("w:tc", true) if depth == 1 => {
                if let (Some(mut c), Some(row)) = (cell.take(), row.as_mut()) {
                    c.text = c.text.trim().to_owned();
                    row.push(c);
                }
            }
            ("w:gridSpan", false) if depth == 1 => {
                if let (Some(c), Some(span)) = (
                    cell.as_mut(),
                    attribute(body, "w:val").and_then(|v| v.parse::<usize>().ok()),
                ) {
                    c.span = span.clamp(1, 64);
                }
            }
            ("w:vMerge", false) if depth == 1 => {
                if let Some(c) = cell.as_mut() {
                    c.continues = attribute(body, "w:val").is_none_or(|v| v == "continue");
                }
            }
            ("w:t", false) if !self_closing => in_text = true,
            ("w:t", true) => in_text = false,
            ("w:tab", false) => {
                if let Some(c) = cell.as_mut() {
                    c.text.push(' ');
                }
            }
            ("w:br", false) | ("w:p", true) => {
                if let Some(c) = cell.as_mut()
                    && !c.text.is_empty()
                    && !c.text.ends_with('\n')
                {
                    c.text.push('\n');
                }
            }
            _ => {}
        }
    }
    tables
}

/// A row's cells on the table's grid: a merged cell's text in its first column.
fn lay_out(cells: Vec<Cell>) -> Vec<String> {
    let mut texts = Vec::new();
    for cell in cells {
        texts.push(if cell.continues {
            String::new()
        } else {
            cell.text
        });
        texts.extend(std::iter::repeat_n(
            String::new(),
            cell.span.saturating_sub(1),
        ));
    }
    texts
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

/// XML's five entities and numeric references.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semi];
        let replaced = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match replaced {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_cells_keep_their_text_in_the_first_column() {
        let xml = r#"<w:body><w:tbl>
            <w:tr><w:tc><w:p><w:r><w:t>一级指标</w:t></w:r></w:p></w:tc>
                  <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>分值 &amp; 得分</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>决策</w:t></w:r></w:p></w:tc>
                  <w:tc><w:p><w:r><w:t>5</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
                  <w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>
            </w:tbl></w:body>"#;
        let tables = tables_of(xml);
        let cells: Vec<Vec<String>> = tables[0].iter().map(|r| r.cells.clone()).collect();
        assert_eq!(
            cells,
            [
                vec!["一级指标", "分值 & 得分", ""],
                vec!["决策", "5", ""],
                vec!["", "3", ""],
            ]
        );
    }
}
