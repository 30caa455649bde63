"""Take personal details out of what readers type, before it is stored. Pure: text in, text out."""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits, spaces, dots, dashes and brackets, with an optional leading +. Runs with at
# least 9 digits are phone numbers (UK numbers have 10 or 11; 999, 111 and dates are left alone).
NUMBER_RUN = re.compile(r"\+?\(?\d[\d\s().-]*\d")
PHONE_MIN_DIGITS = 9


def remove_personal_details(text):
    """The text with email addresses and phone numbers replaced by a note that they were removed."""
    text = EMAIL.sub("[email removed]", text)

    def phone(match):
        digits = sum(character.isdigit() for character in match.group())
        return "[phone number removed]" if digits >= PHONE_MIN_DIGITS else match.group()

    return NUMBER_RUN.sub(phone, text)
