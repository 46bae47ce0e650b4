//! CSV and tab-separated text as Excel and WPS save it on Chinese Windows.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use super::table::Row;

/// Decodes the bytes, guessing the encoding as a user would expect, and splits them into
/// rows of cells. Never fails: undecodable bytes become U+FFFD.
pub fn rows_of(bytes: &[u8]) -> Vec<Row> {
    let text = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        // The reader only fails on I/O, and text in memory has none; a record it could
        // not read is skipped rather than trusted.
        let Ok(record) = record else { continue };
        rows.push(Row {
            number: index + 1,
            cells: record.iter().map(unguard_formula).collect(),
        });
    }
    rows
}

/// Takes off the `'` that jixiao's CSV export (and the usual CSV-injection guard) puts
/// before text a spreadsheet would run as a formula: `'=SUM(1)` reads as `=SUM(1)`.
fn unguard_formula(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => cell.to_owned(),
    }
}

/// UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's “Unicode 文本”), otherwise
/// GB18030, the superset of the GBK that Excel writes on Chinese Windows.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return UTF_16LE.decode_without_bom_handling(rest).0.into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return UTF_16BE.decode_without_bom_handling(rest).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => GB18030.decode_without_bom_handling(bytes).0.into_owned(),
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

    fn cells(rows: &[Row]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.cells.clone()).collect()
    }

    #[test]
    fn utf8_with_and_without_bom_and_gbk_read_the_same() {
        let plain = rows_of(SAMPLE.as_bytes());
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(SAMPLE);
        assert!(!unmappable);
        assert_eq!(cells(&plain)[1], vec!["决策(10分)", "10", "7.66"]);
        assert_eq!(cells(&rows_of(&bom)), cells(&plain));
        assert_eq!(cells(&rows_of(&gbk)), cells(&plain));
    }

    #[test]
    fn unicode_text_from_excel_is_tab_separated_utf16() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in SAMPLE.replace(',', "\t").encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(cells(&rows_of(&bytes)), cells(&rows_of(SAMPLE.as_bytes())));
    }

    #[test]
    fn quoted_cells_with_commas_and_line_breaks_stay_whole() {
        let rows =
            rows_of("一级指标,扣分理由\n决策,\"合同管理，制度不全,\n凭证不全\"\n".as_bytes());
        assert_eq!(rows[1].cells[1], "合同管理，制度不全,\n凭证不全");
        assert_eq!(rows[1].number, 2);
    }
}
