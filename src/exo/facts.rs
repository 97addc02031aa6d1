//! The facts PowerShell gathers for `Test-ExoPowerShellReadiness` (schema in the module doc),
//! and version parsing. Every field is optional: a missing fact means "not gathered" and the
//! rules that need it stay silent instead of guessing.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Error;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Facts {
    pub schema_version: u32,
    pub collected_at: Option<String>,
    pub computer_name: Option<String>,
    /// The admin's UPN, when known: fills in the connect commands.
    pub user_principal_name: Option<String>,
    pub power_shell: PowerShellFacts,
    pub modules: ModuleFacts,
    pub package_management: PackageFacts,
    pub tls: TlsFacts,
    pub proxy: ProxyFacts,
    pub win_rm: WinRmFacts,
    pub execution_policy: ExecutionPolicyFacts,
    /// Open PSSessions (`Get-PSSession`).
    pub sessions: Vec<SessionFact>,
    /// Scripts to scan for retired connection patterns ($PROFILE files, runbooks passed by the user).
    pub scripts: Vec<ScriptFact>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PowerShellFacts {
    /// `$PSVersionTable.PSEdition`: `Desktop` (Windows PowerShell) or `Core`.
    pub edition: Option<String>,
    /// `$PSVersionTable.PSVersion`, e.g. `5.1.19041.4648`, `7.4.6`.
    pub version: Option<String>,
    /// `$PSVersionTable.OS` or `[Environment]::OSVersion`.
    pub os: Option<String>,
    /// `$PSVersionTable.Platform` (`Win32NT`, `Unix`) — absent on 5.1 (= Windows).
    pub platform: Option<String>,
    /// .NET Framework `Release` DWORD (`HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full`), 5.1 only.
    pub dot_net_framework_release: Option<u32>,
    /// `[Environment]::Version` / `[System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription`.
    pub dot_net_version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ModuleFacts {
    /// `Get-Module -ListAvailable` (all modules, or at least every name close to ExchangeOnlineManagement).
    pub installed: Vec<ModuleFact>,
    /// `Get-Module` (loaded in the session).
    pub loaded: Vec<ModuleFact>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ModuleFact {
    pub name: String,
    pub version: String,
    /// `PrivateData.PSData.Prerelease`, e.g. `Preview1`.
    pub prerelease: Option<String>,
    pub guid: Option<String>,
    pub author: Option<String>,
    pub path: Option<String>,
}

impl ModuleFact {
    pub fn full_version(&self) -> String {
        match self.prerelease.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => format!("{}-{p}", self.version),
            None => self.version.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PackageFacts {
    /// Installed PowerShellGet versions (`Get-Module PowerShellGet -ListAvailable`).
    pub power_shell_get: Vec<String>,
    /// Installed Microsoft.PowerShell.PSResourceGet versions.
    pub ps_resource_get: Vec<String>,
    /// Installed PackageManagement versions.
    pub package_management: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TlsFacts {
    /// `[Net.ServicePointManager]::SecurityProtocol` as text, e.g. `Ssl3, Tls` or `SystemDefault`.
    pub security_protocol: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProxyFacts {
    /// `netsh winhttp show proxy` result: `null`/empty for direct access, else the proxy.
    pub win_http: Option<String>,
    /// Internet Options (`HKCU:\…\Internet Settings`): ProxyEnable, ProxyServer, AutoConfigURL.
    pub ie_proxy_enable: Option<bool>,
    pub ie_proxy_server: Option<String>,
    pub ie_auto_config_url: Option<String>,
    /// HTTPS_PROXY / HTTP_PROXY / NO_PROXY / ALL_PROXY (any case) that are set.
    pub env: BTreeMap<String, String>,
}

impl ProxyFacts {
    /// Human list of the proxies configured, empty when none.
    pub fn configured(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(w) = self.win_http.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
            v.push(format!("WinHTTP: {w}"));
        }
        if self.ie_proxy_enable == Some(true)
            && let Some(s) = self.ie_proxy_server.as_deref().filter(|s| !s.trim().is_empty())
        {
            v.push(format!("Internet Options: {s}"));
        }
        if let Some(p) = self.ie_auto_config_url.as_deref().filter(|s| !s.trim().is_empty()) {
            v.push(format!("PAC: {p}"));
        }
        for (k, val) in &self.env {
            if k.to_ascii_lowercase().ends_with("_proxy") && !k.eq_ignore_ascii_case("no_proxy") && !val.is_empty() {
                v.push(format!("{k}={val}"));
            }
        }
        v
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WinRmFacts {
    /// `winrm get winrm/config/client/auth` Basic (or the AllowBasic policy), 5.1 on Windows.
    pub client_allow_basic: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExecutionPolicyFacts {
    /// `Get-ExecutionPolicy` (effective).
    pub effective: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionFact {
    pub configuration_name: Option<String>,
    pub computer_name: Option<String>,
    pub state: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScriptFact {
    pub path: String,
    pub content: String,
}

impl Facts {
    /// Parse facts from bytes (UTF-8 with or without BOM, or UTF-16 as Windows PowerShell 5.1's
    /// `Out-File` writes). `source` names the input in errors.
    pub fn parse(bytes: &[u8], source: &str) -> crate::Result<Facts> {
        let text = crate::registry::regfile::decode(bytes);
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| Error::InvalidInput {
            target: source.to_owned(),
            message: format!("not a readiness facts JSON object (line {}, column {}): {e}", e.line(), e.column()),
        })
    }

    pub fn is_windows(&self) -> bool {
        let ps = &self.power_shell;
        match ps.platform.as_deref() {
            Some(p) => p.eq_ignore_ascii_case("Win32NT"),
            None => {
                ps.edition.as_deref().is_none_or(|e| e.eq_ignore_ascii_case("Desktop"))
                    || ps.os.as_deref().is_some_and(|o| o.to_ascii_lowercase().contains("windows"))
            }
        }
    }

    pub fn is_desktop(&self) -> bool {
        self.power_shell.edition.as_deref().is_some_and(|e| e.eq_ignore_ascii_case("Desktop"))
    }
}

/// A dotted version with an optional prerelease tag (`3.7.0-Preview1`): numeric parts compare
/// numerically (missing parts are 0), and a prerelease sorts before its release.
#[derive(Debug, Clone)]
pub struct Version {
    pub parts: Vec<u64>,
    pub prerelease: Option<String>,
}

impl Version {
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches(['v', 'V']);
        let (num, pre) = match s.split_once('-') {
            Some((n, p)) => (n, Some(p.to_owned())),
            None => (s, None),
        };
        let parts: Option<Vec<u64>> = num.split('.').map(|p| p.parse().ok()).collect();
        let parts = parts.filter(|p| !p.is_empty())?;
        Some(Version { parts, prerelease: pre.filter(|p| !p.is_empty()) })
    }

    fn part(&self, i: usize) -> u64 {
        self.parts.get(i).copied().unwrap_or(0)
    }
}

impl Ord for Version {
    fn cmp(&self, o: &Self) -> Ordering {
        let n = self.parts.len().max(o.parts.len());
        for i in 0..n {
            match self.part(i).cmp(&o.part(i)) {
                Ordering::Equal => {}
                x => return x,
            }
        }
        match (&self.prerelease, &o.prerelease) {
            (None, None) => Ordering::Equal,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(a), Some(b)) => a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()),
        }
    }
}

impl PartialEq for Version {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n: Vec<String> = self.parts.iter().map(u64::to_string).collect();
        write!(f, "{}", n.join("."))?;
        if let Some(p) = &self.prerelease {
            write!(f, "-{p}")?;
        }
        Ok(())
    }
}

/// `Version::parse` for constants in the rule tables.
pub fn v(s: &str) -> Version {
    Version::parse(s).unwrap_or(Version { parts: vec![0], prerelease: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order() {
        assert!(v("3.10.1") > v("3.9.2"));
        assert!(v("3.7.0-Preview1") < v("3.7.0"));
        assert_eq!(v("7.4"), v("7.4.0"));
        assert!(v("5.1.19041.4648") > v("5.1"));
        assert!(Version::parse("abc").is_none());
        assert_eq!(v("3.7.0-Preview1").to_string(), "3.7.0-Preview1");
    }

    #[test]
    fn facts_parse_utf16_and_report_position() {
        let json = r#"{"powerShell":{"edition":"Desktop","version":"5.1.19041.1"}}"#;
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(json.encode_utf16().flat_map(u16::to_le_bytes));
        let f = Facts::parse(&utf16, "f.json").unwrap();
        assert!(f.is_desktop() && f.is_windows());
        let e = Facts::parse(b"{\n \"powerShell\": 5}", "bad.json").unwrap_err();
        assert!(e.to_string().contains("bad.json") && e.to_string().contains("line 2"), "{e}");
    }
}
