"""What the workbooks share (a session's summary and a series'): rows whose text stays text,
sheets that read right to left in Arabic, and a file whose every timestamp is the day's
midnight (docs/export-format.md)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from typing import Any

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from hearth.exports.rows import right_to_left

BOLD = Font(bold=True)
_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def put(sheet: Worksheet, *values: Any, strong: bool = False) -> None:
    """Append a row; text stays text, even when it starts with "=", and `strong` is bold."""
    sheet.append([None if v is None else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
        if strong:
            cell.font = BOLD


def set_direction(sheet: Worksheet) -> None:
    """Column A at the right, as an Arabic reader expects, when the document is in Arabic."""
    sheet.sheet_view.rightToLeft = right_to_left()


def dated(xlsx: bytes, day: date) -> bytes:
    """Re-pack a workbook with every timestamp at midnight of the workshop's day.

    openpyxl stamps the moment of saving in docProps/core.xml and in every zip entry; an
    export holds no time finer than the day.
    """
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    midnight = f"{day.isoformat()}T00:00:00Z".encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _CORE_TIME.sub(lambda m: m.group(1) + midnight + m.group(2), content)
            entry = zipfile.ZipInfo(
                item.filename, date_time=(day.year, day.month, day.day, 0, 0, 0)
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
