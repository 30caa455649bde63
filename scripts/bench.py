"""make bench: the performance budget, measured side by side in one run.

Production settings (DEBUG off, manifest static files, file cache) on a throwaway
SQLite database. For the home page, a step page and an FAQ answer page it reports:
SQL queries uncached and cached, server time in process (median of 200 requests,
cached and uncached), requests/second under gunicorn (2 workers, wrk on loopback)
next to a static file of similar size served by whitenoise, and what a phone
downloads on first load (Chromium: bytes on the wire, requests, other hosts).
It also times `check_content` on the whole site, and the Markdown renderer before and
after (scripts/bench_markdown.py). Writes bench/RESULTS.md. Traffic goes to 127.0.0.1 only.
"""

import datetime
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from production_server import HTTPS, ROOT, gunicorn, prepare, production_environment

TMP = Path(tempfile.mkdtemp(prefix="backcare-bench-"))
PAGES = {"home": "/", "step": "/guide/engage-your-core/", "faq answer": "/faq/how-much-pressure/"}
# A phone's first load fits the first round trip of a new connection: 14 KB (ten TCP segments).
# Requests: the page, its stylesheet, the icon, the offline script and one script or print stylesheet of its own.
BUDGET = {"ratio": 0.90, "queries": 3, "bytes": 14 * 1024, "requests": 5, "checks_seconds": 1.0}
WRK_SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = 3  # static file and pages take turns, and each figure is the median of its rounds
ENV = production_environment(TMP)
STATIC_ROOT = Path(ENV["DJANGO_STATIC_ROOT"])

# The in-process measurements run Django here, with the same settings as the server
# (ENV is this environment without the caller's DJANGO_ and database settings).
os.environ.clear()
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))

import bench_markdown  # noqa: E402 (scripts/, beside this file)


def in_process():
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from guides.page_cache import content_changed

    client = Client(HTTP_HOST="127.0.0.1", headers={**HTTPS, "Accept-Encoding": "gzip"})
    rows = {}
    for name, path in PAGES.items():
        content_changed()
        with CaptureQueriesContext(connection) as uncached:
            assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as cached:
            assert client.get(path).status_code == 200

        def median_ms(clear):
            times = []
            for _ in range(200):
                if clear:
                    content_changed()
                start = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - start)
            return statistics.median(times) * 1000

        rows[name] = {
            "queries": len(uncached),
            "queries_cached": len(cached),
            "ms_cached": median_ms(False),
            "ms_uncached": median_ms(True),
        }
    return rows


def similar_static_file(page_bytes):
    """The collected static file whose gzipped size is closest to a gzipped page."""
    manifest = json.loads((STATIC_ROOT / "staticfiles.json").read_text())["paths"]
    sizes = {
        hashed: len(gzip.compress((STATIC_ROOT / hashed).read_bytes()))
        for hashed in manifest.values()
        if hashed.endswith((".css", ".js", ".svg"))
    }
    return min(sizes, key=lambda hashed: abs(sizes[hashed] - page_bytes))


def wrk(url):
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{WRK_SECONDS}s", "-H", "X-Forwarded-Proto: https",
         "-H", "Accept-Encoding: gzip", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return rps, int(non2xx.group(1)) if non2xx else 0, errors.group(1) if errors else "none"


def every_public_path():
    from guides.sitemaps import public_paths

    return public_paths()


def phone_first_load(base, paths):
    """What Chromium at phone size fetches for each path until the page settles: bytes on the wire
    (headers and compressed bodies), requests and other hosts, and how many of them start after the
    load event (the icon does). Service workers are blocked: what one keeps for reading offline is
    fetched after the first load, not part of it."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
        )
        for path in paths:
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, extra_http_headers=HTTPS, service_workers="block"
            )
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Page.enable")
            started, finished, load = {}, {}, []
            # data: and blob: addresses are read from the page itself: no request goes on the wire.
            cdp.on("Network.requestWillBeSent", lambda e: started.setdefault(e["requestId"], (e["timestamp"], e["request"]["url"]))
                   if e["request"]["url"].startswith(("http:", "https:"))
                   else print(f"  {path}: not a network request: {e['request']['url'][:60]}", file=sys.stderr))
            cdp.on("Network.loadingFinished", lambda e: finished.__setitem__(e["requestId"], e["encodedDataLength"]))
            cdp.on("Page.loadEventFired", lambda e: load.append(e["timestamp"]))
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(300)
            assert load, f"{path}: no load event"
            results[path] = {
                "bytes": sum(size for rid, size in finished.items() if rid in started),
                "requests": len(started),
                "after_load": sum(1 for at, _ in started.values() if at > load[0]),
                "unfinished": [url for rid, (_, url) in started.items() if rid not in finished],
                "other_hosts": sorted({url.split("/")[2] for _, url in started.values()} - {base.split("/")[2]}),
            }
            context.close()
        browser.close()
    return results


CHECKS_TIMING = """
import json, statistics, time
import django
django.setup()
t, cpu = time.perf_counter(), time.process_time()
from guides.content_checks import check_site
reports = check_site()
first, first_cpu = time.perf_counter() - t, time.process_time() - cpu
warm, warm_cpu = [], []
for _ in range(5):
    t, cpu = time.perf_counter(), time.process_time()
    check_site()
    warm.append(time.perf_counter() - t)
    warm_cpu.append(time.process_time() - cpu)
print(json.dumps({"items": len(reports), "first": first, "first_cpu": first_cpu,
                  "warm": statistics.median(warm), "warm_cpu": statistics.median(warm_cpu)}))
