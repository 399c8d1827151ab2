"""Tests of the fake Slack itself, driven by a tiny real Bolt app defined here."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.slack_harness import (
    BOT_USER_ID,
    CHANNEL,
    SIGNATURE_MAX_AGE,
    SlackEnv,
    blockkit,
    buttons,
    message_text,
    pings,
    point_slack_at,
    slack_env_fixture,  # noqa: F401  (provides the `slack_env` fixture)
)

# ---- the tiny app --------------------------------------------------------------------------


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(label: str, action_id: str, value: str = "v") -> dict[str, Any]:
    text = {"type": "plain_text", "text": label}
    return {"type": "button", "text": text, "action_id": action_id, "value": value}


FEEDBACK_VIEW = {
    "type": "modal",
    "callback_id": "feedback",
    "title": {"type": "plain_text", "text": "Feedback"},
    "submit": {"type": "plain_text", "text": "Send"},
    "private_metadata": "from-harness",
    "blocks": [
        {
            "type": "input",
            "block_id": "went_well",
            "label": {"type": "plain_text", "text": "What went well?"},
            "element": {"type": "plain_text_input", "action_id": "text", "max_length": 200},
        },
        {
            "type": "input",
            "block_id": "tone",
            "optional": True,
            "label": {"type": "plain_text", "text": "Tone"},
            "element": {
                "type": "static_select",
                "action_id": "tone",
                "options": [
                    {"text": {"type": "plain_text", "text": "Calm"}, "value": "calm"},
                    {"text": {"type": "plain_text", "text": "Warm"}, "value": "warm"},
                ],
            },
        },
    ],
}


def make_app(client: AsyncWebClient, env: SlackEnv) -> AsyncApp:
    """Echo, feedback modal, mentions, DMs, home, uploads, and payloads we make too big."""
    app = AsyncApp(client=client, signing_secret=env.signing_secret)
    app.failures = []  # type: ignore[attr-defined]
    app.release = asyncio.Event()  # type: ignore[attr-defined]

    @app.command("/echo")
    async def echo(ack, command, client) -> None:
        await ack()
        blocks = [
            section(command["text"]),
            {"type": "actions", "elements": [button("Again", "again")]},
        ]
        await client.chat_postEphemeral(
            channel=command["channel_id"],
            user=command["user_id"],
            text=command["text"],
            blocks=blocks,
        )

    @app.command("/quick")
    async def quick(ack) -> None:
        await ack(text="done already")

    @app.command("/big")
    async def big(ack, command, client) -> None:
        await ack()
        kind = command["text"]
        try:
            if kind == "modal":
                view = {**FEEDBACK_VIEW, "title": {"type": "plain_text", "text": "x" * 25}}
                await client.views_open(trigger_id=command["trigger_id"], view=view)
            else:
                await client.chat_postMessage(
                    channel=command["channel_id"], text="big", blocks=BIG[kind]
                )
        except SlackApiError as error:
            app.failures.append(error.response.data)  # type: ignore[attr-defined]

    @app.command("/post")
    async def post(ack, command, client) -> None:
        await ack()
        try:
            await client.chat_postMessage(channel=command["channel_id"], text=command["text"])
        except SlackApiError as error:  # an error escaping a listener after its ack makes
            # Bolt answer 404 after 3 s when the error comes within 10 ms of the ack
            app.failures.append(error.response.data)  # type: ignore[attr-defined]

    @app.command("/slow")
    async def slow(ack, command, client) -> None:
        await ack()
        await app.release.wait()  # type: ignore[attr-defined]
        await client.chat_postMessage(channel=command["channel_id"], text="finally")

    @app.command("/feedback")
    async def feedback(ack, command, client) -> None:
        await ack()
        await client.views_open(trigger_id=command["trigger_id"], view=FEEDBACK_VIEW)

    @app.command("/report")
    async def report(ack, command, client) -> None:
        await ack()
        dm = await client.conversations_open(users=command["user_id"])
        await client.files_upload_v2(
            channel=dm["channel"]["id"], content="topic,asks\nrefund,3\n", filename="report.csv"
        )

    @app.command("/whoami")
    async def whoami(ack, command, client) -> None:
        info = await client.users_info(user=command["user_id"])
        groups = await client.usergroups_list()
        handles = [g["handle"] for g in groups["usergroups"]]
        members = await client.usergroups_users_list(usergroup=groups["usergroups"][0]["id"])
        user = info["user"]
        trainer = user["is_admin"] or user["is_owner"] or user["id"] in members["users"]
        await ack(text=f"{user['name']} admin={user['is_admin']} trainer={trainer} {handles}")

    @app.command("/tone")
    async def tone(ack, respond) -> None:
        await ack()
        select = {**FEEDBACK_VIEW["blocks"][1]["element"], "action_id": "pick_tone"}
        await respond(text="Pick a tone", blocks=[{"type": "actions", "elements": [select]}])

    @app.action("pick_tone")
    async def pick_tone(ack, action, respond) -> None:
        await ack()
        await respond(delete_original=True)
        await respond(text=f"tone: {action['selected_option']['value']}")

    @app.action("again")
    async def again(ack, body, respond) -> None:
        await ack()
        await respond(text=f"again, {body['user']['name']}", replace_original=False)

    @app.action("replace")
    async def replace(ack, respond) -> None:
        await ack()
        await respond(text="replaced", replace_original=True)

    @app.view("feedback")
    async def feedback_sent(ack, view, body, client) -> None:
        text = view["state"]["values"]["went_well"]["text"]["value"]
        if text == "nothing":
            await ack(response_action="errors", errors={"went_well": "Tell us one thing"})
            return
        await ack()
        tone = view["state"]["values"]["tone"]["tone"]["selected_option"] or {}
        await client.chat_postMessage(
            channel=body["user"]["id"], text=f"Thanks: {text} ({tone.get('value', 'no tone')})"
        )

    @app.event("app_mention")
    async def mentioned(event, say) -> None:
        said = event["text"].replace(f"<@{BOT_USER_ID}>", "").strip()
        blocks = [
            section(f"You said: {said}"),
            {"type": "actions", "elements": [button("Redo", "replace")]},
        ]
        await say(text=f"You said: {said}", blocks=blocks, thread_ts=event["ts"])

    @app.event("message")
    async def direct(message, say) -> None:
        if message.get("channel_type") == "im":
            await say(f"DM received: {message['text']}")

    @app.event("app_home_opened")
    async def home(event, client) -> None:
        await client.views_publish(user_id=event["user"], view=home_view("Tip of the day"))

    @app.action("home_quiz")
    async def home_quiz(ack, body, client) -> None:
        await ack()
        view = home_view(f"Quiz for {body['user']['name']}")
        await client.views_publish(user_id=body["user"]["id"], view=view, hash=body["view"]["hash"])

    return app


def home_view(headline: str) -> dict[str, Any]:
    actions = {"type": "actions", "elements": [button("Quiz", "home_quiz")]}
    return {"type": "home", "blocks": [section(headline), actions]}


BIG = {
    "blocks": [section(f"line {i}") for i in range(51)],
    "section": [section("x" * 3001)],
    "button_text": [{"type": "actions", "elements": [button("x" * 76, "a")]}],
    "action_id": [{"type": "actions", "elements": [button("ok", "a" * 256)]}],
    "button_value": [{"type": "actions", "elements": [button("ok", "a", "v" * 2001)]}],
}


@pytest.fixture
async def served(slack_env: SlackEnv) -> AsyncApp:
    """The tiny app served over HTTP through Bolt's aiohttp adapter."""
    app = make_app(slack_env.client(), slack_env)
    await slack_env.serve(app)
    return app


