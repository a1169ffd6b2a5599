//! AFL entry point of the `archive` target; its body and what it checks are in `src/lib.rs`.
fn main() {
    afl::fuzz!(|data: &[u8]| nbtriage_fuzz::archive(data));
}
