"""MultiLing Pilot 2011 (English): ROUGE recall of briefing's brief against human summaries (not a test).

Run through bench/quality.py (`--only multiling`). The data is read from ../shared/benchmarks/multiling2011
beside the repo (or --multiling DIR): ten WikiNews clusters of ten articles (headline on the first line,
then the date line, then the body) with three human summaries of about 250 words each. "MultiLing Pilot
2011 Dataset" by the MultiLing Community, CC BY 3.0 (www.nist.gov/tac/2011/Summarization/).

Per cluster, ONE theme is made mechanically from the cluster, the same rule for every cluster: the
headlines' content words (not stop words, not numbers), counted by stem; title = the three most frequent
(each stem shown as its most frequent spelling, case kept), keywords = the eight most frequent, weighted
1 + 2 * count / top count, description = the eight in a sentence. briefing builds the brief with
words_per_theme: 250 through its command line; the brief is read as a reader would, key judgments
then the section, and cut at 250 words (as DUC's ROUGE `-l 250` does).

Baselines at the same 250 words, on the articles' bodies split by a Punkt model trained on the cluster:
sumy's LexRank, TextRank, LSA, Luhn and SumBasic (the shortest summary reaching 250 words, cut at 250);
TF-IDF to the query (sentences by TF-IDF cosine to the theme's title, description and keywords, greedy,
skipping a sentence whose cosine to one already chosen is above 0.5); Lead (the earliest article's
sentences in order, then the next article's). ROUGE-1 and ROUGE-2 recall (rouge-score, stemmed) against
each reference, averaged; a paired bootstrap over clusters of briefing minus the best baseline.

Then the same again with the topics of bench/quality/multiling-topics.yaml: one per cluster, written by
hand from the headlines alone as query-focused summarisation poses its topics (a title, a narrative that
asks what to tell, a few keywords), so that a theme in plain words with a description is measured too,
not only headline words. The baselines that need no theme are the same; TF-IDF to the query uses the topic.
A third time with the same topics without their keywords: a title and a narrative, as the query-focused
tasks pose a topic, with nothing an analyst chose (briefing takes the title's words as keywords).

Then the pilot's own yardstick: the English runs' ROUGE recall as published with the data (ROUGE-1.5.5,
summaries made without a topic), beside briefing's with each kind of theme.

Last, the headline themes again with each article dated by its date line (a sidecar `date:`), so that
recency weighting is on, as it is for dated web pages: a cluster's articles span days to four years. Once
with the config's recency settings and once with `recency.floor: 0`, the plain halving that buried a
folder's older articles.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from dateutil import parser as dateparser
from nltk.stem.snowball import SnowballStemmer
from rich.console import Console
from rich.table import Table
from rouge_score import rouge_scorer
from sklearn.feature_extraction.text import TfidfVectorizer
from sumy.utils import get_stop_words

from benchlib import (
    ROOT,
    SUMMARIZERS,
    BenchError,
    PunktForSumy,
    build_brief,
    cut,
    log,
    sumy_summary,
    trained_punkt,
    with_selection,
)

DEFAULT_DIR = ROOT.parent / "shared" / "benchmarks" / "multiling2011"
BUDGET = 250
TITLE_WORDS, KEYWORDS = 3, 8
REDUNDANCY = 0.5
RESAMPLES = 1000
SYSTEMS = ["briefing", *(f"sumy {n}" for n in SUMMARIZERS), "TF-IDF to query", "Lead"]

_stemmer = SnowballStemmer("english")
_STOP = frozenset(get_stop_words("english"))
_HEADLINE_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*", re.UNICODE)
_WORD = re.compile(r"[^\W_]+(?:['.\-][^\W_]+)*", re.UNICODE)
_DATE_LINE = re.compile(r"^(?:[A-Z][a-z]+day,?\s+)?[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}\b")  # Saturday, January 8, 2005


@dataclass
class Article:
    path: Path
    headline: str
    date: datetime | None
    body: str


@dataclass
class Cluster:
    id: str
    folder: Path
    articles: list[Article]
    references: list[str]


def read_article(path: Path) -> Article:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    rest = [line for line in lines if line.strip()]
    headline = rest.pop(0).strip() if rest else ""
    date = None
    found = _DATE_LINE.match(rest[0].strip()) if rest else None
    if found:
        try:
            date = dateparser.parse(found.group())
            rest[0] = rest[0].strip()[found.end():].strip()  # a body that runs on after the date line
        except (ValueError, OverflowError):
            pass
    return Article(path, headline, date, "\n".join(line for line in rest if line.strip()))


def read_clusters(folder: Path) -> list[Cluster]:
    clusters = []
    for directory in sorted(p for p in (folder / "clusters").iterdir() if p.is_dir()):
        references = [p.read_text(encoding="utf-8", errors="replace")
                      for p in sorted((folder / "references").glob(f"{directory.name}.*.txt"))]
        articles = [read_article(p) for p in sorted(directory.glob("*.txt"))]
        if not references or not articles:
            raise BenchError(f"{directory}: no articles or no references/{directory.name}.*.txt")
        clusters.append(Cluster(directory.name, directory, articles, references))
    if not clusters:
        raise BenchError(f"{folder / 'clusters'}: no clusters")
    return clusters


# --- the cluster's one theme ----------------------------------------------------------------------------

def theme_of(cluster: Cluster) -> dict[str, Any]:
    """The one theme of a cluster, made from its headlines' most frequent content words (same rule for all)."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for article in cluster.articles:
        for word in _HEADLINE_WORD.findall(article.headline.replace("’", "'")):
            word = word.removesuffix("'s")
            if len(word) < 2 or word.lower() in _STOP:
                continue
            stem = _stemmer.stem(word.lower())
            counts[stem] += 1
            spellings.setdefault(stem, Counter())[word] += 1
    # most_common keeps first-seen order among equal counts: the same rule, deterministic, for every cluster
    top = counts.most_common(KEYWORDS)
    if not top:
        raise BenchError(f"{cluster.folder}: no content words in the headlines to make a theme of")
    spelt = [(spellings[stem].most_common(1)[0][0], count) for stem, count in top]
    most = top[0][1]
    names = [word for word, _ in spelt]
    title = " ".join(names[:TITLE_WORDS])
    listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return {"id": "topic", "title": title[:1].upper() + title[1:],
            "description": f"News about {listed}.",
            "keywords": {word: round(1 + 2 * count / most, 2) for word, count in spelt}}


