"""One offline search corpus per test process: built once (a few seconds), then shared.

The autouse data-dir fixture gives every test a fresh data dir; the offline corpus is
read-only once built, so search tests point at this shared one instead of rebuilding it.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def shared_search_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="ef-search-"))
    atexit.register(shutil.rmtree, path, True)
    return path
