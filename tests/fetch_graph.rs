//! Graph fetch against the loopback fake: every record exactly once under throttling, 503,
//! dropped connections and expired skip tokens; resume after an expired token; clear errors;
//! no secret anywhere.
#![allow(clippy::field_reassign_with_default)]

#[path = "support/fake_graph.rs"]
mod fake_graph;

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use exchange_auth_tools::fetch::auth::{Credential, Secret, TokenProvider};
use exchange_auth_tools::fetch::checkpoint::Checkpoint;
use exchange_auth_tools::fetch::graph::{self, Delivered, GraphQuery, GraphSink, RunOptions};
use exchange_auth_tools::fetch::throttle::ThrottleConfig;
use exchange_auth_tools::fetch::{Requester, throttle::RetryPolicy};
use exchange_auth_tools::messages::Lang;
use exchange_auth_tools::time::Timestamp;
use fake_graph::{Config, Fault};

#[derive(Default)]
struct Ids(Vec<String>);

impl GraphSink for Ids {
    fn deliver(&mut self, records: Vec<Delivered>) -> exchange_auth_tools::Result<u64> {
        self.0.extend(records.into_iter().map(|d| d.signin.id));
        Ok(self.0.len() as u64)
    }
}

/// The fake's window is 500 ms: our clock runs 20× faster than Graph's 10 s.
fn requester(token: &str) -> Requester {
    let throttle = ThrottleConfig { requests: 5, window: Duration::from_secs(10), time_scale: 20.0 };
    let mut r = Requester::new(
        TokenProvider::new(Credential::Token(Secret::new(token)), "https://graph.microsoft.com"),
        throttle,
        Lang::En,
    )
    .unwrap();
    r.retry = RetryPolicy { max_retries: 8, base: Duration::from_millis(200), max_delay: Duration::from_secs(5) };
    r
}

fn window(recs: &[fake_graph::Rec]) -> (Timestamp, Timestamp) {
    let min = recs.iter().map(|r| r.time).min().unwrap();
    let max = recs.iter().map(|r| r.time).max().unwrap();
    (min, Timestamp(max.0 + 1))
}

