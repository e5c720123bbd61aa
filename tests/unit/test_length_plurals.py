"""The too-long field message counts characters with the Russian plural forms (issue 17: «201 символов»)."""
import pytest

from app.domain.validation import _check_length
from app.errors import UserError


@pytest.mark.parametrize("n, word", [(201, "символ"), (202, "символа"), (205, "символов"), (211, "символов")])
def test_too_long_counts_with_the_right_plural(n, word):
    with pytest.raises(UserError) as caught:
        _check_length("x" * n, "ФИО", 200)
    assert str(caught.value) == f"Поле «ФИО» слишком длинное: {n} {word}, допустимо не более 200."
