//! Who is behind a legacy sign-in: a person's mail client, a device (printer, scanner,
//! multifunction copier) or an application (line-of-business app, script, service account),
//! recognised from the user agent, the application, the account name and the IP pattern. Each
//! kind gets the migration path that fits it (DOMAIN.md §1.2): devices go to an SMTP relay or
//! direct send, apps to OAuth client credentials or Graph, people to a modern-auth client.
//!
//! These are heuristics (no Microsoft source lists printer user agents): the evidence is always
//! shown so the admin can judge.

use serde::Serialize;

use crate::analysis::SummaryRow;
use crate::catalogue::Protocol;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ClientKind {
    Person,
    Device,
    Application,
    Unknown,
}

/// The recognised client and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recognition {
    pub kind: ClientKind,
    /// Evidence, e.g. `account:mfp`, `userAgent:python-requests`, `ip:single`.
    pub evidence: Vec<String>,
}

/// Account-name fragments of devices (checked against the UPN's local part, as words).
const DEVICE_ACCOUNTS: &[&str] = &[
    "mfp",
    "printer",
    "print",
    "scan",
    "scanner",
    "scantomail",
    "copier",
    "copy",
    "fax",
    "ricoh",
    "canon",
    "xerox",
    "kyocera",
    "konica",
    "sharp",
    "brother",
    "epson",
    "lexmark",
    "fujixerox",
    "fujifilm",
];
/// Account-name fragments of applications and service accounts.
const APP_ACCOUNTS: &[&str] = &[
    "noreply",
    "no-reply",
    "donotreply",
    "svc",
    "service",
    "app",
    "apps",
    "alert",
    "alerts",
    "notify",
    "notification",
    "monitor",
    "system",
    "batch",
    "robot",
    "bot",
    "daemon",
    "erp",
    "sap",
    "crm",
    "report",
    "reports",
    "backup",
    "api",
    "workflow",
    "automation",
    "jenkins",
    "zabbix",
    "nagios",
];
/// User-agent fragments of scripts and application runtimes.
const APP_AGENTS: &[&str] = &[
    "python",
    "curl",
    "powershell",
    "java/",
    "okhttp",
    "go-http-client",
    "libwww",
    "phpmailer",
    "mailkit",
    "system.net",
    ".net",
    "node-fetch",
    "axios",
    "ruby",
    "perl",
    "wget",
    "postman",
];
/// User-agent fragments of people's mail clients.
const PERSON_AGENTS: &[&str] = &[
    "thunderbird",
    "outlook",
    "apple-",
    "iphone",
    "ipad",
    "android",
    "macoutlook",
    "microsoft office",
    "samsung",
    "mail/",
    "gmail",
    "bluemail",
    "spark",
    "windowsmail",
];
/// User-agent fragments of devices.
const DEVICE_AGENTS: &[&str] = &["printer", "scanner", "mfp", "ricoh", "canon", "xerox", "kyocera", "sharp", "konica"];

fn words(local: &str) -> Vec<String> {
    local.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect()
}

