"""The scrubber's passes, one module per kind of personal data, sharing one span ledger.

`coachbot.debrief.scrubber.scrub` runs them in a fixed order; each pass reads the masked view of
the text (what earlier passes claimed is hidden) so no pass ever touches another's placeholder.

    placeholders.py  the kinds and their `[kind]` placeholders, for the scrubber and its readers
    spans.py         the ledger: claimed spans, the masked view, rendering with placeholders
    scan.py          digit-first scanning and cheap cue look-behind shared by the cue passes
    vocab.py         the word lists in data/ (first names, surnames, common and keep words)
    quantities.py    the words that make a number a quantity ("48213 nights"), for phones and
                     references
    checksums.py     Luhn, IBAN mod-97 and IBAN lengths
    keep.py          brand names that contain a person's name ("Marks & Spencer"): kept
    urls.py, emails.py, mentions.py, ibans.py, cards.py, ips.py, national_ids.py,
    birth_dates.py, references.py, phones.py, addresses.py, members.py, names.py
                     one kind each, in roughly that order
"""
