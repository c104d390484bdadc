"""What the chronologies tell the layers above them, without importing them.

``case_changed`` is sent (with ``incident=``) when what a case's composite analyses has changed: a
version submitted or accepted, or a submitted version's events read. The composite app listens and
queues the case's analysis; chronologies need not know that the composite exists.
"""

from __future__ import annotations

from django.dispatch import Signal

case_changed = Signal()
