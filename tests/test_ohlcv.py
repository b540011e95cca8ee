import pandas as pd
import pytest

from course_utils import data_path, load_ohlcv

HEADER = "Date,Open,High,Low,Close,Volume"
GOOD_ROWS = [
    "2020-01-02,10,12,9,11,1000",
    "2020-01-03,11,13,10,12,1100",
    "2020-01-06,12,14,11,13,1200",
]


def write(tmp_path, *lines, name="prices.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_file(tmp_path):
    prices = load_ohlcv(write(tmp_path, HEADER, *GOOD_ROWS))
    assert list(prices.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert isinstance(prices.index, pd.DatetimeIndex)
    assert prices.index.name == "Date"
    assert all(dtype == "float64" for dtype in prices.dtypes)
    assert prices.loc["2020-01-03", "Close"] == 12.0
    assert prices["Volume"].tolist() == [1000.0, 1100.0, 1200.0]


def test_newest_first_file_is_sorted_oldest_first(tmp_path):
    prices = load_ohlcv(write(tmp_path, HEADER, *reversed(GOOD_ROWS)))
    assert prices.index.is_monotonic_increasing
    assert prices["Close"].tolist() == [11.0, 12.0, 13.0]  # rows move with their dates


def test_accepts_str_path_extra_columns_and_spaces(tmp_path):
    path = write(tmp_path, "Date, Open, High, Low, Close, Adj Close, Volume",
                 "2020-01-02, 10, 12, 9, 11, 10.5, 1000")
    prices = load_ohlcv(str(path))
    assert list(prices.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert prices.iloc[0].tolist() == [10.0, 12.0, 9.0, 11.0, 1000.0]


def test_course_file_loads():
    prices = load_ohlcv(data_path("GOOG.csv"), min_rows=2000)
    assert len(prices) == 2148
    assert str(prices.index[0].date()) == "2004-08-19"
    assert str(prices.index[-1].date()) == "2013-03-01"
    assert prices.index.is_unique and prices.index.is_monotonic_increasing
    assert (prices["High"] >= prices[["Open", "Close", "Low"]].max(axis=1)).all()
    assert (prices["Low"] <= prices[["Open", "Close", "High"]].min(axis=1)).all()


def test_missing_column(tmp_path):
    path = write(tmp_path, "Date,Open,High,Low,Volume", "2020-01-02,10,12,9,1000", name="nocl.csv")
    with pytest.raises(ValueError, match=r"nocl\.csv: missing column\(s\) Close;"):
        load_ohlcv(path)


def test_missing_date_column(tmp_path):
    path = write(tmp_path, ",Open,High,Low,Close,Volume", "2020-01-02,10,12,9,11,1000")
    with pytest.raises(ValueError, match="missing column.*Date"):
        load_ohlcv(path)


def test_non_numeric_value(tmp_path):
    path = write(tmp_path, HEADER, *GOOD_ROWS[:2], "2020-01-06,12,14,11,abc,1200")
    with pytest.raises(ValueError, match=r"line 4 \(date 2020-01-06\), column Close: 'abc' is not a number"):
        load_ohlcv(path)


def test_infinite_value(tmp_path):
    path = write(tmp_path, HEADER, "2020-01-02,10,inf,9,11,1000")
    with pytest.raises(ValueError, match="column High: 'inf' is not a finite number"):
        load_ohlcv(path)


@pytest.mark.parametrize("cell", ["", "NaN", "NA"])
def test_missing_value(tmp_path, cell):
    path = write(tmp_path, HEADER, GOOD_ROWS[0], f"2020-01-03,11,13,10,12,{cell}")
    message = r"prices\.csv, line 3 \(date 2020-01-03\), column Volume: the value is missing"
    with pytest.raises(ValueError, match=message):
        load_ohlcv(path)


def test_short_row_counts_as_missing_value(tmp_path):
    path = write(tmp_path, HEADER, "2020-01-02,10,12,9,11")
    with pytest.raises(ValueError, match="line 2 .*column Volume: the value is missing"):
        load_ohlcv(path)


def test_missing_date(tmp_path):
    path = write(tmp_path, HEADER, GOOD_ROWS[0], ",11,13,10,12,1100")
    with pytest.raises(ValueError, match="line 3, column Date: the date is missing"):
        load_ohlcv(path)


def test_unreadable_date(tmp_path):
    path = write(tmp_path, HEADER, GOOD_ROWS[0], "2020-13-45,11,13,10,12,1100")
    with pytest.raises(ValueError, match=r"line 3, column Date: cannot read the date '2020-13-45'"):
        load_ohlcv(path)


def test_duplicate_dates(tmp_path):
    path = write(tmp_path, HEADER, *GOOD_ROWS, "2020-01-03,11,13,10,12,1100")
    with pytest.raises(ValueError, match=r"the date 2020-01-03 appears 2 times \(lines 3, 5\)"):
        load_ohlcv(path)


def test_fewer_rows_than_minimum(tmp_path):
    path = write(tmp_path, HEADER, *GOOD_ROWS)
    assert len(load_ohlcv(path, min_rows=3)) == 3
    with pytest.raises(ValueError, match="3 row.* but at least 4 are needed"):
        load_ohlcv(path, min_rows=4)


def test_header_only_file_has_too_few_rows(tmp_path):
    with pytest.raises(ValueError, match="0 row"):
        load_ohlcv(write(tmp_path, HEADER))


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match=r"empty\.csv: the file is empty"):
        load_ohlcv(path)


def test_no_such_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_ohlcv(tmp_path / "nowhere.csv")


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_min_rows_must_be_positive_integer(tmp_path, bad):
    with pytest.raises(ValueError, match="min_rows must be a positive integer"):
        load_ohlcv(write(tmp_path, HEADER, *GOOD_ROWS), min_rows=bad)