# ---- HTTP: signatures and acks ---------------------------------------------------------------


async def test_signed_command_is_acked_and_the_ephemeral_recorded(slack_env: SlackEnv, served):
    turn = await slack_env.command("/echo", "customer keeps yelling", user="U1")

    assert turn.status == 200 and turn.body == ""
    [card] = slack_env.ephemerals_to("U1")
    assert turn.ephemerals == [card] and card["channel"] == CHANNEL
    assert message_text(card) == "customer keeps yelling"
    assert [b["action_id"] for b in buttons(card)] == ["again"]
    [post] = turn.calls_to("chat.postEphemeral")
    assert post.token == slack_env.bot_token
    assert post.headers["Authorization"] == f"Bearer {slack_env.bot_token}"
    assert post.args["user"] == "U1" and post.response["message_ts"] == card["ts"]
    assert slack_env.ephemerals_to(slack_env.ada) == []  # nobody else sees it
    # the request as Slack sends it: form-encoded, every field a string
    assert turn.payload["command"] == "/echo" and turn.payload["trigger_id"]
    assert turn.payload["response_url"].startswith(slack_env.base_url)


async def test_the_ack_body_is_the_reply(slack_env: SlackEnv, served):
    turn = await slack_env.command("/quick")
    assert turn.ack == {"text": "done already"}
    assert [message_text(m) for m in turn.replies] == ["done already"]


