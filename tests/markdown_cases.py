"""Markdown an editor could type that is hard on a parser: each case is MAX_LENGTH characters or
just under. Shared by the tests and `make bench`."""

from guides.markdown import MAX_LENGTH


def repeated(unit, tail=""):
    return unit * ((MAX_LENGTH - len(tail)) // len(unit)) + tail


HOSTILE_MARKDOWN = {
    "nested list markers": repeated("- ", "x"),
    "nested numbered lists": repeated("1. ", "x"),
    "nested quotes": repeated("> ", "x"),
    "open brackets": repeated("["),
    "open image brackets": repeated("!["),
    "unfinished links": repeated("[a]("),
    "brackets in brackets": repeated("[[]]("),
    "emphasis runs": repeated("*a"),
    "strong runs": repeated("a**"),
    "underscores": repeated("_a"),
    "backticks": repeated("`a"),
    "angle brackets": repeated("<a"),
    "entities": repeated("&#"),
    "backslashes": repeated("\\"),
    "link definitions": repeated("[a]: b\n"),
    "setext headings": repeated("a\n=\n"),
    "raw html": repeated("<div onclick=x>\n"),
    "one long line": repeated("a"),
}
