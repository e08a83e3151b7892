//! `vouch lsp`: a language server over stdio.
//!
//! The main loop owns the protocol: it keeps the open documents, debounces edits and
//! answers requests. Analysis runs on one worker thread so a slow file never delays
//! answers to the editor; the worker publishes diagnostics itself, and only for the
//! version of a document that is still current, so an old analysis finishing late cannot
//! overwrite a newer one (or resurrect diagnostics of a closed file).

pub mod convert;
pub mod text;
pub mod transport;

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, MessageType, PositionEncodingKind, PublishDiagnosticsParams,
    SaveOptions, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde_json::{Value, json};

use crate::config::{Config, RuleFilter};
use crate::driver::{DriverOptions, Setup};
use crate::ir::Language;
use crate::rules::catalog::Catalog;
use convert::{Analyzed, Item};
use text::{Encoding, LineMap};

/// How long the text must stay unchanged before it is analyzed: long enough to skip the
/// intermediate states of a burst of typing, short enough to feel immediate.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// The debounce in force: `VOUCH_LSP_DEBOUNCE_MS` when set (0 for latency measurements,
/// `scripts/lsp_latency.py`), else [`DEBOUNCE`].
fn debounce() -> Duration {
    std::env::var("VOUCH_LSP_DEBOUNCE_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(DEBOUNCE, Duration::from_millis)
}

/// The analysis recurses over nested code; like the driver's workers, the analysis thread
/// gets a large stack so a deeply nested buffer cannot overflow it.
const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs the server on stdin/stdout until the client says `exit`; returns the exit code.
pub fn run_stdio() -> i32 {
    let (conn, writer) = match transport::stdio() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("vouch lsp: cannot start: {e}");
            return crate::cli::EXIT_ERROR;
        }
    };
    let code = match serve(&conn) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("vouch lsp: {e}");
            1
        }
    };
    // The writer stops once the last sender is gone; waiting for it flushes the final
    // responses (the shutdown reply) before the process exits.
    drop(conn);
    let _ = writer.join();
    code
}

/// Speaks the protocol on `conn` from `initialize` to `exit`. Returns 0 after a proper
/// `shutdown` then `exit`, 1 when the client exits without shutting down or goes away (as
/// the protocol asks); `Err` when the session never got initialized.
pub fn serve(conn: &Connection) -> Result<i32, String> {
    let (id, params) = wait_for_initialize(conn)?;
    let offered: Vec<PositionEncodingKind> = params
        .pointer("/capabilities/general/positionEncodings")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| PositionEncodingKind::from(s.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let enc = Encoding::negotiate(&offered);
    let result = json!({
        "capabilities": capabilities(enc),
        "serverInfo": { "name": "vouch", "version": env!("CARGO_PKG_VERSION") },
    });
    // `initialized` is handled (ignored) by the main loop rather than demanded here, so a
    // client that skips it still gets a working server.
    let _ = conn.sender.send(Response::new_ok(id, result).into());

    let shared = Arc::new(Shared {
        docs: Mutex::new(HashMap::new()),
        enc,
        root: workspace_root(&params),
    });
    let (jobs, jobs_rx) = mpsc::channel::<Job>();
    let worker = {
        let shared = shared.clone();
        let tx = conn.sender.clone();
        thread::Builder::new()
            .name("vouch-lsp-analysis".into())
            .stack_size(WORKER_STACK_BYTES)
            .spawn(move || {
                let mut worker = Worker {
                    shared,
                    shown_errors: HashSet::new(),
                    logged_notes: HashMap::new(),
                    setup: None,
                    workspace: None,
                };
                while let Ok(first) = jobs_rx.recv() {
                    // Everything queued meanwhile: only the newest job per document matters.
                    let mut batch = vec![first];
                    batch.extend(jobs_rx.try_iter());
                    for job in latest_per_document(batch) {
                        // A failed send means the client is gone; the main loop ends the
                        // session, which closes the job channel and so this loop. A panic
                        // (a bug) costs this one analysis, not the session's diagnostics.
                        let mut send = |msg| {
                            let _ = tx.send(msg);
                        };
                        let ran = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            worker.run(&job, &mut send)
                        }));
                        if ran.is_err() {
                            send(log(
                                MessageType::ERROR,
                                "window/logMessage",
                                format!(
                                    "vouch: internal error analyzing {}, please report",
                                    job.uri.as_str()
                                ),
                            ));
                        }
                    }
                }
            })
            .map_err(|e| format!("cannot start the analysis thread: {e}"))?
    };
    let mut server = Server {
        conn,
        shared,
        jobs: Some(jobs),
        pending: HashMap::new(),
        shut_down: false,
        debounce: debounce(),
    };
    let code = server.main_loop();
    // Closing the job channel ends the worker after its current analysis.
    server.jobs = None;
    let _ = worker.join();
    Ok(code)
}

