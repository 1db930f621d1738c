"""A switch between views that works live in Jupyter and in the static book, from one call.

:func:`switch` returns a :class:`Switch`. Displayed in a notebook it offers two renderings in one
output, and each reader gets the one that works for them:

- **live (Jupyter)**: ipywidgets ``ToggleButtons`` linked to a ``Stack`` with ``jslink``, so the
  switch runs in the browser (no Python callback) and its widget state is saved with the notebook;
- **static book**: a small HTML rendering (native radio buttons plus CSS from
  ``_static/backtoback.css``) that the book's HTML build prefers over the widget (see ``_config.yml``,
  ``nb_mime_priority_overrides``). It needs no kernel, no widget manager and no JavaScript, so the
  page stays light and works offline, with the keyboard (Tab, then arrow keys), and in print.

A view can be a chart from :func:`backtoback.style.figure`, a DataFrame, trusted markup wrapped in
:class:`HTML`, a plain string (escaped), or another :class:`Switch` (nested switches work).

``together="Side by side"`` adds one more choice that shows every view at once, side by side (one
column on a phone). It is a layout of the same panels, made by CSS, so each view is in the page once;
print shows every panel, one after the other. ``caption`` is a line shown above the control (for
example the question the views answer).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

__all__ = ["HTML", "Switch", "switch", "to_html"]


class HTML(str):
    """A string that is already safe HTML (built by this package); plain ``str`` views are escaped.

    Displayed on its own in a notebook cell, it renders as HTML.
    """

    def _repr_html_(self) -> str:
        return str(self)


def to_html(view: Any) -> str:
    """The static HTML for one view."""
    if isinstance(view, HTML):
        return str(view)
    if isinstance(view, str):
        return f"<p>{html.escape(view)}</p>"
    if isinstance(view, pd.DataFrame):
        return view.to_html(index=False, classes="btb-table", border=0, escape=True)
    if hasattr(view, "_repr_html_"):
        return view._repr_html_()
    raise TypeError(f"cannot show a {type(view).__name__} in a switch")


def _live(view: Any) -> widgets.Widget:
    if isinstance(view, Switch):
        return view.widget()
    return widgets.HTML(value=to_html(view))


@dataclass
class Switch:
    """Labelled views with a control to choose one. Build it with :func:`switch`."""

    label: str
    views: dict[str, Any]
    selected: int = 0
    together: str | None = None
    caption: str | None = None

    def __post_init__(self):
        if not self.views:
            raise ValueError("a switch needs at least one view")
        if not 0 <= self.selected < len(self.names):
            raise ValueError(f"selected={self.selected} but there are {len(self.names)} choices")
        if self.together in self.views:
            raise ValueError(f"together={self.together!r} is also the name of a view")

    @property
    def names(self) -> list[str]:
        """The choices offered: every view, then the side-by-side choice if there is one."""
        return [*self.views, *([self.together] if self.together else [])]

    @property
    def uid(self) -> str:
        """Stable id from the content, so rebuilding the book gives identical HTML."""
        digest = hashlib.sha1(self.label.encode())
        digest.update(f"{self.together}|{self.caption}".encode())
        for name, view in self.views.items():
            digest.update(name.encode())
            digest.update(to_html(view).encode())
        return "btb-" + digest.hexdigest()[:10]

    # -- live rendering -------------------------------------------------------------------------
    def widget(self) -> widgets.VBox:
        names = self.names
        children = [_live(v) for v in self.views.values()]
        if self.together:
            # Live, the side-by-side choice is one more page of the stack, with the views in a grid.
            children.append(
                widgets.GridBox(
                    [_live(v) for v in self.views.values()],
                    layout={"grid_template_columns": "repeat(auto-fit, minmax(17rem, 1fr))"},
                )
            )
        buttons = widgets.ToggleButtons(
            options=names,
            index=self.selected,
            description=self.label,
            style={"description_width": "initial", "button_width": "auto"},
        )
        stack = widgets.Stack(children=children, selected_index=self.selected)
        # A front-end link: it works without a running Python callback (index, not value).
        widgets.jslink((buttons, "index"), (stack, "selected_index"))
        caption = [widgets.HTML(f"<p>{html.escape(self.caption)}</p>")] if self.caption else []
        return widgets.VBox([*caption, buttons, stack], layout={"width": "100%"})

    # -- static rendering -----------------------------------------------------------------------
    def static_html(self) -> str:
        uid, esc = self.uid, html.escape
        inputs, labels, panels = [], [], []
        n = len(self.views)
        every_panel = " ".join(f"{uid}-panel-{i}" for i in range(n))
        for i, name in enumerate(self.names):
            checked = " checked" if i == self.selected else ""
            together = i == n  # the side-by-side choice shows every panel; it has none of its own
            inputs.append(
                f'<input class="btb-switch-input{" btb-switch-together" if together else ""}" '
                f'type="radio" name="{uid}" id="{uid}-{i}" '
                f'aria-controls="{every_panel if together else f"{uid}-panel-{i}"}"{checked}>'
            )
            labels.append(f'<label for="{uid}-{i}">{esc(name)}</label>')
        for i, (name, view) in enumerate(self.views.items()):
            panels.append(
                f'<div class="btb-switch-panel" id="{uid}-panel-{i}" role="region" '
                f'aria-label="{esc(name)}" data-view="{esc(name)}">{to_html(view)}</div>'
            )
        caption = f'<p class="btb-switch-caption">{esc(self.caption)}</p>' if self.caption else ""
        return (
            f'<div class="btb-switch{" btb-switch-has-together" if self.together else ""}" '
            f'id="{uid}" data-n="{n}">'
            + "".join(inputs)
            + caption
            + f'<div class="btb-switch-labels" role="radiogroup" aria-label="{esc(self.label)}">'
            + f'<span class="btb-switch-legend">{esc(self.label)}</span>'
            + "".join(labels)
            + "</div>"
            + "".join(panels)
            + "</div>"
        )

    def _repr_html_(self) -> str:
        return self.static_html()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/html"] = self.static_html()
        return bundle


MAX_VIEWS = 12  # _static/backtoback.css styles switches of up to this many views


def switch(
    label: str,
    views: dict[str, Any],
    selected: int = 0,
    together: str | None = None,
    caption: str | None = None,
) -> Switch:
    """A switch labelled ``label`` between ``views`` (name -> chart, table, HTML or nested switch).

    ``together`` names an extra choice that shows all views side by side; ``caption`` is a line
    shown above the control.
    """
    choices = len(views) + (1 if together else 0)
    if choices > MAX_VIEWS:
        raise ValueError(f"a switch offers at most {MAX_VIEWS} choices, got {choices}")
    return Switch(
        label=label, views=dict(views), selected=selected, together=together, caption=caption
    )
