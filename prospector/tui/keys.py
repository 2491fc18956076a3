"""Every action a screen offers, for the help screen and the command palette.

Both read the live bindings (the screen's, then the app's), so a key added to a
screen, or a disposition added to the settings catalog, shows up in help and
in the palette without being listed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen


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
    """The described bindings of ``screen`` and ``app``, keys merged per action, in order."""
    found: dict[tuple[int, str], list] = {}
    for node, group in ((screen, getattr(screen, "KEY_GROUP", "Screen")), (app, "Workbench")):
        # The bindings map is the only place that holds bindings installed at run time
        # (the disposition keys come from the settings catalog).
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                if not binding.description:
                    continue
                slot = found.setdefault((id(node), binding.action), [node, binding, [], group])
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
    return actions
