//! AFL entry point of the `analysis` target; its body and what it checks are in `src/lib.rs`.
fn main() {
    afl::fuzz!(|data: &[u8]| nbtriage_fuzz::analysis(data));
}
