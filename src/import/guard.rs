//! Workbook readers are untrusted code: calamine has panicked, aborted on a 500 GB
//! allocation and looped forever on damaged files. So a workbook is read in a separate
//! jixiao process (the same program, started with [`WORKER_ARG`]) that is given a time
//! limit; whatever that process does — panic, abort, hang — the user gets a Chinese
//! message naming the file, and jixiao itself goes on.
//!
//! Where no worker program is known (the library used on its own, unit tests), the
//! file is read on a thread of this process instead: a panic and a hang are still
//! caught, only an abort is not.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::table::Row;
use super::{ImportError, Source};

/// The first argument that makes jixiao read one workbook and print its rows.
pub const WORKER_ARG: &str = "--jixiao-read-workbook";

/// How long a workbook may take to read before it is given up.
const DEFAULT_LIMIT: Duration = Duration::from_secs(30);

/// How much memory the worker may hold: a damaged .xls whose sector chain loops made
/// calamine grow one buffer to 9.6 GB in 30 s (found by the import fuzz target), enough
/// to freeze a laptop. A real table of 100,000 rows needs a small part of this.
const MEMORY_LIMIT: usize = 1_536 * 1024 * 1024;

/// The worker's exit code when it was stopped at [`MEMORY_LIMIT`].
const OVER_MEMORY_EXIT: u8 = 4;

/// Bytes the program holds through [`Counting`] while a limit is set.
static HELD: AtomicUsize = AtomicUsize::new(0);
/// The most [`Counting`] lets the program hold; 0 is no limit (the window, the command
/// line), and the worker sets [`MEMORY_LIMIT`].
static HELD_LIMIT: AtomicUsize = AtomicUsize::new(0);

/// The program's allocator: the system's, which in a worker also counts what is held
/// and ends the worker with its own exit code when a request would take it beyond
/// 1,536 MB, on every system (a watch on the process from outside works on Linux only,
/// and only between two looks). Outside a worker it adds one relaxed load per call.
/// `main.rs` makes it the global allocator.
pub struct Counting;

impl Counting {
    /// Counts `more` bytes taken, and ends the worker when they are beyond its limit.
    fn take(more: usize) {
        let limit = HELD_LIMIT.load(Ordering::Relaxed);
        if limit == 0 {
            return;
        }
        let held = HELD.fetch_add(more, Ordering::Relaxed).saturating_add(more);
        if held <= limit {
            return;
        }
        // Nothing is counted or refused while the worker ends: its exit may allocate.
        HELD_LIMIT.store(0, Ordering::Relaxed);
        std::process::exit(i32::from(OVER_MEMORY_EXIT));
    }

    fn give_back(less: usize) {
        if HELD_LIMIT.load(Ordering::Relaxed) != 0 {
            // Memory taken before the limit was set may be given back after: never
            // below zero.
            let _ = HELD.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |held| {
                Some(held.saturating_sub(less))
            });
        }
    }
}

// SAFETY: every call is passed on unchanged to the system allocator, which upholds
// the contract; the counting around it touches only two atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::take(layout.size());
        // SAFETY: the caller's layout, as GlobalAlloc::alloc requires.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::take(layout.size());
        // SAFETY: as for alloc.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Self::give_back(layout.size());
        // SAFETY: `ptr` came from this allocator, that is from System, with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            Self::take(new_size - layout.size());
        } else {
            Self::give_back(layout.size() - new_size);
        }
        // SAFETY: `ptr` came from System with `layout`, as the caller guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

static WORKER: OnceLock<PathBuf> = OnceLock::new();

/// Reads workbooks in `program` (the running jixiao, `std::env::current_exe()`),
/// started with [`WORKER_ARG`].
pub fn use_worker(program: PathBuf) {
    let _ = WORKER.set(program);
}

/// The time limit: `JIXIAO_READ_LIMIT_MS` where set (tests), else 30 s.
fn limit() -> Duration {
    std::env::var("JIXIAO_READ_LIMIT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(DEFAULT_LIMIT, Duration::from_millis)
}

/// What the worker sends back: the chosen sheet's rows with where they came from and
/// what else the workbook held, or the reason the reader gave.
#[derive(Serialize, Deserialize)]
enum Answer {
    Rows {
        rows: Vec<(usize, Vec<String>)>,
        label: String,
        others: Vec<String>,
    },
    Refused(String),
}

/// If this process was started as a worker, reads the workbook its arguments name,
/// prints the answer and returns the exit code; otherwise `None`.
pub fn worker_main() -> Option<ExitCode> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != WORKER_ARG {
        return None;
    }
    let path = PathBuf::from(args.next()?);
    let wanted = args
        .next()
        .map(|sheet| sheet.to_string_lossy().into_owned());
    // The parent shows its own message; a panic's English must not reach a terminal.
    std::panic::set_hook(Box::new(|_| {}));
    HELD_LIMIT.store(MEMORY_LIMIT, Ordering::Relaxed);
    let answer = answer_of(&path, wanted.as_deref());
    let Ok(bytes) = serde_json::to_vec(&answer) else {
        return Some(ExitCode::from(3));
    };
    let mut out = std::io::stdout().lock();
    let written = out.write_all(&bytes).and_then(|()| out.flush()).is_ok();
    // The worker ends here: what it holds goes back to the system with it, sooner than
    // if its rows were freed one by one first.
    std::process::exit(if written { 0 } else { 3 })
}

