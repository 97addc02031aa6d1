//! Deterministic, realistic synthetic sign-ins: the embedded demo tenant (`exauth demo`) and the
//! generator of large benchmark inputs (`exauth generate`).
//!
//! The tenant: a few thousand users, almost all on modern clients (Browser, Mobile Apps and
//! Desktop clients, interactive and non-interactive), a few dozen legacy users spread over the
//! protocols (IMAP/POP mail clients, ActiveSync phones, EWS apps, Outlook 2013 over MAPI),
//! multifunction printers and line-of-business apps sending SMTP AUTH from fixed office IPs, and
//! a password spray from a handful of foreign IPs against hundreds of accounts over IMAP/SMTP.
//! Same seed, same bytes.

pub mod formats;
pub mod graph;

use crate::time::Timestamp;

/// splitmix64: tiny, fast, deterministic across platforms.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// One synthetic sign-in, format-neutral; writers in `graph` (and the benchmark generator)
/// render it as each service would.
#[derive(Debug, Clone)]
pub struct Event {
    pub time: Timestamp,
    pub id: u64,
    pub upn: String,
    pub display_name: String,
    pub user_id: String,
    pub client_app: &'static str,
    pub app: &'static str,
    pub app_id: &'static str,
    pub resource: &'static str,
    pub ip: String,
    pub city: &'static str,
    pub state: &'static str,
    pub country: &'static str,
    pub error_code: i64,
    pub failure_reason: &'static str,
    pub interactive: bool,
    pub user_agent: &'static str,
    pub auth_protocol: &'static str,
    pub browser: &'static str,
    pub os: &'static str,
}

/// The shape of the synthetic tenant.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub seed: u64,
    pub domain: &'static str,
    pub users: u32,
    pub days: u32,
    /// Modern sign-ins per user per day (on average).
    pub modern_per_user_day: u32,
    pub legacy_users: u32,
    pub printers: u32,
    pub spray_ips: u32,
    pub spray_targets: u32,
    pub start: Timestamp,
}

impl Scenario {
    /// The embedded demo tenant: 3,000 users over 14 days, ~40 legacy users, 6 printers,
    /// a spray from 5 IPs against 400 accounts.
    pub fn demo() -> Self {
        Scenario {
            seed: 0x00E4_A0D7_2026,
            domain: "contoso.co.jp",
            users: 3000,
            days: 14,
            modern_per_user_day: 2,
            legacy_users: 40,
            printers: 6,
            spray_ips: 5,
            spray_targets: 400,
            start: Timestamp::from_civil(2026, 11, 1, 0, 0, 0, 0),
        }
    }
}

const FAMILY: &[&str] = &[
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "watanabe",
    "ito",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "kato",
    "smith",
    "garcia",
    "mueller",
    "martin",
    "chen",
    "kim",
];
const GIVEN: &[&str] = &[
    "haruto", "yui", "sota", "hina", "ren", "aoi", "yuto", "mei", "kenji", "akiko", "james", "maria", "lukas", "emma",
    "wei", "minjun",
];

struct Place {
    city: &'static str,
    state: &'static str,
    country: &'static str,
    prefix: &'static str,
}

const OFFICES: &[Place] = &[
    Place { city: "Tokyo", state: "Tokyo", country: "JP", prefix: "203.0.113." },
    Place { city: "Osaka", state: "Osaka", country: "JP", prefix: "198.51.100." },
    Place { city: "Nagoya", state: "Aichi", country: "JP", prefix: "192.0.2." },
];
const SPRAY_PLACES: &[Place] = &[
    Place { city: "Amsterdam", state: "North Holland", country: "NL", prefix: "185.220.101." },
    Place { city: "Sao Paulo", state: "Sao Paulo", country: "BR", prefix: "177.54.150." },
    Place { city: "Hanoi", state: "Hanoi", country: "VN", prefix: "113.160.22." },
    Place { city: "Moscow", state: "Moscow", country: "RU", prefix: "95.142.46." },
    Place { city: "Lagos", state: "Lagos", country: "NG", prefix: "102.89.34." },
];

struct Client {
    client_app: &'static str,
    app: &'static str,
    app_id: &'static str,
    resource: &'static str,
    user_agent: &'static str,
    auth_protocol: &'static str,
    browser: &'static str,
    os: &'static str,
}

