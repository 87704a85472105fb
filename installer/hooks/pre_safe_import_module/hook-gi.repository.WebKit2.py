"""PyInstaller: ``gi.repository.WebKit2`` is made at run time by PyGObject; without this the
hook beside it is never run (as PyInstaller's own hooks do for Gtk)."""


def pre_safe_import_module(api):  # type: ignore[no-untyped-def]
    api.add_runtime_module(api.module_name)
