"""Start and stop the whole assistant: Rasa server, action server, widget page, Telegram front end.

`lotsen run` (and `make run`) uses `Stack` in the foreground; the end-to-end tests use the same class
with free ports and a temporary tracker database, so what is tested is what runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import ROOT, Settings, get_settings

BIN = Path(sys.executable).parent


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
    )
    return env


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
                str(BIN / "python"), "-m", "rasa_sdk", "--actions", "bot.actions",
                "--port", str(s.action_port),
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
        """Start every process in its own process group."""
        env = rasa_env(self.settings)
        self.settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        for name, cmd in self.commands().items():
            out = None
            if self.log_dir is not None:
                self.log_dir.mkdir(parents=True, exist_ok=True)
                out = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
            self.procs[name] = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
                start_new_session=True,
            )  # fmt: skip

    def wait_ready(self, timeout: float = 300.0) -> float:
        """Wait until Rasa answers a message over REST; return the seconds it took."""
        started = time.monotonic()
        url = f"http://127.0.0.1:{self.settings.rasa_port}/webhooks/rest/webhook"
        while time.monotonic() - started < timeout:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode} during start-up")
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
                if (
                    post_json(url, {"sender": "lotsen-readiness-check", "message": "/session_start"}, 5)
                    is not None
                ):
                    return time.monotonic() - started
            time.sleep(0.5)
        raise TimeoutError(f"Rasa did not answer within {timeout:.0f} s")

    def failed(self) -> str | None:
        """The name of a process that has exited, if any."""
        return next((name for name, p in self.procs.items() if p.poll() is not None), None)

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


def _interrupt(signum: int, frame: object) -> None:
    """Turn SIGTERM into the same clean shutdown as Ctrl-C."""
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    """Run the assistant in the foreground until Ctrl-C or SIGTERM."""
    settings = get_settings()
    for path, fix in ((settings.model_path, "make train"), (settings.knowledge_db, "make kb")):
        if not path.exists():
            print(f"error: {path} is missing (run `{fix}`)", file=sys.stderr)
            return 1
    stack = Stack(settings)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        stack.start()
        if not settings.telegram_bot_token:
            print("Telegram: not started (set TELEGRAM_BOT_TOKEN to start it).", flush=True)
        seconds = stack.wait_ready()
        print(
            f"\nProduktionslotsen answers after {seconds:.1f} s:\n"
            f"  REST:   http://localhost:{settings.rasa_port}/webhooks/rest/webhook\n"
            f"  widget: http://localhost:{settings.widget_port}/\n"
            f"  try:    curl -s -XPOST localhost:{settings.rasa_port}/webhooks/rest/webhook "
            '-d \'{"sender": "me", "message": "Hej"}\'\n'
            "Stop with Ctrl-C.",
            flush=True,
        )
        while (name := stack.failed()) is None:
            time.sleep(1)
        print(f"error: {name} stopped unexpectedly; stopping everything", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
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
