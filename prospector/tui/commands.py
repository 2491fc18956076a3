"""The command palette provider: every action of the current screen, by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from prospector.tui.keys import ScreenAction, screen_actions


class WorkbenchCommands(Provider):
    """Finds every key-bound action of the screen the palette was opened on."""

    def _actions(self) -> list[ScreenAction]:
        return [action for action in screen_actions(self.screen, self.app) if action.enabled]

    @staticmethod
    def _name(action: ScreenAction) -> str:
        return f"{action.description} ({action.keys})"

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(
                self._name(action),
                partial(self.app.run_action, action.action, action.node),
                help=action.group,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            name = self._name(action)
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.app.run_action, action.action, action.node),
                    help=action.group,
                )
