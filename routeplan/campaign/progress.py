"""The campaign's running totals: per hamlet, per volunteer, and who is not reached yet.

:func:`progress_report` counts from the visit log and the stored plans;
:func:`progress_html` draws it as one offline HTML page (inline SVG charts) and
:func:`write_progress` writes that page and the tables as CSV.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .._io import write_text
from .._labels import LABELS, label
from ..config import Settings
from ..render.text import service_labels
from .history import HouseholdState, household_states
from .registers_sync import households_frame, volunteers_frame
from .store import PathLike, join_codes, split_codes, transaction

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import pandas as pd

__all__ = ["ProgressReport", "progress_html", "progress_report", "write_progress"]

_SHARED_WORDS = {  # a progress word that is also a map's or a sheet's -> its label key
    "hamlet": "hamlet",
    "name": "volunteer",
    "households": "col_households",
    "not_at_home": "outcome_absent",
    "refused": "outcome_refused",
    "services": "services",
    "total": "total",
}


def _word(key: str, language: str) -> str:
    """Return the progress report's word for ``key`` (a column or a title) in ``language``."""
    return label(_SHARED_WORDS.get(key, f"progress_{key}"), language)


@dataclass(frozen=True)
class ProgressReport:
    """Running totals of the campaign (see :func:`progress_report`).

    Attributes
    ----------
    by_hamlet, by_volunteer
        One row per hamlet / volunteer and a last ``total`` row: ``households``,
        ``visits``, ``visited`` (met at least once), ``complete`` (every service done),
        ``in_progress``, ``people_supported``, ``not_reached`` (never met: the sum of
        ``not_at_home`` and ``not_visited``), ``refused``, ``services_left`` and one
        ``done_<code>`` column per service: households where it was done.
    not_reached
        One row per household not yet met (or refused), with ``why``.
    totals
        Campaign totals: ``households``, ``visited``, ``complete``, ``people_supported``,
        ``visits`` and ``done_<code>`` for every service.
    services
        The service codes reported, in catalogue order.

    """

    by_hamlet: pd.DataFrame
    by_volunteer: pd.DataFrame
    not_reached: pd.DataFrame
    totals: Mapping[str, int]
    services: tuple[str, ...]
    settings: Settings = field(repr=False)
    as_of: str = ""

    def headline(self) -> str:
        """One sentence: people supported, households done and each service completed."""
        lang = self.settings.output.language
        t = self.totals
        text = _word("headline", lang).format(**t)
        parts = []
        for code in self.services:
            parts.append(f"{_service_label(code, self.settings)}: {t.get('done_' + code, 0)}")
        return text + (". " + "; ".join(parts) if parts else "") + "."

    def summary(self) -> str:
        """Return the headline and the per-hamlet table, for the terminal."""
        lang = self.settings.output.language
        frame = _labelled(self.by_hamlet, self.settings)
        return f"{self.headline()}\n\n{frame.to_string(index=False)}\n" + (
            f"\n{len(self.not_reached)} {_word('not_reached_title', lang).lower()}"
            if len(self.not_reached)
            else ""
        )


def _service_label(code: str, settings: Settings) -> str:
    return service_labels([code], settings, settings.output.language)[0]


