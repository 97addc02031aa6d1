//! Outlook / Office modern-authentication settings in the Windows registry: read them from
//! any source, check them against the rules, and write the fix.
//!
//! - [`model`]: typed values, the [`RegistrySource`] trait the rules read through, in-memory hives.
//! - [`regfile`]: `.reg` reader (regedit 5 UTF-16LE/CRLF, REGEDIT4, UTF-8) and writer.
//! - [`hive`]: offline hives (`NTUSER.DAT`, `SOFTWARE`) via the `notatin` crate.
//! - [`live`]: the live registry on Windows (current user, and other loaded profiles).
//! - [`rules`]: the versioned rule data (DOMAIN.md §5) and evaluation → [`crate::findings::Finding`].
//! - [`fleet`]: files and folders of many machines → one row per machine/profile.

pub mod fleet;
pub mod hive;
pub mod live;
pub mod model;
pub mod regfile;
pub mod rules;

pub use model::{Hive, MemHive, MemView, RegValue, RegistrySource};
