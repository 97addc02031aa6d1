//! `exauth exposure` end to end on what Windows PowerShell 5.1 writes: Export-Csv with the
//! `#TYPE` line, UTF-16LE with BOM, `$null` as an empty cell; usage as `exauth summary` JSON.

use std::process::Command;

const EXAUTH: &str = env!("CARGO_BIN_EXE_exauth");

fn utf16le(text: &str) -> Vec<u8> {
    let mut b = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        b.extend(u.to_le_bytes());
    }
    b
}

#[test]
fn exposure_from_powershell_51_exports_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cas = "#TYPE Deserialized.Microsoft.Exchange.Data.Directory.Management.CASMailbox\r\n\
        \"Name\",\"PrimarySmtpAddress\",\"ActiveSyncEnabled\",\"ImapEnabled\",\"PopEnabled\",\"MAPIEnabled\",\"EwsEnabled\",\"SmtpClientAuthenticationDisabled\"\r\n\
        \"佐藤 結衣\",\"yui.sato@contoso.co.jp\",\"False\",\"True\",\"False\",\"True\",\"True\",\"\"\r\n\
        \"scanner\",\"scan-3f@contoso.co.jp\",\"False\",\"False\",\"False\",\"False\",\"False\",\"\"\r\n";
    std::fs::write(d.join("cas.csv"), utf16le(cas)).unwrap();
    std::fs::write(d.join("transport.csv"), utf16le("\"SmtpClientAuthenticationDisabled\"\r\n\"False\"\r\n")).unwrap();
    let mut signins = String::new();
    for i in 0..12 {
        signins.push_str(&format!(
            "{{\"createdDateTime\":\"2026-11-{:02}T01:00:00Z\",\"userPrincipalName\":\"scan-3f@contoso.co.jp\",\"clientAppUsed\":\"Authenticated SMTP\",\"ipAddress\":\"203.0.113.250\",\"userAgent\":\"BAV2ROPC\",\"isInteractive\":false,\"status\":{{\"errorCode\":0}}}}\n",
            i + 1
        ));
    }
    std::fs::write(d.join("signins.ndjson"), signins).unwrap();
    let summary = Command::new(EXAUTH)
        .args(["summary", "--quiet", "--format", "json"])
        .arg(d.join("signins.ndjson"))
        .output()
        .unwrap();
    assert!(summary.status.success());
    std::fs::write(d.join("summary.json"), &summary.stdout).unwrap();
    let out = Command::new(EXAUTH)
        .args(["exposure", "--quiet", "--format", "json", "--lang", "ja-JP"])
        .arg("--mailboxes")
        .arg(d.join("cas.csv"))
        .arg("--transport-config")
        .arg(d.join("transport.csv"))
        .arg("--usage")
        .arg(d.join("summary.json"))
        .arg("--script")
        .arg(d.join("plan.ps1"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mailbox = |id: &str| r["mailboxes"].as_array().unwrap().iter().find(|m| m["identity"] == id).unwrap().clone();
    let proto = |m: &serde_json::Value, p: &str| {
        m["protocols"].as_array().unwrap().iter().find(|x| x["protocol"] == p).unwrap().clone()
    };
    let scanner = mailbox("scan-3f@contoso.co.jp");
    let smtp = proto(&scanner, "SMTP");
    assert_eq!(smtp["enabledSource"], "Organization", "empty cell = $null = inherit");
    assert_eq!(smtp["recommendation"], "MigrateFirst");
    assert_eq!(smtp["client"]["kind"], "Device", "{smtp}");
    let yui = mailbox("yui.sato@contoso.co.jp");
    assert_eq!(yui["displayName"], "佐藤 結衣");
    assert_eq!(proto(&yui, "IMAP")["recommendation"], "Disable");
    let script = std::fs::read(d.join("plan.ps1")).unwrap();
    assert!(script.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Windows PowerShell 5.1");
    let text = String::from_utf8(script).unwrap();
    assert!(
        text.contains(
            "Set-CASMailbox -Identity 'scan-3f@contoso.co.jp' -SmtpClientAuthenticationDisabled $false -WhatIf"
        )
    );
    assert!(text.contains("Set-TransportConfig -SmtpClientAuthenticationDisabled $true -WhatIf"));
    assert!(text.contains("Set-CASMailbox -Identity 'yui.sato@contoso.co.jp' -ImapEnabled $false"));
    // A file that does not exist is a clear failure (exit 3) naming it.
    let bad = Command::new(EXAUTH)
        .args(["exposure", "--mailboxes", "/nonexistent/cas.csv", "--usage"])
        .arg(d.join("summary.json"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("/nonexistent/cas.csv"));
}