# --- baselines ------------------------------------------------------------------------------------------

def sentences_of(article: Article, punkt: Any) -> list[str]:
    return [s.strip() for paragraph in article.body.split("\n") for s in punkt.tokenize(paragraph) if s.strip()]


def content_stems(text: str) -> list[str]:
    return [_stemmer.stem(w) for w in _WORD.findall(text.lower().replace("’", "'"))
            if w not in _STOP and not w.replace(".", "").isdigit()]


def tfidf_to_query(sentences: list[str], theme: dict[str, Any]) -> list[str]:
    """Sentences by TF-IDF cosine to the theme, greedy to the budget, none too like one already chosen."""
    query = " ".join([theme["title"], theme.get("description", ""), *theme.get("keywords", ())])
    vectorizer = TfidfVectorizer(analyzer=content_stems)
    matrix = vectorizer.fit_transform(sentences)
    relevance = (matrix @ vectorizer.transform([query]).T).toarray().ravel()
    chosen: list[int] = []
    total = 0
    for i in sorted(range(len(sentences)), key=lambda i: (-relevance[i], i)):
        if chosen and (matrix[chosen] @ matrix[i].T).toarray().max() > REDUNDANCY:
            continue
        chosen.append(i)
        total += len(sentences[i].split())
        if total >= BUDGET:
            break
    return [sentences[i] for i in chosen]


def lead(cluster: Cluster, punkt: Any) -> list[str]:
    """The earliest article's sentences in order, then the next article's (undated last, then by file)."""
    order = sorted(cluster.articles, key=lambda a: (a.date is None, a.date.replace(tzinfo=None) if a.date else 0,
                                                    a.path.name))
    out: list[str] = []
    for article in order:
        for sentence in sentences_of(article, punkt):
            out.append(sentence)
            if sum(len(s.split()) for s in out) >= BUDGET:
                return out
    return out


