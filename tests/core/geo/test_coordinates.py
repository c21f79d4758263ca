"""Coordinates in any CRS: known conversions, DD and DMS, typed input and why it is refused."""

import pytest

from gisapp.core.geo.coordinates import (
    PRESET_CRSS,
    CoordinateError,
    convert,
    format_dms,
    format_point,
    gauss_kruger_zone,
    parse_crs,
    parse_point,
)


def test_gauss_kruger_zones_around_dalian():
    # On a zone's central meridian the easting is the false easting and the equator is y = 0.
    assert convert(120, 0, "EPSG:4326", "EPSG:4549") == pytest.approx((500_000, 0), abs=1e-6)
    assert convert(123, 0, "EPSG:4326", "EPSG:4550") == pytest.approx((500_000, 0), abs=1e-6)
    assert convert(120, 0, "EPSG:4326", "EPSG:4528") == pytest.approx((40_500_000, 0), abs=1e-6)
    assert convert(123, 0, "EPSG:4326", "EPSG:4529") == pytest.approx((41_500_000, 0), abs=1e-6)
    # The zone-prefixed and plain CRSs of one zone differ by the prefix only.
    plain = convert(121.6, 38.9, "EPSG:4326", "EPSG:4550")
    prefixed = convert(121.6, 38.9, "EPSG:4326", "EPSG:4529")
    assert prefixed[0] - plain[0] == pytest.approx(41_000_000, abs=1e-6) and prefixed[1] == pytest.approx(plain[1])
    assert gauss_kruger_zone(121.49) == 40 and gauss_kruger_zone(121.5) == 41 and gauss_kruger_zone(123) == 41
    assert {"EPSG:4549", "EPSG:4550", "EPSG:4528", "EPSG:4529", "EPSG:4490"} <= set(PRESET_CRSS)


def test_round_trip_through_every_preset():
    for crs in PRESET_CRSS:
        x, y = convert(121.58, 38.89, "EPSG:4326", crs)
        assert convert(x, y, crs, "EPSG:4326") == pytest.approx((121.58, 38.89), abs=1e-9)


def test_dd_and_dms():
    assert format_dms(121.6, 38.9) == "121°36′00.00″E, 38°54′00.00″N"
    assert format_dms(-0.5, -33.8688) == "0°30′00.00″W, 33°52′07.68″S"
    assert format_point(121.6, 38.9, "EPSG:4490") == ("121.600000, 38.900000", "121°36′00.00″E, 38°54′00.00″N")
    assert format_point(500000, 4300000.12345, "EPSG:4549") == ("500000.000, 4300000.123", "")


@pytest.mark.parametrize(("text", "crs", "expected"), [
    ("121.6, 38.9", "EPSG:4326", (121.6, 38.9)),
    ("121.6 38.9", "EPSG:4326", (121.6, 38.9)),
    ("121.6，38.9", "EPSG:4490", (121.6, 38.9)),
    ("121°36′E, 38°54′N", "EPSG:4326", (121.6, 38.9)),
    ("121°36'00\"E 38°54'00\"N", "EPSG:4326", (121.6, 38.9)),
    ("413000; 4306000", "EPSG:4550", (413000, 4306000)),
    ("41413000, 4306000", "EPSG:4529", (41413000, 4306000)),
])
def test_typed_points(text, crs, expected):
    assert parse_point(text, crs) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "crs", "key", "zh"), [
    ("", "EPSG:4326", "empty", "请输入坐标"),
    ("1, 2, 3", "EPSG:4326", "count", "得到 3 个"),
    ("abc, 3", "EPSG:4326", "number", "“abc”不是数字"),
    ("38.9, 121.6", "EPSG:4326", "latitude", "纬度 121.6 超出 ±90°"),
    ("200, 10", "EPSG:4326", "longitude", "经度 200 超出 ±180°"),
    ("413000, 4306000", "EPSG:4529", "zone_prefix", "应以 41 开头"),
    ("0, 0", "EPSG:4549", "outside", "EPSG:4549 的适用范围"),
])
def test_refused_input_says_why_in_both_languages(text, crs, key, zh):
    with pytest.raises(CoordinateError) as caught:
        parse_point(text, crs)
    assert caught.value.key == key
    assert zh in caught.value.text("zh")
    assert caught.value.text("en") and caught.value.text("en") != caught.value.text("zh")


def test_crs_codes_as_people_type_them():
    assert parse_crs("4549") == parse_crs("epsg:4549") == parse_crs("EPSG 4549") == "EPSG:4549"
    with pytest.raises(CoordinateError) as caught:
        parse_crs("99999")
    assert caught.value.key == "crs" and "99999" in caught.value.text("zh")
