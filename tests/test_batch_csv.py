"""Reading catalogue CSV files: encodings, delimiters, header names, line numbers, and
row problems reported at their line and column."""

from __future__ import annotations

import pytest

from studioflow.batch.csv_reader import CsvError, parse_csv


def issues(parsed, level="error"):
    return [(i.row, i.column, i.message) for i in parsed.issues if i.level == level]


def test_bom_semicolons_and_tolerant_header_names():
    data = "\ufeff SKU ; Prompt ;COLOR; Reference Image\nA-1;red handbag;red;\n".encode()
    parsed = parse_csv(data)
    assert parsed.delimiter == ";"
    assert parsed.columns == ["sku", "prompt", "color", "reference_image"]
    assert parsed.issues == []
    (row,) = parsed.rows
    assert (row.line, row.sku, row.prompt, row.color) == (2, "A-1", "red handbag", "red")


def test_commas_and_tabs_are_sniffed_from_the_header():
    assert parse_csv(b"sku,prompt\nA,\"mug; blue\"\n").rows[0].prompt == "mug; blue"
    tabbed = parse_csv(b"sku\tprompt\nA\tmug, blue\n")
    assert tabbed.delimiter == "\t" and tabbed.rows[0].prompt == "mug, blue"


def test_quoted_multiline_cells_keep_file_line_numbers():
    data = (b'sku,prompt,seed\n'
            b'A,"a red\nleather\nhandbag",1\n'  # lines 2-4
            b'\n'  # line 5, blank
            b'B,"mug",x\n'  # line 6
            b'C,"two\nlines",also-bad\n')  # lines 7-8
    parsed = parse_csv(data)
    assert [r.line for r in parsed.rows] == [2]
    assert parsed.rows[0].prompt == "a red\nleather\nhandbag"
    assert issues(parsed) == [(6, "seed", "'x' is not a whole number"),
                              (7, "seed", "'also-bad' is not a whole number")]
    assert parsed.data_rows == 3


def test_crlf_line_endings_number_lines_the_same():
    parsed = parse_csv(b'sku,prompt\r\nA,"x\r\ny"\r\nB,\r\n')
    assert [r.line for r in parsed.rows] == [2]
    assert issues(parsed) == [(4, "prompt", "required value is missing: give a prompt or a "
                                            "manifest")]


def test_unknown_columns_are_warnings_at_row_one_with_a_hint():
    parsed = parse_csv(b"sku,prompt,colour,notes\nA,mug,blue,x\n")
    warnings = issues(parsed, "warning")
    assert [(r, c) for r, c, _ in warnings] == [(1, "colour"), (1, "notes")]
    assert "did you mean 'color'" in warnings[0][2]
    assert len(parsed.rows) == 1 and parsed.rows[0].color is None


@pytest.mark.parametrize("header, column", [(b"prompt,name", "sku"), (b"sku,name", "prompt")])
def test_missing_required_columns(header, column):
    parsed = parse_csv(header + b"\nA,B\n")
    assert (1, column) in [(r, c) for r, c, _ in issues(parsed)]
    assert parsed.rows == []


def test_duplicate_columns_are_errors():
    parsed = parse_csv(b"sku,prompt,SKU\nA,mug,B\n")
    assert (1, "sku", "column appears twice") in issues(parsed)


def test_row_values_are_checked_with_row_and_column():
    data = (b"sku,prompt,manifest,seed,variants,width,height\n"
            b"A,mug,,-1,1,512,512\n"  # 2: seed below range
            b"B,mug,,1,0,512,512\n"  # 3: variants below range
            b"C,mug,,1,1,wide,99999\n"  # 4: width not a number, height out of range
            b",mug,,1,1,512,512\n"  # 5: sku missing
            b"E,,,1,1,512,512\n"  # 6: neither prompt nor manifest
            b"F,mug,{},1,1,512,512\n"  # 7: both
            b"G,mug,,4294967295,16,16,8192\n")  # 8: the limits themselves are fine
    parsed = parse_csv(data)
    found = {(r, c) for r, c, _ in issues(parsed)}
    assert found == {(2, "seed"), (3, "variants"), (4, "width"), (4, "height"), (5, "sku"),
                     (6, "prompt"), (7, "manifest")}
    assert [r.sku for r in parsed.rows] == ["G"]
    assert parsed.rows[0].seed == 2**32 - 1 and parsed.rows[0].variants == 16


def test_long_and_control_character_skus():
    parsed = parse_csv(("sku,prompt\n" + "X" * 129 + ",mug\n\"A\tB\",mug\n").encode())
    assert [(r, c) for r, c, _ in issues(parsed)] == [(2, "sku"), (3, "sku")]


def test_extra_cells_beyond_the_header_are_reported():
    parsed = parse_csv(b"sku,prompt\nA,mug,surprise\nB,mug,\n")
    assert issues(parsed) == [(2, None, "row has 3 cells but the header has 2")]
    assert [r.sku for r in parsed.rows] == ["B"]  # an empty trailing cell is fine


def test_duplicate_skus_are_warned_about():
    parsed = parse_csv(b"sku,prompt\nA,mug\nB,cup\nA,bag\n")
    assert issues(parsed, "warning") == [(4, "sku", "SKU 'A' is also on row 2")]
    assert len(parsed.rows) == 3


def test_an_unclosed_quote_is_reported_at_its_line():
    parsed = parse_csv(b'sku,prompt\nA,mug\nB,"never closed\nC,cup\n')
    assert [r.sku for r in parsed.rows] == ["A"]
    assert [(r, c) for r, c, _ in issues(parsed)] == [(3, None)]


def test_bad_encoding_names_the_byte_offset_and_line():
    data = "sku,prompt\nA,café\n".encode("latin-1")
    with pytest.raises(CsvError) as info:
        parse_csv(data)
    offset = data.index(b"\xe9")
    assert f"offset {offset}" in info.value.message and "line 2" in info.value.message
    assert info.value.details[0].path == "line 2"
    assert info.value.code == "invalid_csv" and info.value.http_status == 422


def test_bad_encoding_after_a_bom_counts_the_bom():
    data = b"\xef\xbb\xbfsku,prompt\nA,\xff\n"
    with pytest.raises(CsvError) as info:
        parse_csv(data)
    offset = data.index(b"\xff")
    assert f"offset {offset} (line 2, column 3)" in info.value.message


@pytest.mark.parametrize("data, words", [(b"", "empty"), (b" \n\n", "empty"),
                                         ("sku,prompt\n".encode("utf-16"), "UTF-16")])
def test_files_that_cannot_be_read(data, words):
    with pytest.raises(CsvError, match=words):
        parse_csv(data)


def test_too_many_rows():
    with pytest.raises(CsvError, match="at most 2"):
        parse_csv(b"sku,prompt\nA,x\nB,x\nC,x\n", max_rows=2)


def test_blank_and_delimiter_only_lines_are_skipped():
    parsed = parse_csv(b"sku,prompt\n,\n\nA,mug\n,,\n")
    assert [r.line for r in parsed.rows] == [4] and parsed.issues == []
