"""`lotsen bench`: time to first answer, per-message latency and memory of the running servers.

Numbers are printed, never asserted: speed goals are checked by reading this output, not in tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bot.runner import BIN, Stack, free_port, post_json
from bot.settings import ROOT, get_settings

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


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


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
    with tempfile.TemporaryDirectory() as tmp:
        settings = dataclasses.replace(
            get_settings(), rasa_port=free_port(), action_port=free_port(), tracker_db=Path(tmp) / "t.db"
        )
        stack = Stack(settings, with_widget=False, with_telegram=False, log_dir=Path(tmp) / "logs")
        try:
            stack.start()
            first = stack.wait_ready()
            url = f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook"
            latencies = []
            for round_no in range(args.rounds):
                for message in MESSAGES:
                    started = time.perf_counter()
                    post_json(url, {"sender": f"bench-{round_no}", "message": message}, 30)
                    latencies.append((time.perf_counter() - started) * 1000)
            print(f"start to first answer:    {first:6.1f} s")
            print(f"messages:                 {len(latencies):6d}")
            print(f"latency median:           {statistics.median(latencies):6.1f} ms")
            print(f"latency p95:              {percentile(latencies, 0.95):6.1f} ms")
            for name, proc in stack.procs.items():
                print(f"resident memory {name + ':':9} {process_group_rss_mib(proc.pid):6.0f} MiB")
        finally:
            stack.stop()
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `lotsen bench`."""
    parser = sub.add_parser(
        "bench",
        help="measure start-up time, per-message latency and memory of the servers",
        description="Start the servers on free ports, send Swedish test messages, print the figures.",
        epilog="Example: lotsen bench --rounds 10 --train",
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="how often to send the message list (default 5)"
    )
    parser.add_argument("--train", action="store_true", help="also time a full training into a temp folder")
    parser.set_defaults(func=bench)
