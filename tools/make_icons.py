"""Redraw the PNG and ICO icons from static/favicon.svg with the local Chromium.

Run after changing the SVG: `.venv/bin/python tools/make_icons.py`. The outputs are committed,
so serving the site needs neither Chromium nor this script.
"""

import base64
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parent.parent / "static"
ICO_SIZES = (16, 32, 48)
TOUCH_ICON_SIZE = 180


def render_png(page, svg: str, size: int, square: bool) -> bytes:
    if square:
        # iOS rounds the corners itself and fills transparency with black.
        svg = svg.replace(' rx="10"', "")
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(
        f'<body style="margin:0"><img src="data:image/svg+xml;base64,{encode(svg)}" '
        f'width="{size}" height="{size}" style="display:block"></body>'
    )
    return page.screenshot(omit_background=True)


def encode(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def ico_from_pngs(images: dict[int, bytes]) -> bytes:
    """An ICO file holding PNG images, which every current browser reads."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory, data = b"", b""
    for size, png in images.items():
        directory += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        data += png
        offset += len(png)
    return header + directory + data


def main() -> None:
    svg = (STATIC / "favicon.svg").read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        pngs = {size: render_png(page, svg, size, square=False) for size in ICO_SIZES}
        touch_icon = render_png(page, svg, TOUCH_ICON_SIZE, square=True)
        browser.close()
    (STATIC / "favicon.ico").write_bytes(ico_from_pngs(pngs))
    (STATIC / "apple-touch-icon.png").write_bytes(touch_icon)


if __name__ == "__main__":
    main()
