import pytest

from gongshi.catalogue.tests.factories import only_items
from gongshi.workspace.testing import household_item


@pytest.fixture
def item(world):
    """A contractor-supplied item with a household table; the only item in the catalogue."""
    item = household_item()
    only_items(item)
    return item
