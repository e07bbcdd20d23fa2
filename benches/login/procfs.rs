//! What `/proc` says about a process (CPU time, memory) and about the machine.

use std::{fs, process::Command};

/// CPU time and memory of one process, by pid.
#[derive(Debug, Clone, Copy)]
pub struct Process {
    pub pid: u32,
}

/// A process's memory, in KiB.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// `VmRSS`: resident now.
    pub rss_kib: u64,
    /// `VmHWM`: the most ever resident.
    pub peak_kib: u64,
}

impl Process {
    pub fn current() -> Self {
        Self {
            pid: std::process::id(),
        }
    }

    /// `utime + stime` in clock ticks (`/proc/<pid>/stat` fields 14 and 15).
    pub fn cpu_ticks(self) -> u64 {
        let (user, system) = self.cpu_split();
        user + system
    }

    /// `(utime, stime)`: clock ticks in user space and in the kernel.
    pub fn cpu_split(self) -> (u64, u64) {
        let stat = fs::read_to_string(format!("/proc/{}/stat", self.pid)).expect("read stat");
        // The command name (field 2) may hold spaces: count fields after its closing paren.
        let after = &stat[stat.rfind(')').expect("a command name") + 1..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        // `after` starts at field 3, so field n is at index n - 3.
        let field = |n: usize| fields[n - 3].parse::<u64>().expect("a tick count");
        (field(14), field(15))
    }

    pub fn memory(self) -> Memory {
        let status = fs::read_to_string(format!("/proc/{}/status", self.pid)).expect("read status");
        let kib = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or_else(|| panic!("{name} in /proc/{}/status", self.pid))
        };
        Memory {
            rss_kib: kib("VmRSS:"),
            peak_kib: kib("VmHWM:"),
        }
    }
}

/// Clock ticks per second, from `getconf CLK_TCK`; `None` when it cannot be read.
pub fn clock_ticks_per_second() -> Option<u64> {
    let out = Command::new("getconf").arg("CLK_TCK").output().ok()?;
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

/// The machine, in one line: CPUs, model, memory, load.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total_kib: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    let load = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!(
        "{cpus} CPUs ({model}), {:.1} GiB RAM, load average {} at start",
        total_kib as f64 / (1024.0 * 1024.0),
        load.join(" ")
    )
}
