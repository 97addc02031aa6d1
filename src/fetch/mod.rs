//! Live sources: Microsoft Graph sign-ins (`auditLogs/signIns`) and KQL push-down to Log
//! Analytics / Microsoft Sentinel / Azure Data Explorer. This module owns everything network:
//! tokens ([`auth`]), the throttle ([`throttle`]), the Graph fetcher with time slices, paging,
//! splitting and exactly-once delivery ([`graph`]), its resume file ([`checkpoint`]), KQL
//! generation ([`kql`]) and the query APIs ([`loanalytics`](loganalytics), [`adx`]).
//!
//! Records leave this module as the same [`SignIn`](crate::signin::SignIn) records the file
//! readers produce (Graph page elements go through `signin::json::parse_record`), and KQL
//! summaries as the same [`SummaryRow`](crate::analysis::SummaryRow)s as the local summary.

pub mod adx;
pub mod auth;
pub mod cert;
pub mod checkpoint;
pub mod graph;
pub mod kql;
pub mod loganalytics;
pub mod session;
pub mod throttle;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use self::auth::{Secret, TokenProvider};
use self::throttle::{Limiter, RetryPolicy, parse_retry_after};
use crate::messages::{Lang, format, text};

/// Why a request failed for good. Messages name the permission, role or licence that is
/// missing; none contains a token or secret.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("the skip token expired")]
    SkipTokenExpired,
    #[error("{0}")]
    Transient(String),
    #[error("{0}")]
    Failed(String),
    #[error("{0}")]
    Token(#[from] auth::TokenError),
    #[error("the operation was cancelled")]
    Cancelled,
}

impl From<FetchError> for crate::Error {
    fn from(e: FetchError) -> Self {
        match e {
            FetchError::Unauthorized(m) | FetchError::Forbidden(m) => crate::Error::Auth(m),
            FetchError::Token(t) => crate::Error::Auth(t.to_string()),
            FetchError::BadRequest(m) => crate::Error::InvalidInput { target: "query".into(), message: m },
            FetchError::Cancelled => crate::Error::Cancelled,
            other => crate::Error::Http(other.to_string()),
        }
    }
}

/// A reqwest error without its URL (a URL may carry a skip token or, for a misconfigured
/// endpoint, credentials).
pub(crate) fn describe_reqwest(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the connection broke while reading the response"
    } else if e.is_request() {
        "the request could not be sent"
    } else {
        "HTTP error"
    };
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut root = String::new();
    while let Some(s) = src {
        root = s.to_string();
        src = s.source();
    }
    if root.is_empty() { kind.to_owned() } else { format!("{kind} ({root})") }
}

