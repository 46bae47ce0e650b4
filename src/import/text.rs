//! CSV and tab-separated text as Excel and WPS save it on Chinese Windows.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use super::table::Row;

/// Decodes the bytes, guessing the encoding as a user would expect, and splits them into
/// rows of cells; undecodable bytes become U+FFFD. Blank lines are left out. More than
/// `max_rows` rows with text is refused as soon as it is seen, with the count read so
/// far, so a huge file costs no more than that many rows.
pub fn rows_of(bytes: Vec<u8>, max_rows: usize) -> Result<Vec<Row>, usize> {
    let mut text = decode(bytes);
    if !text.ends_with('\n') {
        // Every record then ends a line, which the row numbers below count on.
        text.push('\n');
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // The row number Excel shows: one per record (a cell may hold line breaks), and one
    // per empty line, which the reader passes over.
    let mut number = 0;
    loop {
        let line_before = reader.position().line();
        // The reader only fails on I/O, and text in memory has none; a record it could
        // not read ends the table rather than being trusted.
        if !reader.read_record(&mut record).unwrap_or(false) {
            break;
        }
        // The lines read, less the record's own (one, and one more per line break in a
        // quoted cell), were empty.
        let read = reader.position().line().saturating_sub(line_before) as usize;
        let own = 1 + record
            .iter()
            .map(|c| c.matches('\n').count())
            .sum::<usize>();
        number += 1 + read.saturating_sub(own);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == max_rows {
            return Err(rows.len() + 1);
        }
        rows.push(Row {
            number,
            // As in a workbook, cells beyond the columns a table can use are left out.
            cells: record
                .iter()
                .take(super::sheet::MAX_COLUMNS as usize)
                .map(unguard_formula)
                .collect(),
        });
    }
    Ok(rows)
}

/// Takes off the `'` that jixiao's CSV export (and the usual CSV-injection guard) puts
/// before text a spreadsheet would run as a formula: `'=SUM(1)` reads as `=SUM(1)`, and
/// `''=x` (text that began with `'=`) as `'=x`.
fn unguard_formula(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest)
            if rest
                .trim_start_matches('\'')
                .starts_with(['=', '+', '-', '@', '\t', '\r']) =>
        {
            rest.to_owned()
        }
        _ => cell.to_owned(),
    }
}

/// UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's “Unicode 文本”), otherwise
/// GB18030, the superset of the GBK that Excel writes on Chinese Windows.
pub fn decode(bytes: Vec<u8>) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return UTF_16LE.decode_without_bom_handling(rest).0.into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return UTF_16BE.decode_without_bom_handling(rest).0.into_owned();
    }
    // Valid UTF-8 becomes the text without a copy.
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => GB18030
            .decode_without_bom_handling(err.as_bytes())
            .0
            .into_owned(),
    }
}

/// Tab when the first lines hold more tabs than commas, else comma.
fn sniff_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(20).collect();
    let tabs = head.matches('\t').count();
    let commas = head.matches(',').count();
    if tabs > commas { b'\t' } else { b',' }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "一级指标,分值,得分\n决策(10分),10,7.66\n";

    fn read(bytes: &[u8]) -> Vec<Row> {
        rows_of(bytes.to_vec(), usize::MAX).unwrap()
    }

    fn cells(rows: &[Row]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.cells.clone()).collect()
    }

    #[test]
    fn utf8_with_and_without_bom_and_gbk_read_the_same() {
        let plain = read(SAMPLE.as_bytes());
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(SAMPLE);
        assert!(!unmappable);
        assert_eq!(cells(&plain)[1], vec!["决策(10分)", "10", "7.66"]);
        assert_eq!(cells(&read(&bom)), cells(&plain));
        assert_eq!(cells(&read(&gbk)), cells(&plain));
    }

    #[test]
    fn unicode_text_from_excel_is_tab_separated_utf16() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in SAMPLE.replace(',', "\t").encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(cells(&read(&bytes)), cells(&read(SAMPLE.as_bytes())));
    }

    #[test]
    fn quoted_cells_with_commas_and_line_breaks_stay_whole() {
        let rows = read("一级指标,扣分理由\n决策,\"合同管理，制度不全,\n凭证不全\"\n".as_bytes());
        assert_eq!(rows[1].cells[1], "合同管理，制度不全,\n凭证不全");
        assert_eq!(rows[1].number, 2);
    }

    #[test]
    fn blank_lines_are_left_out_and_rows_keep_their_numbers() {
        let rows = read("一级指标,分值\n\n,,\n决策,10\n\"合同\n不全\",1\n\n过程,5".as_bytes());
        let numbers: Vec<usize> = rows.iter().map(|r| r.number).collect();
        // As Excel numbers them: the quoted line break stays inside row 5.
        assert_eq!(numbers, vec![1, 4, 5, 7]);
    }

    #[test]
    fn more_rows_than_allowed_are_refused_once_counted() {
        let text = "一级指标,分值\n决策,1\n过程,2\n\n产出,3\n";
        assert_eq!(rows_of(text.as_bytes().to_vec(), 4).map(|r| r.len()), Ok(4));
        assert_eq!(
            rows_of(text.as_bytes().to_vec(), 3).map(|r| r.len()),
            Err(4)
        );
    }
}
