//! The child roles as the orchestrator sees them: a process, a line protocol on its stdio.

use std::{
    io::{BufRead as _, BufReader, Lines, Write as _},
    process::{ChildStdin, ChildStdout, Command, Stdio},
};

use super::procfs::Process;

/// A child role and its stdio.
pub struct Child {
    pub name: &'static str,
    child: std::process::Child,
    stdin: Option<ChildStdin>,
    stdout: Lines<BufReader<ChildStdout>>,
}

impl Child {
    /// Starts this binary with `args`, under `wrapper` (a command and its arguments, e.g. a
    /// profiler) when given.
    pub fn spawn(name: &'static str, args: &[&str], wrapper: Option<&str>) -> Self {
        let exe = std::env::current_exe().expect("this binary's path");
        let mut command = match wrapper.map(str::split_whitespace) {
            Some(mut words) => {
                let mut command = Command::new(words.next().expect("a wrapper command"));
                command.args(words).arg(exe);
                command
            }
            None => Command::new(exe),
        };
        let mut child = command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("start the {name}: {e}"));
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("a piped stdout")).lines();
        Self {
            name,
            child,
            stdin,
            stdout,
        }
    }

    pub fn line(&mut self) -> String {
        match self.stdout.next() {
            Some(Ok(line)) => line,
            _ => panic!("the {} exited before answering", self.name),
        }
    }

    pub fn port(&mut self) -> u16 {
        let line = self.line();
        line.strip_prefix("port ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the {} said {line:?}, not its port", self.name))
    }

    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}")
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|e| panic!("write to the {}: {e}", self.name));
    }

    pub fn process(&self) -> Process {
        Process {
            pid: self.child.id(),
        }
    }

    /// Closes its stdin, which makes it exit, and waits for it.
    pub fn finish(mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}
