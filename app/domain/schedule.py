"""Planned events in time: local time in an IANA zone ↔ stored naive UTC, and overlapping events."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app.errors import UserError
from app.i18n import _

DEFAULT_ZONE = "Europe/Moscow"

# IANA zones of Russian cities outside Moscow time (a client's city suggests its events' zone).
CITY_ZONES = {
    "калининград": "Europe/Kaliningrad", "самара": "Europe/Samara", "ижевск": "Europe/Samara",
    "ульяновск": "Europe/Ulyanovsk", "саратов": "Europe/Saratov", "астрахань": "Europe/Astrakhan",
    "волгоград": "Europe/Volgograd", "екатеринбург": "Asia/Yekaterinburg", "пермь": "Asia/Yekaterinburg",
    "челябинск": "Asia/Yekaterinburg", "уфа": "Asia/Yekaterinburg", "тюмень": "Asia/Yekaterinburg",
    "оренбург": "Asia/Yekaterinburg", "курган": "Asia/Yekaterinburg", "сургут": "Asia/Yekaterinburg",
    "омск": "Asia/Omsk", "новосибирск": "Asia/Novosibirsk", "томск": "Asia/Tomsk", "барнаул": "Asia/Barnaul",
    "кемерово": "Asia/Novokuznetsk", "новокузнецк": "Asia/Novokuznetsk", "красноярск": "Asia/Krasnoyarsk",
    "иркутск": "Asia/Irkutsk", "улан-удэ": "Asia/Irkutsk", "чита": "Asia/Chita", "якутск": "Asia/Yakutsk",
    "хабаровск": "Asia/Vladivostok", "владивосток": "Asia/Vladivostok", "магадан": "Asia/Magadan",
    "южно-сахалинск": "Asia/Sakhalin", "петропавловск-камчатский": "Asia/Kamchatka",
    # more cities of the same zones (a Тольятти or Норильск client took Moscow time: a fresh tester, 2026-12-05)
    "тольятти": "Europe/Samara", "сызрань": "Europe/Samara", "новокуйбышевск": "Europe/Samara",
    "нижний тагил": "Asia/Yekaterinburg", "каменск-уральский": "Asia/Yekaterinburg",
    "магнитогорск": "Asia/Yekaterinburg", "златоуст": "Asia/Yekaterinburg", "миасс": "Asia/Yekaterinburg",
    "стерлитамак": "Asia/Yekaterinburg", "салават": "Asia/Yekaterinburg", "березники": "Asia/Yekaterinburg",
    "ханты-мансийск": "Asia/Yekaterinburg", "нижневартовск": "Asia/Yekaterinburg", "нефтеюганск": "Asia/Yekaterinburg",
    "новый уренгой": "Asia/Yekaterinburg", "ноябрьск": "Asia/Yekaterinburg", "салехард": "Asia/Yekaterinburg",
    "тобольск": "Asia/Yekaterinburg", "орск": "Asia/Yekaterinburg", "бийск": "Asia/Barnaul",
    "норильск": "Asia/Krasnoyarsk", "абакан": "Asia/Krasnoyarsk", "ачинск": "Asia/Krasnoyarsk",
    "кызыл": "Asia/Krasnoyarsk", "братск": "Asia/Irkutsk", "ангарск": "Asia/Irkutsk",
    "благовещенск": "Asia/Yakutsk", "нерюнгри": "Asia/Yakutsk", "комсомольск-на-амуре": "Asia/Vladivostok",
    "уссурийск": "Asia/Vladivostok", "находка": "Asia/Vladivostok", "артём": "Asia/Vladivostok",
    "биробиджан": "Asia/Vladivostok",
}
# cities on Moscow time: a client there plans on Moscow's clock whatever its latest event's zone
MOSCOW_CITIES = frozenset({
    "москва", "санкт-петербург", "нижний новгород", "казань", "ростов-на-дону", "краснодар", "воронеж", "ярославль",
    "тула", "калуга", "рязань", "тверь", "владимир", "иваново", "кострома", "смоленск", "брянск", "орел", "курск",
    "белгород", "липецк", "тамбов", "пенза", "чебоксары", "йошкар-ола", "саранск", "киров", "вологда", "череповец",
    "архангельск", "северодвинск", "мурманск", "петрозаводск", "великий новгород", "псков", "сыктывкар", "ухта",
    "набережные челны", "нижнекамск", "альметьевск", "ставрополь", "махачкала", "грозный", "владикавказ",
    "нальчик", "сочи", "новороссийск", "симферополь", "севастополь", "майкоп", "черкесск", "элиста", "дзержинск",
    "подольск", "химки", "балашиха", "королев", "мытищи", "люберцы", "зеленоград", "обнинск", "электросталь",
    "коломна", "серпухов", "таганрог", "шахты", "волгодонск", "армавир", "пятигорск", "старый оскол", "арзамас",
})

# The zone of a federal subject (its name's stem at a word's start, folded), which decides over the city: two towns
# share a name in two zones (the Bashkir and the Amur Благовещенск, tester E, 2026-12-04). Subjects spanning zones
# (Якутия) are left to the city. Source: Federal Law 107-FZ of 03.06.2011
# «Об исчислении времени», art. 5, as amended to 2020 (the zones of the subjects), and the IANA tz database.
REGION_ZONES = {
    "калининград": "Europe/Kaliningrad",
    "самарск": "Europe/Samara", "удмурт": "Europe/Samara", "ульяновск": "Europe/Ulyanovsk",
    "саратовск": "Europe/Saratov", "астраханск": "Europe/Astrakhan", "волгоградск": "Europe/Volgograd",
    "свердловск": "Asia/Yekaterinburg", "пермск": "Asia/Yekaterinburg", "челябинск": "Asia/Yekaterinburg",
    "башкорт": "Asia/Yekaterinburg", "башкир": "Asia/Yekaterinburg", "тюменск": "Asia/Yekaterinburg",
    "оренбургск": "Asia/Yekaterinburg", "курганск": "Asia/Yekaterinburg", "ханты-мансийск": "Asia/Yekaterinburg",
    "хмао": "Asia/Yekaterinburg", "югра": "Asia/Yekaterinburg", "ямало-ненецк": "Asia/Yekaterinburg",
    "янао": "Asia/Yekaterinburg",
    "омск": "Asia/Omsk", "новосибирск": "Asia/Novosibirsk", "томск": "Asia/Tomsk", "алтай": "Asia/Barnaul",
    "кемеровск": "Asia/Novokuznetsk", "кузбасс": "Asia/Novokuznetsk", "красноярск": "Asia/Krasnoyarsk",
    "хакас": "Asia/Krasnoyarsk", "тыва": "Asia/Krasnoyarsk", "тува": "Asia/Krasnoyarsk",
    "иркутск": "Asia/Irkutsk", "бурят": "Asia/Irkutsk", "забайкальск": "Asia/Chita", "амурск": "Asia/Yakutsk",
    "приморск": "Asia/Vladivostok", "хабаровск": "Asia/Vladivostok", "еврейск": "Asia/Vladivostok",
    "магаданск": "Asia/Magadan", "сахалинск": "Asia/Sakhalin", "камчатск": "Asia/Kamchatka", "чукот": "Asia/Anadyr",
    **{stem: DEFAULT_ZONE for stem in (
        "московск", "ленинградск", "татарстан", "нижегородск", "ростовск", "краснодарск", "воронежск",
        "ярославск", "тульск", "калужск", "рязанск", "тверск", "владимирск", "ивановск", "костромск", "смоленск",
        "брянск", "орловск", "курск", "белгородск", "липецк", "тамбовск", "пензенск", "чуваш", "марий", "мордов",
        "кировск", "вологодск", "архангельск", "мурманск", "карел", "новгородск", "псковск", "коми",
        "ставропольск", "дагестан", "чечен", "осетия", "кабардин", "карачаев", "адыге", "калмык", "ингуш", "крым",
        "ненецк")},
}
# a part of an address that names a federal subject (not a district: «Пермский р-н» is no region)
_SUBJECT = re.compile(r"(?:^|\s)(?:обл\.?|область|край|респ\.?|республика|ао|автономный округ|автономная область)"
                      r"(?:[\s-]|$)|^(?:хмао|янао|югра|кузбасс|башкирия|башкортостан|удмуртия|чувашия|мордовия|"
                      r"бурятия|хакасия|якутия|тыва|тува|чукотка|карелия|калмыкия|адыгея|ингушетия|дагестан|крым|"
                      r"татарстан)\b|^[а-я]+-?[а-я]*(?:ская|ский|ской)$")  # «Свердловская, Екатеринбург»
_STEMS = re.compile(r"(?:^|[\s(-])(" + "|".join(sorted((re.escape(s) for s in REGION_ZONES), key=len, reverse=True))
                    + ")")


def region_zone(address: str) -> str | None:
    """The IANA zone of the federal subject an address names («Республика Башкортостан, г. Благовещенск» →
    Asia/Yekaterinburg), DEFAULT_ZONE for one on Moscow time; None when it names none, or one spanning zones."""
    for part in re.split(r"[,;()]", _fold(address)):  # «Благовещенск (Амурская обл.)» too
        part = part.strip()
        if not _SUBJECT.search(part):
            continue
        found = _STEMS.search(part)
        if found:
            return REGION_ZONES[found.group(1)]
    return None


def next_hour_in(zone: str, now: datetime | None = None) -> datetime:
    """The next full hour on the clock of ``zone`` (an IANA name; this computer's clock when it is not one), as a
    naive wall-clock datetime: the start a new event's form suggests in the client's zone (it suggested the next
    hour of this computer's clock labelled as the client's: for a Vladivostok client, seven hours in the past)."""
    try:
        tz: tzinfo | None = ZoneInfo(zone.strip())
    except (ZoneInfoNotFoundError, ValueError):
        tz = None
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(tz) if tz is not None else moment.astimezone()
    return local.replace(tzinfo=None, minute=0, second=0, microsecond=0) + timedelta(hours=1)


WORK_FROM, WORK_TO = 9, 18  # the working hours a new event's start is suggested in (both clocks when they can)
NIGHT_FROM, NIGHT_TO = 22, 7  # a start in these hours is flagged as night


def is_night(moment: datetime) -> bool:
    """A wall-clock time at night (NIGHT_FROM to NIGHT_TO)."""
    return moment.hour >= NIGHT_FROM or moment.hour < NIGHT_TO


def _zone_or_local(zone: str) -> tzinfo | None:
    try:
        return ZoneInfo(zone.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _on_viewer_clock(local: datetime, tz: tzinfo | None, viewer: tzinfo | None) -> datetime:
    aware = local.replace(tzinfo=tz) if tz is not None else local.astimezone()
    return aware.astimezone(viewer) if viewer is not None else aware.astimezone()


def working_start_in(zone: str, now: datetime | None = None, viewer: tzinfo | None = None) -> datetime:
    """The start a new event's form suggests, on the clock of ``zone`` (naive): the first full hour from the next
    one that falls in the working hours of a weekday there and in the viewer's (this computer's when None) working
    hours too; else the first in the client's working hours alone. «The next hour» suggested 02:00 at night for a
    Samara client (tester K)."""
    first = next_hour_in(zone, now)
    tz = _zone_or_local(zone)
    client_only: datetime | None = None
    for step in range(24 * 8):
        start = first + timedelta(hours=step)
        if start.weekday() >= 5 or not WORK_FROM <= start.hour < WORK_TO:
            continue
        client_only = client_only or start
        mine = _on_viewer_clock(start, tz, viewer)
        if mine.weekday() < 5 and WORK_FROM - 1 <= mine.hour < WORK_TO + 3:  # 08:00 to 20:00 on this computer
            return start
    return client_only or first


def your_time_text(local: datetime, zone_name: str, viewer: tzinfo | None = None) -> str:
    """A start on the client's clock as the specialist's own: «У вас: 06.12.2026 09:00 (Europe/Kaliningrad)», with
    «⚠ у вас ночь» / «у заказчика ночь» when either clock says night; "" for a zone that is not one (the form
    refuses it on saving) or a time the zone skips. The event form showed the client's clock only (tester K)."""
    try:
        utc = local_to_utc(local, zone_name)
    except UserError:
        return ""
    mine = _viewer_aware_utc(utc, viewer)
    name = viewer_zone_name(viewer) or offset_text(mine.utcoffset())
    text = _("Your time: {time} ({zone})").format(time=mine.strftime("%d.%m.%Y %H:%M"), zone=name)
    nights = ([_("night for you")] if is_night(mine) else []) + ([_("night for the client")] if is_night(local) else [])
    return text + (" — ⚠ " + ", ".join(nights) if nights else "")


