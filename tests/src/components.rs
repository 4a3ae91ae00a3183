//! Components made at test time: a WIT world plus a core module in WAT that
//! implements it, wrapped by wit-component exactly as wit-bindgen output
//! is. WASI packages (from the `wasmtime-wasi` crate) can be imported.

use crate::wasi_p2_dir;

/// The component for `world_wit` (one package, one world; it may use the
/// WASI 0.2 packages) implemented by `core_wat`.
pub fn component(world_wit: &str, core_wat: &str) -> Vec<u8> {
    encode(wasi_p2_dir(), world_wit, core_wat)
}

/// `core_wat` wrapped as the component of `world_wit`, whose packages may
/// import those of the WASI tree at `wasi_dir`.
fn encode(wasi_dir: std::path::PathBuf, world_wit: &str, core_wat: &str) -> Vec<u8> {
    encode_module(
        wasi_dir,
        world_wit,
        wat::parse_str(core_wat).expect("valid WAT"),
    )
}

/// A core module (binary) wrapped as the component of `world_wit`.
fn encode_module(wasi_dir: std::path::PathBuf, world_wit: &str, mut module: Vec<u8>) -> Vec<u8> {
    let mut resolve = wit_parser::Resolve::new();
    resolve.all_features = true;
    resolve.push_path(wasi_dir).expect("the WASI tree resolves");
    let package = resolve.push_str("world.wit", world_wit).expect("valid WIT");
    let world = resolve.select_world(&[package], None).expect("one world");
    wit_component::embed_component_metadata(
        &mut module,
        &resolve,
        world,
        wit_component::StringEncoding::UTF8,
    )
    .expect("metadata embeds");
    wit_component::ComponentEncoder::default()
        .module(&module)
        .expect("module accepted")
        .validate(true)
        .encode()
        .expect("component encodes")
}

/// The WASI version the fixtures import, as the `wasmtime-wasi` crate
/// ships it.
pub fn wasi_version() -> String {
    let cli = std::fs::read_to_string(wasi_p2_dir().join("deps/cli.wit")).expect("deps/cli.wit");
    let first = cli
        .lines()
        .find(|l| l.starts_with("package wasi:cli@"))
        .expect("a package line");
    first
        .trim_start_matches("package wasi:cli@")
        .trim_end_matches(';')
        .to_string()
}

pub const CALC_WIT: &str = "package test:calc;

interface math {
    scale: func(x: s32, by: s32) -> s32;
}

world calc {
    export add: func(a: u32, b: u32) -> u32;
    export greet: func(name: string) -> string;
    export maybe: func(x: option<u32>) -> option<u32>;
    export spin: func();
    export bomb: func();
    export crash: func();
    export deep: func(n: u32) -> u32;
    export math;
}
";

/// A bump allocator, and each export written by hand against the
/// canonical ABI (results of more than one flat value go through a return
/// area in memory).
pub const CALC_CORE: &str = r#"(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func $realloc (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $ptr i32)
    global.get $heap
    local.get $align i32.const 1 i32.sub i32.add
    local.get $align i32.const 1 i32.sub i32.const -1 i32.xor i32.and
    local.set $ptr
    local.get $ptr local.get $size i32.add global.set $heap
    local.get $old_size
    if local.get $ptr local.get $old local.get $old_size memory.copy end
    local.get $ptr)
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (data (i32.const 16) "Hello, !")
  (func (export "greet") (param $p i32) (param $n i32) (result i32)
    (local $out i32) (local $len i32)
    local.get $n i32.const 8 i32.add local.set $len
    i32.const 0 i32.const 0 i32.const 1 local.get $len call $realloc local.set $out
    local.get $out i32.const 16 i32.const 7 memory.copy
    local.get $out i32.const 7 i32.add local.get $p local.get $n memory.copy
    local.get $out i32.const 7 i32.add local.get $n i32.add i32.const 23 i32.const 1 memory.copy
    i32.const 32 local.get $out i32.store
    i32.const 36 local.get $len i32.store
    i32.const 32)
  (func (export "maybe") (param i32 i32) (result i32)
    i32.const 40 local.get 0 i32.store8
    i32.const 44 local.get 1 i32.const 1 i32.add i32.store
    i32.const 40)
  (func (export "spin") (loop $l br $l))
  (func (export "bomb") (loop $l i32.const 16 memory.grow i32.const -1 i32.ne br_if $l) unreachable)
  (func $crash (export "crash") unreachable)
  (func $deep (export "deep") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $deep)
  (func (export "test:calc/math#scale") (param i32 i32) (result i32) local.get 0 local.get 1 i32.mul)
)"#;

