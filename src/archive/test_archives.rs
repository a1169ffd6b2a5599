//! Small archives built by hand for the tests: tar headers, zip local headers and central
//! directory written byte by byte; deflate and gzip data from flate2's encoders.

use std::io::Write;

use flate2::write::{DeflateEncoder, GzEncoder};
use flate2::{Compression, Crc};

pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// A gzip member with every optional header field (extra, name, comment, header CRC).
pub fn gzip_all_fields(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3];
    out.extend_from_slice(&[5, 0, b'A', b'B', 1, 0, b'x']);
    out.extend_from_slice(b"name.log\0a comment\0");
    out.extend_from_slice(&[0x12, 0x34]); // not checked
    out.extend_from_slice(&deflate(data));
    let mut crc = Crc::new();
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// A ustar header.
pub fn tar_header(name: &str, size: u64, kind: u8) -> [u8; 512] {
    let mut h = [0u8; 512];
    let name = name.as_bytes();
    h[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
    h[100..108].copy_from_slice(b"0000644\0");
    h[108..116].copy_from_slice(b"0001750\0");
    h[116..124].copy_from_slice(b"0001750\0");
    h[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    h[136..148].copy_from_slice(b"14415566770\0");
    h[156] = kind;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    seal(&mut h);
    h
}

/// Writes a header's checksum.
pub fn seal(h: &mut [u8; 512]) {
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
}

/// A tar being built.
#[derive(Default)]
pub struct Tar(pub Vec<u8>);

impl Tar {
    pub fn file(mut self, name: &str, data: &[u8]) -> Self {
        self = self.header(tar_header(name, data.len() as u64, b'0'));
        self.data(data)
    }

    pub fn header(mut self, header: [u8; 512]) -> Self {
        self.0.extend_from_slice(&header);
        self
    }

    /// Data, padded to 512.
    pub fn data(mut self, data: &[u8]) -> Self {
        self.0.extend_from_slice(data);
        self.0.resize(self.0.len().div_ceil(512) * 512, 0);
        self
    }

    pub fn entry(self, name: &str, kind: u8, data: &[u8]) -> Self {
        self.header(tar_header(name, data.len() as u64, kind)).data(data)
    }

    /// A pax header for the next entry.
    pub fn pax(self, records: &[(&str, &str)]) -> Self {
        let mut body = String::new();
        for (key, value) in records {
            let rest = format!(" {key}={value}\n");
            let mut len = rest.len() + 1;
            while len.to_string().len() + rest.len() != len {
                len += 1;
            }
            body.push_str(&format!("{len}{rest}"));
        }
        self.entry("PaxHeaders/x", b'x', body.as_bytes())
    }

    /// A GNU long name for the next entry.
    pub fn long_name(self, name: &str) -> Self {
        let mut data = name.as_bytes().to_vec();
        data.push(0);
        self.entry("././@LongLink", b'L', &data)
    }

    /// The end-of-archive blocks.
    pub fn end(mut self) -> Vec<u8> {
        self.0.extend_from_slice(&[0; 1024]);
        self.0
    }
}

/// How an entry is written into a zip.
#[derive(Debug, Clone, Copy, Default)]
pub struct ZipOpts {
    /// 0 stored, 8 deflate; any other method writes the data as it is.
    pub method: u16,
    /// Flag bit 3: sizes and CRC in a data descriptor after the data.
    pub descriptor: bool,
    /// The descriptor without its optional signature.
    pub bare_descriptor: bool,
    pub zip64: bool,
    pub encrypted: bool,
}

pub const STORED: ZipOpts =
    ZipOpts { method: 0, descriptor: false, bare_descriptor: false, zip64: false, encrypted: false };
pub const DEFLATED: ZipOpts = ZipOpts { method: 8, ..STORED };

/// A zip being built.
#[derive(Default)]
pub struct Zip {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl Zip {
    pub fn add(mut self, name: &str, data: &[u8], opts: ZipOpts) -> Self {
        let payload = if opts.method == 8 { deflate(data) } else { data.to_vec() };
        let mut crc = Crc::new();
        crc.update(data);
        let (crc, csize, usize) = (crc.sum(), payload.len() as u64, data.len() as u64);
        let flags = u16::from(opts.encrypted) | if opts.descriptor { 8 } else { 0 };
        let mut extra = Vec::new();
        if opts.zip64 {
            extra.extend_from_slice(&[1, 0, 16, 0]);
            let (u, c) = if opts.descriptor { (0, 0) } else { (usize, csize) };
            extra.extend_from_slice(&u.to_le_bytes());
            extra.extend_from_slice(&c.to_le_bytes());
        }
        let offset = self.out.len() as u32;
        let (h_crc, h_csize, h_usize) = match (opts.descriptor, opts.zip64) {
            (true, _) => (0, 0, 0),
            (false, true) => (crc, u32::MAX, u32::MAX),
            (false, false) => (crc, csize as u32, usize as u32),
        };
        let out = &mut self.out;
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&(if opts.zip64 { 45u16 } else { 20 }).to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&opts.method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
        out.extend_from_slice(&h_crc.to_le_bytes());
        out.extend_from_slice(&h_csize.to_le_bytes());
        out.extend_from_slice(&h_usize.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&extra);
        out.extend_from_slice(&payload);
        if opts.descriptor {
            if !opts.bare_descriptor {
                out.extend_from_slice(b"PK\x07\x08");
            }
            out.extend_from_slice(&crc.to_le_bytes());
            if opts.zip64 {
                out.extend_from_slice(&csize.to_le_bytes());
                out.extend_from_slice(&usize.to_le_bytes());
            } else {
                out.extend_from_slice(&(csize as u32).to_le_bytes());
                out.extend_from_slice(&(usize as u32).to_le_bytes());
            }
        }
        let c = &mut self.central;
        c.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00");
        c.extend_from_slice(&flags.to_le_bytes());
        c.extend_from_slice(&opts.method.to_le_bytes());
        c.extend_from_slice(&[0, 0, 0x21, 0]);
        c.extend_from_slice(&crc.to_le_bytes());
        c.extend_from_slice(&(csize as u32).to_le_bytes());
        c.extend_from_slice(&(usize as u32).to_le_bytes());
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        self.entries += 1;
        self
    }

    /// Appends the central directory and the end record.
    pub fn end(mut self) -> Vec<u8> {
        let start = self.out.len() as u32;
        self.out.extend_from_slice(&self.central);
        self.out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&self.entries.to_le_bytes());
        self.out.extend_from_slice(&(self.central.len() as u32).to_le_bytes());
        self.out.extend_from_slice(&start.to_le_bytes());
        self.out.extend_from_slice(&[0, 0]);
        self.out
    }
}
