"""A footer that wraps onto more lines instead of hiding keys past the right edge.

Textual's footer is one line; with ten outcome keys and the lead screen's own,
an 80-column terminal would hide half of them. This one lays the same keys out
in as many columns as fit, so every key is always on screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the footer's own key widget

GUTTER = 1


class KeyFooter(Footer):
    """Footer keys in a grid of as many columns as the width allows."""

    DEFAULT_CSS = """
    KeyFooter {
        layout: grid;
        grid-gutter: 0 1;
        height: 1;
    }
    KeyFooter.-compact FooterKey, KeyFooter FooterKey { margin-right: 0; width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        self._keys = list(super().compose())
        yield from self._keys
        self.call_after_refresh(self._arrange)

    def on_resize(self, event: Resize) -> None:
        self._arrange()

    def _arrange(self) -> None:
        keys = [key for key in getattr(self, "_keys", []) if isinstance(key, FooterKey)]
        width = self.size.width or self.app.size.width
        if not keys or not width:
            return
        widths = [len(key.key_display) + 1 + len(key.description) for key in keys]
        columns = len(widths)
        per_column = widths
        while columns > 1:
            per_column = [max(widths[c::columns]) for c in range(columns)]
            if sum(per_column) + GUTTER * (columns - 1) <= width:
                break
            columns -= 1
        else:
            per_column = [max(widths)]
        self.styles.grid_size_columns = columns
        # Explicit widths: "auto" columns measure a compact key one cell short.
        self.styles.grid_columns = " ".join(str(cells) for cells in per_column)
        self.styles.height = -(-len(keys) // columns)
