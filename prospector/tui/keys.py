"""Every action a screen offers, for the help screen and the command palette.

Both read the live bindings (the screen's, then the app's), so a key added to a
screen, or a disposition added to the settings catalog, shows up in help and
in the palette without being listed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

APP_GROUP = "Workbench"

# Keys every Textual screen inherits (Tab, Shift+Tab, copy): the same on every
# screen, so they are listed with the app's keys, after them, not as the screen's.
INHERITED_ACTIONS = frozenset(
    binding.action for binding in Screen.BINDINGS if isinstance(binding, Binding)
)


@dataclass(frozen=True)
class ScreenAction:
    """One thing the rep can do on a screen, and the keys that do it."""

    keys: str  # as displayed: "1", "F1 ?", "ctrl+p"
    description: str
    action: str
    node: DOMNode
    group: str
    enabled: bool


def screen_actions(screen: Screen, app: App) -> list[ScreenAction]:
    """The described bindings of ``screen`` and ``app``, keys merged per action, in order.

    The screen's own keys come first (group ``KEY_GROUP``), then the app's and the
    keys every screen inherits from Textual (group ``Workbench``).
    """
    screen_group = getattr(screen, "KEY_GROUP", "Screen")
    found: dict[tuple[int, str], list] = {}
    for node, group in ((screen, screen_group), (app, APP_GROUP)):
        # The bindings map is the only place that holds bindings installed at run time
        # (the disposition keys come from the settings catalog).
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if not binding.description:
                    continue
                inherited = node is screen and binding.action in INHERITED_ACTIONS
                where = APP_GROUP if inherited else group
                slot = found.setdefault((id(node), binding.action), [node, binding, [], where])
                slot[2].append(binding.key_display or app.get_key_display(binding))
    actions = []
    for node, binding, keys, group in found.values():
        name = binding.action.split("(")[0]
        check = node.check_action(name, ()) if hasattr(node, "check_action") else True
        if check is False:
            continue
        actions.append(
            ScreenAction(
                keys=" ".join(dict.fromkeys(keys)),
                description=binding.description,
                action=binding.action,
                node=node,
                group=binding.group.description if binding.group else group,
                enabled=bool(check),
            )
        )
    rank = {screen_group: 0, APP_GROUP: 1}
    actions.sort(key=lambda a: (rank.get(a.group, 2), a.action in INHERITED_ACTIONS))
    return actions
