//! The streaming entry point: files in, bytes in chunks, a report out; and the last steps of
//! making the report: the findings sorted (`build`), the verdict (`verdict`), the evidence
//! lines read back (`evidence_text`).

mod build;
mod coverage;
mod evidence_text;
mod jobs;
mod read_ahead;
mod verdict;

pub use evidence_text::MemorySource;
pub use read_ahead::ReadAhead;

use crate::correlate::Model;
use crate::facts::limits::Limits;
use crate::facts::FileFacts;
use crate::input::LineSource;
use crate::item::ItemScanner;
use crate::report::Report;
use crate::rules;

/// A file being fed to an [`Analysis`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId(usize);

/// Collects files, each fed in chunks of any size, in any order, and analyzes them together.
#[derive(Default)]
pub struct Analysis {
    open: Vec<Option<ItemScanner>>,
    done: Vec<FileFacts>,
    limits: Limits,
}

impl Analysis {
    pub fn new() -> Self {
        Self::default()
    }

    /// Scans each file within `limits` instead of `Limits::DEFAULT` (the tests reach every cap
    /// at `Limits::TINY`).
    pub fn with_limits(limits: Limits) -> Self {
        Analysis { limits, ..Self::default() }
    }

    /// Starts a file; `path` is its path as given or found (folders in it name host and process).
    /// An archive (.zip, .tar, .tar.gz, .gz) is opened and its files analyzed.
    pub fn add_file(&mut self, path: impl Into<String>) -> FileId {
        self.open.push(Some(ItemScanner::new(path, None).with_limits(self.limits)));
        FileId(self.open.len() - 1)
    }

    /// Feeds the next chunk of a file. Chunks of a finished file are ignored.
    pub fn feed(&mut self, file: FileId, chunk: &[u8]) {
        if let Some(Some(scanner)) = self.open.get_mut(file.0) {
            scanner.feed(chunk);
        }
    }

    /// Adds a note to a file, e.g. that reading it stopped with an error.
    pub fn note(&mut self, file: FileId, note: impl Into<String>) {
        if let Some(Some(scanner)) = self.open.get_mut(file.0) {
            scanner.note(note);
        }
    }

    /// Ends a file early, freeing its scanner. Files not ended are ended by [`Analysis::finish`].
    pub fn finish_file(&mut self, file: FileId) {
        if let Some(scanner) = self.open.get_mut(file.0).and_then(Option::take) {
            self.done.extend(scanner.finish().into_iter().map(|(facts, _)| facts));
        }
    }

    /// Adds a file scanned elsewhere (another thread or worker).
    pub fn add_scanned(&mut self, facts: FileFacts) {
        self.done.push(facts);
    }

    /// Analyzes the files together; evidence lines are read back through `source`.
    pub fn finish(mut self, source: &mut dyn LineSource) -> Report {
        for scanner in self.open.drain(..).flatten() {
            self.done.extend(scanner.finish().into_iter().map(|(facts, _)| facts));
        }
        analyze(self.done, source)
    }
}

/// Analyzes scanned files together; evidence lines are read back through `source`. The order
/// of `files` does not matter.
pub fn analyze(mut files: Vec<FileFacts>, source: &mut dyn LineSource) -> Report {
    crate::order::sort_by(&mut files, |a, b| a.path.cmp(&b.path).then(a.digest.cmp(&b.digest)));
    let model = Model::build(&files);
    let findings = rules::run(&model);
    let mut report = build::build(&model, findings);
    report.jobs = jobs::summarize(&files, &model);
    drop(model);
    if let Some(jobs) = &report.jobs {
        jobs::fold_into_verdict(jobs, &mut report.verdict, &mut report.headline);
    }
    evidence_text::fill_evidence_text(&mut report, source);
    report
}
