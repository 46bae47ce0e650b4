//! The rules' readers on any text: a target or an actual value as a person types it
//! (`≥50个`, `１００％`, `9.5万元`, `五十个`, `2023年12月底前`), and a rule-set file. Never a panic; a value read
//! back from its own text is the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(value) = jixiao::number::read_value(&text) {
        let _ = format!("{value:?}");
    }
    let _ = jixiao::number::parse_decimal(&text);
    let _ = jixiao::ruleset::parse(&text, "规则.ron");
});
