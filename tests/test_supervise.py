"""The runner restarts a dead child and leaves the others alone; children die with a killed runner."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bot.runner import Stack
from bot.settings import ROOT, get_settings

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]


class Sleepers(Stack):
    """A Stack whose children are cheap sleeping processes instead of the servers."""

    def commands(self) -> dict[str, list[str]]:
        return {"rasa": SLEEPER, "actions": SLEEPER, "widget": SLEEPER}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
    return state != "Z"


def wait_for(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


@pytest.fixture
def sleepers(tmp_path: Path) -> Sleepers:
    settings = dataclasses.replace(get_settings(), tracker_db=tmp_path / "tracker.db")
    return Sleepers(settings)


def test_a_dead_child_is_restarted_and_the_others_keep_running(sleepers: Sleepers) -> None:
    stopping = threading.Event()
    sleepers.start()
    supervisor = threading.Thread(target=sleepers.supervise, args=(stopping, 0.05))
    supervisor.start()
    try:
        before = {name: proc.pid for name, proc in sleepers.procs.items()}
        os.kill(before["actions"], signal.SIGKILL)
        wait_for(lambda: sleepers.procs["actions"].pid != before["actions"], timeout=5)
        assert alive(sleepers.procs["actions"].pid)
        assert {name: sleepers.procs[name].pid for name in ("rasa", "widget")} == {
            "rasa": before["rasa"],
            "widget": before["widget"],
        }
    finally:
        stopping.set()
        supervisor.join(5)
        sleepers.stop()


def test_a_child_that_keeps_dying_is_restarted_with_growing_waits(sleepers: Sleepers) -> None:
    stopping = threading.Event()
    sleepers.start()
    supervisor = threading.Thread(target=sleepers.supervise, args=(stopping, 0.05))
    supervisor.start()
    restarts = []
    try:
        for _ in range(3):
            pid = sleepers.procs["widget"].pid
            os.kill(pid, signal.SIGKILL)
            killed = time.monotonic()
            wait_for(lambda pid=pid: sleepers.procs["widget"].pid != pid, timeout=10)
            restarts.append(time.monotonic() - killed)
    finally:
        stopping.set()
        supervisor.join(5)
        sleepers.stop()
    assert restarts[0] < restarts[1] < restarts[2], restarts  # 1 s, 2 s, 4 s


RUNNER = textwrap.dedent(
    """
    import dataclasses, pathlib, sys, time
    sys.path.insert(0, {tests!r})
    from test_supervise import Sleepers
    from bot.settings import get_settings
    stack = Sleepers(dataclasses.replace(get_settings(), tracker_db=pathlib.Path({db!r})))
    stack.start()
    print(" ".join(str(p.pid) for p in stack.procs.values()), flush=True)
    time.sleep(600)
    """
)


def test_children_die_when_the_runner_is_killed(tmp_path: Path) -> None:
    script = RUNNER.format(tests=str(ROOT / "tests"), db=str(tmp_path / "tracker.db"))
    runner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert runner.stdout is not None
    pids = [int(pid) for pid in runner.stdout.readline().split()]
    try:
        assert len(pids) == 3 and all(alive(pid) for pid in pids)
        runner.kill()
        runner.wait()
        wait_for(lambda: not any(alive(pid) for pid in pids), timeout=5)
    finally:
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