async def test_a_bad_signature_is_refused_with_401(slack_env: SlackEnv, served):
    turn = await slack_env.command("/post", "hello", bad_signature=True)
    assert turn.status == 401
    assert slack_env.messages_in(CHANNEL) == [] and turn.calls == []


@pytest.mark.parametrize(("age", "status"), [(SIGNATURE_MAX_AGE + 60, 401), (30, 200)])
async def test_a_timestamp_older_than_five_minutes_is_refused(
    slack_env: SlackEnv, served, age, status
):
    turn = await slack_env.command("/post", "hello", age=age)
    assert turn.status == status
    assert len(slack_env.messages_in(CHANNEL)) == (status == 200)


# ---- Block Kit limits ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "pointer"),
    [
        ("blocks", "no more than 50 items allowed [json-pointer:/blocks]"),
        ("section", "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"),
        ("button_text", "less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"),
        ("action_id", "less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]"),
        ("button_value", "less than 2001 characters [json-pointer:/blocks/0/elements/0/value]"),
    ],
)
async def test_an_over_limit_message_is_refused_with_invalid_blocks(
    slack_env: SlackEnv, served, kind, pointer
):
    await slack_env.command("/big", kind)

    [failure] = served.failures
    assert failure["ok"] is False and failure["error"] == "invalid_blocks"
    assert failure["response_metadata"]["messages"] == [f"[ERROR] {failure['errors'][0]}"]
    assert pointer in failure["errors"][0]
    assert slack_env.messages_in(CHANNEL) == []
    [problem] = slack_env.take_problems()
    assert "refused chat.postMessage" in problem and pointer in problem


async def test_an_over_long_modal_title_is_refused(slack_env: SlackEnv, served):
    await slack_env.command("/big", "modal")
    [failure] = served.failures
    assert failure["error"] == "invalid_arguments"
    assert failure["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    assert slack_env.open_modal(slack_env.ada) is None
    assert len(slack_env.take_problems()) == 1


def _actions(**fields: Any) -> dict[str, Any]:
    return {"blocks": [{"type": "actions", "elements": [{**button("ok", "a"), **fields}]}]}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


LIMITS = {  # name: (limit, payload with n characters or items, checker)
    "message blocks": (50, lambda n: {"blocks": [section("x")] * n}, blockkit.message_faults),
    "section text": (3000, lambda n: {"blocks": [section("x" * n)]}, blockkit.message_faults),
    "button text": (
        75,
        lambda n: _actions(text={"type": "plain_text", "text": "b" * n}),
        blockkit.message_faults,
    ),
    "action_id": (255, lambda n: _actions(action_id="a" * n), blockkit.message_faults),
    "button value": (2000, lambda n: _actions(value="v" * n), blockkit.message_faults),
    "block_id": (
        255,
        lambda n: {"blocks": [{**section("x"), "block_id": "b" * n}]},
        blockkit.message_faults,
    ),
    "header": (
        150,
        lambda n: {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * n}}]},
        blockkit.message_faults,
    ),
    "section fields": (
        10,
        lambda n: {
            "blocks": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * n}]
        },
        blockkit.message_faults,
    ),
    "actions elements": (
        25,
        lambda n: {
            "blocks": [{"type": "actions", "elements": [button("b", f"a{i}") for i in range(n)]}]
        },
        blockkit.message_faults,
    ),
    "option text": (
        75,
        lambda n: _actions(type="static_select", text=None, options=[_option("o" * n, "v")]),
        blockkit.message_faults,
    ),
    "modal blocks": (
        100,
        lambda n: {**FEEDBACK_VIEW, "blocks": [section("x")] * n},
        blockkit.view_faults,
    ),
    "modal title": (
        24,
        lambda n: {**FEEDBACK_VIEW, "title": {"type": "plain_text", "text": "t" * n}},
        blockkit.view_faults,
    ),
    "modal submit": (
        24,
        lambda n: {**FEEDBACK_VIEW, "submit": {"type": "plain_text", "text": "s" * n}},
        blockkit.view_faults,
    ),
    "input placeholder": (
        150,
        lambda n: {
            **FEEDBACK_VIEW,
            "blocks": [
                {
                    **FEEDBACK_VIEW["blocks"][0],
                    "element": {
                        "type": "plain_text_input",
                        "action_id": "t",
                        "placeholder": {"type": "plain_text", "text": "p" * n},
                    },
                }
            ],
        },
        blockkit.view_faults,
    ),
    "private_metadata": (
        3000,
        lambda n: {**FEEDBACK_VIEW, "private_metadata": "m" * n},
        blockkit.view_faults,
    ),
}


