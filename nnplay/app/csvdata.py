"""Your own data: a CSV file of 2-D points (``x1``, ``x2``, ``label``) read into a Dataset.

The file a student uploads is untrusted. ``load_points`` caps its size before
parsing, reads it as text only (pandas, every cell a string first; nothing is
ever evaluated) and answers a wrong file with ``CsvError``: one or two
sentences that name the row and column, numbered as a spreadsheet shows them
(the header is row 1, the first point row 2), and say what to do.

What a file may look like
-------------------------
* Row 1 names exactly the columns ``x1``, ``x2`` and ``label``, in any order
  and any case; spaces around names and cells are ignored.
* Cells are separated by commas, or by semicolons or tabs if row 1 uses those.
  With semicolons or tabs a decimal comma is fine too (``1,5`` is 1.5), as
  spreadsheets in many countries write it.
* UTF-8 (with or without a byte-order mark), or UTF-16 with its byte-order mark (what
  spreadsheets save as "Unicode text", tab-separated); anything else is read as Latin-1.
* Blank rows are skipped (they still count in the row numbers), and so is a
  column without a name that is empty all the way down (a separator at the end
  of every row, as some spreadsheets write).
* At most ``MAX_ROWS`` points, ``MAX_CSV_BYTES`` bytes (characters, for text),
  ``MAX_LINES`` lines and ``MAX_COLUMNS`` columns.

How the labels decide the kind
------------------------------
* exactly 2 different labels: ``"binary"``; the smaller number, or the first
  name in sorted order, becomes 0 and the other 1 (so 0/1 stay 0/1, -1/1 become
  0/1, "blue"/"red" become 0/1);
* 3 to ``MAX_CLASSES`` different whole numbers, or 3 to ``MAX_CLASSES``
  different names: ``"multiclass"``, one-hot columns in sorted order;
* any other set of numbers (3 or more values with fractions, or more than
  ``MAX_CLASSES`` different whole numbers): ``"regression"``;
* a single label, or more than ``MAX_CLASSES`` names: ``CsvError``.

A label counts as a number if every label is one; a file mixing numbers and
names has named classes ("1", "2" and "cat" are three names). An empty label,
or one written as NaN, NA, N/A, null or None, is missing: ``CsvError``.

The label as written in the file is kept in ``CsvDataset.class_names``, in the
order of the classes: ``np.array(data.class_names)[data.class_ids]`` labels every
point. ``CsvDataset`` is a ``Dataset``, so the engine, the plots and ``split``
take it as it is.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nnplay import _checks
from nnplay.datasets import MIN_POINTS, Dataset, points

MAX_ROWS = 2000
MAX_CSV_BYTES = 1_000_000
MAX_CLASSES = 6
# Caps on the table pandas builds, checked before it is built: it pays for every cell, blank or not.
MAX_COLUMNS = 50
MAX_LINES = 10 * MAX_ROWS  # room for blank rows, but not for a megabyte of them

COLUMNS = ("x1", "x2", "label")
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
MISSING_LABELS = frozenset({"", "nan", "na", "n/a", "null", "none"})

# A plain decimal number: 2, -0.5, .5, 1e-3. Python's float() would also take "nan", "inf",
# "1_000" and stray spaces, none of which a student means as a coordinate.
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))*")
# pandas' C parser counts records from 1 in the first message and from 0 in the second.
TOO_MANY_CELLS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")

UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
WHAT_A_FILE_IS = "a CSV file whose row 1 is x1,x2,label, with one point per row below it"


class CsvError(ValueError):
    """An upload that is not a CSV of points; the message says what was wrong and what to do."""


# eq=False, like Dataset: numpy arrays have no single truth value.
@dataclass(frozen=True, eq=False)
class CsvDataset(Dataset):
    """A Dataset read from a CSV file, keeping the labels as the file wrote them.

    Attributes
    ----------
    class_names : tuple of str
        ``"binary"``: (label of class 0, label of class 1), e.g. ``("-1", "1")`` or
        ``("blue", "red")``. ``"multiclass"``: one per column of ``y``. ``"regression"``: ().
    """

    class_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        check_scale(self.X, self.y if self.kind == "regression" else None)
        if np.abs(self.domain).max() > 2 * MAX_SIZE:  # the points' box, padded, is drawn
            raise CsvError(f"The points' area {self.domain} reaches beyond ±{2 * MAX_SIZE:,.0f}; "
                           "it is not one this page drew.")


MAX_SIZE = 1e6
"""The largest coordinate or number label the page takes: the surface, its ticks and the
network's inputs stay meaningful well within float64."""
MIN_SPREAD = 1e-6
"""The least spread of a column whose values differ: closer ones cannot be drawn apart."""


