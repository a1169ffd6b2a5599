//! Bad input: whatever the bytes, the core gives a result and never panics; one bad file never
//! stops the others; each gets a clear note.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use proptest::prelude::*;

/// Bytes that look partly like log lines, so the fuzzing reaches past the header parser.
fn loggy_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::collection::vec(
        prop_oneof![
            Just(b"17:49:54.006 [5592.5372] <2> vnet_async_connect: ... 0: connect in progress: 1\n".to_vec()),
            Just(b"17:50:04.021 [5592.5372] <2> x: VN_REQUEST_PBX_C_SUPPORTED: 13\n".to_vec()),
            Just(b"17:50:04.599 [5592] <2> d: via VNETD: bpcd CONNECT FROM 2.2.2.2.3583 TO 3.3.3.3.13724\n".to_vec()),
            Just(b"00:00:00.000 [1] <16> mpx_ipc: 1;c432cfc40d6d02d80f592f6c03015c49;10\r\n".to_vec()),
            Just(b"23:59:59.999 [4294967295.4294967295] <65535> ipc_string: 99999999999\n".to_vec()),
            // The other line forms (parse/), whole and as pastes break them.
            Just(b"8:51:14.569 AM: [1924.2304] <2> tar_base::V_vTarMsgW: FTL - Backup operation aborted! 8:51:14.569 AM: [1924.2304] <2> x: INF - EXIT STATUS 156: snapshot error encountered\n".to_vec()),
            Just(b"6:00:14.218 AM: [452.976]\n<2> tar_base::V_vTarMsgW: INF - EXIT STATUS 156\n".to_vec()),
            Just(b"06/07/0205:22:57 AM: [439]:INF - CopyLocalToMaster()\n".to_vec()),
            Just(b"[17300.26824] <16> writeToServer: ERR - send() to server\n<2> db_end: x\n".to_vec()),
            Just(b"05/02/2013 22:23:34 - end writing; write time: 3:32:21 media close error  (87)\n".to_vec()),
            Just(b"29/01/2021 03:02:43 - Critical bptm(pid=50205) x\n02/01/2021 01:00:00 - Info y\n".to_vec()),
            Just(b"Dec 17, 2021 12:00:20 PM - Info bpdm (pid=154836) x\nmedia write error (84)\n".to_vec()),
            Just(b"bpdm/spad/020222.log:20:02:47 ERR [372116] [140611802953472]: 25128: x\n".to_vec()),
            Just(b"February 29 11:22:54 INF x\nLOG 1551428319 4 Info h 27726 y\n".to_vec()),
            Just(b"09:06:20 Error bpbrm (pid=7249) socket read failed: errno = 62 - Timer expired\n09:06:21 x\n".to_vec()),
            Just(b"process_tapealert: TapeAlert Code: 0x16, Type: Critical, Flag: X, from drive D\n".to_vec()),
            // Admin commands' output (parse/commands), with their prompt lines.
            Just(b"# /usr/openv/netbackup/bin/admincmd/bptestbpcd -client c1\n1 1 1\n127.0.0.1:36246 -> 127.0.0.1:55596 PROXY 192.168.6.41:54720 -> 172.20.0.81:1556\n".to_vec()),
            Just(b"> bpclntcmd -pn\nexpecting response from server m1\nc1.example.com *NULL* 192.168.0.30 3815 \n".to_vec()),
            Just(b"C:\\NetBackup\\bin> nbcertcmd -getCACertificate\r\nCA Certificate received successfully from server m1.\r\nEXIT STATUS 8509: x\r\n".to_vec()),
            Just(b"# nbdevquery -liststs -U\nStorage Server      : s1\nState               : UP\n...\n".to_vec()),
            Just(b"Disk Pool Name      : p1\nDisk Volume Name    : v1\nStatus              : UP\nFlag                : AdminUp\n".to_vec()),
            Just(b"robot      0    -    TLD    -       -  -          -                    {3,0,0,1}\n  drive    -    0 hcart2    2      UP  -          d0  {3,0,1,0}\n".to_vec()),
            Just(b"# /usr/openv/netbackup/bin/bplist -l\nEXIT STATUS 227: no entity was found\n".to_vec()),
            Just(b" /usr/openv/netbackup/bin/nbcertcmd  -listCACertDetails\n       Subject Name : /CN=nbatd/OU=root@m1/O=vx\n       Expiry Date : Jul 18 07:44:14 2038 GMT\n".to_vec()),
            // A host's settings (parse/settings): bp.conf lines, spacing and comments varied.
            Just(b"# BEGIN ANSIBLE MANAGED CFS SERVERS\nSERVER = m1\r\nSERVER=m2.example.com\nMEDIA_SERVER  =  m3\nCLIENT_NAME = c1\nCLIENT_READ_TIMEOUT = 900\n".to_vec()),
            // The system log (parse/syslog) in each form, and RMAN's stack (catalogue signatures).
            Just(b"May 15 23:09:30 h1 kernel: [  518.050606] Out of memory: Killed process 15784 (python3) x\nDec 4 08:54:36 host01 tldd[260]: TLD(0) unavailable: initialization failed:\n".to_vec()),
            Just(b"2020-09-15T08:37:12.000000+02:00 h2 rsyslogd[17247]: [ID 702911 syslog.error] x\nMar  2 17:35:10 h3 kernel: EXT4-fs (sda1): Remounting filesystem read-only\n".to_vec()),
            Just(b"Feb 29 00:09:01 mail-2 CRON[27153]: (root) CMD (  [ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi)\n".to_vec()),
            Just(b"RMAN-03009: failure of backup command on ch00 channel at 02/15/2012 16:44:07\nORA-19511: Error received from media manager layer, error text:\n   VxBSAEndTxn: Failed with error:\n".to_vec()),
            Just(b"ElfFile\0\0\0".to_vec()),
            Just(b"2004/09/02 5:18:04 NetBackup TL4 Daemon Error None 9760 N/A SYS-SEC-DB            TL4(0) [1380] Move_medium error\n".to_vec()),
            prop::collection::vec(any::<u8>(), 0..40),
        ],
        0..30,
    );
    pieces.prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_chunking_never_matters(
        a in prop::collection::vec(any::<u8>(), 0..3000),
        b in loggy_bytes(),
        chunk in 1usize..200,
    ) {
        let files = vec![
            ("media01/bpbrm/060311.log".to_string(), b.clone()),
            ("x/y".to_string(), a),
            ("c1/bp.conf".to_string(), b.clone()),
            ("c1/var/log/messages".to_string(), b),
        ];
        let whole = common::analyze_chunked(&files, usize::MAX / 2);
        prop_assert_eq!(common::analyze_chunked(&files, chunk), whole);
    }

    /// The same as UTF-16 (a byte order mark, then the text's code units, then anything).
    #[test]
    fn utf16_bytes_never_panic_and_chunking_never_matters(
        text in loggy_bytes(),
        tail in prop::collection::vec(any::<u8>(), 0..50),
        big_endian in any::<bool>(),
        chunk in 1usize..200,
    ) {
        let text = String::from_utf8_lossy(&text).into_owned();
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        bytes.extend(tail);
        let files = vec![("primary/nbjm.txt".to_string(), bytes)];
        let whole = common::analyze_chunked(&files, usize::MAX / 2);
        prop_assert_eq!(common::analyze_chunked(&files, chunk), whole);
    }
}

