//! Staying inside the service's throttle instead of bouncing off it.
//!
//! - [`Limiter`]: at most `requests` request starts in any sliding `window` (Graph identity
//!   and access reports: 5 requests per 10 s per app per tenant, DOMAIN.md §1.3 [S10]), shared by
//!   every concurrent slice. A 429/503 `Retry-After` pauses *all* requests (the limit is per
//!   app and tenant, not per connection), so one throttled slice does not make the others
//!   collide with the same wall.
//! - [`RetryPolicy`]: exponential backoff with full jitter for 5xx without `Retry-After` and
//!   connection resets, capped in attempts and in delay.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The documented Graph throttle for sign-in reports.
pub const GRAPH_REQUESTS_PER_WINDOW: usize = 5;
pub const GRAPH_WINDOW: Duration = Duration::from_secs(10);

/// Throttle settings. `time_scale` divides every wait (window, Retry-After, backoff): 1.0 in
/// production; the benchmark and tests use a scaled-down clock against a scaled fake server.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleConfig {
    pub requests: usize,
    pub window: Duration,
    pub time_scale: f64,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig { requests: GRAPH_REQUESTS_PER_WINDOW, window: GRAPH_WINDOW, time_scale: 1.0 }
    }
}

impl ThrottleConfig {
    pub fn scaled(&self, d: Duration) -> Duration {
        if self.time_scale > 0.0 && self.time_scale != 1.0 { d.div_f64(self.time_scale) } else { d }
    }
}

/// Sliding-window limiter with a shared pause.
#[derive(Debug)]
pub struct Limiter {
    cfg: ThrottleConfig,
    /// The effective window: the configured one plus a 3 % margin, so our clock and the
    /// service's never disagree about the sixth request.
    window: Duration,
    state: Mutex<LimiterState>,
    pub throttle_waits: AtomicU64,
    pub waited_ms: AtomicU64,
}

#[derive(Debug, Default)]
struct LimiterState {
    starts: VecDeque<Instant>,
    paused_until: Option<Instant>,
}

impl Limiter {
    pub fn new(cfg: ThrottleConfig) -> Self {
        let window = cfg.scaled(cfg.window).mul_f64(1.03);
        Limiter {
            cfg,
            window,
            state: Mutex::new(LimiterState::default()),
            throttle_waits: AtomicU64::new(0),
            waited_ms: AtomicU64::new(0),
        }
    }

    pub fn config(&self) -> ThrottleConfig {
        self.cfg
    }

    /// How long the caller must wait before it may start a request; `None` when it may start
    /// now (and the start is recorded).
    fn try_start(&self, now: Instant) -> Option<Duration> {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = st.paused_until {
            if p > now {
                return Some(p - now);
            }
            st.paused_until = None;
        }
        while st.starts.front().is_some_and(|&t| now.duration_since(t) >= self.window) {
            st.starts.pop_front();
        }
        if st.starts.len() < self.cfg.requests.max(1) {
            st.starts.push_back(now);
            return None;
        }
        st.starts.front().map(|&t| self.window.saturating_sub(now.duration_since(t)))
    }

    /// Wait for a request slot.
    pub async fn acquire(&self) {
        loop {
            match self.try_start(Instant::now()) {
                None => return,
                Some(wait) => {
                    self.waited_ms.fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
                    tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                }
            }
        }
    }

    /// The service said "wait `d`" (Retry-After, already scaled): pause every request.
    pub fn pause_for(&self, d: Duration) {
        self.throttle_waits.fetch_add(1, Ordering::Relaxed);
        let until = Instant::now() + d;
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if st.paused_until.is_none_or(|p| p < until) {
            st.paused_until = Some(until);
        }
    }
}

/// Retries for transient failures.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 8, base: Duration::from_secs(1), max_delay: Duration::from_secs(60) }
    }
}

impl RetryPolicy {
    /// Full-jitter exponential backoff for attempt `n` (0-based): uniform in
    /// `[cap/2, cap]` where `cap = min(max_delay, base · 2ⁿ)`.
    pub fn backoff(&self, n: u32) -> Duration {
        let cap = self.base.saturating_mul(1u32 << n.min(16)).min(self.max_delay);
        cap.mul_f64(0.5 + 0.5 * jitter())
    }
}

/// A uniform number in [0, 1) without a dependency: xorshift over a per-call mix of the clock
/// and a counter (jitter only needs to de-synchronise retries, not be unpredictable).
fn jitter() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let mut x = COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ nanos;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// Parse `Retry-After`: delta seconds (what Graph sends) or an HTTP date (ignored: backoff).
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    v.parse::<u64>()
        .ok()
        .map(Duration::from_secs)
        .or_else(|| v.parse::<f64>().ok().filter(|f| *f >= 0.0 && f.is_finite()).map(Duration::from_secs_f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliding_window_admits_n_then_waits() {
        let l = Limiter::new(ThrottleConfig { requests: 5, window: Duration::from_secs(10), time_scale: 1.0 });
        let t0 = Instant::now();
        for _ in 0..5 {
            assert!(l.try_start(t0).is_none());
        }
        let wait = l.try_start(t0).expect("sixth must wait");
        assert!(wait > Duration::from_secs(10) && wait < Duration::from_secs(11), "{wait:?}");
        assert!(l.try_start(t0 + Duration::from_millis(10_400)).is_none());
    }

    #[test]
    fn pause_blocks_everyone() {
        let l = Limiter::new(ThrottleConfig::default());
        l.pause_for(Duration::from_secs(3));
        assert!(l.try_start(Instant::now()).is_some());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy { max_retries: 5, base: Duration::from_millis(100), max_delay: Duration::from_secs(1) };
        for n in 0..10 {
            let d = p.backoff(n);
            let cap = Duration::from_millis(100 * (1 << n.min(16))).min(Duration::from_secs(1));
            assert!(d >= cap / 2 && d <= cap, "{n}: {d:?}");
        }
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
