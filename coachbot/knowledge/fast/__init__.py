"""Fast paths: code that gives exactly what a slower reference gives, only sooner.

Why a package of their own: each module here is a second way to a result that another
function already defines, kept for speed alone. The reference is the one to read first and
to change first; a fast path that cannot vouch for its answer hands over to it. Tests hold
each pair equal, and tests/coachbot/knowledge/fast/test_table.py checks that every name and
test below exists, so this table cannot go stale.

Fast path -> reference (names under coachbot.knowledge; tests under tests/coachbot/knowledge):

- `fast.read.read_plain_topic` -> `validator.read_topic`
  A valid topic file read by yaml-rs into plain values instead of PyYAML nodes.
  - fast/test_read.py::test_every_shipped_topic_is_read_fast_and_the_same
  - fast/test_read.py::test_a_mutated_file_is_read_the_same_or_left_to_the_node_path
  - fast/test_read.py::test_a_byte_order_mark_and_windows_line_ends_read_the_same
  - fast/test_read.py::test_a_review_date_and_interval_read_the_same
  - test_loader.py::test_a_section_too_long_to_show_whole_on_both_platforms_is_named

- `fast.terms.BulkTerms` -> `text.Analyzer.terms`
  Every text of a knowledge base analysed at once, each distinct word once, terms as numbers
  (`BulkTerms.rows`, `BulkTerms.flat`, `terms_many`).
  - fast/test_terms.py::test_bulk_analysis_matches_one_text_at_a_time
  - fast/test_terms.py::test_bulk_analysis_of_any_text_matches_one_text_at_a_time
  - test_text.py::test_a_phrase_with_a_number_word_still_folds_before_the_number_drops

- `index.Index.build` -> `test_index.py::reference`
  The index in a few numpy passes over term numbers instead of one Python dict per example.
  It is the only builder in the product (so it stays in index.py); its reference is the
  per-example code it replaced, kept in the test. `matcher.Matcher._build_index` is this
  builder fed by `fast.terms.BulkTerms`.
  - test_index.py::test_the_index_is_bit_for_bit_the_reference

- `fast.bulkload.BulkReader` -> `matcher.Matcher._build_index`
  A cold load on several cores: topic files read and analysed in worker processes, the index
  joined from their rows. For the topics and problems the reference is
  `loader.read_topic_files`, one file after another.
  - fast/test_bulkload.py::test_a_worker_reads_the_same_topics_and_the_index_is_the_matchers_own
  - fast/test_bulkload.py::test_every_problem_is_reported_as_one_process_reports_it
  - fast/test_bulkload.py::test_a_cold_start_and_a_start_through_the_cache_agree
"""
