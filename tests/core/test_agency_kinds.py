"""Offline commands guess an agency's type from its name, only as evidence for reading events."""

from __future__ import annotations

import pytest

from chronicle.core.agency_kinds import guess_agency_type


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Northshire Police", "police"),
        ("Riverside Medical Practice", "gp_practice"),
        ("Northshire Children's Social Care", "childrens_social_care"),
        ("Northshire 0-19 Health Visiting Service", "health_trust"),
        ("St Anne's Primary School", "education"),
        ("Little Acorns Nursery", "early_years"),
        ("Family (context)", ""),
    ],
)
def test_it_guesses_an_agency_type_from_its_name(name: str, kind: str) -> None:
    assert guess_agency_type(name) == kind
