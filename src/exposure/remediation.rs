//! Remediation as data and as a reviewable script. Every command carries `-WhatIf`; the tool
//! never runs anything against the tenant. Identities are single-quoted for PowerShell with
//! every kind of single quote PowerShell accepts doubled (it treats ‘ ’ ‚ ‛ like '), and
//! control characters replaced, so no mailbox name can end a string or start a new command.

use std::fmt::Write as _;

use serde::Serialize;

use crate::messages::{Lang, format, text};
use crate::time::Timestamp;

/// When a command should run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Phase {
    /// Safe now: nothing uses what it turns off (or it protects an account).
    Now,
    /// Only after the listed clients have been migrated.
    AfterMigration,
}

/// One parameter: `value` is what PowerShell should receive (for splatting: a string, a boolean,
/// `true` for a switch; `null` when the argument is an expression, e.g. `([DateTime]::UtcNow)`),
/// `literal` how the command line writes it (quoted; empty for a switch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    pub value: serde_json::Value,
    pub literal: String,
}

/// One command, as an object (for PowerShell and JSON) and as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemediationCommand {
    pub phase: Phase,
    pub target: String,
    pub cmdlet: String,
    pub parameters: Vec<Parameter>,
    /// The full command line, ending in `-WhatIf`.
    pub command: String,
    pub reason: String,
}

impl RemediationCommand {
    pub fn new(phase: Phase, target: &str, cmdlet: &str, parameters: Vec<Parameter>, reason: String) -> Self {
        let mut command = cmdlet.to_owned();
        for p in &parameters {
            command.push_str(" -");
            command.push_str(&p.name);
            if !p.literal.is_empty() {
                command.push(' ');
                command.push_str(&p.literal);
            }
        }
        command.push_str(" -WhatIf");
        RemediationCommand { phase, target: target.to_owned(), cmdlet: cmdlet.to_owned(), parameters, command, reason }
    }
}

/// A PowerShell single-quoted literal of any text.
pub fn ps_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Text safe inside a one-line `#` comment.
fn comment_text(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A parameter taking a PowerShell boolean.
pub fn bool_param(name: &str, v: bool) -> Parameter {
    Parameter { name: name.to_owned(), value: v.into(), literal: if v { "$true".into() } else { "$false".into() } }
}

/// A parameter taking a quoted string.
pub fn str_param(name: &str, v: &str) -> Parameter {
    Parameter { name: name.to_owned(), value: v.into(), literal: ps_quote(v) }
}

/// A switch parameter (`-AllowBasicAuthSmtp`).
pub fn switch_param(name: &str) -> Parameter {
    Parameter { name: name.to_owned(), value: true.into(), literal: String::new() }
}

/// A parameter whose argument is a PowerShell expression written as is (never input-derived).
pub fn expr_param(name: &str, expression: &'static str) -> Parameter {
    Parameter { name: name.to_owned(), value: serde_json::Value::Null, literal: expression.to_owned() }
}

/// The reviewable script: a header that says what it does, then the commands by phase, each
/// preceded by its reason. UTF-8 with BOM and CRLF so Windows PowerShell 5.1 reads Japanese.
pub fn script(commands: &[RemediationCommand], generated: Timestamp, lang: Lang) -> String {
    let mut s = String::from("\u{feff}");
    let nl = "\r\n";
    let _ = write!(s, "<#{nl}.SYNOPSIS{nl}    {}{nl}", text("script.synopsis", lang));
    let _ = write!(s, ".DESCRIPTION{nl}");
    let desc = format("script.description", lang, &[("count", &commands.len()), ("date", &generated)]);
    for line in desc.lines() {
        let _ = write!(s, "    {line}{nl}");
    }
    let _ = write!(s, "#>{nl}#Requires -Version 5.1{nl}# {}{nl}", text("script.connect", lang));
    for (phase, key) in [(Phase::Now, "script.phase_now"), (Phase::AfterMigration, "script.phase_after")] {
        let in_phase: Vec<&RemediationCommand> = commands.iter().filter(|c| c.phase == phase).collect();
        if in_phase.is_empty() {
            continue;
        }
        let _ = write!(s, "{nl}# ===== {} ====={nl}", text(key, lang));
        for c in in_phase {
            let _ = write!(s, "{nl}# {}: {}{nl}{}{nl}", comment_text(&c.target), comment_text(&c.reason), c.command);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_cannot_break_out() {
        assert_eq!(ps_quote("o'brien@c.jp"), "'o''brien@c.jp'");
        assert_eq!(ps_quote("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
        assert_eq!(ps_quote("x'; Remove-Mailbox y\n#"), "'x''; Remove-Mailbox y #'");
    }

    #[test]
    fn every_line_has_whatif_and_header_says_what_it_does() {
        let c = vec![
            RemediationCommand::new(
                Phase::Now,
                "a'b\r\nSet-Mailbox evil",
                "Set-CASMailbox",
                vec![str_param("Identity", "a'b"), bool_param("PopEnabled", false)],
                "unused".into(),
            ),
            RemediationCommand::new(Phase::AfterMigration, "tenant", "Set-TransportConfig", vec![], "later".into()),
        ];
        let s = script(&c, Timestamp::from_civil(2026, 11, 25, 0, 0, 0, 0), Lang::En);
        assert!(s.starts_with("\u{feff}<#"));
        assert!(s.contains("\r\n"));
        for line in s.lines().filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(' ')) {
            if line.starts_with('.') || line.starts_with("<#") || line.starts_with('\u{feff}') {
                continue;
            }
            assert!(line.ends_with(" -WhatIf"), "{line:?}");
        }
        assert!(s.contains("Set-CASMailbox -Identity 'a''b' -PopEnabled $false -WhatIf"));
        assert!(!s.lines().any(|l| l.starts_with("Set-Mailbox")), "{s}");
    }
}
