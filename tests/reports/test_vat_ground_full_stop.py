"""Tester J #6: a VAT basis typed with its own full stop — «ст. 145 НК РФ (освобождение).» — was printed with the
template's one after it: «НДС не облагается на основании ст. 145 НК РФ (освобождение)..» on the act and «…
(освобождение)., с 01.04.2026» in `billing settings`. Also a basis typed with its own «на основании» doubled it on the
act and the estimate (the settings' text already dropped it)."""

from __future__ import annotations

import json
from datetime import date

from app.persistence.models import VatRate
from app.reports import printing
from app.services import documents as docs
from app.services import tariffs
from tests.reports.helpers import ACT_DAY, MARCH, build_world, pdf_text

SAID = "НДС не облагается на основании ст. 145 НК РФ (освобождение)."


def test_the_act_and_the_estimate_print_one_full_stop_after_the_basis(db):
    world = build_world(db)
    tariffs.set_vat(db, "none", None, date(2000, 1, 1), basis="ст. 145 НК РФ (освобождение).")
    act = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    assert SAID in act and "(освобождение).." not in act
    estimate = pdf_text(printing.issue(db, docs.prepare_estimate(db, world.client_id, on=date(2026, 3, 15))).pdf)
    assert SAID in estimate and "(освобождение).." not in estimate


def test_a_basis_with_its_own_lead_is_printed_with_one(db):
    world = build_world(db)
    tariffs.set_vat(db, "none", None, date(2026, 1, 1), basis="на основании ст. 145 НК РФ (освобождение)")
    act = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    assert SAID in act and "на основании на основании" not in act


def test_a_basis_an_older_version_kept_with_its_full_stop_prints_one(db):
    world = build_world(db)
    with db.unit() as s:  # as an older version stored it, full stop included
        s.add(VatRate(valid_from=date(2026, 1, 1), mode="none", rate=None, basis="ст. 145 НК РФ (освобождение).",
                      reason=""))
    act = pdf_text(printing.issue(db, docs.prepare_act(db, world.client_id, *MARCH, on=ACT_DAY)).pdf)
    assert SAID in act and "(освобождение).." not in act


def test_the_settings_and_their_json_say_the_basis_without_its_full_stop(cli):
    status, out, _err = cli("billing", "vat", "none", "--basis", "ст. 145 НК РФ (освобождение).",
                            "--from", "2026-04-01")
    assert status == 0 and f"«{SAID}»" in out and ".." not in out
    status, out, _err = cli("billing", "settings")
    assert status == 0 and "Без НДС на основании ст. 145 НК РФ (освобождение), с 01.04.2026" in out
    assert ")." not in out
    status, out, _err = cli("billing", "settings", "--json")
    assert status == 0 and json.loads(out)["vat_basis"] == "ст. 145 НК РФ (освобождение)"
    status, out, _err = cli("billing", "vat-list", "--json")
    assert status == 0 and json.loads(out)[0]["basis"] == "ст. 145 НК РФ (освобождение)"
