//! Every case runs at several chunk sizes (1, 7, 4096 bytes, whole) through one helper,
//! [`unpack`], which requires the same entries, data and notes from each.

use super::map::MAX_MARKS;
use super::read::ArchiveBytes;
use super::test_archives::{deflate, gzip, gzip_all_fields, seal, tar_header, Tar, Zip, ZipOpts, DEFLATED, STORED};
use super::*;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    Start(String),
    Data(Vec<u8>),
    End,
    Note(Option<String>, String),
}
use Event::*;

#[derive(Default)]
struct Recorder(Vec<Event>);

impl EntrySink for Recorder {
    fn start_entry(&mut self, path: &str) {
        self.0.push(Start(path.to_string()));
    }
    fn entry_data(&mut self, bytes: &[u8]) {
        assert!(!bytes.is_empty(), "empty data call");
        assert!(matches!(self.0.iter().rev().find(|e| !matches!(e, Note(..))), Some(Start(_) | Data(_))));
        match self.0.last_mut() {
            Some(Data(data)) => data.extend_from_slice(bytes),
            _ => self.0.push(Data(bytes.to_vec())),
        }
    }
    fn end_entry(&mut self) {
        assert!(matches!(self.0.iter().rev().find(|e| !matches!(e, Note(..))), Some(Start(_) | Data(_))));
        self.0.push(End);
    }
    fn note(&mut self, entry: Option<&str>, note: String) {
        self.0.push(Note(entry.map(str::to_string), note));
    }
}

fn run(kind: ArchiveKind, name: &str, limits: Limits, bytes: &[u8], chunk: usize) -> Vec<Event> {
    let mut sink = Recorder::default();
    let mut unpacker = Unpacker::new(kind, name, limits);
    for piece in bytes.chunks(chunk.max(1)) {
        unpacker.feed(piece, &mut sink);
    }
    let out = unpacker.bytes_out();
    unpacker.finish(&mut sink);
    let data: usize = sink.0.iter().map(|e| if let Data(d) = e { d.len() } else { 0 }).sum();
    assert!(data as u64 >= out, "bytes_out {out} counts more than was handed out ({data})");
    sink.0
}

/// Unpacks at every chunk size, requires the same result, returns it.
fn unpack_with(kind: ArchiveKind, name: &str, limits: Limits, bytes: &[u8]) -> Vec<Event> {
    let whole = run(kind, name, limits, bytes, bytes.len());
    for chunk in [1, 7, 4096] {
        assert_eq!(run(kind, name, limits, bytes, chunk), whole, "chunks of {chunk} bytes");
    }
    let starts = whole.iter().filter(|e| matches!(e, Start(_))).count();
    assert_eq!(starts, whole.iter().filter(|e| matches!(e, End)).count(), "every entry ends: {whole:?}");
    whole
}

fn unpack(kind: ArchiveKind, name: &str, bytes: &[u8]) -> Vec<Event> {
    unpack_with(kind, name, Limits::default(), bytes)
}

/// The events of entries read whole.
fn files(entries: &[(&str, &[u8])]) -> Vec<Event> {
    let mut events = Vec::new();
    for (path, data) in entries {
        events.push(Start(path.to_string()));
        if !data.is_empty() {
            events.push(Data(data.to_vec()));
        }
        events.push(End);
    }
    events
}

fn note(entry: Option<&str>, text: &str) -> Event {
    Note(entry.map(str::to_string), text.to_string())
}

fn a_data() -> Vec<u8> {
    (0..600u32).map(|i| b"0123456789abcdef\n"[i as usize % 17]).collect()
}

const B_DATA: &[u8] = b"17:49:54.006 [5592.5372] <2> bpbrm main: started\n";

fn two_files() -> Vec<Event> {
    files(&[("a.log", &a_data()), ("dir/b.log", B_DATA)])
}

fn two_file_tar() -> Vec<u8> {
    Tar::default()
        .file("a.log", &a_data())
        .entry("dir/", b'5', b"")
        .entry("dir/link", b'2', b"")
        .file("./dir/b.log", B_DATA)
        .end()
}

fn two_file_zip(opts: ZipOpts) -> Vec<u8> {
    Zip::default().add("a.log", &a_data(), opts).add("dir/", b"", STORED).add("dir/b.log", B_DATA, opts).end()
}

