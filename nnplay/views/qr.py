"""A link as a QR code, for a projector: students scan it with a phone's camera and open the
run. Drawn on the server by segno (pure Python, no network), as a PNG."""

from __future__ import annotations

import io

import segno

ERROR_LEVEL = "m"
"""Medium error correction (15%): a projected code stays readable through glare and a
keystone, and a link of a few hundred characters still fits a code a phone reads at a glance."""


def qr_code(link: str) -> segno.QRCode:
    """The QR code of ``link`` (never a Micro QR, which phones' cameras do not read)."""
    return segno.make(link, error=ERROR_LEVEL, micro=False)


def qr_png(link: str, *, scale: int = 8) -> bytes:
    """``link``'s QR code as a PNG: ``scale`` pixels a module, black on white, with the
    four-module quiet zone that scanners need."""
    out = io.BytesIO()
    qr_code(link).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
