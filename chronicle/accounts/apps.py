from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chronicle.accounts"
    label = "accounts"
    verbose_name = "Partnerships, agencies and people"