fn answer_of(path: &Path, wanted: Option<&str>) -> Answer {
    match super::sheet::rows_of(path, wanted) {
        Ok(source) => Answer::Rows {
            rows: source
                .rows
                .into_iter()
                .map(|r| (r.number, r.cells))
                .collect(),
            label: source.label,
            others: source.others,
        },
        Err(err) => Answer::Refused(err.to_string()),
    }
}

/// The rows of the workbook at `path` (of the sheet `wanted`, or the one holding the
/// indicator table), read where a faulty reader cannot harm jixiao.
pub(crate) fn rows_of(path: &Path, wanted: Option<&str>) -> Result<Source, ImportError> {
    let answer = match WORKER.get() {
        Some(program) => in_worker(program, path, wanted),
        None => on_thread(path, wanted),
    };
    match answer {
        Ok(Answer::Rows {
            rows,
            label,
            others,
        }) => Ok(Source {
            rows: rows
                .into_iter()
                .map(|(number, cells)| Row { number, cells })
                .collect(),
            label,
            others,
        }),
        Ok(Answer::Refused(message)) => Err(ImportError::Reader { message }),
        Err(reason) => Err(ImportError::Workbook {
            path: path.to_owned(),
            reason,
        }),
    }
}

fn damaged(detail: &str) -> String {
    format!("文件已损坏，无法读取（{detail}）")
}

fn too_big() -> String {
    format!(
        "文件已损坏或过大：读取时所需内存超过 {} MB，已停止读取",
        MEMORY_LIMIT / 1024 / 1024
    )
}

fn too_slow(limit: Duration) -> String {
    format!(
        "文件已损坏或过大：{} 秒内未能读完，已停止读取",
        limit.as_secs().max(1)
    )
}

fn in_worker(program: &Path, path: &Path, wanted: Option<&str>) -> Result<Answer, String> {
    let limit = limit();
    let mut command = Command::new(program);
    command
        .arg(WORKER_ARG)
        .arg(path)
        .args(wanted)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    #[cfg(windows)]
    {
        // No console window flashes up when the window reads a workbook.
        use std::os::windows::process::CommandExt;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        command.creation_flags(CREATE_NO_WINDOW);
    }
    let mut child = command.spawn().map_err(|_| damaged("无法启动读取程序"))?;
    let Some(mut stdout) = child.stdout.take() else {
        let _ = child.kill();
        return Err(damaged("无法启动读取程序"));
    };
    // Read the output on a thread so that a large answer cannot fill the pipe and stall
    // the worker while this side waits for it to end.
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        let _ = sender.send(bytes);
    });
    // The answer is complete when the worker closes its output, which it does by
    // ending; waiting for that (rather than looking at the worker every few
    // milliseconds) takes the answer the moment it is there.
    let started = Instant::now();
    let Ok(bytes) = receiver.recv_timeout(limit) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(too_slow(limit));
    };
    // A worker that closed its output without ending is given what is left of the limit.
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(too_slow(limit));
            }
            // (It is normally ending already: its output closes as it exits.)
            Ok(None) => std::thread::sleep(Duration::from_micros(200)),
            Err(_) => return Err(damaged("读取程序出错")),
        }
    };
    if status.code() == Some(i32::from(OVER_MEMORY_EXIT)) {
        return Err(too_big());
    }
    if !status.success() {
        return Err(damaged("读取程序异常退出"));
    }
    serde_json::from_slice(&bytes).map_err(|_| damaged("读取程序的结果不完整"))
}

fn on_thread(path: &Path, wanted: Option<&str>) -> Result<Answer, String> {
    let limit = limit();
    let (sender, receiver) = mpsc::channel();
    let owned = path.to_owned();
    let wanted = wanted.map(str::to_owned);
    std::thread::spawn(move || {
        let answer = std::panic::catch_unwind(|| answer_of(&owned, wanted.as_deref()));
        let _ = sender.send(answer);
    });
    match receiver.recv_timeout(limit) {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(_)) => Err(damaged("表格读取程序出错")),
        // The thread is left to finish on its own; it holds nothing of the caller's.
        Err(_) => Err(too_slow(limit)),
    }
}
