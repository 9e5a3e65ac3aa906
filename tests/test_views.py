"""HTML pages and HTTP plumbing: joining, the phone app, the QR code, health, headers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

SVG_NS = "{http://www.w3.org/2000/svg}"


def page_title(html: str) -> str:
    """The text of a page's <title>."""
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, "the page has no <title>"
    return match.group(1).strip()


@pytest.fixture
def workshop(make_workshop: Callable[..., Any]) -> Any:
    """A workshop in the lobby."""
    return make_workshop()


# --- joining ------------------------------------------------------------------------------


def test_join_page_has_a_code_box(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert 'name="code"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: f" {code[:3]} {code[3:]} ",
        lambda code: f"{code[:3]}-{code[3:]}".lower(),
    ],
    ids=["exact", "lowercase", "spaces", "dash"],
)
def test_join_forgives_case_and_spaces(
    client: FlaskClient, workshop: Any, typed: Callable[[str], str]
) -> None:
    response = client.get("/join", query_string={"code": typed(workshop.code)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{workshop.code}"


def test_join_without_a_code_asks_for_one(client: FlaskClient) -> None:
    response = client.get("/join?code=")
    assert response.status_code == 400
    assert "Enter the code" in response.get_data(as_text=True)


def test_join_with_an_unknown_code_says_so_on_the_join_page(client: FlaskClient) -> None:
    response = client.get("/join?code=zzzzzz")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "No workshop has that code" in html
    assert 'value="ZZZZZZ"' in html


def test_join_an_ended_workshop_is_gone(
    client: FlaskClient, workshop: Any, act: Callable[..., None]
) -> None:
    act(workshop, "end")
    assert client.get(f"/join?code={workshop.code}").status_code == 410


@pytest.mark.app_config(JOIN_RATE="3/minute")
def test_join_is_rate_limited_after_wrong_codes(
    app: Flask, client: FlaskClient, workshop: Any
) -> None:
    for _ in range(3):
        assert client.get("/join?code=ZZZZZZ").status_code == 404
    assert client.get("/join?code=ZZZZZY").status_code == 429
    # Wrong codes never block the right one (issue 10 §5): a venue shares one address.
    assert client.get(f"/join?code={workshop.code}").status_code == 302
    assert client.get(f"/j/{workshop.code}").status_code == 200
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert other.get("/join?code=ZZZZZZ").status_code == 404


# --- the phone app ------------------------------------------------------------------------


def test_the_phone_app_has_a_neutral_title(client: FlaskClient, workshop: Any) -> None:
    response = client.get(f"/j/{workshop.code}")
    assert response.status_code == 200
    title = page_title(response.get_data(as_text=True))
    assert workshop.title.lower() not in title.lower()
    assert "trust" not in title.lower()
    assert f'data-code="{workshop.code}"' in response.get_data(as_text=True)


def test_a_lowercase_app_link_redirects_to_the_code(client: FlaskClient, workshop: Any) -> None:
    response = client.get(f"/j/{workshop.code.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{workshop.code}"


def test_an_unknown_code_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/j/ZZZZZZ")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "No workshop has that code" in response.get_data(as_text=True)


def test_an_unknown_code_is_json_for_json_clients(client: FlaskClient) -> None:
    response = client.get("/j/ZZZZZZ", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_code"


def test_an_ended_workshop_is_a_410_page(
    client: FlaskClient, workshop: Any, act: Callable[..., None]
) -> None:
    act(workshop, "start")
    act(workshop, "end")
    response = client.get(f"/j/{workshop.code}")
    assert response.status_code == 410
    assert "has ended" in response.get_data(as_text=True)


def test_privacy_page_explains_what_is_stored(client: FlaskClient) -> None:
    response = client.get("/privacy")
    assert response.status_code == 200
    assert "IP" in response.get_data(as_text=True)


def test_quick_exit_page_says_nothing_about_hearth(client: FlaskClient) -> None:
    response = client.get("/exit")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<head>.*?</head>", "", html, flags=re.S)).lower()
    shown = f"{page_title(html)} {visible}".lower()
    for word in ("hearth", "workshop", "session", "trust", "counsel", "answer"):
        assert word not in shown


def test_qr_code_is_an_svg_of_the_join_url(client: FlaskClient, workshop: Any) -> None:
    response = client.get(f"/j/{workshop.code}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{SVG_NS}svg"
    assert root.find(f".//{SVG_NS}path") is not None


def test_qr_code_of_an_unknown_code_is_not_found(client: FlaskClient) -> None:
    assert client.get("/j/ZZZZZZ/qr.svg").status_code == 404


# --- facilitator pages --------------------------------------------------------------------


def test_facilitator_pages_need_a_login(client: FlaskClient, workshop: Any) -> None:
    for path in ("/facilitator/", f"/facilitator/workshops/{workshop.id}"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/facilitator/login")


def test_control_room_and_projector_for_the_owner(
    facilitator_client: FlaskClient, workshop: Any
) -> None:
    assert facilitator_client.get("/facilitator/").status_code == 200
    control = facilitator_client.get(f"/facilitator/workshops/{workshop.id}")
    assert control.status_code == 200
    assert workshop.code in control.get_data(as_text=True)
    present = facilitator_client.get(f"/facilitator/workshops/{workshop.id}/present")
    assert present.status_code == 200


def test_control_room_of_someone_elses_workshop_is_forbidden(
    make_workshop: Callable[..., Any],
    make_facilitator: Callable[..., Any],
    facilitator_client: FlaskClient,
) -> None:
    theirs = make_workshop(by=make_facilitator())
    assert facilitator_client.get(f"/facilitator/workshops/{theirs.id}").status_code == 403
    assert facilitator_client.get(f"/facilitator/workshops/{theirs.id}/present").status_code == 403


def test_projector_link_works_without_login_and_only_with_the_key(
    client: FlaskClient, workshop: Any
) -> None:
    assert client.get(f"/present/{workshop.present_key}").status_code == 200
    assert client.get("/present/not-the-key").status_code == 404


def test_creating_a_workshop_from_the_dashboard(facilitator_client: FlaskClient, api: Any) -> None:
    response = facilitator_client.post(
        "/facilitator/workshops", data={"plan_id": "rebuilding-trust", "min_group": "4"}
    )
    assert response.status_code == 302
    workshop_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert api.get(f"/workshops/{workshop_id}").get_json()["workshop"]["min_group"] == 4


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"plan_id": "rebuilding-trust", "min_group": "2"}, 400),
        ({"plan_id": "rebuilding-trust", "min_group": "five"}, 400),
        ({"plan_id": "rebuilding-trust", "min_group": "4.5"}, 400),
        ({"plan_id": "no-such-plan"}, 404),
        ({}, 404),
    ],
)
def test_creating_a_workshop_refuses_bad_forms(
    facilitator_client: FlaskClient, form: dict[str, str], status: int
) -> None:
    response = facilitator_client.post("/facilitator/workshops", data=form)
    assert response.status_code == status
    assert response.mimetype == "text/html"


# --- health, errors, headers --------------------------------------------------------------


def test_healthz_reports_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(migrate=False, DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'h.db'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"ok": False, "database": "unreachable"}


def test_an_unknown_page_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Traceback" not in response.get_data(as_text=True)


def test_an_unexpected_error_is_a_500_page_without_a_traceback(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("participant.views.render_template", broken)
    response = client.get("/privacy")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def csp_sources(policy: str) -> list[str]:
    """Every source expression of a Content-Security-Policy."""
    sources = []
    for directive in policy.split(";"):
        parts = directive.split()
        sources += parts[1:]
    return sources


def test_csp_allows_no_third_party_host(client: FlaskClient) -> None:
    # Sockets may reach this origin and the public address (conftest: http://hearth.test).
    allowed = {"'self'", "'none'", "data:", "ws://hearth.test"}
    policy = client.get("/").headers["Content-Security-Policy"]
    assert set(csp_sources(policy)) <= allowed
    assert "connect-src 'self' ws://hearth.test;" in policy


@pytest.mark.parametrize("path", ["/", "/privacy", "/exit", "/healthz", "/facilitator/login"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_security_headers_on_the_phone_app(client: FlaskClient, workshop: Any) -> None:
    response = client.get(f"/j/{workshop.code}")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_load_nothing_from_another_host(
    client: FlaskClient, facilitator_client: FlaskClient, workshop: Any
) -> None:
    pages = [
        client.get("/"),
        client.get(f"/j/{workshop.code}"),
        client.get("/privacy"),
        client.get("/exit"),
        client.get("/facilitator/login"),
        client.get(f"/present/{workshop.present_key}"),
        facilitator_client.get("/facilitator/"),
        facilitator_client.get(f"/facilitator/workshops/{workshop.id}"),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        for url in re.findall(r'(?:src|href|action)="([^"]+)"', html):
            assert not re.match(r"(?:https?:)?//", url) or url.startswith("http://hearth.test/"), (
                url
            )
