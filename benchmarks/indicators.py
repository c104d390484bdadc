"""Time the harm-indicator scan on many short entries and on one very long text.

    .venv/bin/python benchmarks/indicators.py

The long text guards against patterns that backtrack badly: its time should grow
in proportion to its length. Figures are recorded in docs/performance.md.
"""

from __future__ import annotations

import time

from chronicle.core.indicators import match_indicators

SHORT = "Home visit by health visitor; baby feeding well, no concerns. Bruise noted on cheek."
LONG_UNIT = "Home visit. Child seen alone, no concerns; mother reports the baby is feeding well. "


def seconds(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    entries = [SHORT] * 5000
    short = seconds(lambda: [match_indicators(entry) for entry in entries])
    print(f"5,000 short entries: {short:.3f} s ({short / 5000 * 1e6:.0f} µs an entry)")
    for repeats in (1000, 2000, 4000):
        text = LONG_UNIT * repeats
        took = seconds(lambda text=text: match_indicators(text))
        print(f"one text of {len(text):,} characters: {took:.3f} s")


if __name__ == "__main__":
    main()
