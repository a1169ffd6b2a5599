//! AFL entry point of the `line` target; its body and what it checks are in `src/lib.rs`.
fn main() {
    afl::fuzz!(|data: &[u8]| nbtriage_fuzz::line(data));
}
