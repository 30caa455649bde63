"""Screenshots for the README: the first screen of a 360 × 740 phone, light and dark, into docs/.

Run against a server that holds the guide (for example `make run` in another terminal):

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000

Each picture is reduced to a 64-colour palette so it stays small in the repository.
"""

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parents[1] / "docs"
SHOTS = {
    "home": "/",
    "step": "/guide/warm-up/#pelvic-tilt",  # an exercise with its picture, steps and dose
    "help": "/help/",
    "faq": "/faq/",
}


def main(base):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": 360, "height": 740}, color_scheme=scheme, reduced_motion="reduce"
            )
            page = context.new_page()
            for name, path in SHOTS.items():
                page.goto(base.rstrip("/") + path)
                picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
                file = DOCS / f"{name}-360-{scheme}.png"
                picture.quantize(64).save(file, optimize=True)
                print(f"{file.relative_to(DOCS.parent)}: {file.stat().st_size:,} bytes")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
