"""Two-factor set-up needs a single-use link as well as the password.

Whoever holds only a password must not be able to attach their own authenticator to an account
that has none. Set-up is open to a session that came through either link:

- the invitation, which works once (accepting it marks the session), or
- a set-up link a system administrator issues (``chronicle two-factor-link EMAIL``). It is signed
  over the account's state, like a password-reset link, and the state includes the account's
  confirmed devices: once a device is set up through it, the link no longer works.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from chronicle.accounts.models import User

SESSION_KEY = "two_factor_enrolment"


class EnrolmentTokens(PasswordResetTokenGenerator):
    key_salt = "chronicle.accounts.enrolment"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        devices = ",".join(
            str(pk)
            for pk in TOTPDevice.objects.filter(user=user, confirmed=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return f"{user.pk}{user.password}{timestamp}{devices}{user.is_active}"


tokens = EnrolmentTokens()


def link_for(user: User) -> str:
    """The single-use set-up link an administrator sends to the person (valid PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "two-factor-enrol", args=[urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)]
    )
    return settings.SITE_URL.rstrip("/") + path


def user_for_link(uidb64: str, token: str) -> User | None:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if tokens.check_token(user, token) else None


def allow_from_invitation(request: HttpRequest, user: User) -> None:
    request.session[SESSION_KEY] = {"user": user.pk}


def allow_from_link(request: HttpRequest, user: User, uidb64: str, token: str) -> None:
    request.session[SESSION_KEY] = {"user": user.pk, "uid": uidb64, "token": token}


def may_enrol(request: HttpRequest, user: Any) -> bool:
    """Whether this session came through a single-use link for this account."""
    granted = request.session.get(SESSION_KEY) or {}
    if granted.get("user") != user.pk:
        return False
    if "token" in granted:
        return user_for_link(granted["uid"], granted["token"]) == user
    return True


def finish(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
