"""hearth.web: JSON or page, and the one way routes read a request body."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from werkzeug.datastructures import FileStorage

from hearth.errors import HearthError
from hearth.web import body_bytes, file_bytes, json_object, utf8_text, wants_json


def test_api_paths_and_json_accept_headers_want_json(app: Flask) -> None:
    with app.test_request_context("/api/v1/plans"):
        assert wants_json()
    with app.test_request_context("/facilitator/", headers={"Accept": "application/json"}):
        assert wants_json()
    with app.test_request_context("/facilitator/", headers={"Accept": "text/html"}):
        assert not wants_json()


@pytest.mark.parametrize("body", [b"[1, 2]", b"not json", b""])
def test_a_body_that_is_not_a_json_object_is_refused_with_the_hint(app: Flask, body: bytes) -> None:
    with app.test_request_context("/", method="POST", data=body, content_type="application/json"):
        with pytest.raises(HearthError) as refused:
            json_object("Send {}.")
    assert (refused.value.code, refused.value.message, refused.value.status) == (
        "invalid_payload",
        "Send {}.",
        400,
    )


def test_a_declared_length_over_the_limit_is_refused_before_reading(app: Flask) -> None:
    with app.test_request_context("/", method="POST", data=b"x" * 11):
        with pytest.raises(HearthError) as refused:
            body_bytes(10, "Too long.")
        assert body_bytes(11) == b"x" * 11
    assert (refused.value.code, refused.value.status) == ("too_large", 413)


def test_a_file_is_read_one_byte_past_its_limit_and_closed() -> None:
    upload = FileStorage(io.BytesIO(b"abcdef"), "a.txt")
    assert file_bytes(upload, 3) == b"abcd"
    assert upload.stream.closed


def test_text_drops_a_byte_order_mark_and_refuses_other_encodings() -> None:
    assert utf8_text("\ufeffhé".encode()) == "hé"
    with pytest.raises(HearthError) as refused:
        utf8_text("hé".encode("latin-1"), "UTF-8 please.")
    assert refused.value.message == "UTF-8 please."
