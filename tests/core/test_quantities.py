"""parse_quantity and find_quantities on real strings from the five articles, on random renderings,
and on every digit of every article body."""

import math
import re
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import analysis
from analysis.core.quantities import UNITS, parse_quantity, to_simplified

# (text as it stands in an article, value, unit, qualifier) -- source noted per block.
CASES = [
    # the examples
    ("1.75万人次", 17500, "person_times", "exact"),
    ("124.7亿元", 12_470_000_000, "yuan", "exact"),
    ("15.7萬崗次", 157_000, "posts", "exact"),
    ("76.7%", 76.7, "percent", "exact"),
    ("3.9个百分点", 3.9, "percentage_points", "exact"),
    ("不少于5000名", 5000, "persons", "at_least"),
    ("1220余项", 1220, "items", "more_than"),
    ("35.02 million yuan", 35_020_000, "yuan", "exact"),
    ("12.47 billion yuan", 12_470_000_000, "yuan", "exact"),
    ("no less than 5,000", 5000, "count", "at_least"),
    ("no fewer than 3,000 internship posts", 3000, "posts", "at_least"),
    ("more than 80%", 80, "percent", "more_than"),
    ("4,500 yuan per year", 4500, "yuan", "exact"),
    # 'new urban jobs' is 城镇新增就业 (people employed); 'jobs' alone are posts offered
    ("28,400 new urban jobs", 28_400, "persons", "exact"),
    ("72,000 jobs", 72_000, "posts", "exact"),
    # zaozhuang_2022h1_zh (Simplified)
    ("22.9%", 22.9, "percent", "exact"),
    ("6.2个百分点", 6.2, "percentage_points", "exact"),
    ("1.54万人", 15_400, "persons", "exact"),
    ("2.01万人", 20_100, "persons", "exact"),
    ("5亿元", 500_000_000, "yuan", "exact"),
    ("3775人", 3775, "persons", "exact"),
    ("1.37万名", 13_700, "persons", "exact"),
    ("40万元", 400_000, "yuan", "exact"),
    ("10%以上", 10, "percent", "at_least"),
    ("1411户", 1411, "households", "exact"),
    ("500张", 500, "beds", "exact"),
    ("约2000万元", 20_000_000, "yuan", "about"),
    ("278万元", 2_780_000, "yuan", "exact"),
    ("33所", 33, "institutions", "exact"),
    ("6.6万人次", 66_000, "person_times", "exact"),
    ("3502万元", 35_020_000, "yuan", "exact"),
    ("60.94万元", 609_400, "yuan", "exact"),
    ("3000余万元", 30_000_000, "yuan", "more_than"),
    ("11.2万户", 112_000, "households", "exact"),
    ("159个村", 159, "villages", "exact"),
    ("194.8万平方米", 1_948_000, "m2", "exact"),
    ("66.87公里", 66.87, "km", "exact"),
    ("1200余名", 1200, "persons", "more_than"),
    ("598场", 598, "events", "exact"),
    ("6089套", 6089, "sets", "exact"),
    ("9辆", 9, "vehicles", "exact"),
    # xuzhou_2020h1_zh (Traditional)
    ("254場", 254, "events", "exact"),
    ("6238家", 6238, "institutions", "exact"),
    ("3.31萬人", 33_100, "persons", "exact"),
    ("7萬人", 70_000, "persons", "exact"),
    ("7810萬元", 78_100_000, "yuan", "exact"),
    ("2.08億元", 208_000_000, "yuan", "exact"),
    ("1.4萬余人次", 14_000, "person_times", "more_than"),
    ("3.98億元", 398_000_000, "yuan", "exact"),
    ("253公裡", 253, "km", "exact"),
    ("78.8萬輛", 788_000, "vehicles", "exact"),
    ("7000名", 7000, "persons", "exact"),
    ("152.8%", 152.8, "percent", "exact"),
    ("46.07萬職工", 460_700, "persons", "exact"),
    ("12.9萬人", 129_000, "persons", "exact"),
    # zaozhuang_2022h1_en (machine translation)
    ("154,000 urban and rural public welfare positions", 154_000, "posts", "exact"),
    ("201,000 urban employment", 201_000, "persons", "exact"),
    ("3,775 employment", 3775, "persons", "exact"),
    ("133,000 low -income women", 133_000, "persons", "exact"),
    ("about 20 million yuan", 20_000_000, "yuan", "about"),
    ("1.948 million square meters", 1_948_000, "m2", "exact"),
    ("33 new primary and secondary schools", 33, "institutions", "exact"),
    ("more than 30 million yuan", 30_000_000, "yuan", "more_than"),
    ("More than 1220 items", 1220, "items", "more_than"),
    # zaozhuang_2022ytd_en
    ("169,000 degrees", 169_000, "seats", "exact"),
    ("more than 60 million yuan", 60_000_000, "yuan", "more_than"),
    ("68.76 million yuan", 68_760_000, "yuan", "exact"),
    ("21,000 people", 21_000, "persons", "exact"),
    ("240 nursing beds", 240, "beds", "exact"),
    ("more than 3,000 teachers", 3000, "persons", "more_than"),
    ("1.4823 million yuan", 1_482_300, "yuan", "exact"),
    ("481 teachers", 481, "persons", "exact"),
    ("11,000 degrees", 11_000, "seats", "exact"),
    ("2.2 billion yuan", 2_200_000_000, "yuan", "exact"),
    ("1495 square kilometers", 1495, "km2", "exact"),
    ("1.57 million", 1_570_000, "count", "exact"),
    ("more than 1,100 tons", 1100, "tons", "more_than"),
    # linyi_2022plan_en
    ("47,300 urban -rural public welfare positions", 47_300, "posts", "exact"),
    ("no less than 5,000 primary and secondary school teachers", 5000, "persons", "at_least"),
    ("no less than 2,900 kindergarten teachers", 2900, "persons", "at_least"),
    ("17 new and expanded kindergartens", 17, "institutions", "exact"),
    ("more than 2.2 billion yuan", 2_200_000_000, "yuan", "more_than"),
    ("above 85%", 85, "percent", "more_than"),
    ("2.49 million rural residents", 2_490_000, "persons", "exact"),
    ("159,000 household", 159_000, "households", "exact"),
    ("1,000 kilometers", 1000, "km", "exact"),
    ("800 nursing pension beds", 800, "beds", "exact"),
    # forms the articles do not use but researchers will meet
    ("百分之七十六点七", 76.7, "percent", "exact"),
    ("百分之50", 50, "percent", "exact"),
    ("１２３４５元", 12345, "yuan", "exact"),
    ("超过3000人", 3000, "persons", "more_than"),
    ("逾万人", 10_000, "persons", "more_than"),  # 万 without digits after a bound
    ("至少2所", 2, "institutions", "at_least"),
    ("不超过30%", 30, "percent", "at_most"),
    ("500人以内", 500, "persons", "at_most"),
    ("近3年", 3, "years", "about"),
    ("up to 100 people", 100, "persons", "at_most"),
    ("nearly 1,000 households", 1000, "households", "about"),
    ("0.5 percentage points", 0.5, "percentage_points", "exact"),
    ("3千米", 3, "km", "exact"),
]
CASES = [c for c in CASES if c[1] is not None]


