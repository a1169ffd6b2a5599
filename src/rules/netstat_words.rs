//! What a netstat loop says about connects the logs name: the sentence the PBX finding adds
//! ("confirmed by netstat"), beside the capture's.

use super::netstat_syn_sent::{held_words, ran_on_words};
use crate::correlate::{ConnectAttempt, HostId, Model};
use std::net::IpAddr;

/// The sentence (with a leading space) when a loop `host` ran shows one of `attempts` to
/// `port` held in SYN_SENT; `None` when no loop of that host shows it.
pub fn says(
    model: &Model<'_>,
    host: HostId,
    attempts: &[&ConnectAttempt],
    port: u16,
    target: Option<IpAddr>,
) -> Option<String> {
    let (view, conn, span) =
        attempts.iter().find_map(|a| model.netstat_syn_sent(host, model.local_ms(a.start), port, target))?;
    Some(format!(
        " Confirmed by netstat: {} to {} was in SYN_SENT {} ({}; its times are {}'s local clock, as its logs').",
        conn.local,
        conn.remote,
        held_words(&span),
        ran_on_words(model, view),
        model.host(host).short(),
    ))
}
