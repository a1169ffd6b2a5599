//! Admin commands' output, read as evidence: the commands support articles ask admins to run
//! (`bptestbpcd`, `bpclntcmd`, `nbcertcmd`, `nbdevquery`, `bplist`, `tpconfig`), each an input form of its own, as the Commands
//! Reference Guide documents it. A file is taken for a command's output by its first lines (a
//! prompt line that runs the command, or the command's first output line in its own shape),
//! never by work on every line of a debug log: [`prompt`] and [`first_output`] are tried only on
//! the first few lines that no log form reads.
//!
//! A command's exit status is the command's, not a job's: `EXIT STATUS 114` under an
//! `nbcertcmd` prompt is "the command ended with status 114", and it is read here so the scanner
//! does not take it for a process's exit.
//!
//! One module per command, each with the real sample output it was written from and its source.

mod bpclntcmd;
mod bplist;
mod bptestbpcd;
mod nbcertcmd;
mod nbdevquery;
mod tpconfig;

use serde::{Deserialize, Serialize};

/// The bytes of a prompt line's arguments kept.
pub const MAX_ARGS: usize = 160;

/// A command nbtriage reads the output of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    Bptestbpcd,
    Bpclntcmd,
    Nbcertcmd,
    Nbdevquery,
    Bplist,
    Tpconfig,
}

impl Command {
    pub const ALL: [Command; 6] = [
        Command::Bptestbpcd,
        Command::Bpclntcmd,
        Command::Nbcertcmd,
        Command::Nbdevquery,
        Command::Bplist,
        Command::Tpconfig,
    ];

    /// The command's name, as typed.
    pub fn name(self) -> &'static str {
        match self {
            Command::Bptestbpcd => "bptestbpcd",
            Command::Bpclntcmd => "bpclntcmd",
            Command::Nbcertcmd => "nbcertcmd",
            Command::Nbdevquery => "nbdevquery",
            Command::Bplist => "bplist",
            Command::Tpconfig => "tpconfig",
        }
    }
}

/// What one line of a command's output says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommandFact {
    /// The prompt line that ran the command: its arguments as typed (at most
    /// [`MAX_ARGS`] bytes), the first of which is usually the operation (`-pn`,
    /// `-getCACertificate`).
    Ran { args: String },
    /// `EXIT STATUS N` (nbcertcmd prints `EXIT STATUS 114: unimplemented error code 114`): the
    /// command ended with status N.
    Exit { status: u32 },
    /// bptestbpcd's first output line, the three connect-option digits (`1 1 1`): printed once
    /// the connection to bpcd is made.
    BpcdOptions { options: String },
    /// bptestbpcd: one socket to bpcd (`127.0.0.1:36246 -> 127.0.0.1:55596`, and after `PROXY`
    /// the connection the secure proxy made: `192.168.6.41:54720 -> 172.20.0.81:1556`).
    BpcdSocket { from: String, to: String },
    /// bpclntcmd -pn: `expecting response from server <server>`: the inquiry sent.
    ServerAsked { server: String },
    /// bpclntcmd -pn: the server's answer, how it identifies the host that asked
    /// (`client_01.example.com *NULL* 192.168.0.30 3815`).
    ServerAnswered { name: String, address: String },
    /// nbcertcmd: `CA Certificate received successfully from server <server>.`
    CaCertificateReceived { server: String },
    /// nbcertcmd -listCACertDetails: `Subject Name : <subject>`, which starts a CA certificate's
    /// details.
    CaCertSubject { subject: String },
    /// nbcertcmd -listCACertDetails: `Start Date : <date>`, as written.
    CaCertStart { date: String },
    /// nbcertcmd -listCACertDetails: `Expiry Date : <date>`, as written.
    CaCertExpiry { date: String },
    /// nbdevquery -liststs -U: `Storage Server      : <name>`, which starts a server's block.
    StorageServer { name: String },
    /// nbdevquery -liststs -U: `Storage Server Type : <type>` (`DataDomain`, `BasicDisk`).
    StorageServerType { stype: String },
    /// nbdevquery -liststs -U: `State               : <state>` (`UP`).
    StorageServerState { state: String },
    /// nbdevquery -listdp -U / -listdv -U: `Disk Pool Name      : <name>`, which starts a disk
    /// pool's block (-listdp) or a disk volume's (-listdv).
    DiskPool { name: String },
    /// nbdevquery -listdv -U: `Disk Volume Name    : <name>`: the block is a volume's.
    DiskVolume { name: String },
    /// nbdevquery -listdp -U / -listdv -U: `Status              : <status>` (`UP`), the pool's or
    /// the volume's.
    DiskStatus { status: String },
    /// tpconfig -l: a robot's line, its number and type (`robot 0 - TLD ...`).
    Robot { number: String, rtype: String },
    /// tpconfig -l: a tape drive's line: its index, type, status (`UP`) and name
    /// (`drive - 0 hcart2 2 UP - IBM.ULT3580-HH5.000 {3,0,1,0}`).
    Drive { index: String, dtype: String, status: String, name: String },
}

