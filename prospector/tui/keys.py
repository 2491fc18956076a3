"""Every action a screen offers, for the help screen, the command palette and the footer.

All read the screen's live bindings through Textual's public ``active_bindings``
(the screen's, then the app's), so a key added to a screen, or a disposition
added to the settings catalog, shows up everywhere without being listed twice.
A screen whose keys are named at run time (the lead screen's outcome keys are
named by the team's catalog) says so with a ``describe_binding`` method, see
:func:`shown_binding`.
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


def shown_binding(node: DOMNode, binding: Binding) -> Binding:
    """``binding`` as ``node`` presents it now: its ``describe_binding(binding)`` if it has one."""
    describe = getattr(node, "describe_binding", None)
    return describe(binding) if callable(describe) else binding


def screen_actions(screen: Screen, app: App) -> list[ScreenAction]:
    """The described bindings of ``screen`` and ``app``, keys merged per action, in order.

    The screen's own keys come first (group ``KEY_GROUP``), then the app's and the
    keys every screen inherits from Textual (group ``Workbench``). Actions the
    screen hides (``check_action`` False) are left out; dimmed ones are disabled.
    """
    screen_group = getattr(screen, "KEY_GROUP", "Screen")
    found: dict[tuple[int, str], list] = {}
    for active in screen.active_bindings.values():
        node = active.node
        if node is not screen and node is not app:
            continue  # a focused widget's own keys (a text box's) are not the screen's
        binding = shown_binding(node, active.binding)
        if not binding.description:
            continue
        inherited = node is screen and binding.action in INHERITED_ACTIONS
        where = APP_GROUP if node is app or inherited else screen_group
        slot = found.setdefault((id(node), binding.action), [node, binding, [], where, active])
        slot[2].append(binding.key_display or app.get_key_display(binding))
    actions = [
        ScreenAction(
            keys=" ".join(dict.fromkeys(keys)),
            description=binding.description,
            action=binding.action,
            node=node,
            group=binding.group.description if binding.group else group,
            enabled=active.enabled,
        )
        for node, binding, keys, group, active in found.values()
    ]
    rank = {screen_group: 0, APP_GROUP: 1}
    actions.sort(key=lambda a: (rank.get(a.group, 2), a.action in INHERITED_ACTIONS))
    return actions
