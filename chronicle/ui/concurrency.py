"""Two people at once: edits checked against the version read, and forms that are safe to post twice.

Every editable record carries ``lock_version`` (``Versioned``). A form carries the version it was
read at; ``claim`` moves the row on from exactly that version with one conditional UPDATE, so of
two saves over the same version one wins and the other gets ``EditConflict`` (what changed, and
who changed it), never a silent overwrite. Creates and submits spend a once-only token (``once``)
in the same transaction as what they create: the second post of a form lands on the result.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from chronicle.ui.models import SpentFormToken

T = TypeVar("T")
# Spent tokens are kept long enough to catch a repeated post, then cleared as new ones are spent.
TOKENS_KEPT = dt.timedelta(days=2)


class Versioned(models.Model):
    """A record people edit: its version moves on with every change."""

    lock_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            if getattr(self, "_version_claimed", False):
                self._version_claimed = False  # claim() has already moved the row on
            else:
                # A change made without a form (a submit, a status): moved on in the database
                # itself, so a form read before it is refused.
                manager = type(self)._default_manager
                manager.filter(pk=self.pk).update(lock_version=F("lock_version") + 1)
                self.lock_version = manager.filter(pk=self.pk).values_list("lock_version", flat=True).get()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "lock_version"}
        super().save(*args, **kwargs)


class EditConflict(Exception):
    """Someone else saved the record after this person read it."""

    def __init__(
        self, noun: str, current_version: int, changed: list[str], by: str = "", at: dt.datetime | None = None
    ) -> None:
        self.noun = noun
        self.current_version = current_version
        self.changed = changed
        self.by = by
        self.at = at
        super().__init__(self.message())

    def message(self, labels: dict[str, str] | None = None) -> str:
        who = self.by or "Someone else"
        when = f" at {timezone.localtime(self.at):%H:%M}" if self.at else ""
        text = f"{who} changed this {self.noun}{when} while you were editing it"
        if self.changed:
            named = ((labels or {}).get(name, name.replace("_", " ").capitalize()) for name in self.changed)
            names = list(dict.fromkeys(named))  # one mention of a label several stored fields share
            text += f" ({', '.join(names)})"
        return (
            f"{text}. Your changes have not been saved: they are still in the form. "
            "Check their changes, then save again to keep yours"
        )


def claim(instance: Versioned, read_version: int | None, *, noun: str = "record") -> None:
    """Inside the caller's transaction: move the row on from the version read, or raise EditConflict.

    One conditional UPDATE, so the check and the change are one step on every database. Without a
    read version (a form from before versions) the version loaded with the instance is used.
    """
    if read_version is None:
        read_version = instance.lock_version
    manager = type(instance)._default_manager
    moved = manager.filter(pk=instance.pk, lock_version=read_version).update(lock_version=read_version + 1)
    if not moved:
        raise conflict(instance, read_version, noun=noun)
    instance.lock_version = read_version + 1
    instance._version_claimed = True


def claim_number(current: int | None, read: int | None, *, noun: str, by: str = "") -> None:
    """For records kept as numbered versions (screenings, decisions): refuse if a newer one appeared.

    Called with the parent locked (``select_for_update``), so the number checked is the number taken.
    """
    if read is not None and (current or 0) != read:
        raise EditConflict(noun, current or 0, [], by=by)


def conflict(
    instance: Versioned, read_version: int, *, noun: str, fields: Iterable[str] = ()
) -> EditConflict:
    """What changed since the version read, and who changed it, from the record's history."""
    model = type(instance)
    current = model._default_manager.filter(pk=instance.pk).first()
    if current is None:
        return EditConflict(noun, read_version, [], by="Someone else (it has been removed)")
    names = list(fields) or [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in {"id", "code", "lock_version", "updated_at"} and not f.primary_key
    ]
    changed: list[str] = []
    by, at = "", None
    history = getattr(model, "history", None)
    if history is not None:
        then = history.filter(id=instance.pk, lock_version=read_version).order_by("-history_id").first()
        latest = history.filter(id=instance.pk).order_by("-history_id").first()
        if then is not None:
            changed = [
                name
                for name in names
                # Fields the history leaves out (derived ones, such as an entry's events) are not compared.
                if hasattr(then, _attname(model, name))
                and getattr(then, _attname(model, name)) != getattr(current, _attname(model, name))
            ]
        if latest is not None:
            user = latest.history_user
            by = (user.get_full_name() or user.email) if user is not None else ""
            at = latest.history_date
    return EditConflict(noun, current.lock_version, changed, by=by, at=at)


def _attname(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).attname  # type: ignore[union-attr]


class AlreadyDone(Exception):
    """The form was posted before: its token is spent. ``url`` is what the first post made."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(url)


def once(
    request: HttpRequest, token: uuid.UUID | None, action: Callable[[], T], url_of: Callable[[T], str]
) -> T:
    """Run ``action`` once per form token, in one transaction with the token's spending.

    A second post of the same form waits for the first (the token's unique index) and raises
    AlreadyDone with the first result's address. Without a token the action simply runs.
    """
    with transaction.atomic():
        if token is None:
            return action()
        user_id = request.user.pk
        if user_id is None:  # forms are posted behind @login_required: never reached by a visitor
            raise PermissionDenied
        try:
            with transaction.atomic():
                spent = SpentFormToken.objects.create(token=token, user_id=user_id)
        except IntegrityError:
            earlier = SpentFormToken.objects.filter(token=token, user_id=user_id).first()
            raise AlreadyDone(earlier.result_url if earlier else "") from None
        result = action()
        spent.result_url = url_of(result)[:500]
        spent.save(update_fields=["result_url"])
        SpentFormToken.objects.filter(spent_at__lt=timezone.now() - TOKENS_KEPT).delete()
        return result
