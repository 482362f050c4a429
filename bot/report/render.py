"""Render the report's figures: one self-contained HTML file (inline SVG plots, no network) and a summary.

The Swedish texts are in `texts.yml` beside this module.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.report.analyse import Figures
from bot.report.collect import UNANSWERED

if TYPE_CHECKING:
    from bot.kb.store import KnowledgeBase

HERE = Path(__file__).resolve().parent
# Okabe–Ito colours: told apart with colour-blindness and in greyscale print (with the hatches below).
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
HATCHES = ["", "//", "..", "xx", "\\\\", "--"]
MAX_GROUPS = 25
MAX_RATED = 15
MAX_ENTRIES = 15


@lru_cache(maxsize=1)
def texts() -> dict[str, str]:
    """The report's Swedish texts."""
    return dict(yaml.safe_load((HERE / "texts.yml").read_text(encoding="utf-8")))


def t(key: str, **values: object) -> str:
    """One text, filled and HTML-escaped."""
    return html.escape(texts()[key].format(**values))


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def _svg(draw: Callable[[Any], None], width: float, height: float) -> str:
    """A matplotlib figure drawn by `draw(fig)` as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(
        {
            # Text as paths: the page looks the same without the fonts matplotlib used, and prints sharp.
            "svg.fonttype": "path",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "lotsen",
        }
    ):
        fig = plt.figure(figsize=(width, height))
        try:
            draw(fig)
            fig.tight_layout()
            out = io.StringIO()
            fig.savefig(out, format="svg", metadata={"Date": None})
        finally:
            plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def _date_axis(ax: Any, days: Sequence[dt.date], labels: int = 12) -> None:
    step = max(1, -(-len(days) // labels))
    ax.set_xticks(range(0, len(days), step))
    ax.set_xticklabels([d.strftime("%-d/%-m") for d in days[::step]])


def traffic_plot(fig_data: Figures) -> str:
    """Conversations per day stacked by channel, and messages per day."""

    def draw(fig: Any) -> None:
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        x = range(len(fig_data.days))
        bottom = [0] * len(fig_data.days)
        for i, channel in enumerate(fig_data.channels):
            values = fig_data.conversations[channel]
            left.bar(
                x,
                values,
                bottom=bottom,
                label=channel,
                color=COLOURS[i % len(COLOURS)],
                hatch=HATCHES[i % len(HATCHES)],
                edgecolor="white",
                linewidth=0.5,
            )
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        left.set_ylabel(texts()["conversations"])
        left.legend(
            frameon=False, fontsize=9, ncol=len(fig_data.channels), loc="lower left", bbox_to_anchor=(0, 1.06)
        )
        _date_axis(left, fig_data.days, labels=10)
        right.plot(x, fig_data.messages, color=COLOURS[0], marker="o", markersize=3)
        right.set_ylabel(texts()["messages"])
        right.set_ylim(bottom=0)
        _date_axis(right, fig_data.days, labels=6)

    return _svg(draw, 10, 3.2)


def rates_plot(fig_data: Figures) -> str:
    """The share of typed messages left unanswered, and answered with a menu, per day."""

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        x = list(range(len(fig_data.days)))
        for i, (key, series) in enumerate(
            (("rate_unanswered", fig_data.unanswered_rate), ("rate_clarified", fig_data.clarified_rate))
        ):
            y = [float("nan") if v is None else 100 * v for v in series]
            ax.plot(
                x,
                y,
                label=texts()[key],
                color=COLOURS[i * 5],
                marker="os"[i],
                markersize=4,
                linestyle="-" if i == 0 else "--",
            )
        ax.set_ylabel(texts()["share"] + " (%)")
        ax.set_ylim(
            0,
            max(
                [5.0]
                + [
                    100 * v
                    for s in (fig_data.unanswered_rate, fig_data.clarified_rate)
                    for v in s
                    if v is not None
                ]
            )
            * 1.15,
        )
        ax.legend(frameon=False)
        _date_axis(ax, fig_data.days)

    return _svg(draw, 10, 3)


def funnel_plot(labels: Sequence[str], counts: Sequence[int]) -> str:
    """Horizontal funnel bars with count and share of the first stage."""

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        y = list(range(len(labels)))[::-1]
        ax.barh(y, counts, color=COLOURS[0])
        top = max(counts[0], 1)
        for yi, count in zip(y, counts, strict=True):
            ax.text(count, yi, f"  {count} ({100 * count / top:.0f} %)", va="center", fontsize=9)
        ax.set_yticks(y)
        ax.set_yticklabels(labels)
        ax.set_xlim(0, top * 1.25)
        ax.spines["bottom"].set_visible(False)
        ax.set_xticks([])

    return _svg(draw, 10, 0.6 + 0.32 * len(labels))


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], classes: str = "") -> str:
    """An HTML table; cells are already escaped HTML."""
    head = "".join(f"<th scope='col'>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table class='{classes}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _list(items: Sequence[str], empty: str = "") -> str:
    if not items:
        return empty
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def _titles(kb: KnowledgeBase | None) -> Callable[[str], str]:
    """Entry id → "Title (id)", HTML-escaped; the recommendation by its label."""

    def title(answer: str) -> str:
        if answer == "recommendation":
            return t("recommendation")
        if answer.startswith("action_"):
            return f"{t('no_entry_answer')} <code>{html.escape(answer)}</code>"
        entry = kb.get(answer.split("#", 1)[0]) if kb is not None else None
        name = f"{entry.title} " if entry is not None else ""
        return f"{html.escape(name)}<code>{html.escape(answer)}</code>"

    return title


def stage_label(key: str, question_labels: dict[str, str]) -> str:
    """The funnel stage's label: a stage name, or the consultation question's label."""
    if key.startswith("q:"):
        slot = key[2:]
        return question_labels.get(slot, slot)
    return texts()[f"stage_{key}"]


def render_html(
    fig: Figures,
    kb: KnowledgeBase | None,
    question_labels: dict[str, str],
    retention_days: int,
    now: dt.datetime,
) -> str:
    """The whole report as one HTML document."""
    title = _titles(kb)
    total = fig.totals
    key_figures = [
        (str(total["conversations"]), t("key_conversations")),
        (str(total["messages"]), t("key_messages")),
        (_percent(_share(total["not_understood"] + total["not_found"], total["typed"])), t("key_unanswered")),
        (_percent(_share(total["clarified"], total["typed"])), t("key_clarified")),
        (f"{total['up']} / {total['down']}", t("key_ratings")),
        (f"{total['recommended']} / {total['started']}", t("key_consultations")),
    ]
    cards = "".join(f"<div class='card'><b>{v}</b><span>{k}</span></div>" for v, k in key_figures)
    channel_rows = [[html.escape(ch), str(sum(fig.conversations[ch]))] for ch in fig.channels]
    reasons = {k: texts()[f"reason_{k}"] for k in UNANSWERED}
    group_rows = []
    for i, g in enumerate(fig.groups[:MAX_GROUPS], 1):
        closest = (
            f"{html.escape(g.closest[1])} <code>{html.escape(g.closest[0])}</code>"
            if g.closest
            else t("no_entry")
        )
        why = ", ".join(f"{reasons[r]} ({n})" for r, n in g.reasons.most_common())
        group_rows.append(
            [str(i), f"<b>{g.count}</b>", _list(g.examples, t("hidden")), html.escape(why), closest]
        )
    rated_rows = [
        [title(r.answer), str(r.up), f"<b>{r.down}</b>", _list(r.questions[:MAX_RATED]), _list(r.comments)]
        for r in fig.rated
        if r.down
    ][:MAX_RATED]
    entry_rows = [[title(e), str(n)] for e, n in fig.entries[:MAX_ENTRIES]]
    labels = [stage_label(k, question_labels) for k, _ in fig.funnel]
    counts = [n for _, n in fig.funnel]
    stop_rows = [
        [html.escape(question_labels.get(s, s)) if s else t("before_first"), str(left), str(stopped)]
        for s, left, stopped in fig.stops
    ]
    privacy = t("privacy", days=retention_days) if retention_days > 0 else t("privacy_all")
    if fig.hidden_texts:
        privacy += " " + t("privacy_hidden", count=fig.hidden_texts)
    none = f"<p class='none'>{t('none')}</p>"
    sections = [
        (
            "traffic",
            t("traffic"),
            t("traffic_help"),
            traffic_plot(fig) + _table([t("channel"), t("conversations")], channel_rows, "narrow"),
        ),
        ("rates", t("rates"), t("rates_help"), rates_plot(fig)),
        (
            "unanswered",
            t("unanswered"),
            t("unanswered_help"),
            _table(["#", t("count"), t("examples"), t("reason"), t("closest")], group_rows)
            if group_rows
            else none,
        ),
        (
            "ratings",
            t("ratings"),
            t("ratings_help"),
            _table([t("answer"), t("up"), t("down"), t("questions"), t("missing")], rated_rows)
            if rated_rows
            else none,
        ),
        (
            "entries",
            t("entries"),
            t("entries_help"),
            _table([t("entry"), t("answers")], entry_rows, "narrow") if entry_rows else none,
        ),
        (
            "funnel",
            t("funnel"),
            t("funnel_help"),
            (funnel_plot(labels, counts) if counts[0] else none)
            + f"<h3>{t('stops')}</h3><p>{t('stops_help')}</p>"
            + (
                _table([t("last_question"), t("left"), t("stopped")], stop_rows, "narrow")
                if stop_rows
                else none
            ),
        ),
    ]
    body = "".join(
        f"<section id='{key}'><h2>{heading}</h2><p class='help'>{help_text}</p>{content}</section>"
        for key, heading, help_text, content in sections
    )
    heading = t("title", start=fig.start.isoformat(), end=fig.end.isoformat())
    generated = t("generated", now=now.strftime("%Y-%m-%d %H:%M"), start=fig.start, end=fig.end)
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title>
<style>{STYLE}</style></head>
<body><main>
<h1>{heading}</h1>
<p class="meta">{generated}</p>
<p class="privacy">{privacy}</p>
<div class="cards">{cards}</div>
{body}
</main></body></html>
"""


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c2024;
  background: #f5f7f9; margin: 0; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 36px 0 4px; border-bottom: 2px solid #1d5b8f; padding-bottom: 4px; }
