"""Form errors are tied to their inputs (aria-describedby, aria-invalid), so a screen reader
announces what to fix when the reader lands on the field."""

import re


def test_a_field_with_an_error_points_at_its_message(world):
    response = world.client("developer").post("/workspace/projects/new/", {"name": ""})
    html = response.content.decode()
    assert response.status_code in (200, 400)
    error_ids = re.findall(r'class="form-error" id="([^"]+)_error"', html)
    assert error_ids, "the form shows no field errors"
    for field_id in error_ids:
        tag = re.search(rf'<(?:input|select|textarea)[^>]*id="{field_id}"[^>]*>', html).group(0)
        assert f"{field_id}_error" in tag and 'aria-invalid="true"' in tag, tag


def test_a_field_without_an_error_is_not_marked_invalid(world):
    html = world.client("developer").get("/workspace/projects/new/").content.decode()
    assert 'aria-invalid="true"' not in html
    assert "_error" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
