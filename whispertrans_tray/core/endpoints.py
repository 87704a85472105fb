"""Which translation endpoint to use: failover, health checks with backoff, failback.

Pure logic (no threads, no I/O, time is passed in), driven by the translation service.

The endpoints are an ordered list (e.g. LAN vLLM → local Ollama → OpenAI).  The *active* one is
the first that is up.  A failed request marks its endpoint down and the request goes on to the
next one that is up (**failover**).  A down endpoint gets a health check when its backoff has
passed (0.5 s, 1 s, 2 s … at most :data:`MAX_BACKOFF_S`); a check that passes marks it up, and
as it is earlier in the list it is active again (**failback**).  The backoff only starts over
after a real translation succeeded there: a server whose model list answers while its chat
requests fail is checked less and less often, not hammered.

A server that answers 429 (a request or a health check) is **rate-limited**, not down: it is
there, so it stays up (or comes back up) and stays the active one (no failover and failback to
announce each time), but it is not asked again before the wait it asked for (``Retry-After``;
else a growing pause) has passed: requests meanwhile go to the next usable endpoint, or wait.
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
        limited_until: Rate-limited (HTTP 429) until then (monotonic seconds): not asked
            before; 0 when it is not.
        limits: 429s in a row (sets the pause when the server does not say how long).
    """

    up: bool = True
    failures: int = 0
    next_check: float = 0.0
    error: str = ""
    limited_until: float = 0.0
    limits: int = 0


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

    def usable(self, now: float) -> bool:
        """Is some endpoint up and not rate-limited at ``now``?"""
        return any(state.up and state.limited_until <= now for state in self.states)

    def wait(self, index: int, now: float) -> float:
        """Seconds until a rate-limited endpoint may be asked again (0 when it may now)."""
        return max(self.states[index].limited_until - now, 0.0)

    def order(self, tried: frozenset[int] = frozenset(), now: float = 0.0) -> list[int]:
        """Endpoints to try for a request, best first: those up, not already ``tried``; the
        rate-limited ones (at ``now``) after the others, the one free soonest first.

        When none is up, the first not yet tried is still worth one attempt (a request is as
        good a check as any, and with a single endpoint this is the only way forward).
        """
        up = [i for i, state in enumerate(self.states) if state.up and i not in tried]
        if up or tried:
            return sorted(up, key=lambda i: (self.wait(i, now), i))
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
        state.limited_until = 0.0
        state.limits = 0
        return not was_up

    def rate_limited(self, index: int, now: float, retry_after: float | None,
                     error: str = "") -> bool:
        """``index`` answered 429 (a request or a check): it is there, so up, but not asked
        before ``retry_after`` seconds (else a pause growing like the backoff) have passed.
        Its failure count and backoff are left alone.  True if that brought it back up."""
        state = self.states[index]
        was_up = state.up
        state.up = True
        state.limits += 1
        wait = retry_after if retry_after is not None else backoff(state.limits)
        state.limited_until = max(state.limited_until, now + wait)
        state.error = error
        return not was_up

    def lift(self, now: float) -> list[int]:
        """Endpoints whose rate limit has passed at ``now`` (each reported once)."""
        lifted = [i for i, state in enumerate(self.states)
                  if state.limited_until and state.limited_until <= now]
        for index in lifted:
            self.states[index].limited_until = 0.0
        return lifted

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
        """When the next health check is due or a rate limit ends, or None when every
        endpoint is up and none is rate-limited."""
        times = [state.next_check for state in self.states if not state.up]
        times += [state.limited_until for state in self.states if state.limited_until]
        return min(times) if times else None
