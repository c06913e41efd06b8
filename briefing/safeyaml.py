"""YAML from users (config, themes, sidecars, front matter), loaded safely: no code (SafeLoader), no
alias bombs, no depth bombs, and dates left as the strings they are written as, so an impossible date
(`2022-13-45`) is a value to validate, not an exception inside the parser."""

from __future__ import annotations

from typing import Any

import yaml

ALIAS_EXPANSION = 10_000
"""How many nodes aliases may add to a document when expanded (a 200-byte bomb adds billions)."""


class UnsafeYAML(yaml.YAMLError):
    """A document this loader refuses; `problem` says why (as PyYAML's own errors do)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class _Loader(yaml.SafeLoader):
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A scalar a constructor cannot make (an integer of thousands of digits, `!!float abc`) stays
        the text it is written as, like dates, for validation to reject with its key and line."""
        was_deep = self.deep_construct
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError):
            if not isinstance(node, yaml.ScalarNode):
                raise
            self.recursive_objects.pop(node, None)
            self.deep_construct = was_deep
            self.constructed_objects[node] = node.value
            return node.value


def _expanded_size(root: yaml.Node, aliases: bool) -> int:
    """How many nodes the document holds once every alias is expanded; UnsafeYAML when that is over
    the bound, when an alias refers to itself, or (`aliases` False) when there is any alias."""
    sizes: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done:
            open_.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            continue
        if key in sizes or key in open_:
            if key in open_:
                raise UnsafeYAML("an alias refers to the node that contains it")
            if not aliases:
                raise UnsafeYAML("aliases (*name) are not allowed here")
            continue
        distinct += 1
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(children))
    total = sizes[id(root)]
    if total > distinct + ALIAS_EXPANSION:
        raise UnsafeYAML(f"aliases expand the document to over {distinct + ALIAS_EXPANSION:,} values "
                         f"(from {distinct:,} written); refused")
    return total


def load_with_node(text: str, aliases: bool = True) -> tuple[Any, yaml.Node | None]:
    """The document's value and its node tree (for line numbers); yaml.YAMLError when it is not valid
    YAML or is refused (see `_expanded_size`)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _expanded_size(node, aliases)
        return loader.construct_document(node), node
    except RecursionError:
        raise UnsafeYAML("nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:  # a value a constructor cannot make (!!float abc)
        raise UnsafeYAML(f"unreadable value ({str(exc).splitlines()[0][:200]})") from None
    finally:
        loader.dispose()


def repeated_key(root: yaml.Node) -> tuple[int, str] | None:
    """The first key written twice in one mapping (its second line, 1-based, and the key), or None.
    YAML loaders keep the last silently: `{china: 3, china: 2}` weighs 2 with nothing said."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in keys:
                        return key.start_mark.line + 1, key.value
                    keys.add(key.value)
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def load(text: str, aliases: bool = True) -> Any:
    return load_with_node(text, aliases)[0]
