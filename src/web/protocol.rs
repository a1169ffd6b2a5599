//! Messages between the page and its worker. The one message that carries `File` objects
//! (`analyze`) is built by hand, since serde cannot carry them; the rest go through
//! serde-wasm-bindgen.
//!
//! The enums are externally tagged (`{"view": {...}}`, a unit variant as its name), not
//! internally (`{"type": "view", ...}`): serde reads an internally tagged enum by buffering the
//! whole message into its own `Content` tree first, and that machinery, with every message
//! type's fields read a second way through it, was about 19 KB of each WebAssembly module. The
//! hand-built messages keep a `type` field, so they cannot be taken for these.

use crate::viewer::{Filter, Histogram, PacketPick, ShownLine};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// Page → worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToWorker {
    /// Show the lines `filter` (and, when given, `text`) selects; the worker answers `View`.
    View { filter: Filter, text: Option<String> },
    /// Lines `start..start + count` of view `view`.
    Rows { view: u32, start: u32, count: u32 },
    /// Where a file's line (1-based) is in the current view.
    Locate { path: String, line: u32 },
    /// The next or previous error line after (before) position `from`; from the start (end)
    /// when `from` is `None`.
    NextError { from: Option<u32>, forward: bool },
    /// The next or previous line holding `text`, in the same way.
    Find { text: String, from: Option<u32>, forward: bool },
    /// A job's tries, read back from its record: 1-based line `line` of the job list `path`;
    /// names replaced by their pseudonyms when `redact`. The worker answers `Thread`.
    Thread { path: String, line: u32, redact: bool },
    /// Show the packets `pick` names, read again from the capture, among the log lines of its
    /// hosts that `filter` (and `text`) select; the worker answers `View`.
    Packets { pick: PacketPick, filter: Filter, text: Option<String> },
}

impl ToWorker {
    /// The text this request searches every file for, if any.
    pub fn search_text(&self) -> Option<&str> {
        match self {
            ToWorker::View { text: Some(text), .. }
            | ToWorker::Packets { text: Some(text), .. }
            | ToWorker::Find { text, .. } => Some(text.as_str()).filter(|t| !t.is_empty()),
            _ => None,
        }
    }

    /// The process ids a view's row filter keeps, if any.
    pub fn thread_pids(&self) -> Option<&[u32]> {
        match self {
            ToWorker::View { filter: Filter { rows: Some(rows), .. }, .. } if !rows.pids.is_empty() => Some(&rows.pids),
            _ => None,
        }
    }
}

/// Worker → page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FromWorker {
    Ready,
    /// Bytes read of all files, and of `file`: the file that reported last (with helper
    /// workers, several files are read at once and `file` moves between them).
    Progress {
        done_bytes: f64,
        total_bytes: f64,
        file: String,
        file_done_bytes: f64,
        file_bytes: f64,
        files_done: u32,
        files_total: u32,
        elapsed_ms: f64,
    },
    /// The analysis is done. `scan_ms` is how long reading and scanning took, `wasm_bytes` the
    /// WebAssembly memory of the coordinator and its helpers (for the benchmarks).
    Done {
        /// The report as JSON text: JavaScript's one number type would turn `20.0` into `20`,
        /// and the page's saved JSON must be the CLI's, byte for byte.
        report_json: String,
        /// The same report with names replaced by pseudonyms, as JSON text, and the mapping
        /// back as the file the page saves and as table rows (pseudonym, kind, originals):
        /// made here, where the core's word lists already are, for the page's "Redact names"
        /// switch.
        redacted_json: String,
        mapping_json: String,
        mapping_rows: Vec<[String; 3]>,
        histogram: Option<Histogram>,
        lines: u64,
        scan_ms: f64,
        wasm_bytes: f64,
    },
    /// A new view: its id, length, and the filter it shows (the worker may reset the filter
    /// to find a line).
    View {
        view: u32,
        length: u32,
        filter: Filter,
        text: Option<String>,
        /// With a capture's packets among the rows: how many, and on which clock.
        #[serde(default)]
        packets: Option<String>,
    },
    Rows {
        view: u32,
        start: u32,
        lines: Vec<ShownLine>,
    },
    /// An answer to `Locate`, `NextError` or `Find`: a position in view `view`, if any.
    Position {
        view: u32,
        index: Option<u32>,
        line: Option<u32>,
        path: Option<String>,
    },
    /// A job's tries (an answer to `Thread`); `read` is false when its record could not be
    /// read back.
    Thread {
        path: String,
        line: u32,
        tries: Vec<crate::parse::bpdbjobs::JobTry>,
        /// The tries' servers as the files name them (for the viewer's row filter, never shown).
        servers: Vec<String>,
        read: bool,
    },
    Error {
        message: String,
    },
}

pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

