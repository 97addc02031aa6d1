//! The `exauth` command: a thin entry point over `exchange_auth_tools::cli`.

fn main() -> std::process::ExitCode {
    exchange_auth_tools::cli::run(std::env::args_os())
}
