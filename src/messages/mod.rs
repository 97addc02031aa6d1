//! The one message catalogue: every user-facing sentence in English and Japanese, looked up by
//! a stable key. The CLI, the C ABI (error messages, findings) and the PowerShell module's
//! string tables (generated from here; see `catalogue.rs`) all read it.

mod catalogue;
pub mod psd1;

use serde::{Deserialize, Serialize};

pub use catalogue::MESSAGES;

/// Output language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(alias = "en-US", alias = "en", alias = "En")]
    En,
    #[serde(alias = "ja-JP", alias = "ja", alias = "Ja")]
    Ja,
}

impl Lang {
    /// From a culture name (`ja-JP`, `ja`, `en-US`, …) or a POSIX locale (`ja_JP.UTF-8`).
    /// Anything not Japanese is English, including the invariant culture.
    pub fn from_culture(c: &str) -> Lang {
        if c.trim().to_ascii_lowercase().starts_with("ja") { Lang::Ja } else { Lang::En }
    }

    /// From the environment (`EXAUTH_LANG`, then `LC_ALL`, `LC_MESSAGES`, `LANG`).
    pub fn from_env() -> Lang {
        ["EXAUTH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .map_or(Lang::En, |s| Lang::from_culture(&s))
    }

    pub fn culture(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::Ja => "ja-JP",
        }
    }
}

/// One catalogue entry.
#[derive(Debug)]
pub struct Message {
    pub key: &'static str,
    pub en: &'static str,
    pub ja: &'static str,
}

/// The text of `key` in `lang`. An unknown key returns the key itself, so a missing entry is
/// visible instead of silent (a test checks every key used exists).
pub fn text(key: &str, lang: Lang) -> &str {
    match MESSAGES.iter().find(|m| m.key == key) {
        Some(m) => match lang {
            Lang::En => m.en,
            Lang::Ja => m.ja,
        },
        None => key,
    }
}

/// `text` with `{name}` placeholders replaced.
pub fn format(key: &str, lang: Lang, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut s = text(key, lang).to_owned();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), &value.to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages_and_unique_keys() {
        let mut keys = std::collections::HashSet::new();
        for m in MESSAGES {
            assert!(keys.insert(m.key), "duplicate key {}", m.key);
            assert!(!m.en.trim().is_empty() && !m.ja.trim().is_empty(), "{} is missing a language", m.key);
            let ph = |s: &str| {
                let mut v: Vec<String> =
                    s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|x| x.0.to_owned())).collect();
                v.sort();
                v
            };
            assert_eq!(ph(m.en), ph(m.ja), "{}: placeholders differ between en and ja", m.key);
        }
    }

    /// Every key the code names literally (`format("…"`, `text("…"`, `msg("…"`, `say("…"`)
    /// is in the catalogue: a missing one would print the key itself to the user.
    #[test]
    fn keys_named_in_the_code_exist() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let is_key = |k: &str| {
            k.starts_with(|c: char| c.is_ascii_lowercase())
                && k.contains('.')
                && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._".contains(&b))
        };
        let mut named = 0;
        for file in files {
            let code = std::fs::read_to_string(&file).unwrap();
            for marker in ["format(\"", "text(\"", "msg(\"", "say(\""] {
                for (at, _) in code.match_indices(marker) {
                    let rest = &code[at + marker.len()..];
                    let key = &rest[..rest.find('"').unwrap_or(0)];
                    if is_key(key) && key != "a.b" {
                        named += 1;
                        assert!(
                            MESSAGES.iter().any(|m| m.key == key),
                            "{}: '{key}' is not in the catalogue",
                            file.display()
                        );
                    }
                }
            }
        }
        assert!(named > 150, "the scan found the keys ({named})");
    }

    #[test]
    fn catalogue_migration_keys_exist() {
        for a in crate::catalogue::CATALOGUE {
            assert_ne!(text(a.migrate_to_key, Lang::En), a.migrate_to_key);
        }
    }

    #[test]
    fn culture_names() {
        assert_eq!(Lang::from_culture("ja-JP"), Lang::Ja);
        assert_eq!(Lang::from_culture("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::from_culture(""), Lang::En);
        assert_eq!(Lang::from_culture("de-DE"), Lang::En);
    }
}
