"""Which translation endpoint to use: failover, health checks with backoff, failback.

Pure logic (no threads, no I/O, time is passed in), driven by the translation service.

The endpoints are an ordered list (e.g. LAN vLLM → local Ollama → OpenAI).  The *active* one is
the first that is up.  A failed request marks its endpoint down and the request goes on to the
next one that is up (**failover**).  A down endpoint gets a health check when its backoff has
passed (0.5 s, 1 s, 2 s … at most :data:`MAX_BACKOFF_S`); a check that passes marks it up, and
as it is earlier in the list it is active again (**failback**).  The backoff only starts over
after a real translation succeeded there: a server whose model list answers while its chat
requests fail is checked less and less often, not hammered.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 8.0


@dataclass
class EndpointState:
    """What is known about one endpoint.

    Attributes:
        up: Believed to answer (every endpoint starts up: the first request finds out).
        failures: Failures since the last successful translation there (sets the backoff).
        next_check: When a down endpoint is due for a health check (monotonic seconds).
        error: The last failure's message, in the UI language.
    """

    up: bool = True
    failures: int = 0
    next_check: float = 0.0
    error: str = ""


def backoff(failures: int) -> float:
    """Seconds before the next health check after ``failures`` failures in a row."""
    if failures <= 0:
        return 0.0
    return float(min(FIRST_BACKOFF_S * 2 ** (failures - 1), MAX_BACKOFF_S))


class EndpointPool:
    """Health of ``count`` endpoints, in order of preference (index 0 first)."""

    def __init__(self, count: int) -> None:
        if count < 1:
            raise ValueError("at least one endpoint")
        self.states = [EndpointState() for _ in range(count)]

    def __len__(self) -> int:
        return len(self.states)

    def active(self) -> int | None:
        """The first endpoint that is up, or None when all are down."""
        return next((i for i, state in enumerate(self.states) if state.up), None)

    def order(self, tried: frozenset[int] = frozenset()) -> list[int]:
        """Endpoints to try for a request, best first: those up, not already ``tried``.

        When none is up, the first not yet tried is still worth one attempt (a request is as
        good a check as any, and with a single endpoint this is the only way forward).
        """
        up = [i for i, state in enumerate(self.states) if state.up and i not in tried]
        if up or tried:
            return up
        return [0]

    def failed(self, index: int, now: float, error: str = "") -> bool:
        """A request (or check) at ``index`` failed; True if that took it down."""
        state = self.states[index]
        was_up = state.up
        state.up = False
        state.failures += 1
        state.next_check = now + backoff(state.failures)
        state.error = error
        return was_up

    def succeeded(self, index: int) -> bool:
        """A translation at ``index`` succeeded; True if that brought it back up."""
        state = self.states[index]
        was_up = state.up
        state.up = True
        state.failures = 0
        state.error = ""
        return not was_up

    def checked(self, index: int, ok: bool, now: float, error: str = "") -> bool:
        """A health check of ``index`` passed (``ok``) or not; True if it came back up.

        A passing check brings the endpoint up but keeps its failure count, so the backoff
        keeps growing if the next real request fails too.
        """
        state = self.states[index]
        if not ok:
            self.failed(index, now, error)
            return False
        was_up = state.up
        state.up = True
        return not was_up

    def due(self, now: float) -> list[int]:
        """Down endpoints whose health check is due."""
        return [i for i, state in enumerate(self.states)
                if not state.up and state.next_check <= now]

    def next_due(self) -> float | None:
        """When the next health check is due, or None when every endpoint is up."""
        times = [state.next_check for state in self.states if not state.up]
        return min(times) if times else None
