"""The scrubber: every kind of personal data, in the formats agents actually type.

Each case names the kind it expects and the values that must be gone from the output. The
examples are our own; the held-out corpus in tests/data/ is never used to write them.
"""

from __future__ import annotations

import pytest

from coachbot.debrief.scrubber import KINDS, luhn_valid, scrub

CASES = [
    # emails, also spoken or obfuscated
    ("write to jane.doe+x@mail.example.co.uk today", "email", ["jane.doe"]),
    ("it's jane dot doe at gmail dot com", "email", ["jane dot doe"]),
    ("reply to JOHN_SMITH@Company.COM please", "email", ["JOHN_SMITH"]),
    ("she wrote from k.osei(at)example(dot)org", "email", ["k.osei"]),
    ("his is m.rossi at hotmail.com", "email", ["m.rossi"]),
    ("address is tom [at] fastmail [dot] fm", "email", ["tom [at]"]),
    # phones: national and international, real and fictional ranges
    ("call +1 415 555 2671 back", "phone", ["555 2671"]),
    ("her number is 020 7946 0958", "phone", ["7946 0958"]),
    ("mobile 07700 900123", "phone", ["900123"]),
    ("+44 7700 900123 is the one", "phone", ["900123"]),
    ("ring (555) 123-4567 after six", "phone", ["123-4567"]),
    ("call 555-123-4567 or 555.987.6543", "phone", ["123-4567", "987.6543"]),
    ("the desk line is 555-0134", "phone", ["555-0134"]),
    ("Berlin office +49 30 12345678", "phone", ["12345678"]),
    ("in Paris: 01 23 45 67 89", "phone", ["23 45 67 89"]),
    ("India mobile +91 98765 43210", "phone", ["98765 43210"]),
    ("Sydney (02) 9876 5432 or 0412 345 678", "phone", ["9876 5432", "345 678"]),
    ("toll free 1-800-555-0199 ext 23", "phone", ["555-0199"]),
    ("text me on 5551234567", "phone", ["5551234567"]),
    ("dial 0044 20 7946 0958 from abroad", "phone", ["7946 0958"]),
    ("her number (+33 1 23 45 67 89) was wrong", "phone", ["23 45 67 89"]),
    ("call (415) 555-2671 ext. 12 or +55 (11) 91234-5678", "phone", ["2671", "91234"]),
    # payment cards (Luhn) and card endings
    ("paid with 4111 1111 1111 1111", "card", ["4111"]),
    ("card 4242-4242-4242-4242 declined", "card", ["4242"]),
    ("amex 3782 822463 10005 on file", "card", ["822463"]),
    ("the number 5555555555554444 worked", "card", ["5555555555554444"]),
    ("the card ending 4242 was declined", "card", ["4242"]),
    ("Visa ending in 1881", "card", ["1881"]),
    ("last four digits are 0005", "card", ["0005"]),
    ("shown as **** **** **** 4444", "card", ["4444"]),
    ("read out 4532 7153 3790 1241, a typo", "card", ["4532", "1241"]),
    ("exp 12/26 and cvv 123", "card", ["12/26", "123"]),
    # IBANs
    ("IBAN GB82 WEST 1234 5698 7654 32 please", "iban", ["WEST 1234"]),
    ("send it to DE89370400440532013000", "iban", ["DE89370400440532013000"]),
    ("FR14 2004 1010 0505 0001 3M02 606 is hers", "iban", ["3M02"]),
    # IP addresses
    ("logged in from 192.168.1.10 twice", "ip", ["192.168.1.10"]),
    ("v6 address 2001:db8::ff00:42:8329", "ip", ["2001:db8"]),
    ("router at 192.168.001.001.", "ip", ["168"]),
    ("link-local fe80::1ff:fe23:4567:890a.", "ip", ["fe80"]),
    # URLs that carry personal data
    ("reset at https://acme.example/reset?token=abc123&u=jd", "url", ["token=abc123"]),
    ("her page www.facebook.com/jane.doe.77", "url", ["jane.doe"]),
    ("see linkedin.com/in/priya-sharma", "url", ["priya-sharma"]),
    ("tracking https://shop.example/orders/88412913", "url", ["88412913"]),
    ("her blog www.jane-doe.com", "url", ["jane-doe"]),
    ("shared doc https://docs.example.com/d/1aBcD_efGhIjKlMnOpQr/edit", "url", ["1aBcD"]),
    ("short link https://bit.ly/3xYz9Qa", "url", ["3xYz9Qa"]),
    # national id numbers
    ("SSN 078-05-1120 on the form", "id-number", ["078-05-1120"]),
    ("NI number QQ 12 34 56 C", "id-number", ["12 34 56"]),
    ("passport number X1234567", "id-number", ["X1234567"]),
    ("driver's license D1234-5678-9012", "id-number", ["D1234"]),
    ("NHS number 485 777 3456", "id-number", ["485 777 3456"]),
    ("CPF 123.456.789-09 and PAN ABCDE1234F", "id-number", ["789", "ABCDE1234F"]),
    ("numéro de sécurité sociale 1 85 05 78 006 084 36", "id-number", ["006 084"]),
    # dates of birth
    ("born on 12/03/1985 in Leeds", "dob", ["12/03/1985"]),
    ("DOB: 1985-03-12", "dob", ["1985-03-12"]),
    ("date of birth 3 March 1985", "dob", ["3 March 1985"]),
    ("her birthday is March 3rd", "dob", ["March 3rd"]),
    ("he was born in 1979", "dob", ["1979"]),
    ("birthday: 14/03, date of birth 14-Mar-1990", "dob", ["14/03", "Mar-1990"]),
    ("he gave his date of birth as 07/11/1979", "dob", ["07/11/1979"]),
    # account, order, ticket, policy, booking references
    ("order #48213 is late", "account", ["48213"]),
    ("account number 88492011", "account", ["88492011"]),
    ("ticket INC0012345 reopened", "account", ["INC0012345"]),
    ("policy POL-778812 lapsed", "account", ["778812"]),
    ("booking ref QX7T2M for two", "account", ["QX7T2M"]),
    ("case no. 45 again", "account", ["45"]),
    ("orders 48213, 48214 and 48290", "account", ["48213", "48214", "48290"]),
    ("customer id C-99812", "account", ["99812"]),
    ("acct#5566778899 and a/c 12345678", "account", ["5566778899", "12345678"]),
    # addresses
    ("she lives at 221B Baker Street, London NW1 6XE", "address", ["Baker", "NW1"]),
    ("42 Oak Ave, Springfield, IL 62704", "address", ["Oak", "62704"]),
    ("Flat 3, 27 Elm Rd, Leeds LS1 4AP", "address", ["Flat 3", "Elm", "LS1"]),
    ("deliver to Apt 4B, 250 West 57th Street, New York, NY 10107", "address", ["57th", "4B"]),
    ("Hauptstraße 12, 10115 Berlin", "address", ["Hauptstraße", "10115"]),
    ("12 rue de la Paix, 75002 Paris", "address", ["Paix", "75002"]),
    ("Kerkstraat 12, 1017 GC Amsterdam", "address", ["Kerkstraat"]),
    ("PO Box 4455, Anchorage, AK 99501", "address", ["4455", "99501"]),
    ("she lives on Maple Avenue", "address", ["Maple"]),
    ("postcode SW1A 1AA", "address", ["SW1A"]),
    ("zip code 90210", "address", ["90210"]),
    # names
    ("Mr Smith called twice", "name", ["Smith"]),
    ("spoke with Mrs. Okonkwo-Adeyemi", "name", ["Okonkwo"]),
    ("Dr. Nguyen approved", "name", ["Nguyen"]),
    ("Hi Tom, thanks for waiting", "name", ["Tom"]),
    ("Thanks, Ana", "name", ["Ana"]),
    ("a customer named Ahmed Khan", "name", ["Ahmed", "Khan"]),
    ("a guy called Dave", "name", ["Dave"]),
    ("my supervisor Kevin said no", "name", ["Kevin"]),
    ("my manager, Lisa, agreed", "name", ["Lisa"]),
    ("the customer Jane Doe was upset", "name", ["Jane", "Doe"]),
    ("Sarah Mitchell called about her plan", "name", ["Sarah", "Mitchell"]),
    ("Maria de la Cruz asked for a refund", "name", ["Maria", "Cruz"]),
    ("John F. Kennedy was on the line", "name", ["John", "Kennedy"]),
    ("Then Xiomara asked for a supervisor", "name", ["Xiomara"]),
    ("we had a call with tyrone about the outage", "name", ["tyrone"]),
    ("Caller identified herself as Okello", "name", ["Okello"]),
    ("Customer: Okonkwo Chidubem", "name", ["Okonkwo"]),
    ("ping <@123456789012345678> about it", "name", ["123456789012345678"]),
]


