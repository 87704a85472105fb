"""The application: tray app, live loop, commands, translation service, history, export."""
