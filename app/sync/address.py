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


# the parameters libpq reads as integers (a comma-separated list for «port»): a wrong value is refused before any
# connection — the program's own «connect_timeout» overrides the address's, so «?connect_timeout=abc» used to be
# checked, accepted and stored (the trial 17g)
INTEGER_PARAMETERS = ("port", "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                      "keepalives_count", "tcp_user_timeout")


def _is_integer(value: str) -> bool:
    """Whether libpq's ``parse_int_param`` takes ``value``: spaces around, one optional sign, digits."""
    stripped = value.strip()
    digits = stripped[1:] if stripped[:1] in ("+", "-") else stripped
    return digits.isascii() and digits.isdigit()


def wrong_integer(url: str) -> tuple[str, str] | None:
    """(name, value) of the first parameter of ``url``'s query that libpq takes as an integer and whose value is
    not one («?connect_timeout=abc», «?port=x»); None when all are integers or the address does not parse (it is
    refused later, in its own words)."""
    try:
        query = make_url(url).query
    except Exception:
        return None
    for name in INTEGER_PARAMETERS:
        given = query.get(name)
        values = [given] if isinstance(given, str) else list(given or ())
        for value in values:
            items = value.split(",") if name == "port" else [value]
            if not all(_is_integer(item) or (name == "port" and not item.strip()) for item in items):
                return name, value
    return None
