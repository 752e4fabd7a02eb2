"""Which process runs a pipeline run, and whether it is still alive (for crash recovery)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

PID, BOOT, HOST = "school_groups/pid", "school_groups/boot_id", "school_groups/host"


def boot_id() -> str:
    """Changes at every reboot, so a pid from before a reboot is never mistaken for a live one."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def process_tags() -> dict[str, str]:
    return {PID: str(os.getpid()), BOOT: boot_id(), HOST: socket.gethostname()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_gone(tags: dict[str, str]) -> bool | None:
    """True when the run's process is certainly gone, None when the run says nothing about it
    (or runs on another machine)."""
    if PID not in tags or tags.get(HOST) != socket.gethostname():
        return None
    if tags.get(BOOT) and tags.get(BOOT) != boot_id():
        return True
    return not _alive(int(tags[PID]))