/// A `wasi:cli/run` command that prints a line, or (`fail`) returns `err`.
pub fn hello_command(fail: bool) -> Vec<u8> {
    let v = wasi_version();
    let wit = format!(
        "package test:hello;\n\nworld hello {{\n    import wasi:cli/stdout@{v};\n    import wasi:io/streams@{v};\n    export wasi:cli/run@{v};\n}}\n"
    );
    let core = format!(
        r#"(module
  (import "wasi:cli/stdout@{v}" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@{v}" "[method]output-stream.blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/streams@{v}" "[resource-drop]output-stream" (func $drop (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from wasm\n")
  (func (export "wasi:cli/run@{v}#run") (result i32)
    (local $out i32)
    call $get_stdout local.set $out
    local.get $out i32.const 16 i32.const 16 i32.const 64 call $write
    local.get $out call $drop
    i32.const {result})
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
)"#,
        result = u8::from(fail)
    );
    component(&wit, &core)
}

/// A `wasi:cli/run` command that prints how many environment variables and
/// preopened directories it was given (`"2 1\n"`): what the sandbox lets
/// through, seen from inside.
pub fn grants_command() -> Vec<u8> {
    let v = wasi_version();
    let wit = format!(
        "package test:grants;\n\nworld grants {{\n    import wasi:cli/environment@{v};\n    import wasi:filesystem/preopens@{v};\n    import wasi:cli/stdout@{v};\n    import wasi:io/streams@{v};\n    export wasi:cli/run@{v};\n}}\n"
    );
    let core = format!(
        r#"(module
  (import "wasi:cli/environment@{v}" "get-environment" (func $get_env (param i32)))
  (import "wasi:filesystem/preopens@{v}" "get-directories" (func $get_dirs (param i32)))
  (import "wasi:cli/stdout@{v}" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@{v}" "[method]output-stream.blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func $realloc (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $ptr i32)
    global.get $heap
    local.get $align i32.const 1 i32.sub i32.add
    local.get $align i32.const 1 i32.sub i32.const -1 i32.xor i32.and
    local.set $ptr
    local.get $ptr local.get $size i32.add global.set $heap
    local.get $ptr)
  (func (export "wasi:cli/run@{v}#run") (result i32)
    (local $out i32)
    i32.const 64 call $get_env
    i32.const 72 call $get_dirs
    ;; "E P\n" at 16: counts below 10 as digits
    i32.const 16 i32.const 68 i32.load i32.const 48 i32.add i32.store8
    i32.const 17 i32.const 32 i32.store8
    i32.const 18 i32.const 76 i32.load i32.const 48 i32.add i32.store8
    i32.const 19 i32.const 10 i32.store8
    call $get_stdout local.set $out
    local.get $out i32.const 16 i32.const 4 i32.const 80 call $write
    i32.const 0)
)"#
    );
    component(&wit, &core)
}

pub const TYPES_WIT: &str = "package test:types;

world types {
    enum color { red, green, blue }
    flags perms { read, write, exec }
    record point { x: s32, y: s32 }
    variant shape { circle(f32), square(u32), none }

    export echo-bool: func(b: bool) -> bool;
    export echo-s64: func(x: s64) -> s64;
    export echo-f32: func(x: f32) -> f32;
    export echo-f64: func(x: f64) -> f64;
    export echo-char: func(c: char) -> char;
    export echo-string: func(s: string) -> string;
    export echo-list: func(l: list<u32>) -> list<u32>;
    export echo-point: func(p: point) -> point;
    export echo-tuple: func(t: tuple<u8, string>) -> tuple<u8, string>;
    export echo-color: func(c: color) -> color;
    export echo-perms: func(p: perms) -> perms;
    export echo-shape: func(s: shape) -> shape;
    export echo-result: func(r: result<u32, string>) -> result<u32, string>;
}
";

