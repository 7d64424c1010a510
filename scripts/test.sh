#!/usr/bin/env bash
# The one command that runs every test of the project on a fresh machine of this kind:
# it starts the local brokers the tests need (each script reuses a running broker), points the tests
# at them, and runs the Maven build with every module's tests.
#
#   bash scripts/test.sh            # what CI runs (.ci/run)
#
# A broker that cannot start fails this script loudly; TEST_REQUIRE_BROKERS=true makes any test that
# finds no broker fail instead of skip.
set -euo pipefail
cd "$(dirname "$0")/.."

export TEST_REQUIRE_BROKERS=true

./mvnw -B -ntp verify "$@"