#[test]
fn bad_files_beside_the_seed_get_notes_and_the_diagnosis_still_comes() {
    let mut files = common::load_bundle("seed-technote");
    let mut huge = b"17:00:00.000 [1] <2> bpbrm main: ".to_vec();
    huge.extend(std::iter::repeat_n(b'x', 400_000));
    huge.extend_from_slice(b"\n17:00:01.000 [1] <2> bpbrm main: after the long line\n");
    let mut mangled = b"17:00:00.000 [7.8] <2> bpcd main: caf\xe9 \x00\x00 bytes\r\n".to_vec();
    mangled.extend_from_slice(b"\x00\x00\x00garbage\r\n17:00:02.000 [7.8] <2> bpcd main: cut off mid-li");
    files.extend([
        ("media01/screenshot.png".to_string(), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10".to_vec()),
        ("media01/empty.log".to_string(), Vec::new()),
        ("media01/notes.txt".to_string(), b"Dear support, the backup failed again.\n".to_vec()),
        ("media01/bpbrm/big.log".to_string(), huge),
        ("myclient/bpcd/mangled.log".to_string(), mangled),
        ("core.dump".to_string(), (0..=255u8).cycle().take(200_000).collect()),
    ]);
    let report = common::check_equivalent(&files);
    assert!(common::finding(&report, "pbx-connect-timeout").is_some());
    assert!(common::finding(&report, "forward-socket-expired").is_some());

    let notes = |path: &str| report.files.iter().find(|f| f.path == path).unwrap().notes.join(" | ");
    assert!(notes("media01/screenshot.png").contains("PNG image"), "{}", notes("media01/screenshot.png"));
    assert!(notes("media01/empty.log").contains("empty"));
    assert!(notes("media01/notes.txt").contains("No line in any form of NetBackup log nbtriage reads"));
    assert!(notes("core.dump").contains("Not a text file"));
    let big = notes("media01/bpbrm/big.log");
    assert!(big.contains("longer than 64 KiB") && big.contains("No date in the file name"), "{big}");
    let mangled = notes("myclient/bpcd/mangled.log");
    assert!(
        mangled.contains("not valid UTF-8") && mangled.contains("no line end") && mangled.contains("not in a log form"),
        "{mangled}"
    );
    assert!(report.notes.iter().any(|n| n.contains("could not be read as NetBackup logs")));
}

#[test]
fn undated_files_borrow_the_bundle_date_and_say_so() {
    let mut files = common::load_bundle("seed-technote");
    for (path, _) in &mut files {
        if path.starts_with("myclient/bpcd/") {
            *path = "myclient/bpcd/bpcd.log".into();
        }
    }
    let report = common::check_equivalent(&files);
    let bpcd = report.files.iter().find(|f| f.path == "myclient/bpcd/bpcd.log").unwrap();
    assert!(bpcd.notes.iter().any(|n| n.contains("Dated 2011-06-03 like the other files")), "{:?}", bpcd.notes);
    let socket = common::finding(&report, "forward-socket-expired").unwrap();
    assert_eq!(socket.facts["needed"], serde_json::json!("2011-06-03T17:50:15.454"));
}

/// Lines dated without a year (RFC 3164) keep their month and day and borrow a year: their
/// host's, else the bundle's earliest file's; across New Year the year before; a leap year for a
/// 29 February. Real lines (tests/bundles/README.md, `syslog-*`, and the `Feb 29` line of
/// ait-aecid/logdata-anomaly-miner issue 521), put together here.
#[test]
fn dates_without_a_year_borrow_a_year_and_keep_their_month_and_day() {
    let mut files = common::load_bundle("seed-technote");
    let first_line = files[0].1.split_inclusive(|&b| b == b'\n').next().unwrap().to_vec();
    files.push(("other/bpbrm/010110.log".into(), first_line));
    files.push((
        "media01/var/log/messages".into(),
        b"Dec 4 08:54:36 host01 tldd[260]: TLD(0) unavailable: initialization failed:\nMay 15 23:09:30 ubuntu-s-1vcpu-2gb-ams3-01 kernel: [  518.050606] Out of memory: Killed process 15784 (python3) total-vm:11964kB, anon-rss:4288kB, file-rss:3028kB, shmem-rss:0kB\n".to_vec(),
    ));
    files.push((
        "mail-2/var/log/syslog".into(),
        b"Feb 29 00:09:01 mail-2 CRON[27153]: (root) CMD (  [ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi)\n".to_vec(),
    ));
    let report = common::check_equivalent(&files);
    let file = |path: &str| report.files.iter().find(|f| f.path == path).unwrap();

    // media01's own log is of 2011-06-03: 4 December is of 2010, and 15 May after New Year of 2011.
    let messages = file("media01/var/log/messages");
    assert_eq!(
        (messages.first.as_deref(), messages.last.as_deref(), messages.date_source.as_deref()),
        (Some("2010-12-04T08:54:36.000"), Some("2011-05-15T23:09:30.000"), Some("year from other files"))
    );
    let notes = messages.notes.join(" | ");
    assert!(notes.contains("Year 2010 assumed from media01/bpbrm/060311.log (2011-06-03, its host)"), "{notes}");
    assert!(notes.contains("those after it are dated 2011"), "{notes}");

    // No dated file of its host: the bundle's earliest (2010-01-01), and the nearest leap year.
    let syslog = file("mail-2/var/log/syslog");
    assert_eq!(syslog.first.as_deref(), Some("2008-02-29T00:09:01.000"));
    let notes = syslog.notes.join(" | ");
    assert!(notes.contains("Year 2008 assumed: a line is dated 29 February, so a leap year, the nearest to other/bpbrm/010110.log (2010-01-01, another host)"), "{notes}");

    // With no dated file at all, no year is made up: times of day, and a note with the days.
    let alone = common::check_equivalent(&files[files.len() - 2..]);
    let messages = alone.files.iter().find(|f| f.path == "media01/var/log/messages").unwrap();
    assert_eq!((messages.first.as_deref(), messages.date.as_deref()), (Some("08:54:36.000"), None));
    assert!(messages.notes.iter().any(|n| n.contains("(4 December to 15 May) but no year")), "{:?}", messages.notes);
}

#[test]
fn loose_files_take_host_and_process_from_their_lines() {
    let files: Vec<(String, Vec<u8>)> = common::load_bundle("seed-technote")
        .into_iter()
        .enumerate()
        .map(|(i, (_, bytes))| (format!("upload/{i}.log"), bytes))
        .collect();
    let report = common::check_equivalent(&files);
    let processes: Vec<_> =
        report.files.iter().map(|f| (f.process.clone(), f.process_source.clone(), f.host.clone())).collect();
    for (process, source, host) in &processes {
        assert!(process.is_some() && source.as_deref() == Some("lines") && host.is_some(), "{processes:?}");
    }
    let pbx = common::finding(&report, "pbx-connect-timeout").expect("still diagnosed");
    assert_eq!(pbx.facts["caused_failure"], serde_json::json!(true));
    // With no folder names, the client is named from the backup id in the media server's log.
    assert_eq!(pbx.facts["target_host"], serde_json::json!("myclient"));
}
