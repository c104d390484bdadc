"""Gunicorn settings for `chronicle serve` (and for any deployment: gunicorn -c python:chronicle.gunicorn_conf).

Each worker's memory is capped (CHRONICLE_WORKER_MEMORY_MB, default 1024): a request that would
take more fails with MemoryError and an error page, instead of taking the machine's memory from
everyone else. Workers are also replaced after a number of requests, so slow growth cannot build up.
"""

from __future__ import annotations

import resource
from typing import Any

from chronicle.env import env_int

WORKER_MEMORY_MB = env_int("CHRONICLE_WORKER_MEMORY_MB", 1024, minimum=256)

timeout = env_int("CHRONICLE_WORKER_TIMEOUT_SECONDS", 60, minimum=10)
max_requests = env_int("CHRONICLE_WORKER_MAX_REQUESTS", 1000, minimum=1)
max_requests_jitter = max(1, max_requests // 10)
limit_request_line = 8190
limit_request_fields = 100


def memory_cap_bytes(megabytes: int = WORKER_MEMORY_MB) -> int:
    return megabytes * 1024 * 1024


def post_fork(server: Any, worker: Any) -> None:
    """Cap this worker's address space (the master is left alone, to replace a worker that fails)."""
    cap = memory_cap_bytes()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
