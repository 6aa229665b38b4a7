#!/usr/bin/env bash
# Requests per second and latency percentiles of samples/DigitsService on this machine, measured with wrk
# (apt-get install -y wrk): the service runs in Release with the model the Digits sample saves, and wrk sends
# POST /predict with one digit image over N keep-alive connections. Both share the machine's cores.
#
#   bench/service_load.sh [connections=32] [seconds=20] [wrk threads=1]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-32} seconds=${2:-20} threads=${3:-1}
port=5087
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build samples/DigitsService -c Release > /dev/null
(cd "$work" && dotnet run --project "$OLDPWD/samples/Digits" -c Release > /dev/null)
(cd "$work" && exec dotnet "$OLDPWD/samples/DigitsService/bin/Release/net10.0/DigitsService.dll" --urls "http://127.0.0.1:$port" > server.log 2>&1) &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
curl -s "http://127.0.0.1:$port/health"; echo

# The first image of the digits set (a 0), as a client would send it.
pixels=$(python3 -c "import gzip; print(','.join(gzip.open('src/CompiledNets/Data/digits.csv.gz','rt').readline().split(',')[:64]))")
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"pixels":[$pixels]}'
LUA
curl -s "http://127.0.0.1:$port/predict" -H 'Content-Type: application/json' -d "{\"pixels\":[$pixels]}"; echo
# A short warm-up (JIT tiers, connection setup), then the measured run.
wrk -t"$threads" -c"$connections" -d3s -s "$work/post.lua" "http://127.0.0.1:$port/predict" > /dev/null
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/predict"
