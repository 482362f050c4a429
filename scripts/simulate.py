"""Simulate users talking to the real assistant over REST, to try `lotsen report` on realistic data.

Each simulated conversation is one of: factual questions (some rated 👍/👎, some 👎 with a "Vad saknades?"
text), questions the knowledge base can't answer (14 groups of rephrasings), a consultation that is
finished or abandoned, small talk. Senders are `tg-sim…`, `web-sim…` or `sim…`, so the report sees three
channels. `--backdate-days N --db FILE` then spreads the conversations over the last N days by shifting
their timestamps in that SQLite tracker file (never use it on a real conversation database).

    python scripts/simulate.py --url http://localhost:5005 --conversations 300 --seed 14
    python scripts/simulate.py --url http://127.0.0.1:5105 --db /tmp/sim/tracker.db --backdate-days 14
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.feedback import rating_payload  # noqa: E402

ANSWERABLE = [
    "vem kan söka almis innovationslån?",
    "hur mycket kan man låna hos almi?",
    "vad är en nollserie?",
    "hur hittar jag en legotillverkare?",
    "vilka utlysningar är öppna?",
    "ska vi tillverka själva eller lägga ut tillverkningen?",
    "vad är robotlyftet?",
    "vad gör business sweden?",
    "vad är MRL?",
    "tillverka i sverige eller i kina?",
    "vad är en prototyp?",
    "vilket stöd finns för automation?",
]
# Rephrasings of questions the knowledge base has no answer for; the report should group each list.
UNANSWERABLE = {
    "kvantdator": [
        "vad kostar en kvantdator",
        "hur får man tag i en kvantdator till fabriken",
        "kan man köpa kvantdatorer för produktion",
        "pris på kvantdator",
    ],
    "tull-usa": [
        "vilka tullar gäller vid export till USA?",
        "hur höga är tullarna till USA",
        "tull vid export till USA",
        "vad blir tullen om jag exporterar till usa",
    ],
    "moms-export": [
        "kan ni hjälpa mig med momsen för export",
        "hur funkar moms vid export",
        "momsregler för export",
        "vad gäller för moms vid export av varor",
    ],
    "kvantbidraget": [
        "vem kan söka kvantbidraget?",
        "hur söker man kvantbidraget",
        "när stänger kvantbidraget",
    ],
    "reach": [
        "vad gäller för REACH-registrering av kemikalier?",
        "måste jag registrera kemikalier enligt REACH",
        "REACH registrering kemikalier",
    ],
    "esd": [
        "hur ansöker jag om ESD-skydd i fabriken",
        "ESD-skydd i fabriken",
        "vilket ESD-skydd behövs i fabriken",
    ],
    "design-kina": ["hur skyddar jag min design i Kina", "designskydd i Kina", "skydda min design i Kina"],
    "vatgas": ["vilket stöd finns för vätgas?", "stöd för vätgasproduktion", "finns det bidrag för vätgas"],
    "vader": ["vad blir vädret i morgon", "hur blir vädret i helgen", "blir vädret bra i morgon"],
    "jordbruksverket": [
        "vem kan söka startbidrag från Jordbruksverket?",
        "startbidrag jordbruksverket",
        "hur söker jag startbidrag hos Jordbruksverket",
    ],
    "cobot": [
        "vilka säkerhetskrav gäller för kollaborativa robotar",
        "säkerhetskrav för kollaborativa robotar i fabriken",
        "krav på kollaborativa robotar",
    ],
    "lokal": [
        "var kan jag hyra en fabrikslokal i Göteborg",
        "hyra fabrikslokal i Göteborg",
        "lediga fabrikslokaler i göteborg",
    ],
    "pizza": ["kan du beställa pizza", "beställ en pizza åt mig", "kan du beställa en pizza till kontoret"],
    "iso9001": [
        "vad kostar ISO 9001-certifiering",
        "pris för iso 9001 certifiering",
        "hur mycket kostar det att certifiera sig enligt ISO 9001",
    ],
}
COMMENTS = [
    "Beloppet saknades",
    "Jag ville veta om det gäller enskild firma",
    "Svaret handlade om något annat än min fråga",
    "Inget om tullar",
    "Saknade datum för nästa utlysning",
    "Kontakta mig gärna på anna.svensson@example.se",
    "Ring mig på 070-123 45 67 så förklarar jag",
    "Mitt personnummer är 19850101-1234, kan ni kolla om jag kan söka?",
    "För allmänt, jag behövde konkreta steg",
]
SMALL_TALK = ["hej", "hur mår du?", "är du en människa?", "tack!", "vad kan du hjälpa mig med?"]
SKIP_TITLES = ("vet inte", "hoppa över")


class Client:
    """Talks to Rasa's REST channel."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/") + "/webhooks/rest/webhook"

    def say(self, sender: str, message: str) -> list[dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return list(json.loads(response.read().decode()))


def rateable(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in replies if r.get("rating")]


def maybe_rate(
    client: Client, sender: str, replies: list[dict[str, Any]], rnd: random.Random, down: float
) -> str:
    """Rate the first rateable reply: 👎 with probability `down`, else 👍 half the time; maybe comment."""
    marked = rateable(replies)
    if not marked:
        return ""
    roll = rnd.random()
    if roll < down:
        client.say(sender, rating_payload("down", marked[0]["rating"]))
        if rnd.random() < 0.6:
            client.say(sender, rnd.choice(COMMENTS))
            return "down+comment"
        if rnd.random() < 0.5:
            client.say(sender, "/deny")
        return "down"
    if roll < down + 0.5:
        client.say(sender, rating_payload("up", marked[0]["rating"]))
        return "up"
    return ""


def factual(client: Client, sender: str, rnd: random.Random) -> str:
    for question in rnd.sample(ANSWERABLE, rnd.randint(1, 3)):
        replies = client.say(sender, question)
        maybe_rate(client, sender, replies, rnd, down=0.15)
    return "factual"


def unanswerable(client: Client, sender: str, rnd: random.Random) -> str:
    group = rnd.choice(sorted(UNANSWERABLE))
    for question in rnd.sample(UNANSWERABLE[group], rnd.randint(1, 2)):
        replies = client.say(sender, question)
        maybe_rate(client, sender, replies, rnd, down=0.7)
    return f"unanswerable:{group}"


def consultation(client: Client, sender: str, rnd: random.Random) -> str:
    """Greet, tap the offered consultation, answer with buttons; abandon or stop on the way, or finish."""
    client.say(sender, "/greet")
    replies = client.say(sender, "/start_consultation")
    patience = rnd.choice([1, 2, 3, 4, 6, 99, 99, 99])
    for step in range(16):
        marked = [r for r in rateable(replies) if r["rating"].get("answer") == "recommendation"]
        if marked:
            if rnd.random() < 0.5:
                rating = "up" if rnd.random() < 0.7 else "down"
                client.say(sender, rating_payload(rating, marked[0]["rating"]))
                if rating == "down" and rnd.random() < 0.7:
                    client.say(sender, rnd.choice(COMMENTS))
            return "consultation:finished"
        if step >= patience:
            if rnd.random() < 0.3:
                client.say(sender, "avbryt")
                return "consultation:stopped"
            return "consultation:abandoned"
        buttons = [b for r in replies for b in r.get("buttons") or []]
        options = [b for b in buttons if not b["title"].lower().startswith(SKIP_TITLES)] or buttons
        if not options:
            return "consultation:stuck"
        replies = client.say(sender, rnd.choice(options)["payload"])
    return "consultation:too-long"


def small_talk(client: Client, sender: str, rnd: random.Random) -> str:
    for text in rnd.sample(SMALL_TALK, 2):
        client.say(sender, text)
    return "small talk"


SCENARIOS = [(factual, 35), (unanswerable, 25), (consultation, 28), (small_talk, 12)]


def simulate(url: str, count: int, seed: int, workers: int) -> Counter[str]:
    """Run `count` conversations; return how many of each scenario ran."""
    client = Client(url)
    rnd = random.Random(seed)
    plans = []
    for n in range(count):
        scenario = rnd.choices([s for s, _ in SCENARIOS], [w for _, w in SCENARIOS])[0]
        prefix = rnd.choices(["tg-sim", "web-sim", "sim"], [45, 45, 10])[0]
        plans.append((scenario, f"{prefix}{seed}-{n}", random.Random(seed * 100_003 + n)))

    def run(plan: tuple[Any, str, random.Random]) -> str:
        scenario, sender, own = plan
        return str(scenario(client, sender, own))

    with ThreadPoolExecutor(workers) as pool:
        return Counter(pool.map(run, plans))


def backdate(db: Path, days: int, seed: int) -> int:
    """Shift each simulated conversation back by a random number of days (0 … days-1); return how many."""
    rnd = random.Random(seed)
    conn = sqlite3.connect(db)
    try:
        senders = [row[0] for row in conn.execute("SELECT DISTINCT sender_id FROM events ORDER BY sender_id")]
        with conn:
            for sender in senders:
                shift = rnd.randrange(days) * 86400 + rnd.randrange(-3, 4) * 3600
                rows = conn.execute("SELECT id, data FROM events WHERE sender_id = ?", (sender,)).fetchall()
                for event_id, data in rows:
                    event = json.loads(data)
                    event["timestamp"] = float(event.get("timestamp") or 0) - shift
                    value = event.get("value")
                    if isinstance(value, dict) and "answered_at" in value:
                        value["answered_at"] = float(value["answered_at"]) - shift
                    conn.execute(
                        "UPDATE events SET timestamp = ?, data = ? WHERE id = ?",
                        (event["timestamp"], json.dumps(event), event_id),
                    )
        return len(senders)
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True, help="Rasa server base URL, e.g. http://localhost:5005")
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--workers", type=int, default=2, help="conversations in parallel (2)")
    parser.add_argument("--db", type=Path, help="the server's SQLite tracker file (for --backdate-days)")
    parser.add_argument("--backdate-days", type=int, default=0, help="spread conversations over N days")
    args = parser.parse_args(argv)
    started = time.monotonic()
    counts = simulate(args.url, args.conversations, args.seed, args.workers)
    print(f"{sum(counts.values())} conversations in {time.monotonic() - started:.0f} s:")
    for name, n in sorted(counts.items()):
        print(f"  {n:>4}  {name}")
    if args.backdate_days:
        if not args.db:
            parser.error("--backdate-days needs --db")
        spread = backdate(args.db, args.backdate_days, args.seed)
        print(f"spread {spread} conversation(s) over {args.backdate_days} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
