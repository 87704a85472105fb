"""PyInstaller hook: the WebKit2GTK typelib and library that pywebview's GTK backend loads."""

from PyInstaller.utils.hooks.gi import GiModuleInfo

module_info = GiModuleInfo("WebKit2", "4.1")
if module_info.available:
    binaries, datas, hiddenimports = module_info.collect_typelib_data()
