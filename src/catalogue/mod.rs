//! The client-app catalogue: every `clientAppUsed` value Entra ID emits, whether it is legacy
//! (Basic) authentication, the protocol behind it, the Conditional Access bucket that blocks
//! it, the Exchange switches that control it and what to migrate to (DOMAIN.md §1.1–§1.2).
//!
//! Classification follows Microsoft's own rule (DOMAIN.md §1.1 [S3]): the trimmed,
//! case-insensitive value `Browser` or `Mobile Apps and Desktop clients` is modern; empty is
//! "not reported"; **anything else is legacy**. Known legacy values map to their protocol; an
//! unknown non-empty value is [`Protocol::UnknownLegacy`] and the record keeps the raw text.

pub mod retirement;

use serde::Serialize;

/// The protocol (or client class) behind a `clientAppUsed` value. Serialised as its short
/// display name ([`Protocol::name`]), e.g. `"SMTP"`, `"IMAP"`, `"ActiveSync"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    Browser,
    MobileAndDesktop,
    ExchangeActiveSync,
    Imap4,
    Pop3,
    AuthenticatedSmtp,
    ExchangeWebServices,
    MapiOverHttp,
    OutlookAnywhere,
    OfflineAddressBook,
    Autodiscover,
    ExchangeOnlinePowerShell,
    ReportingWebServices,
    OutlookService,
    UniversalOutlook,
    OtherClients,
    /// A non-empty value not in the catalogue: legacy by Microsoft's rule, raw value kept.
    UnknownLegacy,
    /// Empty `clientAppUsed`.
    NotReported,
}

/// The Conditional Access `clientAppTypes` bucket that blocks a legacy client (DOMAIN.md §1.1 [S2]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CaClientAppType {
    Browser,
    MobileAppsAndDesktopClients,
    ExchangeActiveSync,
    Other,
}

/// One catalogue row.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientApp {
    /// The value as Entra's legacy-client table spells it.
    pub client_app_used: &'static str,
    pub protocol: Protocol,
    pub is_legacy: bool,
    pub conditional_access_bucket: CaClientAppType,
    /// `New-AuthenticationPolicy` switch that allows Basic for it (DOMAIN.md §1.2 [S20a]).
    pub auth_policy_switch: Option<&'static str>,
    /// `Set-CASMailbox` / org parameter that turns the protocol off.
    pub mailbox_switch: Option<&'static str>,
    /// Message key of the migration advice (see `messages`).
    pub migrate_to_key: &'static str,
}

const fn app(
    client_app_used: &'static str,
    protocol: Protocol,
    bucket: CaClientAppType,
    auth_policy_switch: Option<&'static str>,
    mailbox_switch: Option<&'static str>,
    migrate_to_key: &'static str,
) -> ClientApp {
    let is_legacy = !matches!(protocol, Protocol::Browser | Protocol::MobileAndDesktop);
    ClientApp {
        client_app_used,
        protocol,
        is_legacy,
        conditional_access_bucket: bucket,
        auth_policy_switch,
        mailbox_switch,
        migrate_to_key,
    }
}

use CaClientAppType as Ca;

