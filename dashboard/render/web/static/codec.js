// Decoders of the compact text encodings the server writes (dashboard/render/web/codec.py):
// base64 VLQ integers, bitsets and front-coded string tables.

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DEC = new Int16Array(128).fill(-1);
for (let b = 0; b < 64; b++) { DEC[B64.charCodeAt(b)] = b; }
const POW = [];
for (let p = 0; p < 12; p++) { POW.push(Math.pow(2, 5 * p)); }

/** Integers of a base64 VLQ text (zig-zag sign, 5 bits a character, bit 6: more follows). */
export function unvlq(s) {
  const out = [];
  let value = 0, group = 0;
  for (let i = 0; i < s.length; i++) {
    const d = DEC[s.charCodeAt(i)];
    if (d < 0) { throw new Error("bad VLQ character"); }
    value += (d & 31) * POW[group];
    if (d & 32) { group++; continue; }
    out.push(value % 2 ? -(value - 1) / 2 : value / 2);
    value = 0; group = 0;
  }
  return out;
}

/** Running sums, in place (delta-encoded values back to values). */
export function cumsum(a) {
  for (let i = 1; i < a.length; i++) { a[i] += a[i - 1]; }
  return a;
}

/** The first ``n`` bits of a base64 bitset, least significant bit of each byte first. */
export function bits(s, n) {
  const out = new Uint8Array(n);
  let acc = 0, nbits = 0, k = 0;
  for (let i = 0; i < s.length && k < n; i++) {
    acc = (acc << 6) | DEC[s.charCodeAt(i)]; nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      const byte = (acc >> nbits) & 255;
      for (let j = 0; j < 8 && k < n; j++) { out[k++] = (byte >> j) & 1; }
    }
  }
  return out;
}

/** The ``n`` strings of a front-coded column ({t: entries, i: VLQ of row indices}). */
export function strings(col, n) {
  const table = [];
  let prev = "";
  for (const s of col.t) {
    let k = 0;
    while (DEC[s.charCodeAt(k)] & 32) { k++; }
    const shared = unvlq(s.slice(0, k + 1))[0];
    prev = prev.slice(0, shared) + s.slice(k + 1);
    table.push(prev);
  }
  if (!col.i) { return new Array(n).fill(table[0]); }
  const idx = cumsum(unvlq(col.i));
  return idx.map((q) => table[q]);
}
