"""The once-only tokens that make a form safe to post twice (chronicle.ui.concurrency.once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SpentFormToken(models.Model):
    """A form's once-only token, spent in the same transaction as what the form created.

    A second post of the same form finds its token spent and goes to what the first one made.
    """

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    spent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        # Made by the web app before the form kit became its own app; the table keeps its name.
        db_table = "web_spentformtoken"

    def __str__(self) -> str:
        return f"form token {self.token}"
