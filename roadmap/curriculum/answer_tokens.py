"""The answer grammar's tokenizer: a learner's text as tokens, and what to tell them about text it can't read.

Numbers, runs of letters (split into the declared variables, pi and e when the
run is not one name: xy is x·y), operators in ASCII or Unicode, brackets.
answers.py parses the tokens. Imports nothing from the project and no Django.
"""

from collections.abc import Iterable
from dataclasses import dataclass

MAX_TOKENS = 100
# The functions of the grammar, in the order the help text lists them. log is the natural log.
FUNCTIONS: tuple[str, ...] = (
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "exp",
    "ln",
    "log",
    "sqrt",
    "abs",
)
_DIGITS = "0123456789"
_OPERATORS = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "·": "*", "/": "/", "÷": "/", "^": "^"}
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_NOT_AN_ANSWER = "an answer is one number or one formula, without = , ; ! % < or >"
_CHARACTER_HINTS = {
    **dict.fromkeys("=,;!%<>", _NOT_AN_ANSWER),
    **dict.fromkeys("[]{}", "use round brackets ( ) only"),
    "|": "write abs(x) for |x|",
    "√": "write sqrt(x) for a square root",
    **dict.fromkeys(_SUPERSCRIPTS, "write powers with ^, as in x^2"),
}


class AnswerError(ValueError):
    """The learner's text is not an answer in the grammar; str() says what and where, for the learner."""


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "number", "variable", "constant", "function", "op", "(" or ")"
    text: str  # the characters typed
    at: int  # index of the first character in the text
    value: str = ""  # the operator in ASCII, the name, or the number's text


def checked_variables(variables: Iterable[str]) -> tuple[str, ...]:
    """The declared variables as a tuple; ValueError (the caller's mistake, not the learner's) for a bad name."""
    names = tuple(variables)
    for name in names:
        if not (isinstance(name, str) and name.isalpha()) or name in FUNCTIONS or name in ("pi", "π", "e"):
            raise ValueError(f"{name!r} can't be a variable: use letters that are not pi, e or a function")
    return names


def tokenize(text: str, variables: tuple[str, ...]) -> list[Token]:
    """The tokens of `text`, at most MAX_TOKENS of them; AnswerError for anything it can't read."""
    tokens: list[Token] = []
    at = 0
    while at < len(text):
        char = text[at]
        if char.isspace():
            at += 1
            continue
        if char in _DIGITS or char == ".":
            end = _number_end(text, at)
            tokens.append(Token("number", text[at:end], at, text[at:end]))
        elif char.isalpha():
            end = _letters_end(text, at)
            tokens.extend(_split_letters(text, at, end, variables))
        elif char in "()":
            end = at + 1
            tokens.append(Token(char, char, at))
        elif char in _OPERATORS:
            # ** is ^ (the Python spelling); * * with a space is not.
            end = at + 2 if text.startswith("**", at) else at + 1
            op = "^" if end == at + 2 else _OPERATORS[char]
            tokens.append(Token("op", text[at:end], at, op))
        else:
            raise AnswerError(_unknown_character(text, at, variables))
        if len(tokens) > MAX_TOKENS:
            raise AnswerError(f"The answer is too long: at most {MAX_TOKENS} numbers, letters and signs")
        at = end
    return tokens


def _number_end(text: str, start: int) -> int:
    """Where the number at `start` ends: digits, or digits with one point and a digit after it."""
    end = _digits_end(text, start)
    if text.startswith(".", end):
        end = _digits_end(text, end + 1)
        if text[end - 1] == "." or text.startswith(".", end):  # 3. or 1.2.3
            while end < len(text) and text[end] in _DIGITS + ".":
                end += 1
            raise AnswerError(
                f'I didn\'t understand "{text[start:end]}" (character {start + 1}): '
                "write numbers like 3, 0.5 or .5"
            )
    exponent_end = _scientific_end(text, end)
    if exponent_end:
        raise AnswerError(
            f'"{text[start:exponent_end]}" (character {start + 1}) looks like scientific notation, which '
            "is not understood: write 1000 as 10^3 and 0.001 as 10^(-3)"
        )
    return end


