"""What the server does when it stops: write what the background writers still hold (funnel
counts, places in the check), so a normal stop (SIGTERM from a deploy) loses nothing.

Their atexit flush is not enough: uvicorn, after its graceful shutdown, raises the SIGTERM it
caught again with the default handler, which ends the process without running atexit. The
ASGI lifespan's end runs before that.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

# Importing the storage package registers its writers (event_writer, resume) for flush_all.
from screening.records.storage import batch_writer


def flush_writers() -> None:
    batch_writer.flush_all()  # each within STOP_WAIT seconds: a hung database cannot hold it


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    yield None
    await asyncio.to_thread(flush_writers)
