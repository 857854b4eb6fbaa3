"""The coordinator's app: plan the week in a browser, no terminal (``routeplan serve``).

A local web app (Starlette, Jinja2 templates, served by uvicorn) that runs the weekly
loop on project files: create or open a project and upload its registers and map
(every problem shown with its file, row and fix), plan a week in a background job with
a progress bar and a cancel button, see the plan (overview map, each volunteer's
rounds, households not visited and why, workload), adjust it (move and lock a
household, mark a volunteer away, change a capacity) and re-plan keeping the changes,
hand it out (all route sheets as one PDF, one ZIP per volunteer, a QR code of each
phone page), close the week (outcome files, the progress dashboard) and run the
coverage report.

It calls only :mod:`routeplan.pipeline` to plan and the public campaign, coverage and
render functions to read the project and serve its files; all state is in the project
file. Served on this computer (``127.0.0.1``) by default; ``--lan`` serves the office
network behind an access token. Every form has a CSRF token; uploads have size and
type limits; files are served only from the project's output folder.

Modules: :mod:`.state` (configuration, where a project's files are), :mod:`.web`
(templates, sessions, CSRF, limits), :mod:`.security`, :mod:`.jobs` (long work in a
process of its own), :mod:`.projects`, :mod:`.weeks` and :mod:`.closing` (the pages),
:mod:`.labels` (Vietnamese and English), :mod:`.server` (routes, :func:`create_app`,
:func:`serve`).
"""

from __future__ import annotations

from .server import create_app, demo_folder, serve
from .state import AppConfig

__all__ = ["AppConfig", "create_app", "demo_folder", "serve"]
