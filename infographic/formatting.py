"""Numbers and dates in the reader's locale (vi-VN by default), for templates and Python.

Every function takes an optional ``locale``; without it the locale of the render in progress is
used (``infographic.render(..., locale="en")``), else :data:`DEFAULT_LOCALE`. Templates reach the
same functions as filters (:data:`FILTERS`)::

    {{ cases | number }}            7.605.092
    {{ rate | percent }}            98,5%        (value in percent: 98.5)
    {{ cases | compact }}           7,6 triệu
    {{ fee | currency }}            1.500.000 ₫
    {{ day | date }}                13/9/2021    ("long": ngày 13 tháng 9 năm 2021)
    {{ day | weekday }}             Thứ Hai
    {{ change | delta(percent=true) }}   ▲ 12,3%
    {{ moment | updated }}          cập nhật lúc 17:00 ngày 13/9/2021

Formats come from babel (CLDR data); only the Vietnamese phrases that CLDR lacks
("ngày … tháng … năm …", the update stamp) are written here, with English equivalents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Iterator

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from jinja2 import pass_context
from jinja2.runtime import Context

DEFAULT_LOCALE = "vi_VN"
_current: ContextVar[str] = ContextVar("infographic_locale", default=DEFAULT_LOCALE)

UP, DOWN, FLAT = "▲", "▼", "="
#: Phrases CLDR has no pattern for. ``{d}``/``{m}``/``{y}`` are numbers, ``{time}``/``{date}``
#: are already formatted.
_PHRASES: dict[str, dict[str, str]] = {
    "vi": {"long_date": "ngày {d} tháng {m} năm {y}",
           "updated": "cập nhật lúc {time} ngày {date}",
           "updated_day": "cập nhật ngày {date}"},
    "en": {"long_date": "",  # CLDR's own long date
           "updated": "updated {time}, {date}",
           "updated_day": "updated {date}"},
}


def _normalise(locale: str) -> str:
    return str(locale).replace("-", "_")


def check_locale(locale: str) -> str:
    """``locale`` as babel spells it (``vi-VN`` → ``vi_VN``); ValueError when babel lacks it."""
    name = _normalise(locale)
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"unknown locale '{locale}': use e.g. vi_VN or en") from None
    return name


@contextlib.contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """Within the block, functions called without ``locale`` use this one (None: keep)."""
    name = check_locale(locale) if locale else _current.get()
    token = _current.set(name)
    try:
        yield name
    finally:
        _current.reset(token)


def current_locale() -> str:
    return _current.get()


def _loc(locale: str | None) -> str:
    return _normalise(locale) if locale else _current.get()


def _language(locale: str) -> str:
    return locale.split("_")[0]


def _phrase(locale: str, key: str) -> str:
    return _PHRASES.get(_language(locale), _PHRASES["en"])[key]


def _clean(text: str) -> str:
    """CLDR uses narrow no-break spaces some fonts lack; a no-break space reads the same."""
    return text.replace("\u202f", "\u00a0")


def _decimal(value: float | int | Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise TypeError(f"expected a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def _rounded(number: Decimal, places: int) -> Decimal:
    """Round half up (98,45 → 98,5), as readers expect; babel would round half to even."""
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _pattern(decimals: int | None, max_decimals: int) -> str:
    if decimals is None:
        return "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def format_number(value: float | int | Decimal, decimals: int | None = None, *,
                  locale: str | None = None, max_decimals: int = 2) -> str:
    """``7605092`` → ``7.605.092``; ``98.5`` → ``98,5``. ``decimals`` fixes the number of
    decimals; by default up to ``max_decimals`` are shown, trailing zeros dropped."""
    number = _rounded(_decimal(value), max_decimals if decimals is None else decimals)
    return _clean(babel_numbers.format_decimal(number, _pattern(decimals, max_decimals),
                                               locale=_loc(locale)))


def format_percent(value: float | int | Decimal, decimals: int | None = None, *,
                   locale: str | None = None, fraction: bool = False) -> str:
    """``98.5`` → ``98,5%``. The value is in percent; pass ``fraction=True`` for ``0.985``."""
    number = _rounded(_decimal(value) * (100 if fraction else 1), 1 if decimals is None
                      else decimals)
    pattern = _pattern(decimals, 1) + "%"
    return _clean(babel_numbers.format_percent(number / 100, pattern, locale=_loc(locale)))


def format_compact(value: float | int | Decimal, decimals: int = 1, *, locale: str | None = None,
                   short: bool = False) -> str:
    """``7605092`` → ``7,6 triệu``; ``12300`` → ``12,3 nghìn``; below 1000 the plain number."""
    loc = _loc(locale)
    number = _decimal(value)
    if abs(number) < 1000:
        return format_number(value, locale=loc, max_decimals=decimals)
    text = babel_numbers.format_compact_decimal(number, format_type="short" if short else "long",
                                                fraction_digits=decimals, locale=loc)
    return _clean(text)


def format_currency(value: float | int, currency: str = "VND", *,
                    locale: str | None = None) -> str:
    """``1500000`` → ``1.500.000 ₫`` (symbol and its place follow the locale)."""
    return _clean(babel_numbers.format_currency(_decimal(value), currency, locale=_loc(locale)))


def _as_date(value: Any) -> dt.date:
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise TypeError(f"expected a date, got {value!r}")


def format_date(value: dt.date | str, style: str = "short", *, locale: str | None = None) -> str:
    """``short``: 13/9/2021; ``long``: ngày 13 tháng 9 năm 2021 (en: September 13, 2021);
    ``day_month``: 13/9; ``month_year``: 9/2021; ``weekday``: Thứ Hai, 13/9/2021;
    anything else is a CLDR pattern, e.g. ``"EEEE d/M"``."""
    day = _as_date(value)
    loc = _loc(locale)
    if style == "short":
        return babel_dates.format_skeleton("yMd", day, locale=loc) if _language(loc) != "vi" \
            else f"{day.day}/{day.month}/{day.year}"
    if style == "long":
        phrase = _phrase(loc, "long_date")
        return phrase.format(d=day.day, m=day.month, y=day.year) if phrase \
            else babel_dates.format_date(day, "long", locale=loc)
    if style == "day_month":
        return babel_dates.format_skeleton("dM", day, locale=loc)
    if style == "month_year":
        return babel_dates.format_skeleton("yM", day, locale=loc)
    if style == "weekday":
        return f"{format_weekday(day, locale=loc)}, {format_date(day, locale=loc)}"
    return _clean(babel_dates.format_date(day, style, locale=loc))


def format_weekday(value: dt.date | str, width: str = "wide", *,
                   locale: str | None = None) -> str:
    """``Thứ Hai`` (``abbreviated``: ``Th 2``; en: ``Monday``/``Mon``)."""
    pattern = {"wide": "EEEE", "abbreviated": "EEE", "short": "EEEEEE"}.get(width, "EEEE")
    return babel_dates.format_date(_as_date(value), pattern, locale=_loc(locale))


def format_time(value: dt.time | dt.datetime, *, locale: str | None = None) -> str:
    """``17:00`` (en: ``5:00 PM``)."""
    return _clean(babel_dates.format_time(value, "short", locale=_loc(locale)))


def format_delta(value: float | int, decimals: int | None = None, *, percent: bool = False,
                 locale: str | None = None, compact: bool = False) -> str:
    """A signed change with an arrow: ``▲ 12,3%``, ``▼ 4``, ``= 0``. The arrow carries the sign,
    so the number is shown without one."""
    number = _decimal(value)
    arrow = UP if number > 0 else DOWN if number < 0 else FLAT
    magnitude = abs(number)
    if percent:
        text = format_percent(magnitude, decimals, locale=locale)
    elif compact:
        text = format_compact(magnitude, 1 if decimals is None else decimals, locale=locale)
    else:
        text = format_number(magnitude, decimals, locale=locale)
    return f"{arrow}\u00a0{text}"


def format_updated(value: dt.date | dt.datetime, time: "dt.time | str | None" = None, *,
                   locale: str | None = None) -> str:
    """The stamp under daily figures: ``cập nhật lúc 17:00 ngày 13/9/2021``. ``value`` is a
    date and time, or a date with the time given apart (``time="17:00"``, as a form has it)."""
    moment = _as_date(value)
    if time is not None and str(time).strip():
        if isinstance(time, str):
            try:
                time = dt.time.fromisoformat(time.strip().replace("h", ":").zfill(5))
            except ValueError:
                raise ValueError(f"'{time}' is not a time of day (write 17:00)") from None
        moment = dt.datetime.combine(moment, time)
    if not isinstance(moment, dt.datetime):
        loc = _loc(locale)
        return _phrase(loc, "updated_day").format(date=format_date(moment, locale=loc))
    loc = _loc(locale)
    return _phrase(loc, "updated").format(time=format_time(moment, locale=loc),
                                          date=format_date(moment, locale=loc))


def number_formatter(style: "str | Callable[[float], str] | None", *, locale: str | None = None,
                     decimals: int | None = None) -> Callable[[float], str]:
    """A formatter by name (``number``, ``percent``, ``compact``, ``currency``) or a callable;
    charts use it for value labels."""
    if callable(style):
        return style
    style = style or "number"
    if style == "number":
        return lambda v: format_number(v, decimals, locale=locale)
    if style == "percent":
        return lambda v: format_percent(v, decimals, locale=locale)
    if style == "compact":
        return lambda v: format_compact(v, 1 if decimals is None else decimals, locale=locale)
    if style == "currency":
        return lambda v: format_currency(v, locale=locale)
    raise ValueError(f"unknown number format '{style}': use number, percent, compact or currency")


def _filter(function: Callable[..., str]) -> Callable[..., str]:
    """The function as a Jinja filter. Marked as needing the template context so that Jinja
    never folds ``{{ 12.3 | number }}`` at compile time, in whatever locale was current then.
    Called from Python (no context first), it is the plain function."""
    @pass_context
    def apply(*args: Any, **kwargs: Any) -> str:
        if args and isinstance(args[0], Context):
            args = args[1:]
        return function(*args, **kwargs)
    apply.__doc__ = function.__doc__
    return apply


_FORMATTERS: dict[str, Callable[..., str]] = {
    "number": format_number,
    "percent": format_percent,
    "compact": format_compact,
    "currency": format_currency,
    "date": format_date,
    "weekday": format_weekday,
    "time": format_time,
    "delta": format_delta,
    "updated": format_updated,
}
FILTERS: dict[str, Callable[..., str]] = {name: _filter(function)
                                          for name, function in _FORMATTERS.items()}
