use super::*;
use crate::analysis::Filter;
use crate::exposure::objects::parse_objects;
use crate::exposure::usage::usage_from_bytes;
use crate::exposure::{ExposureInput, evaluate};

const HOSTILE_UPN: &str = "x\"><script>alert(1)</script>'@evil.jp";

fn hostile_usage() -> Usage {
    let line = format!(
        "{{\"createdDateTime\":\"2026-11-02T01:02:03Z\",\"userPrincipalName\":{},\"userId\":\"u1\",\"clientAppUsed\":\"IMAP4\",\
         \"appDisplayName\":\"<img src=x onerror=alert(2)>\",\"ipAddress\":\"203.0.113.9\",\"userAgent\":\"</title><script>alert(3)</script>\",\
         \"status\":{{\"errorCode\":0}},\"location\":{{\"countryOrRegion\":\"JP\"}}}}\n",
        serde_json::to_string(HOSTILE_UPN).unwrap()
    );
    usage_from_bytes("hostile.ndjson", line.as_bytes(), &Filter::default()).unwrap()
}

#[test]
fn hostile_values_are_escaped_everywhere() {
    let usage = hostile_usage();
    let mailbox =
        format!("[{{\"PrimarySmtpAddress\":{},\"ImapEnabled\":true}}]", serde_json::to_string(HOSTILE_UPN).unwrap());
    let exposure = evaluate(
        &ExposureInput {
            mailboxes: parse_objects("m.json", mailbox.as_bytes()).unwrap(),
            unused_days: 30,
            ..Default::default()
        },
        &usage,
        Lang::En,
    );
    let readiness = vec![Finding {
        id: "t".into(),
        severity: crate::findings::Severity::High,
        target: "<script>alert(4)</script>".into(),
        setting: "s".into(),
        current: Some("<b>".into()),
        expected: None,
        message: "m".into(),
        why: "w".into(),
        fix: "a\"b'c".into(),
        source: "S1".into(),
        verified: false,
        context: Default::default(),
    }];
    for lang in [Lang::En, Lang::Ja] {
        let input = ReportInput {
            usage: usage.clone(),
            exposure: Some(exposure.clone()),
            readiness: readiness.clone(),
            generated: Timestamp::from_civil(2026, 11, 25, 0, 0, 0, 0),
            ..Default::default()
        };
        let page = html::page(&build(input, lang), lang);
        // Only our own two script elements exist; no injected tag or attribute survives.
        assert_eq!(page.matches("<script").count(), 2, "injected <script> in the page");
        for bad in ["<img", "alert(1)</script>", "onerror=alert(2)>", "<script>alert(3)"] {
            assert!(!page.contains(bad), "{bad} survived");
        }
        assert!(page.contains("x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;@evil.jp"));
        assert!(page.contains("Content-Security-Policy"));
        assert!(!page.contains("http://") && !page.contains("https://"), "no external reference");
    }
}

#[test]
fn cards_equal_the_summary_and_csv_has_bom() {
    let bytes = crate::exposure::usage::small_signins();
    let usage = usage_from_bytes("demo.ndjson", &bytes, &Filter::default()).unwrap();
    let by_protocol = usage.rows(GroupBy::Protocol);
    let total: u64 = by_protocol.iter().map(|r| r.total).sum();
    let ok: u64 = by_protocol.iter().map(|r| r.succeeded).sum();
    let data = build(ReportInput { usage, ..Default::default() }, Lang::Ja);
    let card = |id: &str| data.cards.iter().find(|c| c.id == id).unwrap().value;
    assert_eq!(card("total"), total);
    assert_eq!(card("succeeded"), ok);
    assert_eq!(card("failed"), total - ok);
    assert!(card("sprayIps") >= 1, "the input has a spray");
    let split = &data.attack_split;
    assert_eq!(split.real + split.attack + split.stale + split.compromise, total);
    assert_eq!(data.timeline.iter().map(|d| d.total).sum::<u64>(), total);
    let page = html::page(&data, Lang::Ja);
    assert!(page.contains(&format!(
        "data-metric=\"total\" data-value=\"{total}\"><div class=\"v\">{}</div>",
        html::num(total)
    )));
    assert!(page.contains("レガシー認証レポート"));
    let csv = csv(&data, Lang::Ja);
    assert!(csv.starts_with("\u{feff}identity,protocol".as_bytes()));
}

#[test]
fn numbers_have_separators() {
    assert_eq!(html::num(0), "0");
    assert_eq!(html::num(999), "999");
    assert_eq!(html::num(1000), "1,000");
    assert_eq!(html::num(1234567), "1,234,567");
}

#[test]
fn every_message_key_built_at_run_time_exists_in_both_languages() {
    use crate::exposure::ClientKind;
    use crate::guardrails::Verdict;
    let mut keys: Vec<String> = Recommendation::ALL.iter().map(|r| format!("rec.{}", r.name())).collect();
    for k in [ClientKind::Person, ClientKind::Device, ClientKind::Application, ClientKind::Unknown] {
        keys.push(format!("kind.{k:?}"));
    }
    for v in [Verdict::Enforced, Verdict::SecurityDefaults, Verdict::ReportOnly, Verdict::Partial, Verdict::None] {
        keys.push(format!("gr.verdict.{v:?}"));
    }
    for id in
        ["oauth_off", "smtp_org_open", "transport_missing", "smtp_not_exported", "no_default_policy", "coverage_short"]
    {
        keys.push(format!("tenant.{id}"));
        keys.push(format!("tenant.{id}.why"));
    }
    for id in [
        "no_block",
        "report_only",
        "partial_buckets",
        "scoped",
        "exclusions",
        "excluded_user_legacy",
        "success_despite_block",
        "security_defaults",
    ] {
        keys.push(format!("gr.{id}.why"));
    }
    for a in ["Migrate", "CompromiseSuspected", "PasswordSpray", "BruteForce", "FailuresOnly"] {
        keys.push(format!("assessment.{a}"));
    }
    for k in &keys {
        for lang in [Lang::En, Lang::Ja] {
            assert_ne!(text(k, lang), k, "missing message {k}");
        }
    }
}
