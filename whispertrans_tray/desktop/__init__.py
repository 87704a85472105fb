"""Desktop integration: audio capture, overlay, tray, hotkeys, settings window."""
