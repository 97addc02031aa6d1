//! Retirement dates per protocol and Outlook version (DOMAIN.md §8, §5.1): what changed or will
//! change, when, and how sure we are. Every exposure finding carries the entry of its protocol.
//! `verified: false` marks dates DOMAIN.md has only from Message Center mirrors or third-party
//! summaries (EWS); the report shows them as unverified.

use serde::Serialize;

use super::Protocol;

/// One dated event.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Retirement {
    #[serde(skip)]
    pub protocols: &'static [Protocol],
    /// `YYYY-MM-DD`, or `YYYY-MM` / `YYYY-H2` where Microsoft gave no day.
    pub date: &'static str,
    /// Message key of what happens on that date.
    pub event_key: &'static str,
    pub verified: bool,
    /// DOMAIN.md source key.
    pub source: &'static str,
}

use Protocol as P;

/// The Basic-auth protocols switched off for good by the 2022–23 deprecation (DOMAIN.md §8).
const DEPRECATED_2022: &[Protocol] = &[
    P::ExchangeActiveSync,
    P::Imap4,
    P::Pop3,
    P::ExchangeWebServices,
    P::MapiOverHttp,
    P::OutlookAnywhere,
    P::OfflineAddressBook,
    P::Autodiscover,
    P::ExchangeOnlinePowerShell,
];

pub static RETIREMENTS: &[Retirement] = &[
    Retirement {
        protocols: DEPRECATED_2022,
        date: "2022-10-01",
        event_key: "retire.basic_2022",
        verified: true,
        source: "S33",
    },
    Retirement {
        protocols: DEPRECATED_2022,
        date: "2023-01",
        event_key: "retire.basic_2023",
        verified: true,
        source: "S34",
    },
    Retirement {
        protocols: &[P::ExchangeOnlinePowerShell],
        date: "2023-10-01",
        event_key: "retire.rps",
        verified: true,
        source: "S37",
    },
    Retirement {
        protocols: &[P::AuthenticatedSmtp],
        date: "2026-12-31",
        event_key: "retire.smtp_default_off",
        verified: true,
        source: "S35b",
    },
    Retirement {
        protocols: &[P::AuthenticatedSmtp],
        date: "2027-H2",
        event_key: "retire.smtp_final",
        verified: true,
        source: "S35b",
    },
    Retirement {
        protocols: &[P::ExchangeWebServices],
        date: "2026-10-01",
        event_key: "retire.ews_phased",
        verified: false,
        source: "S38",
    },
    Retirement {
        protocols: &[P::ExchangeWebServices],
        date: "2027-04-01",
        event_key: "retire.ews_shutdown",
        verified: false,
        source: "S38",
    },
];

/// Outlook / Office versions and the end of their connectivity to Microsoft 365 (DOMAIN.md §5.1).
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfficeVersion {
    pub version: &'static str,
    pub connectivity_ends: &'static str,
    pub end_of_support: &'static str,
}

pub static OFFICE_VERSIONS: &[OfficeVersion] = &[
    OfficeVersion { version: "Office 2013", connectivity_ends: "2020-10-13", end_of_support: "2023-04-11" },
    OfficeVersion { version: "Office 2016", connectivity_ends: "2023-10-10", end_of_support: "2025-10-14" },
    OfficeVersion { version: "Office 2019", connectivity_ends: "2023-10-10", end_of_support: "2025-10-14" },
    OfficeVersion { version: "Office LTSC 2021", connectivity_ends: "2026-10-13", end_of_support: "" },
    OfficeVersion { version: "Office LTSC 2024", connectivity_ends: "2029-10-13", end_of_support: "" },
];

/// Every dated event for a protocol, oldest first.
pub fn for_protocol(p: Protocol) -> Vec<&'static Retirement> {
    RETIREMENTS.iter().filter(|r| r.protocols.contains(&p)).collect()
}

/// The events of a protocol as one line of text (`2026-12-31: …; 2027-H2: …`).
pub fn timeline_text(p: Protocol, lang: crate::messages::Lang) -> String {
    for_protocol(p)
        .iter()
        .map(|r| {
            let t = crate::messages::text(r.event_key, lang);
            if r.verified {
                format!("{}: {t}", r.date)
            } else {
                format!("{}: {t} ({})", r.date, crate::messages::text("report.unverified", lang))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_keys() {
        for r in RETIREMENTS {
            assert!(r.date.len() >= 7 && r.date[..4].parse::<u32>().is_ok(), "{}", r.date);
            assert_ne!(crate::messages::text(r.event_key, crate::messages::Lang::Ja), r.event_key);
        }
        assert_eq!(for_protocol(Protocol::AuthenticatedSmtp)[0].date, "2026-12-31");
        assert!(timeline_text(Protocol::ExchangeWebServices, crate::messages::Lang::En).contains("unverified"));
        assert!(for_protocol(Protocol::Browser).is_empty());
    }
}
