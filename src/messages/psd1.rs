//! The PowerShell module's string tables, generated from the `ps.` entries of the catalogue so
//! there is one catalogue: `exauth messages --psd1 --culture ja-JP` writes
//! `powershell/ja-JP/ExchangeAuthTools.Strings.psd1` (and en-US), and the en-US table is also
//! embedded in the module's `data` block. `tests/powershell_static.rs` fails when the checked-in
//! files differ from what this produces.

use super::{Lang, MESSAGES, text};

/// Prefix of the catalogue keys that belong to the PowerShell module.
pub const PS_PREFIX: &str = "ps.";

/// The `@{ Key = 'text' … }` hashtable of every `ps.` message in `lang` (keys without the prefix,
/// sorted as in the catalogue), as PowerShell restricted-language source.
pub fn ps_hashtable(lang: Lang) -> String {
    let mut s = String::from("@{\n");
    for m in MESSAGES.iter().filter(|m| m.key.starts_with(PS_PREFIX)) {
        let key = &m.key[PS_PREFIX.len()..];
        s.push_str(&format!("    {key} = '{}'\n", text(m.key, lang).replace('\'', "''")));
    }
    s.push('}');
    s
}

/// A complete `.psd1` data file for `Import-LocalizedData` (without the UTF-8 BOM, which the
/// writer adds: Windows PowerShell 5.1 reads BOM-less files as the ANSI code page).
pub fn psd1(lang: Lang) -> String {
    format!(
        "# {} strings of the ExchangeAuthTools module. GENERATED from src/messages by\n# `exauth messages --psd1 --culture {} --output <this file>`: do not edit by hand.\n{}\n",
        lang.culture(),
        lang.culture(),
        ps_hashtable(lang)
    )
}

/// The bytes of a checked-in `.psd1` string table: UTF-8 BOM + [`psd1`].
pub fn file_bytes(lang: Lang) -> Vec<u8> {
    let mut b = "\u{feff}".as_bytes().to_vec();
    b.extend_from_slice(psd1(lang).as_bytes());
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled_and_keys_are_bare_words() {
        let t = ps_hashtable(Lang::En);
        assert!(t.starts_with("@{\n") && t.ends_with('}'));
        for line in t.lines().skip(1).filter(|l| l.contains(" = ")) {
            let (key, value) = line.trim().split_once(" = ").expect("key = value");
            assert!(key.chars().all(|c| c.is_ascii_alphanumeric()), "{key}");
            let inner = &value[1..value.len() - 1];
            assert!(value.starts_with('\'') && value.ends_with('\''), "{line}");
            assert!(!inner.replace("''", "").contains('\''), "unescaped quote in {line}");
        }
        assert!(psd1(Lang::Ja).contains("LoaderAbiMismatch = '"));
    }

    #[test]
    fn no_typographic_quotes_in_module_strings() {
        // PowerShell treats U+2018..U+201E as quote characters: they would end the string.
        for m in MESSAGES.iter().filter(|m| m.key.starts_with(PS_PREFIX)) {
            for s in [m.en, m.ja] {
                assert!(
                    !s.contains(['\u{2018}', '\u{2019}', '\u{201a}', '\u{201b}', '\u{201c}', '\u{201d}', '\u{201e}']),
                    "{}",
                    m.key
                );
            }
        }
    }
}
