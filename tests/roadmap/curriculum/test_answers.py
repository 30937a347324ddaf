"""The answer grammar on plain text (no database): what parses, to what, and what each refusal says.

The fuzzing, and the sympy bridge's check, are in test_answers_fuzz.py."""

import math

import pytest

from roadmap.curriculum.answers import (
    FUNCTIONS,
    AnswerError,
    Binary,
    Call,
    Constant,
    Number,
    Unary,
    Variable,
    evaluate,
    parse,
    to_text,
    variables_in,
)

X = Variable("x")


def value(text: str, **values: float) -> float:
    return evaluate(parse(text, values), values)


def explicit(text: str, variables: tuple[str, ...] = ("x", "y", "r")) -> str:
    """How the parser read `text`, every operator written out."""
    return to_text(parse(text, variables))


def refusal(text: str, variables: tuple[str, ...] = ("x",)) -> str:
    with pytest.raises(AnswerError) as caught:
        parse(text, variables)
    return str(caught.value)


def test_parse_builds_the_tree():
    assert parse("-x^2 + sin(2x)", ["x"]) == Binary(
        "+",
        Unary("-", Binary("^", X, Number(2.0, "2"))),
        Call("sin", Binary("*", Number(2.0, "2"), X)),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2*3", 7),
        ("(1 + 2)*3", 9),
        ("2 - 3 - 4", -5),  # left-associative
        ("8/4/2", 1),
        ("2*3/4*5", 7.5),
        ("2^3^2", 512),  # right-associative: 2^(3^2)
        ("(2^3)^2", 64),
        ("-2^2", -4),  # ^ binds tighter than unary minus
        ("(-2)^2", 4),
        ("2*3^2", 18),
        ("-3 - -2", -1),
        ("2*-3", -6),
        ("--2", 2),
        ("+2", 2),
        ("2^(-1)", 0.5),
        ("1 - 2^2^0 * 3", -5),
    ],
)
def test_precedence_and_associativity(text, expected):
    assert value(text) == pytest.approx(expected)


def test_minus_x_squared_is_the_negated_square():
    assert value("-x^2", x=3) == -9
    assert parse("-x^2", ["x"]) == Unary("-", Binary("^", X, Number(2.0, "2")))


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("2x", "2*x"),
        ("2 x", "2*x"),
        ("2(x+1)", "2*(x + 1)"),
        ("x sin(x)", "x*sin(x)"),
        ("(x+1)(x-1)", "(x + 1)*(x - 1)"),
        ("2pi", "2*pi"),
        ("2π", "2*pi"),
        ("xy", "x*y"),
        ("2xy", "2*x*y"),
        ("xyr", "x*y*r"),
        ("2pir", "2*pi*r"),
        ("πr", "pi*r"),
        ("ex", "e*x"),
        ("xe^x", "x*e^x"),  # the power binds first
        ("2x^2", "2*x^2"),
        ("x^2 y", "x^2*y"),
        ("sin(x)cos(x)", "sin(x)*cos(x)"),
        ("x(x+1)", "x*(x + 1)"),
        ("2 sqrt(x)", "2*sqrt(x)"),
        ("-2x", "-2*x"),
        ("x/2 + 3x", "x/2 + 3*x"),
        ("2x/3", "2*x/3"),  # the juxtaposition is on the left of /: not ambiguous
        ("2e", "2*e"),
        ("2e - 3", "2*e - 3"),
    ],
)
def test_implicit_multiplication(text, read_as):
    assert explicit(text) == read_as


def test_a_whole_known_name_wins_over_its_letters():
    # exp, pi and a declared multi-letter name are read whole, never as e·x·p.
    assert parse("exp(x)", ["x", "p"]) == Call("exp", X)
    assert parse("pi", ["p", "i"]) == Constant("pi")
    assert parse("ab", ["a", "b", "ab"]) == Variable("ab")


@pytest.mark.parametrize(
    ("text", "ascii_text"),
    [
        ("3 − 1", "3 - 1"),
        ("2 × 3", "2*3"),
        ("2 · 3", "2*3"),
        ("6 ÷ 3", "6/3"),
        ("π/2", "pi/2"),
        ("x**2", "x^2"),
        ("2**3**2", "2^3^2"),
        ("−x ÷ (2 × π)", "-x/(2*pi)"),
    ],
)
def test_unicode_operators_and_the_python_power(text, ascii_text):
    assert parse(text, ["x"]) == parse(ascii_text, ["x"])


