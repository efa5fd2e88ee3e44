// Trains both networks on both backends and shows what they learned. The results also go to
// `window.engramResults`, where the browser tests read them.
import { wasmSimdSupported } from 'engram';
import { trainWorkedExample, trainXor } from './train.js';

const backends = wasmSimdSupported() ? ['wasm', 'js'] : ['js'];
const results = {};
const rows = [];
for (const backend of backends) {
  results[backend] = { xor: await trainXor(backend), worked: await trainWorkedExample(backend) };
  for (const [name, run] of Object.entries(results[backend])) {
    const loss = run.history[run.history.length - 1];
    const predictions = run.predictions.map((p) => p.toFixed(3)).join(', ');
    rows.push(`<tr><td>${name}</td><td>${backend}</td><td>${loss.toPrecision(4)}</td><td>${predictions}</td></tr>`);
  }
}
document.querySelector('#results tbody').innerHTML = rows.join('');
document.querySelector('#status').textContent = `trained on ${backends.join(' and ')}`;
window.engramResults = results;
