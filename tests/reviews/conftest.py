from __future__ import annotations

from typing import Any

import pytest

from chronicle.accounts.models import Agency, AgencyType, Role
from tests.composite.conftest import case  # noqa: F401  (the case with two agencies' submitted chronologies)
from tests.conftest import make_user


@pytest.fixture
def partners(world: Any) -> dict[str, Any]:
    """One representative for each statutory partner: the local authority, the ICB and the police."""
    icb = Agency.objects.create(
        partnership=world.northshire,
        name="Northshire ICB",
        agency_type=AgencyType.ICB,
        is_statutory_partner=True,
    )
    return {
        "local_authority": make_user(
            "dcs@northshire.example", world.northshire, Role.STATUTORY_PARTNER, world.social_care
        ),
        "icb": make_user("nurse@northshire.example", world.northshire, Role.STATUTORY_PARTNER, icb),
        "police": make_user("acc@northshire.example", world.northshire, Role.STATUTORY_PARTNER, world.police),
    }