def check_scale(X: np.ndarray, y: np.ndarray | None = None, rows: list[int] | None = None) -> None:
    """Raise ``CsvError`` if a column of ``X`` (or the number labels ``y``) holds a value
    beyond ``MAX_SIZE`` or values that differ by less than ``MIN_SPREAD``."""
    columns = [(X[:, k], name) for k, name in enumerate(("x1", "x2"))]
    columns += [] if y is None else [(y[:, 0], "label")]
    for values, name in columns:
        if not values.size:  # an empty test set
            continue
        big = np.abs(values) > MAX_SIZE
        if big.any():
            at = int(np.argmax(big))
            where = f"Row {rows[at]}, column {name}" if rows else f"Column {name}"
            raise CsvError(f"{where} holds {values[at]:g}; this page takes numbers between "
                           f"-{MAX_SIZE:,.0f} and {MAX_SIZE:,.0f}. Divide the column by a power "
                           "of ten to bring it into range, and upload again.")
        spread = float(values.max() - values.min())
        if 0 < spread < MIN_SPREAD:
            raise CsvError(f"The values of column {name} differ by at most {spread:.3g}, too "
                           f"little to draw apart (at least {MIN_SPREAD:g}). Multiply the column "
                           "by a power of ten to spread them out, and upload again.")


def load_points(data: bytes | str, name: str = "your data") -> CsvDataset:
    """Read an uploaded CSV of points; raise ``CsvError`` with a student-readable message if it is not one.

    Parameters
    ----------
    data : bytes or str
        The file's contents (bytes as uploaded, or text already decoded).
    name : str
        Name of the returned data set.

    Returns
    -------
    CsvDataset
        X of shape (n, 2) with columns x1, x2; y of shape (n, 1) for binary (0/1) and
        regression data, (n, k) one-hot for k classes; ``domain`` the points' bounding
        box padded by 10% of its width on each side (by at least 1 if every point has
        the same coordinate); ``input_names`` ("x1", "x2"). Rows in file order.

    Raises
    ------
    CsvError
        For anything wrong with the file's contents, whatever they are.
    TypeError
        If ``data`` is not bytes or text, or ``name`` is not a non-empty string (a
        mistake in the calling code, not in the file).
    """
    if not isinstance(name, str) or not name:
        _checks.fail("name", "a non-empty string", name, TypeError)
    text, first_row = _skip_leading_blank_lines(_decode(data))
    _check_line_count(text, first_row)
    separator = _separator(text)
    position = _column_positions(_header(text, separator, first_row), separator)
    table = _read_table(text, separator, first_row)
    rows, cells = _points(table, first_row)
    _check_unnamed_columns(table.iloc[0].tolist(), cells, rows)
    decimal_comma = separator != ","
    # Row by row, so the first bad cell named is the first a student meets reading down the file.
    read = [_point(row_cells, position, row, decimal_comma) for row, row_cells in zip(rows, cells)]
    X = np.array([(x1, x2) for x1, x2, _ in read])
    labels = [label for _, _, label in read]
    y, kind, class_names = _targets(labels, rows, decimal_comma)
    check_scale(X, y if kind == "regression" else None, rows)
    domain = (_padded_range(X[:, 0]), _padded_range(X[:, 1]))
    return CsvDataset(name, X, y, kind, domain, ("x1", "x2"), class_names)


def sample_csv(n: int = 40, seed: int = 0) -> str:
    """A small CSV a student can download, edit and upload: two noisy blobs labelled 0 and 1.

    Label 0 around (-2, -2), label 1 around (2, 2) (``datasets.points("gaussians")``),
    coordinates rounded to 2 decimals, rows shuffled, header ``x1,x2,label``.
    """
    n = _checks.integer("n", n, MIN_POINTS, MAX_ROWS)
    seed = _checks.integer("seed", seed, 0)
    blobs = points("gaussians", n, seed=seed)
    lines = [",".join(COLUMNS)]
    lines += [f"{x1:.2f},{x2:.2f},{label:.0f}" for (x1, x2), (label,) in zip(blobs.X, blobs.y)]
    return "\n".join(lines) + "\n"


# --- From bytes to a table of strings -------------------------------------------------


