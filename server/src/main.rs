use std::process::ExitCode;

mod one_shot_alloc;

#[global_allocator]
static ALLOCATOR: one_shot_alloc::OneShotAllocator = one_shot_alloc::OneShotAllocator::new();

fn main() -> ExitCode {
    wasmlens::cli::main(|| ALLOCATOR.enable_arena())
}
