"""Snapshots of a map view: self-contained HTML, PNG (headless Chromium), GeoJSON and CSV.

Every format holds exactly what the view shows (the same years, themes and sources) and the data
attribution. HTML opens from a file with no network and keeps its year slider.
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .dataset import ATTRIBUTION, Dataset
from .maps import map_for, select_events

FORMATS = ("html", "png", "geojson", "csv")
EXPORTED_PROPERTIES = ("id", "title", "theme", "kind", "date_start", "date_end", "start_precision", "end_precision",
                       "year_start", "year_end", "date", "people", "people_what", "actors", "disputed", "provenance",
                       "confidence", "sources", "places", "documents", "reasons", "contrasts", "uncertain")


@dataclass(frozen=True, slots=True)
class View:
    """What a snapshot shows: years (inclusive), themes, source documents (and ``catalog``), basemap."""

    years: tuple[int, int] | None = None
    themes: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    basemap: str = "offline"
    year: int | None = None
    include_uncertain: bool = False

    def describe(self) -> str:
        years = f"{self.years[0]}–{self.years[1]}" if self.years else "all years"
        themes = ", ".join(self.themes) if self.themes else "all themes"
        return f"{years}; {themes}"


def _atomic_write(out: Path, data: bytes) -> Path:
    """Write through a unique temporary file beside ``out`` and a rename: two exports to one file never
    mix, a failed write leaves no temporary behind."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _source_names(dataset: Dataset, doc: str | None) -> dict:
    """The title and kind a source is known by (the curated catalog for records' own sources)."""
    if doc is None:
        return {"title": "mapapp catalog (curated records)", "kind": "catalog"}
    entry = dataset.sources.get(doc, {})
    return {"title": entry.get("title", doc), "kind": entry.get("kind", "unreviewed")}


def view_features(dataset: Dataset, view: View) -> list[dict]:
    """GeoJSON features (lon/lat) of the events the view shows, with their sources."""
    events = select_events(dataset, years=view.years, themes=view.themes, sources=view.sources,
                           include_uncertain=view.include_uncertain)
    features = []
    for _, row in events.iterrows():
        props = {}
        for key in EXPORTED_PROPERTIES:
            value = row.get(key)
            if isinstance(value, float):
                value = None if value != value else int(value) if key in ("people", "year_start", "year_end") else value
            props[key] = value
        props["sources"] = [{"doc": s.get("doc"), **_source_names(dataset, s.get("doc")), "quote": s.get("quote", ""),
                             **({"url": s["url"]} if s.get("url") else {})}
                            for s in (props.get("sources") or [])]
        geometry = row.geometry.__geo_interface__ if row.geometry is not None else None
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return features


def export_geojson(dataset: Dataset, view: View, out: Path) -> Path:
    collection = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "view": view.describe(),
                  "features": view_features(dataset, view)}
    return _atomic_write(out, json.dumps(collection, ensure_ascii=False).encode("utf-8"))


def export_csv(dataset: Dataset, view: View, out: Path) -> Path:
    """One row per event; lists as JSON text; geometry as WKT; the attribution as a final comment row."""
    from shapely.geometry import shape

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*EXPORTED_PROPERTIES, "geometry_wkt"])
    for feature in view_features(dataset, view):
        props = feature["properties"]
        row = [json.dumps(props[k], ensure_ascii=False) if isinstance(props[k], (list, dict)) else props[k]
               for k in EXPORTED_PROPERTIES]
        row.append(shape(feature["geometry"]).wkt if feature["geometry"] else "")
        writer.writerow(row)
    writer.writerow([f"# {ATTRIBUTION}"])
    return _atomic_write(out, buffer.getvalue().encode("utf-8"))


def export_html(dataset: Dataset, view: View, out: Path) -> Path:
    fmap = map_for(dataset, years=view.years, themes=view.themes, sources=view.sources, basemap=view.basemap,
                   year=view.year, include_uncertain=view.include_uncertain)
    return _atomic_write(out, fmap.get_root().render().encode("utf-8"))


def export_png(dataset: Dataset, view: View, out: Path, *, width: int = 1600, height: int = 1000) -> Path:
    """The map rendered by headless Chromium at ``width``×``height``, title, legend and attribution included."""
    from .browser import render_png

    with tempfile.TemporaryDirectory() as tmp:
        page = export_html(dataset, view, Path(tmp) / "map.html")
        # The map may still be zooming to its events (an animated fitBounds) and labels are decluttered
        # 60 ms after the last layer is added: once the page has not moved or changed for 150 ms, all of
        # it is drawn. (A fixed pause is too long for a page that is done and too short on a slow machine.)
        return render_png(page, out, width=width, height=height, wait_for=".mapapp-legend", settle_ms=0,
                          quiet_ms=150)


def export_view(dataset: Dataset, view: View, out: Path, *, fmt: str | None = None, width: int = 1600,
                height: int = 1000) -> tuple[Path, float]:
    """Write the view in ``fmt`` (default: from the file suffix); return the path and the seconds taken."""
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    t0 = time.perf_counter()
    if fmt == "html":
        path = export_html(dataset, view, out)
    elif fmt == "png":
        path = export_png(dataset, view, out, width=width, height=height)
    elif fmt == "geojson":
        path = export_geojson(dataset, view, out)
    else:
        path = export_csv(dataset, view, out)
    return path, time.perf_counter() - t0


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``"1941-1945"`` → (1941, 1945); ``"1941"`` → (1941, 1941); raises ValueError on anything else."""
    if not text:
        return None
    parts = text.replace("–", "-").split("-")
    try:
        years = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(f"years {text!r} are not YEAR or YEAR-YEAR") from None
    if len(years) == 1:
        years = (years[0], years[0])
    if len(years) != 2 or years[0] > years[1] or not (800 <= years[0] <= 2100 and 800 <= years[1] <= 2100):
        raise ValueError(f"years {text!r} are not a range YEAR-YEAR between 800 and 2100")
    return years  # type: ignore[return-value]


def parse_list(text: str | None) -> tuple[str, ...] | None:
    if not text:
        return None
    return tuple(x.strip() for x in text.split(",") if x.strip())

