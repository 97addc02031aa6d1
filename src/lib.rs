//! ExchangeAuthTools: find and remove Basic (legacy) authentication in Exchange Online.
//!
//! Data flows one way through the modules below:
//!
//! ```text
//! signin (sources → typed SignIn records)
//!   → analysis (classification, filters, summaries, spray detection)
//!   → findings (catalogue-backed rules)
//!   → presentation (cli, ops/ffi for PowerShell, report)
//! ```
//!
//! The `ops` module is the one JSON request/response contract: the `exauth` CLI, the C ABI
//! used by the PowerShell module, and the tests all call operations through it.

pub mod analysis;
pub mod catalogue;
pub mod cli;
pub mod demo;
pub mod error;
pub mod exo;
pub mod exposure;
pub mod fetch;
pub mod ffi;
pub mod findings;
pub mod guardrails;
pub mod messages;
pub mod ops;
pub mod registry;
pub mod report;
pub mod signin;
pub mod time;

pub use error::{Error, Result};
