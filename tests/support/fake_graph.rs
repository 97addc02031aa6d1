//! A loopback fake of Graph `beta/auditLogs/signIns` (and a token endpoint) for tests and the
//! benchmark: real page shapes, `$filter` on createdDateTime / signInEventTypes / clientAppUsed /
//! userPrincipalName, `$top`, `@odata.nextLink` paging with server-side skip tokens, the
//! 5-per-window throttle answered with 429 + Retry-After, page latency, and injected faults
//! (503, dropped connections, expired token, expired skip token, missing licence).
//! Hand-rolled HTTP/1.1 on a tokio TcpListener bound to 127.0.0.1:0 only.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use exchange_auth_tools::time::Timestamp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub struct Rec {
    pub time: Timestamp,
    pub id: String,
    pub event_type: String,
    pub client_app: String,
    pub upn: String,
    pub json: String,
}

/// A fault to inject on the n-th request (1-based) to the sign-ins endpoint.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    ServiceUnavailable,
    Drop,
    TooMany,
    ExpireSkipToken,
    /// 400 "Invalid filter clause", as Graph answers a filter it cannot parse.
    BadFilter,
}

#[derive(Debug)]
pub struct Config {
    pub token: String,
    pub throttle_requests: usize,
    pub throttle_window: Duration,
    pub latency: (Duration, Duration),
    pub faults: HashMap<u64, Fault>,
    /// From this request on, the token is "expired" (401) unless it is `renewed_token`.
    pub expire_token_after: Option<u64>,
    pub renewed_token: Option<String>,
    pub no_premium: bool,
    pub client_secret: Option<String>,
    /// The k-th requests that carry a `$skiptoken` (1-based) get "expired skip token".
    pub expire_skiptoken_requests: Vec<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            token: "tok-test-0123456789".into(),
            throttle_requests: 5,
            throttle_window: Duration::from_millis(500),
            latency: (Duration::from_millis(1), Duration::from_millis(5)),
            faults: HashMap::new(),
            expire_token_after: None,
            renewed_token: None,
            no_premium: false,
            client_secret: None,
            expire_skiptoken_requests: Vec::new(),
        }
    }
}

pub struct Fake {
    pub url: String,
    pub requests: Arc<AtomicU64>,
    pub throttled: Arc<AtomicU64>,
    pub max_in_window: Arc<AtomicU64>,
    pub state: Arc<Mutex<State>>,
}

pub struct State {
    pub cfg: Config,
    pub recs: Vec<Rec>,
    tokens: HashMap<String, (String, usize)>,
    next_token: u64,
    starts: VecDeque<Instant>,
    expired_tokens: Vec<String>,
    skiptoken_requests: u64,
    /// The last client assertion (certificate credential) the token endpoint received.
    pub last_assertion: Option<String>,
}

/// Records from the deterministic demo generator, as Graph JSON, newest first.
pub fn demo_records(users: u32, days: u32, modern: u32) -> Vec<Rec> {
    use exchange_auth_tools::demo::{Scenario, generate, graph::write_event};
    let mut s = Scenario::demo();
    s.users = users;
    s.days = days;
    s.modern_per_user_day = modern;
    s.legacy_users = users.min(40);
    s.spray_targets = users.min(100);
    let mut out = Vec::new();
    generate(&s, |e| {
        let mut buf = Vec::new();
        write_event(&mut buf, e).unwrap();
        let json = String::from_utf8(buf).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        out.push(Rec {
            time: e.time,
            id: v["id"].as_str().unwrap().to_owned(),
            event_type: if e.interactive { "interactiveUser".into() } else { "nonInteractiveUser".into() },
            client_app: e.client_app.to_owned(),
            upn: e.upn.clone(),
            json,
        });
    });
    out.sort_by(|a, b| b.time.cmp(&a.time).then(b.id.cmp(&a.id)));
    out
}

pub async fn start(cfg: Config, recs: Vec<Rec>) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(Mutex::new(State {
        cfg,
        recs,
        tokens: HashMap::new(),
        next_token: 0,
        starts: VecDeque::new(),
        expired_tokens: Vec::new(),
        skiptoken_requests: 0,
        last_assertion: None,
    }));
    let fake = Fake {
        url: url.clone(),
        requests: Arc::default(),
        throttled: Arc::default(),
        max_in_window: Arc::default(),
        state: state.clone(),
    };
    let (requests, throttled, maxw) = (fake.requests.clone(), fake.throttled.clone(), fake.max_in_window.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let (state, url, requests, throttled, maxw) =
                (state.clone(), url.clone(), requests.clone(), throttled.clone(), maxw.clone());
            tokio::spawn(async move {
                let Some((head, body)) = read_request(&mut sock).await else { return };
                let resp = handle(&state, &url, &head, &body, &requests, &throttled, &maxw).await;
                if let Some((status, headers, body)) = resp {
                    let mut out = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                        body.len()
                    );
                    for h in headers {
                        out.push_str(&h);
                        out.push_str("\r\n");
                    }
                    out.push_str("\r\n");
                    let _ = sock.write_all(out.as_bytes()).await;
                    let _ = sock.write_all(body.as_bytes()).await;
                    let _ = sock.shutdown().await;
                }
                // None: drop the connection without an answer.
            });
        }
    });
    fake
}