/// A prompt line that runs one of the commands: the command's name as a word of its own (after
/// a path, a prompt's `#`, `$` or `>`, or at the start), followed by an option, `.exe` or the
/// line's end. `[root@m]# /usr/openv/netbackup/bin/admincmd/bptestbpcd -verbose -client c`,
/// `> /usr/openv/netbackup/bin/bpclntcmd -pn`,
/// `C:\Program Files\Veritas\NetBackup\bin> nbcertcmd -deleteCertificate -hostID ...`.
pub fn prompt(text: &[u8]) -> Option<(Command, CommandFact)> {
    if text.len() > 1024 {
        return None;
    }
    Command::ALL.into_iter().find_map(|command| {
        let name = command.name().as_bytes();
        let at = memchr::memmem::find_iter(text, name).find(|&at| {
            let before_ok = at == 0 || matches!(text[at - 1], b' ' | b'/' | b'\\' | b'>' | b'#' | b'$' | b'\t');
            let rest = &text[at + name.len()..];
            let rest = rest.strip_prefix(b".exe").unwrap_or(rest);
            before_ok && (rest.is_empty() || matches!(rest[0], b' ' | b'\r' | b'"')) && runs_it(&text[..at])
        })?;
        let rest = text[at + name.len()..].trim_ascii();
        let rest = rest.strip_prefix(b".exe").unwrap_or(rest);
        let rest = rest.strip_prefix(b"\"").unwrap_or(rest).trim_ascii();
        let args = String::from_utf8_lossy(&rest[..rest.len().min(MAX_ARGS)]).into_owned();
        Some((command, CommandFact::Ran { args }))
    })
}

/// Whether what comes before the command's word is a prompt (or nothing): the command, or the
/// path it is typed with, starts the line or follows a prompt's `#`, `$`, `>` or a label's `:`
/// (`Running Command: bpclntcmd -hn c1`, `C:\...\admincmd>bptestbpcd`), so that a sentence
/// naming the command is not taken for its output.
fn runs_it(before: &[u8]) -> bool {
    let is_prompt = |text: &[u8]| {
        let text = text.trim_ascii_end();
        text.is_empty() || matches!(text.last(), Some(b'#' | b'$' | b'>' | b':' | b'"'))
    };
    if is_prompt(before) {
        return true;
    }
    // A path: a separator (or a drive) after a blank, a prompt or the line's start, with a prompt
    // or nothing before it.
    (0..before.len()).any(|i| {
        let starts = matches!(before[i], b'/' | b'\\' | b'.' | b'"')
            || (before[i].is_ascii_alphabetic() && before[i + 1..].starts_with(b":\\"));
        starts
            && (i == 0 || matches!(before[i - 1], b' ' | b'\t' | b'#' | b'$' | b'>' | b'"'))
            && is_prompt(&before[..i])
    })
}

/// A command's first output line in its own shape, when the paste has no prompt line.
pub fn first_output(text: &[u8]) -> Option<(Command, CommandFact)> {
    let text = text.trim_ascii();
    if let Some(fact) = bptestbpcd::options(text) {
        return Some((Command::Bptestbpcd, fact));
    }
    if let Some(fact) = bpclntcmd::asked(text) {
        return Some((Command::Bpclntcmd, fact));
    }
    if let Some(fact) = nbdevquery::first(text) {
        return Some((Command::Nbdevquery, fact));
    }
    if let Some(fact) = tpconfig::line(text) {
        return Some((Command::Tpconfig, fact));
    }
    nbcertcmd::first(text).map(|fact| (Command::Nbcertcmd, fact))
}