def _viewer_aware_utc(naive_utc: datetime, viewer: tzinfo | None) -> datetime:
    aware = naive_utc.replace(tzinfo=UTC)
    return aware.astimezone(viewer) if viewer is not None else aware.astimezone()


def _fold(text: str) -> str:
    """Lower case, «е» for «ё», one hyphen for any dash, single spaces."""
    text = re.sub(r"\s*[-\u2010-\u2015]\s*", "-", (text or "").casefold().replace("ё", "е"))
    return " ".join(text.split())


_CITY_MARK = re.compile(r"^(?:г\.\s*о\.|г\.|г |город |гор\.)\s*")  # «г.», «г » (as FIAS writes it), «г.о.»
_REGION = re.compile(r"(?:^|\s)(?:обл\.?|область|край|респ\.?|республика|ао|автономный округ|р-н|район)(?:\s|$)")


# the country and a postcode an address may put before or after the town, in a part of their own or together:
# «Россия, 690091, Владивосток», «Российская Федерация, …», «РФ, …», «690091, Россия, …», «Владивосток 690091»
# (a Vladivostok client with «Россия, …» was planned on its latest event's Kaliningrad clock: tester K, 2026-12-05)
_COUNTRY_OR_INDEX = re.compile(r"^(?:(?:российская федерация|россия|рф|russian federation|russia)(?![а-яa-z])\.?"
                               r"\s*|\d{6}(?!\d)\s*)+|\s*\b\d{6}$")


