"""Start, supervise and stop the whole assistant: Rasa server, action server, widget page, Telegram.

`lotsen run` (and `make run`) uses `Stack` in the foreground; the end-to-end tests use the same class
with free ports and a temporary tracker database, so what is tested is what runs. A child that dies is
restarted with back-off while the others keep serving; only Ctrl-C or SIGTERM stops everything, and
the children die with the runner even if it is killed (PR_SET_PDEATHSIG). The runner also enforces
RETENTION_DAYS on the tracker store, at start and every hour (`bot.privacy`).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot import privacy
from bot.settings import ROOT, Settings, get_settings

BIN = Path(sys.executable).parent
logger = logging.getLogger("lotsen.run")

# Restart waits: 1 s after the first death, doubling to 30 s while a child keeps dying; a child that
# ran for RESET_AFTER seconds starts again from 1 s. Rasa needs ~15 s to load, so a crash loop costs
# at most one load per 30 s.
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
RESET_AFTER = 60.0
PURGE_EVERY = 3600.0
PR_SET_PDEATHSIG = 1
# Ctrl-C, `kill`, and the terminal closing.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(Exception):
    """Ctrl-C or SIGTERM arrived while waiting for the servers to start."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rasa_env(settings: Settings) -> dict[str, str]:
    """Environment for every child process, derived from the settings."""
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONUNBUFFERED="1",
        ACTION_PORT=str(settings.action_port),
        RASA_PORT=str(settings.rasa_port),
        RASA_URL=settings.rasa_url,
        TRACKER_DB=str(settings.tracker_db),
        KNOWLEDGE_DB=str(settings.knowledge_db),
        KNOWLEDGE_DIR=str(settings.knowledge_dir),
        WIDGET_PORT=str(settings.widget_port),
        ACTION_HOST=settings.action_host,
        PRIVACY_URL=settings.privacy_url,
        # endpoints.scale.yml reads these (Rasa replicas, and `lotsen privacy` on PostgreSQL).
        POSTGRES_HOST=settings.postgres_host or "127.0.0.1",
        POSTGRES_PORT=str(settings.postgres_port),
        POSTGRES_DB=settings.postgres_db,
        POSTGRES_USER=settings.postgres_user,
        POSTGRES_PASSWORD=settings.postgres_password,
        REDIS_HOST=settings.redis_host or "127.0.0.1",
        REDIS_PORT=str(settings.redis_port),
    )
    return env


def _die_with_parent(parent: int) -> None:
    """In the child before exec: get SIGKILL when the runner dies (Linux), even by kill -9."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the runner died before prctl took effect
        os._exit(1)


@dataclass
class Stack:
    """The processes of one running assistant."""

    settings: Settings
    with_widget: bool = True
    with_telegram: bool = True
    log_dir: Path | None = None
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def commands(self) -> dict[str, list[str]]:
        """The command line of each process to start, by name."""
        s = self.settings
        cmds = {
            "actions": [
                str(BIN / "python"), "-m", "bot.actionserver", "--actions", "bot.actions",
                "--host", s.action_host, "--port", str(s.action_port), "--model", str(s.model_path),
            ],
            "rasa": [
                str(BIN / "rasa"), "run", "--model", str(s.model_path),
                "--endpoints", str(s.rasa_endpoints), "--credentials", str(ROOT / "credentials.yml"),
                "--port", str(s.rasa_port), "--cors", *s.cors_origins.split(),
            ],
        }  # fmt: skip
        if self.with_widget:
            cmds["widget"] = [str(BIN / "lotsen"), "widget", "--port", str(s.widget_port)]
        if self.with_telegram and s.telegram_bot_token:
            cmds["telegram"] = [str(BIN / "lotsen"), "telegram"]
        return cmds

    def start(self) -> None:
        """Delete conversations past the retention time, then start every process in its own group."""
        self.settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        self.purge()
        for name in self.commands():
            self.start_one(name)

    def env(self, name: str) -> dict[str, str]:
        """Environment of the process `name`."""
        return rasa_env(self.settings)

    def start_one(self, name: str) -> None:
        """Start (or restart) the process `name` in its own process group."""
        out = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        parent = os.getpid()
        self.procs[name] = subprocess.Popen(
            self.commands()[name], cwd=ROOT, env=self.env(name), stdout=out,
            stderr=subprocess.STDOUT if out else None, start_new_session=True,
            preexec_fn=lambda: _die_with_parent(parent),
        )  # fmt: skip
        if out is not None:
            out.close()  # the child holds its own copy

    def purge(self) -> None:
        """Delete conversations inactive for RETENTION_DAYS (logs how many; never raises)."""
        try:
            count = privacy.purge(privacy.tracker_url(self.settings), self.settings.retention_days)
        except privacy.NothingStored:
            pass
        except privacy.PrivacyError as exc:
            logger.warning("retention: not applied: %s", exc)
        except Exception:
            logger.exception("retention: could not purge the tracker store (will retry)")
        else:
            if count:
                logger.info(
                    "retention: deleted %d conversation(s) inactive for %d days",
                    count, self.settings.retention_days,
                )  # fmt: skip

    def wait_ready(self, timeout: float = 300.0, stopping: threading.Event | None = None) -> float:
        """Wait until Rasa's REST channel and the action server answer; return the seconds it took."""
        started = time.monotonic()
        s = self.settings
        action_host = "127.0.0.1" if s.action_host in ("0.0.0.0", "") else s.action_host
        health = [
            f"http://127.0.0.1:{s.rasa_port}/webhooks/rest/",
            f"http://{action_host}:{s.action_port}/health",
        ]
        return self.wait_for(health, started, timeout, stopping, "Rasa")

    def wait_for(
        self,
        health: list[str],
        started: float,
        timeout: float,
        stopping: threading.Event | None,
        what: str,
    ) -> float:
        """Poll `health` URLs until all answer; fail early when a child exits or `stopping` is set."""
        stopping = stopping or threading.Event()
        while time.monotonic() - started < timeout:
            if stopping.is_set():
                raise Stopped
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode} during start-up")
            if all(answers_ok(url) for url in health):
                return time.monotonic() - started
            stopping.wait(0.5)
        raise TimeoutError(f"{what} did not answer within {timeout:.0f} s")

    def supervise(self, stopping: threading.Event, tick: float = 0.5) -> None:
        """Restart dead children with back-off and purge hourly, until `stopping` is set."""
        started = dict.fromkeys(self.procs, time.monotonic())
        backoff = dict.fromkeys(self.procs, BACKOFF_FIRST)
        due: dict[str, float] = {}
        next_purge = time.monotonic() + PURGE_EVERY
        while not stopping.wait(tick):
            now = time.monotonic()
            for name, proc in list(self.procs.items()):
                if name in due:
                    if now >= due[name]:
                        del due[name]
                        logger.warning("restarting %s", name)
                        self.start_one(name)
                        started[name] = now
                    continue
                if proc.poll() is None:
                    if now - started[name] > RESET_AFTER:
                        backoff[name] = BACKOFF_FIRST
                    continue
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)  # what the dead leader left in its group
                wait = backoff[name]
                backoff[name] = min(wait * 2, BACKOFF_MAX)
                due[name] = now + wait
                logger.error("%s exited with code %s; restarting in %.0f s", name, proc.returncode, wait)
            if now >= next_purge:
                next_purge = now + PURGE_EVERY
                self.purge()

    def stop(self, grace: float = 10.0) -> None:
        """Stop every process group: SIGTERM, then SIGKILL after `grace` seconds."""
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in self.procs.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for proc in self.procs.values():
            # Children the leader left behind in its group (e.g. sanic workers).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()