/// One line of `command`'s output, once the file is known to be that command's.
pub fn read(command: Command, text: &[u8]) -> Option<CommandFact> {
    let text = text.trim_ascii();
    if let Some(status) = exit(text) {
        return Some(CommandFact::Exit { status });
    }
    match command {
        Command::Bptestbpcd => bptestbpcd::line(text),
        Command::Bpclntcmd => bpclntcmd::line(text),
        Command::Nbcertcmd => nbcertcmd::line(text),
        Command::Nbdevquery => nbdevquery::line(text),
        Command::Bplist => bplist::line(text),
        Command::Tpconfig => tpconfig::line(text),
    }
}

/// `EXIT STATUS N` at the line's start, alone or before `: message`.
fn exit(text: &[u8]) -> Option<u32> {
    let rest = text.strip_prefix(b"EXIT STATUS ")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 5 || rest.get(digits).is_some_and(|&b| b != b':' && b != b' ') {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

/// A host or address word: no spaces, printable, not empty.
fn word(text: &[u8]) -> Option<String> {
    let ok = !text.is_empty() && text.len() <= 255 && text.iter().all(|b| b.is_ascii_graphic());
    ok.then(|| String::from_utf8_lossy(text).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_name_their_command() {
        // 100vision/100vision.github.io, post80_backup_nbu_04.md (see bptestbpcd.rs).
        let unix = b"[root@nbu_master_server]# /usr/openv/netbackup/bin/admincmd/bptestbpcd -verbose -debug -client <nbu_client>_or_<media_server_name>";
        let args = "-verbose -debug -client <nbu_client>_or_<media_server_name>".to_string();
        assert_eq!(prompt(unix), Some((Command::Bptestbpcd, CommandFact::Ran { args })));
        assert_eq!(prompt(b"> /usr/openv/netbackup/bin/bpclntcmd -pn").map(|p| p.0), Some(Command::Bpclntcmd));
        // Veritas article 100041506 (see nbcertcmd.rs).
        let windows = b"C:\\Program Files\\Veritas\\NetBackup\\bin> nbcertcmd -deleteCertificate -hostID 6164fddd-6b8c-475d-94b8-3b35d750cd26";
        assert_eq!(
            prompt(windows),
            Some((
                Command::Nbcertcmd,
                CommandFact::Ran { args: "-deleteCertificate -hostID 6164fddd-6b8c-475d-94b8-3b35d750cd26".into() }
            ))
        );
        assert_eq!(prompt(b"bptestbpcd -client c1").map(|p| p.0), Some(Command::Bptestbpcd));
        assert_eq!(prompt(b"Running Command: bpclntcmd -hn c1").map(|p| p.0), Some(Command::Bpclntcmd));
        let windows = [
            &b"C:\\Program Files\\Veritas\\NetBackup\\bin\\admincmd>bptestbpcd -client c1"[..],
            b"C:\\Program Files\\Veritas\\NetBackup\\bin\\admincmd\\bptestbpcd.exe -client c1",
            b"PS C:\\Program Files\\Veritas\\NetBackup\\bin> .\\nbcertcmd.exe -getCACertificate",
            b"\"C:\\Program Files\\Veritas\\NetBackup\\bin\\nbcertcmd.exe\" -getCACertificate",
        ];
        for line in windows {
            assert!(prompt(line).is_some(), "{}", String::from_utf8_lossy(line));
        }
        for other in [
            &b"11:55:07.028 [1333] <2> bptestbpcd: VERBOSE = 0"[..],
            b"mybptestbpcd -x",
            b"nbcertcmdx",
            b"",
            b"Please run bptestbpcd -client c1 and send the output",
            b"Please run /usr/openv/netbackup/bin/admincmd/bptestbpcd -client c1",
        ] {
            assert_eq!(prompt(other), None, "{}", String::from_utf8_lossy(other));
        }
    }

    #[test]
    fn exit_status_lines() {
        assert_eq!(
            read(Command::Nbcertcmd, b"EXIT STATUS 114: unimplemented error code 114"),
            Some(CommandFact::Exit { status: 114 })
        );
        assert_eq!(read(Command::Nbcertcmd, b"EXIT STATUS 8509"), Some(CommandFact::Exit { status: 8509 }));
        assert_eq!(exit(b"EXIT STATUS x"), None);
        assert_eq!(exit(b"EXIT STATUS 12a"), None);
    }
}
