;; The `calc` world by hand, against the canonical ABI: a bump allocator
;; (`cabi_realloc`) for the strings the host passes in, and `greet`'s
;; string result returned through a (pointer, length) pair in memory.
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func $realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $ptr i32)
    ;; Round the heap up to `align`, hand out `size` bytes.
    global.get $heap
    local.get $align i32.const 1 i32.sub i32.add
    local.get $align i32.const 1 i32.sub i32.const -1 i32.xor i32.and
    local.set $ptr
    local.get $ptr local.get $size i32.add global.set $heap
    local.get $old_size
    if local.get $ptr local.get $old local.get $old_size memory.copy end
    local.get $ptr)

  (func (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a local.get $b i32.add)

  (data (i32.const 16) "Hello, !")
  (func (export "greet") (param $name i32) (param $len i32) (result i32)
    (local $out i32) (local $out_len i32)
    ;; "Hello, " + name + "!"
    local.get $len i32.const 8 i32.add local.set $out_len
    i32.const 0 i32.const 0 i32.const 1 local.get $out_len call $realloc local.set $out
    local.get $out i32.const 16 i32.const 7 memory.copy
    local.get $out i32.const 7 i32.add local.get $name local.get $len memory.copy
    local.get $out i32.const 7 i32.add local.get $len i32.add i32.const 23 i32.const 1 memory.copy
    ;; The result: (pointer, length) at offset 32.
    i32.const 32 local.get $out i32.store
    i32.const 36 local.get $out_len i32.store
    i32.const 32)

  (func (export "spin") (loop $forever br $forever))
)