# --- scoring --------------------------------------------------------------------------------------------

_scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)


def recall(summary: str, references: list[str]) -> tuple[float, float]:
    scores = [_scorer.score(reference, summary) for reference in references]
    return (float(np.mean([s["rouge1"].recall for s in scores])), float(np.mean([s["rouge2"].recall for s in scores])))


def bootstrap(differences: list[float], resamples: int = RESAMPLES, seed: int = 0) -> tuple[float, float, float]:
    """Mean of resampled mean differences' 2.5th and 97.5th percentiles, and the share above zero."""
    values = np.asarray(differences)
    picks = np.random.default_rng(seed).integers(0, len(values), size=(resamples, len(values)))
    means = values[picks].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high), float((means > 0).mean())


TOPICS = ROOT / "bench" / "quality" / "multiling-topics.yaml"


def analyst_topics(path: Path, clusters: list[Cluster]) -> dict[str, dict[str, Any]]:
    """The hand-written topic of each cluster (bench/quality/multiling-topics.yaml), as one theme each."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    topics = data.get("topics") or {}
    missing = [c.id for c in clusters if c.id not in topics]
    if missing:
        raise BenchError(f"{path}: no topic for cluster(s) {', '.join(missing)}")
    return {c.id: {"id": "topic", **topics[c.id]} for c in clusters}


def plain_topic(topic: dict[str, Any]) -> dict[str, Any]:
    """The topic without its keywords: a title and a narrative, as the query-focused tasks pose a topic,
    with nothing an analyst chose (briefing then takes the title's words as the theme's keywords)."""
    return {k: v for k, v in topic.items() if k != "keywords"}


def run(folder: Path, config: dict[str, Any], console: Console, topics: Path | None = TOPICS) -> dict[str, Any]:
    """The MultiLing part of the report; its figures as a dict (or why it was skipped): once with the
    themes made from the headlines, once with the hand-written topics (`topics`, when given)."""
    if not (folder / "clusters").is_dir():
        line = (f"MultiLing 2011: not found at {folder} (no clusters/ folder); point --multiling DIR at it. "
                f"MultiLing part skipped.")
        console.print(f"[yellow]{line}[/yellow]", soft_wrap=True)
        log(line)
        return {"skipped": line}
    clusters = read_clusters(folder)
    log(f"multiling: {len(clusters)} clusters in {folder}; baselines that need no theme")
    fixed: dict[str, dict[str, list[str]]] = {}
    sentences: dict[str, list[str]] = {}
    for cluster in clusters:
        punkt = trained_punkt([a.body for a in cluster.articles])
        text = "\n\n".join(a.body for a in cluster.articles)
        sentences[cluster.id] = [s for a in cluster.articles for s in sentences_of(a, punkt)]
        fixed[cluster.id] = {f"sumy {name}": sumy_summary(name, text, PunktForSumy(punkt), BUDGET, reach=True)
                             for name in SUMMARIZERS}
        fixed[cluster.id]["Lead"] = lead(cluster, punkt)
    result = measure(clusters, {c.id: theme_of(c) for c in clusters}, "made from the headlines", config,
                     console, fixed, sentences)
    if topics is not None:
        written = analyst_topics(topics, clusters)
        result["analyst_topics"] = measure(clusters, written, "written by hand", config, console, fixed, sentences)
        result["analyst_topics"]["file"] = str(topics)
        result["title_topics"] = measure(clusters, {c: plain_topic(t) for c, t in written.items()},
                                         "written by hand, without their keywords (a title and a narrative)",
                                         config, console, fixed, sentences)
    result["published"] = published_runs(folder, result, console)
    headlines = {c.id: theme_of(c) for c in clusters}
    result["dated"] = measure(clusters, headlines, "made from the headlines, articles dated (recency on)", config,
                              console, fixed, sentences, dated=True)
    no_floor = {**config, "recency": {**config.get("recency", {}), "floor": 0.0}}
    result["dated_no_floor"] = measure(clusters, headlines, "made from the headlines, articles dated, recency.floor 0",
                                       no_floor, console, fixed, sentences, dated=True)
    return {"folder": str(folder), **result}


def published_runs(folder: Path, result: dict[str, Any], console: Console) -> dict[str, dict[str, float]]:
    """The pilot's own yardstick: the English runs' ROUGE recall as published (`published/`), beside
    briefing's with each kind of theme, so that briefing is read against the best systems of its year.
    (They were scored by ROUGE-1.5.5, not rouge-score; the runs summarised without a topic; the
    overview paper says which run is the baseline and which the topline. Read the gaps, not the
    decimals.)"""
    runs: dict[str, dict[str, float]] = {}
    for n in (1, 2):
        path = folder / "published" / f"ENGLISH_ROUGE-{n}.csv"
        if not path.exists():
            log(f"multiling: {path} not found; the published runs are not shown")
            return {}
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            fields = line.split(",")
            if len(fields) >= 2 and fields[0].strip():
                runs.setdefault(fields[0].split("_ROUGE")[0], {})[f"rouge{n}"] = float(fields[1])
    table = Table(title=f"MultiLing 2011 pilot, English: the published runs (ROUGE-1.5.5) and briefing "
                        f"(rouge-score), recall ×100 at {BUDGET} words",
                  caption="the published runs summarised without a topic; briefing's themes are made as said",
                  title_justify="left", caption_justify="left")
    for col in ("run", "ROUGE-1", "ROUGE-2"):
        table.add_column(col, justify="left" if col == "run" else "right")
    rows = [(f"published {name}", r.get("rouge1", float("nan")), r.get("rouge2", float("nan")))
            for name, r in runs.items()]
    for key, label in (("mean", "made from the headlines"), ("analyst_topics", "written by hand"),
                       ("title_topics", "a title and a narrative")):
        figures = result.get(key, {}).get("mean") if key != "mean" else result.get("mean")
        if figures:
            rows.append((f"briefing, themes {label}", figures["briefing"]["rouge1"], figures["briefing"]["rouge2"]))
    for name, r1, r2 in sorted(rows, key=lambda row: -row[2]):
        style = "bold" if name.startswith("briefing") else None
        table.add_row(name, f"{100 * r1:.1f}", f"{100 * r2:.1f}", style=style)
    console.print(table)
    return runs


def dated_copy(cluster: Cluster, folder: Path) -> Path:
    """The cluster's articles in `folder`, each with a sidecar giving the date its date line states."""
    folder.mkdir(parents=True, exist_ok=True)
    for article in cluster.articles:
        (folder / article.path.name).write_bytes(article.path.read_bytes())
        if article.date is not None:
            (folder / f"{article.path.stem}.meta.yaml").write_text(f"date: {article.date.date().isoformat()}\n",
                                                                   encoding="utf-8")
    return folder