@pytest.mark.parametrize(
    ("text", "expected"), [("3", 3), ("0.5", 0.5), (".5", 0.5), ("007", 7), ("12.250", 12.25)]
)
def test_numbers(text, expected):
    assert value(text) == expected
    assert parse(text) == Number(expected, text)


def test_constants():
    assert value("pi") == math.pi
    assert value("π") == math.pi
    assert value("e") == math.e
    assert value("e^2") == pytest.approx(math.e**2)


MATH_OF = {
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
    "log": math.log,  # natural
    "sqrt": math.sqrt,
    "abs": abs,
}


def test_the_functions_are_the_grammars():
    assert set(MATH_OF) == set(FUNCTIONS)


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("x", [0.3, 0.75])
def test_every_function(function, x):
    assert value(f"{function}(x)", x=x) == pytest.approx(MATH_OF[function](x), rel=1e-15)
    assert value(f"{function}(-x)", x=x) == pytest.approx(math_or_nan(MATH_OF[function], -x), nan_ok=True)


def math_or_nan(function, x: float) -> float:
    try:
        return function(x)
    except ValueError:
        return math.nan


def test_log_is_the_natural_log():
    assert value("log(e^3)") == pytest.approx(3)
    assert parse("log(x)", ["x"]) != parse("ln(x)", ["x"])  # different names,
    assert value("log(x) - ln(x)", x=7) == 0  # the same function


@pytest.mark.parametrize(
    "text", ["sqrt(-1)", "ln(0)", "log(-2)", "0/0", "1/0", "asin(2)", "acos(-1.5)", "(-8)^(1/3)", "0^(-1)"]
)
def test_undefined_values_are_nan(text):
    assert math.isnan(value(text))


@pytest.mark.parametrize("text", ["9^9^9^9", "exp(1000)", "sinh(1000)", "10^400", "sin(10^400)"])
def test_overflow_is_nan_not_an_error(text):
    assert math.isnan(value(text))


def test_a_float_overflow_of_a_product_is_inf():
    assert value("(10^200)*(10^200)") == math.inf


def test_undefined_stays_undefined_through_a_power():
    # math.pow says nan^0 = 1 and 1^nan = 1; an answer built on 0/0 is undefined.
    assert math.isnan(value("(0/0)^0"))
    assert math.isnan(value("1^(ln(0))"))


def test_evaluate_needs_every_variable():
    with pytest.raises(KeyError):
        evaluate(parse("x + y", ["x", "y"]), {"x": 1.0})


def test_variables_in():
    assert variables_in(parse("x sin(y) + 2pi e", ["x", "y", "z"])) == {"x", "y"}
    assert variables_in(parse("-x^2 + ln(x)", ["x"])) == {"x"}
    assert variables_in(parse("3")) == frozenset()


def test_trees_are_immutable_and_comparable():
    tree = parse("2x + 1", ["x"])
    with pytest.raises(AttributeError):
        tree.op = "-"
    assert tree == parse("2*x+1", ["x"])
    assert hash(tree) == hash(parse("2*x+1", ["x"]))


@pytest.mark.parametrize("name", ["sin", "e", "pi", "π", "x1", "", "x_y"])
def test_a_bad_variable_name_is_the_callers_mistake(name):
    with pytest.raises(ValueError, match="can't be a variable") as caught:
        parse("1", [name])
    assert not isinstance(caught.value, AnswerError)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "x.__class__",
        "lambda: 1",
        "exec('1')",
        "eval(x)",
        "1 if x else 2",
        "[x]",
    ],
)
def test_python_is_not_an_answer(text):
    refusal(text)


