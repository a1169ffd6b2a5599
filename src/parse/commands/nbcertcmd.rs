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
//! The exit line is read by the module above. No public sample of `-ping`, `-getCertificate`'s
//! own success line or `-listCertDetails` was found whole: those forms are left out.

use super::{word, CommandFact};

/// `CA Certificate received successfully from server <server>.`
pub(super) fn line(text: &[u8]) -> Option<CommandFact> {
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
}
