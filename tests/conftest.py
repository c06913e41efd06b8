import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@pytest.fixture
def lexicon():
    from briefing.nlp import Lexicon

    return Lexicon()
