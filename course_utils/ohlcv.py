"""Loading daily stock prices (open, high, low, close, volume) from a CSV file, checked.

A model trained on prices silently learns garbage from a file with a shifted
column, a missing day or rows in the wrong order. ``load_ohlcv`` refuses such
a file with a message that names the file, the column and the line to fix.
"""

import math
from pathlib import Path
from typing import TYPE_CHECKING

from course_utils.checks import check_positive_int

if TYPE_CHECKING:  # pandas is imported when prices are loaded: the labs that never do start faster
    import pandas as pd

OHLCV_COLUMNS = ("Open", "High", "Low", "Close", "Volume")
DATE_COLUMN = "Date"
HEADER = ",".join((DATE_COLUMN, *OHLCV_COLUMNS))
_MISSING = {"", "nan", "na", "n/a", "null", "none"}


def load_ohlcv(path: str | Path, *, min_rows: int = 1) -> "pd.DataFrame":
    """Read daily prices from a CSV file with a ``Date,Open,High,Low,Close,Volume`` header.

    The file may list the days in any order (some sources put the newest day
    first); the result is always sorted from the oldest day to the newest.
    Columns other than the six named ones (e.g. ``Adj Close``) are ignored.

    Example:
        >>> prices = load_ohlcv(data_path("GOOG.csv"), min_rows=100)  # doctest: +SKIP
        >>> prices.columns.tolist()  # doctest: +SKIP
        ['Open', 'High', 'Low', 'Close', 'Volume']

    Args:
        path: The CSV file, as a string or a ``Path``.
        min_rows: The fewest days the file must hold, at least 1.

    Returns:
        A DataFrame with a ``DatetimeIndex`` named ``Date`` (one row a day,
        oldest first, no duplicates) and the float columns ``Open``, ``High``,
        ``Low``, ``Close`` and ``Volume``.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: the file is empty; a column is missing; a value is missing
            or not a finite number; a date cannot be read or appears twice;
            the file holds fewer than ``min_rows`` days; or ``min_rows`` is not
            a positive integer. Line numbers in the message count the header
            as line 1, as a text editor does.
    """
    import pandas as pd

    check_positive_int("min_rows", min_rows)
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    name = path.name
    try:
        # Read every cell as text so that this function, not pandas, decides what is wrong.
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{name}: the file is empty; expected the header {HEADER}") from None
    raw.columns = [str(column).strip() for column in raw.columns]

    missing = [c for c in (DATE_COLUMN, *OHLCV_COLUMNS) if c not in raw.columns]
    if missing:
        raise ValueError(
            f"{name}: missing column(s) {', '.join(missing)}; the header has {', '.join(raw.columns)} "
            f"but should be {HEADER}"
        )

    lines = range(2, len(raw) + 2)  # data row i sits on line i + 2 of the file
    dates = raw[DATE_COLUMN].str.strip()
    columns = {}
    for column in OHLCV_COLUMNS:
        text = raw[column].str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        for line, date, cell, number in zip(lines, dates, text, numbers, strict=True):
            where = f"{name}, line {line} (date {date or '?'}), column {column}"
            if cell.lower() in _MISSING:
                raise ValueError(f"{where}: the value is missing")
            if math.isnan(number):
                raise ValueError(f"{where}: {cell!r} is not a number")
            if not math.isfinite(number):
                raise ValueError(f"{where}: {cell!r} is not a finite number")
        columns[column] = numbers.astype("float64").to_numpy()

    parsed = pd.to_datetime(dates, format="ISO8601", errors="coerce")
    for line, text, date in zip(lines, dates, parsed, strict=True):
        if text.lower() in _MISSING:
            raise ValueError(f"{name}, line {line}, column {DATE_COLUMN}: the date is missing")
        if pd.isna(date):
            raise ValueError(
                f"{name}, line {line}, column {DATE_COLUMN}: cannot read the date {text!r} "
                "(expected YYYY-MM-DD)"
            )
    repeated = parsed[parsed.duplicated()]
    if len(repeated) > 0:
        first = repeated.iloc[0]
        on_lines = [line for line, date in zip(lines, parsed, strict=True) if date == first]
        raise ValueError(
            f"{name}: the date {first.date()} appears {len(on_lines)} times "
            f"(lines {', '.join(map(str, on_lines))}); keep one row a day"
        )

    if len(raw) < min_rows:
        raise ValueError(f"{name}: {len(raw)} row(s) of prices, but at least {min_rows} are needed")

    index = pd.DatetimeIndex(parsed, name=DATE_COLUMN)
    frame = pd.DataFrame(columns, index=index, columns=list(OHLCV_COLUMNS))
    return frame.sort_index(kind="stable")
