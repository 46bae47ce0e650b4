//! On Windows, gives jixiao.exe its icon, its version and its name as Explorer shows them
//! (文件属性 → 详细信息). Elsewhere it does nothing.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icon/jixiao.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let (Ok(out), Ok(manifest_dir)) = (
        std::env::var("OUT_DIR"),
        std::env::var("CARGO_MANIFEST_DIR"),
    ) else {
        panic!("cargo sets OUT_DIR and CARGO_MANIFEST_DIR for a build script");
    };
    let icon = PathBuf::from(manifest_dir).join("assets/icon/jixiao.ico");
    let rc = PathBuf::from(out).join("jixiao.rc");
    if let Err(err) = std::fs::write(&rc, resource(&icon.display().to_string())) {
        panic!("cannot write {}: {err}", rc.display());
    }
    embed_resource::compile(&rc, embed_resource::NONE)
        .manifest_optional()
        .unwrap_or_else(|err| panic!("cannot compile {}: {err}", rc.display()));
}

/// The resource script: the icon and a VERSIONINFO from Cargo.toml's version.
fn resource(icon: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let mut parts: Vec<u16> = version
        .split(['.', '-', '+'])
        .filter_map(|p| p.parse().ok())
        .collect();
    parts.resize(4, 0);
    let numbers = parts
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let icon = icon.replace('\\', "/");
    format!(
        r#"#pragma code_page(65001)
1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {numbers}
PRODUCTVERSION {numbers}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404B0"
    BEGIN
      VALUE "CompanyName", "jixiao"
      VALUE "FileDescription", "绩效评价"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "jixiao"
      VALUE "OriginalFilename", "jixiao.exe"
      VALUE "ProductName", "绩效评价 jixiao"
      VALUE "ProductVersion", "{version}"
      VALUE "LegalCopyright", "MIT OR Apache-2.0"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0804, 1200
  END
END
"#
    )
}
