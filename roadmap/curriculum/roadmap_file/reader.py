"""Reading YAML with line numbers, and the checks every key of a roadmap file shares.

`_LineLoader` remembers the line of each mapping, list and list item; `Reader`
checks a value (a mapping's keys, text, a slug, a choice, a list) and collects
every problem as "line N: message" instead of stopping at the first.
"""

import re

import yaml

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 80  # the slug columns' max_length


# -- Loading YAML with line numbers -----------------------------------------


class _LineDict(dict):
    line: int
    key_lines: dict


class _LineList(list):
    line: int
    item_lines: list[int]


class LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings and lists remember their 1-based line."""

    def construct_mapping(self, node, deep=False):
        mapping = _LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_list(self, node):
        items = _LineList(self.construct_object(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        # Plain scalars (a slug in `requires`) cannot carry a line, so the list keeps each item's.
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, LineLoader.construct_list)


class Reader:
    """Walks the loaded YAML, collecting every error instead of stopping at one."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(f"line {line}: {message}")

    def mapping(self, value, line: int, what: str, required: set[str], optional: set[str]):
        if not isinstance(value, dict):
            self.error(line, f"{what} must be a mapping of keys to values.")
            return None
        for key in value:
            if key not in required | optional:
                allowed = ", ".join(sorted(required | optional))
                self.error(value.key_lines[key], f"unknown key {key!r} in {what} (allowed: {allowed}).")
        for key in sorted(required - set(value)):
            self.error(value.line, f"{what} is missing {key!r}.")
        return value

    def text(self, mapping, key: str, *, required: bool = True, max_length: int = 0) -> str:
        value = mapping.get(key)
        line = mapping.key_lines.get(key, mapping.line)
        if value is None:
            # `title:` with nothing after it; a missing key is reported already.
            if required and key in mapping:
                self.error(line, f"{key!r} must not be empty.")
            return ""
        if not isinstance(value, str):
            self.error(line, f"{key!r} must be text, not {type(value).__name__}.")
            return ""
        value = value.strip()
        if required and not value:
            self.error(line, f"{key!r} must not be empty.")
        if "\x00" in value:  # YAML's "\0" escape; PostgreSQL refuses it mid-import
            self.error(line, f"{key!r} contains a NUL character.")
        if max_length and len(value) > max_length:
            self.error(line, f"{key!r} is longer than {max_length} characters.")
        return value

    def slug(self, mapping, key: str) -> str:
        value = self.text(mapping, key, max_length=SLUG_MAX_LENGTH)
        if value and not SLUG_RE.match(value):
            self.error(
                mapping.key_lines.get(key, mapping.line),
                f"{key!r} {value!r} is not a slug (lowercase letters, digits and single hyphens).",
            )
        return value

    def choice(self, mapping, key: str, choices, *, default: str = "") -> str:
        value = self.text(mapping, key, required=not default) or default
        allowed = [c.value for c in choices]
        if value and value not in allowed:
            self.error(
                mapping.key_lines.get(key, mapping.line),
                f"{key!r} {value!r} is not one of: {', '.join(allowed)}.",
            )
        return value

    def items(self, mapping, key: str, what: str) -> list:
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(mapping.key_lines.get(key, mapping.line), f"{what} must be a list.")
            return []
        return value

    def slugs(self, mapping, key: str, what: str) -> list[tuple[str, int]]:
        """A list of slugs (`needs: [a, b]`), each with its line; anything else is reported."""
        values = self.items(mapping, key, what)
        item_lines = getattr(values, "item_lines", [])
        found = []
        for index, value in enumerate(values):
            line = item_lines[index] if index < len(item_lines) else mapping.key_lines.get(key, mapping.line)
            if not isinstance(value, str) or not SLUG_RE.match(value.strip()):
                self.error(
                    line, f"{value!r} in {what} is not a slug (lowercase letters, digits and single hyphens)."
                )
                continue
            found.append((value.strip(), line))
        return found