pub async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<(String, String)> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    loop {
        let n = sock.read(&mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..p]).into_owned();
            let len = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            let mut body = buf[p + 4..].to_vec();
            while body.len() < len {
                let n = sock.read(&mut tmp).await.ok()?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&tmp[..n]);
            }
            return Some((head, String::from_utf8_lossy(&body).into_owned()));
        }
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_params(target: &str) -> HashMap<String, String> {
    let q = target.split_once('?').map(|x| x.1).unwrap_or("");
    q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (pct_decode(k), pct_decode(v))).collect()
}

fn graph_error(code: &str, msg: &str) -> String {
    serde_json::json!({"error": {"code": code, "message": msg, "innerError": {"date": "2026-11-25T00:00:00", "request-id": "00000000-0000-0000-0000-000000000000"}}}).to_string()
}

/// The value of an OData string literal starting right after `key` ('…' with '' escapes).
fn odata_value(filter: &str, key: &str) -> Option<String> {
    let i = filter.find(key)? + key.len();
    let rest = &filter[i..];
    let rest = rest.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if chars.peek() == Some(&'\'') {
                chars.next();
                out.push('\'');
            } else {
                return Some(out);
            }
        } else {
            out.push(c);
        }
    }
    None
}

fn time_after(filter: &str, key: &str) -> Option<Timestamp> {
    let i = filter.find(key)? + key.len();
    Timestamp::parse(filter[i..].split(' ').next()?)
}

type Resp = Option<(String, Vec<String>, String)>;

