"""Persona rounds 18 and 18b, p04 (unsound in both): an engineering firm that builds 25–40 customer-specific
dosing and sampling stations a year, buys sheet metal and machining locally, assembles and tests itself, and
wants shorter lead times, was told to hand everything to a contract manufacturer, with general product safety
and no CE. Its stations are machinery, each unique (many variants), and the lead-time priority counts for the
split it already has (hybrid) as much as for a contract manufacturer."""

from __future__ import annotations

from bot.advisor import parse_answer
from bot.advisor.engine import recommend

OPENING = (
    "Hej, vi är ett litet ingenjörsbolag i Västerås, 12 pers. Vi bygger provtagnings- och "
    "doseringsstationer till massabruk och kemifabriker, typ 25-40 st om året och nästan varje är unik. Plåt "
    "och bearbetning köper vi, montering och test gör vi själva. Ledtiderna är för långa, 16 veckor, "
    "kunderna vill ha 8."
)


def test_the_opening_says_machinery_unique_units_own_assembly_and_the_lead_time_goal() -> None:
    values = parse_answer(OPENING).values
    assert "machinery" in values["product_type"]
    assert values["variants"] == "many"
    assert values["capability"] == "some"
    assert values["situation"] == "cost_leadtime"


def test_unique_stations_with_own_assembly_keep_the_split_and_modularise() -> None:
    slots = {
        **parse_answer(OPENING).values,
        "current_location": "sweden",
        "markets": ["sweden", "nordics", "outside_eu"],
        "capital": 300_000,
        "ip_sensitivity": "medium",
        "priorities": ["lead_time"],
    }
    advice = recommend(slots, None)
    assert advice.category == "hybrid", advice.title
    assert "odularisera" in advice.as_text()


def test_a_start_up_without_production_that_wants_short_lead_times_still_gets_a_maker() -> None:
    slots = {
        "situation": "new_product",
        "stage": "prototype",
        "product_type": ["electronics"],
        "capability": "none",
        "volume": 800,
        "capital": 400_000,
        "priorities": ["lead_time"],
    }
    advice = recommend(slots, None)
    assert advice.category == "swedish_contract", advice.title
