"""Adapters to real engines: faster-whisper, Silero VAD, OpenCC, OpenAI-compatible servers."""
