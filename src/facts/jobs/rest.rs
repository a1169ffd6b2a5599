//! The REST API's jobs, `GET /netbackup/admin/jobs` (a list: `data` an array) or
//! `/admin/jobs/{id}` (one: `data` an object), as Veritas's "NetBackup API - Getting Started"
//! shows its response: `{"data": {"type": "job", "id": "5", "attributes": {"jobId": 5, ...}}}`.
//! Only the attributes whose meaning the API documents are read; the rest are ignored.

use super::{Job, JobListScanner};
use crate::parse::json::{self, Json};

/// Reads a whole page into the scanner's list; a page that is not JSON of this shape is a note.
pub(super) fn read(bytes: &[u8], scanner: &mut JobListScanner) {
    let page = match json::parse(bytes) {
        Ok(page) => page,
        Err(e) => return unread(scanner, &e),
    };
    let resources = match page.get("data") {
        Some(Json::Array(list)) => list.iter().collect(),
        Some(one @ Json::Object(_)) => vec![one],
        _ => return unread(scanner, "no \"data\" member holding a job or a list of jobs"),
    };
    for attributes in resources.into_iter().filter_map(|r| r.get("attributes")) {
        let Some(id) = attributes.get("jobId").and_then(Json::as_u64) else {
            scanner.list.damaged += 1;
            continue;
        };
        scanner.push(job(id, attributes), None);
    }
}

fn unread(scanner: &mut JobListScanner, why: &str) {
    scanner.list.unread = Some(format!(
        "The REST jobs page could not be read as JSON of the jobs API's shape ({why}): no job read from it."
    ));
}

/// One job from its `attributes`: only those whose meaning the API documents.
fn job(id: u64, attributes: &Json<'_>) -> Job {
    let text = |key: &str| attributes.get(key).and_then(Json::as_str).unwrap_or_default();
    let number = |key: &str| attributes.get(key).and_then(Json::as_u64);
    let done = text("state") == "DONE";
    Job {
        id,
        parent: number("parentJobId").filter(|&p| p != 0 && p != id),
        job_type: text("jobType").to_ascii_lowercase(),
        state: text("state").to_ascii_lowercase(),
        status: number("status").and_then(|s| u32::try_from(s).ok()).filter(|_| done),
        client: text("clientName").into(),
        policy: text("policyName").into(),
        schedule: text("scheduleName").into(),
        media_server: text("destinationMediaServerName").into(),
        storage_unit: text("destinationStorageUnitName").into(),
        start_s: iso_seconds(text("startTime")),
        end_s: iso_seconds(text("endTime")),
        tries: number("try").map_or(0, |t| t.min(10_000) as u32),
        line: None,
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
