"""Расчёт стоимости внедрения: the client's latest saved estimate priced with the tariffs and VAT of its date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.pricing import rate_text
from app.domain.quotes import in_quotes
from app.domain.stages import APPROACH_TITLES, Approach
from app.domain.vat import vat_ground
from app.errors import UserError
from app.i18n import _
from app.persistence.db import Database
from app.persistence.models import Estimate
from app.services.common import find_client, today
from app.services.documents import common as c
from app.services.documents.executor import details_in
from app.services.documents.kinds import Draft


def prepare(db: Database, ref: int | str, *, on: date | None = None) -> Draft:
    """Расчёт стоимости внедрения from the client's latest saved estimate (tariffs and VAT of the estimate's
    date), built in one read session."""
    from app.domain.money import amount_in_words
    from app.services.estimates import _saved, load_context

    on = on or today()
    c.check_not_future(on)
    with db.read() as s:
        client = find_client(s, ref)
        row = s.scalar(select(Estimate).where(Estimate.client_id == client.id).order_by(Estimate.id.desc()).limit(1))
        if row is None:
            raise UserError(_("The client «{name}» has no saved estimate yet: make one in the calculator.").format(
                name=in_quotes(client.name)))
        saved = _saved(row)
        context = load_context(s)
        quote = context.quote(saved.approach, saved.input, saved.on_date)
        rates = context.rates.on(saved.on_date)
        executor = details_in(s)
        content = c.base(s, "estimate", client, executor, on)
        tariffs = []
        if saved.approach == Approach.REMOTE:
            tariffs.append({"label": "Удалённые конференции", "rate": c.money_text(rates.remote_hour),
                            "per": "за час", "from": rates.remote_from.isoformat()})
        elif saved.approach == Approach.ONSITE:
            tariffs.append({"label": "Выездное внедрение", "rate": c.money_text(rates.onsite_day),
                            "per": "за рабочий день", "from": rates.onsite_from.isoformat()})
        stale = quote.usd_stale_days
        rule = quote.vat or context.vat_on(saved.on_date)
        if rule.mode == "included":
            vat_note = f"Цены указаны с учётом НДС (в т.ч. НДС {rate_text(rule.rate)}\u00a0%)."  # type: ignore[arg-type]
        elif rule.mode == "on_top":
            vat_note = f"К ценам добавляется НДС {rate_text(rule.rate)}\u00a0%."  # type: ignore[arg-type]
        else:
            ground = vat_ground(rule.basis)
            vat_note = "НДС не облагается" + (f" на основании {ground}." if ground else ".")
        content.update({
            "approach": saved.approach, "approach_title": APPROACH_TITLES[Approach(saved.approach)],
            "on": saved.on_date.isoformat(), "estimate_id": saved.id, **c.quote_json(quote),
            # a stale USD rate is left off the client's paper (a 2½-year-old rate quoted without a word: tester N,
            # item 4); the user is told why (``notices``)
            "usd": None if stale is not None else {"rate": c.money_text(quote.usd_rate),
                                                   "date": quote.usd_date.isoformat(),
                                                   "total": c.money_text(quote.total_usd)},
            "tariffs": tariffs, "vat_note": vat_note, "note": saved.note,
            "total_words": amount_in_words(quote.total_due),
        })
        return Draft("estimate", client.id, client.name, content, total=quote.total_due,
                     notices=(_("{stale} The estimate is printed without the USD equivalent.").format(
                         stale=quote.usd_stale_ui),) if stale is not None else ())
