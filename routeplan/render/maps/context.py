"""What both kinds of page add to the bundle: words, marker styles and drawn rounds."""

from __future__ import annotations

import re
from functools import lru_cache

from ..._labels import label
from ...planner import Route
from ..bundle import PlanBundle
from ..text import clean_text, day_name, service_labels
from .coords import ROUTE_TOLERANCE_DEG, LatLon, simplified_line
from .style import MarkerStyle, volunteer_style

__all__ = ["MapContext"]


@lru_cache(maxsize=1)
def _label_keys() -> frozenset[str]:
    from ..._labels import LABELS

    return frozenset(LABELS)


class MapContext:
    """A checked plan bundle as the map pages show it.

    Parameters
    ----------
    bundle
        The plan with its registers (:func:`routeplan.render.bundle`).

    Attributes
    ----------
    bundle
        The bundle.
    lang
        Language of the pages (``"vi"`` or ``"en"``).
    style
        The marker style of each volunteer, in register order.

    """

    def __init__(self, bundle: PlanBundle) -> None:
        self.bundle = bundle
        self.lang = bundle.language
        self.style: dict[str, MarkerStyle] = {
            vid: volunteer_style(k) for k, vid in enumerate(bundle.volunteers)
        }
        self._lines: dict[int, list[LatLon]] = {}

    def t(self, key: str) -> str:
        """Return the label ``key`` in the pages' language."""
        return label(key, self.lang)

    def route_line(self, route: Route) -> list[LatLon]:
        """Return a round's line (home, stops, home, along the roads) as drawn, simplified."""
        key = id(route)
        if key not in self._lines:  # both pages draw it; matrix.path is not free
            self._lines[key] = simplified_line(self.bundle.line(route), ROUTE_TOLERANCE_DEG)
        return self._lines[key]

    def services(self, hid: str) -> list[str]:
        """Return the names of the services household ``hid`` needs."""
        codes = self.bundle.households[hid].get("services", ()) or ()
        if isinstance(codes, str):
            codes = tuple(c for c in re.split(r"[;,]", codes) if c.strip())
        return [clean_text(s) for s in service_labels(codes, self.bundle.settings, self.lang)]

    def flags(self, hid: str) -> list[str]:
        """Return what to know before visiting household ``hid`` (elderly, language, ...)."""
        rec = self.bundle.households[hid]
        out = [self.t(k) for k in ("elderly", "disability", "remote") if bool(rec.get(k, False))]
        lang = clean_text(rec.get("language", ""))
        if lang:
            key = f"language_{lang}"
            out.append(self.t(key) if key in _label_keys() else lang)
        if code := self.bundle.map_flag(hid):
            out.append(self.t(f"flag_short_{code}"))
        return out

    def day_text(self, day: int) -> str:
        """Return the weekday's name with the date (``"Thứ Hai 12/05"``) when there is one."""
        date = self.bundle.date(day)
        name = day_name(day, self.lang)
        return f"{name} {date.strftime('%d/%m')}" if date else name