def _digits_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] in _DIGITS:
        end += 1
    return end


def _scientific_end(text: str, at: int) -> int:
    """Where 1e3 or 1e-3 ends if `at`, right after a number, starts one, else 0.

    Read by the grammar, they would be 1·e·3 and 1·e − 3: refused instead.
    """
    if not text.startswith(("e", "E"), at):
        return 0
    digits = at + 2 if text[at + 1 : at + 2] in ("+", "-", "−") else at + 1
    end = _digits_end(text, digits)
    return end if end > digits else 0


def _letters_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end].isalpha():
        end += 1
    return end


def _split_letters(text: str, start: int, end: int, variables: tuple[str, ...]) -> list[Token]:
    """The tokens of a run of letters: one known name, or else single letters (and pi) side by side (xy)."""
    run = text[start:end]
    whole = _name_token(run, start, variables)
    if whole is not None:
        return [whole]
    tokens = []
    at = start
    while at < end:
        # Greedy pi first, so 2pir is 2·pi·r; "pi" alone was taken whole above.
        size = 2 if text.startswith("pi", at) and at + 2 <= end else 1
        token = _name_token(text[at : at + size], at, variables)
        if token is None:
            raise AnswerError(_unknown_name(run, start, variables))
        tokens.append(token)
        at += size
    return tokens


def _name_token(name: str, at: int, variables: tuple[str, ...]) -> Token | None:
    if name in FUNCTIONS:
        return Token("function", name, at, name)
    if name in variables:
        return Token("variable", name, at, name)
    if name in ("pi", "π", "e"):
        return Token("constant", name, at, "e" if name == "e" else "pi")
    return None


def _unknown_name(run: str, at: int, variables: tuple[str, ...]) -> str:
    lower = run.lower()
    if lower in FUNCTIONS or lower in ("pi", "e"):
        return f'Write "{run}" in small letters: {lower}'
    if lower in ("arcsin", "arccos", "arctan"):
        return f'Write "{run}" as a{lower[3:]}'
    for function in sorted(FUNCTIONS, key=len, reverse=True):
        if run.startswith(function):  # sinx
            return f"{function} needs parentheses: {function}({example_letter(variables)})"
        if run.endswith(function):  # xsin(x)
            return (
                f'I didn\'t understand "{run}" (character {at + 1}): put a space or * before {function}, '
                f"as in {example_letter(variables)} {function}({example_letter(variables)})"
            )
    if len(run) == 1 and not variables:
        return f'I didn\'t understand "{run}" (character {at + 1}): this answer is a number, with no letters but pi and e'
    if len(run) == 1:
        allowed = ", ".join(variables)
        return f'I didn\'t understand "{run}" (character {at + 1}): the only letters this answer can use are {allowed}, pi and e'
    return f'I didn\'t understand "{run}" (character {at + 1}): {_what_to_use(variables)}'


def _unknown_character(text: str, at: int, variables: tuple[str, ...]) -> str:
    char = text[at]
    if char == "," and text[at - 1 : at] in tuple(_DIGITS) and text[at + 1 : at + 2] in tuple(_DIGITS):
        return f"Write decimals with a point (character {at + 1}): 0.5, not 0,5"
    shown = char if char.isprintable() else f"U+{ord(char):04X}"
    hint = _CHARACTER_HINTS.get(char) or _what_to_use(variables)
    return f'I didn\'t understand "{shown}" (character {at + 1}): {hint}'


def _what_to_use(variables: tuple[str, ...]) -> str:
    letters = ", ".join((*variables, "pi", "e"))
    return f"use numbers, {letters}, + − × ÷ ^, parentheses and sin, cos, tan, exp, ln, sqrt, …"


def example_letter(variables: tuple[str, ...]) -> str:
    """A letter for the examples in messages: sin(x) where x is declared, else sin(2)."""
    return variables[0] if variables else "2"