/// The `initialize` request. Written out rather than lsp-server's `initialize_start`, which
/// unwraps its sends: here nothing the client does (or fails to do) can panic.
fn wait_for_initialize(conn: &Connection) -> Result<(RequestId, Value), String> {
    loop {
        match conn.receiver.recv() {
            Ok(Message::Request(req)) if req.method == "initialize" => {
                return Ok((req.id, req.params));
            }
            Ok(Message::Request(req)) => {
                let resp = Response::new_err(
                    req.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the first request must be `initialize`".into(),
                );
                let _ = conn.sender.send(resp.into());
            }
            Ok(Message::Notification(n)) if n.method == "exit" => {
                return Err("the client exited before initializing".into());
            }
            // Notifications before `initialize` are dropped, as the protocol says.
            Ok(_) => {}
            Err(_) => return Err("the client went away before initializing".into()),
        }
    }
}

fn capabilities(enc: Encoding) -> Value {
    let caps = ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    serde_json::to_value(caps).unwrap_or_default()
}

/// The first workspace folder (or the root URI), where configuration for documents that
/// are not files (unsaved buffers) is looked up.
fn workspace_root(params: &Value) -> Option<PathBuf> {
    let uri = params
        .pointer("/workspaceFolders/0/uri")
        .or_else(|| params.get("rootUri"))
        .and_then(Value::as_str)?;
    file_path_of(uri)
}

