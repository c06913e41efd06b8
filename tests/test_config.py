"""Config and themes files: validated up front, errors name the file, the line and the key."""

import itertools
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from briefing.config import ConfigError, Settings, load_settings, load_themes, themes_of

THEMES = """themes:
  - id: labour
    title: Labour
    description: Strikes.
    keywords:
      strike: 3
"""


def test_default_themes_load():
    ids = [t.id for t in themes_of(Settings())]
    assert ids == ["respect-sovereignty", "csto-weakness", "china-role", "western-outreach"]


def test_broken_yaml_names_the_file_and_line(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(THEMES + "  - id: [unclosed\n")
    with pytest.raises(ConfigError, match=r"themes\.yaml:8: not valid YAML: .*starts at line 7"):
        load_themes(path)


def test_a_key_given_twice_is_refused_with_its_line(tmp_path):
    # YAML keeps the last silently: the analyst's china: 3 weighed 2, and nothing said so.
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  - id: a\n    title: China\n    keywords:\n      china: 3\n      beijing: 2\n"
                    "      china: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_themes(path)
    assert str(err.value) == (f"{path}:7: 'china' is given twice in one mapping; the second would silently "
                              "replace the first")
    settings = tmp_path / "briefing.yaml"
    settings.write_text("title: One\nseeds: here\ntitle: Two\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"briefing.yaml:3: 'title' is given twice"):
        load_settings(settings)


def test_a_bad_value_names_the_key_and_its_line(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(THEMES.replace("strike: 3", "strike: -1"))
    with pytest.raises(ConfigError) as err:
        load_themes(path)
    assert "themes.yaml:6: themes[0].keywords: weight of 'strike'" in str(err.value)
    assert "must be above 0" in str(err.value)


@pytest.mark.parametrize("name, text, message", [
    ("themes.yaml", "themes:\n  - id: port\n    description: Strikes.\n", "2: themes[0].title: required, but not given"),
    ("themes.yaml", "themes:\n  - id: port\n    title: Port\n    keywords: {strike: lots}\n",
     "4: themes[0].keywords.strike: must be a number, not 'lots'"),
    # YAML reads an unquoted 2022 as a number: "themes[0].keywords[2022].[key]: must be text, not 2022"
    ("themes.yaml", "themes:\n  - id: port\n    title: Port\n    keywords: {strike: 3, 2022: 1}\n",
     "4: themes[0].keywords: 2022 is read as a number, not a word: write it in quotes ('2022') to use it as a keyword"),
    ("themes.yaml", "themes:\n  - id: port\n    title: Port\n    keywords: [strike, 1905]\n",
     "4: themes[0].keywords: 1905 is read as a number, not a word: write it in quotes ('1905') to use it as a keyword"),
    ("briefing.yaml", "selection:\n  words_per_theme: many\n",
     "2: selection.words_per_theme: must be a whole number, not 'many'"),
    ("briefing.yaml", "selection:\n  min_relevance: 2\n", "2: selection.min_relevance: must be at most 1.0, not 2"),
    ("briefing.yaml", "formats: pdf\n",
     "1: formats: must be a list ([a, b] or one item a line, each after '- '), not 'pdf'"),
    ("briefing.yaml", "selection: [a]\n", "1: selection: must be a mapping (key: value, one a line), not ['a']"),
    # found only when the build came to write, naming no file, line or key (and not at all under --format)
    ("briefing.yaml", "formats: [pdf, xml]\n",
     "1: formats[1]: unknown format 'xml'; choose from md, json, docx, pdf, html or all"),
    ("briefing.yaml", "title: Port\nformats:\n  - md\n  - PDF\n",
     "4: formats[1]: unknown format 'PDF'; choose from md, json, docx, pdf, html or all"),
    # pydantic read a number as seconds since 1970 and said "Datetimes provided to dates should have zero time"
    ("briefing.yaml", "since: 20220101\n", "1: since: must be a date written YYYY-MM-DD (2022-01-31), not 20220101"),
    ("briefing.yaml", "since: 0\n", "1: since: must be a date written YYYY-MM-DD (2022-01-31), not 0"),
    ("briefing.yaml", "since: 2022-02-30\n", "1: since: '2022-02-30' is no day of the calendar"),
    # pydantic's words: "Input should be a finite number", "Input is not a valid path for <class
    # 'pathlib.Path'>", "Unable to parse input string as an integer, exceeded maximum size"; `themes: 5`
    # gave two errors, one of each branch
    ("briefing.yaml", "selection:\n  min_relevance: .nan\n", "2: selection.min_relevance: must be a finite number, not nan"),
    ("briefing.yaml", "recency:\n  half_life_days: .inf\n", "2: recency.half_life_days: must be a finite number, not inf"),
    ("briefing.yaml", "seeds: [a, b]\n", "1: seeds: must be a path (a file or folder name), not ['a', 'b']"),
    ("briefing.yaml", "out:\n", "1: out: must be a path (a file or folder name), not None"),
    ("briefing.yaml", "themes: 5\n", "1: themes: must be the path of a themes file or a list of themes, not 5"),
    ("briefing.yaml", "selection:\n  words_per_theme: " + "9" * 5000 + "\n",
     "2: selection.words_per_theme: must be a whole number, not '" + "9" * 56 + "…"),
    # each was the size of a read buffer: a traceback (OverflowError, MemoryError) at the first file
    ("briefing.yaml", "limits:\n  max_file_bytes: 99999999999999999999999\n",
     "2: limits.max_file_bytes: must be at most 1000000000, not 99999999999999999999999"),
    ("briefing.yaml", "limits:\n  max_metadata_bytes: 100000000000000\n",
     "2: limits.max_metadata_bytes: must be at most 1000000000, not 100000000000000"),
    # an empty path was the config file's own folder, where the cache was written among the analyst's files
    ("briefing.yaml", 'cache: ""\n', "1: cache: is empty: give a path ('.' for the config file's own folder)"),
    ("briefing.yaml", "title: Port\nseeds: ''\n", "2: seeds: is empty: give a path ('.' for the config file's own folder)"),
])
def test_mistakes_in_a_themes_or_config_file_are_told_in_plain_words(tmp_path, name, text, message):
    # pydantic's own words ("Field required", "Input should be a valid number, unable to parse string
    # as a number") were what an analyst read.
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        (load_themes if name == "themes.yaml" else load_settings)(path)
    assert str(err.value) == f"{path}:{message}"


def test_an_unknown_key_is_an_error_not_ignored(tmp_path):
    path = tmp_path / "briefing.yaml"
    path.write_text("title: Brief\nselection:\n  items_per_theme: 4\n  itmes: 3\n")
    with pytest.raises(ConfigError, match=r"briefing\.yaml:4: selection\.itmes: unknown key"):
        load_settings(path)


def test_keywords_may_be_a_list_or_left_out(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  - id: labour\n    title: Labour\n    keywords: [strike, collective bargaining]\n"
                    "  - id: trade\n    title: Trade and shipping\n    description: Exports.\n")
    labour, trade = load_themes(path)
    assert labour.keywords == {"strike": 1.0, "collective bargaining": 1.0}
    assert trade.keywords == {} and trade.terms() == {}
    path.write_text("themes:\n  - id: labour\n    title: Labour\n    keywords:\n      strike:\n      union: 2\n")
    assert load_themes(path)[0].keywords == {"strike": 1.0, "union": 2.0}  # a keyword without its weight weighs 1
    path.write_text("themes:\n  - id: labour\n    title: Labour\n    keywords: [strike, 3]\n")
    with pytest.raises(ConfigError, match=r"themes\.yaml:4: themes\[0\]\.keywords: 3 is read as a number"):
        load_themes(path)
    path.write_text("themes:\n  - id: labour\n    title: Labour\n    keywords: strike\n")
    with pytest.raises(ConfigError, match=r"themes\.yaml:4: themes\[0\]\.keywords: must be a list of words"):
        load_themes(path)


def test_duplicate_theme_ids_are_refused(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(THEMES + THEMES.split("\n", 1)[1])
    with pytest.raises(ConfigError, match="used twice"):
        load_themes(path)


def test_a_themes_file_may_be_the_list_alone(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(THEMES.split("\n", 1)[1].replace("\n  ", "\n").removeprefix("  "))
    assert [t.id for t in load_themes(path)] == ["labour"]
    path.write_text("- id: labour\n  title: Labour\n- id: two words\n  title: Trade\n")
    with pytest.raises(ConfigError, match=r"themes\.yaml:3: themes\[1\]\.id: 'two words' is not an id"):
        load_themes(path)


def test_theme_ids_take_underscores_and_capitals_and_a_bad_one_says_what_an_id_is(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text(THEMES.replace("id: labour", "id: Labour_unrest-2"))
    assert load_themes(path)[0].id == "Labour_unrest-2"
    path.write_text(THEMES.replace("id: labour", "id: labour unrest"))
    with pytest.raises(ConfigError, match=r"themes\.yaml:2: themes\[0\]\.id: 'labour unrest' is not an id: letters"):
        load_themes(path)
    path.write_text(THEMES + THEMES.split("\n", 1)[1].replace("id: labour", "id: LABOUR"))
    with pytest.raises(ConfigError, match="used twice"):
        load_themes(path)


def test_paths_in_a_config_are_relative_to_it(tmp_path):
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "briefing.yaml"
    path.write_text("seeds: ../articles\nthemes: mythemes.yaml\n")
    (tmp_path / "conf" / "mythemes.yaml").write_text(THEMES)  # a themes file that is missing is an error
    settings = load_settings(path)
    assert settings.seeds == tmp_path / "conf" / "../articles"
    assert settings.themes == tmp_path / "conf" / "mythemes.yaml"


def test_a_missing_templates_folder_or_themes_file_names_the_configs_key_and_line(tmp_path):
    # It named only the folder (`cfg/nonexist: templates folder not found`), which the analyst never wrote.
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "briefing.yaml"
    path.write_text("title: Port\ntemplates: nonexist\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value) == f"{path}:2: templates: folder not found: {tmp_path / 'conf' / 'nonexist'}"
    path.write_text("title: Port\n\nthemes: nowhere.yaml\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value) == f"{path}:3: themes: file not found: {tmp_path / 'conf' / 'nowhere.yaml'}"
    path.write_text("themes: .\n")
    with pytest.raises(ConfigError, match=r"briefing\.yaml:1: themes: a folder, not a themes file: "):
        load_settings(path)
    path.write_text("templates: briefing.yaml\n")
    with pytest.raises(ConfigError, match=r"briefing\.yaml:1: templates: not a folder: "):
        load_settings(path)


def test_a_config_that_is_no_regular_file_is_not_called_missing(tmp_path):
    from briefing.config import find_config

    with pytest.raises(ConfigError) as err:
        find_config(Path("/dev/null"), tmp_path)
    assert str(err.value) == "/dev/null: not a regular file (a device, pipe or socket), not a config file"
    with pytest.raises(ConfigError) as err:
        find_config(tmp_path, tmp_path)
    assert str(err.value) == f"{tmp_path}: is a folder, not a config file"
    with pytest.raises(ConfigError) as err:
        find_config(tmp_path / "none.yaml", tmp_path)
    assert str(err.value) == f"{tmp_path / 'none.yaml'}: config file not found"


def test_inline_themes_in_the_config(tmp_path):
    path = tmp_path / "briefing.yaml"
    path.write_text("title: Port\n" + THEMES)
    assert [t.id for t in themes_of(load_settings(path))] == ["labour"]


def test_word_limits_out_of_order_are_a_config_error(tmp_path):
    from briefing.config import ConfigError, load_settings

    path = tmp_path / "briefing.yaml"
    path.write_text("selection:\n  min_words: 100\n  max_words: 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="min_words \\(100\\) is above max_words \\(5\\)"):
        load_settings(path)


def test_every_selection_setting_is_documented_in_the_readme():
    from pathlib import Path

    from briefing.config import Selection

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("selection:"):readme.index("limits:", readme.index("selection:"))]
    for key, field in Selection.model_fields.items():
        if isinstance(field.default, BaseModel):  # a group of weights, one a line, indented below its key
            lines = block[block.index(f"\n  {key}:") + 1:].splitlines()[1:]
            group = "\n".join(itertools.takewhile(lambda line: line.startswith("    "), lines))
            for name, value in field.default.model_dump().items():
                assert re.search(rf"^    {name}: {value}\b", group, re.M), (key, name)
        else:
            assert f"\n  {key}: {field.default}" in block, key


def test_score_weights_must_weigh_something(tmp_path):
    path = tmp_path / "briefing.yaml"
    path.write_text("selection:\n  score_weights:\n    relevance: 0\n    centrality: 0\n    corroboration: 0\n"
                    "    informativeness: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="selection.score_weights: at least one weight must be above 0"):
        load_settings(path)
    path.write_text("selection:\n  judgment_weights:\n    lead: 1\n    relevence: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="selection.judgment_weights.relevence: unknown key"):
        load_settings(path)
    path.write_text("selection:\n  judgment_weights:\n    lead: 1\n", encoding="utf-8")
    weights = load_settings(path).selection.judgment_weights.normalised()
    assert weights["lead"] == pytest.approx(1 / 1.85) and weights["corroboration"] == pytest.approx(0.3 / 1.85)


def test_a_mistake_in_aliases_names_the_aliases_line_not_the_theme_s(tmp_path):
    # It named the theme's first line and "themes[0]: aliases:", a screen above the mistake in a long theme.
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  - id: china\n    title: China\n    keywords: [china, beijing]\n"
                    "    aliases:\n      China: [chinese]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_themes(path)
    assert str(err.value) == f"{path}:6: themes[0].aliases: 'China' is not one of this theme's keywords"
    path.write_text("themes:\n  - id: china\n    title: China\n    keywords: [china]\n"
                    "    aliases:\n      china: [chinese, '*']\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_themes(path)
    assert str(err.value) == (f"{path}:6: themes[0].aliases: '*' has no letter or digit: aliases are matched as "
                              "words, not as patterns")


def test_every_config_key_is_documented_in_the_readme():
    # `template:` (as --template) was a key the config took but README's Configuration never showed.
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## Configuration"):readme.index("### Themes")]
    for key in Settings.model_fields:
        assert re.search(rf"^{key}:", block, re.M), key
