"""A table's rows print the same from Python as the template loop they replaced printed them."""

import pytest
from django.template import Context, Template
from django.utils import translation

from gongshi.public.display import TablePage

# The loop item_body.html had before the rows were built in Python (TablePage.body_html).
TEMPLATE_LOOP = Template(
    "{% for row in table.rows %}<tr><td>{{ forloop.counter0|add:table.first_row_number }}</td>"
    '{% for cell in row %}<td{% if cell|length < 12 %} class="nowrap"{% endif %}>'
    '{{ cell|default:"—" }}</td>{% endfor %}</tr>{% endfor %}'
)
CELLS = [
    "",
    "1号楼",
    "一二三四五六七八九十一",  # 11 characters: still short
    "一二三四五六七八九十一二",  # 12: may wrap
    "<b>\"甲\" & '乙'</b>",
    "卫生间闭水试验渗漏，已重做防水层并复验合格",
]


def table(first_row_number: int) -> TablePage:
    rows = [CELLS[i:] + CELLS[:i] for i in range(len(CELLS))]
    return TablePage(
        key="households",
        label="分户验收记录",
        columns=[(str(i), str(i)) for i in range(len(CELLS))],
        rows=rows,
        total=2000,
        page=first_row_number // len(rows) + 1,
        pages=2000 // len(rows),
        first_row_number=first_row_number,
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("separator", [False, True])
@pytest.mark.parametrize("first", [1, 997])  # the second page crosses row 1,000
def test_it_prints_the_rows_as_the_template_loop_did(settings, language, separator, first):
    settings.USE_THOUSAND_SEPARATOR = separator
    page = table(first)
    with translation.override(language):
        expected = TEMPLATE_LOOP.render(Context({"table": page}))
        assert page.body_html == expected
    assert "&lt;b&gt;&quot;甲&quot; &amp; &#x27;乙&#x27;&lt;/b&gt;" in expected
    assert '<td class="nowrap">—</td>' in expected
    if separator and first > 1 and language == "en":  # Chinese groups digits by four
        assert "<td>1,000</td>" in expected