const MODERN: &[Client] = &[
    Client {
        client_app: "Browser",
        app: "Office 365 Exchange Online",
        app_id: "00000002-0000-0ff1-ce00-000000000000",
        resource: "Office 365 Exchange Online",
        user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
        auth_protocol: "none",
        browser: "Edge 142.0.0",
        os: "Windows10",
    },
    Client {
        client_app: "Mobile Apps and Desktop clients",
        app: "Microsoft Outlook",
        app_id: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
        resource: "Office 365 Exchange Online",
        user_agent: "Mozilla/5.0 (Windows NT 10.0; Microsoft Outlook 16.0.19127; Pro)",
        auth_protocol: "none",
        browser: "Rich Client 5.9.0.0",
        os: "Windows10",
    },
    Client {
        client_app: "Mobile Apps and Desktop clients",
        app: "Microsoft Teams",
        app_id: "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
        resource: "Microsoft Teams Services",
        user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Teams/25290.205",
        auth_protocol: "none",
        browser: "Rich Client 4.65.0.0",
        os: "Windows10",
    },
    Client {
        client_app: "Mobile Apps and Desktop clients",
        app: "Outlook Mobile",
        app_id: "27922004-5251-4030-b22d-91ecd9a37ea4",
        resource: "Office 365 Exchange Online",
        user_agent: "Outlook-iOS/2.0",
        auth_protocol: "none",
        browser: "Mobile Safari",
        os: "Ios 18.6",
    },
];

const LEGACY: &[Client] = &[
    Client {
        client_app: "IMAP4",
        app: "Office 365 Exchange Online",
        app_id: "00000002-0000-0ff1-ce00-000000000000",
        resource: "Office 365 Exchange Online",
        user_agent: "Thunderbird/115.3",
        auth_protocol: "ropc",
        browser: "",
        os: "Windows10",
    },
    Client {
        client_app: "POP3",
        app: "Office 365 Exchange Online",
        app_id: "00000002-0000-0ff1-ce00-000000000000",
        resource: "Office 365 Exchange Online",
        user_agent: "BAV2ROPC",
        auth_protocol: "ropc",
        browser: "",
        os: "",
    },
    Client {
        client_app: "Exchange ActiveSync",
        app: "Office 365 Exchange Online",
        app_id: "00000002-0000-0ff1-ce00-000000000000",
        resource: "Office 365 Exchange Online",
        user_agent: "Apple-iPhone15C2/2201.254",
        auth_protocol: "ropc",
        browser: "",
        os: "Ios",
    },
    Client {
        client_app: "Exchange Web Services",
        app: "Office 365 Exchange Online",
        app_id: "00000002-0000-0ff1-ce00-000000000000",
        resource: "Office 365 Exchange Online",
        user_agent: "MacOutlook/16.17.0 (Intel Mac OS X 10.13.6)",
        auth_protocol: "ropc",
        browser: "",
        os: "MacOs",
    },
    Client {
        client_app: "MAPI Over HTTP",
        app: "Office 365 Exchange Online",
        app_id: "00000002-0000-0ff1-ce00-000000000000",
        resource: "Office 365 Exchange Online",
        user_agent: "Microsoft Office/15.0 (Windows NT 6.1; Microsoft Outlook 15.0.5589; Pro)",
        auth_protocol: "ropc",
        browser: "",
        os: "Windows7",
    },
    Client {
        client_app: "Other clients",
        app: "Office 365 Exchange Online",
        app_id: "00000002-0000-0ff1-ce00-000000000000",
        resource: "Office 365 Exchange Online",
        user_agent: "python-requests/2.31.0",
        auth_protocol: "ropc",
        browser: "",
        os: "",
    },
];

const SMTP: Client = Client {
    client_app: "Authenticated SMTP",
    app: "Office 365 Exchange Online",
    app_id: "00000002-0000-0ff1-ce00-000000000000",
    resource: "Office 365 Exchange Online",
    user_agent: "BAV2ROPC",
    auth_protocol: "ropc",
    browser: "",
    os: "",
};

/// A user of the synthetic tenant.
struct User {
    upn: String,
    display: String,
    id: String,
    office: usize,
}

