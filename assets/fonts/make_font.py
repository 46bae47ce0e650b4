#!/usr/bin/env python3
"""Builds NotoSansSC-GBK.otf: Noto Sans CJK SC (face 2 of NotoSansCJK-Regular.ttc, Debian's
fonts-noto-cjk, SIL OFL 1.1) cut down to GBK, ASCII, Latin-1 and CJK punctuation, so the
program shows every character of a GBK table with a font small enough to ship.

    apt-get install -y fonts-noto-cjk && pip install fonttools
    python3 assets/fonts/make_font.py
"""
import pathlib
import subprocess
import tempfile

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
HERE = pathlib.Path(__file__).resolve().parent

chars = set()
for lead in range(0x81, 0xFF):
    for trail in range(0x40, 0xFF):
        try:
            chars.add(bytes([lead, trail]).decode("gbk"))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x20, 0x7F))
chars.update(chr(c) for c in range(0xA0, 0x100))
chars.update(chr(c) for c in range(0x3000, 0x3040))  # CJK symbols and punctuation
chars.update(chr(c) for c in range(0xFF00, 0xFFF0))  # full-width forms
chars.update("≥≤≠±×÷‰℃①②③④⑤⑥⑦⑧⑨⑩…—–“”‘’·•→←↑↓▶▼✓✗")

with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
    f.write("".join(sorted(chars)))
    text_file = f.name

subprocess.run(
    [
        "pyftsubset", SOURCE, "--font-number=2",
        f"--text-file={text_file}",
        "--layout-features=kern,palt,halt", "--no-hinting", "--name-IDs=*",
        f"--output-file={HERE / 'NotoSansSC-GBK.otf'}",
    ],
    check=True,
)
print(HERE / "NotoSansSC-GBK.otf", len(chars), "characters")
