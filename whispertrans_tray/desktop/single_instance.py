"""One app per user: a second launch asks the first to show itself, then exits.

The first instance holds an exclusive lock on ``instance.lock`` in the runtime folder (released
by the OS if the process dies, so a crash never blocks the next start) and listens on a
loopback TCP port written into that file.  A second instance fails to take the lock, reads the
port, sends ``show`` and exits.

The runtime folder (:func:`runtime_folder`) belongs to the user, not to a home folder: on Linux
``$XDG_RUNTIME_DIR`` (per user and login), else a private ``whispertrans-tray-<uid>`` folder in
the temp folder — so the same user with another ``HOME`` still finds the running app, and two
users never share (or block) one lock, even with the same ``HOME`` (``sudo`` keeps it).
"""

from __future__ import annotations

import logging
import os
import socket
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

APP_NAME = "WhisperTrans Tray"


def runtime_folder() -> Path:
    """The per-user folder for the lock (see the module docstring)."""
    import platformdirs

    if sys.platform != "linux" or os.environ.get("XDG_RUNTIME_DIR"):
        return Path(platformdirs.user_runtime_dir(APP_NAME, appauthor=False))
    uid = os.getuid()
    folder = Path(tempfile.gettempdir()) / f"whispertrans-tray-{uid}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid:
            raise PermissionError(f"{folder} belongs to someone else")
        if stat.S_IMODE(info.st_mode) & 0o077:
            folder.chmod(0o700)  # ours, but readable by others: make it private
    except OSError as exc:  # taken by another user: a folder of our own, never theirs
        log.warning("Cannot use %s for the single-instance lock (%s)", folder, exc)
        return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / f"run-{uid}"
    return folder


def _lock(handle: IO[str]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            # msvcrt locks from the file position: byte 0, not the end an "a+" handle starts
            # at (a second instance would lock the byte past the first one's text, and win).
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class SingleInstance:
    """``acquire()`` True: we are the first; ``on_show`` runs (on a thread) when asked."""

    def __init__(self, folder: Path, on_show: Callable[[], None]) -> None:
        self.path = folder / "instance.lock"
        self._on_show = on_show
        self._handle: IO[str] | None = None
        self._server: socket.socket | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        if not _lock(handle):
            handle.close()
            return False
        self._handle = handle
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        self._server = server
        # The lock covers byte 0 on Windows; the port is written after it.
        handle.seek(0)
        handle.truncate()
        handle.write(f" {server.getsockname()[1]} {os.getpid()}\n")
        handle.flush()
        threading.Thread(target=self._serve, args=(server,), name="single-instance",
                         daemon=True).start()
        return True

    def _serve(self, server: socket.socket) -> None:
        """Answer "show" requests until ``release()`` closes ``server`` (this thread keeps its
        own reference: ``release`` clears the attribute while ``accept`` may be starting)."""
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return  # closed
            with conn:
                conn.settimeout(2)
                try:
                    if conn.recv(16).strip() == b"show":
                        self._on_show()
                        conn.sendall(b"ok\n")
                except OSError as exc:
                    log.debug("single-instance request failed: %s", exc)

    def notify_first(self) -> bool:
        """Ask the running instance to show itself; True if it answered."""
        try:
            port = int(self.path.read_text(encoding="utf-8").split()[0])
            with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
                conn.sendall(b"show\n")
                return conn.recv(16).strip() == b"ok"
        except (OSError, ValueError, IndexError):
            return False

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._handle is not None:
            self._handle.close()
            self._handle = None
