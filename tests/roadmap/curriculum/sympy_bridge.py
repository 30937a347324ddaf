"""An answer-grammar tree as a sympy expression, for tests that recompute curated keys.

sympy is a dev dependency only: the app grades in floats (answers.evaluate) and
never imports it. Numbers become exact Rationals (0.5 is 1/2), the variables
plain Symbols (as in a problem's `compute` namespace), pi and e sympy's own.
Exact powers are computed exactly, so keep this to curated keys and small
trees: 9^9^9 here would build an integer of 370 million digits.
"""

import sympy

from roadmap.curriculum.answers import Binary, Call, Constant, Node, Number, Unary, Variable

_FUNCTIONS = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "asin": sympy.asin,
    "acos": sympy.acos,
    "atan": sympy.atan,
    "sinh": sympy.sinh,
    "cosh": sympy.cosh,
    "tanh": sympy.tanh,
    "exp": sympy.exp,
    "ln": sympy.log,
    "log": sympy.log,  # natural, in the grammar as in sympy
    "sqrt": sympy.sqrt,
    "abs": sympy.Abs,
}
_CONSTANTS = {"pi": sympy.pi, "e": sympy.E}


def to_sympy(node: Node) -> sympy.Expr:
    """The sympy expression of an answer tree."""
    match node:
        case Number(text=text):
            return sympy.Rational(text)
        case Variable(name=name):
            return sympy.Symbol(name)
        case Constant(name=name):
            return _CONSTANTS[name]
        case Unary(operand=operand):
            return -to_sympy(operand)
        case Call(function=function, argument=argument):
            return _FUNCTIONS[function](to_sympy(argument))
        case Binary(op=op, left=left, right=right):
            return _combine(op, to_sympy(left), to_sympy(right))
    raise TypeError(f"not an answer tree: {node!r}")


def _combine(op: str, left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "/":
        return left / right
    return left**right