def _city_parts(city: str) -> list[str]:
    """The parts of a city or an address that may name its town (``_fold``ed, «г.» kept): without a country, a
    postcode and a region."""
    parts = [_COUNTRY_OR_INDEX.sub("", p.strip()).strip() for p in _fold(city).split(",")]
    return [p for p in parts if p and not p.isdigit() and not _REGION.search(p)]


def _city_key(city: str) -> str:
    """A city as the tables spell it (``_fold``), without «г.» and without what an address adds: a country, a
    postcode, a region, a street («443001, Самарская обл., г. Самара», «Самара, ул. Ленина», «г.о. Тольятти»,
    «Россия, 690091, Владивосток, ул. Светланская» → «самара», «тольятти», «владивосток»). The part marked «г.»
    first; else the first part that names a town the tables know; else the first part."""
    parts = _city_parts(city)
    named = [p for p in parts if _CITY_MARK.match(p)]
    if named:
        return _CITY_MARK.sub("", named[0]).strip()
    for part in parts:
        if _table_key(part) is not None:
            return part
    return parts[0] if parts else ""


def _table_key(key: str) -> str | None:
    """``key`` as one of the city tables spells it («улан удэ» → «улан-удэ»), None when neither knows it."""
    for form in (key, key.replace(" ", "-")):
        if form in _ZONES or form in _MOSCOW:
            return form
    return None


