"""The answer grammar: what a learner types as the answer to a check problem.

parse() reads one number or one formula into a small immutable tree, and
evaluate() computes it in plain floats. The grammar is the contract of
"The answer grammar" in the problems spec (numbers, the declared variables,
pi and e, + - * / ^, brackets, a fixed list of functions, implicit
multiplication). User text is only ever read by the hand-written tokenizer
(answer_tokens.py) and the parser here: never eval, exec, compile or sympify.

The work is bounded before it starts (MAX_CHARACTERS, MAX_TOKENS, MAX_DEPTH),
and every number is a float, so evaluation is linear in the tree and no
power can build a huge integer. Imports nothing from the project and no Django.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from roadmap.curriculum.answer_tokens import (
    FUNCTIONS,
    MAX_TOKENS,
    AnswerError,
    Token,
    checked_variables,
    example_letter,
    tokenize,
)

# The error and the names are the tokenizer's; callers import them from here.
__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_CHARACTERS",
    "MAX_DEPTH",
    "MAX_TOKENS",
    "AnswerError",
    "Binary",
    "Call",
    "Constant",
    "Node",
    "Number",
    "Unary",
    "Variable",
    "evaluate",
    "parse",
    "to_text",
    "variables_in",
]

MAX_CHARACTERS = 200
MAX_DEPTH = 30  # brackets (a function's included) inside each other

# FUNCTIONS (answer_tokens.py) as floats; a test holds the two to the same names.
_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "exp": math.exp,
    "ln": math.log,
    "log": math.log,
    "sqrt": math.sqrt,
    "abs": math.fabs,
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}


@dataclass(frozen=True, slots=True)
class Number:
    value: float
    text: str  # as typed, so the tree prints back the same (and sympy can read it exactly)


@dataclass(frozen=True, slots=True)
class Variable:
    name: str


@dataclass(frozen=True, slots=True)
class Constant:
    name: str  # "pi" or "e"


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" only: a unary plus leaves no node
    operand: "Node"


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # "+", "-", "*", "/" or "^"; implicit multiplication is "*"
    left: "Node"
    right: "Node"


@dataclass(frozen=True, slots=True)
class Call:
    function: str  # one of FUNCTIONS
    argument: "Node"


Node = Number | Variable | Constant | Unary | Binary | Call


def parse(text: str, variables: Iterable[str] = ()) -> Node:
    """The tree of `text`, which may use the letters in `variables`; AnswerError if it is not an answer.

    A bad variable name (not letters, or a function's or constant's name) is
    the caller's mistake and raises a plain ValueError.
    """
    names = checked_variables(variables)
    if len(text) > MAX_CHARACTERS:
        raise AnswerError(f"The answer is too long: at most {MAX_CHARACTERS} characters")
    if not text.strip():
        raise AnswerError("The answer is empty")
    return _Parser(text, tokenize(text, names), names).parse()


class _Parser:
    """Recursive descent over the tokens, one method per precedence level (loosest first).

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary | power)*      the bare power is implicit multiplication
    unary      := ("+" | "-")* power                      so -x^2 is -(x^2)
    power      := atom ("^" power)?                       right-associative: 2^3^2 is 2^9
    atom       := number | variable | constant | function "(" expression ")" | "(" expression ")"
    """

    def __init__(self, text: str, tokens: list[Token], variables: tuple[str, ...]) -> None:
        self.text = text
        self.tokens = tokens
        self.variables = variables
        self.at = 0
        self.depth = 0

    def parse(self) -> Node:
        node = self.expression()
        token = self.peek()
        if token is not None:  # only a ")" stops an expression early
            raise AnswerError(f'The ")" at character {token.at + 1} has no "(" before it')
        return node

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def is_op(self, ops: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "op" and token.value in ops

    def starts_operand(self) -> bool:
        token = self.peek()
        return token is not None and token.kind in ("number", "variable", "constant", "function", "(")

    def expression(self) -> Node:
        node = self.term()
        while self.is_op("+-"):
            op = self.take().value
            node = Binary(op, node, self.term())
        return node

    def term(self) -> Node:
        start = self.peek()
        node = self.unary()
        while True:
            if self.is_op("*/"):
                op = self.take()
                right_at = self.at
                node = Binary(op.value, node, self.unary())
                if op.value == "/" and self.starts_operand() and self.peek().kind != "number":
                    self.refuse_ambiguous_division(start, op, right_at)
            elif self.starts_operand():
                token = self.peek()
                if token.kind == "number":
                    raise AnswerError(
                        f'Write * before the number "{token.text}" (character {token.at + 1}), as in 2*3'
                    )
                node = Binary("*", node, self.power())
            else:
                return node

    def refuse_ambiguous_division(self, start: Token, slash: Token, right_at: int) -> None:
        # 1/2x reads as (1/2)·x to some and 1/(2x) to others: neither guess is safe to grade.
        right_start = self.tokens[right_at].at
        next_start = self.peek().at
        self.power()
        end = self.peek().at if self.peek() else len(self.text)
        left = self.text[start.at : slash.at].strip()
        divisor = self.text[right_start:end].strip()  # 2x
        dividend = self.text[start.at : next_start].rstrip()  # 1/2
        rest = self.text[len(dividend) + start.at : end]  # x, with the space typed before it
        raise AnswerError(
            f'"{self.text[start.at : end].strip()}" is ambiguous (character {slash.at + 1}): '
            f"write {left}/({divisor}) or ({dividend}){rest}"
        )

    def unary(self) -> Node:
        # A loop, not recursion: a long run of signs costs no stack.
        negations = 0
        while self.is_op("+-"):
            negations += self.take().value == "-"
        node = self.power()
        for _ in range(negations):
            node = Unary("-", node)
        return node

    def power(self) -> Node:
        start = self.peek()
        base = self.atom()
        if not self.is_op("^"):
            return base
        caret = self.take()
        if self.is_op("+-"):
            self.refuse_signed_exponent(start, caret)
        return Binary("^", base, self.power())

    def refuse_signed_exponent(self, start: Token, caret: Token) -> None:
        # The spec asks for e^(-x): a sign after ^ is refused, not guessed at.
        sign = self.peek()
        self.unary()
        end = self.peek().at if self.peek() else len(self.text)
        base = self.text[start.at : caret.at].strip()
        exponent = self.text[sign.at : end].strip()
        raise AnswerError(
            f"A negative exponent needs parentheses (character {caret.at + 1}): "
            f"write {base}^({exponent}), not {base}^{exponent}"
        )

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise AnswerError(self.missing_at_end())
        if token.kind in ("op", ")"):
            raise AnswerError(self.missing_before(token))
        self.take()
        if token.kind == "number":
            return Number(float(token.value), token.value)
        if token.kind == "variable":
            return Variable(token.value)
        if token.kind == "constant":
            return Constant(token.value)
        if token.kind == "function":
            return Call(token.value, self.function_argument(token))
        return self.bracketed(token)

    def function_argument(self, function: Token) -> Node:
        token = self.peek()
        if token is not None and token.kind == "(":
            return self.bracketed(self.take())
        if token is not None and token.value == "^":
            name = function.value
            example = example_letter(self.variables)
            raise AnswerError(f"Write {name}({example})^2 rather than {name}^2({example})")
        raise AnswerError(
            f"{function.value} needs parentheses: {function.value}({example_letter(self.variables)})"
        )

    def bracketed(self, opening: Token) -> Node:
        """What is inside the brackets opened by `opening` (already taken), and the closing one."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise AnswerError(f"Too many brackets inside each other: at most {MAX_DEPTH}")
        token = self.peek()
        if token is not None and token.kind == ")":
            raise AnswerError(f"The brackets at character {opening.at + 1} are empty: put something inside")
        if token is None:
            raise AnswerError(self.not_closed(opening))
        node = self.expression()
        if self.peek() is None:
            raise AnswerError(self.not_closed(opening))
        self.take()  # an expression stops only at the end or at a ")"
        self.depth -= 1
        return node

    def missing_at_end(self) -> str:
        last = self.tokens[-1]
        return f'The answer ends with "{last.text}": something is missing after it'

    def missing_before(self, token: Token) -> str:
        previous = self.tokens[self.at - 1] if self.at > 0 else None
        if previous is not None and previous.kind == "op":
            return f'Something is missing between "{previous.text}" and "{token.text}" (character {token.at + 1})'
        return f'Something is missing before "{token.text}" (character {token.at + 1})'

    def not_closed(self, opening: Token) -> str:
        return f'A bracket is not closed: the "(" at character {opening.at + 1} needs a ")"'


