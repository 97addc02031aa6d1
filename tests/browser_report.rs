//! The HTML report in a real browser: Debian's headless Chromium renders it from file://, the
//! DOM after the page's script ran is dumped, and the rendered numbers are compared with what
//! `exauth summary` says about the same input, in en-US and ja-JP. Also: no console errors or
//! CSP violations, the page's own error hook saw nothing, hostile input (a `<script>` in a UPN,
//! a user agent and a policy name) did not run, and a screenshot is saved.
//!
//! Skips, saying why, when Chromium is not installed (`apt-get install -y chromium`; .ci/run does).

use std::path::{Path, PathBuf};
use std::process::Command;

use exchange_auth_tools::demo::{Scenario, scenario_ndjson};

const EXAUTH: &str = env!("CARGO_BIN_EXE_exauth");
/// Would set this attribute if any injected script ran.
const PWN: &str = "<script>document.documentElement.setAttribute('data-pwned','1')</script>";

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("the command starts");
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn write_inputs(dir: &Path) -> PathBuf {
    let scenario =
        Scenario { users: 300, days: 7, legacy_users: 20, spray_ips: 3, spray_targets: 60, ..Scenario::demo() };
    let mut bytes = scenario_ndjson(&scenario);
    let hostile_upn = format!("x'\"{PWN}@contoso.co.jp");
    let hostile = serde_json::json!({
        "id": "hostile-1", "createdDateTime": "2026-11-03T01:00:00Z", "userPrincipalName": hostile_upn,
        "userId": "u-hostile", "clientAppUsed": "IMAP4", "appDisplayName": format!("App \"{PWN}"),
        "ipAddress": "198.51.100.77", "userAgent": format!("UA'{PWN}"), "status": {"errorCode": 0},
        "location": {"countryOrRegion": "JP"}
    });
    bytes.extend(serde_json::to_vec(&hostile).unwrap());
    bytes.push(b'\n');
    let signins = dir.join("signins.ndjson");
    std::fs::write(&signins, bytes).unwrap();
    let mailboxes = serde_json::json!([
        {"PrimarySmtpAddress": hostile_upn, "ImapEnabled": true, "PopEnabled": true, "SmtpClientAuthenticationDisabled": null},
        {"PrimarySmtpAddress": "mfp-01@contoso.co.jp", "ImapEnabled": false, "PopEnabled": false, "SmtpClientAuthenticationDisabled": false}
    ]);
    std::fs::write(dir.join("cas.json"), mailboxes.to_string()).unwrap();
    std::fs::write(dir.join("transport.json"), r#"{"SmtpClientAuthenticationDisabled":false}"#).unwrap();
    let ca = serde_json::json!({"value": [{"id": "p1", "displayName": format!("Block legacy {PWN}"), "state": "enabled",
        "conditions": {"clientAppTypes": ["exchangeActiveSync", "other"], "users": {"includeUsers": ["All"], "excludeUsers": ["u-hostile"]},
                       "applications": {"includeApplications": ["All"]}},
        "grantControls": {"builtInControls": ["block"]}}]});
    std::fs::write(dir.join("ca.json"), ca.to_string()).unwrap();
    let findings = serde_json::json!([{"id": "readiness.enable_adal", "severity": "High", "target": format!("PC-01 {PWN}"),
        "setting": "HKCU\\SOFTWARE\\Microsoft\\Office\\15.0\\Common\\Identity\\EnableADAL", "current": "0", "expected": "1",
        "message": "Outlook 2013 uses Basic authentication", "fix": "reg add ...", "source": "registry", "verified": true}]);
    std::fs::write(dir.join("findings.json"), findings.to_string()).unwrap();
    signins
}

fn summary(signins: &Path, by: &str) -> Vec<serde_json::Value> {
    let out = run(Command::new(EXAUTH).args(["summary", "--quiet", "--format", "json", "--by", by]).arg(signins));
    serde_json::from_slice(&out.stdout).expect("summary JSON")
}

/// The value of `attr` in the first element that has `marker` before it.
fn attr_after(dom: &str, marker: &str, attr: &str) -> Option<String> {
    let at = dom.find(marker)?;
    let rest = &dom[at..];
    let start = rest.find(&format!("{attr}=\""))? + attr.len() + 2;
    Some(rest[start..].split('"').next()?.to_owned())
}

#[test]
fn report_renders_in_chromium_with_the_summary_numbers_in_both_cultures() {
    let Some(chrome) = chromium() else {
        eprintln!("SKIPPED: chromium is not installed (apt-get install -y chromium); the browser check did not run");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let signins = write_inputs(dir.path());
    let by_protocol = summary(&signins, "protocol");
    let by_day = summary(&signins, "day");
    let sum = |rows: &[serde_json::Value], k: &str| rows.iter().map(|r| r[k].as_u64().unwrap()).sum::<u64>();
    let (total, succeeded) = (sum(&by_protocol, "total"), sum(&by_protocol, "succeeded"));
    assert!(total > 1000 && succeeded > 0, "the input has legacy traffic: {total}");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for culture in ["en-US", "ja-JP"] {
        let html = dir.path().join(format!("report-{culture}.html"));
        run(Command::new(EXAUTH)
            .args(["report", "--quiet", "--culture", culture, "--out"])
            .arg(&html)
            .arg(&signins)
            .arg("--mailboxes")
            .arg(dir.path().join("cas.json"))
            .arg("--transport-config")
            .arg(dir.path().join("transport.json"))
            .arg("--policies")
            .arg(dir.path().join("ca.json"))
            .arg("--findings")
            .arg(dir.path().join("findings.json")));
        let profile = tempfile::tempdir().unwrap();
        let url = format!("file://{}", html.display());
        let base = |c: &mut Command| {
            c.args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                .args([
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--enable-logging=stderr",
                    "--v=0",
                ])
                .arg(format!("--user-data-dir={}", profile.path().display()));
        };
        let mut dump = Command::new(&chrome);
        base(&mut dump);
        let out = dump.args(["--dump-dom", &url]).output().expect("chromium runs");
        let dom = String::from_utf8_lossy(&out.stdout);
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(dom.contains("data-ready=\"1\""), "{culture}: the page script did not finish\n{log}");
        assert!(dom.contains("data-errors=\"0\""), "{culture}: script errors\n{log}");
        let console: Vec<&str> =
            log.lines().filter(|l| l.contains("CONSOLE") || l.contains("Content Security Policy")).collect();
        assert!(console.is_empty(), "{culture}: console output: {console:#?}");
        assert!(!dom.contains("data-pwned=\"1\""), "{culture}: injected script ran");
        let metric = |id: &str| attr_after(&dom, &format!("data-metric=\"{id}\""), "data-value").unwrap();
        assert_eq!(metric("total"), total.to_string(), "{culture}");
        assert_eq!(metric("succeeded"), succeeded.to_string(), "{culture}");
        assert_eq!(metric("failed"), (total - succeeded).to_string(), "{culture}");
        // The displayed text too, with its thousands separators.
        let shown = format!("data-value=\"{total}\"><div class=\"v\">");
        let text = &dom[dom.find(&shown).unwrap() + shown.len()..];
        assert_eq!(text.split('<').next().unwrap().replace(',', ""), total.to_string());
        for day in &by_day {
            let d = day["key"].as_str().unwrap();
            let rendered = attr_after(&dom, &format!("data-day=\"{d}\""), "data-total");
            assert_eq!(rendered, Some(day["total"].as_u64().unwrap().to_string()), "{culture} {d}");
        }
        let title = if culture == "ja-JP" { "レガシー認証レポート" } else { "Legacy authentication report" };
        assert!(dom.contains(title), "{culture}");
        assert!(dom.contains("Set-CASMailbox"), "{culture}: the plan's commands are shown");
        let png = shots.join(format!("report-{culture}.png"));
        let mut shot = Command::new(&chrome);
        base(&mut shot);
        let out = shot
            .args(["--window-size=1280,2000", "--hide-scrollbars", &format!("--screenshot={}", png.display()), &url])
            .output()
            .expect("chromium runs");
        assert!(png.metadata().map(|m| m.len() > 10_000).unwrap_or(false), "{}", String::from_utf8_lossy(&out.stderr));
        eprintln!("screenshot: {}", png.display());
    }
}
