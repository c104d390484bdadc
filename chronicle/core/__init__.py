"""The functional core: plain Python with no Django imports.

Dates with precision, the working-day calendar, the canonical chronology entry,
importers, merge, rules and quality checks live here. Everything takes plain
values or dataclasses and returns plain results, so the web app, the command
line and the benchmarks share one implementation.
"""