pub fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    //! The binding layer: what crosses between the page and the worker survives the trip
    //! through JavaScript values unchanged (run with `cargo test --target wasm32-unknown-unknown`).
    use super::*;
    use crate::viewer::Row;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn seed_report() -> crate::report::Report {
        let mut analysis = crate::Analysis::new();
        let mut files = crate::MemorySource::default();
        for (path, bytes) in crate::web::input::SAMPLE {
            let id = analysis.add_file(*path);
            analysis.feed(id, bytes);
            files.insert(path.to_string(), bytes.to_vec());
        }
        analysis.finish(&mut files)
    }

    #[wasm_bindgen_test]
    fn the_report_crosses_unchanged() {
        let report = seed_report();
        assert_eq!(report.findings.len(), 2);
        let (redacted, mapping) = crate::redact::redact(&report);
        let message = FromWorker::Done {
            report_json: serde_json::to_string(&report).unwrap(),
            redacted_json: serde_json::to_string(&redacted).unwrap(),
            mapping_json: mapping.to_json(),
            mapping_rows: mapping.rows(),
            histogram: None,
            lines: 90,
            scan_ms: 1.0,
            wasm_bytes: 2.0,
        };
        match from_js::<FromWorker>(to_js(&message)).unwrap() {
            FromWorker::Done { report_json, redacted_json, mapping_json, mapping_rows, lines, .. } => {
                let back: crate::report::Report = serde_json::from_str(&report_json).unwrap();
                assert_eq!(back, report);
                assert_eq!(serde_json::from_str::<crate::report::Report>(&redacted_json).unwrap(), redacted);
                assert_eq!((mapping_json, mapping_rows), (mapping.to_json(), mapping.rows()));
                assert_eq!(crate::report::json::render(&back), crate::report::json::render(&report));
                assert_eq!(lines, 90);
            }
            other => panic!("{other:?}"),
        }
    }

    #[wasm_bindgen_test]
    fn requests_cross_unchanged() {
        let filter = Filter { hosts: vec!["media01".into()], min_level: 2, aligned: true, ..Filter::default() };
        let view = ToWorker::View { filter: filter.clone(), text: Some("SO_ERROR".into()) };
        let js = to_js(&view);
        // Externally tagged: no `type` field a hand-built message could be taken for.
        assert!(js_sys::Reflect::get(&js, &"view".into()).unwrap().is_object());
        assert!(js_sys::Reflect::get(&js, &"type".into()).unwrap().is_undefined());
        match from_js::<ToWorker>(js).unwrap() {
            ToWorker::View { filter: f, text } => assert_eq!((f, text.as_deref()), (filter.clone(), Some("SO_ERROR"))),
            other => panic!("{other:?}"),
        }
        let find = ToWorker::Find { text: "x".into(), from: None, forward: false };
        assert!(matches!(
            from_js::<ToWorker>(to_js(&find)).unwrap(),
            ToWorker::Find { from: None, forward: false, .. }
        ));
        assert!(from_js::<ToWorker>(JsValue::from_str("nonsense")).is_err());
        let pick = PacketPick {
            label: "packets".into(),
            client: "2.2.2.2".into(),
            server: "3.3.3.3".into(),
            port: Some(1556),
            anchors: vec![crate::viewer::Anchor {
                client: "2.2.2.2.3582".into(),
                server: "3.3.3.3.1556".into(),
                at_ms: 1_307_123_394_222,
                host_offset_ms: -1137,
            }],
            hosts: vec![crate::viewer::ThreadHost { name: "media01".into(), offset_ms: Some(0) }],
            ..PacketPick::default()
        };
        let packets = ToWorker::Packets { pick: pick.clone(), filter: filter.clone(), text: None };
        let js = to_js(&packets);
        assert!(js_sys::Reflect::get(&js, &"packets".into()).unwrap().is_object());
        match from_js::<ToWorker>(js).unwrap() {
            ToWorker::Packets { pick: p, filter: f, text: None } => assert_eq!((p, f), (pick, filter.clone())),
            other => panic!("{other:?}"),
        }
        let line = ShownLine { file: 0, line: 0, time_ms: Some(1), level: 0, text: "t".into(), packet: true };
        let rows = FromWorker::Rows { view: 1, start: 0, lines: vec![line.clone()] };
        assert!(
            matches!(from_js::<FromWorker>(to_js(&rows)).unwrap(), FromWorker::Rows { lines, .. } if lines == [line])
        );
        // The forms the coordinator reads from its helpers by hand (web::parallel).
        assert_eq!(to_js(&FromWorker::Ready).as_string().as_deref(), Some("ready"));
        assert!(matches!(from_js::<FromWorker>(to_js(&FromWorker::Ready)), Ok(FromWorker::Ready)));
        let error = js_sys::Reflect::get(&to_js(&FromWorker::Error { message: "m".into() }), &"error".into()).unwrap();
        assert_eq!(js_sys::Reflect::get(&error, &"message".into()).unwrap().as_string().as_deref(), Some("m"));
        let _ = Row { file: 0, line: 0 };
    }

    #[wasm_bindgen_test]
    fn picked_names_stay_unique_and_keep_their_dates() {
        let paths = crate::web::input::unique(vec![
            "060311.log".into(),
            "060311.log".into(),
            "log.060311".into(),
            "log.060311".into(),
        ]);
        assert_eq!(paths, vec!["060311.log", "060311 (2).log", "log.060311", "log (2).060311"]);
        for p in &paths {
            assert!(crate::input::path_meta::from_path(p).date.is_some(), "{p}");
        }
    }
}
