//! `vouch lsp`: the protocol in-process over an in-memory connection, and the real binary
//! over stdio. Every wait has a timeout so a broken server fails the test instead of
//! hanging CI.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);

const DIRTY: &str = "import subprocess\nfrom flask import request\ndef main():\n    cmd = request.args[\"cmd\"]\n    subprocess.run(cmd, shell=True)\n";
const CLEAN: &str = "import subprocess\nfrom flask import request\ndef main():\n    cmd = request.args[\"cmd\"]\n    subprocess.run([cmd])\n";
/// The flagged call after non-ASCII text on the same line: `é` is 2 UTF-8 bytes and 1
/// UTF-16 unit, `😀` 4 bytes and 2 units, so UTF-8 columns are 3 larger after them.
const NON_ASCII: &str = "import subprocess\nfrom flask import request\ndef main():\n    cmd = request.args[\"cmd\"]\n    x = 'é😀'; subprocess.run(cmd, shell=True)\n";

struct Client {
    conn: Connection,
    server: Option<thread::JoinHandle<Result<i32, String>>>,
    next_id: i32,
    dir: tempfile::TempDir,
}

impl Client {
    /// Starts a server thread and initializes it, offering `encodings`.
    fn start(encodings: &[&str]) -> (Client, Value) {
        Client::start_in(encodings, false)
    }

    /// As `start`, with the temporary directory as the workspace root when `rooted`.
    fn start_in(encodings: &[&str], rooted: bool) -> (Client, Value) {
        let (server_conn, conn) = Connection::memory();
        let server = thread::spawn(move || vouch::lsp::serve(&server_conn));
        let mut c = Client {
            conn,
            server: Some(server),
            next_id: 0,
            dir: tempfile::tempdir().expect("tempdir"),
        };
        let root = rooted.then(|| format!("file://{}", c.dir.path().display()));
        let result = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": { "general": { "positionEncodings": encodings } },
            }),
        );
        c.notify("initialized", json!({}));
        (c, result)
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}/{name}", self.dir.path().display())
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .expect("send");
    }

    /// Sends a request and returns its result, skipping notifications meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.into(), params).into())
            .expect("send");
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(Message::Response(r)) if r.id == id => {
                    return r.response_result.expect("request failed");
                }
                Ok(_) => {}
                Err(e) => panic!("no response to {method}: {e}"),
            }
        }
    }

    /// The next publishDiagnostics for `uri`.
    fn diagnostics(&self, uri: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(Message::Notification(n))
                    if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri =>
                {
                    return n.params;
                }
                Ok(_) => {}
                Err(e) => panic!("no diagnostics for {uri}: {e}"),
            }
        }
    }

    /// The next notification that `pred` accepts.
    fn next_matching(&self, what: &str, pred: impl Fn(&Notification) -> bool) -> Notification {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(Message::Notification(n)) if pred(&n) => return n,
                Ok(_) => {}
                Err(e) => panic!("waiting for {what}: {e}"),
            }
        }
    }

    fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": "python", "version": 1, "text": text
            }}),
        );
    }

    fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    fn finish(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.is_null());
        self.notify("exit", Value::Null);
        let server = self.server.take().expect("server");
        let code = server.join().expect("server thread panicked");
        assert_eq!(code, Ok(0));
    }
}

