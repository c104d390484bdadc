from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory

from chronicle.accounts.models import User
from chronicle.audit.models import Action, AuditEvent, AuditEventImmutable
from tests.factories import World, signed_in


@pytest.fixture
def event(world: Any) -> AuditEvent:
    return AuditEvent.objects.create(
        action=Action.VIEW,
        user=world.manager,
        user_label="manager@northshire.example",
        partnership=world.northshire,
    )


def test_it_refuses_to_save_a_changed_event(event: AuditEvent) -> None:
    event.action = Action.DELETE
    with pytest.raises(AuditEventImmutable):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


def test_it_refuses_to_delete_an_event(event: AuditEvent) -> None:
    with pytest.raises(AuditEventImmutable):
        event.delete()
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_queryset_updates(event: AuditEvent) -> None:
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.DELETE)
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.bulk_update([event], ["action"])


def test_it_refuses_an_update_in_the_database_itself(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'delete' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


def test_it_refuses_a_raw_delete_in_the_database(event: AuditEvent) -> None:
    for statement in (
        "DELETE FROM audit_auditevent WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id >= %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    # Without a WHERE clause SQLite would empty the table in one step, skipping row triggers,
    # unless the table has a DELETE trigger.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_truncate_on_postgresql(event: AuditEvent) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE without WHERE is refused above")
    for statement in ("TRUNCATE audit_auditevent", "TRUNCATE audit_auditevent CASCADE"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_deletes_through_the_base_manager_and_related_deletes(
    event: AuditEvent, world: World
) -> None:
    # Django's own deletes and related lookups go through the base manager: it is the refusing one.
    assert AuditEvent._meta.base_manager_name == "objects"
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"detail": "changed"})
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.bulk_create([AuditEvent(action=Action.VIEW)])
    # Deleting the person or the partnership an event names would delete the event with them.
    for named in (world.manager, world.northshire):
        with pytest.raises(ProtectedError) as refused, transaction.atomic():
            named.delete()
        assert event in refused.value.protected_objects
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_it_gives_the_admin_no_way_to_change_or_delete(event: AuditEvent, world: Any) -> None:
    admin_user = User.objects.create_superuser("root@chronicle.example", "root@chronicle.example", "x" * 20)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = site.get_model_admin(AuditEvent)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    client = signed_in(admin_user)
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
