//! Exchange Online PowerShell readiness rules: versioned data (DOMAIN.md §6, §8) in [`RULES`]
//! and the evaluation of [`Facts`] → [`Finding`]s with exact fix commands.
//!
//! To update (a new module release, a new PowerShell minimum, a new look-alike package), edit
//! [`RULES`] and bump its `version`; nothing else holds these facts.

use super::facts::{Facts, ModuleFact, Version, v};
use crate::findings::{Finding, Severity};
use crate::messages::{Lang, format, text};

/// PowerShell 7 minimum for a range of module versions: modules `>= from` need `>= min_ps`,
/// and `last_before` is the newest module of the previous range (what to pin on an older PS).
#[derive(Debug)]
pub struct Ps7Requirement {
    pub from: &'static str,
    pub min_ps: &'static str,
    pub last_before: Option<&'static str>,
}

/// All EXO readiness facts in one place.
#[derive(Debug)]
pub struct ExoRules {
    pub version: &'static str,
    pub facts_as_of: &'static str,
    pub module: &'static str,
    pub guid: &'static str,
    pub author: &'static str,
    /// Latest known GA release [S29][S32].
    pub latest: &'static str,
    /// First REST (V3) release, Sep 2022 [S29]; older ones are V2 (RPS-era).
    pub first_rest: &'static str,
    /// Newest first [S29].
    pub ps7: &'static [Ps7Requirement],
    /// Windows PowerShell minimum and the .NET Framework it needs [S29].
    pub desktop_min_ps: &'static str,
    /// .NET Framework 4.7.2's `Release` value (Microsoft's .NET version table; not in DOMAIN.md).
    pub net472_release: u32,
    /// Known look-alike gallery packages [S32a].
    pub lookalikes: &'static [&'static str],
    /// Names at most this many edits away from the module name are look-alikes.
    pub max_edit_distance: usize,
}

pub static RULES: ExoRules = ExoRules {
    version: "2026.11.1",
    facts_as_of: "2026-09",
    module: "ExchangeOnlineManagement",
    guid: "B5ECED50-AFA4-455B-847A-D8FB64140A22",
    author: "Microsoft Corporation",
    latest: "3.10.1",
    first_rest: "3.0.0",
    ps7: &[
        Ps7Requirement { from: "3.10.0", min_ps: "7.6.0", last_before: Some("3.9.2") },
        Ps7Requirement { from: "3.5.0", min_ps: "7.4.0", last_before: Some("3.4.0") },
        Ps7Requirement { from: "3.0.0", min_ps: "7.2.0", last_before: None },
    ],
    desktop_min_ps: "5.1",
    net472_release: 461_808,
    lookalikes: &["ExchangeOnlineManagment", "Exchange-OnlineManagement", "ExchangeOnlineMangement"],
    max_edit_distance: 2,
};

const TARGET: &str = "PowerShell";

/// Optimal-string-alignment edit distance (insertions, deletions, substitutions, swaps).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Is `name` a look-alike of the module name (but not the name itself)?
pub fn is_lookalike(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    let target = RULES.module.to_lowercase();
    if lower == target {
        return false;
    }
    let squash = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    RULES.lookalikes.iter().any(|l| l.eq_ignore_ascii_case(&lower))
        || squash(&lower) == target
        || edit_distance(&lower, &target) <= RULES.max_edit_distance
}

fn norm_guid(g: &str) -> String {
    g.trim().trim_matches(['{', '}']).to_ascii_uppercase()
}

/// Whether a module with the exact name is the genuine one (GUID and author match when given).
fn genuine(m: &ModuleFact) -> bool {
    m.guid.as_deref().is_none_or(|g| norm_guid(g) == RULES.guid)
        && m.author.as_deref().is_none_or(|a| a.trim() == RULES.author)
}

struct Ctx<'a> {
    facts: &'a Facts,
    lang: Lang,
    out: Vec<Finding>,
}

