"""The build's display: one line per finished stage on stderr, a progress bar over sources on a terminal."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from briefing.safetext import terminal_text


def _unseen(n: int = 1) -> None:
    """Progress nobody is shown."""


class Progress:
    """One line per finished stage on stderr, with its time; a progress bar over sources when stderr
    is a terminal; silent when quiet. No spinner or bar is drawn when stderr is not a terminal."""

    def __init__(self, quiet: bool = False, console: Console | None = None) -> None:
        self.quiet = quiet
        self.console = console or Console(stderr=True, highlight=False)

    @property
    def live(self) -> bool:
        return not self.quiet and self.console.is_terminal

    @contextmanager
    def stage(self, name: str, spinner: bool = True) -> Iterator[list[str]]:
        summary: list[str] = []
        started = time.perf_counter()
        if self.quiet:
            yield summary
            return
        if spinner and self.live:
            with self.console.status(f"{name}…", spinner="dots"):
                yield summary
        else:
            yield summary
        detail = f": {escape(terminal_text(summary[0]))}" if summary else ""
        self.console.print(f"[green]✓[/green] {name}{detail} [dim]({time.perf_counter() - started:.2f} s)[/dim]",
                           soft_wrap=True)

    @contextmanager
    def bar(self, total: int, description: str) -> Iterator[Callable[[int], None]]:
        """A callable to advance a progress bar of `total` steps (drawn only on a terminal)."""
        if not self.live or total == 0:
            yield _unseen
            return
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with RichProgress(*columns, console=self.console, transient=True) as bar:
            task = bar.add_task(description, total=total)

            def advance(n: int = 1) -> None:
                bar.advance(task, n)
            yield advance

    def warn(self, message: str) -> None:
        if not self.quiet:
            self.console.print(f"[yellow]warning:[/yellow] {escape(terminal_text(message))}", soft_wrap=True)

