//! The hosts' settings files in the bundle (`bp.conf`), as the rules look them up: by the host
//! they belong to (its CLIENT_NAME, else its folder).

use crate::correlate::Model;
use crate::parse::settings::{same_host, HostSettings};

/// One settings file's facts and its path.
pub(super) struct Found<'m> {
    pub settings: HostSettings,
    pub path: &'m str,
}

impl Found<'_> {
    /// The host, "client01".
    pub fn host(&self) -> &str {
        self.settings.host.as_deref().unwrap_or("an unnamed host")
    }

    /// How the host was named, in words: "by its CLIENT_NAME" or "by its folder".
    pub fn named_by(&self) -> &'static str {
        match self.settings.host_source.as_deref() {
            Some("client-name") => "named by its CLIENT_NAME",
            _ => "named by its folder",
        }
    }
}

/// Every settings file, in the model's file order.
pub(super) fn all<'m>(model: &'m Model<'_>) -> Vec<Found<'m>> {
    model
        .files
        .iter()
        .filter(|v| v.facts.format == crate::vocab::FileFormat::Settings)
        .map(|v| Found {
            settings: HostSettings::of(&v.facts.settings, v.facts.meta.host.as_deref()),
            path: v.facts.path.as_str(),
        })
        .collect()
}

/// The settings file of `host`, the first when there are several.
pub(super) fn of_host<'m>(model: &'m Model<'_>, host: &str) -> Option<Found<'m>> {
    all(model).into_iter().find(|f| f.settings.host.as_deref().is_some_and(|h| same_host(h, host)))
}
