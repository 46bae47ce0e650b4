#!/usr/bin/env python3
"""The direction of the domain's dependencies (STYLE.md, issue 29).

Each module of src/ may use only the modules of the layers its row allows; the window
(app/, ui/) and main.rs may use anything below them, nothing below may use them, and
the domain never names egui, eframe or rfd. A module is a file or folder directly
under src/; `crate::x` anywhere in its non-test code is a use of x.
Exits 1 naming every use that goes the wrong way.
"""
import os
import re
import sys

# module -> the modules it may use (besides itself). Read top to bottom as the layers.
ALLOWED = {
    "model": set(),
    "number": {"model"},
    "storage": {"model", "number"},
    "ruleset": {"model", "number", "storage"},
    "rules": {"model", "number", "storage", "ruleset"},
    "scoring": {"model", "number", "storage", "ruleset", "rules"},
    "validate": {"model", "number", "storage", "ruleset", "rules", "scoring"},
    "submission": {"model", "number", "storage", "ruleset", "rules", "scoring"},
    "panel": {"model", "number", "storage", "ruleset", "rules", "scoring", "validate", "submission", "evidence"},
    "import": {"model", "number", "storage"},
    "templates": {"model", "number", "storage", "ruleset", "rules", "scoring"},
    "command": {"model", "number", "storage", "ruleset", "rules", "scoring", "validate", "submission", "panel"},
    "recovery": {"model", "number", "storage"},
    # 佐证材料: files beside the document, by their SHA-256.
    "evidence": {"model", "number", "storage"},
    # 整改清单: the problems an evaluation found and what is done about them.
    "rectify": {"model", "number"},
    "open": {"model", "number", "storage", "ruleset", "rules", "scoring", "validate", "submission", "panel", "import"},
    "overview": {"model", "number", "storage", "ruleset", "rules", "scoring", "validate", "submission", "panel", "import", "open"},
    # The files people hand in, the season's workbook among them.
    "export": {"model", "number", "storage", "ruleset", "rules", "scoring", "validate", "submission", "panel", "overview", "rectify"},
    "library": {"model", "number", "storage", "ruleset", "rules", "scoring", "validate", "submission", "panel", "import", "open", "templates", "overview", "export"},
}
DOMAIN = set(ALLOWED)
# Above the domain: the command line may use the whole domain; the window the domain and
# the command line's nothing; main.rs everything.
ALLOWED["cli"] = DOMAIN | {"export"}
ALLOWED["ui"] = DOMAIN | {"app"}  # ui draws; app owns it (ui may name app's types)
ALLOWED["app"] = DOMAIN | {"ui"}
ALLOWED["main"] = DOMAIN | {"cli", "app", "ui"}
ALLOWED["lib"] = set(ALLOWED)  # lib.rs declares the modules

# Uses known to go the wrong way, each to be removed by the issue named; a new one fails.
KNOWN: dict = {}

WINDOW = re.compile(r"\b(egui|eframe|rfd|egui_extras|egui_kittest|egui_plot)\b")


def modules(src):
    found = {}
    for entry in sorted(os.listdir(src)):
        path = os.path.join(src, entry)
        name = entry[:-3] if entry.endswith(".rs") else entry
        files = []
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                files += [os.path.join(root, n) for n in names if n.endswith(".rs")]
        elif entry.endswith(".rs"):
            files.append(path)
        found.setdefault(name, []).extend(files)
    return found


def code_of(path):
    text = open(path, encoding="utf-8").read()
    # Unit tests at the bottom of a file may use what they like.
    cut = text.find("#[cfg(test)]\nmod tests")
    code = text if cut < 0 else text[:cut]
    # A comment may name a module of any layer (a doc link); only code uses one.
    return "\n".join("" if line.lstrip().startswith("//") else line for line in code.splitlines())


def main():
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    wrong = []
    for module, files in modules(src).items():
        if module not in ALLOWED:
            wrong.append(f"src/{module}: a module the table of layers does not know (.ci/layers.py)")
            continue
        for path in files:
            code = code_of(path)
            rel = os.path.relpath(path, os.path.join(src, ".."))
            for used in sorted(set(re.findall(r"\bcrate::(\w+)", code))):
                if used == module or used in ALLOWED[module] or (module, used) in KNOWN:
                    continue
                wrong.append(f"{rel}: {module} uses {used}")
            if module in DOMAIN or module == "cli":
                for number, line in enumerate(code.splitlines(), 1):
                    if WINDOW.search(line) and not line.lstrip().startswith("//"):
                        wrong.append(f"{rel}:{number}: the domain names the window toolkit: {line.strip()}")
    seen = {(m, u) for m, files in modules(src).items() for p in files
            for u in re.findall(r"\bcrate::(\w+)", code_of(p))}
    for pair, why in KNOWN.items():
        if pair not in seen:
            wrong.append(f"{pair[0]} no longer uses {pair[1]}: take it off KNOWN in .ci/layers.py ({why})")
    for line in wrong:
        print(line, file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
