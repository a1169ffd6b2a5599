//! The page's analysis worker (built by Trunk for wasm32). Natively there is nothing to run.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

fn main() {
    #[cfg(target_arch = "wasm32")]
    nbtriage::web::worker::start();
}
