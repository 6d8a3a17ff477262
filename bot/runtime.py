"""Process-wide runtime for model work: the worker pool and torch's thread count.

Model work (tagger, encoder, ranking) runs on ``MODEL_WORKERS`` threads of one shared
executor (``model_executor``, created on first use), each forward pass with one torch
thread (``one_torch_thread_per_pass``, called once by each front end at start-up).
``run_off_loop`` runs a blocking call there from async code, keeping the event loop
free for other users and carrying the caller's context variables (stage timings).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TypeVar

# One forward pass per core of the 2-core target, each with torch.set_num_threads(1).
# (Two torch threads per pass busy-wait badly when the cores are shared: tagger p50
# 13 ms -> 180 ms measured under load; bench/dialogue_bench.py --model-workers
# /--torch-threads.) The traced forward releases the GIL, so the two passes really
# overlap: saturated, 20 users, 1 / 2 / 3 workers served 110 / 133 / 129 messages/s.
MODEL_WORKERS = 2
_executor_lock = threading.Lock()
_shared_executor: ThreadPoolExecutor | None = None

T = TypeVar("T")


def one_torch_thread_per_pass() -> None:
    """Front ends call this once at start-up: each of the MODEL_WORKERS passes gets one core."""
    import torch

    torch.set_num_threads(1)


def model_executor() -> ThreadPoolExecutor:
    """The process-wide executor for model work (created on first use)."""
    global _shared_executor
    with _executor_lock:
        if _shared_executor is None:
            _shared_executor = ThreadPoolExecutor(MODEL_WORKERS, thread_name_prefix="recbot-model")
        return _shared_executor


async def run_off_loop(executor: Executor | None, fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` on ``executor`` (None: ``model_executor()``), awaited without blocking."""
    loop = asyncio.get_running_loop()
    call = functools.partial(contextvars.copy_context().run, fn, *args)
    return await loop.run_in_executor(executor or model_executor(), call)
