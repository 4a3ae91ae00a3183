//! A small LSP client for tests: it drives the real server, in memory
//! (`wasmlens::lsp::serve` over a pipe) or as the built binary over stdio,
//! with the same framing and JSON-RPC either way.
//!
//! Requests from the server (e.g. `client/registerCapability`) are kept,
//! like notifications, for the test to look at, and not answered: the
//! server never waits for their answers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};

type Pending = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;

/// How long a test waits for any one message before failing.
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct LspClient {
    writer: Box<dyn AsyncWrite + Unpin + Send>,
    pending: Pending,
    /// Notifications and server requests, in arrival order.
    incoming: mpsc::UnboundedReceiver<Value>,
    /// What `next_message` skipped over, still to be looked at.
    backlog: Vec<Value>,
    next_id: i64,
    child: Option<tokio::process::Child>,
    /// Where the server keeps the user's consent answers: a fresh folder
    /// per client, so tests never read or write the user's own.
    state_dir: tempfile::TempDir,
}

impl LspClient {
    /// The real server, in this process, over an in-memory pipe.
    pub fn in_memory() -> LspClient {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        let state_dir = tempfile::tempdir().unwrap();
        let options = wasmlens::lsp::ServerOptions {
            state_dir: Some(state_dir.path().to_path_buf()),
        };
        tokio::spawn(wasmlens::lsp::serve_with(
            options,
            server_read,
            server_write,
        ));
        let (read, write) = tokio::io::split(client_end);
        LspClient::over(read, Box::new(write), None, state_dir)
    }

    /// The built binary, `wasmlens lsp`, over its stdin and stdout.
    pub fn spawn_binary(binary: &Path) -> LspClient {
        let state_dir = tempfile::tempdir().unwrap();
        let mut child = tokio::process::Command::new(binary)
            .arg("lsp")
            .env("XDG_STATE_HOME", state_dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("wasmlens lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        LspClient::over(stdout, Box::new(stdin), Some(child), state_dir)
    }

    fn over(
        read: impl AsyncRead + Unpin + Send + 'static,
        writer: Box<dyn AsyncWrite + Unpin + Send>,
        child: Option<tokio::process::Child>,
        state_dir: tempfile::TempDir,
    ) -> LspClient {
        let pending: Pending = Arc::default();
        let (sender, incoming) = mpsc::unbounded_channel();
        tokio::spawn(read_messages(BufReader::new(read), pending.clone(), sender));
        LspClient {
            writer,
            pending,
            incoming,
            backlog: Vec::new(),
            next_id: 1,
            child,
            state_dir,
        }
    }

    pub async fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.writer.write_all(header.as_bytes()).await.unwrap();
        self.writer.write_all(&body).await.unwrap();
        self.writer.flush().await.unwrap();
    }

    /// Sends a request and returns its response (`result` or `error`).
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let request = self.send_request(method, params).await;
        self.response(request).await
    }

    /// Sends a request without waiting for its response; see
    /// [`LspClient::response`].
    pub async fn send_request(&mut self, method: &str, params: Value) -> SentRequest {
        let id = self.next_id;
        self.next_id += 1;
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        SentRequest {
            method: method.to_string(),
            response: rx,
        }
    }

    /// The response (`result` or `error`) to a request sent earlier.
    pub async fn response(&mut self, request: SentRequest) -> Value {
        let method = request.method;
        tokio::time::timeout(TIMEOUT, request.response)
            .await
            .unwrap_or_else(|_| panic!("no response to {method} within {TIMEOUT:?}"))
            .expect("the server closed the connection")
    }

    /// Sends a request, cancels it (`$/cancelRequest`) after `delay`, and
    /// returns the response.
    pub async fn request_raw_with_cancel(
        &mut self,
        method: &str,
        params: Value,
        delay: Duration,
    ) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let (tx, rx) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, tx);
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        tokio::time::sleep(delay).await;
        self.notify("$/cancelRequest", json!({"id": id})).await;
        tokio::time::timeout(TIMEOUT, rx)
            .await
            .unwrap_or_else(|_| panic!("no response to the cancelled {method} within {TIMEOUT:?}"))
            .expect("the server closed the connection")
    }

    /// Sends a request and returns its `result`, failing on an error.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params).await;
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// The next notification or server request for which `wanted` holds;
    /// the others stay in the backlog.
    pub async fn next_message(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i);
        }
        loop {
            let message = tokio::time::timeout(TIMEOUT, self.incoming.recv())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "no matching message within {TIMEOUT:?}; got {:#?}",
                        self.backlog
                    )
                })
                .expect("the server closed the connection");
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The messages for which `wanted` holds among those that have already
    /// arrived, without waiting: for what must *not* have been sent before
    /// a message that has been seen (the server's messages arrive in the
    /// order it sent them).
    pub fn arrived(&mut self, wanted: impl Fn(&Value) -> bool) -> Vec<Value> {
        while let Ok(message) = self.incoming.try_recv() {
            self.backlog.push(message);
        }
        let (matching, rest) = std::mem::take(&mut self.backlog)
            .into_iter()
            .partition(|m| wanted(m));
        self.backlog = rest;
        matching
    }

    /// Everything that arrived within `wait` and was not looked at yet.
    pub async fn settle(&mut self, wait: Duration) -> Vec<Value> {
        tokio::time::sleep(wait).await;
        let mut all = std::mem::take(&mut self.backlog);
        while let Ok(message) = self.incoming.try_recv() {
            all.push(message);
        }
        all
    }

    /// The next `publishDiagnostics` for `uri`.
    pub async fn diagnostics(&mut self, uri: &str) -> Value {
        self.next_message(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })
        .await["params"]
            .clone()
    }

    /// `initialize` + `initialized` for a workspace folder, with the given
    /// client capabilities.
    pub async fn initialize(&mut self, folder: &Path, capabilities: Value) -> Value {
        self.initialize_with(folder, capabilities, Value::Null)
            .await
    }

    /// `initialize` with `initializationOptions` too.
    pub async fn initialize_with(
        &mut self,
        folder: &Path,
        capabilities: Value,
        options: Value,
    ) -> Value {
        let uri = file_uri(folder);
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": uri,
                    "capabilities": capabilities,
                    "workspaceFolders": [{"uri": uri, "name": "test"}],
                    "initializationOptions": options,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn open(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {
                "uri": file_uri(path), "languageId": "wit", "version": 1, "text": text
            }}),
        )
        .await;
    }

    /// Answers a request the server sent (e.g. `window/showMessageRequest`).
    pub async fn reply(&mut self, request: &Value, result: Value) {
        self.send(json!({"jsonrpc": "2.0", "id": request["id"], "result": result}))
            .await;
    }

    /// The folder where the server keeps consent answers.
    pub fn state_dir(&self) -> &Path {
        self.state_dir.path()
    }

    pub async fn shutdown(&mut self) {
        self.request("shutdown", Value::Null).await;
        self.notify("exit", Value::Null).await;
    }

    /// For a spawned binary: its exit status, once it has ended (within
    /// the request timeout).
    pub async fn exit_status(&mut self) -> std::process::ExitStatus {
        let child = self.child.as_mut().expect("a spawned binary");
        tokio::time::timeout(TIMEOUT, child.wait())
            .await
            .expect("the server ended")
            .expect("its status")
    }
}