USE = "use numbers, x, pi, e, + − × ÷ ^, parentheses and sin, cos, tan, exp, ln, sqrt, …"
NOT_AN_ANSWER = "an answer is one number or one formula, without = , ; ! % < or >"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The answer is empty"),
        ("  \t ", "The answer is empty"),
        ("x" * 201, "The answer is too long: at most 200 characters"),
        ("1+" * 50 + "1", "The answer is too long: at most 100 numbers, letters and signs"),
        ("(" * 31 + "1" + ")" * 31, "Too many brackets inside each other: at most 30"),
        ("sin(" * 31 + "1" + ")" * 31, "Too many brackets inside each other: at most 30"),
        ("foo", f'I didn\'t understand "foo" (character 1): {USE}'),
        (
            "2 + f(x)",
            'I didn\'t understand "f" (character 5): the only letters this answer can use are x, pi and e',
        ),
        (
            "x + y",
            'I didn\'t understand "y" (character 5): the only letters this answer can use are x, pi and e',
        ),
        ("1 + _", f'I didn\'t understand "_" (character 5): {USE}'),
        ("x\u200b", f'I didn\'t understand "U+200B" (character 2): {USE}'),
        ("x = 2", f'I didn\'t understand "=" (character 3): {NOT_AN_ANSWER}'),
        ("1, 2", f'I didn\'t understand "," (character 2): {NOT_AN_ANSWER}'),
        ("5!", f'I didn\'t understand "!" (character 2): {NOT_AN_ANSWER}'),
        ("50%", f'I didn\'t understand "%" (character 3): {NOT_AN_ANSWER}'),
        ("0,5", "Write decimals with a point (character 2): 0.5, not 0,5"),
        ("[x]", 'I didn\'t understand "[" (character 1): use round brackets ( ) only'),
        ("{x}", 'I didn\'t understand "{" (character 1): use round brackets ( ) only'),
        ("|x|", 'I didn\'t understand "|" (character 1): write abs(x) for |x|'),
        ("√x", 'I didn\'t understand "√" (character 1): write sqrt(x) for a square root'),
        ("x²", 'I didn\'t understand "²" (character 2): write powers with ^, as in x^2'),
        ("3.", 'I didn\'t understand "3." (character 1): write numbers like 3, 0.5 or .5'),
        ("x + 3.x", 'I didn\'t understand "3." (character 5): write numbers like 3, 0.5 or .5'),
        ("1.2.3", 'I didn\'t understand "1.2.3" (character 1): write numbers like 3, 0.5 or .5'),
        (".", 'I didn\'t understand "." (character 1): write numbers like 3, 0.5 or .5'),
        ("sin x", "sin needs parentheses: sin(x)"),
        ("sinx", "sin needs parentheses: sin(x)"),
        ("sinhx", "sinh needs parentheses: sinh(x)"),
        ("2 sqrt", "sqrt needs parentheses: sqrt(x)"),
        ("xsin(x)", 'I didn\'t understand "xsin" (character 1): put a space or * before sin, as in x sin(x)'),
        ("sin^2(x)", "Write sin(x)^2 rather than sin^2(x)"),
        ("Sin(x)", 'Write "Sin" in small letters: sin'),
        ("PI", 'Write "PI" in small letters: pi'),
        ("E^x", 'Write "E" in small letters: e'),
        ("arcsin(x)", 'Write "arcsin" as asin'),
        ("arctan(x)", 'Write "arctan" as atan'),
        ("(x + 1", 'A bracket is not closed: the "(" at character 1 needs a ")"'),
        ("sin(x", 'A bracket is not closed: the "(" at character 4 needs a ")"'),
        ("((x)", 'A bracket is not closed: the "(" at character 1 needs a ")"'),
        ("2(", 'A bracket is not closed: the "(" at character 2 needs a ")"'),
        ("x + 1)", 'The ")" at character 6 has no "(" before it'),
        ("()", "The brackets at character 1 are empty: put something inside"),
        ("sin()", "The brackets at character 4 are empty: put something inside"),
        ("2 +", 'The answer ends with "+": something is missing after it'),
        ("x^", 'The answer ends with "^": something is missing after it'),
        ("-", 'The answer ends with "-": something is missing after it'),
        ("*2", 'Something is missing before "*" (character 1)'),
        ("x ÷ ÷ 2", 'Something is missing between "÷" and "÷" (character 5)'),
        ("(x + )", 'Something is missing between "+" and ")" (character 6)'),
        ("2***3", 'Something is missing between "**" and "*" (character 4)'),
        ("x2", 'Write * before the number "2" (character 2), as in 2*3'),
        ("2 3", 'Write * before the number "3" (character 3), as in 2*3'),
        ("(x+1)2", 'Write * before the number "2" (character 6), as in 2*3'),
        ("1/2x", '"1/2x" is ambiguous (character 2): write 1/(2x) or (1/2)x'),
        ("x + 1/2 sin(x)", '"1/2 sin(x)" is ambiguous (character 6): write 1/(2 sin(x)) or (1/2) sin(x)'),
        ("3x/2(x+1)", '"3x/2(x+1)" is ambiguous (character 3): write 3x/(2(x+1)) or (3x/2)(x+1)'),
        ("2^-3", "A negative exponent needs parentheses (character 2): write 2^(-3), not 2^-3"),
        ("e^-x", "A negative exponent needs parentheses (character 2): write e^(-x), not e^-x"),
        ("x**−2", "A negative exponent needs parentheses (character 2): write x^(−2), not x^−2"),
        (
            "1e3",
            '"1e3" (character 1) looks like scientific notation, which is not understood: write 1000 as 10^3 and 0.001 as 10^(-3)',
        ),
        (
            "2.5E-4",
            '"2.5E-4" (character 1) looks like scientific notation, which is not understood: write 1000 as 10^3 and 0.001 as 10^(-3)',
        ),
    ],
)
def test_refusals_say_what_was_not_understood_and_where(text, message):
    assert refusal(text) == message


