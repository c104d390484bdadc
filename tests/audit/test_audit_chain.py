"""Each audit event carries a hash chained to the one before; `chronicle audit-verify` checks it."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from chronicle.audit import triggers
from chronicle.audit.chain import GENESIS, event_hash
from chronicle.audit.models import Action, AuditEvent
from chronicle.audit.verification import verify_stored_chain


def lift_triggers() -> None:
    """What someone editing the database file by hand would do first (rolled back with the test)."""
    statements = (
        triggers.CURRENT.postgres_down if connection.vendor == "postgresql" else triggers.CURRENT.sqlite_down
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def write_events(world: Any, count: int = 5) -> list[AuditEvent]:
    return [
        AuditEvent.objects.create(
            action=Action.VIEW,
            user=world.manager,
            user_label=world.manager.email,
            partnership=world.northshire,
            object_type="incident",
            object_id=f"case-{number}",
            ip_address="192.0.2.10",
            detail=f"event {number}",
        )
        for number in range(count)
    ]


def test_it_chains_each_event_to_the_one_before(world: Any) -> None:
    first, second = write_events(world, 2)
    previous = (
        AuditEvent.objects.filter(id__lt=first.pk).order_by("-id").values_list("hash", flat=True).first()
    )
    assert first.hash == event_hash(previous or GENESIS, first.__dict__)
    assert second.hash == event_hash(first.hash, second.__dict__)
    assert len(second.hash) == 64 and second.hash != first.hash


def test_it_verifies_an_untouched_log(world: Any, capsys: Any) -> None:
    write_events(world)
    call_command("audit-verify")
    out = capsys.readouterr().out
    assert "The audit log verifies" in out
    assert "Latest hash:" in out


def test_it_names_the_event_changed_by_hand(world: Any) -> None:
    events = write_events(world)
    lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = 'nothing to see' WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=f"does not verify from event {events[2].pk} "):
        call_command("audit-verify")
    assert verify_stored_chain().broken_at == events[2].pk


def test_it_names_the_event_after_one_removed_by_hand(world: Any) -> None:
    events = write_events(world)
    lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"does not verify from event {events[2].pk} "):
        call_command("audit-verify")


def test_it_names_an_event_whose_hash_was_recomputed_alone(world: Any) -> None:
    # Rewriting an event and its own hash still breaks the link to the next event.
    events = write_events(world)
    lift_triggers()
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.detail = "forged"
    forged.hash = event_hash(events[0].hash, forged.__dict__)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET detail = %s, hash = %s WHERE id = %s",
            [forged.detail, forged.hash, forged.pk],
        )
    assert verify_stored_chain().broken_at == events[2].pk


def test_it_shows_the_auditor_whether_the_chain_verifies(as_: Any, world: Any) -> None:
    events = write_events(world)
    response = as_("auditor").get("/audit/")
    assert b"The audit log verifies" in response.content
    lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = 'x' WHERE id = %s", [events[3].pk])
    response = as_("auditor").get("/audit/")
    assert f"does not verify from event {events[3].pk}".encode() in response.content
    assert b"may have been tampered with" in response.content


def test_it_hashes_the_events_stored_before_the_chain_existed(world: Any) -> None:
    migration = __import__(
        "chronicle.audit.migrations.0005_chained_hashes_and_append_only_triggers",
        fromlist=["hash_stored_events"],
    )
    write_events(world)
    lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET hash = ''")
    assert not verify_stored_chain().ok

    class Editor:
        connection = connection

    state = MigrationExecutor(connection).loader.project_state(
        ("audit", "0005_chained_hashes_and_append_only_triggers")
    )
    migration.hash_stored_events(state.apps, Editor())
    report = verify_stored_chain()
    assert report.ok and report.checked == AuditEvent.objects.count()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_chain_when_two_events_are_written_at_once() -> None:
    """The first writer holds its transaction open after writing; the second must wait for it and
    chain to its event, not to the one before (which would fork the chain)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite transactions begin IMMEDIATE: its writers are one at a time already")
    AuditEvent.objects.create(action=Action.VIEW, detail="before")
    first_written = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                AuditEvent.objects.create(action=Action.VIEW, detail="first")
                first_written.set()
                time.sleep(0.5)
        except BaseException as error:
            errors.append(error)
            first_written.set()
        finally:
            close_old_connections()
            connection.close()

    def second() -> None:
        try:
            first_written.wait(5)
            AuditEvent.objects.create(action=Action.VIEW, detail="second")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors
    report = verify_stored_chain()
    assert report.ok, report.reason
    assert list(AuditEvent.objects.order_by("id").values_list("detail", flat=True)) == [
        "before",
        "first",
        "second",
    ]
