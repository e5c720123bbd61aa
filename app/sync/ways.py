"""How a sync conflict's sentences name the user's way out, for where they are read.

The window has no command options: its conflicts dialog has two buttons (ui/dialogs/sync/conflicts.py shows the
words of ``KEEP_BUTTONS``) and its menus voiding a document and deleting a client (ui/actions.py). The command line
has `sync resolve N --keep server|local`, `documents void`, `clients delete`. Each sentence is written once with
its way as a placeholder, filled by these functions for ``WINDOW`` or ``CLI`` (the window telling the user to
type «--keep server» was a fault, as was a refusal's «(--with-remarks --reason ТЕКСТ)»: see UserError.cli_hint)."""

from __future__ import annotations

from typing import Literal

from app.i18n import N_, _

Surface = Literal["window", "cli"]
WINDOW: Surface = "window"
CLI: Surface = "cli"

# the conflicts dialog's two buttons: 'local' keeps this laptop's value, 'server' the server's (or a bundle file's)
KEEP_BUTTONS = {"local": N_("Keep this laptop's value"), "server": N_("Keep the server's or the file's value")}
# the window's menu commands the sentences name, spelt as ui/actions.py spells them (a test holds them equal)
DOCUMENTS_MENU, REGISTER_ACTION, VOID_BUTTON = N_("&Documents"), N_("Documents register…"), N_("Void…")
CLIENT_MENU, DELETE_CLIENT_ACTION = N_("&Client"), N_("Delete client…")


def menu_path(*titles: str) -> str:
    """«Документы ▸ Реестр документов…»: a menu and its command by their titles (msgids; mnemonics dropped)."""
    return "«" + " ▸ ".join(_(title).replace("&", "") for title in titles) + "»"


def keep_way(side: str, surface: Surface) -> str:
    """The way of «close the conflict …» keeping ``side`` ('local' | 'server', a bundle's 'here' | 'file'):
    «with «--keep server»» on the command line, «with the button «Оставить значение сервера или файла»» in the
    window (a bundle's file value is kept by the server's button, as the dialog resolves it)."""
    if surface == CLI:
        return _("with «--keep {side}»").format(side=side)
    button = KEEP_BUTTONS["local" if side in ("local", "here") else "server"]
    return _("with the button «{button}»").format(button=_(button))


def void_way(code: str, surface: Surface) -> str:
    """Where document ``code`` is voided: «documents void "АУ-1/2026" --reason …» on the command line,
    «Документы ▸ Реестр документов…», the button «Аннулировать…» in the window."""
    if surface == CLI:
        return _("«documents void \"{code}\" --reason …»").format(code=code)
    return _("{menu}, the button «{button}»").format(menu=menu_path(DOCUMENTS_MENU, REGISTER_ACTION),
                                                     button=_(VOID_BUTTON))


def delete_client_way(surface: Surface) -> str:
    """Where a client is deleted: «clients delete ИНН» on the command line, «Заказчик ▸ Удалить заказчика…» in
    the window."""
    if surface == CLI:
        return _("«clients delete INN»")
    return menu_path(CLIENT_MENU, DELETE_CLIENT_ACTION)
