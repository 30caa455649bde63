"""Is each source still there, at the same address, reviewed on the same day?

Pure apart from the network: addresses in, one `SourceCheck` per address out. No Django
model is touched here; `check_sources` stores the answers on the Source records.

Each address is asked for with a HEAD first (cheap, and enough to see a broken or moved page),
then with a GET to read the page's "last reviewed" date, or to ask again when a server refuses
HEAD. Redirects are followed by hand, one hop at a time, so that nothing but http and https is
ever opened (urllib alone would follow a redirect to ftp://) and so that we can say where a
moved page went.
"""

import html
import http.client
import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

OK = "ok"
BROKEN = "broken"
MOVED = "moved"
CHANGED = "changed"

MAX_REDIRECTS = 5
# A "last reviewed" line sits near the foot of a page, but pages are seldom this big.
MAX_PAGE_BYTES = 1_000_000
WEB_SCHEMES = ("http", "https")
HEAD_REFUSED = (405, 501)


@dataclass(frozen=True)
class SourceCheck:
    url: str
    status: str  # OK, BROKEN, MOVED or CHANGED
    final_url: str = ""
    http_status: int | None = None
    reviewed_on: date | None = None  # the "last reviewed" date the page shows now, if any
    detail: str = ""

    @property
    def is_problem(self):
        return self.status != OK


def user_agent_for(site_url):
    """Names us and where to find us, so a site's owner knows who is knocking and why."""
    return f"backcare-source-check/1.0 (+{site_url}; checks the sources cited on backcare's pages)"


def default_user_agent():
    from django.conf import settings

    return user_agent_for(settings.BACKCARE_SITE_URL)


def check_addresses(addresses, *, timeout=10, user_agent=None, pause=1.0):
    """Checks each `(url, last_reviewed, checked_on)` once (a repeated address is asked for once),
    waiting `pause` seconds before asking the same host again. Returns {url: SourceCheck}."""
    user_agent = user_agent or default_user_agent()
    results = {}
    last_asked = {}
    for url, last_reviewed, checked_on in addresses:
        if url in results:
            continue
        host = urlsplit(url).hostname
        if host in last_asked:
            time.sleep(max(0.0, pause - (time.monotonic() - last_asked[host])))
        results[url] = check_address(
            url, last_reviewed=last_reviewed, checked_on=checked_on, timeout=timeout, user_agent=user_agent
        )
        last_asked[host] = time.monotonic()
    return results


def check_address(url, *, last_reviewed=None, checked_on=None, timeout=10, user_agent=None):
    """Asks for one address and says what became of it. The review date it shows counts as changed
    when it differs from `last_reviewed` (what the page showed last time), or when it is later than
    `checked_on` (the day an editor last checked our copy against the page): that stays a problem
    until an editor checks again."""
    user_agent = user_agent or default_user_agent()
    if not _is_web_address(url):
        return SourceCheck(url, BROKEN, detail="Not a web address: only http and https addresses are checked.")
    try:
        final_url, status, body = _fetch(url, timeout, user_agent)
    except _Refused as refusal:
        return SourceCheck(url, BROKEN, detail=str(refusal))
    except TimeoutError:
        return SourceCheck(url, BROKEN, detail=f"No answer within {timeout:g} seconds.")
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        return SourceCheck(url, BROKEN, detail=f"Could not connect: {_reason(error)}.")
    if status >= 400:
        return SourceCheck(url, BROKEN, final_url, status, detail=f"The site answered {status}.")
    reviewed_on = review_date_in(body)
    if _differs(final_url, url):
        return SourceCheck(url, MOVED, final_url, status, reviewed_on, f"Moved to {final_url}")
    if last_reviewed and reviewed_on and reviewed_on != last_reviewed:
        detail = f"Last reviewed {_day(reviewed_on)} (was {_day(last_reviewed)})."
        return SourceCheck(url, CHANGED, final_url, status, reviewed_on, detail)
    if checked_on and reviewed_on and reviewed_on > checked_on:
        detail = f"Last reviewed {_day(reviewed_on)}, after we last checked it on {_day(checked_on)}."
        return SourceCheck(url, CHANGED, final_url, status, reviewed_on, detail)
    return SourceCheck(url, OK, final_url, status, reviewed_on)


def _day(day):
    return f"{day.day} {day:%B %Y}"


class _Refused(Exception):
    pass


def _fetch(url, timeout, user_agent):
    """HEAD, then GET; returns (final address, status, page text). A HEAD that finds the page
    broken settles it; a server that refuses HEAD (405, 501) is asked again with GET."""
    final_url, status, _ = _follow(url, "HEAD", timeout, user_agent)
    if status >= 400 and status not in HEAD_REFUSED:
        return final_url, status, ""
    return _follow(final_url if status < 400 else url, "GET", timeout, user_agent)


