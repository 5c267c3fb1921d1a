//! Tables of cases, one line per input, built for snapshots: one failing case never hides the
//! others.

use std::cell::Cell;
use std::fmt::{self, Debug, Display};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use super::deadline::panic_message;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, catching a panic without the default hook printing it: a table catches one panic
/// per row and shows it in the table instead.
fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| panic_message(payload.as_ref()))
}

/// A table of cases: one line per input, `call => result`, built for snapshots.
///
/// Each row runs on its own and a panic (a `todo!()`, an `unwrap` on bad input) becomes that
/// row's result, so one failing case does not hide the others and the snapshot diff shows
/// exactly which inputs are wrong.
#[derive(Default)]
pub struct Table {
    rows: Vec<(String, String)>,
}

impl Table {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one case: `call` is how the row is labelled (`parse_ip("1.2.3.4")`), `f` computes
    /// the result, shown with `{:?}`.
    pub fn row<O: Debug>(&mut self, call: impl Display, f: impl FnOnce() -> O) -> &mut Self {
        let result = match catch_quietly(f) {
            Ok(out) => format!("{out:?}"),
            Err(message) => format!("PANIC: {message}"),
        };
        self.rows.push((call.to_string(), result));
        self
    }

    /// The number of rows whose call panicked.
    pub fn panics(&self) -> usize {
        self.rows
            .iter()
            .filter(|(_, r)| r.starts_with("PANIC: "))
            .count()
    }
}

impl Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .rows
            .iter()
            .map(|(c, _)| c.chars().count())
            .max()
            .unwrap_or(0);
        for (call, result) in &self.rows {
            writeln!(f, "{call:<width$} => {result}")?;
        }
        Ok(())
    }
}