fn account_matches(local: &str, list: &[&'static str]) -> Option<&'static str> {
    let lower = local.to_ascii_lowercase();
    let ws = words(&lower);
    list.iter().copied().find(|frag| {
        if frag.contains('-') {
            lower.contains(frag)
        } else {
            // A word, or a word with trailing digits ("mfp01", "scanner2").
            ws.iter().any(|w| w == frag || w.trim_end_matches(|c: char| c.is_ascii_digit()) == *frag)
        }
    })
}

fn agent_matches(agents: &[String], list: &[&'static str]) -> Option<&'static str> {
    agents.iter().find_map(|ua| {
        let l = ua.to_ascii_lowercase();
        list.iter().copied().find(|f| l.contains(f))
    })
}

/// Recognise the client behind one user × protocol usage row.
pub fn recognise(row: &SummaryRow) -> Recognition {
    let mut evidence = Vec::new();
    let local = row.user_principal_name.split('@').next().unwrap_or("");
    let device_agent = agent_matches(&row.user_agents, DEVICE_AGENTS);
    let app_agent = agent_matches(&row.user_agents, APP_AGENTS);
    let person_agent = agent_matches(&row.user_agents, PERSON_AGENTS);
    let device_account = account_matches(local, DEVICE_ACCOUNTS);
    let app_account = account_matches(local, APP_ACCOUNTS);
    let kind = if let Some(f) = device_agent.or(device_account) {
        evidence.push(if device_agent.is_some() { format!("userAgent:{f}") } else { format!("account:{f}") });
        ClientKind::Device
    } else if let Some(f) = app_agent {
        evidence.push(format!("userAgent:{f}"));
        ClientKind::Application
    } else if let Some(f) = app_account {
        evidence.push(format!("account:{f}"));
        ClientKind::Application
    } else if let Some(f) = person_agent {
        evidence.push(format!("userAgent:{f}"));
        ClientKind::Person
    } else {
        ClientKind::Unknown
    };
    // A steady, non-interactive sender from one fixed IP is what a device or app looks like.
    let steady = row.distinct_ip_count == 1 && row.interactive == 0 && row.total >= 10;
    if steady {
        evidence.push("ip:single".into());
    }
    let kind = match kind {
        ClientKind::Unknown if steady && row.protocol == Protocol::AuthenticatedSmtp.name() => ClientKind::Device,
        k => k,
    };
    Recognition { kind, evidence }
}

/// Message key of the migration path for a protocol used by a kind of client.
pub fn migration_key(protocol: Protocol, kind: ClientKind) -> &'static str {
    match (protocol, kind) {
        (Protocol::AuthenticatedSmtp, ClientKind::Device) => "path.smtp_device",
        (Protocol::AuthenticatedSmtp, ClientKind::Application) => "path.smtp_app",
        (Protocol::AuthenticatedSmtp, ClientKind::Person) => "path.smtp_person",
        (Protocol::Imap4 | Protocol::Pop3, ClientKind::Application | ClientKind::Device) => "path.mailbox_app",
        (Protocol::Imap4 | Protocol::Pop3, ClientKind::Person) => "path.mailbox_person",
        (Protocol::ExchangeWebServices, ClientKind::Application) => "path.ews_app",
        (p, _) => p.entry().migrate_to_key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(upn: &str, protocol: &str, uas: &[&str], ips: u64, total: u64) -> SummaryRow {
        let mut r = crate::exposure::usage::test_row(upn, protocol, total, 0);
        r.user_agents = uas.iter().map(|s| s.to_string()).collect();
        r.distinct_ip_count = ips;
        r
    }

    #[test]
    fn devices_apps_and_people() {
        let r = recognise(&row("mfp-01@contoso.co.jp", "SMTP", &["BAV2ROPC"], 1, 50));
        assert_eq!(r.kind, ClientKind::Device);
        assert!(r.evidence.contains(&"account:mfp".to_string()), "{r:?}");
        assert_eq!(recognise(&row("scanner2@c.jp", "SMTP", &[], 3, 2)).kind, ClientKind::Device);
        assert_eq!(recognise(&row("a.b@c.jp", "IMAP", &["python-requests/2.31"], 2, 5)).kind, ClientKind::Application);
        assert_eq!(recognise(&row("noreply@c.jp", "SMTP", &[], 4, 5)).kind, ClientKind::Application);
        assert_eq!(recognise(&row("yui.sato@c.jp", "IMAP", &["Thunderbird/115.3"], 2, 5)).kind, ClientKind::Person);
        // "scanlon" is a name, not a scanner; one IP but interactive traffic is not a device.
        assert_eq!(recognise(&row("amy.scanlon@c.jp", "POP", &[], 3, 5)).kind, ClientKind::Unknown);
        assert_eq!(recognise(&row("x.y@c.jp", "SMTP", &["BAV2ROPC"], 1, 40)).kind, ClientKind::Device);
        assert_eq!(migration_key(Protocol::AuthenticatedSmtp, ClientKind::Device), "path.smtp_device");
        assert_eq!(migration_key(Protocol::ExchangeActiveSync, ClientKind::Person), "migrate.eas");
    }
}
