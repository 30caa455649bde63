"""Structure: headings in order, and links that go somewhere real and safe."""

import re

from .items import ERROR, WARNING, Problem



def check_headings(field, headings, start_level, markdown_text):
    problems = []
    if re.search(r"^ {0,3}#(?!#)\s", markdown_text or "", re.M):
        problems.append(Problem(
            WARNING, field, "heading", "A line starting with a single # is removed: use ## for a subheading.",
        ))
    if start_level is None:
        if headings:
            problems.append(Problem(
                ERROR, field, "heading",
                "This text sits under the page's own headings: use **bold** text instead of a subheading.",
                headings[0][1],
            ))
        return problems
    previous = start_level - 1
    for level, text in headings:
        if level < start_level:
            problems.append(Problem(
                ERROR, field, "heading",
                f"This subheading is too big for where it sits: use {'#' * start_level} (not {'#' * level}).", text,
            ))
        elif level > previous + 1:
            problems.append(Problem(
                ERROR, field, "heading",
                f"Headings must go in order: this {'#' * level} needs a {'#' * (previous + 1)} before it.", text,
            ))
        previous = max(level, start_level)
    return problems


def check_links(field, links, link_exists):
    problems = []
    for href in links:
        if href.startswith(("https://", "mailto:", "sms:", "tel:", "#")):
            continue
        if href.startswith("/") and not href.startswith("//"):
            path = href.split("#")[0].split("?")[0]
            if not link_exists(path):
                problems.append(Problem(
                    ERROR, field, "link", f"The link to {href} goes to a page that does not exist. Check the address.",
                    href,
                ))
            continue
        problems.append(Problem(
            ERROR, field, "link",
            f"The link {href} must start with https:// (a secure web address) or / (a page on this site).", href,
        ))
    return problems
