"""The Slack settings come from the environment mapping, and no secret is ever printed."""

from coachbot.settings import Settings


def test_slack_variables_are_read_from_the_mapping():
    settings = Settings.from_env(
        {
            "SLACK_BOT_TOKEN": " xoxb-1-abc ",
            "SLACK_APP_TOKEN": "xapp-1-A1-xyz",
            "COACHBOT_SLACK_PORT": "8080",
            "COACHBOT_SLACK_TRAINER_GROUP": " coach-trainers ",
        }
    )
    assert settings.slack_bot_token == "xoxb-1-abc"
    assert settings.slack_app_token == "xapp-1-A1-xyz"
    assert settings.slack_signing_secret is None
    assert settings.slack_port == 8080
    assert settings.slack_trainer_group == "coach-trainers"
    assert settings.slack_socket_mode


def test_a_signing_secret_alone_means_http_mode_on_the_default_port():
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"})
    assert not settings.slack_socket_mode
    assert settings.slack_port == 3000


def test_a_port_that_is_not_a_number_keeps_the_default():
    assert Settings.from_env({"COACHBOT_SLACK_PORT": "30o0"}).slack_port == 3000
    assert Settings.from_env({"COACHBOT_SLACK_PORT": "70000"}).slack_port == 3000


def test_repr_never_shows_a_token_or_secret():
    settings = Settings.from_env(
        {
            "DISCORD_TOKEN": "discord-secret-token",
            "SLACK_BOT_TOKEN": "xoxb-secret-bot",
            "SLACK_APP_TOKEN": "xapp-secret-app",
            "SLACK_SIGNING_SECRET": "signing-secret-value",
        }
    )
    shown = repr(settings) + str(settings)
    for secret in ("discord-secret-token", "xoxb-secret", "xapp-secret", "signing-secret-value"):
        assert secret not in shown
    assert "slack_bot_token=<set>" in shown