"""


def content_checks():
    """check_content on the whole site: in process (first run, loading textstat; then warm) and as a command."""
    run = subprocess.run([sys.executable, "-c", CHECKS_TIMING], cwd=ROOT, check=True, capture_output=True, text=True)
    timing = json.loads(run.stdout.strip().splitlines()[-1])
    walls = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "check_content", "--format", "json"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
    timing["command"] = statistics.median(walls)
    return timing


def within_phone_budget(load):
    return (load["bytes"] <= BUDGET["bytes"] and load["requests"] <= BUDGET["requests"]
            and not load["other_hosts"] and not load["unfinished"])


def main():
    prepare(ENV)
    rows = in_process()
    checks_timing = content_checks()
    try:
        with gunicorn(ENV, TMP / "gunicorn.log", workers=2) as base:
            page_sizes = []
            for name, path in PAGES.items():
                request = urllib.request.Request(base + path, headers={**HTTPS, "Accept-Encoding": "gzip"})
                with urllib.request.urlopen(request) as response:
                    page_sizes.append(len(response.read()))
            static_path = "/static/" + similar_static_file(statistics.mean(page_sizes))
            targets = {"static": static_path, **PAGES}
            runs = {target: [] for target in targets}
            for _ in range(ROUNDS):
                for target, path in targets.items():
                    runs[target].append(wrk(base + path))
            static_rps = statistics.median(rps for rps, _, _ in runs["static"])
            for name in PAGES:
                rows[name]["rps"] = statistics.median(rps for rps, _, _ in runs[name])
                rows[name]["non2xx"] = sum(bad for _, bad, _ in runs[name])
                rows[name]["errors"] = "; ".join(sorted({errors for _, _, errors in runs[name]}))
                rows[name]["ratio"] = rows[name]["rps"] / static_rps
            phone = phone_first_load(base, every_public_path())
    finally:
        shutil.rmtree(TMP, ignore_errors=True)

    ok = True
    lines = [
        "| page | SQL uncached | SQL cached | in-process ms cached / uncached (median of 200) | req/s (gunicorn -w 2) | ratio to static | phone first load bytes | requests | other hosts |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in rows.items():
        load = phone[PAGES[name]]
        passed = (
            row["ratio"] >= BUDGET["ratio"] and row["queries"] <= BUDGET["queries"] and row["queries_cached"] == 0
            and within_phone_budget(load) and row["non2xx"] == 0
        )
        ok &= passed
        lines.append(
            f"| {name} `{PAGES[name]}` | {row['queries']} | {row['queries_cached']} | "
            f"{row['ms_cached']:.2f} / {row['ms_uncached']:.2f} | {row['rps']:.0f} | {row['ratio']:.2f} | "
            f"{load['bytes']:,} | {load['requests']} | {', '.join(load['other_hosts']) or 'none'} |"
        )
    lines.append(
        f"| static file `{static_path}` (whitenoise) | – | – | – | {static_rps:.0f} | 1.00 | – | – | – |"
    )
    every_page_ok = all(within_phone_budget(load) for load in phone.values())
    ok &= every_page_ok
    largest = max(phone, key=lambda path: phone[path]["bytes"])
    lines += [
        "",
        "## Phone first load of every public page",
        "",
        f"All {len(phone)} public pages: largest {phone[largest]['bytes']:,} bytes (`{largest}`), "
        f"most requests {max(l['requests'] for l in phone.values())}, other hosts: "
        f"{', '.join(sorted({h for l in phone.values() for h in l['other_hosts']})) or 'none'}; "
        f"within budget: {'yes' if every_page_ok else 'NO'}. Counted: every request until the page settles "
        "(the icon is in the page, as a data: address), headers and compressed bodies; service workers blocked.",
        "",
        "| page | bytes | room left | requests (after the load event) |",
        "| --- | --- | --- | --- |",
    ]
    for path, load in sorted(phone.items(), key=lambda item: -item[1]["bytes"]):
        lines.append(
            f"| `{path}` | {load['bytes']:,} | {BUDGET['bytes'] - load['bytes']:,} | "
            f"{load['requests']} ({load['after_load']}) |"
        )
    checks_ok = checks_timing["first"] < BUDGET["checks_seconds"]
    ok &= checks_ok
    lines += [
        "",
        "## Content checks",
        "",
        f"`check_content` on the whole site ({checks_timing['items']} items): {checks_timing['first']:.2f} s in process "
        f"({checks_timing['first_cpu']:.2f} s of CPU) on the first run (importing textstat and loading its "
        f"hyphenation dictionary), {checks_timing['warm']:.2f} s ({checks_timing['warm_cpu']:.2f} s of CPU) "
        f"warm (median of 5); the whole command, Django start-up included, {checks_timing['command']:.2f} s "
        f"(median of 3). Budget: under {BUDGET['checks_seconds']:g} s in process on the first run; "
        f"within budget: {'yes' if checks_ok else 'NO'}.",
    ]
    machine = f"{platform.node()}: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    report = "\n".join([
        "# make bench: latest results",
        "",
        f"Run {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine}.",
        f"wrk -t2 -c16 -d{WRK_SECONDS}s against gunicorn (2 workers) on 127.0.0.1, production settings, file cache; "
        f"the static file and the pages take turns for {ROUNDS} rounds and each req/s is the median of its rounds.",
        f"Budget: at least {BUDGET['ratio']:.0%} of the static file's requests/second; at most {BUDGET['queries']} SQL queries "
        f"uncached and none cached; a phone's first load at most {BUDGET['bytes'] // 1024} KB on the wire in at most "
        f"{BUDGET['requests']} requests, all to this host.",
        "",
        *lines,
        "",
        f"Budget met: {'yes' if ok else 'NO'}. Socket errors: "
        + "; ".join(f"{name}: {row['errors']}" for name, row in rows.items()),
        "",
    ])
    report += "\n" + "\n".join(bench_markdown.report())
    (ROOT / "bench" / "RESULTS.md").write_text(report)
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