_ZONES = {_fold(name): zone for name, zone in CITY_ZONES.items()}  # «артём» found as «артем»
_MOSCOW = frozenset(_fold(name) for name in MOSCOW_CITIES)


def zone_of_city(city: str) -> str | None:
    """The IANA zone of a Russian city outside Moscow time, None when unknown or on Moscow time; the region an
    address names decides over the town's name (``region_zone``)."""
    by_region = region_zone(city)
    if by_region is not None:
        return None if by_region == DEFAULT_ZONE else by_region
    key = _city_key(city)
    return _ZONES.get(key) or _ZONES.get(key.replace(" ", "-"))


def known_zone(city: str) -> str | None:
    """The IANA zone of a city the tables know — one outside Moscow time (CITY_ZONES) or on it (MOSCOW_CITIES:
    DEFAULT_ZONE); None for a city they do not know (the caller then keeps what it knows of the client). The region
    an address names decides first (``region_zone``)."""
    by_region = region_zone(city)
    if by_region is not None:
        return by_region
    key = _city_key(city)
    if key in _MOSCOW or key.replace(" ", "-") in _MOSCOW:
        return DEFAULT_ZONE
    return zone_of_city(city)


def client_zone(city: str, address: str = "") -> str | None:
    """The IANA zone of a client's events from its card: the federal subject its «Город» names (``region_zone``);
    else the one its «Адрес» names when «Город» is unknown or the address is of the same town (a Bashkir
    Благовещенск whose region was in «Адрес» was planned on the Amur town's clock: tester J, 2026-12-05; a legal
    address elsewhere does not move a Moscow client); else the town the tables know in «Город», then in «Адрес»
    (``known_zone``); None when neither says (the caller keeps what it knows)."""
    city, address = city or "", address or ""
    by_region = region_zone(city)
    if by_region is not None:
        return by_region
    by_town = known_zone(city)
    town = _city_key(city)
    address_region = region_zone(address)
    if address_region is not None and (by_town is None or (town and town in _fold(address))):
        return address_region
    return by_town or known_zone(address)


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (e.g. «Asia/Yekaterinburg»); UserError for an unknown one."""
    text = (name or "").strip()
    if not text or len(text) > 64 or text.startswith(("/", ".")) or ".." in text:
        raise UserError(_("Unknown time zone «{zone}»: give an IANA name such as Europe/Moscow.").format(
            zone=text[:64]))
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserError(_("Unknown time zone «{zone}»: give an IANA name such as Europe/Moscow.").format(
            zone=text[:64])) from None


@lru_cache(maxsize=1)
def _iana_names() -> dict[str, str]:
    """Every IANA zone name this computer knows, by its casefolded spelling (read once: ~600 names)."""
    return {name.casefold(): name for name in available_timezones()}


def zone_name(text: str) -> str:
    """The IANA name the user means by ``text``: an IANA name in any letter case («asia/vladivostok»), or a Russian
    city (or region) the tables know («Владивосток», «г. Самара»: ``known_zone``) — the event dialog refused both
    (tester K, 2026-12-05); UserError, as ``zone``, for anything else.

    >>> zone_name("asia/vladivostok"), zone_name("Владивосток"), zone_name(" Europe/Moscow ")
    ('Asia/Vladivostok', 'Asia/Vladivostok', 'Europe/Moscow')
    """
    name = (text or "").strip()
    canonical = _iana_names().get(name.casefold()) if name and len(name) <= 64 else None
    if canonical is not None:
        return canonical
    by_city = known_zone(name) if name and len(name) <= 200 else None
    if by_city is not None:
        return by_city
    zone(name)  # a name ZoneInfo reads though the list lacks it is kept; anything else is refused here
    return name


def local_to_utc(local: datetime, zone_name: str) -> datetime:
    """Naive UTC of the wall-clock time ``local`` in ``zone_name``.

    UserError for a time that does not exist there (skipped by a daylight-saving change)."""
    tz = zone(zone_name)
    aware = local.replace(tzinfo=tz)
    utc = aware.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise UserError(_("{time} does not exist in the zone {zone} (the clocks are changed then).").format(
            time=local.strftime("%d.%m.%Y %H:%M"), zone=zone_name))
    return utc.replace(tzinfo=None)


def twice_note(local: datetime, zone_name: str) -> str:
    """"" or, for a wall-clock time that happens twice in ``zone_name`` (the hour the clocks are set back),
    which of the two moments ``local_to_utc`` took (the first) and the other's offset."""
    tz = zone(zone_name)
    naive = local.replace(tzinfo=None, second=0, microsecond=0)
    first, second = naive.replace(tzinfo=tz, fold=0).utcoffset(), naive.replace(tzinfo=tz, fold=1).utcoffset()
    if first is None or second is None or first <= second:  # one moment (or a skipped time, refused elsewhere)
        return ""
    return _("{time} happens twice in the zone {zone} (the clocks are set back that night): the first one is "
             "taken, UTC{first}; the second would be UTC{second}.").format(
        time=naive.strftime("%d.%m.%Y %H:%M"), zone=zone_name, first=_offset(first), second=_offset(second))


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def utc_to_zone(naive_utc: datetime, zone_name: str | tzinfo) -> datetime:
    """The wall-clock time (naive) of a stored UTC moment in a zone (a name or a tzinfo)."""
    tz = zone(zone_name) if isinstance(zone_name, str) else zone_name
    return naive_utc.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)