#[test]
fn kinds_from_magic_then_name() {
    let tar = two_file_tar();
    let gz = gzip(b"x");
    assert_eq!(kind_of("x.tar.gz", &gz), Some(ArchiveKind::TarGz));
    assert_eq!(kind_of("X.TGZ", &gz), Some(ArchiveKind::TarGz));
    assert_eq!(kind_of("logs/bpbrm.log.gz", &gz), Some(ArchiveKind::Gzip));
    assert_eq!(kind_of("whatever", &tar[..512]), Some(ArchiveKind::Tar));
    assert_eq!(kind_of("x.zip", b"PK\x03\x04rest"), Some(ArchiveKind::Zip));
    assert_eq!(kind_of("x.log", b"PK\x05\x06"), Some(ArchiveKind::Zip));
    assert_eq!(kind_of("x.tar.gz", b"17:49:54.006 [5592.5372]"), None);
    assert_eq!(kind_of("x.zip", b""), None);
    // An old tar without the ustar magic: by its name and checksum.
    let mut old = tar_header("a.log", 3, b'0');
    old[257..265].fill(0);
    seal(&mut old);
    assert_eq!(kind_of("old.tar", &old), Some(ArchiveKind::Tar));
    assert_eq!(kind_of("old.bin", &old), None);
    assert_eq!(kind_of("zeros.tar", &[0; 512]), None);
}

#[test]
fn tar_two_files() {
    assert_eq!(unpack(ArchiveKind::Tar, "x.tar", &two_file_tar()), two_files());
}

#[test]
fn tar_gz_two_files() {
    assert_eq!(unpack(ArchiveKind::TarGz, "x.tar.gz", &gzip(&two_file_tar())), two_files());
    // Trailing data after the end blocks and after the gzip stream is ignored.
    let mut tar = two_file_tar();
    tar.extend_from_slice(b"junk after the end");
    let mut tgz = gzip(&tar);
    tgz.extend_from_slice(&[0; 100]);
    assert_eq!(unpack(ArchiveKind::TarGz, "x.tgz", &tgz), two_files());
}

#[test]
fn single_gzip_is_one_file() {
    let events = unpack(ArchiveKind::Gzip, "logs/bpbrm.log.gz", &gzip(B_DATA));
    assert_eq!(events, files(&[("bpbrm.log", B_DATA)]));
    assert_eq!(unpack(ArchiveKind::Gzip, "empty.log.gz", &gzip(b"")), files(&[("empty.log", b"")]));
    let events = unpack(ArchiveKind::Gzip, "C:\\logs\\all.log.GZ", &gzip_all_fields(B_DATA));
    assert_eq!(events, files(&[("all.log", B_DATA)]));
}

#[test]
fn multi_member_gzip_is_one_stream() {
    let mut gz = gzip(&a_data());
    gz.extend_from_slice(&gzip_all_fields(B_DATA));
    gz.extend_from_slice(&gzip(b""));
    let both = [a_data(), B_DATA.to_vec()].concat();
    assert_eq!(unpack(ArchiveKind::Gzip, "bpbrm.log.gz", &gz), files(&[("bpbrm.log", &both)]));
}

#[test]
fn not_gzip() {
    let events = unpack(ArchiveKind::Gzip, "x.gz", b"plain text, not gzip");
    assert_eq!(events, [note(None, "not a gzip file: it does not start with the gzip signature")]);
}

#[test]
fn zip_stored_deflated_and_with_descriptors() {
    let bare = ZipOpts { descriptor: true, bare_descriptor: true, ..DEFLATED };
    for opts in [
        STORED,
        DEFLATED,
        ZipOpts { descriptor: true, ..DEFLATED },
        bare,
        ZipOpts { zip64: true, ..STORED },
        ZipOpts { zip64: true, ..DEFLATED },
        ZipOpts { zip64: true, ..bare },
    ] {
        assert_eq!(unpack(ArchiveKind::Zip, "x.zip", &two_file_zip(opts)), two_files(), "{opts:?}");
    }
}

#[test]
fn zip_names_and_nested_archives() {
    let inner = gzip(b"inner");
    let zip = Zip::default()
        .add("logs\\win.log", b"w", STORED)
        .add("../../etc/passwd", b"p", DEFLATED)
        .add("/abs/./x.log", b"x", STORED)
        .add("inner.tar.gz", &inner, STORED)
        .end();
    let expected =
        files(&[("logs/win.log", b"w"), ("etc/passwd", b"p"), ("abs/x.log", b"x"), ("inner.tar.gz", &inner)]);
    assert_eq!(unpack(ArchiveKind::Zip, "x.zip", &zip), expected);
    assert_eq!(unpack(ArchiveKind::Zip, "empty.zip", &Zip::default().end()), []);
}

