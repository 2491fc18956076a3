"""What comes next: a short look at the rep's queue after the current lead."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from prospector.services.queue import QueueItem


class QueuePreview(Static):
    """The next few queue items: name, company, tier and the queue's reason."""

    def show(self, items: list[QueueItem]) -> None:
        """Render ``items`` (the current lead already left out)."""
        self.border_title = f"Up next ({len(items)})" if items else "Up next"
        if not items:
            self.update(Text("Nothing else callable right now.", style="dim"))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(no_wrap=True, ratio=1)
        for number, item in enumerate(items, start=1):
            line = Text(f"{number}. ", style="dim")
            line.append(item.name, style="bold")
            if item.tier:
                line.append(f" [{item.tier}]", style="cyan")
            table.add_row(line)
            detail = Text("   ")
            detail.append(item.company or "", style="")
            table.add_row(detail)
            table.add_row(Text(f"   {item.reason}", style="dim italic"))
        self.update(table)