/// The catalogue, in the order of Entra's client-app table.
pub static CATALOGUE: &[ClientApp] = &[
    app("Browser", Protocol::Browser, Ca::Browser, None, None, "migrate.none"),
    app(
        "Mobile Apps and Desktop clients",
        Protocol::MobileAndDesktop,
        Ca::MobileAppsAndDesktopClients,
        None,
        None,
        "migrate.none",
    ),
    app(
        "Authenticated SMTP",
        Protocol::AuthenticatedSmtp,
        Ca::Other,
        Some("AllowBasicAuthSmtp"),
        Some("SmtpClientAuthenticationDisabled"),
        "migrate.smtp",
    ),
    app(
        "Autodiscover",
        Protocol::Autodiscover,
        Ca::Other,
        Some("AllowBasicAuthAutodiscover"),
        None,
        "migrate.autodiscover",
    ),
    app(
        "Exchange ActiveSync",
        Protocol::ExchangeActiveSync,
        Ca::ExchangeActiveSync,
        Some("AllowBasicAuthActiveSync"),
        Some("ActiveSyncEnabled"),
        "migrate.eas",
    ),
    app(
        "Exchange Online PowerShell",
        Protocol::ExchangeOnlinePowerShell,
        Ca::Other,
        Some("AllowBasicAuthPowershell"),
        Some("EXOModuleEnabled"),
        "migrate.powershell",
    ),
    app(
        "Exchange Web Services",
        Protocol::ExchangeWebServices,
        Ca::Other,
        Some("AllowBasicAuthWebServices"),
        Some("EwsEnabled"),
        "migrate.ews",
    ),
    app("IMAP4", Protocol::Imap4, Ca::Other, Some("AllowBasicAuthImap"), Some("ImapEnabled"), "migrate.imap"),
    app(
        "MAPI over HTTP",
        Protocol::MapiOverHttp,
        Ca::Other,
        Some("AllowBasicAuthMapi"),
        Some("MAPIEnabled"),
        "migrate.outlook",
    ),
    app(
        "Offline Address Book",
        Protocol::OfflineAddressBook,
        Ca::Other,
        Some("AllowBasicAuthOfflineAddressBook"),
        None,
        "migrate.outlook",
    ),
    app(
        "Outlook Anywhere (RPC over HTTP)",
        Protocol::OutlookAnywhere,
        Ca::Other,
        Some("AllowBasicAuthRpc"),
        None,
        "migrate.outlook",
    ),
    app(
        "Outlook Service",
        Protocol::OutlookService,
        Ca::Other,
        Some("AllowBasicAuthOutlookService"),
        Some("UniversalOutlookEnabled"),
        "migrate.outlookservice",
    ),
    app("POP3", Protocol::Pop3, Ca::Other, Some("AllowBasicAuthPop"), Some("PopEnabled"), "migrate.pop"),
    app(
        "Reporting Web Services",
        Protocol::ReportingWebServices,
        Ca::Other,
        Some("AllowBasicAuthReportingWebServices"),
        None,
        "migrate.reporting",
    ),
    app(
        "Universal Outlook",
        Protocol::UniversalOutlook,
        Ca::Other,
        Some("AllowBasicAuthOutlookService"),
        Some("UniversalOutlookEnabled"),
        "migrate.outlookservice",
    ),
    app("Other clients", Protocol::OtherClients, Ca::Other, None, None, "migrate.other"),
];

/// Catalogue row for an unknown non-empty value (legacy, investigate).
pub static UNKNOWN_LEGACY: ClientApp =
    app("(unknown)", Protocol::UnknownLegacy, Ca::Other, None, None, "migrate.other");

/// Catalogue row for an empty value.
pub static NOT_REPORTED: ClientApp = app("", Protocol::NotReported, Ca::Other, None, None, "migrate.none");

impl Protocol {
    pub fn is_legacy(self) -> bool {
        !matches!(self, Protocol::Browser | Protocol::MobileAndDesktop | Protocol::NotReported)
    }

    /// The canonical catalogue row for this protocol.
    pub fn entry(self) -> &'static ClientApp {
        match self {
            Protocol::UnknownLegacy => &UNKNOWN_LEGACY,
            Protocol::NotReported => &NOT_REPORTED,
            p => CATALOGUE.iter().find(|a| a.protocol == p).expect("every known protocol has a catalogue row"),
        }
    }

    /// Short display name used in tables and as the `protocol` field of summaries.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Browser => "Browser",
            Protocol::MobileAndDesktop => "ModernClient",
            Protocol::ExchangeActiveSync => "ActiveSync",
            Protocol::Imap4 => "IMAP",
            Protocol::Pop3 => "POP",
            Protocol::AuthenticatedSmtp => "SMTP",
            Protocol::ExchangeWebServices => "EWS",
            Protocol::MapiOverHttp => "MAPI",
            Protocol::OutlookAnywhere => "RPC",
            Protocol::OfflineAddressBook => "OAB",
            Protocol::Autodiscover => "Autodiscover",
            Protocol::ExchangeOnlinePowerShell => "PowerShell",
            Protocol::ReportingWebServices => "ReportingWebServices",
            Protocol::OutlookService => "OutlookService",
            Protocol::UniversalOutlook => "UniversalOutlook",
            Protocol::OtherClients => "OtherClients",
            Protocol::UnknownLegacy => "Unknown",
            Protocol::NotReported => "NotReported",
        }
    }

    /// Parse a protocol display name (as printed by [`Protocol::name`]) or a client-app value.
    pub fn from_name(s: &str) -> Option<Protocol> {
        let t = s.trim();
        ALL.iter().copied().find(|p| p.name().eq_ignore_ascii_case(t)).or_else(|| match classify(t) {
            Protocol::UnknownLegacy | Protocol::NotReported => None,
            p => Some(p),
        })
    }
}

impl Serialize for Protocol {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Protocol {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        match s.trim() {
            "Unknown" => Ok(Protocol::UnknownLegacy),
            "NotReported" | "" => Ok(Protocol::NotReported),
            t => Protocol::from_name(t).ok_or_else(|| serde::de::Error::custom(format!("unknown protocol '{t}'"))),
        }
    }
}

