fn main() {
    std::process::exit(vouch::cli::main());
}
