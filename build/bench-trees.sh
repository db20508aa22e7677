# Trees the benchmarks build packages from; sourced by build/bench.sh and build/bench-cpu.sh.

# standin_binary: the stand-in for the Consul binary, a large Go executable (the docker client
# where there is one, else the largest ELF file in /usr/bin), which compresses like consul does.
standin_binary() {
  local binary
  binary=$(command -v docker || true)
  if [ -z "$binary" ] || ! head -c 4 "$binary" | grep -q ELF; then
    binary=$(find /usr/bin -type f -size +10M -exec sh -c 'head -c 4 "$1" | grep -q ELF' _ {} \; -print 2>/dev/null | xargs -r ls -S | head -n 1)
  fi
  echo "$binary"
}

# stage_small_files DIR SOURCE: 20,000 files of 1-8 KB in 2,000 directories under DIR, cut from
# the first 8 MB of the file SOURCE (a large binary, so they compress like real files).
stage_small_files() {
  python3 - "$2" "$1" <<'PY'
import os, sys
pool = open(sys.argv[1], "rb").read(8_000_000)
for d in range(1, 2001):
    path = os.path.join(sys.argv[2], "d%d" % d)
    os.makedirs(path)
    for f in range(1, 11):
        n = ((d * 10 + f) % 8 + 1) * 1024
        start = ((d * 7 + f) % 7000) * 1024
        with open(os.path.join(path, "f%d" % f), "wb") as out:
            out.write(pool[start:start + n])
PY
}
