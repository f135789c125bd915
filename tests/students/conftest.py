import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded roster files go to a folder of the test, which checks that the import deletes them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
