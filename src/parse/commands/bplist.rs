//! `bplist`: lists the files backed up or archived, a query of the catalog (Commands Reference
//! Guide, bplist). When nothing matches, it ends with status 227, whose official message is
//! "no entity was found": the query matched nothing, which is no failure.
//!
//! Sample, a public upgrade script's note (gdha/upgrade-ux,
//! opt/upgrade-ux/scripts/prep/default/16_check_nbu_backup.sh,
//! https://github.com/gdha/upgrade-ux/blob/master/opt/upgrade-ux/scripts/prep/default/16_check_nbu_backup.sh),
//! which runs `LANG=C /usr/openv/netbackup/bin/bplist -l` and writes: bplist returns on Linux
//! ```text
//! EXIT STATUS 227: no entity was found
//! ```
//! "However, NBU is working fine." That line is read by the module above; bplist's listing of
//! files itself is not read (no public sample of it was found), so no other line is.

use super::CommandFact;

/// No line of bplist's own is read: its exit (`EXIT STATUS N`) is read for every command.
pub(super) fn line(_text: &[u8]) -> Option<CommandFact> {
    None
}
