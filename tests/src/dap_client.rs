//! A small DAP client for tests: it starts `wasmlens dap`, sends requests,
//! and hands out responses and events in the order they came (events that
//! are not asked for yet wait in a backlog).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// How long a test waits for any one message.
pub const WAIT: Duration = Duration::from_secs(30);

pub struct DapClient {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    backlog: Vec<Value>,
    seq: i64,
}

impl DapClient {
    /// `wasmlens dap`, started in `cwd`.
    pub fn start(binary: &std::path::Path, cwd: &std::path::Path) -> DapClient {
        let mut child = Command::new(binary)
            .arg("dap")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("wasmlens dap starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length:") {
                        length = n.trim().parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length")];
                reader.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        DapClient {
            child,
            stdin,
            incoming,
            backlog: Vec::new(),
            seq: 0,
        }
    }

    /// Sends a request and returns its response (`success` true or not).
    pub fn request(&mut self, command: &str, arguments: Value) -> Value {
        self.seq += 1;
        let seq = self.seq;
        let body = serde_json::to_vec(
            &json!({"seq": seq, "type": "request", "command": command, "arguments": arguments}),
        )
        .unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
        self.next(|m| m["type"] == "response" && m["request_seq"] == seq)
    }

    /// A request that must succeed: its body.
    pub fn ok(&mut self, command: &str, arguments: Value) -> Value {
        let response = self.request(command, arguments);
        assert_eq!(response["success"], true, "{command}: {response}");
        response["body"].clone()
    }

    /// The next event called `name`.
    pub fn event(&mut self, name: &str) -> Value {
        self.next(|m| m["type"] == "event" && m["event"] == name)
    }

    /// Every `output` event so far, joined.
    pub fn output(&mut self, category: &str) -> String {
        while let Ok(message) = self.incoming.try_recv() {
            self.backlog.push(message);
        }
        self.backlog
            .iter()
            .filter(|m| m["event"] == "output" && m["body"]["category"] == category)
            .map(|m| m["body"]["output"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    fn next(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i);
        }
        loop {
            let message = self.incoming.recv_timeout(WAIT).unwrap_or_else(|_| {
                panic!(
                    "no matching message within {WAIT:?}; got {:#?}",
                    self.backlog
                )
            });
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// Waits for the adapter to exit (after `disconnect`).
    pub fn exit_code(&mut self) -> Option<i32> {
        for _ in 0..300 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }
}

impl Drop for DapClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
