"""A minimal StatusNotifierWatcher (what GNOME's AppIndicator extension and KDE Plasma run).

``python -m tests.sni_watcher`` owns ``org.kde.StatusNotifierWatcher`` on the session bus,
prints ``ready`` once it does, and ``registered BUS_NAME OBJECT_PATH`` for each item that
registers, until stdin closes.  ``--no-host``: it says no panel (host) has registered, as a
watcher does that runs without one.  Used by tests/test_tray_sni.py.
"""

from __future__ import annotations

import sys
import threading

from gi.repository import Gio, GLib

XML = """<node><interface name="org.kde.StatusNotifierWatcher">
  <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
  <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
  <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
  <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
  <property name="ProtocolVersion" type="i" access="read"/>
  <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
  <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
  <signal name="StatusNotifierHostRegistered"/>
</interface></node>"""
NAME = "org.kde.StatusNotifierWatcher"
PATH = "/StatusNotifierWatcher"


def main() -> None:
    loop = GLib.MainLoop()
    items: list[str] = []
    interface = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]

    def call(conn: Gio.DBusConnection, sender: str, path: str, iface: str, method: str,
             params: GLib.Variant, invocation: Gio.DBusMethodInvocation) -> None:
        if method == "RegisterStatusNotifierItem":
            (service,) = params.unpack()
            # an item names its object path (its bus name is the sender) or its bus name
            bus, item = (sender, service) if service.startswith("/") \
                else (service, "/StatusNotifierItem")
            items.append(bus + item)
            print("registered", bus, item, flush=True)
            conn.emit_signal(None, PATH, NAME, "StatusNotifierItemRegistered",
                             GLib.Variant("(s)", (bus + item,)))
        invocation.return_value(None)

    def get(conn: Gio.DBusConnection, sender: str, path: str, iface: str,
            prop: str) -> GLib.Variant:
        return {"RegisteredStatusNotifierItems": GLib.Variant("as", items),
                "IsStatusNotifierHostRegistered": GLib.Variant("b", "--no-host" not in sys.argv),
                "ProtocolVersion": GLib.Variant("i", 0)}[prop]

    def acquired(conn: Gio.DBusConnection, name: str) -> None:
        print("ready", flush=True)

    bus = Gio.bus_get_sync(Gio.BusType.SESSION)
    bus.register_object(PATH, interface, call, get, None)
    Gio.bus_own_name_on_connection(bus, NAME, Gio.BusNameOwnerFlags.NONE, acquired, None)

    def wait_for_stdin() -> None:
        sys.stdin.read()
        GLib.idle_add(loop.quit)

    threading.Thread(target=wait_for_stdin, daemon=True).start()
    loop.run()


if __name__ == "__main__":
    main()
