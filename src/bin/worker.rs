//! The page's analysis worker (built by Trunk for wasm32). Natively there is nothing to run.

fn main() {
    #[cfg(target_arch = "wasm32")]
    nbtriage::web::worker::start();
}
