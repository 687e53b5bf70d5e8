// Same-process A/B of two native addon builds on the backward ops (scratch tool, not part of the app).
// usage: node scripts/ab-backward.cjs OLD.node NEW.node [rounds] [filter]
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS script, run with node
const { loadAddons, compare, rnd } = require('./lib/ab-addons.cjs');

const ab = loadAddons(process.argv);
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
compare(cases, ab);
