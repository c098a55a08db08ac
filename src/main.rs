fn main() -> std::process::ExitCode {
    pftui::cli::main()
}
