"""The bundle's entry point (PyInstaller): the same ``main`` as the ``whispertrans-tray`` script.

A windowed Windows executable starts without standard streams (``sys.stdout`` is None); the
app then writes to its log file only, so messages printed to them go nowhere instead of
raising.
"""

import os
import sys

if sys.stdout is None:
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run

from whispertrans_tray.__main__ import main

sys.exit(main())
