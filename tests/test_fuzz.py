"""A property over the reading and writing of articles: whatever bytes, names, front matter and
sidecars the seeds folder holds, a build ends with exit 0 or a clean error, every output opens, and
every primary citation verifies by the README's rule. (bench/fuzz.py runs the same check for longer.)"""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tests.fuzzing import check_build, seeds_folder


@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(seeds_folder())
def test_any_seeds_folder_gives_a_valid_brief_or_a_clean_error(files):
    with tempfile.TemporaryDirectory() as folder:
        assert check_build(files, Path(folder)) == []
