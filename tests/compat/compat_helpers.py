"""Small helpers shared by the compatibility tests."""

from __future__ import annotations

import uuid


def unique(prefix: str) -> str:
    """A name no other test (or earlier session on the same server) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"
