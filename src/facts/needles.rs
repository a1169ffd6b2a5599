//! The literals that start a typed fact (see `extract.rs`), in the order of its `read` arms.
//!
//! A file of its own because the build script reads it too: the catalogue's anchors join these
//! in the one needle pass per chunk, and the build checks that all of them together stay within
//! what the SIMD searchers handle well (`catalogue/compile.rs`, `MAX_NEEDLES`).

/// The tags that make a debug line an error or a warning whatever its `<N>` (see
/// `parse::legacy::severity`): a line without any needle cannot hold one, so the scan reads the
/// tags only on lines the chunk pass flagged.
pub const TAG_NEEDLES: &[&str] = &["ERR - ", "WRN - ", "FTL - ", "FATAL"];

pub const FACT_NEEDLES: &[&str] = &[
    "connect in progress:",
    "SO_ERROR returned:",
    "VN_REQUEST_PBX_C_SUPPORTED",
    "PBX is not running",
    " CONNECT FROM ",
    " ACCEPT FROM ",
    "VN_REQUEST_CONNECT_FORWARD_SOCKET",
    "ipc_string:",
    "hash_str1:",
    "max_time:",
    "Function failed:",
    "process_connect_forward_socket:",
    "peer port:",
    "mpx_ipc:",
    "NCB_DATASOCKET ",
    "is_pbxable_server:",
    " returned failure:",
    "get_vnetd_forward_socket failed:",
    "cannot create data socket",
    "EXIT STATUS ",
    "exit status ",
    "EXITING with status ",
    "child pid = ",
];
