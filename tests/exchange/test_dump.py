"""Reading and writing the dump format's fields."""

from datetime import UTC, datetime

from exchange.dump import DumpWriter, format_date, iter_rows, parse_date, parse_tags
from exchange.importer import tag_name


def test_tags_in_both_notations():
    assert parse_tags("<python><list><python>") == ["python", "list"]
    assert parse_tags("|python|中文|") == ["python", "中文"]
    assert parse_tags("") == [] and parse_tags(None) == []


def test_tag_names_are_made_valid_here():
    assert tag_name(".NET") == "net"
    assert tag_name("c#") == "c#"
    assert tag_name("c++") == "c++"
    assert tag_name("中文") == "中文"
    assert tag_name("a/b c") == "a-b-c"
    assert tag_name("...") == ""


def test_dates_are_utc_with_or_without_milliseconds():
    assert parse_date("2010-07-20T19:12:14.353") == datetime(2010, 7, 20, 19, 12, 14, 353000, UTC)
    assert parse_date("2010-07-20T19:12:14") == datetime(2010, 7, 20, 19, 12, 14, tzinfo=UTC)
    assert parse_date("") is None
    moment = datetime(2024, 2, 29, 23, 59, 58, 120000, UTC)
    assert format_date(moment) == "2024-02-29T23:59:58.120"
    assert parse_date(format_date(moment)) == moment


def test_written_rows_read_back_as_they_were(tmp_path):
    text = 'Line one\nline "two" <b>&amp;</b>\ttab\r\n中文\x00\x0b'
    with DumpWriter(tmp_path / "Posts.xml", "posts") as out:
        out.row(Id=1, Body=text, Title=None)
        out.row(Id=2, Body="")
    rows = list(iter_rows(tmp_path / "Posts.xml"))
    assert rows == [
        {"Id": "1", "Body": 'Line one\nline "two" <b>&amp;</b>\ttab\r\n中文'},
        {"Id": "2", "Body": ""},
    ]
