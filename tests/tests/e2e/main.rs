//! Every end-to-end test of wasmlens, in one test binary: each module is one area (CLI, LSP
//! feature, runtime, editor). One binary links Wasmtime once instead of once per file, which
//! keeps a clean build inside the disk and time CI has.

mod binary_deps;
mod cli_check;
mod cli_fmt;
mod cli_run;
mod compiled_cache;
mod dap;
mod debug_session;
mod debug_values;
mod dependency_pins;
mod format;
mod fuzz_regression;
mod imports;
mod lens_discovery;
mod lens_protocol;
mod lints_and_overlays;
mod lsp_code_actions;
mod lsp_completion;
mod lsp_consent;
mod lsp_debug;
mod lsp_documents;
mod lsp_formatting;
mod lsp_hover_symbols;
mod lsp_imports;
mod lsp_lenses;
mod lsp_navigation;
mod lsp_rename;
mod lsp_request;
mod lsp_robustness;
mod lsp_semantic_tokens;
mod lsp_structure;
mod nvim;
mod run_c_program;
mod run_parity;
mod runtime_library;
mod serve;
mod symbol_index;
mod syntax_roundtrip;
mod tidy;
mod verdict_cases;
mod verdict_corpus;
mod vscode;
