"""Whether translation is down: one notice when it goes down, one when it comes back.

Pure state.  The app feeds it every finished translation (:meth:`Outage.failed` /
:meth:`Outage.succeeded`); the answers say when to tell the user, so a server that is down for
a hundred sentences gives one notification, not a hundred, and its return gives one
"translation resumed".
"""

from __future__ import annotations


class Outage:
    """The current translation outage, if any.

    Attributes:
        brief: One short line for the subtitles' status line ("" when translation works).
        problem: The cause and the fix, for the notification, tooltip and settings window.
    """

    def __init__(self) -> None:
        self.brief = ""
        self.problem = ""

    @property
    def active(self) -> bool:
        return bool(self.problem)

    def failed(self, brief: str, problem: str) -> bool:
        """A translation failed; True when this starts an outage (tell the user once)."""
        started = not self.active
        self.brief, self.problem = brief, problem
        return started

    def succeeded(self) -> bool:
        """A translation arrived; True when this ends an outage (say it resumed, once)."""
        ended = self.active
        self.brief = self.problem = ""
        return ended
