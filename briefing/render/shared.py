"""What the writers of one build share: the brief's Markdown, its syntax tree and its figures, made once.

`write_outputs` runs the writers inside `shared()`; there the first writer that needs the Markdown (or
the tree, or a figure) makes it and the others reuse it. Outside `shared()` nothing is kept (but the
compiled template, which is checked against its file on each use: `markdown.markdown_environment`), so a
template edited between two calls is always read again.

Within `shared()` the garbage collector also leaves alone every object that existed when it began (the
analysis of the corpus): the writers make many long-lived objects (reportlab's font tables, python-docx's
XML trees), and each full collection they set off walked the whole analysis again, 0.1 s at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from briefing.collector import older_objects_frozen

_made: dict[Hashable, tuple[Any, Any]] | None = None


@contextmanager
def shared() -> Iterator[None]:
    """Within it, `memo` keeps what it makes, and the objects made before it are not collected."""
    global _made
    outer, _made = _made, {}
    try:
        with older_objects_frozen():
            yield
    finally:
        _made = outer


def memo(key: Hashable, owner: Any, make: Callable[[], Any]) -> Any:
    """`make()`; within `shared()`, the value made before for `key` while `owner` is the same object
    (the Brief it was made from: an id alone could be reused by another object)."""
    if _made is None:
        return make()
    found = _made.get(key)
    if found is None or found[0] is not owner:
        found = _made[key] = (owner, make())
    return found[1]