fn guid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// Iterate the events of a scenario in chronological chunks (one day at a time), so even a
/// huge scenario needs memory for one day only.
pub fn generate(s: &Scenario, mut emit: impl FnMut(&Event)) {
    let mut rng = Rng::new(s.seed);
    let users: Vec<User> = (0..s.users)
        .map(|i| {
            let f = FAMILY[i as usize % FAMILY.len()];
            let g = GIVEN[(i as usize / FAMILY.len()) % GIVEN.len()];
            let n = i as usize / (FAMILY.len() * GIVEN.len());
            let upn = if n == 0 { format!("{g}.{f}@{}", s.domain) } else { format!("{g}.{f}{n}@{}", s.domain) };
            let display = format!("{} {}", cap(g), cap(f));
            User { upn, display, id: guid(&mut rng), office: rng.below(OFFICES.len() as u64) as usize }
        })
        .collect();
    let printers: Vec<User> = (0..s.printers)
        .map(|i| User {
            upn: format!("mfp-{:02}@{}", i + 1, s.domain),
            display: format!("Scanner MFP {:02}", i + 1),
            id: guid(&mut rng),
            office: i as usize % OFFICES.len(),
        })
        .collect();
    let legacy: Vec<(usize, usize)> = (0..s.legacy_users)
        .map(|i| ((i as usize * 7919 + 13) % users.len().max(1), i as usize % LEGACY.len()))
        .collect();
    let spray_day = s.days / 2;
    let mut id = 0u64;
    let day_us = 86_400_000_000i64;
    for day in 0..s.days {
        let mut events: Vec<Event> = Vec::new();
        let base = s.start.0 + day as i64 * day_us;
        let mut ev = |rng: &mut Rng, u: &User, c: &Client, place: &Place, ip: String, code: i64, interactive: bool| {
            id += 1;
            // Business hours in Japan (00:00–10:00 UTC) for people, any time for attacks.
            let t = base + rng.below(day_us as u64) as i64;
            Event {
                time: Timestamp(t - t % 1000),
                id,
                upn: u.upn.clone(),
                display_name: u.display.clone(),
                user_id: u.id.clone(),
                client_app: c.client_app,
                app: c.app,
                app_id: c.app_id,
                resource: c.resource,
                ip,
                city: place.city,
                state: place.state,
                country: place.country,
                error_code: code,
                failure_reason: failure_reason(code),
                interactive,
                user_agent: c.user_agent,
                auth_protocol: c.auth_protocol,
                browser: c.browser,
                os: c.os,
            }
        };
        for u in &users {
            let office = &OFFICES[u.office];
            let n = rng.below(2 * s.modern_per_user_day as u64 + 1);
            for _ in 0..n {
                let c = rng.pick(MODERN);
                let code = if rng.chance(0.03) { *rng.pick(&[50140, 50058, 50074, 50126]) } else { 0 };
                let ip = format!("{}{}", office.prefix, 10 + rng.below(200));
                let interactive = c.client_app == "Browser" || rng.chance(0.3);
                events.push(ev(&mut rng, u, c, office, ip, code, interactive));
            }
        }
        for &(ui, ci) in &legacy {
            let u = &users[ui];
            let office = &OFFICES[u.office];
            let c = &LEGACY[ci];
            for _ in 0..1 + rng.below(4) {
                let code = if rng.chance(0.1) { 50126 } else { 0 };
                let ip = format!("{}{}", office.prefix, 220 + rng.below(30));
                events.push(ev(&mut rng, u, c, office, ip, code, false));
            }
        }
        for p in &printers {
            let office = &OFFICES[p.office];
            let ip = format!("{}{}", office.prefix, 250 + (p.id.len() as u64 % 5));
            for _ in 0..5 + rng.below(20) {
                events.push(ev(&mut rng, p, &SMTP, office, ip.clone(), 0, false));
            }
        }
        if s.spray_ips > 0 && (day == spray_day || day == spray_day + 1) {
            for k in 0..s.spray_ips as usize {
                let place = &SPRAY_PLACES[k % SPRAY_PLACES.len()];
                let ip = format!("{}{}", place.prefix, 17 + k);
                let hour = base + rng.below(20) as i64 * 3_600_000_000;
                for t in 0..s.spray_targets as usize {
                    let u = &users[(t * 31 + k * 101) % users.len().max(1)];
                    let c = if t % 3 == 0 { &SMTP } else { &LEGACY[0] };
                    // One weak password in the whole spray works: a compromise to find.
                    let code = if k == 0 && t == 123 && day == spray_day {
                        0
                    } else {
                        *rng.pick(&[50126, 50126, 50126, 50034, 50053])
                    };
                    let mut e = ev(&mut rng, u, c, place, ip.clone(), code, false);
                    e.time = Timestamp(hour + (t as i64 * 3_600_000_000 / s.spray_targets.max(1) as i64));
                    e.user_agent = "BAV2ROPC";
                    events.push(e);
                }
            }
        }
        // Graph returns newest first; a file of several days is in descending order per page.
        events.sort_by(|a, b| b.time.cmp(&a.time).then(b.id.cmp(&a.id)));
        for e in &events {
            emit(e);
        }
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn failure_reason(code: i64) -> &'static str {
    match code {
        0 => "",
        50126 => "Error validating credentials due to invalid username or password.",
        50034 => "The user account does not exist in the directory.",
        50053 => "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.",
        50140 => "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
        50058 => "Session information is not sufficient for single-sign-on.",
        50074 => "Strong Authentication is required.",
        _ => "Other.",
    }
}

/// The demo tenant as Graph NDJSON bytes (what `exauth demo` analyses).
pub fn demo_ndjson() -> Vec<u8> {
    scenario_ndjson(&Scenario::demo())
}

/// Any scenario as Graph NDJSON bytes (tests use smaller tenants than the demo).
pub fn scenario_ndjson(s: &Scenario) -> Vec<u8> {
    let mut out = Vec::new();
    generate(s, |e| {
        graph::write_event(&mut out, e).expect("writing to a Vec cannot fail");
        out.push(b'\n');
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_deterministic_and_realistic() {
        let a = demo_ndjson();
        assert_eq!(a, demo_ndjson());
        let lines = a.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
        assert!(lines > 50_000, "{lines}");
        let legacy = a
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .filter(|l| {
                let r = crate::signin::json::parse_record(l).unwrap();
                r.into_signin(&Default::default()).unwrap().is_legacy
            })
            .count();
        assert!(legacy * 10 < lines, "mostly modern: {legacy} of {lines}");
        assert!(legacy > 3000, "{legacy}");
    }
}
