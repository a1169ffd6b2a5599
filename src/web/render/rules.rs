//! "What nbtriage can diagnose": every rule the core knows (`rules::briefs()`), in plain words,
//! rendered once when the page starts.

use super::words::{add_prose, count};
use crate::report::Role;
use crate::web::dom::{self, add, by_id};

pub fn render() {
    let rules = crate::rules::briefs();
    let intro = by_id("rules-intro");
    dom::set_text(
        &intro,
        &format!(
            "nbtriage knows {}. Whatever they do not explain is still shown: a failed job's status, and the first error lines, earliest first.",
            count(rules.len() as u64, "pattern", "patterns")
        ),
    );
    let list = by_id("rules-list");
    dom::clear(&list);
    for rule in rules {
        let item = add(&list, "li", "", "");
        add_prose(&item, "strong", "", rule.title);
        let role = match rule.role {
            Role::Cause => "names a cause",
            Role::Symptom => "states a symptom",
            Role::FirstError => "names the first error",
        };
        add(&item, "span", "rule-meta", &format!(" ({}; {role})", rule.area.label()));
        add_prose(&item, "p", "", rule.meaning);
    }
}
