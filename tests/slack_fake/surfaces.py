"""Reading and filling Slack surfaces (messages, modals, the App Home) as a user would: the
text a user reads, the buttons, what would ping someone, and a modal's state after typing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from tests.slack_fake import blockkit

# --------------------------------------------------------------------------------------------
# Reading what the app sent
# --------------------------------------------------------------------------------------------


def _texts(blocks: Any) -> Iterator[str]:
    for block in blocks or ():
        if not isinstance(block, dict):
            continue
        for key in ("text", "label", "hint"):
            value = block.get(key)
            if isinstance(value, dict) and isinstance(value.get("text"), str):
                yield value["text"]
            elif isinstance(value, str) and block.get("type") == "markdown":
                yield value
        for item in block.get("fields") or ():
            yield item.get("text") or ""
        if block.get("type") == "context":
            yield from (e.get("text") or "" for e in block.get("elements") or ())
        if block.get("type") in ("rich_text", "rich_text_section", "rich_text_quote"):
            for element in block.get("elements") or ():
                if element.get("type") == "text":
                    yield element.get("text") or ""
            yield from _texts(e for e in block.get("elements") or () if "elements" in e)


def message_text(message: dict[str, Any] | None) -> str:
    """Everything a user reads in a message or view: its text (unless blocks replace it),
    titles, section texts and fields, headers, context lines. Button labels are not included
    (see ``buttons``)."""
    if not message:
        return ""
    parts = list(_texts(message.get("blocks")))
    title = message.get("title")
    if isinstance(title, dict):
        parts.insert(0, title.get("text") or "")
    if not parts:
        parts.append(message.get("text") or "")
    return "\n".join(p for p in parts if p)


def buttons(message: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Every button in a message or view, in order."""
    found = blockkit.iter_elements((message or {}).get("blocks"))
    return [element for _, element in found if element.get("type") == "button"]


BROADCAST = re.compile(r"<!(?:here|channel|everyone)(?:\|[^>]*)?>|<!subteam\^[^>]+>|<@[UW][^>]*>")


def pings(args: dict[str, Any]) -> list[str]:
    """What in a message payload would notify someone: ``link_names``, ``<!here>``,
    ``<!channel>``, ``<!everyone>``, ``<!subteam^...>`` and ``<@U...>`` in the text or
    blocks. A CoachBot reply must give ``[]``."""
    found = ["link_names"] if args.get("link_names") in (True, 1, "1", "true") else []
    text = " ".join([str(args.get("text") or ""), json.dumps(args.get("blocks") or [])])
    return found + BROADCAST.findall(text)


# --------------------------------------------------------------------------------------------
# Filling in modals
# --------------------------------------------------------------------------------------------


def public_message(message: dict[str, Any]) -> dict[str, Any]:
    hidden = ("channel", "recipient", "via", "deleted", "replaced")
    return {k: v for k, v in message.items() if k not in hidden}


def public_view(view: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in view.items() if k != "user"}


def options_by_value(element: dict[str, Any], values: Iterable[str]) -> list[dict[str, Any]]:
    options = list(element.get("options") or ())
    for group in element.get("option_groups") or ():
        options += group.get("options") or []
    chosen = []
    for value in values:
        match = [o for o in options if o.get("value") == value]
        if not match:
            offered = [o.get("value") for o in options]
            raise AssertionError(f"{element.get('action_id')!r} has no option {value!r}: {offered}")
        chosen.append(match[0])
    return chosen


def _input_value(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """One element's entry in ``view.state.values`` as Slack builds it."""
    kind = element["type"]
    state: dict[str, Any] = {"type": kind}
    if kind in ("static_select", "radio_buttons", "external_select"):
        state["selected_option"] = (
            options_by_value(element, [value])[0] if value is not None else None
        )
    elif kind in ("multi_static_select", "checkboxes"):
        state["selected_options"] = options_by_value(element, value or [])
    elif kind == "datepicker":
        state["selected_date"] = value
    elif kind == "timepicker":
        state["selected_time"] = value
    elif kind in ("users_select", "conversations_select", "channels_select"):
        state[f"selected_{kind.removesuffix('s_select')}"] = value
    else:  # plain_text_input, number_input, email_text_input, url_text_input
        state["value"] = value
        max_length = element.get("max_length")
        if isinstance(value, str) and max_length is not None and len(value) > max_length:
            raise AssertionError(
                f"{element.get('action_id')!r} takes at most {max_length} characters; Slack's "
                f"client would not let the user type {len(value)}"
            )
    return state


def view_state(
    view: dict[str, Any], values: dict[str, Any], *, check_required: bool = True
) -> dict[str, Any]:
    """``view.state`` for a modal whose inputs got ``values`` (by action_id or block_id)."""
    state: dict[str, dict[str, Any]] = {}
    unused = dict(values)
    for block in view.get("blocks") or ():
        element = block.get("element")
        if block.get("type") != "input" or not isinstance(element, dict):
            continue
        keys = (element.get("action_id"), block.get("block_id"))
        value = next((unused.pop(k) for k in keys if k in unused), None)
        if value is None and "initial_value" in element:
            value = element["initial_value"]
        if check_required and value in (None, "", []) and not block.get("optional"):
            label = (block.get("label") or {}).get("text")
            raise AssertionError(f"Required input {label!r} ({keys[0]!r}) was left empty")
        state.setdefault(block["block_id"], {})[element["action_id"]] = _input_value(element, value)
    if unused:
        raise AssertionError(f"The modal has no input {sorted(unused)!r}")
    return {"values": state}