@pytest.mark.parametrize("name", LIMITS)
def test_each_limit_holds_at_the_limit_and_breaks_one_past_it(name: str):
    limit, payload, faults = LIMITS[name]
    assert faults(payload(limit)) == []
    [fault] = faults(payload(limit + 1))
    assert "[json-pointer:/" in fault


def test_other_faults_slack_refuses():
    duplicate = [{**section("a"), "block_id": "same"}, {**section("b"), "block_id": "same"}]
    assert blockkit.message_faults({"blocks": duplicate}) == [
        "duplicate block_id 'same' [json-pointer:/blocks/1/block_id]"
    ]
    header = {"type": "header", "text": {"type": "mrkdwn", "text": "Title"}}
    assert blockkit.message_faults({"blocks": [header]}) == [
        "must be a plain_text text object [json-pointer:/blocks/0/text]"
    ]
    assert blockkit.message_faults({"blocks": [{"type": "sectoin"}]}) == [
        "failed to match all allowed schemas [json-pointer:/blocks/0]"
    ]
    no_submit = {key: value for key, value in FEEDBACK_VIEW.items() if key != "submit"}
    assert blockkit.view_faults(no_submit) == [
        "must provide submit when input blocks are present [json-pointer:/view/submit]"
    ]


# ---- rate limits ---------------------------------------------------------------------------


async def test_a_429_with_retry_after_is_honoured_by_the_retry_handler(slack_env: SlackEnv):
    client = slack_env.client(retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)])
    await slack_env.serve(make_app(client, slack_env))
    slack_env.api.rate_limit("chat.postMessage", times=1, retry_after=0)

    await slack_env.command("/post", "after a pause")

    limited, posted = slack_env.calls_to("chat.postMessage")
    assert limited.status == 429 and limited.error == "ratelimited"
    assert posted.ok and posted.args == limited.args
    assert message_text(slack_env.last_message_in(CHANNEL)) == "after a pause"


async def test_without_a_retry_handler_the_429_reaches_the_app(slack_env: SlackEnv):
    client = slack_env.client()
    client.retry_handlers = []
    app = make_app(client, slack_env)
    await slack_env.serve(app)
    slack_env.api.rate_limit("chat.postMessage", times=1, retry_after=7)

    turn = await slack_env.command("/post", "lost")

    assert turn.status == 200
    [limited] = slack_env.calls_to("chat.postMessage")
    assert limited.status == 429 and limited.error == "ratelimited"
    assert app.failures == [{"ok": False, "error": "ratelimited"}]
    assert slack_env.messages_in(CHANNEL) == []


async def test_a_turn_waits_for_the_work_after_the_ack(served, slack_env: SlackEnv):
    slack_env.timeout = 0.3
    with pytest.raises(AssertionError, match=r"still working 0.3s after the slash_commands"):
        await slack_env.command("/slow")
    assert slack_env.messages_in(CHANNEL) == []
    served.release.set()
    await asyncio.sleep(0.05)
    assert message_text(slack_env.last_message_in(CHANNEL)) == "finally"


# ---- clicks, response URLs, modals ---------------------------------------------------------