def measure(clusters: list[Cluster], themes: dict[str, dict[str, Any]], label: str, config: dict[str, Any],
            console: Console, fixed: dict[str, dict[str, list[str]]],
            sentences: dict[str, list[str]], dated: bool = False) -> dict[str, Any]:
    """Briefing and the baselines on every cluster with one theme each (`themes`, by cluster id):
    the tables printed, the figures returned. `dated`: briefing reads each article's date (see dated_copy)."""
    log(f"multiling: building briefs with the themes {label} (words_per_theme: {BUDGET})")
    brief_config = with_selection(config, words_per_theme=BUDGET)
    scores: dict[str, dict[str, tuple[float, float]]] = {s: {} for s in SYSTEMS}
    lengths: dict[str, dict[str, int]] = {s: {} for s in SYSTEMS}

    def built(cluster: Cluster, folder: Path) -> list[str]:
        themes_file = folder / f"{cluster.id}.themes.yaml"
        themes_file.write_text(yaml.safe_dump({"themes": [themes[cluster.id]]}, allow_unicode=True), encoding="utf-8")
        seeds = dated_copy(cluster, folder / cluster.id) if dated else cluster.folder
        return build_brief(seeds, themes_file, brief_config, f"MultiLing {cluster.id}").read_in_order()

    with tempfile.TemporaryDirectory(prefix="briefing-multiling-") as tmp, ThreadPoolExecutor(max_workers=2) as pool:
        futures = {c.id: pool.submit(built, c, Path(tmp)) for c in clusters}
        for cluster in clusters:
            summaries = dict(fixed[cluster.id])
            summaries["TF-IDF to query"] = tfidf_to_query(sentences[cluster.id], themes[cluster.id])
            summaries["briefing"] = futures[cluster.id].result()
            for system, chosen in summaries.items():
                summary = cut(chosen, BUDGET)
                scores[system][cluster.id] = recall(summary, cluster.references)
                lengths[system][cluster.id] = len(summary.split())

    ids = [c.id for c in clusters]
    mean = {s: (float(np.mean([scores[s][c][0] for c in ids])), float(np.mean([scores[s][c][1] for c in ids])))
            for s in SYSTEMS}
    baselines = [s for s in SYSTEMS if s != "briefing"]
    best = max(baselines, key=lambda s: mean[s][1])
    table = Table(title=f"MultiLing 2011, themes {label}: ROUGE recall ×100 at {BUDGET} words, mean of {len(ids)} "
                        "clusters",
                  caption="rouge-score, stemmed, recall averaged over the references; best ROUGE-2 first",
                  title_justify="left", caption_justify="left")
    for col in ("system", "ROUGE-1", "ROUGE-2", "words (mean)"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for s in sorted(SYSTEMS, key=lambda s: -mean[s][1]):
        table.add_row(s, f"{100 * mean[s][0]:.1f}", f"{100 * mean[s][1]:.1f}", f"{np.mean(list(lengths[s].values())):.0f}")
    console.print(table)

    differences = [scores["briefing"][c][1] - scores[best][c][1] for c in ids]
    low, high, ahead = bootstrap(differences)
    console.print(f"paired bootstrap ({RESAMPLES} resamples over clusters), ROUGE-2 briefing − {best}: "
                  f"{100 * np.mean(differences):+.1f}, 95% interval [{100 * low:+.1f}, {100 * high:+.1f}]; "
                  f"briefing ahead in {ahead:.0%} of resamples", soft_wrap=True)

    per_cluster = Table(title=f"MultiLing 2011, themes {label}: ROUGE-2 ×100 per cluster, briefing and the best "
                              f"baseline ({best})",
                        title_justify="left")
    for col in ("cluster", f"theme ({label})", "briefing words", "briefing", best, "difference"):
        per_cluster.add_column(col, justify="left" if col in ("cluster", f"theme ({label})") else "right")
    for c in ids:
        b, o = scores["briefing"][c][1], scores[best][c][1]
        per_cluster.add_row(c, themes[c]["title"], str(lengths["briefing"][c]), f"{100 * b:.1f}", f"{100 * o:.1f}",
                            f"{100 * (b - o):+.1f}")
    console.print(per_cluster)

    targets = {"above sumy LexRank": mean["briefing"][1] > mean["sumy LexRank"][1],
               "above TF-IDF to query": mean["briefing"][1] > mean["TF-IDF to query"][1]}
    console.print("targets (issue 12), ROUGE-2: " + " · ".join(
        f"briefing {100 * mean['briefing'][1]:.1f} {name} {100 * mean[other][1]:.1f} "
        + ("[green]met[/green]" if ok else "[red]NOT met[/red]")
        for (name, ok), other in zip(targets.items(), ("sumy LexRank", "TF-IDF to query"))) + "\n", soft_wrap=True)
    return {"budget": BUDGET, "clusters": ids, "themes": themes,
            "mean": {s: {"rouge1": mean[s][0], "rouge2": mean[s][1]} for s in SYSTEMS},
            "per_cluster": {s: {c: {"rouge1": scores[s][c][0], "rouge2": scores[s][c][1], "words": lengths[s][c]}
                                for c in ids} for s in SYSTEMS},
            "best_baseline": best,
            "bootstrap_rouge2": {"mean_difference": float(np.mean(differences)), "low": low, "high": high,
                                 "share_ahead": ahead, "resamples": RESAMPLES},
            "targets": targets}
