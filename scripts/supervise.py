"""Run a command and start it again whenever it exits, until told to stop.

    python scripts/supervise.py -- hearline run_huey --workers 2 --flush-locks

What `make run` (scripts/serve.sh) starts the task consumer with, so a consumer that dies
(kill -9, out of memory) is back within seconds instead of leaving complaints unregistered
and messages unsent. A command that keeps failing is started again after 1 s, then 2, 4, …
up to 60 s; once it has run for a minute the delay starts again at 1 s. SIGTERM, SIGINT and
SIGHUP are passed on to the command; the supervisor then waits for it to exit and exits
with its status (128 + the signal's number when a signal ended it, as shells report it). Production uses its own supervisor instead (systemd, see
docs/operations.md).
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import subprocess
import sys
import time

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Supervisor:
    """Keeps one command running; `run()` returns the command's last exit status after a
    stop signal."""

    def __init__(self, command: list[str], first_delay: float, max_delay: float, steady: float):
        self.command, self.first_delay = command, first_delay
        self.max_delay, self.steady = max_delay, steady
        self.child: subprocess.Popen | None = None
        self.stopping = False
        self._wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        signal.set_wakeup_fd(wake_write)
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._stop)

    def _stop(self, signum, _frame) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)

    def run(self) -> int:
        """Start the command, and again after each exit, until a stop signal; the exit
        status of the command's last run."""
        status = self._supervise()
        return status if status >= 0 else 128 - status

    def _supervise(self) -> int:
        delay = self.first_delay
        while True:
            started = time.monotonic()
            self.child = subprocess.Popen(self.command)
            if self.stopping:  # the signal came while the command was being started
                self.child.terminate()
            status = self.child.wait()
            if self.stopping:
                return status
            if time.monotonic() - started >= self.steady:
                delay = self.first_delay
            ended = f"was killed by signal {-status}" if status < 0 else f"exited with {status}"
            print(
                f"supervise: {self.command[0]} {ended}; starting it again in {delay:g} s",
                file=sys.stderr,
                flush=True,
            )
            self._pause(delay)
            if self.stopping:
                return status
            delay = min(delay * 2, self.max_delay)

    def _pause(self, seconds: float) -> None:
        """Sleep for `seconds`, or until a stop signal arrives."""
        deadline = time.monotonic() + seconds
        while not self.stopping and (left := deadline - time.monotonic()) > 0:
            if select.select([self._wake_read], [], [], left)[0]:
                os.read(self._wake_read, 64)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first-delay", type=float, default=1.0)
    parser.add_argument("--max-delay", type=float, default=60.0)
    parser.add_argument("--steady", type=float, default=60.0, help="seconds of a good run")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to supervise")
    return Supervisor(command, args.first_delay, args.max_delay, args.steady).run()


if __name__ == "__main__":
    sys.exit(main())