/// A request sent and not yet answered.
pub struct SentRequest {
    method: String,
    response: oneshot::Receiver<Value>,
}

/// The path of a `file://` URI made by [`file_uri`].
pub fn path_of_uri(uri: &str) -> Option<PathBuf> {
    let encoded = uri.strip_prefix("file://")?;
    let mut bytes = Vec::new();
    let mut rest = encoded.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' && tail.len() >= 2 {
            let hex = std::str::from_utf8(&tail[..2]).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// `file://` URI of a path, as editors send them.
pub fn file_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap();
    let mut uri = String::from("file://");
    for byte in absolute.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

async fn read_messages(
    mut reader: BufReader<impl AsyncRead + Unpin>,
    pending: Pending,
    incoming: mpsc::UnboundedSender<Value>,
) {
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                return; // the server is gone
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("Content-Length header")];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let message: Value = serde_json::from_slice(&body).expect("the server sends JSON");
        let is_response = message.get("method").is_none();
        if is_response {
            let id = message["id"].as_i64().expect("numeric response id");
            if let Some(waiting) = pending.lock().unwrap().remove(&id) {
                let _ = waiting.send(message);
            }
        } else if incoming.send(message).is_err() {
            return;
        }
    }
}

/// A fixture text with one `$0` cursor marker: the text without it, and the
/// marker's position as LSP counts it (UTF-16 columns).
pub fn cursor(fixture: &str) -> (String, Value) {
    let offset = fixture.find("$0").expect("a $0 marker");
    let text = fixture.replacen("$0", "", 1);
    (text, position(fixture, offset))
}

/// The LSP position (UTF-16) of a byte offset.
pub fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..offset].encode_utf16().count();
    json!({"line": line, "character": character})
}

/// The position (UTF-16) of `$0` in `pattern`, found in `text` with the
/// marker removed: `cursor_in(text, "p: poi$0nt")`.
pub fn cursor_in(text: &str, pattern: &str) -> Value {
    let marker = pattern.find("$0").expect("a $0 marker");
    let plain = pattern.replacen("$0", "", 1);
    let start = text
        .find(&plain)
        .unwrap_or_else(|| panic!("{plain:?} not in the fixture"));
    position(text, start + marker)
}

/// The byte offset of an LSP position (UTF-16 columns) in `text`.
/// `text` with LSP `TextEdit`s applied (in any order; they must not overlap).
pub fn apply_text_edits(text: &str, edits: &[&Value]) -> String {
    let mut text = text.to_string();
    let mut edits = edits.to_vec();
    // From the end, so that earlier offsets stay valid.
    edits.sort_by_key(|e| std::cmp::Reverse(offset_of(&text, &e["range"]["start"])));
    for e in edits {
        let start = offset_of(&text, &e["range"]["start"]);
        let end = offset_of(&text, &e["range"]["end"]);
        text.replace_range(start..end, e["newText"].as_str().unwrap());
    }
    text
}

pub fn offset_of(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    let mut bytes = 0;
    for ch in text[start..].chars() {
        if units >= character {
            break;
        }
        units += ch.len_utf16();
        bytes += ch.len_utf8();
    }
    start + bytes
}

/// Files written to a temporary workspace, the in-memory server
/// initialised on it, and one of the files open in the editor.
pub struct Opened {
    pub tree: crate::TestTree,
    pub path: PathBuf,
    pub uri: String,
    pub client: LspClient,
    /// The `initialize` result.
    pub init: Value,
}

impl Opened {
    pub async fn start(files: &[(&str, &str)], open: &str, capabilities: Value) -> Opened {
        let tree = crate::TestTree::new(files);
        let path = tree.path().join(open);
        let uri = file_uri(&path);
        let text = files
            .iter()
            .find(|(name, _)| *name == open)
            .expect("the opened file is one of the files")
            .1;
        let mut client = LspClient::in_memory();
        let init = client.initialize(tree.path(), capabilities).await;
        client.open(&path, text).await;
        Opened {
            tree,
            path,
            uri,
            client,
            init,
        }
    }
}
