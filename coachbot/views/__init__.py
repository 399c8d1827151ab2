"""Platform-neutral view models: what a reply shows, as frozen data, for every adapter.

The core decides what a post, a card or a ranking says and which buttons (`Action`s) it carries;
an adapter only draws it: Discord as embeds and components, Slack as Block Kit, the console as
text. Texts here carry no platform markup; length limits are the adapter's to apply.
"""
