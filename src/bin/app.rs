//! The page's main thread (built by Trunk for wasm32). Natively there is nothing to run.

fn main() {
    #[cfg(target_arch = "wasm32")]
    nbtriage::web::app::start();
}
