"""Recording visit outcomes on the phone page, offline, and sending them as a file.

Every stop of a round gets the route sheet's choices (done, not at home, refused,
come back with what to bring and whether papers must first be fetched from a
service point), the services completed (from the household's needs), how many
people were helped and a note; the time of recording is kept. :data:`RECORD_JS`
keeps them in the browser's ``localStorage`` (it works from ``file://`` as the page
arrives by Zalo, and when served), shows what is recorded and what is still to do
per day, and sends the week as the file ``routeplan record`` imports: its first
line names the volunteer, the week and a CRC-32 of the rest
(:class:`routeplan.campaign.outcome_rows.PhoneFile`), handed to the share sheet
where the browser can, else downloaded, and always offered as text to copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..._labels import label
from ...planner import Route
from ..text import clean_text, service_labels
from .context import MapContext
from .style import js

__all__ = ["RECORD_CSS", "RECORD_JS", "record_script"]

_OUTCOMES = (
    ("done", "outcome_done"),
    ("not_at_home", "outcome_absent"),
    ("refused", "outcome_refused"),
    ("follow_up", "outcome_papers"),
)

_WORDS = (
    "rec_open",
    "rec_outcome",
    "rec_services",
    "rec_people",
    "rec_bring",
    "rec_trip",
    "rec_save",
    "rec_clear",
    "rec_pick",
    "rec_count",
    "rec_left",
    "rec_send",
    "rec_sent",
    "rec_copy",
    "rec_copy_hint",
    "rec_nothing",
    "rec_full",
    "notes",
)


def record_config(
    ctx: MapContext, vid: str, routes: Sequence[Route], days: Sequence[str]
) -> dict[str, Any]:
    """Return what the recording script needs: the words, the rounds' households, ids.

    ``days`` are the rounds' keys on the page (``"0"``, ``"1"``, ...), one per route.
    """
    b = ctx.bundle
    households: dict[str, list[list[str]]] = {}
    rounds: dict[str, list[str]] = {}
    for day, route in zip(days, routes, strict=True):
        rounds[day] = [s.household_id for s in route.stops]
        for stop in route.stops:
            codes = tuple(b.households[stop.household_id].get("services", ()) or ())
            names = service_labels(codes, b.settings, ctx.lang)
            households[stop.household_id] = [
                [str(c), clean_text(n)] for c, n in zip(codes, names, strict=True)
            ]
    week = b.plan.week_start.isoformat() if b.plan.week_start else ""
    return {
        "vid": vid,
        "week": week,
        "words": {k: label(k, ctx.lang) for k in _WORDS},
        "outcomes": [[code, label(key, ctx.lang)] for code, key in _OUTCOMES],
        "households": households,
        "rounds": rounds,
    }


def record_script(config: dict[str, Any]) -> str:
    """Return the script that starts recording on the page with ``config``."""
    return f"RPR.start({js(config)});"


RECORD_CSS = """
.rp-rec{margin:8px 0 0 46px}
.rp-rec>summary{display:inline-flex;align-items:center;min-height:44px;padding:0 14px;
 border-radius:8px;background:#fff3bf;font-weight:600;cursor:pointer;list-style:none}
.rp-rec>summary::-webkit-details-marker{display:none}
.rp-rec.rp-saved>summary{background:#d3f9d8;color:#2b8a3e}
.rp-rec fieldset{border:0;margin:6px 0;padding:0}
.rp-rec legend{font-weight:600;font-size:14px;color:#495057;padding:0}
.rp-rec label{display:flex;align-items:center;gap:8px;min-height:40px;font-size:16px}
.rp-rec input[type=radio],.rp-rec input[type=checkbox]{width:22px;height:22px;flex:0 0 22px}
.rp-rec input[type=text],.rp-rec input[type=number],.rp-rec textarea{font:inherit;
 width:100%;box-sizing:border-box;padding:6px;border:1px solid #adb5bd;border-radius:6px}
.rp-rec label.rp-wide{display:block}
.rp-rec .rp-msg{color:#c92a2a;font-weight:600}
.rp-send{background:#fff;padding:8px 10px;border-bottom:1px solid #ddd;display:flex;
 flex-wrap:wrap;gap:8px;align-items:center}
.rp-send .rp-total{flex:1 1 auto;font-weight:600}
.rp-send textarea{width:100%;height:90px;font:12px monospace}
.rp-cnt{display:inline-block;margin-left:6px;padding:0 6px;border-radius:9px;
 background:#e9ecef;color:#1c2b40;font-size:13px}
.rp-cnt.rp-all-done{background:#2b8a3e;color:#fff}
.rp-day .rp-progress{margin:0 4px 6px 18px;font-weight:600;color:#2b8a3e}
"""

RECORD_JS = r"""
var RPR = (function () {
  var C, KEY, data = {}, W;
  var TABLE = (function () {
    var t = [], c, n, k;
    for (n = 0; n < 256; n++) {
      c = n;
      for (k = 0; k < 8; k++) { c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1; }
      t[n] = c >>> 0;
    }
    return t;
  })();
  function crc32(text) {
    var b = new TextEncoder().encode(text), c = 0xFFFFFFFF;
    for (var i = 0; i < b.length; i++) { c = TABLE[(c ^ b[i]) & 0xFF] ^ (c >>> 8); }
    return ((c ^ 0xFFFFFFFF) >>> 0).toString(16).padStart(8, '0');
  }
  function two(n) { return String(n).padStart(2, '0'); }
  function day(d) { return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()); }
  function stamp(d) { return day(d) + ' ' + two(d.getHours()) + ':' + two(d.getMinutes()); }
  function load() {
    try { data = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { data = {}; }
  }
  function store() {
    try { localStorage.setItem(KEY, JSON.stringify(data)); } catch (e) { return false; }
    return true;
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) { e.textContent = text; }
    return e;
  }
  function labelled(input, text, cls) {
    var l = el('label', cls ? {'class': cls} : {});
    if (input.type === 'radio' || input.type === 'checkbox') {
      l.appendChild(input); l.appendChild(document.createTextNode(text));
    } else {
      l.appendChild(document.createTextNode(text)); l.appendChild(input);
    }
    return l;
  }
  function outcomeText(r) {
    var name = '';
    C.outcomes.forEach(function (o) { if (o[0] === r.o) { name = o[1]; } });
    return '\u2713 ' + name + ' \u00b7 ' + r.at.slice(11);
  }
  function form(li, hid) {
    var d = el('details', {'class': 'rp-rec', 'data-hid': hid});
    var sum = el('summary', {}, W.rec_open);
    d.appendChild(sum);
    var f = el('form', {}), name = 'o-' + hid;
    var fo = el('fieldset', {}); fo.appendChild(el('legend', {}, W.rec_outcome));
    C.outcomes.forEach(function (o) {
      fo.appendChild(labelled(el('input', {type: 'radio', name: name, value: o[0]}), o[1]));
    });
    f.appendChild(fo);
    var follow = el('div', {'class': 'rp-follow'});
    var bring = el('input', {type: 'text', name: 'bring'});
    follow.appendChild(labelled(bring, W.rec_bring, 'rp-wide'));
    follow.appendChild(labelled(el('input', {type: 'checkbox', name: 'trip'}), W.rec_trip));
    f.appendChild(follow);
    var fs = el('fieldset', {'class': 'rp-services'});
    fs.appendChild(el('legend', {}, W.rec_services));
    (C.households[hid] || []).forEach(function (s) {
      fs.appendChild(labelled(el('input', {type: 'checkbox', name: 'svc', value: s[0]}), s[1]));
    });
    if ((C.households[hid] || []).length) { f.appendChild(fs); }
    f.appendChild(labelled(el('input', {type: 'number', name: 'people', min: '0', max: '99',
      inputmode: 'numeric'}), W.rec_people, 'rp-wide'));
    f.appendChild(labelled(el('textarea', {name: 'notes', rows: '2'}), W.notes, 'rp-wide'));
    var msg = el('div', {'class': 'rp-msg', role: 'status'});
    f.appendChild(msg);
    var acts = el('div', {'class': 'rp-acts'});
    var save = el('button', {type: 'button', 'class': 'rp-btn', 'data-act': 'save'}, W.rec_save);
    var clear = el('button', {type: 'button', 'class': 'rp-btn rp-alt', 'data-act': 'clear'},
      W.rec_clear);
    acts.appendChild(save); acts.appendChild(clear); f.appendChild(acts);
    d.appendChild(f);
    function shown() {
      var o = (f.querySelector('input[name="' + name + '"]:checked') || {}).value;
      follow.hidden = o !== 'follow_up';
      fs.hidden = o === 'not_at_home' || o === 'refused';
    }
    function fill() {
      var r = data[hid];
      f.reset();
      if (r) {
        f.querySelectorAll('input[name="' + name + '"]').forEach(function (i) {
          i.checked = i.value === r.o;
        });
        f.querySelectorAll('input[name=svc]').forEach(function (i) {
          i.checked = r.s.indexOf(i.value) >= 0;
        });
        f.elements.people.value = r.p === '' ? '' : r.p;
        f.elements.bring.value = r.f; f.elements.trip.checked = r.t; f.elements.notes.value = r.n;
      }
      sum.textContent = r ? outcomeText(r) : W.rec_open;
      d.classList.toggle('rp-saved', !!r);
      shown();
    }
    f.addEventListener('change', shown);
    save.addEventListener('click', function () {
      var o = (f.querySelector('input[name="' + name + '"]:checked') || {}).value;
      if (!o) { msg.textContent = W.rec_pick; return; }
      var now = new Date(), old = data[hid], met = o === 'done' || o === 'follow_up';
      var svc = [];
      if (met) {
        f.querySelectorAll('input[name=svc]:checked').forEach(function (i) { svc.push(i.value); });
      }
      var p = f.elements.people.value.trim();
      data[hid] = {o: o, s: svc, p: p === '' ? '' : String(Math.max(0, Math.round(Number(p)) || 0)),
        f: o === 'follow_up' ? f.elements.bring.value.trim() : '',
        t: o === 'follow_up' && f.elements.trip.checked, n: f.elements.notes.value.trim(),
        // the visit's day is the day it was first recorded; a later edit keeps it
        d: old ? old.d : day(now), at: stamp(now)};
      msg.textContent = store() ? '' : W.rec_full;
      fill(); d.open = false; update();
    });
    clear.addEventListener('click', function () {
      delete data[hid]; store(); fill(); update();
    });
    li.appendChild(d);
    fill();
  }
  function cell(v) {
    v = String(v == null ? '' : v).replace(/\r?\n/g, ' ');
    return /[",;\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function csv() {
    var rows = [], head = ['household_id', 'date', 'volunteer_id', 'outcome', 'services_done',
      'people_supported', 'follow_up', 'service_point_trip', 'notes', 'recorded_at'];
    Object.keys(C.rounds).forEach(function (k) {
      C.rounds[k].forEach(function (hid) {
        var r = data[hid];
        if (!r) { return; }
        rows.push([hid, r.d, C.vid, r.o, r.s.join(';'), r.p, r.f, r.t ? 'yes' : 'no', r.n, r.at]
          .map(cell).join(','));
      });
    });
    var body = head.join(',') + '\n' + rows.map(function (r) { return r + '\n'; }).join('');
    var first = ['#routeplan-outcomes', C.vid, C.week, rows.length, 'crc32:' + crc32(body)]
      .map(cell).join(',');
    return {text: '\ufeff' + first + '\n' + body, n: rows.length};
  }
  function fileName() {
    var safe = function (s) { return String(s).replace(/[^\w.\-]+/g, '_'); };
    return 'outcomes_' + safe(C.vid) + (C.week ? '_' + C.week : '') + '.csv';
  }
  function offerText(box, text) {
    var old = box.querySelector('.rp-copy');
    if (old) { old.parentNode.removeChild(old); }
    var wrap = el('div', {'class': 'rp-copy'});
    wrap.appendChild(el('div', {}, W.rec_copy_hint));
    var ta = el('textarea', {readonly: 'readonly'}); ta.value = text;
    var b = el('button', {type: 'button', 'class': 'rp-btn rp-alt'}, W.rec_copy);
    b.addEventListener('click', function () {
      ta.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).catch(function () { document.execCommand('copy'); });
      } else { document.execCommand('copy'); }
    });
    wrap.appendChild(ta); wrap.appendChild(b); box.appendChild(wrap);
  }
  function download(text, name) {
    try {
      var url = URL.createObjectURL(new Blob([text], {type: 'text/csv;charset=utf-8'}));
      var a = el('a', {href: url, download: name});
      document.body.appendChild(a); a.click(); document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      return true;
    } catch (e) { return false; }
  }
  function send(box, status) {
    var out = csv(), name = fileName();
    if (!out.n) { status.textContent = W.rec_nothing; return; }
    var file = null;
    try { file = new File([out.text], name, {type: 'text/csv'}); } catch (e) { file = null; }
    status.textContent = W.rec_sent.replace('{f}', name);
    offerText(box, out.text);
    if (file && navigator.canShare && navigator.share && navigator.canShare({files: [file]})) {
      navigator.share({files: [file], title: name}).catch(function (err) {
        if (!err || err.name !== 'AbortError') { download(out.text, name); }
      });
      return;
    }
    download(out.text, name);
  }
  function count(hids) {
    var n = 0;
    hids.forEach(function (h) { if (data[h]) { n++; } });
    return n;
  }
  function update() {
    var all = [];
    Object.keys(C.rounds).forEach(function (k) {
      var hids = C.rounds[k], n = count(hids), m = hids.length;
      all = all.concat(hids);
      var text = W.rec_count.replace('{n}', n).replace('{m}', m);
      var left = m - n ? ' \u00b7 ' + W.rec_left.replace('{n}', m - n) : '';
      var p = document.querySelector('section.rp-day[data-round="' + k + '"] .rp-progress');
      if (p) { p.textContent = text + left; }
      var b = document.querySelector('nav.rp-days button[data-round="' + k + '"] .rp-cnt');
      if (b) { b.textContent = n + '/' + m; b.classList.toggle('rp-all-done', n === m); }
    });
    var n = count(all), t = document.getElementById('rp-total');
    if (t) {
      var left = all.length - n ? ' \u00b7 ' + W.rec_left.replace('{n}', all.length - n) : '';
      t.textContent = W.rec_count.replace('{n}', n).replace('{m}', all.length) + left;
    }
    var b = document.querySelector('nav.rp-days button[data-round="all"] .rp-cnt');
    if (b) {
      b.textContent = n + '/' + all.length;
      b.classList.toggle('rp-all-done', n === all.length);
    }
  }
  function start(config) {
    C = config; W = C.words;
    KEY = 'routeplan:outcomes:' + C.vid + ':' + (C.week || '-');
    load();
    var list = document.getElementById('rp-list');
    if (!list) { return; }
    Object.keys(C.rounds).forEach(function (k) {
      var sec = list.querySelector('section.rp-day[data-round="' + k + '"]');
      if (!sec) { return; }
      var meta = sec.querySelector('.rp-meta');
      var p = el('div', {'class': 'rp-progress'});
      if (meta) { meta.parentNode.insertBefore(p, meta.nextSibling); }
      sec.querySelectorAll('li[data-hid]').forEach(function (li) {
        form(li, li.getAttribute('data-hid'));
      });
    });
    list.querySelectorAll('nav.rp-days button').forEach(function (b) {
      var k = b.getAttribute('data-round');
      if (k === 'all' || C.rounds[k]) { b.appendChild(el('span', {'class': 'rp-cnt'})); }
    });
    var box = el('div', {'class': 'rp-send', id: 'rp-send'});
    var total = el('span', {'class': 'rp-total', id: 'rp-total'});
    var btn = el('button', {type: 'button', 'class': 'rp-btn', id: 'rp-send-btn'}, W.rec_send);
    var status = el('div', {role: 'status', 'class': 'rp-status'});
    btn.addEventListener('click', function () { send(box, status); });
    box.appendChild(total); box.appendChild(btn); box.appendChild(status);
    list.insertBefore(box, list.firstChild);
    update();
    // another tab or a reload on another day: show what is stored now
    window.addEventListener('storage', function (e) { if (e.key === KEY) { load(); update(); } });
  }
  return {start: start, crc32: crc32, csv: function () { return csv().text; }};
})();
"""