fn only_code(d: &Value) -> Vec<&str> {
    d["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|x| x["code"].as_str().expect("code"))
        .collect()
}

#[test]
fn diagnostics_follow_open_change_and_close() {
    let (mut c, init) = Client::start(&["utf-8", "utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 1);
    assert_eq!(init["serverInfo"]["name"], "vouch");
    let uri = c.uri("app.py");

    c.open(&uri, DIRTY);
    let pub1 = c.diagnostics(&uri);
    assert_eq!(only_code(&pub1), ["PY-S202"], "{pub1:#}");
    let d = &pub1["diagnostics"][0];
    assert_eq!(d["range"]["start"]["line"], 4);
    assert_eq!(d["source"], "vouch");
    assert_eq!(
        d["severity"], 1,
        "an error: the command comes from the request"
    );
    let msg = d["message"].as_str().expect("message");
    assert!(msg.contains("[CWE-78"), "{msg}");
    assert!(msg.contains("fails when"), "{msg}");
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.starts_with("https://cwe.mitre.org/")),
        "{d:#}"
    );

    // Two quick edits: only the last text is analyzed (debounced), and it is clean.
    let sent = Instant::now();
    c.change(&uri, 2, DIRTY);
    c.change(&uri, 3, CLEAN);
    let gap = sent.elapsed();
    let mut pub2 = c.diagnostics(&uri);
    assert!(sent.elapsed() >= vouch::lsp::DEBOUNCE);
    if pub2["version"] == 2 {
        // Only a machine so loaded that the two sends were a debounce period apart may
        // see the first text analyzed.
        assert!(gap >= vouch::lsp::DEBOUNCE, "v2 analyzed after {gap:?}");
        pub2 = c.diagnostics(&uri);
    }
    assert_eq!(pub2["version"], 3, "{pub2:#}");
    assert!(only_code(&pub2).is_empty(), "{pub2:#}");

    // Back to the bad text: the suppression action appends the comment to line 4.
    c.change(&uri, 4, DIRTY);
    let pub3 = c.diagnostics(&uri);
    let diag = pub3["diagnostics"][0].clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": diag["range"],
            "context": { "diagnostics": [diag] },
        }),
    );
    let suppress = actions
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["title"] == "Suppress PY-S202 on this line")
        .unwrap_or_else(|| panic!("no suppression action in {actions:#}"));
    assert_eq!(suppress["kind"], "quickfix");
    let edits = &suppress["edit"]["changes"][&uri];
    assert_eq!(edits[0]["newText"], "  # vouch: ignore[PY-S202]");
    let end = "    subprocess.run(cmd, shell=True)".len();
    assert_eq!(
        edits[0]["range"]["start"],
        json!({ "line": 4, "character": end })
    );

    // Applying it silences the finding (the driver honours the comment) without an
    // unused-suppression report.
    let suppressed = DIRTY.replace("shell=True)", "shell=True)  # vouch: ignore[PY-S202]");
    c.change(&uri, 5, &suppressed);
    let pub4 = c.diagnostics(&uri);
    assert!(only_code(&pub4).is_empty(), "{pub4:#}");
    c.change(&uri, 6, DIRTY);
    assert_eq!(only_code(&c.diagnostics(&uri)), ["PY-S202"]);

    // Asking with only the range (no diagnostics in the context) finds the same action.
    let by_range = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 4, "character": 6 }, "end": { "line": 4, "character": 6 } },
            "context": { "diagnostics": [] },
        }),
    );
    assert!(
        by_range.as_array().is_some_and(|a| !a.is_empty()),
        "{by_range:#}"
    );

    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    let closed = c.diagnostics(&uri);
    assert!(only_code(&closed).is_empty());
    c.finish();
}

/// The flagged range and the suppression's insertion point on a line with non-ASCII text,
/// in the encoding the session negotiated.
fn columns(encodings: &[&str]) -> (String, u64, u64) {
    let (mut c, init) = Client::start(encodings);
    let enc = init["capabilities"]["positionEncoding"]
        .as_str()
        .expect("encoding")
        .to_string();
    let uri = c.uri("wide.py");
    c.open(&uri, NON_ASCII);
    let p = c.diagnostics(&uri);
    assert_eq!(only_code(&p), ["PY-S202"], "{p:#}");
    let diag = p["diagnostics"][0].clone();
    let start = diag["range"]["start"]["character"].as_u64().expect("col");
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": diag["range"],
            "context": { "diagnostics": [diag], "only": ["quickfix"] },
        }),
    );
    let suppress = actions
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|x| x["title"] == "Suppress PY-S202 on this line")
        })
        .unwrap_or_else(|| panic!("no suppression action in {actions:#}"));
    let eol = suppress["edit"]["changes"][&uri][0]["range"]["start"]["character"]
        .as_u64()
        .expect("edit col");
    c.finish();
    (enc, start, eol)
}

#[test]
fn columns_are_converted_to_the_negotiated_encoding() {
    let line = "    x = 'é😀'; subprocess.run(cmd, shell=True)";
    let call = line.find("subprocess").expect("call");
    let (enc8, start8, eol8) = columns(&["utf-8"]);
    assert_eq!(enc8, "utf-8");
    assert_eq!(start8 as usize, call);
    assert_eq!(eol8 as usize, line.len());
    // No `general.positionEncodings`: UTF-16, the protocol's default.
    let (enc16, start16, eol16) = columns(&[]);
    assert_eq!(enc16, "utf-16");
    assert_eq!(start16 as usize, line[..call].encode_utf16().count());
    assert_eq!(start8 - start16, 3);
    assert_eq!(eol8 - eol16, 3);
}

