"""Build ``geodata/lexicon/demonyms.csv``: the adjective or noun for a country's people ("Russian",
"Sudanese", "Sri Lankan"), its plural where English makes one ("Russians", "Israelis"), and the place it
stands for (``country:RU``).

Demonyms come from the PyPI package ``countryinfo`` 1.0.1 (MIT; its per-country JSON files, read without
importing its code). Only countries the gazetteer has are kept; a demonym that is also the name of a
place ("Kuwait") is left out; one that several countries share goes to the most populous when it has ten
times the people of the next ("American": the United States, not the Northern Marianas), else it is
left out ("Congolese": either Congo).

Run from the repository root::

    .venv/bin/python scripts/build_demonyms.py

``tests/test_geodata.py`` rebuilds the table in memory and checks it equals the committed file.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from package_data import package_file, render_csv, write_atomically  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COUNTRYINFO = ("countryinfo", "1.0.1")
OUT = ROOT / "geodata" / "lexicon" / "demonyms.csv"
COLUMNS = ["demonym", "plural", "place_id", "source"]
SOURCE = "countryinfo 1.0.1 (MIT)"


def _plural(demonym: str) -> str:
    """"Russian" → "Russians", "Iraqi" → "Iraqis"; "Sudanese", "British", "Dutch" have none."""
    if demonym.endswith(("ese", "ish", "ch", "ss", "s", "x", "z")):
        return ""
    return demonym + "s"


def build_rows() -> list[list[str]]:
    folder = package_file(*COUNTRYINFO, "data")
    sys.path.insert(0, str(ROOT))
    from mapapp.gazetteer import build_gazetteer

    gazetteer = build_gazetteer()
    ids = set(gazetteer.columns["id"])
    by_demonym: dict[str, dict[str, int]] = defaultdict(dict)
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        demonym = (data.get("demonym") or "").strip()
        code = ((data.get("ISO") or {}).get("alpha2") or "").upper()
        if demonym and code and f"country:{code}" in ids:
            by_demonym[demonym][f"country:{code}"] = int(data.get("population") or 0)
    rows = []
    for demonym, places in sorted(by_demonym.items()):
        ranked = sorted(places.items(), key=lambda item: -item[1])
        if gazetteer.lookup(demonym) or (len(ranked) > 1 and ranked[0][1] < 10 * ranked[1][1]):
            continue
        rows.append([demonym, _plural(demonym), ranked[0][0], SOURCE])
    return rows


def render(rows: list[list[str]]) -> str:
    return render_csv(COLUMNS, rows)


def main() -> None:
    rows = build_rows()
    write_atomically(OUT, render(rows))
    print(f"wrote {len(rows)} demonyms to {OUT}")


if __name__ == "__main__":
    main()
