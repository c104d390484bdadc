"""A URL configuration that serves the learning register even before the reviews URLs include it
(the tests reverse names, so the prefix does not matter)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, include, path, reverse

from chronicle import urls as root_urls


def _register_is_routed() -> bool:
    try:
        reverse("learning-register", urlconf="chronicle.urls")
    except NoReverseMatch:
        return False
    return True


urlpatterns = [
    *root_urls.urlpatterns,
    *([] if _register_is_routed() else [path("reviews/learning/", include("chronicle.learning.urls"))]),
]

# Test modules use this mark so every request resolves through the patterns above.
LEARNING_URLS = pytest.mark.urls("tests.support.learning_urls")