#[test]
fn bad_messages_get_errors_not_a_crash() {
    let (mut c, _) = Client::start(&[]);
    // Unknown method, and params of the wrong shape.
    c.next_id += 1;
    let id = RequestId::from(c.next_id);
    c.conn
        .sender
        .send(Request::new(id.clone(), "vouch/nope".into(), json!({})).into())
        .expect("send");
    c.next_id += 1;
    let id2 = RequestId::from(c.next_id);
    c.conn
        .sender
        .send(Request::new(id2.clone(), "textDocument/codeAction".into(), json!(5)).into())
        .expect("send");
    let mut errors = Vec::new();
    while errors.len() < 2 {
        match c.conn.receiver.recv_timeout(WAIT) {
            Ok(Message::Response(r)) => errors.push((r.id, r.response_result.is_err())),
            Ok(_) => {}
            Err(e) => panic!("no answer: {e}"),
        }
    }
    assert_eq!(errors, [(id, true), (id2, true)]);
    // Notifications with bad params are ignored, and the server still works.
    c.notify("textDocument/didOpen", json!({ "textDocument": 3 }));
    c.notify("textDocument/didChange", json!(null));
    let uri = c.uri("ok.py");
    c.open(&uri, DIRTY);
    assert_eq!(only_code(&c.diagnostics(&uri)), ["PY-S202"]);
    c.finish();
}

#[test]
fn requests_before_initialize_are_refused_and_exit_without_shutdown_is_code_1() {
    let (server_conn, conn) = Connection::memory();
    let server = thread::spawn(move || vouch::lsp::serve(&server_conn));
    let send = |id: i32, method: &str| {
        conn.sender
            .send(
                Request::new(
                    RequestId::from(id),
                    method.into(),
                    json!({ "capabilities": {} }),
                )
                .into(),
            )
            .expect("send");
    };
    let answer = |id: i32| loop {
        match conn.receiver.recv_timeout(WAIT) {
            Ok(Message::Response(r)) if r.id == RequestId::from(id) => break r,
            Ok(_) => {}
            Err(e) => panic!("no answer to {id}: {e}"),
        }
    };
    send(1, "textDocument/codeAction");
    let early = answer(1);
    assert_eq!(early.response_result.err().map(|e| e.code), Some(-32002));
    send(2, "initialize");
    assert!(answer(2).response_result.is_ok());
    conn.sender
        .send(Notification::new("exit".into(), Value::Null).into())
        .expect("send");
    assert_eq!(server.join().expect("server thread"), Ok(1));
}

#[test]
fn ranged_changes_are_applied_too() {
    // The server asks for full-document sync; a client that sends ranged edits anyway is
    // still kept in step.
    let (c, _) = Client::start(&[]);
    let uri = c.uri("app.py");
    c.open(&uri, CLEAN);
    assert!(only_code(&c.diagnostics(&uri)).is_empty());
    let line = "    subprocess.run([cmd])";
    let from = line.find('[').expect("[") as u32;
    let to = line.find(']').expect("]") as u32 + 1;
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{
                "range": {
                    "start": { "line": 4, "character": from },
                    "end": { "line": 4, "character": to },
                },
                "text": "cmd, shell=True",
            }],
        }),
    );
    let p = c.diagnostics(&uri);
    assert_eq!(only_code(&p), ["PY-S202"], "{p:#}");
    c.finish();
}

#[test]
fn the_configuration_next_to_the_file_applies() {
    let (c, _) = Client::start(&[]);
    std::fs::write(c.dir.path().join("vouch.toml"), "ignore = [\"PY-S202\"]\n").expect("write");
    let uri = c.uri("app.py");
    c.open(&uri, DIRTY);
    assert!(only_code(&c.diagnostics(&uri)).is_empty());

    // A broken configuration is shown to the user, and the built-in rules keep running.
    std::fs::write(c.dir.path().join("vouch.toml"), "bogus-key = 1\n").expect("write");
    c.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri } }),
    );
    let shown = c.next_matching("showMessage", |n| n.method == "window/showMessage");
    assert_eq!(shown.params["type"], 1, "an error: {shown:?}");
    assert!(
        shown.params["message"]
            .as_str()
            .is_some_and(|m| m.contains("configuration")),
        "{shown:?}"
    );
    assert_eq!(only_code(&c.diagnostics(&uri)), ["PY-S202"]);
    c.finish();
}

