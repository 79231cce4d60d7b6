"""The live area's HTML: tables read back as they were given, escaped, tinted; rows of cells."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from nnplay.views import live_html


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_a_table_holds_its_index_columns_and_cells_in_order():
    frame = pd.DataFrame({"Output": ["0.1", "0.9"], "Target": ["0", "1"]},
                         index=pd.Index(["0 0", "0 1"], name="Input"))
    root = parse(live_html.table(frame))
    assert root.get("data-view") == "table"
    assert [th.text for th in root.find("thead/tr")] == ["Input", "Output", "Target"]
    rows = [[cell.text for cell in row] for row in root.findall("tbody/tr")]
    assert rows == [["0 0", "0.1", "0"], ["0 1", "0.9", "1"]]
    assert [row[0].tag for row in root.findall("tbody/tr")] == ["th", "th"]  # the index: headers


def test_cells_are_escaped():
    frame = pd.DataFrame({"<b>": ["a & b", "<script>x</script>"]}, index=["<i>", "2"])
    text = live_html.table(frame)
    assert "<script>" not in text and "<b>" not in text
    root = parse(text)
    assert root.find("tbody/tr")[1].text == "a & b"
    assert root.findall("tbody/tr")[1][1].text == "<script>x</script>"


def test_numbers_are_short_and_nan_is_a_dash():
    frame = pd.DataFrame({"RMSE": [0.123456789, np.nan], "n": [3, 4]}, index=["train", "test"])
    rows = [[cell.text for cell in row] for row in parse(live_html.table(frame)).findall("tbody/tr")]
    assert rows == [["train", "0.1235", "3"], ["test", "–", "4"]]


def test_rows_are_tinted_right_or_wrong_and_must_match_the_rows():
    frame = pd.DataFrame({"a": [1, 2, 3]})
    root = parse(live_html.table(frame, row_classes=["right", "wrong", "right"]))
    assert [row.get("class") for row in root.findall("tbody/tr")] == ["right", "wrong", "right"]
    assert ".nn-table tr.right td" in live_html.STYLE and ".nn-table tr.wrong td" in live_html.STYLE
    with pytest.raises(ValueError, match="one entry per row"):
        live_html.table(frame, row_classes=["right"])


def test_a_row_shares_its_width_and_captions_are_escaped():
    root = parse(live_html.row([("<svg/>", 1.0), (live_html.caption("x < y"), 1.6)]))
    assert root.get("class") == "nn-row"
    first, second = list(root)
    assert first.get("style").startswith("flex:1.0 ") and second.get("style").startswith("flex:1.6 ")
    assert second.find("p").text == "x < y" and second.find("p").get("class") == "nn-caption"


def test_a_table_of_text_rows_is_the_same_table():
    frame = pd.DataFrame({"Output": ["0.1", "0.9"], "Target": ["0", "1"]},
                         index=pd.Index(["0 0", "0 1"], name="Input"))
    rows = [["0 0", "0.1", "0"], ["0 1", "0.9", "1"]]
    assert live_html.rows_table(["Input", "Output", "Target"], rows) == live_html.table(frame)
    with pytest.raises(ValueError, match="one entry per row"):
        live_html.rows_table(["Input"], [["a"], ["b"]], row_classes=["right"])


def test_the_numbers_row_holds_labels_values_and_help():
    root = parse(live_html.metrics([("Iteration", "1,200", None), ("Error", "<0.5>", 'on "train"')]))
    assert root.get("data-view") == "metrics"
    cells = [(cell[0].text, cell[1].text, cell.get("title")) for cell in root]
    assert cells == [("Iteration", "1,200", None), ("Error", "<0.5>", 'on "train"')]
    assert [cell.get("class") for cell in root] == ["nn-metric", "nn-metric"]