def _follow(url, method, timeout, user_agent):
    opener = _opener()
    for _ in range(MAX_REDIRECTS + 1):
        request = urllib.request.Request(url, method=method, headers=_headers(user_agent))
        with opener.open(request, timeout=timeout) as response:
            status = response.status
            location = response.headers.get("Location")
            if status in (301, 302, 303, 307, 308) and location:
                next_url = urljoin(url, location)
                if not _is_web_address(next_url):
                    raise _Refused(f"Redirected to {next_url}, which is not a web address.")
                url = next_url
                continue
            body = _read_text(response) if method == "GET" and status < 400 else ""
            return url, status, body
    raise _Refused(f"More than {MAX_REDIRECTS} redirects.")


def _opener():
    """An opener that speaks only HTTP(S), follows no redirect and raises for no status: each
    answer comes back as it is (no file://, ftp:// or data: handler is ever installed)."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler()):
        opener.add_handler(handler)
    return opener


def _headers(user_agent):
    return {
        "User-Agent": user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        "Accept-Language": "en-GB,en;q=0.8",
    }


def _read_text(response):
    content_type = response.headers.get("Content-Type", "")
    if content_type and "html" not in content_type and "text" not in content_type:
        return ""  # a PDF or an image has no review line we could read
    charset = response.headers.get_content_charset() or "utf-8"
    try:
        return response.read(MAX_PAGE_BYTES).decode(charset, errors="replace")
    except LookupError:
        return response.read(MAX_PAGE_BYTES).decode("utf-8", errors="replace")


def _is_web_address(url):
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def _differs(final_url, url):
    """A redirect that lands on the same address (give or take a fragment) is not a move."""
    return final_url.split("#")[0] != url.split("#")[0]


def _reason(error):
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return "no such host"
    if isinstance(reason, TimeoutError | socket.timeout):
        return "timed out"
    return str(reason) or reason.__class__.__name__


# Reading the "last reviewed" date --------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"([A-Za-z]{3,9})\.?"
_DATE_PATTERNS = (
    (re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})"), ("day", "month", "year")),
    (re.compile(rf"^{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"), ("month", "day", "year")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"), ("year", "month", "day")),
    (re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})"), ("day", "month", "year")),  # British order
    (re.compile(rf"^{_MONTH},?\s+(\d{{4}})"), ("month", "year")),
)
_REVIEWED_LINE = re.compile(r"(?:page\s+)?last\s+(?:clinically\s+)?reviewed(?:\s+on)?\s*[:\-–—]?\s*", re.I)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_JSON_DATE = re.compile(r'"(lastReviewed|dateModified)"\s*:\s*"([^"]+)"')
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_META_NAMES = ("dc.date.modified", "dcterms.modified", "last-reviewed", "article:modified_time")


def review_date_in(page):
    """The date a page says it was last reviewed, or None. In order of trust: the words "last
    reviewed" on the page (NHS: "Page last reviewed: 12 March 2024"), JSON-LD `lastReviewed`,
    a `DC.date.modified` meta tag, JSON-LD `dateModified`."""
    if not page:
        return None
    text = " ".join(html.unescape(_TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", page))).split())
    for match in _REVIEWED_LINE.finditer(text):
        found = parse_date(text[match.end():match.end() + 40])
        if found:
            return found
    json_dates = dict(reversed(_JSON_DATE.findall(page)))  # the first of each key wins
    meta_date = _meta_date(page)
    for candidate in (json_dates.get("lastReviewed"), meta_date, json_dates.get("dateModified")):
        found = parse_date(candidate or "")
        if found:
            return found
    return None


def _meta_date(page):
    for tag in _META.findall(page):
        attributes = {
            name.lower(): next(value for value in values if value)
            for name, *values in _ATTRIBUTE.findall(tag)
            if any(values)
        }
        name = (attributes.get("name") or attributes.get("property") or "").lower()
        if name in _META_NAMES and attributes.get("content"):
            return attributes["content"]
    return None


def parse_date(text):
    """A date written the ways pages write them ("12 March 2024", "March 12, 2024", "2024-03-12",
    "12/03/2024", "March 2024" as the 1st), or None."""
    text = text.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = parts["month"]
        month = MONTHS.get(month.lower()) if not month.isdigit() else int(month)
        try:
            return date(int(parts["year"]), month or 0, int(parts.get("day", 1)))
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def to_json(check):
    """A SourceCheck as plain JSON-ready values (dates as ISO strings)."""
    return {
        "url": check.url,
        "status": check.status,
        "final_url": check.final_url,
        "http_status": check.http_status,
        "reviewed_on": check.reviewed_on.isoformat() if check.reviewed_on else None,
        "detail": check.detail,
    }

