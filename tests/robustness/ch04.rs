//! Chapters 4 and 5: a services file named by the user is never trusted. A FIFO, a device that
//! never ends or a directory costs an error, never a hang or gigabytes of memory; and a numeric
//! port never opens the file at all.

use std::ffi::CString;
use std::path::PathBuf;
use std::time::Duration;

use netlings::harness::{run_program, within};
use netlings::support::tempdir::TempDir;

#[path = "../../solutions/ch04_services/3_services.rs"]
#[allow(dead_code)]
mod services;
#[path = "../../solutions/ch05_tcp_addr/4_tcp_addr.rs"]
#[allow(dead_code)]
mod tcp_addr;

fn fifo(dir: &TempDir) -> PathBuf {
    let path = dir.join("fifo");
    let c_path = CString::new(path.as_os_str().as_encoded_bytes()).expect("no NUL");
    // SAFETY: mkfifo with a NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    path
}

#[test]
fn services_answers_from_go_s_table_whatever_the_file_is() {
    let dir = TempDir::new("rob-svc").expect("a temporary directory");
    let fifo = fifo(&dir).display().to_string();
    let root = dir.path().display().to_string();
    for file in [
        fifo,
        root,
        "/dev/zero".to_string(),
        "/dev/urandom".to_string(),
    ] {
        let shown = file.clone();
        let transcript = within(
            "services",
            &format!("services --file {file}"),
            Duration::from_secs(5),
            move || {
                let argv = ["services", "tcp", "https", "--file", &shown];
                run_program("services", &argv, services::run).to_string()
            },
        );
        assert!(
            transcript.contains("note: cannot read") && transcript.contains("Service port 443"),
            "--file {file}:\n{transcript}"
        );
    }
}

#[test]
fn tcp_addr_with_a_numeric_port_never_opens_the_services_file() {
    let dir = TempDir::new("rob-tcp").expect("a temporary directory");
    let fifo = fifo(&dir).display().to_string();
    let transcript = within(
        "tcp-addr",
        "tcp-addr with a FIFO as services file",
        Duration::from_secs(5),
        move || {
            let argv = ["tcp-addr", "tcp", "127.0.0.1:80", "--services", &fifo];
            run_program("tcp-addr", &argv, tcp_addr::run).to_string()
        },
    );
    assert!(transcript.contains("127.0.0.1:80"), "{transcript}");
}