/// Identity functions, each returning its argument in the layout the
/// canonical ABI gives the result type.
pub const TYPES_CORE: &str = r#"(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $ptr i32)
    global.get $heap
    local.get $align i32.const 1 i32.sub i32.add
    local.get $align i32.const 1 i32.sub i32.const -1 i32.xor i32.and
    local.set $ptr
    local.get $ptr local.get $size i32.add global.set $heap
    local.get $old_size
    if local.get $ptr local.get $old local.get $old_size memory.copy end
    local.get $ptr)
  (func (export "echo-bool") (param i32) (result i32) local.get 0)
  (func (export "echo-s64") (param i64) (result i64) local.get 0)
  (func (export "echo-f32") (param f32) (result f32) local.get 0)
  (func (export "echo-f64") (param f64) (result f64) local.get 0)
  (func (export "echo-char") (param i32) (result i32) local.get 0)
  (func $pair (param i32 i32) (result i32)
    i32.const 16 local.get 0 i32.store
    i32.const 20 local.get 1 i32.store
    i32.const 16)
  (func (export "echo-string") (param i32 i32) (result i32) local.get 0 local.get 1 call $pair)
  (func (export "echo-list") (param i32 i32) (result i32) local.get 0 local.get 1 call $pair)
  (func (export "echo-point") (param i32 i32) (result i32) local.get 0 local.get 1 call $pair)
  (func (export "echo-tuple") (param i32 i32 i32) (result i32)
    i32.const 32 local.get 0 i32.store8
    i32.const 36 local.get 1 i32.store
    i32.const 40 local.get 2 i32.store
    i32.const 32)
  (func (export "echo-color") (param i32) (result i32) local.get 0)
  (func (export "echo-perms") (param i32) (result i32) local.get 0)
  (func (export "echo-shape") (param i32 i32) (result i32)
    i32.const 48 local.get 0 i32.store8
    i32.const 52 local.get 1 i32.store
    i32.const 48)
  (func (export "echo-result") (param i32 i32 i32) (result i32)
    i32.const 64 local.get 0 i32.store8
    i32.const 68 local.get 1 i32.store
    i32.const 72 local.get 2 i32.store
    i32.const 64)
)"#;

/// A WASI preview 1 program (a core module): prints a line, exits with 3.
pub const P1_PROGRAM: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi from p1\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 11))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $exit (i32.const 3)))
)"#;

/// The C program `tests/fixtures/c/greet.c` (built by `build.sh` with
/// clang and wasi-libc, DWARF included) as a component: its preview 1
/// module adapted with Wasmtime 48's command adapter.
pub fn c_greet_component() -> Vec<u8> {
    adapted_command(&crate::workspace_root().join("tests/fixtures/c/greet.wasm"))
}

/// A committed preview 1 command module, adapted into a component with
/// Wasmtime 48's command adapter.
fn adapted_command(path: &std::path::Path) -> Vec<u8> {
    let module = std::fs::read(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (rebuild it with the build.sh beside it)",
            path.display()
        )
    });
    wit_component::ComponentEncoder::default()
        .module(&module)
        .expect("module accepted")
        .adapter(
            wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME,
            wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        )
        .expect("adapter accepted")
        .validate(true)
        .encode()
        .expect("component encodes")
}

/// A debugger fixture of `tests/fixtures/debug` (see its README): a
/// preview 1 command (`cmd-O0`, `cmd-O1`, `rust_cmd`) adapted into a
/// component.
pub fn debug_command(name: &str) -> Vec<u8> {
    adapted_command(&crate::workspace_root().join(format!("tests/fixtures/debug/{name}.wasm")))
}

/// The C reactor of `tests/fixtures/debug` (`lib-O0.wasm`) as the
/// component of `lib.wit`.
pub fn debug_library() -> Vec<u8> {
    let dir = crate::workspace_root().join("tests/fixtures/debug");
    let wit = std::fs::read_to_string(dir.join("lib.wit")).expect("lib.wit");
    let module = std::fs::read(dir.join("lib-O0.wasm")).expect("lib-O0.wasm");
    encode_module(wasi_p2_dir(), &wit, module)
}

/// `steps.wat` (no DWARF, every name in its name section) as the
/// component of `steps.wit`.
pub fn steps_component() -> Vec<u8> {
    let dir = crate::workspace_root().join("tests/fixtures/debug");
    let wit = std::fs::read_to_string(dir.join("steps.wit")).expect("steps.wit");
    let wat = std::fs::read_to_string(dir.join("steps.wat")).expect("steps.wat");
    component(&wit, &wat)
}

/// The line of `// LINE: <marker>` in a source of `tests/fixtures/debug`.
pub fn debug_marker(file: &str, marker: &str) -> u32 {
    let path = crate::workspace_root()
        .join("tests/fixtures/debug")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("a fixture source");
    let wanted = format!("// LINE: {marker}");
    text.lines()
        .position(|line| line.trim_end().ends_with(&wanted))
        .unwrap_or_else(|| panic!("no `{wanted}` in {}", path.display())) as u32
        + 1
}

pub const RESOURCE_WIT: &str = "package test:res;

