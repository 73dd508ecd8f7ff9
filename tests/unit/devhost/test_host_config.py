"""host.json as the Functions host reads it: a file that is not JSON is refused at start with its
path, before the SDK (which reads it too) fails with a bare traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from devhost.functions.host_config import HostConfigError, read_host_json


def test_a_host_json_that_is_not_json_is_refused_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "host.json").write_text('{"version": "2.0"}{"version": "2.0"}')

    with pytest.raises(HostConfigError, match=r"host\.json is not valid JSON"):
        read_host_json(tmp_path)