/// A finding before the common fields (target, localized why, context) are added.
struct Draft<'a> {
    id: &'a str,
    severity: Severity,
    setting: &'a str,
    current: Option<String>,
    expected: Option<String>,
    message: String,
    /// Message key of the "why"; empty for none.
    why_key: &'a str,
    fix: String,
    source: &'a str,
    verified: bool,
}

impl Ctx<'_> {
    fn push(&mut self, d: Draft) {
        let mut f = Finding {
            id: d.id.to_owned(),
            severity: d.severity,
            target: TARGET.to_owned(),
            setting: d.setting.to_owned(),
            current: d.current,
            expected: d.expected,
            message: d.message,
            why: if d.why_key.is_empty() { String::new() } else { text(d.why_key, self.lang).to_owned() },
            fix: d.fix,
            source: d.source.to_owned(),
            verified: d.verified,
            context: Default::default(),
        }
        .with("ruleSetVersion", RULES.version);
        if let Some(c) = &self.facts.computer_name {
            f = f.with("computer", c.clone());
        }
        if let Some(ver) = &self.facts.power_shell.version {
            f = f.with("psVersion", ver.clone());
        }
        if let Some(ed) = &self.facts.power_shell.edition {
            f = f.with("psEdition", ed.clone());
        }
        self.out.push(f);
    }

    fn msg(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        format(key, self.lang, args)
    }
}

/// The highest module version that runs on this PowerShell (None: no supported version).
fn newest_supported(facts: &Facts, ps: Option<&Version>) -> Option<&'static str> {
    if facts.is_desktop() || ps.is_none() {
        return Some(RULES.latest);
    }
    let ps = ps?;
    let mut candidate = Some(RULES.latest);
    for r in RULES.ps7 {
        if *ps >= v(r.min_ps) {
            return candidate;
        }
        candidate = r.last_before;
    }
    None
}

/// The PowerShell 7 minimum for a module version.
fn ps7_min_for(module: &Version) -> Option<&'static str> {
    RULES.ps7.iter().find(|r| *module >= v(r.from)).map(|r| r.min_ps)
}

fn upn(facts: &Facts) -> String {
    facts.user_principal_name.clone().unwrap_or_else(|| "admin@contoso.onmicrosoft.com".into())
}

fn install_cmd(version: Option<&str>) -> String {
    match version {
        Some(ver) if ver != RULES.latest => {
            format!("Install-Module -Name {} -RequiredVersion {ver} -Scope CurrentUser", RULES.module)
        }
        _ => format!("Install-Module -Name {} -Scope CurrentUser", RULES.module),
    }
}

/// Evaluate every rule.
pub fn evaluate(facts: &Facts, lang: Lang) -> Vec<Finding> {
    let mut c = Ctx { facts, lang, out: Vec::new() };
    let ps = facts.power_shell.version.as_deref().and_then(Version::parse);
    check_lookalikes(&mut c);
    check_powershell(&mut c, ps.as_ref());
    check_module(&mut c, ps.as_ref());
    check_package_management(&mut c);
    check_tls(&mut c);
    check_proxy(&mut c);
    check_winrm(&mut c);
    check_execution_policy(&mut c);
    check_sessions_and_scripts(&mut c);
    check_platform(&mut c);
    connect_howto(&mut c);
    crate::findings::sort(&mut c.out);
    c.out
}

