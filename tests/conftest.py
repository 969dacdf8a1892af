"""Shared fixtures: external tools the oracles need (real Go), installed when possible."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def _try_install_go() -> str | None:
    """Install Debian's golang-go when running as root with apt (CI machines); None if impossible."""
    if os.environ.get("CSPSIM_NO_APT") or not shutil.which("apt-get") or os.geteuid() != 0:
        return None
    for cmd in (["apt-get", "install", "-y", "-q", "golang-go"],
                ["sh", "-c", "apt-get update -q && apt-get install -y -q golang-go"]):
        try:
            subprocess.run(cmd, capture_output=True, timeout=600, check=False,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        except (OSError, subprocess.TimeoutExpired):
            return None
        if shutil.which("go"):
            return shutil.which("go")
    return None


@pytest.fixture(scope="session")
def go_binary() -> str:
    """Path of the `go` command; the test is skipped (with the reason) only if Go cannot be installed."""
    found = shutil.which("go") or _try_install_go()
    if not found:
        pytest.skip("Go is not installed and could not be installed (needs root and apt-get: "
                    "apt-get install golang-go)")
    return found
