//! Exchange Online PowerShell readiness: PowerShell gathers facts about the admin's shell and
//! passes them as JSON; the rules here (versioned data, [`rules::RULES`]) return
//! [`crate::findings::Finding`]s with exact fix commands (target `PowerShell`).
//!
//! # Facts JSON (schemaVersion 1)
//! Every field is optional; a fact that was not gathered is left out (or `null`), and the
//! rules that need it stay silent. Names are camelCase. Example:
//! ```json
//! {
//!   "schemaVersion": 1,
//!   "collectedAt": "2026-11-25T01:00:00Z",
//!   "computerName": "ADMIN-PC",
//!   "userPrincipalName": "admin@contoso.onmicrosoft.com",
//!   "powerShell": {
//!     "edition": "Desktop",               // $PSVersionTable.PSEdition: Desktop | Core
//!     "version": "5.1.19041.4648",        // $PSVersionTable.PSVersion
//!     "os": "Microsoft Windows 10.0.19045",
//!     "platform": "Win32NT",              // $PSVersionTable.Platform (absent on 5.1 = Windows)
//!     "dotNetFrameworkRelease": 528372,   // HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full Release (5.1)
//!     "dotNetVersion": "4.0.30319.42000"  // [Environment]::Version
//!   },
//!   "modules": {
//!     "installed": [                      // Get-Module -ListAvailable (at least every name near ExchangeOnlineManagement)
//!       {"name": "ExchangeOnlineManagement", "version": "3.10.1", "prerelease": null,
//!        "guid": "b5eced50-afa4-455b-847a-d8fb64140a22", "author": "Microsoft Corporation",
//!        "path": "C:\\Users\\a\\Documents\\WindowsPowerShell\\Modules\\ExchangeOnlineManagement\\3.10.1\\ExchangeOnlineManagement.psd1"}
//!     ],
//!     "loaded": []                        // Get-Module (same shape)
//!   },
//!   "packageManagement": {"powerShellGet": ["2.2.5", "1.0.0.1"], "psResourceGet": [], "packageManagement": ["1.4.8.1"]},
//!   "tls": {"securityProtocol": "Ssl3, Tls"},          // [Net.ServicePointManager]::SecurityProtocol.ToString()
//!   "proxy": {"winHttp": null, "ieProxyEnable": true, "ieProxyServer": "proxy:8080",
//!             "ieAutoConfigUrl": null, "env": {"HTTPS_PROXY": "http://proxy:8080"}},
//!   "winRm": {"clientAllowBasic": false},             // winrm get winrm/config/client/auth (5.1)
//!   "executionPolicy": {"effective": "RemoteSigned"}, // Get-ExecutionPolicy
//!   "sessions": [{"configurationName": "Microsoft.Exchange", "computerName": "outlook.office365.com", "state": "Opened"}],
//!   "scripts": [{"path": "C:\\Users\\a\\Documents\\WindowsPowerShell\\profile.ps1", "content": "…"}]
//! }
//! ```
//! Facts files may be UTF-8 (with or without BOM) or UTF-16 (Windows PowerShell 5.1 `Out-File`).
//! Example files for every situation the rules know are in `tests/fixtures/exo/`.

pub mod facts;
pub mod rules;

pub use facts::Facts;
pub use rules::{RULES, evaluate};