@pytest.mark.parametrize("text, value, unit, qualifier", CASES, ids=[c[0] for c in CASES])
def test_article_strings(text, value, unit, qualifier):
    q = parse_quantity(text)
    assert (q.value, q.unit, q.qualifier) == (pytest.approx(value, rel=1e-12), unit, qualifier)
    assert not q.flags


def test_enough_cases_from_every_script():
    assert len(CASES) >= 60
    assert any(re.search("[萬億場]", c[0]) for c in CASES) and any("万" in c[0] for c in CASES)
    assert sum(c[0][0].isascii() for c in CASES) >= 20


@pytest.mark.parametrize("text, low, high", [("1-2 counties", 1, 2), ("10-15", 10, 15), ("1-3 municipal departments", 1, 3),
                                             ("1至2所", 1, 2)])
def test_ranges_are_a_low_and_a_high_bound(text, low, high):
    q = parse_quantity(text)
    assert (q.value, q.high, q.qualifier) == (low, high, "range")


@pytest.mark.parametrize("text, per, value, unit", [
    ("4,500 yuan per year", "year", 4500, "yuan"),
    ("5,000 yuan per year", "year", 5000, "yuan"),
    ("1432 games a year", "year", 1432, "events"),
    ("每人1000元", "person", 1000, "yuan"),
    ("4500元/年", "year", 4500, "yuan"),
])
def test_rates_are_recorded(text, per, value, unit):
    q = parse_quantity(text)
    assert (q.per, q.value, q.unit) == (per, value, unit)


@pytest.mark.parametrize("text", ["", "民生支出", "more than", "7月5日", "B4", "12345热线", "5-3", "12th", "百分之abc"])
def test_not_a_quantity_raises_quoting_the_text(text):
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_quantity(text)