fn check_lookalikes(c: &mut Ctx) {
    let f = c.facts;
    let mut seen: Vec<String> = Vec::new();
    for m in f.modules.installed.iter().chain(&f.modules.loaded) {
        let key = format!("{}|{}|{}", m.name.to_lowercase(), m.version, m.path.as_deref().unwrap_or(""));
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let path = m.path.clone().unwrap_or_default();
        let remove = if path.is_empty() {
            format!("Uninstall-Module -Name '{}' -AllVersions -Force", m.name)
        } else {
            format!(
                "Uninstall-Module -Name '{}' -AllVersions -Force; Remove-Item -LiteralPath '{}' -Recurse -Force",
                m.name,
                std::path::Path::new(&path).parent().map_or(path.clone(), |p| p.display().to_string())
            )
        };
        let fix = format!("{remove}; {}", install_cmd(None));
        let path = if path.is_empty() { "-".to_owned() } else { path };
        if is_lookalike(&m.name) {
            let msg = c.msg("exo.lookalike", &[("name", &m.name), ("version", &m.full_version()), ("path", &path)]);
            c.push(Draft {
                id: "exo.module.lookalike",
                severity: Severity::Critical,
                setting: &m.name,
                current: Some(format!("{} {}", m.name, m.full_version())),
                expected: Some(RULES.module.to_owned()),
                message: msg,
                why_key: "exo.why.lookalike",
                fix,
                source: "S32, S32a",
                verified: true,
            });
        } else if m.name.eq_ignore_ascii_case(RULES.module) && !genuine(m) {
            let msg = c.msg(
                "exo.wrong_publisher",
                &[
                    ("version", &m.full_version()),
                    ("guid", &m.guid.as_deref().unwrap_or("?")),
                    ("author", &m.author.as_deref().unwrap_or("?")),
                    ("path", &path),
                ],
            );
            c.push(Draft {
                id: "exo.module.wrong_publisher",
                severity: Severity::Critical,
                setting: RULES.module,
                current: Some(format!(
                    "GUID {} / {}",
                    m.guid.as_deref().unwrap_or("?"),
                    m.author.as_deref().unwrap_or("?")
                )),
                expected: Some(format!("GUID {} / {}", RULES.guid, RULES.author)),
                message: msg,
                why_key: "exo.why.lookalike",
                fix,
                source: "S32",
                verified: true,
            });
        }
    }
}

fn check_powershell(c: &mut Ctx, ps: Option<&Version>) {
    let Some(ps) = ps else { return };
    if c.facts.is_desktop() {
        if *ps < v(RULES.desktop_min_ps) {
            let msg = c.msg("exo.ps.desktop_old", &[("version", ps)]);
            c.push(Draft {
                id: "exo.powershell.too_old",
                severity: Severity::High,
                setting: "$PSVersionTable.PSVersion",
                current: Some(ps.to_string()),
                expected: Some(format!(">= {}", RULES.desktop_min_ps)),
                message: msg,
                why_key: "exo.why.module",
                fix: "Windows Management Framework 5.1 / PowerShell 7.6: https://aka.ms/powershell".into(),
                source: "S29",
                verified: true,
            });
        }
        if let Some(rel) = c.facts.power_shell.dot_net_framework_release
            && rel < RULES.net472_release
        {
            let msg = c.msg("exo.dotnet_old", &[("release", &rel)]);
            c.push(Draft {
                id: "exo.dotnet.too_old",
                severity: Severity::High,
                setting: "HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full\\Release",
                current: Some(rel.to_string()),
                expected: Some(format!(">= {} (.NET Framework 4.7.2)", RULES.net472_release)),
                message: msg,
                why_key: "exo.why.module",
                fix: "Install .NET Framework 4.8 (https://dotnet.microsoft.com/download/dotnet-framework)".into(),
                source: "S29",
                verified: true,
            });
        }
    } else if newest_supported(c.facts, Some(ps)).is_none() {
        let oldest = RULES.ps7.last().map_or("7.2.0", |r| r.min_ps);
        let msg = c.msg("exo.ps.core_old", &[("version", ps), ("min", &oldest)]);
        c.push(Draft {
            id: "exo.powershell.too_old",
            severity: Severity::High,
            setting: "$PSVersionTable.PSVersion",
            current: Some(ps.to_string()),
            expected: Some(format!(">= {}", RULES.ps7[0].min_ps)),
            message: msg,
            why_key: "exo.why.module",
            fix: text("exo.fix.upgrade_ps", c.lang).to_owned(),
            source: "S29",
            verified: true,
        });
    }
}