def evaluate(node: Node, values: Mapping[str, float]) -> float:
    """The value of `node` in floats, with `values` for its variables; nan where it is undefined.

    Undefined covers a domain error (sqrt(-1), log(0), asin(2), 0/0, 1/0), a
    complex result ((-8)^(1/3)) and an overflow (9^9^9^9, exp(1000)). A plain
    float overflow of + - × is left as inf, as floats do. A missing variable
    is the caller's mistake: KeyError.
    """
    try:
        return _value(node, values)
    except (ValueError, OverflowError, ZeroDivisionError):
        return math.nan


def _value(node: Node, values: Mapping[str, float]) -> float:
    match node:
        case Number(value=value):
            return value
        case Variable(name=name):
            return float(values[name])
        case Constant(name=name):
            return CONSTANTS[name]
        case Unary(operand=operand):
            return -_value(operand, values)
        case Call(function=function, argument=argument):
            return _FUNCTIONS[function](_value(argument, values))
        case Binary(op=op, left=left, right=right):
            return _combine(op, _value(left, values), _value(right, values))
    raise TypeError(f"not an answer tree: {node!r}")


def _combine(op: str, left: float, right: float) -> float:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        return left / right  # ZeroDivisionError → nan
    # math.pow, never **: floats only, so no huge integer, and a complex result
    # raises instead of coming back as a complex number. nan^0 and 1^nan are 1
    # to math.pow; an undefined base or exponent leaves the power undefined.
    if math.isnan(left) or math.isnan(right):
        return math.nan
    return math.pow(left, right)


