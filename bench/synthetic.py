"""A deterministic corpus of synthetic news articles in the style of a seeds folder (for bench/scale.py).

Sentences are drawn from the seed articles' prose and lightly altered (names and numbers swapped,
dates moved, words dropped or added, order shuffled), then laid out as a web page copied to text:
masthead, headline, byline, date line, caption, body paragraphs, related-story headlines and
"Comments are closed.". The same seed and count always give byte-identical files.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

from briefing.ingest import read_folder
from briefing.model import Source
from briefing.pipeline import clean, segment

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
FIRST = ("Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Gulnara", "Hannah", "Ivan", "Jamila",
         "Karim", "Lena", "Marat", "Nadia", "Oleg", "Priya", "Rustam", "Sofia", "Timur", "Zarina")
LAST = ("Abdullaev", "Brown", "Chen", "Duarte", "Ermekov", "Fischer", "Gordon", "Haidarov", "Ivanova",
        "Jensen", "Kim", "Lopez", "Moreau", "Nazarov", "Okafor", "Petrov", "Quinn", "Rahimova", "Singh", "Tanaka")
MASTHEADS = ("The Daily Ledger", "Northern Review", "World Affairs Weekly", "The Evening Courier",
             "Regional Monitor", "Global Dispatch")
FILLERS = ("reportedly", "notably", "again", "now", "clearly", "still", "largely", "quietly")
SYLLABLES = ("ka", "ran", "bek", "tor", "mi", "sul", "dar", "en", "ov", "ya", "zh", "lin", "ar", "gul", "tash", "ny")
JOINT = re.compile(r",\s|\s(?:and|but|while|as|because|after|when)\s")
CAPITALISED = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{3,}\b")
NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})*\b")


def seed_sentences(seeds: Path) -> tuple[list[str], list[str]]:
    """The seeds' prose sentences, and their short furniture lines (for captions and links)."""
    raws, _ = read_folder(seeds, 5_000_000)
    sources = [clean.clean(Source(f"S{n}", r.path, r.sha256, r.text), body_start=r.body_start,
                           markup=r.markup)
               for n, r in enumerate(raws)]
    tokenizer = segment.train_tokenizer(segment.body_texts(sources))
    sentences = [s.text for src in sources for s in segment.sentences_of(src, tokenizer) if 8 <= len(s.text.split()) <= 60]
    furniture = [" ".join(src.text[d.start:d.end].split()) for src in sources for d in src.dropped]
    headlines = [f for f in furniture if 3 <= len(f.split()) <= 14 and f[-1:] not in ".:"]
    return sentences, headlines or ["Related coverage from the region"]


class Generator:
    def __init__(self, seeds: Path, seed: int = 5) -> None:
        self.sentences, self.headlines = seed_sentences(seeds)
        made = random.Random(seed)
        self.names = sorted({m.group() for s in self.sentences for m in CAPITALISED.finditer(s)} |
                            {"".join(made.choice(SYLLABLES) for _ in range(made.randint(2, 4))).capitalize()
                             for _ in range(3000)})
        self.seed = seed

    def spliced(self, rng: random.Random, sentence: str) -> str:
        """The head of the sentence joined to the tail of another, at a comma or conjunction."""
        other = rng.choice(self.sentences)
        heads = [m.start() for m in JOINT.finditer(sentence) if 20 < m.start() < len(sentence) - 10]
        tails = [m.start() for m in JOINT.finditer(other) if 20 < m.start() < len(other) - 10]
        if not heads or not tails:
            return sentence
        return sentence[: rng.choice(heads)] + other[rng.choice(tails) :]

    def altered(self, rng: random.Random, sentence: str) -> str:
        """The sentence with a name or two swapped, numbers changed, and a word dropped or added."""
        out = self.spliced(rng, sentence) if rng.random() < 0.7 else sentence
        out = CAPITALISED.sub(lambda m: rng.choice(self.names) if rng.random() < 0.5 else m.group(), out)
        out = NUMBER.sub(lambda m: str(rng.randint(2, 400)) if rng.random() < 0.5 else m.group(), out)
        words = out.split()
        if len(words) > 10 and rng.random() < 0.4:
            del words[rng.randrange(1, len(words) - 2)]
        if rng.random() < 0.4:
            words.insert(rng.randrange(1, len(words) - 1), rng.choice(FILLERS))
        return " ".join(words)

    def article(self, n: int) -> str:
        rng = random.Random(f"{self.seed}:{n}")
        day = date(2021, 1, 1) + timedelta(days=rng.randrange(730))
        author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        lines = []
        if rng.random() < 0.5:
            lines += [rng.choice(MASTHEADS), ""]
        lines += [self.altered(rng, rng.choice(self.headlines)).rstrip("."), ""]
        lines += [f"By {author}", ""]
        date_line = rng.choice((f"Date: {day:%Y-%m-%d}", f"Date: {MONTHS[day.month - 1]} {day.day}, {day.year}",
                                f"Published on {day.day} {MONTHS[day.month - 1]} {day.year}"))
        lines += [date_line, ""]
        if rng.random() < 0.6:
            lines += [f"{rng.choice(self.names)} {rng.choice(self.names)} at a meeting in {rng.choice(self.names)}", ""]
        start = rng.randrange(len(self.sentences))
        picked = [self.sentences[(start + k) % len(self.sentences)] for k in range(rng.randint(14, 36))]
        rng.shuffle(picked)
        while picked:
            size = rng.randint(2, 5)
            lines += [" ".join(self.altered(rng, s) for s in picked[:size]), ""]
            picked = picked[size:]
            if rng.random() < 0.1:
                lines += [rng.choice(self.headlines), ""]
        lines += ["Related", ""] + [rng.choice(self.headlines) for _ in range(rng.randint(2, 4))] + [""]
        if rng.random() < 0.5:
            lines += [f"{author} is a correspondent covering the region for {rng.choice(MASTHEADS)}.", ""]
        lines += ["Comments are closed."]
        return "\n".join(lines) + "\n"

    def write(self, folder: Path, first: int, count: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(first, first + count):
            (folder / f"{n:06d}.txt").write_text(self.article(n), encoding="utf-8")
