//! The demo report's Exchange and Entra side, generated deterministically from the embedded demo
//! tenant's sign-ins (src/demo) so the two agree: a CAS mailbox for every account seen there,
//! some protocols already off, printers with SMTP AUTH kept explicitly, an older tenant whose
//! organisation still allows SMTP AUTH, no default authentication policy, a pilot policy, and a
//! report-only Conditional Access block that excludes the printers.

use serde_json::{Value, json};

use crate::analysis::Filter;
use crate::exposure::objects::{Object, parse_objects};
use crate::exposure::usage::{Usage, usage_from_bytes};

/// The demo inputs, as the JSON files an admin would export.
pub struct DemoTenant {
    pub signins: Vec<u8>,
    pub usage: Usage,
    pub files: Vec<(&'static str, Value)>,
}

pub const PILOT_POLICY: &str = "Block Basic Auth (pilot)";

impl DemoTenant {
    pub fn generate() -> crate::Result<DemoTenant> {
        let signins = crate::demo::demo_ndjson();
        let usage = usage_from_bytes("demo-tenant.ndjson", &signins, &Filter::default())?;
        let mut upns: Vec<String> = usage.user_protocol().iter().map(|r| r.user_principal_name.clone()).collect();
        upns.sort_by_key(|u| u.to_lowercase());
        upns.dedup_by_key(|u| u.to_lowercase());
        let succeeded: std::collections::HashSet<String> = usage
            .user_protocol()
            .iter()
            .filter(|r| r.succeeded > 0)
            .map(|r| r.user_principal_name.to_lowercase())
            .collect();
        let mut cas = Vec::new();
        let mut users = Vec::new();
        for (i, upn) in upns.iter().enumerate() {
            let printer = upn.starts_with("mfp-");
            let off = !printer && i % 4 == 0;
            // Three printers keep SMTP AUTH explicitly; the rest inherit the organisation value.
            let smtp: Value = if printer && upn.as_str() < "mfp-04" { json!(false) } else { Value::Null };
            cas.push(json!({
                "Name": upn.split('@').next().unwrap_or(upn),
                "DisplayName": upn.split('@').next().unwrap_or(upn),
                "PrimarySmtpAddress": upn,
                "ActiveSyncEnabled": !printer,
                "ImapEnabled": !off,
                "PopEnabled": !off && !printer,
                "MAPIEnabled": !printer,
                "EwsEnabled": true,
                "OWAEnabled": !printer,
                "SmtpClientAuthenticationDisabled": smtp,
            }));
            let pilot = i % 10 == 1 && !succeeded.contains(&upn.to_lowercase());
            users.push(json!({
                "UserPrincipalName": upn,
                "Name": upn.split('@').next().unwrap_or(upn),
                "ExternalDirectoryObjectId": usage.user_ids.get(&upn.to_lowercase()),
                "AuthenticationPolicy": if pilot { json!(PILOT_POLICY) } else { Value::Null },
            }));
        }
        let printer_ids: Vec<&String> =
            usage.user_ids.iter().filter(|(u, _)| u.starts_with("mfp-")).map(|(_, id)| id).collect::<Vec<_>>();
        let mut printer_ids: Vec<String> = printer_ids.into_iter().cloned().collect();
        printer_ids.sort();
        let ca = json!({ "value": [
            {
                "id": "5b2f1b8e-0b7a-4f43-9a53-1c4fd1e0a001",
                "displayName": "Block legacy authentication",
                "state": "enabledForReportingButNotEnforced",
                "createdDateTime": "2026-10-20T02:00:00Z",
                "conditions": {
                    "clientAppTypes": ["exchangeActiveSync", "other"],
                    "applications": { "includeApplications": ["All"] },
                    "users": { "includeUsers": ["All"], "excludeUsers": printer_ids,
                               "excludeGroups": ["9c1d7a8e-55aa-4c1e-8f00-00000000b001"], "excludeRoles": [] }
                },
                "grantControls": { "operator": "OR", "builtInControls": ["block"] }
            },
            {
                "id": "5b2f1b8e-0b7a-4f43-9a53-1c4fd1e0a002",
                "displayName": "Block ActiveSync basic (pilot)",
                "state": "enabled",
                "modifiedDateTime": "2026-11-10T00:00:00Z",
                "conditions": {
                    "clientAppTypes": ["exchangeActiveSync"],
                    "applications": { "includeApplications": ["Office365"] },
                    "users": { "includeUsers": ["All"], "excludeUsers": [], "excludeGroups": [], "excludeRoles": [] }
                },
                "grantControls": { "operator": "OR", "builtInControls": ["block"] }
            },
            {
                "id": "5b2f1b8e-0b7a-4f43-9a53-1c4fd1e0a003",
                "displayName": "Require MFA for admins",
                "state": "enabled",
                "conditions": {
                    "clientAppTypes": ["all"],
                    "applications": { "includeApplications": ["All"] },
                    "users": { "includeUsers": [], "includeRoles": ["62e90394-69f5-4237-9190-012177145e10"] }
                },
                "grantControls": { "operator": "OR", "builtInControls": ["mfa"] }
            }
        ]});
        let files = vec![
            ("cas-mailboxes.json", Value::Array(cas)),
            ("users.json", Value::Array(users)),
            (
                "auth-policies.json",
                json!([{ "Name": PILOT_POLICY, "AllowBasicAuthActiveSync": false, "AllowBasicAuthImap": false,
                         "AllowBasicAuthPop": false, "AllowBasicAuthSmtp": false, "AllowBasicAuthWebServices": false,
                         "AllowBasicAuthMapi": false }]),
            ),
            ("transport-config.json", json!({ "SmtpClientAuthenticationDisabled": false })),
            (
                "org-config.json",
                json!({ "OAuth2ClientProfileEnabled": true, "DefaultAuthenticationPolicy": null, "EwsEnabled": null }),
            ),
            ("ca-policies.json", ca),
            ("security-defaults.json", json!({ "id": "00000000-0000-0000-0000-000000000005", "isEnabled": false })),
        ];
        Ok(DemoTenant { signins, usage, files })
    }

    /// The objects of one generated file.
    pub fn objects(&self, name: &str) -> Vec<Object> {
        self.files
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(n, v)| parse_objects(n, v.to_string().as_bytes()).ok())
            .unwrap_or_default()
    }
}