fn assert_exactly_once(got: &[String], want: &[&fake_graph::Rec]) {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for id in got {
        *counts.entry(id).or_default() += 1;
    }
    let dups: Vec<_> = counts.iter().filter(|(_, c)| **c > 1).collect();
    assert!(dups.is_empty(), "duplicates: {:?}", &dups[..dups.len().min(5)]);
    let missing: Vec<_> = want.iter().filter(|r| !counts.contains_key(r.id.as_str())).map(|r| &r.id).collect();
    assert!(missing.is_empty(), "{} missing, e.g. {:?}", missing.len(), &missing[..missing.len().min(3)]);
    assert_eq!(got.len(), want.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_record_exactly_once_through_throttle_faults_and_splits() {
    let recs = fake_graph::demo_records(60, 2, 3);
    let (since, until) = window(&recs);
    let mut cfg = Config::default();
    cfg.faults = HashMap::from([
        (3, Fault::ServiceUnavailable),
        (6, Fault::Drop),
        (9, Fault::TooMany),
        (12, Fault::ExpireSkipToken),
        (20, Fault::ExpireSkipToken),
        (25, Fault::Drop),
    ]);
    cfg.expire_skiptoken_requests = vec![1, 4];
    let fake = fake_graph::start(cfg, recs.clone()).await;
    let req = requester("tok-test-0123456789");
    let mut q = GraphQuery::new(since, until);
    q.base_url = fake.url.clone();
    q.legacy_only = false;
    q.page_size = 100;
    q.initial_slices = 2;
    // Splits down to 2 h, then sequential paging (so skip tokens are used and can expire).
    q.min_split = Duration::from_secs(7200);
    let mut ckpt = q.plan();
    let mut sink = Ids::default();
    let p = graph::run(&req, &q, &RunOptions::default(), &mut ckpt, None, &AtomicBool::new(false), &mut sink)
        .await
        .unwrap();
    let want: Vec<_> = recs.iter().collect();
    assert_exactly_once(&sink.0, &want);
    assert!(ckpt.is_complete());
    assert!(p.splits > 0, "dense slices split: {p:?}");
    assert!(p.restarts >= 1, "an expired skip token restarts its slice: {p:?}");
    assert!(p.retries >= 3, "{p:?}");
    assert!(fake.max_in_window.load(std::sync::atomic::Ordering::SeqCst) <= 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_only_queries_per_client_app_and_users_are_filtered() {
    let recs = fake_graph::demo_records(40, 1, 2);
    let (since, until) = window(&recs);
    let fake = fake_graph::start(Config::default(), recs.clone()).await;
    let req = requester("tok-test-0123456789");
    let mut q = GraphQuery::new(since, until);
    q.base_url = fake.url.clone();
    let mut ckpt = q.plan();
    let mut sink = Ids::default();
    graph::run(&req, &q, &RunOptions::default(), &mut ckpt, None, &AtomicBool::new(false), &mut sink).await.unwrap();
    let want: Vec<_> =
        recs.iter().filter(|r| exchange_auth_tools::catalogue::classify(&r.client_app).is_legacy()).collect();
    assert!(!want.is_empty());
    assert_exactly_once(&sink.0, &want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_token_stops_with_a_checkpoint_and_resume_finishes_exactly_once() {
    let recs = fake_graph::demo_records(60, 2, 3);
    let (since, until) = window(&recs);
    let dir = tempfile::tempdir().unwrap();
    let ckpt_path = dir.path().join("fetch.checkpoint.json");
    let old = "tok-old-SECRET-aaaa";
    let new = "tok-new-SECRET-bbbb";
    let mut cfg = Config::default();
    cfg.token = old.into();
    cfg.expire_token_after = Some(15);
    cfg.renewed_token = Some(new.into());
    let fake = fake_graph::start(cfg, recs.clone()).await;
    let mut q = GraphQuery::new(since, until);
    q.base_url = fake.url.clone();
    q.legacy_only = false;
    q.page_size = 100;
    q.min_split = Duration::from_secs(1);
    let mut ckpt = q.plan();
    let mut sink = Ids::default();
    let err = graph::run(
        &requester(old),
        &q,
        &RunOptions::default(),
        &mut ckpt,
        Some(&ckpt_path),
        &AtomicBool::new(false),
        &mut sink,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "auth", "{err}");
    let msg = err.to_string();
    assert!(msg.contains("InvalidAuthenticationToken") && msg.contains("--resume"), "{msg}");
    let first = sink.0.len();
    assert!(first > 0 && first < recs.len(), "{first}");

    let text = std::fs::read_to_string(&ckpt_path).unwrap();
    for s in [old, new, "Bearer"] {
        assert!(!text.contains(s) && !msg.contains(s) && !format!("{err:?}").contains(s), "{s} leaked");
    }
    let mut resumed = Checkpoint::load(&ckpt_path).unwrap();
    assert!(!resumed.is_complete());
    graph::run(
        &requester(new),
        &q,
        &RunOptions::default(),
        &mut resumed,
        Some(&ckpt_path),
        &AtomicBool::new(false),
        &mut sink,
    )
    .await
    .unwrap();
    let want: Vec<_> = recs.iter().collect();
    assert_exactly_once(&sink.0, &want);
    assert!(Checkpoint::load(&ckpt_path).unwrap().is_complete());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_licence_says_p1_is_needed() {
    let recs = fake_graph::demo_records(5, 1, 1);
    let (since, until) = window(&recs);
    let mut cfg = Config::default();
    cfg.no_premium = true;
    let fake = fake_graph::start(cfg, recs).await;
    let mut q = GraphQuery::new(since, until);
    q.base_url = fake.url.clone();
    let mut ckpt = q.plan();
    let err = graph::run(
        &requester("tok-test-0123456789"),
        &q,
        &RunOptions::default(),
        &mut ckpt,
        None,
        &AtomicBool::new(false),
        &mut Ids::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "auth");
    assert!(err.to_string().contains("P1"), "{err}");
    let ja = Requester { lang: Lang::Ja, ..requester("tok-test-0123456789") };
    let err =
        graph::run(&ja, &q, &RunOptions::default(), &mut q.plan(), None, &AtomicBool::new(false), &mut Ids::default())
            .await
            .unwrap_err();
    assert!(err.to_string().contains("ライセンス"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_secret_and_managed_identity_tokens_from_loopback() {
    let recs = fake_graph::demo_records(5, 1, 1);
    let (since, until) = window(&recs);
    let secret = "cs-SUPER-SECRET-value~1";
    let mut cfg = Config::default();
    cfg.client_secret = Some(secret.into());
    let fake = fake_graph::start(cfg, recs.clone()).await;
    let throttle = ThrottleConfig { requests: 5, window: Duration::from_secs(10), time_scale: 20.0 };
    let mut q = GraphQuery::new(since, until);
    q.base_url = fake.url.clone();
    q.legacy_only = false;
    for cred in [
        Credential::ClientSecret {
            authority: fake.url.clone(),
            tenant: "contoso.onmicrosoft.com".into(),
            client_id: "app".into(),
            secret: Secret::new(secret),
        },
        Credential::Imds { endpoint: format!("{}/metadata/identity/oauth2/token", fake.url), client_id: None },
        Credential::AppServiceIdentity {
            endpoint: format!("{}/msi/token", fake.url),
            header: Secret::new("idh-SECRET-123"),
            client_id: None,
        },
    ] {
        let req = Requester::new(TokenProvider::new(cred, "https://graph.microsoft.com"), throttle, Lang::En).unwrap();
        let mut sink = Ids::default();
        graph::run(&req, &q, &RunOptions::default(), &mut q.plan(), None, &AtomicBool::new(false), &mut sink)
            .await
            .unwrap();
        assert_eq!(sink.0.len(), recs.len());
    }
    // A wrong secret: the error names the source and the service's reason, never the secret.
    let bad = Credential::ClientSecret {
        authority: fake.url.clone(),
        tenant: "t".into(),
        client_id: "app".into(),
        secret: Secret::new("wrong-SECRET-zzz"),
    };
    let req = Requester::new(TokenProvider::new(bad, "https://graph.microsoft.com"), throttle, Lang::En).unwrap();
    let err =
        graph::run(&req, &q, &RunOptions::default(), &mut q.plan(), None, &AtomicBool::new(false), &mut Ids::default())
            .await
            .unwrap_err();
    let msg = format!("{err} {err:?}");
    assert!(msg.contains("client credentials") && msg.contains("AADSTS7000215"), "{msg}");
    assert!(!msg.contains("wrong-SECRET-zzz"), "{msg}");
}

fn openssl(args: &[&str], dir: &std::path::Path) -> Option<Vec<u8>> {
    let o = std::process::Command::new("openssl").args(args).current_dir(dir).output().ok()?;
    o.status.success().then_some(o.stdout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_certificate_assertion_is_a_valid_rs256_jwt() {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let made = openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "1",
            "-subj",
            "/CN=exauth-test",
        ],
        d,
    );
    if made.is_none() {
        eprintln!("SKIPPED client_certificate_assertion: the openssl command is not available");
        return;
    }
    let pem =
        std::fs::read_to_string(d.join("key.pem")).unwrap() + &std::fs::read_to_string(d.join("cert.pem")).unwrap();
    let cert = exchange_auth_tools::fetch::cert::ClientCertificate::from_pem(&Secret::new(pem)).unwrap();
    assert!(!format!("{cert:?}").contains("PRIVATE"));

    let recs = fake_graph::demo_records(5, 1, 1);
    let (since, until) = window(&recs);
    let fake = fake_graph::start(Config::default(), recs.clone()).await;
    let cred = Credential::ClientCertificate {
        authority: fake.url.clone(),
        tenant: "contoso.onmicrosoft.com".into(),
        client_id: "app-id-1".into(),
        cert: Box::new(cert),
    };
    let throttle = ThrottleConfig { requests: 5, window: Duration::from_secs(10), time_scale: 20.0 };
    let req = Requester::new(TokenProvider::new(cred, "https://graph.microsoft.com"), throttle, Lang::En).unwrap();
    let mut q = GraphQuery::new(since, until);
    q.base_url = fake.url.clone();
    q.legacy_only = false;
    let mut sink = Ids::default();
    graph::run(&req, &q, &RunOptions::default(), &mut q.plan(), None, &AtomicBool::new(false), &mut sink)
        .await
        .unwrap();
    assert_eq!(sink.0.len(), recs.len());

    // The assertion, checked by openssl (an independent implementation), not by our own code.
    let jwt = fake.state.lock().unwrap().last_assertion.clone().expect("the token endpoint got an assertion");
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(header["alg"], "RS256");
    let fp = String::from_utf8(openssl(&["x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha1"], d).unwrap())
        .unwrap();
    let hex: String = fp.trim().rsplit('=').next().unwrap().replace(':', "");
    let bytes: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
    assert_eq!(header["x5t"], URL_SAFE_NO_PAD.encode(bytes));
    assert_eq!(claims["aud"], format!("{}/contoso.onmicrosoft.com/oauth2/v2.0/token", fake.url));
    assert_eq!(claims["iss"], "app-id-1");
    assert_eq!(claims["sub"], "app-id-1");
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["nbf"].as_i64().unwrap(), 600);
    std::fs::write(d.join("input.txt"), format!("{}.{}", parts[0], parts[1])).unwrap();
    std::fs::write(d.join("sig.bin"), URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    std::fs::write(d.join("pub.pem"), openssl(&["x509", "-in", "cert.pem", "-pubkey", "-noout"], d).unwrap()).unwrap();
    let v = openssl(&["dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.bin", "input.txt"], d)
        .expect("openssl rejects the signature");
    assert!(String::from_utf8_lossy(&v).contains("Verified OK"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_filter_is_shown() {
    let recs = fake_graph::demo_records(5, 1, 1);
    let (since, until) = window(&recs);
    let mut cfg = Config::default();
    cfg.faults = HashMap::from([(1, Fault::BadFilter)]);
    let fake = fake_graph::start(cfg, recs).await;
    let mut q = GraphQuery::new(since, until);
    q.base_url = fake.url.clone();
    q.legacy_only = false;
    q.users = vec!["o'brien@contoso.co.jp".into()];
    let err = graph::run(
        &requester("tok-test-0123456789"),
        &q,
        &RunOptions { concurrency: 1 },
        &mut q.plan(),
        None,
        &AtomicBool::new(false),
        &mut Ids::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let m = err.to_string();
    assert!(m.contains("Invalid filter clause") && m.contains("$filter=createdDateTime ge"), "{m}");
    assert!(m.contains("userPrincipalName eq 'o''brien@contoso.co.jp'"), "{m}");
}
