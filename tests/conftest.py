from __future__ import annotations

import pytest
from aws_cdk import Stack

from tests.support import new_stack


@pytest.fixture
def stack() -> Stack:
    return new_stack()