pub const ALL: &[Protocol] = &[
    Protocol::Browser,
    Protocol::MobileAndDesktop,
    Protocol::ExchangeActiveSync,
    Protocol::Imap4,
    Protocol::Pop3,
    Protocol::AuthenticatedSmtp,
    Protocol::ExchangeWebServices,
    Protocol::MapiOverHttp,
    Protocol::OutlookAnywhere,
    Protocol::OfflineAddressBook,
    Protocol::Autodiscover,
    Protocol::ExchangeOnlinePowerShell,
    Protocol::ReportingWebServices,
    Protocol::OutlookService,
    Protocol::UniversalOutlook,
    Protocol::OtherClients,
    Protocol::UnknownLegacy,
    Protocol::NotReported,
];

// Spellings seen across Microsoft pages and exports (DOMAIN.md §1.1): casing varies
// (`MAPI Over HTTP`, `AutoDiscover`), and informal forms appear in docs (`IMAP`, `POP`, `SMTP`).
pub static CLIENT_APP_ALIASES: &[(&str, Protocol)] = &[
    ("Browser", Protocol::Browser),
    ("Mobile Apps and Desktop clients", Protocol::MobileAndDesktop),
    ("Authenticated SMTP", Protocol::AuthenticatedSmtp),
    ("SMTP", Protocol::AuthenticatedSmtp),
    ("Autodiscover", Protocol::Autodiscover),
    ("Exchange ActiveSync", Protocol::ExchangeActiveSync),
    ("Exchange Online PowerShell", Protocol::ExchangeOnlinePowerShell),
    ("Exchange Web Services", Protocol::ExchangeWebServices),
    ("IMAP4", Protocol::Imap4),
    ("IMAP", Protocol::Imap4),
    ("MAPI over HTTP", Protocol::MapiOverHttp),
    ("MAPI", Protocol::MapiOverHttp),
    ("Offline Address Book", Protocol::OfflineAddressBook),
    ("Outlook Anywhere (RPC over HTTP)", Protocol::OutlookAnywhere),
    ("Outlook Service", Protocol::OutlookService),
    ("POP3", Protocol::Pop3),
    ("POP", Protocol::Pop3),
    ("Reporting Web Services", Protocol::ReportingWebServices),
    ("Universal Outlook", Protocol::UniversalOutlook),
    ("Other clients", Protocol::OtherClients),
];

/// Classify a raw `clientAppUsed` value (DOMAIN.md §1.1 rule for developers).
pub fn classify(raw: &str) -> Protocol {
    let v = raw.trim();
    if v.is_empty() {
        return Protocol::NotReported;
    }
    CLIENT_APP_ALIASES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(v))
        .map_or(Protocol::UnknownLegacy, |&(_, p)| p)
}

/// True when the raw value is one of the two modern values: the check the NDJSON fast path
/// uses to skip a record without parsing it.
pub fn is_modern_value(raw: &[u8]) -> bool {
    const BROWSER: &[u8] = b"Browser";
    const MOBILE_DESKTOP: &[u8] = b"Mobile Apps and Desktop clients";
    // Entra's own spelling compares exactly (nearly every record); other cases and padding after.
    if raw == MOBILE_DESKTOP || raw == BROWSER {
        return true;
    }
    let v = raw.trim_ascii();
    v.eq_ignore_ascii_case(BROWSER) || v.eq_ignore_ascii_case(MOBILE_DESKTOP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsoft_rule_everything_not_modern_is_legacy() {
        assert_eq!(classify(" browser "), Protocol::Browser);
        assert_eq!(classify("Mobile apps and desktop clients"), Protocol::MobileAndDesktop);
        assert_eq!(classify("MAPI Over HTTP"), Protocol::MapiOverHttp);
        assert_eq!(classify("AutoDiscover"), Protocol::Autodiscover);
        assert_eq!(classify(""), Protocol::NotReported);
        assert_eq!(classify("Some Future Client"), Protocol::UnknownLegacy);
        assert!(classify("Some Future Client").is_legacy());
        assert!(!classify("Browser").is_legacy());
        assert!(!classify("  ").is_legacy());
        for a in CATALOGUE {
            assert_eq!(classify(a.client_app_used), a.protocol, "{}", a.client_app_used);
            assert_eq!(a.protocol.is_legacy(), a.is_legacy);
        }
    }

    #[test]
    fn protocol_names_round_trip() {
        for &p in ALL {
            if p != Protocol::NotReported {
                assert_eq!(Protocol::from_name(p.name()), Some(p));
            }
            assert_eq!(p.entry().protocol, p);
        }
    }
}