#[test]
fn zip_entries_it_cannot_read_are_noted_and_skipped() {
    let zip = Zip::default()
        .add("a.log", b"a", DEFLATED)
        .add("secret.log", b"encrypted bytes", ZipOpts { encrypted: true, ..DEFLATED })
        .add("b.log", b"bzip2 bytes", ZipOpts { method: 12, ..STORED })
        .add("c.log", b"zstd bytes", ZipOpts { method: 93, ..STORED })
        .add("d.log", b"?", ZipOpts { method: 42, ..STORED })
        .add("e.log", b"e", STORED)
        .end();
    let mut expected = files(&[("a.log", b"a")]);
    expected.push(note(Some("secret.log"), "password-protected: nbtriage cannot read it"));
    expected.push(note(Some("b.log"), "compressed with method 12 (bzip2), which nbtriage cannot read: unpack the archive and drop the files, or zip them again with plain Deflate"));
    expected.push(note(Some("c.log"), "compressed with method 93 (zstd), which nbtriage cannot read: unpack the archive and drop the files, or zip them again with plain Deflate"));
    expected.push(note(Some("d.log"), "compressed with method 42, which nbtriage cannot read: unpack the archive and drop the files, or zip them again with plain Deflate"));
    expected.extend(files(&[("e.log", b"e")]));
    assert_eq!(unpack(ArchiveKind::Zip, "x.zip", &zip), expected);
}

#[test]
fn zip_entries_without_a_size_that_cannot_be_read_stop_the_archive() {
    let stored = Zip::default()
        .add("a.log", b"a", STORED)
        .add("b.log", b"b", ZipOpts { descriptor: true, ..STORED })
        .add("c.log", b"c", STORED)
        .end();
    let mut expected = files(&[("a.log", b"a")]);
    expected.push(note(Some("b.log"), "stored without a size: unpack the archive and drop the files"));
    assert_eq!(unpack(ArchiveKind::Zip, "x.zip", &stored), expected);

    let encrypted = Zip::default().add("b.log", b"b", ZipOpts { descriptor: true, encrypted: true, ..DEFLATED }).end();
    let expected = [
        note(Some("b.log"), "password-protected: nbtriage cannot read it"),
        note(None, "stopped at b.log: the entry's size is not in its header, so the files after it cannot be found"),
    ];
    assert_eq!(unpack(ArchiveKind::Zip, "x.zip", &encrypted), expected);
}

const RATIO_NOTE: &str =
    "cut after 1 MiB unpacked: it expands more than 200 times, the limit on the compression ratio (a zip bomb?)";

/// Checks a bomb was cut at 1 MiB of zeros.
fn assert_cut(events: &[Event], at: usize, path: &str) {
    assert_eq!(events[at], Start(path.to_string()));
    assert_eq!(events[at + 1], Data(vec![0; 1 << 20]));
    assert_eq!(events[at + 2..at + 4], [End, note(Some(path), RATIO_NOTE)]);
}

#[test]
fn zip_bomb_entry_is_cut_and_the_rest_read() {
    let zeros = vec![0u8; 50 << 20];
    for opts in [DEFLATED, ZipOpts { descriptor: true, ..DEFLATED }] {
        let zeros = if opts.descriptor { &zeros[..8 << 20] } else { &zeros[..] };
        let zip = Zip::default().add("a.log", b"a", STORED).add("bomb.log", zeros, opts).add("c.log", b"c", opts).end();
        let events = unpack(ArchiveKind::Zip, "bomb.zip", &zip);
        assert_eq!(events[..3], files(&[("a.log", b"a")]));
        assert_cut(&events, 3, "bomb.log");
        assert_eq!(events[7..], files(&[("c.log", b"c")]));
    }
}

#[test]
fn gzip_bomb_stops() {
    let gz = gzip(&vec![0u8; 4 << 20]);
    let events = unpack(ArchiveKind::Gzip, "bomb.log.gz", &gz);
    assert_cut(&events, 0, "bomb.log");
    assert_eq!(events.len(), 4);

    let tgz = gzip(&Tar::default().file("bomb.log", &vec![0u8; 4 << 20]).end());
    let events = unpack(ArchiveKind::TarGz, "bomb.tgz", &tgz);
    assert_eq!(events[0], Start("bomb.log".into()));
    assert!(matches!(&events[1], Data(d) if d.len() < 1 << 20 && d.iter().all(|&b| b == 0)));
    let text = "stopped after 1023.5 KiB unpacked: the archive expands more than 200 times, the limit on the compression ratio (a zip bomb?)";
    assert_eq!(events[2..], [End, note(None, text)]);
}

