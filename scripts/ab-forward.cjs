// Same-process A/B of two native addon builds on the forward ops (scratch tool, not part of the app).
// usage: node scripts/ab-forward.cjs OLD.node NEW.node [rounds] [filter]
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS script, run with node
const { loadAddons, compare, rnd } = require('./lib/ab-addons.cjs');

const ab = loadAddons(process.argv);
const conv = (b, c, h, w, oc, stride = 1) => {
  const oh = Math.floor((h + 2 - 3) / stride) + 1,
    ow = Math.floor((w + 2 - 3) / stride) + 1;
  return Int32Array.from([b, c, h, w, oc, 3, 3, stride, stride, 1, 1, oh, ow]);
};
const pool = (s) => Int32Array.from([2, 2, 2, 2, s[11] >> 1, s[12] >> 1]);
const wtOf = (w, oc, K) => {
  const B = oc % 32 === 0 ? 32 : oc,
    t = new Float32Array(w.length);
  for (let o = 0; o < oc; o++)
    for (let k = 0; k < K; k++) t[Math.floor(o / B) * K * B + k * B + (o % B)] = w[o * K + k];
  return t;
};
const cases = [];
function convCase(name, s, kind) {
  const K = s[1] * 9,
    inp = rnd(s[0] * s[1] * s[2] * s[3]),
    w = rnd(s[4] * K),
    b = rnd(s[4]);
  const wT = wtOf(w, s[4], K),
    p = pool(s);
  const out = new Float32Array(s[0] * s[4] * s[11] * s[12]),
    arg = new Int32Array(out.length);
  const run =
    kind === 'wtpool'
      ? (a) => a.conv2dReluForwardWt(s, p, inp, w, wT, b, out)
      : kind === 'wt'
        ? (a) => a.conv2dReluForwardWt(s, null, inp, w, wT, b, out)
        : kind === 'train'
          ? (a) => a.conv2dReluMaxPoolTrain(s, p, inp, w, b, out, arg)
          : (a) => a.conv2dForward(s, inp, w, b, out, 0);
  cases.push({ name: `${kind} ${name}`, run, flop: 2 * s[0] * s[4] * K * s[11] * s[12] });
}
function denseCase(name, B, I, O) {
  const s = Int32Array.from([B, I, O]),
    inp = rnd(B * I),
    w = rnd(I * O),
    b = rnd(O),
    out = new Float32Array(B * O);
  cases.push({ name: `dense ${name}`, run: (a) => a.denseForward(s, inp, w, b, out), flop: 2 * B * I * O });
}
for (const B of [64, 1]) {
  convCase(`ref conv1 b${B}`, conv(B, 1, 28, 28, 16), 'wtpool');
  convCase(`ref conv2 b${B}`, conv(B, 16, 14, 14, 32), 'wtpool');
  denseCase(`1568->128 b${B}`, B, 1568, 128);
}
for (const B of [32, 1]) {
  convCase(`med stem b${B}`, conv(B, 3, 96, 96, 32, 2), 'wtpool');
  convCase(`med 32->64@24 b${B}`, conv(B, 32, 24, 24, 64), 'wtpool');
  convCase(`med 64->128@12 b${B}`, conv(B, 64, 12, 12, 128), 'wtpool');
  convCase(`med 128->128@6 b${B}`, conv(B, 128, 6, 6, 128), 'wtpool');
}
convCase('ref conv1 b64', conv(64, 1, 28, 28, 16), 'train');
convCase('ref conv2 b64', conv(64, 16, 14, 14, 32), 'train');
convCase('med stem b32', conv(32, 3, 96, 96, 32, 2), 'fwd');
convCase('med 32->64@24 b32', conv(32, 32, 24, 24, 64), 'fwd');
convCase('med 64->128@12 b32', conv(32, 64, 12, 12, 128), 'fwd');
convCase('med 128->128@6 b32', conv(32, 128, 6, 6, 128), 'fwd');
compare(cases, ab);
