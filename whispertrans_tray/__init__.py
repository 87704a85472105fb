"""WhisperTrans Tray: live speech transcription and translation subtitles."""

__version__ = "0.1.0"