def _labelled(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    lang = settings.output.language
    names = {
        c: _service_label(c[5:], settings)
        if c.startswith("done_")
        else _word(c, lang)
        if c in _SHARED_WORDS or f"progress_{c}" in LABELS
        else c
        for c in frame.columns
    }
    return frame.rename(columns=names)


# --- counting ------------------------------------------------------------------------

_Planned = tuple[str, str | None, str, str]
"""A household in its latest plan: (week, volunteer, status, detail)."""
_VolunteerVisit = tuple[str, str, str, int | None]
"""One visit of a volunteer: (household, outcome, services done, people supported)."""


@dataclass(frozen=True)
class _Log:
    """What the progress report counts from: registers, visit log and latest plans."""

    households: gpd.GeoDataFrame
    volunteers: gpd.GeoDataFrame
    states: dict[str, HouseholdState]
    latest: dict[str, _Planned]
    visits_by_volunteer: dict[str, list[_VolunteerVisit]]
    as_of: str


def _read_log(path: PathLike) -> _Log:
    with transaction(path, write=False) as conn:
        households = households_frame(conn, True)
        volunteers = volunteers_frame(conn, False)
        states = household_states(conn, households, None)
        latest: dict[str, _Planned] = {}
        for wk, hid, vid, state, detail in conn.execute(
            "SELECT week_start, household_id, volunteer_id, status, detail FROM "
            "plan_households ORDER BY week_start"
        ):
            latest[hid] = (wk, vid, state, detail or "")
        by_vol: dict[str, list[_VolunteerVisit]] = {}
        for hid, vid, outcome, services, people in conn.execute(
            "SELECT household_id, volunteer_id, outcome, services_done, people_supported "
            "FROM visits ORDER BY visit_date, fid"
        ):
            by_vol.setdefault(vid, []).append((hid, outcome, services, people))
        as_of = conn.execute("SELECT max(visit_date) FROM visits").fetchone()[0] or ""
    return _Log(households, volunteers, states, latest, by_vol, as_of)


def _service_codes(states: Mapping[str, HouseholdState], settings: Settings) -> list[str]:
    """Return the services to report: the catalogue's that occur, then others done."""
    codes = [
        c
        for c in settings.services
        if any(c in st.needed or c in st.done or c in st.extra for st in states.values())
    ]
    codes += sorted({c for st in states.values() for c in st.extra} - set(codes))
    return codes


_COUNTS = (
    "households",
    "visits",
    "visited",
    "complete",
    "in_progress",
    "people_supported",
    "not_reached",
    "not_at_home",
    "refused",
    "not_visited",
    "services_left",
)
"""The count columns of both tables, in this order (then ``done_<code>``)."""


def _status_counts(sts: Sequence[HouseholdState]) -> dict[str, int]:
    """Count what the states of a group of households tell."""
    return {
        "complete": sum(s.complete for s in sts),
        "in_progress": sum(s.status == "in_progress" for s in sts),
        "not_reached": sum(not s.contact for s in sts),
        "not_at_home": sum(s.status == "not_at_home" for s in sts),
        "refused": sum(s.status == "refused" for s in sts),
        "not_visited": sum(s.status == "not_visited" for s in sts),
        "services_left": sum(len(s.remaining) for s in sts if not s.complete),
    }


def _hamlet_row(sts: Sequence[HouseholdState], codes: Sequence[str]) -> dict[str, int]:
    counts = {
        "households": len(sts),
        "visits": sum(s.visits for s in sts),
        "visited": sum(s.contact for s in sts),
        "people_supported": sum(s.people for s in sts),
        **_status_counts(sts),
    }
    out = {c: counts[c] for c in _COUNTS}
    for c in codes:
        out["done_" + c] = sum(c in s.done or c in s.extra for s in sts)
    return out


def _by_hamlet(log: _Log, codes: Sequence[str], language: str) -> pd.DataFrame:
    import pandas as pd

    states = log.states
    households = log.households
    village = dict(zip(households["household_id"], households["village"], strict=True))
    hamlets: dict[str, list[str]] = {}
    for hid in households["household_id"]:
        hamlets.setdefault(str(village[hid]), []).append(str(hid))
    return pd.DataFrame(
        [
            {"hamlet": h, **_hamlet_row([states[i] for i in ids], codes)}
            for h, ids in hamlets.items()
        ]
        + [{"hamlet": _word("total", language), **_hamlet_row(list(states.values()), codes)}]
    )


def _volunteer_counts(
    visits: Sequence[_VolunteerVisit],
    mine: Sequence[HouseholdState],
    codes: Sequence[str],
) -> dict[str, int]:
    """Count one volunteer's visits and the households now theirs."""
    met = {h for h, o, _, _ in visits if o != "not_at_home"}
    helped: dict[str, int] = {}
    done: dict[str, set[str]] = {}
    for h, _o, services, n in visits:
        if n is not None:
            helped[h] = max(helped.get(h, 0), int(n))
        for c in split_codes(services):
            done.setdefault(c, set()).add(h)
    counts = {
        "households": len(mine),
        "visits": len(visits),
        "visited": len(met),
        "people_supported": sum(helped.values()),
        **_status_counts(mine),
    }
    out = {c: counts[c] for c in _COUNTS}
    for c in codes:
        out["done_" + c] = len(done.get(c, ()))
    return out


def _by_volunteer(
    log: _Log, codes: Sequence[str], columns: Sequence[str], language: str
) -> pd.DataFrame:
    import pandas as pd

    states = log.states
    vol_names = dict(zip(log.volunteers["volunteer_id"], log.volunteers["name"], strict=True))
    assigned: dict[str, list[str]] = {}
    for hid, (_, vid, _, _) in log.latest.items():
        if vid is not None and hid in states:
            assigned.setdefault(vid, []).append(hid)
    by_vol = log.visits_by_volunteer
    rows = []
    for vid in [*vol_names, *sorted(set(by_vol) - set(vol_names))]:
        visits = by_vol.get(vid, [])
        mine = assigned.get(vid, [])
        if not visits and not mine:
            continue
        counts = _volunteer_counts(visits, [states[h] for h in mine], codes)
        rows.append({"volunteer_id": vid, "name": vol_names.get(vid, ""), **counts})
    frame = pd.DataFrame(rows, columns=["volunteer_id", "name", *columns])
    if len(frame):
        total = {c: int(frame[c].sum()) for c in frame.columns[2:]}
        frame = pd.concat(
            [
                frame,
                pd.DataFrame([{"volunteer_id": _word("total", language), "name": "", **total}]),
            ],
            ignore_index=True,
        )
    return frame


def _why(st: HouseholdState, planned: _Planned, language: str) -> str:
    """Why a household is not reached yet, in a sentence."""
    wk, _, state, detail = planned
    if st.status == "refused":
        return _word("why_refused", language).format(date=st.last_date)
    if st.status == "not_at_home":
        return _word("why_not_at_home", language).format(n=len(st.failed), date=st.last_date)
    if state in ("rollover", "unassigned"):
        return _word(f"why_{state}", language).format(detail=detail)
    if state:
        return _word("why_planned", language).format(week=wk)
    return _word("why_not_planned", language)


_NOT_REACHED_COLUMNS = (
    "household_id",
    "head_name",
    "hamlet",
    "phone",
    "volunteer",
    "status",
    "why",
    "services",
)


def _not_reached(log: _Log, language: str) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for rec in log.households.to_dict("records"):
        hid = str(rec["household_id"])
        st = log.states[hid]
        if st.contact and st.status != "refused":
            continue
        planned = log.latest.get(hid, ("", None, "", ""))
        _, vid, state, _ = planned
        rows.append(
            {
                "household_id": hid,
                "head_name": rec["head_name"],
                "hamlet": rec["village"],
                "phone": rec["phone"],
                "volunteer": vid or "",
                "status": st.status
                if st.visits or not state
                else ("planned" if state in ("visit", "assigned") else state),
                "why": _why(st, planned, language),
                "services": join_codes(st.remaining),
            }
        )
    return pd.DataFrame(rows, columns=list(_NOT_REACHED_COLUMNS))


def progress_report(path: PathLike, *, settings: Settings | None = None) -> ProgressReport:
    """Count what the campaign has done so far, per hamlet and per volunteer.

    A household counts as *visited* once someone met it (any outcome but not at home),
    *complete* once every service of the register is done; *people supported* counts
    each household's largest figure (two visits to one family count its people once);
    a service counts once per household it was done for, also when the household had
    not asked for it. Households that left the register are not counted.

    Parameters
    ----------
    path
        The project file.
    settings
        The service catalogue (labels) and ``output.language``.

    """
    settings = settings or Settings()
    lang = settings.output.language
    log = _read_log(path)
    codes = _service_codes(log.states, settings)
    by_hamlet = _by_hamlet(log, codes, lang)
    by_volunteer = _by_volunteer(log, codes, list(by_hamlet.columns[1:]), lang)
    not_reached = _not_reached(log, lang)
    totals_row = by_hamlet.iloc[-1].to_dict()
    totals = {str(k): int(v) for k, v in totals_row.items() if k != "hamlet"}
    for c in codes:
        totals["needed_" + c] = sum(c in st.needed for st in log.states.values())
    return ProgressReport(
        by_hamlet, by_volunteer, not_reached, totals, tuple(codes), settings, log.as_of
    )


# --- the page and the files -------------------------------------------------------------


def _svg_bars(
    title: str,
    rows: Sequence[tuple[str, Sequence[tuple[float, str, str]], str]],
    *,
    width: int = 640,
) -> str:
    """Draw horizontal stacked bars as inline SVG.

    ``rows`` are ``(label, [(value, colour, tooltip), ...], text after the bar)``.
    """
    label_w, bar_h, gap, top = 190, 18, 8, 28
    biggest = max((sum(v for v, _, _ in parts) for _, parts, _ in rows), default=0) or 1
    scale = (width - label_w - 80) / biggest
    height = top + len(rows) * (bar_h + gap) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}" font-family="sans-serif" '
        'font-size="12">',
        f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>',
    ]
    for k, (name, parts, note) in enumerate(rows):
        y = top + k * (bar_h + gap)
        out.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{html.escape(name)}</text>'
        )
        x = float(label_w)
        for value, colour, tip in parts:
            w = value * scale
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{colour}"><title>{html.escape(tip)}</title></rect>'
                )
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{html.escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)


