// Where an output element's sum starts, and how a column of four sums goes back: shared by every path
// of the products. A sum starts from what out already holds (depth blocks after the first add to it),
// from the bias (`dense`, whose every row starts there), or from zero.

/** A column's four rows (rowBytes apart from o) as one vector of starting sums. */
@inline
export function startStrip(o: usize, rowBytes: usize, bias: usize, accumulate: bool, j: i32): v128 {
  let c = f32x4.splat(start(o, bias, accumulate, j));
  if (accumulate) {
    c = f32x4.replace_lane(c, 1, load<f32>(o + rowBytes));
    c = f32x4.replace_lane(c, 2, load<f32>(o + 2 * rowBytes));
    c = f32x4.replace_lane(c, 3, load<f32>(o + 3 * rowBytes));
  }
  return c;
}

/** A column's four sums back to its four rows. */
@inline
export function storeStrip(o: usize, rowBytes: usize, c: v128): void {
  store<f32>(o, f32x4.extract_lane(c, 0));
  store<f32>(o + rowBytes, f32x4.extract_lane(c, 1));
  store<f32>(o + 2 * rowBytes, f32x4.extract_lane(c, 2));
  store<f32>(o + 3 * rowBytes, f32x4.extract_lane(c, 3));
}

/** Where an output element's sum starts: what out holds (later depth blocks), the bias, or zero. */
@inline
export function start(at: usize, bias: usize, accumulate: bool, j: i32): f32 {
  if (accumulate) return load<f32>(at);
  return bias != 0 ? load<f32>(bias + ((<usize>j) << 2)) : 0;
}

/** Four lanes' starting sums: out[at..at+4), bias[j..j+4), or zeros. */
@inline
export function start4(at: usize, bias: usize, accumulate: bool, jb: usize): v128 {
  if (accumulate) return v128.load(at);
  return bias != 0 ? v128.load(bias + jb) : f32x4.splat(0);
}
