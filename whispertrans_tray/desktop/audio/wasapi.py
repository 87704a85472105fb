"""Windows capture (WASAPI) in a format Windows guarantees: an adapter to ``soundcard`` 0.4.6.

soundcard 0.4.6 (pinned) opens a capture stream by taking the device's mix format and
rewriting it to float32 at the rate asked for.  Its cffi header declares ``WAVEFORMATEX``
without the 1-byte packing Windows uses (20 bytes instead of 18), so every later field of the
``WAVEFORMATEXTENSIBLE`` it writes lands 2 bytes off: ``wValidBitsPerSample = 32`` overwrites
the real ``dwChannelMask`` (0x20, one speaker, for a stereo device).  Windows has been seen to
tolerate that, undocumented; Wine's PulseAudio driver refuses it ("unsupported format",
``AUDCLNT_E_UNSUPPORTED_FORMAT``), and so may any driver that checks.

:func:`open_recorder` asks instead for what Windows guarantees: the device's mix format,
untouched, when it is float32 (``IAudioClient::Initialize`` in shared mode always accepts the
format ``GetMixFormat`` returns), otherwise a well-formed float32 ``WAVEFORMATEXTENSIBLE`` at
the mix rate, channels and speaker mask, converted by the audio engine
(``AUDCLNT_STREAMFLAGS_AUTOCONVERTPCM``).  The stream is read with soundcard's own recorder
(its capture loop is fine); only the opening is replaced.  The format bytes are built and
parsed here with :mod:`struct` at Windows' packed offsets (pure functions, tested on every OS).
One more difference from soundcard's recorder: a capture device's late packets are waited for
instead of replaced by silence (see ``_record_chunk``).
"""

from __future__ import annotations

import struct
import time
import uuid
from dataclasses import dataclass
from typing import Any

WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_IEEE_FLOAT = 0x0003
WAVE_FORMAT_EXTENSIBLE = 0xFFFE
# KSDATAFORMAT_SUBTYPE_IEEE_FLOAT (ksmedia.h), as it lies in memory (GUID: little-endian parts)
SUBTYPE_IEEE_FLOAT = uuid.UUID("00000003-0000-0010-8000-00aa00389b71").bytes_le

HEADER = struct.Struct("<HHIIHHH")  # WAVEFORMATEX, packed: 18 bytes
EXTENSION = struct.Struct("<HI16s")  # wValidBitsPerSample, dwChannelMask, SubFormat: 22 bytes
EXTENSIBLE_SIZE = HEADER.size + EXTENSION.size  # 40

# The engine's capture buffer: room for a second a busy reader has not taken yet (a buffer of
# one 0.1-s block, as soundcard asks, overflows on a loaded machine: "data discontinuity",
# audio lost).  It adds no latency: every read takes what is there.
BUFFER_S = 1.0
# A capture device (not a loopback) with no packet for this long has stalled: only then does
# the recorder count the time as silence (soundcard does after 4 device periods, ~40 ms).
STALL_S = 2.0

# AUDCLNT_SHAREMODE_SHARED and the stream flags used (audiosessiontypes.h)
SHAREMODE_SHARED = 0
STREAMFLAGS_LOOPBACK = 0x00020000
STREAMFLAGS_NOPERSIST = 0x00080000
STREAMFLAGS_SRC_DEFAULT_QUALITY = 0x08000000
STREAMFLAGS_AUTOCONVERTPCM = 0x80000000

# KSAUDIO_SPEAKER_* (ksmedia.h): the usual layouts by channel count
SPEAKER_MASKS = {1: 0x4, 2: 0x3, 3: 0x7, 4: 0x33, 5: 0x37, 6: 0x3F, 7: 0x13F, 8: 0x63F}


@dataclass(frozen=True)
class WaveFormat:
    """The fields of a ``WAVEFORMATEX`` / ``WAVEFORMATEXTENSIBLE`` that matter here."""

    tag: int  # wFormatTag
    channels: int
    rate: int  # nSamplesPerSec
    bits: int  # wBitsPerSample
    channel_mask: int = 0  # dwChannelMask (extensible only)
    subformat: bytes = b""  # SubFormat GUID bytes (extensible only)

    @property
    def is_float32(self) -> bool:
        """32-bit IEEE float samples: what soundcard's recorder reads."""
        if self.bits != 32:
            return False
        if self.tag == WAVE_FORMAT_IEEE_FLOAT:
            return True
        return self.tag == WAVE_FORMAT_EXTENSIBLE and self.subformat == SUBTYPE_IEEE_FLOAT


def format_size(header: bytes) -> int:
    """The whole structure's size from its first 18 bytes: 18 + ``cbSize``."""
    return HEADER.size + int(HEADER.unpack_from(header)[6])


