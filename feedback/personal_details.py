"""Take personal details out of what readers type, before it is stored. Pure: text in, text out.

Readers write details any way they like: 07700/900123, jo at example dot com, 12.03.80. Each
pattern leans towards removing: a lost word in a comment costs less than a kept address."""

import re

EMAIL = re.compile(r"[\w.+-]+\s*@\s*[\w-]+(?:\s*\.\s*[\w-]+)+")
# "jo at example dot com", "jo [at] example [dot] co [dot] uk", "jo(at)example.com": spelled out,
# the address must end in letters after a dot ("at 7.30" is a time, not an address).
SPELLED_AT = r"(?:\s*[\[(]\s*at\s*[\])]\s*|\s+at\s+)"
SPELLED_DOT = r"(?:\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+|\.)"
SPELLED_EMAIL = re.compile(rf"[\w.+-]+{SPELLED_AT}[\w-]+(?:{SPELLED_DOT}[\w-]+)*{SPELLED_DOT}[a-z]{{2,}}\b", re.I)
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = re.compile(
    r"\b\d{1,2}[/._-]\d{1,2}[/._-](?:\d{4}|\d{2})\b"  # 12/03/1980, 12.03.80
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS},?\s+\d{{4}}\b"  # 3rd March 1980
    rf"|\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",  # March 3, 1980
    re.I,
)
# A UK postcode: SW1A 1AA, M1 1AE (the inward part's letters never include C, I, K, M, O or V).
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.I)
# A run of digits and the separators people type between them (spaces, dots, dashes, slashes,
# underscores, brackets), with an optional leading +. Runs with at least 9 digits are phone or NHS
# numbers (UK phone numbers have 10 or 11 digits, NHS numbers 10; 999 and 111 are left alone).
NUMBER_RUN = re.compile(r"\+?\(?\d[\d\s()./_-]*\d")
PHONE_MIN_DIGITS = 9


def remove_personal_details(text):
    """The text with email addresses, phone and NHS numbers, postcodes and dates (of birth, say)
    replaced by a note that they were removed."""
    text = EMAIL.sub("[email removed]", text)
    text = SPELLED_EMAIL.sub("[email removed]", text)
    text = DATE.sub("[date removed]", text)
    text = POSTCODE.sub("[postcode removed]", text)

    def phone(match):
        digits = sum(character.isdigit() for character in match.group())
        return "[phone number removed]" if digits >= PHONE_MIN_DIGITS else match.group()

    return NUMBER_RUN.sub(phone, text)