#[test]
fn calls_into_other_files_of_the_workspace_use_their_summaries() {
    let (c, _) = Client::start_in(&[], true);
    let pkg = c.dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("mkdir");
    std::fs::write(pkg.join("__init__.py"), "").expect("write");
    std::fs::write(
        pkg.join("helper.py"),
        "def share(total, parts):\n    return total / parts\n",
    )
    .expect("write");
    let caller = "from pkg.helper import share\n\n\ndef run():\n    return share(10, 0)\n";
    std::fs::write(pkg.join("caller.py"), caller).expect("write");
    let uri = c.uri("pkg/caller.py");
    c.open(&uri, caller);
    assert_eq!(
        only_code(&c.diagnostics(&uri)),
        ["PY-A001"],
        "the helper divides by the 0 passed here"
    );
    // The helper is fixed on disk: the next analysis of the caller sees it.
    std::fs::write(
        pkg.join("helper.py"),
        "def share(total, parts):\n    if parts == 0:\n        return 0\n    return total / parts\n",
    )
    .expect("write");
    c.change(&uri, 2, &format!("{caller}# edited\n"));
    assert!(only_code(&c.diagnostics(&uri)).is_empty());
    c.finish();
}

fn frame(v: &Value) -> Vec<u8> {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Reads frames from the server's stdout into a channel, so the test can wait with a
/// timeout.
fn read_frames(out: impl Read + Send + 'static) -> mpsc::Receiver<Value> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut r = BufReader::new(out);
        loop {
            let mut len = None;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length:") {
                    len = v.trim().parse::<usize>().ok();
                }
            }
            let mut body = vec![0; len.expect("Content-Length")];
            if r.read_exact(&mut body).is_err() {
                return;
            }
            let v: Value = serde_json::from_slice(&body).expect("json");
            if tx.send(v).is_err() {
                return;
            }
        }
    });
    rx
}

fn wait_for(rx: &mpsc::Receiver<Value>, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(v) if pred(&v) => return v,
            Ok(_) => {}
            Err(e) => panic!("waiting for {what}: {e}"),
        }
    }
}

/// Kills the server if the test fails before it exits, so no process outlives the test.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_binary_speaks_lsp_over_stdio() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .arg("lsp")
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn vouch lsp");
    let mut stdin = child.stdin.take().expect("stdin");
    let rx = read_frames(child.stdout.take().expect("stdout"));
    let mut child = KillOnDrop(child);
    let uri = format!("file://{}/app.py", dir.path().display());
    let mut send = |v: Value| {
        stdin.write_all(&frame(&v)).expect("write");
        stdin.flush().expect("flush");
    };

    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}}));
    let init = wait_for(&rx, "initialize", |v| v["id"] == 1);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": DIRTY}}}),
    );
    let diags = wait_for(&rx, "diagnostics", |v| {
        v["method"] == "textDocument/publishDiagnostics"
    });
    assert_eq!(
        diags["params"]["diagnostics"][0]["code"], "PY-S202",
        "{diags:#}"
    );

    // A request that is not valid JSON-RPC gets an error with its id; the session goes on.
    send(json!({"jsonrpc": "2.0", "id": 99, "method": 5}));
    let err = wait_for(&rx, "error for id 99", |v| v["id"] == 99);
    assert!(err["error"]["code"].is_i64(), "{err:#}");
    // A frame whose body is not JSON at all is skipped.
    stdin_raw_garbage(&mut send);

    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    wait_for(&rx, "shutdown", |v| v["id"] == 2);
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(s) = child.0.try_wait().expect("wait") {
            break s;
        }
        assert!(Instant::now() < deadline, "vouch lsp did not exit");
        thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

/// Sends a string value as the whole body: valid framing, not a message.
fn stdin_raw_garbage(send: &mut impl FnMut(Value)) {
    send(json!("not a message"));
}
