"""Slowing sign-in attempts from one address after many failures, without locking anyone out.

Lockout (django-axes) is per account *and* address, so guessing at one account cannot lock out
the others who share an office's or a proxy's address. Guessing at many accounts from one address
is slowed instead: after CHRONICLE_SIGN_IN_THROTTLE_FAILURES failed sign-ins from an address in
the lockout period, each attempt from it must wait CHRONICLE_SIGN_IN_THROTTLE_SECONDS after the
last failure. The failures are counted from the audit log, so every web process sees the same.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from chronicle.audit.models import Action, AuditEvent


def seconds_to_wait(ip_address: str | None) -> int:
    """How long this address must wait before its next sign-in attempt (0: go ahead)."""
    if not ip_address:
        return 0
    now = timezone.now()
    window = timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    failures = AuditEvent.objects.filter(
        action=Action.SIGN_IN_FAILED, ip_address=ip_address, at__gte=now - window
    ).aggregate(count=Count("id"), last=Max("at"))
    if failures["count"] < settings.SIGN_IN_THROTTLE_FAILURES or failures["last"] is None:
        return 0
    ready_at = failures["last"] + timedelta(seconds=settings.SIGN_IN_THROTTLE_SECONDS)
    return max(0, math.ceil((ready_at - now).total_seconds()))
