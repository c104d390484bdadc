from __future__ import annotations

from typing import Any

import pytest

from chronicle.incidents.models import Incident
from chronicle.reviews.models import RapidReview


@pytest.fixture
def review(as_: Any, case: Incident) -> RapidReview:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    return RapidReview.objects.get(incident=case)


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    settings.EXPORTS_DIR = tmp_path / "exports"