/// The HTTP client every live source uses: rustls, gzip, a connect time-out, and a request
/// time-out above the services' own (Log Analytics queries may run 10 min, DOMAIN.md §2.3).
pub fn http_client() -> Result<reqwest::Client, FetchError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        .timeout(Duration::from_secs(11 * 60))
        .user_agent(concat!("ExchangeAuthTools/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Failed(describe_reqwest(&e)))
}

/// Counters shared by the requests of one run (progress and the end-of-run report).
#[derive(Debug, Default)]
pub struct RequestStats {
    pub requests: std::sync::atomic::AtomicU64,
    pub retries: std::sync::atomic::AtomicU64,
}

/// Everything a request needs; cheap to clone into concurrent tasks.
#[derive(Debug, Clone)]
pub struct Requester {
    pub http: reqwest::Client,
    pub tokens: TokenProvider,
    pub limiter: Arc<Limiter>,
    pub retry: RetryPolicy,
    pub stats: Arc<RequestStats>,
    pub lang: Lang,
}

impl Requester {
    pub fn new(tokens: TokenProvider, throttle: throttle::ThrottleConfig, lang: Lang) -> Result<Self, FetchError> {
        Ok(Requester {
            http: http_client()?,
            tokens,
            limiter: Arc::new(Limiter::new(throttle)),
            retry: RetryPolicy::default(),
            stats: Arc::default(),
            lang,
        })
    }
}

/// What to send: Graph pages are GETs, KQL queries are JSON POSTs.
pub enum Body<'b> {
    Get,
    Json(&'b Value),
}

impl Requester {
    /// Send with the throttle, Retry-After, backoff and one token renewal; returns the body.
    pub async fn send(&self, url: &str, body: Body<'_>) -> Result<Vec<u8>, FetchError> {
        use std::sync::atomic::Ordering::Relaxed;
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            self.limiter.acquire().await;
            let token = self.tokens.token(&self.http).await?;
            self.stats.requests.fetch_add(1, Relaxed);
            let req = match body {
                Body::Get => self.http.get(url),
                Body::Json(v) => self
                    .http
                    .post(url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(serde_json::to_vec(v).unwrap_or_default()),
            };
            let result = req.bearer_auth(token.expose()).send().await;
            let (status, retry_after, bytes) = match result {
                Ok(resp) => {
                    let status = resp.status();
                    let ra = resp
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    match resp.bytes().await {
                        Ok(b) => (status.as_u16(), ra, b.to_vec()),
                        Err(e) => (0, None, describe_reqwest(&e).into_bytes()),
                    }
                }
                Err(e) => (0, None, describe_reqwest(&e).into_bytes()),
            };
            if (200..300).contains(&status) {
                return Ok(bytes);
            }
            let err = classify(status, &bytes, self.lang);
            match err {
                FetchError::Unauthorized(_) if !renewed && self.tokens.invalidate(&token).await => {
                    renewed = true;
                    continue;
                }
                FetchError::Transient(_) if attempt < self.retry.max_retries => {
                    let wait = match retry_after {
                        Some(d) => {
                            let d = self.limiter.config().scaled(d);
                            self.limiter.pause_for(d);
                            d
                        }
                        None => self.limiter.config().scaled(self.retry.backoff(attempt)),
                    };
                    attempt += 1;
                    self.stats.retries.fetch_add(1, Relaxed);
                    tokio::time::sleep(wait).await;
                }
                e => return Err(e),
            }
        }
    }
}

/// The service's error `code` and `message` (Graph / OneAPI: `{"error":{"code","message"}}`).
fn service_error(body: &[u8]) -> (String, String) {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let e = v.get("error").unwrap_or(&v);
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let mut msg = s("message");
    if msg.is_empty() && !body.is_empty() && v.is_null() {
        msg = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
    }
    (s("code"), msg)
}

/// Map a failed response to what the admin must do. Status 0 is a connection-level failure.
fn classify(status: u16, body: &[u8], lang: Lang) -> FetchError {
    let (code, msg) = service_error(body);
    match status {
        0 | 429 | 500 | 502 | 503 | 504 => {
            FetchError::Transient(format!("HTTP {status}: {code} {msg}").trim().to_owned())
        }
        401 => {
            FetchError::Unauthorized(format("fetch.unauthorized", lang, &[("detail", &format!("{code} {msg}").trim())]))
        }
        403 if msg.contains("premium license") || msg.contains("B2C") => {
            FetchError::Forbidden(text("fetch.no_premium", lang).to_owned())
        }
        403 => FetchError::Forbidden(format("fetch.forbidden", lang, &[("detail", &format!("{code} {msg}").trim())])),
        400 if msg.to_ascii_lowercase().contains("skiptoken") || code.to_ascii_lowercase().contains("skiptoken") => {
            FetchError::SkipTokenExpired
        }
        400 => {
            FetchError::BadRequest(format("fetch.bad_request", lang, &[("detail", &format!("{code} {msg}").trim())]))
        }
        s => FetchError::Failed(format!("HTTP {s}: {code} {msg}").trim().to_owned()),
    }
}

/// Percent-encode everything but RFC 3986 unreserved characters (query values, path segments).
pub fn percent_encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len() * 3 / 2);
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Join a base URL (scheme + host, maybe a path) and a path.
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

/// Keep a secret out of a string that may have picked it up (defence in depth for error text).
pub fn redact(s: &str, secrets: &[&Secret]) -> String {
    let mut out = s.to_owned();
    for sec in secrets {
        if !sec.is_empty() {
            out = out.replace(sec.expose(), "***");
        }
    }
    out
}