def test_unknown_unit_word_is_kept_and_flagged():
    q = parse_quantity("290 grass -roots courier outlets")
    assert (q.unit, q.unit_text) == ("unknown", "grass") and "unknown_unit" in q.flags
    q = parse_quantity("3675政务服务事项")
    assert (q.unit, q.unit_text) == ("unknown", "政") and "unknown_unit" in q.flags


def test_every_unit_is_documented_and_words_unique():
    seen = {}
    for unit, (zh, en, desc) in UNITS.items():
        assert desc
        for w in zh + en:
            assert w not in seen, f"{w!r} maps to {seen[w]} and {unit}"
            seen[w] = unit


def test_to_simplified_keeps_length_and_offsets():
    raw = analysis.read_article("xuzhou_2020h1_zh", body_only=False)
    simple = to_simplified(raw)
    assert len(simple) == len(raw) and "万岗次" in simple and "萬" not in simple


# --- property tests: render random numbers the way the articles do, parse them back exactly ---
decimals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2).map(lambda d: d.normalize())
ZH_MULT = {"": 1, "万": 10**4, "亿": 10**8, "萬": 10**4, "億": 10**8}
EN_MULT = {"": 1, " thousand": 10**3, " million": 10**6, " billion": 10**9}


def _plain(d: Decimal) -> str:
    return format(d, "f")


@settings(max_examples=300, deadline=None)
@given(d=decimals, mult=st.sampled_from(sorted(ZH_MULT)), unit=st.sampled_from(["元", "人", "人次", "所", "户", "张"]),
       qual=st.sampled_from([("", "exact"), ("不少于", "at_least"), ("约", "about"), ("超过", "more_than")]))
def test_chinese_renderings_round_trip(d, mult, unit, qual):
    q = parse_quantity(f"{qual[0]}{_plain(d)}{mult}{unit}")
    assert q.value == float(d * ZH_MULT[mult])
    assert q.qualifier == qual[1] and q.unit == analysis.core.quantities._ZH_UNIT[to_simplified(unit)]


@settings(max_examples=300, deadline=None)
@given(d=decimals, mult=st.sampled_from(sorted(EN_MULT)), unit=st.sampled_from(["yuan", "people", "households", "schools"]),
       comma=st.booleans(), qual=st.sampled_from([("", "exact"), ("no less than ", "at_least"), ("more than ", "more_than"),
                                                  ("about ", "about"), ("up to ", "at_most")]))
def test_english_renderings_round_trip(d, mult, unit, comma, qual):
    body = f"{d:,f}" if comma else _plain(d)
    q = parse_quantity(f"{qual[0]}{body}{mult} {unit}")
    assert q.value == float(d * EN_MULT[mult]) and q.qualifier == qual[1]
    assert q.unit == analysis.core.quantities._EN_UNIT[unit]


@settings(max_examples=200, deadline=None)
@given(d=decimals, pp=st.booleans())
def test_percent_renderings_round_trip(d, pp):
    q = parse_quantity(f"{_plain(d)}{'个百分点' if pp else '%'}")
    assert (q.value, q.unit) == (float(d), "percentage_points" if pp else "percent")


# --- the mention index ---
SOURCE_IDS = list(analysis.load_sources()["source_id"])


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_mention_index_covers_every_digit_and_slices_exactly(source_id):
    body = analysis.read_article(source_id)
    df = analysis.find_quantities(body)
    covered = set()
    for row in df.itertuples():
        assert body[row.start:row.end] == row.match
        assert row.match in row.sentence and body[row.sentence_start:].startswith(row.sentence)
        covered.update(range(row.start, row.end))
    digits = [m.start() for m in re.finditer(r"[0-9０-９]", body)]
    missed = [body[max(0, i - 10):i + 10] for i in digits if i not in covered]
    assert not missed, missed
    # numbers in words and characters: every English number word, and every numeral character that
    # carries a multiplier or a unit word, lies in a mention unless it stands in a word that is no number
    from analysis.core.numerals import EN_WORDS
    from analysis.core.quantities import _NOT_NUMBERS, _ZH_UNIT

    simple = to_simplified(body)
    stop = set()
    for m in _NOT_NUMBERS.finditer(simple):
        stop.update(range(m.start(), m.end()))
    units = "|".join(sorted(map(re.escape, _ZH_UNIT), key=len, reverse=True))
    words = re.finditer(rf"(?<![A-Za-z])(?i:{EN_WORDS})(?![A-Za-z])", simple)
    chars = re.finditer(rf"[十百千万亿壹贰叁肆伍柒捌玖拾佰仟]|[一二两三四五六七八九](?={units})", simple)
    missed = [simple[max(0, m.start() - 8):m.end() + 8] for m in list(words) + list(chars)
              if m.start() not in covered and m.start() not in stop]
    assert not missed, missed
    assert (df["start"].diff().dropna() > 0).all()


