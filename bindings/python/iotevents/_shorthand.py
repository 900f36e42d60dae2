"""The AWS CLI's shorthand for structures (`--input-identifier iotEventsInputIdentifier={inputName=X}`,
`--tags key=a,value=b`), read as awscli's shorthand parser reads it, then typed by the member's
shape as the CLI does (numbers, booleans, a single value where a list is wanted):

    parameter = keyval *("," keyval)
    keyval    = key "=" values
    values    = "[" [value *("," value)] "]" / "{" keyval *("," keyval) "}" / value *("," value)
    value     = quoted / "[" ... "]" / "{" ... "}" / plain

A value followed by "," and text that is not `key=` continues as a list (`key=a,b`). Not read:
escaped commas (a backslash before ","), quotes inside quotes and `key@=file://...`; give JSON
for those. The CLI's error messages for malformed shorthand are not copied: ours say where
reading stopped."""
import re
from typing import Any, Dict, List

_KEY = re.compile(r"[ \t]*([A-Za-z0-9_.#/:-]*)[ \t]*=")  # awscli: may be empty
_PLAIN = re.compile(r"[^,\[\]{}]*")


class ShorthandError(ValueError):
    pass


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.at = text, 0

    def fail(self, what: str) -> ShorthandError:
        return ShorthandError("expected %s at character %d of %r" % (what, self.at, self.text))

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def take(self, char: str) -> bool:
        if self.peek() == char:
            self.at += 1
            return True
        return False

    def key_ahead(self) -> bool:
        return _KEY.match(self.text, self.at) is not None

    def keyvals(self, closing: str) -> Dict[str, Any]:
        found: Dict[str, Any] = {}
        while True:
            match = _KEY.match(self.text, self.at)
            if match is None:
                raise self.fail("key=")
            self.at = match.end()
            found[match.group(1)] = self.values()
            if not self.take(","):
                break
        if self.peek() != closing:
            raise self.fail("',' or the end" if not closing else repr(closing))
        return found

    def values(self) -> Any:
        first = self.value()
        if isinstance(first, (list, dict)):
            return first
        items = [first]
        while self.peek() == "," and not _KEY.match(self.text, self.at + 1):
            self.at += 1
            items.append(self.value())
        return items if len(items) > 1 else first

    def value(self) -> Any:
        while self.peek() in (" ", "\t"):
            self.at += 1
        char = self.peek()
        if char == "[":
            self.at += 1
            items: List[Any] = []
            while not self.take("]"):
                items.append(self.value())
                if not self.take(",") and self.peek() != "]":
                    raise self.fail("',' or ']'")
            return items
        if char == "{":
            self.at += 1
            found = self.keyvals("}")
            self.at += 1
            return found
        if char in ("'", '"'):
            end = self.text.find(char, self.at + 1)
            if end < 0:
                raise self.fail("a closing " + char)
            quoted, self.at = self.text[self.at + 1:end], end + 1
            return quoted
        match = _PLAIN.match(self.text, self.at)
        assert match is not None  # _PLAIN matches the empty string
        self.at = match.end()
        return match.group().strip()


def parse(text: str) -> Dict[str, Any]:
    """The untyped structure `text` spells (strings, lists and dicts)."""
    return _Reader(text).keyvals("")


def typed(value: Any, shape: Dict[str, Any], shapes: Dict[str, Any]) -> Any:
    """`value` from parse() with each member given its shape's type, as the AWS CLI does."""
    kind = shape["type"]
    if kind == "structure" and isinstance(value, dict):
        members = shape.get("members", {})
        return {k: typed(v, shapes[members[k]["shape"]], shapes) if k in members else v for k, v in value.items()}
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [typed(item, shapes[shape["member"]["shape"]], shapes) for item in items]
    if kind == "map" and isinstance(value, dict):
        return {k: typed(v, shapes[shape["value"]["shape"]], shapes) for k, v in value.items()}
    if isinstance(value, str):
        try:
            if kind in ("integer", "long"):
                return int(value)
            if kind in ("double", "float"):
                return float(value)
        except ValueError:
            return value  # left for the parameter validation to name
        if kind == "boolean" and value.lower() in ("true", "false"):
            return value.lower() == "true"
    return value