def parse(raw: bytes) -> WaveFormat:
    """A ``WAVEFORMATEX`` or ``WAVEFORMATEXTENSIBLE`` as Windows lays it out (packed)."""
    tag, channels, rate, _avg, _align, bits, extra = HEADER.unpack_from(raw)
    if tag == WAVE_FORMAT_EXTENSIBLE and extra >= EXTENSION.size \
            and len(raw) >= EXTENSIBLE_SIZE:
        _valid, mask, subformat = EXTENSION.unpack_from(raw, HEADER.size)
        return WaveFormat(tag, channels, rate, bits, mask, subformat)
    return WaveFormat(tag, channels, rate, bits)


def speaker_mask(channels: int, mask: int = 0) -> int:
    """``mask`` when it names one speaker per channel, else the usual layout for ``channels``."""
    if mask and bin(mask).count("1") == channels:
        return mask
    return SPEAKER_MASKS.get(channels, (1 << channels) - 1)


def float32_extensible(rate: int, channels: int, mask: int) -> bytes:
    """A well-formed float32 ``WAVEFORMATEXTENSIBLE`` (40 bytes)."""
    align = 4 * channels
    return HEADER.pack(WAVE_FORMAT_EXTENSIBLE, channels, rate, rate * align, align, 32,
                       EXTENSION.size) \
        + EXTENSION.pack(32, speaker_mask(channels, mask), SUBTYPE_IEEE_FLOAT)


def stream_format(mix: bytes) -> tuple[bytes, int, WaveFormat]:
    """What to pass to ``IAudioClient::Initialize`` for the device whose mix format is ``mix``:
    the format bytes, the stream flags, and the format the samples will arrive in."""
    found = parse(mix)
    if found.is_float32:  # the mix format itself: always accepted in shared mode
        return mix, STREAMFLAGS_NOPERSIST, found
    wanted = float32_extensible(found.rate, found.channels, found.channel_mask)
    flags = STREAMFLAGS_NOPERSIST | STREAMFLAGS_AUTOCONVERTPCM | STREAMFLAGS_SRC_DEFAULT_QUALITY
    return wanted, flags, parse(wanted)


def open_recorder(mic: Any, buffer_s: float = BUFFER_S) -> tuple[Any, int, int]:
    """A soundcard recorder on ``mic`` (a soundcard microphone, loopback or not) opened in
    the format of :func:`stream_format`: ``(recorder, sample rate, channels)``.  Windows only."""
    from soundcard import mediafoundation as mf

    class Recorder(mf._Recorder):  # type: ignore[misc]
        """soundcard's recorder, with the stream opened here instead of in its ``__init__``."""

        def __init__(self, client: Any) -> None:
            self._ptr = client
            pp_mix = mf._ffi.new("WAVEFORMATEXTENSIBLE**")
            mf._com.check_error(client[0][0].lpVtbl.GetMixFormat(client[0], pp_mix))
            try:
                head = bytes(mf._ffi.buffer(pp_mix[0], HEADER.size))
                mix = bytes(mf._ffi.buffer(pp_mix[0], format_size(head)))
            finally:
                mf._ole32.CoTaskMemFree(pp_mix[0])
            wanted, flags, self.format = stream_format(mix)
            if mic.isloopback:
                flags |= STREAMFLAGS_LOOPBACK
            self._format_bytes = mf._ffi.new("char[]", wanted)  # alive while Initialize reads
            duration = int(buffer_s * 10_000_000)  # REFERENCE_TIME: 100-ns units
            hr = client[0][0].lpVtbl.Initialize(
                client[0], SHAREMODE_SHARED, flags, duration, 0,
                mf._ffi.cast("WAVEFORMATEXTENSIBLE *", self._format_bytes), mf._ffi.NULL)
            mf._com.check_error(hr)
            self.channelmap = list(range(self.format.channels))
            self.samplerate = self.format.rate
            self._idle_start_time = None
            self.isloopback = mic.isloopback

        def _record_chunk(self) -> Any:
            """soundcard's, but a capture device's late packets are waited for: soundcard
            counts 4 device periods without a packet as silence and inserts zeros, right for a
            loopback (Windows sends nothing while nothing plays) but, for a device that always
            delivers, zeros in the middle of speech when the audio engine is late (a loaded
            machine under Wine), with the late audio still to come after them."""
            if not self.isloopback:
                waited = time.monotonic()
                while self._capture_available_frames() == 0:
                    if time.monotonic() - waited > STALL_S:
                        break  # stalled: soundcard's own silence accounting takes over
                    time.sleep(0.002)
            return super()._record_chunk()

    client = mic._audio_client()
    try:
        recorder = Recorder(client)
    except Exception:
        mf._com.release(client)  # what soundcard's own __exit__ would have released
        raise
    return recorder, recorder.format.rate, recorder.format.channels