def test_mention_index_values_match_the_article():
    df = analysis.find_quantities(analysis.read_article("xuzhou_2020h1_zh")).set_index("match")
    assert df.loc["15.7萬崗次", "value"].iloc[0] == 157_000
    assert df.loc["6月30日", "kind"] == "date"
    assert math.isnan(df.loc["4K", "value"])


# --- numbers written in characters and words: render at random, read back exactly ---
def _zh_section(n: int, digits: str, places: str) -> str:
    """n < 10000 in characters, with 零 for a gap (一千零五)."""
    out, zero = "", False
    for i, p in ((3, places[2]), (2, places[1]), (1, places[0]), (0, "")):
        d = n // 10**i % 10
        if d:
            if zero and out:
                out += digits[0]
            out += digits[d] + p
            zero = False
        else:
            zero = True
    return out


def _zh(n: int, financial: bool = False) -> str:
    digits = "零壹贰叁肆伍陆柒捌玖" if financial else "零一二三四五六七八九"
    places = "拾佰仟" if financial else "十百千"
    if n == 0:
        return digits[0]
    parts = []
    for big, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        sec = n // big % 10_000 if big < 10**8 else n // big
        if sec:
            text = _zh_section(sec, digits, places) + name
            if parts and (sec < 1000):
                text = digits[0] + text  # 一万零五百
            parts.append(text)
        elif parts:
            parts.append("")
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(n=st.integers(min_value=1, max_value=9_999_9999_9999 // 10), financial=st.booleans(),
       unit=st.sampled_from(["元", "人", "所", "户", "张", "万元"]))
def test_numbers_in_characters_round_trip(n, financial, unit):
    if unit == "万元":
        n = n % 10_000 or 1  # 一万零五万元 is no way to write a number
    text = _zh(n, financial) + unit
    # 陆 (financial six) alone is also the everyday 陆 (land): read as a numeral only beside another financial one
    assume(not financial or set(text) & set("壹贰叁肆伍柒捌玖拾佰仟"))
    q = parse_quantity(text)
    mult = 10_000 if unit == "万元" else 1
    assert q.value == n * mult, text
    df = analysis.find_quantities(f"全市共计{text}。")
    assert df["match"].tolist() == [text] and df["value"].tolist() == [n * mult]


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(min_value=0, max_value=999), frac=st.integers(min_value=1, max_value=99))
def test_chinese_decimals_round_trip(whole, frac):
    digits = "零一二三四五六七八九"
    fs = str(frac).rstrip("0")
    text = "百分之" + (_zh(whole) if whole else "零") + "点" + "".join(digits[int(c)] for c in fs)
    assert parse_quantity(text).value == float(Decimal(f"{whole}.{fs}"))


_EN_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
           "seventeen eighteen nineteen".split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _en_below_1000(n: int) -> str:
    words = []
    if n >= 100:
        words += [_EN_ONES[n // 100], "hundred"]
        n %= 100
        if n:
            words.append("and")
    if n >= 20:
        words.append(_EN_TENS[n // 10] + (f"-{_EN_ONES[n % 10]}" if n % 10 else ""))
    elif n:
        words.append(_EN_ONES[n])
    return " ".join(words)


def _en(n: int) -> str:
    parts = []
    for big, name in ((10**6, "million"), (1000, "thousand"), (1, "")):
        sec = n // big % 1000
        if sec:
            parts.append((_en_below_1000(sec) + " " + name).strip())
    return " ".join(parts)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(min_value=1, max_value=999_999_999), cap=st.booleans())
def test_numbers_in_english_words_round_trip(n, cap):
    words = _en(n)
    text = (words[0].upper() + words[1:] if cap else words) + " people"
    q = parse_quantity(text)
    assert (q.value, q.unit) == (n, "persons"), text


@pytest.mark.parametrize("text, match, unit", [
    ("most of the 15 livelihood projects it promised residents were on track", "15 livelihood projects", "items"),
    ("It opened 5 day care centers.", "5 day care centers", "sites"),
    ("The city trained 2,300 people in May.", "2,300 people", "persons"),
])
def test_the_first_english_unit_noun_ends_the_phrase_unless_it_qualifies_the_next(text, match, unit):
    q = analysis.find_quantities(text)
    q = q[q["kind"] == "quantity"]
    assert (q["match"].iloc[0], q["unit"].iloc[0]) == (match, unit)