fn check_module(c: &mut Ctx, ps: Option<&Version>) {
    let f = c.facts;
    let genuine_installed: Vec<(&ModuleFact, Version)> = f
        .modules
        .installed
        .iter()
        .filter(|m| m.name.eq_ignore_ascii_case(RULES.module) && genuine(m))
        .filter_map(|m| Version::parse(&m.full_version()).map(|ver| (m, ver)))
        .collect();
    let target = newest_supported(f, ps);
    let newest = genuine_installed.iter().map(|(_, ver)| ver.clone()).max();
    let Some(newest) = newest else {
        let msg = c.msg("exo.module.missing", &[("module", &RULES.module)]);
        c.push(Draft {
            id: "exo.module.missing",
            severity: Severity::High,
            setting: RULES.module,
            current: None,
            expected: Some(target.unwrap_or(RULES.latest).to_owned()),
            message: msg,
            why_key: "exo.why.module",
            fix: install_cmd(target),
            source: "S29",
            verified: true,
        });
        return;
    };
    // Module too new for this PowerShell 7 (e.g. 3.10.x on 7.4).
    if !f.is_desktop()
        && let Some(ps) = ps
        && let Some(min) = ps7_min_for(&newest)
        && *ps < v(min)
    {
        let pin = target.map(|t| install_cmd(Some(t))).unwrap_or_default();
        let msg = c.msg("exo.module.needs_newer_ps", &[("module", &newest), ("min", &min), ("ps", ps)]);
        let fix = format!("{} {pin}", text("exo.fix.upgrade_ps", c.lang));
        c.push(Draft {
            id: "exo.module.needs_newer_powershell",
            severity: Severity::High,
            setting: "$PSVersionTable.PSVersion",
            current: Some(ps.to_string()),
            expected: Some(format!(">= {min}")),
            message: msg,
            why_key: "exo.why.module",
            fix: fix.trim().to_owned(),
            source: "S29",
            verified: true,
        });
    }
    if newest < v(RULES.first_rest) {
        let msg = c.msg("exo.module.v2", &[("version", &newest)]);
        c.push(Draft {
            id: "exo.module.v2",
            severity: Severity::High,
            setting: RULES.module,
            current: Some(newest.to_string()),
            expected: Some(target.unwrap_or(RULES.latest).to_owned()),
            message: msg,
            why_key: "exo.why.rps",
            fix: format!("Update-Module -Name {}; {}", RULES.module, install_cmd(target)),
            source: "S29, S37",
            verified: true,
        });
    } else if let Some(t) = target
        && newest < v(t)
    {
        let msg = c.msg("exo.module.outdated", &[("version", &newest), ("latest", &t)]);
        let fix =
            if t == RULES.latest { format!("Update-Module -Name {}", RULES.module) } else { install_cmd(Some(t)) };
        c.push(Draft {
            id: "exo.module.outdated",
            severity: Severity::Low,
            setting: RULES.module,
            current: Some(newest.to_string()),
            expected: Some(t.to_owned()),
            message: msg,
            why_key: "",
            fix,
            source: "S29",
            verified: true,
        });
    }
    // Loaded older than the newest installed version this PowerShell can run: the session
    // still runs the old code.
    let usable =
        genuine_installed.iter().map(|(_, ver)| ver.clone()).filter(|ver| target.is_none_or(|t| *ver <= v(t))).max();
    let Some(newest) = usable else { return };
    for m in f.modules.loaded.iter().filter(|m| m.name.eq_ignore_ascii_case(RULES.module) && genuine(m)) {
        if let Some(lv) = Version::parse(&m.full_version())
            && lv < newest
        {
            let msg = c.msg("exo.module.loaded_old", &[("loaded", &lv), ("installed", &newest)]);
            c.push(Draft {
                id: "exo.module.loaded_old",
                severity: Severity::Low,
                setting: RULES.module,
                current: Some(lv.to_string()),
                expected: Some(newest.to_string()),
                message: msg,
                why_key: "",
                fix: format!("Remove-Module {0}; Import-Module {0} -RequiredVersion {1}", RULES.module, newest),
                source: "S29",
                verified: true,
            });
        }
    }
}

