"""The share box's QR code: a phone that scans it opens exactly the link shown."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from test_page import new_app

from nnplay.app.link import parse_query
from nnplay.views.qr import qr_code, qr_png

LINK = ("https://nnplay.example.org/?gate=xor&hidden=2&act=sigmoid&out=sigmoid&init=tutorial"
        "&lr=0.2&seed=15&min=1e-05&max=100000&speed=max")


def modules(png: bytes, scale: int = 8, border: int = 4) -> np.ndarray:
    """The dark modules of a PNG drawn by ``qr_png``, read back from the middle of each."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    middles = pixels[scale // 2::scale, scale // 2::scale]
    return middles[border:-border, border:-border] < 128


def test_the_png_holds_exactly_segnos_modules_for_the_link():
    code = qr_code(LINK)
    expected = np.array([[bool(v) for v in row] for row in code.matrix])
    assert code.mode == "byte" and code.error == "M" and not code.is_micro
    np.testing.assert_array_equal(modules(qr_png(LINK)), expected)
    assert code.designator == qr_code(LINK).designator  # the same link, the same code


def test_a_scanner_reads_the_link_back():
    zxingcpp = pytest.importorskip("zxingcpp")  # requirements-dev.txt: a small QR decoder
    image = Image.open(io.BytesIO(qr_png(LINK))).convert("L")
    found = zxingcpp.read_barcodes(image)
    assert [code.text for code in found] == [LINK]
    assert parse_query(dict(p.split("=") for p in LINK.split("?")[1].split("&"))).warnings == ()


def test_the_share_box_shows_the_link_as_a_qr_code():
    at = new_app({"seed": "7"})
    assert not at.sidebar.get("image")  # drawn only when the box is opened
    at.session_state["share_open"] = True
    at.run()
    link = at.sidebar.code[0].value
    assert "seed=7" in link
    [image] = at.sidebar.get("image")
    shown = image.proto.imgs[0]
    assert "QR code" in shown.caption
    assert shown.url.endswith(".png")  # sharp edges: never a JPEG's blur


def test_the_qr_code_opens_large_for_a_projector():
    at = new_app()
    at.session_state["share_open"] = True
    at.run()
    at.sidebar.button(key="share_qr").click().run()
    assert not at.exception
    assert len(at.get("image")) == 2  # the small one, and the large one in its dialog
