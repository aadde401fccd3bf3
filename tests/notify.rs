//! Freshness and alerts: a stale source fails the run (or warns), and the
//! summary reaches a real HTTP server and a real SMTP server on 127.0.0.1,
//! started here; nothing personal is in either.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use crate::common::{Project, copy_tree, repo};

/// An HTTP server that answers one request with 200: its URL, and the
/// request (head and body) once it came.
fn http_server() -> (String, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let (head, body) = crate::common::read_http_request(&stream);
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .unwrap();
        format!("{head}{}", String::from_utf8(body).unwrap())
    });
    (url, handle)
}

/// An SMTP server (RFC 5321's minimum: EHLO, MAIL, RCPT, DATA, QUIT) for one
/// message: its port, and the session as the client wrote it.
fn smtp_server() -> (u16, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut out = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let mut said = String::new();
        out.write_all(b"220 localhost test SMTP\r\n").unwrap();
        let mut in_data = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 {
                break;
            }
            said.push_str(&line);
            let reply: &[u8] = if in_data {
                if line == ".\r\n" {
                    in_data = false;
                    b"250 queued\r\n"
                } else {
                    continue;
                }
            } else {
                match line.get(..4).map(str::to_ascii_uppercase).as_deref() {
                    Some("EHLO") | Some("HELO") => b"250 localhost\r\n",
                    Some("DATA") => {
                        in_data = true;
                        b"354 end with a dot\r\n"
                    }
                    Some("QUIT") => {
                        out.write_all(b"221 bye\r\n").unwrap();
                        break;
                    }
                    _ => b"250 ok\r\n",
                }
            };
            out.write_all(reply).unwrap();
        }
        said
    });
    (port, handle)
}

/// The sample's first drop only: its newest drop is 2026-06-09.
fn project(webhook: &str, smtp_port: u16) -> Project {
    let p = Project::temp();
    copy_tree(
        &repo().join("fixtures/drops/2026-06-09"),
        &p.path("drops/2026-06-09"),
    );
    let mut config = std::fs::read_to_string(p.path("homeward.toml")).unwrap();
    config.push_str(&format!(
        "[alerts]\nwarn_after_days = 2\nerror_after_days = 7\n\
         [notify]\nwebhook_url = \"{webhook}\"\n\
         [notify.email]\nsmtp_host = \"127.0.0.1\"\nsmtp_port = {smtp_port}\ntls = \"none\"\n\
         from = \"homeward@example.org\"\nto = [\"data-team@example.org\"]\n"
    ));
    std::fs::write(p.path("homeward.toml"), config).unwrap();
    p
}

/// Names and dates of birth of the drop: none may be in a notification.
const PERSONAL: [&str; 4] = ["Ibrahima Rahimi", "Oumar Rahimi", "1976-11-14", "C0000001"];

#[test]
fn a_stale_source_fails_the_run_and_reaches_the_webhook_and_the_mailbox() {
    let (url, http) = http_server();
    let (port, smtp) = smtp_server();
    let p = project(&url, port);
    // Three weeks after the newest drop: over error_after_days.
    let out = p.homeward(&["run", "--as-of", "2026-06-30"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.lines().last().unwrap().contains("stale source"),
        "{}",
        out.stderr
    );
    let run = p.run_json("2026-06-30");
    assert_eq!(run["status"], "failed");
    assert_eq!(run["alerts"][0]["check"], "freshness");
    assert_eq!(run["alerts"][0]["level"], "error");
    // Everything was committed: the reports exist, with the warning.
    let index = std::fs::read_to_string(p.path("out/2026-06-30/index.html")).unwrap();
    assert!(index.contains("The data may be out of date"), "{index}");

    let request = http.join().unwrap();
    assert!(request.starts_with("POST /hook HTTP/1.1"), "{request}");
    let body: serde_json::Value =
        serde_json::from_str(request.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["status"], "failed");
    assert_eq!(body["as_of"], "2026-06-30");
    assert_eq!(body["alerts"][0]["check"], "freshness");
    assert!(
        body["alerts"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2026-06-09, 21 days before"),
        "{body}"
    );
    let mail = smtp.join().unwrap();
    assert!(mail.contains("MAIL FROM:<homeward@example.org>"), "{mail}");
    assert!(mail.contains("RCPT TO:<data-team@example.org>"), "{mail}");
    assert!(
        mail.contains("Subject: Homeward run 2026-06-30 failed: stale source"),
        "{mail}"
    );
    for secret in PERSONAL {
        assert!(!request.contains(secret), "{secret} in the webhook call");
        assert!(!mail.contains(secret), "{secret} in the email");
    }
}

#[test]
fn a_source_a_little_late_warns_and_a_fresh_one_sends_nothing() {
    let (url, http) = http_server();
    let (port, smtp) = smtp_server();
    let p = project(&url, port);
    // Three days after the drop: over warn_after_days only.
    let out = p.homeward(&["run", "--as-of", "2026-06-12"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let run = p.run_json("2026-06-12");
    assert_eq!(run["status"], "warned");
    assert_eq!(run["alerts"][0]["level"], "warn");
    let request = http.join().unwrap();
    assert!(request.contains("\"status\":\"warned\""), "{request}");
    assert!(smtp.join().unwrap().contains("warned"));

    // The next day's run on fresh data succeeds, and nobody is called: no
    // server listens now, so a call would be a warning in run.json.
    let out = p.homeward(&["run", "--as-of", "2026-06-10"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let run = p.run_json("2026-06-10");
    assert_eq!(run["status"], "succeeded");
    assert_eq!(run["alerts"], serde_json::json!([]));
    assert!(
        !run["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("notify")),
        "{run}"
    );
}
