"""make lighthouse: Lighthouse's phone profile (its default mobile emulation and throttling) on
backcare as production runs it, for the pages a reader meets first. Writes bench/LIGHTHOUSE.md.

Lighthouse comes from npm (scripts/lighthouse/package.json, installed by `make lighthouse` only, so
`make test` never waits for it) and drives Debian's Chromium (CHROME_PATH). Traffic goes to
127.0.0.1 only. Usage: python scripts/lighthouse/run.py [--output FILE]
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from production_server import HTTPS, ROOT, gunicorn, prepare, production_environment  # noqa: E402

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "/",
    "a step": "/guide/warm-up/",
    "help": "/help/",
    "questions": "/faq/",
    "an answer": "/faq/how-much-pressure/",
    "tips": "/tips/",
    "exercise sheet": "/guide/exercises/",
    "all steps": "/guide/all/",
    "my plan": "/my-plan/",
    "topics": "/topics/",
    "a topic": "/topics/sciatica/",
    "appointment note": "/appointment/",
    "about": "/about/",
}


def lighthouse(url, report, attempts=3):
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--extra-headers={json.dumps(HTTPS)}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"]
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    # Now and then the trace of a load comes back broken (NO_NAVSTART); Lighthouse asks to run again.
    for attempt in range(attempts):
        if subprocess.run(command, env=env, stdout=subprocess.DEVNULL).returncode == 0:
            break
        if attempt == attempts - 1:
            sys.exit(f"Lighthouse failed {attempts} times on {url}")
    result = json.loads(report.read_text())
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    short = [
        f"{audit['id']} ({audit['score']:.2f})" if audit["score"] is not None else audit["id"]
        for name in CATEGORIES
        for ref in result["categories"][name]["auditRefs"]
        if ref["weight"] > 0
        for audit in [result["audits"][ref["id"]]]
        if audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings") and (audit["score"] or 0) < 1
    ]
    metrics = result["audits"]
    timing = ", ".join(
        f"{label} {metrics[key]['displayValue']}"
        for label, key in (("FCP", "first-contentful-paint"), ("LCP", "largest-contentful-paint"),
                           ("TBT", "total-blocking-time"), ("CLS", "cumulative-layout-shift"))
    )
    return scores, short, timing, result["lighthouseVersion"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "LIGHTHOUSE.md")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median one is reported")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make lighthouse` (it runs npm ci in {HERE}).")
    tmp = Path(tempfile.mkdtemp(prefix="backcare-lighthouse-"))
    env = production_environment(tmp)
    # No TLS proxy on 127.0.0.1: pages get its X-Forwarded-Proto header from Lighthouse, but its own
    # fetch of /robots.txt does not, and would be redirected to https:// (an error in the SEO audit).
    env["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    rows, version = [], "?"
    try:
        prepare(env)
        with gunicorn(env, tmp / "gunicorn.log") as base:
            for name, path in PAGES.items():
                runs = sorted((lighthouse(base + path, tmp / "report.json") for _ in range(args.runs)),
                              key=lambda run: run[0]["performance"])
                scores, short, timing, version = runs[len(runs) // 2]
                spread = ", ".join(str(run[0]["performance"]) for run in runs)
                rows.append((name, path, scores, short, timing, spread))
                print(f"{path}: {scores} {timing} {' '.join(short)} (performance {spread})", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lines = [
        "# make lighthouse: latest results",
        "",
        f"Run {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} with Lighthouse {version} (default mobile "
        "emulation: a mid-range phone, simulated slow 4G and 4x CPU slowdown) and Debian's Chromium, against "
        "gunicorn with production settings on 127.0.0.1 (scripts/production_server.py). Each page runs "
        f"{args.runs} times; the table shows the run with the median Performance score. Total Blocking Time "
        "is the CPU slowdown applied to what this machine measured, so it moves with the machine's load.",
        "",
        "| page | Performance | Accessibility | Best Practices | SEO | FCP, LCP, TBT, CLS | audits under 100 (weighted) | Performance, every run |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, path, scores, short, timing, spread in rows:
        lines.append(
            f"| {name} `{path}` | " + " | ".join(str(scores[c]) for c in CATEGORIES)
            + f" | {timing} | {', '.join(short) or 'none'} | {spread} |"
        )
    every_100 = all(score == 100 for _, _, scores, _, _, _ in rows for score in scores.values())
    lines += ["", f"Every page 100 in every category: {'yes' if every_100 else 'NO'}.", ""]
    args.output.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0 if every_100 else 1


if __name__ == "__main__":
    sys.exit(main())