#[test]
fn total_bytes_limit_cuts_where_it_is_reached() {
    let limits = Limits { max_total_bytes: 700, ..Limits::default() };
    let b_data: Vec<u8> = B_DATA.iter().cycle().take(300).copied().collect();
    let mut expected = files(&[("a.log", &a_data()), ("dir/b.log", &b_data[..100])]);
    let text = "stopped after 700 bytes unpacked: the limit on unpacked bytes per archive (a zip bomb?)";
    expected.push(note(None, text));
    let tar = Tar::default().file("a.log", &a_data()).file("dir/b.log", &b_data).file("c.log", b"c").end();
    assert_eq!(unpack_with(ArchiveKind::Tar, "x.tar", limits, &tar), expected);
    assert_eq!(unpack_with(ArchiveKind::TarGz, "x.tgz", limits, &gzip(&tar)), expected);
    let zip = Zip::default().add("a.log", &a_data(), DEFLATED).add("dir/b.log", &b_data, STORED).end();
    assert_eq!(unpack_with(ArchiveKind::Zip, "x.zip", limits, &zip), expected);
}

#[test]
fn files_past_the_entry_limit_are_ignored() {
    let limits = Limits { max_entries: 10, ..Limits::default() };
    let names: Vec<String> = (0..25).map(|i| format!("f{i:02}.log")).collect();
    let mut tar = Tar::default();
    let mut zip = Zip::default();
    for name in &names {
        tar = tar.file(name, name.as_bytes());
        zip = zip.add(name, name.as_bytes(), DEFLATED);
    }
    let kept: Vec<(&str, &[u8])> = names[..10].iter().map(|n| (n.as_str(), n.as_bytes())).collect();
    let mut expected = files(&kept);
    expected.push(note(None, "stopped after 10 files: the limit on files per archive"));
    assert_eq!(unpack_with(ArchiveKind::Tar, "x.tar", limits, &tar.end()), expected);
    assert_eq!(unpack_with(ArchiveKind::Zip, "x.zip", limits, &zip.end()), expected);
}

#[test]
fn truncated_archives_are_noted() {
    let tar = two_file_tar();
    let b_start = tar.len() - 1024 - 512 + 10; // 10 bytes into b.log's data
    let mut expected = files(&[("a.log", &a_data()), ("dir/b.log", &B_DATA[..10])]);
    expected.push(note(None, "the archive ends early (truncated?): 2 files read"));
    assert_eq!(unpack(ArchiveKind::Tar, "x.tar", &tar[..b_start]), expected);

    // Cut inside a header.
    let mut expected = files(&[("a.log", &a_data())]);
    expected.push(note(None, "the archive ends early (truncated?): 1 file read"));
    assert_eq!(unpack(ArchiveKind::Tar, "x.tar", &tar[..512 + 1024 + 100]), expected);

    let zip = two_file_zip(STORED);
    let cut = zip.windows(B_DATA.len()).position(|w| w == B_DATA).unwrap() + B_DATA.len() - 10;
    let mut expected = files(&[("a.log", &a_data()), ("dir/b.log", &B_DATA[..B_DATA.len() - 10])]);
    expected.push(note(None, "the archive ends early (truncated?): 2 files read"));
    let events = unpack(ArchiveKind::Zip, "x.zip", &zip[..cut]);
    assert_eq!(events, expected);
    // Without the central directory.
    let local_end = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let mut expected = two_files();
    expected.push(note(None, "the archive ends early (truncated?): 2 files read"));
    assert_eq!(unpack(ArchiveKind::Zip, "x.zip", &zip[..local_end]), expected);
}

#[test]
fn truncated_compressed_data_gives_a_prefix() {
    let big: Vec<u8> = (0..200_000u32).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
    let checks: [(ArchiveKind, Vec<u8>); 3] = [
        (ArchiveKind::Gzip, gzip(&big)),
        (ArchiveKind::TarGz, gzip(&Tar::default().file("big.log", &big).end())),
        (ArchiveKind::Zip, Zip::default().add("big.log", &big, ZipOpts { descriptor: true, ..DEFLATED }).end()),
    ];
    for (kind, bytes) in checks {
        let events = unpack(kind, "big.log.gz", &bytes[..bytes.len() / 2]);
        let [Start(path), Data(data), End, Note(None, text)] = &events[..] else { panic!("{kind:?}: {events:?}") };
        assert_eq!(path, "big.log");
        assert!(data.len() > 100_000 && big.starts_with(data), "{kind:?}");
        assert_eq!(text, "the archive ends early (truncated?): 1 file read");
    }
}

