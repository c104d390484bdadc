from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "chronicle.reviews"
    label = "reviews"
    verbose_name = "Rapid reviews and learning"
