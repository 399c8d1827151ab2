"""The pieces of the loopback Slack that ``tests/slack_harness.py`` puts together.

``blockkit`` checks payloads against Block Kit's limits, ``payloads`` builds the signed
requests Slack sends, ``web_api`` is the recording Web API (with response URLs, file uploads
and the Socket Mode websocket). Tests import everything from ``tests.slack_harness``.
"""