fn check_package_management(c: &mut Ctx) {
    let f = c.facts;
    if !f.is_windows() {
        return;
    }
    let p = &f.package_management;
    if p.power_shell_get.is_empty() && !(p.ps_resource_get.is_empty() && p.package_management.is_empty()) {
        let extra = if p.ps_resource_get.is_empty() { "" } else { text("exo.psresourceget_unverified", c.lang) };
        let msg = format!("{} {extra}", text("exo.powershellget.missing", c.lang)).trim().to_owned();
        let fix = if p.ps_resource_get.is_empty() {
            "Install-Module -Name PowerShellGet -Scope CurrentUser -Force".to_owned()
        } else {
            "Install-PSResource -Name PowerShellGet -Scope CurrentUser".to_owned()
        };
        c.push(Draft {
            id: "exo.powershellget.missing",
            severity: Severity::High,
            setting: "PowerShellGet",
            current: None,
            expected: Some("PowerShellGet (GA)".into()),
            message: msg,
            why_key: "exo.why.powershellget",
            fix,
            source: "S29",
            verified: p.ps_resource_get.is_empty(),
        });
    }
    for (name, versions) in [("PowerShellGet", &p.power_shell_get), ("PackageManagement", &p.package_management)] {
        let previews: Vec<&String> =
            versions.iter().filter(|x| Version::parse(x).is_some_and(|ver| ver.prerelease.is_some())).collect();
        if let Some(pre) = previews.first() {
            let msg = c.msg("exo.package.preview", &[("name", &name), ("version", pre)]);
            c.push(Draft {
                id: "exo.powershellget.preview",
                severity: Severity::Medium,
                setting: name,
                current: Some((*pre).clone()),
                expected: Some(text("exo.expected.ga", c.lang).to_owned()),
                message: msg,
                why_key: "exo.why.powershellget",
                fix: format!("Uninstall-Module -Name {name} -RequiredVersion {pre} -AllowPrerelease"),
                source: "S29",
                verified: true,
            });
        }
    }
}

fn check_tls(c: &mut Ctx) {
    let f = c.facts;
    if !f.is_desktop() {
        return;
    }
    let Some(sp) = f.tls.security_protocol.as_deref() else { return };
    let l = sp.to_ascii_lowercase();
    let ok = l.contains("tls12") || l.contains("tls13") || l.contains("systemdefault") || l.trim() == "0";
    if !ok {
        let msg = c.msg("exo.tls12", &[("current", &sp)]);
        c.push(Draft {
            id: "exo.tls12.missing",
            severity: Severity::High,
            setting: "[Net.ServicePointManager]::SecurityProtocol",
            current: Some(sp.to_owned()),
            expected: Some("Tls12".into()),
            message: msg,
            why_key: "exo.why.tls",
            fix: "[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12".into(),
            source: "S29, S34",
            verified: true,
        });
    }
}

fn check_proxy(c: &mut Ctx) {
    let f = c.facts;
    let proxies = f.proxy.configured();
    if proxies.is_empty() {
        return;
    }
    let old_rest_on_unix = !f.is_windows()
        && f.modules
            .installed
            .iter()
            .filter(|m| m.name.eq_ignore_ascii_case(RULES.module))
            .filter_map(|m| Version::parse(&m.version))
            .max()
            .is_some_and(|ver| ver < v(RULES.first_rest));
    let (sev, key) = if old_rest_on_unix {
        (Severity::High, "exo.proxy.unix_old")
    } else {
        (Severity::Info, if f.is_windows() { "exo.proxy.windows" } else { "exo.proxy.unix" })
    };
    let list = proxies.join("; ");
    let msg = c.msg(key, &[("proxies", &list)]);
    let fix = if f.is_windows() {
        "Get-ConnectionInformation  # after Connect-ExchangeOnline; do not pass -PSSessionOption".to_owned()
    } else {
        format!(
            "export HTTPS_PROXY=http://proxy.example:8080; pwsh -c 'Connect-ExchangeOnline -UserPrincipalName {}'",
            upn(f)
        )
    };
    c.push(Draft {
        id: "exo.proxy",
        severity: sev,
        setting: "proxy",
        current: Some(list),
        expected: None,
        message: msg,
        why_key: "exo.why.proxy",
        fix,
        source: "S29",
        verified: false,
    });
}