async fn handle(
    state: &Arc<Mutex<State>>,
    url: &str,
    head: &str,
    body: &str,
    requests: &AtomicU64,
    throttled: &AtomicU64,
    maxw: &AtomicU64,
) -> Resp {
    let line = head.lines().next().unwrap_or("");
    let mut parts = line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method == "POST" && target.contains("/oauth2/v2.0/token") {
        let mut st = state.lock().unwrap();
        let form: HashMap<String, String> =
            body.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (pct_decode(k), pct_decode(v))).collect();
        if let Some(a) = form.get("client_assertion") {
            st.last_assertion = Some(a.clone());
            let ok = form.get("client_assertion_type").map(String::as_str)
                == Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            let status = if ok { "200 OK" } else { "400 Bad Request" };
            return Some((status.into(), vec![], serde_json::json!({"access_token": st.cfg.token}).to_string()));
        }
        let ok =
            st.cfg.client_secret.as_ref().is_some_and(|s| pct_decode(body).contains(&format!("client_secret={s}")));
        return if ok {
            Some((
                "200 OK".into(),
                vec![],
                serde_json::json!({"token_type":"Bearer","expires_in":3599,"access_token": st.cfg.token}).to_string(),
            ))
        } else {
            Some(("401 Unauthorized".into(), vec![], serde_json::json!({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}).to_string()))
        };
    }
    if method == "GET" && target.starts_with("/msi/token") {
        // App Service / Automation: the identity header must come back; api-version 2019-08-01.
        let st = state.lock().unwrap();
        let ok =
            header(head, "X-IDENTITY-HEADER") == Some("idh-SECRET-123") && target.contains("api-version=2019-08-01");
        let status = if ok { "200 OK" } else { "401 Unauthorized" };
        return Some((status.into(), vec![], serde_json::json!({"access_token": st.cfg.token}).to_string()));
    }
    if method == "GET" && target.starts_with("/metadata/identity/oauth2/token") {
        let st = state.lock().unwrap();
        if header(head, "Metadata") != Some("true") {
            return Some(("400 Bad Request".into(), vec![], "{}".into()));
        }
        return Some((
            "200 OK".into(),
            vec![],
            serde_json::json!({"access_token": st.cfg.token, "token_type":"Bearer"}).to_string(),
        ));
    }
    if !target.starts_with("/beta/auditLogs/signIns") {
        return Some(("404 Not Found".into(), vec![], graph_error("NotFound", "no route")));
    }
    let n = requests.fetch_add(1, Ordering::SeqCst) + 1;
    let (latency, fault) = {
        let mut st = state.lock().unwrap();
        // Throttle first, as Graph does: the request counts whether or not it is answered.
        let now = Instant::now();
        let window = st.cfg.throttle_window;
        while st.starts.front().is_some_and(|&t| now.duration_since(t) >= window) {
            st.starts.pop_front();
        }
        if st.starts.len() >= st.cfg.throttle_requests {
            throttled.fetch_add(1, Ordering::SeqCst);
            return Some((
                "429 Too Many Requests".into(),
                vec!["Retry-After: 1".into()],
                graph_error("TooManyRequests", "Too many requests."),
            ));
        }
        st.starts.push_back(now);
        maxw.fetch_max(st.starts.len() as u64, Ordering::SeqCst);
        let auth = header(head, "Authorization").unwrap_or("");
        let expected = format!("Bearer {}", st.cfg.token);
        let renewed = st.cfg.renewed_token.as_ref().map(|t| format!("Bearer {t}"));
        let expired = st.cfg.expire_token_after.is_some_and(|k| n > k);
        let valid = (auth == expected && !expired) || renewed.as_deref() == Some(auth);
        if !valid {
            return Some((
                "401 Unauthorized".into(),
                vec![],
                graph_error("InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."),
            ));
        }
        if st.cfg.no_premium {
            return Some((
                "403 Forbidden".into(),
                vec![],
                graph_error(
                    "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                    "Neither tenant is B2C or tenant doesn't have premium license",
                ),
            ));
        }
        let (a, b) = st.cfg.latency;
        let lat = a + (b.saturating_sub(a)).mul_f64((n * 7919 % 100) as f64 / 100.0);
        (lat, st.cfg.faults.get(&n).cloned())
    };
    tokio::time::sleep(latency).await;
    match fault {
        Some(Fault::ServiceUnavailable) => {
            return Some((
                "503 Service Unavailable".into(),
                vec!["Retry-After: 1".into()],
                graph_error("UnknownError", "Service unavailable"),
            ));
        }
        Some(Fault::TooMany) => {
            return Some((
                "429 Too Many Requests".into(),
                vec!["Retry-After: 1".into()],
                graph_error("TooManyRequests", "Too many requests."),
            ));
        }
        Some(Fault::Drop) => return None,
        Some(Fault::BadFilter) => {
            let e = graph_error("BadRequest", "Invalid filter clause: The query specified in the URI is not valid.");
            return Some(("400 Bad Request".into(), vec![], e));
        }
        _ => {}
    }
    let params = query_params(target);
    let mut st = state.lock().unwrap();
    let (filter, offset) = if let Some(tok) = params.get("$skiptoken") {
        st.skiptoken_requests += 1;
        let k = st.skiptoken_requests;
        if fault == Some(Fault::ExpireSkipToken)
            || st.cfg.expire_skiptoken_requests.contains(&k)
            || st.expired_tokens.contains(tok)
        {
            st.expired_tokens.push(tok.clone());
            return Some((
                "400 Bad Request".into(),
                vec![],
                graph_error("Request_BadRequest", "The $skiptoken is invalid or has expired."),
            ));
        }
        match st.tokens.get(tok) {
            Some(x) => x.clone(),
            None => {
                return Some((
                    "400 Bad Request".into(),
                    vec![],
                    graph_error("Request_BadRequest", "Invalid $skiptoken."),
                ));
            }
        }
    } else {
        match params.get("$filter") {
            Some(f) => (f.clone(), 0),
            None => (String::new(), 0),
        }
    };
    let top: usize = params.get("$top").and_then(|t| t.parse().ok()).unwrap_or(1000).min(1000);
    let ge = time_after(&filter, "createdDateTime ge ");
    let le = time_after(&filter, "createdDateTime le ");
    let et = odata_value(&filter, "t eq ");
    let app = odata_value(&filter, "clientAppUsed eq ");
    let upn = odata_value(&filter, "userPrincipalName eq ");
    let matching: Vec<&Rec> = st
        .recs
        .iter()
        .filter(|r| ge.is_none_or(|g| r.time >= g) && le.is_none_or(|l| r.time <= l))
        .filter(|r| et.as_ref().is_none_or(|e| &r.event_type == e))
        .filter(|r| app.as_ref().is_none_or(|a| r.client_app.eq_ignore_ascii_case(a)))
        .filter(|r| upn.as_ref().is_none_or(|u| r.upn.eq_ignore_ascii_case(u)))
        .collect();
    let total = matching.len();
    let page: Vec<String> = matching.iter().skip(offset).take(top).map(|r| r.json.clone()).collect();
    let more = offset + page.len() < total;
    let mut body = String::from(
        "{\"@odata.context\":\"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns\",\"value\":[",
    );
    body.push_str(&page.join(","));
    body.push(']');
    if more {
        st.next_token += 1;
        let tok = format!("X'{:040x}'", st.next_token);
        st.tokens.insert(tok.clone(), (filter.clone(), offset + page.len()));
        let enc: String = tok
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect();
        body.push_str(&format!(",\"@odata.nextLink\":\"{url}/beta/auditLogs/signIns?$top={top}&$skiptoken={enc}\""));
    }
    body.push('}');
    Some(("200 OK".into(), vec![], body))
}