def variables_in(node: Node) -> frozenset[str]:
    """The variables `node` uses."""
    match node:
        case Variable(name=name):
            return frozenset((name,))
        case Unary(operand=operand) | Call(argument=operand):
            return variables_in(operand)
        case Binary(left=left, right=right):
            return variables_in(left) | variables_in(right)
    return frozenset()


# How tightly each node binds, for to_text's brackets.
_SUM, _PRODUCT, _NEGATION, _POWER, _ATOM = range(5)
_BINDING = {"+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT, "^": _POWER}


def to_text(node: Node) -> str:
    """`node` in the grammar with explicit operators and only the brackets it needs: parse() reads it back
    to the same tree. Shows a learner how their answer was read: 1/2x is refused, 2x is 2*x."""
    match node:
        case Number(text=text):
            return text
        case Variable(name=name) | Constant(name=name):
            return name
        case Call(function=function, argument=argument):
            return f"{function}({to_text(argument)})"
        case Unary(operand=operand):
            return "-" + _bracketed_below(operand, _NEGATION)
        case Binary(op=op, left=left, right=right):
            binding = _BINDING[op]
            if op == "^":  # right-associative, and the base is an atom: (-x)^2, (a^b)^c
                return f"{_bracketed_below(left, _ATOM)}^{_bracketed_below(right, _POWER)}"
            left_text = _bracketed_below(left, binding)
            right_text = _bracketed_below(right, binding + 1)  # left-associative: a-(b-c)
            return f"{left_text} {op} {right_text}" if binding == _SUM else f"{left_text}{op}{right_text}"
    raise TypeError(f"not an answer tree: {node!r}")


def _binding(node: Node) -> int:
    match node:
        case Binary(op=op):
            return _BINDING[op]
        case Unary():
            return _NEGATION
    return _ATOM


def _bracketed_below(node: Node, binding: int) -> str:
    text = to_text(node)
    return f"({text})" if _binding(node) < binding else text