interface api {
    resource counter {
        get: func() -> u32;
    }
    make: func(start: u32) -> counter;
    pair: func(start: u32) -> tuple<counter, u32>;
}

world res {
    export api;
}
";

/// `make` returns a counter resource (its representation is the start
/// value); `pair` returns one inside a tuple.
pub const RESOURCE_CORE: &str = r#"(module
  (import "[export]test:res/api" "[resource-new]counter" (func $new (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "test:res/api#make") (param i32) (result i32) local.get 0 call $new)
  (func (export "test:res/api#pair") (param i32) (result i32)
    i32.const 16 local.get 0 call $new i32.store
    i32.const 20 local.get 0 i32.store
    i32.const 16)
  (func (export "test:res/api#[method]counter.get") (param i32) (result i32) local.get 0)
)"#;

pub const ASYNC_WIT: &str = "package test:asyncs;

world asyncs {
    export slow-add: async func(a: u32, b: u32) -> u32;
}
";

/// An async export in the callback ABI: the result goes back through
/// `task.return`, and the task exits at once (code 0).
pub const ASYNC_CORE: &str = r#"(module
  (import "[export]$root" "[task-return]slow-add" (func $return (param i32)))
  (memory (export "memory") 1)
  (func (export "[async-lift]slow-add") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add call $return
    i32.const 0)
  (func (export "[callback][async-lift]slow-add") (param i32 i32 i32) (result i32) unreachable)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
)"#;

/// A WASI 0.3 command: `wasi:cli/run@0.3.0` is an async export; this one
/// returns `ok` or (`fail`) `err` through `task.return`.
pub fn p3_command(fail: bool) -> Vec<u8> {
    let core = format!(
        r#"(module
  (import "[export]wasi:cli/run@0.3.0" "[task-return]run" (func $return (param i32)))
  (memory (export "memory") 1)
  (func (export "[async-lift]wasi:cli/run@0.3.0#run") (result i32)
    i32.const {result} call $return
    i32.const 0)
  (func (export "[callback][async-lift]wasi:cli/run@0.3.0#run") (param i32 i32 i32) (result i32) unreachable)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
)"#,
        result = u8::from(fail)
    );
    encode(
        crate::wasi_p3_dir(),
        "package test:p3;\n\nworld command {\n    export wasi:cli/run@0.3.0;\n}\n",
        &core,
    )
}

/// A `wasi:cli/run` command that tries to connect to 127.0.0.1:9 and
/// prints what `start-connect` said: `"0 …"` (ok) or `"1 C"` (err with
/// error code C; 1 is `access-denied`).
pub fn network_command() -> Vec<u8> {
    let v = wasi_version();
    let wit = format!(
        "package test:net;\n\nworld net {{\n    import wasi:sockets/instance-network@{v};\n    import wasi:sockets/tcp-create-socket@{v};\n    import wasi:sockets/tcp@{v};\n    import wasi:cli/stdout@{v};\n    import wasi:io/streams@{v};\n    export wasi:cli/run@{v};\n}}\n"
    );
    let core = format!(
        r#"(module
  (import "wasi:sockets/instance-network@{v}" "instance-network" (func $network (result i32)))
  (import "wasi:sockets/tcp-create-socket@{v}" "create-tcp-socket" (func $create (param i32 i32)))
  (import "wasi:sockets/tcp@{v}" "[method]tcp-socket.start-connect"
    (func $connect (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:cli/stdout@{v}" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@{v}" "[method]output-stream.blocking-write-and-flush" (func $write (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "wasi:cli/run@{v}#run") (result i32)
    (local $network i32) (local $socket i32)
    call $network local.set $network
    block
    ;; create-tcp-socket(ipv4) -> result<own<tcp-socket>, error-code> at 64
    i32.const 0 i32.const 64 call $create
    ;; a socket that cannot even be created counts as the connect's error
    i32.const 64 i32.load8_u
    if
      i32.const 96 i32.const 1 i32.store8
      i32.const 97 i32.const 68 i32.load8_u i32.store8
      br 1
    end
    i32.const 68 i32.load local.set $socket
    ;; start-connect(self, network, ipv4({{port: 9, address: (127, 0, 0, 1)}})) -> result at 96
    local.get $socket local.get $network
    i32.const 0 i32.const 9 i32.const 127 i32.const 0 i32.const 0 i32.const 1
    i32.const 0 i32.const 0 i32.const 0 i32.const 0 i32.const 0 i32.const 0
    i32.const 96 call $connect
    end
    i32.const 16 i32.const 96 i32.load8_u i32.const 48 i32.add i32.store8
    i32.const 17 i32.const 32 i32.store8
    i32.const 18 i32.const 97 i32.load8_u i32.const 48 i32.add i32.store8
    i32.const 19 i32.const 10 i32.store8
    call $get_stdout i32.const 16 i32.const 4 i32.const 128 call $write
    i32.const 0)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
)"#
    );
    component(&wit, &core)
}

/// The bump allocator of the fixtures below: `cabi_realloc` for strings
/// lowered into the guest.
const REALLOC: &str = r#"
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func $realloc (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $ptr i32)
    global.get $heap
    local.get $align i32.const 1 i32.sub i32.add
    local.get $align i32.const 1 i32.sub i32.const -1 i32.xor i32.and
    local.set $ptr
    local.get $ptr local.get $size i32.add global.set $heap
    local.get $old_size
    if local.get $ptr local.get $old local.get $old_size memory.copy end
    local.get $ptr)"#;

/// The interface the imports fixtures share, in a package of its own.
const KV_PACKAGE: &str = "package eval:host@0.1.0 {
    interface kv {
        get: func(key: string) -> option<string>;
        set: func(key: string, value: string);
    }
}
";