async def test_clicking_an_ephemeral_button_answers_through_the_response_url(
    slack_env: SlackEnv, served
):
    await slack_env.command("/echo", "hi", user=slack_env.ben)
    [card] = slack_env.ephemerals_to(slack_env.ben)

    turn = await slack_env.click(card, "Again")

    assert turn.status == 200 and turn.payload["type"] == "block_actions"
    assert turn.payload["container"]["is_ephemeral"] is True and "message" not in turn.payload
    assert turn.payload["actions"][0]["action_id"] == "again"
    [respond] = turn.calls_to("response_url")
    assert respond.args == {"text": "again, ben", "replace_original": False}
    assert [message_text(m) for m in slack_env.ephemerals_to(slack_env.ben)] == ["hi", "again, ben"]


async def test_a_selection_in_a_response_url_message(slack_env: SlackEnv, served):
    turn = await slack_env.command("/tone")
    [menu] = turn.ephemerals
    assert turn.calls_to("response_url")[0].args["text"] == "Pick a tone"

    picked = await slack_env.select(turn, "pick_tone", "warm")

    assert picked.payload["actions"][0]["selected_option"]["value"] == "warm"
    assert picked.payload["actions"][0]["block_id"] == menu["blocks"][0]["block_id"]
    assert [c.args.get("delete_original") for c in picked.calls] == [True, None]
    assert [m["text"] for m in slack_env.ephemerals_to(slack_env.ada)] == ["tone: warm"]


async def test_replace_original_through_the_response_url(slack_env: SlackEnv, served):
    turn = await slack_env.mention("hello there", user=slack_env.ada)
    [reply] = turn.messages
    assert reply["thread_ts"] == turn.payload["event"]["ts"]
    assert message_text(reply) == "You said: hello there"

    clicked = await slack_env.click(turn, "Redo")

    assert clicked.payload["message"]["ts"] == reply["ts"]
    assert message_text(slack_env.last_message_in(CHANNEL)) == "replaced"


async def test_a_modal_opens_and_its_submission_reaches_the_app(slack_env: SlackEnv, served):
    opened = await slack_env.command("/feedback", user=slack_env.tara)
    modal = slack_env.open_modal(slack_env.tara)
    assert modal is not None and opened.view["id"] == modal["id"]
    assert message_text(modal).startswith("Feedback")

    refused = await slack_env.submit(opened, {"text": "nothing"})
    assert refused.errors == {"went_well": "Tell us one thing"}
    assert slack_env.open_modal(slack_env.tara) is modal  # still open, as on Slack

    sent = await slack_env.submit(modal, {"went_well": "stayed calm", "tone": "warm"})
    assert sent.ack is None and slack_env.open_modal(slack_env.tara) is None
    submitted = sent.payload["view"]
    assert submitted["private_metadata"] == "from-harness"
    assert submitted["state"]["values"]["tone"]["tone"]["selected_option"]["value"] == "warm"
    [thanks] = sent.messages
    assert thanks["channel"] == slack_env.dm_channel(slack_env.tara)
    assert thanks["text"] == "Thanks: stayed calm (warm)"


async def test_a_submission_checks_required_inputs_and_lengths_like_slacks_client(
    slack_env: SlackEnv, served
):
    await slack_env.command("/feedback")
    with pytest.raises(AssertionError, match="Required input 'What went well\\?'"):
        await slack_env.submit(slack_env.ada, {})
    with pytest.raises(AssertionError, match="at most 200 characters"):
        await slack_env.submit(slack_env.ada, {"text": "x" * 201})
    with pytest.raises(AssertionError, match="no option 'loud'"):
        await slack_env.submit(slack_env.ada, {"text": "ok", "tone": "loud"})


async def test_a_trigger_id_opens_one_view_only(slack_env: SlackEnv, served):
    turn = await slack_env.command("/feedback")
    assert slack_env.open_modal(slack_env.ada) is not None
    with pytest.raises(SlackApiError, match="exchanged_trigger_id"):
        await slack_env.client().views_open(
            trigger_id=turn.payload["trigger_id"], view=FEEDBACK_VIEW
        )
    assert len(slack_env.take_problems()) == 1


# ---- events, home, people, files -----------------------------------------------------------


