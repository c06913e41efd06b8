"""Settings and themes: loaded once, validated up front, with errors that name the file, line and key."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from briefing import safeyaml
from briefing.render import FORMATS
from briefing.templates import default_templates_dir

_HAS_WORD = re.compile(r"[^\W_]")

CONFIG_NAMES = ("briefing.yaml", "briefing.yml")


class ConfigError(Exception):
    """A config or themes file a user must fix; the message names the file and the place."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _unwritable(text: str, allowed: str = "") -> str | None:
    """Why `text` cannot be written into every format as it is (a control character, a
    non-character or a lone surrogate, which DOCX's XML refuses), or None."""
    for c in text:
        code = ord(c)
        if c not in allowed and (code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000
                                 or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE):
            return f"holds the character U+{code:04X}, which cannot be written into a document"
    return None


def _one_line(value: str) -> str:
    problem = _unwritable(value)
    if problem:
        raise ValueError(f"must be one line of text; it {problem}")
    return value


def _titled(value: str) -> str:
    """A title: one line with something to read (an empty one left a brief or a section headed '# ')."""
    _one_line(value)
    if not value.strip():
        raise ValueError("is empty: give a title")
    return value


def _not_a_number(term: Any) -> None:
    """A keyword YAML read as a number (`1905`, unquoted) is told as one, with the cure."""
    if isinstance(term, (int, float)) and not isinstance(term, bool):
        raise ValueError(f"{term!r} is read as a number, not a word: write it in quotes ('{term!r}') to use it "
                         "as a keyword")


THEME_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


class Theme(_Strict):
    id: str
    title: str = Field(min_length=1)
    description: str = ""
    keywords: dict[str, float] = Field(default_factory=dict)
    aliases: dict[str, list[str]] = Field(default_factory=dict)

    _title_one_line = field_validator("title")(_titled)

    @field_validator("id")
    @classmethod
    def _plain_id(cls, value: str) -> str:
        if not THEME_ID.fullmatch(value):
            raise ValueError(f"{value!r} is not an id: letters, digits, hyphens and underscores, "
                             "starting with a letter or digit (china-role, china_role)")
        return value

    @field_validator("keywords", mode="before")
    @classmethod
    def _listed_keywords_weigh_one(cls, value: Any) -> Any:
        """`keywords: [energy, pipeline]` is `keywords: {energy: 1, pipeline: 1}`, and a keyword written
        without its weight (`energy:`) weighs 1; none at all, the title's and description's words stand
        for them (briefing.pipeline.themes.named_terms)."""
        if value is None:
            return {}
        if isinstance(value, list):
            for term in value:
                _not_a_number(term)
                if not isinstance(term, str):
                    raise ValueError(f"a keyword of a list must be a word or phrase, not {term!r}")
            return dict.fromkeys(value, 1.0)
        if not isinstance(value, dict):
            raise ValueError(f"must be a list of words ([energy, gas prices]) or words with weights "
                             f"({{energy: 3, gas prices: 2}}), not {value!r}")
        for term in value:
            _not_a_number(term)
        return {term: 1.0 if weight is None else weight for term, weight in value.items()}  # `energy:` weighs 1

    @field_validator("description")
    @classmethod
    def _writable(cls, value: str) -> str:
        problem = _unwritable(value, allowed="\n\t")
        if problem:
            raise ValueError(f"it {problem}")
        return value

    @field_validator("keywords")
    @classmethod
    def _positive_weights(cls, value: dict[str, float]) -> dict[str, float]:
        for term, weight in value.items():
            _one_line(term)
            if not term.strip():
                raise ValueError("a keyword is empty")
            if not _HAS_WORD.search(term):
                raise ValueError(f"{term!r} has no letter or digit: keywords are matched as words, not as patterns")
            if weight <= 0:
                raise ValueError(f"weight of {term!r} must be above 0, not {weight}")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_name_keywords(cls, value: dict[str, list[str]], info: ValidationInfo) -> dict[str, list[str]]:
        """Each alias names a keyword and is a word; an error is told on the aliases' own line (as a model
        check it was told on the theme's first line). Keywords that are themselves wrong are told
        first, and their aliases not checked against them."""
        keywords = info.data.get("keywords")
        for term, names in value.items():
            if keywords is not None and term not in keywords:
                raise ValueError(f"{term!r} is not one of this theme's keywords")
            if any(not n.strip() for n in names):
                raise ValueError(f"an alias of {term!r} is empty")
            for name in names:
                _one_line(name)
                if not _HAS_WORD.search(name):
                    raise ValueError(f"{name!r} has no letter or digit: aliases are matched as words, "
                                     "not as patterns")
        return value

    def terms(self) -> dict[str, float]:
        """Every keyword and alias with its weight (an alias weighs what its keyword does)."""
        out = dict(self.keywords)
        for term, names in self.aliases.items():
            for name in names:
                out[name] = max(out.get(name, 0.0), self.keywords[term])
        return out


