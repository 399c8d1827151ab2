"""The local chat reads like a conversation."""

from __future__ import annotations

import io

from coachbot.console import Console


async def test_a_question_gets_a_readable_card(app):
    reply = await Console(app).handle("customer keeps screaming at me")
    assert "Steps:" in reply and "Say:" in reply and "Avoid:" in reply
    assert "Topic: " in reply


async def test_topics_lists_every_topic(app):
    reply = await Console(app).handle("topics")
    assert all(topic.id in reply for topic in app.knowledge.kb.topics)


async def test_a_topic_id_opens_its_card(app):
    assert "== " in await Console(app).handle("long-wait")


async def test_help_and_greetings_explain_what_to_ask(app):
    for line in ("help", "hi", "thanks"):
        assert "Ask me how to handle a difficult customer" in await Console(app).handle(line)


async def test_an_unanswerable_question_says_so_and_offers_topics(app):
    reply = await Console(app).handle("how do I reset my VPN password")
    assert "I don't have a card for that yet" in reply
    assert "topics" in reply


async def test_empty_and_huge_input_get_clear_replies(app):
    console = Console(app)
    assert "Type a question" in await console.handle("   ")
    assert "too long" in await console.handle("x y " * 5000)


async def test_the_loop_answers_until_quit(app):
    stdin = io.StringIO("customer keeps screaming at me\n\nquit\nnever read\n")
    stdout = io.StringIO()
    assert await Console(app).run(stdin, stdout) == 0
    text = stdout.getvalue()
    assert "Steps:" in text and "Bye." in text


async def test_quiz_asks_a_practice_question_answered_by_number(app):
    console = Console(app)
    question = await console.handle("quiz")
    assert "Practice (box 1 of 5)" in question and "  1. " in question
    item = console.pending
    wrong = 1 if item.answer != 0 else 2

    assert "Answer with a number from 1 to" in await console.handle("9")
    reply = await console.handle(str(wrong))
    assert reply.startswith("Not quite. The answer: " + item.correct_choice)

    stats = await console.handle("stats")
    assert "Practice cards: 1 (box 1: 1)" in stats


async def test_stats_before_any_practice_says_how_to_start(app):
    assert "Type 'quiz'" in await Console(app).handle("stats")


async def test_a_number_without_a_pending_question_is_just_a_question(app):
    reply = await Console(app).handle("3")
    assert "Practice" not in reply


async def test_debrief_walks_through_the_questions_and_stores_it_scrubbed(app):
    console = Console(app)
    assert "What happened?" in await console.handle("debrief")
    assert "What did you try?" in await console.handle(
        "Mrs Olsen (olsen@example.com) yelled about a late refund of $80"
    )
    await console.handle("I listened and apologised")
    await console.handle("skip")
    preview = await console.handle("Check the refund status before calling")
    assert "olsen@example.com" not in preview and "[email]" in preview and "$80" in preview
    assert "Please answer yes or no." in await console.handle("maybe")
    done = await console.handle("yes")
    assert "Deletion code:" in done
    report = await app.debriefs.report("local")
    assert report.total == 1


async def test_cancel_leaves_nothing_behind(app):
    console = Console(app)
    await console.handle("debrief")
    assert "Nothing was stored" in await console.handle("cancel")
    assert (await app.debriefs.report("local")).total == 0
    assert "Steps:" in await console.handle("customer keeps screaming at me")


async def test_yes_no_and_lone_words_ask_for_a_real_question_not_a_card(app):
    console = Console(app)
    for line in ("no", "yes", "test", "caller"):
        reply = await console.handle(line)
        assert "doesn't look like a question" in reply and "Steps:" not in reply


async def test_commands_from_other_places_say_which_commands_work_here(app):
    console = Console(app)
    for line in ("clear", "/ask", "!help me", "stop"):
        reply = await console.handle(line)
        assert "Steps:" not in reply
    reply = await console.handle("clear")
    assert "'clear' is not a command here" in reply and "topics, quiz" in reply


async def test_a_mention_does_not_turn_an_answer_into_a_decline(app):
    assert "Steps:" in await Console(app).handle("@everyone customer keeps screaming at me")


async def test_text_that_cannot_be_encoded_is_answered_and_stored_safely(app):
    console = Console(app)  # lone surrogates: what Python makes of bytes that are not UTF-8
    assert "Steps:" in await console.handle("customer \udcff keeps screaming at me")
    await console.handle("debrief")
    for line in ("Mrs \udced\udca0\udc80 Olsen yelled", "skip", "skip", "skip"):
        await console.handle(line)
    assert "Deletion code:" in await console.handle("yes")
    rows = await app.database.connection.execute_fetchall("SELECT question FROM asks")
    assert [q for (q,) in rows] == ["customer \ufffd keeps screaming at me"]


async def test_the_greeting_is_whole_sentences_and_points_to_help(app):
    stdout = io.StringIO()
    await Console(app).run(io.StringIO("quit\n"), stdout)
    greeting = stdout.getvalue().split("\n\n")[0]
    assert greeting.splitlines() == [
        "CoachBot local chat. Ask me how to handle a difficult customer, in your own words.",
        "Type 'help' for examples and commands, 'quit' to leave.",
    ]


async def test_help_names_every_command_topic_ids_and_the_numbered_choices(app):
    reply = await Console(app).handle("help")
    for command in ("topics", "quiz", "stats", "debrief", "suggestions", "reload", "quit"):
        assert f"\n  {command} " in reply
    assert "type a topic id from the list to open its card" in reply
    assert '"Which is closest?", type the number of a choice (0: none of these)' in reply


async def test_the_topic_list_is_wrapped_to_the_terminal(app, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")  # what shutil.get_terminal_size reads first
    reply = await Console(app).handle("topics")
    lines = reply.splitlines()
    assert max(len(line) for line in lines) <= 59
    ids = [line.split()[0] for line in lines[1:] if line.startswith("  ") and line[2] != " "]
    assert sorted(ids) == sorted(topic.id for topic in app.knowledge.kb.topics)
    words = " ".join(reply.split())  # a title wrapped onto the next lines reads on
    assert all(" ".join(topic.title.split()) in words for topic in app.knowledge.kb.topics)