#[test]
fn tar_long_names() {
    let long = format!("{}/bpbrm.log", "very-long-folder-name".repeat(8));
    let longer = format!("{}/bpcd.log", "another-folder".repeat(10));
    let mut ustar = tar_header("nbu/vnetd.log", 2, b'0');
    ustar[..100].fill(0);
    ustar[..9].copy_from_slice(b"vnetd.log");
    ustar[345..358].copy_from_slice(b"host1/netback");
    seal(&mut ustar);
    let tar = Tar::default()
        .long_name(&long)
        .file(&long[..100], b"gnu")
        .pax(&[("mtime", "1.5"), ("path", &longer)])
        .file("PaxHeaders/short", b"pax")
        .entry("global", b'g', b"20 comment=ignored\n")
        .header(ustar)
        .data(b"vv")
        .end();
    let expected = files(&[(&long, b"gnu"), (&longer, b"pax"), ("host1/netback/vnetd.log", b"vv")]);
    assert_eq!(unpack(ArchiveKind::Tar, "x.tar", &tar), expected);
}

#[test]
fn tar_sizes_in_base_256_and_pax() {
    let mut h = tar_header("big.log", 0, b'0');
    h[124..136].fill(0);
    h[124] = 0x80;
    h[135] = 5;
    seal(&mut h);
    // The pax size wins over the header's (0 here, as for files of 8 GiB and more).
    let tar = Tar::default()
        .header(h)
        .data(b"12345")
        .pax(&[("size", "3")])
        .header(tar_header("p.log", 0, b'0'))
        .data(b"abc")
        .end();
    assert_eq!(unpack(ArchiveKind::Tar, "x.tar", &tar), files(&[("big.log", b"12345"), ("p.log", b"abc")]));
}

#[test]
fn tar_bad_checksum_stops() {
    let mut tar = two_file_tar();
    let second = 512 * 3 + 1024; // the "dir/" header
    tar[second] ^= 0x20;
    let mut expected = files(&[("a.log", &a_data())]);
    expected.push(note(
        None,
        "damaged: a tar header after 1 file does not add up (bad checksum), so the rest cannot be read",
    ));
    assert_eq!(unpack(ArchiveKind::Tar, "x.tar", &tar), expected);
}

#[test]
fn damaged_deflate_is_noted() {
    let mut zip = Zip::default().add("a.log", &a_data(), DEFLATED).add("b.log", b"b", STORED).end();
    zip[30 + 5] = 0xff; // a.log's first deflate byte: reserved block type
    let expected = [
        Start("a.log".into()),
        note(Some("a.log"), "the compressed data is damaged: the rest of the file is lost"),
        End,
        Start("b.log".into()),
        Data(b"b".to_vec()),
        End,
    ];
    assert_eq!(unpack(ArchiveKind::Zip, "x.zip", &zip), expected);
}

const ZIP_CRC_NOTE: &str = "its data does not match its checksum (CRC-32): it may be damaged, and is analyzed as read";

fn crc32(data: &[u8]) -> [u8; 4] {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    crc.sum().to_le_bytes()
}

#[test]
fn zip_crc_mismatch_is_a_note_on_that_entry_and_the_next_is_read() {
    let bare = ZipOpts { descriptor: true, bare_descriptor: true, ..DEFLATED };
    for opts in [STORED, DEFLATED, ZipOpts { descriptor: true, ..DEFLATED }, bare, ZipOpts { zip64: true, ..STORED }] {
        let mut zip = two_file_zip(opts);
        // a.log's CRC-32 first appears where the reader takes it: its header or its descriptor.
        let at = zip.windows(4).position(|w| w == crc32(&a_data())).unwrap();
        zip[at] ^= 1;
        let mut expected = two_files();
        expected.insert(3, note(Some("a.log"), ZIP_CRC_NOTE));
        assert_eq!(unpack(ArchiveKind::Zip, "x.zip", &zip), expected, "{opts:?}");
    }
}

