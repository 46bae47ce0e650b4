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
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::sheet::{Chosen, Sink};
use super::table::Row;
use super::{ImportError, Source};

/// The first argument that makes jixiao read one workbook and print its rows.
pub const WORKER_ARG: &str = "--jixiao-read-workbook";

/// How long a workbook may take to read before it is given up.
const DEFAULT_LIMIT: Duration = Duration::from_secs(30);

/// What a file of a few kilobytes is given: reading one takes milliseconds.
const SMALL_FILE_LIMIT: Duration = Duration::from_secs(5);

/// The worker's exit when jixiao is gone: nobody is left to read what it reads.
const PARENT_GONE_EXIT: i32 = 5;

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
/// How long the reader may take for the file at `path`: a few seconds for a small file,
/// a second more per megabyte, never more than [`DEFAULT_LIMIT`] (the backstop, not the
/// answer: a reader that loops is a bug to fix, as vendor/calamine does). Tests set
/// their own with `JIXIAO_READ_LIMIT_MS`.
fn limit(path: &Path) -> Duration {
    if let Some(ms) = std::env::var("JIXIAO_READ_LIMIT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    let megabytes = std::fs::metadata(path).map_or(0, |m| m.len() / 1_000_000);
    (SMALL_FILE_LIMIT + Duration::from_secs(megabytes)).min(DEFAULT_LIMIT)
}

/// What the worker writes, one JSON line per piece, as it reads: each sheet's rows as
/// they are complete, then how it ended. (The owned form, read by jixiao, is [`Piece`].)
#[derive(Serialize)]
enum PieceOut<'a> {
    Sheet,
    Row(usize, &'a [String]),
    Restart,
    Forget(usize),
    Done(&'a Chosen),
    Refused(&'a str),
}

/// A line of the worker's output as jixiao reads it back.
#[derive(Deserialize)]
enum Piece {
    Sheet,
    Row(usize, Vec<String>),
    Restart,
    Forget(usize),
    Done(Chosen),
    Refused(String),
}

/// The worker's [`Sink`]: the pieces go out as they come, 8 KB at a time, so jixiao
/// reads the rows while the rest of the sheet is being read.
struct Sender<W: Write> {
    out: std::io::BufWriter<W>,
    failed: bool,
}

impl<W: Write> Sender<W> {
    fn new(out: W) -> Self {
        Self {
            out: std::io::BufWriter::new(out),
            failed: false,
        }
    }

    fn send(&mut self, piece: &PieceOut) {
        if self.failed {
            return;
        }
        self.failed = serde_json::to_writer(&mut self.out, piece)
            .map_err(std::io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"))
            .is_err();
    }
}

impl<W: Write + Send> Sink for Sender<W> {
    fn sheet(&mut self) {
        self.send(&PieceOut::Sheet);
    }
    fn row(&mut self, row: &Row) {
        self.send(&PieceOut::Row(row.number, &row.cells));
    }
    fn restart(&mut self) {
        self.send(&PieceOut::Restart);
    }
    fn forget(&mut self, index: usize) {
        self.send(&PieceOut::Forget(index));
    }
}

/// The rows jixiao has taken from the worker, by sheet; a sheet that is not needed is
/// let go at once. When a table is wanted, each sheet is read as a table as its rows
/// come, while the worker reads on, and the rows are let go: once it is done, building
/// the tree is what is left (and, in a table with several block labels, reading the
/// rows once more).
#[derive(Default)]
struct Taken {
    sheets: Vec<Option<Source>>,
    tables: bool,
}

impl Taken {
    fn take(&mut self, piece: Piece) -> Option<Answer> {
        match piece {
            Piece::Sheet => self.sheets.push(Some(Source::of_rows(Vec::new()))),
            Piece::Row(number, cells) => {
                if let Some(Some(sheet)) = self.sheets.last_mut() {
                    let mut row = Row { number, cells };
                    if self.tables {
                        let shortened = super::shorten_long_cells(std::slice::from_mut(&mut row));
                        sheet.shortened.extend(shortened);
                        sheet.reading.push(&row);
                    } else {
                        sheet.rows.push(row);
                    }
                }
            }
            Piece::Restart => {
                if let Some(Some(sheet)) = self.sheets.last_mut() {
                    *sheet = Source::of_rows(Vec::new());
                }
            }
            Piece::Forget(index) => {
                if let Some(sheet) = self.sheets.get_mut(index) {
                    *sheet = None;
                }
            }
            Piece::Done(chosen) => {
                let sheet = chosen
                    .sheet
                    .and_then(|index| self.sheets.get_mut(index))
                    .and_then(Option::take)
                    .unwrap_or_else(|| Source::of_rows(Vec::new()));
                return Some(Ok(Source {
                    label: chosen.label,
                    others: chosen.others,
                    ..sheet
                }));
            }
            Piece::Refused(message) => return Some(Err(message)),
        }
        None
    }
}

/// The chosen sheet's rows, as the import reads them.
fn source(chosen: Chosen, rows: Vec<Row>) -> Source {
    Source {
        label: chosen.label,
        others: chosen.others,
        ..Source::of_rows(rows)
    }
}

/// The reader in this process keeps the rows itself: what it is given goes nowhere.
struct Nowhere;

impl Sink for Nowhere {
    fn sheet(&mut self) {}
    fn row(&mut self, _: &Row) {}
    fn restart(&mut self) {}
    fn forget(&mut self, _: usize) {}
}

/// If this process was started as a worker, reads the workbook its arguments name,
/// writing its rows as it goes, and ends; otherwise `None`.
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
    // When jixiao is gone (its end of the pipe closes), so is the worker: a file that
    // makes the reader loop must not keep a core busy for ever.
    std::thread::spawn(|| {
        let mut stdin = std::io::stdin();
        let mut sink = [0u8; 64];
        loop {
            match std::io::Read::read(&mut stdin, &mut sink) {
                Ok(0) | Err(_) => std::process::exit(PARENT_GONE_EXIT),
                Ok(_) => {}
            }
        }
    });
    HELD_LIMIT.store(MEMORY_LIMIT, Ordering::Relaxed);
    let mut sender = Sender::new(std::io::stdout());
    let read = super::sheet::rows_of(&path, wanted.as_deref(), &mut sender);
    match &read {
        Ok((chosen, _)) => sender.send(&PieceOut::Done(chosen)),
        Err(err) => sender.send(&PieceOut::Refused(&err.to_string())),
    }
    // The answer goes out before anything else is done: the rows read are never freed
    // one by one, but go back to the system with the worker (exiting runs no destructors).
    let written = !sender.failed && sender.out.flush().is_ok();
    std::process::exit(if written { 0 } else { 3 })
}

/// The rows of the workbook at `path` (of the sheet `wanted`, or the one holding the
/// indicator table), read where a faulty reader cannot harm jixiao.
pub(crate) fn rows_of(path: &Path, wanted: Option<&str>) -> Result<Source, ImportError> {
    read(path, wanted, false)
}

/// As [`rows_of`], for an indicator table: the rows are read as a table as they come.
pub(crate) fn table_of(path: &Path, wanted: Option<&str>) -> Result<Source, ImportError> {
    read(path, wanted, true)
}

fn read(path: &Path, wanted: Option<&str>, tables: bool) -> Result<Source, ImportError> {
    let answer = match WORKER.get() {
        Some(program) => in_worker(program, path, wanted, tables),
        None => on_thread(path, wanted),
    };
    match answer {
        Ok(Ok(source)) => Ok(source),
        Ok(Err(message)) => Err(ImportError::Reader { message }),
        Err(reason) => Err(ImportError::Workbook {
            path: path.to_owned(),
            reason,
        }),
    }
}

/// The chosen sheet (its rows, or their reading as a table), or the reason the reader
/// refused the file.
type Answer = Result<Source, String>;

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

fn in_worker(
    program: &Path,
    path: &Path,
    wanted: Option<&str>,
    tables: bool,
) -> Result<Answer, String> {
    let limit = limit(path);
    let mut command = Command::new(program);
    command
        .arg(WORKER_ARG)
        .arg(path)
        .args(wanted)
        // The worker's lifeline: it ends when this pipe closes, which the system does
        // when jixiao ends, however it ends (closed, killed, crashed), on every system.
        .stdin(Stdio::piped())
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
    // Held until the answer is taken; dropping it tells the worker it may end.
    let _lifeline = child.stdin.take();
    let Some(stdout) = child.stdout.take() else {
        let _ = child.kill();
        return Err(damaged("无法启动读取程序"));
    };
    // The rows are taken in on a thread as the worker writes them, while it reads on;
    // this also keeps a full pipe from stalling the worker.
    let (sender, receiver) = mpsc::channel();
    // (The rows are read as a table there too: that reading's fault is this file's
    // failure, not jixiao's.)
    std::thread::spawn(move || {
        let taken =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| take_pieces(stdout, tables)));
        let _ = sender.send(taken);
    });
    // The answer is complete when the worker says how it ended (or closes its output
    // without saying it); waiting for that, rather than looking at the worker every few
    // milliseconds, takes the answer the moment it is there.
    let started = Instant::now();
    let outcome = match receiver.recv_timeout(limit) {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(_)) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(damaged("表格读取程序出错"));
        }
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(too_slow(limit));
        }
    };
    // A worker that has said how it ended has nothing more to say: it is left to end
    // (and is reaped) on a thread of its own. (A worker stopped at the memory limit
    // never gets that far.)
    if let Some(outcome) = outcome {
        std::thread::spawn(move || child.wait());
        return Ok(outcome);
    }
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
    Err(damaged("读取程序的结果不完整"))
}

