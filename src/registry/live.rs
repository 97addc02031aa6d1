//! The live registry on Windows, behind [`RegistrySource`](super::model::RegistrySource).
//!
//! Kept tiny and read-only (`RegOpenKeyExW` / `RegQueryValueExW` / `RegEnumKeyExW` from
//! `windows-sys`); writing is the PowerShell module's job (`Enable-OutlookModernAuth` with
//! ShouldProcess), so nothing here can change a machine. [`profiles`] lists the current user
//! or, with `all` (elevated), every loaded profile under `HKEY_USERS`.
//! On other platforms [`profiles`] returns an error naming the platform.

use super::rules::Origin;

/// A profile of the live registry: its origin and (on Windows) the open view.
pub struct LiveProfile {
    pub origin: Origin,
    #[cfg(windows)]
    pub view: imp::LiveView,
}

#[cfg(not(windows))]
pub fn profiles(_all: bool) -> Result<Vec<LiveProfile>, String> {
    Err(format!(
        "the live registry is only available on Windows (this is {}); read .reg exports or NTUSER.DAT hives instead",
        std::env::consts::OS
    ))
}

#[cfg(windows)]
pub fn profiles(all: bool) -> Result<Vec<LiveProfile>, String> {
    imp::profiles(all)
}

#[cfg(windows)]
pub mod imp {
    use windows_sys::Win32::Foundation::{ERROR_MORE_DATA, ERROR_SUCCESS};
    use windows_sys::Win32::System::Registry::{
        HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, HKEY_USERS, KEY_READ, RegCloseKey, RegEnumKeyExW, RegOpenKeyExW,
        RegQueryValueExW,
    };

    use super::super::model::{Hive, RegValue, RegistrySource};
    use super::{LiveProfile, Origin};

    fn wide(s: &str) -> Vec<u16> {
        s.encode_utf16().chain([0]).collect()
    }

    /// An open key, closed on drop.
    struct Key(HKEY);

    impl Drop for Key {
        fn drop(&mut self) {
            // SAFETY: the handle came from a successful RegOpenKeyExW and is closed once.
            unsafe { RegCloseKey(self.0) };
        }
    }

    fn open(parent: HKEY, path: &str) -> Option<Key> {
        let mut h: HKEY = std::ptr::null_mut();
        let p = wide(path);
        // SAFETY: `p` is NUL-terminated and outlives the call; `h` is written only on success.
        let rc = unsafe { RegOpenKeyExW(parent, p.as_ptr(), 0, KEY_READ, &mut h) };
        (rc == ERROR_SUCCESS).then_some(Key(h))
    }

    fn subkey_names(k: &Key) -> Vec<String> {
        let mut out = Vec::new();
        let mut buf = [0u16; 256]; // key names are at most 255 characters
        for i in 0.. {
            let mut len = buf.len() as u32;
            // SAFETY: `buf` has `len` u16s; optional out-pointers are null.
            let rc = unsafe {
                RegEnumKeyExW(
                    k.0,
                    i,
                    buf.as_mut_ptr(),
                    &mut len,
                    std::ptr::null(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                )
            };
            if rc != ERROR_SUCCESS {
                break;
            }
            out.push(String::from_utf16_lossy(&buf[..len as usize]));
        }
        out
    }

    fn query(k: &Key, name: &str) -> Option<RegValue> {
        let n = wide(name);
        let mut kind = 0u32;
        let mut len = 0u32;
        // SAFETY: first call asks only for type and size.
        let rc =
            unsafe { RegQueryValueExW(k.0, n.as_ptr(), std::ptr::null(), &mut kind, std::ptr::null_mut(), &mut len) };
        if rc != ERROR_SUCCESS && rc != ERROR_MORE_DATA {
            return None;
        }
        let mut data = vec![0u8; len as usize];
        // SAFETY: `data` has `len` bytes.
        let rc = unsafe { RegQueryValueExW(k.0, n.as_ptr(), std::ptr::null(), &mut kind, data.as_mut_ptr(), &mut len) };
        if rc != ERROR_SUCCESS {
            return None;
        }
        data.truncate(len as usize);
        Some(RegValue::from_raw(kind, &data))
    }

    /// One profile's view: its user root (HKCU or HKEY_USERS\<SID>) and HKLM.
    pub struct LiveView {
        user: Key,
    }

    impl LiveView {
        fn root(&self, hive: Hive) -> HKEY {
            match hive {
                Hive::CurrentUser => self.user.0,
                Hive::LocalMachine => HKEY_LOCAL_MACHINE,
            }
        }
    }

    impl RegistrySource for LiveView {
        fn value(&self, hive: Hive, key: &str, name: &str) -> Option<RegValue> {
            query(&open(self.root(hive), key)?, name)
        }
        fn key_exists(&self, hive: Hive, key: &str) -> bool {
            open(self.root(hive), key).is_some()
        }
        fn subkeys(&self, hive: Hive, key: &str) -> Vec<String> {
            open(self.root(hive), key).map(|k| subkey_names(&k)).unwrap_or_default()
        }
    }

    pub fn profiles(all: bool) -> Result<Vec<LiveProfile>, String> {
        let machine = std::env::var("COMPUTERNAME").unwrap_or_else(|_| "localhost".into());
        let mut out = Vec::new();
        if all {
            // Every loaded user profile (readable when elevated); the current user is one of
            // them, so HKCU is not listed a second time.
            if let Some(users) = open(HKEY_USERS, "") {
                for sid in subkey_names(&users) {
                    let s = sid.to_ascii_lowercase();
                    if !s.starts_with("s-1-5-21-") || s.ends_with("_classes") {
                        continue;
                    }
                    if let Some(k) = open(HKEY_USERS, &sid) {
                        let origin = Origin { machine: machine.clone(), profile: sid, file: String::new() };
                        out.push(LiveProfile { origin, view: LiveView { user: k } });
                    }
                }
            }
        }
        if out.is_empty() {
            let user = open(HKEY_CURRENT_USER, "").ok_or("cannot open HKEY_CURRENT_USER")?;
            let me = std::env::var("USERNAME").unwrap_or_else(|_| "HKCU".into());
            out.push(LiveProfile {
                origin: Origin { machine, profile: me, file: String::new() },
                view: LiveView { user },
            });
        }
        Ok(out)
    }
}
