//! The resume file of a Graph fetch: which slices are finished, and for each unfinished one
//! the `@odata.nextLink` of its last complete page (or the narrowed window to re-query), plus
//! the length of the output file after that page, so a resumed run truncates a half-written
//! page and neither loses nor repeats a record.
//!
//! It never contains a token, a secret or an `Authorization` header: only URLs of the service
//! (whose `$skiptoken` is a paging cursor, not a credential), times and counts. Written
//! atomically (temporary file + rename) after every page.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

pub const VERSION: u32 = 1;

/// One slice: a time window × sign-in event type × optional client-app value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SliceState {
    pub id: u64,
    /// Inclusive lower bound.
    pub since: Timestamp,
    /// Exclusive upper bound.
    pub until: Timestamp,
    /// `interactiveUser` / `nonInteractiveUser`.
    pub event_type: String,
    /// A `clientAppUsed` value the query is restricted to (legacy-only fetch), if any.
    pub client_app: Option<String>,
    pub done: bool,
    /// The next page to request (`@odata.nextLink` of the last complete page).
    pub next_link: Option<String>,
    /// After a restart or split: the re-query covers `[since, upper]` (inclusive) instead.
    /// (Graph's own `createdDateTime` text, 7 fractional digits: exact, unlike a parsed time.)
    pub upper: Option<String>,
    /// Ids already delivered at exactly `upper` (a re-query returns them again).
    #[serde(default)]
    pub boundary_ids: Vec<String>,
    /// `createdDateTime` text of the oldest record delivered so far.
    #[serde(default)]
    pub oldest: Option<String>,
    pub records: u64,
    pub pages: u64,
}

/// The whole resume file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checkpoint {
    pub version: u32,
    /// What was asked (base URL, window, filter); a resume with different parameters is refused.
    pub request: String,
    pub slices: Vec<SliceState>,
    /// Length of the output file after the last complete page (0 without --out).
    pub output_len: u64,
    pub next_id: u64,
}

impl Checkpoint {
    pub fn load(path: &Path) -> crate::Result<Checkpoint> {
        let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
        let c: Checkpoint = serde_json::from_slice(&bytes).map_err(|e| crate::Error::InvalidInput {
            target: path.display().to_string(),
            message: format!("not an exauth checkpoint file: {e}"),
        })?;
        if c.version != VERSION {
            return Err(crate::Error::InvalidInput {
                target: path.display().to_string(),
                message: format!("checkpoint version {} is not supported (expected {VERSION})", c.version),
            });
        }
        Ok(c)
    }

    /// Write atomically: a crash leaves either the old or the new file, never half of one.
    pub fn save(&self, path: &Path) -> crate::Result<()> {
        let tmp: PathBuf = path.with_extension("tmp");
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| crate::Error::Internal(e.to_string()))?;
        std::fs::write(&tmp, bytes).map_err(|e| crate::Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| crate::Error::io(path, e))
    }

    pub fn remaining(&self) -> usize {
        self.slices.iter().filter(|s| !s.done).count()
    }

    pub fn is_complete(&self) -> bool {
        self.remaining() == 0
    }
}