class ThemesFile(_Strict):
    themes: list[Theme] = Field(min_length=1)

    @field_validator("themes")
    @classmethod
    def _unique_ids(cls, value: list[Theme]) -> list[Theme]:
        seen: set[str] = set()
        for theme in value:
            if theme.id.casefold() in seen:
                raise ValueError(f"theme id {theme.id!r} is used twice (ids are compared ignoring case)")
            seen.add(theme.id.casefold())
        return value


class _Weights(_Strict):
    @model_validator(mode="after")
    def _some_weight(self) -> _Weights:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one weight must be above 0")
        return self

    def normalised(self) -> dict[str, float]:
        """The weights divided by their sum."""
        weights = self.model_dump()
        total = sum(weights.values())
        return {name: w / total for name, w in weights.items()}


class ScoreWeights(_Weights):
    """How a sentence's score for its theme weighs its parts."""

    relevance: float = Field(0.55, ge=0, le=10)
    centrality: float = Field(0.2, ge=0, le=10)
    corroboration: float = Field(0.15, ge=0, le=10)
    informativeness: float = Field(0.1, ge=0, le=10)


class JudgmentWeights(_Weights):
    """How a key judgment's strength weighs its parts."""

    relevance: float = Field(0.25, ge=0, le=10)
    centrality: float = Field(0.3, ge=0, le=10)
    corroboration: float = Field(0.3, ge=0, le=10)
    lead: float = Field(0.15, ge=0, le=10)


class Standalone(_Strict):
    """How much a sentence that does not read alone is marked down: its score is multiplied by the
    factor of each mark it carries (1: not marked down; 0: never chosen alone). Of the three openings,
    the first that matches counts."""

    points_back: float = Field(0.5, ge=0, le=1)
    """Opens with a word that points back ("He also …", "These charges …", "A similar pledge …")."""
    connective: float = Field(0.8, ge=0, le=1)
    """Opens with a connective ("However, …", "Meanwhile …")."""
    conjunction: float = Field(0.9, ge=0, le=1)
    """Opens with "And" or "Or"."""
    unnamed_speaker: float = Field(0.5, ge=0, le=1)
    """Names its speaker only by a pronoun ("…," he said)."""
    damaged: float = Field(0.5, ge=0, le=1)
    """Damaged text, where a reference or link was stripped ("(, August 26)")."""
    garbled: float = Field(0.5, ge=0, le=1)
    """Garbled grammar, as machine translation leaves it ("some of the most its close allies")."""
    question: float = Field(0.3, ge=0, le=1)
    """A question."""
    unattributed_quote: float = Field(0.6, ge=0, le=1)
    """A quotation without its speaker."""
    in_quotation: float = Field(0.3, ge=0, le=1)
    """Inside a quotation that a sentence before it opened: someone's words, with neither quotation marks
    nor speaker ("There is huge damage to the infrastructure." from "“We fear … There is huge damage to
    the infrastructure. …,” the ambassador said")."""
    run_together: float = Field(0.8, ge=0, le=1)
    """Words a lost space ran together, as an extractor leaves them when a closing quotation mark goes
    with the space after it ("… Nothing else. Respectsaid Imomali Rahmon"): still read, not a key judgment."""


