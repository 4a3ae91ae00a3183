;; The `hello` world by hand: `wasi:cli/run` writes one line to stdout
;; through the WASI 0.2 stream API, then returns `ok`.
(module
  (import "wasi:cli/stdout@0.2.12" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@0.2.12" "[method]output-stream.blocking-write-and-flush"
    (func $write (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]output-stream" (func $drop (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from wasm\n")
  (func (export "wasi:cli/run@0.2.12#run") (result i32)
    (local $out i32)
    call $get_stdout local.set $out
    ;; write(stream, bytes at 16, 16 bytes, result area at 64)
    local.get $out i32.const 16 i32.const 16 i32.const 64 call $write
    local.get $out call $drop
    ;; 0 = ok
    i32.const 0)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
)