def _decode(data: bytes | str) -> str:
    """The file as text: size capped first, UTF-8 (BOM dropped) or else Latin-1."""
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if not isinstance(data, bytes | str):
        _checks.fail("data", "the file's bytes or text", type(data).__name__, TypeError)
    if len(data) > MAX_CSV_BYTES:
        raise CsvError(f"This file is {math.ceil(len(data) / 1000):,} KB; a CSV of points can be at most "
                       f"{MAX_CSV_BYTES // 1000:,} KB ({MAX_ROWS:,} points fit easily). Upload a "
                       "smaller file.")
    if isinstance(data, bytes) and data.startswith(UTF16_MARKS):
        try:
            text = data.decode("utf-16")  # the mark says which byte order, and is dropped
        except UnicodeDecodeError:
            text = "\x00"  # not UTF-16 after all: refused below as not plain text
    elif isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")  # every byte is a Latin-1 character: never fails
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise CsvError(f"This file is empty. Upload {WHAT_A_FILE_IS}.")
    # Zero bytes mean a binary file or UTF-16; lone surrogates cannot be handed to pandas.
    if "\x00" in text or _has_surrogate(text):
        raise CsvError("This file is not plain text (it may be a spreadsheet or UTF-16). "
                       "Save it as 'CSV UTF-8' and upload again.")
    return text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _skip_leading_blank_lines(text: str) -> tuple[str, int]:
    """The text from its first non-blank line, and that line's row number (1 if none skipped)."""
    blank = LEADING_BLANK_LINES.match(text).group()
    line_breaks = blank.count("\n") + blank.count("\r") - blank.count("\r\n")
    return text[len(blank):], 1 + line_breaks


def _check_line_count(text: str, first_row: int) -> None:
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    lines = first_row - 1 + breaks + (not text.endswith(("\n", "\r")))
    if lines > MAX_LINES:
        raise CsvError(f"This file has {lines:,} rows; this page takes at most {MAX_ROWS:,} points. "
                       "Delete some rows and upload again.")


def _separator(text: str) -> str:
    """The separator the header line uses most: a comma, a semicolon or a tab (a comma on a tie)."""
    header = _first_line(text)
    return max(SEPARATORS, key=header.count)  # max keeps the first of equals: the comma


def _first_line(text: str) -> str:
    return re.split(r"\r|\n", text, maxsplit=1)[0]


def _header(text: str, separator: str, first_row: int) -> list[str]:
    """The cells of the first line, read on their own (the header never spans lines)."""
    line = _first_line(text)
    if line.count(separator) >= MAX_COLUMNS:
        raise CsvError(f"Row {first_row} has more than {MAX_COLUMNS} columns; a CSV of points has just "
                       f"x1, x2 and label. Upload {WHAT_A_FILE_IS}.")
    return [_clean(cell) for cell in _read_table(line, separator, first_row).iloc[0]]


def _read_table(text: str, separator: str, first_row: int) -> pd.DataFrame:
    """Every record as strings (no column names), blank lines kept so rows keep their numbers."""
    try:
        table = pd.read_csv(io.StringIO(text), sep=separator, header=None, dtype=str, na_filter=False,
                            skip_blank_lines=False, engine="c")
    except pd.errors.EmptyDataError:
        raise CsvError(f"This file is empty. Upload {WHAT_A_FILE_IS}.") from None
    except pd.errors.ParserError as problem:
        raise CsvError(_parser_message(str(problem), separator, first_row)) from None
    except (ValueError, UnicodeError, OverflowError):
        raise CsvError(f"This file could not be read as a table. Upload {WHAT_A_FILE_IS}.") from None
    return table.fillna("")


def _parser_message(problem: str, separator: str, first_row: int) -> str:
    """Translate pandas' tokenizer errors into the student's row numbers."""
    if found := TOO_MANY_CELLS.search(problem):
        expected, record, saw = map(int, found.groups())
        hint = " (write 1.5, not 1,5)" if separator == "," else ""
        return (f"Row {first_row + record - 1} has {saw:,} cells but the header row has {expected}. "
                f"Look for an extra {SEPARATORS[separator][:-1]} or a decimal comma{hint}, fix it and "
                "upload again.")
    if found := OPEN_QUOTE.search(problem):
        row = first_row + int(found.group(1))
        return (f'Row {row} opens a quote mark (") that is never closed. Remove the quote mark or '
                "close it, and upload again.")
    return f"This file could not be read as a table. Upload {WHAT_A_FILE_IS}."


# --- Columns and rows -----------------------------------------------------------------