/// The local path of a `file:` URI (percent-decoded); `None` for other schemes.
pub fn file_path_of(uri: &str) -> Option<PathBuf> {
    let (scheme, rest) = uri.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    // `file:///p`, `file://host/p` and `file:/p` all name `/p`; the host is ignored.
    let rest = match rest.strip_prefix("//") {
        Some(r) => &r[r.find('/')?..],
        None => rest,
    };
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let decoded = percent_decode(rest)?;
    // Windows drive paths arrive as `/C:/...`.
    let b = decoded.as_bytes();
    if cfg!(windows) && b.len() >= 3 && b[0] == b'/' && b[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// State shared by the main loop and the analysis thread.
struct Shared {
    docs: Mutex<HashMap<Uri, Doc>>,
    enc: Encoding,
    root: Option<PathBuf>,
}

impl Shared {
    /// A panic elsewhere while holding the lock leaves the map usable (each update is a
    /// single insert or remove), so a poisoned lock is taken over rather than propagated.
    fn docs(&self) -> MutexGuard<'_, HashMap<Uri, Doc>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct Doc {
    version: i32,
    text: Arc<str>,
    language_id: String,
    /// The latest analysis published for this document (possibly of an older version).
    analyzed: Option<Arc<Analyzed>>,
}

struct Job {
    uri: Uri,
    version: i32,
    text: Arc<str>,
    language_id: String,
}

fn latest_per_document(batch: Vec<Job>) -> Vec<Job> {
    let mut out: Vec<Job> = Vec::new();
    for job in batch {
        match out.iter_mut().find(|j| j.uri == job.uri) {
            Some(slot) => *slot = job,
            None => out.push(job),
        }
    }
    out
}

fn publish(uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Message {
    Notification::new(
        "textDocument/publishDiagnostics".into(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
    .into()
}

fn log(kind: MessageType, method: &str, message: String) -> Message {
    Notification::new(method.into(), json!({ "type": kind, "message": message })).into()
}

struct Worker {
    shared: Arc<Shared>,
    /// Configuration errors already shown to the user: one pop-up per error, not per edit.
    shown_errors: HashSet<String>,
    /// The notes last logged per document: logged again only when they change, so a
    /// syntax error does not fill the log on every pause in typing.
    logged_notes: HashMap<Uri, Vec<String>>,
    /// The last setup and what it was made from (see `setup_for`).
    setup: Option<(String, Arc<Setup>)>,
    /// The project of the workspace root, with the modules lowered so far.
    workspace: Option<(PathBuf, crate::driver::Workspace)>,
}

impl Worker {
    /// Analyzes one job; `send` delivers messages to the client.
    fn run(&mut self, job: &Job, send: &mut dyn FnMut(Message)) {
        let current = |docs: &HashMap<Uri, Doc>| {
            docs.get(&job.uri)
                .is_some_and(|d| d.version == job.version && d.text == job.text)
        };
        if !current(&self.shared.docs()) {
            return;
        }
        let mut logs = Vec::new();
        let clock = Instant::now();
        let analyzed = self.analyze(job, &mut logs);
        if std::env::var_os("VOUCH_DEBUG_CACHE").is_some() {
            eprintln!("vouch: lsp: analyzed in {} ms", clock.elapsed().as_millis());
        }
        logs.into_iter().for_each(&mut *send);
        let enc = self.shared.enc;
        // Checked and sent under the lock: `didChange` and `didClose` update the map under
        // it too, so diagnostics of an outdated text or a closed file are never sent after
        // the newer state.
        let mut docs = self.shared.docs();
        if current(&docs)
            && let Some(doc) = docs.get_mut(&job.uri)
        {
            let diagnostics = analyzed.diagnostics(&job.uri, enc);
            doc.analyzed = Some(Arc::new(analyzed));
            send(publish(job.uri.clone(), diagnostics, Some(job.version)));
        }
    }

    /// The setup for a document: the configuration is looked up again every time (cheap,
    /// and an edit to it must count), the rules are loaded again only when the
    /// configuration or a rule file it names changed.
    fn setup_for(&mut self, start: &Path) -> Result<Arc<Setup>, miette::Report> {
        let config = crate::config::resolve(None, start)?;
        let stamps: Vec<_> = config
            .rules_paths()
            .iter()
            .chain(config.file.iter())
            .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            .collect();
        let key = format!("{config:?}{stamps:?}");
        if let Some((k, setup)) = &self.setup
            && *k == key
        {
            return Ok(setup.clone());
        }
        let setup = Arc::new(Setup::from_config(config, &[], &[])?);
        self.setup = Some((key, setup.clone()));
        Ok(setup)
    }

    /// The project a document on disk belongs to: the files under the editor's workspace
    /// root, found once (again when a document is not among them: a new file). `None`
    /// outside the root or without one: the document is analysed on its own.
    fn workspace_for(&mut self, path: &Path, setup: &Setup) -> Option<&crate::driver::Workspace> {
        let root = self.shared.root.clone()?;
        if !path.starts_with(&root) {
            return None;
        }
        let name = path.to_string_lossy();
        let stale = match &self.workspace {
            Some((r, ws)) => *r != root || !ws.contains(&name),
            None => true,
        };
        if stale {
            let found =
                crate::discover::discover(std::slice::from_ref(&root), &setup.excludes, false)
                    .ok()?;
            let paths = found
                .files
                .iter()
                .map(|p| crate::discover::display(p))
                .collect();
            self.workspace = Some((root, crate::driver::Workspace::new(paths)));
        }
        self.workspace.as_ref().map(|(_, ws)| ws)
    }

    fn analyze(&mut self, job: &Job, out: &mut Vec<Message>) -> Analyzed {
        let path = file_path_of(job.uri.as_str());
        let report_path = match &path {
            Some(p) => p.to_string_lossy().into_owned(),
            None => job
                .uri
                .as_str()
                .rsplit(['/', ':'])
                .next()
                .unwrap_or("untitled")
                .to_string(),
        };
        let language = crate::lower::language_of(&report_path);
        let mut analyzed = Analyzed {
            version: job.version,
            text: job.text.clone(),
            bom: if job.text.starts_with('\u{feff}') {
                '\u{feff}'.len_utf8()
            } else {
                0
            },
            items: Vec::new(),
            comment: if language == Some(Language::Rust) {
                "//"
            } else {
                "#"
            },
        };
        // Only Python and Rust are analyzed; other documents a client sends get nothing.
        if language.is_none() && job.language_id != "python" {
            return analyzed;
        }
        let start = path
            .clone()
            .or_else(|| self.shared.root.clone())
            .unwrap_or_else(|| PathBuf::from("."));
        let clock = Instant::now();
        let setup = match self.setup_for(&start) {
            Ok(s) => s,
            Err(e) => {
                let text = format!("vouch: configuration error: {e}");
                if self.shown_errors.insert(text.clone()) {
                    let detail = crate::report::human::render_diagnostic(&*e, false, 100);
                    out.push(log(MessageType::ERROR, "window/showMessage", text));
                    out.push(log(MessageType::ERROR, "window/logMessage", detail));
                }
                // The built-in rules still apply: a typo in the config should not turn the
                // editor's checking off.
                match default_setup(&start) {
                    Some(s) => Arc::new(s),
                    None => return analyzed,
                }
            }
        };
        if let Some(p) = &path
            && setup.excludes.is_excluded_with_parents(p, false)
        {
            return analyzed;
        }
        if std::env::var_os("VOUCH_DEBUG_CACHE").is_some() {
            eprintln!("vouch: lsp: setup in {} ms", clock.elapsed().as_millis());
        }
        let checked = match path.as_deref().and_then(|p| self.workspace_for(p, &setup)) {
            Some(ws) => setup.check_in_workspace(ws, &report_path, &job.text),
            None => setup.check_text(&report_path, &job.text),
        };
        if self.logged_notes.get(&job.uri) != Some(&checked.report.notes) {
            for note in &checked.report.notes {
                out.push(log(
                    MessageType::LOG,
                    "window/logMessage",
                    format!("vouch: {report_path}: {note}"),
                ));
            }
            self.logged_notes
                .insert(job.uri.clone(), checked.report.notes.clone());
        }
        analyzed.items = checked
            .report
            .findings
            .into_iter()
            .map(|finding| {
                let refs = setup
                    .catalog
                    .get(&finding.rule)
                    .map(|r| r.references.as_slice())
                    .unwrap_or(&[]);
                Item {
                    link: convert::link_for(&finding, refs),
                    finding,
                }
            })
            .collect();
        analyzed
    }
}

/// Built-in rules and default settings, for when the configuration cannot be used.
fn default_setup(start: &Path) -> Option<Setup> {
    let root = if start.is_dir() {
        start.to_path_buf()
    } else {
        start.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let config = Config::empty(root);
    let catalog = Catalog::builtin().ok()?;
    let filter = RuleFilter::new(&config, &[], &[]).ok()?;
    let excludes = config.excludes().ok()?;
    Some(Setup {
        config,
        catalog,
        excludes,
        options: DriverOptions {
            filter,
            ..DriverOptions::default()
        },
    })
}

struct Server<'a> {
    conn: &'a Connection,
    shared: Arc<Shared>,
    /// `None` once the loop is over, which ends the worker.
    jobs: Option<mpsc::Sender<Job>>,
    /// Documents edited and not yet analyzed, with the time they become due.
    pending: HashMap<Uri, Instant>,
    shut_down: bool,
    /// How long an edited document must stay unchanged before it is analysed.
    debounce: Duration,
}

impl Server<'_> {
    fn main_loop(&mut self) -> i32 {
        loop {
            let next = self.pending.values().min().copied();
            let msg = match next {
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    match self.conn.receiver.recv_timeout(wait) {
                        Ok(m) => Some(m),
                        Err(e) if e.is_timeout() => None,
                        Err(_) => return self.gone(),
                    }
                }
                None => match self.conn.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return self.gone(),
                },
            };
            match msg {
                Some(Message::Request(req)) => self.on_request(req),
                Some(Message::Notification(n)) if n.method == "exit" => return self.gone(),
                Some(Message::Notification(n)) => self.on_notification(n),
                Some(Message::Response(_)) | None => {}
            }
            self.dispatch_due();
        }
    }

    /// The exit code when the client closes the connection without `exit`: as after `exit`,
    /// success only if it had asked for a shutdown.
    fn gone(&self) -> i32 {
        if self.shut_down { 0 } else { 1 }
    }

    fn send(&self, msg: Message) {
        // A send fails only when the client is gone; the loop notices on its next receive.
        let _ = self.conn.sender.send(msg);
    }

    fn respond_err(&self, id: RequestId, code: ErrorCode, message: String) {
        self.send(Response::new_err(id, code as i32, message).into());
    }

    fn on_request(&mut self, req: Request) {
        if self.shut_down {
            self.respond_err(
                req.id,
                ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            );
            return;
        }
        match req.method.as_str() {
            "initialize" => self.respond_err(
                req.id,
                ErrorCode::InvalidRequest,
                "the server is already initialized".into(),
            ),
            "shutdown" => {
                self.shut_down = true;
                self.send(Response::new_ok(req.id, ()).into());
            }
            "textDocument/codeAction" => {
                let id = req.id.clone();
                match serde_json::from_value::<CodeActionParams>(req.params) {
                    Ok(p) => {
                        let actions = self.code_actions(&p);
                        self.send(Response::new_ok(id, actions).into());
                    }
                    Err(e) => self.respond_err(
                        id,
                        ErrorCode::InvalidParams,
                        format!("invalid codeAction params: {e}"),
                    ),
                }
            }
            other => self.respond_err(
                req.id,
                ErrorCode::MethodNotFound,
                format!("vouch does not handle `{other}`"),
            ),
        }
    }

    fn code_actions(&self, p: &CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        if !convert::wants_quickfix(p.context.only.as_deref()) {
            return Vec::new();
        }
        let uri = &p.text_document.uri;
        let docs = self.shared.docs();
        let Some(doc) = docs.get(uri) else {
            return Vec::new();
        };
        // Fixes are byte edits into the analyzed text: offered only when that is the text
        // the editor has now.
        let analyzed = doc
            .analyzed
            .as_deref()
            .filter(|a| a.version == doc.version && a.text == doc.text);
        let comment = doc.analyzed.as_deref().map_or("#", |a| a.comment);
        convert::code_actions(
            uri,
            &doc.text,
            comment,
            analyzed,
            &p.context.diagnostics,
            p.range,
            self.shared.enc,
        )
    }

    fn on_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    self.shared.docs().insert(
                        d.uri.clone(),
                        Doc {
                            version: d.version,
                            text: Arc::from(d.text),
                            language_id: d.language_id,
                            analyzed: None,
                        },
                    );
                    self.schedule(d.uri, Instant::now());
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    let enc = self.shared.enc;
                    let mut docs = self.shared.docs();
                    let Some(doc) = docs.get_mut(&uri) else {
                        return;
                    };
                    let mut text = doc.text.to_string();
                    for change in p.content_changes {
                        match change.range {
                            // We ask for full sync, but applying a ranged change costs
                            // little and keeps a client that sends them in step.
                            Some(r) => {
                                let map = LineMap::new(&text);
                                let start = map.offset(r.start, enc);
                                let end = map.offset(r.end, enc).max(start);
                                text.replace_range(start..end, &change.text);
                            }
                            None => text = change.text,
                        }
                    }
                    doc.text = Arc::from(text);
                    doc.version = p.text_document.version;
                    drop(docs);
                    self.schedule(uri, Instant::now() + self.debounce);
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    if let Some(text) = p.text
                        && let Some(doc) = self.shared.docs().get_mut(&uri)
                    {
                        doc.text = Arc::from(text);
                    }
                    // Saving can change what the analysis sees besides the text (a config
                    // file next to it), so the saved document is analyzed again now.
                    self.schedule(uri, Instant::now());
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.pending.remove(&uri);
                    let mut docs = self.shared.docs();
                    docs.remove(&uri);
                    // Sent under the lock so a late analysis cannot publish after it.
                    self.send(publish(uri, Vec::new(), None));
                    drop(docs);
                }
            }
            transport::MALFORMED => {
                if let Some(id) = n
                    .params
                    .get("id")
                    .and_then(|v| serde_json::from_value::<RequestId>(v.clone()).ok())
                {
                    let why = n.params.get("error").and_then(Value::as_str).unwrap_or("");
                    self.respond_err(
                        id,
                        ErrorCode::InvalidRequest,
                        format!("malformed request: {why}"),
                    );
                }
            }
            // `initialized`, `$/cancelRequest` (every answer is immediate), configuration
            // changes and anything else need no action.
            _ => {}
        }
    }

    fn schedule(&mut self, uri: Uri, due: Instant) {
        self.pending.insert(uri, due);
    }

    /// Hands every document whose quiet period is over to the analysis thread.
    fn dispatch_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .pending
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.pending.remove(&uri);
            let job = self.shared.docs().get(&uri).map(|d| Job {
                uri: uri.clone(),
                version: d.version,
                text: d.text.clone(),
                language_id: d.language_id.clone(),
            });
            if let (Some(job), Some(jobs)) = (job, &self.jobs) {
                let _ = jobs.send(job);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            file_path_of("file:///home/u/a%20b/x.py"),
            Some(PathBuf::from("/home/u/a b/x.py"))
        );
        assert_eq!(
            file_path_of("file://localhost/x.py"),
            Some(PathBuf::from("/x.py"))
        );
        assert_eq!(file_path_of("untitled:Untitled-1"), None);
        assert_eq!(file_path_of("file:///bad%zz"), None);
    }
}
