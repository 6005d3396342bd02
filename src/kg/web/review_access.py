"""Who may review candidates on the site: the holder of the update token (``KG_UPDATE_TOKEN``), the
same secret that guards SPARQL Update.

A program sends ``Authorization: Bearer <token>``. A browser logs in once through a small form
(``/review/login``): the token is kept in an HTTP-only, same-site cookie, never in a URL. The cookie
lets the pages be read; a decision (a POST) must carry more than the cookie, so that another site
cannot make a logged-in browser decide (cross-site request forgery): the token itself (form field
``token`` or the header), or the form's ``key`` that the review page puts in its own form, an HMAC of
the token that only a reader of the page can know and that does not reveal the token.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request
from fastapi.responses import Response

from kg.settings import Settings
from kg.web.sparql.errors import ForbiddenError
from kg.web.tokens import bearer, matches

#: The cookie a browser's login sets; scoped to the review pages.
COOKIE = "kg_review_token"
COOKIE_PATH = "/review"
#: How long a login lasts, seconds.
COOKIE_AGE = 8 * 3600

DISABLED = (
    "review is disabled: this server is read-only (it has no KG_UPDATE_TOKEN), so candidate facts "
    "can be reviewed only with `kg review`"
)
NEEDS_TOKEN = (
    "review needs the update token: log in at /review/login, or send the header "
    "'Authorization: Bearer <KG_UPDATE_TOKEN>'; the token is missing or wrong"
)
COOKIE_ALONE = (
    "a review decision must carry the token (form field token or key, or the Authorization "
    "header); the login cookie alone is not enough, so that no other site can decide for you"
)


class ReviewForbidden(ForbiddenError):
    """The request may not read or decide on the review pages (403, the one error shape)."""


def enabled(settings: Settings) -> bool:
    """Whether the server has a token, so that review is possible at all."""
    return bool(settings.update_token)


def form_key(settings: Settings) -> str:
    """The key the review page puts in its form: an HMAC of the token, not the token."""
    token = settings.update_token or ""
    return hmac.new(token.encode(), b"kg review form", hashlib.sha256).hexdigest()


def check_read(request: Request, settings: Settings) -> None:
    """403 unless review is enabled and the request carries the token (header or login cookie)."""
    if not settings.update_token:
        raise ReviewForbidden(DISABLED)
    header = bearer(request)
    if header is not None:
        if not matches(header, settings.update_token):
            raise ReviewForbidden(NEEDS_TOKEN)
        return
    if not matches(request.cookies.get(COOKIE), settings.update_token):
        raise ReviewForbidden(NEEDS_TOKEN)


def check_write(
    request: Request, settings: Settings, token_field: str | None, key_field: str | None
) -> None:
    """403 unless the POST carries the token in its header or form, or the page's key beside a
    valid login cookie; a cookie alone is refused (see the module's docstring)."""
    if not settings.update_token:
        raise ReviewForbidden(DISABLED)
    header = bearer(request)
    if header is not None or token_field:
        if not matches(header if header is not None else token_field, settings.update_token):
            raise ReviewForbidden(NEEDS_TOKEN)
        return
    if not matches(request.cookies.get(COOKIE), settings.update_token):
        raise ReviewForbidden(NEEDS_TOKEN)
    if not matches(key_field, form_key(settings)):
        raise ReviewForbidden(COOKIE_ALONE)


def log_in(request: Request, settings: Settings, token: str | None, response: Response) -> None:
    """Set the login cookie on ``response`` when ``token`` is the update token; 403 otherwise."""
    if not settings.update_token:
        raise ReviewForbidden(DISABLED)
    if not matches(token, settings.update_token):
        raise ReviewForbidden(NEEDS_TOKEN)
    response.set_cookie(
        COOKIE,
        settings.update_token,
        max_age=COOKIE_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def log_out(response: Response) -> None:
    """Remove the login cookie."""
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