def _column_positions(header: list[str], separator: str) -> dict[str, int]:
    """Where x1, x2 and label are in row 1; raise if any is missing, repeated or joined by others."""
    names = [cell.lower() for cell in header]
    named = [name for name in names if name]
    if named and all(NUMBER.fullmatch(name) for name in named):
        raise CsvError("Row 1 holds numbers, not column names. Add the row x1,x2,label above your "
                       "points and upload again.")
    missing = [c for c in COLUMNS if c not in names]
    extra = [cell for cell, name in zip(header, names) if name and name not in COLUMNS]
    repeated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if missing and extra:
        found = _listing([cell for cell in header if cell])
        raise CsvError(f"Row 1 must name the columns x1, x2 and label, but it names {found}. Rename "
                       f"them (separated by {SEPARATORS[separator]}) and upload again.")
    if missing:
        raise CsvError(f"This file has no {_listing(missing)} column. Row 1 must name the columns x1, "
                       "x2 and label; add the missing one and upload again.")
    if extra:
        raise CsvError(f"This file has {_plural(len(extra), 'an extra column', 'extra columns')} "
                       f"{_listing(extra)}. Keep only x1, x2 and label, and upload again.")
    if repeated:
        raise CsvError(f"Row 1 names the column {_listing(repeated)} twice. Keep one x1, one x2 and "
                       "one label column, and upload again.")
    return {name: names.index(name) for name in COLUMNS}


def _points(table: pd.DataFrame, first_row: int) -> tuple[list[int], list[list[str]]]:
    """Row numbers and cells of the non-blank rows below row 1, at most MAX_ROWS of them."""
    body = table.iloc[1:]
    # Vectorised: this runs before the row cap, on up to a megabyte of rows. Blank lines come
    # back as empty cells, so the cheap test goes first and strip() sees only what is left.
    body = body[(body != "").any(axis=1)]
    body = body[body.apply(lambda column: column.str.strip() != "").any(axis=1)]
    if len(body) == 0:
        raise CsvError("This file has row 1 but no points below it. Add one point per row, such as "
                       "0.5,1.2,1, and upload again.")
    if len(body) > MAX_ROWS:
        raise CsvError(f"This file has {len(body):,} points; this page takes at most {MAX_ROWS:,}. "
                       "Delete some rows and upload again.")
    rows = [first_row + int(index) for index in body.index]
    return rows, body.to_numpy(dtype=object).tolist()


def _check_unnamed_columns(header: list[str], cells: list[list[str]], rows: list[int]) -> None:
    """Raise if a column without a name in row 1 holds anything (an empty one is harmless)."""
    for at, name in enumerate(header):
        if name.strip():
            continue
        for row, row_cells in zip(rows, cells):
            if row_cells[at].strip():
                raise CsvError(f"Column {_column_letter(at)} has no name in the header row but row {row} "
                               f"holds {_show(row_cells[at])} in it. Delete that column, and upload again.")


# --- Cells ------------------------------------------------------------------------------


def _point(cells: list[str], position: dict[str, int], row: int, decimal_comma: bool
           ) -> tuple[float, float, str]:
    """x1, x2 and the label's text of one row."""
    x1, x2 = (_coordinate(cells[position[c]], c, row, decimal_comma) for c in ("x1", "x2"))
    return x1, x2, _label_text(cells[position["label"]], row)


def _coordinate(cell: str, column: str, row: int, decimal_comma: bool) -> float:
    """The number in one x1 or x2 cell, or a CsvError naming the cell."""
    where = f"Row {row}, column {column}"
    if not _clean(cell):
        raise CsvError(f"{where} is empty: every point needs an x1 and an x2. Fill it in or delete "
                       "the row, and upload again.")
    value = _number(cell, decimal_comma)
    if value is None:
        raise CsvError(f"{where} holds {_show(cell)}, which is not a number. Write a plain number "
                       "such as 1.5 or -2, and upload again.")
    if not math.isfinite(value):
        raise CsvError(f"{where} holds {_show(cell)}, a number too large to use. Write a smaller "
                       "number, and upload again.")
    return value


def _number(cell: str, decimal_comma: bool) -> float | None:
    """The cell as a float if it is written as a plain number, else None."""
    text = _clean(cell)
    if decimal_comma:
        text = text.replace(",", ".", 1)
    return float(text) if NUMBER.fullmatch(text) else None


