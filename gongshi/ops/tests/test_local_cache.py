"""The cache of an embedded deployment (no ``REDIS_URL``): one process's LocMem cache."""

import subprocess
import sys

# In a fresh process, so the settings read the environment without REDIS_URL whatever the
# suite runs with: a render of a 500-item project page stores ~511 sections (one get_many,
# one set_many: gongshi/public/sections.py); all must still be there for the next render, and
# an entry stored before it (another project's stored page) too.
SCRIPT = """
import django, os
os.environ.pop("REDIS_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "gongshi.settings"
django.setup()
from django.core.cache import cache
cache.set("public:page:other-project", b"stored page")
sections = {f"public:section:{i}": "<section>…</section>" * 20 for i in range(511)}
cache.set_many(sections)
found = cache.get_many(list(sections))
print(len(found), cache.get("public:page:other-project") is not None)
"""


def test_a_big_pages_sections_stay_in_the_embedded_cache_with_what_was_there(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env={"PATH": "/usr/bin:/bin", "GONGSHI_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["511", "True"]
