"""`lotsen bench`: time to first answer, latency sequential and under load, a long conversation, memory.

Starts its own servers on free ports: one instance (SQLite, like `make run`), or with `--scaled N` the
scaled mode (N replicas behind nginx on PostgreSQL and Redis, like `make run-scaled`). Numbers are
printed, never asserted: speed goals are checked by reading this output, not in tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bot.runner import BIN, Stack, free_port, post_json
from bot.scaled import ScaledStack
from bot.settings import ROOT, get_settings

# Concurrent conversations of the load test, and the long conversation's length (issue 13).
CONCURRENCY = (10, 20)
LONG_TURNS = 200

MESSAGES = (
    "Hej",
    "vad kan du hjälpa mig med?",
    "hur mycket kunde regionerna söka 2016?",
    "när skulle projekten slutrapporteras",
    "vem kan söka almis innovationslån",
    "ska vi tillverka själva eller anlita en legotillverkare?",
    "är utlysningen öppen",
    "vilket stöd finns för automation",
    "tack",
)


def process_group_rss_mib(pgid: int) -> float:
    """Resident memory of every process in a process group, in MiB (from /proc)."""
    total_kib = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


def process_group_cpu_s(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of a process group (from /proc)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def load(url: str, users: int, rounds: int) -> tuple[list[float], float]:
    """`users` conversations at once, each sending MESSAGES `rounds` times: latencies (ms), messages/s."""
    latencies: list[float] = []
    lock = threading.Lock()

    def talk(number: int) -> None:
        sender = f"load-{users}-{number}-{time.time_ns()}"
        for _ in range(rounds):
            for message in MESSAGES:
                started = time.perf_counter()
                post_json(url, {"sender": sender, "message": message}, 60)
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=talk, args=(n,)) for n in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(latencies) / (time.perf_counter() - started)


def long_conversation(url: str, turns: int) -> list[float]:
    """One conversation of `turns` messages (MESSAGES over and over): latency of each turn (ms)."""
    sender = f"long-{time.time_ns()}"
    latencies = []
    for turn in range(turns):
        started = time.perf_counter()
        post_json(url, {"sender": sender, "message": MESSAGES[turn % len(MESSAGES)]}, 60)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def measure(url: str, rounds: int, long_turns: int, stack: Stack) -> None:
    """Print the latency figures of the servers answering at `url` (the processes of `stack`)."""
    sequential = []
    for round_no in range(rounds):
        for message in MESSAGES:
            started = time.perf_counter()
            post_json(url, {"sender": f"bench-{round_no}-{time.time_ns()}", "message": message}, 30)
            sequential.append((time.perf_counter() - started) * 1000)
    print(f"messages, sequential:     {len(sequential):6d}")
    print(f"latency median:           {statistics.median(sequential):6.1f} ms")
    print(f"latency p95:              {percentile(sequential, 0.95):6.1f} ms")
    cpu_before = {name: process_group_cpu_s(proc.pid) for name, proc in stack.procs.items()}
    messages = 0
    for users in CONCURRENCY:
        latencies, rate = load(url, users, max(1, rounds // 2))
        messages += len(latencies)
        print(
            f"{users:2d} concurrent:            p50 {statistics.median(latencies):6.1f} ms, "
            f"p95 {percentile(latencies, 0.95):6.1f} ms, {rate:5.1f} messages/s ({len(latencies)} messages)"
        )
    # CPU time per message does not depend on what else the machine runs, unlike latency: it tells
    # what limits the throughput (2 cores = 2,000 ms of CPU per second).
    cpu = {name: (process_group_cpu_s(proc.pid) - cpu_before[name]) * 1000 / messages
           for name, proc in stack.procs.items() if name in cpu_before}  # fmt: skip
    print(
        f"CPU per message (load):   {sum(cpu.values()):5.1f} ms = "
        + ", ".join(f"{name} {ms:.1f}" for name, ms in cpu.items() if ms >= 0.05)
    )
    if long_turns >= 40:
        turns = long_conversation(url, long_turns)
        first, last = statistics.median(turns[:20]), statistics.median(turns[-20:])
        print(
            f"long conversation:        turns 1-20 median {first:5.1f} ms, "
            f"turns {long_turns - 19}-{long_turns} median {last:5.1f} ms (ratio {last / first:.2f})"
        )


def bench(args: argparse.Namespace) -> int:
    """Start the servers, measure, stop them, print the figures."""
    if args.train:
        with tempfile.TemporaryDirectory() as out:
            started = time.monotonic()
            subprocess.run(
                [str(BIN / "rasa"), "train", "--quiet", "--domain", "domain", "--data", "nlu", "stories",
                 "--config", "config.yml", "--out", out],
                cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            print(f"training time:            {time.monotonic() - started:6.1f} s")
    # Under var/, not /tmp: PostgreSQL (scaled mode) runs as its own user and must reach its folder.
    (ROOT / "var").mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / "var"))
    tmp.chmod(0o755)
    settings = dataclasses.replace(
        get_settings(), rasa_port=free_port(), action_port=free_port(), widget_port=free_port(),
        tracker_db=tmp / "t.db", scale_dir=tmp, postgres_host="", postgres_port=free_port(),
        redis_host="", redis_port=free_port(),
    )  # fmt: skip
    stack: Stack
    if args.scaled:
        stack = ScaledStack(
            settings, with_widget=False, with_telegram=False, log_dir=tmp / "logs",
            replicas=args.scaled, action_servers=args.action_servers,
        )  # fmt: skip
        print(f"scaled mode: {args.scaled} Rasa replica(s), {args.action_servers} action server(s), nginx")
    else:
        stack = Stack(settings, with_widget=False, with_telegram=False, log_dir=tmp / "logs")
        print("one instance: Rasa server and action server, SQLite tracker store")
    try:
        stack.start()
        first = stack.wait_ready()
        print(f"start to first answer:    {first:6.1f} s")
        measure(f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook", args.rounds, args.long, stack)
        for name, proc in stack.procs.items():
            print(f"resident memory {name + ':':11} {process_group_rss_mib(proc.pid):6.0f} MiB")
    finally:
        stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(stack, ScaledStack):
            shutil.rmtree(stack.pg_data, ignore_errors=True)  # outside tmp when postgres can't reach var/
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen bench`."""
    parser = sub.add_parser(
        "bench",
        help="measure start-up time, per-message latency and memory of the servers",
        description="Start the servers on free ports, send Swedish test messages, print the figures.",
        epilog="Example: lotsen bench --rounds 10 --train; lotsen bench --scaled 2",
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="how often to send the message list (default 5)"
    )
    parser.add_argument("--train", action="store_true", help="also time a full training into a temp folder")
    parser.add_argument(
        "--long", type=int, default=LONG_TURNS, help=f"turns of the long conversation (default {LONG_TURNS})"
    )
    parser.add_argument(
        "--scaled",
        type=int,
        metavar="N",
        default=0,
        help="measure the scaled mode with N Rasa replicas instead",
    )
    parser.add_argument("--action-servers", type=int, default=1, help="action servers in the scaled mode")
    parser.set_defaults(func=bench)
