//! Running a program and measuring it: wall time (monotonic clock around spawn and wait),
//! CPU time and peak resident set size of the child (`wait4`'s `rusage`).

use std::io;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One run of a child process.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// From spawn to reaped.
    pub wall: Duration,
    /// User plus system CPU time of the child.
    pub cpu: Duration,
    /// Peak resident set size of the child, bytes.
    pub max_rss: u64,
}

/// Runs `cmd` to completion with stdout and stderr discarded; fails if it exits non-zero.
pub fn measure(cmd: &mut Command) -> io::Result<Sample> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let start = Instant::now();
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data, so all-zero is a valid value; `wait4` writes into
    // the two locals we pass and reaps the child we just spawned (`child` is not waited on
    // again; dropping a `Child` neither waits nor signals).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = loop {
        // SAFETY: see above.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == -1 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        break rc;
    };
    let wall = start.elapsed();
    drop(child);
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(io::Error::other(format!(
            "{cmd:?} failed (wait status {status})"
        )));
    }
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Ok(Sample {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        max_rss: usage.ru_maxrss as u64 * 1024,
    })
}

/// Summary of several samples.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    /// Number of samples.
    pub n: usize,
    /// Median wall time.
    pub median: Duration,
    /// Fastest wall time.
    pub min: Duration,
    /// Slowest wall time.
    pub max: Duration,
    /// Mean wall time.
    pub mean: Duration,
    /// Median CPU time.
    pub cpu_median: Duration,
    /// Largest peak RSS, bytes.
    pub max_rss: u64,
}

impl Stats {
    /// Summarizes `samples` (at least one).
    pub fn of(samples: &[Sample]) -> Stats {
        assert!(!samples.is_empty(), "no samples");
        let mut walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
        walls.sort();
        let mut cpus: Vec<Duration> = samples.iter().map(|s| s.cpu).collect();
        cpus.sort();
        Stats {
            n: samples.len(),
            median: median(&walls),
            min: walls[0],
            max: walls[walls.len() - 1],
            mean: walls.iter().sum::<Duration>() / walls.len() as u32,
            cpu_median: median(&cpus),
            max_rss: samples.iter().map(|s| s.max_rss).max().unwrap_or(0),
        }
    }
}

fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

/// Milliseconds with one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Mebibytes with one decimal.
pub fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// CPU time consumed by the calling thread so far (`CLOCK_THREAD_CPUTIME_ID`): unlike wall
/// time, it does not count time the thread spent descheduled while other processes ran.
pub fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `clock_gettime` only writes the `timespec` we pass.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
