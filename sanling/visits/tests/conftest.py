import pytest

from sanling.accounts.scope import scope_for


@pytest.fixture
def scopes(personas):
    """The scope of each persona by name."""
    return {
        name: scope_for(personas[name])
        for name in ("admin_user", "town_a", "town_b", "grid_a", "dept", "viewer")
    }
