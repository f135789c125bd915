import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded roster files go to a folder of the test, which checks that the import deletes them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _empty_cache():
    """The locks of the recomputation live in the cache: each test starts without any."""
    cache.clear()
    yield
    cache.clear()
