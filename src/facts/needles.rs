//! The literals that start a typed fact (see `extract.rs`), each named, and the severity tags.
//!
//! A file of its own because the build script reads it too: the catalogue's anchors join these
//! in the one needle pass per chunk, and the build checks that all of them together stay within
//! what the SIMD searchers handle well (`catalogue/compile/mod.rs`, `MAX_NEEDLES`).

/// The tags that make a debug line an error or a warning whatever its `<N>` (see
/// `parse::legacy::severity`): a line without any needle cannot hold one, so the scan reads the
/// tags only on lines the chunk pass flagged.
pub const TAG_NEEDLES: &[&str] = &["ERR - ", "WRN - ", "FTL - ", "FATAL"];

/// Declares the fact needles once: each one's name (for `extract::read`'s match) and its text
/// (for the chunk pass), in one order by construction, so no match arm depends on a position.
macro_rules! fact_needles {
    ($($name:ident = $text:literal,)*) => {
        /// A literal that starts a typed fact.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum FactNeedle {
            $($name,)*
        }

        impl FactNeedle {
            /// Every needle, in the order of [`FACT_NEEDLES`]: a search's pattern index is a place here.
            pub const ALL: &'static [FactNeedle] = &[$(FactNeedle::$name,)*];
        }

        /// The needles' texts, in the order of [`FactNeedle::ALL`].
        pub const FACT_NEEDLES: &[&str] = &[$($text,)*];
    };
}

fact_needles! {
    ConnectInProgress = "connect in progress:",
    SoError = "SO_ERROR returned:",
    PbxSupportQuery = "VN_REQUEST_PBX_C_SUPPORTED",
    PbxNotRunning = "PBX is not running",
    Connect = " CONNECT FROM ",
    Accept = " ACCEPT FROM ",
    ForwardSocketRequest = "VN_REQUEST_CONNECT_FORWARD_SOCKET",
    IpcString = "ipc_string:",
    HashStr1 = "hash_str1:",
    MaxTime = "max_time:",
    FunctionFailed = "Function failed:",
    ProcessConnectForwardSocket = "process_connect_forward_socket:",
    PeerPort = "peer port:",
    MpxIpc = "mpx_ipc:",
    NcbDataSocket = "NCB_DATASOCKET ",
    IsPbxableServer = "is_pbxable_server:",
    ReturnedFailure = " returned failure:",
    GetVnetdForwardSocketFailed = "get_vnetd_forward_socket failed:",
    CannotCreateDataSocket = "cannot create data socket",
    ExitStatusCaps = "EXIT STATUS ",
    ExitStatusLower = "exit status ",
    ExitingWithStatus = "EXITING with status ",
    ChildPid = "child pid = ",
}
