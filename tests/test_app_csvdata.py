"""Your own data: CSV files of points read exactly, and every broken upload refused in plain words."""

from __future__ import annotations

import dataclasses
import json
import time
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnplay.app.csvdata import (
    MAX_CLASSES,
    MAX_CSV_BYTES,
    MAX_ROWS,
    MAX_SIZE,
    MIN_SPREAD,
    CsvDataset,
    CsvError,
    load_points,
    sample_csv,
)
from nnplay.app.playground import Playground
from nnplay.config import RunConfig
from nnplay.datasets import points, split
from nnplay.views import frames


def csv(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def check_invariants(data: CsvDataset) -> None:
    """What every data set load_points returns must satisfy."""
    assert isinstance(data, CsvDataset)
    n = data.n_examples
    assert 1 <= n <= MAX_ROWS
    assert data.X.shape == (n, 2) and np.isfinite(data.X).all()
    assert data.input_names == ("x1", "x2")
    if data.kind == "binary":
        assert data.y.shape == (n, 1)
        assert set(np.unique(data.y)) == {0.0, 1.0}  # both classes are there
        assert len(data.class_names) == 2
    elif data.kind == "multiclass":
        k = data.y.shape[1]
        assert 3 <= k <= MAX_CLASSES and len(data.class_names) == k
        assert (data.y.sum(axis=1) == 1).all() and (data.y.max(axis=0) == 1).all()  # one-hot, all used
    else:
        assert data.kind == "regression"
        assert data.y.shape == (n, 1) and np.isfinite(data.y).all()
        assert data.class_names == ()
    for (low, high), column in zip(data.domain, data.X.T):
        assert np.isfinite([low, high]).all() and low < high
        assert low <= column.min() and column.max() <= high


def loads_or_refuses(data: bytes | str) -> None:
    try:
        loaded = load_points(data)
    except CsvError as error:
        assert str(error).strip()
    else:
        check_invariants(loaded)


# -- files that load -----------------------------------------------------------------------


def test_binary_zero_one_loads_exactly():
    data = load_points(csv("x1,x2,label", "1,2,0", "3,-4.5,1", "0.25,1e2,1"), name="mine")
    np.testing.assert_array_equal(data.X, [[1, 2], [3, -4.5], [0.25, 100]])
    np.testing.assert_array_equal(data.y, [[0], [1], [1]])
    assert (data.name, data.kind, data.class_names) == ("mine", "binary", ("0", "1"))
    # x1 spans 0.25..3 (width 2.75, pad 0.275); x2 spans -4.5..100 (width 104.5, pad 10.45).
    np.testing.assert_allclose(data.domain, [(-0.025, 3.275), (-14.95, 110.45)])
    assert data.input_names == ("x1", "x2")
    check_invariants(data)


def test_minus_one_and_one_become_zero_and_one():
    data = load_points(csv("x1,x2,label", "0,0,1", "1,1,-1", "2,2,1"))
    np.testing.assert_array_equal(data.y, [[1], [0], [1]])
    assert data.class_names == ("-1", "1")
    np.testing.assert_array_equal(data.class_ids, [1, 0, 1])


def test_words_are_classes_in_sorted_order():
    data = load_points(csv("x1,x2,label", "0,0,red", "1,1, blue ", "2,2,red"))
    assert data.kind == "binary" and data.class_names == ("blue", "red")
    np.testing.assert_array_equal(data.y, [[1], [0], [1]])


@pytest.mark.parametrize("labels, names", [(("2", "0", "1", "0"), ("0", "1", "2")),
                                           (("cat", "ant", "bee", "ant"), ("ant", "bee", "cat"))])
def test_three_classes_are_one_hot_in_sorted_order(labels, names):
    data = load_points(csv("x1,x2,label", *(f"{i},{-i},{label}" for i, label in enumerate(labels))))
    assert data.kind == "multiclass" and data.class_names == names
    np.testing.assert_array_equal(data.y, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
    np.testing.assert_array_equal(data.X, [[0, 0], [1, -1], [2, -2], [3, -3]])
    np.testing.assert_array_equal(np.array(data.class_names)[data.class_ids], labels)


def test_real_labels_are_a_regression():
    data = load_points(csv("x1,x2,label", "0,0,0.5", "1,1,-2.25", "2,2,3", "3,3,0.5"))
    assert data.kind == "regression" and data.class_names == ()
    np.testing.assert_array_equal(data.y, [[0.5], [-2.25], [3], [0.5]])


def test_more_whole_numbers_than_classes_are_a_regression():
    rows = [f"{i},{i},{i}" for i in range(MAX_CLASSES + 1)]
    data = load_points(csv("x1,x2,label", *rows))
    assert data.kind == "regression"
    np.testing.assert_array_equal(data.y[:, 0], range(MAX_CLASSES + 1))


def test_two_real_labels_are_binary_and_equal_numbers_are_one_class():
    data = load_points(csv("x1,x2,label", "0,0,0.75", "1,1,0.25", "2,2,0.250"))
    assert data.kind == "binary" and data.class_names == ("0.25", "0.75")
    np.testing.assert_array_equal(data.y, [[1], [0], [0]])
    data = load_points(csv("x1,x2,label", "0,0,2", "1,1,1.0", "2,2,01", "3,3,3", "4,4,2.0"))
    assert data.kind == "multiclass" and data.class_names == ("1", "2", "3")
    np.testing.assert_array_equal(data.class_ids, [1, 0, 0, 2, 1])


def test_header_case_spaces_and_order_do_not_matter():
    data = load_points(csv(" Label ,X2,x1 ", "1, 2 ,3", "0,4,5"))
    np.testing.assert_array_equal(data.X, [[3, 2], [5, 4]])
    np.testing.assert_array_equal(data.y, [[1], [0]])


@pytest.mark.parametrize("text", [
    "x1;x2;label\n1,5;-2;a\n3;0,25;b\n",   # semicolons with decimal commas
    "x1;x2;label\n1.5;-2;a\n3;.25;b\n",    # semicolons with decimal points
    "x1\tx2\tlabel\n1.5\t-2\ta\n3\t0,25\tb\n",  # tabs
    'x1,x2,label\r\n"1.5",-2,"a"\r\n3,0.25,b\r\n',  # Windows line ends, quoted cells
    "x1,x2,label,\n1.5,-2,a,\n3,0.25,b,\n",  # an empty column without a name
])
def test_separators_and_spreadsheet_habits(text):
    data = load_points(text)
    np.testing.assert_array_equal(data.X, [[1.5, -2], [3, 0.25]])
    assert data.class_names == ("a", "b")


@pytest.mark.parametrize("encoded", [
    "\ufeffx1,x2,label\n1,2,café\n3,4,thé\n".encode(),
    "x1,x2,label\n1,2,café\n3,4,thé\n".encode("latin-1"),
    "x1,x2,label\n1,2,café\n3,4,thé\n",
])
def test_utf8_with_bom_latin1_and_text_read_the_same(encoded):
    data = load_points(encoded)
    assert data.class_names == ("café", "thé")
    np.testing.assert_array_equal(data.X, [[1, 2], [3, 4]])


def test_blank_rows_are_skipped_but_still_counted():
    text = "\n\nx1,x2,label\n1,2,0\n\n  \n3,4,1\n,,\n5,x,1\n"
    with pytest.raises(CsvError, match=r"^Row 9, column x2 holds 'x'"):
        load_points(text)
    data = load_points(text.replace("5,x,1\n", ""))
    np.testing.assert_array_equal(data.X, [[1, 2], [3, 4]])


def test_single_value_columns_get_a_domain_of_at_least_plus_minus_one():
    data = load_points(csv("x1,x2,label", "2,50,0", "2,50,1"))
    assert data.domain == ((1.0, 3.0), (45.0, 55.0))


def test_the_class_names_survive_a_split():
    data = load_points(csv("x1,x2,label", *(f"{i},0,{'ab'[i % 2]}" for i in range(10))))
    train, test = split(data, 0.3, seed=1)
    assert train.class_names == test.class_names == ("a", "b")
    assert dataclasses.replace(data, name="other").class_names == ("a", "b")


def test_exactly_the_limits_load():
    rows = [f"{i},{-i},{i % 2}" for i in range(MAX_ROWS)]
    assert load_points(csv("x1,x2,label", *rows)).n_examples == MAX_ROWS
    padded = csv("x1,x2,label", "0,0,0", "1,1,1")
    padded += " " * (MAX_CSV_BYTES - len(padded))
    assert len(padded) == MAX_CSV_BYTES and load_points(padded.encode()).n_examples == 2


# -- files that are refused, with the row, the column or the limit named ------------------


@pytest.mark.parametrize("text, message", [
    ("", r"^This file is empty\. Upload a CSV file whose row 1 is x1,x2,label"),
    (" \n\n", r"^This file is empty"),
    ("x1,x2,label\n", r"^This file has row 1 but no points below it\."),
    ("x1,x2,label\n\n,,\n", r"no points below it"),
    ("x1,x2\n1,2\n", r"^This file has no 'label' column\. Row 1 must name the columns x1, x2 and label"),
    ("x1\n1\n", r"^This file has no 'x2' and 'label' column"),
    ("x1,x2,label,colour\n1,2,0,red\n", r"^This file has an extra column 'colour'\. Keep only x1"),
    ("x1,x2,label,a,b\n", r"^This file has extra columns 'a' and 'b'\."),
    ("x,y,class\n1,2,0\n", r"^Row 1 must name the columns x1, x2 and label, but it names 'x', 'y' and "
                           r"'class'\. Rename them \(separated by commas\)"),
    ("x1|x2|label\n", r"but it names 'x1\|x2\|label'"),
    ("x1,x2,label,X1\n", r"^Row 1 names the column 'x1' twice\."),
    ("1,2,0\n3,4,1\n", r"^Row 1 holds numbers, not column names\. Add the row x1,x2,label above"),
    ("x1,x2,label\n1,2,0\n3,abc,1\n", r"^Row 3, column x2 holds 'abc', which is not a number\. "
                                      r"Write a plain number such as 1\.5"),
    ("x1,x2,label\nnan,2,0\n", r"^Row 2, column x1 holds 'nan', which is not a number"),
    ("x1,x2,label\ninf,2,0\n", r"^Row 2, column x1 holds 'inf', which is not a number"),
    ("x1,x2,label\n1_000,2,0\n", r"^Row 2, column x1 holds '1_000', which is not a number"),
    ("x1,x2,label\n1,2,0\n1e999,2,0\n", r"^Row 3, column x1 holds '1e999', a number too large to use"),
    ("x1,x2,label\n1,,0\n", r"^Row 2, column x2 is empty: every point needs an x1 and an x2\."),
    ("x1,x2,label\n1\n", r"^Row 2, column x2 is empty"),
    ("x1,x2,label\n1,2,0\n3,4,\n", r"^Row 3 has no label\. Give every point a label"),
    ("x1,x2,label\n1,2,0\n3,4, NaN\n", r"^Row 3 has no label\."),
    ("x1,x2,label\n1,2,n/a\n", r"^Row 2 has no label\."),
    ("x1,x2,label\n1,2,1\n3,4,1e999\n", r"^Row 3, column label holds '1e999', a number too large"),
    ("x1,x2,label\n1,2,1\n3,4,1.0\n", r"^Every point has the same label \('1'\): a network needs at "
                                      r"least two classes to tell apart\."),
    ("x1,x2,label\n1,2,red\n", r"^Every point has the same label \('red'\)"),
    ("x1,x2,label\n" + "".join(f"{i},{i},{w}\n" for i, w in enumerate("abcdefg")),
     r"^This file has 7 different labels, such as 'a', 'b' and 'c'; a network here tells apart at "
     r"most 6 classes\."),
    ("x1,x2,label\n" + "".join(f"{i},{i},{i}\n" for i in range(7)) + "7,7,oops\n",
     r"^Row 9, column label holds 'oops', which is not a number"),
    ("x1,x2,label\n1,2,0\n3,4,1,5\n", r"^Row 3 has 4 cells but the header row has 3\. Look for an extra "
                                      r"comma or a decimal comma \(write 1\.5, not 1,5\)"),
    ("x1;x2;label\n1;2;0\n3;4;1;5\n", r"^Row 3 has 4 cells but the header row has 3\. Look for an extra "
                                      r"semicolon"),
    ("\n\nx1,x2,label\n1,2,0,5\n", r"^Row 4 has 4 cells but the header row has 3\."),
    ("x1,x2,label\n1,2,0\n\n3,\"4,1\n", r'^Row 4 opens a quote mark \(\"\) that is never closed\.'),
    ('"x1,x2,label\n', r'^Row 1 opens a quote mark'),
    ("x1,x2,label,\n1,2,0,\n3,4,1,7\n",
     r"^Column D has no name in the header row but row 3 holds '7' in it\."),
    ("x1" + ",a" * 60 + "\n", r"^Row 1 has more than 50 columns"),
    ("x1,x2,label\n1,2,this label is far too long to show\n",
     r"^Every point has the same label \('this label is far to\.\.\.'\)"),
])
def test_a_wrong_file_is_refused_with_a_message_naming_the_problem(text, message):
    for data in (text, text.encode()):
        with pytest.raises(CsvError, match=message) as refused:
            load_points(data)
        assert str(refused.value).endswith(".")


def test_too_many_rows_says_the_limit_and_how_many_came():
    rows = [f"{i},{i},{i % 2}" for i in range(MAX_ROWS + 5)]
    with pytest.raises(CsvError, match=r"^This file has 2,005 points; this page takes at most 2,000\. "
                                       r"Delete some rows"):
        load_points(csv("x1,x2,label", *rows))


def test_a_file_of_too_many_lines_is_refused_before_it_is_read():
    with pytest.raises(CsvError, match=r"^This file has 25,001 rows; this page takes at most 2,000 points"):
        load_points(csv("x1,x2,label", *["1,2,0"] * 25_000))


WORST_FILES = {
    "a megabyte of blank rows": "x1,x2,label" + "," * 47 + "\n" * 999_000,
    "blank rows just under the line cap": "x1,x2,label" + "," * 47 + "\n" * 19_998 + "1,2,0\n3,4,1",
    "a million columns": "x1" + "," * 999_000,
    "a million cells in one row": "x1,x2,label\n" + "," * 999_000,
    "one huge open quote": 'x1,x2,label\n"' + "a\n" * 9_000 + "b" * 900_000,
}


@pytest.mark.parametrize("text", WORST_FILES.values(), ids=WORST_FILES.keys())
def test_the_worst_files_under_the_size_limit_are_read_quickly(text):
    started = time.perf_counter()
    loads_or_refuses(text)
    assert time.perf_counter() - started < 2.0  # about 0.1 s; without the caps pandas takes seconds


def test_a_file_too_large_is_refused_before_it_is_read():
    with pytest.raises(CsvError, match=r"^This file is 1,001 KB; a CSV of points can be at most 1,000 KB"):
        load_points(b"\x00" * (MAX_CSV_BYTES + 1000))  # not even text: the size is checked first


@pytest.mark.parametrize("data", [b"x1,x2\x00,label\n", "\ud800x1,x2,label\n",
                                  "x1,x2,label\n".encode("utf-16")])
def test_a_file_that_is_not_plain_text_is_refused(data):
    with pytest.raises(CsvError, match=r"^This file is not plain text .* Save it as 'CSV UTF-8'"):
        load_points(data)


def test_a_programming_mistake_is_a_type_error_not_a_csv_error():
    with pytest.raises(TypeError, match="'data' parameter"):
        load_points(["x1,x2,label"])
    with pytest.raises(TypeError, match="'name' parameter"):
        load_points("x1,x2,label\n1,2,0\n3,4,1\n", name="")


# -- any input at all: a data set that keeps its promises, or a CsvError --------------------

FAST = settings(max_examples=150, deadline=None)


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_load_or_are_refused(data):
    loads_or_refuses(data)


@FAST
@given(st.text(max_size=400))
def test_any_text_loads_or_is_refused(text):
    loads_or_refuses(text)


@FAST
@given(st.lists(st.lists(st.text(max_size=8), max_size=5), max_size=8))
def test_any_table_of_strings_loads_or_is_refused(table):
    loads_or_refuses("\n".join(",".join(row) for row in table))


TRICKY = st.sampled_from(["", " ", '"', '""', ",", ";", "\t", "\r", "\n", "nan", "NA", "inf", "1e999",
                          "-0", "1,5", "x1", "X2", "label", "é", "\ufeff"])
CELLS = st.one_of(TRICKY, st.integers(-3, 3).map(str), st.floats().map(repr),
                  st.sampled_from(["a", "b", "c", "d", "e", "f", "g"]), st.text(max_size=4))


@FAST
@given(st.permutations(["x1", "x2", "label"]), st.sampled_from([",", ";", "\t"]),
       st.lists(st.lists(CELLS, min_size=2, max_size=4), max_size=12), st.booleans())
def test_tables_under_a_good_header_load_or_are_refused(header, separator, rows, as_bytes):
    text = "\n".join(separator.join(row) for row in [header, *rows])
    loads_or_refuses(text.encode() if as_bytes else text)


@FAST
@given(st.lists(st.tuples(st.floats(-MAX_SIZE, MAX_SIZE), st.floats(-MAX_SIZE, MAX_SIZE),
                          st.sampled_from(["0", "1", "2", "red", "blue"])), min_size=1, max_size=30))
def test_written_points_are_read_back_exactly(rows):
    text = csv("x1,x2,label", *(f"{x1!r},{x2!r},{label}" for x1, x2, label in rows))
    labels = [label for _, _, label in rows]
    try:
        data = load_points(text)
    except CsvError as error:
        X = np.array([(x1, x2) for x1, x2, _ in rows])
        spread = X.max(axis=0) - X.min(axis=0)
        crowded = bool(((spread > 0) & (spread < MIN_SPREAD)).any())
        assert (len(set(labels)) == 1 and "same label" in str(error)) or (
            crowded and "too little to draw apart" in str(error))
        return
    check_invariants(data)
    np.testing.assert_array_equal(data.X, [(x1, x2) for x1, x2, _ in rows])
    np.testing.assert_array_equal(np.array(data.class_names)[data.class_ids], labels)


# -- the sample file -------------------------------------------------------------------------


def test_the_sample_file_loads_as_two_blobs():
    text = sample_csv()
    assert text.startswith("x1,x2,label\n") and text.endswith("\n")
    data = load_points(text)
    check_invariants(data)
    blobs = points("gaussians", 40, seed=0)
    assert data.kind == "binary" and data.n_examples == 40 and data.class_names == ("0", "1")
    np.testing.assert_allclose(data.X, blobs.X, atol=0.005)  # written with 2 decimals
    np.testing.assert_array_equal(data.y, blobs.y)


def test_the_sample_file_follows_its_arguments():
    assert sample_csv(7, seed=3) == sample_csv(7, seed=3) != sample_csv(7, seed=4)
    assert load_points(sample_csv(MAX_ROWS)).n_examples == MAX_ROWS
    with pytest.raises(ValueError, match="'n' parameter"):
        sample_csv(MAX_ROWS + 1)
    with pytest.raises(TypeError, match="'seed' parameter"):
        sample_csv(seed=1.5)


def _csv(points) -> bytes:
    return ("x1,x2,label\n" + "\n".join(f"{a!r},{b!r},{c!r}" for a, b, c in points)).encode()


@pytest.mark.parametrize(("points", "words"), [
    ([(1e308, 1.0, 0), (-1e308, 2.0, 1), (0.0, 0.0, 0), (5.0, 5.0, 1)], "Row 2, column x1 holds 1e+308"),
    ([(0.0, 1e15, 0), (1.0, 2.0, 1), (0.0, 0.0, 0), (5.0, 5.0, 1)], "Row 2, column x2 holds 1e+15"),
    ([(5e-324, 0.0, 0), (1e-322, 1.0, 1), (0.0, 2.0, 0), (2e-323, 3.0, 1)], "column x1 differ by at most"),
    ([(1e-300, 1e5, 0), (2e-300, -1e5, 1), (0.0, 3e5, 0), (1e-300, 2e5, 1)], "column x1 differ by at most"),
    ([(0.0, 0.0, 1e300), (1.0, 0.0, -1e300), (0.0, 1.0, 5.5), (1.0, 1.0, 2.25)], "column label holds 1e+300"),
    ([(0.0, 0.0, 1e-310), (1.0, 0.0, 2e-310), (0.0, 1.0, 3.3e-310), (1.0, 1.0, 0.0)], "column label differ"),
])
def test_extreme_or_crowded_numbers_are_refused_with_a_sentence(points, words):
    with pytest.raises(CsvError) as caught:
        load_points(_csv(points))
    assert words in str(caught.value) and "upload again" in str(caught.value)


@pytest.mark.parametrize("points", [
    [(1e6, -1e6, 0), (-1e6, 1e6, 1), (0.0, 0.0, 0), (5.0, 5.0, 1)],      # the largest taken
    [(0.0, 0.0, 0), (1e-6, 1e-6, 1), (5e-7, 0.0, 0), (0.0, 5e-7, 1)],    # the closest taken
    [(1.0, 1.0, 0), (1.0, 1.0, 1), (1.0, 1.0, 0), (1.0, 1.0, 1)],        # one place, both labels
    [(5e-324, 0.0, 0), (0.0, 1.0, 1), (1.0, 0.0, 0), (1.0, 1.0, 1)],    # a subnormal among others
])
def test_points_at_the_limits_train_and_draw_without_a_warning(points):
    """Accepted points go through the whole page: training, the surface, the weights, the
    truth rows, with numpy's overflow warnings turned into errors."""
    data = load_points(_csv(points))
    config = RunConfig(problem="csv", learning_rate=0.01, test_fraction=0.25)
    p = Playground()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p.use_points(data, config)
        p.step(5)
        json.dumps([frames.scene(p), frames.frame(p, frames.Curves())], allow_nan=False)
    assert p.trainer.iteration == 5


def test_a_saved_run_cannot_slip_in_points_the_upload_would_refuse():
    data = load_points(_csv([(1.0, 2.0, 0), (3.0, 4.0, 1), (0.0, 0.0, 0), (5.0, 5.0, 1)]))
    with pytest.raises(CsvError, match="holds 1e\\+299"):
        CsvDataset("edited", data.X * 1e299, data.y, data.kind, data.domain, ("x1", "x2"))
    with pytest.raises(CsvError, match="reaches beyond"):
        CsvDataset("edited", data.X, data.y, data.kind, ((-1e308, 1.0), (0.0, 1.0)), ("x1", "x2"))