_COLOURS = (
    ("complete", "#2e7d32"),
    ("in_progress", "#fbc02d"),
    ("refused", "#e57373"),
    ("not_reached", "#e0e0e0"),
)


def _table_html(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def progress_html(report: ProgressReport) -> str:
    """Return the progress report as one self-contained HTML page (inline SVG charts)."""
    settings = report.settings
    lang = settings.output.language
    t = report.totals
    service_rows = []
    for code in report.services:
        needed = t.get("needed_" + code, 0)
        done = t.get("done_" + code, 0)
        left = max(needed - done, 0)
        service_rows.append(
            (
                _service_label(code, settings),
                [(float(done), "#2e7d32", f"{done}"), (float(left), "#c8e6c9", f"{left}")],
                f"{done} / {needed}",
            )
        )
    hamlet_rows = [
        (
            str(r["hamlet"]),
            [(float(r[key]), colour, f"{_word(key, lang)}: {r[key]}") for key, colour in _COLOURS],
            f"{r['complete']} / {r['households']}",
        )
        for r in report.by_hamlet.iloc[:-1].to_dict("records")
    ]
    legend = " ".join(
        f'<span style="display:inline-block;width:12px;height:12px;background:{c}"></span> '
        f"{html.escape(_word(k, lang))}"
        for k, c in _COLOURS
    )
    style = (
        "body{font-family:sans-serif;margin:1.5em;max-width:1100px}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}"
        "td,th{border:1px solid #bbb;padding:3px 6px;text-align:right}"
        "td:first-child,th:first-child{text-align:left}"
        "tr:last-child td{font-weight:bold}h1{font-size:1.4em}"
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(_word('title', lang))}</title><style>{style}</style></head><body>"
        f"<h1>{html.escape(_word('title', lang))}</h1>"
        f"<p>{html.escape(report.headline())}</p>"
        + (
            f"<p>{html.escape(_word('as_of', lang).format(date=report.as_of))}</p>"
            if report.as_of
            else ""
        )
        + _svg_bars(_word("chart_services", lang), service_rows)
        + f"<p>{legend}</p>"
        + _svg_bars(_word("chart_hamlets", lang), hamlet_rows)
        + f"<h2>{html.escape(_word('by_hamlet', lang))}</h2>"
        + _table_html(_labelled(report.by_hamlet, settings))
        + f"<h2>{html.escape(_word('by_volunteer', lang))}</h2>"
        + _table_html(_labelled(report.by_volunteer, settings))
        + f"<h2>{html.escape(_word('not_reached_title', lang))}</h2>"
        + _table_html(_labelled(report.not_reached, settings))
        + "</body></html>\n"
    )


def write_progress(report: ProgressReport, out_dir: PathLike) -> list[Path]:
    """Write the progress report into ``out_dir`` and return the paths written.

    ``progress_hamlets.csv``, ``progress_volunteers.csv``, ``progress_not_reached.csv``
    (UTF-8 with BOM for Excel, injection-safe) and ``progress.html`` (one page with
    inline SVG charts: opens offline).
    """
    from ..render.export import write_csv

    out = Path(out_dir)
    paths = []
    for name, frame in (
        ("progress_hamlets.csv", report.by_hamlet),
        ("progress_volunteers.csv", report.by_volunteer),
        ("progress_not_reached.csv", report.not_reached),
    ):
        labelled = _labelled(frame, report.settings)
        paths.append(
            write_csv(
                out / name, list(labelled.columns), labelled.itertuples(index=False, name=None)
            )
        )
    paths.append(write_text(out / "progress.html", progress_html(report)))
    return paths