def _label_text(cell: str, row: int) -> str:
    """The label as written (spaces trimmed), or a CsvError if it is missing."""
    label = _clean(cell)
    if label.lower() in MISSING_LABELS:
        raise CsvError(f"Row {row} has no label. Give every point a label (such as 0 or 1) or delete "
                       "the row, and upload again.")
    return label


def _clean(cell: str) -> str:
    return cell.strip()


# --- Labels to targets ------------------------------------------------------------------


def _targets(labels: list[str], rows: list[int], decimal_comma: bool
             ) -> tuple[np.ndarray, str, tuple[str, ...]]:
    """y, the kind and the class names, decided by the labels (see the module docstring)."""
    values = [_number(label, decimal_comma) for label in labels]
    if None not in values:
        return _numeric_targets(values, labels, rows)
    return _named_targets(labels, values, rows)


def _numeric_targets(values: list[float], labels: list[str], rows: list[int]
                     ) -> tuple[np.ndarray, str, tuple[str, ...]]:
    for value, label, row in zip(values, labels, rows):
        if not math.isfinite(value):
            raise CsvError(f"Row {row}, column label holds {_show(label)}, a number too large to use. "
                           "Write a smaller number, and upload again.")
    distinct = sorted(set(values))
    _check_two_or_more(distinct, labels[0])
    names = tuple(_number_name(value) for value in distinct)
    whole = all(value.is_integer() for value in distinct)
    if len(distinct) == 2 or (whole and len(distinct) <= MAX_CLASSES):
        return _classes(values, distinct), _class_kind(distinct), names
    return np.array(values)[:, None], "regression", ()


def _named_targets(labels: list[str], values: list[float | None], rows: list[int]
                   ) -> tuple[np.ndarray, str, tuple[str, ...]]:
    distinct = sorted(set(labels))
    _check_two_or_more(distinct, labels[0])
    if len(distinct) > MAX_CLASSES:
        if any(value is not None for value in values):
            row, label = next((row, label) for row, label, value in zip(rows, labels, values)
                              if value is None)
            raise CsvError(f"Row {row}, column label holds {_show(label)}, which is not a number, and "
                           f"{len(distinct)} different labels are too many classes (at most "
                           f"{MAX_CLASSES}). Use numbers only, or at most {MAX_CLASSES} names.")
        raise CsvError(f"This file has {len(distinct)} different labels, such as "
                       f"{_listing(distinct[:3])}; a network here tells apart at most {MAX_CLASSES} "
                       f"classes. Use at most {MAX_CLASSES} labels, and upload again.")
    return _classes(labels, distinct), _class_kind(distinct), tuple(distinct)


def _check_two_or_more(distinct: list, first_label: str) -> None:
    if len(distinct) == 1:
        raise CsvError(f"Every point has the same label ({_show(first_label)}): a network needs at "
                       "least two classes to tell apart. Give some points another label, and upload again.")


def _class_kind(distinct: list) -> str:
    return "binary" if len(distinct) == 2 else "multiclass"


def _classes(labels: list, distinct: list) -> np.ndarray:
    """0/1 column for two classes, else one-hot rows, shape (n, 1) or (n, len(distinct))."""
    index = {label: i for i, label in enumerate(distinct)}
    ids = np.array([index[label] for label in labels])
    if len(distinct) == 2:
        return ids[:, None].astype(np.float64)
    return np.eye(len(distinct))[ids]


def _number_name(value: float) -> str:
    """2.0 -> "2", 0.5 -> "0.5": how a number label is shown in a legend."""
    return str(int(value)) if value.is_integer() else repr(value)


# --- Small helpers ------------------------------------------------------------------------


def _padded_range(column: np.ndarray) -> tuple[float, float]:
    """(low, high) of ``column`` padded by 10% of its width, or by at least 1 if it is one value."""
    low, high = float(column.min()), float(column.max())
    # 0.1 * high - 0.1 * low cannot overflow where 0.1 * (high - low) could.
    pad = 0.1 * high - 0.1 * low if high > low else max(1.0, 0.1 * abs(low))
    biggest = float(np.finfo(np.float64).max)
    return max(low - pad, -biggest), min(high + pad, biggest)


def _show(cell: str, limit: int = 20) -> str:
    """A cell quoted for a message, cut short if long."""
    text = cell.strip()
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _listing(names: list[str], limit: int = 5) -> str:
    """'a', 'b' and 'c' (at most ``limit`` names, then "and N more")."""
    shown = [_show(name) for name in names[:limit]]
    if len(names) > limit:
        shown.append(f"{len(names) - limit} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": columns as a spreadsheet names them."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