/// A component that imports an interface nothing provides
/// (`eval:host/kv@0.1.0`) and a world-level function (`log`): `pure`
/// calls neither, `lookup` calls `kv.get`, `note` calls `log`.
pub fn imports_component() -> Vec<u8> {
    component(&imports_wit(), &imports_core())
}

/// The WIT of [`imports_component`] (one file: its package and, nested,
/// `eval:host@0.1.0`).
pub fn imports_wit() -> String {
    format!(
        "package eval:app;

{KV_PACKAGE}
world app {{
    import eval:host/kv@0.1.0;
    import log: func(msg: string);
    export pure: func(x: u32) -> u32;
    export lookup: func(key: string) -> option<string>;
    export note: func(msg: string) -> u32;
}}
"
    )
}

fn imports_core() -> String {
    format!(
        r#"(module
  (import "eval:host/kv@0.1.0" "get" (func $get (param i32 i32 i32)))
  (import "eval:host/kv@0.1.0" "set" (func $set (param i32 i32 i32 i32)))
  (import "$root" "log" (func $log (param i32 i32)))
  {REALLOC}
  (func (export "pure") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
  ;; option<string> comes back in a return area: tag at 64, pointer and
  ;; length at 68 and 72.
  (func (export "lookup") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 64 call $get
    i32.const 64)
  (func (export "note") (param i32 i32) (result i32)
    local.get 0 local.get 1 call $log
    local.get 1)
)"#
    )
}

/// A provider for [`imports_component`]: it exports `eval:host/kv@0.1.0`
/// (`get` answers `some("plugged:" + key)`, so a test sees the key went in
/// and the answer came out) and `log`.
pub fn kv_provider_component() -> Vec<u8> {
    let wit = format!(
        "package eval:provider;

{KV_PACKAGE}
world provider {{
    export eval:host/kv@0.1.0;
    export log: func(msg: string);
}}
"
    );
    let core = format!(
        r#"(module
  {REALLOC}
  (data (i32.const 128) "plugged:")
  ;; get(key) = some("plugged:" + key)
  (func (export "eval:host/kv@0.1.0#get") (param $p i32) (param $n i32) (result i32)
    (local $out i32)
    i32.const 0 i32.const 0 i32.const 1 local.get $n i32.const 8 i32.add call $realloc local.set $out
    local.get $out i32.const 128 i32.const 8 memory.copy
    local.get $out i32.const 8 i32.add local.get $p local.get $n memory.copy
    i32.const 64 i32.const 1 i32.store8
    i32.const 68 local.get $out i32.store
    i32.const 72 local.get $n i32.const 8 i32.add i32.store
    i32.const 64)
  (func (export "eval:host/kv@0.1.0#set") (param i32 i32 i32 i32))
  (func (export "log") (param i32 i32))
)"#
    );
    component(&wit, &core)
}

/// `test:grow/mem@0.1.0.try-grow(pages)`: `memory.grow` as the guest sees
/// it (the old size in pages, or -1 when refused).
pub fn grow_component() -> Vec<u8> {
    let wit = "package test:grow@0.1.0;

interface mem {
    try-grow: func(pages: u32) -> s32;
}

world grow {
    export mem;
}
";
    let core = r#"(module
  (memory (export "memory") 1)
  (func (export "test:grow/mem@0.1.0#try-grow") (param i32) (result i32) local.get 0 memory.grow)
)"#;
    component(wit, core)
}
