//! Any text as a jixiao file: loading never panics, and what loads saves and loads
//! back to the same document.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = jixiao::storage::from_ron(text, Path::new("fuzz.ron")) {
        let summary = jixiao::scoring::summarize(&doc);
        let _ = jixiao::validate::validate(&doc, &summary);
        let _ = jixiao::export::clipboard_text(&doc);
        if let Ok(again) = jixiao::storage::to_ron(&doc) {
            let reloaded = jixiao::storage::from_ron(&again, Path::new("fuzz.ron"));
            assert_eq!(reloaded.ok().as_ref(), Some(&doc), "RON round trip");
        }
    }
});
