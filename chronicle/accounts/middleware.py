"""Two-factor sign-in, enforced on every page when CHRONICLE_REQUIRE_2FA is true."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import user_has_device

# Pages a signed-in person may reach before finishing the two-factor step.
OPEN_PREFIXES = ("/sign-in/", "/sign-out/", "/static/", "/invitations/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            if user_has_device(user):
                return redirect("two-factor-verify")
            return redirect("two-factor-setup")
        return self.get_response(request)
