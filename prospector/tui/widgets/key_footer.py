"""A footer that wraps onto more lines instead of hiding keys past the right edge.

Textual's footer is one line; with ten outcome keys and the lead screen's own,
an 80-column terminal would hide half of them. This one lays the same keys out
in rows, as many keys to a row as fit, so every key is always on screen in as few
lines as the keys' own widths allow. It is built only on
Textual's public API: the screen's ``active_bindings`` and its
``bindings_updated_signal``; each key is a :class:`FooterCell` of our own.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget

from prospector.tui.keys import shown_binding

GUTTER = 1


class FooterCell(Widget):
    """One key and what it does: ``1 No answer``. Clicking it presses the key."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"footer-cell--key", "footer-cell--description"}
    DEFAULT_CSS = """
    FooterCell {
        width: auto;
        margin-right: 1;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
        .footer-cell--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-cell--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        &:hover {
            pointer: pointer;
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        &.-disabled { text-style: dim; }
    }
    """

    def __init__(self, key: str, key_display: str, description: str, *, enabled: bool) -> None:
        super().__init__(classes="" if enabled else "-disabled")
        self.key = key
        self.key_display = key_display
        self.description = description
        self.enabled = enabled

    @property
    def cells(self) -> int:
        """Columns the cell needs: the key, a space, the description."""
        return len(self.key_display) + 1 + len(self.description)

    def render(self) -> Text:
        text = Text.assemble(
            (self.key_display, self.get_component_rich_style("footer-cell--key")),
            (" " + self.description, self.get_component_rich_style("footer-cell--description")),
        )
        text.stylize_before(self.rich_style)
        return text

    def on_mouse_down(self) -> None:
        if self.enabled:
            self.app.simulate_key(self.key)
        else:
            self.app.bell()


class FooterRow(Horizontal):
    """One line of the footer's keys."""

    DEFAULT_CSS = """
    FooterRow { height: 1; }
    """


class KeyFooter(Widget, can_focus=False, can_focus_children=False):
    """The screen's shown keys, one per action, in rows of as many keys as fit."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyFooter {
        height: auto;
        dock: bottom;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._ready = False  # the screen has said its bindings are in place
        self._split: list[int] = []  # keys on each row, as last laid out

    def compose(self) -> ComposeResult:
        cells = self._cells() if self._ready else []
        self._split = split_rows([cell.cells for cell in cells], self._width())
        for count in self._split:
            yield FooterRow(*cells[:count])
            cells = cells[count:]

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _cells(self) -> list[FooterCell]:
        by_action: dict[str, FooterCell] = {}
        for active in self.screen.active_bindings.values():
            binding: Binding = shown_binding(active.node, active.binding)
            if binding.show and binding.description and binding.action not in by_action:
                by_action[binding.action] = FooterCell(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    enabled=active.enabled,
                )
                if binding.tooltip:
                    by_action[binding.action].tooltip = binding.tooltip
        return list(by_action.values())

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self._ready = True
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.recompose)

    def on_resize(self, event: Resize) -> None:
        widths = [cell.cells for cell in self.query(FooterCell)]
        if split_rows(widths, event.size.width) != self._split:
            self.call_after_refresh(self.recompose)


def split_rows(widths: list[int], width: int) -> list[int]:
    """How many keys go on each row: in order, as many to a row as fit ``width``."""
    rows: list[int] = []
    used = 0
    for cells in widths:
        if rows and used + cells <= width:
            rows[-1] += 1
        else:
            rows.append(1)
            used = 0
        used += cells + GUTTER
    return rows