class Selection(_Strict):
    """What shapes the choice of sentences; every key is documented in the README (Configuration)."""

    words_per_theme: int = Field(150, ge=20, le=5000)
    items_per_theme: int = Field(12, ge=1, le=50)
    key_judgments: int = Field(4, ge=0, le=10)
    min_relevance: float = Field(0.2, ge=0, le=1)
    theme_margin: float = Field(1.25, ge=1)
    second_theme_fit: float | None = Field(0.85, gt=0, le=1)
    """A sentence whose fit to its second theme is at least this share of its fit to its best is a
    candidate of both (quoted once, under the first section that chooses it); null: of its best only."""
    min_score_ratio: float = Field(0.3, ge=0, le=1)
    min_relevance_ratio: float = Field(0.3, ge=0, le=1)
    keyword_share: float = Field(0.5, ge=0, le=1)
    keyword_relevance: float = Field(2.5, ge=0, le=10)
    """In a theme with keywords, relevance weighs this many times its `score_weights` weight before
    the weights are normalised: keywords an analyst wrote and weighed say what a theme is about more
    surely than the words of a plain title and description, so relevance leads more (1: as in a
    theme in plain words)."""
    description_weight: float = Field(0.2, ge=0, le=5)
    same_fact_similarity: float = Field(0.5, gt=0, lt=1)
    same_fact_overlap: float = Field(0.7, gt=0, le=1)
    similar_from: float = Field(0.25, ge=0, lt=1)
    redundancy: float = Field(1.0, ge=0, le=10)
    main_clause_weight: float = Field(0.5, ge=0, le=1)
    length_cost: float = Field(0.6, ge=0, le=1)
    coverage: float = Field(0.2, ge=0, le=10)
    keyword_coverage: float = Field(0.2, ge=0, le=10)
    centrality_bias: float = Field(0.5, ge=0, le=1)
    min_words: int = Field(7, ge=1, le=1000)
    max_words: int = Field(70, ge=5, le=1000)
    expansion_terms: int = Field(10, ge=0, le=50)
    expansion_weight: float = Field(0.3, ge=0, le=1)
    expansion_lift: float = Field(3.0, ge=1, le=1000)
    ambiguous_factor: float = Field(0.7, ge=0, le=1)
    judgment_quality: float = Field(0.9, ge=0, le=1)
    title_weight: float = Field(1.0, ge=0, le=5)
    """How much one word of a theme's title counts beside its heaviest keyword (each word of a theme in
    plain words weighs 1); a title word that is also a keyword counts the more of the two."""
    keyword_saturation: float = Field(3.0, ge=0.01, le=100)
    """The summed weight of the keywords a sentence uses at which their match counts 1 - 1/e (63%) of
    `keyword_share`; twice this, 86%: more keywords in one sentence add less and less."""
    feedback_sentences: int = Field(10, ge=2, le=1000)
    """A theme's most relevant sentences from which the corpus's words widen it (`expansion_terms`)."""
    expansion_sources: int = Field(2, ge=1, le=1000)
    """... a word the corpus adds is used there by at least this many sources."""
    typical_top: int = Field(5, ge=1, le=1000)
    """A theme's scale (relevance 1) is the mean relevance of its this many most relevant sentences,
    those that state the same fact (`same_fact_similarity`) counted once ..."""
    typical_top_share: float = Field(0.002, ge=0, le=1)
    """... or of this share of the corpus's sentences, when that is more."""
    typical_words: int = Field(20, ge=1, le=1000)
    """A sentence of this many words is worth its score; longer ones more, shorter ones less (see
    `length_cost`)."""
    informative_at: float = Field(8.0, gt=0, le=1000)
    """A sentence with this many names and figures is fully informative (1), one with fewer in
    proportion: a name is a capitalised word after the first, a figure a word with a digit, which
    counts `figure_weight` names."""
    figure_weight: float = Field(2.0, ge=0, le=100)
    """How many names one figure counts as, for `informative_at`."""
    corroborated_at: int = Field(3, ge=2, le=1000)
    """A fact that this many independent sources speak of (stating it, its contrary or an allegation of
    it) is fully corroborated (1); one source alone, 0; in proportion between."""
    lead_sentences: int = Field(3, ge=1, le=100)
    """A source's first this many sentences count as its lead (a key judgment's `lead` weight)."""
    fill_candidates: int = Field(40, ge=1, le=200)
    """A theme's best candidates (above its floors, stating nothing chosen) among which its section
    is chosen exactly; more costs time."""
    wordings_per_fact: int = Field(2, ge=1, le=50)
    """... of which at most this many state any one fact, so that a fact a corpus repeats a thousand
    times does not fill them."""
    centrality_pool: int = Field(1500, ge=2, le=100_000)
    """Centrality (LexRank) is computed among a theme's this many most relevant candidates; the rest
    have none."""
    coverage_pool: int = Field(300, ge=1, le=100_000)
    """The word pairs that `coverage` rewards are those of a theme's this many best candidates."""
    score_weights: ScoreWeights = ScoreWeights()
    judgment_weights: JudgmentWeights = JudgmentWeights()
    standalone: Standalone = Standalone()

    @model_validator(mode="after")
    def _word_limits_in_order(self) -> Selection:
        if self.min_words > self.max_words:
            raise ValueError(f"min_words ({self.min_words}) is above max_words ({self.max_words})")
        return self


