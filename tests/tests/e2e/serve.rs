//! `wasmlens serve` against `wasmtime serve` on the same proxy components
//! (a WAT one committed in tests/fixtures/http, a Python one built with
//! componentize-py from PyPI on first use): the same answers, concurrent
//! requests, a trap answered with 500 while the server goes on, outgoing
//! HTTP only with the network granted, and Ctrl-C.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use wasmlens_tests::http::{Response, Server, request, upstream};
use wasmlens_tests::{crate_dir, target_tmp, workspace_root};

fn fixtures() -> PathBuf {
    workspace_root().join("tests/fixtures/http")
}

/// proxy-py.wasm, built once by the fixture's build script (a venv with
/// componentize-py 0.25.1 from PyPI in the target directory).
fn python_proxy() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = target_tmp().join("fixtures-http");
        let wasm = out.join("proxy-py.wasm");
        let source = fixtures().join("app.py");
        let stale = |wasm: &Path| {
            let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
            modified(wasm) < modified(&source)
        };
        if !wasm.exists() || stale(&wasm) {
            let status = Command::new("bash")
                .arg(fixtures().join("build.sh"))
                .arg("--python")
                .arg(&out)
                .env(
                    "WASI_HTTP_WIT",
                    crate_dir("wasmtime-wasi-http").join("wit/deps"),
                )
                .status()
                .expect("build.sh runs");
            assert!(status.success(), "building proxy-py.wasm failed");
        }
        wasm
    })
}

/// A response as compared between servers: without `date`, which differs
/// by the second.
fn comparable(mut response: Response) -> Response {
    response.headers.retain(|(name, _)| name != "date");
    response
}

/// (method, path, headers, body)
type Request = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [u8],
);

const REQUESTS: &[Request] = &[
    ("GET", "/", &[], b""),
    ("GET", "/?a=b", &[("x-custom", "1")], b""),
    (
        "POST",
        "/echo",
        &[("content-type", "text/plain")],
        b"echo me, please",
    ),
    ("POST", "/echo", &[], "ünïcødé ✓\n".as_bytes()),
    ("PUT", "/nope", &[], b""),
    ("GET", "/fetch", &[], b""),
];

#[test]
fn serve_answers_as_wasmtime_serve_does() {
    let dir = fixtures();
    let python = python_proxy().to_str().unwrap().to_string();
    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut failures = Vec::new();
    for file in ["proxy.wasm", python.as_str()] {
        let ours = Server::wasmlens(&dir, &[], file);
        let theirs = Server::wasmtime(&dir, &[], file);
        for (method, path, headers, body) in REQUESTS {
            let got = comparable(request(ours.port, method, path, headers, body));
            let want = comparable(request(theirs.port, method, path, headers, body));
            if got != want {
                failures.push(format!(
                    "{file} {method} {path}:\n  wasmlens {got:?}\n  wasmtime {want:?}"
                ));
            }
        }
        // A large body goes through both ways, byte for byte.
        let echoed = request(ours.port, "POST", "/echo", &[], &big);
        assert_eq!(echoed.status, 200, "{file}");
        assert!(
            echoed.body == big,
            "{file}: the 300 kB body came back changed"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_trap_answers_500_and_the_server_goes_on_serving_concurrent_requests() {
    let server = Server::wasmlens(&fixtures(), &[], "proxy.wasm");
    let trapped = server.get("/trap");
    assert_eq!(trapped.status, 500);
    let log = server.stderr();
    assert!(
        log.contains("GET /trap: wasm trap: wasm `unreachable` instruction executed"),
        "{log}"
    );
    assert!(log.contains("proxy!handle"), "the backtrace: {log}");
    // 16 clients at once, 8 requests each, every one answered right.
    let port = server.port;
    let clients: Vec<_> = (0..16)
        .map(|client| {
            std::thread::spawn(move || {
                for i in 0..8 {
                    let body = format!("client {client} request {i}");
                    let got = request(port, "POST", "/echo", &[], body.as_bytes());
                    assert_eq!((got.status, got.text()), (200, body));
                }
            })
        })
        .collect();
    for client in clients {
        client.join().expect("every request answered");
    }
    assert_eq!(server.get("/").text(), "hello from wat\n");
    // Ctrl-C stops it cleanly.
    assert_eq!(server.interrupt(), Some(0));
}

#[test]
fn outgoing_http_is_denied_unless_the_network_is_granted() {
    let upstream = upstream().to_string();
    let target = [("x-target-port", upstream.as_str())];
    let denied = Server::wasmlens(&fixtures(), &[], "proxy.wasm");
    let got = request(denied.port, "GET", "/fetch", &target, b"");
    assert_eq!(
        (got.status, got.text()),
        (502, "HTTP-request-denied\n".into())
    );
    let allowed = Server::wasmlens(&fixtures(), &["--allow-net"], "proxy.wasm");
    let got = request(allowed.port, "GET", "/fetch", &target, b"");
    assert_eq!(
        (got.status, got.text()),
        (418, "upstream saw GET /\n".into())
    );
}

#[test]
fn serve_refuses_what_it_cannot_serve() {
    let tree = wasmlens_tests::TestTree::new(&[]);
    tree.write_bytes(
        "calc.wasm",
        &wasmlens_tests::components::component(
            wasmlens_tests::components::CALC_WIT,
            wasmlens_tests::components::CALC_CORE,
        ),
    );
    let got = wasmlens_tests::wasmlens(tree.path(), &["serve", "calc.wasm"]);
    assert_eq!(got.code, 2);
    assert!(
        got.stderr
            .contains("does not export `wasi:http/incoming-handler`, so it cannot be served"),
        "{}",
        got.stderr
    );
    // A port in use is named, with what to do.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let got = wasmlens_tests::wasmlens(&fixtures(), &["serve", "--addr", &addr, "proxy.wasm"]);
    assert_eq!(got.code, 2, "{}", got.stderr);
    assert!(
        got.stderr.contains(&format!("cannot listen on {addr}")),
        "{}",
        got.stderr
    );
}

#[test]
fn limits_apply_to_each_request() {
    // 50 units of fuel are not enough for `GET /`: a 500, and the log says
    // which limit stopped it.
    let starved = Server::wasmlens(&fixtures(), &["--fuel", "50"], "proxy.wasm");
    assert_eq!(starved.get("/").status, 500);
    let log = starved.stderr();
    assert!(
        log.contains("GET /: ran out of fuel after 50 units"),
        "{log}"
    );
    // 300 are, for one request at a time: twenty in a row all pass, which
    // one budget shared by them (20 × more than 50) would not allow.
    let fed = Server::wasmlens(&fixtures(), &["--fuel", "300"], "proxy.wasm");
    for _ in 0..20 {
        assert_eq!(fed.get("/").status, 200);
    }
}
