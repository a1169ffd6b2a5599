//! Words that are never names: NetBackup's own (processes, install folders, the catalogue's and
//! the rules' texts, status messages) and common English. A name found by its place in the
//! report (a host folder, a host's name) is redacted even when it is one of these, except for
//! the few in [`is_protected`]; a word found only by a heuristic (after `client `, the first
//! label of a dotted name, a folder) is taken for a name only when it is none of these.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Never replaced, wherever they are found: NetBackup's processes and install folders,
/// the loopback host, the built-in accounts.
pub fn is_protected(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    crate::input::process::is_process(lower.as_bytes())
        || PROTECTED.contains(&lower.as_str())
        || (101..=400).any(|oid| crate::parse::vxul::originator_name(oid) == Some(lower.as_str()))
}

const PROTECTED: &[&str] = &[
    "localhost",
    "localhost.localdomain",
    "localdomain",
    "root",
    "administrator",
    "administrators",
    "system",
    "nt authority",
    "authority",
    "builtin",
    "local service",
    "network service",
    "public",
    "default",
    "all users",
    "default user",
    "unknown host",
    "netbackup",
    "veritas",
    "symantec",
    "openv",
    "volmgr",
    "logs",
    "log",
    "usr",
    "var",
    "opt",
    "tmp",
    "temp",
    "program files",
    "program files (x86)",
    "install_path",
    "legacy",
    "legacy_logs",
    "debug",
    "home",
    "users",
    "export",
    "pbx",
    "pbx_exchange",
    "nbatd",
    "nbwmc",
    "nbsl",
    "bpjava",
    "spad",
    "spoold",
    "storaged",
    "ocsd",
    "vxms",
    "mqm",
];

/// Whether `word` (one word, any case) is NetBackup's or common English.
pub fn is_vocabulary(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    is_protected(&lower) || vocabulary().contains(lower.as_str())
}

/// The lower-case words of the catalogue (signature texts and line shapes, status messages and
/// meanings, OS errors), the rules' documentation, and [`ENGLISH`]. Built once.
fn vocabulary() -> &'static HashSet<String> {
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: HashSet<String> = ENGLISH.split_whitespace().map(str::to_string).collect();
        let mut add = |text: &str| {
            for w in text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 1) {
                words.insert(w.to_ascii_lowercase());
            }
        };
        use crate::catalogue::{ERRNOS, PATTERNS, SIGNATURES, STATUSES};
        for s in STATUSES {
            add(s.message);
            add(s.meaning);
            add(s.read_next);
        }
        for e in ERRNOS {
            add(e.name);
            add(e.meaning);
            e.texts.iter().for_each(|t| add(t));
        }
        for p in PATTERNS {
            // The literals only: a hole's name is not a word of the line.
            for segment in p.segments {
                if let crate::catalogue::Segment::Lit(text) = segment {
                    add(text);
                }
            }
        }
        for s in SIGNATURES {
            for text in [s.name, s.title, s.summary, s.meaning, s.caveats] {
                add(text);
            }
            s.fix.iter().chain(s.collect).for_each(|t| add(t));
            s.request.iter().for_each(|t| add(t));
        }
        for r in crate::rules::all() {
            for text in [r.title, r.meaning, r.evidence, r.caveats] {
                add(text);
            }
            match r.fix {
                crate::rules::RuleFix::Text(text) => add(text),
                crate::rules::RuleFix::Steps(steps) => steps.iter().for_each(|t| add(t)),
            }
        }
        words
    })
}

/// Common English words that follow "client", "host", "server" or "policy" in prose, and
/// the words of nbtriage's own sentences.
const ENGLISH: &str = "
a about above after again against all also an and another any are as at back be because been
before being below between both but by can cannot could did do does doing done down during each
either else end even every few first for from further had has have having here how if in into is
it its itself just last least less like may might more most much must my name named names near
neither new next no none nor not now of off old on once one only or other others our out over
own per same should since so some still such than that the their them then there these they this
those though through to too under until up upon very via was we were what when where whether which
while who whom whose why will with within without would yet you your
able accept accepted access active add added address addresses after again agent alive allow
allowed already always answer answered any anything applies apply are attempt attempts available
away backup backups bad based begin begins below both bound buffer busy call called cancel
canceled cancelled cannot case cause caused change changed check checked checks child clean
client clients clock close closed closes closing code command commands complete completed
connect connected connecting connection connections contact continue continued copy could count
create created current daemon data database date day default delay delayed delays denied
details did directory disabled disk does domain done drive dropped each empty enabled end ended
ends entry error errors every exit exited expired fail failed failing fails failure failures false
fatal file files find first fix folder found free full given going good got group half handle
handshake has have heard here high hold host hosts hour id ids image images info information
init initiated interface internal job jobs keep kept killed known last later latest least left
level line lines list listen listening live load local lock log logged logging logs long look lost
low made main manager master media message messages minute minutes mode more most name named
names need needed needs network never new next node none normal not note nothing now null number
numbers ok old once one online only open opened opening option options order other output own
parent part pass path pending per pid policies policy port ports primary problem process
processes protocol proxy queue queued read reading ready reason received receiving refused
remote request requested requests required reset resource resources response restart restore
result retry retrying returned right role root run running same schedule schedules second
seconds see send sending sent server servers service session set setting settings several
shared should shut side signal size skip slow socket sockets some source start started starting
state status still stop stopped storage stream string success successful successfully system
table tape target task terminate terminated test text than that thread time timed timeout
timer times total trying type unable unit units unknown up update use used user users using
value version wait waited waiting waits want was way were while window windows work working
write writing wrote yes zero
case cases ticket tickets bundle bundles collected collection sample samples seed technote tests
pasted paste jobdetails activity monitor vxlogview output desktop documents downloads incoming
upload uploads support nbsu nbcc evidence copy copies extract extracted archive archives
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netbackup_words_and_english_are_vocabulary_names_are_not() {
        for word in ["bpcd", "BPBRM", "nbjm", "localhost", "the", "is", "socket", "failed", "timed"] {
            assert!(is_vocabulary(word), "{word}");
        }
        for word in ["media01", "myclient", "tnaspr04", "zebra", "acme"] {
            assert!(!is_vocabulary(word), "{word}");
        }
        assert!(is_protected("vnetd") && is_protected("nbpem") && !is_protected("client"));
    }
}
