"""The local front door: the HTTP APIs of a synthesized app, served on 127.0.0.1 as API Gateway
serves them, with no Docker and no AWS account.

Needs the ``local`` extra (``pip install cdk-front-door[local]``). From a shell::

    python -m cdk_front_door.local --app cdk.out [--port 3000] [--dev-tokens]

From tests, :class:`cdk_front_door.testing.LocalFrontDoor`.
"""

from __future__ import annotations

from .assembly import AssemblyError, LocalApi, load_apis
from .server import Clock

__all__ = ["AssemblyError", "Clock", "LocalApi", "load_apis"]
