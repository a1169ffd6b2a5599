//! `nbcertcmd`: host ID-based certificates and the CA certificate of the primary server, as the
//! Commands Reference Guide (nbcertcmd) and the Security and Encryption Guide document them.
//!
//! Samples, from Veritas articles:
//! - "How to manually obtain a host ID Certificate" (Veritas 100039650,
//!   https://www.veritas.com/content/support/en_US/article.100039650): `nbcertcmd
//!   -displayCACertDetail -server mymaster` prints
//!   `CA Certificate received successfully from server mymaster.` before the certificate's details;
//! - "What 'nbcertcmd -deleteCertificate' does" (Veritas 100041506,
//!   https://www.veritas.com/support/en_US/article.100041506), a failing run on Windows:
//! ```text
//! C:\Program Files\Veritas\NetBackup\bin> nbcertcmd -deleteCertificate -hostID 6164fddd-6b8c-475d-94b8-3b35d750cd26
//! Deleting security certificates can adversely impact the NetBackup functionality.
//! Do you want to proceed? (y/n) y
//! Failed to delete certificate.
//! EXIT STATUS 114: unimplemented error code 114
//! ```
//! The exit line is read by the module above.
//! - "Reconfigure media server(or client) certification setting." (a blog post, stored in the
//!   public code index, https://blog.killinsun.com/2018/07/reconfigure-media-serveror-client-certification-setting/),
//!   `nbcertcmd -listCACertDetails` run on a media server and on the primary server, to compare
//!   their CA certificates (its fingerprint line holds the author's placeholder, not read):
//! ```text
//!  /usr/openv/netbackup/bin/nbcertcmd  -listCACertDetails
//!        Subject Name : /CN=nbatd/OU=root@myserver.local/O=vx
//!         Start Date : Jul 23 06:29:14 2018 GMT
//!        Expiry Date : Jul 18 07:44:14 2038 GMT
//!   SHA1 Fingerprint : ** Check incorrect between master and media. **
//! ```
//! No public sample of `-ping`, `-getCertificate`'s own success line or `-listCertDetails` was
//! found whole, nor of their failures: those forms are left out.

use super::nbdevquery::field;
use super::{word, CommandFact};

/// The bytes of a certificate detail's value kept.
const MAX_DETAIL: usize = 160;

/// `CA Certificate received successfully from server <server>.`, or a line of
/// `-listCACertDetails`: `Subject Name : <subject>`, `Start Date : <date>`, `Expiry Date : <date>`.
pub(super) fn line(text: &[u8]) -> Option<CommandFact> {
    received(text).or_else(|| detail(text))
}

/// What starts nbcertcmd's output when a paste has no prompt line: the CA certificate received,
/// or the first line of its details (`Subject Name : ...`), not a date line alone.
pub(super) fn first(text: &[u8]) -> Option<CommandFact> {
    received(text).or_else(|| detail(text).filter(|f| matches!(f, CommandFact::CaCertSubject { .. })))
}

/// A CA certificate's detail line: its value as written (printable ASCII, spaces kept).
fn detail(text: &[u8]) -> Option<CommandFact> {
    let (key, value) = field(text)?;
    let printable = value.len() <= MAX_DETAIL && value.iter().all(|b| (b' '..=b'~').contains(b));
    let value = printable.then(|| String::from_utf8_lossy(value).into_owned())?;
    match key {
        b"Subject Name" => Some(CommandFact::CaCertSubject { subject: value }),
        b"Start Date" => Some(CommandFact::CaCertStart { date: value }),
        b"Expiry Date" => Some(CommandFact::CaCertExpiry { date: value }),
        _ => None,
    }
}

fn received(text: &[u8]) -> Option<CommandFact> {
    let server = text.strip_prefix(b"CA Certificate received successfully from server ")?;
    let server = server.trim_ascii_end();
    let server = server.strip_suffix(b".").unwrap_or(server);
    Some(CommandFact::CaCertificateReceived { server: word(server)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample() {
        assert_eq!(
            line(b"CA Certificate received successfully from server mymaster."),
            Some(CommandFact::CaCertificateReceived { server: "mymaster".into() })
        );
        assert_eq!(line(b"CA Certificate received successfully from server "), None);
        assert_eq!(line(b"Failed to delete certificate."), None);
    }

    #[test]
    fn reads_the_ca_details() {
        assert_eq!(
            line(b"Subject Name : /CN=nbatd/OU=root@myserver.local/O=vx"),
            Some(CommandFact::CaCertSubject { subject: "/CN=nbatd/OU=root@myserver.local/O=vx".into() })
        );
        assert_eq!(
            line(b"Expiry Date : Jul 18 07:44:14 2038 GMT"),
            Some(CommandFact::CaCertExpiry { date: "Jul 18 07:44:14 2038 GMT".into() })
        );
        assert_eq!(line(b"SHA1 Fingerprint : ** Check incorrect between master and media. **"), None);
        assert_eq!(line(b"Expiry Date : "), None);
    }
}
