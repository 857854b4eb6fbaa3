"""Folium elements that put text into the page as it is, and ``RP.draw`` layers.

Unlike branca's ``MacroElement``, which compiles every rendered piece again as a
Jinja template (slow for big data, and it would evaluate ``{{ ... }}`` typed into a
register), these never pass data through Jinja.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from .style import js

__all__ = ["draw", "html_element", "raw_element", "script_element"]


@lru_cache(maxsize=1)
def _element_classes() -> tuple[type[Any], type[Any], type[Any]]:
    """Return the folium element classes used here (defined lazily: folium is heavy).

    Their text goes into the page as it is: unlike branca's ``MacroElement``, which
    compiles every rendered piece again as a Jinja template (slow for big data, and
    it would evaluate ``{{ ... }}`` typed into a register), these never pass data
    through Jinja.
    """
    from branca.element import Element

    class Raw(Element):
        """Text put into the page verbatim."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "RoutePlanRaw"
            self.text = text

        def render(self, **kwargs: Any) -> str:
            return str(self.text)

    class Script(Element):
        """JavaScript built from the parent layer's variable name."""

        def __init__(self, build: Callable[[str], str]) -> None:
            super().__init__()
            self._name = "RoutePlanScript"
            self.build = build

        def render(self, **kwargs: Any) -> str:
            parent: Any = self._parent
            root: Any = self.get_root()
            root.script.add_child(Raw(self.build(parent.get_name())), name=self.get_name())
            return ""

    class Html(Element):
        """Trusted HTML put into the page body where the element is added."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "RoutePlanHtml"
            self.text = text

        def render(self, **kwargs: Any) -> str:
            root: Any = self.get_root()
            root.html.add_child(Raw(self.text), name=self.get_name())
            return ""

    return Raw, Script, Html


def raw_element(text: str) -> Any:
    """Return a folium element whose text goes into the page verbatim."""
    return _element_classes()[0](text)


def script_element(build: Callable[[str], str]) -> Any:
    """Return a folium element whose script is ``build(parent_js_name)``."""
    return _element_classes()[1](build)


def html_element(text: str) -> Any:
    """Return a folium element that puts ``text`` (trusted HTML) into the page body."""
    return _element_classes()[2](text)


def draw(styles: Mapping[str, Mapping[str, Any]], items: Sequence[Mapping[str, Any]]) -> Any:
    """Return a folium element drawing ``items`` with ``styles`` into its parent layer.

    Each item is ``{"k": kind, "s": style key, "c": coordinates, ...}`` as
    ``RP.draw`` takes it (kinds ``line``, ``circle``, ``div``, ``num``; optional
    ``p`` popup, ``t`` tooltip, ``id``, ``h`` HTML, ``n`` number).
    """
    payload = f"{js(styles)},{js(list(items))}"
    return script_element(lambda parent: f"RP.draw({parent},{payload});")
