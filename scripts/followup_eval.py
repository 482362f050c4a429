"""Play follow-up questions after a recommendation against the real servers and count relevant answers.

Each scenario of the file (tests/data/followup_tuning.yml) is played as a consultation by
`bot.advisor.scenarios.play`; then its `follow_ups` are asked in order by the same user. An answer is
relevant when one of the item's `must` regexes matches it and none of its `must_not` nor the file's
`never` regexes does.

    .venv/bin/python scripts/followup_eval.py tests/data/followup_tuning.yml [--url http://localhost:5005] [--run ID]

Every run gets a fresh run id in its sender ids (as `lotsen advisor eval` does), so a second run against the
same server does not continue the first run's conversations; `--run ID` repeats a chosen one.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
from pathlib import Path

import yaml

from bot.advisor.scenarios import play, rest_say, sender_id
from bot.qaeval import running_assistant


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--url", help="a running Rasa server")
    parser.add_argument("--verbose", action="store_true", help="print every answer")
    parser.add_argument(
        "--run",
        help="run id in the sender ids (default: random, so a run never continues an earlier run's conversations)",
    )
    args = parser.parse_args()
    data = yaml.safe_load(args.file.read_text(encoding="utf-8"))
    never = list(data.get("never") or [])
    run = (args.run if args.run is not None else secrets.token_hex(3)) + "-"
    relevant = total = 0
    with running_assistant(args.url) as url:
        say = rest_say(url)
        for number, scenario in enumerate(data["scenarios"]):
            sender = sender_id(number, f"followup-{scenario['id']}", run)
            result = play(scenario, say, sender)
            print(f"{scenario['id']}: path {result.path}")
            for item in scenario["follow_ups"]:
                reply = "\n".join(str(r.get("text") or "") for r in say(sender, item["ask"]))
                ok = any(re.search(rx, reply, re.IGNORECASE) for rx in item["must"]) and not any(
                    re.search(rx, reply, re.IGNORECASE) for rx in [*item.get("must_not", []), *never]
                )
                relevant += ok
                total += 1
                print(f"  {'OK ' if ok else 'BAD'} {item['ask']}")
                if args.verbose or not ok:
                    print("      " + reply[:600].replace("\n", "\n      "))
    print(f"relevant answers: {relevant}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
