"""The one set of parsers for what users type and rosters carry: months, dates, times,
credit codes and phone numbers.

They are strict on purpose: `2025.08` or `March` is an error, never a guess. Each raises
InvalidInputError with a message naming the field and the accepted forms. Only the
standard library is used, so that every command can afford to import this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from operator import mul
from typing import Any

from beiwen.errors import BeiwenError, InvalidInputError
from beiwen.i18n import t

# The district keeps Beijing time; China has had no daylight saving since 1991, so a fixed
# offset is exact and keeps stored times comparable as text.
CHINA_TZ = timezone(timedelta(hours=8), "CST")

# What a user may give, checked here and nowhere else (README: "What beiwen promises").
# Numbers by kind, (smallest, largest); `parse_count(..., kind=...)` picks one. The largest
# keep every sum and every date computed from them far inside SQLite's 64-bit integers and
# Python's dates: a deadline of 3,000,000 days or 2**63 participants is a typo, not data.
NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "number": (0, 999_999_999),  # any other whole number (the default)
    "id": (1, 999_999_999),  # grid, unit, work-order, person, course, class, activity ids
    "count": (0, 100_000),  # participants, enterprises served or helped, attendance
    "capacity": (1, 100_000),  # seats of a course
    "days": (1, 365),  # the deadline of a work-order category
    "hours": (1, 720),  # a department's time to report in on a whistled order (30 days)
    "service_hours": (0, 24),  # hours served by one person on a day: parse_decimal, > 0
    "points_per_hour": (0, 100),  # service points an hour earns: parse_decimal, > 0
}
# Dates, months and years: the first and last day any of them may fall on.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)

# re.ASCII so that `\d` is 0-9 only; the parsers also pass their text through ascii_digits
# first, which turns full-width digits into ASCII and refuses any other Unicode digit.
_MONTH_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})", re.ASCII),
    re.compile(r"(\d{4})/(\d{1,2})", re.ASCII),
    re.compile(r"(\d{4})(\d{2})", re.ASCII),
    re.compile(r"(\d{4})年(\d{1,2})月", re.ASCII),
)
_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日", re.ASCII),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})", re.ASCII),
    re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII),
)
# A date cell that reached the file as Excel's serial number (days since 1899-12-30, with
# the fraction of a day for a time): five digits, 1927-05-18 to 2173-10-14, so that neither
# a year (2019) nor an eight-digit date (20190305) is ever read as one.
_EXCEL_SERIAL = re.compile(r"(\d{5})(?:\.(\d+))?", re.ASCII)
_EXCEL_EPOCH = datetime(1899, 12, 30)
_TIME_FORM = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?", re.ASCII)
_OFFSET_FORM = re.compile(r"(.*?)(Z|[+-]\d{2}:?\d{2})$", re.ASCII)
_YEAR_FORM = re.compile(r"\d{4}", re.ASCII)
_DIGITS_FORM = re.compile(r"\d+", re.ASCII)


def _shown(value: object) -> str:
    """A value as an error message quotes it: 5,000 typed digits are not echoed back."""
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)})"


def _outside(value: str, field: str, first: str, last: str) -> InvalidInputError:
    return InvalidInputError(
        t("parse.out_of_range", field=field, value=_shown(value), first=first, last=last)
    )


def _date_outside(value: str, field: str) -> InvalidInputError:
    return _outside(value, field, FIRST_DAY.isoformat(), LAST_DAY.isoformat())


def parse_month(value: str, field: str = "month") -> str:
    """`2025-03`, `2025/3`, `202503`, `2025年3月` -> `2025-03`, from 1900-01 to 2999-12."""
    text = ascii_digits(value.strip(), field)
    for form in _MONTH_FORMS:
        match = form.fullmatch(text)
        if match and 1 <= int(match[2]) <= 12:
            year, month = int(match[1]), int(match[2])
            if not FIRST_DAY.year <= year <= LAST_DAY.year:
                raise _outside(value, field, month_of(FIRST_DAY), month_of(LAST_DAY))
            return f"{year:04d}-{month:02d}"
    raise InvalidInputError(t("parse.month", field=field, value=_shown(value)))


def parse_year(value: str, field: str = "year") -> int:
    """Four digits, from 1900 to 2999."""
    text = ascii_digits(value.strip(), field)
    if _YEAR_FORM.fullmatch(text):
        if not FIRST_DAY.year <= int(text) <= LAST_DAY.year:
            raise _outside(value, field, str(FIRST_DAY.year), str(LAST_DAY.year))
        return int(text)
    raise InvalidInputError(t("parse.year", field=field, value=_shown(value)))


def _excel_serial(text: str) -> datetime | None:
    """The moment an Excel serial number such as `43529` or `43529.5` stands for, else None."""
    match = _EXCEL_SERIAL.fullmatch(text)
    if not match:
        return None
    moment = _EXCEL_EPOCH + timedelta(days=float(text))
    return moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))


def _calendar_date(text: str) -> date | None:
    """The real date `text` writes in one of the date forms (any year), else None."""
    serial = _excel_serial(text)
    if serial is not None and serial.time() == time():
        return serial.date()
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def parse_date(value: str, field: str = "date") -> date:
    """`2019-03-05`, `2019/3/5`, `2019.3.5`, `2019年3月5日`, `20190305`, Excel's `43529` -> a
    date in FIRST_DAY..LAST_DAY."""
    day = _calendar_date(ascii_digits(value.strip(), field))
    if day is None:
        raise InvalidInputError(t("parse.date", field=field, value=_shown(value)))
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _date_outside(value, field)
    return day


def parse_datetime(value: str, field: str = "time") -> datetime:
    """A date with an optional time and offset, as Beijing time when no offset is given.

    Accepts `2024-08-03`, `2024-08-03 09:30`, `2024/8/3 9:30:15`, `2024-08-03T09:30:00+08:00`.
    The result is always aware, expressed in Beijing time, and on a day in FIRST_DAY..LAST_DAY.
    """
    text = ascii_digits(value.strip(), field)
    invalid = InvalidInputError(t("parse.datetime", field=field, value=_shown(value)))
    serial = _excel_serial(text)
    if serial is not None:
        return serial.replace(tzinfo=CHINA_TZ)
    offset: timezone | None = None
    match = _OFFSET_FORM.fullmatch(text)
    if match and ("T" in text or " " in text):
        text, raw = match[1].strip(), match[2]
        if raw == "Z":
            offset = UTC
        else:
            sign = 1 if raw[0] == "+" else -1
            digits = raw[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:])
            if hours > 14 or minutes > 59:  # the world's offsets run from -12:00 to +14:00
                raise invalid
            offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
    date_part, _, time_part = text.replace("T", " ", 1).partition(" ")
    day = _calendar_date(date_part)
    if day is None:
        raise invalid
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _date_outside(value, field)
    hour = minute = second = 0
    if time_part.strip():
        time_match = _TIME_FORM.fullmatch(time_part.strip())
        if not time_match:
            raise invalid
        hour, minute = int(time_match[1]), int(time_match[2])
        second = int(time_match[3] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise invalid
    moment = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=offset or CHINA_TZ)
    local = moment.astimezone(CHINA_TZ)
    if not FIRST_DAY <= local.date() <= LAST_DAY:
        raise _date_outside(value, field)
    return local


def now() -> datetime:
    return datetime.now(CHINA_TZ).replace(microsecond=0)


def iso(moment: datetime) -> str:
    """The stored form of a time: ISO 8601 in Beijing time, so text order is time order."""
    return moment.astimezone(CHINA_TZ).replace(microsecond=0).isoformat()


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def add_months(month: str, count: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# Full-width ASCII (ＡＢＣ１２３＋－) and the ideographic space, as Chinese input methods type
# them, -> ASCII; nothing else (NFKC would also rewrite CJK compatibility characters).
_FULL_WIDTH_DIGITS = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def half_width(value: str) -> str:
    """`value` with full-width ASCII letters, digits, signs and spaces made ASCII."""
    return value.translate(_FULL_WIDTH_DIGITS)


# The yes/no words rosters and users write; an empty cell is a no.
_YES = frozenset({"1", "yes", "y", "true", "是", "对", "√"})
_NO = frozenset({"0", "no", "n", "false", "否", ""})


def parse_yes_no(value: str, field: str = "value") -> bool:
    """`是`/`否`, yes/no, y/n, 1/0, true/false, `对`, `√` (any case, spaces ignored); an empty
    text is no."""
    text = half_width(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidInputError(t("parse.yes_no", field=field, value=value))


def ascii_digits(value: str, field: str = "value") -> str:
    """`value` with full-width digits (１２), letters and signs made ASCII; any other Unicode
    digit is refused.

    Python's `str.isdigit()`, `int()` and regex `\\d` all accept digits such as ①, ² or ٣;
    every number a user types goes through here first, so only 0-9 ever reach them.
    """
    text = value.translate(_FULL_WIDTH_DIGITS)
    if not text.isascii() and any(char.isdigit() and not char.isascii() for char in text):
        raise InvalidInputError(t("parse.digits", field=field, value=value))
    return text


def whole_number(value: str, field: str = "value") -> int | None:
    """The number a reference such as `12`, `１２` means, or None when it is not all digits.

    A text holding a digit other than 0-9 (`①`) is an error, not a name to look up, and so
    is one of more than REFERENCE_DIGITS digits (Python refuses to read 4,300); a shorter one
    over SQLite's 2**63 - 1 is left to the database layer's own "too large" error.
    """
    text = ascii_digits(value.strip(), field)
    if text.isascii() and text.isdigit():
        if len(text.lstrip("0")) > REFERENCE_DIGITS:
            low, high = NUMBER_RANGES["id"]
            raise InvalidInputError(
                t("parse.too_large", field=field, value=_shown(value), minimum=low, maximum=high)
            )
        return int(text)
    return None


REFERENCE_DIGITS = 100


def parse_count(
    value: str | int,
    field: str,
    minimum: int | None = None,
    *,
    kind: str = "number",
    maximum: int | None = None,
) -> int:
    """A whole number given as text or int, within the range NUMBER_RANGES gives `kind`.

    `minimum` and `maximum` narrow that range for one field. Full-width digits are read as
    0-9; other Unicode digits (①, ², ٣) are refused, and so is a number above the range
    however many digits it has (Python refuses to read more than 4,300 of them).
    """
    low, high = NUMBER_RANGES[kind]
    low = low if minimum is None else minimum
    high = high if maximum is None else maximum
    text = ascii_digits(str(value).strip(), field)
    if not _DIGITS_FORM.fullmatch(text):
        raise InvalidInputError(t("parse.integer", field=field, value=_shown(value), minimum=low))
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(high)) or int(digits) > high:
        raise InvalidInputError(
            t("parse.too_large", field=field, value=_shown(value), minimum=low, maximum=high)
        )
    number = int(digits)
    if number < low:
        raise InvalidInputError(t("parse.integer", field=field, value=_shown(value), minimum=low))
    return number


def parse_decimal(value: str, field: str, *, kind: str) -> float:
    """`1.5`, `０.５`, `2小时`: above the first and at most the last of NUMBER_RANGES[kind],
    two decimals at most (sums of stored values stay exact to the cent)."""
    lo, hi = NUMBER_RANGES[kind]
    text = ascii_digits(value.strip(), field).removesuffix("小时").strip()
    if re.fullmatch(r"\d{1,9}(?:\.\d{1,2})?", text, re.ASCII) and lo < float(text) <= hi:
        return round(float(text), 2)
    raise InvalidInputError(t("parse.decimal", field=field, value=_shown(value), lo=lo, hi=hi))


# GB 32100-2015: 31 characters (no I, O, Z, S, V), weights 3^i mod 31, check = 31 - sum mod 31.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


_CREDIT_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_CHARS = frozenset(CREDIT_CODE_ALPHABET)


def credit_code_check_char(first17: str) -> str:
    if len(first17) != 17:
        raise ValueError("a credit code has 17 characters before its check character")
    # map/mul stay in C: imports check one code per row.
    total = sum(map(mul, map(_CREDIT_VALUES.__getitem__, first17), _CREDIT_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def parse_credit_code(value: str, field: str = "code") -> str:
    """A unified social credit code (统一社会信用代码), upper-cased, checked by GB 32100-2015."""
    code = half_width(value).strip().upper()
    if len(code) != 18:
        raise InvalidInputError(
            t("parse.credit_code_length", field=field, value=value, length=len(code))
        )
    if not _CREDIT_CHARS.issuperset(code):
        char = next(c for c in code if c not in _CREDIT_CHARS)
        raise InvalidInputError(t("parse.credit_code_chars", field=field, value=value, char=char))
    if not code[2:8].isdigit():
        raise InvalidInputError(t("parse.credit_code_region", field=field, value=value))
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise InvalidInputError(
            t("parse.credit_code_check", field=field, value=value, expected=expected)
        )
    return code


_MOBILE = re.compile(r"(?:\+86[ -]?)?1[3-9]\d{9}", re.ASCII)
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(?:-\d{1,6})?", re.ASCII)
_SERVICE = re.compile(r"[48]00-?\d{3}-?\d{4}", re.ASCII)


_MOBILE_SPACED = re.compile(r"((?:\+86[ -]?)?)(1[3-9][\d -]{9,13})", re.ASCII)
_SPACED_LANDLINE = re.compile(r"(0\d{2,3}) +(\d[\d ]{6,9})", re.ASCII)


def parse_phone(value: str, field: str = "phone") -> str:
    """A mobile or landline number, kept as the text given (trimmed, full-width digits made
    ASCII): never a number, so no leading zero is lost. The spaces and dashes people put
    inside a mobile (`138 1234 5678`, `138-1234-5678`) are dropped; a landline's area code
    may be set off by a space (`023 6828 1234` -> `023-68281234`)."""
    phone = " ".join(ascii_digits(value.strip(), field).split())
    if _MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone) or _SERVICE.fullmatch(phone):
        return phone
    spaced = _MOBILE_SPACED.fullmatch(phone)
    if spaced:
        compact = spaced[1] + re.sub(r"[ -]", "", spaced[2])
        if _MOBILE.fullmatch(compact):
            return compact
    landline = _SPACED_LANDLINE.fullmatch(phone)
    if landline:
        joined = f"{landline[1]}-{landline[2].replace(' ', '')}"
        if _LANDLINE.fullmatch(joined):
            return joined
    raise InvalidInputError(t("parse.phone", field=field, value=value))


def mask_phone(phone: str | None) -> str:
    """138****1234 for mobiles, 023-****1234 for landlines: the last four digits stay."""
    if not phone:
        return ""
    if _MOBILE.fullmatch(phone):  # its last eleven characters are digits
        return f"{phone[:-8]}****{phone[-4:]}"
    digit_positions = [i for i, c in enumerate(phone) if c.isdigit()]
    if len(digit_positions) < 8:
        return "*" * len(phone)
    prefix_end = phone.find("-") if "-" in phone[:5] else 3
    hidden = [i for i in digit_positions[:-4] if i > prefix_end]
    return "".join("*" if i in hidden else c for i, c in enumerate(phone))


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::00)?", re.ASCII)  # :00: a spreadsheet's time cell
_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_CHINESE = "一二三四五六日"


def parse_time(value: str, field: str = "time") -> time:
    """`09:30` or `9:30` -> a time of day; anything else (9.30, 930, 25:00) is an error."""
    match = _CLOCK.fullmatch(ascii_digits(value.strip(), field))
    if match and int(match[1]) <= 23 and int(match[2]) <= 59:
        return time(int(match[1]), int(match[2]))
    raise InvalidInputError(t("parse.time", field=field, value=value))


def parse_weekday(value: str, field: str = "weekday") -> int:
    """mon..sun / monday..sunday, 1-7, 周一..周日, 星期一..星期日 (天 for 日) -> 0 (Monday)..6."""
    text = value.strip().lower()
    if text in _WEEKDAY_NAMES:
        return _WEEKDAY_NAMES.index(text)
    for index, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    ):
        if text == name:
            return index
    if re.fullmatch(r"[1-7]", text):
        return int(text) - 1
    for prefix in ("周", "星期", "礼拜"):
        if text.startswith(prefix) and len(text) == len(prefix) + 1:
            char = text[-1].replace("天", "日")
            if char in _WEEKDAY_CHINESE:
                return _WEEKDAY_CHINESE.index(char)
    raise InvalidInputError(t("parse.weekday", field=field, value=value))


# GB 11643-1999 resident ID numbers (公民身份号码): 6-digit region, 8-digit birth date,
# 3-digit sequence, then a check character over ISO 7064 MOD 11-2.

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def id_number_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def mask_id_number(value: str | None) -> str:
    """1101**********002X: the first four and last four characters stay."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def parse_id_number(value: str, field: str = "id_number") -> str:
    """A resident ID number, upper-cased, with a real birth date and a valid check character.

    Error messages show the number masked: they end up in terminals and logs.
    """
    number = half_width(value).strip().upper()
    shown = mask_id_number(number)
    if len(number) != 18:
        raise InvalidInputError(
            t("parse.id_number_length", field=field, value=shown, length=len(number))
        )
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise InvalidInputError(t("parse.id_number_chars", field=field, value=shown))
    birth = number[6:14]
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > now().date():
        raise InvalidInputError(t("parse.id_number_birth", field=field, value=shown, birth=birth))
    expected = id_number_check_char(number[:17])
    if number[17] != expected:
        raise InvalidInputError(
            t("parse.id_number_check", field=field, value=shown, expected=expected)
        )
    return number


class FieldCheck:
    """Reads the fields of one record (a command's options or a roster row) with their
    parsers, collecting every reason instead of stopping at the first: the validators of
    units, members, courses and activities all read this way.

    `check(name, parse)` reads `raw[name]` when the record has it: empty text becomes
    `empty`, any other text `parse(text, *args)`; a BeiwenError becomes a reason.
    """

    def __init__(self, raw: Mapping[str, str]) -> None:
        self.raw = raw
        self.clean: dict[str, Any] = {}
        self.reasons: list[str] = []

    def __call__(self, name: str, parse: Callable[..., Any], *args: Any, empty: Any = None) -> None:
        if name not in self.raw:
            return
        value = self.raw[name].strip()
        if not value:
            self.clean[name] = empty
            return
        try:
            self.clean[name] = parse(value, *args)
        except BeiwenError as error:
            self.reasons.append(error.message)
