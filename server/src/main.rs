use std::process::ExitCode;

fn main() -> ExitCode {
    wasmlens::cli::main()
}