/// Reads the worker's pieces until it says how it ended: the chosen sheet (its rows, or
/// their reading as a table) or its refusal; `None` when its output broke off or was
/// not what a worker writes.
fn take_pieces(output: impl Read, tables: bool) -> Option<Answer> {
    let mut taken = Taken {
        tables,
        ..Taken::default()
    };
    let mut output = std::io::BufReader::with_capacity(64 * 1024, output);
    let mut line = Vec::new();
    loop {
        line.clear();
        if !matches!(output.read_until(b'\n', &mut line), Ok(1..)) {
            break;
        }
        let Ok(piece) = serde_json::from_slice::<Piece>(&line) else {
            break;
        };
        if let Some(answer) = taken.take(piece) {
            return Some(answer);
        }
    }
    None
}

fn on_thread(path: &Path, wanted: Option<&str>) -> Result<Answer, String> {
    let limit = limit(path);
    let (sender, receiver) = mpsc::channel();
    let owned = path.to_owned();
    let wanted = wanted.map(str::to_owned);
    std::thread::spawn(move || {
        let answer = std::panic::catch_unwind(|| {
            super::sheet::rows_of(&owned, wanted.as_deref(), &mut Nowhere)
                .map(|(chosen, rows)| source(chosen, rows))
                .map_err(|err| err.to_string())
        });
        let _ = sender.send(answer);
    });
    match receiver.recv_timeout(limit) {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(_)) => Err(damaged("表格读取程序出错")),
        // The thread is left to finish on its own; it holds nothing of the caller's.
        Err(_) => Err(too_slow(limit)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::parse_rows;
    use crate::model::MAX_TEXT_CHARS;

    fn row(number: usize, cells: &[&str]) -> Row {
        Row::of(number, cells)
    }

    /// What a worker writes for a workbook of one sheet, the table, with these rows.
    fn one_sheet(rows: &[Row]) -> Vec<u8> {
        let mut sender = Sender::new(Vec::new());
        sender.sheet();
        for row in rows {
            sender.row(row);
        }
        let chosen = Chosen {
            sheet: Some(0),
            label: String::new(),
            others: Vec::new(),
        };
        sender.send(&PieceOut::Done(&chosen));
        sender.out.into_inner().unwrap()
    }

    /// What a worker writes for: a sheet without a header (kept as the first), a second
    /// one let go, and a third that is the table, read out of order once.
    fn worker_output() -> Vec<u8> {
        let mut sender = Sender::new(Vec::new());
        sender.sheet();
        sender.row(&row(1, &["说明"]));
        sender.sheet();
        sender.row(&row(1, &["附表"]));
        sender.forget(1);
        sender.sheet();
        sender.row(&row(1, &["一级指标", "分值"]));
        sender.row(&row(3, &["过程", "20"]));
        sender.restart();
        sender.row(&row(1, &["一级指标", "分值"]));
        sender.row(&row(2, &["决策", "10"]));
        sender.row(&row(3, &["过程", "20"]));
        let chosen = Chosen {
            sheet: Some(2),
            label: "工作表“评分表”".to_owned(),
            others: vec!["工作表“说明”（没有指标表头）".to_owned()],
        };
        sender.send(&PieceOut::Done(&chosen));
        sender.out.into_inner().unwrap()
    }

    #[test]
    fn the_rows_of_the_chosen_sheet_are_taken_from_the_worker_as_it_writes_them() {
        let source = take_pieces(worker_output().as_slice(), false)
            .unwrap()
            .unwrap();
        assert_eq!(
            source.rows,
            [
                row(1, &["一级指标", "分值"]),
                row(2, &["决策", "10"]),
                row(3, &["过程", "20"])
            ]
        );
        assert_eq!(source.label, "工作表“评分表”");
        assert_eq!(source.others, ["工作表“说明”（没有指标表头）"]);
        assert_eq!(source.reading.rows_read(), 0);
    }

    #[test]
    fn a_table_read_as_its_rows_come_is_the_table_read_at_once() {
        let source = take_pieces(worker_output().as_slice(), true)
            .unwrap()
            .unwrap();
        // Read, and let go, before the worker was done, the rows given again after a
        // restart among them.
        assert_eq!(source.reading.rows_read(), 3);
        assert!(source.rows.is_empty());
        let doc = source.reading.finish("x").unwrap().doc;
        let names: Vec<String> = doc.indicators.iter().map(|n| n.name.clone()).collect();
        assert_eq!(names, ["决策", "过程"]);
        let rows = [
            row(1, &["一级指标", "分值"]),
            row(2, &["决策", "10"]),
            row(3, &["过程", "20"]),
        ];
        assert_eq!(doc, parse_rows(&rows, "x").unwrap().doc);
    }

    #[test]
    fn every_table_layout_read_as_its_rows_come_is_the_layout_read_at_once() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/layouts");
        let mut compared = 0;
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "csv") {
                continue;
            }
            let rows =
                crate::import::text::rows_of(std::fs::read(&path).unwrap(), usize::MAX).unwrap();
            let output = one_sheet(&rows);
            let source = take_pieces(output.as_slice(), true).unwrap().unwrap();
            let streamed = source.reading.finish("x").unwrap();
            let at_once = parse_rows(&rows, "x").unwrap();
            assert_eq!(streamed.doc, at_once.doc, "{}", path.display());
            assert_eq!(streamed.report, at_once.report, "{}", path.display());
            compared += 1;
        }
        // Among them two block labels (1-hubei-two-goals), whose rows are read twice.
        assert!(compared >= 10, "{compared}");
    }

    #[test]
    fn a_long_cell_in_a_table_read_as_its_rows_come_is_shortened_and_said_so() {
        let long = "长".repeat(MAX_TEXT_CHARS + 5);
        let output = one_sheet(&[
            row(1, &["一级指标", "分值", "扣分理由"]),
            row(2, &["决策", "10", &long]),
        ]);
        let source = take_pieces(output.as_slice(), true).unwrap().unwrap();
        assert_eq!(
            source.shortened,
            [format!(
                "第 2 行第 3 列有 {} 个字，只保留了前 {MAX_TEXT_CHARS} 个字",
                MAX_TEXT_CHARS + 5
            )]
        );
        let doc = source.reading.finish("x").unwrap().doc;
        assert_eq!(
            doc.indicators[0].scoring.reason.chars().count(),
            MAX_TEXT_CHARS
        );
    }

    #[test]
    fn a_worker_that_stops_writing_midway_gives_no_rows() {
        let output = worker_output();
        for cut in [0, output.len() / 2, output.len() - 2] {
            assert!(take_pieces(&output[..cut], true).is_none(), "cut at {cut}");
        }
    }

    #[test]
    fn a_refusal_is_passed_on_in_its_own_words() {
        let mut sender = Sender::new(Vec::new());
        sender.send(&PieceOut::Refused("文件设有密码"));
        let output = sender.out.into_inner().unwrap();
        let answer = take_pieces(output.as_slice(), true).unwrap();
        assert!(matches!(answer, Err(message) if message == "文件设有密码"));
    }
}
