//! A minimal LMTP client (RFC 2033) for tests: drops a message straight into a
//! local mailbox (e.g. Dovecot's LMTP listener from `scripts/mailservers.sh`),
//! as a mail server would after accepting it.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// Time limit for each step (connect, each command, the data transfer).
const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// Delivers `raw` to one recipient over LMTP at `addr` (`host:port`):
/// LHLO, MAIL FROM, RCPT TO, DATA (CRLF line endings, dot-stuffed), QUIT.
/// An empty `from` sends the null sender `<>`. Any reply other than 2xx/3xx,
/// a closed connection or a step over 30 s is an error.
pub async fn deliver(addr: &str, from: &str, to: &str, raw: &[u8]) -> io::Result<()> {
    let stream = within("connecting", TcpStream::connect(addr)).await?;
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);

    expect(&mut read, "greeting").await?;
    command(&mut write, &mut read, "LHLO rapport.test\r\n", "LHLO").await?;
    command(&mut write, &mut read, &format!("MAIL FROM:<{from}>\r\n"), "MAIL FROM").await?;
    command(&mut write, &mut read, &format!("RCPT TO:<{to}>\r\n"), "RCPT TO").await?;
    command(&mut write, &mut read, "DATA\r\n", "DATA").await?;
    within("sending data", write.write_all(&dot_stuff(raw))).await?;
    // LMTP answers once per accepted recipient: one here.
    expect(&mut read, "end of data").await?;
    let _ = command(&mut write, &mut read, "QUIT\r\n", "QUIT").await;
    Ok(())
}

/// Runs one step under [`STEP_TIMEOUT`].
async fn within<T>(what: &str, fut: impl std::future::Future<Output = io::Result<T>>) -> io::Result<T> {
    match timeout(STEP_TIMEOUT, fut).await {
        Ok(r) => r,
        Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, format!("LMTP: no answer within {STEP_TIMEOUT:?} while {what}"))),
    }
}

/// Sends one command line and checks its reply.
async fn command(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    line: &str,
    what: &str,
) -> io::Result<()> {
    within(what, write.write_all(line.as_bytes())).await?;
    expect(read, what).await
}

/// Reads one (possibly multi-line) reply and fails unless it is 2xx or 3xx.
async fn expect(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, what: &str) -> io::Result<()> {
    let mut reply = String::new();
    loop {
        let mut line = String::new();
        let n = within(what, read.read_line(&mut line)).await?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, format!("LMTP {what}: connection closed (after {reply:?})")));
        }
        reply.push_str(&line);
        // "250-..." continues a reply, "250 ..." (or a bare "250") ends it.
        if line.as_bytes().get(3) != Some(&b'-') {
            break;
        }
    }
    match reply.as_bytes().first() {
        Some(b'2' | b'3') => Ok(()),
        _ => Err(io::Error::other(format!("LMTP {what} refused: {}", reply.trim_end()))),
    }
}

/// The DATA payload: CRLF line endings, a leading `.` doubled on every line,
/// a final CRLF if missing, then the `.` terminator line.
fn dot_stuff(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 32 + 5);
    let mut at_line_start = true;
    for (i, &b) in raw.iter().enumerate() {
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        if b == b'\n' && (i == 0 || raw[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
        at_line_start = b == b'\n';
    }
    if !out.ends_with(b"\r\n") {
        if out.ends_with(b"\r") {
            out.push(b'\n');
        } else {
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_stuffing_and_line_endings() {
        assert_eq!(dot_stuff(b"a\r\n.b\r\n"), b"a\r\n..b\r\n.\r\n");
        assert_eq!(dot_stuff(b".x\n.\nend"), b"..x\r\n..\r\nend\r\n.\r\n");
        assert_eq!(dot_stuff(b""), b"\r\n.\r\n");
    }
}
