//! Snippets for chapter 11, compiled and run by `cargo test` (tests/book.rs).

use std::io::ErrorKind;
use std::os::unix::net::UnixDatagram;

#[test]
fn unnamed_sender() {
    let dir = std::env::temp_dir().join(format!("netlings-book-ch11-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server_path = dir.join("server.sock");
    // ANCHOR: unnamed_sender
    let server = UnixDatagram::bind(&server_path).unwrap();

    // A client that never bound a path can send...
    let anonymous = UnixDatagram::unbound().unwrap();
    anonymous.send_to(b"hello?", &server_path).unwrap();

    // ...but arrives with no address at all,
    let mut buf = [0; 64];
    let (_, from) = server.recv_from(&mut buf).unwrap();
    assert!(from.is_unnamed());
    assert_eq!(from.as_pathname(), None);

    // so there is nowhere to send the answer.
    let err = server.send_to_addr(b"hi", &from).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput); // EINVAL on Linux
    // ANCHOR_END: unnamed_sender
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn by_path() {
    // ANCHOR: by_path
    /// A trait whose method has the same name as a method `String` already has.
    trait Size {
        fn len(&self) -> usize;
    }

    impl Size for String {
        fn len(&self) -> usize {
            // The type's own method, called by its path: unmistakably not this one.
            String::len(self)
        }
    }

    let s = String::from("four");
    assert_eq!(s.len(), 4); // the inherent method: it wins over the trait's
    assert_eq!(Size::len(&s), 4); // the trait's, asked for by name
    // ANCHOR_END: by_path
}

#[test]
fn associated_type() {
    // ANCHOR: associated_type
    use std::fmt::Debug;

    /// Each implementation names its own key type, once.
    trait Store {
        type Key: Debug + Clone;
        fn first_key(&self) -> Option<Self::Key>;
    }

    impl Store for Vec<&str> {
        type Key = usize; // a position
        fn first_key(&self) -> Option<usize> {
            (!self.is_empty()).then_some(0)
        }
    }

    /// Generic code handles keys without knowing what they are: `S::Key`.
    fn describe<S: Store>(store: &S) -> String {
        format!("{:?}", store.first_key())
    }

    assert_eq!(describe(&vec!["a", "b"]), "Some(0)");
    // ANCHOR_END: associated_type
}
