"""What a new username may be made of (ACCOUNT_USERNAME_VALIDATORS).

A username is part of the progress page's address and is shown beside a
learner's progress, so one must never pass for another: `аlice` with a
Cyrillic а, or `alice` in fullwidth letters, would. New usernames are plain
ASCII letters, digits and . _ -; allauth already refuses one that differs from
a taken one only in letter case. Accounts made before this rule keep theirs
(it runs at sign-up only).
"""

from django.core.validators import RegexValidator

validators = [
    RegexValidator(
        r"\A[A-Za-z0-9._-]+\Z",
        message=(
            "Use only letters A–Z and a–z, digits, and . _ - in your username: it is part of "
            "your page's address, and letters from other alphabets can look like someone else's."
        ),
        code="invalid_username",
    )
]