fn gz_crc_note(member: &str) -> String {
    format!("the unpacked data does not match the checksum{member} (CRC-32 or length in the gzip trailer): it may be damaged, and is analyzed as read")
}

#[test]
fn gzip_trailer_mismatch_is_a_note_and_the_data_is_kept() {
    // The CRC-32, then the length.
    for at in [8, 3] {
        let mut gz = gzip(B_DATA);
        let len = gz.len();
        gz[len - at] ^= 1;
        let events = unpack(ArchiveKind::Gzip, "bpbrm.log.gz", &gz);
        let expected =
            [Start("bpbrm.log".into()), Data(B_DATA.to_vec()), note(Some("bpbrm.log"), &gz_crc_note("")), End];
        assert_eq!(events, expected);
    }
    // The second of three members.
    let mut second = gzip_all_fields(B_DATA);
    let len = second.len();
    second[len - 6] ^= 0x40;
    let gz = [gzip(&a_data()), second, gzip(b"end\n")].concat();
    let expected = [
        Start("bpbrm.log".into()),
        Data([a_data(), B_DATA.to_vec()].concat()),
        note(Some("bpbrm.log"), &gz_crc_note(" of gzip member 2")),
        Data(b"end\n".to_vec()),
        End,
    ];
    assert_eq!(unpack(ArchiveKind::Gzip, "bpbrm.log.gz", &gz), expected);
}

#[test]
fn tar_gz_trailer_mismatch_is_a_note_on_the_archive() {
    let mut tgz = gzip(&two_file_tar());
    let len = tgz.len();
    tgz[len - 8] ^= 1;
    let mut expected = two_files();
    expected.push(note(None, &gz_crc_note("")));
    assert_eq!(unpack(ArchiveKind::TarGz, "x.tgz", &tgz), expected);
}

#[test]
fn numbers_in_notes() {
    assert_eq!(count(20_000, "file", "files"), "20,000 files");
    assert_eq!(count(1, "file", "files"), "1 file");
    assert_eq!(count(1_234_567, "byte", "bytes"), "1,234,567 bytes");
    assert_eq!(size(4 << 30), "4 GiB");
    assert_eq!(size(3 << 19), "1.5 MiB");
    assert_eq!(size(700), "700 bytes");
    assert_eq!(clean_path("./a/../b//c/"), "a/b/c");
}

#[test]
fn deflate_helper_round_trips() {
    // The test archives' deflate data is raw (no zlib header), as zip stores it.
    let mut d = flate2::Decompress::new(false);
    let mut out = vec![0; 100];
    d.decompress(&deflate(b"hello"), &mut out, flate2::FlushDecompress::Finish).unwrap();
    assert_eq!(&out[..5], b"hello");
}

/// Log-like text that compresses into many deflate blocks (numbers from a small generator).
fn varied_log(lines: u32, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let mut out = Vec::new();
    for i in 0..lines {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let (h, m, s, ms) = (x % 24, (x >> 5) % 60, (x >> 11) % 60, (x >> 17) % 1000);
        out.extend_from_slice(
            format!("{h:02}:{m:02}:{s:02}.{ms:03} [{}.{}] <2> bpbrm line {i}: value {x:x}\n", x % 9999, x % 77)
                .as_bytes(),
        );
    }
    out
}

/// The archive in memory, read by offset as the page reads a `File`; counts its reads.
struct InMemory<'a>(&'a [u8], usize);

impl ArchiveBytes for InMemory<'_> {
    fn read(&mut self, start: u64, end: u64) -> Option<Vec<u8>> {
        self.1 += 1;
        let len = self.0.len() as u64;
        Some(self.0[start.min(len) as usize..end.min(len) as usize].to_vec())
    }
}

