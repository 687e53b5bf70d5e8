// The shared half of scripts/ab-forward.cjs and scripts/ab-backward.cjs: two native addon builds loaded into one
// process, each case timed on both in alternating rounds, in CPU time of this (single-threaded) process, which
// other jobs on the machine inflate far less than wall time.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** argv: OLD.node NEW.node [rounds] [filter]; ISA=avx2|avx512|v4 picks the build inside both (default avx2). */
function loadAddons(argv) {
  const [, , oldPath, newPath, roundsArg, filter] = argv;
  const load = (p) => {
    const m = { exports: {} };
    process.dlopen(m, p);
    m.exports.useIsa(process.env.ISA || 'avx2');
    return m.exports;
  };
  return { addons: [load(oldPath), load(newPath)], rounds: Number(roundsArg || 7), filter };
}

const rnd = (n) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** Times every case ({name, run(addon), flop}) on both addons and prints the medians, minima and speed-ups. */
function compare(cases, { addons, rounds, filter }) {
  for (const c of cases) {
    if (filter && !c.name.includes(filter)) continue;
    c.run(addons[0]);
    c.run(addons[1]);
    const t0 = cpuMs();
    c.run(addons[0]);
    const reps = Math.max(3, Math.min(5000, Math.round(100 / (cpuMs() - t0 + 0.02))));
    const times = [[], []];
    for (let r = 0; r < rounds; r++)
      for (const i of r % 2 ? [1, 0] : [0, 1]) {
        const t = cpuMs();
        for (let k = 0; k < reps; k++) c.run(addons[i]);
        times[i].push((cpuMs() - t) / reps);
      }
    const [o, n] = times.map(median);
    const [oMin, nMin] = times.map((t) => Math.min(...t));
    console.log(
      `${c.name.padEnd(30)} median old ${o.toFixed(3).padStart(7)} new ${n.toFixed(3).padStart(7)} ms x${(o / n).toFixed(2)}` +
        ` | min old ${oMin.toFixed(3).padStart(7)} new ${nMin.toFixed(3).padStart(7)} ms x${(oMin / nMin).toFixed(2)}` +
        ` | new ${(c.flop / nMin / 1e6).toFixed(1)} GFLOP/s`,
    );
  }
}

module.exports = { loadAddons, compare, rnd };