class Recency(_Strict):
    half_life_days: float | None = Field(90.0, gt=0)
    """A source's weight halves for every this many days it is older than the newest dated source;
    null turns recency weighting off. A float default, as a value from a file is: brief.json's
    `stats.recency_half_life_days` was `90` by default and `90.0` when the config set it."""
    floor: float = Field(0.5, ge=0, le=1)
    """The least weight of an old source: what halves is the part above it, so an article of a year
    or two ago still counts, below newer ones, in a folder that spans years. 0: no floor, 1: no
    recency weighting."""


MAX_LIMIT_BYTES = 1_000_000_000
"""The most `limits.max_file_bytes` and `max_metadata_bytes` may be (1 GB): each is the size of the
buffer a file or a fetched response is read into, and 10**14 was a MemoryError, 10**23 an
OverflowError, at the first file read."""


class Limits(_Strict):
    max_file_bytes: int = Field(5_000_000, ge=1, le=MAX_LIMIT_BYTES)
    max_metadata_bytes: int = Field(65_536, ge=1, le=MAX_LIMIT_BYTES)
    """The most one sidecar file or one Markdown front matter block may hold; a larger one is ignored."""
    max_read_seconds: float = Field(120.0, gt=0, le=86_400)
    """How long reading one document (web page, PDF, Word file, e-mail) may take; one that takes longer
    is skipped with the reason, and tried again by the next build."""


def _a_format(value: str) -> str:
    """A name `formats:` may hold. Checked when the config is read, so a wrong one is told with its file
    and line, and whatever `--format` says: it was found only when the build came to write (with no
    file or line), and a build given `--format` on the command line never looked at it."""
    if value != "all" and value not in FORMATS:
        raise ValueError(f"unknown format {value!r}; choose from {', '.join(FORMATS)} or all")
    return value


class Settings(_Strict):
    title: str = Field("Policy brief", max_length=1000)
    seeds: Path = Path("seeds")
    out: Path = Path("output")
    themes: Path | list[Theme] | None = None
    templates: Path | None = None
    template: str = "brief"
    formats: list[Annotated[str, AfterValidator(_a_format)]] = Field(default_factory=lambda: ["all"])
    selection: Selection = Selection()
    limits: Limits = Limits()
    recency: Recency = Recency()
    since: date | None = None
    cache: Path | None = None
    """Folder of the analysis cache; default: .cache inside the output folder."""
    follow_outside_links: bool = False
    """Read files that symbolic links in the seeds folder point to outside it (else they are skipped)."""

    @field_validator("themes")
    @classmethod
    def _themes_as_in_a_file(cls, value: Path | list[Theme] | None) -> Path | list[Theme] | None:
        if isinstance(value, list):
            if not value:
                raise ValueError("give at least one theme (or the path of a themes file)")
            ThemesFile._unique_ids(value)
        return value

    @field_validator("themes", mode="before")
    @classmethod
    def _a_path_or_themes(cls, value: Any) -> Any:
        """One message for a value that is neither: the union gave two, one of each branch, the first
        in pydantic's words."""
        if value is not None and not isinstance(value, (str, list, Path)):
            raise ValueError(f"must be the path of a themes file or a list of themes, not {_shown(value)}")
        return value

    @field_validator("seeds", "out", "templates", "cache", "themes", mode="before")
    @classmethod
    def _not_empty(cls, value: Any) -> Any:
        """`cache: ""` was read as the config file's own folder (a path of no characters is `.`), and the
        cache was written there among the analyst's files."""
        if value == "":
            raise ValueError("is empty: give a path ('.' for the config file's own folder)")
        return value

    @field_validator("since", mode="before")
    @classmethod
    def _a_day(cls, value: Any) -> Any:
        """A day as YYYY-MM-DD (as `--since` takes it). pydantic took a number as seconds since 1970
        (`since: 0` was 1970-01-01) and refused `since: 20220101` with "Datetimes provided to dates
        should have zero time"."""
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, str):
            return calendar_day(value)
        raise ValueError(f"must be a date written YYYY-MM-DD (2022-01-31), not {_shown(value)}")

    @field_validator("seeds", "out", "templates", "cache", "themes")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, Path) and "\0" in str(value):
            raise ValueError("a path cannot hold a NUL character")
        return value

    _title_one_line = field_validator("title")(_titled)

    def cache_folder(self) -> Path:
        return self.cache if self.cache is not None else self.out / ".cache"


