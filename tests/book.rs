//! The book's code: every snippet file is compiled (and its tests run) here, and every
//! `{{#include}}` in a chapter must point at a real file and a non-empty anchor.

// One module per chapter that has snippets of its own (book/snippets/chNN_name.rs).
#[path = "../book/snippets/ch01_ip.rs"]
mod ch01_ip;
