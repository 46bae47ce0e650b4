//! Starts the command line when given a subcommand, otherwise the window.

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
    let cli = match Cli::parse_args() {
        Ok(cli) => cli,
        Err(err) => {
            if let Some(message) = jixiao::cli::usage_error(&err) {
                eprintln!("jixiao：{message}");
            } else {
                print!("{}", jixiao::cli::localize_usage(&err.render().to_string()));
            }
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Some(command) => {
            ExitCode::from(run(command, &mut std::io::stdout(), &mut std::io::stderr()))
        }
        None => {
            if let Some(file) = cli.file.as_ref().filter(|f| !f.exists()) {
                // Most often a mistyped command (`jixiao socre 评价.ron`).
                eprintln!(
                    "jixiao：找不到文件“{}”。命令和用法见 jixiao --help",
                    jixiao::model::shorten(&file.display().to_string())
                );
                return ExitCode::from(2);
            }
            let file = cli.file.clone();
            match jixiao::app::run(cli.file) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("jixiao：{message}");
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