def default_themes_path() -> Path:
    return default_templates_dir() / "themes.yaml"


def _yaml_node_line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the value at `loc` in a composed YAML tree, or its nearest parent."""
    node, line = root, None
    for key in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(key)), None)
            if node is None:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1 if node is not None else line


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "(top level)"


MAX_FILE_BYTES = 10_000_000
"""A config or themes file is read up to this size (so `--themes /dev/zero` is an error, not a hang)."""


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ConfigError(f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB; not a config or themes file")
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    try:
        value, node = safeyaml.load_with_node(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark:
            problem += f" ({context} that starts at line {context_mark.line + 1})"
        raise ConfigError(f"{path}{where}: not valid YAML: {problem}") from None
    repeated = safeyaml.repeated_key(node) if node is not None else None
    if repeated:
        line, key = repeated
        raise ConfigError(f"{path}:{line}: {key!r} is given twice in one mapping; the second would silently "
                          "replace the first")
    return value, node


_TYPE_TAG = re.compile(r"^[\w-]+\[.*\]$|^Path$")
"""A part of a pydantic error location that names a type (`list[Theme]`, `lax-or-strict[…]`), not a key."""


def _place(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(p for p in loc if not (isinstance(p, str) and _TYPE_TAG.match(p)))


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


PLAIN_WORDS: dict[str, str] = {
    "missing": "required, but not given",
    "extra_forbidden": "unknown key",
    "float_parsing": "must be a number, not {input}", "float_type": "must be a number, not {input}",
    "int_parsing": "must be a whole number, not {input}", "int_type": "must be a whole number, not {input}",
    "int_from_float": "must be a whole number, not {input}",
    "int_parsing_size": "must be a whole number, not {input}",
    "finite_number": "must be a finite number, not {input}",
    "path_type": "must be a path (a file or folder name), not {input}",
    "bool_parsing": "must be true or false, not {input}", "bool_type": "must be true or false, not {input}",
    "string_type": "must be text, not {input}",
    "list_type": "must be a list ([a, b] or one item a line, each after '- '), not {input}",
    "dict_type": "must be a mapping (key: value, one a line), not {input}",
    "model_type": "must be a mapping (key: value, one a line), not {input}",
    "less_than_equal": "must be at most {le}, not {input}", "less_than": "must be below {lt}, not {input}",
    "greater_than_equal": "must be at least {ge}, not {input}", "greater_than": "must be above {gt}, not {input}",
    "string_too_long": "must be at most {max_length} characters long",
}
"""pydantic's error types in the words of the config's reader ("Field required" is "required, but not
given"); a type not listed keeps pydantic's message."""


def plain_message(err: Any) -> str:
    """A pydantic error as one line an analyst reads: what the value must be, and what it was."""
    template = PLAIN_WORDS.get(err.get("type", ""))
    if template is None:
        return str(err["msg"]).removeprefix("Value error, ")
    context = {key: _shown(value) for key, value in (err.get("ctx") or {}).items()}
    return template.format(input=_shown(err.get("input")), **context)


def _validated(model: type[BaseModel], data: Any, path: Path, root: yaml.Node | None) -> Any:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected a mapping of keys to values, found {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        messages = []
        errors = [(_place(err["loc"]), err) for err in exc.errors()]
        for loc, err in errors:
            if any(len(other) > len(loc) and other[:len(loc)] == loc for other, _ in errors):
                continue  # a union's other branch, which went deeper: that error says more
            line = _yaml_node_line(root, loc)
            where = f":{line}" if line else ""
            messages.append(f"{path}{where}: {_dotted(loc)}: {plain_message(err)}")
        raise ConfigError("\n".join(messages)) from None


def load_themes(path: Path) -> list[Theme]:
    """The themes of a themes file: `themes:` and their list, or the list alone."""
    data, root = _read_yaml(path)
    if isinstance(data, list):  # the list alone: read as under `themes:`, errors on the list's own lines
        data = {"themes": data}
        root = yaml.MappingNode("tag:yaml.org,2002:map", [(yaml.ScalarNode("tag:yaml.org,2002:str", "themes"), root)],
                                root.start_mark if root is not None else None)
    return list(_validated(ThemesFile, data, path, root).themes)


def calendar_day(value: str) -> date:
    """A day written YYYY-MM-DD, as `since:` and `--since` take it (date.fromisoformat alone also took
    "20220101" on the command line, which the config refused); ValueError saying what is wrong."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"must be a date written YYYY-MM-DD (2022-01-31), not {_shown(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{_shown(value)} is no day of the calendar") from None


def find_config(explicit: Path | None, cwd: Path) -> Path | None:
    """The config file to use: the one named, else briefing.yaml in the working folder, else none. One
    that is there but is no regular file (a folder, `/dev/null`, a pipe) is said to be so, not "not
    found"."""
    if explicit is not None:
        if explicit.is_dir():
            raise ConfigError(f"{explicit}: is a folder, not a config file")
        if explicit.exists() and not explicit.is_file():
            raise ConfigError(f"{explicit}: not a regular file (a device, pipe or socket), not a config file")
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        return explicit
    return next((cwd / n for n in CONFIG_NAMES if (cwd / n).is_file()), None)


def load_settings(path: Path | None) -> Settings:
    """Settings from a config file (paths in it are relative to the file), or the defaults."""
    if path is None:
        return Settings()
    data, root = _read_yaml(path)
    settings = _validated(Settings, data, path, root)
    base = path.parent
    changes: dict[str, Any] = {}
    for key in ("seeds", "out", "templates", "themes", "cache"):
        value = getattr(settings, key)
        if isinstance(value, Path) and not value.is_absolute() and key in (data or {}):
            changes[key] = base / value
    settings = settings.model_copy(update=changes)
    _paths_there(settings, data, path, root)
    return settings


def _paths_there(settings: Settings, data: Any, path: Path, root: yaml.Node | None) -> None:
    """The templates folder and themes file a config names are there; else an error naming the
    config's file, line and key, as every other of its errors does (it named only the folder, which
    the analyst had not written: `cfg/nonexist: templates folder not found`)."""
    for key, problem in (("templates", _not_a_folder(settings.templates)), ("themes", _not_a_file(settings.themes))):
        if problem and key in (data or {}):
            line = _yaml_node_line(root, (key,))
            raise ConfigError(f"{path}{f':{line}' if line else ''}: {key}: {problem}")


def _not_a_folder(value: Path | None) -> str | None:
    if value is None or value.is_dir():
        return None
    return f"not a folder: {value}" if value.exists() else f"folder not found: {value}"


def _not_a_file(value: Path | list[Theme] | None) -> str | None:
    if not isinstance(value, Path) or value.exists() and not value.is_dir():
        return None
    return f"a folder, not a themes file: {value}" if value.is_dir() else f"file not found: {value}"


def with_overrides(settings: Settings, options: dict[str, Any]) -> Settings:
    """`settings` with command-line values (`--NAME` for each key), validated as the file's are."""
    try:
        return Settings.model_validate({**dict(settings), **options})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"--{err['loc'][0]}: {plain_message(err)}") from None


def themes_of(settings: Settings) -> list[Theme]:
    if isinstance(settings.themes, list):
        return settings.themes
    return load_themes(settings.themes or default_themes_path())
