"""The team server's address as a laptop keeps it: never with a password inside («user:secret@», «?password=»)."""

from __future__ import annotations

from sqlalchemy.engine import make_url

# connection parameters that carry a secret (libpq: «?password=…», the client key's «sslpassword»)
SECRET_PARAMETERS = ("password", "sslpassword")


def without_password(url: str) -> str:
    """``url`` with no password in it, neither «user:secret@» nor «?password=secret». (SQLAlchemy's
    ``URL.set(password=None)`` keeps the old one — None there means «unchanged» — and the trial 17d found the
    password stored in plain text in the laptop's settings and in the keyring entry's name.) Raises
    sqlalchemy.exc.ArgumentError for an address that does not parse."""
    parsed = make_url(url)
    return parsed._replace(password=None).difference_update_query(SECRET_PARAMETERS).render_as_string(
        hide_password=False)


def url_password(url: str) -> str:
    """The password written inside ``url`` («user:secret@» or «?password=secret»), '' for none (and for an
    address that does not parse: refused later, in its own words)."""
    try:
        parsed = make_url(url)
    except Exception:
        return ""
    query = parsed.query.get("password")
    return parsed.password or (query if isinstance(query, str) else (query[0] if query else "")) or ""