fn check_winrm(c: &mut Ctx) {
    let f = c.facts;
    if !f.is_desktop() {
        return;
    }
    match f.win_rm.client_allow_basic {
        Some(true) => {
            let msg = text("exo.winrm.basic_on", c.lang).to_owned();
            c.push(Draft {
                id: "exo.winrm.basic_enabled",
                severity: Severity::Low,
                setting: "winrm/config/client/auth Basic",
                current: Some("true".into()),
                expected: Some("false".into()),
                message: msg,
                why_key: "exo.why.winrm",
                fix: "winrm set winrm/config/client/auth @{Basic=\"false\"}".into(),
                source: "S29, S29a",
                verified: true,
            });
        }
        Some(false) => {
            let msg = text("exo.winrm.basic_off", c.lang).to_owned();
            c.push(Draft {
                id: "exo.winrm.basic_disabled",
                severity: Severity::Info,
                setting: "winrm/config/client/auth Basic",
                current: Some("false".into()),
                expected: Some("false".into()),
                message: msg,
                why_key: "exo.why.winrm",
                fix: String::new(),
                source: "S29, S29a",
                verified: true,
            });
        }
        None => {}
    }
}

fn check_execution_policy(c: &mut Ctx) {
    let f = c.facts;
    if !f.is_windows() {
        return;
    }
    let Some(p) = f.execution_policy.effective.as_deref() else { return };
    if p.eq_ignore_ascii_case("Restricted") || p.eq_ignore_ascii_case("AllSigned") {
        let msg = c.msg("exo.execution_policy", &[("policy", &p)]);
        c.push(Draft {
            id: "exo.execution_policy",
            severity: Severity::Medium,
            setting: "Get-ExecutionPolicy",
            current: Some(p.to_owned()),
            expected: Some("RemoteSigned".into()),
            message: msg,
            why_key: "",
            fix: "Set-ExecutionPolicy -ExecutionPolicy RemoteSigned -Scope CurrentUser".into(),
            source: "PowerShell about_Execution_Policies (not in DOMAIN.md)",
            verified: false,
        });
    }
}

/// Retired-connection patterns in scripts: (id, severity, needle groups that must all appear in
/// one line (case-insensitive), message key, source).
const SCRIPT_PATTERNS: &[(&str, Severity, &[&str], &str, &str)] = &[
    ("exo.script.rps", Severity::High, &["new-pssession", "microsoft.exchange"], "exo.script.rps", "S29, S37"),
    ("exo.script.rps", Severity::High, &["powershell-liveid"], "exo.script.rps", "S29, S37"),
    ("exo.script.use_rps", Severity::High, &["-userpssession"], "exo.script.use_rps", "S24a, S37"),
    ("exo.script.v1", Severity::High, &["connect-exopssession"], "exo.script.v1", "S29, S37"),
    ("exo.script.pssessionoption", Severity::Medium, &["-pssessionoption"], "exo.script.pssessionoption", "S24a, S29"),
    (
        "exo.script.pssessionoption",
        Severity::Medium,
        &["new-pssessionoption"],
        "exo.script.pssessionoption",
        "S24a, S29",
    ),
];