def conflicts(intervals: Iterable[tuple[int, datetime, int]]) -> dict[int, set[int]]:
    """Events that overlap in time: (id, start, minutes) → {id: ids of the events it overlaps}.

    Touching events (one ends when the next starts) do not overlap. One sort and a sweep."""
    ordered = sorted(intervals, key=lambda item: item[1])
    result: dict[int, set[int]] = {}
    active: list[tuple[int, datetime]] = []  # (id, end) of events still running
    for event_id, start, minutes in ordered:
        end = start + timedelta(minutes=minutes)
        active = [(other, other_end) for other, other_end in active if other_end > start]
        for other, _other_end in active:
            result.setdefault(event_id, set()).add(other)
            result.setdefault(other, set()).add(event_id)
        active.append((event_id, end))
    return result


def this_zone_name() -> str | None:
    """The IANA name of this computer's time zone (TZ, /etc/localtime, the Windows registry: babel's fork of
    tzlocal), None when the system does not say one."""
    try:
        from babel.localtime import get_localzone

        tz = get_localzone()
    except (LookupError, ValueError, OSError, ImportError):
        return None
    name = getattr(tz, "key", None) or getattr(tz, "zone", None)  # zoneinfo, or pytz when babel picks it
    return name if isinstance(name, str) and name and not name.startswith("/") else None


