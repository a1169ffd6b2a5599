//! The REST API's jobs, `GET /netbackup/admin/jobs` (a list: `data` an array) or
//! `/admin/jobs/{id}` (one: `data` an object), as Veritas's "NetBackup API - Getting Started"
//! shows its response: `{"data": {"type": "job", "id": "5", "attributes": {"jobId": 5, ...}}}`.
//! Only the attributes whose meaning the API documents are read; the rest are ignored.

use super::{Job, JobListScanner};
use serde::Deserialize;

#[derive(Deserialize)]
struct Page {
    data: Data,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Data {
    Many(Vec<Resource>),
    One(Box<Resource>),
}

#[derive(Deserialize)]
struct Resource {
    #[serde(default)]
    attributes: Option<Attributes>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Attributes {
    job_id: Option<u64>,
    parent_job_id: Option<u64>,
    job_type: Option<String>,
    state: Option<String>,
    status: Option<u32>,
    policy_name: Option<String>,
    schedule_name: Option<String>,
    client_name: Option<String>,
    destination_media_server_name: Option<String>,
    destination_storage_unit_name: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    #[serde(rename = "try")]
    tries: Option<u32>,
}

/// Reads a whole page into the scanner's list; a page that is not JSON of this shape is a note.
pub(super) fn read(bytes: &[u8], scanner: &mut JobListScanner) {
    let page: Page = match serde_json::from_slice(bytes) {
        Ok(page) => page,
        Err(e) => {
            scanner.list.unread = Some(format!(
                "The REST jobs page could not be read as JSON of the jobs API's shape ({e}): no job read from it."
            ));
            return;
        }
    };
    let resources = match page.data {
        Data::Many(list) => list,
        Data::One(one) => vec![*one],
    };
    for a in resources.into_iter().filter_map(|r| r.attributes) {
        let Some(id) = a.job_id else {
            scanner.list.damaged += 1;
            continue;
        };
        let lower = |s: Option<String>| s.unwrap_or_default().to_ascii_lowercase();
        let done = a.state.as_deref() == Some("DONE");
        let job = Job {
            id,
            parent: a.parent_job_id.filter(|&p| p != 0 && p != id),
            job_type: lower(a.job_type),
            state: lower(a.state),
            status: a.status.filter(|_| done),
            client: a.client_name.unwrap_or_default(),
            policy: a.policy_name.unwrap_or_default(),
            schedule: a.schedule_name.unwrap_or_default(),
            media_server: a.destination_media_server_name.unwrap_or_default(),
            storage_unit: a.destination_storage_unit_name.unwrap_or_default(),
            start_s: a.start_time.as_deref().and_then(iso_seconds),
            end_s: a.end_time.as_deref().and_then(iso_seconds),
            tries: a.tries.unwrap_or(0).min(10_000),
            line: None,
        };
        scanner.push(job, None);
    }
}

/// `2018-01-09T10:03:22.000Z` to epoch seconds (UTC only: a time with an offset is not read).
pub fn iso_seconds(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || !s.ends_with('Z')
    {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let date = crate::vocab::time::Date::new(n(0..4)? as i32, n(5..7)? as u8, n(8..10)? as u8)?;
    let (h, m, sec) = (n(11..13)?, n(14..16)?, n(17..19)?);
    (h < 24 && m < 60 && sec < 61 && date.days_since_epoch() > 0)
        .then(|| date.days_since_epoch() * 86_400 + h * 3600 + m * 60 + sec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_times() {
        assert_eq!(iso_seconds("2018-01-09T10:03:22.000Z"), Some(1_515_492_202));
        assert_eq!(iso_seconds("1970-01-01T00:00:00Z"), None);
        assert_eq!(iso_seconds("2018-01-09T10:03:22+01:00"), None);
        assert_eq!(iso_seconds("x"), None);
    }
}
