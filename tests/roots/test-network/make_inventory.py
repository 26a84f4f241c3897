"""Write a tiny Sphinx objects.inv (version 2) by hand: no network, no other project."""

import zlib

ENTRIES = [
    ("guide/setup", "std:doc", "guide/setup.html", "Setting up"),
    ("guide/install", "std:doc", "guide/install.html", "Installing"),
    ("install-label", "std:label", "guide/install.html#install-label", "Install steps"),
    ("setup-steps", "std:label", "guide/setup.html#setup-steps", "Steps"),
]


def write_inventory(path: str) -> None:
    header = (
        "# Sphinx inventory version 2\n# Project: Other\n# Version: 1.0\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(f"{name} {role} 1 {uri} {title}\n" for name, role, uri, title in ENTRIES)
    with open(path, "wb") as handle:
        handle.write(header.encode() + zlib.compress(body.encode()))