/// Unpacks keeping a map (restart points every `every` bytes), at several chunk sizes: the same
/// map and the same events as without one. Returns the map and each entry's bytes.
fn mapped(kind: ArchiveKind, bytes: &[u8], every: u64, cap: usize) -> (ArchiveMap, Vec<Vec<u8>>) {
    let plain = run(kind, "x.tgz", Limits::default(), bytes, bytes.len());
    let mut first: Option<ArchiveMap> = None;
    for chunk in [bytes.len(), 1, 4096] {
        let mut sink = Recorder::default();
        let mut unpacker = Unpacker::new(kind, "x.tgz", Limits::default());
        unpacker.keep_map_with(every, cap);
        for piece in bytes.chunks(chunk.max(1)) {
            unpacker.feed(piece, &mut sink);
        }
        let map = unpacker.finish(&mut sink).expect("a map");
        assert_eq!(sink.0, plain, "keeping a map changes nothing unpacked ({chunk}-byte chunks)");
        match &first {
            Some(m) => assert_eq!(&map, m, "{chunk}-byte chunks"),
            None => first = Some(map),
        }
    }
    let map = first.unwrap();
    let mut data = Vec::new();
    for e in &plain {
        match e {
            Start(_) => data.push(Vec::new()),
            Data(d) => data.last_mut().unwrap().extend_from_slice(d),
            _ => {}
        }
    }
    assert_eq!(map.entries.len(), data.len());
    for (entry, bytes) in map.entries.iter().zip(&data) {
        assert_eq!(entry.len, bytes.len() as u64, "{}", entry.path);
    }
    (map, data)
}

/// Every entry read back whole, in pieces from its end to its start, and at a spread of
/// ranges, cold and through the cache: always the bytes the sink got.
fn reads_back(kind: ArchiveKind, bytes: &[u8], every: u64, cap: usize) -> ArchiveMap {
    let (map, data) = mapped(kind, bytes, every, cap);
    let mut file = InMemory(bytes, 0);
    for (i, expected) in data.iter().enumerate() {
        let len = expected.len() as u64;
        let mut cold = ReadCache::default();
        assert_eq!(map.read(i, 0, len + 10, &mut file, &mut cold).unwrap(), *expected, "entry {i} whole");
        let mut warm = ReadCache::default();
        let step = (len / 7).max(1);
        let mut at = len;
        while at > 0 {
            let from = at.saturating_sub(step + 13);
            let got = map.read(i, from, at, &mut file, &mut warm).unwrap();
            assert_eq!(got, expected[from as usize..at as usize], "entry {i} {from}..{at}");
            let mut cold = ReadCache::default();
            assert_eq!(map.read(i, from, at, &mut file, &mut cold).unwrap(), got);
            at = from;
        }
        assert_eq!(map.read(i, len, len + 5, &mut file, &mut warm).unwrap(), b"");
    }
    map
}

#[test]
fn entries_read_back_from_a_map_in_every_form() {
    let a = varied_log(30_000, 1);
    let b = varied_log(7_000, 2);
    let tar = Tar::default().file("h1/bpbrm/log.010120", &a).file("h2/bpcd/log.010120", &b).file("empty", b"").end();
    for every in [64 << 10, super::map::MARK_EVERY] {
        let map = reads_back(ArchiveKind::Tar, &tar, every, MAX_MARKS);
        assert!(map.marks.is_empty());
        assert!(matches!(map.entries[1].place, Place::Stored { .. }));
        let map = reads_back(ArchiveKind::TarGz, &gzip(&tar), every, MAX_MARKS);
        if every < 1 << 20 {
            assert!(map.marks.len() > 10, "{} marks", map.marks.len());
        }
        assert!(matches!(map.entries[1].place, Place::InGzip { offset } if offset > a.len() as u64));
        // A .gz of several members, one of them with every header field.
        let gz = [gzip(&a), gzip_all_fields(&b), gzip(b""), gzip(&a[..5000])].concat();
        let map = reads_back(ArchiveKind::Gzip, &gz, every, MAX_MARKS);
        assert_eq!(map.entries.len(), 1);
        for opts in [STORED, DEFLATED, ZipOpts { descriptor: true, ..DEFLATED }, ZipOpts { zip64: true, ..DEFLATED }] {
            let zip = Zip::default().add("a.log", &a, opts).add("dir/", b"", STORED).add("b.log", &b, opts).end();
            let map = reads_back(ArchiveKind::Zip, &zip, every, MAX_MARKS);
            assert_eq!(map.entries.len(), 2);
            if opts.method == 8 && every < 1 << 20 {
                assert!(map.marks.iter().any(|(s, _)| *s == 1), "marks in b.log's stream: {opts:?}");
            }
        }
    }
}

