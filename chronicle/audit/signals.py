"""Sign-in, sign-out and failed sign-in go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from chronicle.audit.models import Action, Outcome
from chronicle.audit.services import record


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(request, Action.SIGN_IN, user=user, object_type="user", object_id=str(user.code))


@receiver(user_logged_out)
def audit_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(request, Action.SIGN_OUT, user=user, object_type="user", object_id=str(user.code))


@receiver(user_login_failed)
def audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The password is never stored; the username tried is, so repeated attempts can be seen.
    record(
        request,
        Action.SIGN_IN_FAILED,
        object_type="user",
        object_label=str(credentials.get("username", ""))[:300],
        outcome=Outcome.FAILURE,
    )
