"""The WASAPI format adapter (desktop/audio/wasapi.py): the bytes it hands to
``IAudioClient::Initialize``, at Windows' packed offsets, and the loopback looked up by id.

What it does on Windows itself (a clip played into a PulseAudio null sink, recorded through
WASAPI under Wine and transcribed) is tests/test_wine_audio.py."""

from __future__ import annotations

import os
import struct
import uuid

from tests.pulse import pactl, private_sink
from whispertrans_tray.desktop.audio import _find, wasapi

FLOAT = uuid.UUID("00000003-0000-0010-8000-00aa00389b71").bytes_le
PCM = uuid.UUID("00000001-0000-0010-8000-00aa00389b71").bytes_le


def extensible(bits: int, channels: int, rate: int, mask: int, subformat: bytes) -> bytes:
    """A WAVEFORMATEXTENSIBLE written field by field, the way Windows lays it out."""
    align = bits // 8 * channels
    return (struct.pack("<H", 0xFFFE) + struct.pack("<H", channels) + struct.pack("<I", rate)
            + struct.pack("<I", rate * align) + struct.pack("<H", align)
            + struct.pack("<H", bits) + struct.pack("<H", 22) + struct.pack("<H", bits)
            + struct.pack("<I", mask) + subformat)


def test_the_mix_format_in_float32_is_passed_untouched() -> None:
    mix = extensible(32, 2, 44100, 0x3, FLOAT)
    assert len(mix) == 40
    wanted, flags, found = wasapi.stream_format(mix)
    assert wanted == mix  # what Initialize always accepts in shared mode
    assert flags & wasapi.STREAMFLAGS_AUTOCONVERTPCM == 0
    assert (found.rate, found.channels, found.channel_mask) == (44100, 2, 0x3)


def test_a_pcm_mix_format_is_asked_for_as_well_formed_float32() -> None:
    wanted, flags, found = wasapi.stream_format(extensible(16, 6, 48000, 0x3F, PCM))
    assert flags & wasapi.STREAMFLAGS_AUTOCONVERTPCM
    # every field at its real offset: dwChannelMask at 20, SubFormat at 24 (soundcard's
    # unpacked header put them at 22 and 26, and its wValidBitsPerSample on the mask)
    assert struct.unpack_from("<HHIIHHH", wanted) == (0xFFFE, 6, 48000, 48000 * 24, 24, 32, 22)
    assert struct.unpack_from("<H", wanted, 18) == (32,)
    assert struct.unpack_from("<I", wanted, 20) == (0x3F,)
    assert wanted[24:40] == FLOAT
    assert found.is_float32 and found.channels == 6


def test_a_mask_that_does_not_name_one_speaker_per_channel_is_replaced() -> None:
    # what soundcard 0.4.6 wrote for stereo: one speaker (0x20) for two channels
    assert wasapi.speaker_mask(2, 0x20) == 0x3
    assert wasapi.speaker_mask(1, 0) == 0x4
    assert wasapi.speaker_mask(2, 0x600) == 0x600  # side left/right: two speakers, kept
    _, _, found = wasapi.stream_format(extensible(24, 2, 96000, 0x20, PCM))
    assert found.channel_mask == 0x3 and found.rate == 96000


def test_a_plain_waveformatex_is_read_without_an_extension() -> None:
    plain = struct.pack("<HHIIHHH", 3, 2, 48000, 384000, 8, 32, 0)
    assert wasapi.format_size(plain) == 18
    found = wasapi.parse(plain)
    assert found.is_float32 and found.channel_mask == 0
    assert wasapi.stream_format(plain)[0] == plain


def test_the_loopback_is_the_speakers_own_source_not_a_microphone_of_its_name(
        pulse: None) -> None:
    """A microphone with the speaker's very name, listed before the speaker's monitor: the
    name lookup recorded that microphone; the id lookup records the speaker."""
    twin = f"twin{os.getpid()}"  # the name private_sink("twin") gives its sink
    mic = pactl("load-module", "module-remap-source", "master=micfeed.monitor",
                f"source_name=mic{twin}", f"source_properties=device.description={twin}").strip()
    try:
        with private_sink("twin") as sink:
            assert sink == twin
            recorded, name = _find("loopback", sink)
            assert recorded.id == f"{sink}.monitor", recorded
            assert name == twin
    finally:
        pactl("unload-module", mic)