#[test]
fn restart_points_are_capped_and_reads_still_agree() {
    // A mark due at every block boundary: more than a cap of 8, so they are thinned out.
    let a = varied_log(60_000, 3);
    let tgz = gzip(&Tar::default().file("a.log", &a).end());
    let (every_block, _) = mapped(ArchiveKind::TarGz, &tgz, 1, MAX_MARKS);
    assert!(every_block.marks.len() > 16, "{} blocks", every_block.marks.len());
    let map = reads_back(ArchiveKind::TarGz, &tgz, 1, 8);
    let n = map.marks.len();
    assert!((3..=8).contains(&n), "{n} marks, every {}", map.every());
    assert!(map.every() > 256);
    // What a read costs: at most the spacing before it, plus the range and what is kept around it.
    let mut cache = ReadCache::default();
    let mut file = InMemory(&tgz, 0);
    let len = map.entries[0].len;
    map.read(0, len - 100, len, &mut file, &mut cache).unwrap();
    assert!(cache.inflated <= map.every() * 2 + (256 << 10) + 512 + 100, "{} inflated", cache.inflated);
    // Windows are 32 KiB at most: the map's size is bounded by the cap.
    assert!(map.heap_bytes() <= 8 * (33 << 10) + 4096);
}

#[test]
fn a_stream_cut_short_since_the_scan_reads_what_is_there() {
    let a = varied_log(20_000, 4);
    let gz = gzip(&a);
    let (map, _) = mapped(ArchiveKind::Gzip, &gz, 64 << 10, MAX_MARKS);
    let half = &gz[..gz.len() / 2];
    let mut file = InMemory(half, 0);
    let got = map.read(0, 0, a.len() as u64, &mut file, &mut ReadCache::default()).unwrap();
    assert!(!got.is_empty() && got.len() < a.len() && a.starts_with(&got));
    let far = map.read(0, a.len() as u64 - 10, a.len() as u64, &mut file, &mut ReadCache::default()).unwrap();
    assert_eq!(far, b"");
}

// proptest is a native-only dev-dependency (the wasm tests run in node).
#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const KINDS: [ArchiveKind; 4] = [ArchiveKind::Gzip, ArchiveKind::Tar, ArchiveKind::TarGz, ArchiveKind::Zip];

    fn samples() -> Vec<(ArchiveKind, Vec<u8>)> {
        vec![
            (ArchiveKind::Tar, two_file_tar()),
            (ArchiveKind::TarGz, gzip(&two_file_tar())),
            (ArchiveKind::Gzip, gzip(&a_data())),
            (ArchiveKind::Zip, two_file_zip(DEFLATED)),
            (ArchiveKind::Zip, two_file_zip(ZipOpts { descriptor: true, zip64: true, ..DEFLATED })),
        ]
    }

    fn small() -> Limits {
        Limits { max_total_bytes: 1 << 20, max_entries: 50, max_ratio: 200 }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..3000), kind in 0..4usize, chunk in 1..600usize) {
            let kind = KINDS[kind];
            let whole = run(kind, "x", small(), &bytes, bytes.len());
            prop_assert_eq!(run(kind, "x", small(), &bytes, chunk), whole);
        }

        #[test]
        fn damaged_archives(sample in 0..5usize, flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8), cut in any::<usize>(), chunk in 1..600usize, as_kind in 0..5usize) {
            let (kind, mut bytes) = samples().swap_remove(sample);
            for (at, xor) in flips {
                let len = bytes.len();
                bytes[at % len] ^= xor;
            }
            bytes.truncate(cut % (bytes.len() + 1));
            let kind = KINDS.get(as_kind).copied().unwrap_or(kind);
            let whole = run(kind, "x.tgz", small(), &bytes, bytes.len());
            prop_assert_eq!(run(kind, "x.tgz", small(), &bytes, chunk), whole.clone());
            // Keeping a map changes nothing, and each entry reads back as it was unpacked.
            let mut sink = Recorder::default();
            let mut unpacker = Unpacker::new(kind, "x.tgz", small());
            unpacker.keep_map_with(512, 4);
            for piece in bytes.chunks(chunk) {
                unpacker.feed(piece, &mut sink);
            }
            let map = unpacker.finish(&mut sink).unwrap();
            prop_assert_eq!(&sink.0, &whole);
            let mut data: Vec<Vec<u8>> = Vec::new();
            for e in &whole {
                match e {
                    Start(_) => data.push(Vec::new()),
                    Data(d) => data.last_mut().unwrap().extend_from_slice(d),
                    _ => {}
                }
            }
            prop_assert_eq!(map.entries.len(), data.len());
            for (i, expected) in data.iter().enumerate() {
                let len = expected.len() as u64;
                let got = map.read(i, len / 3, len, &mut InMemory(&bytes, 0), &mut ReadCache::default()).unwrap();
                prop_assert_eq!(&got[..], &expected[(len / 3) as usize..]);
            }
        }
    }
}
