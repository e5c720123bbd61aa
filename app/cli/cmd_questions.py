"""Commands for the questions log: `questions add|list|close` (closing with time logs «вопросы» work)."""

from __future__ import annotations

import json

from app.errors import UserError
from app.i18n import _


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def register(sub) -> None:
    q = sub.add_parser("questions", help=_("questions log: add questions, list them, close"))
    qsub = q.add_subparsers(dest="questions_command", metavar="ACTION", required=True)
    add = qsub.add_parser("add", help=_("log a client's question"))
    add.add_argument("client", metavar="CLIENT")
    add.add_argument("--channel", required=True, metavar="CHANNEL",
                     help=_("phone, e-mail, Skype, message in the program, on site (in Russian or as "
                            "phone|email|skype|in_app|onsite)"))
    add.add_argument("--text", required=True, help=_("the question"))
    add.add_argument("--date", default=None, metavar="YYYY-MM-DD", help=_("when it was asked (default today)"))
    add.add_argument("--asked-by", default="", metavar="NAME", help=_("who asked: a client staff member"))
    add.add_argument("--answer", default="")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=questions_add)

    lst = qsub.add_parser("list", help=_("list questions"))
    lst.add_argument("client", nargs="?", default=None, metavar="CLIENT")
    lst.add_argument("--status", choices=("open", "solved"), default=None)
    lst.add_argument("--search", default="", metavar="TEXT")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=questions_list)

    close = qsub.add_parser("close", help=_("mark a question solved, logging the time it took"))
    close.add_argument("question", metavar="ID")
    close.add_argument("--answer", default=None)
    close.add_argument("--minutes", default=None, metavar="MIN", help=_("time spent: 90, 1:30 or 1.5h"))
    close.add_argument("--date", default=None, metavar="YYYY-MM-DD", help=_("date of the work (default today)"))
    close.add_argument("--json", action="store_true")
    close.set_defaults(handler=questions_close)


def _date(text: str | None, field: str):
    from app.domain.validation import parse_date

    return parse_date(text, field) if text else None


def _id(text: str) -> int:
    from app.domain.money import typed_digits

    value = typed_digits(str(text).strip())  # «１２» is 12, as every number typed here; «²» is no number
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise UserError(_("Question No. {id} not found.").format(id=value[:20]))
    return int(value)


def questions_add(ctx, args) -> int:
    from app.services.common import today
    from app.services.questions import QuestionInput, add_question, list_questions

    data = QuestionInput(asked_on=_date(args.date, _("date")) or today(), channel=args.channel, question=args.text,
                         employee=args.asked_by, answer=args.answer)
    question_id, _changes = add_question(ctx.db, args.client, data)
    from app.cli.notices import question_before_contract

    question_before_contract(ctx, args.client, question_id, data.asked_on)  # taken, but said (tester Q, round 13)
    if args.json:
        row = next(r for r in list_questions(ctx.db, args.client) if r.id == question_id)
        ctx.out(_json(row.as_json()))
    else:
        ctx.out(str(question_id))
    return 0


def questions_list(ctx, args) -> int:
    from app.services.questions import list_questions

    rows = list_questions(ctx.db, args.client, status=args.status, text=args.search)
    if args.json:
        ctx.out(_json([r.as_json() for r in rows]))
        return 0
    if not rows:  # a sentence, not an empty screen (the trial 17e)
        ctx.out(_("No questions.") if not (args.status or args.search) else _("No questions match these conditions."))
    for r in rows:
        ctx.out(f"{r.id}\t{r.asked_on:%d.%m.%Y}\t{r.client_name}\t{r.channel_title}\t{r.employee_name}\t"
                f"{r.status_title}\t{' '.join(r.question.split())}")  # one row a question (--json: its lines)
    return 0


def questions_close(ctx, args) -> int:
    from app.services.questions import close_question, list_questions

    entry_id, _changes = close_question(ctx.db, _id(args.question), answer=args.answer, minutes=args.minutes,
                                        on=_date(args.date, _("date")))
    if args.json:
        row = next(r for r in list_questions(ctx.db) if r.id == _id(args.question))
        ctx.out(_json(row.as_json()))
    elif entry_id is not None:
        ctx.out(_("Solved; work-log entry No. {id}.").format(id=entry_id))
    else:
        ctx.out(_("Solved."))
    if entry_id is not None:
        from app.cli.notices import entry_date_notes

        entry_date_notes(ctx, entry_id)
    return 0