@pytest.mark.parametrize(("text", "kind", "gone"), CASES, ids=[c[0][:40] for c in CASES])
def test_personal_data_is_replaced_by_a_typed_placeholder(text, kind, gone):
    result = scrub(text)
    assert f"[{kind}]" in result.text, result.text
    assert result.redactions.get(kind, 0) >= 1
    for value in gone:
        assert value not in result.text, result.text


def test_every_kind_is_covered_by_the_cases():
    assert {kind for _, kind, _ in CASES} == set(KINDS)


def test_only_the_data_is_replaced_and_each_item_is_counted():
    result = scrub("Email jane@example.com or call 020 7946 0958, card 4111 1111 1111 1111.")
    assert result.text == "Email [email] or call [phone], card [card]."
    assert result.redactions == {"email": 1, "phone": 1, "card": 1}


def test_cue_words_and_titles_stay_so_the_debrief_still_reads():
    text = "Mrs Patel, customer Jane, my supervisor Kevin, card ending 4242, order #48213"
    assert scrub(text).text == (
        "Mrs [name], customer [name], my supervisor [name], card ending [card], order #[account]"
    )


def test_luhn():
    assert luhn_valid("4242424242424242")
    assert not luhn_valid("4242424242424241")
    assert not luhn_valid("")
    assert not luhn_valid("42x2")