h3 { font-size: 1.05rem; margin: 20px 0 4px; }
.meta, .help, .privacy { color: #4a525a; margin: 4px 0 12px; }
.privacy { background: #eef4f9; border-left: 4px solid #1d5b8f; padding: 8px 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px;
  margin: 16px 0; }
.card { border: 1px solid #cfd6dd; border-radius: 8px; padding: 10px 12px; }
.card b { display: block; font-size: 1.45rem; }
.card span { color: #4a525a; font-size: 0.9rem; }
svg { max-width: 100%; height: auto; display: block; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 0.93rem; }
table.narrow { width: auto; min-width: 320px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #dde3e8; }
th { background: #edf1f5; }
td ul { margin: 0; padding-left: 18px; }
code { font-size: 0.85em; color: #4a525a; }
.none { color: #4a525a; font-style: italic; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section, tr, svg, .cards { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


def render_summary(fig: Figures, out: Path | None) -> str:
    """A short plain-text summary for the terminal (no message texts beyond the masked top groups)."""
    total = fig.totals
    typed = total["typed"]
    channels = ", ".join(f"{ch} {sum(fig.conversations[ch])}" for ch in fig.channels)
    unanswered = _percent(_share(total["not_understood"] + total["not_found"], typed))
    lines = [
        f"Produktionslotsen report {fig.start} – {fig.end}" + (f": {out}" if out else ""),
        f"  conversations: {total['conversations']} ({channels})",
        f"  messages: {total['messages']}, of them typed (not buttons): {typed}",
        f"  answered {_percent(_share(total['answered'], typed))}, not understood or nothing found "
        f"{unanswered}, menu {_percent(_share(total['clarified'], typed))}, "
        f"out of scope {_percent(_share(total['out_of_scope'], typed))}",
        f"  unanswered groups: {len(fig.groups)}; top:",
    ]
    for g in fig.groups[:5]:
        closest = f"  (closest: {g.closest[0]})" if g.closest else ""
        lines.append(f"    {g.count:>4} × {g.examples[0] if g.examples else '(text hidden)'}{closest}")
    lines.append(f"  ratings: {total['up']} up, {total['down']} down, {total['comments']} comment(s)")
    for r in [r for r in fig.rated if r.down][:3]:
        lines.append(f"    {r.answer}: {r.up} up, {r.down} down, {len(r.comments)} comment(s)")
    lines.append("  most asked: " + ", ".join(f"{e} ({n})" for e, n in fig.entries[:5]))
    lines.append("  consultation: " + " → ".join(f"{k.removeprefix('q:')} {n}" for k, n in fig.funnel))
    if fig.stops:
        slot, left, stopped = fig.stops[0]
        where = slot or "before the first question"
        lines.append(
            f"  most unfinished consultations stopped at: {where} ({left} left, {stopped} said stop)"
        )
    return "\n".join(lines)
