"""The YAML reader's shortcuts change nothing: same nodes, tags and positions as PyYAML's."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from coachbot.knowledge.yamlsource import _Loader, read_node

# plain scalars of every implicit type PyYAML resolves, and some that only look like one
SCALARS = st.sampled_from(
    [
        *("0", "12", "-3", "+7", "0x1F", "0o17", "1_000", "1.5", "-.inf", ".nan", "1e3", "6.8e+1"),
        *("yes", "No", "on", "OFF", "true", "False", "~", "null", "Null", ""),
        *("2026-01-31", "2026-01-31 12:30:00", "2026-1-3T1:2:3Z", "<<", "=", "-", "."),
        *("customer", "yelling at me", "a: b", "x #y", "12 angry men", "1.5 hours", "é"),
    ]
)
STYLES = st.sampled_from(["{}", "'{}'", '"{}"', "!!str {}", "[{}]", "{{k: {}}}"])


def tree(node: yaml.Node, *, marks: bool = True) -> tuple:
    """Everything a node tells the validator, positions included unless `marks` is False."""
    where = (node.start_mark.line, node.start_mark.column, node.end_mark.line) if marks else ()
    if isinstance(node, yaml.ScalarNode):  # (PyYAML's C loader says '' for plain, not None)
        return (type(node).__name__, node.tag, node.value, node.style or "", *where)
    if isinstance(node, yaml.MappingNode):
        children = tuple(
            (tree(key, marks=marks), tree(value, marks=marks)) for key, value in node.value
        )
    else:
        children = tuple(tree(item, marks=marks) for item in node.value)
    return (type(node).__name__, node.tag, node.flow_style, children, *where)


@given(st.lists(st.tuples(SCALARS, STYLES), min_size=1, max_size=6))
def test_nodes_are_pyyamls_own(values):
    text = "".join(
        f"k{i}: {style.format(value if style == '{}' else value.replace(chr(39), ''))}\n"
        f"l{i}:\n  - {value or 'x'}\n  - [{value or 'x'}, 2]\n"
        for i, (value, style) in enumerate(values)
    )
    try:
        expected = yaml.compose(text, Loader=yaml.CSafeLoader)  # libyaml, PyYAML's own resolver
        pure = yaml.compose(text, Loader=yaml.SafeLoader)  # PyYAML's pure-Python loader
    except yaml.YAMLError:
        return  # not YAML: read_node's own tests cover errors
    assert tree(yaml.compose(text, Loader=_Loader)) == tree(expected)
    # the same tags and values as pure Python too; positions can differ between libyaml and
    # PyYAML's own parser (an empty value in "{k: }"), which is not the shortcuts' doing
    assert tree(expected, marks=False) == tree(pure, marks=False)


def test_a_file_read_whole_although_its_size_was_taken_before_it_grew(tmp_path: Path):
    path = tmp_path / "topic.yaml"
    path.write_text("id: grew\ntitle: " + "word " * 50 + "\n", encoding="utf-8")
    root, problems = read_node(path, "topic.yaml")
    assert problems == []
    assert [key.value for key, _ in root.value] == ["id", "title"]
    assert root.value[1][1].value == ("word " * 50).strip()
