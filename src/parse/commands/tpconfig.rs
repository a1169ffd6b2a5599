//! `tpconfig -l`: the robots and tape drives a media server has configured, one line each, a
//! drive's status (`UP`, `DOWN` or `DISABLED`, the values the Commands Reference's
//! `tpconfig -drstatus` takes) among its columns.
//!
//! Sample, verbatim but for the `#` each line carries as a comment in its source
//! (centreon/centreon-plugins, src/apps/backup/netbackup/local/mode/drivestatus.pm, which runs
//! `tpconfig -l`, https://github.com/centreon/centreon-plugins/blob/develop/src/apps/backup/netbackup/local/mode/drivestatus.pm):
//! ```text
//! robot      0    -    TLD    -       -  -          -                    {3,0,0,1}
//!   drive    -    0 hcart2    2      UP  -          IBM.ULT3580-HH5.000  {3,0,1,0}
//!   drive    -    2 hcart2    1      UP  -          IBM.ULT3580-HH5.002  {3,0,0,0}
//! ```
//! The plugin reads a drive's index from the third column and its status from the sixth. No
//! public sample of the header lines `tpconfig -l` prints above these, of `tpconfig -d`, or of a
//! drive in a status other than UP was found: only the lines of this shape are read.

use super::{word, CommandFact};

/// Nine columns, the last SCSI coordinates in braces (`{3,0,1,0}`).
fn columns(text: &[u8]) -> Option<[&[u8]; 9]> {
    let mut words = text.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty());
    let mut out: [&[u8]; 9] = [b""; 9];
    for slot in &mut out {
        *slot = words.next()?;
    }
    let coordinates = out[8].starts_with(b"{") && out[8].ends_with(b"}");
    (words.next().is_none() && coordinates).then_some(out)
}

fn digits(w: &[u8]) -> bool {
    (1..=6).contains(&w.len()) && w.iter().all(u8::is_ascii_digit)
}

/// `robot 0 - TLD ...` or `drive - 0 hcart2 2 UP - IBM.ULT3580-HH5.000 {3,0,1,0}`.
pub(super) fn line(text: &[u8]) -> Option<CommandFact> {
    let c = columns(text)?;
    match c[0] {
        b"robot" if digits(c[1]) => Some(CommandFact::Robot { number: word(c[1])?, rtype: word(c[3])? }),
        b"drive" if digits(c[2]) && c[5].iter().all(u8::is_ascii_uppercase) => {
            Some(CommandFact::Drive { index: word(c[2])?, dtype: word(c[3])?, status: word(c[5])?, name: word(c[7])? })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample() {
        assert_eq!(
            line(b"robot      0    -    TLD    -       -  -          -                    {3,0,0,1}"),
            Some(CommandFact::Robot { number: "0".into(), rtype: "TLD".into() })
        );
        assert_eq!(
            line(b"drive    -    0 hcart2    2      UP  -          IBM.ULT3580-HH5.000  {3,0,1,0}"),
            Some(CommandFact::Drive {
                index: "0".into(),
                dtype: "hcart2".into(),
                status: "UP".into(),
                name: "IBM.ULT3580-HH5.000".into()
            })
        );
    }

    #[test]
    fn leaves_other_lines() {
        for other in [
            &b"drive    -    0 hcart2    2      UP  -          IBM.ULT3580-HH5.000"[..],
            b"drive - x hcart2 2 UP - n {1}",
            b"drive - 0 hcart2 2 up - n {1}",
            b"robot x - TLD - - - - {3,0,0,1}",
            b"robot 0 - TLD - - - - {3,0,0,1} more",
            b"",
        ] {
            assert_eq!(line(other), None, "{}", String::from_utf8_lossy(other));
        }
    }
}
