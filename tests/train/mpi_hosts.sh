#!/usr/bin/env bash
# Runs `mpirun -np N COMMAND...` with each rank on its own "host": a Linux network namespace with
# its own address on a bridge, joined by veth pairs, Open MPI's TCP transport restricted to that
# network, so every byte between ranks crosses a network interface (../shared/recipes'
# mpi-in-network-namespaces). Needs root, iproute2 and Open MPI. Cleans up on any exit.
#
# usage: tests/train/mpi_hosts.sh N COMMAND [ARGS...]
set -euo pipefail
ranks="$1"; shift
tag="dk$$"                       # unique per run: names and a /24 of their own
net="10.$((100 + $$ % 100)).$(( ($$ / 100) % 250 )).0"
prefix="${net%.0}"
work="$(mktemp -d)"
cleanup() {
  for i in $(seq 1 "$ranks"); do ip netns del "${tag}h$i" 2>/dev/null || true; done
  ip link del "${tag}br" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip link add "${tag}br" type bridge
ip addr add "$prefix.254/24" dev "${tag}br"
ip link set "${tag}br" up
: > "$work/hosts"
for i in $(seq 1 "$ranks"); do
  ip netns add "${tag}h$i"
  ip link add "${tag}v$i" type veth peer name eth0 netns "${tag}h$i"
  ip link set "${tag}v$i" master "${tag}br" up
  ip -n "${tag}h$i" addr add "$prefix.$i/24" dev eth0
  ip -n "${tag}h$i" link set eth0 up
  ip -n "${tag}h$i" link set lo up
  echo "$prefix.$i slots=1" >> "$work/hosts"
done

# mpirun starts its daemon on a host with "AGENT [options] HOST COMMAND"; this runs COMMAND in
# the namespace that owns HOST's address.
cat > "$work/nsrsh" <<SH
#!/bin/sh
while [ "\${1#-}" != "\$1" ]; do shift; done
host=\$1; shift
exec ip netns exec "${tag}h\${host##*.}" /bin/sh -c "\$*"
SH
chmod +x "$work/nsrsh"

# rtc_hwloc_vmhole none: Open MPI 4.1's daemons otherwise share the hardware topology through
# shared memory mapped at an address they guess, and one in three starts here crashed in
# hwloc_shmem_topology_write (the address was already taken).
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
  mpirun --hostfile "$work/hosts" -np "$ranks" --bind-to none --mca rtc_hwloc_vmhole none \
  --mca plm_rsh_agent "$work/nsrsh" \
  --mca btl tcp,self --mca btl_tcp_if_include "$net/24" --mca oob_tcp_if_include "$net/24" \
  "$@"
