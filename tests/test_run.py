"""`lotsen run` (what `make run` starts): answers over REST, and SIGINT/SIGTERM leave no process behind."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fake_bot_api import FakeBotApi

from bot.runner import BIN, free_port
from bot.settings import ROOT

pytestmark = pytest.mark.e2e


def processes_mentioning(marker: str) -> list[int]:
    """Pids of live processes whose command line or environment mentions `marker`."""
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            blob = (proc / "cmdline").read_bytes() + (proc / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in blob and int(proc.name) != os.getpid():
            pids.append(int(proc.name))
    return pids


def stop_everything(proc: subprocess.Popen[str], marker: str) -> None:
    """Whatever happened in the test, leave no process behind: SIGTERM, then SIGKILL what is left."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pid in processes_mentioning(marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def wait_for_line(proc: subprocess.Popen[str], needle: str, timeout: float) -> list[str]:
    """Read the process's output until a line contains `needle`."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"{needle!r} not printed; output was:\n{''.join(lines)}")


@pytest.mark.parametrize(
    ("stop_signal", "with_telegram", "to_group"),
    [(signal.SIGINT, False, False), (signal.SIGTERM, True, False), (signal.SIGTERM, False, True)],
    ids=["sigint", "telegram", "sigterm-twice-to-the-group"],
)
def test_run_answers_hej_and_stops_everything(
    tmp_path: Path, stop_signal: signal.Signals, with_telegram: bool, to_group: bool
) -> None:
    with contextlib.ExitStack() as stack:
        api = stack.enter_context(FakeBotApi()) if with_telegram else None
        run_and_stop(tmp_path, stop_signal, api, to_group)


def run_and_stop(
    tmp_path: Path, stop_signal: signal.Signals, api: FakeBotApi | None, to_group: bool = False
) -> None:
    """Start `lotsen run`, talk to it over REST (and Telegram), stop it, check nothing is left.

    `to_group` signals the runner's whole process group twice, as `kill -TERM -PGID` on a `make run`
    does when make passes the signal on too: the second signal must not cut the stopping short.
    """
    marker = str(tmp_path / "tracker.db")
    rasa_port = free_port()
    env = dict(
        os.environ,
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(free_port()),
        WIDGET_PORT=str(free_port()),
        TRACKER_DB=marker,
        TELEGRAM_BOT_TOKEN=api.token if api else "",
        TELEGRAM_API_BASE_URL=api.base_url if api else "",
    )
    proc = subprocess.Popen(
        [str(BIN / "lotsen"), "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=sys.stderr, text=True,
        start_new_session=to_group,
    )  # fmt: skip
    try:
        output = wait_for_line(proc, "answers after", timeout=300)
        said_not_started = any("TELEGRAM_BOT_TOKEN" in line for line in output)
        assert said_not_started is (api is None), "run says when Telegram isn't started, and only then"
        request = urllib.request.Request(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            data=json.dumps({"sender": "run-test", "message": "Hej"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            replies = json.loads(response.read())
        assert replies and "Hej" in replies[0]["text"]
        assert len(processes_mentioning(marker)) >= (4 if api else 3), "Rasa, actions, widget (, Telegram)"
        if api is not None:
            api.send_text(4242, "Hej")
            api.wait_for_text(4242, "Produktionslotsen", timeout=60)
        if to_group:
            os.killpg(proc.pid, stop_signal)
            time.sleep(0.2)
            os.killpg(proc.pid, stop_signal)
        else:
            proc.send_signal(stop_signal)
        assert proc.wait(timeout=60) == 0
        deadline = time.monotonic() + 15
        while processes_mentioning(marker) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert processes_mentioning(marker) == [], "the runner left processes behind"
    finally:
        stop_everything(proc, marker)
