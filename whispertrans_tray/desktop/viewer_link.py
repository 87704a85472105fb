"""The viewer link window (tray menu 「顯示觀看連結」 / "Show viewer link"): the room's URL as
text to copy and as a QR code for a phone's camera (segno, pure Python).  Tk's main thread
only; the app hands it the words in the UI language."""

from __future__ import annotations

import base64
import tkinter as tk
from dataclasses import dataclass

from whispertrans_tray.desktop.qr import qr_png


@dataclass(frozen=True)
class LinkWords:
    """What the window says, in the UI language."""

    title: str
    hint: str
    close: str
    note: str = ""
    """A line under the link (the room is off: this link opens on this computer only)."""


class ViewerLinkWindow:
    """A small window with the link and its QR code; closing it only hides it."""

    def __init__(self, root: tk.Misc, url: str, words: LinkWords) -> None:
        self.url = url
        self.window = tk.Toplevel(root)
        self.window.title(words.title)
        self.window.configure(background="#ffffff", padx=18, pady=14)
        self.window.resizable(False, False)
        self.image = tk.PhotoImage(data=base64.b64encode(qr_png(url)).decode("ascii"))
        tk.Label(self.window, image=self.image, background="#ffffff").pack()
        entry = tk.Entry(self.window, width=max(len(url), 24), justify="center",
                         font=("Noto Sans CJK TC", 12), relief="flat",
                         readonlybackground="#f0f2f5")
        entry.insert(0, url)
        entry.configure(state="readonly")  # selectable, copyable, not editable
        entry.pack(pady=(8, 4), fill="x")
        self.entry = entry
        for text in (words.hint, words.note):
            if text:
                tk.Label(self.window, text=text, wraplength=360, justify="center",
                         background="#ffffff", foreground="#444444",
                         font=("Noto Sans CJK TC", 10)).pack(pady=(2, 0))
        tk.Button(self.window, text=words.close, command=self.close).pack(pady=(10, 0))
        self.window.protocol("WM_DELETE_WINDOW", self.close)

    def close(self) -> None:
        self.window.destroy()
