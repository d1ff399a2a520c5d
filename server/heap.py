"""Keep the cyclic garbage collector's pauses short in a long-running server process.

CPython's full collection walks every tracked object that is not frozen. A server's heap grows with
what it keeps on purpose (live sessions and their turns in the session cache), so a full collection
under load took 90-95 ms here, and every request in flight waited for it (`benchmarks/load.py`
p99). Almost nothing in that heap is cyclic garbage: the objects are freed by reference counting
when the cache lets them go, frozen or not (`gc.freeze` only hides objects from the cyclic
collector). So, every `interval` seconds, a young collection clears what cyclic garbage is new and
the survivors are frozen; a full collection then walks only what survived the last few seconds.
Every `sweep_every` seconds the heap is unfrozen and collected in full once, so cyclic garbage that
was frozen by chance is not kept for the life of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time

_STARTED = False


def freeze_startup_objects() -> None:
    """Move what start-up built (the catalog, the lexicons, the app) out of the collector's sight,
    once per process."""
    global _STARTED
    if not _STARTED:
        _STARTED = True
        gc.collect()
        gc.freeze()


def settle() -> None:
    """Collect the young generations, then freeze what survived."""
    gc.collect(1)
    gc.freeze()


def sweep() -> int:
    """Unfreeze everything and collect in full (a pause in proportion to the heap); refreeze."""
    gc.unfreeze()
    found = gc.collect()
    gc.freeze()
    return found


async def keep_settled(interval: float = 1.0, sweep_every: float = 900.0) -> None:
    """Run `settle` every `interval` seconds and `sweep` every `sweep_every` seconds, for ever."""
    last_sweep = time.monotonic()
    while True:
        await asyncio.sleep(interval)
        if time.monotonic() - last_sweep >= sweep_every:
            sweep()
            last_sweep = time.monotonic()
        else:
            settle()


def start() -> asyncio.Task[None]:
    """Freeze the start-up heap and start `keep_settled` on the running loop."""
    freeze_startup_objects()
    return asyncio.get_running_loop().create_task(keep_settled(), name="empowerer-heap")


async def stop(task: asyncio.Task[None]) -> None:
    """Stop `keep_settled`."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
