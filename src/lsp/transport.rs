//! JSON-RPC over stdin/stdout with `Content-Length` framing.
//!
//! lsp-server's own stdio transport stops reading at the first payload that is not a valid
//! message, which ends the session; an editor that sends one odd message should get an
//! error back and keep its diagnostics. So framing is read here, bad payloads are reported
//! (or skipped) and reading goes on. The channels are an in-memory `Connection` pair, which
//! keeps this crate free of a direct channel dependency.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use lsp_server::{Connection, Message, Notification};
use serde_json::Value;

/// Bodies larger than this are skipped unread: no real document comes near it, and a bogus
/// length must not make us allocate gigabytes.
const MAX_BODY: usize = 256 * 1024 * 1024;

/// Synthetic notification the reader hands to the server loop for a request it could not
/// parse but whose id it could recover, so the server (the only writer) answers it.
pub const MALFORMED: &str = "$/vouch/malformedRequest";

/// Starts the reader and writer threads; returns the server's end of the connection and the
/// writer thread, which finishes once every sender of the server's end is dropped.
pub fn stdio() -> io::Result<(Connection, thread::JoinHandle<()>)> {
    let (server, bridge) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = bridge;
    thread::Builder::new()
        .name("vouch-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            loop {
                match read_frame(&mut input) {
                    Ok(Some(body)) => {
                        let Some(msg) = decode(&body) else { continue };
                        let is_exit =
                            matches!(&msg, Message::Notification(n) if n.method == "exit");
                        if to_server.send(msg).is_err() || is_exit {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        eprintln!("vouch lsp: cannot read from the client: {e}");
                        break;
                    }
                }
            }
            // Dropping `to_server` tells the server loop the client is gone.
        })?;
    let writer = thread::Builder::new()
        .name("vouch-lsp-writer".into())
        .spawn(move || {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            for msg in from_server {
                if msg.write(&mut out).and_then(|()| out.flush()).is_err() {
                    // The client closed its end; nothing more can be delivered.
                    break;
                }
            }
        })?;
    Ok((server, writer))
}

/// A message from a frame's body; a request that is not valid is turned into a
/// [`MALFORMED`] notification carrying its id, anything else unparseable is dropped.
pub fn decode(body: &[u8]) -> Option<Message> {
    match serde_json::from_slice::<Message>(body) {
        Ok(m) => Some(m),
        Err(e) => {
            let id = serde_json::from_slice::<Value>(body)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .filter(|id| id.is_number() || id.is_string());
            match id {
                Some(id) => Some(Message::Notification(Notification::new(
                    MALFORMED.to_string(),
                    serde_json::json!({ "id": id, "error": e.to_string() }),
                ))),
                None => {
                    eprintln!("vouch lsp: ignoring a malformed message: {e}");
                    None
                }
            }
        }
    }
}

/// Reads one frame's body; `None` at the end of the input. Frames without a usable
/// `Content-Length` are skipped (their body cannot be delimited, so the next header block
/// is searched for instead).
pub fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    loop {
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                return Ok(None);
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if saw_header {
                    break;
                }
                // Blank lines between frames are tolerated.
                continue;
            }
            saw_header = true;
            if let Some((name, value)) = line.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok();
            }
        }
        let Some(length) = length else {
            eprintln!("vouch lsp: skipping a frame without a valid Content-Length");
            continue;
        };
        if length > MAX_BODY {
            eprintln!("vouch lsp: skipping a {length}-byte message");
            io::copy(&mut input.take(length as u64), &mut io::sink())?;
            continue;
        }
        let mut body = vec![0; length];
        input.read_exact(&mut body)?;
        return Ok(Some(body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_and_garbage_is_skipped() {
        let data = b"Content-Length: 2\r\n\r\n{}\r\nX-Junk: 1\r\n\r\nContent-Length: 3\r\nContent-Type: x\r\n\r\n[1]";
        let mut input = &data[..];
        assert_eq!(
            read_frame(&mut input).expect("io").as_deref(),
            Some(&b"{}"[..])
        );
        assert_eq!(
            read_frame(&mut input).expect("io").as_deref(),
            Some(&b"[1]"[..])
        );
        assert_eq!(read_frame(&mut input).expect("io"), None);
    }

    #[test]
    fn a_bad_request_keeps_its_id() {
        let msg = decode(br#"{"jsonrpc":"2.0","id":7,"method":3}"#);
        match msg {
            Some(Message::Notification(n)) => {
                assert_eq!(n.method, MALFORMED);
                assert_eq!(n.params["id"], 7);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(decode(b"not json").is_none());
    }
}
