"""gisapp/core and gisapp/io pass mypy with the settings in pyproject.toml ([tool.mypy])."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_io_pass_mypy():
    # The cache (.mypy_cache, git-ignored) makes a second run take a second or two.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "Success: no issues found" in result.stdout, report