async def test_a_dm_and_the_home_tab(slack_env: SlackEnv, served):
    turn = await slack_env.dm("how do I calm someone down?", user=slack_env.ben)
    dm = slack_env.dm_channel(slack_env.ben)
    assert turn.payload["event"]["channel_type"] == "im"
    assert [m["text"] for m in slack_env.messages_in(dm)] == [
        "DM received: how do I calm someone down?"
    ]
    assert len(slack_env.history(dm)) == 2  # Ben's message and the reply

    await slack_env.open_home(user=slack_env.ben)
    home = slack_env.home_of(slack_env.ben)
    assert home is not None and message_text(home) == "Tip of the day"
    clicked = await slack_env.click(home, "Quiz")
    assert clicked.payload["container"] == {"type": "view", "view_id": home["id"]}
    assert "response_url" not in clicked.payload
    assert message_text(slack_env.home_of(slack_env.ben)) == "Quiz for ben"
    assert slack_env.home_of(slack_env.ben)["id"] == home["id"]  # the same view, updated


async def test_users_info_and_user_groups_tell_trainers_apart(slack_env: SlackEnv, served):
    answers = {
        who: (await slack_env.command("/whoami", user=who)).ack["text"]
        for who in (slack_env.ada, slack_env.tara, slack_env.max, slack_env.olive)
    }
    assert answers[slack_env.ada] == "ada admin=False trainer=False ['coach-trainers']"
    assert answers[slack_env.tara].startswith("tara admin=False trainer=True")
    assert answers[slack_env.max].startswith("max admin=True trainer=True")
    assert answers[slack_env.olive].startswith("olive admin=False trainer=True")


async def test_files_upload_v2_goes_through_all_three_steps(slack_env: SlackEnv, served):
    turn = await slack_env.command("/report", user=slack_env.tara)

    methods = [c.method for c in turn.calls]
    assert methods[-3:] == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    [shared] = slack_env.files_shared_in(slack_env.dm_channel(slack_env.tara))
    assert shared.filename == "report.csv" and shared.content == b"topic,asks\nrefund,3\n"
    assert slack_env.files_shared_in(CHANNEL) == []


async def test_an_unknown_method_and_a_bad_token_are_problems(slack_env: SlackEnv):
    with pytest.raises(SlackApiError, match="unknown_method"):
        await slack_env.client().api_call("chat.postSomething")
    with pytest.raises(SlackApiError, match="invalid_auth"):
        await slack_env.client(token="xoxb-wrong").auth_test()
    problems = slack_env.take_problems()
    assert len(problems) == 2 and "chat.postSomething" in problems[0]


def test_pings_finds_everything_that_would_notify():
    assert pings({"text": "calm <b>down</b> &lt;!here&gt;"}) == []
    assert pings({"text": "<!here> hi <@U0ADA|ada>", "link_names": True}) == [
        "link_names",
        "<!here>",
        "<@U0ADA|ada>",
    ]
    assert pings({"blocks": [section("<!subteam^S0TRAINERS>")]}) == ["<!subteam^S0TRAINERS>"]


# ---- Socket Mode ---------------------------------------------------------------------------


async def test_socket_mode_handles_a_command_through_the_fake_server(slack_env: SlackEnv):
    app = make_app(slack_env.client(), slack_env)
    await slack_env.connect_socket_mode(app)

    [opened] = slack_env.calls_to("apps.connections.open")
    assert opened.token == slack_env.app_token
    turn = await slack_env.command("/echo", "over the socket", user=slack_env.ada)
    assert turn.via == "socket" and turn.envelope is not None
    assert turn.envelope.ack == {"envelope_id": turn.envelope.envelope_id}
    assert [message_text(m) for m in slack_env.ephemerals_to(slack_env.ada)] == ["over the socket"]

    quick = await slack_env.command("/quick")
    assert quick.ack == {"text": "done already"}
    assert len(slack_env.api.socket.acks) == 2
    await slack_env.disconnect()


async def test_point_slack_at_sends_default_clients_to_the_fake(slack_env: SlackEnv):
    restore = point_slack_at(slack_env.base_url)
    try:
        client = AsyncWebClient(token=slack_env.bot_token)  # no base_url, as in production code
        assert (await client.auth_test())["user_id"] == BOT_USER_ID
    finally:
        restore()
    assert AsyncWebClient().base_url == "https://slack.com/api/"
    assert [c.method for c in slack_env.calls] == ["auth.test"]
