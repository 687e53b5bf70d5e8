// Same-process A/B of two native addon builds on the backward ops (scratch tool, not part of the app).
// usage: node scripts/ab-backward.cjs OLD.node NEW.node [rounds] [filter]
// CPU time of this (single-threaded) process: other jobs on the machine inflate wall time, far less CPU time
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const [, , oldPath, newPath, roundsArg, filter] = process.argv;
const load = (p) => {
  const m = { exports: {} };
  process.dlopen(m, p);
  m.exports.useIsa(process.env.ISA || 'avx2');
  return m.exports;
};
const addons = [load(oldPath), load(newPath)];
const rounds = Number(roundsArg || 7);
const rnd = (n) => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
const conv = (b, c, h, w, oc) => Int32Array.from([b, c, h, w, oc, 3, 3, 1, 1, 1, 1, h, w]);
const cases = [];
function convBwd(name, s) {
  const K = s[1] * 9,
    inp = rnd(s[0] * s[1] * s[2] * s[3]),
    w = rnd(s[4] * K),
    dout = rnd(s[0] * s[4] * s[11] * s[12]),
    dinp = new Float32Array(inp.length),
    dw = new Float32Array(w.length),
    db = new Float32Array(s[4]);
  cases.push({
    name: `convBwd ${name}`,
    run: (a) => a.conv2dBackward(s, inp, w, dout, dinp, dw, db),
    flop: 4 * s[0] * s[4] * K * s[11] * s[12],
  });
}
function convPoolParams(name, s) {
  const K = s[1] * 9,
    p = Int32Array.from([2, 2, 2, 2, s[11] >> 1, s[12] >> 1]),
    inp = rnd(s[0] * s[1] * s[2] * s[3]),
    w = rnd(s[4] * K),
    nOut = s[0] * s[4] * p[4] * p[5],
    dout = rnd(nOut),
    out = rnd(nOut),
    arg = new Int32Array(nOut),
    dw = new Float32Array(w.length),
    db = new Float32Array(s[4]);
  const ow = s[12];
  for (let j = 0; j < nOut; j++) {
    const x = j % p[5],
      y = Math.floor(j / p[5]) % p[4],
      plane = Math.floor(j / (p[4] * p[5]));
    arg[j] = plane * s[11] * ow + (2 * y + (j & 1)) * ow + 2 * x + ((j >> 1) & 1);
  }
  cases.push({
    name: `convPoolParams ${name}`,
    run: (a) => a.conv2dReluMaxPoolBackwardParams(s, p, inp, w, dout, arg, out, dw, db),
    flop: 2 * s[0] * s[4] * K * s[11] * s[12],
  });
}
function denseBwd(name, B, I, O) {
  const s = Int32Array.from([B, I, O]),
    inp = rnd(B * I),
    w = rnd(I * O),
    dout = rnd(B * O),
    dinp = new Float32Array(B * I),
    dw = new Float32Array(I * O),
    db = new Float32Array(O);
  cases.push({
    name: `denseBwd ${name}`,
    run: (a) => a.denseBackward(s, inp, w, dout, dinp, dw, db),
    flop: 4 * B * I * O,
  });
}
for (const B of [32, 64]) {
  const s = Int32Array.from([B, 1568, 128]),
    inp = rnd(B * 1568),
    w = rnd(1568 * 128),
    dout = rnd(B * 128),
    dw = new Float32Array(1568 * 128);
  cases.push({
    name: `denseBwd dW only b${B}`,
    run: (a) => a.denseBackward(s, inp, w, dout, null, dw, null),
    flop: 2 * B * 1568 * 128,
  });
  denseBwd(`1568->128 b${B}`, B, 1568, 128);
  convBwd(`ref 16->32@14 b${B}`, conv(B, 16, 14, 14, 32));
  convPoolParams(`ref 1->16@28 b${B}`, conv(B, 1, 28, 28, 16));
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
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
  console.log(
    `${c.name.padEnd(30)} median old ${o.toFixed(3).padStart(7)} new ${n.toFixed(3).padStart(7)} ms x${(o / n).toFixed(2)}` +
      ` | new ${(c.flop / n / 1e6).toFixed(1)} GFLOP/s`,
  );
}
