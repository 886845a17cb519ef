"""The shared parsers: credit codes (GB 32100-2015), dates, months, times, phones, masks.

Property tests generate valid values by the standard's own rules and check that every one is
accepted and that every single-character change or impossible value is refused.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beiwen.errors import InvalidInputError
from beiwen.parsing import (
    CREDIT_CODE_ALPHABET,
    FIRST_DAY,
    LAST_DAY,
    add_months,
    credit_code_check_char,
    iso,
    mask_phone,
    parse_count,
    parse_credit_code,
    parse_date,
    parse_datetime,
    parse_month,
    parse_phone,
    parse_year,
)

FAST = settings(max_examples=150, deadline=None)

# --- credit codes ------------------------------------------------------------------------


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    """A valid code: registration authority and type, 6-digit region, 9-character body, check."""
    alphabet = st.sampled_from(CREDIT_CODE_ALPHABET)
    head = draw(st.text(alphabet, min_size=2, max_size=2))
    region = draw(st.text(st.sampled_from("0123456789"), min_size=6, max_size=6))
    body = draw(st.text(alphabet, min_size=9, max_size=9))
    first17 = head + region + body
    return first17 + credit_code_check_char(first17)


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "91110000802100433B", "914403001922038216", "91500000202805720T"]
)
def test_published_codes_are_valid(code: str) -> None:
    assert parse_credit_code(code) == code


@FAST
@given(credit_codes())
def test_every_valid_code_is_accepted_and_upper_cased(code: str) -> None:
    assert parse_credit_code(code) == code
    assert parse_credit_code(code.lower()) == code
    assert parse_credit_code(f"  {code.lower()} ") == code


@FAST
@given(credit_codes(), st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_single_character_change_is_rejected(code: str, position: int, char: str) -> None:
    if code[position] == char:
        char = CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.index(char) + 1) % 31]
    changed = code[:position] + char + code[position + 1 :]
    with pytest.raises(InvalidInputError):
        parse_credit_code(changed)


@FAST
@given(credit_codes(), st.integers(0, 16))
def test_swapping_neighbours_that_differ_is_rejected(code: str, position: int) -> None:
    a, b = code[position], code[position + 1]
    if a == b:
        return
    swapped = code[:position] + b + a + code[position + 2 :]
    with pytest.raises(InvalidInputError):
        parse_credit_code(swapped)


def test_wrong_check_character_names_the_expected_one() -> None:
    first17 = "91500109MA5U2QAX6"
    right = credit_code_check_char(first17)
    wrong = CREDIT_CODE_ALPHABET[(CREDIT_CODE_ALPHABET.index(right) + 1) % 31]
    with pytest.raises(InvalidInputError) as caught:
        parse_credit_code(first17 + wrong, "code")
    assert caught.value.message == (
        f'code: "{first17}{wrong}" fails the GB 32100 check (last character should be '
        f'"{right}"); check the code'
    )


@pytest.mark.parametrize("value", ["", "9150010906P5W0DJ6", "1150010906P5W0DJ644", "12345"])
def test_wrong_length_is_rejected_with_the_length(value: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_credit_code(value, "code")
    assert f"has {len(value)} characters" in caught.value.message
    assert "18" in caught.value.message


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V", "i", "o", "z", "s", "v"])
def test_letters_the_standard_excludes_are_rejected(letter: str) -> None:
    code = "1150010906P5W0DJ64"
    bad = code[:10] + letter + code[11:]
    with pytest.raises(InvalidInputError) as caught:
        parse_credit_code(bad, "code")
    assert f'contains "{letter.upper()}"' in caught.value.message
    assert "I, O, Z, S, V" in caught.value.message


def test_region_must_be_digits() -> None:
    first17 = "91A00109MA5U2QAX6"
    with pytest.raises(InvalidInputError) as caught:
        parse_credit_code(first17 + credit_code_check_char(first17), "code")
    assert "positions 3-8" in caught.value.message


# --- dates ---------------------------------------------------------------------------------

real_dates = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


@FAST
@given(real_dates)
def test_every_real_date_round_trips_in_each_form(day: date) -> None:
    forms = [
        day.isoformat(),
        f"{day.year:04d}/{day.month}/{day.day}",
        f"{day.year:04d}/{day.month:02d}/{day.day:02d}",
        f"{day.year:04d}年{day.month}月{day.day}日",
        f"{day.year:04d}-{day.month}-{day.day}",
    ]
    for text in forms:
        if not FIRST_DAY <= day <= LAST_DAY:  # a real date beiwen does not keep: refused
            with pytest.raises(InvalidInputError, match="outside the dates beiwen accepts"):
                parse_date(text)
            continue
        assert parse_date(text) == day, text
        assert parse_date(f" {text} ") == day


@st.composite
def impossible_dates(draw: st.DrawFn) -> tuple[int, int, int]:
    year = draw(st.integers(1000, 9999))
    if draw(st.booleans()):
        month = draw(st.integers(1, 12))
        day = draw(st.integers(calendar.monthrange(year, month)[1] + 1, 99))
    else:
        month = draw(st.sampled_from([0, *range(13, 100)]))
        day = draw(st.integers(1, 28))
    return year, month, day


@FAST
@given(impossible_dates(), st.sampled_from(["{y}-{m}-{d}", "{y}/{m}/{d}", "{y}年{m}月{d}日"]))
def test_impossible_dates_are_rejected(parts: tuple[int, int, int], form: str) -> None:
    year, month, day = parts
    text = form.format(y=f"{year:04d}", m=month, d=day)
    with pytest.raises(InvalidInputError):
        parse_date(text)


@pytest.mark.parametrize(
    "text",
    ["2019-02-30", "2019-02-29", "2019-13-01", "2019-00-10", "2019.13.05", "March 5", "5/3/2019"],
)
def test_bad_dates_name_the_accepted_forms(text: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_date(text, "opened")
    assert caught.value.message == (
        f'opened: "{text}" is not a date; use 2019-03-05, 2019/3/5 or 2019年3月5日'
    )


def test_leap_day_is_accepted_only_in_leap_years() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("2000年2月29日") == date(2000, 2, 29)
    with pytest.raises(InvalidInputError):
        parse_date("1900-02-29")


# --- months -------------------------------------------------------------------------------


@FAST
@given(st.integers(1900, 2999), st.integers(1, 12))
def test_every_month_round_trips_in_the_four_forms(year: int, month: int) -> None:
    expected = f"{year:04d}-{month:02d}"
    for text in (
        f"{year}-{month:02d}",
        f"{year}-{month}",
        f"{year}/{month}",
        f"{year}{month:02d}",
        f"{year}年{month}月",
    ):
        assert parse_month(text) == expected, text


@pytest.mark.parametrize(
    "text", ["2025-13", "2025-00", "2025.08", "March", "202513", "25-08", "2025-8-1", ""]
)
def test_bad_months_are_rejected_never_guessed(text: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_month(text, "--month")
    assert caught.value.message == (
        f'--month: "{text}" is not a month; use 2025-03, 2025/3, 202503 or 2025年3月'
    )


@FAST
@given(st.integers(1900, 2999), st.integers(1, 12), st.integers(-600, 600))
def test_add_months_matches_counting(year: int, month: int, count: int) -> None:
    shifted = add_months(f"{year:04d}-{month:02d}", count)
    index = year * 12 + month - 1 + count
    assert shifted == f"{index // 12:04d}-{index % 12 + 1:02d}"
    assert add_months(shifted, -count) == f"{year:04d}-{month:02d}"


def test_add_months_crosses_years() -> None:
    assert add_months("2024-12", 1) == "2025-01"
    assert add_months("2025-01", -1) == "2024-12"
    assert add_months("2024-08", 12) == "2025-08"


def test_parse_year() -> None:
    assert parse_year(" 2024 ") == 2024
    for bad in ("24", "2024年", "1899", "two"):
        with pytest.raises(InvalidInputError):
            parse_year(bad)


# --- date and time --------------------------------------------------------------------------


def test_datetime_without_offset_is_beijing_time() -> None:
    moment = parse_datetime("2024-08-03 09:30")
    assert iso(moment) == "2024-08-03T09:30:00+08:00"
    assert iso(parse_datetime("2024/8/3 9:30:15")) == "2024-08-03T09:30:15+08:00"
    assert iso(parse_datetime("2024-08-03")) == "2024-08-03T00:00:00+08:00"


def test_datetime_with_offset_is_converted_to_beijing_time() -> None:
    assert iso(parse_datetime("2024-08-03T01:30:00Z")) == "2024-08-03T09:30:00+08:00"
    assert iso(parse_datetime("2024-08-03T09:30:00+08:00")) == "2024-08-03T09:30:00+08:00"
    assert iso(parse_datetime("2024-08-02 20:30-05:00")) == "2024-08-03T09:30:00+08:00"


@pytest.mark.parametrize("text", ["2024-08-03 24:00", "2024-08-03 9:60", "2024-08-32 09:00", "x"])
def test_bad_datetimes_are_rejected(text: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_datetime(text, "--at")
    assert caught.value.message.startswith(f'--at: "{text}" is not a date and time')


@FAST
@given(st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2998, 12, 31)))
def test_stored_times_sort_as_text_in_time_order(moment: datetime) -> None:
    later = moment + timedelta(minutes=1)
    zone = timezone(timedelta(hours=8))
    assert iso(moment.replace(tzinfo=zone)) < iso(later.replace(tzinfo=zone))
    assert iso(moment.replace(tzinfo=zone)) == iso(parse_datetime(iso(moment.replace(tzinfo=zone))))


# --- phones and counts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "023-68281234",
        "02368281234",
        "0571-88886666",
        "+86 13812345678",
        "400-820-8820",
    ],
)
def test_phones_are_kept_as_the_text_given(phone: str) -> None:
    assert parse_phone(f" {phone} ") == phone


@pytest.mark.parametrize("phone", ["1381234567", "138123456789", "12812345678", "68281234", "abc"])
def test_bad_phones_are_rejected(phone: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_phone(phone, "phone")
    assert caught.value.message.startswith(f'phone: "{phone}" is not a phone number')


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("023-68281234", "023-****1234"),
        ("0571-88886666", "0571-****6666"),
        ("+86 13812345678", "+86 138****5678"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_masks_keep_the_last_four_digits(phone: str | None, masked: str) -> None:
    assert mask_phone(phone) == masked


@FAST
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_every_mobile_is_accepted_and_masked_in_the_middle(phone: str) -> None:
    assert parse_phone(phone) == phone
    assert mask_phone(phone) == phone[:3] + "****" + phone[-4:]


def test_counts() -> None:
    assert parse_count("12", "--served") == 12
    assert parse_count(3, "--served") == 3
    assert parse_count("1", "--served", minimum=1) == 1
    for bad in ("-1", "1.5", "two", ""):
        with pytest.raises(InvalidInputError) as caught:
            parse_count(bad, "--served")
        assert caught.value.message == f'--served: "{bad}" is not a whole number of at least 0'
    with pytest.raises(InvalidInputError):
        parse_count("0", "--capacity", minimum=1)
