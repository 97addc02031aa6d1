use super::*;

fn objs(json: &str) -> Vec<Object> {
    objects::parse_objects("t.json", json.as_bytes()).unwrap()
}

fn usage_row(upn: &str, protocol: &str, ok: u64, failed: u64, last: Timestamp, a: Assessment) -> SummaryRow {
    let mut r = usage::test_row(upn, protocol, ok, failed);
    r.first_seen = Some(Timestamp(last.0 - 40 * DAY_MICROS));
    r.last_seen = Some(last);
    r.last_success = (ok > 0).then_some(last);
    r.countries = vec!["JP".into()];
    r.user_agents = vec!["BAV2ROPC".into()];
    r.assessment = a;
    r
}

fn find<'a>(r: &'a ExposureReport, id: &str, p: Protocol) -> &'a ProtocolExposure {
    let m = r.mailboxes.iter().find(|m| m.identity == id).unwrap();
    m.protocols.iter().find(|x| x.protocol == p.name()).unwrap()
}

#[test]
fn smtp_inherits_org_policy_blocks_and_usage_decides() {
    let end = Timestamp::from_civil(2026, 11, 14, 0, 0, 0, 0);
    let mut usage = Usage::default();
    usage.add_rows(vec![
        usage_row("mfp-01@contoso.co.jp", "SMTP", 300, 0, end, Assessment::Migrate),
        usage_row("old@contoso.co.jp", "POP", 3, 0, Timestamp(end.0 - 60 * DAY_MICROS), Assessment::Migrate),
        usage_row("sprayed@contoso.co.jp", "IMAP", 0, 12, end, Assessment::PasswordSpray),
        usage_row("ghost@contoso.co.jp", "IMAP", 4, 0, end, Assessment::Migrate),
    ]);
    let input = ExposureInput {
        mailboxes: objs(
            r#"[
            {"PrimarySmtpAddress":"mfp-01@contoso.co.jp","PopEnabled":true,"ImapEnabled":false,"ActiveSyncEnabled":false,"EwsEnabled":false,"MAPIEnabled":false,"SmtpClientAuthenticationDisabled":null},
            {"PrimarySmtpAddress":"old@contoso.co.jp","PopEnabled":"True","ImapEnabled":"False","ActiveSyncEnabled":"False","EwsEnabled":"False","MAPIEnabled":"False","SmtpClientAuthenticationDisabled":"True"},
            {"PrimarySmtpAddress":"sprayed@contoso.co.jp","PopEnabled":false,"ImapEnabled":true,"ActiveSyncEnabled":false,"EwsEnabled":false,"MAPIEnabled":false,"SmtpClientAuthenticationDisabled":true},
            {"PrimarySmtpAddress":"kept@contoso.co.jp","PopEnabled":true,"ImapEnabled":true,"ActiveSyncEnabled":true,"EwsEnabled":true,"MAPIEnabled":true,"SmtpClientAuthenticationDisabled":false}
        ]"#,
        ),
        auth_policies: objs(
            r#"[{"Name":"Block POP","AllowBasicAuthPop":false,"AllowBasicAuthSmtp":true,"AllowBasicAuthImap":true}]"#,
        ),
        users: objs(
            r#"[{"UserPrincipalName":"kept@contoso.co.jp","AuthenticationPolicy":"CN=Block POP,CN=Auth Policies,CN=Configuration,CN=contoso.onmicrosoft.com,CN=ConfigurationUnits,DC=JPNPR01A001,DC=PROD,DC=OUTLOOK,DC=COM"}]"#,
        ),
        transport: objs(r#"{"SmtpClientAuthenticationDisabled":false}"#).pop(),
        org: objs(r#"{"OAuth2ClientProfileEnabled":true,"DefaultAuthenticationPolicy":null}"#).pop(),
        unused_days: 30,
        security_defaults: false,
    };
    let r = evaluate(&input, &usage, Lang::En);
    // $null mailbox value inherits the org's "enabled"; a printer uses it: migrate first.
    let smtp = find(&r, "mfp-01@contoso.co.jp", Protocol::AuthenticatedSmtp);
    assert_eq!((smtp.enabled, smtp.enabled_source), (Some(true), SettingSource::Organization));
    assert_eq!(smtp.recommendation, Recommendation::MigrateFirst);
    assert_eq!(smtp.client.as_ref().unwrap().kind, ClientKind::Device);
    assert!(smtp.migrate_to.contains("relay"), "{}", smtp.migrate_to);
    // POP enabled, unused for 60 days: disable now.
    let pop = find(&r, "old@contoso.co.jp", Protocol::Pop3);
    assert_eq!(pop.recommendation, Recommendation::Disable);
    assert!(pop.reason.contains("2026-09-15"), "{}", pop.reason);
    let old = r.mailboxes.iter().find(|m| m.identity == "old@contoso.co.jp").unwrap();
    assert_eq!(old.commands[0].command, "Set-CASMailbox -Identity 'old@contoso.co.jp' -PopEnabled $false -WhatIf");
    // Only spray failures: investigate, and the protocol can go off now.
    let imap = find(&r, "sprayed@contoso.co.jp", Protocol::Imap4);
    assert_eq!(imap.recommendation, Recommendation::Investigate);
    // A user policy blocks Basic POP although POP is enabled; SMTP explicitly $false = enabled.
    assert_eq!(find(&r, "kept@contoso.co.jp", Protocol::Pop3).recommendation, Recommendation::BlockedByPolicy);
    let kept_smtp = find(&r, "kept@contoso.co.jp", Protocol::AuthenticatedSmtp);
    assert_eq!((kept_smtp.enabled_source, kept_smtp.basic_blocked_by_policy), (SettingSource::Mailbox, Some(false)));
    // Org SMTP open: keep the printer's SMTP, then turn it off for the organisation.
    let cmds: Vec<&str> = r.tenant_commands.iter().map(|c| c.command.as_str()).collect();
    assert!(
        cmds.contains(
            &"Set-CASMailbox -Identity 'mfp-01@contoso.co.jp' -SmtpClientAuthenticationDisabled $false -WhatIf"
        )
    );
    assert!(cmds.contains(&"Set-TransportConfig -SmtpClientAuthenticationDisabled $true -WhatIf"));
    assert!(cmds.iter().any(|c| c.starts_with("New-AuthenticationPolicy -Name 'Block Basic Auth'")));
    assert!(r.tenant_findings.iter().any(|f| f.id == "exposure.smtp_org_open"));
    assert_eq!(r.unmatched_usage, vec!["ghost@contoso.co.jp".to_string()]);
    assert!(r.all_commands().iter().all(|c| c.command.ends_with(" -WhatIf")));
    assert_eq!(r.counts.mailboxes, 4);
}

#[test]
fn missing_smtp_property_is_unknown_not_inherited() {
    let input = ExposureInput {
        mailboxes: objs(r#"[{"PrimarySmtpAddress":"a@c.jp","PopEnabled":true}]"#),
        transport: objs(r#"{"SmtpClientAuthenticationDisabled":true}"#).pop(),
        unused_days: 30,
        ..Default::default()
    };
    let r = evaluate(&input, &Usage::default(), Lang::Ja);
    let smtp = find(&r, "a@c.jp", Protocol::AuthenticatedSmtp);
    assert_eq!(smtp.recommendation, Recommendation::Unknown);
    assert!(r.tenant_findings.iter().any(|f| f.id == "exposure.smtp_not_exported"));
    assert_eq!(find(&r, "a@c.jp", Protocol::Imap4).enabled, None);
}

#[test]
fn bad_boolean_is_reported_not_fatal() {
    let input = ExposureInput {
        mailboxes: objs(r#"[{"PrimarySmtpAddress":"a@c.jp","PopEnabled":"perhaps"}]"#),
        unused_days: 30,
        ..Default::default()
    };
    let r = evaluate(&input, &Usage::default(), Lang::En);
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].contains("PopEnabled"));
}

#[test]
fn security_defaults_block_basic_everywhere() {
    let input = ExposureInput {
        mailboxes: objs(
            r#"[{"PrimarySmtpAddress":"a@c.jp","PopEnabled":true,"SmtpClientAuthenticationDisabled":false}]"#,
        ),
        unused_days: 30,
        security_defaults: true,
        ..Default::default()
    };
    let r = evaluate(&input, &Usage::default(), Lang::En);
    let pop = find(&r, "a@c.jp", Protocol::Pop3);
    assert_eq!(pop.recommendation, Recommendation::BlockedByPolicy);
    assert!(pop.reason.contains("Security Defaults"), "{}", pop.reason);
}
