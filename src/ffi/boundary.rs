//! The panic boundary: every `extern "C"` function runs its body through [`catch`], so a bug
//! becomes `EAT_PANIC` plus an error body instead of unwinding into (and aborting) the host's
//! process, e.g. the admin's PowerShell session.
//!
//! The panic hook is chained, not replaced: inside a boundary it only records where the panic
//! happened (for the error body: a bug report needs the location); outside one (the CLI, other
//! host code) the previous hook runs as before.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::Error;

thread_local! {
    /// How many boundaries this thread is inside (exports do not nest today, but may).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// `file:line:column` of the last panic caught on this thread.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let inside = DEPTH.try_with(Cell::get).unwrap_or(0) > 0;
            if inside {
                let at = info.location().map(|l| l.to_string());
                let _ = LOCATION.try_with(|l| *l.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Run `f`; a panic becomes [`Error::Internal`] naming the panic message and its location.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Error> {
    install_hook();
    DEPTH.with(|d| d.set(d.get() + 1));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    r.map_err(|payload| {
        let at = LOCATION.with(|l| l.borrow_mut().take());
        Error::from_panic(payload.as_ref(), at.as_deref())
    })
}

/// Run `f`; on a panic return `fallback` (for exports that have no status to return).
pub fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch(f).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_with_its_location() {
        let e = catch(|| -> u32 { panic!("boom {}", 42) }).unwrap_err();
        assert_eq!(e.code(), "internal");
        let msg = e.to_string();
        assert!(msg.contains("boom 42"), "{msg}");
        assert!(msg.contains("boundary.rs"), "location missing: {msg}");
        assert_eq!(catch(|| 7).unwrap(), 7);
        assert_eq!(guard(0, || -> u32 { panic!("x") }), 0);
        DEPTH.with(|d| assert_eq!(d.get(), 0));
    }
}
