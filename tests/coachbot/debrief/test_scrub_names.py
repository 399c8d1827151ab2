"""Names: cues, the shipped name lists, and the server's own members (`known_names`)."""

from __future__ import annotations

import pytest

from coachbot.debrief.scrubber import scrub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Spoke with Mr Wojciechowski and Dr. Adaeze Obi-Nwankwo",
            "Spoke with Mr [name] and Dr. [name]",
        ),
        (
            "The customer, Thandiwe Mokoena, and her husband Sipho",
            "The customer, [name], and her husband [name]",
        ),
        ("Customer Name: Bartholomew Fitzwilliam", "Customer Name: [name]"),
        (
            "Per my colleague Björn, Jürgen Weiß was charged twice",
            "Per my colleague [name], [name] was charged twice",
        ),
        ('"Good morning, Mrs Delacroix-Bouvier!"', '"Good morning, Mrs [name]!"'),
        (
            "Ms. Li said her husband Mr. Wu would call",
            "Ms. [name] said her husband Mr. [name] would call",
        ),
        ("Ludwig van Beethoven rang", "[name] rang"),
        ("Sarah's refund and O'Brien's card", "[name]'s refund and [name]'s card"),
        ("Regards,\nTom Baker", "Regards,\n[name]"),
        ("asked for a callback from Priyanka", "asked for a callback from [name]"),
        ("sarah was upset and tom too", "[name] was upset and [name] too"),
        ("I asked for Will", "I asked for [name]"),
        ("Hi Max, Dear April", "Hi [name], Dear [name]"),
        # titles typed sloppily, foreign titles, particles after a title
        ("mr smith rang", "mr [name] rang"),
        ("Sra. Ortega and Monsieur Dubois", "Sra. [name] and Monsieur [name]"),
        ("Mrs van Dijk and Ms Van Buren", "Mrs [name] and Ms [name]"),
        ("Mr Nguyen Van An and Ms Tran Thi Mai", "Mr [name] and Ms [name]"),
        # naming phrases take any capitalised word, even an everyday one, and quotes
        ("a customer named Sunny", "a customer named [name]"),
        ('someone called "Baz"', 'someone called "[name]"'),
        ("gave her name as 'Mo'", "gave her name as '[name]'"),
        ('said call me "Big Tony"', 'said call me "[name]"'),
        ("his wife, Precious Moyo, rang", "his wife, [name], rang"),
        # sign-offs and thanks
        ('signed "Best, Fatima"', 'signed "Best, [name]"'),
        ("Shoutout to Marguerite for the save", "Shoutout to [name] for the save"),
        # neighbours that tell: a person's verb, a team, a family, a short pair
        ("Then N'Golo Diarra came on the line", "Then [name] came on the line"),
        ("Jack from Sales promised it", "[name] from Sales promised it"),
        ("The Okafors have 3 accounts", "The [name] have 3 accounts"),
        # the long name lists, double-barrelled names, prefixes
        ("Chukwuemeka was patient", "[name] was patient"),
        ("Oluwadamilare Adebayo-Smith has had 4 engineers out", "[name] has had 4 engineers out"),
        ("helped by Fatima Zahra al-Mansouri from Quality", "helped by [name] from Quality"),
        ("spoke to olu and his brother femi", "spoke to [name] and his brother [name]"),
        # the same name again, but not an everyday word where it is not a name
        ("Mr Price wants the Price Promise", "Mr [name] wants the Price Promise"),
        (
            "He asked for Will. Will is off until Friday.",
            "He asked for [name]. [name] is off until Friday.",
        ),
    ],
)
def test_names_are_found_from_cues_and_lists(text, expected):
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Will you help? Grace period is 30 days. May I? Mark it solved.",
        "The Premium Plus plan on the Galaxy S23; Billing and Retentions; Supervisor approved.",
        "Hi team, hi there, thanks again, hello everyone",
        "Transferred to Billing, escalated to Tier 2, asked for a Supervisor",
        "Customer Service said the Customer Success team would call on Monday in June",
        "Jordan office, Victoria line, Chelsea store, Austin branch",
        # places and brands that are also names: after "in", or listed with non-names
        "Roaming in Lima cost $40; Rogers and Telus match it; MTN, Glo and Etisalat lag.",
        "Zain and Ooredoo charged 3 KWD per MB. Safaricom M-Pesa failed for 6 hours.",
        "Preston, Bolton and Lincoln stores refused it. Kingston lines were down.",
        # an everyday word that was a name elsewhere in the text stays where it is not one
        "SHE CALLED ME A LIAR AND HUNG UP. IBAN AND BACS ARE FINE.",
        "I asked Financial Support for a Breathing Space of 60 days.",
    ],
)
def test_words_that_look_like_names_stay(text):
    assert scrub(text).text == text


def test_server_members_are_replaced_whole_word_in_any_case():
    members = ["Zephyrine", "Kofi Boateng", "xX_Dark_Xx", "Al", "Support", "the"]
    text = "zephyrine and KOFI BOATENG and Boateng alone and xX_Dark_Xx; Al from Support; the end"
    result = scrub(text, known_names=members)
    assert result.text == "[name] and [name] and [name] alone and [name]; Al from Support; the end"
    assert result.redactions == {"name": 4}


def test_member_names_only_match_whole_words():
    result = scrub("Zephyrines and preZephyrine stay", known_names=["Zephyrine"])
    assert result.text == "Zephyrines and preZephyrine stay"


def test_known_names_accepts_any_iterable_and_odd_display_names():
    names = (n for n in ["🦊", "", "  ", "Ümit Yıldız", "a", "1234"])
    result = scrub("ümit yıldız called; 1234 items", known_names=names)
    assert result.text == "[name] called; 1234 items"


def test_scrub_keeps_its_positional_signature_for_the_ask_log():
    assert scrub("mail jane@example.com").text == "mail [email]"


def test_members_named_like_places_are_still_replaced():
    # "Ada" and "Kingston" are also towns, so alone they need a cue; a member's name needs none.
    result = scrub("Kingston rang, then Ada", known_names=["Kingston Obi", "Ada"])
    assert result.text == "[name] rang, then [name]"
