from __future__ import annotations

from django.http import HttpRequest

from chronicle.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind @login_required: its user is a real account."""

    user: User
