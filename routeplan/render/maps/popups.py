"""A household as the pages show it: its popup and its call and map buttons.

Everything from the registers is escaped (:func:`~routeplan.render.maps.style.esc`).
"""

from __future__ import annotations

from ..._labels import label
from ...timewindows import format_clock
from ..text import clean_text
from .context import MapContext
from .style import esc, map_links, tel

__all__ = ["actions", "household_popup"]


def _badge(number: int | None, colour: str | None) -> str:
    if number is None or not colour:
        return ""
    return (
        f'<span class="rp-badge" style="background:{colour};display:inline-block;'
        f'width:26px;height:26px;line-height:26px;font-size:14px;margin-right:6px">'
        f"{number}</span>"
    )


def _plan_line(ctx: MapContext, hid: str, for_volunteer: bool) -> str | None:
    """Return what the plan does with the household (visit, rollover, unassigned)."""
    b, t = ctx.bundle, ctx.t
    if hid in b.visits:
        visit = b.visits[hid]
        who = (
            ""
            if for_volunteer
            else (f"{esc(b.volunteers[visit.route.volunteer_id].get('name', ''))} · ")
        )
        return (
            f"<div><b>{who}{esc(ctx.day_text(visit.route.day))}, "
            f"{esc(label('arrive_at', ctx.lang).format(t=format_clock(visit.arrival_s)))}"
            f" (#{visit.order})</b></div>"
        )
    if hid in b.rollover:
        u = b.rollover[hid]
        vid = b.plan.assignment.get(hid, "")
        who = esc(b.volunteers.get(vid, {}).get("name", vid))
        return (
            f'<div class="rp-warn">{esc(t("rollover"))}'
            f"{': ' + who if who and not for_volunteer else ''}"
            f"{' (' + esc(u.detail) + ')' if u.detail else ''}</div>"
        )
    if hid in b.unassigned:
        u = b.unassigned[hid]
        return f'<div class="rp-warn">{esc(t("unassigned"))}: {esc(u.detail or u.reason)}</div>'
    return None


def household_popup(
    ctx: MapContext,
    hid: str,
    *,
    number: int | None = None,
    colour: str | None = None,
    for_volunteer: bool = False,
) -> str:
    """Return the escaped HTML of a household's popup.

    ``number`` and ``colour`` put the visit number in a badge; ``for_volunteer``
    leaves out the volunteer's own name.
    """
    rec = ctx.bundle.households[hid]
    t = ctx.t
    name = esc(rec.get("head_name", "")) or esc(hid)
    parts = [
        f'<div class="rp-pop"><h3>{_badge(number, colour)}{name}</h3>',
        f'<div class="rp-sub">{esc(rec.get("village", ""))} · {esc(hid)}</div>',
    ]
    if (planned := _plan_line(ctx, hid, for_volunteer)) is not None:
        parts.append(planned)
    services = ctx.services(hid)
    if services:
        items = "".join(f"<li>{esc(s)}</li>" for s in services)
        parts.append(f"<div><b>{esc(t('services'))}:</b><ul>{items}</ul></div>")
    avail = clean_text(rec.get("availability", "")) or t("any_time")
    parts.append(f"<div><b>{esc(t('availability'))}:</b> {esc(avail)}</div>")
    notes = clean_text(rec.get("notes", ""))
    if notes:
        parts.append(f"<div><b>{esc(t('notes'))}:</b> {esc(notes)}</div>")
    flags = ctx.flags(hid)
    if clean_text(rec.get("location_quality", "")) == "village":
        flags.append(t("location_village"))
    if flags:
        parts.append(
            "<div>" + "".join(f'<span class="rp-flag">{esc(f)}</span>' for f in flags) + "</div>"
        )
    parts.append(actions(ctx, hid))
    parts.append("</div>")
    return "".join(parts)


def actions(ctx: MapContext, hid: str) -> str:
    """Return the call and map buttons of a household (escaped HTML)."""
    rec = ctx.bundle.households[hid]
    acts = []
    phone = clean_text(rec.get("phone", ""))
    uri = tel(phone)
    if uri:
        acts.append(f'<a class="rp-btn" href="{esc(uri)}">{esc(ctx.t("call"))} {esc(phone)}</a>')
    if hid in ctx.bundle.xy:
        geo, web = map_links(*ctx.bundle.xy[hid])
        acts.append(f'<a class="rp-btn rp-alt" href="{esc(geo)}">{esc(ctx.t("open_map_app"))}</a>')
        acts.append(
            f'<a class="rp-btn rp-alt" href="{esc(web)}" target="_blank" '
            f'rel="noopener">Google Maps</a>'
        )
    return f'<div class="rp-acts">{"".join(acts)}</div>' if acts else ""