def test_a_number_answer_takes_no_letters_but_pi_and_e():
    assert refusal("2x", ()) == (
        'I didn\'t understand "x" (character 2): this answer is a number, with no letters but pi and e'
    )
    assert (
        refusal("sin(t)", ())
        == 'I didn\'t understand "t" (character 5): this answer is a number, with no letters but pi and e'
    )
    assert refusal("sin 2", ()) == "sin needs parentheses: sin(2)"


def test_the_messages_list_the_declared_letters():
    assert refusal("xyz", ("x", "y")) == (
        'I didn\'t understand "xyz" (character 1): use numbers, x, y, pi, e, + − × ÷ ^, '
        "parentheses and sin, cos, tan, exp, ln, sqrt, …"
    )


@pytest.mark.parametrize(
    "text", ["(" * 30 + "x" + ")" * 30, "1+" * 49 + "1", "x" * 100, "  ".join(["x"] * 66)[:200], "9" * 200]
)
def test_the_limits_themselves_are_allowed(text):
    parse(text, ["x"])


def test_the_length_limit_counts_characters_not_tokens():
    assert refusal(" " * 199 + "12") == "The answer is too long: at most 200 characters"


@pytest.mark.parametrize(
    ("tree", "text"),
    [
        (Binary("-", X, Binary("-", X, X)), "x - (x - x)"),
        (Binary("-", Binary("-", X, X), X), "x - x - x"),
        (Binary("/", X, Binary("*", X, X)), "x/(x*x)"),
        (Binary("^", Binary("^", X, X), X), "(x^x)^x"),
        (Binary("^", X, Binary("^", X, X)), "x^x^x"),
        (Binary("^", Unary("-", X), Number(2.0, "2")), "(-x)^2"),
        (Binary("^", X, Unary("-", X)), "x^(-x)"),
        (Unary("-", Binary("*", X, X)), "-(x*x)"),
        (Unary("-", Unary("-", X)), "--x"),
        (Binary("-", X, Unary("-", X)), "x - -x"),
        (Binary("*", X, Unary("-", X)), "x*-x"),
        (Binary("^", Call("sin", X), Constant("e")), "sin(x)^e"),
    ],
)
def test_to_text_writes_only_the_brackets_the_tree_needs(tree, text):
    assert to_text(tree) == text
    assert parse(text, ["x"]) == tree


def test_the_deepest_allowed_power_tower_is_undefined_not_a_hang():
    tower = "9^" * 49 + "9"  # 99 tokens, the most the limit allows
    assert math.isnan(value(tower))
    assert math.isnan(evaluate(parse("x^" * 49 + "x", ["x"]), {"x": 3.0}))


def test_a_ten_thousand_deep_nesting_is_refused_before_it_is_read():
    assert refusal("(" * 10_000 + "1" + ")" * 10_000) == "The answer is too long: at most 200 characters"
    assert refusal("(" * 40 + "1" + ")" * 40) == "Too many brackets inside each other: at most 30"


def test_a_long_number_is_refused_and_a_long_allowed_one_is_a_float():
    assert refusal("9" * 10**5) == "The answer is too long: at most 200 characters"
    assert value("9" * 200) == pytest.approx(10.0**200)