def post_json(url: str, payload: object, timeout: float) -> list[dict[str, object]] | None:
    """POST JSON and return the decoded JSON list (None on a non-list answer)."""
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = json.loads(response.read().decode())
    return body if isinstance(body, list) else None


def answers_ok(url: str, timeout: float = 5.0) -> bool:
    """Whether GET `url` answers 200 with `{"status": "ok"}`."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(json.loads(response.read().decode()).get("status") == "ok")
    except (OSError, ValueError, AttributeError):
        return False


def run(args: argparse.Namespace) -> int:
    """Run the assistant in the foreground until Ctrl-C or SIGTERM, restarting children that die."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    for path, fix in ((settings.model_path, "make train"), (settings.knowledge_db, "make kb")):
        if not path.exists():
            print(f"error: {path} is missing (run `{fix}`)", file=sys.stderr)
            return 1
    return serve(Stack(settings), settings)


def serve(stack: Stack, settings: Settings) -> int:
    """Start `stack`, say where it answers, supervise it until Ctrl-C or SIGTERM, stop it."""
    stopping = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        # From now on further signals are ignored: a second Ctrl-C, or the SIGTERM that `make` passes
        # on after the one the runner got, must not interrupt stopping halfway (issue 12).
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        stopping.set()

    for sig in STOP_SIGNALS:
        signal.signal(sig, _stop)
    try:
        stack.start()
        if not settings.telegram_bot_token:
            print("Telegram: not started (set TELEGRAM_BOT_TOKEN to start it).", flush=True)
        with contextlib.suppress(Stopped):
            seconds = stack.wait_ready(stopping=stopping)
            print(
                f"\nProduktionslotsen answers after {seconds:.1f} s:\n"
                f"  REST:   http://localhost:{settings.rasa_port}/webhooks/rest/webhook\n"
                f"  widget: http://localhost:{settings.widget_port}/\n"
                f"  try:    curl -s -XPOST localhost:{settings.rasa_port}/webhooks/rest/webhook "
                '-d \'{"sender": "me", "message": "Hej"}\'\n'
                "Stop with Ctrl-C.",
                flush=True,
            )
            stack.supervise(stopping)
        print("\nStopping…", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        stack.stop()


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen run`."""
    parser = sub.add_parser(
        "run",
        help="start the Rasa server, action server, widget page and Telegram (if configured)",
        description="Start everything needed for a conversation, in the foreground. Ctrl-C stops all.",
        epilog="Example: RASA_PORT=5005 lotsen run",
    )
    parser.set_defaults(func=run)
