//! The machinery under every streaming [`super::Job`]: a worker thread producing items into a
//! bounded channel, a consumer taking them in batches, cancel honoured promptly on both sides,
//! and a drop that stops and joins the thread. Ops write only what the thread does.
//!
//! Guarantees:
//! - `next` waits for the first item but wakes every [`CANCEL_POLL`] to notice a cancel, so a
//!   consumer never stays blocked after a cancel, even when the producer is stuck in the OS;
//! - a panic on the worker thread becomes an [`crate::Error::Internal`] outcome, never a silent end;
//! - dropping the worker cancels it, unblocks a producer waiting on a full channel, and joins the
//!   thread if it stops within [`STOP_GRACE`] (else it is detached and stops at its next item:
//!   a reader stuck on a hung network share must not hang the host).

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::{Error, Result};

/// How often a waiting `next` looks at the cancel flag.
pub const CANCEL_POLL: Duration = Duration::from_millis(20);
/// How long a drop waits for the cancelled thread to stop before detaching it.
pub const STOP_GRACE: Duration = Duration::from_secs(1);

/// The producer's side: send items; `send` says `Break` (stop producing) once the job is
/// cancelled or dropped.
pub struct Producer<T> {
    tx: SyncSender<T>,
    cancel: Arc<AtomicBool>,
}

impl<T> Producer<T> {
    /// Hand one item over, waiting while the channel is full.
    pub fn send(&self, item: T) -> ControlFlow<()> {
        if self.cancelled() || self.tx.send(item).is_err() {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The flag [`Self::cancelled`] reads, for code that polls it itself.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }
}

/// A worker thread producing `T`s and finally a `Result<R>`.
pub struct Worker<T, R> {
    /// Locked for the whole of `next` (concurrent `next` calls take turns); nothing else takes
    /// it, so progress and summary never wait behind a blocked `next`.
    rx: Mutex<Receiver<T>>,
    /// Set by the thread just before it closes the channel.
    outcome: Arc<Mutex<Option<Result<R>>>>,
    cancel: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    /// Receives once when the thread is about to return.
    stopped: Mutex<Receiver<()>>,
}

impl<T: Send + 'static, R: Send + 'static> Worker<T, R> {
    /// Start `work` on a thread named `name`, with a channel of `capacity` items.
    pub fn spawn(
        name: &str,
        capacity: usize,
        cancel: Arc<AtomicBool>,
        work: impl FnOnce(&Producer<T>) -> Result<R> + Send + 'static,
    ) -> Result<Self> {
        let (tx, rx) = sync_channel(capacity);
        let (stopped_tx, stopped) = sync_channel(1);
        let outcome = Arc::new(Mutex::new(None));
        let producer = Producer { tx, cancel: cancel.clone() };
        let out = outcome.clone();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&producer)))
                    .unwrap_or_else(|payload| Err(Error::from_panic(payload.as_ref(), None)));
                if let Ok(mut o) = out.lock() {
                    *o = Some(r);
                }
                // Closing the channel after the outcome is stored tells the consumer to read it.
                drop(producer);
                let _ = stopped_tx.send(());
            })
            .map_err(|e| Error::Internal(format!("cannot start the {name} thread: {e}")))?;
        Ok(Worker { rx: Mutex::new(rx), outcome, cancel, thread: Some(thread), stopped: Mutex::new(stopped) })
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The next 1..=`max` items (waiting for the first), or `None` once the producer has
    /// finished and every item was taken; [`Error::Cancelled`] once cancelled.
    pub fn next(&self, max: usize) -> Result<Option<Vec<T>>> {
        if self.cancelled() {
            return Err(Error::Cancelled);
        }
        let rx = self.rx.lock().map_err(|_| Error::Internal("worker channel lock poisoned".into()))?;
        let first = loop {
            match rx.recv_timeout(CANCEL_POLL) {
                Ok(item) => break item,
                Err(_) if self.cancelled() => return Err(Error::Cancelled),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return Ok(None),
            }
        };
        let max = max.max(1);
        let mut batch = Vec::with_capacity(max.min(1024));
        batch.push(first);
        while batch.len() < max {
            match rx.try_recv() {
                Ok(item) => batch.push(item),
                Err(_) => break,
            }
        }
        Ok(Some(batch))
    }

    /// The producer's result, once (`None` before it finished or after it was taken).
    pub fn take_outcome(&self) -> Option<Result<R>> {
        self.outcome.lock().ok().and_then(|mut o| o.take())
    }
}

impl<T, R> Drop for Worker<T, R> {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        // Drop the receiver now (not after this function) so a producer blocked on a full
        // channel gets an error and returns.
        let (dead_tx, dead_rx) = sync_channel(0);
        drop(dead_tx);
        if let Ok(rx) = self.rx.get_mut() {
            drop(std::mem::replace(rx, dead_rx));
        }
        if let Some(thread) = self.thread.take()
            && self.stopped.get_mut().is_ok_and(|s| s.recv_timeout(STOP_GRACE).is_ok())
        {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag() -> Arc<AtomicBool> {
        Arc::new(AtomicBool::new(false))
    }

    #[test]
    fn items_come_in_bounded_batches_then_the_outcome() {
        let w = Worker::spawn("t", 8, flag(), |p: &Producer<u32>| {
            for i in 0..100 {
                if p.send(i).is_break() {
                    return Err(Error::Cancelled);
                }
            }
            Ok("done")
        })
        .unwrap();
        let mut got = Vec::new();
        while let Some(batch) = w.next(7).unwrap() {
            assert!(!batch.is_empty() && batch.len() <= 7);
            got.extend(batch);
        }
        assert_eq!(got, (0..100).collect::<Vec<_>>());
        assert_eq!(w.take_outcome().unwrap().unwrap(), "done");
        assert!(w.take_outcome().is_none());
    }

    #[test]
    fn cancel_wakes_a_waiting_consumer_and_drop_stops_the_producer() {
        let cancel = flag();
        let w = Worker::spawn("t", 1, cancel.clone(), |p: &Producer<u32>| {
            // Fill the channel, then block on it until the job is dropped.
            while p.send(1).is_continue() {}
            Ok(())
        })
        .unwrap();
        assert_eq!(w.next(1).unwrap().unwrap(), vec![1]);
        let c = cancel.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            c.store(true, Ordering::Relaxed);
        });
        // The producer keeps the channel full, so drain until the flag is seen.
        let start = std::time::Instant::now();
        let err = loop {
            match w.next(1) {
                Ok(_) => continue,
                Err(e) => break e,
            }
        };
        t.join().unwrap();
        assert_eq!(err.code(), "cancelled");
        assert!(start.elapsed() < Duration::from_secs(1));
        let start = std::time::Instant::now();
        drop(w);
        assert!(start.elapsed() < STOP_GRACE, "the producer stopped and was joined");
    }

    #[test]
    fn a_panicking_producer_is_an_internal_error() {
        let w = Worker::spawn("t", 1, flag(), |_: &Producer<u32>| -> Result<()> { panic!("reader bug") }).unwrap();
        assert!(w.next(1).unwrap().is_none());
        let e = w.take_outcome().unwrap().unwrap_err();
        assert_eq!(e.code(), "internal");
        assert!(e.to_string().contains("reader bug"));
    }
}
