//! Step 5.1 · `split-host-port` — Go's `SplitHostPort`: where the host ends and the port begins.
//!
//! Read: chapter 5, "Step 1" (book/src/ch05_tcp_addr.md).
//! Check: `cargo run -- check split-host-port`
//!
//! `AddrError` comes from the library (`netlings::support::tcp_addr`).

use netlings::support::tcp_addr::AddrError;

// ANCHOR: contract
/// Go's `SplitHostPort`: `host:port`, `[host]:port` or `[host%zone]:port` into host (brackets
/// removed) and port. Neither part is checked beyond the punctuation: `":80"` gives an empty
/// host, `"localhost:"` an empty port, and `"[localhost]:80"` gives `localhost`.
///
/// The errors are `AddrError::Syntax { address, problem }`, with Go's words for the problem:
/// - `"missing port in address"`: no colon at all (`localhost`), nothing after the `]`
///   (`[::1]`), or something else than a colon right after it (`[::1]80`);
/// - `"too many colons in address"`: colons in a host without brackets (`::1:80`), or another
///   colon after the `]` (`[::1]:80:90`);
/// - `"missing ']' in address"`: a `[` that is never closed (`[::1:80`);
/// - `"unexpected '[' in address"` and `"unexpected ']' in address"`: a bracket anywhere else
///   (`a[b]:80`, `host:80]`).
pub fn split_host_port(address: &str) -> Result<(&str, &str), AddrError> {
    // TODO: the port follows the last ':'. A host starting with '[' ends at the first ']',
    // which must come right before that colon.
    todo!("split_host_port({address:?})")
}
// ANCHOR_END: contract