fn check_sessions_and_scripts(c: &mut Ctx) {
    let f = c.facts;
    let connect = format!("Connect-ExchangeOnline -UserPrincipalName {}", upn(f));
    for s in &f.sessions {
        let conf = s.configuration_name.as_deref().unwrap_or("");
        if conf.eq_ignore_ascii_case("Microsoft.Exchange")
            && s.computer_name.as_deref().is_some_and(|h| h.to_ascii_lowercase().contains("office365"))
        {
            let host = s.computer_name.clone().unwrap_or_default();
            let msg = c.msg("exo.session.rps", &[("host", &host)]);
            c.push(Draft {
                id: "exo.session.rps",
                severity: Severity::High,
                setting: "Get-PSSession",
                current: Some(format!("{conf} @ {host}")),
                expected: None,
                message: msg,
                why_key: "exo.why.rps",
                fix: format!("Get-PSSession | Where-Object ConfigurationName -eq 'Microsoft.Exchange' | Remove-PSSession; {connect}"),
                source: "S29, S37",
                verified: true,
            });
        }
    }
    for script in &f.scripts {
        for (n, line) in script.content.lines().enumerate() {
            let l = line.to_ascii_lowercase();
            if l.trim_start().starts_with('#') {
                continue;
            }
            let mut reported: Vec<&str> = Vec::new();
            for (id, sev, needles, key, source) in SCRIPT_PATTERNS {
                if reported.contains(id) || !needles.iter().all(|x| l.contains(x)) {
                    continue;
                }
                reported.push(id);
                let at = format!("{}:{}", script.path, n + 1);
                let msg = c.msg(key, &[("at", &at)]);
                let why = if *id == "exo.script.pssessionoption" { "exo.why.proxy" } else { "exo.why.rps" };
                c.push(Draft {
                    id,
                    severity: *sev,
                    setting: &at,
                    current: Some(line.trim().to_owned()),
                    expected: Some(connect.clone()),
                    message: msg,
                    why_key: why,
                    fix: connect.clone(),
                    source,
                    verified: true,
                });
            }
        }
    }
}

fn check_platform(c: &mut Ctx) {
    if c.facts.is_windows() {
        return;
    }
    let os = c.facts.power_shell.os.clone().unwrap_or_else(|| "Linux/macOS".into());
    let msg = c.msg("exo.platform.unix", &[("os", &os)]);
    c.push(Draft {
        id: "exo.platform.not_windows",
        severity: Severity::Info,
        setting: "$PSVersionTable.Platform",
        current: Some(os),
        expected: None,
        message: msg,
        why_key: "",
        fix: String::new(),
        source: "S24a, S29",
        verified: true,
    });
}

fn connect_howto(c: &mut Ctx) {
    let u = upn(c.facts);
    let cmds = [
        format!("Connect-ExchangeOnline -UserPrincipalName {u}"),
        "Connect-ExchangeOnline -Device  # PowerShell 7: device code on another device".into(),
        "Connect-ExchangeOnline -ManagedIdentity -Organization contoso.onmicrosoft.com  # Azure Automation / VM / Functions".into(),
        if c.facts.is_windows() {
            "Connect-ExchangeOnline -CertificateThumbprint <thumbprint> -AppId <app-id> -Organization contoso.onmicrosoft.com  # unattended".into()
        } else {
            "Connect-ExchangeOnline -CertificateFilePath ./app.pfx -CertificatePassword (Read-Host -AsSecureString) -AppId <app-id> -Organization contoso.onmicrosoft.com  # unattended".into()
        },
        format!("Get-Module {} -ListAvailable; Get-ConnectionInformation", RULES.module),
    ];
    let msg = text("exo.connect.howto", c.lang).to_owned();
    c.push(Draft {
        id: "exo.connect.howto",
        severity: Severity::Info,
        setting: "Connect-ExchangeOnline",
        current: None,
        expected: None,
        message: msg,
        why_key: "exo.why.rps",
        fix: cmds.join("\n"),
        source: "S24a, S24b, S29",
        verified: true,
    });
}
