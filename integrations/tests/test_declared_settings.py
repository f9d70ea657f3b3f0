"""Every product source declares its settings once, typed (issue 13): read from Django settings in one place."""

from dataclasses import is_dataclass

import pytest

from common.sources import declarations


@pytest.mark.parametrize("name", ["vima", "payshack", "onec", "iiko", "credit_portfolio"])
def test_a_source_declares_typed_settings(name, settings):
    declared = {source.name: source for source in declarations()}[name]
    assert declared.settings is not None
    assert is_dataclass(declared.settings())


def test_payshack_settings_follow_the_environment(settings):
    from integrations.payshack.config import payshack_settings

    settings.PAYSHACK_LOOKBACK_HOURS, settings.PAYSHACK_MODE = 6, "portal"
    configured = payshack_settings()
    assert (configured.lookback.total_seconds(), configured.mode) == (6 * 3600, "portal")
