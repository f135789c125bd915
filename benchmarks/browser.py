"""A person at a browser, over real HTTP: cookies, CSRF, and forms found by what they show.

Forms are found by their button's text or by one of their fields, never by a template's markup, so that
a rewrite of the pages does not break the measures.
"""

import time
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests

TIMEOUT = 60


class PageError(Exception):
    """A page answered something else than what a person would get on the way being measured."""


def _plain(text):
    """Text compared loosely: typographic apostrophes, non-breaking spaces and case do not matter."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return " ".join(text.split()).casefold()


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)  # (name, value) of the inputs a browser would send
    buttons: list = field(default_factory=list)  # text of each submit button

    def has_button(self, text):
        return any(_plain(text) in _plain(button) for button in self.buttons)

    def has_field(self, name):
        return any(field_name == name for field_name, _ in self.fields)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._button = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(action=attrs.get("action") or "", method=(attrs.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "submit":
                self._form.buttons.append(attrs.get("value") or "")
            elif attrs.get("name") and (kind not in {"checkbox", "radio"} or "checked" in attrs):
                self._form.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "button" and (attrs.get("type") or "submit").lower() == "submit":
            self._button = []

    def handle_data(self, data):
        if self._button is not None:
            self._button.append(data)

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None and self._form is not None:
            self._form.buttons.append("".join(self._button))
            self._button = None
        elif tag == "form":
            self._form = None


def forms_of(html):
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def find_form(html, *, button=None, field=None):
    """The page's POST form with this button text or this field; PageError names those it saw."""
    forms = [form for form in forms_of(html) if form.method == "post"]
    for form in forms:
        if (button is None or form.has_button(button)) and (field is None or form.has_field(field)):
            return form
    seen = "; ".join(f"{form.action or '(this page)'} {form.buttons}" for form in forms) or "none"
    raise PageError(f"no POST form with button={button!r} field={field!r}; forms seen: {seen}")


class Browser:
    """One person's session. Every call answers (response, seconds) and never follows a redirect, so
    that a timing is the one request's and a lost session shows as a redirect, not as a login page."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()

    def url(self, path):
        return urljoin(self.base_url, path)

    def get(self, path, params=None, *, expect=200, stream=False):
        started = time.perf_counter()
        response = self.session.get(
            self.url(path), params=params, allow_redirects=False, timeout=TIMEOUT, stream=stream
        )
        elapsed = time.perf_counter() - started
        _check(response, expect)
        return response, elapsed

    def submit(self, page, *, button=None, field=None, values=None, expect=302):
        """POST the form of `page` (a response) as a browser would, with `values` typed in."""
        form = find_form(page.text, button=button, field=field)
        data = dict(form.fields)
        data.update(values or {})
        target = urljoin(page.url, form.action) if form.action else page.url
        started = time.perf_counter()
        response = self.session.post(
            target, data=data, headers={"Referer": page.url}, allow_redirects=False, timeout=TIMEOUT
        )
        elapsed = time.perf_counter() - started
        _check(response, expect)
        return response, elapsed

    def login(self, login_path, username, password):
        page, _ = self.get(login_path)
        return self.submit(page, field="password", values={"username": username, "password": password})

    def clone(self):
        """Another connection with the same cookies: a second tab of the same person."""
        other = Browser(self.base_url)
        other.session.cookies.update(self.session.cookies)
        return other

    def close(self):
        self.session.close()


def _check(response, expect):
    if expect is not None and response.status_code != expect:
        where = response.headers.get("Location", "")
        raise PageError(
            f"{response.request.method} {response.url} answered {response.status_code}"
            f"{' → ' + where if where else ''}, expected {expect}"
        )
