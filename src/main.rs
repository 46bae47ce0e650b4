//! Starts the command line when given a subcommand, otherwise the window.

// On Windows a double-clicked jixiao.exe opens its window with no console behind it; the
// command line attaches to the console it was started from (`attach_console`).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use jixiao::cli::{Cli, run};

/// Counts what a workbook reader holds, so that a damaged file cannot make it take all
/// the machine's memory (see `import::guard`).
#[global_allocator]
static ALLOCATOR: jixiao::import::guard::Counting = jixiao::import::guard::Counting;

fn main() -> ExitCode {
    if let Some(code) = jixiao::import::guard::worker_main() {
        return code;
    }
    if let Ok(program) = std::env::current_exe() {
        jixiao::import::guard::use_worker(program);
    }
    attach_console();
    let cli = match Cli::parse_args() {
        Ok(cli) => cli,
        Err(err) => {
            if let Some(message) = jixiao::cli::usage_error(&err) {
                eprintln!("jixiao：{message}");
            } else {
                let text = jixiao::cli::localize_usage(&err.render().to_string());
                if err.use_stderr() {
                    eprint!("{text}");
                } else {
                    print!("{text}");
                }
            }
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Some(command) => {
            ExitCode::from(run(command, &mut std::io::stdout(), &mut std::io::stderr()))
        }
        None => {
            // A first word with no extension that names nothing is a mistyped command
            // (`jixiao socre 评价.ron`). A missing document (a moved file opened from a
            // shortcut) still opens the window, which says what is wrong.
            if let Some(word) = cli.file.as_ref().filter(|f| {
                f.extension().is_none()
                    && std::fs::metadata(f).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
            }) {
                eprintln!(
                    "jixiao：没有“{}”这个命令，也没有这个文件。命令和用法见 jixiao --help",
                    jixiao::model::shorten(&word.display().to_string())
                );
                return ExitCode::from(2);
            }
            let file = cli.file.clone();
            match jixiao::app::run(cli.file) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("jixiao：{message}");
                    // Started from Explorer, jixiao.exe has no console to say it in.
                    #[cfg(windows)]
                    rfd::MessageDialog::new()
                        .set_title("绩效评价")
                        .set_description(&message)
                        .set_level(rfd::MessageLevel::Error)
                        .show();
                    if let Some(file) = file {
                        let file = file.display();
                        eprintln!("不开窗口查看“{file}”的得分：jixiao score \"{file}\"");
                    }
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// On Windows, prints to the console of `cmd` or PowerShell when jixiao is started from
/// one: a program without a console of its own writes nowhere otherwise. Output sent to
/// a file or a pipe (`jixiao score 表.xlsx > 得分.txt`) is left as it is.
#[cfg(windows)]
fn attach_console() {
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_OUTPUT_HANDLE,
    };
    // SAFETY: plain Win32 calls without pointers; a failure (started from Explorer, no
    // console to attach to) changes nothing.
    unsafe {
        if GetStdHandle(STD_OUTPUT_HANDLE).is_null() {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}

#[cfg(not(windows))]
fn attach_console() {}
