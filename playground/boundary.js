// The decision boundary on a canvas: the network's output over a GRID×GRID lattice of [-1, 1]²,
// orange where it says class 0 and blue where it says class 1, paler where it is unsure; the data's
// points on top in the same two colours.

const GRID = 64;
const COLOURS = [
  [245, 147, 34], // class 0: orange
  [8, 119, 189], // class 1: blue
];
/** How far the background goes from white toward a class's colour at full certainty. */
const BACKGROUND_STRENGTH = 0.7;

export function createBoundary(canvas) {
  const context = canvas.getContext('2d');
  const lattice = document.createElement('canvas');
  lattice.width = lattice.height = GRID;
  const latticeContext = lattice.getContext('2d');
  const image = latticeContext.createImageData(GRID, GRID);
  // The lattice's points, row by row from the top (y = 1) down, each at the centre of its cell.
  const points = [];
  for (let row = 0; row < GRID; row++) {
    for (let col = 0; col < GRID; col++) {
      points.push(Float32Array.of(((col + 0.5) / GRID) * 2 - 1, 1 - ((row + 0.5) / GRID) * 2));
    }
  }

  return {
    /** Paints the network's view of the plane, then the data set's points. */
    draw(net, data) {
      const outputs = net.predictBatch(points);
      for (let i = 0; i < outputs.length; i++) {
        const p = outputs[i][0];
        const [r, g, b] = COLOURS[p < 0.5 ? 0 : 1];
        const t = Math.min(1, Math.abs(p - 0.5) * 2) * BACKGROUND_STRENGTH;
        image.data[i * 4] = 255 + (r - 255) * t;
        image.data[i * 4 + 1] = 255 + (g - 255) * t;
        image.data[i * 4 + 2] = 255 + (b - 255) * t;
        image.data[i * 4 + 3] = 255;
      }
      latticeContext.putImageData(image, 0, 0);
      const { width, height } = canvas;
      context.imageSmoothingEnabled = true;
      context.drawImage(lattice, 0, 0, width, height);
      drawPoints(context, data, width, height);
    },
  };
}

function drawPoints(context, { inputs, labels }, width, height) {
  context.lineWidth = 1;
  context.strokeStyle = 'white';
  for (let i = 0; i < inputs.length; i++) {
    const [x, y] = inputs[i];
    context.fillStyle = `rgb(${COLOURS[labels[i]].join(',')})`;
    context.beginPath();
    context.arc(((x + 1) / 2) * width, ((1 - y) / 2) * height, 3.5, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}
