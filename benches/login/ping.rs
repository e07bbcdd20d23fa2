//! Closed-loop load on `GET /ping`: `connections` keep-alive connections, one request in flight
//! on each, for a fixed time.
//!
//! The client is a few lines of HTTP/1.1 over blocking sockets rather than awc: on two cores the
//! client shares the CPU with the server, and the cheaper the client, the more of the measured
//! throughput is the server's own cost, where the middleware would show.

use std::{
    io::{Read as _, Write as _},
    net::{Ipv4Addr, TcpStream},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use super::procfs::Process;

/// One measurement: requests per second, and the server's CPU time per request.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub rps: f64,
    /// Server CPU ticks (user + system) per request.
    pub ticks_per_request: f64,
}

/// Sends `GET /ping` on `connections` connections to `port` for `duration`.
///
/// # Panics
/// On any answer other than `200 pong`: a failed request is a broken benchmark, not a figure.
pub fn run(port: u16, server: Process, connections: usize, duration: Duration) -> Run {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let streams: Vec<TcpStream> = (0..connections).map(|_| connect(port)).collect();
    let ticks_before = server.cpu_ticks();
    let started = Instant::now();
    let workers: Vec<_> = streams
        .into_iter()
        .map(|stream| {
            let (stop, done) = (Arc::clone(&stop), Arc::clone(&done));
            std::thread::spawn(move || drive(stream, port, &stop, &done))
        })
        .collect();
    std::thread::sleep(duration);
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().expect("a load thread");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ticks = server.cpu_ticks() - ticks_before;
    let requests = done.load(Ordering::Relaxed);
    Run {
        rps: requests as f64 / elapsed,
        ticks_per_request: ticks as f64 / requests.max(1) as f64,
    }
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect to the app");
    stream.set_nodelay(true).expect("TCP_NODELAY");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    stream
}

fn drive(mut stream: TcpStream, port: u16, stop: &AtomicBool, done: &AtomicU64) {
    let request = format!("GET /ping HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    let mut buffer = vec![0u8; 4096];
    let mut count = 0;
    while !stop.load(Ordering::Relaxed) {
        stream
            .write_all(request.as_bytes())
            .expect("send a request");
        read_response(&mut stream, &mut buffer);
        count += 1;
    }
    done.fetch_add(count, Ordering::Relaxed);
}

/// Reads one response whole and checks it is `200` with the body `pong`.
fn read_response(stream: &mut TcpStream, buffer: &mut [u8]) {
    let mut filled = 0;
    loop {
        let n = stream.read(&mut buffer[filled..]).expect("read a response");
        assert!(n > 0, "the app closed the connection");
        filled += n;
        let Some(head_end) = find(&buffer[..filled], b"\r\n\r\n") else {
            assert!(filled < buffer.len(), "response head too large");
            continue;
        };
        let head = std::str::from_utf8(&buffer[..head_end]).expect("an ASCII head");
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "unexpected answer: {head}"
        );
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                if name.eq_ignore_ascii_case("content-length") {
                    value.trim().parse().ok()
                } else {
                    None
                }
            })
            .expect("a Content-Length");
        let body_start = head_end + 4;
        if filled >= body_start + length {
            assert_eq!(&buffer[body_start..body_start + length], b"pong");
            assert_eq!(filled, body_start + length, "one response per request");
            return;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
