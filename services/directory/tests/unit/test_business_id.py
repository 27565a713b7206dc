import pytest

from directory.domain.business_id import check_digit, normalise_business_id, normalise_register_number
from shared.errors import InvalidInput


@pytest.mark.parametrize("value", ["0112038-9", "0737546-2", "2331972-7"])
def test_real_business_ids_are_valid(value: str) -> None:
    assert normalise_business_id(value) == value


def test_an_old_six_digit_id_gets_its_leading_zero() -> None:
    assert normalise_business_id(" 112038-9 ") == "0112038-9"


@pytest.mark.parametrize("value", ["0112038-8", "0112038", "01120389", "A112038-9", "12345678-9", ""])
def test_wrong_check_digits_and_shapes_are_refused_naming_the_field(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalise_business_id(value)
    assert caught.value.field == "business_id"


def test_remainder_one_is_never_a_valid_id() -> None:
    # Seven digits whose weighted sum leaves remainder 1 have no valid check digit at all.
    digits = next(f"{n:07d}" for n in range(10**6) if check_digit(f"{n:07d}") is None)
    for check in range(10):
        with pytest.raises(InvalidInput):
            normalise_business_id(f"{digits}-{check}")


@pytest.mark.parametrize(("value", "expected"), [("123.456", "123456"), ("1", "1"), ("001.234", "1234")])
def test_register_numbers_are_normalised(value: str, expected: str) -> None:
    assert normalise_register_number(value) == expected


@pytest.mark.parametrize("value", ["12a", "12.34", "", "1234567890"])
def test_bad_register_numbers_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_register_number(value)
