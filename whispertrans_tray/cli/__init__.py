"""The command line: flags and the terminal views (file mode, live mode, devices)."""
