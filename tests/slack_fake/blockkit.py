"""Block Kit's limits, checked the way Slack checks them.

Slack refuses a message or view that breaks a limit with ``invalid_blocks`` (messages) or
``invalid_arguments`` (views) and one line per fault, each ending in a JSON pointer::

    must be less than 3001 characters [json-pointer:/blocks/0/text/text]

The numbers are the Block Kit reference's (docs.slack.dev/reference/block-kit); slack_sdk's
models carry the same ones (``SectionBlock.text_max_length`` ...). Only what a CoachBot payload
can break is checked, but every check is one Slack really makes, so a payload this module
passes is one Slack would take, as far as the checks go.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000  # above it chat.postMessage answers msg_too_long
ID_LENGTH = 255  # block_id, action_id, callback_id, external_id
VIEW_TITLE = 24  # modal title, submit and close
PRIVATE_METADATA = 3_000

# Per block type: {field: max characters of its text}.
BLOCK_TEXT = {
    "section": {"text": 3_000},
    "header": {"text": 150},
    "input": {"label": 2_000, "hint": 2_000},
    "image": {"alt_text": 2_000, "image_url": 3_000, "title": 2_000},
    "markdown": {"text": 12_000},
}
SECTION_FIELDS, SECTION_FIELD = 10, 2_000
CONTEXT_ELEMENTS, ACTIONS_ELEMENTS = 10, 25
KNOWN_BLOCKS = {
    "actions",
    "context",
    "context_actions",
    "divider",
    "file",
    "header",
    "image",
    "input",
    "markdown",
    "rich_text",
    "section",
    "table",
    "video",
}
# Per element type: {field: max characters}; option lists (min, max).
ELEMENT_TEXT = {
    "button": {"text": 75, "value": 2_000, "url": 3_000, "accessibility_label": 75},
    "plain_text_input": {"placeholder": 150, "initial_value": 3_000},
    "static_select": {"placeholder": 150},
    "multi_static_select": {"placeholder": 150},
    "external_select": {"placeholder": 150},
    "users_select": {"placeholder": 150},
    "conversations_select": {"placeholder": 150},
    "channels_select": {"placeholder": 150},
    "datepicker": {"placeholder": 150},
    "timepicker": {"placeholder": 150},
    "number_input": {"placeholder": 150},
    "email_text_input": {"placeholder": 150},
    "url_text_input": {"placeholder": 150},
    "image": {"alt_text": 2_000, "image_url": 3_000},
}
ELEMENT_OPTIONS = {
    "static_select": (1, 100),
    "multi_static_select": (1, 100),
    "overflow": (1, 5),
    "checkboxes": (1, 10),
    "radio_buttons": (1, 10),
}
OPTION_TEXT = {"text": 75, "value": 150, "description": 75}
CONFIRM_TEXT = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
PLAIN_TEXT_ONLY = {"header.text", "input.label", "input.hint"}  # + every element's text
INPUT_LENGTH_MAX = 3_000  # plain_text_input min_length / max_length


def _text_of(value: Any) -> str | None:
    """The characters of a text object (or of a plain string field such as a button value)."""
    if isinstance(value, dict):
        text = value.get("text")
        return text if isinstance(text, str) else None
    return value if isinstance(value, str) else None


class _Checker:
    """Walks one payload and collects Slack-style fault lines."""

    def __init__(self) -> None:
        self.faults: list[str] = []

    def fault(self, message: str, pointer: str) -> None:
        self.faults.append(f"{message} [json-pointer:{pointer}]")

    def length(self, value: Any, limit: int, pointer: str, *, minimum: int = 0) -> None:
        text = _text_of(value)
        if text is None:
            return
        if len(text) > limit:
            self.fault(f"must be less than {limit + 1} characters", pointer)
        elif len(text) < minimum:
            self.fault(f"must be more than {minimum - 1} characters", pointer)

    def text_object(self, value: Any, pointer: str, limit: int, *, plain_only: bool) -> None:
        if value is None:
            return
        if not isinstance(value, dict) or value.get("type") not in ("plain_text", "mrkdwn"):
            self.fault("failed to match all allowed schemas", pointer)
            return
        if plain_only and value["type"] != "plain_text":
            self.fault("must be a plain_text text object", pointer)
        if not isinstance(value.get("text"), str):
            self.fault("missing required field: text", pointer)
            return
        self.length(value, limit, pointer + "/text", minimum=1)

    def texts(
        self, obj: dict[str, Any], limits: dict[str, int], where: str, plain: set[str]
    ) -> None:
        """Check each field in ``limits``: a text object (plain_text only for ``plain``) or a
        plain string such as a button's value."""
        for name, limit in limits.items():
            value = obj.get(name)
            if isinstance(value, dict):
                self.text_object(value, f"{where}/{name}", limit, plain_only=name in plain)
            else:
                self.length(value, limit, f"{where}/{name}")

    def items(self, values: Any, minimum: int, maximum: int, pointer: str) -> list[Any]:
        if values is None:
            return []
        if not isinstance(values, list):
            self.fault("must be an array", pointer)
            return []
        if len(values) > maximum:
            self.fault(f"no more than {maximum} items allowed", pointer)
        elif len(values) < minimum:
            self.fault(f"must provide at least {minimum} items", pointer)
        return values

    def unique_id(self, obj: dict[str, Any], name: str, seen: set[str], where: str) -> None:
        """``block_id`` (unique in a message or view) or ``action_id`` (unique in a block)."""
        value, pointer = obj.get(name), f"{where}/{name}"
        if value is None:
            return
        if not isinstance(value, str) or not value:
            self.fault("must be a non-empty string", pointer)
            return
        self.length(value, ID_LENGTH, pointer)
        if value in seen:
            self.fault(f"duplicate {name} {value!r}", pointer)
        seen.add(value)

    # ---- blocks ----------------------------------------------------------------------------

    def blocks(self, blocks: Any, maximum: int, pointer: str) -> None:
        block_ids: set[str] = set()
        for i, block in enumerate(self.items(blocks, 0, maximum, pointer)):
            where = f"{pointer}/{i}"
            if not isinstance(block, dict) or block.get("type") not in KNOWN_BLOCKS:
                self.fault("failed to match all allowed schemas", where)
                continue
            self.unique_id(block, "block_id", block_ids, where)
            self.block(block, where)

    def block(self, block: dict[str, Any], where: str) -> None:
        kind = block["type"]
        plain = {n for n in BLOCK_TEXT.get(kind, {}) if f"{kind}.{n}" in PLAIN_TEXT_ONLY}
        self.texts(block, BLOCK_TEXT.get(kind, {}), where, plain | {"title"})
        if kind == "section":
            if block.get("text") is None and not block.get("fields"):
                self.fault("must provide either text or fields", where)
            for j, field in enumerate(
                self.items(block.get("fields"), 0, SECTION_FIELDS, where + "/fields")
            ):
                self.text_object(field, f"{where}/fields/{j}", SECTION_FIELD, plain_only=False)
            if block.get("accessory") is not None:
                self.elements([block["accessory"]], where + "/accessory", single=True)
        elif kind == "header" and block.get("text") is None:
            self.fault("missing required field: text", where)
        elif kind == "context":
            elements = self.items(block.get("elements"), 1, CONTEXT_ELEMENTS, where + "/elements")
            for j, element in enumerate(elements):
                if isinstance(element, dict) and element.get("type") in ("plain_text", "mrkdwn"):
                    self.text_object(element, f"{where}/elements/{j}", 3_000, plain_only=False)
        elif kind == "actions":
            elements = self.items(block.get("elements"), 1, ACTIONS_ELEMENTS, where + "/elements")
            self.elements(elements, where + "/elements")
        elif kind == "input":
            if block.get("label") is None:
                self.fault("missing required field: label", where)
            if not isinstance(block.get("element"), dict):
                self.fault("missing required field: element", where)
            else:
                self.elements([block["element"]], where + "/element", single=True)

    # ---- elements --------------------------------------------------------------------------

    def elements(self, elements: list[Any], pointer: str, *, single: bool = False) -> None:
        action_ids: set[str] = set()
        for j, element in enumerate(elements):
            where = pointer if single else f"{pointer}/{j}"
            if not isinstance(element, dict) or not isinstance(element.get("type"), str):
                self.fault("failed to match all allowed schemas", where)
                continue
            self.unique_id(element, "action_id", action_ids, where)
            self.element(element, where)

    def element(self, element: dict[str, Any], where: str) -> None:
        kind = element["type"]
        self.texts(element, ELEMENT_TEXT.get(kind, {}), where, {"placeholder", "text"})
        if kind == "button" and element.get("text") is None:
            self.fault("missing required field: text", where)
        if kind == "plain_text_input":
            for name in ("min_length", "max_length"):
                value = element.get(name)
                if isinstance(value, int) and not 0 <= value <= INPUT_LENGTH_MAX:
                    self.fault(f"must be at most {INPUT_LENGTH_MAX}", f"{where}/{name}")
        if kind in ELEMENT_OPTIONS:
            low, high = ELEMENT_OPTIONS[kind]
            if "option_groups" not in element:
                options = self.items(element.get("options"), low, high, where + "/options")
                for k, option in enumerate(options):
                    self.option(option, f"{where}/options/{k}", plain_only=kind.endswith("select"))
        if isinstance(element.get("confirm"), dict):
            self.confirm(element["confirm"], where + "/confirm")

    def option(self, option: Any, where: str, *, plain_only: bool) -> None:
        if not isinstance(option, dict):
            self.fault("failed to match all allowed schemas", where)
            return
        self.texts(option, OPTION_TEXT, where, set(OPTION_TEXT) if plain_only else set())

    def confirm(self, confirm: dict[str, Any], where: str) -> None:
        for name, limit in CONFIRM_TEXT.items():
            plain = name != "text"
            self.text_object(confirm.get(name), f"{where}/{name}", limit, plain_only=plain)


