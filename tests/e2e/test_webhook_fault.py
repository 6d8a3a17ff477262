"""Short CI version of the fault test (bench/webhook_fault.py runs the full one): two
`recbot serve` webhook replicas on one Redis, replica A SIGKILLed right after it
acknowledged 2 updates for each of 10 users; none of them may be lost."""

from __future__ import annotations

import pytest

from tests.e2e.fault import run_fault_test
from tests.e2e.harness import Emulator
from tests.redis_server import redis_server_binary

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(redis_server_binary() is None, reason="no redis-server binary"),
]


async def test_no_acknowledged_update_is_lost_when_a_replica_is_killed(
    emulator: Emulator, prepared_home, tmp_path
) -> None:
    (result,) = await run_fault_test(
        emulator, prepared_home.home, tmp_path, repetitions=1, users_per_trial=10, lease_s=2.0
    )
    assert result.acknowledged == 20
    assert result.lost == 0, f"lost updates of users {result.lost_ids}"
    assert result.seconds_to_all_effects is not None
