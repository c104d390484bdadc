from __future__ import annotations

import pytest

from tests.factories import FullCase, World, build_full_case


@pytest.fixture
def full_case(world: World) -> FullCase:
    """Case NS-2024-088 carried through a finalised rapid review (tests.factories.reviews)."""
    return build_full_case(world)