def message_faults(args: dict[str, Any]) -> list[str]:
    """Faults of a message payload (chat.postMessage, chat.update, a response_url POST)."""
    checker = _Checker()
    if args.get("blocks") is not None:
        checker.blocks(args["blocks"], MESSAGE_BLOCKS, "/blocks")
    return checker.faults


def view_faults(view: Any) -> list[str]:
    """Faults of a view (views.open / update / push / publish, a response_action view)."""
    checker = _Checker()
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        checker.fault("failed to match all allowed schemas", "/view/type")
        return checker.faults
    if view["type"] == "modal":
        if view.get("title") is None:
            checker.fault("missing required field: title", "/view")
        has_input = any(
            isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or ()
        )
        if has_input and view.get("submit") is None:
            checker.fault("must provide submit when input blocks are present", "/view/submit")
    for name in ("title", "submit", "close"):
        checker.text_object(view.get(name), f"/view/{name}", VIEW_TITLE, plain_only=True)
    for name in ("callback_id", "external_id"):
        checker.length(view.get(name), ID_LENGTH, f"/view/{name}")
    checker.length(view.get("private_metadata"), PRIVATE_METADATA, "/view/private_metadata")
    checker.blocks(view.get("blocks"), VIEW_BLOCKS, "/view/blocks")
    return checker.faults


def iter_elements(blocks: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(block, element) for every interactive element in ``blocks``: actions' elements,
    section accessories and input elements."""
    for block in blocks or ():
        if not isinstance(block, dict):
            continue
        for element in block.get("elements") or ():
            if isinstance(element, dict) and block.get("type") == "actions":
                yield block, element
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict):
                yield block, block[key]
