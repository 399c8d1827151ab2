"""Only what pyproject.toml cannot say: every package is found (none to list by hand), and the
top-level knowledge/ folder ships inside the package as coachbot/_knowledge, so an installed
wheel has its knowledge base (coachbot.settings.bundled_knowledge)."""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(
            include=["coachbot", "coachbot.*", "cogs", "cogs.*", "slack_adapter", "slack_adapter.*"]
        ),
        "coachbot._knowledge",
    ],
    package_dir={"coachbot._knowledge": "knowledge"},
)