def offset_text(offset: timedelta | None) -> str:
    """A UTC offset as people write it: «UTC+3», «UTC+5:30», «UTC-3», «UTC+0»."""
    minutes = int((offset or timedelta(0)).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def viewer_zone_name(viewer: tzinfo | None = None, now: datetime | None = None) -> str | None:
    """The IANA name of the viewer's zone (this computer's when None, ``this_zone_name``); None when unknown — or
    when the name found keeps another offset than this computer's clock now (a TZ that disagrees with the
    system's files), so that a name never labels times of another clock."""
    if viewer is not None:
        name = getattr(viewer, "key", None) or getattr(viewer, "zone", None)
        return name if isinstance(name, str) and name else None
    name = this_zone_name()
    if name is None:
        return None
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    try:
        same = moment.astimezone(ZoneInfo(name)).utcoffset() == moment.astimezone().utcoffset()
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name if same else None


def viewer_zone_label(viewer: tzinfo | None = None, moments: Iterable[datetime] = (),
                      now: datetime | None = None) -> str:
    """The viewer's zone (this computer's when None) as a file read elsewhere must name it: «Europe/Moscow, UTC+3»;
    its offsets at ``moments`` (naive UTC) when they differ through the year («Europe/Berlin, UTC+1 / UTC+2»), else
    at ``now``; the offset alone when the system names no zone («UTC+3»)."""
    current = (now or datetime.now(UTC)).astimezone(UTC)
    instants = [m.replace(tzinfo=UTC) if m.tzinfo is None else m for m in moments] or [current]
    offsets = sorted({(i.astimezone(viewer) if viewer is not None else i.astimezone()).utcoffset() or timedelta(0)
                      for i in instants})
    shown = " / ".join(offset_text(o) for o in offsets)
    name = viewer_zone_name(viewer, current)
    return f"{name}, {shown}" if name else shown
