"""The append-only audit log (design §7): who did what, to which record, when, from where."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

from chronicle.audit.chain import GENESIS, HASHED_FIELDS, event_hash

# Any fixed number: the PostgreSQL advisory lock that lets one writer at a time extend the chain.
CHAIN_LOCK_ID = 7_310_013


class AuditEventImmutable(Exception):
    """Audit events are written once and never changed or deleted."""


class Action(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    TWO_FACTOR = "two_factor", "Two-factor step"
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Removed"
    EXPORT = "export", "Exported"
    ACCESS_DENIED = "access_denied", "Access refused"


class Outcome(models.TextChoices):
    SUCCESS = "success", "Succeeded"
    FAILURE = "failure", "Failed"
    DENIED = "denied", "Refused"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Every way the ORM changes or removes rows is refused; new events go through ``save``."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditEventImmutable("audit events cannot be changed")

    def _update(self, values: Any) -> NoReturn:
        raise AuditEventImmutable("audit events cannot be changed")

    def delete(self) -> NoReturn:
        raise AuditEventImmutable("audit events cannot be deleted")

    def _raw_delete(self, using: Any) -> NoReturn:
        raise AuditEventImmutable("audit events cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditEventImmutable("audit events cannot be changed")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Each event's hash follows the one before it: events are written one at a time.
        raise AuditEventImmutable("audit events are written one at a time (chronicle.audit.services.record)")


def lock_chain(using: str) -> None:
    """Let one writer at a time read the chain's last hash and append to it.

    PostgreSQL: an advisory lock held until the transaction ends. SQLite: every transaction begins
    IMMEDIATE (see the database settings), so a writer already holds the database's write lock.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the event reads the same whatever later happens to the account.
    user_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True, db_index=True)
    object_id = models.CharField(max_length=200, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.TextField(blank=True)
    # SHA-256 over this event's content and the previous event's hash (chronicle.audit.chain).
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # Django's own deletes and related lookups use the base manager: it must refuse too.
        base_manager_name = "objects"
        indexes = [models.Index(fields=["partnership", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label or 'anonymous'} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or self.pk is not None:
            raise AuditEventImmutable("audit events cannot be changed")
        using = kwargs.get("using") or router.db_for_write(AuditEvent, instance=self)
        with transaction.atomic(using=using):
            lock_chain(using)
            last = AuditEvent.objects.using(using).order_by("-id").values_list("hash", flat=True).first()
            values = {name: getattr(self, name) for name in HASHED_FIELDS}
            self.hash = event_hash(last or GENESIS, values)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditEventImmutable("audit events cannot be deleted")
