//! Any bytes as a table file of each kind people import: never a panic, an abort or a
//! hang; what imports scores and validates.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A panic inside a workbook reader is caught by jixiao's guard and becomes a message;
    // libFuzzer's own hook would abort on it all the same. Silence the hook: a panic that
    // escapes the guard still reaches libfuzzer-sys's catch_unwind and is reported.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let extension = ["csv", "xlsx", "xls", "ods", "docx"][usize::from(kind) % 5];
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join(format!("表.{extension}"));
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    if let Ok(doc) = jixiao::import::import_file(&path) {
        let summary = jixiao::scoring::summarize(&doc);
        let _ = jixiao::validate::validate(&doc, &summary);
    }
});
