from __future__ import annotations

from typing import Any

import pytest

from chronicle.reviews.models import RapidReview
from tests.composite.conftest import case  # noqa: F401  (two agencies' submitted chronologies, a reviewer assigned)


@pytest.fixture
def review(as_: Any, case: Any) -> RapidReview:  # noqa: F811
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    return RapidReview.objects.get(incident=case)


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    settings.EXPORTS_DIR = tmp_path / "exports"
