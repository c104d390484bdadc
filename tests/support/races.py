"""Two people (or four) at once: threads released together, and a critical section held a while."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.models import Model
from django.db.models.signals import post_save


def at_once(*calls: Callable[[], Any], timeout: float = 120) -> list[Any]:
    """Run each call in its own thread, all released together; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[index] = call()
        except BaseException as failure:  # a 500 is raised by the test client: it fails the test
            failures.append(failure)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    if failures:
        raise failures[0]
    return results


def slowed(function: Callable[..., Any], seconds: float = 0.4) -> Callable[..., Any]:
    """The same function, holding on for a moment first: whoever is inside keeps its locks a while."""

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return function(*args, **kwargs)

    return slow


def hidden(page: str, name: str) -> str:
    """The value of a form's hidden field, as the browser would send it back."""
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name} in the form"
    return found.group(1)


@contextmanager
def after_save(
    model: type[Model], action: Callable[[Any], None], when: Callable[[Any], bool] = lambda _: True
) -> Iterator[None]:
    """Call ``action(row)`` each time a ``model`` row is saved, inside the transaction that saves it:
    a public place to hold a critical section open while another session arrives."""

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        if when(instance):
            action(instance)

    post_save.connect(receiver, sender=model, weak=False)
    try:
        yield
    finally:
        post_save.disconnect(receiver, sender=model)


def held_after_save(
    model: type[Model], seconds: float = 0.4, when: Callable[[Any], bool] = lambda _: True
) -> Any:
    """Whoever saves a ``model`` row keeps its transaction, and its locks, a while longer."""
    return after_save(model, lambda _: time.sleep(seconds), when)
