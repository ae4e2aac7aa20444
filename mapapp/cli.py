"""The ``mapapp`` command line: thin commands over the library.

Exit codes (also in ``mapapp --help``): 0 every file processed; 1 some files were skipped (each
reported on stderr); 2 bad usage; 3 no file could be processed.
"""
from __future__ import annotations

import csv
import functools
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .config import CORPUS_DIR
from .errors import CorpusError, MapappError

# Each command imports what it needs when it runs: `mapapp export` has no use for geopy (0.07 s to
# import) or the geoparser, and start-up time is most of a short command's time.

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3
MIN_PNG_SIDE, MAX_PNG_SIDE = 100, 8000
_standalone = False  # set by main(): this process runs one command and exits

app = typer.Typer(
    help="mapapp: find the places history texts name and map them.\n\n"
         "Exit codes: 0 all files processed; 1 some files skipped (reported on stderr); "
         "2 bad usage; 3 no file could be processed.",
    no_args_is_help=True,
    add_completion=False,
)


def _guarded(command):
    """Every failure of a command is a message on stderr and a documented exit code, never a traceback:
    files that cannot be written or read (a read-only or missing folder, a folder given for a file, /proc)
    and mapapp's own errors (a bad corrections file, a malformed catalog) exit with 2."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except MapappError as error:
            typer.echo(f"mapapp: {error}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            typer.echo(f"mapapp: {where}{error.strerror or error}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
    return run


def _known_theme(theme: str | None) -> None:
    from .records import THEMES

    if theme is not None and theme not in THEMES:
        typer.echo(f"mapapp: unknown theme {theme!r}; choose from {', '.join(THEMES)}", err=True)
        raise typer.Exit(EXIT_USAGE)


class GeoparseFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"


PathsArg = Annotated[Optional[list[Path]], typer.Argument(
    help="Text files (.txt, .md, .html) or folders. Default: the built-in corpus.", show_default=False)]


class _Batch:
    """Collects per-file errors so that a bad file is reported and the rest still processed."""

    def __init__(self) -> None:
        self.errors: list[CorpusError] = []
        self.processed = 0

    def report(self, error: CorpusError) -> None:
        self.errors.append(error)
        typer.echo(f"mapapp: skipped {error}", err=True)

    def documents(self, paths: list[Path] | None):
        from .corpus import iter_documents

        for document in iter_documents(paths or sorted(CORPUS_DIR.glob("*.txt")), on_error=self.report):
            self.processed += 1
            yield document

    def exit_code(self) -> int:
        if self.processed == 0:
            typer.echo("mapapp: no document could be processed", err=True)
            return EXIT_NOTHING
        return EXIT_PARTIAL if self.errors else EXIT_OK


@app.command("geoparse")
@_guarded
def geoparse_command(
    paths: PathsArg = None,
    output_format: Annotated[GeoparseFormat, typer.Option("--format", "-f", help="Output format.")] = GeoparseFormat.jsonl,
    demonyms: Annotated[bool, typer.Option("--demonyms", help='Also print demonyms ("Russian" → Russia) as kind "demonym".')] = False,
) -> None:
    """Print every place mention: one JSON object per line (jsonl), CSV rows, or a GeoJSON collection."""
    from .toponyms import geoparse

    batch = _Batch()
    out = sys.stdout
    features = []
    writer = None
    for document in batch.documents(paths):
        for mention in geoparse(document, demonyms=demonyms):
            record = mention.to_record()
            if output_format is GeoparseFormat.jsonl:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif output_format is GeoparseFormat.csv:
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(record))
                    writer.writeheader()
                writer.writerow(record)
            else:
                properties = {k: v for k, v in record.items() if k not in ("lat", "lon")}
                features.append({"type": "Feature", "properties": properties,
                                 "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]}})
    if output_format is GeoparseFormat.geojson:
        json.dump({"type": "FeatureCollection", "features": features,
                   "attribution": "Places: GeoNames (CC BY 4.0), Natural Earth (public domain)"},
                  out, ensure_ascii=False)
        out.write("\n")
    raise typer.Exit(batch.exit_code())


@app.command("places")
@_guarded
def places_command(
    paths: PathsArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per place instead of a table.")] = False,
    top: Annotated[int, typer.Option(min=0, help="Show at most this many places (0: all).")] = 0,
) -> None:
    """List the distinct places the texts name, with mention counts and runner-up candidates."""
    from .places import summarize_places
    from .toponyms import geoparse

    batch = _Batch()
    mentions = [m for document in batch.documents(paths) for m in geoparse(document)]
    summaries = summarize_places(mentions)
    if top:
        summaries = summaries[:top]
    for s in summaries:
        if as_json:
            typer.echo(json.dumps(s.to_record(), ensure_ascii=False))
        else:
            others = "; ".join(f"{c.name} ({c.country or c.kind})" for c in s.runner_ups[:3])
            typer.echo(f"{s.mentions:5d}  {s.place.name:<28} {s.place.kind:<10} {s.place.lat:8.3f} "
                       f"{s.place.lon:9.3f}  as: {', '.join(sorted(s.surface_forms))}"
                       + (f"  | also: {others}" if others else ""))
    raise typer.Exit(batch.exit_code())


@app.command("geocode")
@_guarded
def geocode_command(
    query: Annotated[str, typer.Argument(help="A place name.")],
    service: Annotated[str, typer.Option(help="Geocoder: gazetteer (offline) or any geopy service name, "
                                              "e.g. nominatim or photon (an unknown name lists them all).")
                       ] = "gazetteer",
) -> None:
    """Look one name up with a geocoder (the offline gazetteer by default)."""
    from .geocoders import get_geocoder

    try:
        location = get_geocoder(service).geocode(query)
    except MapappError as error:
        typer.echo(f"mapapp: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if location is None:
        typer.echo(f"mapapp: no place found for {query!r}", err=True)
        raise typer.Exit(EXIT_NOTHING)
    typer.echo(json.dumps(location.to_record(), ensure_ascii=False))


class EventsFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


def _load_catalog_or_exit():
    from .catalog import CatalogError, load_catalog

    try:
        return load_catalog()
    except CatalogError as error:
        typer.echo(f"mapapp: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


@app.command("events")
@_guarded
def events_command(
    paths: PathsArg = None,
    output_format: Annotated[EventsFormat, typer.Option("--format", "-f", help="Output format.")] = EventsFormat.jsonl,
    theme: Annotated[Optional[str], typer.Option(help="Only this theme.")] = None,
) -> None:
    """Print the dated events each text states, one JSON object per event, joined to the curated catalog."""
    _known_theme(theme)
    from .events import extract_events
    from .joins import join_events

    from .catalog import CatalogIndex

    batch = _Batch()
    catalog = _load_catalog_or_exit()
    known = CatalogIndex(catalog)
    extracted = [x for document in batch.documents(paths) for x in extract_events(document, known=known)]
    join_events(extracted, catalog)
    for x in extracted:
        if theme and x.theme != theme:
            continue
        record = x.to_record()
        if output_format is EventsFormat.jsonl:
            typer.echo(json.dumps(record, ensure_ascii=False))
        else:
            years = f"{record['year_start']}" + (f"–{record['year_end']}" if record["year_end"] != record["year_start"] else "")
            flag = " DISPUTED" if record["disputed"] else ""
            typer.echo(f"{record['doc'][:12]:<12} {record['theme']:<11} {years:<9} {record['title'][:50]:<50}"
                       f" [{record['provenance']}{flag}] {', '.join(p['name'] for p in record['places'])[:60]}")
    raise typer.Exit(batch.exit_code())


class ConflictsFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


@app.command("conflicts")
@_guarded
def conflicts_command(
    paths: PathsArg = None,
    output_format: Annotated[ConflictsFormat, typer.Option("--format", "-f", help="Output format.")] = ConflictsFormat.text,
) -> None:
    """List where sources disagree: the reason in words, then every claim with its quote and source.

    Texts are compared with the curated catalog and with each other (dates, places, figures); a fiction
    or alternate-history source is contrasted ("alternate history: …"), not counted as a dispute.
    """
    from .catalog import CatalogIndex
    from .conflicts import dispute_records, passage_conflicts
    from .dataset import event_properties
    from .events import extract_events
    from .joins import join_events
    from .maps import area_sizes
    from .sources import source_for

    batch = _Batch()
    catalog = _load_catalog_or_exit()
    known = CatalogIndex(catalog)
    documents = list(batch.documents(paths))
    sources = {d.id: source_for(d).as_dict() for d in documents}
    extracted = [x for document in documents for x in extract_events(document, known=known)]
    result = join_events(extracted, catalog, fiction_docs={d for d, s in sources.items() if s["kind"] == "fiction"},
                         area_km2=area_sizes())
    records = dispute_records((event_properties(e) for e in result.events), sources)
    records += passage_conflicts(documents, fiction_docs={d for d, s in sources.items() if s["kind"] == "fiction"},
                                 events=result.events)
    for record in records:
        if output_format is ConflictsFormat.jsonl:
            typer.echo(json.dumps(record, ensure_ascii=False))
            continue
        typer.echo(f"{record['title']} [{record['id']}] — {record['kind']}")
        for reason in record["reasons"]:
            typer.echo(f"  why: {reason}")
        for claim in record["claims"]:
            years = f"{claim['year_start']}" + (f"–{claim['year_end']}" if claim["year_end"] != claim["year_start"] else "")
            typer.echo(f"  {claim['title'][:40]:<40} ({claim['kind']}) {years:<9} \"{claim['quote'][:140]}\"")
    if not records and output_format is ConflictsFormat.text:
        typer.echo("no disagreements between sources")
    raise typer.Exit(batch.exit_code())


@app.command("build")
@_guarded
def build_command(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("build/dataset"),
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help=(
        "Processes for the per-document work: more than 1 runs it on a local Dask cluster "
        "(same outputs as a serial build)."))] = 1,
    scheduler: Annotated[Optional[str], typer.Option(help=(
        "Address of a running Dask scheduler (e.g. tcp://host:8786): the per-document work runs on its workers, "
        "which need mapapp and the same geodata installed; texts are sent to them."), show_default=False)] = None,
) -> None:
    """Write places, mentions and events with geometries as GeoParquet and GeoJSON (only changed texts are redone)."""
    from .dataset import build_dataset

    if scheduler is not None and workers != 1:
        typer.echo("mapapp: give --workers (a local cluster) or --scheduler (a running one), not both", err=True)
        raise typer.Exit(EXIT_USAGE)
    errors: list[CorpusError] = []
    bar = None

    def report_error(error: CorpusError) -> None:
        errors.append(error)
        if bar is not None:
            bar.console.print(f"mapapp: skipped {error}", markup=False, highlight=False)
        else:
            typer.echo(f"mapapp: skipped {error}", err=True)

    def progress(done: int, total: int) -> None:
        # a bar on a terminal only (started with the first document: a current build draws none)
        nonlocal bar
        if bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"),
                           TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            bar.start()
            bar.add_task("build", total=total)
        bar.update(0, completed=done)

    from .catalog import CatalogError

    try:
        report = build_dataset(paths, out, on_error=report_error, workers=workers, scheduler=scheduler,
                               progress=progress if sys.stderr.isatty() else None)
    except CatalogError as error:
        typer.echo(f"mapapp: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    finally:
        if bar is not None:
            bar.stop()
    where = f" on {scheduler}" if scheduler else f" on {workers} workers" if workers > 1 else ""
    typer.echo(f"built {out}: {report.documents} documents ({len(report.reprocessed)} reprocessed{where}), "
               f"{report.places} places, {report.mentions} mentions, {report.events} events "
               f"({report.disputed} disputed) in {report.seconds:.2f} s")
    if report.documents == 0:
        raise typer.Exit(EXIT_NOTHING)
    raise typer.Exit(EXIT_PARTIAL if errors else EXIT_OK)


@app.command("catalog")
@_guarded
def catalog_command(
    theme: Annotated[Optional[str], typer.Option(help="Only this theme.")] = None,
) -> None:
    """Validate the curated event records in geodata/events and list them."""
    _known_theme(theme)
    events = _load_catalog_or_exit()
    for event in events:
        if theme and event.theme != theme:
            continue
        places = ", ".join(f"{p.name} ({p.role})" for p in event.places)
        typer.echo(f"{event.id:<45} {event.theme:<11} {event.start}–{event.end}  {places[:80]}")
    typer.echo(f"{len(events)} records, all valid", err=True)


@app.command("export")
@_guarded
def export_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file.")],
    data: Annotated[Optional[Path], typer.Option(help="A `mapapp build` folder (default: the built-in corpus).")] = None,
    years: Annotated[Optional[str], typer.Option(help="Years shown, e.g. 1941-1945.")] = None,
    themes: Annotated[Optional[str], typer.Option(help="Comma-separated themes.")] = None,
    sources: Annotated[Optional[str], typer.Option(help="Comma-separated document ids and/or 'catalog'.")] = None,
    output_format: Annotated[Optional[str], typer.Option("--format", "-f",
                                                         help="html, png, geojson or csv (default: from --out).")] = None,
    basemap: Annotated[str, typer.Option(help="offline, osm, positron or none.")] = "offline",
    year: Annotated[Optional[int], typer.Option(min=800, max=2100, help="Year the in-map slider starts on.")] = None,
    width: Annotated[int, typer.Option(help="PNG width in pixels.")] = 1600,
    height: Annotated[int, typer.Option(help="PNG height in pixels.")] = 1000,
    include_uncertain: Annotated[bool, typer.Option(
        "--include-uncertain", help="Also the extracted events the default map leaves out (with their reasons).")] = False,
) -> None:
    """Export the map view as self-contained HTML, PNG, GeoJSON or CSV (exactly the features shown)."""
    import gc

    import geopandas  # noqa: F401,I001  (every export reads the dataset into GeoDataFrames)

    from .dataset import default_dataset, load_dataset
    from .export import View, export_view, parse_list, parse_years
    from .records import THEMES

    # The imports above leave about 95,000 objects the garbage collector tracks (pandas, folium, shapely...),
    # all alive until the process ends; every full collection while the map is built would walk them
    # again (0.2-0.4 s of a 1.5 s export). Frozen, the collector leaves them alone. Only when this command
    # is the whole process: called in-process (tests, scripts) it leaves the collector as it is.
    if _standalone:
        gc.freeze()

    try:
        view = View(years=parse_years(years), themes=parse_list(themes), sources=parse_list(sources), basemap=basemap,
                    year=year, include_uncertain=include_uncertain)
        unknown = [t for t in view.themes or () if t not in THEMES]
        if unknown:
            raise ValueError(f"unknown theme(s) {', '.join(unknown)}; choose from {', '.join(THEMES)}")
        if not (MIN_PNG_SIDE <= width <= MAX_PNG_SIDE and MIN_PNG_SIDE <= height <= MAX_PNG_SIDE):
            raise ValueError(f"--width and --height must be {MIN_PNG_SIDE}–{MAX_PNG_SIDE} pixels (got {width}×{height})")
        if out.is_dir():
            raise ValueError(f"--out {out} is a folder; give a file name, e.g. {out / 'map.html'}")
        dataset = load_dataset(data) if data else default_dataset()
        known_sources = set(dataset.sources) | {"catalog"}
        missing = [d for d in view.sources or () if d not in known_sources]
        if missing:
            raise ValueError(f"unknown source(s) {', '.join(missing)}; the dataset has "
                             f"{', '.join(sorted(known_sources))}")
        path, seconds = export_view(dataset, view, out, fmt=output_format, width=width, height=height)
    except (ValueError, MapappError) as error:
        typer.echo(f"mapapp: {error}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    typer.echo(f"wrote {path} ({view.describe()}) in {seconds:.2f} s")


def main() -> None:
    global _standalone
    _standalone = True  # the `mapapp` command: one command per process
    app()


if __name__ == "__main__":
    main()
