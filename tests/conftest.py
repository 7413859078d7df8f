import os

from hypothesis import HealthCheck, settings

# CI runs a fixed, larger sample so that a red build is reproducible; local runs
# stay quick. Both are derandomised: a property test never flickers.
settings.register_profile(
    "ci", max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, derandomize=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
