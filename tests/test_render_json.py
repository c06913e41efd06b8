"""brief.json is the public contract `briefing.brief/1`: its text is `Brief.dumps()` byte for byte,
whichever serializer the writer uses."""

from dataclasses import replace

import pytest

from briefing.model import Metadata, Source
from briefing.render import jsonout
from briefing.render.markdown import Rendered
from briefing.templates import Templates
from tests.samples import sample_brief


def written(brief, tmp_path) -> bytes:
    jsonout.write(Rendered(brief, Templates.default()), tmp_path / "brief.json")
    return (tmp_path / "brief.json").read_bytes()


def awkward_brief():
    """Text and numbers that JSON serializers are known to write differently."""
    brief = sample_brief()
    odd = Source("S4", "seeds/odd\tname \"quoted\" \\ back.txt", "d" * 64, "Text.",
                 metadata=Metadata(title="Control \x00\x1f\x7f, line\nbreak, \u2028 and \u2029", author="Әлия Қасымова",
                                   publication="Emoji 📰 Times", url="https://example.org/?a=1&b=<2>"))
    stats = {**brief.stats, "big": 2 ** 70, "negative": -3, "zero": 0.0, "half": 0.5, "third": 1 / 3,
             "large": 1e16, "huge": 1.5e300, "empty_list": [], "empty_map": {}, "none": None, "yes": True}
    return replace(brief, sources=brief.sources + (odd,), stats=stats,
                   changes={"since": "2022-10-01T00:00:00+00:00", "new_sources": [], "new_items": []})


@pytest.mark.parametrize("make", [sample_brief, awkward_brief])
def test_brief_json_is_brief_dumps_byte_for_byte(make, tmp_path):
    brief = make()
    assert written(brief, tmp_path) == brief.dumps().encode("utf-8")


@pytest.mark.parametrize("small", [1e-05, 7.974042475543028e-05, 1e-07, -2.5e-09])
def test_a_small_float_is_written_as_python_writes_it(small, tmp_path):
    brief = replace(sample_brief(), stats={**sample_brief().stats, "threshold": small})
    text = written(brief, tmp_path)
    assert text == brief.dumps().encode("utf-8")
    assert f'"threshold": {small!r}'.encode() in text  # `1e-05`, not `0.00001`


def test_the_quick_check_for_small_floats_finds_every_form_pydantic_writes():
    assert jsonout.may_hold_small_float(b'{"a": 0.00001}')
    assert jsonout.may_hold_small_float(b'{"a": 1.5e-7}')
    assert not jsonout.may_hold_small_float(b'{"a": 0.0001, "b": 1e-10, "c": "state-1 e-2", "d": 1e+16}')
