from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from chronicle.accounts.models import Partnership
from chronicle.incidents.models import Incident
from chronicle.oversight.threshold import audit


def test_it_loads_the_demo_incidents_once(db: Any) -> None:
    call_command("demo", stdout=StringIO())
    count = Incident.objects.count()
    call_command("demo", stdout=StringIO())
    assert Incident.objects.count() == count >= 6


def test_it_shows_the_2012_case_in_the_threshold_audit(db: Any) -> None:
    call_command("demo", stdout=StringIO())
    report = audit(Partnership.objects.get(name__startswith="Northshire"))
    assert "NS-2012-004" in [m.reference for m in report.unscreened]
